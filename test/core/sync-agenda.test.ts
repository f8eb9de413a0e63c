import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  MesClient,
  inProcessTransport,
  type AgendaAppointment,
  type FhirRequest,
  type LocalTransport,
  type SyncAgendaResult,
} from '@mes-kit/core';
import { createInPageSandbox } from '../../packages/sandbox/src/in-page.js';
import { failure } from '../helpers/errors.js';
import { scripted, SESSION } from '../helpers/scripted-transport.js';

const DAY = 24 * 3_600_000;
const SOON = Date.now() + 10 * DAY;

/** The clinic journey: a pre-op consultation, the admission, a follow-up. */
function journey(): AgendaAppointment[] {
  const at = (days: number, hours: number) => new Date(SOON + days * DAY + hours * 3_600_000);
  return [
    {
      id: 'PREOP-1',
      title: 'Consultation pré-opératoire',
      start: at(0, 9),
      end: at(0, 9.5),
      with: { kind: 'professional', name: 'Dr Sophie Leclerc', rpps: '81010120123' },
      speciality: { code: 'SM54', display: 'Médecine générale (SM)' },
      place: {
        name: 'Clinique des Tilleuls',
        address: { lines: ['1 place de l’Hôpital'], postalCode: '69000', city: 'Lyon' },
      },
      comment: 'Apporter vos derniers résultats de biologie.',
    },
    {
      id: 'ADM-1',
      title: 'Admission en chirurgie ambulatoire',
      start: at(7, 7),
      end: at(7, 8),
      with: { kind: 'establishment', name: 'Clinique des Tilleuls — admissions', finess: '690000001' },
      comment: 'Venir à jeun.',
    },
    {
      id: 'SUIVI-1',
      title: 'Consultation de suivi',
      start: at(21, 14),
      end: at(21, 14.5),
      with: { kind: 'professional', name: 'Dr Sophie Leclerc' },
    },
  ];
}

type Fault = (request: FhirRequest, attempt: number) => 'drop-answer' | 'unavailable' | undefined;

/** The in-page sandbox, Camille paired with `finalities`; every FHIR request counted, faults injected. */
async function agendaOn(finalities = ['AGENDA_ECRITURE', 'AGENDA_LECTURE'], fault?: Fault) {
  // Unseeded: the agenda holds only what these tests file.
  const sandbox = await createInPageSandbox({ seeded: false });
  const inner = inProcessTransport(sandbox, { pairedWith: finalities });
  const requests: FhirRequest[] = [];
  const attempts = new Map<string, number>();
  const transport: LocalTransport = {
    ...inner,
    async request(request, options) {
      requests.push(request);
      const key = `${request.method} ${request.path} ${request.headers?.['if-none-exist'] ?? ''}`;
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      const injected = fault?.(request, attempt);
      if (injected === 'unavailable')
        return new Response('{"resourceType":"OperationOutcome","issue":[]}', { status: 500 });
      const response = await inner.request(request, options);
      // MES did the work; the answer never came back.
      if (injected === 'drop-answer') throw new TypeError('fetch failed');
      return response;
    },
  };
  const client = new MesClient({ transport, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 10_000 } });
  const count = () => {
    const by = { searches: 0, writes: 0 };
    for (const r of requests) by[r.method === 'GET' ? 'searches' : 'writes']++;
    requests.length = 0;
    return by;
  };
  /** What MES's agenda holds for Camille, whoever filed it. */
  const held = () =>
    sandbox.store
      .list('camille', 'Appointment')
      .map((entry) => entry.resource as unknown as { identifier: { value: string }[]; status: string; start: string })
      .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  return { sandbox, client, count, held };
}

const actions = (result: SyncAgendaResult) => result.changes.map((c) => [c.id, c.action, c.outcome]);

