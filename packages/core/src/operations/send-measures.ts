/**
 * « Envoyer mes mesures vers Mon espace santé »: a connected scale's weeks, a glucose sensor's 1,344
 * readings. MES takes one Observation per transaction, so this is a fan-out: first what MES already
 * holds of these readings (they are « déjà présentes »), then one bundle per missing reading, as many
 * at once as MES lets through. A reading whose answer was lost is looked up before it is sent again:
 * a retry never files it twice.
 */
import * as z from 'zod/mini';
import { MesError, normalizeError, type MesErrorCode, type MesErrorJson } from '../errors.js';
import { InstantString } from '../fhir/instant.js';
import { AdaptiveConcurrency } from '../fhir/pacing.js';
import { errorFromResponse, parseResponse } from '../fhir/response.js';
import { LOST_ANSWER_ATTEMPTS, requestWithRetry, type FhirCall } from '../fhir/retry.js';
import { measureFinality, type Finality } from '../finalities.js';
import { searchMeasures, type HeldMeasure } from '../measures/held.js';
import { MEASURES, MEASURE_KINDS, writeFinalitiesOf, type MeasureKind } from '../measures/kinds.js';
import { measureBundle, measureSystemOf } from '../measures/observation.js';
import { TransactionResponseSchema } from '../schemas/responses.js';
import { checkSeries, type CheckedReading, type MeasureSeries } from '../measures/series.js';
import { forwardProgress, type Operation, type OperationContext } from './operation.js';

export interface SendMeasuresInput {
  /** The readings (direct mode). In gateway mode leave them out: the gateway asks the host's `measures.list`. */
  series?: MeasureSeries[];
  /** Only these measures (the page's choice). */
  kinds?: MeasureKind[];
  /** Only readings from this instant on, and up to that one (ISO 8601 with timezone). */
  from?: string;
  to?: string;
}

/** The input once checked: as given, and its readings in MES's units, filtered as asked. */
export interface CheckedMeasuresInput extends Omit<SendMeasuresInput, 'series'> {
  series?: unknown[];
  readings?: CheckedReading[];
}

export type ReadingOutcome = 'created' | 'present' | 'failed';

export interface ReadingResult {
  id: string;
  kind: MeasureKind;
  /** `present`: MES had it already (sent before), and it was not sent again. */
  outcome: ReadingOutcome;
  error?: MesErrorJson;
}

export type MeasureCounts = Record<ReadingOutcome, number>;

export interface SendMeasuresResult {
  readings: ReadingResult[];
  /** How many of each outcome, per measure. */
  byKind: Partial<Record<MeasureKind, MeasureCounts>>;
  total: MeasureCounts;
}

/** Transactions in flight at most; fewer while MES answers 429. */
export const MEASURES_CONCURRENCY = 8;
/** Progress messages in a run, at most (and the last one). */
const PROGRESS_STEPS = 200;
/** Failures after which nothing else can succeed: the run stops. */
const STOPS_THE_RUN = new Set<MesErrorCode>(['MES_AUTH_REQUIRED', 'MES_CONFIGURATION', 'MES_ABORTED']);

const InputSchema = z.strictObject({
  series: z.optional(z.array(z.unknown())),
  kinds: z.optional(z.array(z.enum(MEASURE_KINDS)).check(z.minLength(1))),
  from: z.optional(InstantString),
  to: z.optional(InstantString),
  // What an earlier `parse` derived: derived again from `series`, never taken as given.
  readings: z.optional(z.unknown()),
});

const invalid = (field: string) => new MesError('MES_INVALID_INPUT', { operation: 'send-measures', field });

function parse(input: unknown): CheckedMeasuresInput {
  const parsed = InputSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path[0];
    throw invalid(typeof field === 'string' ? field : 'input');
  }
  const { series, kinds, from, to } = parsed.data;
  const start = from === undefined ? -Infinity : Date.parse(from);
  const end = to === undefined ? Infinity : Date.parse(to);
  if (end < start) throw invalid('to');
  const query = { ...(kinds && { kinds }), ...(from && { from }), ...(to && { to }) };
  if (series === undefined) return query;
  const chosen = kinds && new Set(kinds);
  const readings = checkSeries(series).filter((reading) => {
    const at = Date.parse(reading.at);
    return (!chosen || chosen.has(reading.kind)) && at >= start && at <= end;
  });
  return { ...query, series, readings };
}

