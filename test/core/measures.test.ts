import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  MAX_READINGS,
  MEASURES,
  MEASURE_KINDS,
  MesError,
  checkSeries,
  measureBundle,
  summarizeMeasures,
  type MeasureKind,
  type MeasureSeries,
} from '@mes-kit/core';
import { AdaptiveConcurrency } from '../../packages/core/src/fhir/pacing.js';
import { r4Errors } from '../helpers/fhir-validator.js';

const device = { serial: 'FE-ED-AB-AA-DE-AD-77-C5', kind: 'weight-scale' as const, name: 'Ma balance' };
const AT = '2026-11-12T08:15:00+01:00';

function invalidField(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof MesError);
    assert.equal(error.code, 'MES_INVALID_INPUT');
    return error.field;
  }
  assert.fail('expected MES_INVALID_INPUT');
}

/** A plausible reading of each measure, in MES's own unit. */
const SAMPLE: Record<MeasureKind, Partial<MeasureSeries> & { reading: Record<string, unknown> }> = {
  weight: { reading: { value: 71.4 } },
  height: { reading: { value: 168 } },
  'heart-rate': { reading: { value: 64 } },
  'blood-pressure': { reading: { systolic: 128, diastolic: 82 } },
  temperature: { reading: { value: 37.2 } },
  'waist-circumference': { reading: { value: 82 } },
  'blood-glucose': { reading: { value: 96, moment: 'fasting' } },
  hba1c: { reading: { value: 6.8 } },
  'interstitial-glucose': { days: 14, reading: { value: 142 } },
  'glucose-management-index': { days: 14, reading: { value: 6.9 } },
  steps: { reading: { value: 8432 } },
  pain: { reading: { value: 3 } },
  'head-circumference': { reading: { value: 48 } },
};

function seriesOf(kind: MeasureKind, extra: Partial<MeasureSeries> = {}): MeasureSeries {
  const { reading, ...rest } = SAMPLE[kind];
  return { kind, device, readings: [{ at: AT, ...reading }], ...rest, ...extra };
}

