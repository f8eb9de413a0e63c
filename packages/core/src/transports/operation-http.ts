/**
 * One operation run by the gateway: the input goes up (JSON, or a file's raw bytes with real upload
 * progress), progress and the outcome come back as NDJSON lines, read as they arrive.
 */
import { MesError } from '../errors.js';
import type { OperationProgress } from '../operations/operation.js';
import { OPERATION_CONTENT_TYPE, type OperationMessage } from '../operations/wire.js';

export interface OperationHttpOptions {
  headers: Record<string, string>;
  body: Blob | string;
  signal?: AbortSignal;
  fetch?: typeof fetch;
  onUploadProgress?: (loaded: number, total: number) => void;
  onProgress?: (progress: OperationProgress) => void;
}

/** Splits text into NDJSON lines as it arrives; each complete line goes to `take`. */
function lineReader(take: (line: string) => void) {
  let pending = '';
  return (chunk: string, last = false) => {
    const lines = (pending + chunk).split('\n');
    pending = last ? '' : lines.pop()!;
    for (const line of lines) if (line.trim()) take(line);
  };
}

const isProgress = (value: unknown): value is OperationProgress =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as OperationProgress).phase === 'string' &&
  Number.isFinite((value as OperationProgress).ratio);

/** Resolves with the result line, rejects with the error line, or MES_NETWORK when the stream ends without either. */
function outcomeCollector(onProgress?: (progress: OperationProgress) => void) {
  let outcome: { result: unknown } | { error: MesError } | undefined;
  return {
    take(line: string) {
      let message: OperationMessage;
      try {
        message = JSON.parse(line) as OperationMessage;
      } catch (cause) {
        outcome = { error: new MesError('MES_INVALID_RESPONSE', { cause }) };
        return;
      }
      // A line that is no message (`5`, `null`, `[]`) is a bad answer: `in` would throw on it, and
      // that throw, mid-stream, would pass for a cut connection.
      if (typeof message !== 'object' || message === null || Array.isArray(message)) {
        outcome = { error: new MesError('MES_INVALID_RESPONSE') };
        return;
      }
      if (outcome) return;
      // Progress the page could not show (no ratio, NaN) is left out rather than passed on.
      if ('progress' in message) {
        if (isProgress(message.progress)) onProgress?.(message.progress);
      } else if ('result' in message) outcome = { result: message.result };
      else if ('error' in message) outcome = { error: MesError.fromJSON(message.error) };
    },
    /** Whether a line said how the operation ended. */
    get concluded() {
      return outcome !== undefined;
    },
    settle(): unknown {
      // The answer was cut: the operation may or may not have completed on the server.
      if (!outcome) throw new MesError('MES_NETWORK');
      if ('error' in outcome) throw outcome.error;
      return outcome.result;
    },
  };
}

/** An answer that is not the operation's stream (a proxy's error page…): loaded only then, with its schemas. */
async function errorOf(response: Response): Promise<MesError> {
  const { errorFromResponse } = await import('../fhir/response.js');
  return errorFromResponse(response);
}

const isStream = (contentType: string | null) => contentType?.split(';')[0]?.trim() === OPERATION_CONTENT_TYPE;

/** The gateway's refusal of a call that is not an operation's stream (a download): its error line, or the status's. */
export async function gatewayError(response: Response): Promise<MesError> {
  if (!isStream(response.headers.get('content-type'))) return errorOf(response);
  const collector = outcomeCollector();
  for (const line of (await response.text()).split('\n')) if (line.trim()) collector.take(line);
  // A refusal is whole: without an error line, settle's MES_NETWORK (for a cut stream) does not apply.
  if (!collector.concluded) return new MesError('MES_INVALID_RESPONSE', { status: response.status });
  try {
    collector.settle();
  } catch (error) {
    if (error instanceof MesError) return error;
  }
  return new MesError('MES_INVALID_RESPONSE', { status: response.status });
}

function viaXhr(url: string, options: OperationHttpOptions): Promise<unknown> {
  const collector = outcomeCollector(options.onProgress);
  const read = lineReader((line) => collector.take(line));
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    let seen = 0;
    const drain = (last = false) => {
      if (!isStream(xhr.getResponseHeader('content-type'))) return;
      const text = xhr.responseText;
      read(text.slice(seen), last);
      seen = text.length;
    };
    xhr.open('POST', url);
    for (const [name, value] of Object.entries(options.headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => options.onUploadProgress?.(event.loaded, event.total);
    xhr.onprogress = () => drain();
    xhr.onload = () => {
      try {
        if (isStream(xhr.getResponseHeader('content-type'))) {
          drain(true);
          resolve(collector.settle());
          return;
        }
        const headers = new Headers({ 'content-type': xhr.getResponseHeader('content-type') ?? '' });
        void errorOf(new Response(xhr.responseText, { status: xhr.status, headers })).then(reject);
      } catch (error) {
        reject(error instanceof MesError ? error : new MesError('MES_INVALID_RESPONSE', { cause: error }));
      }
    };
    xhr.onerror = () => reject(new TypeError('Network request failed'));
    const abort = () => {
      xhr.abort();
      reject(new DOMException('Aborted', 'AbortError'));
    };
    if (options.signal?.aborted) return abort();
    options.signal?.addEventListener('abort', abort, { once: true });
    xhr.send(options.body);
  });
}

async function viaFetch(url: string, options: OperationHttpOptions): Promise<unknown> {
  const response = await (options.fetch ?? fetch)(url, {
    method: 'POST',
    headers: options.headers,
    body: options.body,
    signal: options.signal,
    credentials: 'same-origin',
  });
  const size = typeof options.body === 'string' ? options.body.length : options.body.size;
  options.onUploadProgress?.(size, size);
  if (!isStream(response.headers.get('content-type')) || !response.body) throw await errorOf(response);
  const collector = outcomeCollector(options.onProgress);
  const read = lineReader((line) => collector.take(line));
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  let cut = false;
  try {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      read(decoder.decode(chunk.value, { stream: true }));
    }
  } catch (error) {
    // Cut mid-stream: unclear, unless the outcome had already arrived.
    if (options.signal?.aborted) throw error;
    cut = true;
  }
  // A line the cut left half-read is no answer (MES_NETWORK), not a bad one.
  if (!cut) read(decoder.decode(), true);
  return collector.settle();
}

export function postOperation(url: string, options: OperationHttpOptions): Promise<unknown> {
  // A custom fetch (tests, Node) is honoured; in a browser, XHR reports the upload's real progress.
  return !options.fetch && typeof XMLHttpRequest !== 'undefined' ? viaXhr(url, options) : viaFetch(url, options);
}
