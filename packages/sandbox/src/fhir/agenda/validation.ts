/**
 * An Appointment as MES takes it (fr-core-appointment, with what MES's agenda needs: a date, a
 * professional or establishment, the patient, a business identifier of the service): every problem
 * found is one issue of the 422, each naming its element; then the patient must be the caller's.
 */
import { DateTimeSchema, IDPE_SYSTEM, FR_CORE_APPOINTMENT, FR_CORE_APPOINTMENT_OPERATOR } from '@mes-kit/core';
import { idPeMismatch, type Caller } from '../auth.js';
import { depthOf } from '../body.js';
import { FhirError, fhirJson } from '../outcome.js';
import { isUnderOid, oidOf, ownerOid } from '../oids.js';
import { designatesOnly } from '../patient.js';
import {
  APPOINTMENT_STATUSES,
  isObject,
  isPatientActor,
  localReferences,
  nameOf,
  type Appointment,
  type ContainedResource,
} from './common.js';

/** FHIR R4 app-3: only these may lack a start and an end. */
const UNDATED_STATUSES = new Set(['proposed', 'cancelled', 'waitlist']);
const PARTICIPANT_STATUSES = ['accepted', 'declined', 'tentative', 'needs-action'];
const PARTICIPANT_REQUIRED = ['required', 'optional', 'information-only'];
const PARTICIPANT_ELEMENTS = ['id', 'extension', 'modifierExtension', 'type', 'actor', 'required', 'status', 'period'];
const CONTAINED_TYPES = new Set(['Practitioner', 'PractitionerRole', 'HealthcareService', 'Location', 'Organization']);
const MAX_DESCRIPTION = 500;
const MAX_COMMENT = 2000;
const MAX_IDENTIFIER_VALUE = 64;
/** Enough to say what is wrong; a body wrong everywhere does not make an answer as large. */
const MAX_ISSUES = 100;
/** Far deeper than any Appointment; a body nested beyond it is refused before anything walks it. */
const MAX_DEPTH = 32;
/** People and places at one appointment, and resources it contains: a few, never thousands. */
const MAX_PARTICIPANTS = 20;
const MAX_CONTAINED = 20;

type IssueCode = 'required' | 'value' | 'invariant' | 'structure';
interface Issue {
  code: IssueCode;
  expression: string;
  diagnostics: string;
}

/** A 422 with one issue per problem, the first one also as the error's own text. */
class InvalidAppointment extends FhirError {
  readonly issues: readonly Issue[];

  constructor(issues: Issue[]) {
    super(422, issues[0].code, issues[0].diagnostics, { expression: issues[0].expression });
    this.issues = issues;
  }

  override toResponse(): Response {
    const issue = this.issues.map(({ code, diagnostics, expression }) => ({
      severity: 'error',
      code,
      diagnostics,
      expression: [expression],
    }));
    return fhirJson({ resourceType: 'OperationOutcome', issue }, this.status);
  }
}

const INSTANT =
  /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))$/;

/** A FHIR instant that names a real day (no 31 February), with its offset. */
function isInstant(value: string): boolean {
  const parts = INSTANT.exec(value);
  if (!parts) return false;
  const [, year, month, day] = parts.map(Number);
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate() && !Number.isNaN(Date.parse(value));
}

/** Collects the problems of one body; each check names the element as a FHIRPath. */
class Checker {
  readonly issues: Issue[] = [];

  add(code: IssueCode, expression: string, text: string): void {
    if (this.issues.length < MAX_ISSUES) this.issues.push({ code, expression, diagnostics: `${expression} ${text}.` });
  }

  /** Present and of the right JSON type, or absent (and then `required` says whether that is wrong). */
  string(value: unknown, at: string, options: { required?: boolean; max?: number } = {}): value is string {
    if (value === undefined) {
      if (options.required) this.add('required', at, 'is required');
      return false;
    }
    if (typeof value !== 'string') {
      this.add('structure', at, 'must be a string');
      return false;
    }
    if (value.trim() === '') {
      this.add('value', at, 'must not be empty');
      return false;
    }
    if (options.max !== undefined && value.length > options.max) {
      this.add('value', at, `must be at most ${options.max} characters long (${value.length})`);
      return false;
    }
    return true;
  }

