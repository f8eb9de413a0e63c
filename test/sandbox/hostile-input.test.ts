/**
 * What an attacker sends the sandbox: prototype pollution through JSON Patch, bodies that cost
 * much to parse, nesting deep enough to break a recursive walk, one Binary for many documents,
 * bodies that are not JSON, and the pages and responses that must carry the security headers.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, afterEach, before, describe, it } from 'node:test';
import { documentBundle } from '../helpers/documents.js';
import {
  adminBundle,
  adminTokens,
  fhirApi,
  fhirHeaders,
  startSandbox,
  type TestSandbox,
  type Tokens,
} from '../helpers/sandbox.js';

const NADIA_INS = '288077505612320';

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Whether the server answered before the whole body was sent. */
  early: boolean;
}

/**
 * Sends a body chunk by chunk over node:http and resolves with the answer as soon as it is
 * complete, whether or not the body was all sent; `endless` never finishes the body.
 */
function send(
  url: string,
  options: { method: string; headers: Record<string, string>; chunks: Iterable<Buffer>; endless?: boolean },
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    let sent = false;
    const req = httpRequest(url, { method: options.method, headers: options.headers }, (res) => {
      const early = !sent;
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString(), early });
        req.destroy();
      });
    });
    req.on('error', (error) => {
      if (!req.destroyed || !sent) reject(error);
    });
    const chunks = options.chunks[Symbol.iterator]();
    const pump = () => {
      for (;;) {
        if (req.destroyed) return;
        const next = chunks.next();
        if (next.done) {
          if (options.endless) return;
          sent = true;
          return void req.end();
        }
        if (!req.write(next.value)) return void req.once('drain', pump);
      }
    };
    pump();
  });
}

function* repeated(text: string, total: number, chunkSize = 1 << 20): Iterable<Buffer> {
  const chunk = Buffer.from(text.repeat(Math.ceil(chunkSize / text.length)).slice(0, chunkSize));
  for (let left = total; left > 0; left -= chunk.length) yield left >= chunk.length ? chunk : chunk.subarray(0, left);
}

/** Fails instead of waiting for a test timeout when the sandbox waits for a body that never ends. */
function answeredWithin<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** An extension nested `depth` times, as JSON text: too deep for JSON.stringify to write. */
const nestedText = (depth: number) =>
  `${'{"url":"urn:x","extension":['.repeat(depth)}{"url":"urn:x","valueString":"bottom"}${']}'.repeat(depth)}`;
const nested = (depth: number): unknown => JSON.parse(nestedText(depth));

