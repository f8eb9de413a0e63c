/** MES's answers, turned into a MesError with the right code, or checked against their schema. */
import type * as z from 'zod/mini';
import { MesError, type MesErrorCode } from '../errors.js';
import { OperationOutcomeSchema, type OperationOutcome } from '../schemas/fhir.js';

async function outcomeOf(response: Response): Promise<OperationOutcome | undefined> {
  try {
    const parsed = OperationOutcomeSchema.safeParse(await response.json());
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function codeFor(status: number, diagnostics: string): MesErrorCode {
  if (status === 401) return 'MES_AUTH_REQUIRED';
  if (status === 403 && diagnostics.startsWith('idPe')) return 'MES_PATIENT_MISMATCH';
  if (status === 403 && diagnostics.startsWith('Consent not given')) return 'MES_CONSENT_REQUIRED';
  // Any other refusal (the gateway's cross-site check…) is not the patient's doing.
  if (status === 403) return 'MES_CONFIGURATION';
  if (status === 409 || (status === 400 && diagnostics.includes('ID_TOKEN'))) return 'MES_CONFIGURATION';
  if (status === 413) return 'MES_TOO_LARGE';
  if (status === 429) return 'MES_RATE_LIMITED';
  if (status >= 500) return 'MES_UNAVAILABLE';
  return 'MES_REJECTED';
}

/**
 * The MesError an error status stands for. MES's own diagnostics stay in `outcome`, for developers:
 * the patient gets a localised message, never MES's raw text.
 */
export async function errorFromResponse(response: Response): Promise<MesError> {
  const outcome = await outcomeOf(response);
  const diagnostics = outcome?.issue[0]?.diagnostics ?? '';
  const code = codeFor(response.status, diagnostics);
  return new MesError(code, { status: response.status, outcome });
}

/** The body of a successful answer, or MES_INVALID_RESPONSE when it is not what the API promises. */
export async function parseResponse<S extends z.ZodMiniType>(response: Response, schema: S): Promise<z.infer<S>> {
  let body: unknown;
  try {
    body = await response.json();
  } catch (cause) {
    throw new MesError('MES_INVALID_RESPONSE', { status: response.status, cause });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new MesError('MES_INVALID_RESPONSE', { status: response.status, cause: parsed.error });
  return parsed.data;
}
