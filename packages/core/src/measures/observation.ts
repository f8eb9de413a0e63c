/**
 * One reading as MES's « bundle d'alimentation »: a transaction with exactly one Observation and its
 * PhdDevice, created only if MES does not know it yet (mes-interop §3.3).
 */
import { IDPE_SYSTEM, MESURES_PROFILE, OBSERVATION_CATEGORY, UCUM } from '../fhir/systems.js';
import {
  BLOOD_PRESSURE_COMPONENTS,
  CONTINUA_DEVICE_IDENTIFIERS,
  DEVICE_KINDS,
  GLUCOSE_DAYS,
  GLUCOSE_MOMENTS,
  MDC_SYSTEM,
  MEASURES,
  MEASURE_EXTENSIONS,
  PHD_DEVICE_PROFILE,
  PHD_TYPE,
} from './kinds.js';
import type { CheckedReading } from './series.js';

const MEASURE_BUNDLE_PROFILE = `${MESURES_PROFILE}/mesures-bundle-flux-alimentation`;

/** How MES tells this service's readings apart: its OID as the system, the reading's id as the value. */
export const measureSystemOf = (service: { oid: string }) => `urn:oid:${service.oid}`;

function quantity(value: number, unit: { code: string; display: string }) {
  return { value, unit: unit.display, system: UCUM, code: unit.code };
}

function deviceResource(reading: CheckedReading, id: string): Record<string, unknown> {
  const { device } = reading;
  return {
    resourceType: 'Device',
    id,
    meta: { profile: [PHD_DEVICE_PROFILE] },
    identifier: [
      {
        type: { coding: [{ system: CONTINUA_DEVICE_IDENTIFIERS, code: 'SYSID' }] },
        system: device.system,
        value: device.serial,
      },
    ],
    ...(device.manufacturer && { manufacturer: device.manufacturer }),
    ...(device.model && { modelNumber: device.model }),
    ...(device.name && { deviceName: [{ name: device.name, type: 'patient-reported-name' }] }),
    type: { coding: [{ system: MDC_SYSTEM, code: PHD_TYPE }] },
    specialization: [{ systemType: { coding: [{ system: MDC_SYSTEM, code: DEVICE_KINDS[device.kind] }] } }],
  };
}

function extensionsOf(reading: CheckedReading): Record<string, unknown>[] {
  const extensions: Record<string, unknown>[] = [];
  if (reading.reason) extensions.push({ url: MEASURE_EXTENSIONS.reason, valueString: reading.reason });
  if (reading.moment) {
    extensions.push({
      url: MEASURE_EXTENSIONS.moment,
      valueCodeableConcept: { coding: [GLUCOSE_MOMENTS[reading.moment]] },
    });
  }
  if (reading.days !== undefined) {
    extensions.push({ url: MEASURE_EXTENSIONS.days, valueCodeableConcept: { coding: [GLUCOSE_DAYS[reading.days]] } });
  }
  if (reading.original) {
    const { value, unit: original } = reading.original;
    extensions.push({
      url: MEASURE_EXTENSIONS.originalData,
      extension: [{ url: 'original-value', valueQuantity: { value, unit: original, system: UCUM, code: original } }],
    });
  }
  return extensions;
}

/** The Observation MES files for a reading, naming the patient by idPe and its device by the bundle's id. */
export function observationResource(
  reading: CheckedReading,
  context: { service: { oid: string }; idPe: string; id: string; deviceId: string },
): Record<string, unknown> {
  const definition = MEASURES[reading.kind];
  const extension = extensionsOf(reading);
  const measured =
    reading.kind === 'blood-pressure'
      ? {
          component: (['systolic', 'diastolic'] as const).map((part) => ({
            code: { coding: [BLOOD_PRESSURE_COMPONENTS[part]] },
            valueQuantity: quantity(reading[part]!, definition.unit),
          })),
        }
      : { valueQuantity: quantity(reading.value!, definition.unit) };
  return {
    resourceType: 'Observation',
    id: context.id,
    meta: {
      profile: [`${MESURES_PROFILE}/${definition.profile.ans}`],
      source: `urn:oid:${context.service.oid}`,
    },
    ...(extension.length > 0 && { extension }),
    identifier: [{ system: measureSystemOf(context.service), value: reading.id }],
    status: 'final',
    category: [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'vital-signs', display: 'Signes vitaux' }] }],
    code: { coding: [definition.code] },
    subject: { identifier: { system: IDPE_SYSTEM, value: context.idPe } },
    effectiveDateTime: reading.at,
    ...measured,
    device: { reference: `Device/${context.deviceId}` },
  };
}

/** The transaction for one reading: its device if MES lacks it, and the Observation. */
export function measureBundle(
  reading: CheckedReading,
  service: { oid: string },
  idPe: string,
): Record<string, unknown> {
  const id = crypto.randomUUID();
  const deviceId = crypto.randomUUID();
  const { device } = reading;
  return {
    resourceType: 'Bundle',
    meta: { profile: [MEASURE_BUNDLE_PROFILE] },
    type: 'transaction',
    entry: [
      {
        fullUrl: `urn:uuid:${deviceId}`,
        resource: deviceResource(reading, deviceId),
        request: {
          method: 'POST',
          url: 'Device',
          ifNoneExist: `identifier=${device.system}|${device.serial}`,
        },
      },
      {
        fullUrl: `urn:uuid:${id}`,
        resource: observationResource(reading, { service, idPe, id, deviceId }),
        request: { method: 'POST', url: 'Observation' },
      },
    ],
  };
}
