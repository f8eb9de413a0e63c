/**
 * A measures « bundle d'alimentation » as MES checks it (mes-interop §3.3), always in this order: its
 * shape (one Observation, at most one Device), the patient, which measure it is (a BMI is refused),
 * the service's finalité for that measure, then the content of the Observation and of the Device.
 * MES's own text wherever MES has one.
 */
import * as z from 'zod/mini';
import {
  BLOOD_PRESSURE_COMPONENTS,
  BMI,
  CodeableConceptSchema,
  DEVICE_CONDITION,
  DateTimeSchema,
  GLUCOSE_DAYS,
  GLUCOSE_MOMENTS,
  IdentifierSchema,
  MEASURES,
  MEASURE_EXTENSIONS,
  MEASURE_KINDS,
  OBSERVATION_CATEGORY,
  PHD_DEVICE_PROFILE,
  ReferenceSchema,
  ResourceSchema,
  UCUM,
  measureFinality,
  measureKindOf,
  profileUrls,
  type MeasureKind,
  type TransactionEntry,
} from '@mes-kit/core';
import { idPeMismatch, requireFinality, type Caller } from '../auth.js';
import type { FhirContext } from '../context.js';
import { FhirError, invalid } from '../outcome.js';
import { designatesOnly } from '../patient.js';
import { parseOr422 } from '../validation.js';
import { MEASURE_TEXTS, serviceOfSource, type Coding } from './common.js';

const OBSERVATION_STATUSES = [
  'registered',
  'preliminary',
  'final',
  'amended',
  'corrected',
  'cancelled',
  'entered-in-error',
  'unknown',
] as const;

const QuantitySchema = z.looseObject({
  value: z.optional(z.number()),
  unit: z.optional(z.string()),
  system: z.optional(z.string()),
  code: z.optional(z.string()),
});
/** The elements the rules read, each of the right type when present; whether present is the rules' to say. */
const ObservationSchema = z.looseObject({
  resourceType: z.literal('Observation'),
  meta: z.optional(z.looseObject({ profile: z.optional(z.array(z.string())), source: z.optional(z.string()) })),
  contained: z.optional(z.array(ResourceSchema)),
  extension: z.optional(
    z.array(z.looseObject({ url: z.string(), valueCodeableConcept: z.optional(CodeableConceptSchema) })),
  ),
  status: z.enum(OBSERVATION_STATUSES),
  category: z.optional(z.array(CodeableConceptSchema)),
  code: CodeableConceptSchema,
  subject: z.optional(ReferenceSchema),
  effectiveDateTime: z.optional(z.string()),
  valueQuantity: z.optional(QuantitySchema),
  component: z.optional(
    z.array(z.looseObject({ code: CodeableConceptSchema, valueQuantity: z.optional(QuantitySchema) })),
  ),
  device: z.optional(ReferenceSchema),
});
/** What the patient page and searches read of a device: a name as FHIR shapes it, short strings. */
const DeviceText = z.string().check(z.maxLength(200));
const DeviceSchema = z.looseObject({
  resourceType: z.literal('Device'),
  id: z.optional(z.string()),
  meta: z.optional(z.looseObject({ profile: z.optional(z.array(z.string())) })),
  identifier: z.optional(z.array(IdentifierSchema)),
  manufacturer: z.optional(DeviceText),
  modelNumber: z.optional(DeviceText),
  deviceName: z.optional(z.array(z.looseObject({ name: DeviceText, type: z.string() })).check(z.maxLength(10))),
});

export type ObservationToFile = z.infer<typeof ObservationSchema>;
type Quantity = z.infer<typeof QuantitySchema>;

/** The Device entry of a bundle, and the identifier by which MES knows the device again. */
export interface DeviceToFile {
  index: number;
  resource: z.infer<typeof DeviceSchema>;
  identifier: { system: string; value: string };
}

/** A bundle that passed every rule: what to file, and where. */
export interface MeasureSubmission {
  kind: MeasureKind;
  observation: { index: number; resource: ObservationToFile };
  device?: DeviceToFile;
  /** With no Device in the bundle: the id of the patient's stored Device that the Observation names. */
  storedDeviceId?: string;
}

