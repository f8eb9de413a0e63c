import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MesClient,
  checkSeries,
  inProcessTransport,
  measureBundle,
  type FhirRequest,
  type LocalTransport,
  type MeasureSeries,
} from '@mes-kit/core';
import { createInPageSandbox } from '../../packages/sandbox/src/in-page.js';
import { failure } from '../helpers/errors.js';

const QUARTER_HOUR = 15 * 60_000;

/** Nadia's sensor: `count` readings every quarter of an hour, ending an hour ago. */
function sensor(count: number): MeasureSeries {
  const end = Date.now() - 3_600_000;
  return {
    kind: 'interstitial-glucose',
    days: 14,
    unit: 'mmol/L',
    device: { serial: 'CGM-7F3A-0042', kind: 'continuous-glucose-monitor', manufacturer: 'GlycoSuivi' },
    readings: Array.from({ length: count }, (_, i) => ({
      at: new Date(end - (count - 1 - i) * QUARTER_HOUR).toISOString(),
      value: Math.round((6 + 2 * Math.sin(i / 10)) * 10) / 10,
    })),
  };
}

type Fault = (request: FhirRequest, n: number) => 'drop-answer' | 'throttle' | 'no-reading' | undefined;

/** The in-page sandbox, Nadia paired with `finalities`; every FHIR request counted, faults injected. */
async function measuresOn(finalities: string[], fault?: Fault) {
  const sandbox = await createInPageSandbox({ seeded: false });
  const inner = inProcessTransport(sandbox, { persona: 'nadia', pairedWith: finalities });
  const requests: FhirRequest[] = [];
  const transport: LocalTransport = {
    ...inner,
    async request(request, options) {
      requests.push(request);
      const injected = fault?.(request, requests.length);
      if (injected === 'no-reading') {
        // As MES may answer a service that searches without the measure's _LECTURE.
        return new Response(
          '{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"forbidden","diagnostics":"Consent not given, access refused."}]}',
          { status: 403 },
        );
      }
      if (injected === 'throttle') {
        return new Response('{"resourceType":"OperationOutcome","issue":[]}', {
          status: 429,
          headers: { 'retry-after': '0' },
        });
      }
      const response = await inner.request(request, options);
      // MES filed it; the answer never came back.
      if (injected === 'drop-answer') throw new TypeError('fetch failed');
      return response;
    },
  };
  const client = new MesClient({ transport, retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 10_000 } });
  const count = () => {
    const by = { searches: 0, transactions: 0 };
    for (const r of requests) by[r.method === 'GET' ? 'searches' : 'transactions']++;
    requests.length = 0;
    return by;
  };
  /** The identifiers of every Observation MES holds for Nadia. */
  const held = () =>
    sandbox.store
      .list('nadia', 'Observation')
      .map((entry) => (entry.resource as unknown as { identifier: { value: string }[] }).identifier[0].value);
  return { sandbox, client, count, held };
}

