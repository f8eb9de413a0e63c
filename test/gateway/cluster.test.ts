/**
 * Two gateway instances, each its own process, on one real Redis, behind a round-robin load
 * balancer: a pairing started on one and completed on the other; concurrent operations across both
 * while 10-second access tokens expire (MES rotates refresh tokens, and a second use of one ends the
 * pairing); an instance killed mid-operation; Redis restarted; one browser kept from flooding MES.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MesError, type MesClient } from '@mes-kit/core';
import { startCluster, type Cluster } from '../helpers/cluster.js';
import { gatewayClient, pairThroughGateway, portalHeaders } from '../helpers/gateway.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { adminBundle, pairingsOf, type Browser } from '../helpers/sandbox.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const PERSONAS = ['camille', 'nadia', 'louis', 'elise'];
const FINALITIES = ['DOC_ECRITURE', 'DOC_LECTURE'];

let redis: TestRedis;
let cluster: Cluster;
const users: { persona: string; browser: Browser; client: MesClient }[] = [];

/** How many documents titled so MES holds for the persona. */
async function titled(persona: string, title: string) {
  const { entry = [] } = await adminBundle(cluster.sandbox.url, persona, 'DocumentReference');
  return entry.filter(({ resource }) => resource['content']?.[0]?.attachment?.title === title).length;
}

/** The first page of the patient's documents in MES. */
async function firstPage(client: MesClient) {
  const { value } = await client.findDocuments().next();
  return value!;
}

