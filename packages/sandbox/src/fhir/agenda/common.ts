/**
 * What every agenda interaction shares: the finalités and who sees what under them, the author MES
 * records from the token (never from the body), and how a stored appointment is presented.
 */
import {
  FR_CORE_APPOINTMENT_OPERATOR,
  READ_AGENDA_FINALITY,
  RFC3986_SYSTEM,
  WRITE_AGENDA_FINALITY,
  type CodeableConcept,
  type Coding,
  type FhirResource,
  type Reference,
} from '@mes-kit/core';
import type { ServiceDefinition } from '../../config.js';
import type { StoredResource } from '../../store/store.js';
import type { Caller } from '../auth.js';
import { FhirError, MES_TEXTS } from '../outcome.js';
import { isPatientSystem } from '../patient.js';

/**
 * The client id of the service that wrote an appointment, kept as a tag of the stored resource so
 * that permission checks read it as is; services never see it (see `presentAppointment`).
 */
const AUTHOR_TAG_SYSTEM = 'urn:mes-kit:sandbox:author';

type ActorReference = Reference & { type?: string };
interface Participant {
  type?: CodeableConcept[];
  actor?: ActorReference;
  required?: string;
  status: string;
}
export interface Address {
  text?: string;
  line?: string[];
  postalCode?: string;
  city?: string;
}
/** A contained Practitioner, PractitionerRole, HealthcareService, Location or Organization, as far as it is read. */
export interface ContainedResource extends FhirResource {
  id: string;
  name?: unknown;
  address?: Address;
  practitioner?: ActorReference;
  organization?: ActorReference;
}
interface Extension {
  url: string;
  valueReference?: ActorReference;
}

/** An fr-core Appointment, as it is once validated. */
export interface Appointment extends FhirResource {
  meta?: { profile?: string[]; tag?: Coding[] };
  contained?: ContainedResource[];
  extension?: Extension[];
  identifier: { system: string; value: string }[];
  status: string;
  specialty?: CodeableConcept[];
  description?: string;
  start?: string;
  end?: string;
  minutesDuration?: number;
  comment?: string;
  participant: Participant[];
}

/** FHIR R4's Appointment statuses, every one MES's agenda may show. */
export const APPOINTMENT_STATUSES = [
  'proposed',
  'pending',
  'booked',
  'arrived',
  'fulfilled',
  'cancelled',
  'noshow',
  'entered-in-error',
  'checked-in',
  'waitlist',
] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether an actor is a patient (whoever it designates): by type, a Patient reference, or a patient identifier. */
export function isPatientActor(actor: Record<string, unknown>): boolean {
  const { type, reference, identifier } = actor;
  const system = isObject(identifier) && typeof identifier['system'] === 'string' ? identifier['system'] : undefined;
  return (
    type === 'Patient' || (typeof reference === 'string' && reference.startsWith('Patient/')) || isPatientSystem(system)
  );
}

/** The name a contained resource gives the professional or establishment, if any. */
export function nameOf(resource: ContainedResource | undefined): string | undefined {
  if (!resource) return undefined;
  const { name } = resource;
  if (typeof name === 'string') return name.trim() || undefined;
  if (Array.isArray(name)) {
    const human = name[0] as { text?: unknown; prefix?: unknown; given?: unknown; family?: unknown } | undefined;
    if (typeof human?.text === 'string' && human.text.trim()) return human.text.trim();
    const parts = [human?.prefix, human?.given, human?.family].flat().filter((p) => typeof p === 'string');
    return parts.join(' ').trim() || undefined;
  }
  return resource.practitioner?.display ?? resource.organization?.display;
}

/** The service that wrote a stored appointment (its client id); none for the seeded ones. */
export function authorClientId(resource: FhirResource): string | undefined {
  const tags = (resource as Appointment).meta?.tag ?? [];
  return tags.find((tag) => tag.system === AUTHOR_TAG_SYSTEM)?.code;
}

/**
 * Which stored appointments the caller may read: all of them with AGENDA_LECTURE; with
 * AGENDA_ECRITURE alone, those it wrote (so that it finds what it sent before sending it again).
 */
