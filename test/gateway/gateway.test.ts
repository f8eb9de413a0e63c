import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { DocumentToSend, MesError } from '@mes-kit/core';
import { documentBundle, pdfBlob, pdfBytes } from '../helpers/documents.js';
import { JWT } from '../helpers/portal.js';
import { SERVICE } from '../helpers/scripted-transport.js';
import {
  displayNameOf,
  gatewayClient,
  loginToPortal,
  logoutOfPortal,
  pairThroughGateway,
  portalHeaders,
  spyOnFetch,
  throughMes,
  type GatewayHarness,
  useHarness,
} from '../helpers/gateway.js';
import { Browser, adminBundle, pairingsOf, storedDocument } from '../helpers/sandbox.js';

const newUser = (label: string) => `${label}-${randomUUID()}`;
const letter = (label: string, overrides: Partial<DocumentToSend> = {}): DocumentToSend => ({
  file: pdfBlob(label),
  title: `Lettre de liaison ${label}`,
  type: '11490-0',
  ...overrides,
});

/** What an operation's NDJSON answer said, line by line. */
interface OperationAnswer {
  status: number;
  contentType: string | null;
  lines: any[];
  /** The last line: `{ result }` or `{ error }`. */
  last: any;
}

async function readAnswer(response: Response): Promise<OperationAnswer> {
  const text = await response.text();
  const lines = text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  return { status: response.status, contentType: response.headers.get('content-type'), lines, last: lines.at(-1) };
}

/** A call to the gateway's API from the portal's page in this browser: its custom header and Origin. */
const api = (harness: GatewayHarness, browser: Browser, path: string, init: RequestInit = {}) =>
  browser.request(`${harness.origin}/mes/${path}`, {
    ...init,
    headers: { ...portalHeaders(harness.origin), ...(init.headers as Record<string, string>) },
  });

const session = async (harness: GatewayHarness, browser: Browser) => (await api(harness, browser, 'session')).json();

