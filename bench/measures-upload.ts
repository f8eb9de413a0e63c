/**
 * A glucose sensor's 14 days — 1,344 readings, one MES transaction each — uploaded with 20 ms of
 * latency injected at MES (the sandbox's faults), in both modes:
 *
 * - gateway mode: the page asks its gateway once; the gateway gets the readings from the host's
 *   `measures.list` and runs the fan-out next to MES, streaming progress back;
 * - direct mode: the page holds the readings and runs the fan-out itself, over HTTP to the sandbox.
 *
 * Each is divided by the ideal `requests × latency / concurrency`, where requests are those MES
 * received (the searches for what it holds already, then one transaction per reading), counted in
 * the same run. Also reported: the requests the page made, and a second upload of the same readings
 * (all « déjà présentes »: searches only).
 *
 * Run: npx tsx --conditions=@mes-kit/source bench/measures-upload.ts   (ROUNDS=3 by default; medians)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  MEASURES_CONCURRENCY,
  MesClient,
  gatewayTransport,
  type LocalTransport,
  type MeasureSeries,
  type SendMeasuresResult,
} from '@mes-kit/core';
import { createGateway } from '../packages/gateway/src/index.js';
import { toNodeListener } from '../packages/gateway/src/node.js';
import { pairThroughGateway, portalFetch, portalUserOf, type GatewayHarness } from '../test/helpers/gateway.js';
import { freePort } from '../test/helpers/ports.js';
import { adminTokens, servicesRedirectedTo } from '../test/helpers/sandbox.js';

const ROUNDS = Number(process.env['ROUNDS'] ?? 3);
const READINGS = 1344;
const LATENCY_MS = 20;
const QUARTER_HOUR = 15 * 60_000;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** 14 days of a sensor, ending `daysAgo` days ago: each upload its own fortnight, so each finds MES empty there. */
function fortnight(daysAgo: number): MeasureSeries[] {
  const end = Date.now() - daysAgo * 86_400_000 - 60_000;
  return [
    {
      kind: 'interstitial-glucose',
      days: 14,
      device: { serial: 'CGM-BENCH-0001', kind: 'continuous-glucose-monitor', manufacturer: 'Bench' },
      readings: Array.from({ length: READINGS }, (_, i) => ({
        at: new Date(end - (READINGS - 1 - i) * QUARTER_HOUR).toISOString(),
        value: 110 + Math.round(40 * Math.sin(i / 8)),
      })),
    },
  ];
}

// MES runs elsewhere than the portal: the sandbox in a process of its own, so that its work (token
// checks, validation, SQLite) is not charged to the kit's.
const gatewayServer = createServer();
await new Promise<void>((resolve) => gatewayServer.listen(0, '127.0.0.1', resolve));
const origin = `http://localhost:${(gatewayServer.address() as AddressInfo).port}`;
const dataDir = mkdtempSync(join(tmpdir(), 'mes-bench-'));
const services = servicesRedirectedTo(origin);
writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ services }));
const port = await freePort();
const mesProcess = spawn(
  process.execPath,
  [
    '--conditions=@mes-kit/source',
    '--import',
    'tsx',
    'packages/sandbox/src/cli.ts',
    '--port',
    String(port),
    '--data-dir',
    dataDir,
    '--config',
    join(dataDir, 'config.json'),
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
await new Promise<void>((resolve, reject) => {
  mesProcess.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('API FHIR') && resolve());
  mesProcess.on('exit', (code) => reject(new Error(`sandbox exited: ${code}`)));
});
const sandbox = { url: `http://localhost:${port}`, fhirBase: `http://localhost:${port}/fhir` };

let fortnightsUsed = 0;
let series = fortnight(0);
const [demo] = services;
const gateway = createGateway({
  mes: { issuer: sandbox.url, fhirBase: sandbox.fhirBase },
  client: { clientId: demo.clientId, clientSecret: demo.clientSecret! },
  service: { oid: demo.oid, name: demo.name },
  origin,
  identify: portalUserOf,
  measures: { list: () => series },
});
gatewayServer.on('request', toNodeListener(gateway, { origin }));
// What pairing through the gateway needs of a test harness: where the portal and MES are.
const harness = { origin, sandbox } as unknown as GatewayHarness;

/**
 * Every request MES receives from this process (the gateway's and direct mode's alike). With
 * `latencyOnly`, MES's FHIR API is a stand-in that costs its latency and nothing else: what is
 * left over the ideal is then the kit's own.
 */
let mesRequests = 0;
let latencyOnly = false;
const realFetch = globalThis.fetch;
const FHIR_JSON = { 'content-type': 'application/fhir+json' };
const filed = JSON.stringify({
  resourceType: 'Bundle',
  type: 'transaction-response',
  entry: [
    { response: { status: '200 OK', location: 'Device/stand-in' } },
    { response: { status: '201 Created', location: 'Observation/stand-in' } },
  ],
});
const nothingHeld = JSON.stringify({ resourceType: 'Bundle', type: 'searchset', total: 0, entry: [] });
globalThis.fetch = async (input, init) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  if (!url.startsWith(sandbox.fhirBase)) return realFetch(input, init);
  mesRequests++;
  if (!latencyOnly) return realFetch(input, init);
  await new Promise((resolve) => setTimeout(resolve, LATENCY_MS));
  return new Response(init?.method === 'POST' ? filed : nothingHeld, { headers: FHIR_JSON });
};

