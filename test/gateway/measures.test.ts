import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  MesClient,
  gatewayTransport,
  type MeasureSeries,
  type MeasuresQuery,
  type OperationProgress,
} from '@mes-kit/core';
import type { PortalUser } from '../../packages/gateway/src/index.js';
import {
  gatewayClient,
  loginToPortal,
  pairThroughGateway,
  portalFetch,
  startGateway,
  type GatewayHarness,
} from '../helpers/gateway.js';
import { Browser } from '../helpers/sandbox.js';
import { failure } from '../helpers/errors.js';

const HOUR = 3_600_000;

/** What each portal user's devices measured, as the host's systems hold it. */
const readings = new Map<string, MeasureSeries[]>();

function glucose(count: number, prefix = 'G'): MeasureSeries {
  const end = Date.now() - HOUR;
  return {
    kind: 'interstitial-glucose',
    days: 14,
    device: { serial: 'CGM-0001', kind: 'continuous-glucose-monitor', name: 'Mon capteur' },
    readings: Array.from({ length: count }, (_, i) => ({
      id: `${prefix}-${i}`,
      at: new Date(end - i * 15 * 60_000).toISOString(),
      value: 100 + i,
    })),
  };
}

const weights = (count: number): MeasureSeries => ({
  kind: 'weight',
  unit: 'lb',
  device: { serial: 'SCALE-01', kind: 'weight-scale' },
  readings: Array.from({ length: count }, (_, i) => ({
    at: new Date(Date.now() - (i + 1) * 24 * HOUR).toISOString(),
    value: 160 - i,
  })),
});

async function stored(harness: GatewayHarness, persona: string) {
  const response = await fetch(`${harness.sandbox.url}/sandbox/patients/${persona}/Observation`);
  const bundle = (await response.json()) as { entry?: { resource: { identifier?: { value: string }[] } }[] };
  return (bundle.entry ?? []).map((entry) => entry.resource);
}

