/** English, shipped beside French, in the same groups. */
import type { AgendaAction, MeasureCounts } from '@mes-kit/core';
import {
  parisParts,
  type frAgendaSync,
  type frCommon,
  type frConsentPrompt,
  type frDocumentPicker,
  type frImportDocument,
  type frSendDocument,
  type frSendMeasures,
} from './fr.js';

export const enCommon: typeof frCommon = {
  pairing: 'Syncing with Mon espace santé…',
  continueHere: 'Continue syncing in this tab',
  waitingForPairing: 'Finish in the Mon espace santé window first.',
  percent: (percent: number) => `${percent}%`,
  errors: {
    MES_INVALID_INPUT:
      'The information the service gave is incomplete or incorrect: nothing was sent. Please tell the service.',
    MES_AUTH_REQUIRED: 'This service is not synced with Mon espace santé, or no longer is. Sync it to continue.',
    MES_CONSENT_REQUIRED:
      'You have not allowed this service to do this in Mon espace santé. Change your permissions to allow it.',
    MES_PATIENT_MISMATCH:
      'This document is about someone other than the person whose Mon espace santé profile is synced with this service: it was not sent. Please tell the service.',
    MES_CONFIGURATION:
      'This service is not yet properly connected to Mon espace santé. Try again later or contact its support.',
    MES_TOO_LARGE: 'The file is larger than 5 MB, the most Mon espace santé accepts. Choose a smaller file.',
    MES_REJECTED: 'Mon espace santé refused the request. Trying again will not help: contact the service’s support.',
    MES_RATE_LIMITED: 'Mon espace santé is receiving too many requests. Try again in a moment.',
    MES_UNAVAILABLE: 'Mon espace santé is temporarily unavailable. Try again in a few minutes.',
    MES_NETWORK: 'The connection was interrupted. Check your Internet connection, then try again.',
    MES_INVALID_RESPONSE: 'Mon espace santé answered unexpectedly. Try again later.',
    MES_HOST_FAILED: 'The portal could not handle the request. Try again in a moment.',
    MES_POPUP_BLOCKED:
      'Your browser blocked the Mon espace santé window. Allow windows from this site, then try again.',
    MES_PAIRING_CANCELLED:
      'Syncing did not complete: the Mon espace santé window was closed before the end. Try again whenever you like.',
    MES_ABORTED: 'The operation was cancelled. You can start it again.',
  },
};

export const enSendDocument: typeof frSendDocument = {
  sendDocument: 'Send to Mon espace santé',
  preparing: 'Preparing the document…',
  sending: 'Sending…',
  progress: (percent: number) => `Sending: ${percent}%`,
  progressLabel: 'Sending progress',
  sent: 'Sent to Mon espace santé',
  alreadySent: 'This document is already in Mon espace santé',
  alreadyInMes: 'Already in Mon espace santé',
  viewInMes: 'View in Mon espace santé',
  newWindow: '(new window)',
  retry: 'Try sending again',
  operationErrors: {
    MES_INVALID_INPUT: 'The document was not sent.',
    MES_CONSENT_REQUIRED:
      'You chose not to allow sending documents to Mon espace santé. Change your permissions to allow it.',
    MES_REJECTED: 'Mon espace santé refused the document. Trying again will not help: contact the service’s support.',
    MES_ABORTED: 'Sending was cancelled. You can start it again.',
  },
  fields: {
    file: 'The file is missing.',
    title: 'The title is missing or longer than 255 characters.',
    type: 'The document type is not recognised.',
    category: 'The document category is not recognised.',
    date: 'The document date is not valid.',
    confidentiality: 'The confidentiality level is not recognised.',
    description: 'The description is longer than 2,000 characters.',
    id: 'The document id is not valid.',
    author: 'The author given for this document is not accepted.',
    format: 'Accepted formats: PDF, text, RTF, JPEG or TIFF.',
    empty: 'The file is empty.',
    ref: 'It is not available to send: please tell the service.',
    input: 'The document information is missing.',
  },
};

