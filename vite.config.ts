/**
 * The demo portal (demo/): Vite serves its pages, and its back end (logins, records, one mes-kit
 * gateway per brand) runs beside them, paired with the sandbox. `npm start` runs it next to the sandbox; `demoConfig` serves tests and benchmarks too.
 */
import { defaultClientConditions, defineConfig, type UserConfig } from 'vite';
import { brandedPages } from './demo/brands.js';
import { demoPortal, type DemoPortalOptions } from './demo/portal-server.js';

const here = (path: string) => new URL(path, import.meta.url).pathname;

/** The strict policy the kit is built for: no inline script or style, no eval, Trusted Types enforced. */
const csp = (issuer: string) =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    // The picker previews a document from MES the page holds, from a blob: URL.
    "img-src 'self' data: blob:",
    "frame-src 'self' blob:",
    // Direct mode talks to MES (the sandbox) from the page.
    `connect-src 'self' ws://localhost:* ${issuer}`,
    "require-trusted-types-for 'script'",
    'trusted-types lit-html',
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');

export function demoConfig(options: { port?: number; portal?: Partial<DemoPortalOptions> } = {}): UserConfig {
  const issuer = options.portal?.issuer ?? 'http://localhost:8787';
  return {
    root: here('./demo'),
    publicDir: here('./demo/public'),
    // In the repository, @mes-kit/* run from their TypeScript sources, not from a build.
    resolve: { conditions: ['@mes-kit/source', ...defaultClientConditions] },
    logLevel: 'warn',
    clearScreen: false,
    server: {
      port: options.port ?? 5173,
      strictPort: true,
      host: 'localhost',
      headers: { 'content-security-policy': csp(issuer), 'referrer-policy': 'same-origin' },
    },
    build: {
      outDir: here('./dist/demo'),
      emptyOutDir: true,
      rolldownOptions: {
        input: {
          index: here('./demo/index.html'),
          direct: here('./demo/direct.html'),
          vendor: here('./demo/vendor.html'),
          measures: here('./demo/measures.html'),
          callback: here('./demo/mes-callback.html'),
        },
      },
    },
    // Where MES is, for the direct-mode pages.
    define: { __MES_ISSUER__: JSON.stringify(issuer) },
    plugins: [brandedPages(), demoPortal({ ...options.portal, issuer })],
  };
}

export default defineConfig(demoConfig());
