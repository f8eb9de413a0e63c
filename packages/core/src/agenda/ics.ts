/**
 * The fallback when MES is not paired or the patient said no: the appointments as an iCalendar file
 * (RFC 5545) any calendar opens, in Paris time with its VTIMEZONE, so that an appointment keeps its
 * hour across the daylight-saving change. Written here (a few lines, one fixed timezone) rather than
 * with a generator library that would weigh more than the rest of the agenda code.
 */
import type { CheckedAppointment, ServiceIdentity } from './appointment.js';

export const AGENDA_TIMEZONE = 'Europe/Paris';

/** Europe/Paris since 1996: the last Sundays of March and October. */
const VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  `TZID:${AGENDA_TIMEZONE}`,
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];

const parisParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: AGENDA_TIMEZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** `20260330T093000`: the wall-clock time in Paris of an instant. */
function parisTime(instant: string): string {
  const parts = Object.fromEntries(parisParts.formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
  return `${parts['year']}${parts['month']}${parts['day']}T${parts['hour']}${parts['minute']}${parts['second']}`;
}

/**
 * DTSTART or DTEND: Paris wall-clock time, or UTC for the hour that happens twice in October (which
 * RFC 5545 reads as the first of the two, and calendars do not all agree).
 */
function dateTime(name: string, instant: string): string {
  const wall = parisTime(instant);
  const at = Date.parse(instant);
  const twice = [-1, 1].some((hours) => parisTime(new Date(at + hours * 3_600_000).toISOString()) === wall);
  return twice ? `${name}:${utcTime(new Date(at))}` : `${name};TZID=${AGENDA_TIMEZONE}:${wall}`;
}

const utcTime = (date: Date) => date.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');

/**
 * TEXT values: backslash, semicolon, comma and line breaks escaped (RFC 5545 §3.3.11); other control
 * characters, which TEXT may not hold, dropped; Unicode's line and paragraph separators are line breaks.
 */
const text = (value: string) =>
  value
    .replace(/[\u2028\u2029\u0085]/g, '\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '')
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');

const encoder = new TextEncoder();

/** Lines of at most 75 octets, continued with a space, never splitting a character (§3.1). */
function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    if (octets + size > (out.length === 0 ? 75 : 74)) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

function event(appointment: CheckedAppointment, service: ServiceIdentity, stamp: string): string[] {
  const { place, with: who } = appointment;
  const address = place?.address;
  const location = [
    place?.name,
    ...(address?.lines ?? []),
    [address?.postalCode, address?.city].filter(Boolean).join(' '),
  ]
    .filter(Boolean)
    .join(', ');
  const description = [
    `${who.name}${appointment.speciality ? ` (${appointment.speciality.display})` : ''}`,
    appointment.comment,
  ]
    .filter(Boolean)
    .join('\n');
  return [
    'BEGIN:VEVENT',
    // The same UID in every file: a calendar that imports it again updates the event, not adds one.
    `UID:${text(appointment.id)}@${service.oid}`,
    `DTSTAMP:${stamp}`,
    dateTime('DTSTART', appointment.start),
    dateTime('DTEND', appointment.end),
    `SUMMARY:${text(appointment.title)}`,
    ...(location ? [`LOCATION:${text(location)}`] : []),
    `DESCRIPTION:${text(description)}`,
    `STATUS:${appointment.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED'}`,
    'END:VEVENT',
  ];
}

/** An iCalendar file of the appointments (a cancelled one says so, so that a calendar that has it drops it). */
export function agendaCalendar(
  appointments: readonly CheckedAppointment[],
  service: ServiceIdentity,
  now = new Date(),
): string {
  const stamp = utcTime(now);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//mes-kit//Agenda//FR',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${text(service.name)}`,
    ...VTIMEZONE,
    ...appointments.flatMap((appointment) => event(appointment, service, stamp)),
    'END:VCALENDAR',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
