/**
 * « Envoyer vers Mon espace santé »: checks the host's input, builds the PDSm ITI-65 bundle and sends
 * it; never twice, even when the answer is lost.
 */
import * as z from 'zod/mini';
import type { MesClient } from '../client.js';
import {
  CLASS_CODES,
  CONFIDENTIALITIES,
  DOCUMENT_TYPE_CODES,
  type ClassCode,
  type Confidentiality,
  type DocumentTypeCode,
} from '../documents/codes.js';
import { buildProvideDocumentBundle } from '../documents/bundle.js';
import { bytesToBase64, sha1Base64 } from '../encoding.js';
import { MesError, normalizeError, type Lang } from '../errors.js';
import { errorFromResponse, parseResponse } from '../fhir/response.js';
import { requestWithRetry } from '../fhir/retry.js';
import { IDPE_SYSTEM, MAX_DOCUMENT_BYTES, RFC3986_SYSTEM, type DocumentMediaType } from '../fhir/systems.js';
import { documentMediaType, hasSignatureOf } from '../documents/formats.js';
import { uuidV5 } from '../fhir/uuid.js';
import { READ_DOCUMENTS_FINALITY, SEND_DOCUMENT_FINALITY } from '../finalities.js';
import { SearchsetSchema, TransactionResponseSchema } from '../schemas/responses.js';
import { DateTimeSchema } from '../schemas/fhir.js';
import type { MesSession } from '../transports/transport.js';

export interface SendDocumentInput {
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
}

export interface SendProgress {
  phase: 'preparing' | 'uploading' | 'confirming';
  /** 0 to 1, over the whole operation. */
  ratio: number;
}

export interface SendDocumentResult {
  /** The DocumentReference's id in MES. */
  id: string;
  masterIdentifier: string;
  /** MES already had this document: nothing new was filed. */
  alreadyPresent: boolean;
}

export interface SendDocumentOptions {
  signal?: AbortSignal;
  onProgress?: (progress: SendProgress) => void;
}

const InputSchema = z.object({
  file: z.instanceof(Blob),
  title: z.string().check(z.trim(), z.minLength(1), z.maxLength(255)),
  type: z.enum(DOCUMENT_TYPE_CODES),
  category: z.optional(z.enum(CLASS_CODES)),
  date: z.optional(z.union([z.date(), DateTimeSchema])),
  confidentiality: z.optional(z.enum(CONFIDENTIALITIES)),
  description: z.optional(z.string().check(z.maxLength(2000))),
  id: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
});

const FIELD_PROBLEMS: Record<Lang, Record<string, string>> = {
  fr: {
    file: 'Le fichier est manquant.',
    title: 'Le titre est manquant ou dépasse 255 caractères.',
    type: 'Le type de document n’est pas reconnu.',
    category: 'La catégorie de document n’est pas reconnue.',
    date: 'La date du document n’est pas valide.',
    confidentiality: 'Le niveau de confidentialité n’est pas reconnu.',
    description: 'La description dépasse 2 000 caractères.',
    id: 'L’identifiant du document n’est pas valide.',
    format: 'Formats acceptés : PDF, texte, RTF, JPEG ou TIFF.',
    empty: 'Le fichier est vide.',
    input: 'Les informations du document sont manquantes.',
  },
  en: {
    file: 'The file is missing.',
    title: 'The title is missing or longer than 255 characters.',
    type: 'The document type is not recognised.',
    category: 'The document category is not recognised.',
    date: 'The document date is not valid.',
    confidentiality: 'The confidentiality level is not recognised.',
    description: 'The description is longer than 2,000 characters.',
    id: 'The document id is not valid.',
    format: 'Accepted formats: PDF, text, RTF, JPEG or TIFF.',
    empty: 'The file is empty.',
    input: 'The document information is missing.',
  },
};

const invalid = (lang: Lang, problem: string) =>
  new MesError('MES_INVALID_INPUT', { lang, detail: FIELD_PROBLEMS[lang][problem] });

/** Rejects bad input before anything is sent, with a message that says which field is wrong. */
export function checkSendDocumentInput(
  input: unknown,
  lang: Lang,
): SendDocumentInput & { contentType: DocumentMediaType } {
  const parsed = InputSchema.safeParse(input);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path[0];
    throw invalid(lang, typeof field === 'string' ? field : 'input');
  }
  const { file } = parsed.data;
  const contentType = documentMediaType(file.type);
  if (!contentType) throw invalid(lang, 'format');
  if (file.size === 0) throw invalid(lang, 'empty');
  if (file.size > MAX_DOCUMENT_BYTES) throw new MesError('MES_TOO_LARGE', { lang });
  return { ...parsed.data, contentType };
}

