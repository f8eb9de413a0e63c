/** English, shipped beside French, in the same groups. */
import type { frCommon, frConsentPrompt, frSendDocument } from './fr.js';

export const enCommon: typeof frCommon = {
  pairing: 'Connecting to Mon espace santé…',
  continueHere: 'Continue linking in this tab',
  errors: {
    MES_INVALID_INPUT: 'This request cannot be processed as it is.',
    MES_AUTH_REQUIRED: 'Your account is not (or no longer) linked to Mon espace santé. Link it to continue.',
    MES_CONSENT_REQUIRED: 'You have not allowed this service to do this in Mon espace santé.',
    MES_PATIENT_MISMATCH: 'This document is not about the Mon espace santé profile linked to your account.',
    MES_CONFIGURATION: 'This service is misconfigured for Mon espace santé. Contact its support.',
    MES_TOO_LARGE: 'The file is larger than Mon espace santé accepts (5 MB).',
    MES_REJECTED: 'Mon espace santé refused the request.',
    MES_RATE_LIMITED: 'Mon espace santé is receiving too many requests. Try again in a moment.',
    MES_UNAVAILABLE: 'Mon espace santé is temporarily unavailable. Try again later.',
    MES_NETWORK: 'The connection was interrupted. Check your network and try again.',
    MES_INVALID_RESPONSE: 'Mon espace santé answered unexpectedly. Try again later.',
    MES_HOST_FAILED: 'The portal could not save the document. Try again in a moment.',
    MES_POPUP_BLOCKED: 'Your browser blocked the Mon espace santé sign-in window.',
    MES_PAIRING_CANCELLED: 'Linking with Mon espace santé did not complete.',
    MES_ABORTED: 'The operation was cancelled.',
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
  viewInMes: 'View in Mon espace santé',
  newWindow: '(new window)',
  retry: 'Try sending again',
  operationErrors: {
    MES_INVALID_INPUT: 'This document cannot be sent as it is.',
    MES_CONSENT_REQUIRED: 'You chose not to allow sending documents to Mon espace santé.',
    MES_REJECTED: 'Mon espace santé refused the document.',
    MES_ABORTED: 'Sending was cancelled.',
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
    ref: 'This document is not available to send.',
    input: 'The document information is missing.',
  },
};

export const enConsentPrompt: typeof frConsentPrompt = {
  consentTitle: 'Link your account with Mon espace santé',
  consentIntro: (service: string) =>
    `${service} offers to exchange data with your Mon espace santé profile. Choose what you allow: Mon espace santé will ask you to confirm, and you can change your mind at any time.`,
  consentLegend: (service: string) => `What ${service} will be able to do:`,
  read: 'Read',
  write: 'Write',
  exchange: (direction: string, scope: string, categories: string[]) =>
    `${direction} · ${scope}: ${categories.join(', ')}`,
  cgu: 'Terms of use of the service',
  refuseAll: 'Refuse all',
  acceptAll: 'Accept all',
  continue: 'Continue to Mon espace santé',
  chooseOne: 'Choose at least one permission, or refuse.',
  refused: 'You refused to link your account with Mon espace santé. You can change your mind at any time.',
  pairedTitle: 'Linked with Mon espace santé',
  grantedIntro: (service: string) => `You allow ${service} to:`,
  notGranted: 'Not allowed:',
  manageInMes: 'Manage my permissions in Mon espace santé',
  unpair: 'Unlink',
  unpairing: 'Unlinking…',
  revoked: 'Your account is no longer linked with Mon espace santé.',
  reapprovalTitle: (count: number) =>
    count > 1 ? 'Some permissions need confirming' : 'A permission needs confirming',
  reapproval: (finalities: string[]) =>
    `Mon espace santé no longer allows this service to: ${new Intl.ListFormat('en').format(finalities)}. ` +
    (finalities.length > 1
      ? 'You may have withdrawn them, or Mon espace santé asks you to confirm them again.'
      : 'You may have withdrawn it, or Mon espace santé asks you to confirm it again.'),
  approveAgain: 'Confirm in Mon espace santé',
  modify: 'Change my permissions',
};
