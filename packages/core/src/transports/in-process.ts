/**
 * A transport to a Mon espace santé running in the same page (the sandbox's memory mode): pairing
 * is instant, as if the patient had consented, and every call carries real tokens. For Storybook,
 * element tests and demos without a server — never for production.
 */
import { MesError } from '../errors.js';
import { httpRequest } from './http.js';
import type { LocalTransport, MesSession } from './transport.js';

/** What the in-page sandbox offers (`createInPageSandbox()` of `@mes-kit/sandbox/in-page`). */
export interface InProcessMes {
  fetch: typeof fetch;
  fhirBase: string;
  pair(persona: string, finalities: string[], clientId?: string): Promise<{ access_token: string; id_token: string }>;
}

export interface InProcessTransportOptions {
  /** The persona the patient "is" (default: camille). */
  persona?: string;
  service?: MesSession['service'];
  /** The OAuth client the page plays (default: mes-kit-demo). */
  clientId?: string;
  /** Already paired with these finalités (default: not paired). */
  pairedWith?: string[];
}

function idPeOf(idToken: string): string | undefined {
  const payload = idToken.split('.')[1] ?? '';
  const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
  return (JSON.parse(json) as { idPe?: string }).idPe;
}

export function inProcessTransport(mes: InProcessMes, options: InProcessTransportOptions = {}): LocalTransport {
  const persona = options.persona ?? 'camille';
  const service = options.service ?? { oid: '1.2.250.1.999.42.1', name: 'Hôpital Lumière — portail patient' };
  const clientId = options.clientId ?? 'mes-kit-demo';
  let tokens: { access_token: string; id_token: string } | undefined;
  let finalities: string[] = [];
  let ready = options.pairedWith ? pair(options.pairedWith) : Promise.resolve();

  async function pair(wanted: readonly string[]) {
    tokens = await mes.pair(persona, [...wanted], clientId);
    finalities = [...wanted];
  }
  const session = async (): Promise<MesSession> => {
    await ready;
    return { paired: !!tokens, finalities, idPe: tokens && idPeOf(tokens.id_token), service };
  };

  return {
    kind: 'local',
    session,
    async pair(wanted) {
      ready = pair(wanted);
      return session();
    },
    async revoke() {
      // « Désynchroniser » on MES's side too, as the gateway's revocation does.
      await mes.fetch(`${new URL(mes.fhirBase).origin}/sandbox/pairings/${persona}/${clientId}`, { method: 'DELETE' });
      tokens = undefined;
      finalities = [];
    },
    async request(request, requestOptions = {}) {
      await ready;
      if (!tokens) throw new MesError('MES_AUTH_REQUIRED');
      const response = await httpRequest(`${mes.fhirBase}/${request.path}`, {
        method: request.method,
        headers: {
          authorization: `Bearer ${tokens.access_token}`,
          'x-id-token': tokens.id_token,
          ...(request.body !== undefined && { 'content-type': 'application/fhir+json' }),
          ...request.headers,
        },
        body: request.body,
        fetch: mes.fetch,
        ...requestOptions,
      });
      // MES ended the pairing: forget it, as the gateway does, so the next session asks to pair.
      if (response.status === 401) {
        tokens = undefined;
        finalities = [];
      }
      return response;
    },
  };
}