export const enImportDocument: typeof frImportDocument = {
  importDocuments: 'Import from Mon espace santé',
  dialogTitle: (multiple: boolean) => (multiple ? 'Choose the documents to import' : 'Choose the document to import'),
  confirm: (count: number) =>
    count === 0 ? 'Import' : count === 1 ? 'Import 1 document' : `Import ${count.toLocaleString('en')} documents`,
  chooseFirst: 'First choose a document in the list.',
  tooMany: (max: number) => `Choose at most ${max} documents for one import.`,
  stop: 'Stop the import',
  cancel: 'Cancel',
  importing: 'Importing…',
  importingOne: (title: string, position: number, count: number) =>
    count > 1 ? `Importing document ${position} of ${count}: ${title}…` : `Importing “${title}”…`,
  listLabel: 'Import from Mon espace santé',
  progressLabel: (title: string) => `Import progress: ${title}`,
  waiting: 'Waiting',
  inProgress: 'Importing',
  done: 'Imported',
  notImported: 'Not imported',
  imported: (count: number) =>
    count > 1 ? `${count} documents imported from Mon espace santé` : 'Document imported from Mon espace santé',
  failedOne: (title: string) => `“${title}” could not be imported.`,
  partlyImported: (done: number, count: number) =>
    done > 1 ? `${done} of ${count} documents were imported.` : `1 of ${count} documents was imported.`,
  retry: (remaining: number) =>
    remaining > 1 ? `Retry importing the ${remaining} remaining documents` : 'Try importing again',
  operationErrors: {
    MES_INVALID_INPUT: 'This document was not imported.',
    MES_CONSENT_REQUIRED:
      'You chose not to allow importing documents from Mon espace santé. Change your permissions to allow it.',
    MES_REJECTED: 'Mon espace santé refused to hand over the document. Try again later or choose another one.',
    MES_INVALID_RESPONSE: 'The document received from Mon espace santé is incomplete or altered. Try again later.',
    MES_HOST_FAILED: 'The portal could not save the document. Try again in a moment.',
    MES_ABORTED: 'The import was stopped. The documents already imported are kept.',
  },
  fields: {
    id: 'Its reference in Mon espace santé is not valid.',
    deliver: 'The portal does not allow documents to be received on this page: please tell the service.',
    input: 'No document was chosen.',
  },
};

export const enConsentPrompt: typeof frConsentPrompt = {
  consentTitle: 'Sync with Mon espace santé',
  editTitle: 'Change your permissions',
  pairedTitle: 'Synced with Mon espace santé',
  reapprovalTitle: (count: number) =>
    count > 1 ? 'Some permissions need confirming' : 'A permission needs confirming',
  intro: (service: string) =>
    `${service} can exchange the data you allow with your Mon espace santé profile, and only that data. You can change your mind at any time.`,
  chooseLegend: 'What you allow:',
  grantedLegend: 'Your permissions:',
  read: 'Read',
  write: 'Write',
  exchange: (direction: string, scope: string, categories: string[]) =>
    `${direction} · ${scope}: ${categories.join(', ')}`,
  granted: 'Allowed: ',
  notGranted: 'Not allowed: ',
  toConfirm: 'To confirm: ',
  refuseAll: 'Refuse all',
  acceptAll: 'Accept all',
  continue: 'Continue to Mon espace santé',
  chooseOne: 'Choose at least one permission, or refuse.',
  confirmInMes: 'Mon espace santé will ask you to confirm your choice.',
  manageHint: 'You can change these permissions here or in Mon espace santé.',
  finishInWindow: 'Finish in the Mon espace santé window.',
  reopen: 'Reopen the window',
  cancel: 'Cancel',
  cancelled: 'Sync cancelled: nothing was shared.',
  refused: 'You refused to sync. You can change your mind at any time.',
  loading: 'Loading…',
  loadFailed: 'Your Mon espace santé permissions could not be shown.',
  retry: 'Try again',
  cgu: 'Terms of use of the service',
  manageInMes: 'Manage my permissions in Mon espace santé',
  whatIsMes: 'What is Mon espace santé?',
  newWindow: '(new window)',
  unpair: 'Stop syncing',
  unpairing: 'Stopping the sync…',
  unpairTitle: (service: string) => `Stop syncing ${service}?`,
  unpairText: (service: string) =>
    `Every exchange between ${service} and your Mon espace santé profile stops: this service will no longer add anything to it or read anything from it. You can sync it again at any time.`,
  revoked: 'This service is no longer synced with Mon espace santé.',
  reapproval: (finalities: string[]) =>
    `Mon espace santé no longer allows this service to: ${new Intl.ListFormat('en').format(finalities)}. ` +
    (finalities.length > 1
      ? 'You may have withdrawn them, or Mon espace santé asks you to confirm them again.'
      : 'You may have withdrawn it, or Mon espace santé asks you to confirm it again.'),
  approveAgain: 'Confirm in Mon espace santé',
  modify: 'Change my permissions',
};

