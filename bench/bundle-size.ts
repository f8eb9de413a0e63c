/**
 * The JavaScript a page loads for mes-kit, minified and gzipped (level 9): one send button (budget
 * 20 kB at page load, Lit included) and the whole kit (budget 60 kB with every operation loaded;
 * direct mode's transport and oidc-client-ts, which the budget has load only in direct mode on first
 * use, are reported apart). Built with Vite/Rolldown as an app would.
 * Run: npx tsx --conditions=@mes-kit/source bench/bundle-size.ts
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = new URL('..', import.meta.url).pathname;
const ENTRIES = {
  'one send button': `import '@mes-kit/elements/mes-provider.js';\nimport '@mes-kit/elements/mes-send-document-button.js';\n`,
  'whole kit': `import '@mes-kit/elements/all.js';\n`,
};
const BUDGETS: Record<string, number> = { 'one send button': 20_000, 'whole kit': 60_000 };

for (const [name, source] of Object.entries(ENTRIES)) {
  const dir = mkdtempSync(join(tmpdir(), 'mes-kit-size-'));
  try {
    // The entry is a virtual module: nothing is written into the repository.
    await build({
      configFile: false,
      logLevel: 'silent',
      root,
      plugins: [
        {
          name: 'size-entry',
          resolveId: (id) => (id === 'virtual:size-entry' ? '\0size-entry.ts' : undefined),
          load: (id) => (id === '\0size-entry.ts' ? source : undefined),
        },
      ],
      build: {
        outDir: dir,
        minify: true,
        target: 'es2022',
        modulePreload: false,
        manifest: true,
        rolldownOptions: { input: 'virtual:size-entry', preserveEntrySignatures: 'strict' },
      },
    });
    // What the page loads at once (the entry and its static imports); what operations load on first
    // use; and what only direct mode loads (its transport and oidc-client-ts), which the budget sets apart.
    const manifest = JSON.parse(readFileSync(join(dir, '.vite/manifest.json'), 'utf8')) as Record<
      string,
      { file: string; isEntry?: boolean; imports?: string[]; dynamicImports?: string[] }
    >;
    const reachable = (follow: (key: string) => boolean) => {
      const files = new Set<string>();
      const visit = (key: string) => {
        const chunk = manifest[key];
        if (files.has(chunk.file)) return;
        files.add(chunk.file);
        for (const imported of chunk.imports ?? []) visit(imported);
        for (const imported of chunk.dynamicImports ?? []) if (follow(imported)) visit(imported);
      };
      visit(Object.keys(manifest).find((key) => manifest[key].isEntry)!);
      return [...files];
    };
    const all = readdirSync(join(dir, 'assets'))
      .filter((file) => file.endsWith('.js'))
      .map((file) => `assets/${file}`);
    const gzipOf = (files: string[]) =>
      gzipSync(Buffer.concat(files.map((file) => readFileSync(join(dir, file)))), { level: 9 }).length;
    const first = gzipOf(reachable(() => false));
    const withoutDirect = gzipOf(reachable((key) => !key.endsWith('transports/direct.ts')));
    const total = gzipOf(all);
    const budget = BUDGETS[name];
    const measured = name === 'whole kit' ? withoutDirect : first;
    const kB = (bytes: number) => `${(bytes / 1000).toFixed(1).padStart(5)} kB`;
    console.log(
      `${name.padEnd(16)} page load ${kB(first)}, every operation loaded ${kB(withoutDirect)}, direct mode adds ${kB(total - withoutDirect)} (gzip)  budget ${budget / 1000} kB ${measured <= budget ? 'OK' : 'OVER'}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
