/**
 * Soak: the gateway and MES under faults, then MES checked against what the page was told.
 *
 * 1. Mixed operations — send a document, import one (find, then retrieve), agenda sync, measures
 *    upload — through a real gateway over HTTP, as the page's `gatewayTransport` calls it, for
 *    several paired portal users at once, while the sandbox injects faults: 500, 503 and 429 (with
 *    Retry-After), latency, and answers dropped after the write was committed. Every operation must
 *    end confirmed or with a MesError. MES must then hold every confirmed write (0 lost) and none
 *    twice, by business identifier or by content (0 duplicated). Then, with the faults off, each
 *    user runs again what was not confirmed, and MES must hold every write exactly once.
 * 2. The gateway, in a process of its own, killed (SIGKILL) at random moments during document
 *    sends and started again; the page runs again what was cut: each document once in MES.
 *
 * Run: npx tsx --conditions=@mes-kit/source bench/soak.ts
 *      (OPERATIONS=500 CONCURRENCY=8 FAULT_RATE=0.3 LATENCY_MS=5 SENDS=50 KILLS=3 SEED=<random>)
 * Prints a summary; exits non-zero when anything was lost or duplicated, or an operation ended
 * otherwise than confirmed or with a MesError.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { MES_ERROR_CODES, MesError, type AgendaAppointment, type MeasureReading, type MesClient } from '@mes-kit/core';
import { gatewayClient, pairThroughGateway, startGateway, type GatewayHarness } from '../test/helpers/gateway.js';
import { startRedis } from '../test/helpers/redis.js';
import { adminBundle, servicesRedirectedTo, startSandbox, type TestSandbox } from '../test/helpers/sandbox.js';
import type { SoakGatewaySettings } from './soak-gateway.js';
import { soakDocument } from './soak-documents.js';

export const KINDS = ['send-document', 'import-document', 'sync-agenda', 'send-measures'] as const;
export type Kind = (typeof KINDS)[number];
/** `partial`: the run ended, with some of its appointments or readings failed (a new run retries them). */
export type Outcome = 'confirmed' | 'partial' | MesError['code'] | 'not a MesError' | 'no end';

export interface SoakOptions {
  operations: number;
  concurrency: number;
  /** Share of MES's answers that are faults: five in six an error status, one in six dropped after commit. */
  faultRate: number;
  latencyMs: number;
  seed?: number;
  /** Portal users, each paired with a persona of their own (at most 4). */
  users?: number;
  /** An operation with no end after this long is counted as hung (a watchdog, not a performance bound). */
  hangMs?: number;
}

/** What fault injection did, as the sandbox counts it (`GET /sandbox/faults/injected`). */
export interface InjectedFaults {
  requests: number;
  delayed: number;
  statuses: Record<string, number>;
  dropped: number;
}

/** MES against the writes: per ledger (documents, appointments, readings). */
export interface Check {
  /** Writes the page was told were filed. */
  confirmed: number;
  /** Confirmed, and not in MES. */
  lost: number;
  /** Copies beyond the first: same business identifier, or the same content under another identifier. */
  duplicated: number;
  /** Written (or asked for) but never confirmed, and not in MES. */
  missing: number;
  /** What was wrong, one line each. */
  findings: string[];
}

export interface SoakReport {
  options: SoakOptions & { seed: number; users: number };
  operations: Record<Kind, Partial<Record<Outcome, number>>>;
  faults: InjectedFaults;
  /** Right after the faults, before anything is run again. */
  underFaults: Record<Ledger, Check>;
  /** After each user ran again, faults off, what was not confirmed. */
  afterRerun: Record<Ledger, Check>;
  /** Operations that ended otherwise than confirmed or with a MesError. */
  anomalies: string[];
  wallMs: number;
}

type Ledger = 'documents' | 'appointments' | 'readings';
const LEDGERS: Ledger[] = ['documents', 'appointments', 'readings'];

const PERSONAS = ['camille', 'nadia', 'louis', 'elise'];
const FINALITIES = [
  'DOC_ECRITURE',
  'DOC_LECTURE',
  'AGENDA_ECRITURE',
  'AGENDA_LECTURE',
  'MESURE_POIDS_ECRITURE',
  'MESURE_POIDS_LECTURE',
];
const HOUR = 3_600_000;

