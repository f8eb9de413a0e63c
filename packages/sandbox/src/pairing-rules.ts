/**
 * When MES asks a patient to approve a pairing again: the service changed the finalités it asks for
 * ("versioning"), or the patient was a minor when approving and has come of age ("majorité"), or
 * the sandbox was told so. Until then, every exchange is refused as without consent.
 */
import type { ServiceDefinition } from './config.js';
import type { Persona } from './personas.js';
import type { Pairing, SandboxStore } from './store/store.js';

const CLOCK_OFFSET = 'clockOffsetMs';

/** The sandbox's today: the real clock, moved by `PUT /sandbox/clock` (to make Louis 18, say). */
export function sandboxNow(store: SandboxStore): Date {
  return new Date(Date.now() + Number(store.getSetting(CLOCK_OFFSET) ?? 0));
}

export function setSandboxNow(store: SandboxStore, now: Date | undefined): void {
  store.setSetting(CLOCK_OFFSET, String(now ? now.getTime() - Date.now() : 0));
}

function isAdult(persona: Persona, at: Date): boolean {
  const birth = new Date(`${persona.birthDate}T00:00:00Z`);
  const majority = Date.UTC(birth.getUTCFullYear() + 18, birth.getUTCMonth(), birth.getUTCDate());
  return at.getTime() >= majority;
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().every((value, i) => value === [...b].sort()[i]);

export function reapprovalNeeded(pairing: Pairing, service: ServiceDefinition, persona: Persona, now: Date): boolean {
  if (pairing.reapprovalRequired) return true;
  // Pairings recorded before versioning existed have no list to compare with.
  if (pairing.registered.length > 0 && !sameSet(pairing.registered, service.finalities)) return true;
  return !isAdult(persona, new Date(pairing.approvedAt)) && isAdult(persona, now);
}

/** A pairing as the patient approves it now, with these finalités. */
export function approve(
  pairing: Omit<Pairing, 'approvedAt' | 'registered' | 'reapprovalRequired'> & Partial<Pairing>,
  service: ServiceDefinition,
  now: Date,
): Pairing {
  return {
    ...pairing,
    // Only what the service still asks for survives an approval.
    finalities: pairing.finalities.filter((code) => service.finalities.includes(code)),
    updatedAt: now.toISOString(),
    approvedAt: now.toISOString(),
    registered: [...service.finalities],
    reapprovalRequired: false,
  };
}
