/**
 * Every health measure MES takes, as its « API Mesures de santé » v1.5.2 and the ANS « Mesures de
 * santé » guide define it (mes-interop §3.2): code, UCUM unit, profiles, finalité. One table that the
 * client builds from and the sandbox checks against, so that the two can never disagree.
 */
import { LOINC, MESURES_PROFILE, TAASIP_SYSTEM } from '../fhir/systems.js';
import { measureFinality, type Finality, type MeasureType } from '../finalities.js';

/** What a host sends, by the name a developer would look for. */
export const MEASURE_KINDS = [
  'weight',
  'height',
  'heart-rate',
  'blood-pressure',
  'temperature',
  'waist-circumference',
  'blood-glucose',
  'hba1c',
  'interstitial-glucose',
  'glucose-management-index',
  'steps',
  'pain',
  'head-circumference',
] as const;
export type MeasureKind = (typeof MEASURE_KINDS)[number];

/** The profile's name in each of the three generations MES accepts (mes-interop §3.1). */
export interface ProfileNames {
  /** ANS IG 3.x, under `MESURES_PROFILE`: what the kit sends. */
  ans: string;
  /** MES's own, under `MES_MEASURE_PROFILE`. */
  mes: string;
  /** CI-SIS `ans.cisis.fhir.r4` 2.0.0, under `CISIS_PROFILE` (what the MES spec's examples still send). */
  cisis: string;
}

export interface MeasureDefinition {
  /** The finalité that lets a service write (`_ECRITURE`) or read (`_LECTURE`) it. */
  type: MeasureType;
  code: { system: string; code: string; display: string };
  /** The UCUM code MES stores, and how people read it (« mmHg », not « mm[Hg] »). */
  unit: { code: string; display: string };
  profile: ProfileNames;
  /** Glucose taken from blood needs its moment (à jeun…); sensor figures need the days they cover. */
  glucose?: 'moment' | 'days';
}

const CISIS_PROFILE = 'http://esante.gouv.fr/ci-sis/fhir/StructureDefinition';
const MES_MEASURE_PROFILE = 'https://fhir.monespacesante.fr/ref/mesure/StructureDefinition';

const loinc = (code: string, display: string) => ({ system: LOINC, code, display });
const GLUCOSE_PROFILE: ProfileNames = {
  ans: 'mesures-observation-glucose',
  mes: 'mes-observation-glucose',
  cisis: 'ENS_ObservationGlucose',
};

