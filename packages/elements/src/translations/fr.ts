/**
 * French, the default: every string an element shows or announces, grouped by who needs it, so that
 * a page ships only the strings of the elements it shows.
 */
import type { AgendaAction, MeasureCounts, MeasureKind, MesCategory, MesErrorCode } from '@mes-kit/core';

/** What every element that works with MES may say: the pairing, and what went wrong, by code. */
export const frCommon = {
  pairing: 'Synchronisation avec Mon espace santé…',
  continueHere: 'Continuer la synchronisation dans cet onglet',
  /** Why an element's actions wait: MES's window is open for a pairing started elsewhere on the page. */
  waitingForPairing: 'Terminez d’abord dans la fenêtre Mon espace santé.',
  /** Beside a progress bar, from the same value. */
  percent: (percent: number) => `${percent}\u00a0%`,
  /** For any operation; the patient reads them, so each says what happened, then what to do. */
  errors: {
    MES_INVALID_INPUT:
      'Les informations transmises par le service sont incomplètes ou incorrectes\u00a0: rien n’a été envoyé. Signalez-le au service.',
    MES_AUTH_REQUIRED:
      'Ce service n’est pas synchronisé avec Mon espace santé, ou ne l’est plus. Synchronisez-le pour continuer.',
    MES_CONSENT_REQUIRED:
      'Vous n’avez pas autorisé ce service à le faire dans Mon espace santé. Modifiez vos autorisations pour le permettre.',
    MES_PATIENT_MISMATCH:
      'Ce document concerne une autre personne que celle dont le profil Mon espace santé est synchronisé avec ce service\u00a0: il n’a pas été envoyé. Signalez-le au service.',
    MES_CONFIGURATION:
      'Ce service n’est pas encore correctement raccordé à Mon espace santé. Réessayez plus tard ou contactez son support.',
    MES_TOO_LARGE:
      'Le fichier dépasse 5\u00a0Mo, la taille maximale acceptée par Mon espace santé. Choisissez un fichier plus léger.',
    MES_REJECTED:
      'Mon espace santé a refusé la demande. Réessayer n’y changera rien\u00a0: contactez le support du service.',
    MES_RATE_LIMITED: 'Mon espace santé reçoit trop de demandes. Réessayez dans quelques instants.',
    MES_UNAVAILABLE: 'Mon espace santé est momentanément indisponible. Réessayez dans quelques minutes.',
    MES_NETWORK: 'La connexion a été interrompue. Vérifiez votre connexion à Internet, puis réessayez.',
    MES_INVALID_RESPONSE: 'Mon espace santé a répondu de façon inattendue. Réessayez plus tard.',
    MES_HOST_FAILED: 'Le portail n’a pas pu traiter la demande. Réessayez dans un instant.',
    MES_POPUP_BLOCKED:
      'Votre navigateur a bloqué la fenêtre Mon espace santé. Autorisez les fenêtres de ce site, puis réessayez.',
    MES_PAIRING_CANCELLED:
      'La synchronisation n’a pas abouti\u00a0: la fenêtre Mon espace santé a été fermée avant la fin. Réessayez quand vous le souhaitez.',
    MES_ABORTED: 'L’opération a été annulée. Vous pouvez la relancer.',
  } satisfies Record<MesErrorCode, string>,
};

