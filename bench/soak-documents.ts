/** The establishment's documents in the soak: made from the portal user and the ref, the same in every process. */
import type { DocumentToSend } from '@mes-kit/core';
import { pdfBytes, sha1 } from '../test/helpers/documents.js';

/** The document, and the SHA-1 MES files it under: each ref's content is its own, so the hash names the ref. */
export function soakDocument(userId: string, ref: string): { document: DocumentToSend; hash: string } {
  const bytes = pdfBytes(`soak ${userId} ${ref}`);
  return {
    document: {
      file: new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }),
      title: `Compte rendu ${ref}`,
      type: '11490-0',
    },
    hash: sha1(bytes),
  };
}
