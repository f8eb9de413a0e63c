/**
 * `@mes-kit/gateway/redis`: the session store for a portal that runs the gateway on several
 * instances. Tokens, pairings under way and the locks between instances live in Redis, where a
 * reader without the host's key learns nothing: every value is encrypted (AES-256-GCM, bound to its
 * name), and every name (which would say which portal users are paired) is an HMAC.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { createClient } from '@redis/client';
import { StoreUnavailable, type Lease, type SessionStore } from './session-store.js';

export interface RedisSessionStoreOptions {
  /** `redis://…` or `rediss://…` (TLS), with credentials if the server needs them. */
  url: string;
  /**
   * 32 random bytes in base64, the same on every instance, from the host's secret store
   * (`openssl rand -base64 32`). Without it what Redis holds cannot be read or forged.
   */
  key: string;
  /** Keys used before `key`: what they wrote is still read, and written again under `key`. */
  previousKeys?: string[];
  /** Prefix of every name in Redis (default `mes-kit:`), for a server shared with other applications. */
  prefix?: string;
  /** Told when Redis cannot be reached (the gateway then answers 503 until it can). Default: console.error. */
  onError?: (error: Error) => void;
}

export interface RedisSessionStore extends SessionStore {
  /** Settles when the first connection is made. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

interface Keys {
  names: Buffer;
  values: Buffer;
}

function keysOf(secret: string): Keys {
  const raw = Buffer.from(secret, 'base64');
  if (raw.length !== 32)
    throw new TypeError('The Redis store key must be 32 bytes in base64 (openssl rand -base64 32).');
  // Two keys from one secret: naming and encrypting never share a key.
  const derive = (purpose: string) => Buffer.from(hkdfSync('sha256', raw, Buffer.alloc(0), `mes-kit ${purpose}`, 32));
  return { names: derive('redis names'), values: derive('redis values') };
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

function seal(keys: Keys, name: string, value: unknown): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keys.values, iv);
  // Bound to its name: a value copied onto another user's name does not decrypt.
  cipher.setAAD(Buffer.from(name));
  const sealed = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
}

/** The value, or undefined when it was not sealed with these keys for this name (tampered, or another key). */
function open<T>(keys: Keys, name: string, stored: string): T | undefined {
  const bytes = Buffer.from(stored, 'base64');
  if (bytes.length < IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keys.values, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(name));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const plain = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Extends a lock only for its holder. */
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
/** Frees a lock only for its holder: a lease that expired and was taken by another is not theirs to free. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export function createRedisSessionStore(options: RedisSessionStoreOptions): RedisSessionStore {
  const [current, ...previous] = [options.key, ...(options.previousKeys ?? [])].map(keysOf);
  const prefix = options.prefix ?? 'mes-kit:';
  const onError = options.onError ?? ((error: Error) => console.error(`mes-kit gateway: Redis: ${error.message}`));
  const client = createClient({
    url: options.url,
    // Fail a command at once while Redis is away, rather than queue it: the page gets a clear 503
    // now, not a hung request, and the gateway is back as soon as Redis is.
    disableOfflineQueue: true,
    socket: { connectTimeout: 2_000, reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 2_000) },
  });
  let reported = false;
  client.on('error', (error: Error) => {
    // Once per outage, not once per reconnection attempt.
    if (!reported) onError(error);
    reported = true;
  });
  client.on('ready', () => {
    reported = false;
  });
  const ready = client.connect().then(() => undefined);
  // A first connection that fails is reported through `error` and retried; `ready` stays pending.
  ready.catch(() => undefined);

  /** A command, failing as the gateway understands: StoreUnavailable. */
  const command = <T>(run: () => Promise<T>): Promise<T> =>
    run().catch((error: unknown) => {
      throw new StoreUnavailable(error);
    });
  const nameOf = (keys: Keys, name: string) =>
    `${prefix}${createHmac('sha256', keys.names).update(name).digest('base64url')}`;

  return {
    ready,

    async get<T>(key: string): Promise<T | undefined> {
      const stored = await command(() => client.get(nameOf(current, key)));
      if (stored !== null) return open<T>(current, key, stored);
      for (const keys of previous) {
        const old = nameOf(keys, key);
        const sealed = await command(() => client.get(old));
        const value = sealed === null ? undefined : open<T>(keys, key, sealed);
        if (value === undefined) continue;
        // Written again under the current key, for as long as it had left.
        const ttlMs = await command(() => client.pTTL(old));
        if (ttlMs > 0) await this.set(key, value, ttlMs / 1000);
        await command(() => client.del(old));
        return value;
      }
      return undefined;
    },

    async set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
      const ttlMs = Math.max(1, Math.round(ttlSeconds * 1000));
      await command(() =>
        client.set(nameOf(current, key), seal(current, key, value), { expiration: { type: 'PX', value: ttlMs } }),
      );
    },

    async delete(key: string): Promise<void> {
      await command(() => client.del([current, ...previous].map((keys) => nameOf(keys, key))));
    },

    async lock(name: string, ttlMs: number): Promise<Lease | undefined> {
      const lockName = nameOf(current, name);
      const holder = randomBytes(16).toString('base64url');
      const taken = await command(() =>
        client.set(lockName, holder, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } }),
      );
      if (taken === null) return undefined;
      return {
        async renew(ms: number) {
          return (await command(() => client.eval(RENEW, { keys: [lockName], arguments: [holder, String(ms)] }))) === 1;
        },
        async release() {
          await command(() => client.eval(RELEASE, { keys: [lockName], arguments: [holder] }));
        },
      };
    },

    async close() {
      if (client.isOpen) await client.close();
    },
  };
}
