/**
 * Retrying what is safe to retry: 429 and 503 answers, after the delay MES asks for in
 * `Retry-After` (seconds or HTTP date), else exponential backoff with jitter.
 */
import { normalizeError } from '../errors.js';
import type { FhirRequest, RequestOptions } from '../transports/transport.js';
import { DEFAULT_RETRY, type RetryPolicy } from './retry-policy.js';

/** One FHIR call to MES: resolves with any HTTP answer, rejects only when there is none. */
export type FhirCall = (request: FhirRequest, options?: RequestOptions) => Promise<Response>;

const SLOWEST_UPLOAD_BYTES_PER_MS = 50;

/** How long to wait before retrying; `undefined` when MES asks for longer than the policy waits (no early retry). */
export function retryDelayMs(
  response: Response,
  attempt: number,
  policy: RetryPolicy,
  random = Math.random,
): number | undefined {
  const header = response.headers.get('retry-after');
  if (header !== null) {
    const seconds = Number(header);
    const delay = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
    if (Number.isFinite(delay)) return delay > policy.maxDelayMs ? undefined : Math.max(delay, 0);
  }
  return Math.min(policy.baseDelayMs * 2 ** attempt * (0.5 + random() / 2), policy.maxDelayMs);
}

/** Resolves after `ms`, or rejects as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Each attempt's signals, until its time limit passes. Node 20 may collect an `AbortSignal.any()` that
 * only a response body still being read uses, and then its timeout never fires (nodejs/node#57736):
 * a stuck answer would hang the operation.
 */
const attemptSignals = new Set<AbortSignal>();

/** Resolves with the first answer that is not a retryable refusal, or the last one. Network failures reject. */
export async function requestWithRetry(
  call: FhirCall,
  request: FhirRequest,
  options: RequestOptions & { policy?: RetryPolicy } = {},
): Promise<Response> {
  const policy = options.policy ?? DEFAULT_RETRY;
  for (let attempt = 0; ; attempt++) {
    const timeout = AbortSignal.timeout(
      Math.ceil(policy.timeoutMs + (request.body?.length ?? 0) / SLOWEST_UPLOAD_BYTES_PER_MS),
    );
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    attemptSignals.add(signal).add(timeout);
    const release = () => {
      attemptSignals.delete(signal);
      attemptSignals.delete(timeout);
    };
    timeout.addEventListener('abort', release, { once: true });
    const response = await call(request, { signal, onUploadProgress: options.onUploadProgress });
    const retryable = response.status === 429 || response.status === 503;
    const delay = retryable && attempt < policy.attempts - 1 ? retryDelayMs(response, attempt, policy) : undefined;
    if (delay === undefined) return response;
    await sleep(delay, options.signal);
  }
}

/**
 * A request whose answer was lost is sent this many times in all, when it is safe to repeat: with one
 * answer in ten lost, a search then fails once in 100,000, and 1,344 readings all get through.
 */
export const LOST_ANSWER_ATTEMPTS = 5;

/**
 * `requestWithRetry` for a request that is safe to repeat (a search, a conditional write): sent
 * again when no answer came back at all — never after an abort the patient asked for.
 */
export async function requestSafeToRepeat(
  call: FhirCall,
  request: FhirRequest,
  options: RequestOptions & { policy?: RetryPolicy } = {},
): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await requestWithRetry(call, request, options);
    } catch (error) {
      const lost = normalizeError(error).code === 'MES_NETWORK';
      if (!lost || attempt >= LOST_ANSWER_ATTEMPTS || options.signal?.aborted) throw error;
    }
  }
}