  code(value: unknown, at: string, codes: readonly string[], required = false): void {
    if (this.string(value, at, { required }) && !codes.includes(value)) {
      this.add('value', at, `must be one of ${codes.join(', ')}`);
    }
  }

  object(value: unknown, at: string): value is Record<string, unknown> {
    if (isObject(value)) return true;
    if (value !== undefined) this.add('structure', at, 'must be an object');
    return false;
  }

  array(value: unknown, at: string, each?: (item: unknown, at: string) => void): value is unknown[] {
    if (value === undefined) return false;
    if (!Array.isArray(value)) {
      this.add('structure', at, 'must be an array');
      return false;
    }
    if (each) value.forEach((item, i) => each(item, `${at}[${i}]`));
    return true;
  }

  boolean(value: unknown, at: string): void {
    if (value !== undefined && typeof value !== 'boolean') this.add('structure', at, 'must be true or false');
  }

  integer(value: unknown, at: string, minimum: number): void {
    if (value === undefined) return;
    if (typeof value !== 'number') this.add('structure', at, 'must be a number');
    else if (!Number.isInteger(value) || value < minimum) {
      this.add('value', at, `must be an integer of at least ${minimum}`);
    }
  }

  id(value: unknown, at: string, required = false): value is string {
    if (!this.string(value, at, { required })) return false;
    if (/^[A-Za-z0-9\-.]{1,64}$/.test(value)) return true;
    this.add('value', at, 'must be a FHIR id (letters, digits, "-" and ".", at most 64)');
    return false;
  }

  dateTime(value: unknown, at: string): void {
    if (this.string(value, at) && !DateTimeSchema.safeParse(value).success) {
      this.add('value', at, 'is not a FHIR dateTime');
    }
  }

  instant(value: unknown, at: string): value is string {
    if (!this.string(value, at)) return false;
    if (isInstant(value)) return true;
    this.add('value', at, 'must be a FHIR instant with its time zone (2024-04-02T14:30:00+02:00)');
    return false;
  }

  coding = (value: unknown, at: string): void => {
    if (!this.object(value, at)) return;
    for (const key of ['system', 'version', 'code', 'display'] as const) this.string(value[key], `${at}.${key}`);
    this.boolean(value['userSelected'], `${at}.userSelected`);
  };

  codeableConcept = (value: unknown, at: string): void => {
    if (!this.object(value, at)) return;
    this.array(value['coding'], `${at}.coding`, this.coding);
    this.string(value['text'], `${at}.text`);
  };

  period = (value: unknown, at: string): void => {
    if (!this.object(value, at)) return;
    this.dateTime(value['start'], `${at}.start`);
    this.dateTime(value['end'], `${at}.end`);
  };

  identifier = (value: unknown, at: string): void => {
    if (!this.object(value, at)) return;
    for (const key of ['use', 'system', 'value'] as const) this.string(value[key], `${at}.${key}`);
    this.codeableConcept(value['type'], `${at}.type`);
    this.period(value['period'], `${at}.period`);
  };

  reference = (value: unknown, at: string): void => {
    if (!this.object(value, at)) return;
    for (const key of ['reference', 'type', 'display'] as const) this.string(value[key], `${at}.${key}`);
    this.identifier(value['identifier'], `${at}.identifier`);
  };

  extension = (value: unknown, at: string): void => {
    if (!this.object(value, at)) return;
    this.string(value['url'], `${at}.url`, { required: true });
    this.array(value['extension'], `${at}.extension`, this.extension);
    if (value['url'] === FR_CORE_APPOINTMENT_OPERATOR) return;
    if (value['valueReference'] !== undefined) this.reference(value['valueReference'], `${at}.valueReference`);
  };
}

