/** ITI-105 Simplified Publish: one DocumentReference with its document inline, If-None-Exist honoured. */
import { DocumentReferenceSchema, base64ToBytes } from '@mes-kit/core';
import type { StoredResource } from '../../store/store.js';
import { requireFinality, type Caller } from '../auth.js';
import type { FhirContext } from '../context.js';
import { fhirJson, invalid } from '../outcome.js';
import { identifierCondition } from '../search.js';
import { parseOr422 } from '../validation.js';
import { stamp } from '../versions.js';
import { WRITE, checkContent, checkPatient, findReplaced, present, supersede } from './common.js';

export async function simplifiedPublish(body: unknown, request: Request, caller: Caller, ctx: FhirContext) {
  requireFinality(caller, WRITE);
  const doc = parseOr422(DocumentReferenceSchema, body, 'DocumentReference');
  checkPatient(doc, caller, 'DocumentReference');
  const attachment = doc.content[0].attachment;
  if (attachment.data === undefined) {
    throw invalid(
      'DocumentReference.content[0].attachment.data',
      'DocumentReference.content[0].attachment.data is required (ITI-105 sends the document inline).',
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = base64ToBytes(attachment.data);
  } catch {
    throw invalid(
      'DocumentReference.content[0].attachment.data',
      'DocumentReference.content[0].attachment.data is not valid base64.',
    );
  }
  await checkContent(doc, bytes, 'DocumentReference', ctx);

  const persona = caller.persona.key;
  const conditional = request.headers.get('if-none-exist');
  if (conditional) {
    const { system, value } = identifierCondition(conditional, 'If-None-Exist');
    const existing = ctx.store.findByIdentifier(persona, 'DocumentReference', system, value);
    if (existing)
      return fhirJson(present(existing, ctx), 200, { location: `${ctx.fhirBase}/DocumentReference/${existing.id}` });
  }
  if (
    ctx.store.findByIdentifier(persona, 'DocumentReference', doc.masterIdentifier.system, doc.masterIdentifier.value)
  ) {
    throw invalid(
      'DocumentReference.masterIdentifier',
      'DocumentReference.masterIdentifier is already used by another document of this patient.',
    );
  }
  const replaces = findReplaced(doc, caller, ctx, 'DocumentReference');
  const now = ctx.now();
  const id = crypto.randomUUID();
  const binaryId = crypto.randomUUID();
  const stored = structuredClone(doc);
  delete stored.content[0].attachment.data;
  stored.content[0].attachment.url = `Binary/${binaryId}`;
  const entry: StoredResource = {
    type: 'DocumentReference',
    id,
    persona,
    versionId: 1,
    lastUpdated: now.toISOString(),
    resource: stamp(stored, id, 1, now),
  };
  ctx.store.transaction(() => {
    ctx.store.putBinary({ id: binaryId, persona, contentType: attachment.contentType, data: bytes });
    ctx.store.put(entry);
    for (const target of replaces) supersede(target, now, ctx);
  });
  return fhirJson(present(entry, ctx), 201, {
    location: `${ctx.fhirBase}/DocumentReference/${id}/_history/1`,
    etag: 'W/"1"',
  });
}