export const enDocumentPicker: typeof frDocumentPicker = {
  listLabel: 'Your documents in Mon espace santé',
  filters: 'Filter documents',
  search: 'Search titles',
  category: 'Category',
  allCategories: 'All categories',
  dates: 'Document date',
  from: 'From',
  to: 'To',
  clearFilters: 'Clear filters',
  loading: 'Loading your documents…',
  loadingMore: 'Loading more documents…',
  count: (count: number) => (count === 1 ? '1 document' : `${count.toLocaleString('en')} documents`),
  matches: (shown: number, total: number) =>
    shown === 1
      ? `1 of ${total.toLocaleString('en')} documents matches your search`
      : `${shown.toLocaleString('en')} of ${total.toLocaleString('en')} documents match your search`,
  empty: 'There are no documents in your Mon espace santé profile yet.',
  noMatch: 'No document matches your search.',
  noneInCategory: (category: string) => `No document in the “${category}” category.`,
  datesInverted: 'The “From” date is after the “To” date: no document can fall between them.',
  selectedCount: (count: number) =>
    count === 1 ? '1 document selected' : `${count.toLocaleString('en')} documents selected`,
  clearSelection: 'Deselect all',
  notPaired: 'To choose a document from Mon espace santé, first sync this service with Mon espace santé.',
  pair: 'Sync with Mon espace santé',
  consentRequired: 'You have not allowed this service to view your documents in Mon espace santé.',
  allow: 'Allow viewing my documents',
  retry: 'Try again',
  untitled: 'Untitled document',
  byPatient: 'Added by you',
  preview: 'Show a preview',
  closePreview: 'Close the preview',
  previewOf: (title: string) => `Preview: ${title}`,
  previewLoading: 'Loading the preview…',
  previewShown: 'Preview shown.',
  previewUnavailable: 'Previews are not offered on this portal: you can view the document once it is imported.',
  previewUnsupported: 'No preview for this format: only PDFs and JPEG images have one.',
  required: (multiple: boolean) => (multiple ? 'Choose at least one document.' : 'Choose a document.'),
  categories: {
    SYNTHESE: 'My health summary',
    ORD_SOIN: 'Prescriptions and care',
    RADIO_SC: 'X-ray, ultrasound, CT, MRI',
    BIOLOGIE: 'Lab results',
    CPT_REND: 'Reports',
    DEPISTAG: 'Prevention and screening',
    CERT_MED: 'Medical certificates',
    SYNTH_PML: 'Medical summary',
    DOC_ADM: 'Administrative documents',
    DIR_ANT: 'Advance directives',
    VDP: 'Wishes and rights',
    AUTR_DOC: 'Other documents',
  },
  operationErrors: {
    MES_INVALID_INPUT: 'These filters cannot be applied. Clear them, then try again.',
    MES_CONSENT_REQUIRED:
      'You chose not to allow viewing your Mon espace santé documents. Change your permissions to allow it.',
    MES_ABORTED: 'Loading your documents was cancelled. Try again whenever you like.',
  },
  fields: {
    category: 'The category is not recognised.',
    from: 'The start date is not valid.',
    to: 'The end date is not valid.',
    count: 'The number of documents per page must be between 1 and 100.',
  },
};

/** « 3 new, 1 moved, 1 cancelled »: each action once, with its count, in the plan's order. */
/** The units MES shows in French words (core's `MEASURES[kind].unit.display`), in English. */
const EN_UNITS: Record<string, string> = { 'battements/min': 'beats/min', 'pas/jour': 'steps/day' };

const countsEn = (counts: Record<AgendaAction, number>, words: Record<Exclude<AgendaAction, 'unchanged'>, string>) =>
  (['create', 'move', 'update', 'cancel'] as const)
    .filter((action) => counts[action] > 0)
    .map((action) => `${counts[action]} ${words[action]}`)
    .join(', ');

