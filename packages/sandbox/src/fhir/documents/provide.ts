/**
 * ITI-65 Provide Document Bundle (PDSm flux 01/02): one SubmissionSet, its DocumentReferences and
 * their Binaries, stored all or nothing; retries carrying `ifNoneExist` find what was stored.
 * @see https://interop.esante.gouv.fr/ig/fhir/pdsm/construction_des_flux.html
 */
import {
  DocumentReferenceSchema,
  MHD_LIST_TYPES,
  SEND_DOCUMENT_FINALITY,
  SubmissionSetSchema,
  type DocumentReference,
  type Reference,
  type TransactionEntry,
} from '@mes-kit/core';
import type { StoredResource } from '../../store/store.js';
import { idPeMismatch, requireFinality, type Caller } from '../auth.js';
import type { FhirContext } from '../context.js';
import { fhirJson, invalid } from '../outcome.js';
import { designatesOnly } from '../patient.js';
import { identifierCondition } from '../search.js';
import type { TransactionKind } from '../transaction.js';
import { parseOr422 } from '../validation.js';
import { entryResponse, firstVersion } from '../versions.js';
import { checkContent, checkPatient, decodeData, existingDocument, findReplaced, supersede } from './common.js';

interface PlannedDocument {
  index: number;
  doc: DocumentReference;
  binaryUrl: string;
  /** From `request.ifNoneExist`: the identifier that, if already stored, makes this entry a no-op. */
  conditional?: { system: string; value: string };
  existing?: StoredResource;
  replaces: StoredResource[];
}

