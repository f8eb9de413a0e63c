/**
 * « Mettre à jour mon agenda Mon espace santé »: MES's agenda shows the host's appointments, kept right when they
 * move or are cancelled. One search for what MES holds for this service, a plan, then the writes,
 * a few at a time. Every write is conditional on the appointment's identifier, so a retry after a
 * lost answer never files it twice; a second run after a complete one writes nothing.
 */
import * as z from 'zod/mini';
import {
  AgendaAppointmentSchema,
  HeldAppointmentSchema,
  appearanceOf,
  appointmentSystemOf,
  checkedAppointment,
  type AgendaAppointment,
  type CheckedAppointment,
  type HeldAppointment,
} from '../agenda/appointment.js';
import { countChanges, planAgenda, type AgendaAction, type PlannedChange } from '../agenda/plan.js';
import { MesError, normalizeError, type MesErrorCode, type MesErrorJson } from '../errors.js';
import { errorFromResponse, parseResponse } from '../fhir/response.js';
import { requestSafeToRepeat } from '../fhir/retry.js';
import { IDPE_SYSTEM } from '../fhir/systems.js';
import { WRITE_AGENDA_FINALITY } from '../finalities.js';
import type { FhirRequest } from '../transports/transport.js';
import { forwardProgress, type Operation, type OperationContext } from './operation.js';

export interface SyncAgendaInput {
  /**
   * The patient's appointments as the host holds them. Absent in gateway mode: the gateway asks the
   * host's `agenda.list`, never the page.
   */
  appointments?: AgendaAppointment[];
  /**
   * Only these (host ids): « Ajouter à mon agenda » for one appointment. By default the list is the
   * whole agenda, and an appointment to come that MES holds and the list lacks is cancelled.
   */
  only?: string[];
  /** What would change, with nothing written: what the patient confirms. */
  dryRun?: boolean;
}

export interface AgendaChange extends Omit<PlannedChange, 'resource'> {
  /** `planned` in a dry run; after a run, `done` (unchanged ones too) or `failed`. */
  outcome: 'planned' | 'done' | 'failed';
  /** Why it failed: a later run retries it, and only it. */
  error?: MesErrorJson;
}

export interface SyncAgendaResult {
  dryRun: boolean;
  changes: AgendaChange[];
  /** How many of each action (failed ones included). */
  counts: Record<AgendaAction, number>;
  failed: number;
}

/** At most this many appointments in one run (one search page of MES's agenda). */
export const MAX_AGENDA_APPOINTMENTS = 1000;
/** Writes under way at once: fast enough, and gentle on MES's rate limits. */
export const AGENDA_CONCURRENCY = 4;
/** A search answered in more pages than this is not an agenda. */
const MAX_SEARCH_PAGES = 20;
/** Failures after which no other write can succeed: the run stops. */
const STOPS_THE_RUN = new Set<MesErrorCode>([
  'MES_AUTH_REQUIRED',
  'MES_CONSENT_REQUIRED',
  'MES_CONFIGURATION',
  'MES_PATIENT_MISMATCH',
  'MES_ABORTED',
]);

const InputSchema = z.object({
  appointments: z.optional(z.array(z.unknown()).check(z.maxLength(MAX_AGENDA_APPOINTMENTS))),
  only: z.optional(z.array(z.string()).check(z.minLength(1), z.maxLength(MAX_AGENDA_APPOINTMENTS))),
  dryRun: z.optional(z.boolean()),
});

const invalid = (field: string) => new MesError('MES_INVALID_INPUT', { operation: 'sync-agenda', field });

function parse(input: unknown): SyncAgendaInput {
  const parsed = InputSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path[0];
    throw invalid(typeof field === 'string' ? field : 'input');
  }
  const { appointments, only, dryRun } = parsed.data;
  const checked: CheckedAppointment[] = [];
  const ids = new Set<string>();
  appointments?.forEach((raw, index) => {
    const appointment = AgendaAppointmentSchema.safeParse(raw);
    if (!appointment.success) {
      const path = appointment.error.issues[0]?.path.join('.');
      throw invalid(`appointments[${index}]${path ? `.${path}` : ''}`);
    }
    if (ids.has(appointment.data.id)) throw invalid(`appointments[${index}].id`);
    ids.add(appointment.data.id);
    checked.push(checkedAppointment(appointment.data));
  });
  if (appointments && only?.some((id) => !ids.has(id))) throw invalid('only');
  return {
    ...(appointments && { appointments: checked }),
    ...(only && { only }),
    ...(dryRun !== undefined && { dryRun }),
  };
}

const SearchsetSchema = z.looseObject({
  resourceType: z.literal('Bundle'),
  link: z.optional(z.array(z.looseObject({ relation: z.string(), url: z.string() }))),
  entry: z.optional(z.array(z.looseObject({ resource: z.optional(z.unknown()) }))),
});

/**
 * Only MES's offset is taken from its next link: the patient and the service stay this session's.
 * A link that is no URL has none, as one without `_offset` has none (`new URL` would throw a
 * TypeError, which passes for a network failure).
 */
function offsetOf(next: string | undefined): string | null {
  if (next === undefined) return null;
  try {
    return new URL(next, 'https://mes.invalid/').searchParams.get('_offset');
  } catch {
    return null;
  }
}

