import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AgendaAppointment } from '@mes-kit/core';
import type { PortalUser } from '../../packages/gateway/src/index.js';
import ICAL from 'ical.js';
import {
  gatewayClient,
  loginToPortal,
  pairThroughGateway,
  startGateway,
  type GatewayHarness,
} from '../helpers/gateway.js';
import { Browser } from '../helpers/sandbox.js';
import { failure } from '../helpers/errors.js';

const DAY = 24 * 3_600_000;
const SOON = Date.now() + 5 * DAY;

/** The establishment's agenda for each portal user, as its own systems hold it. */
const agendas = new Map<string, AgendaAppointment[]>();

function consultation(id: string, days: number): AgendaAppointment {
  return {
    id,
    title: 'Consultation de cardiologie',
    start: new Date(SOON + days * DAY).toISOString(),
    end: new Date(SOON + days * DAY + 1_800_000).toISOString(),
    with: { kind: 'professional', name: 'Dr Paul Girard' },
  };
}

describe('gateway agenda: the host’s appointments, kept in MES by the server', () => {
  let harness: GatewayHarness;
  const asked: string[] = [];
  before(async () => {
    harness = await startGateway({
      gateway: {
        agenda: {
          list(_request: Request, user: PortalUser) {
            if (user.id === 'portal-user-broken') throw new Error('agenda database down');
            asked.push(user.id);
            return agendas.get(user.id) ?? [];
          },
        },
      },
    });
  });
  after(() => harness.close());

  it('plans then syncs the host’s list for this portal user; the page names appointments only by id', async () => {
    const { browser, user } = await pairThroughGateway(harness, { finalities: ['AGENDA_ECRITURE'] });
    agendas.set(user, [consultation('CARDIO-1', 0), consultation('CARDIO-2', 7)]);
    const client = gatewayClient(harness, browser);
    const plan = await client.syncAgenda(undefined, { dryRun: true });
    assert.deepEqual(plan.counts, { create: 2, move: 0, update: 0, cancel: 0, unchanged: 0 });
    assert.deepEqual(asked.at(-1), user);
    const progress: number[] = [];
    const done = await client.syncAgenda(undefined, { onProgress: (p) => progress.push(p.ratio) });
    assert.deepEqual(
      done.changes.map((c) => [c.id, c.action, c.outcome]),
      [
        ['CARDIO-1', 'create', 'done'],
        ['CARDIO-2', 'create', 'done'],
      ],
    );
    assert.equal(progress.at(-1), 1);
    // The host moved one: « Ajouter à mon agenda » for it alone.
    agendas.set(user, [consultation('CARDIO-1', 1), consultation('CARDIO-2', 7)]);
    const one = await client.syncAgenda(undefined, { only: ['CARDIO-1'] });
    assert.deepEqual(
      one.changes.map((c) => [c.id, c.action]),
      [['CARDIO-1', 'move']],
    );
    const stored = await fetch(`${harness.sandbox.url}/sandbox/patients/camille/Appointment`);
    const bundle = (await stored.json()) as { entry: { resource: { identifier: { value: string }[] } }[] };
    const ours = bundle.entry.filter((e) => e.resource.identifier[0].value.startsWith('CARDIO-'));
    assert.equal(ours.length, 2);
  });

  it('the page cannot say what the establishment’s appointments are, nor sync without AGENDA_ECRITURE', async () => {
    const { browser } = await pairThroughGateway(harness, { finalities: ['AGENDA_ECRITURE'] });
    const client = gatewayClient(harness, browser);
    const forged = await failure(client.syncAgenda([consultation('FAKE-1', 2)]));
    assert.deepEqual([forged.code, forged.field], ['MES_INVALID_INPUT', 'appointments']);
    const unknown = await failure(client.syncAgenda(undefined, { only: ['NOT-THEIRS'] }));
    assert.deepEqual([unknown.code, unknown.field], ['MES_INVALID_INPUT', 'only']);
    const reader = await pairThroughGateway(harness, { finalities: ['DOC_LECTURE'], persona: 'nadia' });
    const refused = await failure(gatewayClient(harness, reader.browser).syncAgenda());
    assert.equal(refused.code, 'MES_CONSENT_REQUIRED');
  });

  it('the host’s agenda as an .ics file, for a portal user who never paired with MES; not for a stranger', async () => {
    const browser = new Browser();
    loginToPortal(browser, 'portal-user-ics');
    agendas.set('portal-user-ics', [consultation('ICS-1', 3), consultation('ICS-2', 10)]);
    const client = gatewayClient(harness, browser);
    const file = await client.agendaCalendar();
    assert.match(file.type, /^text\/calendar/);
    const calendar = new ICAL.Component(ICAL.parse(await file.text()));
    const events = calendar.getAllSubcomponents('vevent').map((event) => new ICAL.Event(event));
    assert.deepEqual(
      events.map((event) => [event.uid, event.summary]),
      [
        ['ICS-1@1.2.250.1.999.42.1', 'Consultation de cardiologie'],
        ['ICS-2@1.2.250.1.999.42.1', 'Consultation de cardiologie'],
      ],
    );
    const one = await client.agendaCalendar(undefined, { only: ['ICS-2'] });
    assert.equal((await one.text()).match(/BEGIN:VEVENT/g)?.length, 1);
    const stranger = await failure(gatewayClient(harness, new Browser()).agendaCalendar());
    assert.equal(stranger.code, 'MES_AUTH_REQUIRED');
    // The portal's own failure is said as the portal's, never MES's.
    const broken = new Browser();
    loginToPortal(broken, 'portal-user-broken');
    const host = await failure(gatewayClient(harness, broken).agendaCalendar());
    assert.deepEqual([host.code, host.retryable], ['MES_HOST_FAILED', true]);
  });
});