const required = (expression: string, diagnostics: string) =>
  new FhirError(422, 'required', diagnostics, { expression });

const sameCoding = (a: Coding, b: Coding) => a.system === b.system && a.code === b.code;

/** The entries of one resource type, each checked to be a POST to that type's own URL. */
function entriesOf(entries: TransactionEntry[], resourceType: string): number[] {
  const found = entries.flatMap((entry, i) => (entry.resource.resourceType === resourceType ? [i] : []));
  for (const i of found) {
    const { url } = entries[i].request;
    if (url !== resourceType) {
      throw invalid(`Bundle.entry[${i}].request.url`, `Bundle.entry[${i}].request.url must be ${resourceType}.`);
    }
  }
  return found;
}

/** Which measure the Observation is; a BMI, by its code or its profile, MES computes and refuses. */
function measureOf(observation: ObservationToFile): MeasureKind {
  const codings = observation.code.coding ?? [];
  const bmiProfiles = profileUrls(BMI.profile);
  if (
    codings.some((coding) => sameCoding(coding, BMI.code)) ||
    (observation.meta?.profile ?? []).some((profile) => bmiProfiles.includes(profile))
  ) {
    throw new FhirError(422, 'not-supported', MEASURE_TEXTS.bmi, { expression: 'Observation.code' });
  }
  const kinds = new Set(codings.map(measureKindOf).filter((kind) => kind !== undefined));
  const [kind] = kinds;
  if (kinds.size !== 1 || kind === undefined) {
    const codes = MEASURE_KINDS.map((k) => MEASURES[k].code.code).join(', ');
    throw invalid(
      'Observation.code',
      `Observation.code must be the code of one measure Mon espace santé takes: ${codes}.`,
    );
  }
  return kind;
}

function checkProfileAndSource(observation: ObservationToFile, kind: MeasureKind, caller: Caller, ctx: FhirContext) {
  const profiles = observation.meta?.profile ?? [];
  if (profiles.length === 0) throw required('Observation.meta.profile', MEASURE_TEXTS.observationProfileMandatory);
  const accepted = profileUrls(MEASURES[kind].profile);
  if (!profiles.some((profile) => accepted.includes(profile))) {
    throw invalid(
      'Observation.meta.profile',
      `Observation.meta.profile must include one of ${accepted.join(', ')} for ${MEASURES[kind].code.code}.`,
    );
  }
  const source = observation.meta?.source;
  if (source !== undefined && serviceOfSource(ctx.config, source)?.clientId !== caller.service.clientId) {
    throw new FhirError(422, 'invalid', MEASURE_TEXTS.foreignSource(caller.service.oid), {
      expression: 'Observation.meta.source',
    });
  }
}

function checkCategoryAndDate(observation: ObservationToFile): void {
  const vitalSigns = { system: OBSERVATION_CATEGORY, code: 'vital-signs' };
  if (!observation.category?.some((category) => category.coding?.some((c) => sameCoding(c, vitalSigns)))) {
    throw invalid('Observation.category', `Observation.category must include ${OBSERVATION_CATEGORY}#vital-signs.`);
  }
  for (const key of Object.keys(observation)) {
    if (/^effective[A-Z]/.test(key) && key !== 'effectiveDateTime') {
      throw invalid(`Observation.${key}`, `Observation.${key} is not taken: a measure is dated by effectiveDateTime.`);
    }
  }
  const at = observation.effectiveDateTime;
  if (at === undefined) {
    throw required('Observation.effectiveDateTime', 'Observation.effectiveDateTime is required: when it was measured.');
  }
  if (!DateTimeSchema.safeParse(at).success || Number.isNaN(Date.parse(at))) {
    throw invalid(
      'Observation.effectiveDateTime',
      'Observation.effectiveDateTime must be a FHIR dateTime, such as 2026-11-12T08:15:00+01:00.',
    );
  }
}

function checkQuantity(quantity: Quantity | undefined, at: string, kind: MeasureKind): void {
  if (quantity?.value === undefined) throw required(at, MEASURE_TEXTS.valueMissing);
  const { unit, code } = MEASURES[kind];
  if (quantity.system !== UCUM) throw invalid(`${at}.system`, `${at}.system must be ${UCUM}.`);
  if (quantity.code !== unit.code) {
    throw invalid(`${at}.code`, `${at}.code must be ${unit.code} (UCUM) for ${code.display} (${code.code}).`);
  }
}