describe('checkSeries: the host’s readings, in MES’s units', () => {
  it('takes every measure in MES’s unit, with a stable id from the kind, the device and the instant', () => {
    for (const kind of MEASURE_KINDS) {
      const [reading] = checkSeries([seriesOf(kind)]);
      assert.equal(reading.kind, kind);
      assert.equal(reading.id, `${kind}-${device.serial}-${Date.parse(AT)}`);
      assert.equal(reading.original, undefined, kind);
    }
  });

  it('converts what a user would expect, and keeps the original', () => {
    const convert = (kind: MeasureKind, unit: string, value: number) =>
      checkSeries([seriesOf(kind, { unit, readings: [{ ...SAMPLE[kind].reading, at: AT, value }] })])[0];
    assert.deepEqual(
      [convert('weight', 'lb', 154.3).value, convert('weight', 'lb', 154.3).original],
      [69.99, { value: 154.3, unit: 'lb' }],
    );
    assert.equal(convert('weight', 'g', 3250).value, 3.25);
    assert.equal(convert('blood-glucose', 'mmol/L', 5.5).value, 99);
    assert.equal(convert('interstitial-glucose', 'g/L', 1.42).value, 142);
    assert.equal(convert('temperature', '°F', 98.6).value, 37);
    assert.equal(convert('height', 'in', 66).value, 167.6);
    const [bp] = checkSeries([
      seriesOf('blood-pressure', { unit: 'kPa', readings: [{ at: AT, systolic: 17, diastolic: 11 }] }),
    ]);
    assert.deepEqual([bp.systolic, bp.diastolic], [128, 83]);
  });

  it('refuses, naming the field: an unknown unit, a BMI, a reading out of range or from the future', () => {
    assert.equal(
      invalidField(() => checkSeries([seriesOf('weight', { unit: 'stone' })])),
      'series[0].unit',
    );
    assert.equal(
      invalidField(() => checkSeries([{ ...seriesOf('weight'), kind: 'bmi' }])),
      'series[0].kind',
    );
    assert.equal(
      invalidField(() => checkSeries([seriesOf('weight', { readings: [{ at: AT, value: 7140 }] })])),
      'series[0].readings[0].value',
    );
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    assert.equal(
      invalidField(() => checkSeries([seriesOf('weight', { readings: [{ at: tomorrow, value: 70 }] })])),
      'series[0].readings[0].at',
    );
    assert.equal(
      invalidField(() => checkSeries([seriesOf('weight', { readings: [{ at: '2026-11-12T08:15', value: 70 }] })])),
      'series[0].readings[0].at',
    );
    assert.equal(
      invalidField(() => checkSeries([seriesOf('pain', { readings: [{ at: AT, value: 3.5 }] })])),
      'series[0].readings[0].value',
    );
  });

  it('holds blood pressure and glucose to MES’s rules', () => {
    const bp = (systolic: number, diastolic: number) =>
      checkSeries([seriesOf('blood-pressure', { readings: [{ at: AT, systolic, diastolic }] })]);
    assert.equal(
      invalidField(() => bp(80, 120)),
      'series[0].readings[0].diastolic',
    );
    assert.equal(
      invalidField(() => checkSeries([seriesOf('blood-pressure', { readings: [{ at: AT, value: 120 }] })])),
      'series[0].readings[0].value',
    );
    assert.equal(
      invalidField(() => checkSeries([seriesOf('blood-glucose', { readings: [{ at: AT, value: 96 }] })])),
      'series[0].readings[0].moment',
    );
    assert.equal(
      invalidField(() =>
        checkSeries([seriesOf('interstitial-glucose', { readings: [{ at: AT, value: 96, moment: 'fasting' }] })]),
      ),
      'series[0].readings[0].moment',
    );
    assert.equal(
      invalidField(() => checkSeries([{ ...seriesOf('interstitial-glucose'), days: undefined }])),
      'series[0].days',
    );
    assert.equal(
      invalidField(() => checkSeries([seriesOf('weight', { days: 14 })])),
      'series[0].days',
    );
  });

  it('refuses the same id twice, a device serial MES cannot match, and more than MAX_READINGS', () => {
    const twice = seriesOf('weight', {
      readings: [
        { id: 'w-1', at: AT, value: 70 },
        { id: 'w-1', at: '2026-11-13T08:15:00+01:00', value: 70.2 },
      ],
    });
    assert.equal(
      invalidField(() => checkSeries([twice])),
      'series[0].readings[1].id',
    );
    assert.equal(
      invalidField(() => checkSeries([seriesOf('weight', { device: { ...device, serial: 'FE ED' } })])),
      'series[0].device.serial',
    );
    const many = Array.from({ length: MAX_READINGS + 1 }, (_, i) => ({
      at: new Date(Date.parse(AT) - i * 60_000).toISOString(),
      value: 70,
    }));
    assert.equal(
      invalidField(() => checkSeries([seriesOf('weight', { readings: many })])),
      'series[0].readings',
    );
  });

  it('never throws anything but MES_INVALID_INPUT, whatever the host gives', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        try {
          checkSeries(input);
        } catch (error) {
          return error instanceof MesError && error.code === 'MES_INVALID_INPUT';
        }
        return Array.isArray(input);
      }),
      { numRuns: 500 },
    );
  });
});

describe('measureBundle: one reading, as MES’s « bundle d’alimentation »', () => {
  it('is a valid R4 transaction of a PhdDevice created if absent and one Observation linked to it by id', () => {
    for (const kind of MEASURE_KINDS) {
      const [reading] = checkSeries([seriesOf(kind)]);
      const bundle = measureBundle(reading, { oid: '1.2.250.1.999.42.6' }, 'patient-externe-id-2') as any;
      assert.deepEqual(r4Errors(bundle), [], kind);
      const [deviceEntry, observationEntry] = bundle.entry;
      assert.equal(
        deviceEntry.request.ifNoneExist,
        `identifier=urn:oid:1.2.840.10004.1.1.1.0.0.1.0.0.1.2680|${device.serial}`,
      );
      const observation = observationEntry.resource;
      assert.equal(observation.device.reference, `Device/${deviceEntry.resource.id}`);
      assert.deepEqual(observation.code.coding[0], MEASURES[kind].code);
      assert.equal(observation.meta.source, 'urn:oid:1.2.250.1.999.42.6');
      assert.deepEqual(observation.identifier, [{ system: 'urn:oid:1.2.250.1.999.42.6', value: reading.id }]);
      if (kind === 'blood-pressure') {
        assert.equal(observation.valueQuantity, undefined);
        assert.deepEqual(
          observation.component.map((c: any) => [c.code.coding[0].code, c.valueQuantity.code, c.valueQuantity.value]),
          [
            ['8480-6', 'mm[Hg]', 128],
            ['8462-4', 'mm[Hg]', 82],
          ],
        );
      } else {
        assert.equal(observation.valueQuantity.code, MEASURES[kind].unit.code);
      }
    }
  });
});

