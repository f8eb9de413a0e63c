/**
 * The sandbox fuzzed: valid requests of every kind a service, a test or a browser sends it (ITI-65
 * and ITI-105 documents, JSON Patch, Appointment create and conditional update, measures
 * transactions, searches, admin API, OAuth token, PAR and authorize), mutated by the thousand with
 * fixed seeds. Every answer is below 500, a refusal is a proper error (an OperationOutcome from the
 * FHIR API), a refusal changes nothing the admin API shows, a success writes no more than the
 * request carried, and no request costs the process a second of CPU.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_FINALITIES, EUI64_SYSTEM, IS_ARCHIVED_EXTENSION } from '@mes-kit/core';
import { measureBundle } from '../../packages/core/src/measures/observation.js';
import { defaultConfig } from '../../packages/sandbox/src/index.js';
import { documentBundle } from '../helpers/documents.js';
import {
  ODD_CONTENT_TYPES,
  ODD_HEADERS,
  ODD_METHODS,
  ODD_PATHS,
  Tally,
  formText,
  jsonText,
  mutateText,
  mutateTree,
  mutationClasses,
  requestMutation,
  send,
  sometimes,
  textMutation,
  treeMutation,
  type Json,
  type RawAnswer,
  type RequestMutation,
  type TextMutation,
  type TreeMutation,
} from '../helpers/fuzz.js';
import {
  DEMO,
  adminTokens,
  clientAuth,
  fixture,
  pairingRequest,
  startSandbox,
  type TestSandbox,
  type Tokens,
} from '../helpers/sandbox.js';

/** Élise's MES starts empty: what the admin API shows of her stays small enough to read after every request. */
const PERSONA = 'elise';
const IDPE = 'patient-externe-id-5';
/** Whose documents the admin API generates. */
const GENERATED_FOR = 'louis';
const INS = '295013306301828';
const IDPE_SYSTEM = 'urn:oid:1.2.250.1.215.400';
const DEMO_OID = '1.2.250.1.999.42.1';
const TYPES = ['DocumentReference', 'List', 'Binary', 'Appointment', 'Observation', 'Device'] as const;
type StoredType = (typeof TYPES)[number];
/** Cases between two resets of the sandbox. */
const RESET_EVERY = 500;
/** CPU one request may cost the process (client and server together). */
const CPU_BUDGET_MS = 1000;

/** The service the shared fixtures were written for: the fictitious root OID itself. */
const FIXTURES_SERVICE = {
  clientId: 'mes-kit-fixtures',
  name: 'Service des exemples',
  editor: 'mes-kit',
  oid: '1.2.250.1.999.42',
  cguUrl: 'http://localhost:5173/cgu.html',
  clientSecret: 'mes-kit-fixtures-secret',
  redirectUris: ['http://localhost:5173/fixtures/mes/pair/callback'],
  finalities: [...DEFAULT_FINALITIES],
};

/** Camille's fixtures, filed for Élise. */
const forElise = <T>(value: T): T =>
  JSON.parse(JSON.stringify(value).replaceAll('patient-externe-id-2', IDPE).replaceAll('279035121518989', INS)) as T;

/** A few business identifiers, reused: a success writes again what is already there, and the store stays small. */
const MASTERS = ['urn:oid:1.2.250.1.999.42.2.9001', 'urn:oid:1.2.250.1.999.42.2.9002'];
const APPOINTMENTS = ['FUZZ-RDV-1', 'FUZZ-RDV-2'];

type Target = 'fhir' | 'admin' | 'oauth-json' | 'oauth-page';
type Encoding = 'json' | 'query' | 'form' | 'none';

