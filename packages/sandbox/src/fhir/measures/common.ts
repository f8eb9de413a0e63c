/**
 * What every measures interaction shares (MES « API Mesures de santé » v1.5.2, mes-interop §3): MES's
 * texts, an Observation as it is stored, which measure it is, which service filed it, and who may
 * read it.
 */
import {
  measureFinality,
  measureKindOf,
  type Coding,
  type FhirResource,
  type MeasureKind,
  type MeasureType,
} from '@mes-kit/core';

export type { Coding };
import type { SandboxConfig, ServiceDefinition } from '../../config.js';
import type { Caller } from '../auth.js';
import { FhirError, MES_TEXTS } from '../outcome.js';
import { oidOf, ownerOid } from '../oids.js';

/** MES's refusals of a measure, verbatim (mes-interop §3.3, §3.4; the page size's is `parseCount`'s). */
export const MEASURE_TEXTS = {
  oneObservation: 'Bundle must contains one observation creation (POST)',
  deviceReferenceMandatory: 'Observation.device.reference is mandatory.',
  notLinked: 'Observation and device not linked by id (Observation.device.reference <-> Device.id)',
  observationProfileMandatory: 'Observation must provide meta.profile value.',
  deviceProfileMandatory: 'Device must provide meta.profile value.',
  foreignSource: (oid: string) =>
    `Solution oid contains in Observation.meta.source don't belong to root editor oid (${oid}).`,
  valueMissing: 'Observation value quantity not provided.',
  bmi: 'Bmi observation cannot be created.',
  subjectMandatory: 'Observation.subject.identifier is mandatory.',
  momentMandatory: 'Observation.extension.moment is mandatory.',
  momentForbidden: 'Observation.extension.moment cannot be added.',
  daysMandatory: 'Observation.extension.numberOfDays is mandatory.',
  daysForbidden: 'Observation.extension.numberOfDays cannot be added.',
  lastMode: 'Sort parameter must be equals to -date (date DESC) with _count equals to 1 to retrieve last observation',
  bothModes: 'Paged search and search last cannot be requested concurrently',
  noMode: 'No search mode detected',
} as const;

export interface Quantity {
  value: number;
  unit?: string;
  system: string;
  code: string;
}

/** An Observation as MES stores it: the write rules held, `meta.source` filled, its device MES's own. */
export interface MeasureObservation extends FhirResource {
  id: string;
  meta: { profile: string[]; source: string };
  identifier?: { system?: string; value?: string }[];
  code: { coding: Coding[] };
  effectiveDateTime: string;
  valueQuantity?: Quantity;
  component?: { code: { coding: Coding[] }; valueQuantity: Quantity }[];
  device: { reference: string };
}

/** A PhdDevice as it is read: what the patient calls it, else its maker and model. */
export interface MeasureDevice extends FhirResource {
  id: string;
  manufacturer?: string;
  modelNumber?: string;
  deviceName?: { name?: string }[];
}

/** The measure one of these codings designates (a stored Observation has exactly one). */
export function kindOf(codings: readonly Coding[]): MeasureKind | undefined {
  return codings.map(measureKindOf).find((kind) => kind !== undefined);
}

export const deviceIdOf = (observation: MeasureObservation) => observation.device.reference.replace(/^Device\//, '');

export function deviceName(device: MeasureDevice): string | undefined {
  const named = device.deviceName?.find((name) => name.name?.trim())?.name?.trim();
  return named ?? ([device.manufacturer, device.modelNumber].filter(Boolean).join(' ') || undefined);
}

/** The registered service that filed a measure: the most specific one whose OID its `meta.source` lies under. */
export function serviceOfSource(config: SandboxConfig, source: string | undefined): ServiceDefinition | undefined {
  const oid = source === undefined ? undefined : oidOf(source);
  const owner =
    oid &&
    ownerOid(
      oid,
      config.services.map((service) => service.oid),
    );
  return owner ? config.services.find((service) => service.oid === owner) : undefined;
}

/**
 * Which stored measures of these types the caller may read: all of them with `MESURE_<TYPE>_LECTURE`;
 * with `MESURE_<TYPE>_ECRITURE` alone, those it filed itself. The latter is an emulation choice, as
 * for the agenda: it lets a service check what it already sent before it sends again.
 */
export function readableBy(
  caller: Caller,
  types: readonly MeasureType[],
  config: SandboxConfig,
): (observation: MeasureObservation) => boolean {
  const grants = (type: MeasureType, direction: 'LECTURE' | 'ECRITURE') =>
    caller.finalities.has(measureFinality(type, direction));
  if (types.every((type) => grants(type, 'LECTURE'))) return () => true;
  if (types.every((type) => grants(type, 'LECTURE') || grants(type, 'ECRITURE'))) {
    return (observation) => serviceOfSource(config, observation.meta.source)?.clientId === caller.service.clientId;
  }
  throw new FhirError(403, 'forbidden', MES_TEXTS.consentNotGiven);
}
