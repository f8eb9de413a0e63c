/**
 * What the pairing popup shows when MES sends the patient back: a page that tells its opener the
 * outcome (to the portal's origin only) and closes. Its script is a separate file so that the page
 * runs under `script-src 'self'`.
 */

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export const CALLBACK_SCRIPT = `(() => {
  const data = document.documentElement.dataset;
  const message = { type: 'mes-kit:pairing', outcome: data.outcome, error: data.error || undefined };
  if (window.opener) {
    window.opener.postMessage(message, data.targetOrigin);
    window.close();
  }
})();
`;

export function callbackPage(options: {
  outcome: 'success' | 'error';
  error?: string;
  targetOrigin: string;
  scriptUrl: string;
}) {
  const text =
    options.outcome === 'success'
      ? 'Votre compte est relié à Mon espace santé. Vous pouvez fermer cette fenêtre.'
      : `La connexion à Mon espace santé n’a pas abouti${options.error ? ` : ${options.error}` : ''}. Vous pouvez fermer cette fenêtre.`;
  return `<!doctype html>
<html lang="fr" data-outcome="${options.outcome}" data-error="${escape(options.error ?? '')}" data-target-origin="${escape(options.targetOrigin)}">
<head><meta charset="utf-8"><title>Mon espace santé</title><script src="${escape(options.scriptUrl)}" defer></script></head>
<body><p role="status">${escape(text)}</p></body>
</html>`;
}