export const enAgendaSync: typeof frAgendaSync = {
  syncAll: 'Update my Mon espace santé calendar',
  addOne: 'Add to my Mon espace santé calendar',
  planning: 'Looking for changes…',
  planTitle: 'What will change in your Mon espace santé calendar',
  summary: (counts: Record<AgendaAction, number>) =>
    countsEn(counts, { create: 'new', move: 'moved', update: 'changed', cancel: 'cancelled' }),
  unchanged: (count: number) =>
    count > 1 ? `${count} other appointments are already up to date.` : 'One other appointment is already up to date.',
  upToDate: 'Your Mon espace santé calendar is already up to date.',
  listLabel: 'Appointments to update',
  confirm: 'Confirm',
  cancel: 'Cancel',
  actions: { create: 'New', move: 'Moved', update: 'Changed', cancel: 'Cancelled', unchanged: 'Up to date' },
  outcomes: { create: 'Added', move: 'Moved', update: 'Changed', cancel: 'Cancelled', unchanged: 'Up to date' },
  notSynced: 'Not updated',
  when: (instant: string) => {
    const { weekday, day, month, year, hour, minute, dayPeriod } = parisParts(instant, 'en-GB', true);
    return `${weekday} ${day} ${month} ${year}, ${Number(hour)}:${minute}\u00a0${dayPeriod}`;
  },
  movedTo: ', now ',
  untitled: 'Untitled appointment',
  syncing: 'Updating…',
  adding: 'Adding…',
  progressLabel: 'Update progress',
  progress: (percent: number) => `Updating: ${percent}%`,
  synced: (counts: Record<AgendaAction, number>) =>
    `Your Mon espace santé calendar is up to date: ${countsEn(counts, {
      create: 'added',
      move: 'moved',
      update: 'changed',
      cancel: 'cancelled',
    })}.`,
  partlySynced: (failed: number, total: number) =>
    failed === total
      ? total > 1
        ? `None of the ${total} appointments could be updated.`
        : 'The appointment could not be updated.'
      : failed > 1
        ? `${failed} of ${total} appointments could not be updated. The others are up to date.`
        : `1 of ${total} appointments could not be updated. The others are up to date.`,
  retry: (failed: number) => (failed > 1 ? `Try again for the ${failed} appointments` : 'Try again'),
  added: {
    create: 'Added to your Mon espace santé calendar',
    move: 'Moved in your Mon espace santé calendar',
    update: 'Updated in your Mon espace santé calendar',
    cancel: 'Cancelled in your Mon espace santé calendar',
    unchanged: 'Already in your Mon espace santé calendar',
  },
  calendarIntro: (one: boolean) =>
    one
      ? 'You can also add this appointment to the calendar on your phone or computer:'
      : 'You can also add your appointments to the calendar on your phone or computer:',
  downloadCalendar: 'Download the .ics file',
  calendarFileName: 'appointments.ics',
  operationErrors: {
    MES_INVALID_INPUT: 'Your appointments were not sent.',
    MES_CONSENT_REQUIRED:
      'You chose not to allow adding appointments to your Mon espace santé calendar. Change your permissions to allow it.',
    MES_REJECTED:
      'Mon espace santé refused this appointment. Trying again will not help: contact the service’s support.',
    MES_ABORTED: 'The update was cancelled. You can start it again.',
    MES_HOST_FAILED: 'The portal could not give your appointments. Try again in a moment.',
  },
  fields: {
    appointments: 'The portal did not provide your appointments.',
    appointment: 'An appointment is incomplete or its time is not valid: please tell the service.',
    only: 'This appointment is not in the portal’s list: reload the page.',
    input: 'The appointment information is missing.',
  },
};

const enCount = (count: number) => count.toLocaleString('en');
const enValue = (value: number) => value.toLocaleString('en', { maximumFractionDigits: 1 });
const enOutcome = ({ created, present, failed }: MeasureCounts) =>
  [
    created > 0 ? `${enCount(created)} sent` : '',
    present > 0 ? `${enCount(present)} already there` : '',
    failed > 0 ? `${enCount(failed)} not sent` : '',
  ]
    .filter(Boolean)
    .join(', ');

