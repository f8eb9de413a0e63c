/**
 * What the pairing popup shows when MES sends the patient back: a page that tells its opener the
 * outcome (to the portal's origin only) and closes. Its script is a separate file so that the page
 * runs under `script-src 'self'`.
 */

/** Why a pairing did not complete, as the opener is told (a code: the page localises). */
export type PairingFailure = 'expired' | 'refused' | 'failed' | 'wrong-service' | 'other-user';

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

/** Shown in the popup only when it cannot close itself (opened without an opener). */
const FAILURE_TEXTS: Record<PairingFailure, string> = {
  expired: 'la demande de connexion a expiré ou ne vient pas de ce navigateur',
  refused: 'vous n’avez autorisé aucune action',
  failed: 'Mon espace santé n’a pas confirmé la connexion',
  'wrong-service': 'le service n’est pas celui que Mon espace santé attend',
  'other-user': 'la connexion a été lancée depuis un autre compte du portail',
};

export function callbackPage(options: { failure?: PairingFailure; targetOrigin: string; scriptUrl: string }) {
  const text = options.failure
    ? `La connexion à Mon espace santé n’a pas abouti : ${FAILURE_TEXTS[options.failure]}. Vous pouvez fermer cette fenêtre.`
    : 'Votre compte est relié à Mon espace santé. Vous pouvez fermer cette fenêtre.';
  return `<!doctype html>
<html lang="fr" data-outcome="${options.failure ? 'error' : 'success'}" data-error="${options.failure ?? ''}" data-target-origin="${escape(options.targetOrigin)}">
<head><meta charset="utf-8"><title>Mon espace santé</title><script src="${escape(options.scriptUrl)}" defer></script></head>
<body><p role="status">${escape(text)}</p></body>
</html>`;
}
