/**
 * One portal, several brands (as a white-label portal is deployed): the same `index.html` is served
 * at each brand's path, with the brand's name, logo and `data-brand` filled in. Only CSS differs.
 */
import type { Plugin } from 'vite';

interface Brand {
  id: string;
  name: string;
  path: string;
}

export const BRANDS: Brand[] = [
  { id: 'lumiere', name: 'Hôpital Lumière', path: '/index.html' },
  { id: 'tilleuls', name: 'Clinique des Tilleuls', path: '/tilleuls.html' },
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
          .replaceAll('%OTHER_BRAND_PATH%', other.path)
          .replaceAll('%OTHER_BRAND_NAME%', other.name);
      },
    },
  };
}
