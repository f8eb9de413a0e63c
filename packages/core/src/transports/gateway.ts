/**
 * The production transport: the portal's gateway (`@mes-kit/gateway`) holds the tokens and runs
 * every operation on the server; the browser sends the operation's input and reads its progress.
 */
import { forwardProgress } from '../operations/operation.js';
import { OPERATION_INPUT_HEADER } from '../operations/wire.js';
import { httpRequest } from './http.js';
import { gatewayError, postOperation } from './operation-http.js';
import { focusPairingWindow, pairInPopup } from './popup.js';
import type { RemoteTransport, RunOptions } from './transport.js';

/** Sent on every call: a cross-site form or image cannot set it, so the gateway refuses what lacks it. */
export const GATEWAY_HEADER = 'x-mes-kit';

/** Of a patient upload's progress, the share that is the file crossing the patient's link. */
const UPLOAD_SHARE = 0.8;

export interface GatewayTransportOptions {
  /** Where the gateway is mounted (default: `/mes`). */
  baseUrl?: string;
  fetch?: typeof fetch;
}

export function gatewayTransport(options: GatewayTransportOptions = {}): RemoteTransport {
  const base = (options.baseUrl ?? '/mes').replace(/\/$/, '');
  const headers = { [GATEWAY_HEADER]: '1' };
  const get = (path: string, signal?: AbortSignal) =>
    httpRequest(`${base}/${path}`, { method: 'GET', headers, signal, fetch: options.fetch });

  async function session(signal?: AbortSignal) {
    const response = await get('session', signal);
    const { readSession } = await import('./read-session.js');
    return readSession(response);
  }

  return {
    kind: 'remote',
    session,
    async pair(finalities, signal) {
      const start = `${base}/pair/start?${new URLSearchParams({ finalities: finalities.join(' '), mode: 'popup' })}`;
      const origin = new URL(start, globalThis.location?.href).origin;
      await pairInPopup(start, origin, signal);
      return session(signal);
    },
    focusPairing: focusPairingWindow,
    redirectPairingUrl: (finalities, returnTo) => gatewayRedirectPairingUrl(finalities, returnTo, base),
    async revoke() {
      const response = await httpRequest(`${base}/pair/revoke`, { method: 'POST', headers, fetch: options.fetch });
      if (!response.ok) throw await gatewayError(response);
    },
    async agendaCalendar(only = [], signal) {
      const query = new URLSearchParams(only.map((id) => ['only', id]));
      const response = await get(`agenda.ics${only.length > 0 ? `?${query}` : ''}`, signal);
      if (!response.ok) throw await gatewayError(response);
      return response.blob();
    },
    async measuresSummary(query, signal) {
      const params = new URLSearchParams({
        ...(query.kinds && { kinds: query.kinds.join(',') }),
        ...(query.from && { from: query.from }),
        ...(query.to && { to: query.to }),
      });
      const response = await get(`measures/summary?${params}`, signal);
      if (!response.ok) throw await gatewayError(response);
      const { readSummary } = await import('../measures/summary-schema.js');
      return readSummary(response);
    },
    async run(name, input, runOptions = {}) {
      const result = await post(name, input, runOptions);
      if (name !== 'retrieve-document') return result;
      // Loaded with imports only: a page that sends never ships it.
      const { withDownload } = await import('./import-download.js');
      return withDownload(result, (path) => get(path, runOptions.signal));
    },
  };

  function post(name: string, input: unknown, runOptions: RunOptions) {
    const report = forwardProgress(runOptions.onProgress);
    const { file } = input as { file?: unknown };
    // A patient's own file goes up as raw bytes (no base64 on their link), its fields in a header;
    // its checked media type is the body's own content type.
    const upload = file instanceof Blob ? file : undefined;
    const fields = Object.fromEntries(
      Object.entries(input as object).filter(([key]) => key !== 'file' && key !== 'contentType'),
    );
    return postOperation(`${base}/operations/${name}`, {
      headers: upload
        ? {
            ...headers,
            'content-type': upload.type || 'application/octet-stream',
            [OPERATION_INPUT_HEADER]: encodeURIComponent(JSON.stringify(fields)),
          }
        : { ...headers, 'content-type': 'application/json' },
      body: upload ?? JSON.stringify(input),
      signal: runOptions.signal,
      fetch: options.fetch,
      onUploadProgress: upload
        ? (loaded, total) => report({ phase: 'uploading', ratio: UPLOAD_SHARE * (total > 0 ? loaded / total : 0) })
        : undefined,
      onProgress: (progress) =>
        report(upload ? { ...progress, ratio: UPLOAD_SHARE + (1 - UPLOAD_SHARE) * progress.ratio } : progress),
    });
  }
}

/** The page a patient is sent to when popups are blocked: the same pairing, in the current tab. */
export function gatewayRedirectPairingUrl(finalities: readonly string[], returnTo: string, baseUrl = '/mes'): string {
  const base = baseUrl.replace(/\/$/, '');
  return `${base}/pair/start?${new URLSearchParams({ finalities: finalities.join(' '), mode: 'redirect', return_to: returnTo })}`;
}
