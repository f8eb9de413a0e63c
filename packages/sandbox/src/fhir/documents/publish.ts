/** ITI-105 Simplified Publish: one DocumentReference with its document inline, If-None-Exist honoured. */
import { DocumentReferenceSchema, SEND_DOCUMENT_FINALITY } from '@mes-kit/core';
import { requireFinality, type Caller } from '../auth.js';
import type { FhirContext } from '../context.js';
import { fhirJson, invalid } from '../outcome.js';
import { identifierCondition } from '../search.js';
import { parseOr422 } from '../validation.js';
import { firstVersion } from '../versions.js';
import {
  checkContent,
  checkPatient,
  decodeData,
  existingDocument,
  findReplaced,
  present,
  supersede,
} from './common.js';

export async function simplifiedPublish(body: unknown, request: Request, caller: Caller, ctx: FhirContext) {
  requireFinality(caller, SEND_DOCUMENT_FINALITY);
  const doc = parseOr422(DocumentReferenceSchema, body, 'DocumentReference');
  checkPatient(doc, caller, 'DocumentReference');
  const attachment = doc.content[0].attachment;
  if (attachment.data === undefined) {
    throw invalid(
      'DocumentReference.content[0].attachment.data',
      'DocumentReference.content[0].attachment.data is required (ITI-105 sends the document inline).',
    );
  }
  const bytes = decodeData(attachment.data, 'DocumentReference.content[0].attachment.data');
  await checkContent(doc, bytes, 'DocumentReference', ctx);

  const persona = caller.persona.key;
  const header = request.headers.get('if-none-exist');
  const conditional = header ? identifierCondition(header, 'If-None-Exist') : undefined;
  const existing = existingDocument(doc, conditional, persona, 'DocumentReference', ctx);
  if (existing) {
    return fhirJson(present(existing, ctx), 200, { location: `${ctx.fhirBase}/DocumentReference/${existing.id}` });
  }
  const replaces = findReplaced(doc, caller, ctx, 'DocumentReference');
  const now = ctx.now();
  const binaryId = crypto.randomUUID();
  const stored = structuredClone(doc);
  delete stored.content[0].attachment.data;
  stored.content[0].attachment.url = `Binary/${binaryId}`;
  const entry = firstVersion('DocumentReference', persona, stored, now);
  ctx.store.transaction(() => {
    ctx.store.putBinary({ id: binaryId, persona, contentType: attachment.contentType, data: bytes });
    ctx.store.put(entry);
    for (const target of replaces) supersede(target, now, ctx);
  });
  return fhirJson(present(entry, ctx), 201, {
    location: `${ctx.fhirBase}/DocumentReference/${entry.id}/_history/1`,
    etag: 'W/"1"',
  });
}
