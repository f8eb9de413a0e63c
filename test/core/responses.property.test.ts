/**
 * MES's answers by the thousand — valid, mutated, truncated, cut, not JSON, huge, of any status —
 * through the operations as a page runs them: every failure is a MesError with a known code, its
 * operation and a localised message, and a valid answer still succeeds. Each property has its own
 * seed: a failure prints the seed and path that replay it.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import {
  DEFAULT_FINALITIES,
  MES_ERROR_CODES,
  MesClient,
  MesError,
  appointmentResource,
  checkSeries,
  checkedAppointment,
  encodeMessage,
  errorFromResponse,
  gatewayTransport,
  observationResource,
  type AgendaAppointment,
  type FhirRequest,
  type FindDocumentsPage,
  type MesErrorCode,
  type MesSession,
} from '@mes-kit/core';
import { enCommon } from '../../packages/elements/src/translations/en.js';
import { frCommon } from '../../packages/elements/src/translations/fr.js';
import { scripted, SERVICE, SESSION } from '../helpers/scripted-transport.js';

const fixture = (path: string): any =>
  JSON.parse(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8'));

/** Every answer handed to the code under test, printed at the end so the number can be quoted. */
let generated = 0;

const SESSION_ALL: MesSession = { ...SESSION, finalities: [...DEFAULT_FINALITIES] };
const FAST = { attempts: 2, baseDelayMs: 0, maxDelayMs: 1, timeoutMs: 10_000 };

// ---------------------------------------------------------------------------------------------
// Answers: plain data (so a counterexample prints), turned into a Response only when asked for.

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array | null;
  /** The connection drops halfway through the body. */
  cut?: boolean;
  /** No answer at all. */
  lost?: 'network' | 'timeout';
  /** A gateway stream that ends with no outcome: the operation's fate is unknown (MES_NETWORK). */
  unfinished?: boolean;
  /** What MES's API promises: the operation must succeed on such answers alone. */
  valid: boolean;
}

/** Statuses that carry no body: a Response with one cannot even be built. */
const NULL_BODY = new Set([204, 205, 304]);

function responseOf(answer: Answer): Response {
  if (answer.lost === 'network') throw new TypeError('fetch failed');
  if (answer.lost === 'timeout') throw new DOMException('The operation timed out.', 'TimeoutError');
  const bytes = typeof answer.body === 'string' ? new TextEncoder().encode(answer.body) : answer.body;
  let body: BodyInit | null = NULL_BODY.has(answer.status) || bytes === null ? null : new Uint8Array(bytes);
  if (answer.cut && body !== null) {
    const half = (bytes as Uint8Array).slice(0, Math.floor((bytes as Uint8Array).length / 2));
    body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(half);
        controller.error(new TypeError('terminated'));
      },
    });
  }
  return new Response(body, { status: answer.status, headers: answer.headers });
}

const CONTENT_TYPES = [
  'application/fhir+json',
  'application/fhir+json; charset=utf-8',
  'application/json',
  'text/html',
  'text/plain',
  'application/octet-stream',
  'application/x-ndjson',
  '',
];
const contentType = fc
  .constantFrom(...CONTENT_TYPES)
  .map((type): Record<string, string> => (type ? { 'content-type': type } : {}));

/**
 * Retry-After as MES or a proxy may send it. Operations that pace their calls (measures) hold
 * every later call for as long as it says: theirs never asks to wait, so a run takes no real time.
 */
const retryAfter = (paced: boolean) =>
  paced
    ? fc.constantFrom<Record<string, string>>({ 'retry-after': '0' }, { 'retry-after': '-3' })
    : fc.constantFrom<Record<string, string>>(
        {},
        { 'retry-after': '0' },
        { 'retry-after': '2' },
        { 'retry-after': 'soon' },
        { 'retry-after': '1e400' },
        { 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' },
        { 'retry-after': 'Wed, 21 Oct 2099 07:28:00 GMT' },
      );

const DIAGNOSTICS = [
  'Consent not given, access refused.',
  'idPe requested do not match idPe in token',
  'Invalid ID_TOKEN',
  'Bmi observation cannot be created.',
  '',
];

/** OperationOutcomes as MES sends them, and in shapes it should not. */
const oddOutcome: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({
    resourceType: fc.constant('OperationOutcome'),
    issue: fc.array(
      fc.record(
        {
          severity: fc.constantFrom('fatal', 'error', 'warning', 'information', 'bad', 3),
          code: fc.oneof(fc.constantFrom('forbidden', 'invalid', 'not-found', ''), fc.integer()),
          diagnostics: fc.oneof(fc.constantFrom(...DIAGNOSTICS), fc.string(), fc.integer(), fc.constant(null)),
          expression: fc.oneof(fc.array(fc.string(), { maxLength: 2 }), fc.string()),
        },
        { requiredKeys: [] },
      ),
      { maxLength: 3 },
    ),
  }),
  fc.record({
    resourceType: fc.constantFrom('OperationOutcome', 'Bundle', 'operationoutcome'),
    issue: fc.oneof(fc.constant(null), fc.string(), fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 })),
  }),
  fc.jsonValue({ maxDepth: 3 }),
);