/** `<mes-send-document-button>`. */
export const frSendDocument = {
  sendDocument: 'Envoyer vers Mon espace santé',
  preparing: 'Préparation du document…',
  sending: 'Envoi en cours…',
  progress: (percent: number) => `Envoi en cours\u00a0: ${percent}\u00a0%`,
  progressLabel: 'Progression de l’envoi',
  sent: 'Envoyé vers Mon espace santé',
  alreadySent: 'Ce document est déjà dans Mon espace santé',
  /** The button, once MES had the document already. */
  alreadyInMes: 'Déjà dans Mon espace santé',
  viewInMes: 'Voir dans Mon espace santé',
  newWindow: '(nouvelle fenêtre)',
  retry: 'Réessayer l’envoi',
  /** Sending's own wording, over `errors`. */
  operationErrors: {
    MES_INVALID_INPUT: 'Le document n’a pas été envoyé.',
    MES_CONSENT_REQUIRED:
      'Vous avez choisi de ne pas autoriser l’envoi de documents vers Mon espace santé. Modifiez vos autorisations pour le permettre.',
    MES_REJECTED:
      'Mon espace santé a refusé le document. Réessayer n’y changera rien\u00a0: contactez le support du service.',
    MES_ABORTED: 'L’envoi a été annulé. Vous pouvez le relancer.',
  } satisfies Partial<Record<MesErrorCode, string>>,
  /** Which information about the document is wrong, by the field core names. */
  fields: {
    file: 'Le fichier est manquant.',
    title: 'Le titre est manquant ou dépasse 255 caractères.',
    type: 'Le type de document n’est pas reconnu.',
    category: 'La catégorie de document n’est pas reconnue.',
    date: 'La date du document n’est pas valide.',
    confidentiality: 'Le niveau de confidentialité n’est pas reconnu.',
    description: 'La description dépasse 2\u202f000 caractères.',
    id: 'L’identifiant du document n’est pas valide.',
    author: 'L’auteur indiqué pour ce document n’est pas accepté.',
    format: 'Formats acceptés\u00a0: PDF, texte, RTF, JPEG ou TIFF.',
    empty: 'Le fichier est vide.',
    ref: 'Il n’est pas disponible pour l’envoi\u00a0: signalez-le au service.',
    input: 'Les informations du document sont manquantes.',
  } satisfies Record<string, string>,
};

/** `<mes-import-document-button>`: the import button. */
export const frImportDocument = {
  importDocuments: 'Importer depuis Mon espace santé',
  dialogTitle: (multiple: boolean): string =>
    multiple ? 'Choisir les documents à importer' : 'Choisir le document à importer',
  confirm: (count: number) =>
    count === 0 ? 'Importer' : count === 1 ? 'Importer 1 document' : `Importer ${count.toLocaleString('fr')} documents`,
  chooseFirst: 'Choisissez d’abord un document dans la liste.',
  tooMany: (max: number) => `Choisissez ${max.toLocaleString('fr')} documents au plus pour un même import.`,
  stop: 'Arrêter l’import',
  cancel: 'Annuler',
  importing: 'Import en cours…',
  /** Said once per document, not at every percent. */
  importingOne: (title: string, position: number, count: number) =>
    count > 1 ? `Import du document ${position} sur ${count}\u00a0: ${title}…` : `Import de «\u00a0${title}\u00a0»…`,
  listLabel: 'Import depuis Mon espace santé',
  progressLabel: (title: string) => `Progression de l’import\u00a0: ${title}`,
  waiting: 'En attente',
  inProgress: 'Import en cours',
  done: 'Importé',
  notImported: 'Non importé',
  imported: (count: number) =>
    count > 1 ? `${count} documents importés depuis Mon espace santé` : 'Document importé depuis Mon espace santé',
  failedOne: (title: string) => `«\u00a0${title}\u00a0» n’a pas pu être importé.`,
  partlyImported: (done: number, count: number) =>
    done > 1 ? `${done} documents sur ${count} ont bien été importés.` : `1 document sur ${count} a bien été importé.`,
  retry: (remaining: number) =>
    remaining > 1 ? `Réessayer l’import des ${remaining} documents restants` : 'Réessayer l’import',
  /** Importing's own wording, over `errors`. */
  operationErrors: {
    MES_INVALID_INPUT: 'Ce document n’a pas été importé.',
    MES_CONSENT_REQUIRED:
      'Vous avez choisi de ne pas autoriser l’import de documents depuis Mon espace santé. Modifiez vos autorisations pour le permettre.',
    MES_REJECTED:
      'Mon espace santé a refusé de transmettre le document. Réessayez plus tard ou choisissez-en un autre.',
    MES_INVALID_RESPONSE: 'Le document reçu de Mon espace santé est incomplet ou altéré. Réessayez plus tard.',
    MES_HOST_FAILED: 'Le portail n’a pas pu enregistrer le document. Réessayez dans un instant.',
    MES_ABORTED: 'L’import a été arrêté. Les documents déjà importés sont conservés.',
  } satisfies Partial<Record<MesErrorCode, string>>,
  /** Which part of the request is wrong, by the field core names. */
  fields: {
    id: 'Sa référence dans Mon espace santé n’est pas valide.',
    deliver: 'Le portail ne permet pas de recevoir les documents sur cette page\u00a0: signalez-le au service.',
    input: 'Aucun document n’a été choisi.',
  } satisfies Record<string, string>,
};

