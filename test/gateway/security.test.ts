/**
 * Attacks on the gateway: where it sends the patient after a pairing, who may start one, what a
 * request costs it before it knows who is asking, what malformed input gets, and its health check.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { SERVICE } from '../helpers/scripted-transport.js';
import {
  loginToPortal,
  pairThroughGateway,
  portalHeaders,
  portalUserOf,
  throughMes,
  type GatewayHarness,
  useHarness,
} from '../helpers/gateway.js';
import { Browser, pairingsOf } from '../helpers/sandbox.js';
import { createGateway, type GatewayOptions } from '../../packages/gateway/src/index.js';
import { MemorySessionStore, type SessionStore } from '../../packages/gateway/src/session-store.js';

const newUser = (label: string) => `${label}-${randomUUID()}`;

interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/**
 * A request as any HTTP client may send it (methods and paths `fetch` refuses), to the gateway's
 * server. With `open`, the body is never finished: the answer must come while it is still being sent.
 */
function raw(
  harness: GatewayHarness,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string; open?: string; timeoutMs?: number } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({
      host: '127.0.0.1',
      port: new URL(harness.origin).port,
      method,
      path,
      agent: false,
      headers: options.headers,
    });
    const timer = setTimeout(() => {
      request.destroy();
      reject(new Error(`${method} ${path}: no answer within ${options.timeoutMs ?? 15_000} ms`));
    }, options.timeoutMs ?? 15_000);
    request.on('error', (error) => (clearTimeout(timer), reject(error)));
    request.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        clearTimeout(timer);
        if (options.open !== undefined) request.destroy();
        resolve({ status: response.statusCode!, headers: response.headers, text });
      });
    });
    if (options.open !== undefined) request.write(options.open);
    else request.end(options.body);
  });
}

/** The last NDJSON line of a gateway answer: `{ error }` here. */
const lastLine = (text: string) => JSON.parse(text.trim().split('\n').at(-1)!);

/** What a logged-in page sends: the portal user's cookie, the kit's header, the portal's Origin. */
const pageHeaders = (harness: GatewayHarness, user?: string, extra: Record<string, string> = {}) => ({
  ...portalHeaders(harness.origin),
  ...(user && { cookie: `portal_user=${encodeURIComponent(user)}` }),
  ...extra,
});