export const MEASURES: Record<MeasureKind, MeasureDefinition> = {
  weight: {
    type: 'POIDS',
    code: loinc('29463-7', 'Poids corporel'),
    unit: { code: 'kg', display: 'kg' },
    profile: {
      ans: 'mesures-fr-observation-body-weight',
      mes: 'mes-observation-bodyweight',
      cisis: 'ENS_FrObservationBodyWeight',
    },
  },
  height: {
    type: 'TAILLE',
    code: loinc('8302-2', 'Taille'),
    unit: { code: 'cm', display: 'cm' },
    profile: {
      ans: 'mesures-fr-observation-bodyheight',
      mes: 'mes-observation-bodyheight',
      cisis: 'ENS_FrObservationBodyHeight',
    },
  },
  'heart-rate': {
    type: 'FREQUENCE_CARDIAQUE',
    code: loinc('8867-4', 'Fréquence cardiaque'),
    unit: { code: '/min', display: 'battements/min' },
    profile: {
      ans: 'mesures-fr-observation-heartrate',
      mes: 'mes-observation-heartrate',
      cisis: 'ENS_FrObservationHeartrate',
    },
  },
  'blood-pressure': {
    type: 'TENSION',
    code: loinc('85354-9', 'Pression artérielle'),
    unit: { code: 'mm[Hg]', display: 'mmHg' },
    profile: { ans: 'mesures-fr-observation-bp', mes: 'mes-observation-bp', cisis: 'ENS_FrObservationBp' },
  },
  temperature: {
    type: 'TEMPERATURE',
    code: loinc('8310-5', 'Température corporelle'),
    unit: { code: 'Cel', display: '°C' },
    profile: {
      ans: 'mesures-fr-observation-body-temperature',
      mes: 'mes-observation-bodytemperature',
      cisis: 'ENS_FrObservationBodyTemperature',
    },
  },
  'waist-circumference': {
    type: 'TOUR_DE_TAILLE',
    code: loinc('8280-0', 'Tour de taille'),
    unit: { code: 'cm', display: 'cm' },
    profile: {
      ans: 'mesures-observation-waist-circumference',
      mes: 'mes-observation-waistcircumference',
      cisis: 'ENS_ObservationWaistCircumference',
    },
  },
  'blood-glucose': {
    type: 'GLYCEMIE',
    code: loinc('2345-7', 'Glucose sanguin'),
    unit: { code: 'mg/dL', display: 'mg/dL' },
    profile: GLUCOSE_PROFILE,
    glucose: 'moment',
  },
  hba1c: {
    type: 'GLYCEMIE',
    code: loinc('4548-4', 'Hémoglobine glyquée (HbA1c)'),
    unit: { code: '%', display: '%' },
    profile: GLUCOSE_PROFILE,
  },
  'interstitial-glucose': {
    type: 'GLYCEMIE',
    code: { system: TAASIP_SYSTEM, code: 'MED-969', display: 'Glucose interstitiel' },
    unit: { code: 'mg/dL', display: 'mg/dL' },
    profile: GLUCOSE_PROFILE,
    glucose: 'days',
  },
  'glucose-management-index': {
    type: 'GLYCEMIE',
    code: { system: TAASIP_SYSTEM, code: 'MED-972', display: 'Index de gestion de glycémie (IGG)' },
    unit: { code: '%', display: '%' },
    profile: GLUCOSE_PROFILE,
    glucose: 'days',
  },
  steps: {
    type: 'PAS',
    code: loinc('41950-7', 'Nombre de pas par jour'),
    unit: { code: '1/(24.h)', display: 'pas/jour' },
    profile: {
      ans: 'mesures-observation-steps-by-day',
      mes: 'mes-observation-stepsbyday',
      cisis: 'ENS_ObservationStepsByDay',
    },
  },
  pain: {
    type: 'DOULEUR',
    code: loinc('72514-3', 'Intensité de la douleur'),
    unit: { code: '1', display: '/10' },
    profile: {
      ans: 'mesures-observation-pain-severity',
      mes: 'mes-observation-painseverity',
      cisis: 'ENS_ObservationPainSeverity',
    },
  },
  'head-circumference': {
    type: 'PERIMETRE_CRANIEN',
    code: loinc('8287-5', 'Périmètre crânien'),
    unit: { code: 'cm', display: 'cm' },
    profile: {
      ans: 'mesures-observation-head-circumference',
      mes: 'mes-observation-headcircumference',
      cisis: 'ENS_ObservationHeadCircumference',
    },
  },
};

/** The blood-pressure components, each in mm[Hg]; `valueQuantity` is forbidden on the whole. */
export const BLOOD_PRESSURE_COMPONENTS = {
  systolic: loinc('8480-6', 'Pression artérielle systolique'),
  diastolic: loinc('8462-4', 'Pression artérielle diastolique'),
} as const;

/** MES computes the BMI itself and refuses to be sent one. */
export const BMI = {
  code: loinc('39156-5', 'Indice de masse corporelle'),
  profile: { ans: 'mesures-fr-observation-bmi', mes: 'mes-observation-bmi', cisis: 'ENS_FrObservationBmi' },
} as const satisfies { code: unknown; profile: ProfileNames };

/** The profile URLs of a measure, in the three generations. */
export function profileUrls(names: ProfileNames): string[] {
  return [`${MESURES_PROFILE}/${names.ans}`, `${MES_MEASURE_PROFILE}/${names.mes}`, `${CISIS_PROFILE}/${names.cisis}`];
}

/** The measure a code stands for, by its system and code. */
export function measureKindOf(coding: { system?: string; code?: string }): MeasureKind | undefined {
  return MEASURE_KINDS.find((kind) => {
    const { code } = MEASURES[kind];
    return code.system === coding.system && code.code === coding.code;
  });
}

/** What sending readings of these measures needs the patient to grant: one `_ECRITURE` per measure type. */
export function writeFinalitiesOf(kinds: Iterable<MeasureKind>): Finality[] {
  const types = new Set([...kinds].map((kind) => MEASURES[kind].type));
  return [...types].map((type) => measureFinality(type, 'ECRITURE'));
}