// ---------------------------------------------------------------------------------------------
// Mutations of a valid answer.

type Path = (string | number)[];

/** Every path into a JSON value (its root included), at most a few hundred. */
function pathsOf(value: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (out.length > 400 || value === null || typeof value !== 'object') return out;
  for (const [key, inner] of Object.entries(value)) pathsOf(inner, [...at, Array.isArray(value) ? +key : key], out);
  return out;
}

const MUTATIONS = [
  'delete',
  'replace',
  'null',
  'wrap-array',
  'wrap-object',
  'to-string',
  'resource-type',
  'empty-array',
  'huge-string',
  'deep',
  'many',
] as const;
interface Mutation {
  at: number;
  op: (typeof MUTATIONS)[number];
  by: unknown;
}
const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom(...MUTATIONS),
  by: fc.jsonValue({ maxDepth: 2 }),
});

const DEEP = '\u0000deep\u0000';

/** The value with one mutation applied; `DEEP` marks where the text gets nesting too deep to build. */
function mutate(value: unknown, { at, op, by }: Mutation): unknown {
  const root = { value: structuredClone(value) } as Record<string, unknown>;
  const paths = pathsOf(root.value).map((path) => ['value', ...path]);
  // A resourceType is changed at the root only: elsewhere it is like any other field.
  const path = op === 'resource-type' ? ['value', 'resourceType'] : paths[at % paths.length];
  const parent = path.slice(0, -1).reduce<any>((node, key) => node?.[key], root);
  if (parent === null || typeof parent !== 'object') return root.value;
  const key = path.at(-1)!;
  const current = parent[key];
  switch (op) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(+key, 1);
      else delete parent[key];
      break;
    case 'replace':
      parent[key] = by;
      break;
    case 'null':
      parent[key] = null;
      break;
    case 'wrap-array':
      parent[key] = [current];
      break;
    case 'wrap-object':
      parent[key] = { value: current, [String(by).slice(0, 8) || 'x']: current };
      break;
    case 'to-string':
      parent[key] = typeof current === 'object' ? JSON.stringify(current) : String(current);
      break;
    case 'resource-type':
      parent[key] = ['OperationOutcome', 'Bundle', 'DocumentReference', 'Patient', '', 42][Math.abs(+String(at)) % 6];
      break;
    case 'empty-array':
      parent[key] = [];
      break;
    case 'huge-string':
      parent[key] = 'é'.repeat(100_000);
      break;
    case 'deep':
      parent[key] = DEEP;
      break;
    case 'many': {
      const list = Array.isArray(current) ? current : [current];
      parent[key] = Array.from({ length: 300 }, (_, i) => list[i % Math.max(1, list.length)]);
      break;
    }
  }
  return root.value;
}

/** The mutations in turn, up to the first that makes it huge: a huge answer made larger is no new case. */
function mutateAll(value: unknown, mutations: Mutation[]): unknown {
  let result = value;
  for (const step of mutations) {
    result = mutate(result, step);
    if (step.op === 'huge-string' || step.op === 'deep' || step.op === 'many') break;
  }
  return result;
}

const textOf = (value: unknown) =>
  (JSON.stringify(value) ?? '').replace(JSON.stringify(DEEP), `${'['.repeat(20_000)}${']'.repeat(20_000)}`);

// ---------------------------------------------------------------------------------------------
// Answers around a valid one.

interface AnswerOptions {
  /** The status of a success (200, or 201 for a create). */
  success?: number;
  /** The operation paces its calls (Retry-After holds them all). */
  paced?: boolean;
  /** Well-formed answers that state something wrong (a hash, a size…): no success is owed. */
  wrong?: fc.Arbitrary<unknown>;
}

const lostAnswer: fc.Arbitrary<Answer> = fc
  .constantFrom<'network' | 'timeout'>('network', 'timeout')
  .map((lost) => ({ status: 0, headers: {}, body: null, lost, valid: false }));

/** Bodies that are not what the API promises, whatever the status. */
const strayBody = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    '',
    'null',
    'true',
    '0',
    '"x"',
    '[]',
    '{}',
    '{"resourceType":',
    '<html><body><h1>502 Bad Gateway</h1></body></html>',
    '\uFEFF{}',
  ),
  fc.uint8Array({ maxLength: 64 }),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value) ?? ''),
);

