import type { Translation } from './fr.js';

export const en: Translation = {
  sendDocument: 'Send to Mon espace santé',
  pairing: 'Connecting to Mon espace santé…',
  preparing: 'Preparing the document…',
  sending: 'Sending…',
  progress: (percent: number) => `Sending: ${percent}%`,
  progressLabel: 'Sending progress',
  sent: 'Sent to Mon espace santé',
  alreadySent: 'This document is already in Mon espace santé',
  viewInMes: 'View in Mon espace santé',
  newWindow: '(new window)',
  retry: 'Try sending again',
  continueHere: 'Continue linking in this tab',
  cancelled: 'Sending cancelled.',
};