/** A small seeded generator (mulberry32): the same seed draws the same kinds and kill points (the workers still interleave as they run). */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

async function adminJson(url: string, path: string, init?: RequestInit): Promise<unknown> {
  const response = await fetch(`${url}/sandbox/${path}`, {
    ...init,
    headers: { 'content-type': 'application/json' },
  });
  if (!response.ok) throw new Error(`admin ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

export const setFaults = (url: string, faults: Record<string, unknown>) =>
  adminJson(url, 'faults', { method: 'PUT', body: JSON.stringify(faults) });

/** How an operation ended: a MesError's code, or what is wrong with it. */
export function outcomeOf(error: unknown): Outcome {
  if (error instanceof MesError && (MES_ERROR_CODES as readonly string[]).includes(error.code)) return error.code;
  return 'not a MesError';
}

/** Rejects after `ms` if `promise` has not settled: a hang is reported, not waited for forever. */
function watchdog<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('no end')), ms);
  });
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}

/** One portal user: their MES persona, their page's client, and what the host holds for them. */
interface HostUser {
  id: string;
  persona: string;
  client: MesClient;
  appointments: AgendaAppointment[];
  readings: MeasureReading[];
  /** Document refs named by the page (all sent at least once), with the hash MES files each under. */
  refs: Map<string, string>;
  confirmed: Record<Ledger, Set<string>>;
  /** Document sends that did not end confirmed: sent again after the faults. */
  unconfirmedRefs: Set<string>;
  counter: number;
}

/** What the checks read of a resource MES holds. */
interface StoredResource {
  identifier?: { value?: string }[];
  masterIdentifier?: { value?: string };
  content?: { attachment?: { hash?: string } }[];
  start?: string;
  effectiveDateTime?: string;
  valueQuantity?: { value?: number };
}

/** Every resource of this type MES holds for the persona, as its admin API lists them. */
async function storedOf(url: string, persona: string, type: string): Promise<StoredResource[]> {
  return ((await adminBundle(url, persona, type)).entry ?? []).map((entry) => entry.resource as StoredResource);
}

/** Resources MES holds, grouped by the write they are for: counted against the ledgers. */
interface Held {
  /** The write (a document's ref, an appointment's or a reading's host id) → how many resources are for it. */
  byKey: Map<string, number>;
  /**
   * Another mark of a write (a document's masterIdentifier; an appointment's or a reading's content)
   * → the writes it is held under: one mark under several is a copy filed under another key.
   */
  byMark: Map<string, Set<string>>;
}

function holding(entries: { key: string; mark: string }[]): Held {
  const held: Held = { byKey: new Map(), byMark: new Map() };
  for (const { key, mark } of entries) {
    held.byKey.set(key, (held.byKey.get(key) ?? 0) + 1);
    const under = held.byMark.get(mark) ?? new Set();
    held.byMark.set(mark, under.add(key));
  }
  return held;
}

/** What MES holds of the soak's writes for this user: their documents (by hash), appointments and readings (by host id). */
async function heldFor(url: string, user: HostUser): Promise<Record<Ledger, Held>> {
  const [documents, appointments, observations] = await Promise.all(
    ['DocumentReference', 'Appointment', 'Observation'].map((type) => storedOf(url, user.persona, type)),
  );
  const refOf = new Map([...user.refs].map(([ref, hash]) => [hash, ref]));
  const soakId = (resource: StoredResource): string | undefined =>
    resource.identifier
      ?.map((identifier) => identifier.value)
      .find((value) => value?.startsWith(`soak-${user.persona}-`));
  return {
    // A document is known by its SHA-1 (each ref's content is its own), and by its masterIdentifier.
    documents: holding(
      documents.flatMap((doc) => {
        const hash = doc.content?.[0]?.attachment?.hash;
        const ref = hash === undefined ? undefined : refOf.get(hash);
        return ref === undefined ? [] : [{ key: ref, mark: `masterIdentifier ${doc.masterIdentifier?.value}` }];
      }),
    ),
    appointments: holding(
      appointments.flatMap((appointment) => {
        const id = soakId(appointment);
        return id === undefined ? [] : [{ key: id, mark: `start ${appointment.start}` }];
      }),
    ),
    readings: holding(
      observations.flatMap((observation) => {
        const id = soakId(observation);
        return id === undefined
          ? []
          : [{ key: id, mark: `${observation.valueQuantity?.value} kg at ${observation.effectiveDateTime}` }];
      }),
    ),
  };
}

/** MES against each user's ledgers; `written` is every write asked for, confirmed or not. */
async function check(
  url: string,
  users: HostUser[],
  written: (user: HostUser) => Record<Ledger, string[]>,
): Promise<Record<Ledger, Check>> {
  const checks = Object.fromEntries(
    LEDGERS.map((ledger) => [ledger, { confirmed: 0, lost: 0, duplicated: 0, missing: 0, findings: [] as string[] }]),
  ) as Record<Ledger, Check>;
  for (const user of users) {
    const held = await heldFor(url, user);
    const asked = written(user);
    for (const ledger of LEDGERS) {
      const result = checks[ledger];
      const { byKey, byMark } = held[ledger];
      result.confirmed += user.confirmed[ledger].size;
      for (const key of user.confirmed[ledger]) {
        if (!byKey.has(key)) {
          result.lost++;
          result.findings.push(`${user.persona}: confirmed ${key} is not in MES`);
        }
      }
      for (const key of asked[ledger]) {
        if (!byKey.has(key) && !user.confirmed[ledger].has(key)) result.missing++;
      }
      for (const [key, count] of byKey) {
        if (count <= 1) continue;
        result.duplicated += count - 1;
        result.findings.push(`${user.persona}: ${key} is in MES ${count} times`);
      }
      for (const [mark, keys] of byMark) {
        if (keys.size <= 1) continue;
        result.duplicated += keys.size - 1;
        result.findings.push(`${user.persona}: the same ${mark} under ${[...keys].join(', ')}`);
      }
    }
  }
  return checks;
}

/** Each user's host data and operations: what the gateway's host sources answer, and the page's calls. */
function operationsOf(user: HostUser, random: () => number) {
  const next = () => `soak-${user.persona}-${++user.counter}`;
  const tally = (ledger: Ledger, ids: string[]) => ids.forEach((id) => user.confirmed[ledger].add(id));

  async function sendDocument(ref: string): Promise<Outcome> {
    try {
      await user.client.sendDocument({ ref });
      user.unconfirmedRefs.delete(ref);
      tally('documents', [ref]);
      return 'confirmed';
    } catch (error) {
      if (!user.confirmed.documents.has(ref)) user.unconfirmedRefs.add(ref);
      throw error;
    }
  }

  return {
    async 'send-document'(): Promise<Outcome> {
      // Now and then the same document again (a second click, another tab): MES must still hold it once.
      const known = [...user.confirmed.documents];
      if (known.length > 0 && random() < 0.15) return sendDocument(known[Math.floor(random() * known.length)]);
      const ref = next();
      user.refs.set(ref, soakDocument(user.id, ref).hash);
      return sendDocument(ref);
    },
    async 'import-document'(): Promise<Outcome> {
      // The first page, as the picker shows it, and one of its documents imported.
      for await (const { documents } of user.client.findDocuments({})) {
        if (documents.length > 0)
          await user.client.retrieveDocument(documents[Math.floor(random() * documents.length)]);
        break;
      }
      return 'confirmed';
    },
    async 'sync-agenda'(): Promise<Outcome> {
      const id = next();
      const start = Date.now() + 24 * HOUR + user.counter * HOUR;
      user.appointments.push({
        id,
        title: `Consultation de suivi ${id}`,
        start: new Date(start).toISOString(),
        end: new Date(start + HOUR / 2).toISOString(),
        with: { kind: 'professional', name: 'Dr Claire Dubois' },
      });
      const result = await user.client.syncAgenda();
      tally(
        'appointments',
        result.changes.filter((change) => change.outcome === 'done').map((change) => change.id),
      );
      return result.failed === 0 ? 'confirmed' : 'partial';
    },
    async 'send-measures'(): Promise<Outcome> {
      for (let i = 0; i < 2; i++) {
        const id = next();
        const at = new Date(Date.now() - HOUR - user.counter * 60_000).toISOString();
        user.readings.push({ id, at, value: 60 + Math.round(random() * 300) / 10 });
      }
      const result = await user.client.sendMeasures();
      tally(
        'readings',
        result.readings.filter((reading) => reading.outcome !== 'failed').map((reading) => reading.id),
      );
      return result.total.failed === 0 ? 'confirmed' : 'partial';
    },
  };
}

/** The gateway's host sources, answered from each user's `HostUser`. */
function hostSources(users: Map<string, HostUser>) {
  const of = (userId: string) => {
    const user = users.get(userId);
    if (!user) throw new Error('not a soak user');
    return user;
  };
  return {
    documents: {
      resolve: (_request: Request, ref: string, portalUser: { id: string }) =>
        of(portalUser.id).refs.has(ref) ? soakDocument(portalUser.id, ref).document : undefined,
      receive: () => ({ kept: true }),
    },
    agenda: { list: (_request: Request, portalUser: { id: string }) => [...of(portalUser.id).appointments] },
    measures: {
      list: (_request: Request, _query: unknown, portalUser: { id: string }) => {
        const { readings } = of(portalUser.id);
        if (readings.length === 0) return [];
        return [
          {
            kind: 'weight' as const,
            device: { serial: 'SOAK-SCALE-0001', kind: 'weight-scale' as const, manufacturer: 'Soak' },
            readings: [...readings],
          },
        ];
      },
    },
  };
}

/** Part 1: mixed operations under faults, then MES checked; then the rest run again with no faults. */
export async function soak(options: SoakOptions): Promise<SoakReport> {
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const random = seeded(seed);
  const userCount = Math.min(options.users ?? PERSONAS.length, PERSONAS.length);
  const hangMs = options.hangMs ?? 180_000;
  const users = new Map<string, HostUser>();
  const harness: GatewayHarness = await startGateway({ gateway: hostSources(users) });
  try {
    for (const persona of PERSONAS.slice(0, userCount)) {
      const { browser, user: id } = await pairThroughGateway(harness, {
        persona,
        finalities: FINALITIES,
        user: `soak-portal-${persona}`,
      });
      users.set(id, {
        id,
        persona,
        client: gatewayClient(harness, browser),
        appointments: [],
        readings: [],
        refs: new Map(),
        confirmed: { documents: new Set(), appointments: new Set(), readings: new Set() },
        unconfirmedRefs: new Set(),
        counter: 0,
      });
    }
    const operations = Object.fromEntries(KINDS.map((kind) => [kind, {}])) as SoakReport['operations'];
    const anomalies: string[] = [];
    const url = harness.sandbox.url;
    await setFaults(url, {
      errorRate: (options.faultRate * 5) / 6,
      dropResponseRate: options.faultRate / 6,
      statuses: [500, 503, 429],
      latencyMs: options.latencyMs,
    });

    const started = performance.now();
    let remaining = options.operations;
    const list = [...users.values()];
    // Each worker is one of a user's tabs: a user has a few operations at once, never all of them.
    const worker = async (user: HostUser) => {
      const run = operationsOf(user, random);
      while (remaining > 0) {
        remaining--;
        const pick = random();
        const kind: Kind =
          pick < 0.4 ? 'send-document' : pick < 0.6 ? 'import-document' : pick < 0.8 ? 'sync-agenda' : 'send-measures';
        let outcome: Outcome;
        try {
          outcome = await watchdog(run[kind](), hangMs);
        } catch (error) {
          outcome = error instanceof Error && error.message === 'no end' ? 'no end' : outcomeOf(error);
          if (outcome === 'not a MesError' || outcome === 'no end') {
            anomalies.push(`${kind} for ${user.persona}: ${outcome}: ${String(error)}`);
          }
        }
        operations[kind][outcome] = (operations[kind][outcome] ?? 0) + 1;
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, (_, i) => worker(list[i % list.length])));
    const wallMs = performance.now() - started;
    const faults = (await adminJson(url, 'faults/injected')) as InjectedFaults;
    await setFaults(url, {});

    const asked = (user: HostUser): Record<Ledger, string[]> => ({
      documents: [...user.refs.keys()],
      appointments: user.appointments.map((appointment) => appointment.id),
      readings: user.readings.map((reading) => reading.id!),
    });
    const underFaults = await check(url, list, asked);
    // The patient comes back: the sends not confirmed run again, and one more sync and upload each.
    for (const user of list) {
      try {
        for (const ref of [...user.unconfirmedRefs]) {
          await user.client.sendDocument({ ref });
          user.unconfirmedRefs.delete(ref);
          user.confirmed.documents.add(ref);
        }
        const agenda = await user.client.syncAgenda();
        for (const change of agenda.changes) if (change.outcome === 'done') user.confirmed.appointments.add(change.id);
        const measures = await user.client.sendMeasures();
        for (const reading of measures.readings)
          if (reading.outcome !== 'failed') user.confirmed.readings.add(reading.id);
      } catch (error) {
        anomalies.push(`running again for ${user.persona}, no faults: ${outcomeOf(error)}: ${String(error)}`);
      }
    }
    const afterRerun = await check(url, list, asked);
    return {
      options: { ...options, seed, users: userCount },
      operations,
      faults,
      underFaults,
      afterRerun,
      anomalies,
      wallMs,
    };
  } finally {
    await harness.close();
  }
}

export interface KillOptions {
  sends: number;
  kills: number;
  /** Sends under way at once. */
  concurrency: number;
  /** Added at MES, so that sends are under way when the gateway dies. */
  latencyMs: number;
  seed?: number;
}

export interface KillReport {
  options: KillOptions & { seed: number };
  kills: number;
  /** Sends under way at each kill. */
  inFlightAtKills: number[];
  /** How the runs cut by a kill (or refused while the gateway was down) ended, by code. */
  interrupted: Partial<Record<Outcome, number>>;
  /** Runs made again by the page. */
  runsAgain: number;
  confirmed: number;
  /** Documents in MES: once, more than once, not at all. */
  once: number;
  duplicated: number;
  lost: number;
  anomalies: string[];
  wallMs: number;
}

/**
 * A free port below the range the system draws outgoing connections' ports from: while the gateway
 * is down, the page's own connections cannot take its port, and it starts again on it.
 */
async function portToRestartOn(random: () => number): Promise<number> {
  let lowest = 32_768;
  try {
    lowest = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  } catch {
    // Not Linux: its default range.
  }
  for (;;) {
    const port = 10_000 + Math.floor(random() * (lowest - 10_000));
    const server = createServer();
    const free = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (free) {
      await new Promise((resolve) => server.close(resolve));
      return port;
    }
  }
}

/** The soak's gateway in a child process, on `port`: resolves once it serves. */
function startChildGateway(settings: SoakGatewaySettings): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--conditions=@mes-kit/source', '--import', 'tsx', fileURLToPath(new URL('soak-gateway.ts', import.meta.url))],
    {
      env: { ...process.env, SOAK_GATEWAY: JSON.stringify(settings) },
      // Its stdin is this process: when this one ends, however it ends, so does the child.
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('listening') && resolve(child));
    child.once('exit', (code, signal) => reject(new Error(`soak gateway exited: ${code ?? signal}`)));
  });
}

/** Part 2: the gateway killed at random moments during document sends, started again, and the sends run again. */
export async function killAndRestart(options: KillOptions): Promise<KillReport> {
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const random = seeded(seed);
  const port = await portToRestartOn(random);
  const origin = `http://localhost:${port}`;
  const services = servicesRedirectedTo(origin);
  const sandbox: TestSandbox = await startSandbox({ services });
  // The tokens outlive the gateway in Redis, as in production: nobody pairs again after a restart.
  const redis = await startRedis();
  const settings: SoakGatewaySettings = {
    port,
    issuer: sandbox.url,
    fhirBase: sandbox.fhirBase,
    service: services[0],
    redisUrl: redis.url,
    key: randomBytes(32).toString('base64'),
  };
  let gateway = await startChildGateway(settings);
  try {
    const harness = { origin, sandbox } as unknown as GatewayHarness;
    const { browser, user } = await pairThroughGateway(harness, { persona: 'camille', finalities: ['DOC_ECRITURE'] });
    const client = gatewayClient(harness, browser);
    await setFaults(sandbox.url, { latencyMs: options.latencyMs });

    const refs = Array.from({ length: options.sends }, (_, i) => `soak-kill-${i + 1}`);
    const hashes = new Map(refs.map((ref) => [soakDocument(user, ref).hash, ref]));
    // The sends after which the gateway dies, a random moment later.
    const killAfter = new Set<number>();
    while (killAfter.size < Math.min(options.kills, options.sends - 1)) {
      killAfter.add(1 + Math.floor(random() * (options.sends - 1)));
    }
    const report: KillReport = {
      options: { ...options, seed },
      kills: 0,
      inFlightAtKills: [],
      interrupted: {},
      runsAgain: 0,
      confirmed: 0,
      once: 0,
      duplicated: 0,
      lost: 0,
      anomalies: [],
      wallMs: 0,
    };
    let inFlight = 0;
    let done = 0;
    let restarting: Promise<void> | undefined;
    const killNow = async () => {
      await new Promise((resolve) => setTimeout(resolve, random() * 3 * options.latencyMs));
      report.kills++;
      report.inFlightAtKills.push(inFlight);
      const dead = new Promise((resolve) => gateway.once('exit', resolve));
      gateway.kill('SIGKILL');
      await dead;
      // The port can stay taken a moment after the kill: started again until it listens.
      for (let attempt = 1; ; attempt++) {
        try {
          gateway = await startChildGateway(settings);
          break;
        } catch (error) {
          if (attempt >= 10) throw error;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
    };

    const started = performance.now();
    const queue = [...refs];
    const worker = async () => {
      for (let ref = queue.shift(); ref; ref = queue.shift()) {
        // The page runs it again until it is confirmed, as a patient clicks again after an error.
        for (let attempt = 1; ; attempt++) {
          if (attempt > 1) report.runsAgain++;
          inFlight++;
          try {
            await watchdog(client.sendDocument({ ref }), 120_000);
            report.confirmed++;
            break;
          } catch (error) {
            const outcome = error instanceof Error && error.message === 'no end' ? 'no end' : outcomeOf(error);
            report.interrupted[outcome] = (report.interrupted[outcome] ?? 0) + 1;
            if (
              outcome === 'not a MesError' ||
              outcome === 'no end' ||
              !(error as MesError).retryable ||
              attempt > 40
            ) {
              report.anomalies.push(`${ref}: ${outcome}: ${String(error)}`);
              break;
            }
            // The patient clicks « Réessayer » a moment later.
            await (restarting ?? new Promise((resolve) => setTimeout(resolve, 1_000)));
          } finally {
            inFlight--;
          }
        }
        if (killAfter.has(++done)) restarting = killNow().finally(() => (restarting = undefined));
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    await restarting;
    report.wallMs = performance.now() - started;
    await setFaults(sandbox.url, {});

    const copies = new Map<string, number>();
    for (const doc of await storedOf(sandbox.url, 'camille', 'DocumentReference')) {
      const ref = hashes.get(doc.content?.[0]?.attachment?.hash ?? '');
      if (ref) copies.set(ref, (copies.get(ref) ?? 0) + 1);
    }
    for (const ref of refs) {
      const count = copies.get(ref) ?? 0;
      if (count === 0) report.lost++;
      else if (count === 1) report.once++;
      else report.duplicated += count - 1;
    }
    return report;
  } finally {
    gateway.kill('SIGKILL');
    await sandbox.dispose();
    await redis.dispose();
  }
}

const sum = (check: Record<Ledger, Check>, field: 'lost' | 'duplicated' | 'missing') =>
  LEDGERS.reduce((total, ledger) => total + check[ledger][field], 0);

/** Whether the soak found nothing wrong. */
export const soakPassed = (report: SoakReport) =>
  report.anomalies.length === 0 &&
  sum(report.underFaults, 'lost') + sum(report.underFaults, 'duplicated') === 0 &&
  sum(report.afterRerun, 'lost') + sum(report.afterRerun, 'duplicated') + sum(report.afterRerun, 'missing') === 0;

export const killPassed = (report: KillReport) =>
  report.anomalies.length === 0 && report.lost === 0 && report.duplicated === 0 && report.once === report.options.sends;

export function printSoak(report: SoakReport): void {
  const { options } = report;
  console.log(
    `Soak: ${options.operations} operations, ${options.concurrency} at once, ${options.users} portal users, ` +
      `${Math.round(options.faultRate * 100)} % faults, ${options.latencyMs} ms latency at MES (seed ${options.seed})`,
  );
  const outcomes = [...new Set(KINDS.flatMap((kind) => Object.keys(report.operations[kind])))].sort((a, b) =>
    a === 'confirmed' ? -1 : b === 'confirmed' ? 1 : a.localeCompare(b),
  ) as Outcome[];
  const width = 16;
  console.log(`  ${'operation'.padEnd(width)}${outcomes.map((o) => o.padStart(22)).join('')}${'total'.padStart(8)}`);
  for (const kind of KINDS) {
    const row = report.operations[kind];
    const total = Object.values(row).reduce((a, b) => a + b, 0);
    console.log(
      `  ${kind.padEnd(width)}${outcomes.map((o) => String(row[o] ?? 0).padStart(22)).join('')}${String(total).padStart(8)}`,
    );
  }
  const { faults } = report;
  const statuses = Object.entries(faults.statuses)
    .map(([status, count]) => `${status}: ${count}`)
    .join(', ');
  console.log(
    `  faults injected: ${faults.requests} requests to MES, ${faults.delayed} delayed, errors ${statuses || 'none'}, ` +
      `${faults.dropped} answers dropped after commit`,
  );
  for (const [label, check] of [
    ['under faults', report.underFaults],
    ['after running again, no faults', report.afterRerun],
  ] as const) {
    console.log(`  MES ${label}:`);
    for (const ledger of LEDGERS) {
      const c = check[ledger];
      console.log(
        `    ${ledger.padEnd(13)} confirmed ${String(c.confirmed).padStart(5)}  lost ${c.lost}  duplicated ${c.duplicated}  not confirmed and absent ${c.missing}`,
      );
      for (const finding of c.findings.slice(0, 10)) console.log(`      ${finding}`);
    }
  }
  for (const anomaly of report.anomalies) console.log(`  ANOMALY ${anomaly}`);
  console.log(`  wall time: ${(report.wallMs / 1000).toFixed(1)} s — ${soakPassed(report) ? 'PASS' : 'FAIL'}`);
}

export function printKill(report: KillReport): void {
  const { options } = report;
  console.log(
    `Gateway killed (SIGKILL) and restarted: ${options.sends} sends, ${options.concurrency} at once, ` +
      `${options.latencyMs} ms latency at MES (seed ${options.seed})`,
  );
  console.log(`  kills: ${report.kills}, sends under way at each: ${report.inFlightAtKills.join(', ')}`);
  const interrupted = Object.entries(report.interrupted)
    .map(([code, count]) => `${code}: ${count}`)
    .join(', ');
  console.log(`  runs cut or refused: ${interrupted || 'none'}; run again by the page: ${report.runsAgain}`);
  console.log(
    `  confirmed ${report.confirmed}/${options.sends}; in MES once ${report.once}, duplicated ${report.duplicated}, lost ${report.lost}`,
  );
  for (const anomaly of report.anomalies) console.log(`  ANOMALY ${anomaly}`);
  console.log(`  wall time: ${(report.wallMs / 1000).toFixed(1)} s — ${killPassed(report) ? 'PASS' : 'FAIL'}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
  const seed = process.env['SEED'] === undefined ? undefined : Number(process.env['SEED']);
  const report = await soak({
    operations: env('OPERATIONS', 500),
    concurrency: env('CONCURRENCY', 8),
    faultRate: env('FAULT_RATE', 0.3),
    latencyMs: env('LATENCY_MS', 5),
    seed,
  });
  printSoak(report);
  const kill = await killAndRestart({
    sends: env('SENDS', 50),
    kills: env('KILLS', 3),
    concurrency: 4,
    latencyMs: 40,
    seed: seed ?? 12,
  });
  printKill(kill);
  process.exit(soakPassed(report) && killPassed(kill) ? 0 : 1);
}