/** A valid request, its input as a JSON tree to mutate, and where the input goes. */
interface Template {
  name: string;
  target: Target;
  method: string;
  /** The path; with `encoding: 'query'`, the input is its query string. */
  path: string;
  encoding: Encoding;
  input: Json;
  contentType?: string;
  /** Which tokens the request carries. */
  auth: 'elise' | 'fixtures' | 'client' | 'none';
  headers?: Record<string, string>;
  /** What the admin API must be set back to after it (fault injection stays off). */
  restore?: 'faults' | 'clock';
}

function measureReading(kind: 'weight' | 'blood-pressure', id: string) {
  return {
    id,
    kind,
    at: '2026-11-12T08:15:00+01:00',
    device: { serial: 'FUZZ-DEVICE-1', system: EUI64_SYSTEM, kind: 'generic' as const, name: 'Appareil de test' },
    ...(kind === 'weight' ? { value: 71.4 } : { systolic: 128, diastolic: 82 }),
  };
}

function templates(masterTokenOfDocument: string): Template[] {
  const iti65 = documentBundle({ masterIdentifier: MASTERS[0], ins: INS, ifNoneExist: true }).bundle;
  const iti105 = (() => {
    const { bundle, bytes } = documentBundle({ masterIdentifier: MASTERS[1], ins: INS });
    const doc = bundle.entry[1].resource;
    delete doc.content[0].attachment.url;
    doc.content[0].attachment.data = bytes.toString('base64');
    return doc;
  })();
  const appointment = (value: string) => {
    const body = forElise(fixture<Record<string, any>>('agenda/appointment-rdv-snr.json'));
    body.identifier = [{ system: `urn:oid:${DEMO_OID}.4`, value }];
    body.participant[0].actor.identifier.value = IDPE;
    return body;
  };
  const patient = `${IDPE_SYSTEM}|${IDPE}`;
  const { params: authorize } = pairingRequest(DEMO, 'openid DOC_LECTURE DOC_ECRITURE');
  const fhirJson = 'application/fhir+json';
  return [
    {
      name: 'fhir:iti65-bundle',
      target: 'fhir',
      method: 'POST',
      path: '/fhir',
      encoding: 'json',
      input: iti65,
      contentType: fhirJson,
      auth: 'elise',
    },
    {
      name: 'fhir:iti105-document',
      target: 'fhir',
      method: 'POST',
      path: '/fhir/DocumentReference',
      encoding: 'json',
      input: iti105,
      contentType: fhirJson,
      auth: 'elise',
      headers: { 'if-none-exist': `identifier=urn:ietf:rfc:3986|${MASTERS[1]}` },
    },
    {
      name: 'fhir:json-patch',
      target: 'fhir',
      method: 'PATCH',
      path: `/fhir/DocumentReference?identifier=${encodeURIComponent(masterTokenOfDocument)}`,
      encoding: 'json',
      input: [
        { op: 'add', path: '/extension', value: [{ url: IS_ARCHIVED_EXTENSION, valueBoolean: true }] },
        {
          op: 'add',
          path: '/securityLabel/-',
          value: {
            coding: [
              {
                system:
                  'https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument',
                code: 'MASQUE_PS',
              },
            ],
          },
        },
      ],
      contentType: 'application/json-patch+json',
      auth: 'elise',
    },
    {
      name: 'fhir:appointment-create',
      target: 'fhir',
      method: 'POST',
      path: '/fhir/Appointment',
      encoding: 'json',
      input: appointment(APPOINTMENTS[0]),
      contentType: fhirJson,
      auth: 'elise',
      headers: { 'if-none-exist': `identifier=urn:oid:${DEMO_OID}.4|${APPOINTMENTS[0]}` },
    },
    {
      name: 'fhir:appointment-conditional-update',
      target: 'fhir',
      method: 'PUT',
      path: `/fhir/Appointment?identifier=${encodeURIComponent(`urn:oid:${DEMO_OID}.4|${APPOINTMENTS[1]}`)}`,
      encoding: 'json',
      input: appointment(APPOINTMENTS[1]),
      contentType: fhirJson,
      auth: 'elise',
    },
    {
      name: 'fhir:measures-bundle',
      target: 'fhir',
      method: 'POST',
      path: '/fhir',
      encoding: 'json',
      input: measureBundle(measureReading('blood-pressure', 'FUZZ-BP-1'), { oid: DEMO_OID }, IDPE) as Json,
      contentType: fhirJson,
      auth: 'elise',
    },
    {
      name: 'fhir:measures-fixture',
      target: 'fhir',
      method: 'POST',
      path: '/fhir',
      encoding: 'json',
      input: forElise(fixture<Json>('mesures/bundle-alimentation-poids.json')),
      contentType: fhirJson,
      auth: 'fixtures',
    },
    {
      name: 'fhir:search-documents',
      target: 'fhir',
      method: 'GET',
      path: '/fhir/DocumentReference',
      encoding: 'query',
      input: {
        'patient.identifier': patient,
        status: 'current',
        identifier: `urn:ietf:rfc:3986|${MASTERS[0]}`,
        _count: '10',
        _sort: '-date',
      },
      auth: 'elise',
    },
    {
      name: 'fhir:search-observations',
      target: 'fhir',
      method: 'GET',
      path: '/fhir/Observation',
      encoding: 'query',
      input: {
        'subject.identifier': patient,
        code: '85354-9',
        date: ['ge2026-11-01', 'le2026-11-30'],
        _include: 'Observation:device',
      },
      auth: 'elise',
    },
    {
      name: 'fhir:search-appointments',
      target: 'fhir',
      method: 'GET',
      path: '/fhir/Appointment',
      encoding: 'query',
      input: {
        'patient.identifier': patient,
        date: 'ge2020-01-01',
        status: 'booked',
        identifier: `urn:oid:${DEMO_OID}.4|${APPOINTMENTS[0]}`,
        _count: '5',
        _offset: '0',
      },
      auth: 'elise',
    },
    {
      name: 'fhir:metadata',
      target: 'fhir',
      method: 'GET',
      path: '/fhir/metadata',
      encoding: 'query',
      input: { _format: 'json' },
      auth: 'none',
    },
    {
      name: 'admin:patient-bundle',
      target: 'admin',
      method: 'GET',
      path: `/sandbox/patients/${PERSONA}/Appointment`,
      encoding: 'query',
      input: {},
      auth: 'none',
    },
    {
      name: 'admin:services',
      target: 'admin',
      method: 'GET',
      path: '/sandbox/services',
      encoding: 'query',
      input: { persona: PERSONA },
      auth: 'none',
    },
    {
      name: 'admin:tokens',
      target: 'admin',
      method: 'POST',
      path: '/sandbox/tokens',
      encoding: 'json',
      // Another patient and service than the fuzzed calls': a new pairing there ends none of theirs.
      input: { persona: 'nadia', clientId: 'mes-kit-public', finalities: ['DOC_LECTURE'] },
      contentType: 'application/json',
      auth: 'none',
    },
    {
      name: 'admin:generate-documents',
      target: 'admin',
      method: 'POST',
      // Another patient's: what the admin API shows of Élise stays small, read after every request.
      path: `/sandbox/patients/${GENERATED_FOR}/documents`,
      encoding: 'json',
      input: { count: 1, title: 'Document du fuzz' },
      contentType: 'application/json',
      auth: 'none',
    },
    {
      name: 'admin:faults',
      target: 'admin',
      method: 'PUT',
      path: '/sandbox/faults',
      encoding: 'json',
      input: { errorRate: 0, latencyMs: 0, statuses: [503], dropResponseRate: 0 },
      contentType: 'application/json',
      auth: 'none',
      restore: 'faults',
    },
    {
      name: 'admin:clock',
      target: 'admin',
      method: 'PUT',
      path: '/sandbox/clock',
      encoding: 'json',
      input: { now: new Date().toISOString() },
      contentType: 'application/json',
      auth: 'none',
      restore: 'clock',
    },
    {
      name: 'oauth:token',
      target: 'oauth-json',
      method: 'POST',
      path: '/oauth/token',
      encoding: 'form',
      input: {
        grant_type: 'authorization_code',
        code: 'a'.repeat(43),
        redirect_uri: DEMO.redirectUri,
        code_verifier: 'v'.repeat(43),
      },
      contentType: 'application/x-www-form-urlencoded',
      auth: 'client',
    },
    {
      name: 'oauth:token-refresh',
      target: 'oauth-json',
      method: 'POST',
      path: '/oauth/token',
      encoding: 'form',
      input: { grant_type: 'refresh_token', refresh_token: 'r'.repeat(43) },
      contentType: 'application/x-www-form-urlencoded',
      auth: 'client',
    },
    {
      name: 'oauth:par',
      target: 'oauth-json',
      method: 'POST',
      path: '/oauth/par',
      encoding: 'form',
      input: authorize,
      contentType: 'application/x-www-form-urlencoded',
      auth: 'client',
    },
    {
      name: 'oauth:authorize',
      target: 'oauth-page',
      method: 'GET',
      path: '/oauth/authorize',
      encoding: 'query',
      input: authorize,
      auth: 'none',
    },
  ];
}

