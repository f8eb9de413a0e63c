/**
 * A patient's connected devices — a scale and a blood-pressure cuff, a glucose sensor — and a Mon
 * espace santé in every state the measures button meets: the in-page sandbox (unseeded, paired for
 * those measures) or a stand-in gateway for the states the sandbox cannot hold still.
 * Browser-safe: no server.
 */
import {
  MesClient,
  MesError,
  inProcessTransport,
  summarizeMeasures,
  checkSeries,
  type FhirRequest,
  type LocalTransport,
  type MeasureKind,
  type MeasureSeries,
} from '@mes-kit/core';
import { createInPageSandbox } from '@mes-kit/sandbox/in-page';
import { fakeGateway } from './fake-gateway.js';

export type MeasuresScenario =
  /** Camille's scale and cuff, two weeks of mornings; paired. */
  | 'balance'
  /** Nadia's sensor: 1,344 readings over 14 days; paired. */
  | 'glucose'
  /** MES holds them all already. */
  | 'already-sent'
  /** No reading to send. */
  | 'empty'
  /** The portal takes a minute to summarise the readings (gateway mode). */
  | 'summarizing'
  /** MES takes 812 of the 1,344 glucose readings, and the others hang: « 812 / 1 344 ». */
  | 'sending'
  /** MES cannot take the blood pressures (503); the weights go through. */
  | 'fails-one'
  | 'unpaired'
  /** « Tout refuser » in a consent prompt earlier in the session. */
  | 'refused'
  /** The patient kept blood pressure back: the weights go, the pressures do not. */
  | 'refused-one'
  /** The MES window stays open. */
  | 'pairing'
  | 'popup-blocked'
  /** The patient unpaired in MES (« Désynchroniser »): MES answers that the pairing is gone. */
  | 'unpaired-in-mes'
  /** The portal cannot be reached (gateway mode). */
  | 'offline'
  /** The portal's back end fails to give the readings (gateway mode). */
  | 'host-failed'
  /** The session never comes. */
  | 'session-loading'
  /** The portal cannot be reached to read the session. */
  | 'session-failed';

const DAY = 86_400_000;
const QUARTER = 15 * 60_000;
/** Midnight, Paris time (near enough for a story), `days` ago. */
const daysAgo = (days: number) => {
  const today = new Date();
  today.setHours(0, 0, 0, 0);
  return today.getTime() - days * DAY;
};

/** Camille's mornings: 14 weights, 14 blood pressures, with their small day-to-day swings. */
export function balanceSeries(): MeasureSeries[] {
  const mornings = Array.from({ length: 14 }, (_, i) => daysAgo(14 - i) + 7.5 * 3_600_000);
  return [
    {
      kind: 'weight',
      device: { serial: 'FE-ED-AB-AA-DE-AD-77-C5', kind: 'weight-scale', manufacturer: 'Pesée+', model: 'BC-20' },
      readings: mornings.map((at, i) => ({
        at: new Date(at).toISOString(),
        value: +(68.6 - i * 0.09 + ((i * 7) % 5) * 0.08).toFixed(1),
      })),
    },
    {
      kind: 'blood-pressure',
      device: { serial: 'FE-ED-AB-AA-DE-AD-77-C6', kind: 'blood-pressure-monitor', manufacturer: 'Pesée+' },
      readings: mornings.map((at, i) => ({
        at: new Date(at + 5 * 60_000).toISOString(),
        systolic: 121 + ((i * 5) % 11),
        diastolic: 76 + ((i * 3) % 7),
      })),
    },
  ];
}

/** A day of type 1 diabetes, every quarter of an hour: nights near 130, meals that rise and fall. */
export function glucoseSeries(): MeasureSeries[] {
  const start = daysAgo(14);
  const meals = [7.5, 12.5, 19.5];
  return [
    {
      kind: 'interstitial-glucose',
      device: { serial: 'CGM-14-0042', kind: 'continuous-glucose-monitor', manufacturer: 'GlycoSuivi' },
      days: 14,
      readings: Array.from({ length: 1344 }, (_, i) => {
        const hour = ((i * 15) / 60) % 24;
        const rise = meals.reduce((sum, meal) => {
          const after = hour - meal;
          return after > 0 && after < 4 ? sum + 110 * Math.sin((Math.PI * after) / 4) * Math.exp(-after / 3) : sum;
        }, 0);
        const day = Math.floor(i / 96);
        return {
          at: new Date(start + i * QUARTER).toISOString(),
          value: Math.round(118 + rise + 14 * Math.sin(i / 7 + day) + ((day * 13) % 17)),
        };
      }),
    },
  ];
}

