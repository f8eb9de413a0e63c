/**
 * French, the default: every string an element shows or announces, grouped by who needs it, so that
 * a page ships only the strings of the elements it shows.
 */
import type { MesErrorCode } from '@mes-kit/core';

/** What every element that works with MES may say: the pairing, and what went wrong, by code. */
export const frCommon = {
  pairing: 'Connexion à Mon espace santé…',
  continueHere: 'Continuer la connexion dans cet onglet',
  /** For any operation; the patient reads them, so they say what to do next. */
  errors: {
    MES_INVALID_INPUT: 'Cette demande ne peut pas être traitée telle quelle.',
    MES_AUTH_REQUIRED: 'Votre compte n’est pas (ou plus) relié à Mon espace santé. Reliez-le pour continuer.',
    MES_CONSENT_REQUIRED: 'Vous n’avez pas autorisé ce service à effectuer cette action dans Mon espace santé.',
    MES_PATIENT_MISMATCH: 'Ce document ne concerne pas le profil Mon espace santé relié à votre compte.',
    MES_CONFIGURATION: 'Le service est mal configuré pour Mon espace santé. Contactez son support.',
    MES_TOO_LARGE: 'Le fichier dépasse la taille acceptée par Mon espace santé (5 Mo).',
    MES_REJECTED: 'Mon espace santé a refusé la demande.',
    MES_RATE_LIMITED: 'Mon espace santé reçoit trop de demandes. Réessayez dans quelques instants.',
    MES_UNAVAILABLE: 'Mon espace santé est momentanément indisponible. Réessayez plus tard.',
    MES_NETWORK: 'La connexion a été interrompue. Vérifiez votre réseau puis réessayez.',
    MES_INVALID_RESPONSE: 'Mon espace santé a répondu de façon inattendue. Réessayez plus tard.',
    MES_HOST_FAILED: 'Le document n’a pas pu être enregistré par le portail. Réessayez dans un instant.',
    MES_POPUP_BLOCKED: 'La fenêtre de connexion à Mon espace santé a été bloquée par votre navigateur.',
    MES_PAIRING_CANCELLED: 'La connexion à Mon espace santé n’a pas abouti.',
    MES_ABORTED: 'L’opération a été annulée.',
  } satisfies Record<MesErrorCode, string>,
};

/** `<mes-send-document-button>`. */
export const frSendDocument = {
  sendDocument: 'Envoyer vers Mon espace santé',
  preparing: 'Préparation du document…',
  sending: 'Envoi en cours…',
  progress: (percent: number) => `Envoi en cours : ${percent} %`,
  progressLabel: 'Progression de l’envoi',
  sent: 'Envoyé vers Mon espace santé',
  alreadySent: 'Ce document est déjà dans Mon espace santé',
  viewInMes: 'Voir dans Mon espace santé',
  newWindow: '(nouvelle fenêtre)',
  retry: 'Réessayer l’envoi',
  /** Sending's own wording, over `errors`. */
  operationErrors: {
    MES_INVALID_INPUT: 'Le document ne peut pas être envoyé tel quel.',
    MES_CONSENT_REQUIRED: 'Vous avez choisi de ne pas autoriser l’envoi de documents vers Mon espace santé.',
    MES_REJECTED: 'Mon espace santé a refusé le document.',
    MES_ABORTED: 'L’envoi a été annulé.',
  } satisfies Partial<Record<MesErrorCode, string>>,
  /** Which information about the document is wrong, by the field core names. */
  fields: {
    file: 'Le fichier est manquant.',
    title: 'Le titre est manquant ou dépasse 255 caractères.',
    type: 'Le type de document n’est pas reconnu.',
    category: 'La catégorie de document n’est pas reconnue.',
    date: 'La date du document n’est pas valide.',
    confidentiality: 'Le niveau de confidentialité n’est pas reconnu.',
    description: 'La description dépasse 2 000 caractères.',
    id: 'L’identifiant du document n’est pas valide.',
    author: 'L’auteur indiqué pour ce document n’est pas accepté.',
    format: 'Formats acceptés : PDF, texte, RTF, JPEG ou TIFF.',
    empty: 'Le fichier est vide.',
    ref: 'Ce document n’est pas disponible pour l’envoi.',
    input: 'Les informations du document sont manquantes.',
  } satisfies Record<string, string>,
};

/** `<mes-consent-prompt>`. */
export const frConsentPrompt = {
  consentTitle: 'Relier votre compte à Mon espace santé',
  consentIntro: (service: string) =>
    `${service} vous propose d’échanger des données avec votre profil Mon espace santé. Choisissez ce que vous autorisez : Mon espace santé vous demandera de le confirmer, et vous pourrez changer d’avis à tout moment.`,
  consentLegend: (service: string) => `Ce que ${service} pourra faire :`,
  read: 'Lecture',
  write: 'Écriture',
  /** One exchange a finalité allows: its direction, what part of MES, and which data. */
  exchange: (direction: string, scope: string, categories: string[]) =>
    `${direction} · ${scope} : ${categories.join(', ')}`,
  cgu: 'Conditions générales d’utilisation du service',
  refuseAll: 'Tout refuser',
  acceptAll: 'Tout accepter',
  continue: 'Continuer vers Mon espace santé',
  chooseOne: 'Choisissez au moins une autorisation, ou refusez.',
  refused: 'Vous avez refusé de relier votre compte à Mon espace santé. Vous pouvez changer d’avis à tout moment.',
  pairedTitle: 'Relié à Mon espace santé',
  grantedIntro: (service: string) => `Vous autorisez ${service} à :`,
  notGranted: 'Non autorisé :',
  manageInMes: 'Gérer mes autorisations dans Mon espace santé',
  unpair: 'Désynchroniser',
  unpairing: 'Désynchronisation…',
  revoked: 'Votre compte n’est plus relié à Mon espace santé.',
  reapprovalTitle: (count: number): string =>
    count > 1 ? 'Des autorisations sont à confirmer' : 'Une autorisation est à confirmer',
  reapproval: (finalities: string[]) =>
    `Mon espace santé n’autorise plus ce service à : ${new Intl.ListFormat('fr').format(finalities)}. ` +
    (finalities.length > 1
      ? 'Vous les avez peut-être retirées, ou Mon espace santé demande que vous les confirmiez à nouveau.'
      : 'Vous l’avez peut-être retirée, ou Mon espace santé demande que vous la confirmiez à nouveau.'),
  approveAgain: 'Confirmer dans Mon espace santé',
  modify: 'Modifier mes autorisations',
};

/** Everything `<mes-send-document-button>` says. */
export type SendDocumentButtonStrings = typeof frCommon & typeof frSendDocument;
/** Everything `<mes-consent-prompt>` says. */
export type ConsentPromptStrings = typeof frCommon & typeof frConsentPrompt;
