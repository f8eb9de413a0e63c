/**
 * Fault injection for the FHIR API, set through `PUT /sandbox/faults`: added latency, error
 * statuses at a given rate, and responses dropped after the write was committed — the unclear
 * failure after which a client must search before it resends.
 */
import * as z from 'zod/mini';
import { FhirError } from './fhir/outcome.js';
import type { FhirHandler } from './fhir/handler.js';

export const FaultSettingsSchema = z.strictObject({
  errorRate: z._default(z.number().check(z.gte(0), z.lte(1)), 0),
  latencyMs: z._default(z.int().check(z.gte(0), z.lte(60_000)), 0),
  statuses: z._default(z.array(z.int().check(z.gte(400), z.lte(599))).check(z.minLength(1)), [503]),
  dropResponseRate: z._default(z.number().check(z.gte(0), z.lte(1)), 0),
});
export type FaultSettings = z.infer<typeof FaultSettingsSchema>;

export const NO_FAULTS: FaultSettings = { errorRate: 0, latencyMs: 0, statuses: [503], dropResponseRate: 0 };

/**
 * What fault injection did since the faults were last set (or the sandbox reset), for a soak to
 * report beside what it saw: `GET /sandbox/faults/injected`.
 */
export class InjectedFaults {
  requests = 0;
  delayed = 0;
  /** Error answers, by status. */
  statuses: Record<string, number> = {};
  /** Answers cut after the write was committed. */
  dropped = 0;

  clear(): void {
    this.requests = this.delayed = this.dropped = 0;
    this.statuses = {};
  }

  toJSON() {
    return { requests: this.requests, delayed: this.delayed, statuses: this.statuses, dropped: this.dropped };
  }
}

/** Thrown after the handler ran: the adapter must cut the connection without answering. */
export class DroppedResponse extends Error {
  constructor() {
    super('response dropped by fault injection');
    this.name = 'DroppedResponse';
  }
}

const TEXTS: Record<number, string> = {
  429: 'Too many requests.',
  500: 'Internal server error.',
  502: 'Bad gateway.',
  503: 'Service temporarily unavailable.',
  504: 'Gateway timeout.',
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function withFaults(
  handler: FhirHandler,
  current: () => FaultSettings,
  injected = new InjectedFaults(),
  random = Math.random,
): FhirHandler {
  return async (request) => {
    const faults = current();
    injected.requests++;
    if (faults.latencyMs > 0) {
      injected.delayed++;
      await sleep(faults.latencyMs);
    }
    if (faults.errorRate > 0 && random() < faults.errorRate) {
      const status = faults.statuses[Math.floor(random() * faults.statuses.length)];
      injected.statuses[status] = (injected.statuses[status] ?? 0) + 1;
      const retryable = status === 429 || status === 503;
      return new FhirError(
        status,
        status === 429 ? 'throttled' : 'transient',
        TEXTS[status] ?? `Injected error ${status}.`,
        {
          headers: retryable ? { 'retry-after': '1' } : {},
        },
      ).toResponse();
    }
    const response = await handler(request);
    if (faults.dropResponseRate > 0 && random() < faults.dropResponseRate) {
      injected.dropped++;
      throw new DroppedResponse();
    }
    return response;
  };
}
