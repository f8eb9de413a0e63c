/**
 * One error type for everything that can go wrong talking to Mon espace santé, with a stable
 * `MES_*` code, a localized message for the patient, and never patient data or tokens.
 */
import type { OperationOutcome } from './schemas/fhir.js';

export const MES_ERROR_CODES = [
  /** The host gave bad input (missing metadata, wrong type, file too large): nothing was sent. */
  'MES_INVALID_INPUT',
  /** Not paired with MES, or the pairing ended (401). */
  'MES_AUTH_REQUIRED',
  /** The patient has not granted the finalité this operation needs (403 « Consent not given »). */
  'MES_CONSENT_REQUIRED',
  /** The document's patient is not the paired patient (403 « idPe requested do not match … »). */
  'MES_PATIENT_MISMATCH',
  /** MES refused the ID token (400) or the service OID (409): a configuration problem. */
  'MES_CONFIGURATION',
  /** MES refused a document larger than it accepts (413). */
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
] as const;
export type MesErrorCode = (typeof MES_ERROR_CODES)[number];

export type Lang = 'fr' | 'en';

export const ERROR_MESSAGES: Record<Lang, Record<MesErrorCode, string>> = {
  fr: {
    MES_INVALID_INPUT: 'Le document ne peut pas être envoyé tel quel.',
    MES_AUTH_REQUIRED: 'Votre compte n’est pas (ou plus) relié à Mon espace santé. Reliez-le pour continuer.',
    MES_CONSENT_REQUIRED: 'Vous n’avez pas autorisé ce service à effectuer cette action dans Mon espace santé.',
    MES_PATIENT_MISMATCH: 'Ce document ne concerne pas le profil Mon espace santé relié à votre compte.',
    MES_CONFIGURATION: 'Le service est mal configuré pour Mon espace santé. Contactez son support.',
    MES_TOO_LARGE: 'Le fichier dépasse la taille acceptée par Mon espace santé (5 Mo).',
    MES_REJECTED: 'Mon espace santé a refusé le document.',
    MES_RATE_LIMITED: 'Mon espace santé reçoit trop de demandes. Réessayez dans quelques instants.',
    MES_UNAVAILABLE: 'Mon espace santé est momentanément indisponible. Réessayez plus tard.',
    MES_NETWORK: 'La connexion a été interrompue. Vérifiez votre réseau puis réessayez.',
    MES_INVALID_RESPONSE: 'Mon espace santé a répondu de façon inattendue. Réessayez plus tard.',
    MES_POPUP_BLOCKED: 'La fenêtre de connexion à Mon espace santé a été bloquée par votre navigateur.',
    MES_PAIRING_CANCELLED: 'La connexion à Mon espace santé n’a pas abouti.',
    MES_ABORTED: 'L’envoi a été annulé.',
  },
  en: {
    MES_INVALID_INPUT: 'This document cannot be sent as it is.',
    MES_AUTH_REQUIRED: 'Your account is not (or no longer) linked to Mon espace santé. Link it to continue.',
    MES_CONSENT_REQUIRED: 'You have not allowed this service to do this in Mon espace santé.',
    MES_PATIENT_MISMATCH: 'This document is not about the Mon espace santé profile linked to your account.',
    MES_CONFIGURATION: 'This service is misconfigured for Mon espace santé. Contact its support.',
    MES_TOO_LARGE: 'The file is larger than Mon espace santé accepts (5 MB).',
    MES_REJECTED: 'Mon espace santé refused the document.',
    MES_RATE_LIMITED: 'Mon espace santé is receiving too many requests. Try again in a moment.',
    MES_UNAVAILABLE: 'Mon espace santé is temporarily unavailable. Try again later.',
    MES_NETWORK: 'The connection was interrupted. Check your network and try again.',
    MES_INVALID_RESPONSE: 'Mon espace santé answered unexpectedly. Try again later.',
    MES_POPUP_BLOCKED: 'Your browser blocked the Mon espace santé sign-in window.',
    MES_PAIRING_CANCELLED: 'Linking with Mon espace santé did not complete.',
    MES_ABORTED: 'Sending was cancelled.',
  },
};

const RETRYABLE = new Set<MesErrorCode>(['MES_RATE_LIMITED', 'MES_UNAVAILABLE', 'MES_NETWORK']);

export interface MesErrorOptions {
  lang?: Lang;
  /** More precise, still patient-free, text (e.g. which metadata is missing). */
  detail?: string;
  status?: number;
  outcome?: OperationOutcome;
  cause?: unknown;
}

export class MesError extends Error {
  readonly code: MesErrorCode;
  readonly status?: number;
  readonly detail?: string;
  /** MES's OperationOutcome, when it sent one. */
  readonly outcome?: OperationOutcome;
  readonly retryable: boolean;

  constructor(code: MesErrorCode, options: MesErrorOptions = {}) {
    const base = ERROR_MESSAGES[options.lang ?? 'fr'][code];
    super(options.detail ? `${base} ${options.detail}` : base, { cause: options.cause });
    this.name = 'MesError';
    this.code = code;
    this.status = options.status;
    this.detail = options.detail;
    this.outcome = options.outcome;
    this.retryable = RETRYABLE.has(code);
  }
}

/** Any failure as a MesError: aborts, network errors and unknown throws included. */
export function normalizeError(error: unknown, lang: Lang = 'fr'): MesError {
  if (error instanceof MesError) return error;
  if (error instanceof DOMException && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
    return new MesError(error.name === 'AbortError' ? 'MES_ABORTED' : 'MES_NETWORK', { lang, cause: error });
  }
  if (error instanceof TypeError) return new MesError('MES_NETWORK', { lang, cause: error });
  return new MesError('MES_INVALID_RESPONSE', { lang, cause: error });
}
