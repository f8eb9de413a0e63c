/**
 * Reading the gateway's answer about the session: loaded on first use, so that a page showing a
 * button does not ship the schemas before it needs them.
 */
import * as z from 'zod/mini';
import { errorFromResponse, parseResponse } from '../fhir/response.js';
import type { MesSession } from './transport.js';

export const SessionSchema = z.object({
  paired: z.boolean(),
  finalities: z.array(z.string()),
  idPe: z.optional(z.string()),
  service: z.object({ oid: z.string().check(z.minLength(1)), name: z.string().check(z.minLength(1)) }),
});

export async function readSession(response: Response): Promise<MesSession> {
  if (!response.ok) throw await errorFromResponse(response);
  return parseResponse(response, SessionSchema);
}