/** `<mes-consent-prompt>`. One word for the pairing, as Mon espace santé says it: « synchroniser ». */
export const frConsentPrompt = {
  consentTitle: 'Synchroniser avec Mon espace santé',
  /** Paired, the patient changes what is granted. */
  editTitle: 'Modifier vos autorisations',
  pairedTitle: 'Synchronisé avec Mon espace santé',
  reapprovalTitle: (count: number): string =>
    count > 1 ? 'Des autorisations sont à confirmer' : 'Une autorisation est à confirmer',
  /** The same in every state (the prompt keeps its size): who exchanges what, and that the patient decides. */
  intro: (service: string) =>
    `${service} peut échanger avec votre profil Mon espace santé les données que vous autorisez, et seulement celles-ci. Vous pouvez changer d’avis à tout moment.`,
  chooseLegend: 'Ce que vous autorisez\u00a0:',
  grantedLegend: 'Vos autorisations\u00a0:',
  read: 'Lecture',
  write: 'Écriture',
  /** One exchange a finalité allows: its direction, what part of MES, and which data. */
  exchange: (direction: string, scope: string, categories: string[]) =>
    `${direction} · ${scope}\u00a0: ${categories.join(', ')}`,
  /** Where a finalité stands, read before its name (the screen shows ✓, ✗ or !). */
  granted: 'Autorisé\u00a0: ',
  notGranted: 'Non autorisé\u00a0: ',
  toConfirm: 'À confirmer\u00a0: ',
  refuseAll: 'Tout refuser',
  acceptAll: 'Tout accepter',
  continue: 'Continuer vers Mon espace santé',
  chooseOne: 'Choisissez au moins une autorisation, ou refusez.',
  confirmInMes: 'Mon espace santé vous demandera de confirmer votre choix.',
  manageHint: 'Vous pouvez modifier ces autorisations ici ou dans Mon espace santé.',
  /** While MES's window is open. */
  finishInWindow: 'Terminez dans la fenêtre Mon espace santé.',
  reopen: 'Rouvrir la fenêtre',
  cancel: 'Annuler',
  cancelled: 'Synchronisation annulée\u00a0: rien n’a été partagé.',
  refused: 'Vous avez refusé la synchronisation. Vous pouvez changer d’avis à tout moment.',
  loading: 'Chargement…',
  /** Before the cause and its remedy, when the session could not be read. */
  loadFailed: 'Vos autorisations Mon espace santé n’ont pas pu être affichées.',
  retry: 'Réessayer',
  cgu: 'Conditions générales d’utilisation du service',
  manageInMes: 'Gérer mes autorisations dans Mon espace santé',
  whatIsMes: 'Qu’est-ce que Mon espace santé\u00a0?',
  newWindow: '(nouvelle fenêtre)',
  unpair: 'Désynchroniser',
  unpairing: 'Désynchronisation…',
  /** The confirmation « Désynchroniser » asks for, as Mon espace santé asks it. */
  unpairTitle: (service: string) => `Désynchroniser ${service}\u00a0?`,
  unpairText: (service: string) =>
    `Tous les échanges entre ${service} et votre profil Mon espace santé s’arrêtent\u00a0: ce service ne pourra plus rien y ajouter ni rien y consulter. Vous pourrez le synchroniser à nouveau à tout moment.`,
  revoked: 'Ce service n’est plus synchronisé avec Mon espace santé.',
  reapproval: (finalities: string[]) =>
    `Mon espace santé n’autorise plus ce service à\u00a0: ${new Intl.ListFormat('fr').format(finalities)}. ` +
    (finalities.length > 1
      ? 'Vous les avez peut-être retirées, ou Mon espace santé demande que vous les confirmiez à nouveau.'
      : 'Vous l’avez peut-être retirée, ou Mon espace santé demande que vous la confirmiez à nouveau.'),
  approveAgain: 'Confirmer dans Mon espace santé',
  modify: 'Modifier mes autorisations',
};

