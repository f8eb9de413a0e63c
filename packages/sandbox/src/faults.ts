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

export function withFaults(handler: FhirHandler, current: () => FaultSettings, random = Math.random): FhirHandler {
  return async (request) => {
    const faults = current();
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    if (faults.errorRate > 0 && random() < faults.errorRate) {
      const status = faults.statuses[Math.floor(random() * faults.statuses.length)];
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
    if (faults.dropResponseRate > 0 && random() < faults.dropResponseRate) throw new DroppedResponse();
    return response;
  };
}
