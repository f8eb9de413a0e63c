/**
 * The gateway's session stores, memory and Redis (a real `redis-server`), held to one contract:
 * values with expiry, and locks that one holder at a time gets, renews, frees, or loses when it
 * dies. Then what only Redis needs: nothing a reader of the server could use without the key.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createClient } from '@redis/client';
import { LockBusy, takeSlot, withLock } from '../../packages/gateway/src/locks.js';
import { createRedisSessionStore, type RedisSessionStore } from '../../packages/gateway/src/redis.js';
import { MemorySessionStore, type PairedTokens, type SessionStore } from '../../packages/gateway/src/session-store.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const newKey = () => randomBytes(32).toString('base64');

let redis: TestRedis;
const opened: RedisSessionStore[] = [];
async function redisStore(options: { key?: string; otherKeys?: string[] } = {}) {
  const store = createRedisSessionStore({ url: redis.url, key: options.key ?? newKey(), ...options });
  opened.push(store);
  await store.ready;
  return store;
}

before(async () => {
  redis = await startRedis();
});
after(async () => {
  await Promise.all(opened.map((store) => store.close()));
  await redis.dispose();
});

const stores: [string, () => Promise<[SessionStore, SessionStore]>][] = [
  [
    'memory',
    async () => {
      const store = new MemorySessionStore();
      return [store, store];
    },
  ],
  [
    // Two instances: two connections, one key.
    'Redis',
    async () => {
      const key = newKey();
      return [await redisStore({ key }), await redisStore({ key })];
    },
  ],
];

for (const [kind, open] of stores) {
  describe(`${kind} session store`, () => {
    it('keeps a value until it expires, and forgets it when deleted', async () => {
      const [one, other] = await open();
      await one.set('pairing:x', { userId: 'u1', finalities: ['DOC_ECRITURE'] }, 0.3);
      assert.deepEqual(await other.get('pairing:x'), { userId: 'u1', finalities: ['DOC_ECRITURE'] });
      await sleep(400);
      assert.equal(await other.get('pairing:x'), undefined, 'expired');
      await one.set('tokens:y', { a: 1 }, 60);
      await other.delete('tokens:y');
      assert.equal(await one.get('tokens:y'), undefined);
    });

    it('gives a lock to one holder at a time, across instances, until released', async () => {
      const [one, other] = await open();
      const name = `lock:${randomBytes(4).toString('hex')}`;
      const first = await one.lock(name, 5_000);
      assert.ok(first);
      assert.equal(await other.lock(name, 5_000), undefined, 'held');
      await first.release();
      const second = await other.lock(name, 5_000);
      assert.ok(second, 'free again');
      // The first holder's late release frees nothing of the second's.
      await first.release();
      assert.equal(await one.lock(name, 5_000), undefined);
      await second.release();
    });

    it('loses a lock its holder stops renewing (an instance that died), and keeps one it renews', async () => {
      const [one, other] = await open();
      const name = `lock:${randomBytes(4).toString('hex')}`;
      const renewed = await one.lock(name, 300);
      assert.ok(renewed);
      await sleep(200);
      assert.equal(await renewed.renew(300), true);
      await sleep(200);
      assert.equal(await other.lock(name, 300), undefined, 'renewed: still held');
      await sleep(250);
      const taken = await other.lock(name, 5_000);
      assert.ok(taken, 'not renewed: free');
      assert.equal(await renewed.renew(300), false, 'the old holder learns it lost it');
      await taken.release();
    });

    it('runs tasks under one name one after the other, and gives up after the wait', async () => {
      const [one, other] = await open();
      const name = `lock:${randomBytes(4).toString('hex')}`;
      const order: string[] = [];
      const task = (label: string, ms: number) => async () => {
        order.push(`${label} start`);
        await sleep(ms);
        order.push(`${label} end`);
        return label;
      };
      const results = await Promise.all([
        withLock(one, name, task('a', 150), { ttlMs: 100 }),
        sleep(20).then(() => withLock(other, name, task('b', 10), { ttlMs: 100 })),
      ]);
      assert.deepEqual(results, ['a', 'b']);
      // Held past its 100 ms lease by renewal while running, so b waited for a.
      assert.deepEqual(order, ['a start', 'a end', 'b start', 'b end']);
      const held = await one.lock(name, 5_000);
      await assert.rejects(withLock(other, name, task('c', 1), { waitMs: 100 }), LockBusy);
      await held!.release();
    });

    it('hands out a fixed number of slots under a name', async () => {
      const [one, other] = await open();
      const name = `slots:${randomBytes(4).toString('hex')}`;
      const leases = [await takeSlot(one, name, 3), await takeSlot(other, name, 3), await takeSlot(one, name, 3)];
      assert.ok(leases.every(Boolean));
      assert.equal(await takeSlot(other, name, 3), undefined, 'all three taken');
      await leases[1]!.release();
      assert.ok(await takeSlot(other, name, 3), 'one freed');
    });
  });
}

describe('Redis session store at rest', () => {
  const tokens: PairedTokens = {
    accessToken: 'at-4f1c-very-secret-access-token',
    refreshToken: 'rt-92aa-very-secret-refresh-token',
    idToken: 'eyJhbGciOiJSUzI1NiJ9.eyJpZFBlIjoicGF0aWVudC1leHRlcm5lLWlkLTEifQ.c2lnbmF0dXJl',
    expiresAt: Date.now() + 3_600_000,
    finalities: ['DOC_ECRITURE'],
    idPe: 'patient-externe-id-1',
  };
  const userName = 'tokens:1.2.250.1.999.42.1:camille.martin@hopital-lumiere.fr';

  async function everythingInRedis() {
    const reader = createClient({ url: redis.url });
    await reader.connect();
    const names = await reader.keys('*');
    const values = await Promise.all(names.map(async (name) => ({ name, value: await reader.get(name) })));
    await reader.close();
    return { names, values };
  }

  it('shows a reader of Redis neither who is paired nor any token, in clear or in base64', async () => {
    const store = await redisStore();
    await store.set(userName, tokens, 60);
    await store.lock(`lock:refresh:${userName}`, 5_000);
    const { names, values } = await everythingInRedis();
    const dump = JSON.stringify({ names, values });
    const secrets = ['camille.martin', 'hopital-lumiere', tokens.accessToken, tokens.refreshToken!, tokens.idToken];
    for (const secret of [...secrets, tokens.idPe, 'DOC_ECRITURE']) {
      assert.ok(!dump.includes(secret), `${secret} in clear`);
      assert.ok(!dump.includes(Buffer.from(secret).toString('base64').slice(0, 16)), `${secret} in base64`);
    }
    assert.ok(names.length >= 2, 'the value and the lock are there, under opaque names');
    assert.deepEqual(await store.get(userName), tokens, 'the gateway reads them back');
  });

  it('refuses a value moved onto another name (another user’s tokens), and one sealed with another key', async () => {
    const store = await redisStore();
    const namesNow = async () => new Set((await everythingInRedis()).names);
    const before = await namesNow();
    await store.set('tokens:mallory', { ...tokens, accessToken: 'mallory' }, 60);
    const [mallory] = [...(await namesNow())].filter((name) => !before.has(name));
    await store.set('tokens:alice', tokens, 60);
    const [alice] = [...(await namesNow())].filter((name) => !before.has(name) && name !== mallory);
    const writer = createClient({ url: redis.url });
    await writer.connect();
    await writer.set(alice, (await writer.get(mallory))!);
    await writer.close();
    assert.equal(await store.get('tokens:alice'), undefined, 'mallory’s tokens do not pass for alice’s');
    await store.set('tokens:alice', tokens, 60);
    const stranger = await redisStore();
    assert.equal(await stranger.get('tokens:alice'), undefined, 'another key reads nothing');
    assert.deepEqual(await store.get('tokens:alice'), tokens);
  });

  it('reads what a previous key wrote, and writes it again under the new key', async () => {
    const oldKey = newKey();
    const newer = newKey();
    await (await redisStore({ key: oldKey })).set('tokens:rotated', tokens, 60);
    const rotating = await redisStore({ key: newer, otherKeys: [oldKey] });
    assert.deepEqual(await rotating.get('tokens:rotated'), tokens);
    const onlyNew = await redisStore({ key: newer });
    assert.deepEqual(await onlyNew.get('tokens:rotated'), tokens, 'now under the new key');
    assert.equal(await (await redisStore({ key: oldKey })).get('tokens:rotated'), undefined, 'the old copy is gone');
  });

  it('keeps instances that write with different keys during a rotation on one value and one lock', async () => {
    const [oldKey, newKey_] = [newKey(), newKey()];
    // Step 1 of a rotation: every instance reads and locks with the next key, still writes with the old.
    const before = await redisStore({ key: oldKey });
    const ready = await redisStore({ key: oldKey, otherKeys: [newKey_] });
    // Step 2: instances switch, one by one, to writing with the new key.
    const switched = await redisStore({ key: newKey_, otherKeys: [oldKey] });
    await before.set('tokens:u', { ...tokens, accessToken: 'v1' }, 60);
    assert.equal(
      (await switched.get<PairedTokens>('tokens:u'))?.accessToken,
      'v1',
      'read, and moved under the new key',
    );
    await switched.set('tokens:u', { ...tokens, accessToken: 'v2' }, 60);
    assert.equal((await ready.get<PairedTokens>('tokens:u'))?.accessToken, 'v2', 'no stale copy under the old key');
    await ready.set('tokens:u', { ...tokens, accessToken: 'v3' }, 60);
    assert.equal((await switched.get<PairedTokens>('tokens:u'))?.accessToken, 'v3', 'nor under the new one');
    // One lock, whichever key an instance writes with.
    const lease = await switched.lock('lock:refresh:u', 5_000);
    assert.ok(lease);
    assert.equal(await ready.lock('lock:refresh:u', 5_000), undefined);
    assert.equal(await before.lock('lock:refresh:u', 5_000), undefined, 'nor one that knows only the old key');
    await lease.release();
    assert.ok(await before.lock('lock:refresh:u', 5_000));
  });

  it('refuses a key that is not 32 bytes', () => {
    assert.throws(() => createRedisSessionStore({ url: redis.url, key: 'too-short' }), /32 bytes/);
  });
});