describe('gateway measures: the host’s readings, filed in MES by the server', () => {
  let harness: GatewayHarness;
  const asked: { user: string; query: MeasuresQuery }[] = [];
  before(async () => {
    harness = await startGateway({
      gateway: {
        measures: {
          list(_request: Request, query: MeasuresQuery, user: PortalUser) {
            if (user.id === 'portal-user-broken') throw new Error('device cloud down');
            asked.push({ user: user.id, query });
            return readings.get(user.id) ?? [];
          },
        },
      },
    });
  });
  after(() => harness.close());

  it('files every reading in one page request, streaming progress; a second run finds them all « déjà présentes »', async () => {
    const { browser, user } = await pairThroughGateway(harness, {
      persona: 'nadia',
      finalities: ['MESURE_GLYCEMIE_ECRITURE'],
    });
    readings.set(user, [glucose(120)]);
    let pageRequests = 0;
    const fetchAsPage = portalFetch(browser, harness.origin);
    const counting: typeof fetch = (input, init) => {
      pageRequests++;
      return fetchAsPage(input, init);
    };
    const page = new MesClient({ transport: gatewayTransport({ baseUrl: `${harness.origin}/mes`, fetch: counting }) });
    await page.session();
    pageRequests = 0;
    const progress: OperationProgress[] = [];
    const result = await page.sendMeasures(undefined, { onProgress: (p) => progress.push(p) });
    assert.equal(pageRequests, 1);
    assert.deepEqual(result.total, { created: 120, present: 0, failed: 0 });
    assert.deepEqual(result.byKind, { 'interstitial-glucose': { created: 120, present: 0, failed: 0 } });
    assert.deepEqual([progress.at(-1)?.done, progress.at(-1)?.total, progress.at(-1)?.ratio], [120, 120, 1]);
    assert.ok(progress.length > 10, `${progress.length} progress messages`);
    const ours = (await stored(harness, 'nadia')).filter((o) => o.identifier?.[0]?.value.startsWith('G-'));
    assert.equal(ours.length, 120);
    const again = await page.sendMeasures();
    assert.deepEqual(again.total, { created: 0, present: 120, failed: 0 });
    assert.equal((await stored(harness, 'nadia')).filter((o) => o.identifier?.[0]?.value.startsWith('G-')).length, 120);
  });

  it('two uploads at once for one portal user (two tabs, a double submit) file each reading once', async () => {
    const { browser, user } = await pairThroughGateway(harness, {
      persona: 'elise',
      finalities: ['MESURE_GLYCEMIE_ECRITURE'],
    });
    readings.set(user, [glucose(60, 'TWICE')]);
    const [one, two] = await Promise.all([
      gatewayClient(harness, browser).sendMeasures(),
      gatewayClient(harness, browser).sendMeasures(),
    ]);
    assert.deepEqual(
      [one.total, two.total].sort((a, b) => a.present - b.present),
      [
        { created: 60, present: 0, failed: 0 },
        { created: 0, present: 60, failed: 0 },
      ],
    );
    const filed = (await stored(harness, 'elise')).filter((o) => o.identifier?.[0]?.value.startsWith('TWICE-'));
    assert.equal(filed.length, 60);
  });

  it('reads the patient’s measures back with the measure’s _LECTURE', async () => {
    const { browser, user } = await pairThroughGateway(harness, {
      persona: 'louis',
      finalities: ['MESURE_GLYCEMIE_ECRITURE', 'MESURE_GLYCEMIE_LECTURE'],
    });
    readings.set(user, [glucose(5, 'BACK')]);
    const client = gatewayClient(harness, browser);
    await client.sendMeasures();
    const range = { from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date().toISOString() };
    const back = await client.readMeasures('interstitial-glucose', range);
    assert.deepEqual(
      back.map((m) => m.value),
      [100, 101, 102, 103, 104],
    );
    const weights = await failure(client.readMeasures('weight', 'last'));
    assert.equal(weights.code, 'MES_CONSENT_REQUIRED');
  });

  it('the page chooses which measures and when; the readings come from the host only', async () => {
    const { browser, user } = await pairThroughGateway(harness, {
      finalities: ['MESURE_POIDS_ECRITURE', 'MESURE_GLYCEMIE_ECRITURE'],
    });
    readings.set(user, [weights(3), glucose(4, 'K')]);
    const client = gatewayClient(harness, browser);
    const from = new Date(Date.now() - 2.5 * 24 * HOUR).toISOString();
    const result = await client.sendMeasures(undefined, { kinds: ['weight'], from });
    assert.deepEqual(asked.at(-1), { user, query: { kinds: ['weight'], from } });
    // The gateway filters again whatever the host gave: two weights in the period, no glucose.
    assert.deepEqual(result.total, { created: 2, present: 0, failed: 0 });
    assert.deepEqual(Object.keys(result.byKind), ['weight']);
    const forged = await failure(client.sendMeasures([weights(1)]));
    assert.deepEqual([forged.code, forged.field], ['MES_INVALID_INPUT', 'series']);
  });

  it('sends only the measures the patient granted, and asks nothing of the host for a measure not granted', async () => {
    const { browser, user } = await pairThroughGateway(harness, { finalities: ['MESURE_POIDS_ECRITURE'] });
    readings.set(user, [weights(2), glucose(3, 'R')]);
    const client = gatewayClient(harness, browser);
    const before = asked.length;
    const refused = await failure(client.sendMeasures(undefined, { kinds: ['interstitial-glucose'] }));
    assert.equal(refused.code, 'MES_CONSENT_REQUIRED');
    // The same asked of the gateway directly, past the page's own check.
    const raw = await portalFetch(browser, harness.origin)(`${harness.origin}/mes/operations/send-measures`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kinds: ['interstitial-glucose'] }),
    });
    assert.equal(raw.status, 403);
    assert.equal(asked.length, before, 'the host was asked for readings it could not send');
    const mixed = await client.sendMeasures();
    assert.deepEqual(mixed.byKind['weight'], { created: 2, present: 0, failed: 0 });
    assert.deepEqual(mixed.byKind['interstitial-glucose'], { created: 0, present: 0, failed: 3 });
    assert.ok(
      mixed.readings.filter((r) => r.outcome === 'failed').every((r) => r.error?.code === 'MES_CONSENT_REQUIRED'),
    );
    const glucoseStored = (await stored(harness, 'camille')).filter((o) => o.identifier?.[0]?.value.startsWith('R-'));
    assert.equal(glucoseStored.length, 0);
  });

  it('summarises the host’s readings before anything is sent, for a portal user who never paired; not for a stranger', async () => {
    const browser = new Browser();
    loginToPortal(browser, 'portal-user-summary');
    readings.set('portal-user-summary', [glucose(96, 'S'), weights(5)]);
    const client = gatewayClient(harness, browser);
    const summary = await client.measuresSummary();
    assert.equal(summary.total, 101);
    assert.deepEqual(
      summary.kinds.map((k) => [k.kind, k.count, k.unit]),
      [
        ['interstitial-glucose', 96, 'mg/dL'],
        ['weight', 5, 'kg'],
      ],
    );
    assert.deepEqual(summary.finalities.sort(), ['MESURE_GLYCEMIE_ECRITURE', 'MESURE_POIDS_ECRITURE']);
    const onlyWeights = await client.measuresSummary(undefined, { kinds: ['weight'] });
    assert.deepEqual(
      onlyWeights.kinds.map((k) => k.kind),
      ['weight'],
    );
    const stranger = await failure(gatewayClient(harness, new Browser()).measuresSummary());
    assert.equal(stranger.code, 'MES_AUTH_REQUIRED');
    const broken = new Browser();
    loginToPortal(broken, 'portal-user-broken');
    const host = await failure(gatewayClient(harness, broken).measuresSummary());
    assert.deepEqual([host.code, host.retryable], ['MES_HOST_FAILED', true]);
  });
});