/** The finalités this input needs, one per measure type it sends. */
export function measureFinalitiesOf(input?: CheckedMeasuresInput): Finality[] {
  const sent = input?.readings?.map((reading) => reading.kind);
  return writeFinalitiesOf(sent?.length ? sent : (input?.kinds ?? MEASURE_KINDS));
}

/** Whether MES says this service filed it: `meta.source` is MES's own record, an identifier is anyone's to write. */
const filedBy = (source: string | undefined, oid: string) =>
  source === `urn:oid:${oid}` || source?.startsWith(`urn:oid:${oid}.`) === true;

/** What MES holds of some readings: their ids, and the measures it would not say of. */
interface Held {
  ids: Set<string>;
  /** Measures MES refused to search (no `_LECTURE`): whether it holds their readings is unknown. */
  unknown: Set<MeasureKind>;
}

/** The readings of this list that MES holds already, filed by this service under their identifiers, per measure. */
async function heldOf(call: FhirCall, context: OperationContext, readings: CheckedReading[]): Promise<Held> {
  const { oid } = context.session.service;
  const system = measureSystemOf(context.session.service);
  const held: Held = { ids: new Set(), unknown: new Set() };
  const byKind = new Map<MeasureKind, CheckedReading[]>();
  for (const reading of readings) {
    const ofKind = byKind.get(reading.kind);
    if (ofKind) ofKind.push(reading);
    else byKind.set(reading.kind, [reading]);
  }
  await Promise.all(
    [...byKind].map(async ([kind, ofKind]) => {
      const instants = ofKind.map((reading) => Date.parse(reading.at));
      const range = {
        from: new Date(Math.min(...instants)).toISOString(),
        to: new Date(Math.max(...instants)).toISOString(),
      };
      let measures: HeldMeasure[];
      try {
        measures = await searchMeasures(
          call,
          { idPe: context.session.idPe, kind, range },
          { signal: context.signal, retry: context.retry },
        );
      } catch (error) {
        if (normalizeError(error).code !== 'MES_CONSENT_REQUIRED') throw error;
        held.unknown.add(kind);
        return;
      }
      const wanted = new Set(ofKind.map((reading) => `${system}|${reading.id}`));
      for (const measure of measures) {
        // Another service may put our identifier on its own measure: it is not ours, ours is still to send.
        if (!filedBy(measure.source, oid)) continue;
        for (const identifier of measure.identifiers) {
          if (wanted.has(identifier)) held.ids.add(identifier.slice(system.length + 1));
        }
      }
    }),
  );
  return held;
}

/** Files one reading; after a lost answer, finds out whether MES has it before sending again. */
async function send(call: FhirCall, context: OperationContext, reading: CheckedReading): Promise<ReadingOutcome> {
  const { service, idPe } = context.session;
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await requestWithRetry(
        call,
        {
          method: 'POST',
          path: '',
          body: JSON.stringify(measureBundle(reading, service, idPe)),
          headers: { 'content-type': 'application/fhir+json' },
        },
        { signal: context.signal, policy: context.retry },
      );
    } catch (error) {
      const failure = normalizeError(error, 'send-measures');
      if (failure.code !== 'MES_NETWORK' || attempt >= LOST_ANSWER_ATTEMPTS || context.signal?.aborted) throw failure;
      const held = await heldOf(call, context, [reading]);
      // Whether MES filed it cannot be known: it is not sent again, so never twice.
      if (held.unknown.has(reading.kind)) throw failure;
      if (held.ids.has(reading.id)) return 'created';
      continue;
    }
    if (!response.ok) throw await errorFromResponse(response);
    const answer = await parseResponse(response, TransactionResponseSchema);
    if (!answer.entry.some((entry) => entry.response.status.startsWith('201'))) {
      throw new MesError('MES_INVALID_RESPONSE', { operation: 'send-measures', status: response.status });
    }
    return 'created';
  }
}

function countsOf(results: ReadingResult[]): Pick<SendMeasuresResult, 'byKind' | 'total'> {
  const zero = (): MeasureCounts => ({ created: 0, present: 0, failed: 0 });
  const total = zero();
  const byKind: Partial<Record<MeasureKind, MeasureCounts>> = {};
  for (const result of results) {
    (byKind[result.kind] ??= zero())[result.outcome]++;
    total[result.outcome]++;
  }
  return { byKind, total };
}