/** MES's answer to one request: mostly the valid one and close variants, then anything. */
function answers(valid: fc.Arbitrary<unknown>, options: AnswerOptions = {}): fc.Arbitrary<Answer> {
  const success = options.success ?? 200;
  const FHIR = { 'content-type': 'application/fhir+json' };
  return fc.oneof(
    {
      weight: 8,
      arbitrary: valid.map((value) => ({ status: success, headers: FHIR, body: textOf(value), valid: true })),
    },
    {
      weight: 6,
      arbitrary: fc
        .tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 3 }), contentType)
        .map(([value, mutations, headers]) => ({
          status: success,
          headers,
          body: textOf(mutateAll(value, mutations)),
          valid: false,
        })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(valid, fc.nat()).map(([value, at]) => {
        const text = textOf(value);
        return { status: success, headers: FHIR, body: text.slice(0, at % Math.max(1, text.length)), valid: false };
      }),
    },
    {
      weight: 1,
      arbitrary: valid.map((value) => ({
        status: success,
        headers: FHIR,
        body: textOf(value),
        cut: true,
        valid: false,
      })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(200, 201, 204), strayBody, contentType)
        .map(([status, body, headers]) => ({ status, headers, body, valid: false })),
    },
    {
      weight: 4,
      arbitrary: fc
        .tuple(
          fc.oneof(
            fc.constantFrom(400, 401, 403, 404, 409, 410, 412, 413, 422, 429, 500, 502, 503),
            fc.integer({ min: 200, max: 599 }),
          ),
          oddOutcome,
          fc.tuple(contentType, retryAfter(!!options.paced)),
        )
        .map(([status, outcome, [type, retry]]) => ({
          status,
          headers: { ...type, ...retry },
          body: JSON.stringify(outcome) ?? '',
          valid: false,
        })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.integer({ min: 200, max: 599 }), fc.oneof(strayBody, valid.map(textOf)), retryAfter(!!options.paced))
        .map(([status, body, headers]) => ({ status, headers, body, valid: false })),
    },
    { weight: 1, arbitrary: lostAnswer },
    ...(options.wrong
      ? [
          {
            weight: 6,
            arbitrary: options.wrong.map((value) => ({
              status: success,
              headers: FHIR,
              body: textOf(value),
              valid: false,
            })),
          },
        ]
      : []),
  );
}

// ---------------------------------------------------------------------------------------------
// Running an operation against generated answers.

interface Exchange {
  requests: FhirRequest[];
  drawn: Answer[];
}

/** A FhirCall whose answers are drawn as the operation asks, by what it asks for. */
function mesDrawing(g: fc.GeneratorValue, answerFor: (request: FhirRequest) => fc.Arbitrary<Answer>) {
  const exchange: Exchange = { requests: [], drawn: [] };
  let closed = false;
  const call = async (request: FhirRequest) => {
    // A call still queued when the run settled (a page of a failed search) gets no answer of this run.
    if (closed) throw new DOMException('Run over', 'AbortError');
    exchange.requests.push(request);
    // Fetch refuses a header value that is not a byte string: so does this MES.
    new Headers(request.headers);
    const answer = g(answerFor, request);
    exchange.drawn.push(answer);
    generated++;
    return responseOf(answer);
  };
  return { call, exchange, close: () => (closed = true) };
}

/** A property's own seed and run count; a failure prints what MES answered and what went wrong. */
const runs = (seed: number, numRuns: number) => ({ seed, numRuns, includeErrorInReport: true, endOnFailure: true });

const knownCodes = new Set<string>(MES_ERROR_CODES);

/** What every failure must be: a MesError of a known code, localised, of this operation, true to the answers. */
function checkFailure(error: unknown, operation: string | undefined, exchange: Exchange): MesError {
  assert.ok(error instanceof MesError, `not a MesError: ${error instanceof Error ? error.stack : String(error)}`);
  assert.ok(knownCodes.has(error.code), error.code);
  for (const table of [frCommon.errors, enCommon.errors]) {
    assert.ok(typeof table[error.code] === 'string' && table[error.code].length > 0, `no message for ${error.code}`);
  }
  assert.ok(error.message.length > 0);
  if (operation) assert.equal(error.operation, operation);
  const dropped = exchange.drawn.some((answer) => answer.lost || answer.cut || answer.unfinished);
  if (!dropped)
    assert.notEqual(
      error.code,
      'MES_NETWORK',
      `every call had an answer (${(error.cause as Error)?.stack ?? String(error.cause)})`,
    );
  assert.notEqual(error.code, 'MES_ABORTED', 'nothing was aborted');
  if (error.status !== undefined) {
    assert.ok(
      exchange.drawn.some((answer) => answer.status === error.status),
      `status ${error.status} was never answered`,
    );
  }
  const back = MesError.fromJSON(JSON.parse(JSON.stringify(error)));
  assert.equal(back.code, error.code);
  return error;
}

