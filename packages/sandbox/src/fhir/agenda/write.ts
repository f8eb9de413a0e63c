/**
 * Writing appointments as a GAP "déclarant de rendez-vous" does: create (flux 6a, `If-None-Exist`
 * honoured), conditional update on the business identifier (flux 6b), update by id. Cancelling is
 * an update to `cancelled`; nothing is ever deleted.
 * @see https://interop.esante.gouv.fr/ig/fhir/gap/
 */
import { WRITE_AGENDA_FINALITY } from '@mes-kit/core';
import type { StoredResource } from '../../store/store.js';
import { requireFinality, type Caller } from '../auth.js';
import type { FhirContext } from '../context.js';
import { FhirError, fhirJson } from '../outcome.js';
import { identifierCondition, rejectUnknownParameters } from '../search.js';
import { firstVersion, nextVersion } from '../versions.js';
import { appointmentLocation, presentAppointment, requireAuthor, withAuthor, type Appointment } from './common.js';
import { validateAppointment } from './validation.js';

const CONDITION_PARAMETERS = new Set(['identifier', '_format']);

const duplicate = () =>
  new FhirError(
    409,
    'duplicate',
    'Appointment.identifier[0] is already the identifier of an appointment of this patient: send If-None-Exist ' +
      'to find it again, or update it with PUT Appointment?identifier=<system>|<value>.',
    { expression: 'Appointment.identifier[0]' },
  );

function answer(entry: StoredResource, created: boolean, ctx: FhirContext): Response {
  return fhirJson(presentAppointment(entry), created ? 201 : 200, {
    location: appointmentLocation(ctx.fhirBase, entry),
    etag: `W/"${entry.versionId}"`,
    'last-modified': new Date(entry.lastUpdated).toUTCString(),
  });
}

/** A condition names the appointment it is sent with, never another one. */
function requireSameIdentifier(appointment: Appointment, condition: { system: string; value: string }, name: string) {
  const [own] = appointment.identifier;
  if (own.system !== condition.system || own.value !== condition.value) {
    throw new FhirError(
      400,
      'invalid',
      `${name} (${condition.system}|${condition.value}) must be the appointment's own identifier, Appointment.identifier[0].`,
      { expression: 'Appointment.identifier[0]' },
    );
  }
}

function create(appointment: Appointment, caller: Caller, ctx: FhirContext): Response {
  const entry = firstVersion('Appointment', caller.persona.key, withAuthor(appointment, caller.service), ctx.now());
  ctx.store.put(entry);
  return answer(entry, true, ctx);
}

function update(entry: StoredResource, appointment: Appointment, caller: Caller, ctx: FhirContext): Response {
  const updated = nextVersion(entry, withAuthor(appointment, caller.service), ctx.now());
  ctx.store.put(updated);
  return answer(updated, false, ctx);
}

/**
 * `POST [base]/Appointment`: 201; with `If-None-Exist: identifier=<system>|<value>` and that
 * appointment already stored, 200 with it and nothing written; without, a second one is a 409.
 */
export function createAppointment(body: unknown, request: Request, caller: Caller, ctx: FhirContext): Response {
  requireFinality(caller, WRITE_AGENDA_FINALITY);
  const appointment = validateAppointment(body, caller, registeredOids(ctx));
  const header = request.headers.get('if-none-exist');
  const condition = header ? identifierCondition(header, 'If-None-Exist') : undefined;
  if (condition) requireSameIdentifier(appointment, condition, 'If-None-Exist');
  const [{ system, value }] = appointment.identifier;
  // Decided inside the write transaction: concurrent retries then find each other's write.
  return ctx.store.transaction(() => {
    const existing = ctx.store.findByIdentifier(caller.persona.key, 'Appointment', system, value);
    if (!existing) return create(appointment, caller, ctx);
    if (!condition) throw duplicate();
    requireAuthor(existing, caller);
    return answer(existing, false, ctx);
  });
}

/** `PUT [base]/Appointment?identifier=<system>|<value>`: updates this patient's match, or creates it. */
export function conditionalUpdateAppointment(url: URL, body: unknown, caller: Caller, ctx: FhirContext): Response {
  requireFinality(caller, WRITE_AGENDA_FINALITY);
  rejectUnknownParameters(url.searchParams, CONDITION_PARAMETERS);
  const condition = identifierCondition(url.searchParams, 'identifier');
  const appointment = validateAppointment(body, caller, registeredOids(ctx));
  requireSameIdentifier(appointment, condition, 'identifier');
  return ctx.store.transaction(() => {
    const existing = ctx.store.findByIdentifier(caller.persona.key, 'Appointment', condition.system, condition.value);
    if (!existing) return create(appointment, caller, ctx);
    requireAuthor(existing, caller);
    if (appointment.id !== undefined && appointment.id !== existing.id) {
      throw new FhirError(400, 'invalid', `Appointment.id must be ${existing.id}, the id of the appointment updated.`, {
        expression: 'Appointment.id',
      });
    }
    return update(existing, appointment, caller, ctx);
  });
}

/** `PUT [base]/Appointment/<id>`: the same rules, on an appointment this patient already has. */
export function updateAppointment(id: string, body: unknown, caller: Caller, ctx: FhirContext): Response {
  requireFinality(caller, WRITE_AGENDA_FINALITY);
  const appointment = validateAppointment(body, caller, registeredOids(ctx));
  if (appointment.id !== id) {
    throw new FhirError(400, 'invalid', `Appointment.id must be ${id}, the id in the URL.`, {
      expression: 'Appointment.id',
    });
  }
  const [{ system, value }] = appointment.identifier;
  return ctx.store.transaction(() => {
    const entry = ctx.store.get('Appointment', id);
    // Another patient's appointment is as absent as a missing one.
    if (!entry || entry.persona !== caller.persona.key) {
      throw new FhirError(404, 'not-found', `Appointment/${id} does not exist.`);
    }
    requireAuthor(entry, caller);
    const other = ctx.store.findByIdentifier(caller.persona.key, 'Appointment', system, value);
    if (other && other.id !== id) throw duplicate();
    return update(entry, appointment, caller, ctx);
  });
}

/** Every registered service's OID: none may write under another's. */
const registeredOids = (ctx: FhirContext) => ctx.config.services.map((service) => service.oid);
