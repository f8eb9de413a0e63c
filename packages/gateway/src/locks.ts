/**
 * Coordination between the gateway's instances through their shared store: one holder at a time
 * for a name (a user's token refresh, a user's upload), and a few at a time for a user's operations.
 * A lease is renewed while its task runs, so a long upload keeps it, and an instance that dies
 * frees it within `ttlMs`.
 */
import type { Lease, SessionStore } from './session-store.js';

/** Thrown when a lock stayed held for longer than the caller would wait. */
export class LockBusy extends Error {
  constructor(readonly lock: string) {
    super(`${lock} is held elsewhere`);
    this.name = 'LockBusy';
  }
}

interface LockTiming {
  /** How long a lease lasts unless renewed: longer than a store round trip, short enough to outlive a dead instance briefly. */
  ttlMs?: number;
  /** How long to wait for a held lock before giving up (0: do not wait). */
  waitMs?: number;
  /** Stops waiting (the page went away). */
  signal?: AbortSignal;
}

const DEFAULT_TTL_MS = 15_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `task` while holding `lease`, renewing it at a third of its life; released however `task` ends. */
export async function holding<T>(lease: Lease, task: () => Promise<T>, ttlMs = DEFAULT_TTL_MS): Promise<T> {
  const renewal = setInterval(() => void lease.renew(ttlMs).catch(() => undefined), ttlMs / 3);
  try {
    return await task();
  } finally {
    clearInterval(renewal);
    await lease.release().catch(() => undefined);
  }
}

/** Runs `task` holding `name`, waiting for it (polling, up to `waitMs`) while another holds it. */
export async function withLock<T>(
  store: SessionStore,
  name: string,
  task: () => Promise<T>,
  { ttlMs = DEFAULT_TTL_MS, waitMs = 30_000, signal }: LockTiming = {},
): Promise<T> {
  const giveUpAt = Date.now() + waitMs;
  for (let pause = 10; ; pause = Math.min(pause * 2, 250)) {
    signal?.throwIfAborted();
    const lease = await store.lock(name, ttlMs);
    if (lease) return holding(lease, task, ttlMs);
    if (Date.now() + pause > giveUpAt) throw new LockBusy(name);
    await sleep(pause);
  }
}

/** One of `slots` places under `name`, taken without waiting: undefined when all are held. */
export async function takeSlot(
  store: SessionStore,
  name: string,
  slots: number,
  ttlMs = DEFAULT_TTL_MS,
): Promise<Lease | undefined> {
  for (let slot = 0; slot < slots; slot++) {
    const lease = await store.lock(`${name}:${slot}`, ttlMs);
    if (lease) return lease;
  }
  return undefined;
}
