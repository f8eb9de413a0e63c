/**
 * The sandbox's FHIR API as a pure `(Request) => Promise<Response>`: the same function serves
 * HTTP in Node and runs inside a page (memory store) for Storybook and element tests.
 */
import { readAppointment, searchAppointments } from './agenda/read.js';
import { conditionalUpdateAppointment, createAppointment, updateAppointment } from './agenda/write.js';
import { authenticate } from './auth.js';
import { FHIR_MEDIA_TYPES, readJsonBody, type BodyRules } from './body.js';
import { capabilityStatement } from './capability.js';
import type { FhirContext } from './context.js';
import { simplifiedPublish } from './documents/publish.js';
import { readDocument, retrieveDocument } from './documents/retrieve.js';
import { searchDocuments } from './documents/search.js';
import { patchDocument } from './documents/update.js';
import { readObservation, searchObservations } from './measures/read.js';
import { FhirError, fhirJson } from './outcome.js';
import { handleTransaction } from './transaction.js';

export type FhirHandler = (request: Request) => Promise<Response>;

/** Room for a resource's metadata around its documents, and for any body without a document. */
const METADATA_BYTES = 1_000_000;
/** MES's limit for bundles is not published; this many documents of the largest size fit in one. */
const DOCUMENTS_PER_BUNDLE = 4;
const base64Length = (bytes: number) => Math.ceil(bytes / 3) * 4;

/** What each route reads: a document inline (ITI-105) or a few in a Bundle (ITI-65), else metadata only. */
function bodyRules(resource: string, ctx: FhirContext): BodyRules {
  const document = base64Length(ctx.config.maxDocumentBytes);
  const limit =
    resource === 'DocumentReference'
      ? document + METADATA_BYTES
      : resource === 'Bundle'
        ? DOCUMENTS_PER_BUNDLE * document + METADATA_BYTES
        : METADATA_BYTES;
  return { mediaTypes: FHIR_MEDIA_TYPES, limit, resource };
}

const notSupported = (method: string, path: string) =>
  new FhirError(405, 'not-supported', `${method} ${path} is not supported by Mon espace santé.`);

async function route(request: Request, url: URL, path: string, ctx: FhirContext): Promise<Response> {
  const { method } = request;
  if (path === '/metadata' && method === 'GET') {
    return fhirJson(capabilityStatement(ctx.fhirBase, ctx.config.idTokenHeader));
  }
  // Before any body is read: a caller without valid tokens costs no more than its headers.
  const caller = await authenticate(request, ctx);
  const [, type, id, extra] = path.split('/');
  const readJson = () => readJsonBody(request, bodyRules(type || 'Bundle', ctx));
  if (path === '' || path === '/') {
    if (method !== 'POST') throw notSupported(method, '/fhir');
    return handleTransaction(await readJson(), caller, ctx);
  }
  if (type === 'DocumentReference' && extra === undefined) {
    if (id === undefined && method === 'GET') return searchDocuments(url, caller, ctx);
    if (id === undefined && method === 'POST') return simplifiedPublish(await readJson(), request, caller, ctx);
    if (id === undefined && method === 'PATCH') return patchDocument(url, request, caller, ctx);
    if (id !== undefined && method === 'GET') return readDocument(id, caller, ctx);
  }
  if (type === 'Appointment' && extra === undefined) {
    if (id === undefined && method === 'GET') return searchAppointments(url, caller, ctx);
    if (id === undefined && method === 'POST') return createAppointment(await readJson(), request, caller, ctx);
    if (id === undefined && method === 'PUT') {
      return conditionalUpdateAppointment(url, await readJson(), caller, ctx);
    }
    if (id !== undefined && method === 'GET') return readAppointment(id, caller, ctx);
    if (id !== undefined && method === 'PUT') return updateAppointment(id, await readJson(), caller, ctx);
  }
  if (type === 'Observation' && extra === undefined && method === 'GET') {
    return id === undefined ? searchObservations(url, caller, ctx) : readObservation(id, caller, ctx);
  }
  if (type === 'Binary' && id !== undefined && extra === undefined && method === 'GET') {
    return retrieveDocument(id, caller, ctx);
  }
  throw notSupported(method, `/fhir${path}`);
}

export function createFhirHandler(ctx: FhirContext): FhirHandler {
  return async (request) => {
    const url = new URL(request.url);
    const path = url.pathname.replace(/^\/fhir/, '');
    try {
      return await route(request, url, path, ctx);
    } catch (error) {
      if (error instanceof FhirError) return error.toResponse();
      ctx.reportError?.(error);
      // Nothing partial is left behind (writes are transactions); say so without leaking internals.
      return new FhirError(500, 'exception', 'Internal error; nothing was stored.').toResponse();
    }
  };
}
