import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ICAL from 'ical.js';
import { agendaCalendar, type CheckedAppointment } from '@mes-kit/core';
import { SERVICE } from '../helpers/scripted-transport.js';

const base: CheckedAppointment = {
  id: 'RDV-1',
  title: 'Consultation de suivi',
  start: '2026-03-28T09:30:00+01:00',
  end: '2026-03-28T10:00:00+01:00',
  status: 'booked',
  with: { kind: 'professional', name: 'Dr Sophie Leclerc' },
  speciality: { code: 'SM54', display: 'Médecine générale (SM)' },
  place: {
    name: 'Clinique des Tilleuls',
    address: { lines: ['1 place de l’Hôpital'], postalCode: '69000', city: 'Lyon' },
  },
  comment: 'Apporter vos résultats; venir à jeun, avec la carte Vitale.\nMerci.',
};

/** The file as a calendar reads it: each event's instants, in UTC, through its VTIMEZONE. */
function read(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  return calendar.getAllSubcomponents('vevent').map((component) => {
    const event = new ICAL.Event(component);
    return {
      uid: event.uid,
      summary: event.summary,
      start: event.startDate.toJSDate().toISOString(),
      end: event.endDate.toJSDate().toISOString(),
      zone: event.startDate.zone?.tzid,
      location: event.location,
      description: event.description,
      status: component.getFirstPropertyValue('status'),
    };
  });
}

describe('the agenda as an .ics file', () => {
  it('opens as the same appointments, in Paris time, on both sides of the daylight-saving change', () => {
    const appointments: CheckedAppointment[] = [
      base,
      // Monday after the change (29 March 2026): 09:30 is now +02:00.
      { ...base, id: 'RDV-2', start: '2026-03-30T07:30:00Z', end: '2026-03-30T08:00:00Z' },
      // The autumn change (25 October 2026): 02:30 +01:00, the second 02:30 of the night, in UTC.
      {
        ...base,
        id: 'RDV-3',
        start: '2026-10-25T02:30:00+01:00',
        end: '2026-10-25T03:30:00+01:00',
        status: 'cancelled',
      },
    ];
    const ics = agendaCalendar(appointments, SERVICE, new Date('2026-03-01T12:00:00Z'));
    const events = read(ics);
    assert.deepEqual(
      events.map((e) => [e.uid, e.start, e.end, e.zone, e.status]),
      [
        [
          'RDV-1@1.2.250.1.999.42.1',
          '2026-03-28T08:30:00.000Z',
          '2026-03-28T09:00:00.000Z',
          'Europe/Paris',
          'CONFIRMED',
        ],
        [
          'RDV-2@1.2.250.1.999.42.1',
          '2026-03-30T07:30:00.000Z',
          '2026-03-30T08:00:00.000Z',
          'Europe/Paris',
          'CONFIRMED',
        ],
        ['RDV-3@1.2.250.1.999.42.1', '2026-10-25T01:30:00.000Z', '2026-10-25T02:30:00.000Z', 'UTC', 'CANCELLED'],
      ],
    );
    assert.match(ics, /DTSTART;TZID=Europe\/Paris:20260330T093000\r\n/, 'the wall-clock time a patient expects');
    assert.match(ics, /DTSTART:20261025T013000Z\r\n/, 'an hour that happens twice, unambiguous');
  });

  it('text is escaped and long lines folded, never splitting a character; lines end with CRLF', () => {
    const long = { ...base, title: `Consultation ${'é'.repeat(80)}` };
    const ics = agendaCalendar([long], SERVICE);
    const [event] = read(ics);
    assert.equal(event.summary, long.title);
    assert.equal(event.description, 'Dr Sophie Leclerc (Médecine générale (SM))\n' + base.comment);
    assert.equal(event.location, 'Clinique des Tilleuls, 1 place de l’Hôpital, 69000 Lyon');
    for (const line of ics.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, line);
    // Control characters TEXT may not hold are dropped; Unicode's line separators are line breaks.
    const [odd] = read(agendaCalendar([{ ...base, title: 'Bilan\u0000\u001b[31m\u2028à jeun\u0085fin' }], SERVICE));
    assert.equal(odd.summary, 'Bilan[31m\nà jeun\nfin');
    assert.ok(!/[^\r]\n/.test(ics), 'no bare LF');
    assert.ok(ics.endsWith('END:VCALENDAR\r\n'));
  });
});