/** What each element of an R4 Appointment is; any other element is not an Appointment's. */
function elementChecks(check: Checker): Record<string, ((value: unknown, at: string) => void) | null> {
  const many = (each: (value: unknown, at: string) => void) => (value: unknown, at: string) =>
    void check.array(value, at, each);
  return {
    resourceType: null,
    id: (value, at) => check.id(value, at),
    meta: (value, at) => {
      if (!check.object(value, at)) return;
      check.array(value['profile'], `${at}.profile`, (profile, where) => check.string(profile, where));
      check.array(value['tag'], `${at}.tag`, check.coding);
      check.array(value['security'], `${at}.security`, check.coding);
      check.string(value['source'], `${at}.source`);
    },
    implicitRules: (value, at) => check.string(value, at),
    language: (value, at) => check.string(value, at),
    text: (value, at) => {
      if (!check.object(value, at)) return;
      check.string(value['status'], `${at}.status`, { required: true });
      check.string(value['div'], `${at}.div`, { required: true });
    },
    contained: null,
    extension: many(check.extension),
    modifierExtension: (value, at) => {
      if (value !== undefined) check.add('structure', at, 'is not understood by Mon espace santé');
    },
    identifier: null,
    status: (value, at) => check.code(value, at, APPOINTMENT_STATUSES),
    cancelationReason: check.codeableConcept,
    serviceCategory: many(check.codeableConcept),
    serviceType: many(check.codeableConcept),
    specialty: many(check.codeableConcept),
    appointmentType: check.codeableConcept,
    reasonCode: many(check.codeableConcept),
    reasonReference: many(check.reference),
    priority: (value, at) => check.integer(value, at, 0),
    description: (value, at) => check.string(value, at, { max: MAX_DESCRIPTION }),
    supportingInformation: many(check.reference),
    start: null,
    end: null,
    minutesDuration: (value, at) => check.integer(value, at, 1),
    slot: many(check.reference),
    created: (value, at) => check.dateTime(value, at),
    comment: (value, at) => check.string(value, at, { max: MAX_COMMENT }),
    patientInstruction: (value, at) => check.string(value, at),
    basedOn: many(check.reference),
    participant: null,
    requestedPeriod: many(check.period),
  };
}

function checkContained(check: Checker, value: unknown): Map<string, ContainedResource> {
  const byId = new Map<string, ContainedResource>();
  if (Array.isArray(value) && value.length > MAX_CONTAINED) {
    check.add('value', 'Appointment.contained', `holds at most ${MAX_CONTAINED} resources (${value.length} given)`);
    return byId;
  }
  check.array(value, 'Appointment.contained', (item, at) => {
    if (!check.object(item, at)) return;
    const { resourceType, id } = item;
    if (check.string(resourceType, `${at}.resourceType`, { required: true }) && !CONTAINED_TYPES.has(resourceType)) {
      check.add('value', `${at}.resourceType`, `must be one of ${[...CONTAINED_TYPES].join(', ')}`);
    }
    if (!check.id(id, `${at}.id`, true)) return;
    if (byId.has(id)) check.add('invariant', `${at}.id`, `repeats the id of another contained resource (${id})`);
    else byId.set(id, item as ContainedResource);
    if (item['contained'] !== undefined) check.add('invariant', `${at}.contained`, 'must be empty (dom-2)');
    // What names it, as the patient page shows it, must be text.
    if (resourceType === 'Practitioner') {
      check.array(item['name'], `${at}.name`, (name, where) => {
        if (!check.object(name, where)) return;
        check.string(name['text'], `${where}.text`);
        check.string(name['family'], `${where}.family`);
        for (const key of ['given', 'prefix', 'suffix'])
          check.array(name[key], `${where}.${key}`, (part, w) => check.string(part, w));
      });
    } else if (resourceType === 'PractitionerRole') {
      check.reference(item['practitioner'], `${at}.practitioner`);
      check.reference(item['organization'], `${at}.organization`);
    } else check.string(item['name'], `${at}.name`);
    // A Location has one address, the one MES shows; other kinds' addresses are not read.
    if (resourceType === 'Location' && check.object(item['address'], `${at}.address`)) {
      const address = item['address'];
      for (const key of ['text', 'postalCode', 'city', 'country']) check.string(address[key], `${at}.address.${key}`);
      check.array(address['line'], `${at}.address.line`, (line, where) => check.string(line, where));
    }
  });
  return byId;
}

