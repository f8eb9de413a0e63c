/**
 * An appointment as the host's systems hold it, and as MES's agenda holds it: a fr-core Appointment
 * (mes-interop §4), identified in MES by the service's OID and the host's own id.
 */
import * as z from 'zod/mini';
import { InstantString, fhirInstant } from '../fhir/instant.js';
import { HostId, Line } from '../schemas/host.js';
import { FINESS_SYSTEM, FR_CORE_APPOINTMENT, IDPE_SYSTEM, RPPS_SYSTEM, SPECIALITY_SYSTEM } from '../fhir/systems.js';

/** What a host may say of an appointment; MES knows more statuses, which only the patient sets. */
export const HOST_APPOINTMENT_STATUSES = ['booked', 'cancelled', 'fulfilled', 'noshow'] as const;
export type HostAppointmentStatus = (typeof HOST_APPOINTMENT_STATUSES)[number];

export interface AgendaAppointment {
  /** The host's own id for it: MES finds the appointment again by this id and the service's OID. */
  id: string;
  /** What the patient sees in their agenda (« Consultation de suivi »). */
  title: string;
  /** With a timezone (`2026-03-30T09:30:00+02:00` or a `Date`): a time without one means nothing. */
  start: Date | string;
  end: Date | string;
  /** Default `booked`; `cancelled` cancels it in MES (never deleted). */
  status?: HostAppointmentStatus;
  /** Who the patient meets: a professional (RPPS) or an establishment's service (FINESS). */
  with:
    { kind: 'professional'; name: string; rpps?: string } | { kind: 'establishment'; name: string; finess?: string };
  /** The professional's speciality (TRE_R38 code and label, « Médecine générale »). */
  speciality?: { code: string; display: string };
  /** Where: a place's name and its postal address. */
  place?: { name?: string; address?: { lines: string[]; postalCode?: string; city?: string } };
  /** For the patient: what to bring, how to prepare. */
  comment?: string;
}

/** An appointment once checked: its times as instants. */
export type CheckedAppointment = Omit<AgendaAppointment, 'start' | 'end' | 'status'> & {
  start: string;
  end: string;
  status: HostAppointmentStatus;
};

const Instant = z.union([z.date(), InstantString]);

export const AgendaAppointmentSchema = z
  .object({
    id: HostId,
    title: Line(500),
    start: Instant,
    end: Instant,
    status: z.optional(z.enum(HOST_APPOINTMENT_STATUSES)),
    with: z.discriminatedUnion('kind', [
      z.object({
        kind: z.literal('professional'),
        name: Line(200),
        rpps: z.optional(z.string().check(z.regex(/^\d{11}$/))),
      }),
      z.object({
        kind: z.literal('establishment'),
        name: Line(200),
        finess: z.optional(z.string().check(z.regex(/^\d{9}$/))),
      }),
    ]),
    speciality: z.optional(z.object({ code: z.string().check(z.regex(/^[\w.-]{1,20}$/)), display: Line(200) })),
    place: z.optional(
      z.object({
        name: z.optional(Line(200)),
        address: z.optional(
          z.object({
            lines: z.array(Line(200)).check(z.minLength(1), z.maxLength(4)),
            postalCode: z.optional(z.string().check(z.regex(/^\d{5}$/))),
            city: z.optional(Line(100)),
          }),
        ),
      }),
    ),
    comment: z.optional(z.string().check(z.trim(), z.maxLength(2000))),
  })
  .check(
    // At least a minute: MES counts an appointment's duration in whole minutes.
    z.refine((appointment) => new Date(appointment.end).getTime() - new Date(appointment.start).getTime() >= 60_000, {
      path: ['end'],
    }),
  );

/** An appointment as checked: times as instants (as given, timezone kept), status `booked` by default. */
export function checkedAppointment(appointment: AgendaAppointment): CheckedAppointment {
  const { start, end, status, ...rest } = appointment;
  return { ...rest, start: fhirInstant(start), end: fhirInstant(end), status: status ?? 'booked' };
}

export interface ServiceIdentity {
  oid: string;
  name: string;
}

/** How MES tells this service's appointments apart: its OID as the system, the host's id as the value. */
export const appointmentSystemOf = (service: ServiceIdentity) => `urn:oid:${service.oid}`;

