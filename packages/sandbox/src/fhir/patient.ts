/**
 * Whose a resource is: MES matches the patient a resource names to the caller's persona by idPe,
 * or by the test INS, whatever the resource (document, measure, appointment).
 */
import { IDPE_SYSTEM, INS_NIR_TEST_SYSTEM, type FhirResource, type Reference } from '@mes-kit/core';
import { personaByIdentifier, sameSystem } from '../personas.js';
import { idPeMismatch, type Caller } from './auth.js';
import { parseToken, searchError } from './search.js';

/**
 * Every persona a patient reference designates, through its identifier, a literal `Patient/<idPe>`,
 * or the identifiers of a contained Patient. More than one, or none, cannot be the caller alone.
 */
function personasOf(reference: Reference, contained: FhirResource[] | undefined): Set<string | undefined> {
  const identifiers: { system?: string; value?: string }[] = [];
  if (reference.identifier) identifiers.push(reference.identifier);
  const target = reference.reference;
  if (target?.startsWith('Patient/')) identifiers.push({ system: IDPE_SYSTEM, value: target.slice('Patient/'.length) });
  if (target?.startsWith('#')) {
    const patient = contained?.find((r) => r.resourceType === 'Patient' && r.id === target.slice(1));
    if (!patient) return new Set([undefined]);
    const own = patient['identifier'];
    if (Array.isArray(own)) identifiers.push(...(own as { system?: string; value?: string }[]));
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
export function designatesOnly(reference: Reference, contained: FhirResource[] | undefined, persona: string): boolean {
  const personas = personasOf(reference, contained);
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