/** The session must be paired and grant DOC_ECRITURE: nothing leaves the host without consent. */
export function requireSendConsent(session: MesSession, lang: Lang): asserts session is MesSession & { idPe: string } {
  if (!session.paired || !session.idPe) throw new MesError('MES_AUTH_REQUIRED', { lang });
  if (!session.finalities.includes(SEND_DOCUMENT_FINALITY)) throw new MesError('MES_CONSENT_REQUIRED', { lang });
}

const isoDate = (date: Date | string | undefined) =>
  date === undefined ? new Date().toISOString() : typeof date === 'string' ? date : date.toISOString();

export async function sendDocument(
  client: MesClient,
  rawInput: unknown,
  options: SendDocumentOptions = {},
): Promise<SendDocumentResult> {
  const { lang, transport } = client;
  let reached = 0;
  // Progress only moves forward, whatever order the phases' estimates arrive in.
  const report = (progress: SendProgress) => {
    const ratio = Math.min(1, Math.round(progress.ratio * 1000) / 1000);
    if (ratio < reached) return;
    reached = ratio;
    options.onProgress?.({ ...progress, ratio });
  };
  try {
    const input = checkSendDocumentInput(rawInput, lang);
    const session = await client.session({ signal: options.signal });
    requireSendConsent(session, lang);
    report({ phase: 'preparing', ratio: 0 });

    const bytes = new Uint8Array(await input.file.arrayBuffer());
    if (!hasSignatureOf(input.contentType, bytes)) throw invalid(lang, 'format');
    const hash = await sha1Base64(bytes);
    // Per service, patient and document: the same letter template sent to two patients is two documents.
    const masterIdentifier = `urn:uuid:${await uuidV5(`${session.service.oid}|${session.idPe}|${input.id ?? hash}`)}`;
    const bundle = buildProvideDocumentBundle({
      data: bytesToBase64(bytes),
      size: bytes.length,
      hash,
      contentType: input.contentType,
      title: input.title,
      type: input.type,
      category: input.category,
      date: isoDate(input.date),
      confidentiality: input.confidentiality ?? 'N',
      description: input.description,
      masterIdentifier,
      idPe: session.idPe,
      service: session.service,
      now: new Date().toISOString(),
    });
    const body = JSON.stringify(bundle);
    report({ phase: 'uploading', ratio: 0.05 });
    const onUploadProgress = (loaded: number, total: number) =>
      report({ phase: 'uploading', ratio: 0.05 + 0.9 * (total > 0 ? loaded / total : 0) });
    const send = () =>
      requestWithRetry(
        transport,
        { method: 'POST', path: '', body },
        { signal: options.signal, onUploadProgress, policy: client.retry },
      );

    let response: Response | undefined;
    for (let attempt = 0; !response; attempt++) {
      try {
        response = await send();
        // A gateway's 502/504: MES may or may not have filed the document — as unclear as a lost answer.
        if (response.status === 502 || response.status === 504) {
          const unclear = new MesError('MES_NETWORK', { lang, status: response.status });
          response = undefined;
          throw unclear;
        }
      } catch (error) {
        const failure = normalizeError(error, lang);
        if (failure.code !== 'MES_NETWORK' || attempt >= 2) throw failure;
        // The bundle may have arrived. Look before resending where reading is granted; the
        // resend's ifNoneExist keeps it single in any case.
        if (session.finalities.includes(READ_DOCUMENTS_FINALITY)) {
          const found = await findDocument(client, session.idPe, masterIdentifier, options.signal);
          if (found) return finish({ id: found, masterIdentifier, alreadyPresent: true });
        }
      }
    }
    report({ phase: 'confirming', ratio: 0.95 });
    if (!response.ok) throw await errorFromResponse(response, lang);
    const result = await parseResponse(response, TransactionResponseSchema, lang);
    const entry = result.entry[1]?.response;
    const id = /^DocumentReference\/([^/]+)/.exec(entry?.location ?? '')?.[1];
    if (!entry || !id) throw new MesError('MES_INVALID_RESPONSE', { lang, status: response.status });
    return finish({ id, masterIdentifier, alreadyPresent: entry.status.startsWith('200') });
  } catch (error) {
    throw normalizeError(error, lang);
  }

  function finish(result: SendDocumentResult) {
    report({ phase: 'confirming', ratio: 1 });
    return result;
  }
}

/** ITI-67 by business identifier: the document's id in MES, if it is there. */
async function findDocument(client: MesClient, idPe: string, masterIdentifier: string, signal?: AbortSignal) {
  const query = new URLSearchParams({
    'patient.identifier': `${IDPE_SYSTEM}|${idPe}`,
    status: 'current',
    identifier: `${RFC3986_SYSTEM}|${masterIdentifier}`,
  });
  const response = await requestWithRetry(
    client.transport,
    { method: 'GET', path: `DocumentReference?${query}` },
    { signal, policy: client.retry },
  );
  if (!response.ok) throw await errorFromResponse(response, client.lang);
  const bundle = await parseResponse(response, SearchsetSchema, client.lang);
  return bundle.entry?.[0]?.resource.id;
}
