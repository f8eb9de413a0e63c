/**
 * Documents as MES takes them from a referenced service, per IHE MHD / ANS PDSm:
 * ITI-65 (transaction), ITI-105 (simplified publish), ITI-67 (search), ITI-68 (retrieve) and the
 * conditional PATCH of metadata.
 * @see https://interop.esante.gouv.fr/ig/fhir/pdsm/construction_des_flux.html
 */
import {
  DOCUMENT_MEDIA_TYPES,
  DocumentReferenceSchema,
  documentMediaType,
  hasSignatureOf,
  IDPE_SYSTEM,
  INS_NIR_TEST_SYSTEM,
  IS_ARCHIVED_EXTENSION,
  MHD_LIST_TYPES,
  SubmissionSetSchema,
  base64ToBytes,
  sha1Base64,
  type DocumentReference,
  type FhirResource,
  type Reference,
  type TransactionEntry,
} from '@mes-kit/core';
import jsonPatch, { type Operation } from 'fast-json-patch';
import { personaByIdentifier } from '../personas.js';
import type { StoredResource } from '../store/store.js';
import { idPeMismatch, requireFinality, type Caller } from './auth.js';
import type { FhirContext } from './context.js';
import { FhirError, fhirJson, invalid } from './outcome.js';
import { parseOr422 } from './validation.js';

export const WRITE = 'DOC_ECRITURE';
export const READ = 'DOC_LECTURE';