/** A value in the measure's unit; a blood pressure's two, in `component` and nowhere else. */
function checkValue(observation: ObservationToFile, kind: MeasureKind): void {
  const values = Object.keys(observation).filter((key) => /^value[A-Z]/.test(key));
  if (kind !== 'blood-pressure') {
    const other = values.find((key) => key !== 'valueQuantity');
    if (other)
      throw invalid(`Observation.${other}`, `Observation.${other} is not taken: a measure is a valueQuantity.`);
    if (observation.component !== undefined)
      throw invalid('Observation.component', 'Observation.component is taken for a blood pressure only.');
    return checkQuantity(observation.valueQuantity, 'Observation.valueQuantity', kind);
  }
  if (values.length > 0) {
    throw invalid(
      `Observation.${values[0]}`,
      `Observation.${values[0]} cannot be provided for a blood pressure: its two values are its components.`,
    );
  }
  const components = observation.component ?? [];
  const parts = Object.values(BLOOD_PRESSURE_COMPONENTS);
  const found = parts.map((part) => components.findIndex((c) => c.code.coding?.some((cd) => sameCoding(cd, part))));
  if (components.length !== parts.length || found.some((i) => i < 0) || new Set(found).size !== parts.length) {
    throw invalid(
      'Observation.component',
      `Observation.component must be the systolic (${BLOOD_PRESSURE_COMPONENTS.systolic.code}) and the diastolic ` +
        `(${BLOOD_PRESSURE_COMPONENTS.diastolic.code}) pressures, once each.`,
    );
  }
  components.forEach((component, i) =>
    checkQuantity(component.valueQuantity, `Observation.component[${i}].valueQuantity`, kind),
  );
}

/**
 * Glucose from blood needs the moment it was taken and no number of days; a sensor's figures the
 * days they cover and no moment; HbA1c neither. Each extension once, from its value set.
 */
function checkGlucoseExtensions(observation: ObservationToFile, kind: MeasureKind): void {
  const { type, glucose } = MEASURES[kind];
  if (type !== 'GLYCEMIE') return;
  const extensions = observation.extension ?? [];
  const rules = [
    {
      url: MEASURE_EXTENSIONS.moment,
      wanted: glucose === 'moment',
      valueSet: Object.values(GLUCOSE_MOMENTS),
      mandatory: MEASURE_TEXTS.momentMandatory,
      forbidden: MEASURE_TEXTS.momentForbidden,
    },
    {
      url: MEASURE_EXTENSIONS.days,
      wanted: glucose === 'days',
      valueSet: Object.values(GLUCOSE_DAYS),
      mandatory: MEASURE_TEXTS.daysMandatory,
      forbidden: MEASURE_TEXTS.daysForbidden,
    },
  ];
  for (const rule of rules) {
    const found = extensions.flatMap((extension, i) => (extension.url === rule.url ? [i] : []));
    if (rule.wanted && found.length === 0) throw required('Observation.extension', rule.mandatory);
    if (!rule.wanted && found.length > 0) throw invalid(`Observation.extension[${found[0]}]`, rule.forbidden);
    if (found.length > 1) {
      throw invalid(`Observation.extension[${found[1]}]`, `Observation.extension[${found[1]}] repeats ${rule.url}.`);
    }
    if (found.length === 0) continue;
    const at = `Observation.extension[${found[0]}].valueCodeableConcept`;
    const codings = extensions[found[0]].valueCodeableConcept?.coding ?? [];
    if (!codings.some((coding) => rule.valueSet.some((allowed) => sameCoding(coding, allowed)))) {
      const codes = rule.valueSet.map((allowed) => allowed.code).join(', ');
      throw invalid(at, `${at} must be one of ${codes} (${rule.valueSet[0].system}).`);
    }
  }
}

