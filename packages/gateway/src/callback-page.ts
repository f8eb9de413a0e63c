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
  expired: 'la demande a expiré ou ne vient pas de ce navigateur. Recommencez depuis le portail',
  refused: 'vous n’avez autorisé aucune action. Recommencez depuis le portail si vous changez d’avis',
  failed: 'Mon espace santé ne l’a pas confirmée. Recommencez depuis le portail dans quelques minutes',
  'wrong-service': 'ce service n’est pas celui que Mon espace santé attend. Contactez le support du portail',
  'other-user': 'elle a été lancée depuis un autre compte du portail. Reconnectez-vous au portail avec votre compte',
};

export function callbackPage(options: { failure?: PairingFailure; targetOrigin: string; scriptUrl: string }) {
  const text = options.failure
    ? `La synchronisation avec Mon espace santé n’a pas abouti\u00a0: ${FAILURE_TEXTS[options.failure]}. Vous pouvez fermer cette fenêtre.`
    : 'La synchronisation avec Mon espace santé est faite. Vous pouvez fermer cette fenêtre.';
  return `<!doctype html>
<html lang="fr" data-outcome="${options.failure ? 'error' : 'success'}" data-error="${options.failure ?? ''}" data-target-origin="${escape(options.targetOrigin)}">
<head><meta charset="utf-8"><title>Mon espace santé</title><script src="${escape(options.scriptUrl)}" defer></script></head>
<body><p role="status">${escape(text)}</p></body>
</html>`;
}
