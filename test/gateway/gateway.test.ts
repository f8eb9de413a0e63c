import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { MesError } from '@mes-kit/core';
import { documentBundle, pdfBytes } from '../helpers/documents.js';
import {
  pairThroughGateway,
  pairedGatewayClient,
  portalHeaders,
  startGateway,
  type GatewayHarness,
} from '../helpers/gateway.js';
import { Browser, adminBundle } from '../helpers/sandbox.js';

const TOKEN_LIKE = /eyJ[\w-]{10,}\.[\w-]{10,}/;

describe('gateway (back end for the front end) against the sandbox', () => {
  let harness: GatewayHarness;
  before(async () => {
    harness = await startGateway();
  });
  after(() => harness.close());

  const api = (browser: Browser, path: string, init: RequestInit = {}) =>
    browser.request(`${harness.origin}/mes/${path}`, {
      ...init,
      headers: { ...portalHeaders(harness.origin), ...(init.headers as Record<string, string>) },
    });
  const sendBundle = (browser: Browser, ins = '279035121518989') =>
    api(browser, 'fhir/', {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify(documentBundle({ ins, ifNoneExist: true }).bundle),
    });

  it('starts unpaired, without any cookie until a pairing starts; then an HttpOnly, SameSite=Strict one', async () => {
    const browser = new Browser();
    const response = await api(browser, 'session');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('set-cookie'), null);
    assert.deepEqual(await response.json(), {
      paired: false,
      finalities: [],
      service: { oid: '1.2.250.1.999.42.1', name: 'Hôpital Lumière — portail patient' },
    });
    const start = await browser.request(`${harness.origin}/mes/pair/start?finalities=DOC_ECRITURE`);
    assert.equal(start.status, 302);
    const cookies = start.headers.getSetCookie();
    assert.ok(
      cookies.some((c) => /^mes_session=[\w-]{40,}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/.test(c)),
      cookies.join(' / '),
    );
    assert.ok(
      cookies.some((c) => /^mes_pair=[\w-]+; Path=\/mes\/pair; HttpOnly; SameSite=Lax; Max-Age=600$/.test(c)),
      cookies.join(' / '),
    );
  });

  it('refuses to start a pairing from another site', async () => {
    const response = await new Browser().request(`${harness.origin}/mes/pair/start?finalities=DOC_ECRITURE`, {
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    assert.equal(response.status, 403);
    assert.equal(response.headers.get('set-cookie'), null);
  });

  it('never pairs a session id planted in the browser beforehand (fixation)', async () => {
    const attacker = new Browser();
    await attacker.request(`${harness.origin}/mes/pair/start?finalities=DOC_ECRITURE`);
    const planted = attacker.cookie('mes_session')!;
    const victim = new Browser();
    victim.setCookie('mes_session', planted);
    await pairThroughGateway(harness, { finalities: ['DOC_ECRITURE'], browser: victim });
    assert.equal((await (await api(victim, 'session')).json()).paired, true);
    assert.notEqual(victim.cookie('mes_session'), planted);
    assert.equal((await (await api(attacker, 'session')).json()).paired, false);
  });

  it('refreshes once for concurrent calls after the access token expired', async () => {
    const local = await startGateway({ sandbox: { accessTokenTtlSeconds: 2 } });
    try {
      const { browser } = await pairThroughGateway(local, { finalities: ['DOC_LECTURE'] });
      await new Promise((resolve) => setTimeout(resolve, 2200));
      const call = () =>
        browser.request(
          `${local.origin}/mes/fhir/DocumentReference?patient=Patient/patient-externe-id-2&status=current`,
          {
            headers: portalHeaders(local.origin),
          },
        );
      const statuses = (await Promise.all([call(), call(), call()])).map((r) => r.status);
      assert.deepEqual(statuses, [200, 200, 200]);
      const session = await browser.request(`${local.origin}/mes/session`, { headers: portalHeaders(local.origin) });
      assert.equal((await session.json()).paired, true);
      assert.equal((await call()).status, 200, 'the rotated refresh token was kept');
    } finally {
      await local.close();
    }
  });

  it('pairs through MES with PKCE, keeps the tokens server-side, and proxies the send', async () => {
    const { browser, callback, callbackPage } = await pairThroughGateway(harness, {
      finalities: ['DOC_ECRITURE', 'DOC_LECTURE'],
      choose: ['DOC_ECRITURE'],
    });
    assert.equal(callback.status, 200);
    assert.match(callback.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.match(callbackPage, /data-outcome="success"/);
    assert.match(callbackPage, new RegExp(`data-target-origin="${harness.origin}"`));
    assert.doesNotMatch(callbackPage, TOKEN_LIKE);
    const script = await browser.request(`${harness.origin}/mes/pair/callback.js`);
    assert.match(await script.text(), /postMessage\(message, data\.targetOrigin\)/);

    const session = await (await api(browser, 'session')).json();
    assert.deepEqual(session, {
      paired: true,
      finalities: ['DOC_ECRITURE'],
      idPe: 'patient-externe-id-2',
      service: { oid: '1.2.250.1.999.42.1', name: 'Hôpital Lumière — portail patient' },
    });

    const before = (await adminBundle(harness.sandbox.url, 'camille', 'DocumentReference')).total;
    const sent = await sendBundle(browser);
    const sentText = await sent.text();
    assert.equal(sent.status, 200, sentText);
    assert.doesNotMatch(sentText, TOKEN_LIKE);
    assert.equal((await adminBundle(harness.sandbox.url, 'camille', 'DocumentReference')).total, before + 1);

    // The read finalité was not granted: MES refuses, the gateway passes the refusal on as is.
    const search = await api(browser, 'fhir/DocumentReference?patient=Patient/patient-externe-id-2&status=current');
    assert.equal(search.status, 403);
    assert.equal((await search.json()).issue[0].diagnostics, 'Consent not given, access refused.');

    const actions = harness.audit.map((e) => `${e.action} ${e.status}`);
    assert.ok(actions.includes('pair.success 200'));
    assert.ok(actions.includes('ITI-65 transaction 200'));
    const log = JSON.stringify(harness.audit);
    assert.doesNotMatch(log, TOKEN_LIKE);
    assert.doesNotMatch(log, /JVBERi|Lettre|Compte rendu/, 'no document content in the audit log');
    assert.doesNotMatch(log, /mes_session/);
  });

  it('refuses cross-site calls: no custom header, a foreign Origin, or Sec-Fetch-Site cross-site', async () => {
    const { browser } = await pairThroughGateway(harness, { finalities: ['DOC_ECRITURE'] });
    const before = (await adminBundle(harness.sandbox.url, 'camille', 'DocumentReference')).total;
    const bundle = JSON.stringify(documentBundle().bundle);
    const attempts: Record<string, string>[] = [
      { origin: harness.origin },
      { 'x-mes-kit': '1', origin: 'http://evil.example' },
      { 'x-mes-kit': '1', 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of attempts) {
      const response = await browser.request(`${harness.origin}/mes/fhir/`, { method: 'POST', headers, body: bundle });
      assert.equal(response.status, 403, JSON.stringify(headers));
    }
    const revoke = await browser.request(`${harness.origin}/mes/pair/revoke`, {
      method: 'POST',
      headers: { origin: 'http://evil.example', 'x-mes-kit': '1' },
    });
    assert.equal(revoke.status, 403);
    assert.equal((await adminBundle(harness.sandbox.url, 'camille', 'DocumentReference')).total, before);
    assert.equal((await (await api(browser, 'session')).json()).paired, true, 'still paired');
  });

  it('proxies only allow-listed FHIR interactions', async () => {
    const { browser } = await pairThroughGateway(harness, { finalities: ['DOC_ECRITURE', 'DOC_LECTURE'] });
    const observation = documentBundle().bundle;
    observation.entry.push({
      fullUrl: 'urn:uuid:0e5b4a4e-0000-4000-8000-000000000000',
      resource: { resourceType: 'Observation' },
      request: { method: 'POST', url: 'Observation' },
    });
    const refused: [string, RequestInit][] = [
      ['fhir/DocumentReference?identifier=urn:ietf:rfc:3986|x', { method: 'PATCH', body: '[]' }],
      ['fhir/Patient/123', {}],
      ['fhir/DocumentReference/../Patient', {}],
      ['fhir/', { method: 'POST', body: JSON.stringify(observation) }],
      [
        'fhir/',
        {
          method: 'POST',
          body: JSON.stringify({
            resourceType: 'Bundle',
            type: 'transaction',
            entry: [{ resource: { resourceType: 'DocumentReference' }, request: { method: 'DELETE' } }],
          }),
        },
      ],
    ];
    refused.push(
      [
        'fhir/DocumentReference?patient=Patient/patient-externe-id-2&status=current&_include=DocumentReference:subject',
        {},
      ],
      ['fhir/', { method: 'POST', body: JSON.stringify({ ...documentBundle().bundle, type: 'batch' }) }],
    );
    const wrongUrl = documentBundle().bundle;
    wrongUrl.entry[1].request.url = 'DocumentReference/123';
    refused.push(['fhir/', { method: 'POST', body: JSON.stringify(wrongUrl) }]);
    for (const [path, init] of refused) {
      const response = await api(browser, path, init);
      assert.ok([405, 404].includes(response.status), `${init.method ?? 'GET'} ${path}: ${response.status}`);
    }
    const allowed = await api(browser, 'fhir/DocumentReference?patient=Patient/patient-externe-id-2&status=current');
    assert.equal(allowed.status, 200);
  });

  it('answers 401 when not paired', async () => {
    const response = await api(
      new Browser(),
      'fhir/DocumentReference?patient=Patient/patient-externe-id-2&status=current',
    );
    assert.equal(response.status, 401);
    assert.equal((await response.json()).resourceType, 'OperationOutcome');
  });

  it('refuses a callback whose state was not started in this browser', async () => {
    const { browser } = await pairThroughGateway(harness, { finalities: ['DOC_ECRITURE'] });
    const stranger = new Browser();
    const forged = await stranger.request(`${harness.origin}/mes/pair/callback?code=abc&state=${'x'.repeat(43)}`);
    assert.equal(forged.status, 400);
    assert.match(await forged.text(), /data-outcome="error"/);
    assert.equal((await (await api(stranger, 'session')).json()).paired, false);
    assert.equal((await (await api(browser, 'session')).json()).paired, true);
  });

  it('reports a refusal of every finalité as an error to the opener', async () => {
    const start = await pairThroughGateway(harness, { persona: 'elise', finalities: ['DOC_ECRITURE'], choose: [] });
    assert.match(start.callbackPage, /data-outcome="error"/);
    assert.equal((await (await api(start.browser, 'session')).json()).paired, false);
  });

  it('redirect mode comes back to a same-origin path only', async () => {
    const browser = new Browser();
    for (const [returnTo, expected] of [
      ['/documents?x=1', '/documents'],
      ['//evil.example/x', '/'],
      ['https://evil.example/', '/'],
      ['/\t/evil.example/x', '/'],
      ['/\\evil.example', '/'],
    ] as const) {
      const start = await browser.request(
        `${harness.origin}/mes/pair/start?finalities=DOC_ECRITURE&mode=redirect&return_to=${encodeURIComponent(returnTo)}`,
      );
      const location = new URL(start.headers.get('location')!);
      const state = location.searchParams.get('state')!;
      const refused = await browser.request(`${harness.origin}/mes/pair/callback?error=access_denied&state=${state}`);
      assert.equal(refused.status, 303);
      const back = new URL(refused.headers.get('location')!);
      assert.equal(back.origin, harness.origin);
      assert.equal(back.pathname, expected);
      assert.equal(back.searchParams.get('mes_pairing'), 'error');
    }
  });

  it('refuses a start without finalités', async () => {
    const response = await new Browser().request(`${harness.origin}/mes/pair/start`);
    assert.equal(response.status, 400);
  });

  it('revokes: the gateway forgets the tokens and MES ends the pairing', async () => {
    const { browser } = await pairThroughGateway(harness, { persona: 'louis', finalities: ['DOC_ECRITURE'] });
    const pairings = async () =>
      ((await (await fetch(`${harness.sandbox.url}/sandbox/pairings`)).json()) as { persona: string }[]).filter(
        (p) => p.persona === 'louis',
      );
    assert.equal((await pairings()).length, 1);
    const revoke = await api(browser, 'pair/revoke', { method: 'POST' });
    assert.equal(revoke.status, 204);
    assert.equal((await (await api(browser, 'session')).json()).paired, false);
    assert.equal((await pairings()).length, 0);
  });
});

describe('gateway: a lost answer is an unclear failure, and nothing is filed twice', () => {
  it('client → gateway → sandbox dropping every answer: one document, then « already there »', async () => {
    const harness = await startGateway();
    try {
      const client = await pairedGatewayClient(harness, ['DOC_ECRITURE']);
      const file = new Blob([new Uint8Array(pdfBytes('dropped'))], { type: 'application/pdf' });
      const letter = { file, title: 'Lettre de liaison', type: '11490-0' as const, id: 'lettre-dropped' };
      const faults = (settings: object) =>
        fetch(`${harness.sandbox.url}/sandbox/faults`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(settings),
        });
      const before = (await adminBundle(harness.sandbox.url, 'camille', 'DocumentReference')).total;

      await faults({ dropResponseRate: 1 });
      await assert.rejects(client.sendDocument(letter), (error: MesError) => error.code === 'MES_NETWORK');
      assert.equal((await adminBundle(harness.sandbox.url, 'camille', 'DocumentReference')).total, before + 1);
      assert.ok(
        harness.audit.filter((e) => e.action === 'ITI-65 transaction' && e.status === 502).length >= 2,
        'it was resent',
      );

      await faults({});
      const again = await client.sendDocument(letter);
      assert.equal(again.alreadyPresent, true);
      assert.equal((await adminBundle(harness.sandbox.url, 'camille', 'DocumentReference')).total, before + 1);
    } finally {
      await harness.close();
    }
  });
});

describe('gateway token refresh', () => {
  it('refreshes an expired access token (rotation) without the browser noticing', async () => {
    const harness = await startGateway({ sandbox: { accessTokenTtlSeconds: 2 } });
    try {
      const { browser } = await pairThroughGateway(harness, { finalities: ['DOC_LECTURE'] });
      await new Promise((resolve) => setTimeout(resolve, 2200));
      const response = await browser.request(
        `${harness.origin}/mes/fhir/DocumentReference?patient=Patient/patient-externe-id-2&status=current`,
        {
          headers: portalHeaders(harness.origin),
        },
      );
      assert.equal(response.status, 200);
    } finally {
      await harness.close();
    }
  });
});