interface Case {
  template: number;
  tree: TreeMutation[];
  text: TextMutation | null;
  request: RequestMutation | null;
}

const caseArbitrary = (count: number): fc.Arbitrary<Case> =>
  fc.record({
    template: fc.nat(count - 1),
    tree: fc.array(treeMutation, { minLength: 1, maxLength: 3 }),
    text: sometimes(textMutation, 5),
    request: sometimes(requestMutation, 3),
  });

/** Paths that would end every pairing (`/sandbox/reset`, `/sandbox/pairings/…`), however spelt. */
function leavesTheFuzzedArea(path: string): boolean {
  const spellings = [path, new URL(path, 'http://localhost').pathname];
  for (const spelling of [...spellings]) {
    try {
      spellings.push(decodeURIComponent(spelling));
    } catch {
      // Not percent-encoding: as it is.
    }
  }
  return spellings.some((p) => /sandbox\/+(reset|pairings)/i.test(p));
}

/** The request a case sends, and what it carries (the most it may write). */
function build(template: Template, c: Case, tokens: Record<'elise' | 'fixtures', Tokens>) {
  const input = mutateTree(template.input, c.tree);
  const headers: Record<string, string> = { ...template.headers };
  if (template.auth === 'elise' || template.auth === 'fixtures') {
    headers['authorization'] = `Bearer ${tokens[template.auth].access_token}`;
    headers['x-id-token'] = tokens[template.auth].id_token;
  }
  if (template.auth === 'client') Object.assign(headers, clientAuth(DEMO));
  let path = template.path;
  let body: Buffer | undefined;
  if (template.encoding === 'query') {
    const query = formText(input);
    path = `${path}${path.includes('?') ? '&' : '?'}${query}`;
  } else {
    body = mutateText(Buffer.from(template.encoding === 'json' ? jsonText(input) : formText(input)), c.text);
  }
  if (template.contentType) headers['content-type'] = template.contentType;
  let method = template.method;
  const odd = c.request;
  if (odd?.method != null) method = ODD_METHODS[odd.method % ODD_METHODS.length];
  if (odd?.path != null) path = ODD_PATHS[odd.path % ODD_PATHS.length](path);
  if (odd?.contentType != null) {
    const type = ODD_CONTENT_TYPES[odd.contentType % ODD_CONTENT_TYPES.length];
    if (type === null) delete headers['content-type'];
    else headers['content-type'] = type;
  }
  if (odd?.header != null) {
    const [name, value] = ODD_HEADERS[odd.header % ODD_HEADERS.length];
    // oidc-provider (koa) logs every request body it cannot frame; the FHIR and admin APIs get those.
    if (template.target.startsWith('oauth') && /^(content-length|transfer-encoding)$/.test(name)) {
      // Left as it was.
    } else if (value === null) delete headers[name];
    else headers[name] = value;
  }
  // Paths that would leave the fuzzed area (`/sandbox/reset` ends every pairing) are not sent as such.
  if (leavesTheFuzzedArea(path)) path = '/sandbox/nowhere';
  return { method, path, headers, body, input, fresh: odd?.header != null };
}