/** `<mes-document-picker>`. */
export const frDocumentPicker = {
  listLabel: 'Vos documents dans Mon espace santé',
  filters: 'Filtrer les documents',
  search: 'Rechercher dans les titres',
  category: 'Catégorie',
  allCategories: 'Toutes les catégories',
  dates: 'Date du document',
  from: 'Du',
  to: 'Au',
  clearFilters: 'Effacer les filtres',
  loading: 'Chargement de vos documents…',
  loadingMore: 'Chargement de la suite de vos documents…',
  count: (count: number) =>
    count > 1 ? `${count.toLocaleString('fr')} documents` : `${count.toLocaleString('fr')} document`,
  matches: (shown: number, total: number) =>
    shown > 1
      ? `${shown.toLocaleString('fr')} documents sur ${total.toLocaleString('fr')} correspondent à votre recherche`
      : `${shown.toLocaleString('fr')} document sur ${total.toLocaleString('fr')} correspond à votre recherche`,
  empty: 'Il n’y a pas encore de document dans votre profil Mon espace santé.',
  noMatch: 'Aucun document ne correspond à votre recherche.',
  /** A category chosen (by the patient, or the page), nothing searched. */
  noneInCategory: (category: string) => `Aucun document dans la catégorie «\u00a0${category}\u00a0».`,
  datesInverted:
    'La date «\u00a0Du\u00a0» est après la date «\u00a0Au\u00a0»\u00a0: aucun document ne peut s’y trouver.',
  selectedCount: (count: number) =>
    count > 1 ? `${count.toLocaleString('fr')} documents sélectionnés` : '1 document sélectionné',
  clearSelection: 'Tout désélectionner',
  notPaired: 'Pour choisir un document de Mon espace santé, synchronisez d’abord ce service avec Mon espace santé.',
  pair: 'Synchroniser avec Mon espace santé',
  consentRequired: 'Vous n’avez pas autorisé ce service à consulter vos documents dans Mon espace santé.',
  allow: 'Autoriser la consultation de mes documents',
  retry: 'Réessayer',
  untitled: 'Document sans titre',
  byPatient: 'Ajouté par vous',
  preview: 'Afficher un aperçu',
  closePreview: 'Fermer l’aperçu',
  previewOf: (title: string) => `Aperçu\u00a0: ${title}`,
  previewLoading: 'Chargement de l’aperçu…',
  previewShown: 'Aperçu affiché.',
  previewUnavailable:
    'L’aperçu n’est pas proposé sur ce portail\u00a0: vous pourrez consulter le document une fois importé.',
  previewUnsupported: 'Pas d’aperçu pour ce format\u00a0: seuls les PDF et les images JPEG en ont un.',
  required: (multiple: boolean): string => (multiple ? 'Choisissez au moins un document.' : 'Choisissez un document.'),
  /** As Mon espace santé names them in its « Documents » tab. */
  categories: {
    SYNTHESE: 'Ma santé en résumé',
    ORD_SOIN: 'Ordonnances et soins',
    RADIO_SC: 'Radio, écho, scanner, IRM',
    BIOLOGIE: 'Résultats de biologie',
    CPT_REND: 'Comptes rendus',
    DEPISTAG: 'Prévention et dépistages',
    CERT_MED: 'Certificats médicaux',
    SYNTH_PML: 'Synthèse médicale',
    DOC_ADM: 'Pièces administratives',
    DIR_ANT: 'Directives anticipées',
    VDP: 'Volontés et droits',
    AUTR_DOC: 'Autres documents',
  } satisfies Record<MesCategory, string>,
  /** Listing's own wording, over `errors`. */
  operationErrors: {
    MES_INVALID_INPUT: 'Ces filtres ne peuvent pas être appliqués. Effacez-les, puis réessayez.',
    MES_CONSENT_REQUIRED:
      'Vous avez choisi de ne pas autoriser la consultation de vos documents Mon espace santé. Modifiez vos autorisations pour le permettre.',
    MES_ABORTED: 'Le chargement de vos documents a été annulé. Réessayez quand vous le souhaitez.',
  } satisfies Partial<Record<MesErrorCode, string>>,
  /** Which filter is wrong, by the field core names. */
  fields: {
    category: 'La catégorie n’est pas reconnue.',
    from: 'La date de début n’est pas valide.',
    to: 'La date de fin n’est pas valide.',
    count: 'Le nombre de documents par page doit être compris entre 1 et 100.',
  } satisfies Record<string, string>,
};

