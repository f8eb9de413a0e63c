/**
 * The gateway fuzzed: what a portal's page sends it (every operation's body, a patient's upload and
 * its x-mes-input header, the query strings of measures/summary and agenda.ics, pair/start and
 * pair/callback, cookies and headers), mutated by the thousand with fixed seeds, for a portal user
 * paired with Élise in the sandbox. Every answer is below 500, a refusal is the gateway's NDJSON
 * error line (or a route's documented body), an operation that fails has changed nothing in MES and
 * one that succeeds has filed no more than the host's sources hold, and no request costs the process
 * a second of CPU.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_FINALITIES, type AgendaAppointment, type MeasureSeries } from '@mes-kit/core';
import { pdfBlob, pdfBytes } from '../helpers/documents.js';
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
import { PORTAL_USER_COOKIE, pairThroughGateway, startGateway, type GatewayHarness } from '../helpers/gateway.js';

const PERSONA = 'elise';
const TYPES = ['DocumentReference', 'List', 'Binary', 'Appointment', 'Observation', 'Device'] as const;
type StoredType = (typeof TYPES)[number];
const CPU_BUDGET_MS = 1000;
const DAY = 24 * 3_600_000;
/** Codes that say MES or the gateway itself failed, never the page's input: none may come back with no faults injected. */
const SERVER_FAILURES = new Set(['MES_UNAVAILABLE', 'MES_NETWORK', 'MES_INVALID_RESPONSE', 'MES_HOST_FAILED']);

/** What the host holds for every portal user: one letter, two appointments, three weights. */
const DOCUMENT_REF = 'FUZZ-LETTRE-1';
const SOON = Date.UTC(2027, 0, 15, 9);
const AGENDA: AgendaAppointment[] = ['FUZZ-RDV-A', 'FUZZ-RDV-B'].map((id, i) => ({
  id,
  title: 'Consultation de cardiologie',
  start: new Date(SOON + i * DAY).toISOString(),
  end: new Date(SOON + i * DAY + 1_800_000).toISOString(),
  with: { kind: 'professional' as const, name: 'Dr Paul Girard' },
}));
const WEIGHTS: MeasureSeries = {
  kind: 'weight',
  device: { serial: 'FUZZ-SCALE-01', kind: 'weight-scale' },
  readings: [1, 2, 3].map((i) => ({
    id: `FUZZ-W-${i}`,
    at: new Date(Date.UTC(2026, 10, i, 7)).toISOString(),
    value: 70 + i,
  })),
};
/** The most one successful run may file: the host's sources, nothing more. */
const MOST: Record<string, Partial<Record<StoredType, number>>> = {
  'send-document': { DocumentReference: 1, List: 1, Binary: 1 },
  'sync-agenda': { Appointment: AGENDA.length },
  'send-measures': { Observation: WEIGHTS.readings.length, Device: 1 },
};

type Answered = 'ndjson' | 'pair-start' | 'callback-page' | 'calendar';

/** A valid request of the page: `input` is mutated whole (its query, body, header fields and cookies). */
interface Template {
  name: string;
  method: string;
  path: string;
  answered: Answered;
  /** `query`, `body` (JSON), `fields` (x-mes-input), `headers`: every part the page decides. */
  input: { query?: Json; body?: Json; fields?: Json; headers: Record<string, string> };
  /** A patient's own file, sent raw. */
  file?: Buffer;
  contentType?: string;
  /** The operation whose writes a success may make. */
  writes?: string;
}