/** The participants' problems; answers which of them are the patient. */
function checkParticipants(check: Checker, value: unknown, contained: Map<string, ContainedResource>): number[] {
  const at = 'Appointment.participant';
  if (value === undefined) check.add('required', at, 'is required');
  if (!check.array(value, at)) return [];
  if (value.length > MAX_PARTICIPANTS) {
    check.add('value', at, `holds at most ${MAX_PARTICIPANTS} participants (${value.length} given)`);
    return [];
  }
  const patients: number[] = [];
  let named = false;
  value.forEach((item, i) => {
    const where = `${at}[${i}]`;
    if (!check.object(item, where)) return;
    for (const key of Object.keys(item)) {
      if (!PARTICIPANT_ELEMENTS.includes(key)) {
        check.add('structure', `${where}.${key}`, 'is not an element of Appointment.participant');
      }
    }
    check.array(item['extension'], `${where}.extension`, check.extension);
    if (item['modifierExtension'] !== undefined) {
      check.add('structure', `${where}.modifierExtension`, 'is not understood by Mon espace santé');
    }
    check.array(item['type'], `${where}.type`, check.codeableConcept);
    check.reference(item['actor'], `${where}.actor`);
    check.code(item['required'], `${where}.required`, PARTICIPANT_REQUIRED);
    check.code(item['status'], `${where}.status`, PARTICIPANT_STATUSES, true);
    check.period(item['period'], `${where}.period`);
    const actor = item['actor'];
    if (!isObject(actor)) {
      if (item['type'] === undefined) check.add('invariant', where, 'must have an actor or a type (app-1)');
      return;
    }
    if (isPatientActor(actor)) {
      patients.push(i);
      return;
    }
    const { display, reference } = actor;
    const local = typeof reference === 'string' && reference.startsWith('#') ? reference.slice(1) : undefined;
    if ((typeof display === 'string' && display.trim()) || nameOf(local ? contained.get(local) : undefined))
      named = true;
  });
  if (patients.length === 0) {
    check.add('required', at, `must include the patient, an actor identified by idPe (${IDPE_SYSTEM}) or test INS`);
  } else if (patients.length > 1) {
    check.add('invariant', `${at}[${patients[1]}]`, 'is a second patient; an appointment has one');
  }
  if (!named) {
    check.add(
      'required',
      at,
      'must name the professional or establishment (professionalOrEstablishmentName): an actor with a display, ' +
        'or a reference to a contained Practitioner, PractitionerRole, HealthcareService, Location or Organization that has a name',
    );
  }
  return patients;
}

function checkIdentifier(check: Checker, value: unknown, oid: string, services: readonly string[]): void {
  const at = 'Appointment.identifier';
  if (value === undefined) return check.add('required', at, 'is required: the business identifier of the service');
  if (!check.array(value, at)) return;
  if (value.length !== 1) {
    return check.add('value', at, `must hold exactly one identifier, under urn:oid:${oid} (${value.length} given)`);
  }
  const [identifier] = value;
  if (!check.object(identifier, `${at}[0]`)) return;
  const { system } = identifier;
  if (check.string(system, `${at}[0].system`, { required: true })) {
    const filedUnder = oidOf(system);
    if (!filedUnder || !isUnderOid(filedUnder, oid)) {
      check.add('value', `${at}[0].system`, `must be urn:oid:${oid} (the calling service's OID) or a sub-OID of it`);
    } else {
      // A sub-OID that is another registered service's (or under it) is that service's to use.
      const owner = ownerOid(filedUnder, services);
      if (owner !== oid) check.add('value', `${at}[0].system`, `is under urn:oid:${owner}, another service's OID`);
    }
  }
  check.string(identifier['value'], `${at}[0].value`, { required: true, max: MAX_IDENTIFIER_VALUE });
  check.string(identifier['use'], `${at}[0].use`);
}

