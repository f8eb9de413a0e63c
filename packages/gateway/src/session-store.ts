/**
 * Where the gateway keeps each portal user's MES tokens and the pairings under way: never in the
 * browser. Memory by default (one instance); plug another store (Redis…) to run several instances.
 */

export interface PairedTokens {
  accessToken: string;
  refreshToken?: string;
  idToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  finalities: string[];
  idPe: string;
}

/** A pairing under way, keyed by its OAuth `state`. */
export interface PendingPairing {
  /** The portal user who started it: the tokens will be theirs, and only theirs. */
  userId: string;
  codeVerifier: string;
  nonce: string;
  finalities: string[];
  mode: 'popup' | 'redirect';
  returnTo: string;
}

export interface SessionStore {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
}

/** In-process store with expiry; values are cloned so that callers cannot share mutable state. */
export class MemorySessionStore implements SessionStore {
  private readonly entries = new Map<string, { value: unknown; expiresAt: number }>();
  private writes = 0;

  async get<T>(key: string): Promise<T | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return structuredClone(entry.value) as T;
  }

  async set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    // Expired entries that nobody reads again are swept now and then, so memory stays bounded.
    if (++this.writes % 256 === 0) {
      const now = Date.now();
      for (const [k, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(k);
    }
    this.entries.set(key, { value: structuredClone(value), expiresAt: Date.now() + ttlSeconds * 1000 });
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }
}
