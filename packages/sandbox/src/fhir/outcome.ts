/** FHIR responses, and MES's refusals with its own texts, verbatim (mes-interop §1.2, §3). */

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

export const MES_TEXTS = {
  invalidIdToken: 'HTTP code 400 : Bad request -> The ID_TOKEN value is not valid (invalid JWT)',
  idPeMismatch: 'idPe requested do not match authorized idPe.',
  consentNotGiven: 'Consent not given, access refused.',
  oidConflict:
    'HTTP code 409 :OID conflict between the one from id_token and the one in the system -> OID different between id_token and ecosystem',
  invalidAccessToken: 'Access token invalid, expired or revoked.',
} as const;

/** A refusal on its way to becoming an OperationOutcome response. */
export class FhirError extends Error {
  readonly status: number;
  readonly issueCode: string;
  readonly expression?: string[];
  readonly headers?: Record<string, string>;

  constructor(
    status: number,
    issueCode: string,
    diagnostics: string,
    options: { expression?: string; headers?: Record<string, string> } = {},
  ) {
    super(diagnostics);
    this.name = 'FhirError';
    this.status = status;
    this.issueCode = issueCode;
    this.expression = options.expression === undefined ? undefined : [options.expression];
    this.headers = options.headers;
  }

  toResponse(): Response {
    const issue = {
      severity: 'error',
      code: this.issueCode,
      diagnostics: this.message,
      ...(this.expression && { expression: this.expression }),
    };
    return fhirJson({ resourceType: 'OperationOutcome', issue: [issue] }, this.status, this.headers);
  }
}

/** 422 naming the element that is wrong, as a FHIRPath expression. */
export const invalid = (expression: string, diagnostics: string) =>
  new FhirError(422, 'invalid', diagnostics, { expression });

export function fhirJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': FHIR_JSON, 'cache-control': 'no-store', ...headers },
  });
}
