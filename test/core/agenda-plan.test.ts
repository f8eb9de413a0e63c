import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  AgendaAppointmentSchema,
  appointmentResource,
  checkedAppointment,
  countChanges,
  planAgenda,
  type AgendaAppointment,
  type CheckedAppointment,
  type HostAppointmentStatus,
  type PlannedChange,
} from '@mes-kit/core';
import { SERVICE } from '../helpers/scripted-transport.js';

const ID_PE = 'patient-externe-id-2';
const OTHER_SERVICE = { oid: '1.2.250.1.999.42.5', name: 'Pharmacie' };
const NOW = Date.parse('2026-03-20T12:00:00Z');
const HOUR = 3_600_000;

function appointment(overrides: Partial<CheckedAppointment> = {}): CheckedAppointment {
  return {
    id: 'RDV-1',
    title: 'Consultation de suivi',
    start: '2026-03-30T09:30:00+02:00',
    end: '2026-03-30T10:00:00+02:00',
    status: 'booked',
    with: { kind: 'professional', name: 'Dr Sophie Leclerc', rpps: '81010120123' },
    ...overrides,
  };
}

/** What MES holds once a plan ran: each write replaces the appointment with that identifier. */
function apply(held: Record<string, unknown>[], changes: PlannedChange[], service = SERVICE) {
  const system = `urn:oid:${service.oid}`;
  const byKey = new Map(held.map((resource, i) => [keyOf(resource) ?? `other-${i}`, resource]));
  for (const change of changes) {
    if (!change.resource) continue;
    // MES adds its own: an id, versions, the author it records.
    byKey.set(`${system}|${change.id}`, { ...change.resource, id: `mes-${change.id}`, meta: { versionId: '2' } });
  }
  return [...byKey.values()];
}
const keyOf = (resource: Record<string, unknown>) => {
  const identifier = (resource['identifier'] as { system: string; value: string }[] | undefined)?.[0];
  return identifier && `${identifier.system}|${identifier.value}`;
};
const writes = (changes: PlannedChange[]) => changes.filter((change) => change.resource !== undefined);

