/**
 * Many calls to MES at once, as many as it takes: up to `max` in flight; a 429 halves that and holds
 * every call until its `Retry-After` has passed; each run of successes as long as the limit gives one
 * back (additive increase, multiplicative decrease, as TCP does).
 */
import { retryDelayMs, sleep, type FhirCall } from './retry.js';
import { DEFAULT_RETRY } from './retry-policy.js';

/** Without `Retry-After`, a 429 holds the calls this long. */
const DEFAULT_HOLD_MS = 1000;

export class AdaptiveConcurrency {
  /** Calls allowed in flight now. */
  limit: number;
  private active = 0;
  private successes = 0;
  private resumeAt = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly max: number) {
    this.limit = max;
  }

  /** `call`, paced: each call waits for a free slot, and the answers teach the limit. */
  pace(call: FhirCall): FhirCall {
    return async (request, options) => {
      await this.acquire(options?.signal);
      try {
        const response = await call(request, options);
        this.learn(response);
        return response;
      } finally {
        this.active--;
        this.waiting.shift()?.();
      }
    };
  }

  private async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const hold = this.resumeAt - Date.now();
      if (hold > 0) {
        await sleep(hold, signal);
      } else if (this.active < this.limit) {
        this.active++;
        return;
      } else {
        await new Promise<void>((resolve) => this.waiting.push(resolve));
      }
    }
  }

  private learn(response: Response) {
    if (response.status === 429) {
      this.limit = Math.max(1, Math.floor(this.limit / 2));
      this.successes = 0;
      const asked = response.headers.has('retry-after') ? retryDelayMs(response, 0, DEFAULT_RETRY) : undefined;
      const hold = asked ?? DEFAULT_HOLD_MS;
      this.resumeAt = Math.max(this.resumeAt, Date.now() + hold);
      return;
    }
    if (++this.successes >= this.limit && this.limit < this.max) {
      this.limit++;
      this.successes = 0;
      // A slot more: one waiting call can go now.
      this.waiting.shift()?.();
    }
  }
}