/** An operation with a JSON input, and its NDJSON answer. */
const run = async (
  harness: GatewayHarness,
  browser: Browser,
  name: string,
  body: unknown,
  headers: Record<string, string> = {},
) =>
  readAnswer(
    await api(harness, browser, `operations/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    }),
  );

/** A patient's file as the client uploads it: the raw bytes, the other fields in the x-mes-input header. */
const upload = async (
  harness: GatewayHarness,
  browser: Browser,
  bytes: Uint8Array,
  fields: Record<string, unknown>,
  type = 'application/pdf',
) =>
  readAnswer(
    await api(harness, browser, 'operations/send-document', {
      method: 'POST',
      headers: { 'content-type': type, 'x-mes-input': encodeURIComponent(JSON.stringify(fields)) },
      body: new Uint8Array(bytes),
    }),
  );

const count = async (harness: GatewayHarness, persona = 'camille', type = 'DocumentReference') =>
  (await adminBundle(harness.sandbox.url, persona, type)).total;

describe('gateway (back end for the front end) against the sandbox', () => {
  const ref = useHarness();
  describe('pairing', () => {
    it('sets no cookie of its own but mes_pair: HttpOnly, SameSite=Lax, on the pairing path, for 10 minutes', async () => {
      const { harness } = ref;
      const browser = new Browser();
      loginToPortal(browser, newUser('cookies'));
      const response = await api(harness, browser, 'session');
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('set-cookie'), null);
      assert.deepEqual(await response.json(), { paired: false, finalities: [], service: SERVICE });
      const start = await browser.request(`${harness.origin}/mes/pair/start?finalities=DOC_ECRITURE`);
      assert.equal(start.status, 302);
      const cookies = start.headers.getSetCookie();
      assert.equal(cookies.length, 1, cookies.join(' / '));
      assert.match(cookies[0], /^mes_pair=[\w-]+; Path=\/mes\/pair; HttpOnly; SameSite=Lax; Max-Age=600$/);
    });

    it('pairs the logged-in portal user through MES with PKCE; the tokens stay on the server', async () => {
      const { harness } = ref;
      const paired = await pairThroughGateway(harness, {
        finalities: ['DOC_ECRITURE', 'DOC_LECTURE'],
        choose: ['DOC_ECRITURE'],
      });
      const { browser, callback, callbackPage, authorizeUrl } = paired;
      const authorize = new URL(authorizeUrl);
      assert.equal(authorize.origin, harness.sandbox.url);
      assert.equal(callback.status, 200);
      assert.match(callback.headers.get('content-security-policy') ?? '', /script-src 'self'/);
      assert.match(callbackPage, /data-outcome="success"/);
      assert.match(callbackPage, new RegExp(`data-target-origin="${harness.origin}"`));
      assert.doesNotMatch(callbackPage, JWT);
      const script = await browser.request(`${harness.origin}/mes/pair/callback.js`);
      assert.match(await script.text(), /postMessage\(message, data\.targetOrigin\)/);
      assert.deepEqual(await session(harness, browser), {
        paired: true,
        finalities: ['DOC_ECRITURE'],
        idPe: 'patient-externe-id-2',
        service: SERVICE,
      });
      assert.equal(browser.cookie('mes_pair'), '', 'the pairing cookie is cleared once used');
      assert.equal(browser.cookie('mes_session'), undefined, 'no session cookie of the gateway’s own');
      assert.ok(harness.audit.some((e) => e.action === 'pair.success' && e.status === 200));
    });

    it('the pairing belongs to the portal user, not to the browser', async () => {
      const { harness } = ref;
      const { user } = await pairThroughGateway(harness, { finalities: ['DOC_LECTURE'] });
      const elsewhere = new Browser();
      loginToPortal(elsewhere, user);
      assert.equal((await session(harness, elsewhere)).paired, true, 'the same user on another device');
      logoutOfPortal(elsewhere);
      assert.deepEqual(await session(harness, elsewhere), { paired: false, finalities: [], service: SERVICE });
      const answer = await run(harness, elsewhere, 'find-documents', {});
      assert.equal(answer.status, 401);
      assert.equal(answer.last.error.code, 'MES_AUTH_REQUIRED');
    });

    it('refuses to start without a portal user, from another site, or without finalités', async () => {
      const { harness } = ref;
      const anonymous = await new Browser().request(`${harness.origin}/mes/pair/start?finalities=DOC_ECRITURE`);
      assert.equal(anonymous.status, 401);
      assert.equal(anonymous.headers.get('set-cookie'), null);
      const browser = new Browser();
      loginToPortal(browser, newUser('start'));
      const crossSite = await browser.request(`${harness.origin}/mes/pair/start?finalities=DOC_ECRITURE`, {
        headers: { 'sec-fetch-site': 'cross-site' },
      });
      assert.equal(crossSite.status, 403);
      assert.equal(crossSite.headers.get('set-cookie'), null);
      for (const query of ['', '?finalities=', '?finalities=openid', '?finalities=DOC_ECRITURE%20doc_lecture']) {
        const response = await browser.request(`${harness.origin}/mes/pair/start${query}`);
        assert.equal(response.status, 400, query);
      }
    });

    it('a pairing started by user A and finished while the portal says user B is refused, for both', async () => {
      const { harness } = ref;
      const [a, b] = [newUser('a'), newUser('b')];
      const browser = new Browser();
      loginToPortal(browser, a);
      const start = await browser.request(`${harness.origin}/mes/pair/start?finalities=DOC_ECRITURE`);
      const { callbackUrl } = await throughMes(harness, browser, start.headers.get('location')!);
      loginToPortal(browser, b);
      const callback = await browser.request(callbackUrl);
      assert.equal(callback.status, 400);
      const page = await callback.text();
      assert.match(page, /data-outcome="error"/);
      assert.match(page, /data-error="other-user"/);
      assert.equal((await session(harness, browser)).paired, false, 'B is not paired');
      loginToPortal(browser, a);
      assert.equal((await session(harness, browser)).paired, false, 'nor is A');
      assert.ok(harness.audit.some((e) => e.action === 'pair.other-user' && e.status === 403));
    });

    it('refuses a callback that was not started in this browser', async () => {
      const { harness } = ref;
      const attacker = new Browser();
      loginToPortal(attacker, newUser('attacker'));
      const start = await attacker.request(`${harness.origin}/mes/pair/start?finalities=DOC_ECRITURE`);
      const { callbackUrl } = await throughMes(harness, attacker, start.headers.get('location')!, { persona: 'nadia' });
      // The attacker's own MES account, offered to a victim through a link.
      const victim = new Browser();
      loginToPortal(victim, newUser('victim'));
      const lured = await victim.request(callbackUrl);
      assert.equal(lured.status, 400);
      assert.match(await lured.text(), /data-error="expired"/);
      assert.equal((await session(harness, victim)).paired, false);
      const forged = await victim.request(`${harness.origin}/mes/pair/callback?code=abc&state=${'x'.repeat(43)}`);
      assert.equal(forged.status, 400);
      assert.equal((await session(harness, victim)).paired, false);
    });

    it('reports a refusal of every finalité as an error to the opener', async () => {
      const { harness } = ref;
      const refused = await pairThroughGateway(harness, { persona: 'elise', finalities: ['DOC_ECRITURE'], choose: [] });
      assert.match(refused.callbackPage, /data-outcome="error"/);
      assert.equal((await session(harness, refused.browser)).paired, false);
    });

    it('redirect mode comes back to a same-origin path only', async () => {
      const { harness } = ref;
      const browser = new Browser();
      for (const [returnTo, expected] of [
        ['/documents?x=1', '/documents'],
        ['//evil.example/x', '/'],
        ['https://evil.example/', '/'],
        ['/\t/evil.example/x', '/'],
        ['/\\evil.example', '/'],
        ['/.//evil.example/x', '/'],
        ['/.//evil.example/phish', '/'],
        ['/%2e//evil.example/phish', '/'],
        ['/%2E//evil.example/phish', '/'],
        ['/a/..//evil.example', '/'],
        ['/a/..//evil.example/phish', '/'],
        ['/..//evil.example/phish', '/'],
        ['/%2e%2e//evil.example/phish', '/'],
        ['/a/%2e%2e//evil.example/phish', '/'],
        ['/././/evil.example/phish', '/'],
        ['/a/b/../..//evil.example/phish', '/'],
      ] as const) {
        // A user starts a few pairings a minute at most: one user per case.
        loginToPortal(browser, newUser('redirect'));
        const start = await browser.request(
          `${harness.origin}/mes/pair/start?finalities=DOC_ECRITURE&mode=redirect&return_to=${encodeURIComponent(returnTo)}`,
        );
        const state = await stateOf(harness, start.headers.get('location')!);
        const refused = await browser.request(`${harness.origin}/mes/pair/callback?error=access_denied&state=${state}`);
        assert.equal(refused.status, 303);
        const back = new URL(refused.headers.get('location')!);
        assert.equal(back.origin, harness.origin);
        assert.equal(back.pathname, expected);
        assert.equal(back.searchParams.get('mes_pairing'), 'error');
      }
    });

    it('pushes the authorization request when MES offers PAR: the portal user’s name never travels in a URL', async () => {
      const { harness } = ref;
      const discovery = await (await fetch(`${harness.sandbox.url}/.well-known/openid-configuration`)).json();
      assert.ok(discovery.pushed_authorization_request_endpoint, 'the sandbox offers PAR');
      const user = newUser('par');
      const browser = new Browser();
      loginToPortal(browser, user);
      const start = await browser.request(`${harness.origin}/mes/pair/start?finalities=DOC_ECRITURE`);
      assert.equal(start.status, 302);
      const authorize = new URL(start.headers.get('location')!);
      assert.equal(`${authorize.origin}${authorize.pathname}`, discovery.authorization_endpoint);
      assert.match(authorize.searchParams.get('request_uri') ?? '', /^urn:ietf:params:oauth:request_uri:/);
      assert.equal(authorize.searchParams.get('client_id'), 'mes-kit-demo');
      assert.equal(authorize.searchParams.get('partner_user_name'), null);
      assert.ok(!authorize.href.includes(encodeURIComponent(user)) && !authorize.href.includes(user));
      const { consentPage, callbackUrl } = await throughMes(harness, browser, authorize.href);
      assert.ok(consentPage.includes(displayNameOf(user)), 'MES shows which portal account is being linked');
      await browser.request(callbackUrl);
      assert.equal((await session(harness, browser)).paired, true);
    });
    it('asks MES to let the patient say who they are at every pairing (MES’s session may be someone else’s)', async () => {
      const { harness } = ref;
      const browser = new Browser();
      loginToPortal(browser, newUser('prompt'));
      const spy = spyOnFetch();
      try {
        assert.equal((await browser.request(`${harness.origin}/mes/pair/start?finalities=DOC_ECRITURE`)).status, 302);
      } finally {
        spy.restore();
      }
      const pushed = spy.calls.find((call) => call.url.endsWith('/oauth/par'));
      assert.ok(pushed, 'the request was pushed');
      assert.equal(new URLSearchParams(pushed.body).get('prompt'), 'login');
    });
  });

  describe('no FHIR proxy: operations only', () => {
    it('GET and POST /mes/fhir/… answer 404 and nothing reaches MES', async () => {
      const { harness } = ref;
      const { browser } = await pairThroughGateway(harness, { finalities: ['DOC_ECRITURE', 'DOC_LECTURE'] });
      const before = await count(harness);
      const audited = harness.audit.length;
      const spy = spyOnFetch();
      try {
        const attempts: [string, RequestInit][] = [
          ['fhir/DocumentReference?patient.identifier=x&status=current', {}],
          ['fhir/Binary/anything', {}],
          [
            'fhir/',
            {
              method: 'POST',
              headers: { 'content-type': 'application/fhir+json' },
              body: JSON.stringify(documentBundle({ ins: '279035121518989', ifNoneExist: true }).bundle),
            },
          ],
          ['fhir', { method: 'POST', body: '{}' }],
        ];
        for (const [path, init] of attempts) {
          const response = await api(harness, browser, path, init);
          assert.equal(response.status, 404, `${init.method ?? 'GET'} ${path}`);
          await response.body?.cancel();
        }
        assert.deepEqual(
          spy.calls.filter((c) => c.url.startsWith(harness.sandbox.fhirBase)),
          [],
          'the gateway made no call to MES',
        );
      } finally {
        spy.restore();
      }
      assert.equal(await count(harness), before);
      assert.equal(harness.audit.length, audited);
    });

    it('an operation it does not know is refused, and a GET of an operation too', async () => {
      const { harness } = ref;
      const { browser } = await pairThroughGateway(harness, { finalities: ['DOC_LECTURE'] });
      const unknown = await run(harness, browser, 'delete-documents', {});
      assert.equal(unknown.status, 403);
      assert.equal(unknown.last.error.code, 'MES_CONFIGURATION');
      const get = await api(harness, browser, 'operations/find-documents');
      assert.equal(get.status, 405);
      assert.equal(get.headers.get('allow'), 'POST');
    });
  });

  describe('send by ref: the establishment’s document comes from the host', () => {
    it('files the host’s document, byte for byte, authored by the service Device', async () => {
      const { harness } = ref;
      const { browser, user } = await pairThroughGateway(harness, { finalities: ['DOC_ECRITURE'] });
      const document = letter('by-ref');
      harness.addDocument(user, 'lettre-by-ref', document);
      const before = await count(harness);
      const result = await gatewayClient(harness, browser).sendDocument({ ref: 'lettre-by-ref' });
      assert.equal(result.alreadyPresent, false);
      assert.equal(await count(harness), before + 1);
      const { doc, bytes } = await storedDocument(harness.sandbox.url, result.id);
      assert.deepEqual(bytes, Buffer.from(await document.file.arrayBuffer()));
      assert.equal(doc.content[0].attachment.title, document.title);
      assert.equal(doc.type.coding[0].code, '11490-0');
      assert.equal(doc.author[0].reference, '#snr');
      const device = doc.contained.find((r: any) => r.resourceType === 'Device');
      assert.equal(device.identifier[0].value, `urn:oid:${SERVICE.oid}`);
      assert.deepEqual(harness.resolved.at(-1), { userId: user, ref: 'lettre-by-ref' });
    });

    it('what the page adds next to a ref is ignored: title and bytes are the host’s', async () => {
      const { harness } = ref;
      const { browser, user } = await pairThroughGateway(harness, { finalities: ['DOC_ECRITURE'] });
      const document = letter('with-extras');
      harness.addDocument(user, 'lettre-extras', document);
      const answer = await run(harness, browser, 'send-document', {
        ref: 'lettre-extras',
        title: 'Titre inventé par la page',
        type: '11488-4',
        data: Buffer.from(pdfBytes('forged')).toString('base64'),
        author: 'patient',
      });
      assert.equal(answer.status, 200);
      const { doc, bytes } = await storedDocument(harness.sandbox.url, answer.last.result.id);
      assert.equal(doc.content[0].attachment.title, document.title);
      assert.equal(doc.type.coding[0].code, '11490-0');
      assert.equal(doc.author[0].reference, '#snr');
      assert.deepEqual(bytes, Buffer.from(await document.file.arrayBuffer()));
    });

    it('a ref the host does not resolve for this user (B asking for A’s) is refused, nothing stored', async () => {
      const { harness } = ref;
      const a = await pairThroughGateway(harness, { finalities: ['DOC_ECRITURE'] });
      harness.addDocument(a.user, 'lettre-de-a', letter('a-only'));
      const b = await pairThroughGateway(harness, { persona: 'nadia', finalities: ['DOC_ECRITURE'] });
      const before = [await count(harness), await count(harness, 'nadia')];
      const answer = await run(harness, b.browser, 'send-document', { ref: 'lettre-de-a' });
      assert.equal(answer.status, 400);
      assert.deepEqual(answer.last.error, {
        code: 'MES_INVALID_INPUT',
        operation: 'send-document',
        field: 'ref',
      });
      assert.deepEqual(harness.resolved.at(-1), { userId: b.user, ref: 'lettre-de-a' }, 'asked for B, not A');
      assert.deepEqual([await count(harness), await count(harness, 'nadia')], before);
      const unknown = await run(harness, b.browser, 'send-document', { ref: 'no-such-document' });
      assert.equal(unknown.last.error.field, 'ref');
    });

    it('a JSON body carrying a document (title, type, base64 data) instead of a ref is refused, nothing stored', async () => {
      const { harness } = ref;
      const { browser } = await pairThroughGateway(harness, { finalities: ['DOC_ECRITURE'] });
      const before = await count(harness);
      const forged = {
        title: 'Compte rendu opératoire',
        type: '11490-0',
        contentType: 'application/pdf',
        data: Buffer.from(pdfBytes('json-body')).toString('base64'),
      };
      for (const body of [forged, { ...forged, file: forged.data }]) {
        const answer = await run(harness, browser, 'send-document', body);
        assert.equal(answer.status, 400);
        assert.equal(answer.last.error.code, 'MES_INVALID_INPUT');
        assert.equal(answer.last.error.operation, 'send-document');
      }
      assert.equal(await count(harness), before);
    });

    it('streams NDJSON: progress lines, then exactly one result line', async () => {
      const { harness } = ref;
      const { browser, user } = await pairThroughGateway(harness, { finalities: ['DOC_ECRITURE', 'DOC_LECTURE'] });
      harness.addDocument(user, 'lettre-stream', letter('stream'));
      const answer = await run(harness, browser, 'send-document', { ref: 'lettre-stream' });
      assert.equal(answer.status, 200);
      assert.equal(answer.contentType, 'application/x-ndjson');
      const progress = answer.lines.slice(0, -1);
      assert.ok(progress.length >= 2, `progress lines: ${progress.length}`);
      assert.ok(progress.every((line) => Object.keys(line).join() === 'progress'));
      const ratios = progress.map((line) => line.progress.ratio as number);
      assert.deepEqual(
        ratios,
        [...ratios].sort((x, y) => x - y),
      );
      assert.ok(progress.every((line) => ['preparing', 'uploading', 'confirming'].includes(line.progress.phase)));
      assert.deepEqual(Object.keys(answer.last), ['result']);
      assert.equal(answer.lines.filter((line) => 'result' in line || 'error' in line).length, 1);
      assert.match(answer.last.result.masterIdentifier, /^urn:uuid:/);
      const found = await run(harness, browser, 'find-documents', { count: 100 });
      assert.deepEqual(Object.keys(found.last), ['result']);
      assert.ok(found.last.result.documents.some((d: { id: string }) => d.id === answer.last.result.id));
    });
  });

  describe('patient uploads', () => {
    it('files the patient’s file as theirs: the contained Patient as author, a patient type, the same bytes', async () => {
      const { harness } = ref;
      const { browser } = await pairThroughGateway(harness, { finalities: ['DOC_ECRITURE'] });
      const bytes = pdfBytes('patient-upload');
      const answer = await upload(harness, browser, bytes, {
        title: 'Mon ordonnance',
        type: 'DOCPAT02',
        // What a patient may not decide: ignored.
        author: 'service',
        category: '10',
      });
      assert.equal(answer.status, 200, JSON.stringify(answer.last));
      const { doc, bytes: stored } = await storedDocument(harness.sandbox.url, answer.last.result.id);
      assert.equal(doc.author[0].reference, '#patient');
      assert.equal(doc.contained.find((r: any) => r.id === 'patient').resourceType, 'Patient');
      assert.match(doc.type.coding[0].code, /^(DOCPAT\d\d|EXPPAT_\d)$/);
      assert.equal(doc.category[0].coding[0].code, '90');
      assert.deepEqual(stored, bytes);
    });

    it('a patient’s file can neither take an establishment document’s identity nor hide itself from the patient', async () => {
      const { harness } = ref;
      const { browser, user } = await pairThroughGateway(harness, { finalities: ['DOC_ECRITURE'] });
      const document = letter('identity');
      harness.addDocument(user, 'lettre-identity', document);
      const sent = await run(harness, browser, 'send-document', { ref: 'lettre-identity' });
      const before = await count(harness);
      const posing = await upload(harness, browser, pdfBytes('posing'), {
        title: 'Lettre de liaison',
        type: 'DOCPAT03',
        id: 'lettre-identity',
      });
      assert.ok('result' in posing.last, JSON.stringify(posing.last));
      assert.equal(posing.last.result.alreadyPresent, false);
      assert.notEqual(posing.last.result.masterIdentifier, sent.last.result.masterIdentifier);
      assert.equal(await count(harness), before + 1);
      const { bytes } = await storedDocument(harness.sandbox.url, sent.last.result.id);
      assert.deepEqual(bytes, Buffer.from(await document.file.arrayBuffer()), 'the establishment’s document is intact');

      const hidden = await upload(harness, browser, pdfBytes('hidden'), {
        title: 'Caché',
        type: 'DOCPAT03',
        confidentiality: 'INVISIBLE_PATIENT',
      });
      assert.equal(hidden.status, 400);
      assert.deepEqual(hidden.last.error, {
        code: 'MES_INVALID_INPUT',
        operation: 'send-document',
        field: 'confidentiality',
      });
      assert.equal(await count(harness), before + 1);
    });

    it('the client’s own upload path goes through the same way', async () => {
      const { harness } = ref;
      const { browser } = await pairThroughGateway(harness, { finalities: ['DOC_ECRITURE'] });
      const bytes = pdfBytes('client-upload');
      const ratios: number[] = [];
      const result = await gatewayClient(harness, browser).sendDocument(
        { file: pdfBlob('client-upload'), title: 'Directives', type: 'EXPPAT_3' },
        { onProgress: (p) => ratios.push(p.ratio) },
      );
      const { doc, bytes: stored } = await storedDocument(harness.sandbox.url, result.id);
      assert.equal(doc.author[0].reference, '#patient');
      assert.equal(doc.type.coding[0].code, 'EXPPAT_3');
      assert.deepEqual(stored, bytes);
      assert.equal(ratios.at(-1), 1);
    });

    it('refuses an establishment’s type, and a file over 5,000,000 bytes; nothing stored', async () => {
      const { harness } = ref;
      const { browser } = await pairThroughGateway(harness, { finalities: ['DOC_ECRITURE'] });
      const before = await count(harness);
      const establishment = await upload(harness, browser, pdfBytes('establishment-type'), {
        title: 'Lettre de liaison',
        type: '11490-0',
      });
      assert.equal(establishment.status, 400);
      assert.deepEqual(establishment.last.error, {
        code: 'MES_INVALID_INPUT',
        operation: 'send-document',
        field: 'type',
      });
      const big = new Uint8Array(5_000_001);
      big.set(pdfBytes('big'));
      const tooLarge = await upload(harness, browser, big, { title: 'Scanner', type: 'DOCPAT04' });
      assert.equal(tooLarge.status, 413);
      assert.equal(tooLarge.last.error.code, 'MES_TOO_LARGE');
      for (const header of ['null', '[]', '"DOCPAT03"', '%E0%A4%A', '{']) {
        const malformed = await readAnswer(
          await api(harness, browser, 'operations/send-document', {
            method: 'POST',
            headers: { 'content-type': 'application/pdf', 'x-mes-input': header },
            body: new Uint8Array(pdfBytes('malformed')),
          }),
        );
        assert.equal(malformed.status, 400, header);
        assert.equal(malformed.last.error.code, 'MES_INVALID_INPUT', header);
      }
      const notPdf = await upload(harness, browser, new TextEncoder().encode('<script>alert(1)</script>'), {
        title: 'Faux',
        type: 'DOCPAT03',
      });
      assert.equal(notPdf.last.error.code, 'MES_INVALID_INPUT');
      assert.equal(await count(harness), before);
    });
  });

  describe('consent and the portal user', () => {
    it('a pairing granting only DOC_LECTURE cannot send: 403 MES_CONSENT_REQUIRED, nothing sent', async () => {
      const { harness } = ref;
      const { browser, user } = await pairThroughGateway(harness, {
        finalities: ['DOC_ECRITURE', 'DOC_LECTURE'],
        choose: ['DOC_LECTURE'],
      });
      harness.addDocument(user, 'lettre-consent', letter('consent'));
      const before = await count(harness);
      const resolvedBefore = harness.resolved.length;
      const spy = spyOnFetch();
      let answer: OperationAnswer;
      try {
        answer = await run(harness, browser, 'send-document', { ref: 'lettre-consent' });
      } finally {
        spy.restore();
      }
      assert.equal(answer.status, 403);
      assert.deepEqual(answer.last.error, { code: 'MES_CONSENT_REQUIRED', operation: 'send-document' });
      assert.equal(
        spy.calls.filter((c) => new URL(c.url).origin === harness.sandbox.url).length,
        0,
        'MES was not asked',
      );
      assert.equal(harness.resolved.length, resolvedBefore, 'the host’s document was not even read');
      assert.equal(await count(harness), before);
      assert.ok(harness.audit.some((e) => e.action === 'send-document refused' && e.status === 403));
    });

    it('another portal user on the same browser never reaches the pairing; forget(…, revoke) ends it in MES', async () => {
      const { harness } = ref;
      const pairings = async () => (await pairingsOf(harness.sandbox.url, 'elise')).length;
      const a = await pairThroughGateway(harness, { persona: 'elise', finalities: ['DOC_ECRITURE', 'DOC_LECTURE'] });
      assert.equal((await session(harness, a.browser)).paired, true);
      assert.equal(await pairings(), 1);
      const page = gatewayClient(harness, a.browser);
      assert.equal((await page.session()).paired, true);
      const b = newUser('b');
      harness.addDocument(b, 'lettre-b', letter('b'));
      loginToPortal(a.browser, b);
      // The page, still open, learns it at its next operation.
      await assert.rejects(page.run('find-documents', {}), (error: MesError) => error.code === 'MES_AUTH_REQUIRED');
      assert.notEqual(page.state.status, 'paired');
      assert.equal((await page.session()).paired, false);
      assert.deepEqual(await session(harness, a.browser), { paired: false, finalities: [], service: SERVICE });
      const before = await count(harness, 'elise');
      for (const [name, body] of [
        ['send-document', { ref: 'lettre-b' }],
        ['find-documents', {}],
      ] as const) {
        const answer = await run(harness, a.browser, name, body);
        assert.equal(answer.status, 401, name);
        assert.equal(answer.last.error.code, 'MES_AUTH_REQUIRED');
      }
      assert.equal(await count(harness, 'elise'), before);
      const revokeAsB = await api(harness, a.browser, 'pair/revoke', { method: 'POST' });
      assert.equal(revokeAsB.status, 204);
      assert.equal(await pairings(), 1, 'B cannot end A’s pairing');

      assert.equal(await harness.gateway.forget(a.user, { revoke: true }), true);
      assert.equal(await pairings(), 0, 'ended in MES');
      loginToPortal(a.browser, a.user);
      assert.equal((await session(harness, a.browser)).paired, false);
      assert.ok(harness.audit.some((e) => e.action === 'pair.revoke' && e.status === 200));
    });

    it('forget without revoke only drops the tokens here', async () => {
      const { harness } = ref;
      const pairings = async () => (await pairingsOf(harness.sandbox.url, 'nadia')).length;
      const a = await pairThroughGateway(harness, { persona: 'nadia', finalities: ['DOC_LECTURE'] });
      const paired = await pairings();
      assert.ok(paired >= 1);
      assert.equal(await harness.gateway.forget(a.user), true);
      assert.equal((await session(harness, a.browser)).paired, false);
      assert.equal(await pairings(), paired);
    });

    it('« Désynchroniser »: pair/revoke forgets the tokens and MES ends the pairing', async () => {
      const { harness } = ref;
      const { browser } = await pairThroughGateway(harness, { persona: 'louis', finalities: ['DOC_ECRITURE'] });
      const pairings = () => pairingsOf(harness.sandbox.url, 'louis');
      assert.equal((await pairings()).length, 1);
      const revoke = await api(harness, browser, 'pair/revoke', { method: 'POST' });
      assert.equal(revoke.status, 204);
      assert.equal((await session(harness, browser)).paired, false);
      assert.equal((await pairings()).length, 0);
    });

    it('answers 401 to an operation when nobody is logged in, or the user is not paired', async () => {
      const { harness } = ref;
      const anonymous = await run(harness, new Browser(), 'find-documents', {});
      assert.equal(anonymous.status, 401);
      assert.equal(anonymous.last.error.code, 'MES_AUTH_REQUIRED');
      const unpaired = new Browser();
      loginToPortal(unpaired, newUser('unpaired'));
      const answer = await run(harness, unpaired, 'find-documents', {});
      assert.equal(answer.status, 401);
      assert.deepEqual(answer.last.error, { code: 'MES_AUTH_REQUIRED', operation: 'find-documents' });
    });
  });

  describe('cross-site calls and the audit log', () => {
    it('refuses cross-site calls: no custom header, a foreign Origin, or Sec-Fetch-Site cross-site', async () => {
      const { harness } = ref;
      const { browser, user } = await pairThroughGateway(harness, { finalities: ['DOC_ECRITURE'] });
      harness.addDocument(user, 'lettre-csrf', letter('csrf'));
      const before = await count(harness);
      const attempts: Record<string, string>[] = [
        { origin: harness.origin },
        { 'x-mes-kit': '1', origin: 'http://evil.example' },
        { 'x-mes-kit': '1', 'sec-fetch-site': 'cross-site' },
      ];
      for (const headers of attempts) {
        const response = await browser.request(`${harness.origin}/mes/operations/send-document`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ ref: 'lettre-csrf' }),
        });
        assert.equal(response.status, 403, JSON.stringify(headers));
        assert.equal((await readAnswer(response)).last.error.code, 'MES_CONFIGURATION');
      }
      const revoke = await browser.request(`${harness.origin}/mes/pair/revoke`, {
        method: 'POST',
        headers: { origin: 'http://evil.example', 'x-mes-kit': '1' },
      });
      assert.equal(revoke.status, 403);
      assert.equal(await count(harness), before);
      assert.equal((await session(harness, browser)).paired, true, 'still paired');
    });

    it('holds no raw user id, display name, title, bytes or token: a pseudonymous tag per user', async () => {
      const { harness } = ref;
      const { browser, user } = await pairThroughGateway(harness, { finalities: ['DOC_ECRITURE'] });
      const title = 'Compte rendu confidentiel Zorglub';
      const document = letter('audit', { title });
      harness.addDocument(user, 'lettre-audit', document);
      const from = harness.audit.length;
      const sent = await run(harness, browser, 'send-document', { ref: 'lettre-audit' });
      assert.equal(sent.status, 200);
      const uploaded = await upload(harness, browser, pdfBytes('audit-upload'), {
        title: 'Ordonnance Zorglub',
        type: 'DOCPAT02',
      });
      assert.ok('result' in uploaded.last);
      const entries = harness.audit.slice(from);
      assert.deepEqual(
        entries.map((e) => `${e.action} ${e.status}`),
        ['send-document 200', 'send-document 200'],
      );
      const tags = new Set(harness.audit.filter((e) => e.idPe).map((e) => e.user));
      assert.ok([...tags].every((tag) => /^[0-9a-f]{16}$/.test(tag)));
      assert.equal(new Set(entries.map((e) => e.user)).size, 1, 'the same user, the same tag');
      const log = JSON.stringify(harness.audit);
      assert.ok(!log.includes(user), 'no raw portal user id');
      assert.ok(!log.includes(displayNameOf(user)), 'no display name');
      assert.ok(!log.includes('Zorglub'), 'no title');
      const base64 = Buffer.from(await document.file.arrayBuffer()).toString('base64');
      assert.ok(!log.includes(base64.slice(0, 24)) && !/JVBERi/.test(log), 'no bytes');
      assert.doesNotMatch(log, JWT);
    });
  });
});

/** The `state` of a pairing that went to MES: in the URL, or behind a pushed request_uri. */
async function stateOf(harness: GatewayHarness, authorizeUrl: string): Promise<string> {
  const direct = new URL(authorizeUrl).searchParams.get('state');
  if (direct) return direct;
  // Pushed: MES knows it. Walk through MES and refuse, so that MES sends the state back.
  const browser = new Browser();
  const { callbackUrl } = await throughMes(harness, browser, authorizeUrl, { choose: [] });
  return new URL(callbackUrl).searchParams.get('state')!;
}

describe('gateway: uploads as the host allows them', () => {
  describe('uploads off', () => {
    const ref = useHarness({ gateway: { uploads: false } });

    it('refuses every patient upload when uploads are off; nothing stored', async () => {
      const { harness } = ref;
      const { browser } = await pairThroughGateway(harness, { finalities: ['DOC_ECRITURE'] });
      const before = await count(harness);
      const answer = await upload(harness, browser, pdfBytes('uploads-off'), {
        title: 'Mon ordonnance',
        type: 'DOCPAT02',
      });
      assert.equal(answer.status, 400);
      assert.equal(answer.last.error.code, 'MES_INVALID_INPUT');
      assert.equal(await count(harness), before);
    });
  });

  describe('some patient types only', () => {
    const ref = useHarness({ gateway: { uploads: { types: ['EXPPAT_2', '11490-0'] } } });

    it('only the patient types among those the host lists', async () => {
      const { harness } = ref;
      const { browser } = await pairThroughGateway(harness, { finalities: ['DOC_ECRITURE'] });
      const send = (type: string) =>
        upload(harness, browser, pdfBytes(`types-${type}`), { title: 'Un document', type });
      const before = await count(harness);
      for (const type of ['DOCPAT03', '11490-0']) {
        const answer = await send(type);
        assert.equal(answer.status, 400, type);
        assert.equal(answer.last.error.field, 'type', type);
      }
      assert.equal(await count(harness), before);
      const allowed = await send('EXPPAT_2');
      assert.ok('result' in allowed.last, JSON.stringify(allowed.last));
      assert.equal(await count(harness), before + 1);
    });
  });
});

describe('gateway: a lost answer is an unclear failure, and nothing is filed twice', () => {
  const ref = useHarness();

  it('client → gateway → sandbox dropping every answer: one document, then « already there »', async () => {
    const { harness } = ref;
    const { browser, user } = await pairThroughGateway(harness, { finalities: ['DOC_ECRITURE'] });
    harness.addDocument(user, 'lettre-dropped', letter('dropped'));
    const client = gatewayClient(harness, browser);
    const faults = (settings: object) =>
      fetch(`${harness.sandbox.url}/sandbox/faults`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(settings),
      });
    const before = await count(harness);

    await faults({ dropResponseRate: 1 });
    const spy = spyOnFetch();
    try {
      await assert.rejects(
        client.sendDocument({ ref: 'lettre-dropped' }),
        (error: MesError) => error.code === 'MES_NETWORK' && error.retryable,
      );
    } finally {
      spy.restore();
    }
    const posts = spy.calls.filter((c) => c.method === 'POST' && c.url.startsWith(harness.sandbox.fhirBase));
    assert.ok(posts.length >= 2, `it was resent (${posts.length} posts)`);
    assert.equal(await count(harness), before + 1);

    await faults({});
    const again = await client.sendDocument({ ref: 'lettre-dropped' });
    assert.equal(again.alreadyPresent, true);
    assert.equal(await count(harness), before + 1);
  });
});

describe('gateway token refresh', () => {
  const ref = useHarness({ sandbox: { accessTokenTtlSeconds: 2 } });

  it('refreshes once for concurrent operations after the access token expired, and keeps the rotated token', async () => {
    const { harness } = ref;
    const tokenEndpoint = `${harness.sandbox.url}/oauth/token`;
    const { browser } = await pairThroughGateway(harness, { finalities: ['DOC_LECTURE'] });
    await new Promise((resolve) => setTimeout(resolve, 2200));
    const find = () => run(harness, browser, 'find-documents', {});
    // The refresh is held back a little, so that all three operations need it while it runs.
    const spy = spyOnFetch((url) => (url === tokenEndpoint ? 300 : 0));
    let answers: OperationAnswer[];
    try {
      answers = await Promise.all([find(), find(), find()]);
    } finally {
      spy.restore();
    }
    for (const answer of answers) assert.ok('result' in answer.last, JSON.stringify(answer.last));
    const refreshes = spy.calls.filter((c) => c.url === tokenEndpoint && c.body.includes('grant_type=refresh_token'));
    assert.equal(refreshes.length, 1, 'one refresh for the three');
    assert.equal((await session(harness, browser)).paired, true);
    assert.ok('result' in (await find()).last, 'the rotated refresh token was kept');
  });
});
