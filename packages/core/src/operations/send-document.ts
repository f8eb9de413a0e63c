/**
 * « Envoyer vers Mon espace santé »: checks the document, builds the PDSm ITI-65 bundle and sends
 * it; never twice, even when the answer is lost.
 */
import * as z from 'zod/mini';
import {
  CLASS_CODES,
  CONFIDENTIALITIES,
  DOCUMENT_TYPE_CODES,
  type ClassCode,
  type Confidentiality,
  type DocumentTypeCode,
} from '../documents/codes.js';
import { serializeProvideDocumentBundle } from '../documents/bundle.js';
import { documentMediaType, hasSignatureOf } from '../documents/formats.js';
import { bytesToBase64, sha1Base64 } from '../encoding.js';
import { MesError, normalizeError } from '../errors.js';
import { errorFromResponse, parseResponse } from '../fhir/response.js';
import { requestSafeToRepeat, requestWithRetry } from '../fhir/retry.js';
import { IDPE_SYSTEM, MAX_DOCUMENT_BYTES, RFC3986_SYSTEM, type DocumentMediaType } from '../fhir/systems.js';
import { uuidV5 } from '../fhir/uuid.js';
import { READ_DOCUMENTS_FINALITY, SEND_DOCUMENT_FINALITY } from '../finalities.js';
import { DateTimeSchema } from '../schemas/fhir.js';
import { SearchsetSchema, TransactionResponseSchema } from '../schemas/responses.js';
import { forwardProgress, type Operation, type OperationContext } from './operation.js';

/** A document with everything MES needs: what the establishment's systems (or, in direct mode, the page) hold. */
export interface DocumentToSend {
  /** The document: pdf, txt, rtf, jpeg or tiff, at most 5,000,000 bytes. */
  file: Blob;
  title: string;
  /** JDV_J07 type (a LOINC code such as `11490-0`) or a patient type (`DOCPAT03`…). */
  type: DocumentTypeCode;
  /** TRE_A03 class (`10` compte rendu, `11` synthèse…); by default the one the type files under. */
  category?: ClassCode;
  /** When the document was written (default: now). */
  date?: Date | string;
  /** Default: `N` (normal). */
  confidentiality?: Confidentiality;
  description?: string;
  /**
   * The host's stable id for this document; sending the same id again is idempotent. Default: the
   * document's SHA-1, so the same bytes are filed once.
   */
  id?: string;
  /** Who MES shows as the author: the service (default) or the patient, for a file of their own. */
  author?: 'service' | 'patient';
}

/** A document the host's back end holds, named by the page; only a gateway resolves it. */
export interface DocumentRef {
  ref: string;
}

export type SendDocumentInput = DocumentToSend | DocumentRef;

export type CheckedDocument = DocumentToSend & { contentType: DocumentMediaType };

export interface SendDocumentResult {
  /** The DocumentReference's id in MES. */
  id: string;
  masterIdentifier: string;
  /** MES already had this document: nothing new was filed. */
  alreadyPresent: boolean;
}

/** Printable, no spaces at the ends: a ref is an identifier, not free text. */
export const DocumentRefSchema = z.object({
  ref: z.string().check(z.minLength(1), z.maxLength(200), z.regex(/^[!-~](?:[ -~]*[!-~])?$/)),
});

const DocumentSchema = z.object({
  file: z.instanceof(Blob),
  title: z.string().check(z.trim(), z.minLength(1), z.maxLength(255)),
  type: z.enum(DOCUMENT_TYPE_CODES),
  category: z.optional(z.enum(CLASS_CODES)),
  date: z.optional(z.union([z.date(), DateTimeSchema])),
  confidentiality: z.optional(z.enum(CONFIDENTIALITIES)),
  description: z.optional(z.string().check(z.maxLength(2000))),
  id: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  author: z.optional(z.enum(['service', 'patient'])),
});

const invalid = (field: string) => new MesError('MES_INVALID_INPUT', { operation: 'send-document', field });

/** Rejects a bad document before anything is sent, naming the field at fault. */
export function checkDocument(input: unknown): CheckedDocument {
  const parsed = DocumentSchema.safeParse(input);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path[0];
    throw invalid(typeof field === 'string' ? field : 'input');
  }
  const { file } = parsed.data;
  const contentType = documentMediaType(file.type);
  if (!contentType) throw invalid('format');
  if (file.size === 0) throw invalid('empty');
  if (file.size > MAX_DOCUMENT_BYTES) throw new MesError('MES_TOO_LARGE', { operation: 'send-document' });
  return { ...parsed.data, contentType };
}

