/** Transports for core tests: answers from a script, every call recorded, nothing on the network. */
import type { FhirRequest, LocalTransport, MesSession, RemoteTransport, RunOptions } from '@mes-kit/core';

/** The demo's service, as the sandbox names it. */
export const SERVICE = { oid: '1.2.250.1.999.42.1', name: 'Hôpital Lumière — portail patient' };

export const SESSION: MesSession = {
  paired: true,
  finalities: ['DOC_ECRITURE', 'DOC_LECTURE'],
  idPe: 'patient-externe-id-2',
  service: SERVICE,
};

/** A recorded request's JSON body, whether sent as text or as bytes. */
export function bodyOf(request: FhirRequest): any {
  const { body } = request;
  return JSON.parse(typeof body === 'string' ? body : new TextDecoder().decode(body));
}

export type Answer = () => Response | Promise<Response>;

/** A page-side transport whose FHIR calls get the scripted answers, in order. */
export function scripted(answers: Answer[], session: MesSession = SESSION) {
  const requests: FhirRequest[] = [];
  const transport: LocalTransport = {
    kind: 'local',
    session: async () => session,
    pair: async () => session,
    revoke: async () => undefined,
    async request(request) {
      requests.push(request);
      const next = answers.shift();
      if (!next) throw new Error('unexpected request');
      return next();
    },
  };
  return { transport, requests };
}

/** The transport, with every FHIR request it is asked recorded. */
export function recording(transport: LocalTransport) {
  const requests: FhirRequest[] = [];
  const spy: LocalTransport = { ...transport, request: (r, o) => (requests.push(r), transport.request(r, o)) };
  return { transport: spy, requests };
}

/** A gateway-like transport that records the operations it is asked to run. */
export function remote(session: MesSession = SESSION, result: unknown = { ok: true }) {
  const runs: { name: string; input: unknown; options?: RunOptions }[] = [];
  const transport: RemoteTransport = {
    kind: 'remote',
    session: async () => session,
    pair: async () => session,
    revoke: async () => undefined,
    async run(name, input, options) {
      runs.push({ name, input, options });
      return result;
    },
  };
  return { transport, runs };
}

/** MES's OperationOutcome with this status and diagnostics. */
export const outcome =
  (status: number, diagnostics: string, headers: Record<string, string> = {}): Answer =>
  () =>
    new Response(
      JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'x', diagnostics }] }),
      { status, headers: { 'content-type': 'application/fhir+json', ...headers } },
    );