function checkDates(check: Checker, body: Record<string, unknown>): void {
  const start = check.instant(body['start'], 'Appointment.start') ? Date.parse(body['start']) : undefined;
  const end = check.instant(body['end'], 'Appointment.end') ? Date.parse(body['end']) : undefined;
  const status = body['status'];
  // Only a date that is absent is checked against the status: a wrong one is already an issue.
  const undated = typeof status === 'string' && UNDATED_STATUSES.has(status);
  for (const key of ['start', 'end'] as const) {
    if (body[key] !== undefined || undated) continue;
    check.add('required', `Appointment.${key}`, `is required unless the status is ${[...UNDATED_STATUSES].join(', ')}`);
  }
  if (undated && (body['start'] === undefined) !== (body['end'] === undefined)) {
    const missing = body['start'] === undefined ? 'start' : 'end';
    check.add('invariant', `Appointment.${missing}`, 'is required when the other one is given (app-2)');
  }
  if (start !== undefined && end !== undefined && end <= start) {
    check.add('invariant', 'Appointment.end', 'must be after Appointment.start');
  }
}

/**
 * The body as an Appointment of the caller's patient: 400 if it is not an Appointment at all, 422
 * with every problem found, 403 (MES's idPe text) if its patient is not the caller's. `services`:
 * the OIDs of every registered service, so that none writes under another's.
 */
export function validateAppointment(body: unknown, caller: Caller, services: readonly string[]): Appointment {
  if (!isObject(body) || body['resourceType'] !== 'Appointment') {
    throw new FhirError(400, 'structure', 'The body must be an Appointment resource.', { expression: 'Appointment' });
  }
  if (depthOf(body) > MAX_DEPTH) {
    throw new InvalidAppointment([
      { code: 'structure', expression: 'Appointment', diagnostics: `Appointment is nested deeper than ${MAX_DEPTH}.` },
    ]);
  }
  const check = new Checker();
  const elements = elementChecks(check);
  for (const [key, value] of Object.entries(body)) {
    const element = key.startsWith('_') ? key.slice(1) : key;
    if (!Object.hasOwn(elements, element)) {
      check.add('structure', `Appointment.${key}`, 'is not an element of Appointment');
    } else if (key !== element) {
      check.object(value, `Appointment.${key}`);
    } else elements[element]?.(value, `Appointment.${key}`);
  }
  if (body['status'] === undefined) check.add('required', 'Appointment.status', 'is required');
  const profiles = (body['meta'] as { profile?: unknown } | undefined)?.profile;
  if (Array.isArray(profiles) && !profiles.includes(FR_CORE_APPOINTMENT)) {
    check.add('value', 'Appointment.meta.profile', `must include ${FR_CORE_APPOINTMENT}`);
  }
  checkIdentifier(check, body['identifier'], caller.service.oid, services);
  checkDates(check, body);
  const contained = checkContained(check, body['contained']);
  const patients = checkParticipants(check, body['participant'], contained);
  for (const { reference, at } of localReferences(body, 'Appointment', true)) {
    if (reference !== '#' && !contained.has(reference.slice(1))) {
      check.add('invariant', at, `does not designate a contained resource (${reference})`);
    }
  }
  if (check.issues.length > 0) throw new InvalidAppointment(check.issues);

  const appointment = body as Appointment;
  for (const i of patients) {
    const actor = appointment.participant[i].actor!;
    if (!designatesOnly(actor, appointment.contained, 'Appointment.contained', caller.persona.key)) {
      throw idPeMismatch(`Appointment.participant[${i}].actor`);
    }
  }
  return appointment;
}
