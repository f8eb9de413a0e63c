/** The portal's own script: loads its documents and hands them to the mes-kit buttons. */
import '@mes-kit/elements/all.js';
import { describeFinalities, type SendDocumentInput } from '@mes-kit/core';

// What this portal asks Mon espace santé for, and why (the texts its référencement registered).
for (const prompt of document.querySelectorAll('mes-consent-prompt')) {
  prompt.finalities = describeFinalities(['DOC_ECRITURE', 'DOC_LECTURE']);
}

const DOCUMENTS: Record<string, Omit<SendDocumentInput, 'file'> & { url: string }> = {
  'lettre-de-liaison': {
    url: '/documents/lettre-de-liaison.pdf',
    title: 'Lettre de liaison de sortie — chirurgie digestive',
    type: '11490-0',
    date: '2026-11-12T16:00:00+01:00',
    id: 'sejour-2026-11-09/lettre-de-liaison',
  },
  'bilan-biologique': {
    url: '/documents/bilan-biologique.pdf',
    title: 'Compte rendu de biologie du 10 novembre 2026',
    type: '11502-2',
    date: '2026-11-10T11:30:00+01:00',
    id: 'sejour-2026-11-09/bilan-biologique',
  },
};

for (const button of document.querySelectorAll('mes-send-document-button')) {
  const spec = DOCUMENTS[button.dataset['document'] ?? ''];
  if (!spec) continue;
  const { url, ...metadata } = spec;
  void fetch(url)
    .then((response) => response.blob())
    .then((file) => {
      button.document = { ...metadata, file: new File([file], url.split('/').pop()!, { type: 'application/pdf' }) };
    });
}