describe('sendMeasures, on the sandbox', () => {
  it('files 14 days of a sensor, one transaction each; a second run searches only and finds them all', async () => {
    const { client, count, held } = await measuresOn(['MESURE_GLYCEMIE_ECRITURE']);
    const series = [sensor(1344)];
    const ratios: number[] = [];
    const first = await client.sendMeasures(series, { onProgress: (p) => ratios.push(p.ratio) });
    assert.deepEqual(first.total, { created: 1344, present: 0, failed: 0 });
    const requests = count();
    assert.equal(requests.transactions, 1344);
    assert.ok(requests.searches >= 1 && requests.searches <= 15, `${requests.searches} searches`);
    assert.deepEqual(
      ratios,
      [...ratios].sort((a, b) => a - b),
    );
    assert.equal(ratios.at(-1), 1);
    assert.equal(new Set(held()).size, 1344);
    const again = await client.sendMeasures(series);
    assert.deepEqual(again.total, { created: 0, present: 1344, failed: 0 });
    // 1,344 readings in the period: 14 pages of 100.
    assert.deepEqual(count(), { searches: 14, transactions: 0 });
    assert.equal(held().length, 1344);
  });

  it('files each reading exactly once when one answer in ten is lost after MES filed it', async () => {
    const { client, held } = await measuresOn(['MESURE_GLYCEMIE_ECRITURE'], (request, n) =>
      request.method === 'POST' && n % 10 === 3 ? 'drop-answer' : undefined,
    );
    const result = await client.sendMeasures([sensor(300)]);
    assert.deepEqual(result.total, { created: 300, present: 0, failed: 0 });
    const ids = held();
    assert.equal(ids.length, 300, `${ids.length - new Set(ids).size} duplicates`);
    assert.equal(new Set(ids).size, 300);
  });

  it('waits out 429s and still files everything once', async () => {
    // One reading in seven is throttled on its first attempt: each retry after Retry-After goes through.
    const seen = new Set<unknown>();
    const { client, held } = await measuresOn(['MESURE_GLYCEMIE_ECRITURE'], (request) => {
      if (request.method !== 'POST' || seen.has(request.body)) return undefined;
      seen.add(request.body);
      return seen.size % 7 === 0 ? 'throttle' : undefined;
    });
    const result = await client.sendMeasures([sensor(100)]);
    assert.deepEqual(result.total, { created: 100, present: 0, failed: 0 });
    assert.equal(new Set(held()).size, 100);
    assert.equal(held().length, 100);
  });

  it('never takes another service’s measure for its own, even one carrying its identifier', async () => {
    const { sandbox, client, held } = await measuresOn(['MESURE_GLYCEMIE_ECRITURE', 'MESURE_GLYCEMIE_LECTURE']);
    const series = sensor(2);
    const [first] = checkSeries([series]);
    // Another service files a measure under our identifier (an identifier is anyone's to write).
    const other = await sandbox.pair('nadia', ['MESURE_GLYCEMIE_ECRITURE'], 'mes-kit-glycemie');
    const forged = measureBundle(first, { oid: '1.2.250.1.999.42.7' }, 'patient-externe-id-3') as {
      entry: { resource: { identifier?: unknown } }[];
    };
    forged.entry[1].resource.identifier = [{ system: 'urn:oid:1.2.250.1.999.42.2', value: first.id }];
    const filed = await sandbox.fetch(`${sandbox.fhirBase}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/fhir+json',
        authorization: `Bearer ${other.access_token}`,
        'x-id-token': other.id_token,
      },
      body: JSON.stringify(forged),
    });
    assert.equal(filed.status, 200);
    const result = await client.sendMeasures([series]);
    assert.deepEqual(result.total, { created: 2, present: 0, failed: 0 });
    assert.equal(held().filter((id) => id === first.id).length, 2, 'ours, and the other service’s');
  });

  it('where MES will not say what it holds, sends each reading once and never resends one whose answer was lost', async () => {
    const { client, count, held } = await measuresOn(['MESURE_GLYCEMIE_ECRITURE'], (request, n) => {
      if (request.method === 'GET') return 'no-reading';
      return n === 5 ? 'drop-answer' : undefined;
    });
    const result = await client.sendMeasures([sensor(20)]);
    assert.deepEqual(result.total, { created: 19, present: 0, failed: 1 });
    assert.equal(result.readings.find((r) => r.outcome === 'failed')?.error?.code, 'MES_NETWORK');
    assert.deepEqual(count(), { searches: 2, transactions: 20 });
    assert.equal(new Set(held()).size, 20);
    assert.equal(held().length, 20);
  });

  it('a measure MES will not say it holds does not make the others be sent again', async () => {
    // MES answers the blood-pressure search 403 (no _LECTURE for it); the weights' search works.
    const { client, count, sandbox } = await measuresOn(
      ['MESURE_POIDS_ECRITURE', 'MESURE_POIDS_LECTURE', 'MESURE_TENSION_ECRITURE'],
      (request) => (request.method === 'GET' && request.path.includes('code=85354-9') ? 'no-reading' : undefined),
    );
    const at = new Date(Date.now() - 86_400_000).toISOString();
    const weight: MeasureSeries = {
      kind: 'weight',
      device: { serial: 'SCALE-01', kind: 'weight-scale' },
      readings: [{ id: 'w1', at, value: 58.2 }],
    };
    const pressure: MeasureSeries = {
      kind: 'blood-pressure',
      device: { serial: 'CUFF-01', kind: 'blood-pressure-monitor' },
      readings: [{ id: 'bp1', at, systolic: 121, diastolic: 79 }],
    };
    await client.sendMeasures([weight]);
    count();
    const result = await client.sendMeasures([weight, pressure]);
    assert.deepEqual(result.byKind, {
      weight: { created: 0, present: 1, failed: 0 },
      'blood-pressure': { created: 1, present: 0, failed: 0 },
    });
    assert.equal(count().transactions, 1);
    assert.equal(sandbox.store.list('nadia', 'Observation').length, 2);
  });

  it('sends a reading timed to the minute as a FHIR instant, with its seconds', async () => {
    const { client, held } = await measuresOn(['MESURE_POIDS_ECRITURE']);
    const result = await client.sendMeasures([
      {
        kind: 'weight',
        device: { serial: 'SCALE-01', kind: 'weight-scale' },
        readings: [{ id: 'minute', at: '2025-11-12T08:15+01:00', value: 58.2 }],
      },
    ]);
    assert.deepEqual(result.total, { created: 1, present: 0, failed: 0 });
    assert.deepEqual(held(), ['minute']);
  });

  it('sends only what the patient granted: the other measures fail with MES_CONSENT_REQUIRED, unsent', async () => {
    const { client, count } = await measuresOn(['MESURE_POIDS_ECRITURE']);
    const weight: MeasureSeries = {
      kind: 'weight',
      device: { serial: 'SCALE-01', kind: 'weight-scale' },
      readings: [{ at: new Date(Date.now() - 86_400_000).toISOString(), value: 58.2 }],
    };
    const result = await client.sendMeasures([weight, sensor(5)]);
    assert.deepEqual(result.byKind, {
      weight: { created: 1, present: 0, failed: 0 },
      'interstitial-glucose': { created: 0, present: 0, failed: 5 },
    });
    assert.equal(count().transactions, 1);
    const refused = await failure(client.sendMeasures([sensor(5)]));
    assert.equal(refused.code, 'MES_CONSENT_REQUIRED');
    assert.deepEqual(count(), { searches: 0, transactions: 0 });
  });

  it('refuses bad readings before any call, naming the field', async () => {
    const { client, count } = await measuresOn(['MESURE_GLYCEMIE_ECRITURE']);
    const bad = sensor(3);
    bad.readings[1] = { ...bad.readings[1], value: 99 };
    const refused = await failure(client.sendMeasures([bad]));
    assert.deepEqual([refused.code, refused.field], ['MES_INVALID_INPUT', 'series[0].readings[1].value']);
    assert.deepEqual(count(), { searches: 0, transactions: 0 });
  });
});

describe('readMeasures, on the sandbox', () => {
  it('reads back a period, newest first, and the last value alone', async () => {
    const { client } = await measuresOn(['MESURE_GLYCEMIE_ECRITURE', 'MESURE_GLYCEMIE_LECTURE']);
    const series = sensor(250);
    await client.sendMeasures([series]);
    const first = series.readings[0].at as string;
    const last = series.readings.at(-1)!.at as string;
    const all = await client.readMeasures('interstitial-glucose', { from: first, to: last });
    assert.equal(all.length, 250);
    assert.deepEqual(
      all.map((m) => Date.parse(m.at)),
      all.map((m) => Date.parse(m.at)).sort((a, b) => b - a),
    );
    assert.equal(all[0].unit, 'mg/dL');
    assert.equal(all[0].device?.manufacturer, 'GlycoSuivi');
    const [latest] = await client.readMeasures('interstitial-glucose', 'last');
    assert.equal(Date.parse(latest.at), Date.parse(last));
  });
});