/** How many resources of each type the request itself carries: the most a success may add. */
function carried(template: Template, input: Json): Record<StoredType, number> {
  const counts = Object.fromEntries(TYPES.map((type) => [type, 0])) as Record<StoredType, number>;
  const add = (resource: unknown) => {
    const type = (resource as { resourceType?: unknown } | null)?.resourceType;
    if (typeof type === 'string' && type in counts) counts[type as StoredType]++;
    // A DocumentReference's inline document becomes a Binary of its own.
    if (type === 'DocumentReference') counts.Binary++;
  };
  if (template.target === 'fhir' && template.method !== 'GET') {
    const entries = (input as { entry?: unknown } | null)?.entry;
    if (Array.isArray(entries)) for (const entry of entries) add((entry as { resource?: unknown } | null)?.resource);
    else add(input);
  }
  return counts;
}

/** How many documents a body sent to the admin API asks for: one without a body, none when it cannot be read. */
function documentsAsked(body: Buffer | undefined): number {
  const text = body?.toString() ?? '';
  if (text.trim() === '') return 1;
  try {
    const count = (JSON.parse(text) as { count?: unknown } | null)?.count;
    return count === undefined ? 1 : Number.isInteger(count) ? Number(count) : 0;
  } catch {
    return 0;
  }
}