async function settle<T>(run: () => Promise<T>, close: () => void) {
  try {
    return { value: await run() };
  } catch (error) {
    return { error };
  } finally {
    close();
  }
}

const allValid = (exchange: Exchange) => exchange.drawn.every((answer) => answer.valid);

const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('base64');

/** A FHIR id as MES gives them. */
const fhirId = fc.stringMatching(/^[A-Za-z0-9-]{1,20}$/);

// ---------------------------------------------------------------------------------------------
// Valid answers, from the fixtures.

const SEARCHSET = fixture('documents/iti67-searchset.json');
const LISTED = SEARCHSET.entry[0].resource;
const ITI65_RESPONSE = fixture('documents/iti65-transaction-response.json');
const MEASURE_RESPONSE = fixture('mesures/transaction-response-alimentation.json');
const APPOINTMENT = fixture('agenda/appointment-rdv-snr.json');

const listedDocument = fc
  .record({ id: fhirId, title: fc.string({ maxLength: 60 }), hidden: fc.boolean() })
  .map(({ id, title, hidden }) => {
    const doc = structuredClone(LISTED);
    doc.id = id;
    doc.content[0].attachment.title = title;
    if (hidden) doc.securityLabel.push({ coding: [{ code: 'INVISIBLE_PATIENT' }] });
    return doc;
  });

const documentSearchset = fc
  .record({
    documents: fc.array(listedDocument, { maxLength: 5 }),
    more: fc.nat({ max: 500 }),
    next: fc.option(
      fc.oneof(
        fc.nat({ max: 10_000 }).map((offset) => `http://mes.example/fhir/DocumentReference?_offset=${offset}&_count=5`),
        fc.webUrl({ withQueryParameters: true, withFragments: true }),
      ),
      { nil: undefined },
    ),
  })
  .map(({ documents, more, next }) => ({
    ...structuredClone(SEARCHSET),
    total: documents.length + more,
    link: [SEARCHSET.link[0], ...(next ? [{ relation: 'next', url: next }] : [])],
    entry: documents.map((resource) => ({ resource, search: { mode: 'match' } })),
  }));

// ---------------------------------------------------------------------------------------------

