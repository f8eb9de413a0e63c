/**
 * Readings as a host holds them — a series per device and measure, in the units its device speaks —
 * checked and brought to MES's units before anything is sent. A unit a person would use (lb, mmol/L,
 * °F) is converted, and the original kept; anything else is refused, naming the field.
 */
import * as z from 'zod/mini';
import { MesError } from '../errors.js';
import { InstantString, fhirInstant } from '../fhir/instant.js';
import { HostId, Line } from '../schemas/host.js';
import {
  DEVICE_KINDS,
  EUI64_SYSTEM,
  GLUCOSE_MOMENTS,
  MEASURES,
  MEASURE_KINDS,
  type DeviceKind,
  type GlucoseDays,
  type GlucoseMoment,
  type MeasureKind,
} from './kinds.js';

export interface MeasureDevice {
  /** Its serial (an EUI-64 such as `FE-ED-AB-AA-DE-AD-77-C5`): letters, digits and dashes. MES knows the device again by it. */
  serial: string;
  /** The OID its serial is issued under, `urn:oid:…` (default: IEEE EUI-64). */
  system?: string;
  kind: DeviceKind;
  manufacturer?: string;
  model?: string;
  /** What the patient calls it (« Ma balance »). */
  name?: string;
}

/** One reading. `id` is the host's own, stable across retries (default: the kind, the device and the instant). */
export interface MeasureReading {
  id?: string;
  /** With its timezone (`2026-11-12T08:15:00+01:00`, or a `Date`). */
  at: Date | string;
  /** Every measure but blood pressure. */
  value?: number;
  /** Blood pressure. */
  systolic?: number;
  diastolic?: number;
  /** Blood glucose: when it was taken. */
  moment?: GlucoseMoment;
}

/** Readings of one measure from one device. */
export interface MeasureSeries {
  kind: MeasureKind;
  /** The readings' unit (default: MES's own). */
  unit?: string;
  device: MeasureDevice;
  /** Interstitial glucose and glucose management index: the days the sensor's figures cover. */
  days?: GlucoseDays;
  /** Why it is measured, as the patient would say it (« Suivi du poids »). */
  reason?: string;
  readings: MeasureReading[];
}

/** A reading ready to be sent: in MES's unit, its id settled, its instant as given. */
export interface CheckedReading {
  id: string;
  kind: MeasureKind;
  at: string;
  /** In MES's unit; blood pressure has `systolic` and `diastolic` instead. */
  value?: number;
  systolic?: number;
  diastolic?: number;
  /** The value as the device gave it, when it was converted. */
  original?: { value: number; unit: string };
  moment?: GlucoseMoment;
  days?: GlucoseDays;
  reason?: string;
  device: Required<Pick<MeasureDevice, 'serial' | 'system' | 'kind'>> &
    Omit<MeasureDevice, 'serial' | 'system' | 'kind'>;
}

/** At most this many readings in one run: 90 days of a sensor reading every quarter of an hour. */
export const MAX_READINGS = 10_000;

interface UnitRule {
  /** To MES's unit. */
  convert: (value: number) => number;
  /** Decimals kept after a conversion. */
  decimals: number;
}
const same: UnitRule = { convert: (v) => v, decimals: 10 };
const times = (factor: number, decimals: number): UnitRule => ({ convert: (v) => v * factor, decimals });
const LENGTH = { cm: same, m: times(100, 1), in: times(2.54, 1) };
const GLUCOSE = { 'mg/dL': same, 'mmol/L': times(18.016, 0), 'g/L': times(100, 0) };

/** The units accepted per measure, the first being MES's own. */
const UNITS: Record<MeasureKind, Record<string, UnitRule>> = {
  weight: { kg: same, g: times(0.001, 3), lb: times(0.45359237, 2) },
  height: LENGTH,
  'heart-rate': { '/min': same, bpm: same },
  'blood-pressure': { 'mm[Hg]': same, mmHg: same, kPa: times(7.50062, 0) },
  temperature: {
    Cel: same,
    '°C': same,
    '[degF]': { convert: (f) => ((f - 32) * 5) / 9, decimals: 1 },
    '°F': { convert: (f) => ((f - 32) * 5) / 9, decimals: 1 },
  },
  'waist-circumference': LENGTH,
  'blood-glucose': GLUCOSE,
  hba1c: { '%': same },
  'interstitial-glucose': GLUCOSE,
  'glucose-management-index': { '%': same },
  steps: { '1/(24.h)': same, 'steps/day': same },
  pain: { '1': same, '/10': same },
  'head-circumference': LENGTH,
};

/** What a reading can plausibly be, in MES's unit: outside, it is a device or entry error. */
const RANGES: Record<MeasureKind, [number, number]> = {
  weight: [0.2, 500],
  height: [20, 300],
  'heart-rate': [20, 300],
  'blood-pressure': [20, 300],
  temperature: [25, 45],
  'waist-circumference': [20, 300],
  'blood-glucose': [10, 1000],
  hba1c: [2, 25],
  'interstitial-glucose': [10, 1000],
  'glucose-management-index': [2, 25],
  steps: [0, 200_000],
  pain: [0, 10],
  'head-circumference': [20, 80],
};
const WHOLE = new Set<MeasureKind>(['steps', 'pain']);

/** A reading from later than this is a wrong clock, not a measure. */
const CLOCK_SKEW_MS = 5 * 60_000;
/** Nor from before this: a device's clock never set. */
const EARLIEST_READING = Date.UTC(1900, 0, 1);