async function faults(latencyMs: number) {
  const response = await realFetch(`${sandbox.url}/sandbox/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(latencyMs > 0 ? { latencyMs } : {}),
  });
  if (!response.ok) throw new Error(`faults: ${response.status}`);
}

/** The page in gateway mode: its requests to the portal counted. */
async function gatewayClient() {
  const { browser } = await pairThroughGateway(harness, {
    persona: 'nadia',
    finalities: ['MESURE_GLYCEMIE_ECRITURE'],
  });
  let pageRequests = 0;
  const fetchAsPage = portalFetch(browser, harness.origin);
  const transport = gatewayTransport({
    baseUrl: `${harness.origin}/mes`,
    fetch: (input, init) => {
      pageRequests++;
      return fetchAsPage(input, init);
    },
  });
  const client = new MesClient({ transport });
  await client.session();
  return { client, pageRequests: () => pageRequests, reset: () => (pageRequests = 0) };
}

/** The page in direct mode, over HTTP to the sandbox: every request it makes goes to MES. */
async function directClient() {
  const tokens = await adminTokens(sandbox.url, 'nadia', ['MESURE_GLYCEMIE_ECRITURE'], 'mes-kit-public');
  const session = {
    paired: true as const,
    finalities: ['MESURE_GLYCEMIE_ECRITURE'],
    idPe: 'patient-externe-id-3',
    service: { oid: '1.2.250.1.999.42.2', name: 'mes-kit (mode direct)' },
  };
  let pageRequests = 0;
  const transport: LocalTransport = {
    kind: 'local',
    session: async () => session,
    pair: async () => session,
    revoke: async () => undefined,
    request: (request, options) => {
      pageRequests++;
      return fetch(`${sandbox.fhirBase}/${request.path}`, {
        method: request.method,
        body: request.body,
        headers: { ...request.headers, authorization: `Bearer ${tokens.access_token}`, 'x-id-token': tokens.id_token },
        signal: options?.signal,
      });
    },
  };
  return { client: new MesClient({ transport }), pageRequests: () => pageRequests, reset: () => (pageRequests = 0) };
}

interface Run {
  ms: number;
  mes: number;
  page: number;
}

type Mode = { client: MesClient; pageRequests: () => number; reset: () => void };

async function measure(mode: Mode, direct: boolean): Promise<[Run, SendMeasuresResult]> {
  mode.reset();
  mesRequests = 0;
  const started = performance.now();
  const result = await mode.client.sendMeasures(direct ? series : undefined);
  return [{ ms: performance.now() - started, mes: mesRequests, page: mode.pageRequests() }, result];
}

/** A first upload of a new fortnight, and (from the sandbox) the same again: all « déjà présentes ». */
async function upload(mode: Mode, direct: boolean): Promise<{ first: Run; again?: Run }> {
  series = fortnight(14 * fortnightsUsed++);
  if (latencyOnly) return { first: (await measure(mode, direct))[0] };
  await faults(LATENCY_MS);
  try {
    const [first, sent] = await measure(mode, direct);
    if (sent.total.created !== READINGS) throw new Error(`first upload: ${JSON.stringify(sent.total)}`);
    const [again, resent] = await measure(mode, direct);
    if (resent.total.present !== READINGS) throw new Error(`second upload: ${JSON.stringify(resent.total)}`);
    return { first, again };
  } finally {
    await faults(0);
  }
}

/** MES's own work, in the same run: the same upload with no latency injected. */
async function unhurried(mode: Mode, direct: boolean): Promise<number> {
  series = fortnight(14 * fortnightsUsed++);
  return (await measure(mode, direct))[0].ms;
}

try {
  const modes = { gateway: await gatewayClient(), direct: await directClient() };
  const runs: Record<string, Run[]> = {};
  const own: Record<string, number[]> = { gateway: [], direct: [] };
  const take = (key: string, run?: Run) => run && (runs[key] ??= []).push(run);
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of ['gateway', 'direct'] as const) {
      latencyOnly = true;
      take(`${name} stand-in`, (await upload(modes[name], name === 'direct')).first);
      latencyOnly = false;
      const { first, again } = await upload(modes[name], name === 'direct');
      take(`${name} sandbox`, first);
      take(`${name} again`, again);
      own[name].push(await unhurried(modes[name], name === 'direct'));
    }
  }
  const row = (label: string, value: string) => console.log(`  ${label.padEnd(66)} ${value}`);
  const ideal = (run: Run) => (run.mes * LATENCY_MS) / MEASURES_CONCURRENCY;
  const ms = (value: number) => `${value.toFixed(0)} ms`;
  console.log(
    `Measures upload, ${READINGS} readings, ${LATENCY_MS} ms latency at MES, concurrency ${MEASURES_CONCURRENCY} (${ROUNDS} rounds, medians):`,
  );
  for (const name of ['gateway', 'direct'] as const) {
    const standIn = runs[`${name} stand-in`];
    const real = runs[`${name} sandbox`];
    const again = runs[`${name} again`];
    const ratios = standIn.map((run) => run.ms / ideal(run));
    const last = standIn[standIn.length - 1];
    row(
      `${name} mode: requests MES received`,
      `${last.mes} (${last.mes - READINGS} searches, ${READINGS} transactions)`,
    );
    row(`${name} mode: requests the page made`, `${last.page}`);
    row(`${name} mode: ideal, requests × ${LATENCY_MS} ms / ${MEASURES_CONCURRENCY}`, ms(ideal(last)));
    row(`${name} mode, MES costing its latency only: time`, ms(median(standIn.map((r) => r.ms))));
    row(
      `${name} mode, MES costing its latency only: ratio to the ideal (≤ 1.2×)`,
      `${median(ratios).toFixed(2)}× ${median(ratios) <= 1.2 ? 'OK' : 'OVER'} (rounds: ${ratios.map((r) => r.toFixed(2)).join(', ')})`,
    );
    const realRatios = real.map((run) => run.ms / ideal(run));
    row(
      `${name} mode, the sandbox + ${LATENCY_MS} ms: time, ratio to the ideal`,
      `${ms(median(real.map((r) => r.ms)))}, ${median(realRatios).toFixed(2)}×`,
    );
    row(`${name} mode, the sandbox with no latency (its own work, same run)`, ms(median(own[name])));
    row(
      `${name} mode: same readings again (all « déjà présentes »)`,
      `${ms(median(again.map((r) => r.ms)))}, ${again[again.length - 1].mes} requests to MES, ${again[again.length - 1].page} from the page`,
    );
  }
} finally {
  globalThis.fetch = realFetch;
  mesProcess.kill();
  gatewayServer.closeAllConnections();
  gatewayServer.close();
  rmSync(dataDir, { recursive: true, force: true });
}
