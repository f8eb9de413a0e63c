/** Reading documents: a DocumentReference by id, and ITI-68 Retrieve Document (its bytes). */
import { READ_DOCUMENTS_FINALITY, type DocumentReference } from '@mes-kit/core';
import { requireFinality, type Caller } from '../auth.js';
import type { FhirContext } from '../context.js';
import { FhirError, fhirJson } from '../outcome.js';
import { hiddenFromPatient, present } from './common.js';

/** ITI-68 Retrieve Document: the bytes, with their media type. */
export function retrieveDocument(id: string, caller: Caller, ctx: FhirContext): Response {
  requireFinality(caller, READ_DOCUMENTS_FINALITY);
  const binary = ctx.store.getBinary(id);
  // Another patient's document, or one hidden from the patient, is as absent as a missing one.
  const hidden = () =>
    ctx.store
      .list(caller.persona.key, 'DocumentReference')
      .some(
        (entry) =>
          entry.resource['content'] !== undefined &&
          (entry.resource as DocumentReference).content.some((c) => c.attachment.url === `Binary/${id}`) &&
          hiddenFromPatient(entry.resource as DocumentReference),
      );
  if (!binary || binary.persona !== caller.persona.key || hidden())
    throw new FhirError(404, 'not-found', `Binary/${id} does not exist.`);
  return new Response(binary.data as Uint8Array<ArrayBuffer>, {
    status: 200,
    headers: {
      'content-type': binary.contentType,
      'content-length': String(binary.data.length),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}

export function readDocument(id: string, caller: Caller, ctx: FhirContext): Response {
  requireFinality(caller, READ_DOCUMENTS_FINALITY);
  const entry = ctx.store.get('DocumentReference', id);
  if (!entry || entry.persona !== caller.persona.key || hiddenFromPatient(entry.resource as DocumentReference)) {
    throw new FhirError(404, 'not-found', `DocumentReference/${id} does not exist.`);
  }
  return fhirJson(present(entry, ctx), 200, { etag: `W/"${entry.versionId}"` });
}