/** The fr-core Appointment MES's agenda files for it. */
export function appointmentResource(
  appointment: CheckedAppointment,
  service: ServiceIdentity,
  idPe: string,
): Record<string, unknown> {
  const { with: who, place } = appointment;
  const contained: Record<string, unknown>[] = [];
  const participant: Record<string, unknown>[] = [
    {
      actor: { identifier: { system: IDPE_SYSTEM, value: idPe }, display: 'Patient' },
      required: 'required',
      status: 'accepted',
    },
  ];
  if (who.kind === 'professional') {
    contained.push({
      resourceType: 'Practitioner',
      id: 'ps',
      ...(who.rpps && { identifier: [{ system: RPPS_SYSTEM, value: who.rpps }] }),
      name: [{ text: who.name }],
    });
    participant.push({ actor: { reference: '#ps', display: who.name }, required: 'required', status: 'accepted' });
  } else {
    participant.push({
      actor: { ...(who.finess && { identifier: { system: FINESS_SYSTEM, value: who.finess } }), display: who.name },
      required: 'required',
      status: 'accepted',
    });
  }
  if (place && (place.name || place.address)) {
    const address = place.address;
    contained.push({
      resourceType: 'Location',
      id: 'lieu',
      ...(place.name && { name: place.name }),
      ...(address && {
        address: {
          line: address.lines,
          ...(address.postalCode && { postalCode: address.postalCode }),
          ...(address.city && { city: address.city }),
          country: 'FR',
        },
      }),
    });
    participant.push({
      actor: { reference: '#lieu', display: place.name ?? address!.lines.join(', ') },
      required: 'information-only',
      status: 'accepted',
    });
  }
  return {
    resourceType: 'Appointment',
    meta: { profile: [FR_CORE_APPOINTMENT] },
    ...(contained.length > 0 && { contained }),
    identifier: [{ system: appointmentSystemOf(service), value: appointment.id }],
    status: appointment.status,
    ...(appointment.speciality && {
      specialty: [
        {
          coding: [
            { system: SPECIALITY_SYSTEM, code: appointment.speciality.code, display: appointment.speciality.display },
          ],
        },
      ],
    }),
    description: appointment.title,
    start: appointment.start,
    end: appointment.end,
    minutesDuration: Math.round((Date.parse(appointment.end) - Date.parse(appointment.start)) / 60_000),
    ...(appointment.comment && { comment: appointment.comment }),
    participant,
  };
}

/** An Appointment as MES holds it, checked as far as comparing needs. */
const Text = z.string().check(z.maxLength(4000));
const Identifier = z.looseObject({ system: z.optional(Text), value: z.optional(Text) });
export const HeldAppointmentSchema = z.looseObject({
  resourceType: z.literal('Appointment'),
  id: z.optional(Text),
  identifier: z.optional(z.array(Identifier)),
  status: Text,
  description: z.optional(Text),
  start: z.optional(Text),
  end: z.optional(Text),
  comment: z.optional(Text),
  specialty: z.optional(
    z.array(
      z.looseObject({
        coding: z.optional(z.array(z.looseObject({ system: z.optional(Text), code: z.optional(Text) }))),
      }),
    ),
  ),
  // A few people and places: an appointment with thousands is not one to compare or rewrite.
  contained: z.optional(z.array(z.looseObject({ resourceType: Text, id: z.optional(Text) })).check(z.maxLength(50))),
  participant: z.optional(
    z
      .array(
        z.looseObject({
          actor: z.optional(
            z.looseObject({
              reference: z.optional(Text),
              display: z.optional(Text),
              identifier: z.optional(Identifier),
            }),
          ),
        }),
      )
      .check(z.maxLength(50)),
  ),
});
export type HeldAppointment = z.infer<typeof HeldAppointmentSchema>;

/**
 * What the patient sees of an appointment, in one string: two resources that give the same one
 * need no write. MES's own additions (id, versions, the author it records) are left out; times are
 * compared as instants, whatever offset wrote them.
 */
export function appearanceOf(resource: HeldAppointment): string {
  const instant = (value?: string) => (value === undefined ? null : Date.parse(value));
  const actors = (resource.participant ?? [])
    .map((p) => p.actor)
    .filter((actor) => actor && actor.identifier?.system !== IDPE_SYSTEM)
    .map((actor) => {
      const target = actor!.reference?.startsWith('#')
        ? resource.contained?.find((c) => c.id === actor!.reference!.slice(1))
        : undefined;
      // The contained resource as written, less its local id.
      const { id: _id, ...details } = target ?? { id: undefined };
      return [actor!.display ?? null, actor!.identifier?.system ?? null, actor!.identifier?.value ?? null, details];
    });
  return canonicalJson([
    resource.status,
    instant(resource.start),
    instant(resource.end),
    resource.description ?? null,
    resource.comment ?? null,
    (resource.specialty ?? []).flatMap((s) => (s.coding ?? []).map((c) => [c.system ?? null, c.code ?? null])),
    actors,
  ]);
}

/** JSON with every object's keys in order: the same content, the same string. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

/** The host's id of an appointment this service filed, or `undefined` for anyone else's. */
export function hostIdOf(resource: HeldAppointment, service: ServiceIdentity): string | undefined {
  const system = appointmentSystemOf(service);
  return resource.identifier?.find((identifier) => identifier.system === system)?.value;
}