async function run(context: OperationContext, input: CheckedMeasuresInput): Promise<SendMeasuresResult> {
  try {
    context.signal?.throwIfAborted();
    const readings = input.readings;
    if (!readings) throw invalid('series');
    // Nothing to send (the host has no reading in the period): nothing is asked of MES.
    if (readings.length === 0) return { readings: [], ...countsOf([]) };
    const progress = forwardProgress(context.onProgress);
    const results = new Map<CheckedReading, ReadingResult>();
    const fail = (reading: CheckedReading, error: MesError) =>
      results.set(reading, { id: reading.id, kind: reading.kind, outcome: 'failed', error: error.toJSON() });

    // A measure the patient has not consented to is not sent at all: MES would refuse it anyway.
    const granted = new Set(context.session.finalities);
    const refusedTypes = new Set(
      readings.map((r) => MEASURES[r.kind].type).filter((type) => !granted.has(measureFinality(type, 'ECRITURE'))),
    );
    const allowed = readings.filter((reading) => !refusedTypes.has(MEASURES[reading.kind].type));
    if (allowed.length === 0) throw new MesError('MES_CONSENT_REQUIRED', { operation: 'send-measures' });
    const consentRequired = new MesError('MES_CONSENT_REQUIRED', { operation: 'send-measures' });
    for (const reading of readings) if (refusedTypes.has(MEASURES[reading.kind].type)) fail(reading, consentRequired);

    const pacing = new AdaptiveConcurrency(MEASURES_CONCURRENCY);
    const call = pacing.pace(context.request);
    const total = readings.length;
    progress({ phase: 'checking', ratio: 0, done: 0, total });
    // A measure MES will not say it holds is sent once; a lost answer is then a failure.
    const held = (await heldOf(call, context, allowed)).ids;
    const queue: CheckedReading[] = [];
    for (const reading of allowed) {
      if (held.has(reading.id)) results.set(reading, { id: reading.id, kind: reading.kind, outcome: 'present' });
      else queue.push(reading);
    }
    let done = results.size;
    // Every half a per cent at most: 1,344 readings make 200 progress messages, not 1,344 (each one
    // an event in the page, a line streamed from a gateway).
    const step = Math.max(1, Math.floor(total / PROGRESS_STEPS));
    let reported = -Infinity;
    const report = () => {
      if (done - reported < step && done < total) return;
      reported = done;
      progress({ phase: 'sending', ratio: 0.05 + (0.95 * done) / total, done, total });
    };
    report();

    let stopped: MesError | undefined;
    const worker = async () => {
      for (let reading = queue.shift(); reading && !stopped; reading = queue.shift()) {
        const type = MEASURES[reading.kind].type;
        if (refusedTypes.has(type)) {
          fail(reading, consentRequired);
        } else {
          try {
            const outcome = await send(call, context, reading);
            results.set(reading, { id: reading.id, kind: reading.kind, outcome });
          } catch (error) {
            const failure = normalizeError(error, 'send-measures');
            if (STOPS_THE_RUN.has(failure.code) || context.signal?.aborted) stopped ??= failure;
            // The patient withdrew this measure in MES meanwhile: its other readings are not sent.
            if (failure.code === 'MES_CONSENT_REQUIRED') refusedTypes.add(type);
            fail(reading, failure);
          }
        }
        done++;
        report();
      }
    };
    await Promise.all(Array.from({ length: Math.min(MEASURES_CONCURRENCY, queue.length) }, worker));
    // What was filed stays filed; the next run finds it « déjà présente » and sends the rest.
    if (stopped) throw stopped;
    const list = readings.map((reading) => results.get(reading)!);
    if (list.every((result) => result.error?.code === 'MES_CONSENT_REQUIRED')) throw consentRequired;
    progress({ phase: 'done', ratio: 1, done: total, total });
    return { readings: list, ...countsOf(list) };
  } catch (error) {
    throw normalizeError(error, 'send-measures');
  }
}

export const sendMeasuresOperation: Operation<CheckedMeasuresInput, SendMeasuresResult> = {
  name: 'send-measures',
  finalities: measureFinalitiesOf,
  parse,
  run,
};