describe('summarizeMeasures: what the patient sees before sending', () => {
  it('counts per measure, gives the period, at most 48 trend points, and the finalités needed', () => {
    const start = Date.parse('2026-11-01T00:00:00Z');
    const readings = checkSeries([
      {
        kind: 'interstitial-glucose',
        days: 14,
        device: { serial: 'CGM-1', kind: 'continuous-glucose-monitor' },
        readings: Array.from({ length: 1344 }, (_, i) => ({
          at: new Date(start + i * 900_000).toISOString(),
          value: 100 + (i % 96),
        })),
      },
      seriesOf('weight'),
    ]);
    const summary = summarizeMeasures(readings);
    assert.equal(summary.total, 1345);
    const glucose = summary.kinds.find((k) => k.kind === 'interstitial-glucose')!;
    assert.deepEqual([glucose.count, glucose.min, glucose.max, glucose.unit], [1344, 100, 195, 'mg/dL']);
    assert.equal(glucose.points.length, 48);
    assert.deepEqual(summary.finalities.sort(), ['MESURE_GLYCEMIE_ECRITURE', 'MESURE_POIDS_ECRITURE']);
    assert.equal(summary.from, new Date(Math.min(start, Date.parse(AT))).toISOString());
  });
});

describe('AdaptiveConcurrency: as many at once as MES lets through', () => {
  it('never exceeds its limit, halves it on a 429 and holds every call until Retry-After has passed', async () => {
    const pacing = new AdaptiveConcurrency(8);
    let inFlight = 0;
    let peak = 0;
    let calls = 0;
    const sentAt: number[] = [];
    let throttledAt = 0;
    const call = pacing.pace(async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      const n = ++calls;
      sentAt.push(Date.now());
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      if (n === 10) {
        throttledAt = Date.now();
        return new Response(null, { status: 429, headers: { 'retry-after': '1' } });
      }
      return new Response(null, { status: 201 });
    });
    const statuses = await Promise.all(
      Array.from({ length: 40 }, () => call({ method: 'POST', path: '' }).then((r) => r.status)),
    );
    assert.equal(peak, 8);
    assert.equal(statuses.filter((s) => s === 429).length, 1);
    // Calls sent after the 429 wait for its Retry-After (one second), give or take the ones already in flight.
    const early = sentAt.filter((t) => t > throttledAt + 20 && t < throttledAt + 950);
    assert.equal(early.length, 0, `${early.length} calls went during the hold`);
  });

  it('gives back one slot per run of successes as long as its limit, up to its maximum', async () => {
    const pacing = new AdaptiveConcurrency(4);
    let n = 0;
    const call = pacing.pace(async () =>
      ++n === 1 ? new Response(null, { status: 429, headers: { 'retry-after': '0' } }) : new Response(null),
    );
    await call({ method: 'GET', path: '' });
    assert.equal(pacing.limit, 2);
    for (let i = 0; i < 2; i++) await call({ method: 'GET', path: '' });
    assert.equal(pacing.limit, 3);
    for (let i = 0; i < 3; i++) await call({ method: 'GET', path: '' });
    assert.equal(pacing.limit, 4);
    for (let i = 0; i < 10; i++) await call({ method: 'GET', path: '' });
    assert.equal(pacing.limit, 4);
  });
});