async function faults(settings: Record<string, unknown>) {
  const response = await fetch(`${cluster.sandbox.url}/sandbox/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(settings),
  });
  assert.equal(response.status, 200);
}

/** Two instances on this Redis, and portal users paired with these personas. */
async function startPaired(options: Omit<Parameters<typeof startCluster>[0], 'redisUrl'>, personas: string[]) {
  cluster = await startCluster({ ...options, redisUrl: redis.url });
  users.length = 0;
  for (const persona of personas) {
    const { browser } = await pairThroughGateway(cluster.harness, { persona, finalities: FINALITIES });
    users.push({ persona, browser, client: gatewayClient(cluster.harness, browser) });
  }
}

before(async () => {
  redis = await startRedis();
});
after(async () => {
  await redis?.dispose();
});

describe('two gateway instances on Redis, with 10-second access tokens', () => {
  before(async () => {
    // Thirteen operations per user at once here; the default limit has its own test below.
    cluster = await startCluster({
      redisUrl: redis.url,
      sandbox: { accessTokenTtlSeconds: 10 },
      operationsPerUser: 13,
    });
    users.length = 0;
  });
  after(() => cluster.close());

  it('completes on one instance a pairing started on the other', async () => {
    for (const persona of PERSONAS) {
      const since = cluster.served.length;
      const { browser, callbackPage } = await pairThroughGateway(cluster.harness, { persona, finalities: FINALITIES });
      assert.match(callbackPage, /data-outcome="success"/, `${persona}: paired`);
      const served = cluster.served.slice(since);
      const start = served.find(({ path }) => path.includes('/pair/start'))!;
      const callback = served.find(({ path }) => path.includes('/pair/callback'))!;
      if (persona === 'camille')
        assert.notEqual(start.instance, callback.instance, 'started on one, finished on the other');
      users.push({ persona, browser, client: gatewayClient(cluster.harness, browser) });
    }
    // Each instance answers for each user's session.
    for (const { browser, persona } of users) {
      const seen = new Set<number>();
      for (let i = 0; i < 2; i++) {
        const since = cluster.served.length;
        const session = await browser.request(`${cluster.origin}/mes/session`, {
          headers: portalHeaders(cluster.origin),
        });
        assert.equal(((await session.json()) as { paired: boolean }).paired, true, persona);
        seen.add(cluster.served[since].instance);
      }
      assert.equal(seen.size, 2, 'both instances know the pairing');
    }
  });

  it('runs 50 operations at once across both, twice, as 10-second tokens expire: no pairing lost', async () => {
    assert.equal(users.length, 4);
    for (const round of [1, 2]) {
      if (round === 2) await sleep(11_000); // Every access token has expired: each user's refresh races across instances.
      const runs = Array.from({ length: 50 }, (_, i) => {
        const { client, persona } = users[i % users.length];
        const label = `r${round}-${i}`;
        return i % 2 === 0
          ? client.sendDocument({ ref: label }).then(() => ({ persona, label, sent: true }))
          : firstPage(client).then(() => ({ persona, label, sent: false }));
      });
      const outcomes = await Promise.allSettled(runs);
      const failed = outcomes.filter((o) => o.status === 'rejected');
      assert.deepEqual(
        failed.map((o) => o.reason?.code ?? String(o.reason)),
        [],
        `round ${round}: every operation succeeded`,
      );
      for (const outcome of outcomes) {
        const { persona, label, sent } = (
          outcome as PromiseFulfilledResult<{ persona: string; label: string; sent: boolean }>
        ).value;
        if (sent) assert.equal(await titled(persona, `Lettre ${label}`), 1, `${label} once in MES`);
      }
    }
    for (const { persona, client } of users) {
      assert.equal((await client.session({ refresh: true })).paired, true, `${persona} still paired`);
      assert.equal((await pairingsOf(cluster.sandbox.url, persona)).length, 1, `${persona} still paired in MES`);
    }
  });
});

describe('two gateway instances on Redis, when one of them or Redis fails', () => {
  before(() => startPaired({}, ['camille', 'nadia', 'louis']));
  after(() => cluster.close());

  it('keeps one browser from flooding MES: at most 4 operations in flight per portal user', async () => {
    const { browser } = users[2];
    await faults({ latencyMs: 1_000 });
    // The page's own calls, without the client's retries: what the gateway answers each.
    const statuses = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const answer = await browser.request(`${cluster.origin}/mes/operations/find-documents`, {
          method: 'POST',
          headers: portalHeaders(cluster.origin, { 'content-type': 'application/json' }),
          body: '{}',
        });
        const text = await answer.text();
        return answer.status === 429 ? JSON.parse(text).error.code : answer.status;
      }),
    );
    assert.deepEqual(
      statuses.sort(),
      [200, 200, 200, 200, 'MES_RATE_LIMITED', 'MES_RATE_LIMITED'],
      'four ran, across both instances',
    );
    // Once they are done, the user may go on.
    await faults({ latencyMs: 0 });
    assert.ok(Array.isArray((await firstPage(users[2].client)).documents));
  });

  it('carries on with the other instance when one is killed mid-operation', async () => {
    const { client, persona } = users[0];
    // Slow MES: the operation is still under way when its instance dies.
    await faults({ latencyMs: 1_500 });
    const since = cluster.served.length;
    const first = client.sendDocument({ ref: 'killed-midway' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    let serving: number | undefined;
    while (serving === undefined) {
      await sleep(20);
      serving = cluster.served.slice(since).find(({ path }) => path.includes('/operations/send-document'))?.instance;
    }
    await cluster.kill(serving);
    const killedAt = cluster.served.length;
    const lost = await first;
    assert.ok(lost instanceof MesError, 'the page is told, with a MesError');
    assert.equal(lost.retryable, true, `« Réessayer » is offered (${lost.code})`);
    await faults({ latencyMs: 0 });
    // The patient tries again: the other instance sends it, and MES holds it once.
    const again = await client.sendDocument({ ref: 'killed-midway' });
    assert.ok(again.id);
    assert.equal(await titled(persona, 'Lettre killed-midway'), 1);
    const after = cluster.served.slice(killedAt);
    assert.ok(
      after.length > 0 && after.every(({ instance }) => instance !== serving),
      'only the live instance serves now',
    );
  });

  it('answers clearly while Redis is down, and recovers when it is back, pairings kept', async () => {
    const { browser, client } = users[1];
    await redis.kill();
    try {
      const session = await browser.request(`${cluster.origin}/mes/session`, {
        headers: portalHeaders(cluster.origin),
      });
      assert.equal(session.status, 503);
      const refused = await firstPage(client).then(
        () => undefined,
        (error: unknown) => error,
      );
      assert.ok(refused instanceof MesError);
      assert.equal(refused.code, 'MES_UNAVAILABLE');
    } finally {
      await redis.start();
    }
    let paired = false;
    for (let i = 0; i < 100 && !paired; i++) {
      await sleep(100);
      const answer = await browser.request(`${cluster.origin}/mes/session`, { headers: portalHeaders(cluster.origin) });
      paired = answer.status === 200 && ((await answer.json()) as { paired: boolean }).paired;
    }
    assert.ok(paired, 'the pairing is still there');
    assert.ok(Array.isArray((await firstPage(client)).documents));
  });
});