export const enSendMeasures: typeof frSendMeasures = {
  sendMeasures: 'Send my measures to Mon espace santé',
  summarizing: 'Preparing your measures…',
  previewTitle: 'Measures to send to Mon espace santé',
  kinds: {
    weight: 'weight',
    height: 'height',
    'heart-rate': 'heart rate',
    'blood-pressure': 'blood pressure',
    temperature: 'temperature',
    'waist-circumference': 'waist circumference',
    'blood-glucose': 'blood glucose',
    hba1c: 'HbA1c',
    'interstitial-glucose': 'interstitial glucose',
    'glucose-management-index': 'glucose management indicator',
    steps: 'daily steps',
    pain: 'pain',
    'head-circumference': 'head circumference',
  },
  period: (from: string, to: string) => {
    const start = parisParts(from, 'en-GB', true);
    const end = parisParts(to, 'en-GB', true);
    const year = end.year !== parisParts(new Date().toISOString(), 'en-GB', true).year || start.year !== end.year;
    const endText = `${end.day} ${end.month}${year ? ` ${end.year}` : ''}`;
    if (start.year !== end.year) return `${start.day} ${start.month} ${start.year} – ${endText}`;
    if (start.month !== end.month) return `${start.day} ${start.month} – ${endText}`;
    return start.day === end.day ? endText : `${start.day}–${endText}`;
  },
  kindCount: (count: number, measure: string, period: string) =>
    `${enCount(count)} ${measure} ${count > 1 ? 'readings' : 'reading'}, ${period}`,
  total: (count: number, period: string) => `${enCount(count)} readings in all, ${period}`,
  range: (min: number, max: number, unit: string, systolic: boolean) =>
    `${systolic ? 'systolic ' : ''}${min === max ? enValue(min) : `${enValue(min)} to ${enValue(max)}`} ${EN_UNITS[unit] ?? unit}`,
  nothingToSend: 'No measures to send for now.',
  listLabel: 'Measures to send',
  confirm: 'Send',
  cancel: 'Cancel',
  sending: 'Sending…',
  progressLabel: 'Measures sending progress',
  counter: (done: number, total: number) => `${enCount(done)} / ${enCount(total)}`,
  sendingCount: (count: number) =>
    count > 1 ? `Sending ${enCount(count)} readings to Mon espace santé…` : 'Sending one reading to Mon espace santé…',
  progress: (percent: number) => `Sending: ${percent}%`,
  toSend: 'To send',
  outcome: enOutcome,
  sent: (counts: MeasureCounts) =>
    counts.created === 0
      ? 'All your measures were already in Mon espace santé: nothing new was sent.'
      : `Your measures are in Mon espace santé: ${enOutcome(counts)}.`,
  partlySent: (failed: number, total: number) =>
    failed === total
      ? total > 1
        ? `None of the ${enCount(total)} readings could be sent.`
        : 'The reading could not be sent.'
      : failed > 1
        ? `${enCount(failed)} of ${enCount(total)} readings could not be sent. The others are in Mon espace santé.`
        : `1 of ${enCount(total)} readings could not be sent. The others are in Mon espace santé.`,
  sentAllowed: 'The measures you allowed are in Mon espace santé. To send the others, change your permissions.',
  kindRefused: (measure: string) =>
    `You have not allowed this service to send your ${measure} readings to Mon espace santé.`,
  retry: 'Try again',
  operationErrors: {
    MES_INVALID_INPUT: 'Your measures were not sent.',
    MES_CONSENT_REQUIRED:
      'You chose not to allow sending your measures to Mon espace santé. Change your permissions to allow it.',
    MES_REJECTED: 'Mon espace santé refused this reading. Trying again will not help: contact the service’s support.',
    MES_ABORTED: 'Sending was cancelled. You can start it again.',
    MES_HOST_FAILED: 'The service could not give your measures. Try again in a moment.',
  },
  fields: {
    series: 'The service gave no readings, or too many at once.',
    device: 'The measuring device is not described correctly.',
    unit: 'The unit of a reading is not recognised.',
    reading: 'A reading is incomplete, out of the possible range, or dated in the future.',
    kinds: 'The kind of measure asked for is not recognised.',
    from: 'The start date is not valid.',
    to: 'The end date is not valid, or is before the start date.',
    input: 'The measures information is missing.',
  },
};
