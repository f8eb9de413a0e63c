/**
 * Agenda sync at 500 appointments, against a real sandbox over HTTP:
 *
 * 1. A resync of 500 unchanged appointments: the requests made to MES, by kind (expected: one
 *    search, no write), and its time.
 * 2. A first sync of 500 with 20 ms of latency injected at MES (the sandbox's faults), against the
 *    ideal `requests × latency / concurrency` (the search, then the writes four at a time); the same
 *    sync with no latency, in the same run, says what MES's own work costs.
 *
 * Run: npx tsx --conditions=@mes-kit/source bench/agenda-sync.ts   (ROUNDS=3 by default; medians)
 */
import { AGENDA_CONCURRENCY, MesClient, type AgendaAppointment, type LocalTransport } from '@mes-kit/core';
import { adminTokens, startSandbox } from '../test/helpers/sandbox.js';

const ROUNDS = Number(process.env['ROUNDS'] ?? 3);
const COUNT = 500;
const LATENCY_MS = 20;
const DAY = 24 * 3_600_000;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const sandbox = await startSandbox();

/** 500 appointments to come, one every few hours. */
function agenda(prefix: string): AgendaAppointment[] {
  const first = Date.now() + DAY;
  return Array.from({ length: COUNT }, (_, i) => ({
    id: `${prefix}-${i}`,
    title: `Séance de rééducation n° ${i + 1}`,
    start: new Date(first + i * 6 * 3_600_000).toISOString(),
    end: new Date(first + i * 6 * 3_600_000 + 1_800_000).toISOString(),
    with: { kind: 'professional', name: 'Mme Claire Dubois, kinésithérapeute' },
    place: {
      name: 'Cabinet de kinésithérapie',
      address: { lines: ['3 rue Garibaldi'], postalCode: '69006', city: 'Lyon' },
    },
  }));
}

/** A client as direct mode has it, over HTTP to the sandbox, every request counted by kind. */
async function client(persona: string, idPe: string) {
  const tokens = await adminTokens(sandbox.url, persona, ['AGENDA_ECRITURE'], 'mes-kit-public');
  const counts = { searches: 0, writes: 0 };
  const session = {
    paired: true as const,
    finalities: ['AGENDA_ECRITURE'],
    idPe,
    service: { oid: '1.2.250.1.999.42.2', name: 'mes-kit (mode direct)' },
  };
  const transport: LocalTransport = {
    kind: 'local',
    session: async () => session,
    pair: async () => session,
    revoke: async () => undefined,
    request: (request, options) => {
      counts[request.method === 'GET' ? 'searches' : 'writes']++;
      return fetch(`${sandbox.fhirBase}/${request.path}`, {
        method: request.method,
        body: request.body,
        headers: { ...request.headers, authorization: `Bearer ${tokens.access_token}`, 'x-id-token': tokens.id_token },
        signal: options?.signal,
      });
    },
  };
  const take = () => {
    const taken = { ...counts };
    counts.searches = counts.writes = 0;
    return taken;
  };
  return { client: new MesClient({ transport }), take };
}

async function faults(latencyMs: number) {
  const response = await fetch(`${sandbox.url}/sandbox/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(latencyMs > 0 ? { latencyMs } : {}),
  });
  if (!response.ok) throw new Error(`faults: ${response.status}`);
}

try {
  const personas: [string, string][] = [
    ['camille', 'patient-externe-id-2'],
    ['nadia', 'patient-externe-id-3'],
    ['louis', 'patient-externe-id-4'],
    ['elise', 'patient-externe-id-5'],
  ];
  const firstSlow: number[] = [];
  const firstFast: number[] = [];
  const resyncs: number[] = [];
  let resyncRequests = { searches: 0, writes: 0 };
  let firstRequests = { searches: 0, writes: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    const [persona, idPe] = personas[round % personas.length];
    for (const latency of [0, LATENCY_MS]) {
      // An empty agenda each time: every first sync files 500 new appointments (and cancels nothing).
      const reset = await fetch(`${sandbox.url}/sandbox/reset`, { method: 'POST' });
      if (!reset.ok) throw new Error(`reset: ${reset.status}`);
      const { client: mes, take } = await client(persona, idPe);
      const appointments = agenda(`R${round}-L${latency}`);
      await faults(latency);
      let started = performance.now();
      const first = await mes.syncAgenda(appointments);
      (latency > 0 ? firstSlow : firstFast).push(performance.now() - started);
      await faults(0);
      if (first.counts.create !== COUNT || first.failed !== 0)
        throw new Error(`first sync: ${JSON.stringify(first.counts)}`);
      firstRequests = take();
      started = performance.now();
      const again = await mes.syncAgenda(appointments);
      resyncs.push(performance.now() - started);
      if (again.counts.unchanged !== COUNT) throw new Error(`resync: ${JSON.stringify(again.counts)}`);
      resyncRequests = take();
    }
  }
  const ideal = LATENCY_MS + (COUNT * LATENCY_MS) / AGENDA_CONCURRENCY;
  const row = (label: string, value: string) => console.log(`  ${label.padEnd(62)} ${value}`);
  const ms = (value: number) => `${value.toFixed(0).padStart(6)} ms`;
  console.log(`Agenda sync, ${COUNT} appointments, sandbox over HTTP (${ROUNDS} rounds, medians):`);
  row(
    'resync of 500 unchanged: requests to MES',
    `${resyncRequests.searches} search, ${resyncRequests.writes} writes (budget: 1 search, 0 writes) ${
      resyncRequests.searches === 1 && resyncRequests.writes === 0 ? 'OK' : 'OVER'
    }`,
  );
  row('resync of 500 unchanged: time', ms(median(resyncs)));
  row('first sync of 500: requests to MES', `${firstRequests.searches} search, ${firstRequests.writes} writes`);
  row(`first sync, ${LATENCY_MS} ms latency at MES`, ms(median(firstSlow)));
  row(`ideal: (1 + ${COUNT} / ${AGENDA_CONCURRENCY}) × ${LATENCY_MS} ms`, ms(ideal));
  row('ratio to the ideal', `${(median(firstSlow) / ideal).toFixed(2)}×`);
  row('first sync, no latency (MES’s own work, same run)', ms(median(firstFast)));
  row(
    'latency run less MES’s own work, to the ideal',
    `${((median(firstSlow) - median(firstFast)) / ideal).toFixed(2)}×`,
  );
} finally {
  await sandbox.dispose();
}
