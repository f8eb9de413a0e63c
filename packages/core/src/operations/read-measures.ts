/**
 * The patient's measures of one kind as MES holds them, whoever filed them: those of a period, or
 * the last one (mes-interop §3.4). Needs the measure's `_LECTURE` finalité.
 */
import * as z from 'zod/mini';
import { MesError, normalizeError } from '../errors.js';
import { InstantString } from '../fhir/instant.js';
import { AdaptiveConcurrency } from '../fhir/pacing.js';
import { MEASURE_TYPES, measureFinality, type Finality } from '../finalities.js';
import { searchMeasures, type HeldMeasure } from '../measures/held.js';
import { MEASURES, MEASURE_KINDS, type MeasureKind } from '../measures/kinds.js';
import { MEASURES_CONCURRENCY } from './send-measures.js';
import type { Operation, OperationContext } from './operation.js';

export interface ReadMeasuresInput {
  kind: MeasureKind;
  /** A period (both bounds, ISO 8601 with timezone), or `last` for the latest value only. */
  range: { from: string; to: string } | 'last';
}

const InputSchema = z.strictObject({
  kind: z.enum(MEASURE_KINDS),
  range: z.union([z.literal('last'), z.strictObject({ from: InstantString, to: InstantString })]),
});

function parse(input: unknown): ReadMeasuresInput {
  const parsed = InputSchema.safeParse(input);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.');
    throw new MesError('MES_INVALID_INPUT', { operation: 'read-measures', field: field || 'input' });
  }
  const { range } = parsed.data;
  if (range !== 'last' && Date.parse(range.to) < Date.parse(range.from)) {
    throw new MesError('MES_INVALID_INPUT', { operation: 'read-measures', field: 'range.to' });
  }
  return parsed.data;
}

async function run(context: OperationContext, input: ReadMeasuresInput): Promise<HeldMeasure[]> {
  try {
    const call = new AdaptiveConcurrency(MEASURES_CONCURRENCY).pace(context.request);
    const range =
      input.range === 'last'
        ? undefined
        : { from: new Date(input.range.from).toISOString(), to: new Date(input.range.to).toISOString() };
    return await searchMeasures(
      call,
      { idPe: context.session.idPe, kind: input.kind, ...(range && { range }) },
      { signal: context.signal, retry: context.retry },
    );
  } catch (error) {
    throw normalizeError(error, 'read-measures');
  }
}

/** The measure's `_LECTURE`; without an input, any measure's. */
const finalities = (input?: ReadMeasuresInput): Finality[] =>
  input
    ? [measureFinality(MEASURES[input.kind].type, 'LECTURE')]
    : MEASURE_TYPES.map((type) => measureFinality(type, 'LECTURE'));

export const readMeasuresOperation: Operation<ReadMeasuresInput, HeldMeasure[]> = {
  name: 'read-measures',
  finalities,
  parse,
  run,
};
