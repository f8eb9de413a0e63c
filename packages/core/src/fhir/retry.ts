/**
 * Retrying what is safe to retry: 429 and 503 answers, after the delay MES asks for in
 * `Retry-After` (seconds or HTTP date), else exponential backoff with jitter.
 */
import type { FhirRequest, RequestOptions, Transport } from '../transports/transport.js';

export interface RetryPolicy {
  /** Total attempts, the first included (default: 4). */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Per-attempt time limit (default: 60 s). */
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 30_000, timeoutMs: 60_000 };

export function retryDelayMs(response: Response, attempt: number, policy: RetryPolicy, random = Math.random): number {
  const header = response.headers.get('retry-after');
  if (header !== null) {
    const seconds = Number(header);
    const delay = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
    if (Number.isFinite(delay)) return Math.min(Math.max(delay, 0), policy.maxDelayMs);
  }
  return Math.min(policy.baseDelayMs * 2 ** attempt * (0.5 + random() / 2), policy.maxDelayMs);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
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

/** Resolves with the first answer that is not a retryable refusal, or the last one. Network failures reject. */
export async function requestWithRetry(
  transport: Transport,
  request: FhirRequest,
  options: RequestOptions & { policy?: RetryPolicy } = {},
): Promise<Response> {
  const policy = options.policy ?? DEFAULT_RETRY;
  for (let attempt = 0; ; attempt++) {
    const timeout = AbortSignal.timeout(policy.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const response = await transport.request(request, { signal, onUploadProgress: options.onUploadProgress });
    const retryable = response.status === 429 || response.status === 503;
    if (!retryable || attempt >= policy.attempts - 1) return response;
    await sleep(retryDelayMs(response, attempt, policy), options.signal);
  }
}