const PARIS_FORMATS = new Map<string, Intl.DateTimeFormat>();

/**
 * The date and time of an instant in Paris, where MES's agenda shows it (not the device's timezone),
 * in a language's words: `weekday`, `day`, `month`, `year`, `hour`, `minute`, `dayPeriod`.
 */
export function parisParts(instant: string, locale: string, hour12 = false): Partial<Record<string, string>> {
  let format = PARIS_FORMATS.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      timeZone: 'Europe/Paris',
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      hourCycle: hour12 ? 'h12' : 'h23',
    });
    PARIS_FORMATS.set(locale, format);
  }
  return Object.fromEntries(format.formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
}

/** « 3 nouveaux, 1 déplacé, 1 annulé »: each action once, with its count, in the plan's order. */
const countsFr = (
  counts: Record<AgendaAction, number>,
  words: Record<Exclude<AgendaAction, 'unchanged'>, [string, string]>,
) =>
  (['create', 'move', 'update', 'cancel'] as const)
    .filter((action) => counts[action] > 0)
    .map((action) => `${counts[action]} ${words[action][counts[action] > 1 ? 1 : 0]}`)
    .join(', ');

/** `<mes-agenda-sync-button>`. */
export const frAgendaSync = {
  syncAll: 'Mettre à jour mon agenda Mon espace santé',
  addOne: 'Ajouter à mon agenda Mon espace santé',
  planning: 'Recherche des changements…',
  planTitle: 'Ce qui va changer dans votre agenda Mon espace santé',
  /** What the patient confirms: « 3 nouveaux, 1 déplacé, 1 annulé ». */
  summary: (counts: Record<AgendaAction, number>) =>
    countsFr(counts, {
      create: ['nouveau', 'nouveaux'],
      move: ['déplacé', 'déplacés'],
      update: ['modifié', 'modifiés'],
      cancel: ['annulé', 'annulés'],
    }),
  unchanged: (count: number): string =>
    count > 1 ? `${count} autres rendez-vous sont déjà à jour.` : 'Un autre rendez-vous est déjà à jour.',
  upToDate: 'Votre agenda Mon espace santé est déjà à jour.',
  listLabel: 'Rendez-vous à mettre à jour',
  confirm: 'Confirmer',
  cancel: 'Annuler',
  /** What will happen to an appointment, in the plan. */
  actions: {
    create: 'Nouveau',
    move: 'Déplacé',
    update: 'Modifié',
    cancel: 'Annulé',
    unchanged: 'Déjà à jour',
  } satisfies Record<AgendaAction, string>,
  /** What happened to it, after the run. */
  outcomes: {
    create: 'Ajouté',
    move: 'Déplacé',
    update: 'Modifié',
    cancel: 'Annulé',
    unchanged: 'Déjà à jour',
  } satisfies Record<AgendaAction, string>,
  notSynced: 'Non mis à jour',
  /** « lundi 30 mars 2026, 9 h 30 », in Paris time. */
  when: (instant: string) => {
    const { weekday, day, month, year, hour, minute } = parisParts(instant, 'fr');
    return `${weekday} ${day} ${month} ${year}, ${Number(hour)}\u00a0h${minute === '00' ? '' : `\u00a0${minute}`}`;
  },
  /** Between a moved appointment's old time and its new one, for screen readers (the screen shows an arrow). */
  movedTo: ', désormais ',
  untitled: 'Rendez-vous sans titre',
  syncing: 'Mise à jour en cours…',
  adding: 'Ajout en cours…',
  progressLabel: 'Progression de la mise à jour',
  /** Announced by quarters: a screen reader hears the progress without being flooded. */
  progress: (percent: number) => `Mise à jour en cours\u00a0: ${percent}\u00a0%`,
  synced: (counts: Record<AgendaAction, number>) =>
    `Votre agenda Mon espace santé est à jour\u00a0: ${countsFr(counts, {
      create: ['ajouté', 'ajoutés'],
      move: ['déplacé', 'déplacés'],
      update: ['modifié', 'modifiés'],
      cancel: ['annulé', 'annulés'],
    })}.`,
  partlySynced: (failed: number, total: number): string =>
    failed === total
      ? total > 1
        ? `Aucun des ${total} rendez-vous n’a pu être mis à jour.`
        : 'Le rendez-vous n’a pas pu être mis à jour.'
      : failed > 1
        ? `${failed} rendez-vous sur ${total} n’ont pas pu être mis à jour. Les autres sont à jour.`
        : `1 rendez-vous sur ${total} n’a pas pu être mis à jour. Les autres sont à jour.`,
  retry: (failed: number): string => (failed > 1 ? `Réessayer pour les ${failed} rendez-vous` : 'Réessayer'),
  /** One appointment (`appointment-id`): where it stands in MES's agenda once done. */
  added: {
    create: 'Ajouté à votre agenda Mon espace santé',
    move: 'Déplacé dans votre agenda Mon espace santé',
    update: 'Mis à jour dans votre agenda Mon espace santé',
    cancel: 'Annulé dans votre agenda Mon espace santé',
    unchanged: 'Déjà dans votre agenda Mon espace santé',
  } satisfies Record<AgendaAction, string>,
  calendarIntro: (one: boolean): string =>
    one
      ? 'Vous pouvez aussi ajouter ce rendez-vous à l’agenda de votre téléphone ou de votre ordinateur\u00a0:'
      : 'Vous pouvez aussi ajouter vos rendez-vous à l’agenda de votre téléphone ou de votre ordinateur\u00a0:',
  downloadCalendar: 'Télécharger le fichier .ics',
  calendarFileName: 'rendez-vous.ics',
  /** The agenda's own wording, over `errors`. */
  operationErrors: {
    MES_INVALID_INPUT: 'Vos rendez-vous n’ont pas été envoyés.',
    MES_CONSENT_REQUIRED:
      'Vous avez choisi de ne pas autoriser l’ajout de rendez-vous à votre agenda Mon espace santé. Modifiez vos autorisations pour le permettre.',
    MES_REJECTED:
      'Mon espace santé a refusé ce rendez-vous. Réessayer n’y changera rien\u00a0: contactez le support du service.',
    MES_ABORTED: 'La mise à jour a été annulée. Vous pouvez la relancer.',
    MES_HOST_FAILED: 'Le portail n’a pas pu donner vos rendez-vous. Réessayez dans un instant.',
  } satisfies Partial<Record<MesErrorCode, string>>,
  /** Which information is at fault, by the field core names (`appointment`: any field of one of them). */
  fields: {
    appointments: 'Le portail n’a pas transmis vos rendez-vous.',
    appointment: 'Un rendez-vous est incomplet ou son horaire n’est pas valide\u00a0: signalez-le au service.',
    only: 'Ce rendez-vous n’est pas dans la liste du portail\u00a0: rechargez la page.',
    input: 'Les informations des rendez-vous sont manquantes.',
  } satisfies Record<string, string>,
};