function templates(harness: GatewayHarness, user: string, documentId: string): Template[] {
  const headers = {
    cookie: `${PORTAL_USER_COOKIE}=${encodeURIComponent(user)}`,
    'x-mes-kit': '1',
    origin: harness.origin,
  };
  const operation = (name: string, body: Json, writes?: string): Template => ({
    name: `operation:${name}`,
    method: 'POST',
    path: `/mes/operations/${name}`,
    answered: 'ndjson',
    input: { body, headers },
    contentType: 'application/json',
    writes,
  });
  return [
    operation('find-documents', {
      category: 'SYNTHESE',
      from: '2020-01-01',
      to: '2027-12-31',
      text: 'lettre',
      count: 10,
    }),
    operation('find-documents', { type: ['11490-0'], count: 5 }),
    operation('retrieve-document', { id: documentId, deliver: 'page' }),
    operation('retrieve-document', { id: documentId, deliver: 'host' }),
    operation('send-document', { ref: DOCUMENT_REF }, 'send-document'),
    operation('sync-agenda', { only: ['FUZZ-RDV-A'], dryRun: true }, 'sync-agenda'),
    operation('sync-agenda', {}, 'sync-agenda'),
    operation(
      'send-measures',
      { kinds: ['weight'], from: '2026-10-01T00:00:00Z', to: '2026-12-01T00:00:00Z' },
      'send-measures',
    ),
    operation('read-measures', { kind: 'weight', range: 'last' }),
    operation('read-measures', { kind: 'weight', range: { from: '2026-10-01T00:00:00Z', to: '2026-12-01T00:00:00Z' } }),
    {
      name: 'operation:send-document-upload',
      method: 'POST',
      path: '/mes/operations/send-document',
      answered: 'ndjson',
      input: {
        fields: {
          title: 'Mon ordonnance',
          type: 'DOCPAT03',
          date: '2026-11-02',
          description: 'Scannée',
          id: 'FUZZ-UPLOAD-1',
        },
        headers,
      },
      file: pdfBytes('fuzz-upload'),
      contentType: 'application/pdf',
      writes: 'send-document',
    },
    {
      name: 'get:measures-summary',
      method: 'GET',
      path: '/mes/measures/summary',
      answered: 'ndjson',
      input: { query: { kinds: 'weight,height', from: '2026-10-01T00:00:00Z', to: '2026-12-01T00:00:00Z' }, headers },
    },
    {
      name: 'get:agenda-ics',
      method: 'GET',
      path: '/mes/agenda.ics',
      answered: 'calendar',
      input: { query: { only: ['FUZZ-RDV-A', 'FUZZ-RDV-B'] }, headers },
    },
    {
      name: 'get:session',
      method: 'GET',
      path: '/mes/session',
      answered: 'ndjson',
      input: { headers },
    },
    {
      name: 'get:pair-start',
      method: 'GET',
      path: '/mes/pair/start',
      answered: 'pair-start',
      input: {
        query: { finalities: 'DOC_LECTURE DOC_ECRITURE', mode: 'redirect', return_to: '/dossier?onglet=documents' },
        headers: { cookie: headers.cookie },
      },
    },
    {
      name: 'get:pair-callback',
      method: 'GET',
      path: '/mes/pair/callback',
      answered: 'callback-page',
      input: {
        query: { code: 'c'.repeat(43), state: 's'.repeat(43), iss: harness.sandbox.url },
        headers: { cookie: `${headers.cookie}; mes_pair=${'s'.repeat(43)}` },
      },
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

/** A header value as a client can send it: what HTTP cannot carry, percent-encoded (the oddity stays). */
function headerValue(value: Json): string {
  const text = typeof value === 'string' ? value : jsonText(value);
  return text.replace(/[^\t\x20-\x7e\x80-\xff]/gu, (c) => {
    try {
      return encodeURIComponent(c);
    } catch {
      return '%ED%A0%80';
    }
  });
}

function build(template: Template, c: Case) {
  const input = mutateTree(template.input, c.tree);
  const parts = (typeof input === 'object' && input !== null && !Array.isArray(input) ? input : {}) as Record<
    string,
    Json
  >;
  const headers: Record<string, string> = {};
  const given = parts['headers'];
  if (typeof given === 'object' && given !== null && !Array.isArray(given)) {
    for (const [name, value] of Object.entries(given)) {
      if (/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) headers[name] = headerValue(value);
    }
  }
  let path = template.path;
  if ('query' in parts) path = `${path}?${formText(parts['query'])}`;
  let body: Buffer | undefined;
  if ('body' in parts) body = mutateText(Buffer.from(jsonText(parts['body'])), c.text);
  if (template.file) body = mutateText(template.file, c.text);
  if ('fields' in parts) headers['x-mes-input'] = encodeURIComponent(jsonText(parts['fields'])).slice(0, 12_000);
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
    if (value === null) delete headers[name];
    else headers[name] = value;
  }
  return { method, path, headers, body, fresh: odd?.header != null };
}

type Snapshot = Record<StoredType, { total: number; text: string }>;

interface Line {
  progress?: unknown;
  result?: unknown;
  error?: { code?: unknown; status?: unknown; field?: unknown };
}

/** The NDJSON lines of an answer, or a failure that says which request got what. */
function linesOf(label: string, answer: RawAnswer): Line[] {
  const text = answer.body.toString();
  try {
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Line);
  } catch {
    assert.fail(
      `${label}: ${answer.status} ${String(answer.headers['content-type'])} is not NDJSON: ${text.slice(0, 300)}`,
    );
  }
}

describe('gateway fuzzed with mutated valid requests', () => {
  let harness: GatewayHarness;
  let all: Template[];
  const tally = new Tally();
  const started = Date.now();

  async function snapshot(): Promise<Snapshot> {
    const answers = await Promise.all(
      TYPES.map((type) =>
        send(harness.sandbox.url, { method: 'GET', path: `/sandbox/patients/${PERSONA}/${type}`, headers: {} }),
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

  before(async () => {
    harness = await startGateway({
      gateway: {
        documents: {
          resolve: (_request, ref) =>
            ref === DOCUMENT_REF
              ? { file: pdfBlob('fuzz-letter'), title: 'Lettre de liaison', type: '11490-0' }
              : undefined,
          receive: () => ({ stored: true }),
          deliverToPage: true,
        },
        agenda: { list: () => AGENDA },
        measures: { list: () => [WEIGHTS] },
      },
    });
    const { user } = await pairThroughGateway(harness, { persona: PERSONA, finalities: [...DEFAULT_FINALITIES] });
    // What retrieve-document fetches, and the host's letter, agenda and weights already in MES: a
    // success then files nothing new, and the store stays small.
    const page = {
      cookie: `${PORTAL_USER_COOKIE}=${encodeURIComponent(user)}`,
      'x-mes-kit': '1',
      origin: harness.origin,
    };
    for (const [name, input] of [
      ['send-document', { ref: DOCUMENT_REF }],
      ['sync-agenda', {}],
      ['send-measures', { kinds: ['weight'] }],
    ] as const) {
      const answer = await send(harness.origin, {
        method: 'POST',
        path: `/mes/operations/${name}`,
        headers: { ...page, 'content-type': 'application/json' },
        body: Buffer.from(JSON.stringify(input)),
      });
      assert.ok('result' in linesOf(name, answer).at(-1)!, `${name}: ${answer.body.toString().slice(0, 300)}`);
    }
    const docs = JSON.parse(
      (
        await send(harness.sandbox.url, {
          method: 'GET',
          path: `/sandbox/patients/${PERSONA}/DocumentReference`,
          headers: {},
        })
      ).body.toString(),
    ) as { entry: { resource: { id: string } }[] };
    all = templates(harness, user, docs.entry[0].resource.id);
    // Every input is valid as it stands (but the callback's, whose code MES never issued).
    for (const template of all.filter((t) => t.answered !== 'callback-page')) {
      const answer = await send(harness.origin, build(template, { template: 0, tree: [], text: null, request: null }));
      const last = template.answered === 'ndjson' ? linesOf(template.name, answer).at(-1) : undefined;
      // pair/start: one a second per portal user, and this one has just paired.
      const throttled = template.answered === 'pair-start' && answer.status === 429;
      assert.ok(
        (answer.status < 400 || throttled) && !last?.error,
        `${template.name}: ${answer.status} ${answer.body.toString().slice(0, 300)}`,
      );
    }
  });
  after(async () => {
    // eslint-disable-next-line no-console
    console.log(tally.report('gateway fuzz', Date.now() - started));
    await harness.close();
  });

  async function check(c: Case, state: { before: Snapshot }) {
    const template = all[c.template];
    const request = build(template, c);
    const label = `${template.name} ${request.method} ${request.path.slice(0, 120)}`;
    let answer: RawAnswer;
    try {
      answer = await send(harness.origin, request);
    } catch (error) {
      // Node's client refuses some of what it is asked to send (a path with a control character).
      if ((error as NodeJS.ErrnoException).code === 'ERR_UNESCAPED_CHARACTERS') return;
      throw error;
    }
    const text = answer.body.toString();
    tally.count(template.name, mutationClasses(c.tree, c.text, c.request), answer.status, answer.cpuMs, label);
    assert.ok(answer.status < 500, `${label}: ${answer.status} ${text.slice(0, 300)}`);
    assert.ok(answer.cpuMs < CPU_BUDGET_MS, `${label}: ${answer.cpuMs.toFixed(0)} ms of CPU`);
    const type = String(answer.headers['content-type'] ?? '');
    const fromNodeParser = type === '' && answer.body.length === 0;
    let failed = answer.status >= 400;
    if (type.startsWith('application/x-ndjson') && request.method !== 'HEAD') {
      const lines = linesOf(label, answer);
      const last = lines.at(-1);
      assert.ok(
        last && ('result' in last || 'error' in last),
        `${label}: ${answer.status} ends with no outcome: ${text.slice(0, 300)}`,
      );
      for (const line of lines.filter((l) => l.error)) {
        assert.match(String(line.error!.code), /^MES_[A-Z_]+$/, `${label}: ${text.slice(0, 300)}`);
        assert.ok(!SERVER_FAILURES.has(String(line.error!.code)), `${label}: ${text.slice(0, 300)}`);
        assert.ok(Number(line.error!.status ?? 0) < 500, `${label}: MES answered ${String(line.error!.status)}`);
      }
      failed ||= 'error' in last;
    } else if (answer.status >= 400 && answer.status !== 405 && request.method !== 'HEAD' && !fromNodeParser) {
      // Outside the NDJSON routes: pair/start says why in plain text, the callback page in HTML.
      const path = request.path.split(/[?#]/)[0];
      const documented =
        (template.answered === 'pair-start' && path === template.path && type.startsWith('text/plain')) ||
        (template.answered === 'callback-page' && path === template.path && type.startsWith('text/html')) ||
        (type.startsWith('text/plain') && answer.status === 404);
      assert.ok(documented, `${label}: ${answer.status} ${type} ${text.slice(0, 200)}`);
    }
    const after = await snapshot();
    const most = !failed && template.writes ? MOST[template.writes] : {};
    for (const stored of TYPES) {
      const [was, now] = [state.before[stored], after[stored]];
      const added = now.total - was.total;
      if (failed) {
        assert.equal(added, 0, `${label}: refused (${answer.status} ${text.slice(0, 200)}) yet ${stored} +${added}`);
        assert.ok(now.text === was.text, `${label}: refused (${answer.status}) yet a ${stored} changed`);
      } else {
        assert.ok(added >= 0 && added <= (most[stored] ?? 0), `${label}: ${stored} +${added}`);
        if (!(stored in most)) assert.ok(now.text === was.text, `${label}: a ${stored} changed`);
      }
    }
    state.before = after;
  }

  const runs = (seed: number, numRuns: number) => ({ seed, numRuns, endOnFailure: true, includeErrorInReport: true });

  it('answers every mutated request below 500, with a proper error, no partial write, under 1 s of CPU', async () => {
    const state = { before: await snapshot() };
    await fc.assert(
      fc.asyncProperty(caseArbitrary(all.length), (c) => check(c, state)),
      runs(20261201, Number(process.env.FUZZ_RUNS ?? 5200)),
    );
    assert.ok(tally.total >= 5000, `${tally.total} requests`);
  });
});