/** Its profile, and the identifier of its `ifNoneExist`, which MES knows the device again by. */
function checkDevice(entry: TransactionEntry, index: number): DeviceToFile {
  const resource = parseOr422(DeviceSchema, entry.resource, 'Device');
  const profiles = resource.meta?.profile ?? [];
  if (profiles.length === 0) throw required('Device.meta.profile', MEASURE_TEXTS.deviceProfileMandatory);
  if (!profiles.includes(PHD_DEVICE_PROFILE)) {
    throw invalid('Device.meta.profile', `Device.meta.profile must include ${PHD_DEVICE_PROFILE}.`);
  }
  const at = `Bundle.entry[${index}].request.ifNoneExist`;
  const condition = DEVICE_CONDITION.exec(entry.request.ifNoneExist ?? '');
  if (!condition) throw invalid(at, `${at} must be identifier=urn:oid:<OID>|<serial>, the Device's identifier.`);
  const identifier = { system: `urn:oid:${condition[1]}`, value: condition[2] };
  if (!resource.identifier?.some((own) => own.system === identifier.system && own.value === identifier.value)) {
    throw invalid(
      'Device.identifier',
      `Device.identifier must include ${identifier.system}|${identifier.value}, as ${at} says.`,
    );
  }
  return { index, resource, identifier };
}

/**
 * `Device/<id>`, where the id is the bundle's Device's own `id` (not its `urn:uuid` fullUrl); with no
 * Device in the bundle, one MES already holds for the patient. Returns the latter's id.
 */
function checkDeviceLink(
  observation: ObservationToFile,
  device: DeviceToFile | undefined,
  caller: Caller,
  ctx: FhirContext,
): string | undefined {
  const reference = observation.device?.reference;
  if (!reference) throw required('Observation.device.reference', MEASURE_TEXTS.deviceReferenceMandatory);
  const notLinked = () => invalid('Observation.device.reference', MEASURE_TEXTS.notLinked);
  const id = /^Device\/([A-Za-z0-9\-.]{1,64})$/.exec(reference)?.[1];
  if (device) {
    if (id === undefined || id !== device.resource.id) throw notLinked();
    return undefined;
  }
  const stored = id === undefined ? undefined : ctx.store.get('Device', id);
  if (!stored || stored.persona !== caller.persona.key) throw notLinked();
  return stored.id;
}

/** The bundle's entries as one measure to file for the caller's patient, or MES's refusal. */
export function checkMeasureSubmission(
  entries: TransactionEntry[],
  caller: Caller,
  ctx: FhirContext,
): MeasureSubmission {
  const observations = entriesOf(entries, 'Observation');
  const devices = entriesOf(entries, 'Device');
  if (observations.length !== 1) throw invalid('Bundle.entry', MEASURE_TEXTS.oneObservation);
  if (devices.length > 1) {
    throw invalid(`Bundle.entry[${devices[1]}]`, 'A measure Bundle carries at most one Device creation (POST).');
  }
  const [index] = observations;
  const observation = parseOr422(ObservationSchema, entries[index].resource, 'Observation');

  const subject = observation.subject;
  if (!subject?.identifier) throw required('Observation.subject.identifier', MEASURE_TEXTS.subjectMandatory);
  // MES names the patient of a measure by identifier alone: no reference, no contained resource
  // that could name someone else.
  if (subject.reference !== undefined)
    throw invalid('Observation.subject.reference', 'Observation.subject names the patient by identifier only.');
  if (observation.contained !== undefined)
    throw invalid('Observation.contained', 'Observation.contained is not taken in a measure.');
  if (!designatesOnly(subject, undefined, 'Observation.contained', caller.persona.key))
    throw idPeMismatch('Observation.subject');

  const kind = measureOf(observation);
  requireFinality(caller, measureFinality(MEASURES[kind].type, 'ECRITURE'));

  checkProfileAndSource(observation, kind, caller, ctx);
  checkCategoryAndDate(observation);
  checkValue(observation, kind);
  checkGlucoseExtensions(observation, kind);
  const device = devices.length === 1 ? checkDevice(entries[devices[0]], devices[0]) : undefined;
  const storedDeviceId = checkDeviceLink(observation, device, caller, ctx);
  return { kind, observation: { index, resource: observation }, device, storedDeviceId };
}