/** A count as French writes it: « 1 344 », with a narrow no-break space. */
const frCount = (count: number) => count.toLocaleString('fr');
/** A measured value as French writes it: « 66,8 ». */
const frValue = (value: number) => value.toLocaleString('fr', { maximumFractionDigits: 1 });
/** « 1er » for the first of the month, as French writes it. */
const frDay = (day: string | undefined) => (day === '1' ? '1er' : (day ?? ''));
/** « 1 340 envoyées, 4 déjà présentes, 2 non envoyées »: each outcome once, when there is one. */
const frOutcome = ({ created, present, failed }: MeasureCounts) =>
  [
    created > 0 ? `${frCount(created)} ${created > 1 ? 'envoyées' : 'envoyée'}` : '',
    present > 0 ? `${frCount(present)} déjà ${present > 1 ? 'présentes' : 'présente'}` : '',
    failed > 0 ? `${frCount(failed)} non ${failed > 1 ? 'envoyées' : 'envoyée'}` : '',
  ]
    .filter(Boolean)
    .join(', ');

/** `<mes-send-measures-button>`. */
export const frSendMeasures = {
  sendMeasures: 'Envoyer mes mesures vers Mon espace santé',
  summarizing: 'Préparation de vos mesures…',
  previewTitle: 'Mesures à envoyer vers Mon espace santé',
  /** What a measure is, after « mesures »: « de poids », « d’hémoglobine glyquée ». */
  kinds: {
    weight: 'de poids',
    height: 'de taille',
    'heart-rate': 'de fréquence cardiaque',
    'blood-pressure': 'de tension artérielle',
    temperature: 'de température',
    'waist-circumference': 'de tour de taille',
    'blood-glucose': 'de glycémie',
    hba1c: 'd’hémoglobine glyquée',
    'interstitial-glucose': 'de glycémie interstitielle',
    'glucose-management-index': 'd’indice de gestion de la glycémie',
    steps: 'de nombre de pas par jour',
    pain: 'de douleur',
    'head-circumference': 'de périmètre crânien',
  } satisfies Record<MeasureKind, string>,
  /** « du 12 au 26 novembre », in Paris time; the year when it is not this one. */
  period: (from: string, to: string) => {
    const start = parisParts(from, 'fr');
    const end = parisParts(to, 'fr');
    const year = end.year !== parisParts(new Date().toISOString(), 'fr').year || start.year !== end.year;
    const endText = `${frDay(end.day)} ${end.month}${year ? ` ${end.year}` : ''}`;
    if (start.year !== end.year) return `du ${frDay(start.day)} ${start.month} ${start.year} au ${endText}`;
    if (start.month !== end.month) return `du ${frDay(start.day)} ${start.month} au ${endText}`;
    return start.day === end.day ? `le ${endText}` : `du ${frDay(start.day)} au ${endText}`;
  },
  /** « 1 344 mesures de glycémie interstitielle, du 12 au 26 novembre ». */
  kindCount: (count: number, measure: string, period: string) =>
    `${frCount(count)} ${count > 1 ? 'mesures' : 'mesure'} ${measure}, ${period}`,
  /** Several measures: all of them together. */
  total: (count: number, period: string) => `${frCount(count)} mesures au total, ${period}`,
  /** What the trend line shows, in words: « de 62 à 248 mg/dL ». Blood pressure: its systolic values. */
  range: (min: number, max: number, unit: string, systolic: boolean) =>
    `${systolic ? 'systolique ' : ''}${min === max ? frValue(min) : `de ${frValue(min)} à ${frValue(max)}`} ${unit}`,
  nothingToSend: 'Aucune mesure à envoyer pour le moment.',
  listLabel: 'Mesures à envoyer',
  confirm: 'Envoyer',
  cancel: 'Annuler',
  sending: 'Envoi en cours…',
  progressLabel: 'Progression de l’envoi des mesures',
  /** Beside the bar, from the same counts: « 812 / 1 344 ». */
  counter: (done: number, total: number) => `${frCount(done)} / ${frCount(total)}`,
  /** Announced as the run starts, then by quarters: a screen reader is not told each of 1 344 readings. */
  sendingCount: (count: number): string =>
    count > 1
      ? `Envoi de ${frCount(count)} mesures vers Mon espace santé…`
      : 'Envoi d’une mesure vers Mon espace santé…',
  progress: (percent: number) => `Envoi en cours\u00a0: ${percent}\u00a0%`,
  /** One measure, until its outcome takes the line. */
  toSend: 'À envoyer',
  /** One measure's outcome. */
  outcome: frOutcome,
  sent: (counts: MeasureCounts): string =>
    counts.created === 0
      ? 'Vos mesures étaient déjà toutes dans Mon espace santé\u00a0: rien de nouveau n’a été envoyé.'
      : `Vos mesures sont dans Mon espace santé\u00a0: ${frOutcome(counts)}.`,
  partlySent: (failed: number, total: number): string =>
    failed === total
      ? total > 1
        ? `Aucune des ${frCount(total)} mesures n’a pu être envoyée.`
        : 'La mesure n’a pas pu être envoyée.'
      : failed > 1
        ? `${frCount(failed)} mesures sur ${frCount(total)} n’ont pas pu être envoyées. Les autres sont dans Mon espace santé.`
        : `1 mesure sur ${frCount(total)} n’a pas pu être envoyée. Les autres sont dans Mon espace santé.`,
  /** Every reading not sent was of a measure the patient did not allow. */
  sentAllowed:
    'Les mesures que vous avez autorisées sont dans Mon espace santé. Pour envoyer les autres, modifiez vos autorisations.',
  /** A measure the patient did not allow this service to send. */
  kindRefused: (measure: string) =>
    `Vous n’avez pas autorisé ce service à envoyer vos mesures ${measure} vers Mon espace santé.`,
  retry: 'Réessayer',
  /** Sending measures' own wording, over `errors`. */
  operationErrors: {
    MES_INVALID_INPUT: 'Vos mesures n’ont pas été envoyées.',
    MES_CONSENT_REQUIRED:
      'Vous avez choisi de ne pas autoriser l’envoi de vos mesures vers Mon espace santé. Modifiez vos autorisations pour le permettre.',
    MES_REJECTED:
      'Mon espace santé a refusé cette mesure. Réessayer n’y changera rien\u00a0: contactez le support du service.',
    MES_ABORTED: 'L’envoi a été annulé. Vous pouvez le relancer.',
    MES_HOST_FAILED: 'Le service n’a pas pu donner vos mesures. Réessayez dans un instant.',
  } satisfies Partial<Record<MesErrorCode, string>>,
  /** Which information is at fault, by the field core names (`reading`: any field of one reading). */
  fields: {
    series: 'Le service n’a transmis aucune mesure, ou trop à la fois.',
    device: 'L’appareil de mesure n’est pas correctement décrit.',
    unit: 'L’unité d’une mesure n’est pas reconnue.',
    reading: 'Une mesure est incomplète, hors des valeurs possibles ou datée dans le futur.',
    kinds: 'Le type de mesure demandé n’est pas reconnu.',
    from: 'La date de début n’est pas valide.',
    to: 'La date de fin n’est pas valide, ou précède la date de début.',
    input: 'Les informations des mesures sont manquantes.',
  } satisfies Record<string, string>,
};

/** Everything `<mes-send-document-button>` says. */
export type SendDocumentButtonStrings = typeof frCommon & typeof frSendDocument;
/** Everything `<mes-consent-prompt>` says. */
export type ConsentPromptStrings = typeof frCommon & typeof frConsentPrompt;
/** Everything `<mes-import-document-button>` says. */
export type ImportDocumentButtonStrings = typeof frCommon & typeof frImportDocument;
/** Everything `<mes-document-picker>` says. */
export type DocumentPickerStrings = typeof frCommon & typeof frDocumentPicker;

/** Everything `<mes-agenda-sync-button>` says. */
export type AgendaSyncButtonStrings = typeof frCommon & typeof frAgendaSync;

/** Everything `<mes-send-measures-button>` says. */
export type SendMeasuresButtonStrings = typeof frCommon & typeof frSendMeasures;