export function readableBy(caller: Caller): (entry: StoredResource) => boolean {
  if (caller.finalities.has(READ_AGENDA_FINALITY)) return () => true;
  if (caller.finalities.has(WRITE_AGENDA_FINALITY)) {
    return (entry) => authorClientId(entry.resource) === caller.service.clientId;
  }
  throw new FhirError(403, 'forbidden', MES_TEXTS.consentNotGiven);
}

/** Only its author may change an appointment; MES shows the others as written by someone else. */
export function requireAuthor(entry: StoredResource, caller: Caller): void {
  if (authorClientId(entry.resource) !== caller.service.clientId) {
    throw new FhirError(403, 'forbidden', 'Appointment created by another service: only its author may change it.');
  }
}

/** Every local reference (`#id`) under `node`, with where it is, operator extensions aside when asked. */
export function localReferences(
  node: unknown,
  root: string,
  skipOperator = false,
): { reference: string; at: string }[] {
  const found: { reference: string; at: string }[] = [];
  // Iterative: a body nested deeper than the call stack must not crash the check.
  const stack: [unknown, string][] = [[node, root]];
  while (stack.length > 0) {
    const [value, at] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push([item, `${at}[${i}]`]));
      continue;
    }
    if (skipOperator && (value as { url?: unknown }).url === FR_CORE_APPOINTMENT_OPERATOR) continue;
    for (const [key, child] of Object.entries(value)) {
      if (key === 'reference' && typeof child === 'string' && child.startsWith('#')) {
        found.push({ reference: child, at: `${at}.reference` });
      } else stack.push([child, `${at}.${key}`]);
    }
  }
  return found;
}

/**
 * The appointment as MES stores it: its author is the calling service, named by an operator
 * extension on a contained Organization (OID, name), whatever the body said about its author.
 */
export function withAuthor(appointment: Appointment, service: ServiceDefinition): Appointment {
  const isOperator = (extension: Extension) => extension.url === FR_CORE_APPOINTMENT_OPERATOR;
  const claimed = new Set((appointment.extension ?? []).filter(isOperator).map((e) => e.valueReference?.reference));
  const usedElsewhere = new Set(localReferences(appointment, 'Appointment', true).map((r) => r.reference));
  // The body's own author Organization goes, unless something else refers to it.
  const contained = (appointment.contained ?? []).filter(
    (resource) => !claimed.has(`#${resource.id}`) || usedElsewhere.has(`#${resource.id}`),
  );
  const ids = new Set(contained.map((resource) => resource.id));
  let id = 'operator';
  for (let n = 2; ids.has(id); n++) id = `operator-${n}`;
  contained.push({
    resourceType: 'Organization',
    id,
    identifier: [{ system: RFC3986_SYSTEM, value: `urn:oid:${service.oid}` }],
    name: service.name,
  });
  const tag = [
    ...(appointment.meta?.tag ?? []).filter((t) => t.system !== AUTHOR_TAG_SYSTEM),
    { system: AUTHOR_TAG_SYSTEM, code: service.clientId },
  ];
  return {
    ...appointment,
    meta: { ...appointment.meta, tag },
    contained,
    extension: [
      ...(appointment.extension ?? []).filter((extension) => !isOperator(extension)),
      { url: FR_CORE_APPOINTMENT_OPERATOR, valueReference: { reference: `#${id}` } },
    ],
  };
}

/** The stored appointment as a service reads it: the sandbox's own bookkeeping left out. */
export function presentAppointment(entry: StoredResource): FhirResource {
  const resource = structuredClone(entry.resource) as Appointment;
  const tag = resource.meta?.tag?.filter((t) => t.system !== AUTHOR_TAG_SYSTEM);
  if (resource.meta) {
    if (tag && tag.length > 0) resource.meta.tag = tag;
    else delete resource.meta.tag;
  }
  return resource;
}

export const appointmentLocation = (fhirBase: string, entry: StoredResource) =>
  `${fhirBase}/Appointment/${entry.id}/_history/${entry.versionId}`;
