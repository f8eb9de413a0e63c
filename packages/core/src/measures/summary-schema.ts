/** A summary as the gateway sends it, checked before a page draws it. */
import * as z from 'zod/mini';
import { parseResponse } from '../fhir/response.js';
import { MEASURE_TYPES } from '../finalities.js';
import { MEASURE_KINDS } from './kinds.js';
import type { MeasuresSummary } from './summary.js';

const SummarySchema = z.object({
  total: z.number(),
  from: z.optional(z.string()),
  to: z.optional(z.string()),
  kinds: z.array(
    z.object({
      kind: z.enum(MEASURE_KINDS),
      type: z.enum(MEASURE_TYPES),
      count: z.number(),
      from: z.string(),
      to: z.string(),
      unit: z.string(),
      min: z.number(),
      max: z.number(),
      points: z.array(z.number()).check(z.maxLength(1000)),
    }),
  ),
  finalities: z.array(z.string()),
});

export async function readSummary(response: Response): Promise<MeasuresSummary> {
  return (await parseResponse(response, SummarySchema)) as MeasuresSummary;
}