/** What a success may change besides adding: a PATCH or an update rewrites, a replacement supersedes. */
function mayRewrite(template: Template): StoredType[] {
  if (template.name.startsWith('fhir:appointment')) return ['Appointment'];
  if (template.name === 'fhir:json-patch') return ['DocumentReference'];
  if (template.name.startsWith('fhir:iti')) return ['DocumentReference', 'List'];
  return [];
}

/** The answer's JSON, or a failure that says which request got what. */
function jsonOf(label: string, answer: RawAnswer): Record<string, unknown> {
  const text = answer.body.toString();
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    assert.fail(
      `${label}: ${answer.status} ${String(answer.headers['content-type'])} is not JSON: ${text.slice(0, 300)}`,
    );
  }
}

type Snapshot = Record<StoredType, { total: number; text: string }>;

describe('sandbox fuzzed with mutated valid requests', () => {
  let sandbox: TestSandbox;
  let tokens: Record<'elise' | 'fixtures', Tokens>;
  let all: Template[];
  const tally = new Tally();
  const started = Date.now();

  async function snapshot(): Promise<Snapshot> {
    const answers = await Promise.all(
      TYPES.map((type) =>
        send(sandbox.url, { method: 'GET', path: `/sandbox/patients/${PERSONA}/${type}`, headers: {} }),
      ),
    );
    return Object.fromEntries(
      answers.map((answer, i) => {
        assert.equal(answer.status, 200);
        const text = answer.body.toString();
        return [TYPES[i], { total: (JSON.parse(text) as { total: number }).total, text }];
      }),
    ) as Snapshot;
  }

  /** How many documents and Binaries a persona has: the same number, one Binary each. */
  async function documentsOf(persona: string): Promise<number> {
    const [documents, binaries] = await Promise.all(
      ['DocumentReference', 'Binary'].map(async (type) => {
        const answer = await send(sandbox.url, {
          method: 'GET',
          path: `/sandbox/patients/${persona}/${type}`,
          headers: {},
        });
        return (JSON.parse(answer.body.toString()) as { total: number }).total;
      }),
    );
    assert.equal(binaries, documents, `${persona}: ${binaries} Binaries for ${documents} documents`);
    return documents;
  }

  /** The PATCH's document, filed again after each reset. */
  const patched = documentBundle({ ins: INS }).bundle;

  /** Tokens for Élise, and the document the PATCH finds: at the start, and again after a reset. */
  async function prepare() {
    tokens = {
      elise: await adminTokens(sandbox.url, PERSONA, [...DEFAULT_FINALITIES]),
      fixtures: await adminTokens(sandbox.url, PERSONA, [...DEFAULT_FINALITIES], FIXTURES_SERVICE.clientId),
    };
    const filed = await fetch(sandbox.fhirBase, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokens.elise.access_token}`,
        'x-id-token': tokens.elise.id_token,
        'content-type': 'application/fhir+json',
      },
      body: JSON.stringify(patched),
    });
    assert.equal(filed.status, 200, await filed.text());
  }

  before(async () => {
    sandbox = await startSandbox({ services: [...defaultConfig().services, FIXTURES_SERVICE] });
    await prepare();
    const bundle = patched;
    all = templates(`urn:ietf:rfc:3986|${bundle.entry[1].resource.masterIdentifier.value}`);
    // Every input is valid as it stands: what the fuzz sends is one mutation away from a success.
    for (const template of all.filter((t) => t.target === 'fhir' || t.target === 'admin')) {
      const request = build(template, { template: 0, tree: [], text: null, request: null }, tokens);
      const answer = await send(sandbox.url, request);
      assert.ok(answer.status < 300, `${template.name}: ${answer.status} ${answer.body.toString().slice(0, 300)}`);
      if (template.restore === 'clock')
        await send(sandbox.url, { method: 'DELETE', path: '/sandbox/clock', headers: {} });
    }
  });
  after(async () => {
    // eslint-disable-next-line no-console
    console.log(tally.report('sandbox fuzz', Date.now() - started));
    await sandbox.dispose();
  });

  /** Sends one case and checks every invariant; the snapshot is MES's state before, updated after. */
  async function check(c: Case, state: { before: Snapshot; generated: number; cases: number }) {
    // What successes filed piles up, and the admin API's answers with it: a fresh start now and then.
    if (++state.cases % RESET_EVERY === 0) {
      assert.equal((await send(sandbox.url, { method: 'POST', path: '/sandbox/reset', headers: {} })).status, 200);
      await prepare();
      state.before = await snapshot();
      state.generated = await documentsOf(GENERATED_FOR);
    }
    const template = all[c.template];
    const request = build(template, c, tokens);
    const label = `${template.name} ${request.method} ${request.path.slice(0, 120)}`;
    let answer: RawAnswer;
    try {
      answer = await send(sandbox.url, request);
    } catch (error) {
      // Node's client refuses some of what it is asked to send (a path with a control character).
      if ((error as NodeJS.ErrnoException).code === 'ERR_UNESCAPED_CHARACTERS') return;
      throw error;
    }
    const text = answer.body.toString();
    const classes = mutationClasses(c.tree, c.text, c.request);
    tally.count(template.name, classes, answer.status, answer.cpuMs, label);
    assert.ok(answer.status < 500, `${label}: ${answer.status} ${text.slice(0, 300)}`);
    assert.ok(answer.cpuMs < CPU_BUDGET_MS, `${label}: ${answer.cpuMs.toFixed(0)} ms of CPU`);
    const isFhirPath = /^\/fhir(\/|\?|$)/.test(request.path);
    // Node's own answer to a request it cannot frame (a Content-Length the body belies), before any handler.
    const fromNodeParser = answer.headers['content-type'] === undefined && answer.body.length === 0;
    // 421: the loopback guard, before any route, for a Host that is not localhost.
    const proper = answer.status >= 400 && answer.status !== 421 && request.method !== 'HEAD' && !fromNodeParser;
    if (proper && isFhirPath && ![413, 431].includes(answer.status)) {
      const outcome = jsonOf(label, answer) as { resourceType?: string; issue?: { diagnostics?: string }[] };
      assert.equal(outcome.resourceType, 'OperationOutcome', `${label}: ${answer.status} ${text.slice(0, 300)}`);
      assert.ok((outcome.issue?.[0]?.diagnostics ?? '').length > 5, `${label}: says what is wrong`);
    }
    // oidc-provider answers its endpoints' other methods and paths as plain 404s, as any route it lacks.
    const asTemplate = request.method === template.method && request.path.split('?')[0] === template.path;
    if (proper && template.target === 'oauth-json' && asTemplate) {
      assert.equal(typeof jsonOf(label, answer).error, 'string', `${label}: ${text.slice(0, 300)}`);
    }
    if (proper && template.target === 'admin' && request.path.startsWith('/sandbox/')) {
      assert.equal(typeof jsonOf(label, answer).error, 'string', `${label}: ${text.slice(0, 300)}`);
    }
    if (template.restore === 'faults') {
      const off = await send(sandbox.url, {
        method: 'PUT',
        path: '/sandbox/faults',
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(JSON.stringify({ errorRate: 0, latencyMs: 0, statuses: [503], dropResponseRate: 0 })),
      });
      assert.equal(off.status, 200);
    }
    if (template.restore === 'clock') {
      assert.equal((await send(sandbox.url, { method: 'DELETE', path: '/sandbox/clock', headers: {} })).status, 204);
    }
    const after = await snapshot();
    // Node's parser answered for bytes past a Content-Length the body belied: the request as framed
    // (an empty body, say) may well have succeeded meanwhile; it is held to what it carried.
    const success = (answer.status >= 200 && answer.status < 300) || fromNodeParser;
    if (template.name === 'admin:generate-documents') {
      const generated = (await documentsOf(GENERATED_FOR)) - state.generated;
      const asked = documentsAsked(request.body);
      const expected = fromNodeParser ? [0, 1, asked] : answer.status < 300 ? [asked] : [0];
      assert.ok(expected.includes(generated), `${label}: ${answer.status}, ${generated} documents generated`);
      state.generated += generated;
    }
    const most = success ? carried(template, request.input) : undefined;
    const rewritable = success ? mayRewrite(template) : [];
    for (const type of TYPES) {
      const [was, now] = [state.before[type], after[type]];
      if (!success) {
        assert.equal(now.total, was.total, `${label}: ${answer.status} yet ${type} went ${was.total} → ${now.total}`);
        assert.ok(now.text === was.text, `${label}: ${answer.status} yet a ${type} changed`);
        continue;
      }
      const added = now.total - was.total;
      assert.ok(added >= 0 && added <= most![type], `${label}: ${type} +${added}, the request carried ${most![type]}`);
      if (added === 0 && !rewritable.includes(type)) assert.ok(now.text === was.text, `${label}: a ${type} changed`);
    }
    // Each document its own Binary: never one without the other, never one for two.
    const documents = after.DocumentReference.total - state.before.DocumentReference.total;
    assert.equal(
      after.Binary.total - state.before.Binary.total,
      documents,
      `${label}: Binaries for ${documents} documents`,
    );
    state.before = after;
  }

  const runs = (seed: number, numRuns: number) => ({ seed, numRuns, endOnFailure: true, includeErrorInReport: true });

  it('answers every mutated request below 500, with a proper error, no partial write, under 1 s of CPU', async () => {
    const state = { before: await snapshot(), generated: await documentsOf(GENERATED_FOR), cases: 0 };
    await fc.assert(
      fc.asyncProperty(caseArbitrary(all.length), (c) => check(c, state)),
      runs(20261130, Number(process.env.FUZZ_RUNS ?? 5200)),
    );
    assert.ok(tally.total >= 5000, `${tally.total} requests`);
  });
});
