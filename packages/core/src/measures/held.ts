/**
 * What MES holds: its Observation search (mes-interop §3.4), every page of it, and each Observation
 * read back as a measure a page can show — checked by schema, never taken raw.
 */
import * as z from 'zod/mini';
import { MesError } from '../errors.js';
import { errorFromResponse, parseResponse } from '../fhir/response.js';
import { requestSafeToRepeat, type FhirCall } from '../fhir/retry.js';
import type { RetryPolicy } from '../fhir/retry-policy.js';
import { IDPE_SYSTEM } from '../fhir/systems.js';
import { CodingSchema, IdentifierSchema } from '../schemas/fhir.js';
import { SearchsetSchema } from '../schemas/responses.js';
import { BLOOD_PRESSURE_COMPONENTS, MEASURES, measureKindOf, type MeasureKind } from './kinds.js';

/** A measure as MES holds it. */
export interface HeldMeasure {
  kind: MeasureKind;
  /** MES's id for it. */
  id: string;
  at: string;
  value?: number;
  systolic?: number;
  diastolic?: number;
  /** As people read it (« mmHg »). */
  unit: string;
  /** Its identifiers (`system|value`): how a service finds its own readings again. */
  identifiers: string[];
  /** Who filed it: the sending system's OID (`urn:oid:…`). */
  source?: string;
  /** The device's name, maker and model, when MES gave the device. */
  device?: { name?: string; manufacturer?: string; model?: string };
}

/** MES pages an Observation search by 100 at most. */
const MEASURE_PAGE_SIZE = 100;

const Quantity = z.looseObject({ value: z.number() });
const ObservationSchema = z.looseObject({
  resourceType: z.literal('Observation'),
  id: z.string(),
  meta: z.optional(z.looseObject({ source: z.optional(z.string()) })),
  identifier: z.optional(z.array(IdentifierSchema)),
  code: z.looseObject({ coding: z.array(CodingSchema) }),
  effectiveDateTime: z.string(),
  valueQuantity: z.optional(Quantity),
  component: z.optional(
    z.array(
      z.looseObject({ code: z.looseObject({ coding: z.array(CodingSchema) }), valueQuantity: z.optional(Quantity) }),
    ),
  ),
  device: z.optional(z.looseObject({ reference: z.optional(z.string()) })),
});
const DeviceSchema = z.looseObject({
  resourceType: z.literal('Device'),
  id: z.string(),
  manufacturer: z.optional(z.string()),
  modelNumber: z.optional(z.string()),
  deviceName: z.optional(z.array(z.looseObject({ name: z.string() }))),
});

type Observation = z.infer<typeof ObservationSchema>;
type Device = z.infer<typeof DeviceSchema>;

function componentValue(observation: Observation, part: keyof typeof BLOOD_PRESSURE_COMPONENTS) {
  const { code } = BLOOD_PRESSURE_COMPONENTS[part];
  return observation.component?.find((c) => c.code.coding.some((coding) => coding.code === code))?.valueQuantity?.value;
}

/** An Observation read back, or undefined when it is no measure the kit knows. */
function heldMeasureOf(observation: Observation, devices: Map<string, Device>): HeldMeasure | undefined {
  const kind = observation.code.coding.map(measureKindOf).find((k) => k !== undefined);
  if (!kind) return undefined;
  const device = devices.get(observation.device?.reference?.replace(/^Device\//, '') ?? '');
  const measure: HeldMeasure = {
    kind,
    id: observation.id,
    at: observation.effectiveDateTime,
    unit: MEASURES[kind].unit.display,
    identifiers: (observation.identifier ?? []).map((i) => `${i.system ?? ''}|${i.value ?? ''}`),
    ...(observation.meta?.source && { source: observation.meta.source }),
    ...(device && {
      device: {
        ...(device.deviceName?.[0] && { name: device.deviceName[0].name }),
        ...(device.manufacturer && { manufacturer: device.manufacturer }),
        ...(device.modelNumber && { model: device.modelNumber }),
      },
    }),
  };
  if (kind === 'blood-pressure') {
    const systolic = componentValue(observation, 'systolic');
    const diastolic = componentValue(observation, 'diastolic');
    return systolic === undefined || diastolic === undefined ? undefined : { ...measure, systolic, diastolic };
  }
  return observation.valueQuantity ? { ...measure, value: observation.valueQuantity.value } : undefined;
}

export interface MeasureQuery {
  idPe: string;
  kind: MeasureKind;
  /** Both bounds, as MES requires in its paged mode; without them, the last value. */
  range?: { from: string; to: string };
}

/** At most this many pages: 100,000 measures of one kind. */
const MAX_PAGES = 1000;

/**
 * Every measure of one kind in the range (or the last one), newest first: the first page says how
 * many there are, and the other pages are asked for together (`call` paces them).
 */
export async function searchMeasures(
  call: FhirCall,
  query: MeasureQuery,
  options: { signal?: AbortSignal; retry: RetryPolicy },
): Promise<HeldMeasure[]> {
  const page = async (index: number) => {
    const params = new URLSearchParams({
      'subject.identifier': `${IDPE_SYSTEM}|${query.idPe}`,
      code: MEASURES[query.kind].code.code,
    });
    if (query.range) {
      params.append('date', `ge${query.range.from}`);
      params.append('date', `le${query.range.to}`);
      params.set('_count', String(MEASURE_PAGE_SIZE));
      params.set('_offset', String(index));
    } else {
      params.set('_sort', '-date');
      params.set('_count', '1');
    }
    params.set('_include', 'Observation:device');
    const response = await requestSafeToRepeat(
      call,
      { method: 'GET', path: `Observation?${params}` },
      { signal: options.signal, policy: options.retry },
    );
    if (!response.ok) throw await errorFromResponse(response);
    return parseResponse(response, SearchsetSchema);
  };
  const first = await page(0);
  const pages = [first];
  if (query.range) {
    const count = Math.ceil((first.total ?? 0) / MEASURE_PAGE_SIZE);
    if (count > MAX_PAGES) throw new MesError('MES_INVALID_RESPONSE');
    pages.push(...(await Promise.all(Array.from({ length: Math.max(0, count - 1) }, (_, i) => page(i + 1)))));
  }
  const resources = pages.flatMap((bundle) => (bundle.entry ?? []).map((entry) => entry.resource));
  const devices = new Map<string, Device>();
  for (const resource of resources) {
    const device = DeviceSchema.safeParse(resource);
    if (device.success) devices.set(device.data.id, device.data);
  }
  const measures: HeldMeasure[] = [];
  for (const resource of resources) {
    // One that cannot be read is left out, never shown raw.
    const observation = ObservationSchema.safeParse(resource);
    const measure = observation.success ? heldMeasureOf(observation.data, devices) : undefined;
    if (measure) measures.push(measure);
  }
  return measures;
}
