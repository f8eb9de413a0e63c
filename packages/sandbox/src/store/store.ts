import type { FhirResource } from '@mes-kit/core';

/** A resource as the sandbox keeps it: whose it is, and its version. */
export interface StoredResource<R extends FhirResource = FhirResource> {
  type: string;
  id: string;
  /** The persona key of the patient this resource belongs to. */
  persona: string;
  versionId: number;
  lastUpdated: string;
  resource: R;
}

export interface StoredBinary {
  id: string;
  persona: string;
  contentType: string;
  data: Uint8Array;
}

/** A service paired with a patient's MES, and the finalités the patient currently grants it. */
export interface Pairing {
  /** Also the id of the OAuth grant behind the pairing. */
  id: string;
  persona: string;
  clientId: string;
  finalities: string[];
  createdAt: string;
  updatedAt: string;
  /** When the patient last approved the pairing (in MES's consent page or its « Services synchronisés »). */
  approvedAt: string;
  /** The finalités the service had registered then: when they change, MES asks the patient again. */
  registered: string[];
  /** Set when MES asks the patient to approve the pairing again (also derived: see `reapprovalNeeded`). */
  reapprovalRequired?: boolean;
}

/**
 * What the FHIR handler, the admin API and the pages need from persistence. Synchronous on
 * purpose: both implementations (SQLite, memory) are, and a transaction is then one call.
 */
export interface SandboxStore {
  /** Runs `work` all or nothing: if it throws, nothing it wrote remains. */
  transaction<T>(work: () => T): T;
  /** Inserts, or replaces the resource with the same type and id. */
  put(entry: StoredResource): void;
  get(type: string, id: string): StoredResource | undefined;
  /** A persona's resources of one type, oldest first. */
  list(persona: string, type: string): StoredResource[];
  /** Matches `masterIdentifier` or any `identifier` of the persona's resources of that type. */
  findByIdentifier(persona: string, type: string, system: string, value: string): StoredResource | undefined;
  putBinary(binary: StoredBinary): void;
  getBinary(id: string): StoredBinary | undefined;
  /** A persona's binaries, oldest first, whether or not a document points at them. */
  listBinaries(persona: string): StoredBinary[];
  getPairing(id: string): Pairing | undefined;
  findPairing(persona: string, clientId: string): Pairing | undefined;
  listPairings(): Pairing[];
  savePairing(pairing: Pairing): void;
  deletePairing(id: string): void;
  getSetting(key: string): string | undefined;
  setSetting(key: string, value: string): void;
  /** Removes every patient record and pairing; settings (signing keys) stay. */
  clear(): void;
  close(): void;
}

/** The business identifiers of a resource, for `findByIdentifier`. */
export function identifiersOf(resource: FhirResource): { system: string; value: string }[] {
  const candidates = [resource['masterIdentifier'], ...asArray(resource['identifier'])];
  return candidates.flatMap((identifier) => {
    if (typeof identifier !== 'object' || identifier === null) return [];
    const { system, value } = identifier as { system?: unknown; value?: unknown };
    return typeof system === 'string' && typeof value === 'string' ? [{ system, value }] : [];
  });
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