/** ITI-65 Provide Document Bundle: SubmissionSet + DocumentReference(s) + Binary(ies), all or nothing. */
async function provideDocumentBundle(entries: TransactionEntry[], caller: Caller, ctx: FhirContext): Promise<Response> {
  requireFinality(caller, SEND_DOCUMENT_FINALITY);
  const at = (i: number) => `Bundle.entry[${i}].resource`;
  const fullUrls = new Set<string>();
  entries.forEach((entry, i) => {
    const { fullUrl } = entry;
    if (!fullUrl?.startsWith('urn:uuid:') || fullUrls.has(fullUrl)) {
      throw invalid(`Bundle.entry[${i}].fullUrl`, `Bundle.entry[${i}].fullUrl must be a unique urn:uuid.`);
    }
    fullUrls.add(fullUrl);
  });

  const lists = entries.flatMap((e, i) => (e.resource.resourceType === 'List' ? [i] : []));
  if (lists.length !== 1) {
    throw invalid('Bundle.entry', 'An ITI-65 Bundle must contain exactly one SubmissionSet List.');
  }
  const listIndex = lists[0];
  const submissionSet = parseOr422(SubmissionSetSchema, entries[listIndex].resource, at(listIndex));
  if (!submissionSet.code.coding.some((c) => c.system === MHD_LIST_TYPES && c.code === 'submissionset')) {
    throw invalid(`${at(listIndex)}.code`, `${at(listIndex)}.code must be ${MHD_LIST_TYPES}#submissionset.`);
  }
  if (
    submissionSet.subject &&
    !designatesOnly(submissionSet.subject, submissionSet.contained, `${at(listIndex)}.contained`, caller.persona.key)
  ) {
    throw idPeMismatch(`${at(listIndex)}.subject`);
  }

  const binaries = new Map<string, { index: number; bytes: Uint8Array; contentType: string }>();
  entries.forEach((entry, i) => {
    if (entry.resource.resourceType !== 'Binary') return;
    const { contentType, data } = entry.resource as { contentType?: unknown; data?: unknown };
    if (typeof contentType !== 'string' || typeof data !== 'string') {
      throw invalid(at(i), `${at(i)} must have a contentType and base64 data.`);
    }
    binaries.set(entry.fullUrl!, { index: i, bytes: decodeData(data, `${at(i)}.data`), contentType });
  });

  const planned: PlannedDocument[] = [];
  const masterIds = new Set<string>();
  const claimed = new Set<string>();
  for (const [i, entry] of entries.entries()) {
    if (entry.resource.resourceType !== 'DocumentReference') continue;
    const prefix = at(i);
    const doc = parseOr422(DocumentReferenceSchema, entry.resource, prefix);
    checkPatient(doc, caller, prefix);
    const binaryUrl = doc.content[0].attachment.url ?? '';
    const binary = binaries.get(binaryUrl);
    if (!binary) {
      throw invalid(
        `${prefix}.content[0].attachment.url`,
        `${prefix}.content[0].attachment.url must reference a Binary of this Bundle.`,
      );
    }
    // One Binary per DocumentReference (MHD ITI-65): a Binary shared by many would be stored many times.
    if (claimed.has(binaryUrl)) {
      throw invalid(
        `${prefix}.content[0].attachment.url`,
        `${prefix}.content[0].attachment.url references a Binary another DocumentReference of this Bundle already references.`,
      );
    }
    claimed.add(binaryUrl);
    if (binary.contentType !== doc.content[0].attachment.contentType) {
      throw invalid(
        `${at(binary.index)}.contentType`,
        `${at(binary.index)}.contentType must match the DocumentReference's attachment.contentType.`,
      );
    }
    await checkContent(doc, binary.bytes, prefix, ctx);

    const master = `${doc.masterIdentifier.system}|${doc.masterIdentifier.value}`;
    if (masterIds.has(master)) {
      throw invalid(`${prefix}.masterIdentifier`, `${prefix}.masterIdentifier appears twice in this Bundle.`);
    }
    masterIds.add(master);
    const ifNoneExist = entry.request.ifNoneExist;
    const plan: PlannedDocument = {
      index: i,
      doc,
      binaryUrl,
      conditional: ifNoneExist ? identifierCondition(ifNoneExist, `Bundle.entry[${i}].request.ifNoneExist`) : undefined,
      replaces: [],
    };
    plan.existing = existingDocument(doc, plan.conditional, caller.persona.key, prefix, ctx);
    if (!plan.existing) plan.replaces = findReplaced(doc, caller, ctx, prefix);
    planned.push(plan);
  }
  if (planned.length === 0) {
    throw invalid('Bundle.entry', 'An ITI-65 Bundle must contain at least one DocumentReference.');
  }
  const documentUrls = new Set(planned.map((p) => entries[p.index].fullUrl));
  (submissionSet.entry ?? []).forEach(({ item }, i) => {
    const target = item.reference ?? '';
    const stored = target.startsWith('DocumentReference/') && ctx.store.get('DocumentReference', target.slice(18));
    if (!documentUrls.has(target) && !(stored && stored.persona === caller.persona.key)) {
      const expression = `${at(listIndex)}.entry[${i}].item`;
      throw invalid(expression, `${expression} must reference a DocumentReference of this Bundle or of this patient.`);
    }
  });
  for (const [url, binary] of binaries) {
    if (!claimed.has(url)) {
      throw invalid(at(binary.index), `${at(binary.index)} is not referenced by any DocumentReference.`);
    }
  }

  const now = ctx.now();
  const responses = new Map<number, object>();
  const references = new Map<string, string>();
  const persona = caller.persona.key;
  ctx.store.transaction(() => {
    for (const plan of planned) {
      // Decided again inside the write transaction: concurrent retries of one bundle then find each
      // other's writes instead of both creating the document.
      plan.existing = existingDocument(plan.doc, plan.conditional, persona, at(plan.index), ctx);
      const binary = binaries.get(plan.binaryUrl)!;
      if (plan.existing) {
        references.set(entries[plan.index].fullUrl!, `DocumentReference/${plan.existing.id}`);
        responses.set(plan.index, entryResponse(plan.existing, false));
        const storedBinary = (plan.existing.resource as DocumentReference).content[0].attachment.url;
        responses.set(binary.index, { response: { status: '200 OK', location: storedBinary } });
        continue;
      }
      const binaryId = crypto.randomUUID();
      ctx.store.putBinary({ id: binaryId, persona, contentType: binary.contentType, data: binary.bytes });
      responses.set(binary.index, {
        response: { status: '201 Created', location: `Binary/${binaryId}`, lastModified: now.toISOString() },
      });
      const doc = structuredClone(plan.doc);
      doc.content[0].attachment.url = `Binary/${binaryId}`;
      const stored = firstVersion('DocumentReference', persona, doc, now);
      ctx.store.put(stored);
      for (const target of plan.replaces) supersede(target, now, ctx);
      references.set(entries[plan.index].fullUrl!, `DocumentReference/${stored.id}`);
      responses.set(plan.index, entryResponse(stored, true));
    }

    // A replayed submission whose documents all exist already does not make a second SubmissionSet.
    const replayOf = planned.every((p) => p.existing)
      ? ctx.store
          .list(persona, 'List')
          .find((list) =>
            ((list.resource['entry'] as { item: Reference }[] | undefined) ?? []).some(
              (e) => e.item.reference === references.get(entries[planned[0].index].fullUrl!),
            ),
          )
      : undefined;
    if (replayOf) {
      responses.set(listIndex, entryResponse(replayOf, false));
    } else {
      const list = structuredClone(submissionSet);
      for (const item of list.entry ?? []) {
        const resolved = item.item.reference && references.get(item.item.reference);
        if (resolved) item.item.reference = resolved;
      }
      const stored = firstVersion('List', persona, list, now);
      ctx.store.put(stored);
      responses.set(listIndex, entryResponse(stored, true));
    }
  });

  return fhirJson({
    resourceType: 'Bundle',
    type: 'transaction-response',
    entry: entries.map((_, i) => responses.get(i)),
  });
}

export const documentSubmission: TransactionKind = {
  description: 'a document submission (one List SubmissionSet, DocumentReference and Binary resources)',
  resourceTypes: ['List', 'DocumentReference', 'Binary'],
  handle: provideDocumentBundle,
};
