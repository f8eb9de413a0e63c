/**
 * What to write so that MES's agenda shows the host's appointments: a pure function of what the
 * host holds and what MES holds for this service, so that a second plan after the first one ran is
 * empty, whatever either side held.
 */
import {
  appearanceOf,
  appointmentResource,
  hostIdOf,
  type CheckedAppointment,
  type HeldAppointment,
  type ServiceIdentity,
} from './appointment.js';

/** `move`: its time changed; `update`: anything else the patient sees. */
export type AgendaAction = 'create' | 'move' | 'update' | 'cancel' | 'unchanged';

export interface PlannedChange {
  /** The host's id of the appointment. */
  id: string;
  action: AgendaAction;
  title: string;
  /** When it is (for a move, the new time). */
  start?: string;
  /** For a move: when it was. */
  previousStart?: string;
  /** What is written to MES; absent when nothing is. */
  resource?: Record<string, unknown>;
}

export interface PlanOptions {
  service: ServiceIdentity;
  idPe: string;
  /** The host's list is not the whole agenda: what MES holds that the list lacks is left alone. */
  partial?: boolean;
  /** Now, in milliseconds: an appointment already past that the host no longer lists stays as it was. */
  now: number;
}

/** Statuses after which an appointment has nothing left to cancel. */
const ENDED = new Set(['cancelled', 'fulfilled', 'noshow', 'entered-in-error']);

const sameInstant = (a?: string, b?: string) =>
  a === undefined ? b === undefined : Date.parse(a) === Date.parse(b ?? '');

export function planAgenda(
  desired: readonly CheckedAppointment[],
  held: readonly HeldAppointment[],
  options: PlanOptions,
): PlannedChange[] {
  // A service's appointment is found by its identifier; should MES hold two, the first one is the one written.
  const heldById = new Map<string, HeldAppointment>();
  for (const resource of held) {
    const id = hostIdOf(resource, options.service);
    if (id !== undefined && !heldById.has(id)) heldById.set(id, resource);
  }
  const changes: PlannedChange[] = [];
  const listed = new Set<string>();
  for (const appointment of desired) {
    listed.add(appointment.id);
    const resource = appointmentResource(appointment, options.service, options.idPe);
    const current = heldById.get(appointment.id);
    const about = { id: appointment.id, title: appointment.title, start: appointment.start };
    // Cancelled before MES ever had it: there is nothing to show the patient.
    if (!current && appointment.status === 'cancelled') changes.push({ ...about, action: 'unchanged' });
    else if (!current) changes.push({ ...about, action: 'create', resource });
    else if (appearanceOf(current) === appearanceOf(resource as HeldAppointment))
      changes.push({ ...about, action: 'unchanged' });
    else if (appointment.status === 'cancelled')
      changes.push({ ...about, action: current.status === 'cancelled' ? 'update' : 'cancel', resource });
    else if (!sameInstant(current.start, appointment.start) || !sameInstant(current.end, appointment.end))
      changes.push({ ...about, action: 'move', previousStart: current.start, resource });
    else changes.push({ ...about, action: 'update', resource });
  }
  if (options.partial) return changes;
  for (const [id, current] of heldById) {
    if (listed.has(id) || ENDED.has(current.status)) continue;
    // History is not rewritten: the host's list may hold only what is to come.
    if (current.start !== undefined && Date.parse(current.start) <= options.now) continue;
    const { id: _mesId, meta: _meta, ...kept } = current;
    changes.push({
      id,
      action: 'cancel',
      title: current.description ?? '',
      ...(current.start !== undefined && { start: current.start }),
      resource: { ...kept, status: 'cancelled' },
    });
  }
  return changes;
}

/** How many of each: what the patient confirms (« 3 nouveaux, 1 déplacé, 1 annulé »). */
export function countChanges(changes: readonly { action: AgendaAction }[]): Record<AgendaAction, number> {
  const counts: Record<AgendaAction, number> = { create: 0, move: 0, update: 0, cancel: 0, unchanged: 0 };
  for (const change of changes) counts[change.action]++;
  return counts;
}