/** The codes MES searches Observations by (mes-interop §3.2). */
export const MEASURE_SEARCH_CODES = [...MEASURE_KINDS.map((kind) => MEASURES[kind].code.code), BMI.code.code];

const MOMENT_LOINC = 'https://mos.esante.gouv.fr/NOS/TRE_A04-Loinc/FHIR/TRE-A04-Loinc';
const CISP2 = 'https://mos.esante.gouv.fr/NOS/TRE_R313-CISP2/FHIR/TRE-R313-CISP2';

/** When blood glucose was taken: JDV_J157-MomentGlucose. */
export const GLUCOSE_MOMENTS = {
  fasting: { system: MOMENT_LOINC, code: '53049-3', display: 'Glucose à jeun' },
  'before-meal': { system: MOMENT_LOINC, code: '88365-2', display: 'Avant repas' },
  'after-meal': { system: MOMENT_LOINC, code: '16915-1', display: 'Glucose post prandial' },
  'after-exercise': { system: MOMENT_LOINC, code: 'LA11865-5', display: 'Après exercice' },
  unwell: { system: CISP2, code: 'A05', display: "Lors d'un malaise" },
  other: { system: MOMENT_LOINC, code: 'LA46-8', display: 'Autre' },
} as const;
export type GlucoseMoment = keyof typeof GLUCOSE_MOMENTS;

/** The days a sensor's figures cover: JDV_J164-GlucoseNumberOfDays. */
export const GLUCOSE_DAYS = {
  7: { system: TAASIP_SYSTEM, code: 'GEN-275', display: '7j' },
  14: { system: TAASIP_SYSTEM, code: 'GEN-276', display: '14j' },
  30: { system: TAASIP_SYSTEM, code: 'GEN-277', display: '30j' },
  90: { system: TAASIP_SYSTEM, code: 'GEN-278', display: '90j' },
  other: { system: TAASIP_SYSTEM, code: 'GEN-092', display: 'Autre' },
} as const;
export type GlucoseDays = keyof typeof GLUCOSE_DAYS;

export const MEASURE_EXTENSIONS = {
  reason: `${MESURES_PROFILE}/mesures-reason-for-measurement`,
  moment: `${MESURES_PROFILE}/mesures-moment-of-measurement`,
  days: `${MESURES_PROFILE}/mesures-number-of-days`,
  originalData: `${MESURES_PROFILE}/mesures-original-data`,
} as const;

/** HL7 PHD: what a connected device is to MES (mes-interop §3.3). */
export const PHD_DEVICE_PROFILE = 'http://hl7.org/fhir/uv/phd/StructureDefinition/PhdDevice';
export const CONTINUA_DEVICE_IDENTIFIERS = 'http://hl7.org/fhir/uv/phd/CodeSystem/ContinuaDeviceIdentifiers';
export const MDC_SYSTEM = 'urn:iso:std:iso:11073:10101';
/** `Device.type`, always: a personal health device. */
export const PHD_TYPE = '65573';
/** The IEEE EUI-64 system identifier (`SYSID`) that a device's serial is given under by default. */
export const EUI64_SYSTEM = 'urn:oid:1.2.840.10004.1.1.1.0.0.1.0.0.1.2680';

/** `Device.specialization.systemType` (MDC partition 8): what the device is. */
export const DEVICE_KINDS = {
  'weight-scale': '528399',
  'blood-pressure-monitor': '528391',
  thermometer: '528392',
  'glucose-meter': '528401',
  'continuous-glucose-monitor': '528409',
  'pulse-oximeter': '528388',
  'activity-monitor': '528455',
  'body-composition-analyzer': '528404',
  generic: '528457',
} as const;
export type DeviceKind = keyof typeof DEVICE_KINDS;

/** MES's `ifNoneExist` for a device: `identifier=urn:oid:<OID>|<id>` (mes-interop §3.3). */
export const DEVICE_CONDITION = /^identifier=urn:oid:([0-9]+(?:\.[0-9]+)+)\|([a-zA-Z0-9]+(?:-[a-zA-Z0-9]+)*)$/;