describe('MES’s answers, generated: every failure a MesError, every valid answer a success', () => {
  after(() => {
    // Once, at the end: the number of answers a run feeds through is quoted in reports.
    // eslint-disable-next-line no-console
    console.log(`responses.property: ${generated} generated MES answers`);
  });

  it('find documents: one page, then the page its next link names', async () => {
    const searchAnswers = answers(documentSearchset);
    await fc.assert(
      fc.asyncProperty(fc.gen(), fc.option(fc.string({ maxLength: 80 }), { nil: undefined }), async (g, cursor) => {
        const mes = mesDrawing(g, () => searchAnswers);
        const { transport } = scripted([], SESSION_ALL);
        transport.request = mes.call;
        const client = new MesClient({ transport, retry: FAST });
        const outcome = await settle(async () => {
          const pages = client.findDocuments({ cursor });
          const first = await pages.next();
          if (first.value?.next !== undefined) await pages.next();
          return first.value as FindDocumentsPage;
        }, mes.close);
        if ('error' in outcome) {
          checkFailure(outcome.error, 'find-documents', mes.exchange);
          assert.ok(!allValid(mes.exchange), `valid answers, yet ${String(outcome.error)}`);
        } else {
          const page = outcome.value;
          assert.ok(Number.isInteger(page.total) && page.total >= 0);
          assert.ok(page.documents.every((doc) => typeof doc.id === 'string' && typeof doc.title === 'string'));
          if (allValid(mes.exchange)) assert.equal(page.skipped, 0);
        }
      }),
      runs(0x6d65_0001, 1000),
    );
  });

  /** A document listed with these bytes: size and SHA-1 as MES states them. */
  const retrievable = (bytes: Uint8Array, type: string) => {
    const doc = structuredClone(LISTED);
    Object.assign(doc.content[0].attachment, { contentType: type, size: bytes.length, hash: sha1(bytes) });
    return doc;
  };
  const MEDIA = ['application/pdf', 'text/plain', 'image/jpeg', 'image/tiff', 'text/rtf', 'application/zip'];

  /** The attachment's statements, each wrong in its own way. */
  const wrongAttachment = (bytes: Uint8Array) =>
    fc.constantFrom<Record<string, unknown>>(
      { hash: sha1(new Uint8Array([...bytes, 0])) },
      { hash: createHash('sha1').update(bytes).digest('hex') },
      { hash: sha1(bytes).toLowerCase() },
      { hash: '' },
      { hash: undefined },
      { size: bytes.length + 1 },
      { size: Math.max(0, bytes.length - 1) },
      { size: -1 },
      { size: 1.5 },
      { size: String(bytes.length) },
      { size: 2 ** 53 },
      { size: 50_000_001 },
      { size: undefined },
      { url: 'https://evil.example/Binary/bin-0001' },
      { url: 'Binary/../Patient/1' },
      { url: 'Binary/' },
      { url: undefined },
      { contentType: 'text/html\r\nx-evil: 1' },
      { contentType: 'application/pdf\u2028' },
      { contentType: '' },
    );

  it('retrieve a document: its DocumentReference, then bytes checked against size and SHA-1', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.gen(),
        fc.uint8Array({ maxLength: 3000 }),
        fc.constantFrom(...MEDIA),
        async (g, bytes, type) => {
          const wrongReference = fc.oneof(
            wrongAttachment(bytes).map((wrong) => {
              const doc = retrievable(bytes, type);
              Object.assign(doc.content[0].attachment, wrong);
              return doc;
            }),
            fc
              .constantFrom(
                { id: 'another-id' },
                { status: 'entered-in-error' },
                { securityLabel: [{ coding: [{ code: 'INVISIBLE_PATIENT' }] }] },
              )
              .map((wrong) => ({ ...retrievable(bytes, type), ...wrong })),
          );
          const binary = fc.oneof(
            {
              weight: 6,
              arbitrary: fc.constant<Answer>({
                status: 200,
                headers: { 'content-type': type },
                body: bytes,
                valid: true,
              }),
            },
            {
              weight: 4,
              arbitrary: fc
                .oneof(
                  fc.constant(bytes.slice(0, -1)),
                  fc.constant(new Uint8Array([...bytes, 0x0a])),
                  fc.nat().map((at) => bytes.map((byte, i) => (i === at % bytes.length ? byte ^ 1 : byte))),
                  fc.uint8Array({ maxLength: 3000 }),
                  fc.constant(new Uint8Array(0)),
                )
                .map((body) => ({ status: 200, headers: { 'content-type': type }, body, valid: false })),
            },
            {
              weight: 1,
              arbitrary: fc.constant<Answer>({ status: 200, headers: {}, body: bytes, cut: true, valid: false }),
            },
            { weight: 1, arbitrary: fc.constant<Answer>({ status: 200, headers: {}, body: null, valid: false }) },
            {
              weight: 3,
              arbitrary: answers(fc.constant({ resourceType: 'Binary', contentType: type, data: '' })).map(
                // A Binary resource is not the bytes themselves.
                (answer) => ({ ...answer, valid: false }),
              ),
            },
          );
          const mes = mesDrawing(g, (request) =>
            request.path.startsWith('Binary/')
              ? binary
              : answers(fc.constant(retrievable(bytes, type)), { wrong: wrongReference }),
          );
          const { transport } = scripted([], SESSION_ALL);
          transport.request = mes.call;
          const client = new MesClient({ transport, retry: FAST });
          const outcome = await settle(() => client.retrieveDocument(LISTED.id), mes.close);
          if ('error' in outcome) {
            checkFailure(outcome.error, 'retrieve-document', mes.exchange);
            assert.ok(!allValid(mes.exchange), `valid answers, yet ${String(outcome.error)}`);
          } else {
            // Only bytes of the stated size and SHA-1 are ever handed on.
            const file = outcome.value.file!;
            const received = new Uint8Array(await file.arrayBuffer());
            assert.equal(received.length, outcome.value.document.size);
            assert.equal(sha1(received), outcome.value.document.hash);
          }
        },
      ),
      runs(0x6d65_0002, 1000),
    );
  });

  /** A minimal PDF, as a page would send one. */
  const pdf = new Blob(
    [new TextEncoder().encode('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n')],
    {
      type: 'application/pdf',
    },
  );

  it('send a document: the ITI-65 transaction-response, and the search after a lost answer', async () => {
    const found = fc.oneof(
      fc.constant({ resourceType: 'Bundle', type: 'searchset', total: 0, entry: [] }),
      fhirId.map((id) => ({
        resourceType: 'Bundle',
        type: 'searchset',
        total: 1,
        entry: [{ resource: { ...LISTED, id } }],
      })),
    );
    const [foundAnswers, sentAnswers] = [answers(found), answers(fc.constant(ITI65_RESPONSE))];
    await fc.assert(
      fc.asyncProperty(fc.gen(), async (g) => {
        const mes = mesDrawing(g, (request) => (request.method === 'GET' ? foundAnswers : sentAnswers));
        const { transport } = scripted([], SESSION_ALL);
        transport.request = mes.call;
        const client = new MesClient({ transport, retry: FAST });
        const outcome = await settle(
          () => client.sendDocument({ file: pdf, title: 'Compte rendu', type: '11488-4' }),
          mes.close,
        );
        if ('error' in outcome) {
          checkFailure(outcome.error, 'send-document', mes.exchange);
          assert.ok(!allValid(mes.exchange), `valid answers, yet ${String(outcome.error)}`);
        } else {
          assert.ok(typeof outcome.value.id === 'string' && outcome.value.id.length > 0);
          if (allValid(mes.exchange))
            assert.deepEqual([outcome.value.id, outcome.value.alreadyPresent], ['dr-0001', false]);
        }
      }),
      runs(0x6d65_0003, 800),
    );
  });

  const SOON = Date.parse('2031-03-01T08:00:00Z');
  const agenda: AgendaAppointment[] = [
    {
      id: 'PREOP-1',
      title: 'Consultation pré-opératoire',
      start: new Date(SOON),
      end: new Date(SOON + 1_800_000),
      with: { kind: 'professional', name: 'Dr Sophie Leclerc', rpps: '81010120123' },
    },
    {
      id: 'ADM-1',
      title: 'Admission',
      start: new Date(SOON + 86_400_000),
      end: new Date(SOON + 90_000_000),
      with: { kind: 'establishment', name: 'Clinique des Tilleuls' },
    },
  ];
  const heldAppointment = fc
    .record({ which: fc.nat({ max: 1 }), moved: fc.boolean(), id: fhirId })
    .map(({ which, moved, id }) => {
      const resource = appointmentResource(checkedAppointment(agenda[which]), SERVICE, SESSION.idPe!);
      return { ...resource, id, ...(moved && { start: '2031-03-01T10:00:00+01:00' }) };
    });
  const agendaSearchset = fc
    .record({
      held: fc.array(fc.oneof(heldAppointment, fc.constant({ ...APPOINTMENT, id: 'other' })), { maxLength: 3 }),
      next: fc.option(
        fc.oneof(
          fc.nat({ max: 5000 }).map((offset) => `Appointment?_offset=${offset}`),
          fc.constantFrom(
            'http://[::1',
            'http://a b/?_offset=1',
            '?_offset=-1',
            '//host:99999/?_offset=2',
            '?_offset=1e3',
          ),
          fc.string({ maxLength: 40 }),
        ),
        { nil: undefined },
      ),
    })
    .map(({ held, next }) => ({
      resourceType: 'Bundle',
      type: 'searchset',
      total: held.length,
      ...(next !== undefined && { link: [{ relation: 'next', url: next }] }),
      entry: held.map((resource) => ({ resource })),
    }));

  it('sync the agenda: the search of what MES holds (paged), then each conditional write', async () => {
    const searchAnswers = answers(agendaSearchset);
    const createAnswers = answers(heldAppointment, { success: 201 });
    const updateAnswers = answers(heldAppointment);
    await fc.assert(
      fc.asyncProperty(fc.gen(), fc.boolean(), async (g, dryRun) => {
        const mes = mesDrawing(g, (request) =>
          request.method === 'GET' ? searchAnswers : request.method === 'POST' ? createAnswers : updateAnswers,
        );
        const { transport } = scripted([], SESSION_ALL);
        transport.request = mes.call;
        const client = new MesClient({ transport, retry: FAST });
        const outcome = await settle(() => client.syncAgenda(agenda, { dryRun }), mes.close);
        if ('error' in outcome) {
          checkFailure(outcome.error, 'sync-agenda', mes.exchange);
          assert.ok(!allValid(mes.exchange), `valid answers, yet ${String(outcome.error)}`);
        } else {
          const { changes, failed } = outcome.value;
          for (const change of changes) {
            if (change.error) checkFailure(MesError.fromJSON(change.error), 'sync-agenda', mes.exchange);
          }
          assert.equal(failed, changes.filter((change) => change.outcome === 'failed').length);
          if (allValid(mes.exchange)) assert.equal(failed, 0);
        }
      }),
      runs(0x6d65_0004, 700),
    );
  });

  const readings = checkSeries([
    {
      kind: 'weight',
      device: { serial: 'FE-ED-AB-AA-DE-AD-77-C5', kind: 'weight-scale' },
      readings: [
        { at: '2026-11-12T08:15:00+01:00', value: 71.4 },
        { at: '2026-11-13T08:15:00+01:00', value: 71.1 },
        { at: '2026-11-14T08:15:00+01:00', value: 70.9 },
      ],
    },
  ]);
  const heldObservation = fc
    .record({ which: fc.nat({ max: 2 }), id: fhirId, ours: fc.boolean() })
    .map(({ which, id, ours }) => ({
      ...observationResource(readings[which], { service: SERVICE, idPe: SESSION.idPe!, id, deviceId: 'dev-1' }),
      meta: { source: ours ? `urn:oid:${SERVICE.oid}` : 'urn:oid:1.2.250.1.999.7' },
    }));
  const measureSearchset = fc
    .record({ held: fc.array(heldObservation, { maxLength: 3 }), more: fc.oneof(fc.constant(0), fc.nat({ max: 250 })) })
    .map(({ held, more }) => ({
      resourceType: 'Bundle',
      type: 'searchset',
      total: held.length + more,
      entry: [
        ...held.map((resource) => ({ resource, search: { mode: 'match' } })),
        {
          resource: {
            resourceType: 'Device',
            id: 'dev-1',
            manufacturer: 'Balances & Co',
            deviceName: [{ name: 'Ma balance' }],
          },
          search: { mode: 'include' },
        },
      ],
    }));

  it('send measures: what MES holds already, then one transaction per missing reading', async () => {
    const searchAnswers = answers(measureSearchset, { paced: true });
    const sentAnswers = answers(fc.constant(MEASURE_RESPONSE), { paced: true });
    await fc.assert(
      fc.asyncProperty(fc.gen(), async (g) => {
        const mes = mesDrawing(g, (request) => (request.method === 'GET' ? searchAnswers : sentAnswers));
        const { transport } = scripted([], SESSION_ALL);
        transport.request = mes.call;
        const client = new MesClient({ transport, retry: FAST });
        const outcome = await settle(
          () =>
            client.sendMeasures([
              {
                kind: 'weight',
                device: { serial: 'FE-ED-AB-AA-DE-AD-77-C5', kind: 'weight-scale' },
                readings: readings.map(({ at, value }) => ({ at, value: value! })),
              },
            ]),
          mes.close,
        );
        if ('error' in outcome) {
          checkFailure(outcome.error, 'send-measures', mes.exchange);
          assert.ok(!allValid(mes.exchange), `valid answers, yet ${String(outcome.error)}`);
        } else {
          const { readings: results, total } = outcome.value;
          assert.equal(results.length, readings.length);
          for (const result of results) {
            if (result.error) checkFailure(MesError.fromJSON(result.error), 'send-measures', mes.exchange);
          }
          assert.equal(total.created + total.present + total.failed, readings.length);
          if (allValid(mes.exchange)) assert.equal(total.failed, 0);
        }
      }),
      runs(0x6d65_0005, 600),
    );
  });

  it('read measures: every page of the Observation search, devices included', async () => {
    const searchAnswers = answers(measureSearchset, { paced: true });
    await fc.assert(
      fc.asyncProperty(
        fc.gen(),
        fc.constantFrom<{ from: string; to: string } | 'last'>('last', {
          from: '2026-11-01T00:00:00Z',
          to: '2026-11-30T00:00:00Z',
        }),
        async (g, range) => {
          const mes = mesDrawing(g, () => searchAnswers);
          const { transport } = scripted([], SESSION_ALL);
          transport.request = mes.call;
          const client = new MesClient({ transport, retry: FAST });
          const outcome = await settle(() => client.readMeasures('weight', range), mes.close);
          if ('error' in outcome) {
            checkFailure(outcome.error, 'read-measures', mes.exchange);
            assert.ok(!allValid(mes.exchange), `valid answers, yet ${String(outcome.error)}`);
          } else {
            for (const measure of outcome.value) {
              assert.equal(measure.kind, 'weight');
              assert.equal(typeof measure.value, 'number');
            }
          }
        },
      ),
      runs(0x6d65_0006, 600),
    );
  });

  /** The code a refusal stands for, as MES documents it. */
  function expectedCode(status: number, diagnostics: string): MesErrorCode {
    if (status === 401) return 'MES_AUTH_REQUIRED';
    if (status === 403) {
      if (diagnostics.startsWith('idPe')) return 'MES_PATIENT_MISMATCH';
      if (diagnostics.startsWith('Consent not given')) return 'MES_CONSENT_REQUIRED';
      return 'MES_CONFIGURATION';
    }
    if (status === 409 || (status === 400 && diagnostics.includes('ID_TOKEN'))) return 'MES_CONFIGURATION';
    if (status === 413) return 'MES_TOO_LARGE';
    if (status === 429) return 'MES_RATE_LIMITED';
    if (status >= 500) return 'MES_UNAVAILABLE';
    return 'MES_REJECTED';
  }

  it('map a refusal to its code, whatever the OperationOutcome looks like', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 200, max: 599 }),
        fc.oneof(
          oddOutcome.map((outcome) => JSON.stringify(outcome) ?? ''),
          strayBody,
        ),
        contentType,
        fc.boolean(),
        async (status, body, headers, cut) => {
          generated++;
          const answer: Answer = { status, headers, body, cut, valid: false };
          const error = await errorFromResponse(responseOf(answer));
          checkFailure(error, undefined, { requests: [], drawn: [answer] });
          assert.equal(error.status, status);
          // MES's own text decides the code only when it is an OperationOutcome's.
          const diagnostics = error.outcome?.issue[0]?.diagnostics ?? '';
          assert.equal(error.code, expectedCode(status, diagnostics));
          if (error.outcome) assert.equal(error.outcome.resourceType, 'OperationOutcome');
        },
      ),
      runs(0x6d65_0007, 2500),
    );
  });

  it('the gateway’s answers: the session, an operation’s NDJSON stream, a revocation', async () => {
    const progress = fc.record({ phase: fc.string({ maxLength: 10 }), ratio: fc.double() }, { requiredKeys: [] });
    const line = fc.oneof(
      progress.map((p) => encodeMessage({ progress: p as never })),
      fc.constant(encodeMessage({ result: { total: 0, documents: [], skipped: 0 } })),
      fc.jsonValue({ maxDepth: 2 }).map((error) => `${JSON.stringify({ error })}\n`),
      fc.constantFrom(...MES_ERROR_CODES, 'MES_NEW').map((code) => encodeMessage({ error: { code } as never })),
      fc.jsonValue({ maxDepth: 2 }).map((value) => `${JSON.stringify(value)}\n`),
      fc.constantFrom('{"progress":', '\n', 'null\n', '5\n', '{"progress":null}\n', '{"result":1}{"result":2}\n'),
    );
    const stream = fc.array(line, { maxLength: 5 }).map((lines) => lines.join(''));
    /** Whether a line says how the operation ended (or is no message at all). */
    const concludes = (text: string) => {
      try {
        const message: unknown = JSON.parse(text);
        return (
          typeof message !== 'object' ||
          message === null ||
          Array.isArray(message) ||
          'result' in message ||
          'error' in message
        );
      } catch {
        return true;
      }
    };
    const unfinished = (body: string) => !body.split('\n').some((text) => text.trim() && concludes(text));
    const session = fc.oneof(
      { weight: 3, arbitrary: fc.constant(SESSION_ALL) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    );
    const ndjson = { 'content-type': 'application/x-ndjson' };
    const operation = fc.oneof(
      {
        weight: 3,
        arbitrary: stream.map((body) => ({
          status: 200,
          headers: ndjson,
          body,
          unfinished: unfinished(body),
          valid: false,
        })),
      },
      {
        weight: 1,
        arbitrary: stream.map((body) => ({ status: 200, headers: ndjson, body, cut: true, valid: false })),
      },
      { weight: 2, arbitrary: answers(fc.constant({})) },
    );
    await fc.assert(
      fc.asyncProperty(fc.gen(), async (g) => {
        const exchange: Exchange = { requests: [], drawn: [] };
        const fetch = async (url: string | URL | Request) => {
          const path = url instanceof Request ? url.url : url.toString();
          const answer = g(() =>
            path.endsWith('/session')
              ? answers(session)
              : path.includes('/operations/')
                ? operation
                : answers(fc.constant({}), { success: 204 }),
          );
          // httpRequest refuses a redirect as fetch does, with a TypeError: no answer, as far as it goes.
          const redirect = answer.status >= 300 && answer.status < 400;
          // A stream of the operation that never says how it ended: the page cannot know either.
          const endless =
            answer.headers['content-type'] === 'application/x-ndjson' &&
            answer.status >= 200 &&
            answer.status < 300 &&
            typeof answer.body === 'string' &&
            unfinished(answer.body);
          exchange.drawn.push(redirect || endless ? { ...answer, unfinished: true } : answer);
          generated++;
          return responseOf(answer);
        };
        const client = new MesClient({
          transport: gatewayTransport({ baseUrl: '/mes', fetch: fetch }),
        });
        const found = await settle(
          () => client.findDocuments().next(),
          () => undefined,
        );
        if ('error' in found) checkFailure(found.error, 'find-documents', exchange);
        const revoked = await settle(
          () => client.revoke(),
          () => undefined,
        );
        if ('error' in revoked) checkFailure(revoked.error, 'revoke', exchange);
      }),
      runs(0x6d65_0008, 800),
    );
  });
});
