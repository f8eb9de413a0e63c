/**
 * One error type for everything that can go wrong talking to Mon espace santé: a stable `MES_*`
 * code, the operation it happened in, the faulty input field when there is one, and never patient
 * data or tokens. Its `message` is for developers; elements localise the code for the patient.
 */
import type { OperationOutcome } from './schemas/fhir.js';

export const MES_ERROR_CODES = [
  /** The host gave bad input (missing metadata, wrong type, unknown document): nothing was sent. */
  'MES_INVALID_INPUT',
  /** Not paired with MES, the pairing ended (401), or it belongs to another portal user. */
  'MES_AUTH_REQUIRED',
  /** The patient has not granted the finalité this operation needs (403 « Consent not given »). */
  'MES_CONSENT_REQUIRED',
  /** The document's patient is not the paired patient (403 « idPe requested do not match … »). */
  'MES_PATIENT_MISMATCH',
  /** MES refused the ID token (400) or the service OID (409), or the gateway refused the call: a configuration problem. */
  'MES_CONFIGURATION',
  /** The file is larger than MES accepts (5,000,000 bytes), or MES said so (413). */
  'MES_TOO_LARGE',
  /** MES refused the content (400, 422) and said why in an OperationOutcome. */
  'MES_REJECTED',
  /** Too many requests (429), after the retries. */
  'MES_RATE_LIMITED',
  /** MES is unavailable (5xx), after the retries. */
  'MES_UNAVAILABLE',
  /** No answer: offline, connection dropped, timeout. */
  'MES_NETWORK',
  /** MES answered something that is not what its API promises. */
  'MES_INVALID_RESPONSE',
  /** The pairing window could not open (popup blocked). */
  'MES_POPUP_BLOCKED',
  /** The patient closed or refused the pairing. */
  'MES_PAIRING_CANCELLED',
  /** The operation was cancelled by the host or the patient. */
  'MES_ABORTED',
  /** The portal's own back end failed: it could not take what MES sent (an imported document) or give its appointments. */
  'MES_HOST_FAILED',
] as const;
export type MesErrorCode = (typeof MES_ERROR_CODES)[number];

/** The exchanges with MES, by the name the gateway mounts them under. */
export type OperationName =
  | 'pair'
  | 'revoke'
  | 'send-document'
  | 'find-documents'
  | 'retrieve-document'
  | 'sync-agenda'
  | 'send-measures'
  | 'read-measures';

const DEVELOPER_MESSAGES: Record<MesErrorCode, string> = {
  MES_INVALID_INPUT: 'The input cannot be sent as it is.',
  MES_AUTH_REQUIRED: 'Not paired with Mon espace santé (or no longer, or not as this portal user).',
  MES_CONSENT_REQUIRED: 'The patient has not granted the finalité this operation needs.',
  MES_PATIENT_MISMATCH: 'The document is not about the paired patient.',
  MES_CONFIGURATION: 'The service is misconfigured for Mon espace santé.',
  MES_TOO_LARGE: 'The file is larger than Mon espace santé accepts (5,000,000 bytes).',
  MES_REJECTED: 'Mon espace santé refused the content; see `outcome`.',
  MES_RATE_LIMITED: 'Mon espace santé is rate limiting this service.',
  MES_UNAVAILABLE: 'Mon espace santé is unavailable.',
  MES_NETWORK: 'No answer: the connection dropped or timed out.',
  MES_INVALID_RESPONSE: 'Mon espace santé answered something its API does not promise.',
  MES_POPUP_BLOCKED: 'The pairing window was blocked.',
  MES_PAIRING_CANCELLED: 'The pairing was refused or did not complete.',
  MES_ABORTED: 'The operation was cancelled.',
  MES_HOST_FAILED: 'The portal’s back end failed (documents.receive, agenda.list or measures.list threw).',
};

/** Failures a later attempt may get past; the others need the patient, the host or a fix. */
const RETRYABLE = new Set<MesErrorCode>(['MES_RATE_LIMITED', 'MES_UNAVAILABLE', 'MES_NETWORK', 'MES_HOST_FAILED']);

export interface MesErrorOptions {
  operation?: OperationName;
  /** The input field at fault (`title`, `type`, `file`, `format`, `ref`…), for a localised message. */
  field?: string;
  status?: number;
  outcome?: OperationOutcome;
  cause?: unknown;
}

/** What crosses the wire between the gateway and the page: everything but the cause. */
export interface MesErrorJson {
  code: MesErrorCode;
  operation?: OperationName;
  field?: string;
  status?: number;
  outcome?: OperationOutcome;
}

export class MesError extends Error {
  readonly code: MesErrorCode;
  readonly operation?: OperationName;
  readonly field?: string;
  readonly status?: number;
  /** MES's OperationOutcome, when it sent one: for developers, never shown to the patient. */
  readonly outcome?: OperationOutcome;
  /** Whether trying again may succeed (« Réessayer » is offered only then). */
  readonly retryable: boolean;

  constructor(code: MesErrorCode, options: MesErrorOptions = {}) {
    const where = [options.operation, options.field && `field ${options.field}`].filter(Boolean).join(', ');
    super(where ? `${DEVELOPER_MESSAGES[code]} (${where})` : DEVELOPER_MESSAGES[code], { cause: options.cause });
    this.name = 'MesError';
    this.code = code;
    this.operation = options.operation;
    this.field = options.field;
    this.status = options.status;
    this.outcome = options.outcome;
    this.retryable = RETRYABLE.has(code);
  }

  /** The same error, attributed to an operation (errors from shared helpers don't know theirs). */
  in(operation: OperationName): MesError {
    if (this.operation === operation) return this;
    return new MesError(this.code, { ...this.toJSON(), operation, cause: this.cause });
  }

  toJSON(): MesErrorJson {
    return {
      code: this.code,
      ...(this.operation && { operation: this.operation }),
      ...(this.field && { field: this.field }),
      ...(this.status !== undefined && { status: this.status }),
      ...(this.outcome && { outcome: this.outcome }),
    };
  }

  /** Back from the wire; an unknown code is an invalid response, not a crash. */
  static fromJSON(json: unknown): MesError {
    const value = (json ?? {}) as Partial<MesErrorJson>;
    const known = typeof value.code === 'string' && (MES_ERROR_CODES as readonly string[]).includes(value.code);
    return new MesError(known ? value.code! : 'MES_INVALID_RESPONSE', {
      operation: value.operation,
      field: typeof value.field === 'string' ? value.field : undefined,
      status: typeof value.status === 'number' ? value.status : undefined,
      outcome: value.outcome,
    });
  }
}

/** Any failure as a MesError: aborts, network errors and unknown throws included. */
export function normalizeError(error: unknown, operation?: OperationName): MesError {
  if (error instanceof MesError) return operation ? error.in(operation) : error;
  const options = { operation, cause: error };
  if (error instanceof DOMException && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
    return new MesError(error.name === 'AbortError' ? 'MES_ABORTED' : 'MES_NETWORK', options);
  }
  if (error instanceof TypeError) return new MesError('MES_NETWORK', options);
  return new MesError('MES_INVALID_RESPONSE', options);
}