/** Everything MES holds that this service filed for this patient: one search, a page per thousand. */
async function heldAppointments(context: OperationContext, system: string): Promise<HeldAppointment[]> {
  const held: HeldAppointment[] = [];
  let offset: string | null = null;
  for (let page = 0; page < MAX_SEARCH_PAGES; page++) {
    const params = new URLSearchParams({
      'patient.identifier': `${IDPE_SYSTEM}|${context.session.idPe}`,
      identifier: `${system}|`,
      _count: String(MAX_AGENDA_APPOINTMENTS),
    });
    if (offset !== null) params.set('_offset', offset);
    const response = await requestSafeToRepeat(
      context.request,
      { method: 'GET', path: `Appointment?${params}` },
      { signal: context.signal, policy: context.retry },
    );
    if (!response.ok) throw await errorFromResponse(response);
    const bundle = await parseResponse(response, SearchsetSchema);
    for (const entry of bundle.entry ?? []) {
      // One that cannot be read is written again, which its identifier makes harmless.
      const resource = HeldAppointmentSchema.safeParse(entry.resource);
      if (resource.success) held.push(resource.data);
    }
    offset = offsetOf(bundle.link?.find((link) => link.relation === 'next')?.url);
    if (offset === null || !/^\d{1,9}$/.test(offset)) return held;
  }
  throw new MesError('MES_INVALID_RESPONSE', { operation: 'sync-agenda' });
}

/** A conditional write, sent again when its answer is lost: it cannot file twice. */
const conditionalWrite = (context: OperationContext, request: FhirRequest) =>
  requestSafeToRepeat(context.request, request, { signal: context.signal, policy: context.retry });

const FHIR_JSON = { 'content-type': 'application/fhir+json' };

/**
 * Files or rewrites one appointment. A create is conditional (`If-None-Exist`): if MES already has
 * it (an earlier run whose answer was lost), it is rewritten only if it differs.
 */
async function write(context: OperationContext, change: PlannedChange, system: string): Promise<void> {
  const identifier = new URLSearchParams({ identifier: `${system}|${change.id}` }).toString();
  const body = JSON.stringify(change.resource);
  if (change.action === 'create') {
    const response = await conditionalWrite(context, {
      method: 'POST',
      path: 'Appointment',
      body,
      headers: { ...FHIR_JSON, 'if-none-exist': identifier },
    });
    if (response.status === 201) return;
    if (response.status !== 200) throw await errorFromResponse(response);
    const existing = HeldAppointmentSchema.safeParse(await response.json().catch(() => undefined));
    if (existing.success && appearanceOf(existing.data) === appearanceOf(change.resource as HeldAppointment)) return;
  }
  const response = await conditionalWrite(context, {
    method: 'PUT',
    path: `Appointment?${identifier}`,
    body,
    headers: FHIR_JSON,
  });
  if (!response.ok) throw await errorFromResponse(response);
}

/** The appointments a run (or its .ics file) is about: those `only` names, or all, as checked. */
export function chosenAppointments(input: SyncAgendaInput): CheckedAppointment[] {
  const only = input.only && new Set(input.only);
  return (input.appointments ?? [])
    .filter((appointment) => !only || only.has(appointment.id))
    .map((appointment) => checkedAppointment(appointment));
}

async function run(context: OperationContext, input: SyncAgendaInput): Promise<SyncAgendaResult> {
  try {
    context.signal?.throwIfAborted();
    if (!input.appointments) throw invalid('appointments');
    const desired = chosenAppointments(input);
    const { service, idPe } = context.session;
    const system = appointmentSystemOf(service);
    const progress = forwardProgress(context.onProgress);
    progress({ phase: 'comparing', ratio: 0 });
    const held = await heldAppointments(context, system);
    const plan = planAgenda(desired, held, { service, idPe, partial: input.only !== undefined, now: Date.now() });
    const result = (change: PlannedChange, outcome: AgendaChange['outcome'], error?: MesError): AgendaChange => {
      const { resource: _resource, ...about } = change;
      return { ...about, outcome, ...(error && { error: error.toJSON() }) };
    };
    if (input.dryRun) {
      progress({ phase: 'done', ratio: 1 });
      return { dryRun: true, changes: plan.map((c) => result(c, 'planned')), counts: countChanges(plan), failed: 0 };
    }

    const outcomes = new Map<PlannedChange, AgendaChange>();
    const writes = plan.filter((change) => change.resource !== undefined);
    const queue = [...writes];
    let written = 0;
    let stopped: MesError | undefined;
    progress({ phase: 'writing', ratio: 0.1 });
    const worker = async () => {
      for (let change = queue.shift(); change && !stopped; change = queue.shift()) {
        try {
          await write(context, change, system);
          outcomes.set(change, result(change, 'done'));
        } catch (error) {
          const failure = normalizeError(error, 'sync-agenda');
          if (STOPS_THE_RUN.has(failure.code) || context.signal?.aborted) stopped ??= failure;
          outcomes.set(change, result(change, 'failed', failure));
        }
        written++;
        progress({ phase: 'writing', ratio: 0.1 + (0.9 * written) / writes.length });
      }
    };
    await Promise.all(Array.from({ length: Math.min(AGENDA_CONCURRENCY, writes.length) }, worker));
    // What was written stays written; the next run finds it unchanged and goes on from there.
    if (stopped) throw stopped;
    const changes = plan.map((change) => outcomes.get(change) ?? result(change, 'done'));
    progress({ phase: 'done', ratio: 1 });
    return {
      dryRun: false,
      changes,
      counts: countChanges(plan),
      failed: changes.filter((change) => change.outcome === 'failed').length,
    };
  } catch (error) {
    throw normalizeError(error, 'sync-agenda');
  }
}

export const syncAgendaOperation: Operation<SyncAgendaInput, SyncAgendaResult> = {
  name: 'sync-agenda',
  finalities: () => [WRITE_AGENDA_FINALITY],
  parse,
  run,
};
