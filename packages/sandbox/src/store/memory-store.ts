import { identifiersOf, type Pairing, type SandboxStore, type StoredBinary, type StoredResource } from './store.js';

interface State {
  resources: Map<string, StoredResource>;
  binaries: Map<string, StoredBinary>;
  pairings: Map<string, Pairing>;
}

const keyOf = (type: string, id: string) => `${type}/${id}`;

/** A store that lives in memory, for the sandbox running inside a browser page (Storybook, element tests). */
export class MemoryStore implements SandboxStore {
  private state: State = { resources: new Map(), binaries: new Map(), pairings: new Map() };
  private readonly settings = new Map<string, string>();

  transaction<T>(work: () => T): T {
    const snapshot: State = {
      resources: new Map(this.state.resources),
      binaries: new Map(this.state.binaries),
      pairings: new Map(this.state.pairings),
    };
    try {
      return work();
    } catch (error) {
      this.state = snapshot;
      throw error;
    }
  }

  put(entry: StoredResource): void {
    this.state.resources.set(keyOf(entry.type, entry.id), structuredClone(entry));
  }

  get(type: string, id: string): StoredResource | undefined {
    const found = this.state.resources.get(keyOf(type, id));
    return found && structuredClone(found);
  }

  list(persona: string, type: string): StoredResource[] {
    return [...this.state.resources.values()]
      .filter((entry) => entry.persona === persona && entry.type === type)
      .map((entry) => structuredClone(entry));
  }

  findByIdentifier(persona: string, type: string, system: string, value: string): StoredResource | undefined {
    const found = [...this.state.resources.values()].find(
      (entry) =>
        entry.persona === persona &&
        entry.type === type &&
        identifiersOf(entry.resource).some((id) => id.system === system && id.value === value),
    );
    return found && structuredClone(found);
  }

  putBinary(binary: StoredBinary): void {
    this.state.binaries.set(binary.id, { ...binary, data: binary.data.slice() });
  }

  getBinary(id: string): StoredBinary | undefined {
    return this.state.binaries.get(id);
  }

  listBinaries(persona: string): StoredBinary[] {
    return [...this.state.binaries.values()].filter((binary) => binary.persona === persona);
  }

  getPairing(id: string): Pairing | undefined {
    return this.state.pairings.get(id);
  }

  findPairing(persona: string, clientId: string): Pairing | undefined {
    return [...this.state.pairings.values()].find((p) => p.persona === persona && p.clientId === clientId);
  }

  listPairings(): Pairing[] {
    return [...this.state.pairings.values()];
  }

  savePairing(pairing: Pairing): void {
    this.state.pairings.set(pairing.id, { ...pairing, finalities: [...pairing.finalities] });
  }

  deletePairing(id: string): void {
    this.state.pairings.delete(id);
  }

  getSetting(key: string): string | undefined {
    return this.settings.get(key);
  }

  setSetting(key: string, value: string): void {
    this.settings.set(key, value);
  }

  clear(): void {
    this.state = { resources: new Map(), binaries: new Map(), pairings: new Map() };
  }

  close(): void {}
}
