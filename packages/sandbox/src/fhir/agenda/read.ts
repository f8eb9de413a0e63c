/**
 * Reading appointments: one by id, and the search on the patient (`patient.identifier` required)
 * by `identifier`, `date` (on `start`), `status`, sorted by date, paged by `_count` and `_offset`.
 */
import type { StoredResource } from '../../store/store.js';
import type { Caller } from '../auth.js';
import type { FhirContext } from '../context.js';
import { FhirError, fhirJson } from '../outcome.js';
import {
  dateFilter,
  matchesToken,
  parseCount,
  parseOffset,
  parseSort,
  rejectUnknownParameters,
  searchsetPage,
} from '../search.js';
import { presentAppointment, readableBy, type Appointment } from './common.js';
import { requireSearchedPatient } from '../patient.js';

/** 100 by default; at most 1,000, a whole agenda in one page, as core's sync asks for (`MAX_AGENDA_APPOINTMENTS`). */
const PAGE_SIZE = { byDefault: 100, max: 1000 };
const KNOWN = new Set(['patient.identifier', 'identifier', 'date', 'status', '_sort', '_count', '_offset', '_format']);

export function readAppointment(id: string, caller: Caller, ctx: FhirContext): Response {
  const readable = readableBy(caller);
  const entry = ctx.store.get('Appointment', id);
  // Another patient's, or another service's without AGENDA_LECTURE, is as absent as a missing one.
  if (!entry || entry.persona !== caller.persona.key || !readable(entry)) {
    throw new FhirError(404, 'not-found', `Appointment/${id} does not exist.`);
  }
  return fhirJson(presentAppointment(entry), 200, { etag: `W/"${entry.versionId}"` });
}

/** Appointments without a start (proposed, waitlist) come after the dated ones, whatever the direction. */
function byStart(direction: 1 | -1) {
  const startOf = (entry: StoredResource) => Date.parse((entry.resource as Appointment).start ?? '');
  return (a: StoredResource, b: StoredResource) => {
    const [x, y] = [startOf(a), startOf(b)];
    if (Number.isNaN(x) || Number.isNaN(y)) return Number(Number.isNaN(x)) - Number(Number.isNaN(y));
    return direction * (x - y);
  };
}

export function searchAppointments(url: URL, caller: Caller, ctx: FhirContext): Response {
  const readable = readableBy(caller);
  const params = url.searchParams;
  rejectUnknownParameters(params, KNOWN);
  requireSearchedPatient(
    params,
    'patient.identifier',
    caller,
    'patient.identifier is required: <system>|<value>, the idPe or the test INS.',
  );
  const count = parseCount(params, PAGE_SIZE);
  const offset = parseOffset(params);
  const { direction } = parseSort(params, ['date'], 'date');

  const filters: ((appointment: Appointment) => boolean)[] = [];
  for (const value of params.getAll('identifier')) {
    filters.push((appointment) => matchesToken(value, appointment.identifier ?? []));
  }
  for (const value of params.getAll('status')) {
    filters.push((appointment) => value.split(',').includes(appointment.status));
  }
  for (const raw of params.getAll('date')) {
    const test = dateFilter('date', raw);
    filters.push((appointment) => appointment.start !== undefined && test(Date.parse(appointment.start)));
  }

  const matches = ctx.store
    .list(caller.persona.key, 'Appointment')
    .filter((entry) => readable(entry) && filters.every((test) => test(entry.resource as Appointment)))
    .sort(byStart(direction));
  return fhirJson(
    searchsetPage(`${ctx.fhirBase}/Appointment`, params, {
      total: matches.length,
      offset,
      count,
      entries: matches.slice(offset, offset + count).map((entry) => ({
        fullUrl: `${ctx.fhirBase}/Appointment/${entry.id}`,
        resource: presentAppointment(entry),
      })),
    }),
  );
}
