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
  /**
   * Keys read alongside `key`, which writes: the old one after a rotation, so that what it wrote is
   * still read (and moved under `key`); the next one before a rotation, so that instances already
   * writing with it are read. Every instance locks under all of them.
   */
  otherKeys?: string[];
  /** Prefix of every name in Redis (default `mes-kit:`), for a server shared with other applications. */
  prefix?: string;
  /** Told when Redis cannot be reached (the gateway then answers 503 until it can), and when it is back. Default: console.warn. */
  log?: (message: string) => void;
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
  if (typeof secret !== 'string')
    throw new TypeError('The Redis store needs `key`: 32 bytes in base64 (openssl rand -base64 32).');
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

/**
 * The scripts below take every name a value or a lock has under the keys in use (the current and the
 * others, during a rotation), at once: instances that know different keys still see one value and
 * one lock.
 */
/** Writes the value under the current key's name and removes it from the others'. */
const WRITE = `redis.call('set', KEYS[1], ARGV[1], 'px', ARGV[2])
for i = 2, #KEYS do redis.call('del', KEYS[i]) end
return 1`;
/** Moves a value read under another key to the current one, unless it changed since it was read. */
const MOVE = `if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end
local ttl = redis.call('pttl', KEYS[1])
if ttl <= 0 then return 0 end
redis.call('set', KEYS[2], ARGV[2], 'px', ttl)
redis.call('del', KEYS[1])
return 1`;
/** Takes a lock under all its names, or none. */
const LOCK = `for i = 1, #KEYS do if redis.call('exists', KEYS[i]) == 1 then return 0 end end
for i = 1, #KEYS do redis.call('set', KEYS[i], ARGV[1], 'px', ARGV[2]) end
return 1`;
/** Extends a lock only for its holder. */
const RENEW = `if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end
for i = 1, #KEYS do redis.call('pexpire', KEYS[i], ARGV[2]) end
return 1`;
/** Frees a lock only for its holder: a lease that expired and was taken by another is not theirs to free. */
const RELEASE = `for i = 1, #KEYS do if redis.call('get', KEYS[i]) == ARGV[1] then redis.call('del', KEYS[i]) end end
return 1`;

export function createRedisSessionStore(options: RedisSessionStoreOptions): RedisSessionStore {
  // Not a silent default: a missing setting must not quietly use whatever Redis runs on localhost.
  if (typeof options.url !== 'string' || options.url === '')
    throw new TypeError('The Redis store needs `url` (redis://… or rediss://…).');
  const [current, ...others] = [options.key, ...(options.otherKeys ?? [])].map(keysOf);
  const prefix = options.prefix ?? 'mes-kit:';
  const server = new URL(options.url).host;
  const log = options.log ?? ((message: string) => console.warn(message));
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
    if (!reported)
      log(`mes-kit gateway: Redis at ${server} unreachable (${error.message}); answering 503 until it is back.`);
    reported = true;
  });
  client.on('ready', () => {
    if (reported) log(`mes-kit gateway: Redis at ${server} reachable again.`);
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

  const keysInUse = [current, ...others];
  const namesOf = (name: string) => keysInUse.map((keys) => nameOf(keys, name));
  const run = (script: string, keys: string[], args: string[]) =>
    command(() => client.eval(script, { keys, arguments: args }));

  return {
    ready,

    async get<T>(key: string): Promise<T | undefined> {
      const names = namesOf(key);
      const stored = await command(() => client.mGet(names));
      for (const [i, sealed] of stored.entries()) {
        const value = sealed === null ? undefined : open<T>(keysInUse[i], key, sealed);
        if (value === undefined) continue;
        // Written under another key (before a rotation): moved to the current one, for the time it had left.
        if (i > 0) await run(MOVE, [names[i], names[0]], [sealed!, seal(current, key, value)]);
        return value;
      }
      return undefined;
    },

    async set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
      const ttlMs = Math.max(1, Math.round(ttlSeconds * 1000));
      await run(WRITE, namesOf(key), [seal(current, key, value), String(ttlMs)]);
    },

    async delete(key: string): Promise<void> {
      await command(() => client.del(namesOf(key)));
    },

    async lock(name: string, ttlMs: number): Promise<Lease | undefined> {
      const names = namesOf(name);
      const holder = randomBytes(16).toString('base64url');
      if ((await run(LOCK, names, [holder, String(ttlMs)])) !== 1) return undefined;
      return {
        renew: async (ms: number) => (await run(RENEW, names, [holder, String(ms)])) === 1,
        release: async () => {
          await run(RELEASE, names, [holder]);
        },
      };
    },

    async close() {
      if (client.isOpen) await client.close();
    },
  };
}
