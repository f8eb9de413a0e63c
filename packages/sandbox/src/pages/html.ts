/** Server-rendered pages: every interpolated value is escaped unless it is already `Html`. */

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function render(value: unknown): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(typeof value === 'string' ? value : JSON.stringify(value));
}

/** What French puts before « : ; ! ? % » and inside « »: the sign never starts a line of its own. */
export const NBSP = '\u00a0';

/** Renders as nothing (for conditional parts). */
export const nothing = new Html('');

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  return new Html(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]) : ''), ''));
}

/** No script at all, and nothing but same-origin styles: these pages run under the strictest CSP. */
export const PAGE_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'";

/** What every HTML page of the sandbox is served with: no framing, no sniffing, no referrer elsewhere. */
export const PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': PAGE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

/**
 * The same for oidc-provider's answers, whose form_post page runs one inline script: oidc-provider
 * adds that script's hash to `script-src`, the one directive it extends, so one must be there.
 */
export const OAUTH_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  ...PAGE_SECURITY_HEADERS,
  'content-security-policy': `${PAGE_CSP}; script-src 'self'`,
};

export function layout(title: string, body: Html): string {
  return html`<!doctype html>
    <html lang="fr">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} — Mon espace santé (bac à sable)</title>
        <link rel="stylesheet" href="/assets/sandbox.css" />
      </head>
      <body>
        <header class="banner">
          <a class="brand" href="/"
            ><span class="brand-mark" aria-hidden="true">MES</span> Mon espace santé
            <span class="tag">bac à sable</span></a
          >
        </header>
        <main id="contenu">${body}</main>
        <footer class="footer">
          Environnement de test local${NBSP}: données fictives, aucun lien avec le vrai Mon espace santé.
        </footer>
      </body>
    </html>`.value;
}

export function pageResponse(title: string, body: Html, status = 200): Response {
  return new Response(layout(title, body), {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      ...PAGE_SECURITY_HEADERS,
      'cache-control': 'no-store',
    },
  });
}
