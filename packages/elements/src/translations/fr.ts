/** French, the default: every string an element shows or announces. */
export const fr = {
  sendDocument: 'Envoyer vers Mon espace santé',
  pairing: 'Connexion à Mon espace santé…',
  preparing: 'Préparation du document…',
  sending: 'Envoi en cours…',
  progress: (percent: number) => `Envoi en cours : ${percent} %`,
  progressLabel: 'Progression de l’envoi',
  sent: 'Envoyé vers Mon espace santé',
  alreadySent: 'Ce document est déjà dans Mon espace santé',
  viewInMes: 'Voir dans Mon espace santé',
  newWindow: '(nouvelle fenêtre)',
  retry: 'Réessayer l’envoi',
  continueHere: 'Continuer la connexion dans cet onglet',
  cancelled: 'Envoi annulé.',
};
export type Translation = typeof fr;