const DeviceSchema = z.object({
  serial: z.string().check(z.regex(/^[a-zA-Z0-9]+(?:-[a-zA-Z0-9]+)*$/), z.maxLength(64)),
  system: z.optional(z.string().check(z.regex(/^urn:oid:[0-9]+(?:\.[0-9]+)+$/), z.maxLength(128))),
  kind: z.enum(Object.keys(DEVICE_KINDS) as [DeviceKind, ...DeviceKind[]]),
  manufacturer: z.optional(Line(100)),
  model: z.optional(Line(100)),
  name: z.optional(Line(100)),
});
const Finite = z.number().check(z.refine(Number.isFinite));
const ReadingSchema = z.object({
  id: z.optional(HostId),
  at: z.union([z.date(), InstantString]),
  value: z.optional(Finite),
  systolic: z.optional(Finite),
  diastolic: z.optional(Finite),
  moment: z.optional(z.enum(Object.keys(GLUCOSE_MOMENTS) as [GlucoseMoment, ...GlucoseMoment[]])),
});
const SeriesSchema = z.object({
  kind: z.enum(MEASURE_KINDS),
  unit: z.optional(z.string()),
  device: DeviceSchema,
  days: z.optional(z.union([z.literal(7), z.literal(14), z.literal(30), z.literal(90), z.literal('other')])),
  reason: z.optional(Line(200)),
  readings: z.array(z.unknown()).check(z.minLength(1), z.maxLength(MAX_READINGS)),
});
const MeasureSeriesListSchema = z.array(z.unknown()).check(z.maxLength(100));

const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;

/** The path of the first issue, under `prefix`. */
function fieldOf(prefix: string, error: z.core.$ZodError): string {
  return [prefix, ...(error.issues[0]?.path ?? [])].join('.').replace(/\.(\d+)(?=\.|$)/g, '[$1]');
}

/**
 * Checks the host's series and returns every reading in MES's units, or throws MES_INVALID_INPUT
 * naming the first wrong field (`series[0].readings[12].value`). A BMI is refused: MES computes it.
 */
export function checkSeries(input: unknown, now = Date.now()): CheckedReading[] {
  const invalid = (field: string) => new MesError('MES_INVALID_INPUT', { operation: 'send-measures', field });
  const list = MeasureSeriesListSchema.safeParse(input);
  if (!list.success) throw invalid('series');
  const readings: CheckedReading[] = [];
  const ids = new Set<string>();
  list.data.forEach((raw, s) => {
    const at = `series[${s}]`;
    const series = SeriesSchema.safeParse(raw);
    if (!series.success) throw invalid(fieldOf(at, series.error));
    const { kind, device, days, reason } = series.data;
    const definition = MEASURES[kind];
    const unit = series.data.unit ?? definition.unit.code;
    const rule = Object.hasOwn(UNITS[kind], unit) ? UNITS[kind][unit] : undefined;
    if (!rule) throw invalid(`${at}.unit`);
    if (definition.glucose === 'days' && days === undefined) throw invalid(`${at}.days`);
    if (definition.glucose !== 'days' && days !== undefined) throw invalid(`${at}.days`);
    if (readings.length + series.data.readings.length > MAX_READINGS) throw invalid('series');
    const [min, max] = RANGES[kind];
    const checkedDevice = { ...device, system: device.system ?? EUI64_SYSTEM };
    series.data.readings.forEach((rawReading, r) => {
      const path = `${at}.readings[${r}]`;
      const reading = ReadingSchema.safeParse(rawReading);
      if (!reading.success) throw invalid(fieldOf(path, reading.error));
      const { moment } = reading.data;
      const instant = fhirInstant(reading.data.at);
      const time = Date.parse(instant);
      if (Number.isNaN(time) || time > now + CLOCK_SKEW_MS || time < EARLIEST_READING) throw invalid(`${path}.at`);
      if ((definition.glucose === 'moment') !== (moment !== undefined)) throw invalid(`${path}.moment`);
      const inRange = (value: number | undefined, field: string): number => {
        if (value === undefined) throw invalid(`${path}.${field}`);
        const converted = round(rule.convert(value), rule.decimals);
        if (converted < min || converted > max || (WHOLE.has(kind) && !Number.isInteger(converted))) {
          throw invalid(`${path}.${field}`);
        }
        return converted;
      };
      const id = reading.data.id ?? `${kind}-${device.serial}-${time}`;
      if (ids.has(id)) throw invalid(`${path}.id`);
      ids.add(id);
      const common = { id, kind, at: instant, device: checkedDevice, ...(days !== undefined && { days }) };
      const withReason = reason === undefined ? common : { ...common, reason };
      if (kind === 'blood-pressure') {
        if (reading.data.value !== undefined) throw invalid(`${path}.value`);
        const systolic = inRange(reading.data.systolic, 'systolic');
        const diastolic = inRange(reading.data.diastolic, 'diastolic');
        if (systolic <= diastolic) throw invalid(`${path}.diastolic`);
        readings.push({ ...withReason, systolic, diastolic });
        return;
      }
      if (reading.data.systolic !== undefined || reading.data.diastolic !== undefined) throw invalid(`${path}.value`);
      const value = inRange(reading.data.value, 'value');
      readings.push({
        ...withReason,
        value,
        ...(moment && { moment }),
        ...(rule !== same && { original: { value: reading.data.value!, unit } }),
      });
    });
  });
  return readings;
}
