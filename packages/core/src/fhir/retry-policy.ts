/**
 * How hard to try: apart from the retrying itself (retry.ts), which only the operations load, so
 * that a page showing a button does not ship it.
 */

export interface RetryPolicy {
  /** Total attempts, the first included (default: 4). */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Per-attempt time limit, plus the time to upload the body at 50 kB/s (default: 60 s). */
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 120_000, timeoutMs: 60_000 };