/** A document's bytes, checked against its metadata (format, size, SHA-1) before anything is stored. */
async function checkContent(doc: DocumentReference, bytes: Uint8Array, prefix: string, ctx: FhirContext) {
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

/**
 * Every persona a patient reference designates, through its identifier, a literal `Patient/<idPe>`,
 * or the identifiers of a contained Patient. More than one, or none, cannot be the caller alone.
 */
function personasOf(reference: Reference, contained: FhirResource[] | undefined): Set<string | undefined> {
  const identifiers: { system?: string; value?: string }[] = [];
  if (reference.identifier) identifiers.push(reference.identifier);
  const target = reference.reference;
  if (target?.startsWith('Patient/')) identifiers.push({ system: IDPE_SYSTEM, value: target.slice('Patient/'.length) });
  if (target?.startsWith('#')) {
    const patient = contained?.find((r) => r.resourceType === 'Patient' && r.id === target.slice(1));
    if (!patient) return new Set([undefined]);
    const own = patient['identifier'];
    if (Array.isArray(own)) identifiers.push(...(own as { system?: string; value?: string }[]));
  }
  // Identifiers of systems MES does not match on (a local MRN…) say nothing either way.
  const known = identifiers.filter((i) => personaByIdentifier(i) !== undefined || isPatientSystem(i.system));
  return new Set(known.length === 0 ? [undefined] : known.map((i) => personaByIdentifier(i)?.key));
}

function isPatientSystem(system: string | undefined): boolean {
  const bare = (system ?? '').replace(/^urn:oid:/, '');
  return [IDPE_SYSTEM, INS_NIR_TEST_SYSTEM].some((s) => s.replace(/^urn:oid:/, '') === bare);
}

function designatesOnly(reference: Reference, contained: FhirResource[] | undefined, persona: string): boolean {
  const personas = personasOf(reference, contained);
  return personas.size === 1 && personas.has(persona);
}

/** A document must be the caller's patient's, whether named by idPe or by INS (403 otherwise, as MES). */
function checkPatient(doc: DocumentReference, caller: Caller, prefix: string) {
  const references: [string, Reference | undefined][] = [
    [`${prefix}.subject`, doc.subject],
    [`${prefix}.context.sourcePatientInfo`, doc.context?.sourcePatientInfo],
  ];
  for (const [expression, reference] of references) {
    if (reference && !designatesOnly(reference, doc.contained, caller.persona.key)) throw idPeMismatch(expression);
  }
}

function parseIdentifierQuery(query: string, expression: string): { system: string; value: string } {
  const token = new URLSearchParams(query).get('identifier') ?? '';
  const bar = token.indexOf('|');
  if (bar <= 0 || bar === token.length - 1) {
    throw invalid(expression, `${expression} must be identifier=<system>|<value>.`);
  }
  return { system: token.slice(0, bar), value: token.slice(bar + 1) };
}

function stamp<R extends FhirResource>(resource: R, id: string, versionId: number, now: Date): R {
  const meta = {
    ...(resource['meta'] as object | undefined),
    versionId: String(versionId),
    lastUpdated: now.toISOString(),
  };
  return { ...resource, id, meta };
}

function entryResponse(entry: StoredResource, created: boolean) {
  return {
    response: {
      status: created ? '201 Created' : '200 OK',
      location: `${entry.type}/${entry.id}/_history/${entry.versionId}`,
      etag: `W/"${entry.versionId}"`,
      lastModified: entry.lastUpdated,
    },
  };
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

function findReplaced(doc: DocumentReference, caller: Caller, ctx: FhirContext, prefix: string): StoredResource[] {
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

function supersede(target: StoredResource, now: Date, ctx: FhirContext) {
  const versionId = target.versionId + 1;
  ctx.store.put({
    ...target,
    versionId,
    lastUpdated: now.toISOString(),
    resource: stamp({ ...target.resource, status: 'superseded' }, target.id, versionId, now),
  });
}

interface PlannedDocument {
  index: number;
  doc: DocumentReference;
  binaryUrl: string;
  /** From `request.ifNoneExist`: the identifier that, if already stored, makes this entry a no-op. */
  conditional?: { system: string; value: string };
  existing?: StoredResource;
  replaces: StoredResource[];
}

/**
 * Decides, inside the write transaction, whether a document is already there: concurrent retries
 * of one bundle then find each other's writes instead of both creating the document.
 */
function resolveExisting(plan: PlannedDocument, persona: string, prefix: string, ctx: FhirContext) {
  const { system, value } = plan.doc.masterIdentifier;
  plan.existing = plan.conditional
    ? ctx.store.findByIdentifier(persona, 'DocumentReference', plan.conditional.system, plan.conditional.value)
    : undefined;
  if (!plan.existing && ctx.store.findByIdentifier(persona, 'DocumentReference', system, value)) {
    throw invalid(
      `${prefix}.masterIdentifier`,
      `${prefix}.masterIdentifier is already used by another document of this patient.`,
    );
  }
}

/** ITI-65 Provide Document Bundle: SubmissionSet + DocumentReference(s) + Binary(ies), all or nothing. */
export async function provideDocumentBundle(
  entries: TransactionEntry[],
  caller: Caller,
  ctx: FhirContext,
): Promise<Response> {
  requireFinality(caller, WRITE);
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
  if (submissionSet.subject && !designatesOnly(submissionSet.subject, submissionSet.contained, caller.persona.key)) {
    throw idPeMismatch(`${at(listIndex)}.subject`);
  }

  const binaries = new Map<string, { index: number; bytes: Uint8Array; contentType: string }>();
  entries.forEach((entry, i) => {
    if (entry.resource.resourceType !== 'Binary') return;
    const { contentType, data } = entry.resource as { contentType?: unknown; data?: unknown };
    if (typeof contentType !== 'string' || typeof data !== 'string') {
      throw invalid(at(i), `${at(i)} must have a contentType and base64 data.`);
    }
    let bytes: Uint8Array;
    try {
      bytes = base64ToBytes(data);
    } catch {
      throw invalid(`${at(i)}.data`, `${at(i)}.data is not valid base64.`);
    }
    binaries.set(entry.fullUrl!, { index: i, bytes, contentType });
  });

  const planned: PlannedDocument[] = [];
  const masterIds = new Set<string>();
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
      conditional: ifNoneExist
        ? parseIdentifierQuery(ifNoneExist, `Bundle.entry[${i}].request.ifNoneExist`)
        : undefined,
      replaces: [],
    };
    resolveExisting(plan, caller.persona.key, prefix, ctx);
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
    if (!planned.some((p) => p.binaryUrl === url)) {
      throw invalid(at(binary.index), `${at(binary.index)} is not referenced by any DocumentReference.`);
    }
  }

  const now = ctx.now();
  const responses = new Map<number, object>();
  const references = new Map<string, string>();
  const persona = caller.persona.key;
  ctx.store.transaction(() => {
    for (const plan of planned) {
      resolveExisting(plan, persona, at(plan.index), ctx);
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
      const id = crypto.randomUUID();
      const doc = structuredClone(plan.doc);
      doc.content[0].attachment.url = `Binary/${binaryId}`;
      const stored: StoredResource = {
        type: 'DocumentReference',
        id,
        persona,
        versionId: 1,
        lastUpdated: now.toISOString(),
        resource: stamp(doc, id, 1, now),
      };
      ctx.store.put(stored);
      for (const target of plan.replaces) supersede(target, now, ctx);
      references.set(entries[plan.index].fullUrl!, `DocumentReference/${id}`);
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
      const id = crypto.randomUUID();
      const list = structuredClone(submissionSet);
      for (const item of list.entry ?? []) {
        const resolved = item.item.reference && references.get(item.item.reference);
        if (resolved) item.item.reference = resolved;
      }
      const stored: StoredResource = {
        type: 'List',
        id,
        persona,
        versionId: 1,
        lastUpdated: now.toISOString(),
        resource: stamp(list, id, 1, now),
      };
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

/** ITI-105 Simplified Publish: one DocumentReference with its document inline. */
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
    const { system, value } = parseIdentifierQuery(conditional, 'If-None-Exist');
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

/** ITI-68 Retrieve Document: the bytes, with their media type. */
export function retrieveDocument(id: string, caller: Caller, ctx: FhirContext): Response {
  requireFinality(caller, READ);
  const binary = ctx.store.getBinary(id);
  // Another patient's document is as absent as a missing one: existence is not disclosed.
  if (!binary || binary.persona !== caller.persona.key)
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
  requireFinality(caller, READ);
  const entry = ctx.store.get('DocumentReference', id);
  if (!entry || entry.persona !== caller.persona.key) {
    throw new FhirError(404, 'not-found', `DocumentReference/${id} does not exist.`);
  }
  return fhirJson(present(entry, ctx), 200, { etag: `W/"${entry.versionId}"` });
}

const isArchived = (extension: unknown) => (extension as { url?: unknown } | undefined)?.url === IS_ARCHIVED_EXTENSION;

/** Whether a JSON Patch operation touches only what PDSm lets a producer change. */
function isAllowedChange(op: Operation, extensions: unknown[]): boolean {
  const { path } = op;
  if ('from' in op || typeof path !== 'string') return false;
  if (path === '/status' || path === '/securityLabel' || path.startsWith('/securityLabel/')) return true;
  const value = (op as { value?: unknown }).value;
  if (path === '/extension') {
    return extensions.every(isArchived) && (op.op === 'remove' || (Array.isArray(value) && value.every(isArchived)));
  }
  const [, index, rest] = /^\/extension\/(\d+|-)(\/.*)?$/.exec(path) ?? [];
  if (index === undefined) return false;
  if (index === '-' || (op.op === 'add' && rest === undefined)) return isArchived(value);
  if (!isArchived(extensions[Number(index)])) return false;
  if (rest === undefined) return op.op === 'remove' || isArchived(value);
  return rest === '/valueBoolean' && op.op !== 'remove';
}

const OPERATION = /^(add|remove|replace|test|move|copy)$/;

/** Conditional PATCH of a document's metadata: status, securityLabel and isArchived only (PDSm flux 03/04). */
export async function patchDocument(url: URL, request: Request, caller: Caller, ctx: FhirContext) {
  requireFinality(caller, WRITE);
  const query = url.searchParams.get('identifier');
  if (!query) throw invalid('identifier', 'PATCH needs ?identifier=<system>|<value>.');
  const { system, value } = parseIdentifierQuery(`identifier=${encodeURIComponent(query)}`, 'identifier');
  if (!/^application\/json-patch\+json\b/.test(request.headers.get('content-type') ?? '')) {
    throw new FhirError(415, 'not-supported', 'PATCH takes application/json-patch+json.');
  }
  let operations: unknown;
  try {
    operations = await request.json();
  } catch {
    throw new FhirError(400, 'structure', 'The body is not valid JSON.');
  }
  if (!Array.isArray(operations) || operations.length === 0) {
    throw new FhirError(400, 'structure', 'The body must be a non-empty JSON Patch array.');
  }
  const entry = ctx.store.findByIdentifier(caller.persona.key, 'DocumentReference', system, value);
  if (!entry) throw new FhirError(404, 'not-found', 'No document of this patient has this identifier.');
  // Each operation is checked against the document as the previous ones left it: indices shift.
  let patched: FhirResource = structuredClone(entry.resource);
  for (const [i, op] of (operations as unknown[]).entries()) {
    if (
      typeof op !== 'object' ||
      op === null ||
      typeof (op as Operation).path !== 'string' ||
      !OPERATION.test(String((op as Operation).op))
    ) {
      throw new FhirError(400, 'structure', `operation ${i} is not a JSON Patch operation.`);
    }
    const operation = op as Operation;
    if (!isAllowedChange(operation, (patched['extension'] as unknown[] | undefined) ?? [])) {
      throw new FhirError(
        405,
        'not-supported',
        `operation ${i}: only status, securityLabel and the isArchived extension may change.`,
        {
          expression: `DocumentReference${operation.path.replaceAll('/', '.')}`,
        },
      );
    }
    try {
      patched = jsonPatch.applyOperation(patched, operation, true, true, false).newDocument;
    } catch (error) {
      throw new FhirError(422, 'processing', `operation ${i} cannot be applied: ${(error as Error).name}.`);
    }
  }
  const doc = parseOr422(DocumentReferenceSchema, patched, 'DocumentReference');
  const now = ctx.now();
  const versionId = entry.versionId + 1;
  const updated: StoredResource = {
    ...entry,
    versionId,
    lastUpdated: now.toISOString(),
    resource: stamp(doc, entry.id, versionId, now),
  };
  ctx.store.put(updated);
  return fhirJson(present(updated, ctx), 200, { etag: `W/"${versionId}"` });
}
