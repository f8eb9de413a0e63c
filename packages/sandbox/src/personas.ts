import { IDPE_SYSTEM, INS_NIR_TEST_SYSTEM } from '@mes-kit/core';

/** A sandbox patient. MES shows a service the idPe only; the test INS is for DMP-style documents. */
export interface Persona {
  key: string;
  given: string;
  family: string;
  idPe: string;
  ins: string;
  birthDate: string;
  gender: 'female' | 'male';
  summary: string;
}

export const PERSONAS: readonly Persona[] = [
  {
    key: 'camille',
    given: 'Camille',
    family: 'Martin',
    idPe: 'patient-externe-id-2',
    ins: '279035121518989',
    birthDate: '1979-03-05',
    gender: 'female',
    summary: 'Adulte\u00a0: documents, rendez-vous, poids et tension',
  },
  {
    key: 'nadia',
    given: 'Nadia',
    family: 'Haddad',
    idPe: 'patient-externe-id-3',
    ins: '288077505612320',
    birthDate: '1988-07-14',
    gender: 'female',
    summary: 'Diabète de type 1\u00a0: capteur de glucose en continu',
  },
  {
    key: 'louis',
    given: 'Louis',
    family: 'Martin',
    idPe: 'patient-externe-id-4',
    ins: '109026912304554',
    birthDate: '2009-02-21',
    gender: 'male',
    summary: 'Mineur (17 ans)\u00a0: quelques documents',
  },
  {
    key: 'elise',
    given: 'Élise',
    family: 'Petit',
    idPe: 'patient-externe-id-5',
    ins: '295013306301828',
    birthDate: '1995-01-30',
    gender: 'female',
    summary: 'Nouveau compte, aucune donnée',
  },
];

export function personaByKey(key: string): Persona | undefined {
  return PERSONAS.find((p) => p.key === key);
}

export function personaByIdPe(idPe: string): Persona | undefined {
  return PERSONAS.find((p) => p.idPe === idPe);
}

/** Accepts `system` with or without its `urn:oid:` prefix, as FHIR token searches are written both ways. */
/** Whether two identifier systems are the same, with or without the `urn:oid:` prefix. */
export function sameSystem(a: string | undefined, b: string): boolean {
  if (typeof a !== 'string' || !a) return false;
  const bare = (s: string) => s.replace(/^urn:oid:/, '');
  return bare(a) === bare(b);
}

/** The persona an identifier designates: by idPe under MES's AssignAuth, or by test INS. */
export function personaByIdentifier(identifier: { system?: string; value?: string }): Persona | undefined {
  const { system, value } = identifier;
  if (sameSystem(system, IDPE_SYSTEM)) return PERSONAS.find((p) => p.idPe === value);
  if (sameSystem(system, INS_NIR_TEST_SYSTEM)) return PERSONAS.find((p) => p.ins === value);
  return undefined;
}