describe('the agenda plan', () => {
  const options = { service: SERVICE, idPe: ID_PE, now: NOW };

  it('creates what MES lacks, leaves alone what it shows already, whatever the offset wrote the time', () => {
    const kept = appointment({ id: 'RDV-2' });
    // The same instants, written in UTC by MES.
    const held = {
      ...appointmentResource(kept, SERVICE, ID_PE),
      start: '2026-03-30T07:30:00Z',
      end: '2026-03-30T08:00:00.000Z',
    };
    const plan = planAgenda([appointment(), kept], [held as never], options);
    assert.deepEqual(
      plan.map((c) => [c.id, c.action]),
      [
        ['RDV-1', 'create'],
        ['RDV-2', 'unchanged'],
      ],
    );
  });

  it('tells a move (a new time) from an update (anything else), and cancels what the host cancelled', () => {
    const base = [appointment({ id: 'A' }), appointment({ id: 'B' }), appointment({ id: 'C' })];
    const held = base.map((a) => appointmentResource(a, SERVICE, ID_PE));
    const plan = planAgenda(
      [
        appointment({ id: 'A', start: '2026-03-31T09:30:00+02:00', end: '2026-03-31T10:00:00+02:00' }),
        appointment({ id: 'B', comment: 'Venir à jeun.' }),
        appointment({ id: 'C', status: 'cancelled' }),
      ],
      held as never[],
      options,
    );
    assert.deepEqual(
      plan.map((c) => [c.id, c.action]),
      [
        ['A', 'move'],
        ['B', 'update'],
        ['C', 'cancel'],
      ],
    );
    assert.equal(plan[0].previousStart, '2026-03-30T09:30:00+02:00');
    assert.equal((plan[2].resource as { status: string }).status, 'cancelled');
  });

  it('cancels an appointment to come that the host no longer lists; never a past one, another service’s, or with `partial`', () => {
    const future = appointmentResource(appointment({ id: 'GONE' }), SERVICE, ID_PE);
    const past = appointmentResource(
      appointment({ id: 'PAST', start: '2026-03-01T09:00:00+01:00', end: '2026-03-01T09:30:00+01:00' }),
      SERVICE,
      ID_PE,
    );
    const others = appointmentResource(appointment({ id: 'THEIRS' }), OTHER_SERVICE, ID_PE);
    const held = [future, past, others] as never[];
    const plan = planAgenda([], held, options);
    assert.deepEqual(
      plan.map((c) => [c.id, c.action]),
      [['GONE', 'cancel']],
    );
    const cancelled = plan[0].resource as Record<string, unknown>;
    assert.equal(cancelled['status'], 'cancelled');
    assert.equal(cancelled['id'], undefined, 'MES’s id is not written back');
    assert.deepEqual(planAgenda([], held, { ...options, partial: true }), []);
  });

  it('files nothing for an appointment cancelled before MES ever had it', () => {
    const plan = planAgenda([appointment({ status: 'cancelled' })], [], options);
    assert.deepEqual(countChanges(plan), { create: 0, move: 0, update: 0, cancel: 0, unchanged: 1 });
    assert.deepEqual(writes(plan), []);
  });

  it('across the daylight-saving change in Europe/Paris, the same instants are the same appointment', () => {
    // 29 March 2026, 03:00 becomes 03:00 +02:00: 01:30 +01:00 is 00:30Z; 09:00 +02:00 is 07:00Z.
    const host = [
      appointment({ id: 'NIGHT', start: '2026-03-29T01:30:00+01:00', end: '2026-03-29T04:30:00+02:00' }),
      appointment({ id: 'DAY', start: '2026-03-29T09:00:00+02:00', end: '2026-03-29T09:30:00+02:00' }),
    ];
    const held = [
      { ...appointmentResource(host[0], SERVICE, ID_PE), start: '2026-03-29T00:30:00Z', end: '2026-03-29T02:30:00Z' },
      { ...appointmentResource(host[1], SERVICE, ID_PE), start: '2026-03-29T07:00:00Z', end: '2026-03-29T07:30:00Z' },
    ];
    assert.deepEqual(
      planAgenda(host, held as never[], options).map((c) => c.action),
      ['unchanged', 'unchanged'],
    );
    // An hour later by the clock on the other side of the change is another instant: a move.
    const moved = appointment({ id: 'DAY', start: '2026-03-29T09:00:00+01:00', end: '2026-03-29T09:30:00+01:00' });
    assert.deepEqual(
      planAgenda([host[0], moved], held as never[], options).map((c) => c.action),
      ['unchanged', 'move'],
    );
  });

  it('property: for any host list and any MES state, the plan converges and a second plan writes nothing', () => {
    const day = fc.integer({ min: -10, max: 30 });
    const hostAppointment = fc.record({
      id: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F'),
      title: fc.constantFrom('Consultation', 'IRM', 'Bilan <b>pré-op</b>'),
      day,
      hours: fc.integer({ min: 1, max: 3 }),
      status: fc.constantFrom<HostAppointmentStatus>('booked', 'booked', 'cancelled', 'fulfilled', 'noshow'),
      who: fc.constantFrom('Dr A', 'Dr B'),
      comment: fc.option(fc.constantFrom('À jeun', 'Apporter la carte Vitale'), { nil: undefined }),
    });
    type Generated = {
      id: string;
      title: string;
      day: number;
      hours: number;
      status: HostAppointmentStatus;
      who: string;
      comment?: string;
    };
    const toAppointment = (a: Generated): CheckedAppointment => {
      const start = new Date(NOW + a.day * 24 * HOUR);
      const end = new Date(start.getTime() + a.hours * HOUR);
      return appointment({
        id: a.id,
        title: a.title,
        start: start.toISOString(),
        end: end.toISOString(),
        status: a.status,
        with: { kind: 'professional', name: a.who },
        ...(a.comment && { comment: a.comment }),
      });
    };
    const uniqueById = (list: CheckedAppointment[]) => [...new Map(list.map((a) => [a.id, a])).values()];
    const mesState = fc.array(
      fc.record({
        appointment: hostAppointment,
        service: fc.constantFrom(SERVICE, OTHER_SERVICE),
        mesStatus: fc.constantFrom('booked', 'cancelled', 'fulfilled', 'arrived'),
      }),
      { maxLength: 8 },
    );
    fc.assert(
      fc.property(fc.array(hostAppointment, { maxLength: 8 }), mesState, fc.boolean(), (hostList, state, partial) => {
        const desired = uniqueById(hostList.map(toAppointment));
        // MES holds one appointment per service and identifier (it refuses a second).
        const unique = [...new Map(state.map((s) => [`${s.service.oid}|${s.appointment.id}`, s])).values()];
        const held = unique.map(({ appointment: a, service, mesStatus }) => ({
          ...appointmentResource(toAppointment(a), service, ID_PE),
          status: mesStatus,
          id: `mes-${a.id}`,
        }));
        const first = planAgenda(desired, held as never[], { ...options, partial });
        const after = apply(held, first);
        const second = planAgenda(desired, after as never[], { ...options, partial });
        assert.deepEqual(writes(second), [], 'a second plan writes nothing');
        // Every appointment the host lists, once filed, shows as the host says.
        for (const a of desired) {
          const filed = after.find((r) => keyOf(r) === `urn:oid:${SERVICE.oid}|${a.id}`);
          if (filed) assert.equal(filed['status'], a.status);
          else assert.equal(a.status, 'cancelled', 'only a never-filed cancelled one is left out');
        }
        // Another service's appointments are never written.
        assert.ok(
          first.every((c) => c.resource === undefined || keyOf(c.resource)?.startsWith(`urn:oid:${SERVICE.oid}|`)),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('the host’s appointments are checked: a time without its timezone, an end before the start, a missing name', () => {
    const valid: AgendaAppointment = { ...appointment(), start: new Date('2026-03-30T07:30:00Z') };
    assert.equal(AgendaAppointmentSchema.safeParse(valid).success, true);
    const refused = [
      { ...valid, start: '2026-03-30T09:30:00' },
      { ...valid, end: '2026-03-30T09:00:00+02:00' },
      { ...valid, with: { kind: 'professional', name: ' ' } },
      { ...valid, id: 'RDV 1' },
      { ...valid, start: '2026-03-30T09:30:00+02:00', end: '2026-03-30T09:30:30+02:00' },
      { ...valid, status: 'arrived' },
      { ...valid, place: { address: { lines: [], city: 'Lyon' } } },
    ];
    // A host's time without seconds gets them, as a FHIR instant has.
    assert.equal(checkedAppointment({ ...valid, start: '2026-03-30T09:30+02:00' }).start, '2026-03-30T09:30:00+02:00');
    for (const input of refused)
      assert.equal(AgendaAppointmentSchema.safeParse(input).success, false, JSON.stringify(input));
  });
});
