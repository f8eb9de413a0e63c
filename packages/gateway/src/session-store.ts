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
  /** When to refresh (epoch milliseconds): a while before `expiresAt`, shorter for short-lived tokens. */
  refreshAt?: number;
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

/** A lock held: kept while renewed, lost when `ttlMs` passes without renewal (its holder died). */
export interface Lease {
  /** Extends the lease by `ttlMs` from now; false when it was lost meanwhile. */
  renew(ttlMs: number): Promise<boolean>;
  release(): Promise<void>;
}

export interface SessionStore {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Takes `name` for `ttlMs` if nobody holds it, across every instance sharing the store; undefined
   * when it is held. Does not wait: `withLock` waits and renews.
   */
  lock(name: string, ttlMs: number): Promise<Lease | undefined>;
}

/** The store could not be reached (Redis down): the gateway answers 503, and tries again on the next request. */
export class StoreUnavailable extends Error {
  constructor(cause: unknown) {
    super('The session store is unreachable.', { cause });
    this.name = 'StoreUnavailable';
  }
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

  private readonly locks = new Map<string, { holder: symbol; expiresAt: number }>();

  async lock(name: string, ttlMs: number): Promise<Lease | undefined> {
    const held = this.locks.get(name);
    if (held && held.expiresAt > Date.now()) return undefined;
    const holder = Symbol(name);
    this.locks.set(name, { holder, expiresAt: Date.now() + ttlMs });
    const mine = () => this.locks.get(name)?.holder === holder;
    return {
      renew: async (ms) => {
        if (!mine()) return false;
        this.locks.set(name, { holder, expiresAt: Date.now() + ms });
        return true;
      },
      release: async () => {
        if (mine()) this.locks.delete(name);
      },
    };
  }
}