function parse(input: unknown): SendDocumentInput {
  if (typeof input === 'object' && input !== null && 'ref' in input) {
    const parsed = DocumentRefSchema.safeParse(input);
    if (!parsed.success) throw invalid('ref');
    return parsed.data;
  }
  return checkDocument(input);
}

const isoDate = (date: Date | string | undefined) =>
  date === undefined ? new Date().toISOString() : typeof date === 'string' ? date : date.toISOString();

async function run(context: OperationContext, input: SendDocumentInput): Promise<SendDocumentResult> {
  // Only the host's back end knows what a ref names: in the page, it cannot be sent.
  if ('ref' in input) throw invalid('ref');
  const { session, signal } = context;
  const report = forwardProgress(context.onProgress);
  try {
    const document = checkDocument(input);
    report({ phase: 'preparing', ratio: 0 });
    const bytes = new Uint8Array(await document.file.arrayBuffer());
    if (!hasSignatureOf(document.contentType, bytes)) throw invalid('format');
    const hash = await sha1Base64(bytes);
    // Per service, patient, author and document: the same letter template sent to two patients is two
    // documents, and a patient's own file can never take the identity of one of the service's.
    const author = document.author ?? 'service';
    const key = `${author === 'patient' ? 'patient|' : ''}${document.id ?? hash}`;
    const masterIdentifier = `urn:uuid:${await uuidV5(`${session.service.oid}|${session.idPe}|${key}`)}`;
    const body = serializeProvideDocumentBundle({
      data: bytesToBase64(bytes),
      size: bytes.length,
      hash,
      contentType: document.contentType,
      title: document.title,
      type: document.type,
      category: document.category,
      date: isoDate(document.date),
      confidentiality: document.confidentiality ?? 'N',
      description: document.description,
      author,
      masterIdentifier,
      idPe: session.idPe,
      service: session.service,
      now: new Date().toISOString(),
    });
    report({ phase: 'uploading', ratio: 0.05 });
    const onUploadProgress = (loaded: number, total: number) =>
      report({ phase: 'uploading', ratio: 0.05 + 0.9 * (total > 0 ? loaded / total : 0) });
    const send = () =>
      requestWithRetry(
        context.request,
        { method: 'POST', path: '', body },
        { signal, onUploadProgress, policy: context.retry },
      );

    let response: Response | undefined;
    for (let attempt = 0; !response; attempt++) {
      try {
        response = await send();
      } catch (error) {
        const failure = normalizeError(error);
        if (failure.code !== 'MES_NETWORK' || attempt >= 2) throw failure;
        // The bundle may have arrived. Look before resending where reading is granted; the
        // resend's ifNoneExist keeps it single in any case.
        if (session.finalities.includes(READ_DOCUMENTS_FINALITY)) {
          const found = await findByIdentifier(context, masterIdentifier);
          if (found) return finish({ id: found, masterIdentifier, alreadyPresent: true });
        }
      }
    }
    report({ phase: 'confirming', ratio: 0.95 });
    if (!response.ok) throw await errorFromResponse(response);
    const result = await parseResponse(response, TransactionResponseSchema);
    const entry = result.entry[1]?.response;
    const id = /^DocumentReference\/([^/]+)/.exec(entry?.location ?? '')?.[1];
    if (!entry || !id) throw new MesError('MES_INVALID_RESPONSE', { status: response.status });
    return finish({ id, masterIdentifier, alreadyPresent: entry.status.startsWith('200') });
  } catch (error) {
    throw normalizeError(error, 'send-document');
  }

  function finish(result: SendDocumentResult) {
    report({ phase: 'confirming', ratio: 1 });
    return result;
  }
}

/** ITI-67 by business identifier: the document's id in MES, if it is there. */
async function findByIdentifier(context: OperationContext, masterIdentifier: string) {
  const query = new URLSearchParams({
    'patient.identifier': `${IDPE_SYSTEM}|${context.session.idPe}`,
    status: 'current',
    identifier: `${RFC3986_SYSTEM}|${masterIdentifier}`,
  });
  const response = await requestSafeToRepeat(
    context.request,
    { method: 'GET', path: `DocumentReference?${query}` },
    { signal: context.signal, policy: context.retry },
  );
  if (!response.ok) throw await errorFromResponse(response);
  const bundle = await parseResponse(response, SearchsetSchema);
  return bundle.entry?.[0]?.resource.id;
}

export const sendDocumentOperation: Operation<SendDocumentInput, SendDocumentResult> = {
  name: 'send-document',
  finalities: () => [SEND_DOCUMENT_FINALITY],
  parse,
  run,
};
