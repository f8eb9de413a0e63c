/**
 * Reading measures (mes-interop §3.4): `GET Observation?subject.identifier=<AssignAuth>|<idPe>&code=…`
 * in one of MES's two modes, a period (`date=ge…&date=le…`, paged by page index) or the last value
 * (`_sort=-date&_count=1`), with `_include=Observation:device`; and one Observation by id.
 */
import { BMI, MEASURES, MEASURE_KINDS, MEASURE_SEARCH_CODES } from '@mes-kit/core';
import type { StoredResource } from '../../store/store.js';
import type { Caller } from '../auth.js';
import type { FhirContext } from '../context.js';
import { FhirError, fhirJson } from '../outcome.js';
import {
  dateFilter,
  parseCount,
  parseOffset,
  parseToken,
  rejectUnknownParameters,
  searchError,
  searchsetPage,
} from '../search.js';
import { MEASURE_TEXTS, deviceIdOf, kindOf, readableBy, type MeasureObservation } from './common.js';
import { requireSearchedPatient } from '../patient.js';

const PAGE_SIZE = { byDefault: 50, max: 100 };
const KNOWN = new Set(['subject.identifier', 'code', 'date', '_sort', '_count', '_offset', '_include', '_format']);
/** MES's spec writes it both ways. */
const INCLUDE_DEVICE = new Set(['Observation:device', 'Observation.device']);

/**
 * Every code MES searches by, and the finalité types reading it needs: for the BMI, which MES
 * computes from them, weight's and height's.
 */
const SEARCHABLE = [
  ...MEASURE_KINDS.map((kind) => ({ coding: MEASURES[kind].code, types: [MEASURES[kind].type] })),
  { coding: BMI.code, types: [MEASURES.weight.type, MEASURES.height.type] },
];

type Readable = (observation: MeasureObservation) => boolean;

/** The searched codes, each with which of its measures the caller may read (403 for one it may not read at all). */
function readableCodes(params: URLSearchParams, caller: Caller, ctx: FhirContext): Map<string, Readable> {
  const values = params.getAll('code');
  const codes = MEASURE_SEARCH_CODES.join(', ');
  if (values.length !== 1) {
    throw searchError('code', `code is required, once: one or more of ${codes}, separated by commas.`);
  }
  const readable = new Map<string, Readable>();
  for (const token of values[0].split(',')) {
    const { system, code } = parseToken(token);
    const searched = SEARCHABLE.find(({ coding }) => coding.code === code && (!system || coding.system === system));
    if (!searched) throw searchError('code', `code: ${token} is not a measure of Mon espace santé (${codes}).`);
    readable.set(code, readableBy(caller, searched.types, ctx.config));
  }
  return readable;
}

/** Both bounds of the period, as MES requires them. */
function periodOf(params: URLSearchParams): (instant: number) => boolean {
  const bounds = params.getAll('date');
  const from = bounds.filter((bound) => /^(ge|gt)/.test(bound));
  const to = bounds.filter((bound) => /^(le|lt)/.test(bound));
  if (bounds.length !== 2 || from.length !== 1 || to.length !== 1) {
    throw searchError('date', 'date must give both bounds of the period: date=ge<start>&date=le<end>.');
  }
  const tests = bounds.map((bound) => dateFilter('date', bound));
  return (instant) => tests.every((test) => test(instant));
}

/** The search mode, checked as MES does: the last value, or a period. */
function modeOf(params: URLSearchParams): 'last' | 'period' {
  const last = params.has('_sort');
  if (last && (params.has('date') || params.has('_offset'))) throw searchError('_sort', MEASURE_TEXTS.bothModes);
  if (last) {
    const [sort, ...moreSorts] = params.getAll('_sort');
    const [count, ...moreCounts] = params.getAll('_count');
    if (sort !== '-date' || count !== '1' || moreSorts.length + moreCounts.length > 0) {
      throw searchError('_sort', MEASURE_TEXTS.lastMode);
    }
    return 'last';
  }
  if (!params.has('date')) throw searchError('date', MEASURE_TEXTS.noMode);
  return 'period';
}

const effectiveOf = (entry: StoredResource) => Date.parse((entry.resource as MeasureObservation).effectiveDateTime);

/** Newest first; filed later first among readings of the same instant. */
const newestFirst = (a: StoredResource, b: StoredResource) =>
  effectiveOf(b) - effectiveOf(a) || b.lastUpdated.localeCompare(a.lastUpdated) || a.id.localeCompare(b.id);

export function searchObservations(url: URL, caller: Caller, ctx: FhirContext): Response {
  const params = url.searchParams;
  rejectUnknownParameters(params, KNOWN);
  requireSearchedPatient(params, 'subject.identifier', caller, 'subject.identifier is required: <AssignAuth>|<idPe>.');
  const readable = readableCodes(params, caller, ctx);
  const mode = modeOf(params);
  const inPeriod = mode === 'period' ? periodOf(params) : () => true;
  const count = mode === 'period' ? parseCount(params, PAGE_SIZE) : 1;
  const page = mode === 'period' ? parseOffset(params) : 0;
  const includes = params.getAll('_include');
  if (includes.some((include) => !INCLUDE_DEVICE.has(include))) {
    throw searchError('_include', '_include must be Observation:device.');
  }

  const matches = ctx.store
    .list(caller.persona.key, 'Observation')
    .filter((entry) => {
      const observation = entry.resource as MeasureObservation;
      const kind = kindOf(observation.code.coding);
      const mayRead = kind && readable.get(MEASURES[kind].code.code);
      return mayRead?.(observation) === true && inPeriod(effectiveOf(entry));
    })
    .sort(newestFirst);
  const shown = matches.slice(page * count, page * count + count).map((entry) => entry.resource as MeasureObservation);
  const devices = new Map<string, { fullUrl: string; resource: unknown }>();
  for (const observation of includes.length > 0 ? shown : []) {
    const id = deviceIdOf(observation);
    const device = devices.has(id) ? undefined : ctx.store.get('Device', id);
    if (device?.persona === caller.persona.key) {
      devices.set(id, { fullUrl: `${ctx.fhirBase}/Device/${id}`, resource: device.resource });
    }
  }
  return fhirJson(
    searchsetPage(`${ctx.fhirBase}/Observation`, params, {
      // The last value is the one measure this search finds.
      total: mode === 'period' ? matches.length : shown.length,
      offset: page,
      count,
      offsetCounts: mode === 'period' ? 'pages' : 'nothing',
      entries: shown.map((observation) => ({
        fullUrl: `${ctx.fhirBase}/Observation/${observation.id}`,
        resource: observation,
      })),
      included: [...devices.values()],
    }),
  );
}

export function readObservation(id: string, caller: Caller, ctx: FhirContext): Response {
  const entry = ctx.store.get('Observation', id);
  const notFound = () => new FhirError(404, 'not-found', `Observation/${id} does not exist.`);
  // Another patient's is as absent as a missing one.
  if (!entry || entry.persona !== caller.persona.key) throw notFound();
  const observation = entry.resource as MeasureObservation;
  const kind = kindOf(observation.code.coding);
  // Another service's, to a service that may only read back its own, too.
  if (!kind || !readableBy(caller, [MEASURES[kind].type], ctx.config)(observation)) throw notFound();
  return fhirJson(observation, 200, { etag: `W/"${entry.versionId}"` });
}
