/**
 * What every document interaction shares: the finalités, the checks of a document's patient and
 * bytes, how a stored document is presented, and how a new one supersedes those it replaces.
 */
import {
  DOCUMENT_MEDIA_TYPES,
  VISIBILITY_SYSTEM,
  base64ToBytes,
  documentMediaType,
  hasSignatureOf,
  sha1Base64,
  type DocumentReference,
  type FhirResource,
  type Reference,
} from '@mes-kit/core';
import type { StoredResource } from '../../store/store.js';
import { idPeMismatch, type Caller } from '../auth.js';
import type { FhirContext } from '../context.js';
import { FhirError, invalid } from '../outcome.js';
import { designatesOnly } from '../patient.js';
import { nextVersion } from '../versions.js';

/**
 * Hidden from the patient (INVISIBLE_PATIENT: a diagnosis not yet announced), so from the services
 * acting for them too, as in their MES.
 */
export function hiddenFromPatient(doc: DocumentReference): boolean {
  return (doc.securityLabel ?? []).some((label) =>
    label.coding.some((coding) => coding.system === VISIBILITY_SYSTEM && coding.code === 'INVISIBLE_PATIENT'),
  );
}

/** A document's base64 bytes, or MES's 422 naming where they are. */
export function decodeData(data: string, expression: string): Uint8Array {
  try {
    return base64ToBytes(data);
  } catch {
    throw invalid(expression, `${expression} is not valid base64.`);
  }
}

/** A document's bytes, checked against its metadata (format, size, SHA-1) before anything is stored. */
export async function checkContent(doc: DocumentReference, bytes: Uint8Array, prefix: string, ctx: FhirContext) {
  const attachment = doc.content[0].attachment;
  const at = `${prefix}.content[0].attachment`;
  if (bytes.length > ctx.config.maxDocumentBytes) {
    throw new FhirError(
      413,
      'too-costly',
      `${at}: the document is ${bytes.length} bytes; Mon espace santé accepts at most ${ctx.config.maxDocumentBytes}.`,
      { expression: `${at}.size` },
    );
  }
  const mediaType = Object.hasOwn(DOCUMENT_MEDIA_TYPES, attachment.contentType)
    ? documentMediaType(attachment.contentType)
    : undefined;
  if (!mediaType) {
    throw new FhirError(
      422,
      'not-supported',
      `${at}.contentType ${attachment.contentType} is not accepted; use one of ${Object.keys(DOCUMENT_MEDIA_TYPES).join(', ')}.`,
      { expression: `${at}.contentType` },
    );
  }
  if (!hasSignatureOf(mediaType, bytes)) {
    throw invalid(`${at}.contentType`, `${at}: the content is not ${attachment.contentType}.`);
  }
  if (attachment.size === undefined || attachment.size !== bytes.length) {
    throw invalid(`${at}.size`, `${at}.size must be the document's size in bytes (${bytes.length}).`);
  }
  const hash = await sha1Base64(bytes);
  if (attachment.hash !== hash) {
    throw invalid(`${at}.hash`, `${at}.hash must be the base64 SHA-1 of the document.`);
  }
}

/** A document must be the caller's patient's, whether named by idPe or by INS (403 otherwise, as MES). */
export function checkPatient(doc: DocumentReference, caller: Caller, prefix: string) {
  const references: [string, Reference | undefined][] = [
    [`${prefix}.subject`, doc.subject],
    [`${prefix}.context.sourcePatientInfo`, doc.context?.sourcePatientInfo],
  ];
  for (const [expression, reference] of references) {
    if (reference && !designatesOnly(reference, doc.contained, `${prefix}.contained`, caller.persona.key))
      throw idPeMismatch(expression);
  }
}

/** The stored document as a service reads it: `attachment.url` absolute, so ITI-68 can follow it. */
export function present(entry: StoredResource, ctx: FhirContext): FhirResource {
  if (entry.type !== 'DocumentReference') return entry.resource;
  const doc = structuredClone(entry.resource) as DocumentReference;
  for (const content of doc.content) {
    if (content.attachment.url?.startsWith('Binary/')) {
      content.attachment.url = `${ctx.fhirBase}/${content.attachment.url}`;
    }
  }
  return doc;
}

/**
 * The document stored under the send's condition (`ifNoneExist`, `If-None-Exist`), if there is one;
 * otherwise a master identifier this patient already uses is refused (422).
 */
export function existingDocument(
  doc: DocumentReference,
  conditional: { system: string; value: string } | undefined,
  persona: string,
  prefix: string,
  ctx: FhirContext,
): StoredResource | undefined {
  const existing = conditional
    ? ctx.store.findByIdentifier(persona, 'DocumentReference', conditional.system, conditional.value)
    : undefined;
  const { system, value } = doc.masterIdentifier;
  if (!existing && ctx.store.findByIdentifier(persona, 'DocumentReference', system, value)) {
    throw invalid(
      `${prefix}.masterIdentifier`,
      `${prefix}.masterIdentifier is already used by another document of this patient.`,
    );
  }
  return existing;
}

export function findReplaced(
  doc: DocumentReference,
  caller: Caller,
  ctx: FhirContext,
  prefix: string,
): StoredResource[] {
  return (doc.relatesTo ?? [])
    .map((relation, i) => ({ relation, expression: `${prefix}.relatesTo[${i}].target` }))
    .filter(({ relation }) => relation.code === 'replaces')
    .map(({ relation, expression }) => {
      const { reference, identifier } = relation.target;
      const target = reference?.startsWith('DocumentReference/')
        ? ctx.store.get('DocumentReference', reference.slice('DocumentReference/'.length))
        : identifier?.system && identifier.value
          ? ctx.store.findByIdentifier(caller.persona.key, 'DocumentReference', identifier.system, identifier.value)
          : undefined;
      if (!target || target.persona !== caller.persona.key) {
        throw invalid(expression, `${expression} does not designate a document of this patient.`);
      }
      return target;
    });
}

export function supersede(target: StoredResource, now: Date, ctx: FhirContext) {
  ctx.store.put(nextVersion(target, { ...target.resource, status: 'superseded' }, now));
}
