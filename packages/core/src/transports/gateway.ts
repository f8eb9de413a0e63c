/**
 * The production transport: every MES call goes through the portal's gateway (`@mes-kit/gateway`),
 * which holds the tokens; the browser holds only an HttpOnly session cookie.
 */
import type { Lang } from '../errors.js';
import { httpRequest } from './http.js';
import { pairInPopup } from './popup.js';
import type { FhirRequest, RequestOptions, Transport } from './transport.js';

/** Sent on every call: a cross-site form or image cannot set it, so the gateway refuses what lacks it. */
export const GATEWAY_HEADER = 'x-mes-kit';

export interface GatewayTransportOptions {
  /** Where the gateway is mounted (default: `/mes`). */
  baseUrl?: string;
  lang?: Lang;
  fetch?: typeof fetch;
}

export function gatewayTransport(options: GatewayTransportOptions = {}): Transport {
  const base = (options.baseUrl ?? '/mes').replace(/\/$/, '');
  const lang = options.lang ?? 'fr';
  const headers = { [GATEWAY_HEADER]: '1' };
  const get = (path: string, signal?: AbortSignal) =>
    httpRequest(`${base}/${path}`, { method: 'GET', headers, signal, fetch: options.fetch });

  async function session(signal?: AbortSignal) {
    const response = await get('session', signal);
    const { readSession } = await import('./read-session.js');
    return readSession(response, lang);
  }

  return {
    session,
    async pair(finalities, signal) {
      const start = `${base}/pair/start?${new URLSearchParams({ finalities: finalities.join(' '), mode: 'popup' })}`;
      const origin = new URL(start, globalThis.location?.href).origin;
      await pairInPopup(start, origin, lang, signal);
      return session(signal);
    },
    redirectPairingUrl: (finalities, returnTo) => gatewayRedirectPairingUrl(finalities, returnTo, base),
    async revoke() {
      const response = await httpRequest(`${base}/pair/revoke`, { method: 'POST', headers, fetch: options.fetch });
      const { checkAnswer } = await import('./read-session.js');
      await checkAnswer(response, lang);
    },
    request(request: FhirRequest, requestOptions: RequestOptions = {}) {
      return httpRequest(`${base}/fhir/${request.path}`, {
        method: request.method,
        headers: {
          ...headers,
          ...(request.body !== undefined && { 'content-type': 'application/fhir+json' }),
          ...request.headers,
        },
        body: request.body,
        fetch: options.fetch,
        ...requestOptions,
      });
    },
  };
}

/** The page a patient is sent to when popups are blocked: the same pairing, in the current tab. */
export function gatewayRedirectPairingUrl(finalities: readonly string[], returnTo: string, baseUrl = '/mes'): string {
  const base = baseUrl.replace(/\/$/, '');
  return `${base}/pair/start?${new URLSearchParams({ finalities: finalities.join(' '), mode: 'redirect', return_to: returnTo })}`;
}
