/**
 * « Importer depuis Mon espace santé », second step: one document's bytes (ITI-68), with progress,
 * trusted only when their size and SHA-1 are those its DocumentReference states: anything else is
 * MES_INVALID_RESPONSE and nothing is handed on.
 */
import * as z from 'zod/mini';
import { binaryPathOf, FHIR_ID, foundDocumentOf, shownToPatient, type FoundDocument } from '../documents/found.js';
import { documentMediaType } from '../documents/formats.js';
import { sha1Base64 } from '../encoding.js';
import { MesError, normalizeError } from '../errors.js';
import { errorFromResponse } from '../fhir/response.js';
import { requestSafeToRepeat } from '../fhir/retry.js';
import { DOCUMENT_MEDIA_TYPES } from '../fhir/systems.js';
import { READ_DOCUMENTS_FINALITY } from '../finalities.js';
import { forwardProgress, type Operation, type OperationContext } from './operation.js';

export interface RetrieveDocumentInput {
  /** The document's id in MES, as `findDocuments` lists it. */
  id: string;
  /** On a gateway: to the host's back end (default) or to the page. Run in the page, it is the page's anyway. */
  deliver?: 'host' | 'page';
}

export interface RetrievedDocument {
  document: FoundDocument;
  /** The bytes, named after the title, of the media type MES states. */
  file: File;
}

const InputSchema = z.object({
  id: z.string().check(z.regex(FHIR_ID)),
  deliver: z.optional(z.enum(['host', 'page'])),
});

function parse(input: unknown): RetrieveDocumentInput {
  const parsed = InputSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const field = parsed.error.issues[0]?.path[0];
  throw new MesError('MES_INVALID_INPUT', {
    operation: 'retrieve-document',
    field: typeof field === 'string' ? field : 'input',
  });
}

/** MES takes 5 Mo from services; documents from elsewhere (the DMP) may be larger, never this large. */
const MAX_IMPORT_BYTES = 50_000_000;

const invalidResponse = (status?: number) => new MesError('MES_INVALID_RESPONSE', { status });

/**
 * A media type as HTTP carries it. The stated one is asked for in `Accept`: with a line break or a
 * character beyond Latin-1 there, fetch throws before sending, which would pass for a network failure.
 */
const MEDIA_TYPE = /^[\w!#$%&'*+.^`|~-]+\/[\w!#$%&'*+.^`|~-]+(?:[ \t]*;[\t -~]*)?$/;

/**
 * A file name from the title: no path separators, control or invisible formatting characters (a
 * right-to-left override could disguise the extension), cut on a character boundary, and an
 * extension from the media type only (`.bin` when unknown), never from the title.
 */
function fileNameOf(document: FoundDocument): string {
  const cleaned = document.title
    .replace(/[\p{Cc}\p{Cf}\u2028\u2029/\\:*?"<>|]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const base = Array.from(cleaned).slice(0, 120).join('').trim() || document.id;
  const type = documentMediaType(document.contentType);
  const extension = type ? DOCUMENT_MEDIA_TYPES[type] : 'bin';
  return base.toLowerCase().endsWith(`.${extension}`) ? base : `${base}.${extension}`;
}

/** The body, read chunk by chunk with progress, and refused as soon as it outgrows `size`. */
async function readBytes(
  response: Response,
  size: number,
  report: (ratio: number) => void,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  if (!response.body) throw invalidResponse(response.status);
  const bytes = new Uint8Array(size);
  let received = 0;
  const reader = response.body.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    if (signal?.aborted) {
      await reader.cancel().catch(() => undefined);
      signal.throwIfAborted();
    }
    if (received + chunk.value.length > size) {
      await reader.cancel().catch(() => undefined);
      throw invalidResponse(response.status);
    }
    bytes.set(chunk.value, received);
    received += chunk.value.length;
    report(size > 0 ? received / size : 1);
  }
  if (received !== size) throw invalidResponse(response.status);
  return bytes;
}

async function run(context: OperationContext, input: RetrieveDocumentInput): Promise<RetrievedDocument> {
  const report = forwardProgress(context.onProgress);
  const options = { signal: context.signal, policy: context.retry };
  try {
    report({ phase: 'preparing', ratio: 0 });
    const answer = await requestSafeToRepeat(
      context.request,
      { method: 'GET', path: `DocumentReference/${input.id}` },
      options,
    );
    if (!answer.ok) throw await errorFromResponse(answer);
    let resource: unknown;
    try {
      resource = await answer.json();
    } catch {
      throw invalidResponse(answer.status);
    }
    const document = foundDocumentOf(resource);
    // Withdrawn, or hidden from the patient: not theirs to import, whoever names it.
    if (document && !shownToPatient(resource))
      throw new MesError('MES_INVALID_INPUT', { operation: 'retrieve-document', field: 'id' });
    const path = binaryPathOf(resource);
    // Without its size and hash, MES's bytes could not be checked: they are not taken.
    if (
      !document ||
      !path ||
      document.id !== input.id ||
      document.size === undefined ||
      !document.hash ||
      !MEDIA_TYPE.test(document.contentType)
    )
      throw invalidResponse(answer.status);
    // Memory is set aside for the stated size: a size no document has is refused first.
    if (document.size > MAX_IMPORT_BYTES) throw new MesError('MES_TOO_LARGE', { operation: 'retrieve-document' });

    report({ phase: 'downloading', ratio: 0.05 });
    const response = await requestSafeToRepeat(
      context.request,
      { method: 'GET', path, headers: { accept: document.contentType } },
      options,
    );
    if (!response.ok) throw await errorFromResponse(response);
    const bytes = await readBytes(
      response,
      document.size,
      (ratio) => report({ phase: 'downloading', ratio: 0.05 + 0.9 * ratio }),
      context.signal,
    );
    report({ phase: 'checking', ratio: 0.95 });
    if ((await sha1Base64(bytes)) !== document.hash) throw invalidResponse(response.status);
    const file = new File([bytes as Uint8Array<ArrayBuffer>], fileNameOf(document), { type: document.contentType });
    report({ phase: 'checking', ratio: 1 });
    return { document, file };
  } catch (error) {
    throw normalizeError(error, 'retrieve-document');
  }
}

export const retrieveDocumentOperation: Operation<RetrieveDocumentInput, RetrievedDocument> = {
  name: 'retrieve-document',
  finalities: () => [READ_DOCUMENTS_FINALITY],
  parse,
  run,
};