describe('syncAgenda, on the sandbox', () => {
  it('files the appointments, then a second run makes one search and no write', async () => {
    const { client, count, held } = await agendaOn();
    const first = await client.syncAgenda(journey());
    assert.deepEqual(actions(first), [
      ['PREOP-1', 'create', 'done'],
      ['ADM-1', 'create', 'done'],
      ['SUIVI-1', 'create', 'done'],
    ]);
    assert.deepEqual(count(), { searches: 1, writes: 3 });
    assert.deepEqual(
      held().map((a) => [a.identifier[0].value, a.status]),
      [
        ['PREOP-1', 'booked'],
        ['ADM-1', 'booked'],
        ['SUIVI-1', 'booked'],
      ],
    );
    const again = await client.syncAgenda(journey());
    assert.deepEqual(again.counts, { create: 0, move: 0, update: 0, cancel: 0, unchanged: 3 });
    assert.deepEqual(count(), { searches: 1, writes: 0 });
  });

  it('a moved appointment is moved, a removed one cancelled (never deleted), and the plan says so first', async () => {
    const { client, count, held } = await agendaOn();
    await client.syncAgenda(journey());
    count();
    const [preop, admission] = journey();
    const moved = { ...admission, start: new Date(SOON + 8 * DAY), end: new Date(SOON + 8 * DAY + 3_600_000) };
    const plan = await client.syncAgenda([preop, moved], { dryRun: true });
    assert.deepEqual(plan.counts, { create: 0, move: 1, update: 0, cancel: 1, unchanged: 1 });
    assert.ok(plan.changes.every((c) => c.outcome === 'planned'));
    assert.deepEqual(count(), { searches: 1, writes: 0 }, 'a dry run writes nothing');

    const done = await client.syncAgenda([preop, moved]);
    assert.deepEqual(actions(done), [
      ['PREOP-1', 'unchanged', 'done'],
      ['ADM-1', 'move', 'done'],
      ['SUIVI-1', 'cancel', 'done'],
    ]);
    const stored = held();
    assert.equal(stored.length, 3, 'nothing deleted, nothing duplicated');
    assert.equal(stored.find((a) => a.identifier[0].value === 'SUIVI-1')!.status, 'cancelled');
    assert.equal(Date.parse(stored.find((a) => a.identifier[0].value === 'ADM-1')!.start), SOON + 8 * DAY);
    // The cancelled one is no longer the host's, and stays cancelled.
    count();
    assert.deepEqual((await client.syncAgenda([preop, moved])).counts, {
      create: 0,
      move: 0,
      update: 0,
      cancel: 0,
      unchanged: 2,
    });
    assert.deepEqual(count(), { searches: 1, writes: 0 });
  });

  it('`only` adds one appointment and leaves every other as it is', async () => {
    const { client, held } = await agendaOn();
    await client.syncAgenda(journey());
    const [preop] = journey();
    const result = await client.syncAgenda([{ ...preop, title: 'Consultation d’anesthésie' }], { only: ['PREOP-1'] });
    assert.deepEqual(actions(result), [['PREOP-1', 'update', 'done']]);
    assert.ok(held().every((a) => a.status === 'booked'));
  });

  it('answers lost after MES filed the appointment: sent again, filed once, and the next run writes nothing', async () => {
    const { client, count, held } = await agendaOn(undefined, (request, attempt) =>
      request.method !== 'GET' && attempt === 1 ? 'drop-answer' : undefined,
    );
    const result = await client.syncAgenda(journey());
    assert.equal(result.failed, 0);
    assert.equal(held().length, 3, 'no duplicate');
    count();
    assert.deepEqual((await client.syncAgenda(journey())).counts.unchanged, 3);
    assert.deepEqual(count(), { searches: 1, writes: 0 });
  });

  it('one appointment MES cannot take: the others are filed, it is reported, and a new run retries only it', async () => {
    let down = true;
    const { client, count } = await agendaOn(undefined, (request) =>
      down && request.method !== 'GET' && request.headers?.['if-none-exist']?.includes('ADM-1')
        ? 'unavailable'
        : undefined,
    );
    const result = await client.syncAgenda(journey());
    assert.equal(result.failed, 1);
    const failed = result.changes.find((c) => c.outcome === 'failed')!;
    assert.equal(failed.id, 'ADM-1');
    assert.equal(failed.error?.code, 'MES_UNAVAILABLE');
    count();
    down = false;
    const retry = await client.syncAgenda(journey());
    assert.deepEqual(actions(retry), [
      ['PREOP-1', 'unchanged', 'done'],
      ['ADM-1', 'create', 'done'],
      ['SUIVI-1', 'unchanged', 'done'],
    ]);
    assert.deepEqual(count(), { searches: 1, writes: 1 });
  });

  it('without AGENDA_ECRITURE, MES is not asked; the host’s mistakes are named before any call', async () => {
    const { client, count } = await agendaOn(['DOC_ECRITURE']);
    assert.equal((await failure(client.syncAgenda(journey()))).code, 'MES_CONSENT_REQUIRED');
    const paired = await agendaOn();
    const [preop, admission] = journey();
    const refusals: [Promise<unknown>, string][] = [
      [paired.client.syncAgenda([preop, { ...admission, start: '2026-12-01T09:00:00' }]), 'appointments[1].start'],
      [paired.client.syncAgenda([preop, { ...admission, end: preop.start }]), 'appointments[1].end'],
      [paired.client.syncAgenda([preop, preop]), 'appointments[1].id'],
      [paired.client.syncAgenda([{ ...preop, with: { kind: 'professional', name: '' } }]), 'appointments[0].with.name'],
      [paired.client.syncAgenda([preop], { only: ['NOPE'] }), 'only'],
    ];
    for (const [refused, field] of refusals) {
      const error = await failure(refused);
      assert.deepEqual([error.code, error.field], ['MES_INVALID_INPUT', field]);
    }
    assert.deepEqual(count(), { searches: 0, writes: 0 });
    assert.deepEqual(paired.count(), { searches: 0, writes: 0 });
  });

  it('another service’s appointments are read, never written or cancelled', async () => {
    const { sandbox, client, held } = await agendaOn();
    const clinic = new MesClient({
      transport: inProcessTransport(sandbox, {
        pairedWith: ['AGENDA_ECRITURE'],
        clientId: 'mes-kit-tilleuls',
        service: { oid: '1.2.250.1.999.42.3', name: 'Clinique des Tilleuls' },
      }),
    });
    const [preop] = journey();
    await clinic.syncAgenda([{ ...preop, id: 'CLINIQUE-1', title: 'Consultation à la clinique' }]);
    const result = await client.syncAgenda([]);
    assert.deepEqual(result.changes, []);
    assert.deepEqual(
      held().map((a) => [a.identifier[0].value, a.status]),
      [['CLINIQUE-1', 'booked']],
    );
  });

  it('property: whatever the answers lost and MES’s failures, runs converge, with no duplicate', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(journey().map((a) => a.id)),
        fc.array(fc.constantFrom<'drop-answer' | 'unavailable' | undefined>('drop-answer', 'unavailable', undefined), {
          minLength: 1,
          maxLength: 30,
        }),
        async (kept, faults) => {
          // MES fails these writes, in order, then recovers.
          let call = 0;
          const { client, count, held } = await agendaOn(undefined, (request) =>
            request.method === 'GET' ? undefined : faults[call++],
          );
          await client.syncAgenda(journey()).catch(() => undefined);
          const wanted = journey().filter((a) => kept.includes(a.id));
          // Runs with faults, until one reports no failure.
          let result: SyncAgendaResult | undefined;
          for (let run = 0; run < 10 && !(result && result.failed === 0); run++)
            result = await client.syncAgenda(wanted).catch(() => undefined);
          assert.equal(result?.failed, 0);
          const stored = held();
          assert.equal(new Set(stored.map((a) => a.identifier[0].value)).size, stored.length, 'no duplicate');
          for (const a of stored) assert.equal(a.status, kept.includes(a.identifier[0].value) ? 'booked' : 'cancelled');
          count();
          assert.deepEqual((await client.syncAgenda(wanted)).counts.unchanged, wanted.length);
          assert.deepEqual(count(), { searches: 1, writes: 0 });
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('syncAgenda, on MES’s odd answers', () => {
  it('a next link that is no URL ends the search: a bad answer, not a network failure', async () => {
    const search = { resourceType: 'Bundle', type: 'searchset', link: [{ relation: 'next', url: 'http://[::1' }] };
    const { transport, requests } = scripted([() => Response.json(search), () => new Response(null, { status: 201 })], {
      ...SESSION,
      finalities: ['AGENDA_ECRITURE'],
    });
    const [first] = journey();
    const result = await new MesClient({ transport }).syncAgenda([first]);
    assert.deepEqual(actions(result), [['PREOP-1', 'create', 'done']]);
    assert.equal(requests.length, 2, 'one search, one write');
  });
});