describe('gateway under attack', () => {
  const ref = useHarness();

  describe('no open redirect after a pairing', () => {
    it('start → MES → callback in redirect mode with return_to=/.//evil.example/phish comes back to the portal', async () => {
      const { harness } = ref;
      for (const query of [
        'return_to=/.//evil.example/phish',
        'return_to=/%2e//evil.example/phish',
        'return_to=/%252e%252e//evil.example/phish',
      ]) {
        const browser = new Browser();
        loginToPortal(browser, newUser('phish'));
        const start = await browser.request(
          `${harness.origin}/mes/pair/start?finalities=DOC_LECTURE&mode=redirect&${query}`,
        );
        assert.equal(start.status, 302, query);
        const { callbackUrl } = await throughMes(harness, browser, start.headers.get('location')!);
        const callback = await browser.request(callbackUrl);
        assert.equal(callback.status, 303, query);
        const location = callback.headers.get('location')!;
        const back = new URL(location);
        assert.equal(back.origin, harness.origin, `${query} → ${location}`);
        assert.equal(back.pathname, '/', `${query} → ${location}`);
        assert.ok(location.startsWith(`${harness.origin}/?`), location);
        assert.equal(back.searchParams.get('mes_pairing'), 'success');
      }
    });
  });

  describe('who may start a pairing', () => {
    it('refuses a start from anywhere but the portal itself, and the pairing under way survives it', async () => {
      const { harness } = ref;
      const browser = new Browser();
      loginToPortal(browser, newUser('same-site'));
      const start = await browser.request(`${harness.origin}/mes/pair/start?finalities=DOC_ECRITURE`, {
        headers: { 'sec-fetch-site': 'same-origin' },
      });
      assert.equal(start.status, 302);
      const cookie = browser.cookie('mes_pair');
      const attempts: Record<string, string>[] = [
        { 'sec-fetch-site': 'same-site' },
        { 'sec-fetch-site': 'cross-site' },
        { 'sec-fetch-site': 'same-site', origin: harness.origin },
        { 'sec-fetch-site': 'something-else' },
        { origin: 'http://blog.localhost:1234' },
        { origin: 'null' },
        { referer: 'http://evil.example/page' },
        { referer: `http://127.0.0.1:${new URL(harness.origin).port}/` },
        { origin: harness.origin, referer: 'http://evil.example/page' },
      ];
      for (const headers of attempts) {
        const refused = await browser.request(`${harness.origin}/mes/pair/start?finalities=DOC_ECRITURE`, { headers });
        assert.equal(refused.status, 403, JSON.stringify(headers));
        assert.equal(refused.headers.get('set-cookie'), null, JSON.stringify(headers));
        assert.match(await refused.text(), /portail/, 'says where to start from, in French');
      }
      assert.equal(browser.cookie('mes_pair'), cookie, 'the pairing under way was not replaced');
      const { callbackUrl } = await throughMes(harness, browser, start.headers.get('location')!);
      const callback = await browser.request(callbackUrl);
      assert.match(await callback.text(), /data-outcome="success"/);
    });

    it('starts from the portal: same-origin, a typed address (none), or no Sec-Fetch-Site with the portal’s own Origin/Referer', async () => {
      const { harness } = ref;
      const browser = new Browser();
      for (const headers of [
        { 'sec-fetch-site': 'same-origin' },
        { 'sec-fetch-site': 'none' },
        { 'sec-fetch-site': 'same-origin', origin: harness.origin, referer: `${harness.origin}/documents` },
        { origin: harness.origin },
        { referer: `${harness.origin}/documents?x=1` },
        {},
      ] as Record<string, string>[]) {
        loginToPortal(browser, newUser('portal-start'));
        const start = await browser.request(`${harness.origin}/mes/pair/start?finalities=DOC_ECRITURE`, { headers });
        assert.equal(start.status, 302, JSON.stringify(headers));
      }
    });

    it('lets one portal user start five pairings in ten seconds, not more: each one asks MES with the service’s credentials', async () => {
      const { harness } = ref;
      const browser = new Browser();
      loginToPortal(browser, newUser('flood'));
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        const start = await browser.request(`${harness.origin}/mes/pair/start?finalities=DOC_ECRITURE`, {
          headers: { 'sec-fetch-site': 'same-origin' },
        });
        statuses.push(start.status);
      }
      assert.deepEqual(statuses, [302, 302, 302, 302, 302, 429, 429]);
      loginToPortal(browser, newUser('other'));
      const other = await browser.request(`${harness.origin}/mes/pair/start?finalities=DOC_ECRITURE`, {
        headers: { 'sec-fetch-site': 'same-origin' },
      });
      assert.equal(other.status, 302, 'another user is not held back');
    });

    it('starting a new pairing leaves the current one as it is until the new one completes', async () => {
      const { harness } = ref;
      const { browser, user } = await pairThroughGateway(harness, { persona: 'louis', finalities: ['DOC_LECTURE'] });
      const session = async () =>
        (await browser.request(`${harness.origin}/mes/session`, { headers: portalHeaders(harness.origin) })).json();
      const current = await session();
      assert.equal(current.paired, true);
      assert.deepEqual(current.finalities, ['DOC_LECTURE']);
      const pairingsBefore = (await pairingsOf(harness.sandbox.url, 'louis')).length;
      const start = await browser.request(`${harness.origin}/mes/pair/start?finalities=DOC_ECRITURE`, {
        headers: { 'sec-fetch-site': 'same-origin' },
      });
      assert.equal(start.status, 302);
      assert.deepEqual(await session(), current, 'still paired while the new pairing is under way');
      const { callbackUrl } = await throughMes(harness, browser, start.headers.get('location')!, {
        persona: 'louis',
        choose: [],
      });
      const refused = await browser.request(callbackUrl);
      assert.match(await refused.text(), /data-outcome="error"/);
      assert.deepEqual(await session(), current, 'a new pairing refused in MES leaves the current one');
      assert.equal((await pairingsOf(harness.sandbox.url, 'louis')).length, pairingsBefore);
      loginToPortal(browser, user);
      const find = await raw(harness, 'POST', '/mes/operations/find-documents', {
        headers: pageHeaders(harness, user, { 'content-type': 'application/json' }),
        body: '{}',
      });
      assert.equal(find.status, 200, find.text);
      assert.ok('result' in lastLine(find.text), 'the current pairing still works');
    });
  });

  describe('whose pairing it is', () => {
    it('ends in MES the pairing an account had with another patient, once it pairs with a new one', async () => {
      const { harness } = ref;
      const first = await pairThroughGateway(harness, { persona: 'louis', finalities: ['DOC_LECTURE'] });
      assert.equal((await pairingsOf(harness.sandbox.url, 'louis')).length, 1);
      // The same portal account, on another device.
      await pairThroughGateway(harness, { user: first.user, persona: 'elise', finalities: ['DOC_LECTURE'] });
      assert.equal((await pairingsOf(harness.sandbox.url, 'elise')).length, 1);
      assert.deepEqual(await pairingsOf(harness.sandbox.url, 'louis'), [], 'not left live in MES');
      assert.ok(harness.audit.some((entry) => entry.action === 'pair.replaced' && entry.status === 200));
    });

    it('spends a callback that reaches another browser: its address is worth nothing afterwards', async () => {
      const { harness } = ref;
      const browser = new Browser();
      loginToPortal(browser, newUser('leaky'));
      const start = await browser.request(`${harness.origin}/mes/pair/start?finalities=DOC_LECTURE`, {
        headers: { 'sec-fetch-site': 'same-origin' },
      });
      const { callbackUrl } = await throughMes(harness, browser, start.headers.get('location')!, { persona: 'nadia' });
      const elsewhere = await new Browser().request(callbackUrl);
      assert.match(await elsewhere.text(), /data-outcome="error"/);
      const late = await browser.request(callbackUrl);
      assert.match(await late.text(), /data-outcome="error"/, 'the initiator cannot redeem it either');
    });

    it('keeps one pairing under way per account: a new start replaces the last', async () => {
      const { harness } = ref;
      const browser = new Browser();
      loginToPortal(browser, newUser('twice'));
      const starts = [];
      for (let i = 0; i < 2; i++) {
        const start = await browser.request(`${harness.origin}/mes/pair/start?finalities=DOC_LECTURE`, {
          headers: { 'sec-fetch-site': 'same-origin' },
        });
        starts.push(start.headers.get('location')!);
      }
      const stale = await throughMes(harness, browser, starts[0], { persona: 'nadia' });
      // The first start's cookie was replaced by the second's; even with it, the first is gone.
      const first = await browser.request(stale.callbackUrl);
      assert.match(await first.text(), /data-outcome="error"/);
    });
  });

  describe('nothing costly before the gateway knows who is asking', () => {
    const endless = '['.repeat(64 * 1024);

    it('answers while the body is still being sent: no portal user, not paired, cross-site, no consent', async () => {
      const { harness } = ref;
      const lector = await pairThroughGateway(harness, { finalities: ['DOC_LECTURE'] });
      const unpaired = newUser('unpaired');
      const cases: [string, string, Record<string, string>, number, string][] = [
        ['nobody logged in', 'find-documents', pageHeaders(harness), 401, 'MES_AUTH_REQUIRED'],
        ['not paired', 'find-documents', pageHeaders(harness, unpaired), 401, 'MES_AUTH_REQUIRED'],
        ['not paired, an upload', 'send-document', pageHeaders(harness, unpaired), 401, 'MES_AUTH_REQUIRED'],
        ['no custom header', 'find-documents', { cookie: `portal_user=${lector.user}` }, 403, 'MES_CONFIGURATION'],
        [
          'no consent to send',
          'send-document',
          pageHeaders(harness, lector.user, { 'content-type': 'application/pdf', 'x-mes-input': '{}' }),
          403,
          'MES_CONSENT_REQUIRED',
        ],
      ];
      for (const [label, operation, headers, status, code] of cases) {
        const answer = await raw(harness, 'POST', `/mes/operations/${operation}`, {
          headers: { 'content-type': 'application/json', ...headers },
          open: endless,
        });
        assert.equal(answer.status, status, `${label}: ${answer.text}`);
        assert.equal(lastLine(answer.text).error.code, code, label);
      }
    });

    it('cuts a body that goes on after the answer, once past the largest body it takes', async () => {
      const { harness } = ref;
      // A raw socket: an HTTP client stops sending once it has its answer; an attacker does not.
      const socket = connect(Number(new URL(harness.origin).port), '127.0.0.1');
      const head = Object.entries(pageHeaders(harness, undefined, { 'content-type': 'application/json' }))
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('');
      socket.write(
        `POST /mes/operations/find-documents HTTP/1.1\r\nhost: localhost\r\n${head}transfer-encoding: chunked\r\n\r\n`,
      );
      const chunk = Buffer.concat([Buffer.from('40000\r\n'), Buffer.alloc(0x40000, 0x5b), Buffer.from('\r\n')]);
      let answer = '';
      socket.on('data', (data: Buffer) => (answer += data.toString('latin1')));
      const bytes = await new Promise<number>((resolve) => {
        let sent = 0;
        const done = () => resolve(sent);
        socket.once('close', done);
        socket.once('error', done);
        // Far past the gateway's 5.5 MB, at a steady pace: an endless body, as far as the test goes.
        const pump = () => {
          if (socket.destroyed) return;
          if (sent >= 200_000_000) return void socket.end();
          sent += 0x40000;
          socket.write(chunk, () => setTimeout(pump, 5));
        };
        pump();
      });
      assert.match(answer, /^HTTP\/1\.1 401/, 'answered first');
      assert.ok(bytes < 100_000_000, `the connection was cut after ${bytes} bytes`);
    });

    it('7,999,999 « [ » from nobody cost the gateway next to no CPU', async () => {
      const { harness } = ref;
      const body = '['.repeat(7_999_999);
      for (const headers of [
        pageHeaders(harness, undefined, { 'content-type': 'application/json' }),
        pageHeaders(harness, newUser('unpaired'), {
          'content-type': 'application/json',
          'transfer-encoding': 'chunked',
        }),
      ]) {
        const cpu = process.cpuUsage();
        const answer = await raw(harness, 'POST', '/mes/operations/find-documents', { headers, body });
        const used = process.cpuUsage(cpu);
        assert.ok(answer.status >= 400 && answer.status < 500, `${answer.status} ${answer.text}`);
        // Client and server share this process: the bound is generous, a parse of 8 MB takes seconds.
        assert.ok(used.user + used.system < 1_500_000, `${(used.user + used.system) / 1000} ms of CPU`);
      }
    });

    it('refuses JSON nested deeper than any input needs, before parsing it', async () => {
      const { harness } = ref;
      const { user } = await pairThroughGateway(harness, { finalities: ['DOC_LECTURE', 'DOC_ECRITURE'] });
      const headers = pageHeaders(harness, user, { 'content-type': 'application/json' });
      const deep = `{"extra":${'['.repeat(1000)}${']'.repeat(1000)}}`;
      const parsed: string[] = [];
      const parse = JSON.parse;
      JSON.parse = ((text: string, reviver?: Parameters<typeof parse>[1]) => {
        parsed.push(String(text));
        return parse(text, reviver);
      }) as typeof JSON.parse;
      let answers: RawAnswer[];
      try {
        answers = [
          await raw(harness, 'POST', '/mes/operations/find-documents', { headers, body: deep }),
          await raw(harness, 'POST', '/mes/operations/find-documents', {
            headers,
            body: `{"extra":${'['.repeat(60_000)}`,
          }),
          await raw(harness, 'POST', '/mes/operations/send-document', {
            headers: { ...headers, 'content-type': 'application/pdf', 'x-mes-input': deep },
            body: '%PDF-1.4',
          }),
        ];
      } finally {
        JSON.parse = parse;
      }
      for (const answer of answers) {
        assert.equal(answer.status, 400, answer.text);
        assert.equal(lastLine(answer.text).error.code, 'MES_INVALID_INPUT');
        assert.equal(lastLine(answer.text).error.field, 'input');
      }
      assert.ok(!parsed.some((text) => text.includes('[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[')), 'never parsed');
      // Brackets inside strings are text, and a sensible depth is fine.
      for (const body of [
        `{"extra":"${'['.repeat(1000)}"}`,
        `{"extra":"\\"${'['.repeat(1000)}"}`,
        `{"extra":[[[{"a":[1,{"b":"]]]]"}]}]]]}`,
      ]) {
        const answer = await raw(harness, 'POST', '/mes/operations/find-documents', { headers, body });
        assert.equal(answer.status, 200, answer.text);
        assert.ok('result' in lastLine(answer.text), answer.text);
      }
    });

    it('a normal request is answered while a bad one is still being sent', async () => {
      const { harness } = ref;
      const { user } = await pairThroughGateway(harness, { finalities: ['DOC_ECRITURE'] });
      const order: string[] = [];
      const bad = new Promise<number>((resolve, reject) => {
        const request = httpRequest({
          host: '127.0.0.1',
          port: new URL(harness.origin).port,
          method: 'POST',
          path: '/mes/operations/send-document',
          agent: false,
          headers: pageHeaders(harness, user, {
            'content-type': 'application/pdf',
            'x-mes-input': '{"type":"DOCPAT01"}',
          }),
        });
        request.on('error', reject);
        request.on('response', (response) => {
          response.resume();
          order.push('bad');
          resolve(response.statusCode!);
        });
        // A slow upload: the good request comes in between its chunks.
        request.write('%PDF-1.4\n' + '['.repeat(256 * 1024));
        void (async () => {
          while (!order.includes('good')) await new Promise((r) => setTimeout(r, 20));
          request.end('['.repeat(1024));
        })();
      });
      const good = await raw(harness, 'GET', '/mes/session', { headers: pageHeaders(harness, user) });
      order.push('good');
      assert.equal(good.status, 200);
      assert.equal(JSON.parse(good.text).paired, true);
      const status = await bad;
      assert.ok(status >= 400 && status < 500, String(status));
      assert.deepEqual(order, ['good', 'bad']);
    });
  });

  describe('malformed input gets a 4xx that says what is wrong, never a 5xx', () => {
    it('TRACE and every method a route does not answer: 405 with Allow', async () => {
      const { harness } = ref;
      const routes: [string, string][] = [
        ['/mes/session', 'GET'],
        ['/mes/pair/start?finalities=DOC_LECTURE', 'GET'],
        ['/mes/pair/callback', 'GET'],
        ['/mes/pair/revoke', 'POST'],
        ['/mes/operations/find-documents', 'POST'],
        ['/mes/agenda.ics', 'GET'],
        ['/mes/measures/summary', 'GET'],
        ['/mes/imports/abc', 'GET'],
        ['/mes/health', 'GET, HEAD'],
      ];
      for (const [path, allowed] of routes) {
        for (const method of [
          'TRACE',
          'PUT',
          'DELETE',
          'PATCH',
          'OPTIONS',
          'PROPFIND',
          allowed.startsWith('GET') ? 'POST' : 'GET',
        ]) {
          const answer = await raw(harness, method, path, { headers: pageHeaders(harness, newUser('methods')) });
          assert.equal(answer.status, 405, `${method} ${path}: ${answer.text}`);
          assert.equal(answer.headers.allow, allowed, `${method} ${path}`);
        }
      }
      const unknown = await raw(harness, 'TRACE', '/mes/nothing-here', { headers: pageHeaders(harness) });
      assert.equal(unknown.status, 404);
    });

    it('odd paths, cookies, headers and bodies: all 4xx (or a plain answer), none 5xx', async () => {
      const { harness } = ref;
      const { user } = await pairThroughGateway(harness, { finalities: ['DOC_LECTURE', 'DOC_ECRITURE'] });
      const json = pageHeaders(harness, user, { 'content-type': 'application/json' });
      const answers: [string, RawAnswer][] = [];
      for (const path of [
        '/mes/%00',
        '/mes/operations/%00',
        '/mes/operations/..',
        '/mes/operations/..%2f..%2fsession',
        '/mes/%2e%2e/session',
        '/mes/imports/%00',
        '/mes/session%00',
        '/mes/%',
        '/mes//session',
        `/mes/${'x'.repeat(8000)}`,
        '/mes/pair/callback?state=%00&code=%ff',
        `/mes/pair/start?finalities=DOC_LECTURE&return_to=${'%00'.repeat(1000)}`,
        '/mes/measures/summary?kinds=%00&from=x&to=y',
      ]) {
        answers.push([
          `GET ${path.slice(0, 60)}`,
          await raw(harness, 'GET', path, { headers: pageHeaders(harness, user) }),
        ]);
        answers.push([`POST ${path.slice(0, 60)}`, await raw(harness, 'POST', path, { headers: json, body: '{}' })]);
      }
      for (const cookie of [
        'portal_user=%E0%A4%A',
        'mes_pair=%E0%A4%A; portal_user=%',
        `portal_user=${'%'.repeat(4000)}`,
      ]) {
        for (const [method, path] of [
          ['GET', '/mes/session'],
          ['GET', '/mes/pair/start?finalities=DOC_LECTURE'],
          ['GET', '/mes/pair/callback?state=abc'],
          ['POST', '/mes/operations/find-documents'],
        ]) {
          answers.push([
            `${method} ${path} with ${cookie.slice(0, 30)}`,
            await raw(harness, method, path, { headers: { ...json, cookie }, body: '{}' }),
          ]);
        }
      }
      const bodies = [
        '',
        '{',
        'null',
        '[]',
        '"x"',
        '{"count":"many"}',
        '{"count":1e999}',
        '{"__proto__":{"polluted":1}}',
        `{"ref":"${'x'.repeat(60_000)}"}`,
        '{"ref":{"$ne":null}}',
        '{"only":[{}]}',
        '{"kinds":"POIDS"}',
        '{"a":"\\ud800"}',
        '\u0000',
      ];
      for (const operation of [
        'find-documents',
        'retrieve-document',
        'send-document',
        'sync-agenda',
        'send-measures',
        'read-measures',
      ]) {
        for (const body of bodies) {
          answers.push([
            `${operation} ${body.slice(0, 30)}`,
            await raw(harness, 'POST', `/mes/operations/${operation}`, { headers: json, body }),
          ]);
        }
      }
      assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
      for (const [label, answer] of answers) {
        assert.ok(answer.status < 500, `${label}: ${answer.status} ${answer.text.slice(0, 200)}`);
        if (answer.status >= 400 && /ndjson/.test(String(answer.headers['content-type']))) {
          assert.match(lastLine(answer.text).error.code, /^MES_[A-Z_]+$/, label);
        }
      }
      // A portal session the host cannot read is nobody's: no pairing reached, nothing started.
      const unreadable = await raw(harness, 'GET', '/mes/session', {
        headers: { ...json, cookie: 'portal_user=%E0%A4%A' },
      });
      assert.deepEqual(JSON.parse(unreadable.text), { paired: false, finalities: [], service: SERVICE });
    });
  });

  describe('GET /mes/health', () => {
    it('200 {"status":"ok"}, no-store, for anyone: no portal user, no custom header, no cookie', async () => {
      const { harness } = ref;
      const answer = await raw(harness, 'GET', '/mes/health');
      assert.equal(answer.status, 200, answer.text);
      assert.deepEqual(JSON.parse(answer.text), { status: 'ok' });
      assert.equal(answer.headers['cache-control'], 'no-store');
      assert.match(String(answer.headers['content-type']), /^application\/json/);
      assert.equal(answer.headers['set-cookie'], undefined);
      const head = await raw(harness, 'HEAD', '/mes/health');
      assert.equal(head.status, 200, 'a load balancer may check with HEAD');
      assert.equal(head.text, '');
    });
  });
});