describe('sandbox against hostile input', () => {
  let sandbox: TestSandbox;
  let camille: Tokens;
  let nadia: Tokens;
  before(async () => {
    sandbox = await startSandbox();
    camille = await adminTokens(sandbox.url, 'camille', ['DOC_ECRITURE', 'DOC_LECTURE', 'AGENDA_ECRITURE']);
    nadia = await adminTokens(sandbox.url, 'nadia', ['DOC_ECRITURE']);
  });
  // A failed test must not leave the process polluted for the tests after it.
  afterEach(() => {
    for (const key of ['identifier', 'subject', 'polluted']) delete (Object.prototype as Record<string, unknown>)[key];
  });
  after(() => sandbox.dispose());

  const { post, refused } = fhirApi(() => ({ sandbox, tokens: camille }));
  const asNadia = fhirApi(() => ({ sandbox, tokens: nadia }), ['DocumentReference'], 'nadia');
  const patch = (master: string, operations: unknown) =>
    fetch(`${sandbox.fhirBase}/DocumentReference?identifier=${encodeURIComponent(`urn:ietf:rfc:3986|${master}`)}`, {
      method: 'PATCH',
      headers: fhirHeaders(camille, { 'content-type': 'application/json-patch+json' }),
      body: JSON.stringify(operations),
    });

  describe('prototype pollution through JSON Patch', () => {
    it('refuses __proto__, constructor and prototype path segments, naming the element', async () => {
      const { bundle, master } = documentBundle();
      assert.equal((await post(bundle)).status, 200);
      const identifier = [{ system: 'urn:oid:1.2.250.1.215.400', value: 'patient-externe-id-2' }];
      const paths = [
        '/securityLabel/0/__proto__/identifier',
        '/securityLabel/0/constructor/prototype/identifier',
        '/securityLabel/__proto__',
        '/securityLabel/0/prototype',
      ];
      for (const path of paths) {
        const response = await patch(master, [{ op: 'add', path, value: identifier }]);
        const outcome = await response.json();
        assert.ok([400, 422].includes(response.status), `${path}: ${response.status} ${JSON.stringify(outcome)}`);
        assert.equal(outcome.resourceType, 'OperationOutcome');
        assert.match(outcome.issue[0].expression[0], /^DocumentReference\.securityLabel/, path);
      }
      assert.equal(Object.hasOwn(Object.prototype, 'identifier'), false, 'Object.prototype is clean');
      assert.equal(({} as Record<string, unknown>)['identifier'], undefined);
    });

    it("leaves another patient's valid submission accepted after the attempt", async () => {
      const { bundle, master } = documentBundle();
      assert.equal((await post(bundle)).status, 200);
      await patch(master, [
        {
          op: 'add',
          path: '/securityLabel/0/__proto__/subject',
          value: { identifier: { system: 'urn:oid:1.2.250.1.215.400', value: 'patient-externe-id-2' } },
        },
      ]);
      assert.equal(Object.hasOwn(Object.prototype, 'subject'), false, 'Object.prototype is clean');
      const theirs = documentBundle({ ins: NADIA_INS }).bundle;
      const response = await asNadia.post(theirs);
      assert.equal(response.status, 200, await response.text());
      const stored = await adminBundle(sandbox.url, 'nadia', 'DocumentReference');
      assert.equal(
        stored.entry.some((e) => e.resource.securityLabel?.[0]?.subject !== undefined),
        false,
        'nothing inherited was stored',
      );
    });

    it('takes a body whose own "__proto__" key does not reach any prototype', async () => {
      const { bundle } = documentBundle();
      const text = JSON.stringify(bundle).replace(
        '"resourceType":"Bundle"',
        '"resourceType":"Bundle","__proto__":{"polluted":1}',
      );
      const response = await post(text);
      assert.ok(response.status < 500, String(response.status));
      assert.equal(Object.hasOwn(Object.prototype, 'polluted'), false);
    });
  });

  describe('bodies that cost much to read', () => {
    it('refuses 63 MB of "[" with a 4xx while another request is answered, spending little CPU', async () => {
      const cpu = process.cpuUsage();
      const bad = send(`${sandbox.fhirBase}`, {
        method: 'POST',
        headers: fhirHeaders(camille, { 'content-type': 'application/fhir+json', 'content-length': '63000000' }),
        chunks: repeated('[', 63_000_000),
      });
      const normal = await fetch(`${sandbox.fhirBase}/metadata`);
      assert.equal(normal.status, 200);
      const answer = await bad;
      assert.ok(answer.status >= 400 && answer.status < 500, `${answer.status} ${answer.body}`);
      assert.equal(JSON.parse(answer.body).resourceType, 'OperationOutcome');
      const used = process.cpuUsage(cpu);
      // Parsing it took ~20 s of CPU; refusing it, a fraction of a second. The bound is generous.
      assert.ok(used.user + used.system < 8_000_000, `CPU spent: ${(used.user + used.system) / 1e6} s`);
    });

    it('refuses nesting deeper than 100 as soon as it is seen, before the body ends', async () => {
      const answer = await answeredWithin(
        send(`${sandbox.fhirBase}`, {
          method: 'POST',
          headers: fhirHeaders(camille, { 'content-type': 'application/fhir+json' }),
          chunks: repeated('{"a":[', 10_000, 10_000),
          endless: true,
        }),
        30_000,
        'deeply nested body',
      );
      assert.equal(answer.status, 422, answer.body);
      const outcome = JSON.parse(answer.body);
      assert.match(outcome.issue[0].diagnostics, /deeper than 100/);
      assert.equal(outcome.issue[0].expression[0], 'Bundle');
    });

    it('answers 401 to a request without a token before reading its body', async () => {
      const answer = await answeredWithin(
        send(`${sandbox.fhirBase}/DocumentReference`, {
          method: 'POST',
          headers: { 'content-type': 'application/fhir+json' },
          chunks: repeated(' ', 1_000_000, 100_000),
          endless: true,
        }),
        30_000,
        'unauthenticated body',
      );
      assert.equal(answer.status, 401);
      assert.equal(answer.early, true);
    });

    it('caps bodies per route: a document inline a bit above 5 MB in base64, a PATCH at 64 KB', async () => {
      const inline = await send(`${sandbox.fhirBase}/DocumentReference`, {
        method: 'POST',
        headers: fhirHeaders(camille, { 'content-type': 'application/fhir+json', 'content-length': '9000000' }),
        chunks: repeated(' ', 9_000_000),
      });
      assert.equal(inline.status, 413, inline.body);
      assert.equal(JSON.parse(inline.body).resourceType, 'OperationOutcome');
      const bigPatch = await send(
        `${sandbox.fhirBase}/DocumentReference?identifier=${encodeURIComponent('urn:ietf:rfc:3986|x')}`,
        {
          method: 'PATCH',
          headers: fhirHeaders(camille, { 'content-type': 'application/json-patch+json' }),
          chunks: repeated(' ', 200_000, 50_000),
        },
      );
      assert.equal(bigPatch.status, 413, bigPatch.body);
    });
  });

  describe('malformed input answers 4xx naming the element, never 500', () => {
    it('refuses a document nested 20,000 deep', async () => {
      const { bundle } = documentBundle();
      bundle.entry[1].resource.extension = ['DEEP'];
      const outcome = await refused(JSON.stringify(bundle).replace('"DEEP"', nestedText(20_000)), 422);
      assert.equal(outcome.issue[0].expression?.[0], 'Bundle');
    });

    it('refuses a JSON Patch that would make the document deeper than 100', async () => {
      const { bundle, master } = documentBundle();
      assert.equal((await post(bundle)).status, 200);
      let status = 0;
      let path = '/securityLabel/0';
      for (let i = 0; i < 5 && status !== 422; i++) {
        const response = await patch(master, [{ op: 'add', path: `${path}/x`, value: nested(40) }]);
        status = response.status;
        path += '/x' + '/extension/0'.repeat(40);
        if (status === 422) {
          const outcome = await response.json();
          assert.equal(outcome.issue[0].expression[0], 'DocumentReference');
        } else assert.equal(status, 200, await response.text());
      }
      assert.equal(status, 422);
    });

    it('refuses a non-string system in a contained Patient identifier', async () => {
      const { bundle } = documentBundle();
      bundle.entry[1].resource.contained[0].identifier[0].system = 42;
      const outcome = await refused(bundle, 422);
      assert.equal(outcome.issue[0].expression?.[0], 'Bundle.entry[1].resource.contained[0].identifier[0].system');
      const doc = documentBundle().bundle.entry[0].resource;
      doc.contained[0].identifier = [{ system: { nested: true }, value: 7 }];
      const list = documentBundle().bundle;
      list.entry[0].resource = doc;
      const listOutcome = await refused(list, 422);
      assert.match(
        listOutcome.issue[0].expression?.[0] ?? '',
        /^Bundle\.entry\[0\]\.resource\.contained\[0\]\.identifier\[0\]/,
      );
    });
  });

  describe('one Binary for many documents', () => {
    it('refuses a second DocumentReference pointing at the same Binary, storing nothing', async () => {
      const { bundle } = documentBundle();
      const [list, doc, binary] = bundle.entry;
      bundle.entry = [list, doc];
      for (let i = 0; i < 3; i++) {
        const copy = structuredClone(doc);
        copy.fullUrl = `urn:uuid:00000000-0000-4000-8000-00000000000${i}`;
        copy.resource.masterIdentifier.value = `${doc.resource.masterIdentifier.value}.${i}`;
        bundle.entry.push(copy);
        list.resource.entry.push({ item: { reference: copy.fullUrl } });
      }
      bundle.entry.push(binary);
      const binaries = (await adminBundle(sandbox.url, 'camille', 'Binary')).total;
      const outcome = await refused(bundle, 422);
      assert.equal(outcome.issue[0].expression?.[0], 'Bundle.entry[2].resource.content[0].attachment.url');
      assert.equal((await adminBundle(sandbox.url, 'camille', 'Binary')).total, binaries, 'storage did not grow');
    });
  });

  describe('content types and security headers', () => {
    it('answers 415 to a FHIR body that is not JSON, and takes JSON with or without a charset', async () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml', '']) {
        const response = await fetch(`${sandbox.fhirBase}`, {
          method: 'POST',
          headers: fhirHeaders(camille, type ? { 'content-type': type } : {}),
          body: new Blob([JSON.stringify(documentBundle().bundle)]),
        });
        const outcome = await response.json();
        assert.equal(response.status, 415, `${type}: ${JSON.stringify(outcome)}`);
        assert.equal(outcome.resourceType, 'OperationOutcome');
      }
      for (const type of [
        'application/json',
        'application/fhir+json; charset=UTF-8',
        'application/json;charset=utf-8',
      ]) {
        const response = await post(documentBundle().bundle, '', { 'content-type': type });
        assert.equal(response.status, 200, type);
      }
    });

    it('refuses TRACE (a method no Web Request carries) as each API refuses: an OperationOutcome, a JSON error', async () => {
      // Found by test/sandbox/fuzz.test.ts: both answered the server's plain-text 405.
      const fhir = await send(`${sandbox.fhirBase}/DocumentReference`, {
        method: 'TRACE',
        headers: fhirHeaders(camille),
        chunks: [],
      });
      assert.equal(fhir.status, 405, fhir.body);
      assert.match(String(fhir.headers['content-type']), /^application\/fhir\+json/);
      const outcome = JSON.parse(fhir.body);
      assert.equal(outcome.resourceType, 'OperationOutcome');
      assert.match(outcome.issue[0].diagnostics, /TRACE/);
      const admin = await send(`${sandbox.url}/sandbox/patients/camille/Binary`, {
        method: 'TRACE',
        headers: {},
        chunks: [],
      });
      assert.equal(admin.status, 405, admin.body);
      assert.match(JSON.parse(admin.body).error, /TRACE/);
    });

    it('checks the content type of a chunked admin body too', async () => {
      const body = JSON.stringify({ persona: 'camille', clientId: 'mes-kit-demo', finalities: ['DOC_LECTURE'] });
      const answer = await send(`${sandbox.url}/sandbox/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' },
        chunks: [Buffer.from(body)],
      });
      assert.equal(answer.status, 403, answer.body);
      const json = await send(`${sandbox.url}/sandbox/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        chunks: [Buffer.from(body)],
      });
      assert.equal(json.status, 201, json.body);
    });

    it("gives oidc-provider's error pages the headers of the other pages", async () => {
      const response = await fetch(`${sandbox.url}/oauth/authorize?client_id=unknown-client&response_type=code`);
      assert.ok(response.status >= 400, String(response.status));
      assert.match(response.headers.get('content-type') ?? '', /text\/html/);
      const page = await fetch(`${sandbox.url}/page-introuvable`);
      for (const header of ['x-content-type-options', 'referrer-policy']) {
        assert.ok(page.headers.get(header), `the patient page sets ${header}`);
        assert.equal(response.headers.get(header), page.headers.get(header), header);
      }
      // The pages' policy, plus the script-src that oidc-provider extends with its inline script's hash.
      const csp = response.headers.get('content-security-policy') ?? '';
      assert.ok(csp.startsWith(page.headers.get('content-security-policy')!), csp);
      assert.match(csp, /default-src 'none'.*frame-ancestors 'none'/);
      const discovery = await fetch(`${sandbox.url}/.well-known/openid-configuration`);
      assert.equal(discovery.headers.get('x-content-type-options'), 'nosniff');
    });
  });
});
