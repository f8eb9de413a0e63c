/**
 * Whose a resource is: MES matches the patient a resource names to the caller's persona by idPe,
 * or by the test INS, whatever the resource (document, measure, appointment).
 */
import { IDPE_SYSTEM, INS_NIR_TEST_SYSTEM, type FhirResource, type Reference } from '@mes-kit/core';
import { personaByIdentifier, sameSystem } from '../personas.js';
import { idPeMismatch, type Caller } from './auth.js';
import { invalid } from './outcome.js';
import { parseToken, searchError } from './search.js';

type Identifier = { system?: string; value?: string };

/**
 * The identifiers of a contained Patient, which no schema has checked yet: 422 naming the first
 * that is not an Identifier of strings.
 */
function containedIdentifiers(own: unknown, at: string): Identifier[] {
  if (own === undefined) return [];
  if (!Array.isArray(own)) throw invalid(at, `${at} must be an array of Identifier.`);
  return own.map((identifier: unknown, j) => {
    if (typeof identifier !== 'object' || identifier === null || Array.isArray(identifier)) {
      throw invalid(`${at}[${j}]`, `${at}[${j}] must be an Identifier.`);
    }
    for (const key of ['system', 'value'] as const) {
      const value = (identifier as Record<string, unknown>)[key];
      if (value !== undefined && typeof value !== 'string') {
        throw invalid(`${at}[${j}].${key}`, `${at}[${j}].${key} must be of type string.`);
      }
    }
    return identifier;
  });
}

/**
 * Every persona a patient reference designates, through its identifier, a literal `Patient/<idPe>`,
 * or the identifiers of a contained Patient (`containedAt` names the resource's `contained`). More
 * than one, or none, cannot be the caller alone.
 */
function personasOf(
  reference: Reference,
  contained: FhirResource[] | undefined,
  containedAt: string,
): Set<string | undefined> {
  const identifiers: Identifier[] = [];
  if (reference.identifier) identifiers.push(reference.identifier);
  const target = reference.reference;
  if (target?.startsWith('Patient/')) identifiers.push({ system: IDPE_SYSTEM, value: target.slice('Patient/'.length) });
  if (target?.startsWith('#')) {
    const k = contained?.findIndex((r) => r.resourceType === 'Patient' && r.id === target.slice(1)) ?? -1;
    if (k < 0) return new Set([undefined]);
    identifiers.push(...containedIdentifiers(contained![k]['identifier'], `${containedAt}[${k}].identifier`));
  }
  // Identifiers of systems MES does not match on (a local MRN…) say nothing either way.
  const known = identifiers
    .map((identifier) => ({ identifier, persona: personaByIdentifier(identifier) }))
    .filter(({ identifier, persona }) => persona !== undefined || isPatientSystem(identifier.system));
  return new Set(known.length === 0 ? [undefined] : known.map(({ persona }) => persona?.key));
}

/** The idPe's system, or the test INS's: what identifies a patient to MES. */
export const isPatientSystem = (system: string | undefined) =>
  sameSystem(system, IDPE_SYSTEM) || sameSystem(system, INS_NIR_TEST_SYSTEM);

/** Whether the reference names this persona and no one else. */
export function designatesOnly(
  reference: Reference,
  contained: FhirResource[] | undefined,
  containedAt: string,
  persona: string,
): boolean {
  const personas = personasOf(reference, contained, containedAt);
  return personas.size === 1 && personas.has(persona);
}

/**
 * The patient a search names by `<system>|<value>` in `parameter` is the caller (403 idPe
 * otherwise); without one, `missing` says what the search requires (400).
 */
export function requireSearchedPatient(
  params: URLSearchParams,
  parameter: string,
  caller: Caller,
  missing: string,
): void {
  const searched = params.get(parameter);
  if (!searched) throw searchError(parameter, missing);
  const { system, code } = parseToken(searched);
  if (personaByIdentifier({ system, value: code })?.key !== caller.persona.key) throw idPeMismatch(parameter);
}