/** A gateway in this process, for what a harness cannot break: its store, MES's address. */
function gatewayWith(options: Partial<GatewayOptions>) {
  return createGateway({
    mes: { issuer: 'http://127.0.0.1:1', fhirBase: 'http://127.0.0.1:1/fhir' },
    client: { clientId: 'mes-kit-demo', clientSecret: 'secret' },
    service: SERVICE,
    origin: 'http://portail.test',
    identify: portalUserOf,
    ...options,
  });
}

describe('gateway health: which dependency failed', () => {
  const ref = useHarness();

  it('503 naming the session store when it fails, and asks it only for health:probe', async () => {
    const { harness } = ref;
    const calls: string[] = [];
    // Whatever the store offers, every call is seen; its reads fail.
    const broken = new Proxy(new MemorySessionStore(), {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls.push(`${String(property)} ${String(args[0])}`);
          if (property === 'get') return Promise.reject(new Error('store down'));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as SessionStore;
    const gateway = gatewayWith({
      mes: { issuer: harness.sandbox.url, fhirBase: harness.sandbox.fhirBase },
      sessions: broken,
    });
    const answer = await gateway(new Request('http://portail.test/mes/health'));
    assert.equal(answer.status, 503);
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await answer.json(), { status: 'unavailable', failed: ['sessions'] });
    assert.deepEqual(calls, ['get health:probe']);
  });

  it('503 naming MES when its discovery cannot be reached; 200 once it can', async () => {
    const { harness } = ref;
    const down = await gatewayWith({})(new Request('http://portail.test/mes/health'));
    assert.equal(down.status, 503);
    assert.deepEqual(await down.json(), { status: 'unavailable', failed: ['mes'] });
    const up = gatewayWith({ mes: { issuer: harness.sandbox.url, fhirBase: harness.sandbox.fhirBase } });
    const answer = await up(new Request('http://portail.test/mes/health'));
    assert.equal(answer.status, 200);
    assert.deepEqual(await answer.json(), { status: 'ok' });
  });
});
