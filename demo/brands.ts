/**
 * One portal, several brands (as a white-label portal is deployed): the same `index.html` is served
 * at each brand's path, with the brand's name, logo, `data-brand` and gateway filled in. Only CSS
 * differs on the page; in MES, each brand is a registered service of its own (client, OID, name).
 */
import type { Plugin } from 'vite';

interface Brand {
  id: string;
  name: string;
  path: string;
  /** Where this brand's gateway is mounted. */
  gateway: string;
  /** The brand's service in MES. */
  clientId: string;
  serviceOid: string;
}

export const BRANDS: Brand[] = [
  {
    id: 'lumiere',
    name: 'Hôpital Lumière',
    path: '/index.html',
    gateway: '/mes',
    clientId: 'mes-kit-demo',
    serviceOid: '1.2.250.1.999.42.1',
  },
  {
    id: 'tilleuls',
    name: 'Clinique des Tilleuls',
    path: '/tilleuls.html',
    gateway: '/tilleuls/mes',
    clientId: 'mes-kit-tilleuls',
    serviceOid: '1.2.250.1.999.42.3',
  },
];

const brandAt = (path: string) => BRANDS.find((brand) => brand.path === path);

export function brandedPages(): Plugin {
  return {
    name: 'mes-kit-demo-brands',
    configureServer(server) {
      // Every brand's page is index.html; Vite keeps the requested path in `originalUrl`.
      server.middlewares.use((request, _response, next) => {
        const path = request.url?.split('?')[0];
        if (path && path !== '/index.html' && brandAt(path)) request.url = '/index.html';
        next();
      });
    },
    transformIndexHtml: {
      order: 'pre',
      handler(html, context) {
        if (!context.filename.endsWith('/demo/index.html')) return html;
        const path = (context.originalUrl ?? context.path).split('?')[0];
        const brand = brandAt(path === '/' ? '/index.html' : path) ?? BRANDS[0];
        const other = BRANDS.find((candidate) => candidate !== brand)!;
        return html
          .replaceAll('%BRAND_ID%', brand.id)
          .replaceAll('%BRAND_NAME%', brand.name)
          .replaceAll('%BRAND_PATH%', brand.path === '/index.html' ? '/' : brand.path)
          .replaceAll('%GATEWAY%', brand.gateway)
          .replaceAll('%OTHER_BRAND_PATH%', other.path)
          .replaceAll('%OTHER_BRAND_NAME%', other.name);
      },
    },
  };
}