export interface MeasuresSetup {
  client: MesClient;
  /** What the page gives the button (direct mode); none on a gateway. */
  series?: MeasureSeries[];
  /** The measures the page asks for, when it narrows them. */
  kinds?: MeasureKind[];
}

/** Quick writes in the `sending` scenario; the others hang until the page leaves. */
const QUICK_WRITES = 812;
const LOINC_BLOOD_PRESSURE = '85354-9';

/** A stand-in gateway: its summary from these readings, or as the scenario has it. */
function gatewayClient(scenario: MeasuresScenario): MesClient {
  const gateway = fakeGateway({
    pairing: scenario === 'pairing' ? 'held' : 'blocked',
    session: scenario === 'session-loading' ? 'loading' : scenario === 'session-failed' ? 'failing' : undefined,
  });
  return new MesClient({
    transport: {
      ...gateway,
      async measuresSummary(_query, signal) {
        if (scenario === 'offline') throw new MesError('MES_NETWORK', { operation: 'send-measures' });
        if (scenario === 'host-failed') throw new MesError('MES_HOST_FAILED', { operation: 'send-measures' });
        if (scenario === 'summarizing') {
          await new Promise((_resolve, reject) =>
            signal?.addEventListener('abort', () => reject(new DOMException('Left', 'AbortError'))),
          );
        }
        return summarizeMeasures(checkSeries(balanceSeries()));
      },
    },
  });
}

export async function measuresSetup(scenario: MeasuresScenario): Promise<MeasuresSetup> {
  const onGateway: MeasuresScenario[] = [
    'pairing',
    'popup-blocked',
    'summarizing',
    'offline',
    'host-failed',
    'session-loading',
    'session-failed',
  ];
  if (onGateway.includes(scenario)) {
    return { client: gatewayClient(scenario) };
  }
  const glucose = scenario === 'glucose' || scenario === 'sending';
  const series = glucose ? glucoseSeries() : balanceSeries();
  const sandbox = await createInPageSandbox({ seeded: false });
  const unpaired = scenario === 'unpaired' || scenario === 'refused';
  const granted = glucose
    ? ['MESURE_GLYCEMIE_ECRITURE']
    : scenario === 'refused-one'
      ? ['MESURE_POIDS_ECRITURE']
      : ['MESURE_POIDS_ECRITURE', 'MESURE_TENSION_ECRITURE'];
  const base = inProcessTransport(sandbox, {
    persona: glucose ? 'nadia' : 'camille',
    pairedWith: unpaired ? undefined : granted,
  });
  let writes = 0;
  const transport: LocalTransport = {
    ...base,
    async request(request: FhirRequest, options) {
      if (request.method !== 'GET') {
        writes++;
        if (scenario === 'fails-one' && String(request.body ?? '').includes(LOINC_BLOOD_PRESSURE)) {
          throw new MesError('MES_UNAVAILABLE', { operation: 'send-measures', status: 503 });
        }
        if (scenario === 'sending' && writes > QUICK_WRITES) {
          await new Promise((_resolve, reject) =>
            options?.signal?.addEventListener('abort', () => reject(new DOMException('Left', 'AbortError'))),
          );
        }
      }
      return base.request(request, options);
    },
  };
  const client = new MesClient({ transport, retry: { attempts: 1 } });
  if (scenario === 'refused') await client.recordRefusal(['MESURE_POIDS_ECRITURE', 'MESURE_TENSION_ECRITURE'], '1');
  if (scenario === 'refused-one') await client.recordRefusal(['MESURE_TENSION_ECRITURE'], '1');
  if (scenario === 'already-sent') await client.sendMeasures(series);
  if (scenario === 'unpaired-in-mes') {
    await client.session();
    await sandbox.fetch('http://localhost:8787/sandbox/pairings/camille/mes-kit-demo', { method: 'DELETE' });
  }
  // The page asks for temperatures, and the devices took none.
  if (scenario === 'empty') return { client, series, kinds: ['temperature'] };
  return { client, series };
}
