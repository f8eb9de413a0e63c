import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MesClient,
  MesError,
  inProcessTransport,
  retryDelayMs,
  DEFAULT_RETRY,
  buildProvideDocumentBundle,
  serializeProvideDocumentBundle,
  type FhirRequest,
  type LocalTransport,
} from '@mes-kit/core';
import { createInPageSandbox } from '../../packages/sandbox/src/in-page.js';
import { pdfBlob } from '../helpers/documents.js';
import { r4Errors } from '../helpers/fhir-validator.js';
import { fixture } from '../helpers/sandbox.js';
import { SERVICE, SESSION, bodyOf, outcome, recording, scripted, type Answer } from '../helpers/scripted-transport.js';

const created =
  (status = '201 Created') =>
  () =>
    new Response(
      JSON.stringify({
        resourceType: 'Bundle',
        type: 'transaction-response',
        entry: [
          { response: { status, location: 'List/l1/_history/1' } },
          { response: { status, location: 'DocumentReference/d1/_history/1' } },
          { response: { status, location: 'Binary/b1' } },
        ],
      }),
      { status: 200 },
    );

const input = (overrides: Record<string, unknown> = {}) => ({
  file: pdfBlob('x'),
  title: 'Lettre de liaison de sortie',
  type: '11490-0',
  date: '2026-11-20T10:00:00+01:00',
  ...overrides,
});
const fastRetry = { baseDelayMs: 1, maxDelayMs: 5 };

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<MesError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof MesError, `a MesError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected ${code}`);
}

describe('sendDocument', () => {
  describe('host input is checked before any network call', () => {
    const cases: [string, Record<string, unknown>, string, string | undefined][] = [
      ['no title', { title: '  ' }, 'MES_INVALID_INPUT', 'title'],
      ['an unknown type', { type: 'XYZ' }, 'MES_INVALID_INPUT', 'type'],
      ['an unknown category', { category: '99' }, 'MES_INVALID_INPUT', 'category'],
      ['no file', { file: undefined }, 'MES_INVALID_INPUT', 'file'],
      [
        'a PNG',
        { file: new Blob([new Uint8Array([0x89, 0x50])], { type: 'image/png' }) },
        'MES_INVALID_INPUT',
        'format',
      ],
      ['an empty file', { file: new Blob([], { type: 'application/pdf' }) }, 'MES_INVALID_INPUT', 'empty'],
      ['a bad date', { date: 'hier' }, 'MES_INVALID_INPUT', 'date'],
      ['an unknown author', { author: 'hospital' }, 'MES_INVALID_INPUT', 'author'],
      [
        '5,000,001 bytes',
        { file: new Blob([new Uint8Array(5_000_001)], { type: 'application/pdf' }) },
        'MES_TOO_LARGE',
        undefined,
      ],
    ];
    for (const [name, overrides, code, field] of cases) {
      it(`refuses ${name}`, async () => {
        const { transport, requests } = scripted([]);
        const error = await rejectsWith(new MesClient({ transport }).sendDocument(input(overrides) as never), code);
        assert.equal(error.field, field);
        assert.equal(error.operation, 'send-document');
        assert.equal(error.retryable, false);
        assert.equal(requests.length, 0);
      });
    }

    it('checks a document for the host as the operation will (client.check), naming the field', async () => {
      const client = new MesClient({ transport: scripted([]).transport });
      const checked = await client.check('send-document', input());
      assert.equal((checked as { contentType?: string }).contentType, 'application/pdf');
      const error = await rejectsWith(client.check('send-document', input({ type: 'XYZ' })), 'MES_INVALID_INPUT');
      assert.deepEqual([error.operation, error.field], ['send-document', 'type']);
    });

    it('a ref cannot be sent from the page: only a gateway resolves it', async () => {
      const { transport, requests } = scripted([]);
      const error = await rejectsWith(
        new MesClient({ transport }).sendDocument({ ref: 'lettre-42' }),
        'MES_INVALID_INPUT',
      );
      assert.deepEqual([error.operation, error.field], ['send-document', 'ref']);
      assert.equal(requests.length, 0);
    });

    it('refuses without pairing or without DOC_ECRITURE, before any MES call', async () => {
      const unpaired = scripted([], { ...SESSION, paired: false, idPe: undefined, finalities: [] });
      const notPaired = await rejectsWith(
        new MesClient({ transport: unpaired.transport }).sendDocument(input() as never),
        'MES_AUTH_REQUIRED',
      );
      assert.equal(notPaired.operation, 'send-document');
      const readOnly = scripted([], { ...SESSION, finalities: ['DOC_LECTURE'] });
      const noConsent = await rejectsWith(
        new MesClient({ transport: readOnly.transport }).sendDocument(input() as never),
        'MES_CONSENT_REQUIRED',
      );
      assert.equal(noConsent.operation, 'send-document');
      assert.equal(noConsent.status, undefined, 'refused here, not by MES');
      assert.equal(unpaired.requests.length + readOnly.requests.length, 0);
    });
  });

  describe('each MES answer becomes one MesError', () => {
    const cases: [string, Answer, string][] = [
      [
        '400 ID token',
        outcome(400, 'HTTP code 400 : Bad request -> The ID_TOKEN value is not valid (invalid JWT)'),
        'MES_CONFIGURATION',
      ],
      ['400 other', outcome(400, 'Bundle not valid.'), 'MES_REJECTED'],
      ['401', outcome(401, 'Access token invalid, expired or revoked.'), 'MES_AUTH_REQUIRED'],
      ['403 consent', outcome(403, 'Consent not given, access refused.'), 'MES_CONSENT_REQUIRED'],
      ['403 idPe', outcome(403, 'idPe requested do not match authorized idPe.'), 'MES_PATIENT_MISMATCH'],
      ['409', outcome(409, 'HTTP code 409 :OID conflict'), 'MES_CONFIGURATION'],
      ['413', outcome(413, 'too big'), 'MES_TOO_LARGE'],
      ['422', outcome(422, 'Bundle.entry[1].resource.masterIdentifier is required.'), 'MES_REJECTED'],
      ['500', outcome(500, 'Internal error'), 'MES_UNAVAILABLE'],
      [
        '200 that is not a transaction-response',
        () => new Response('{"resourceType":"Patient"}', { status: 200 }),
        'MES_INVALID_RESPONSE',
      ],
      ['200 that is not JSON', () => new Response('<html>', { status: 200 }), 'MES_INVALID_RESPONSE'],
    ];
    for (const [name, answer, code] of cases) {
      it(`${name} → ${code}`, async () => {
        const { transport, requests } = scripted([answer]);
        const error = await rejectsWith(new MesClient({ transport }).sendDocument(input() as never), code);
        assert.equal(requests.length, 1, 'not retried');
        assert.equal(error.operation, 'send-document');
        assert.ok(!error.message.includes('patient-externe'), 'no patient data in the message');
        assert.ok(!JSON.stringify(error.toJSON()).includes('patient-externe'), 'nor on the wire');
      });
    }

    it('keeps MES diagnostics of a 422 in the OperationOutcome, out of the message', async () => {
      const diagnostics = 'Bundle.entry[1].resource.type.coding is required.';
      const { transport } = scripted([outcome(422, diagnostics)]);
      const error = await rejectsWith(new MesClient({ transport }).sendDocument(input() as never), 'MES_REJECTED');
      assert.equal(error.status, 422);
      assert.ok(!error.message.includes(diagnostics));
      assert.equal(error.outcome?.issue[0]?.diagnostics, diagnostics);
    });

    it('a refusal that is not MES’s consent text is not blamed on the patient’s consent', async () => {
      const { transport } = scripted([outcome(403, 'Cross-site request refused by the gateway.')]);
      await rejectsWith(new MesClient({ transport }).sendDocument(input() as never), 'MES_CONFIGURATION');
    });

    it('does not retry earlier than Retry-After asks; a long wait is reported instead', async () => {
      const { transport, requests } = scripted([outcome(429, 'slow down', { 'retry-after': '3600' })]);
      await rejectsWith(new MesClient({ transport }).sendDocument(input() as never), 'MES_RATE_LIMITED');
      assert.equal(requests.length, 1);
    });

    it('an answer lost after MES committed (the request rejects) is looked up, not resent', async () => {
      const found = () =>
        new Response(
          JSON.stringify({
            resourceType: 'Bundle',
            type: 'searchset',
            total: 1,
            entry: [{ resource: { resourceType: 'DocumentReference', id: 'd9' } }],
          }),
          { status: 200 },
        );
      const { transport, requests } = scripted([() => Promise.reject(new TypeError('fetch failed')), found]);
      const result = await new MesClient({ transport }).sendDocument(input() as never);
      const master = bodyOf(requests[0]).entry[1].resource.masterIdentifier.value as string;
      assert.deepEqual(result, { id: 'd9', masterIdentifier: master, alreadyPresent: true });
      assert.deepEqual(
        requests.map((r) => r.method),
        ['POST', 'GET'],
      );
      const query = new URLSearchParams(requests[1].path.split('?')[1]);
      assert.equal(query.get('identifier'), `urn:ietf:rfc:3986|${master}`);
      assert.match(query.get('patient.identifier')!, /\|patient-externe-id-2$/);
    });

    it('an answer lost, reading not granted: the very same bundle again, which ifNoneExist keeps single', async () => {
      const { transport, requests } = scripted(
        [() => Promise.reject(new TypeError('fetch failed')), created('200 OK')],
        { ...SESSION, finalities: ['DOC_ECRITURE'] },
      );
      const result = await new MesClient({ transport }).sendDocument(input() as never);
      assert.equal(result.alreadyPresent, true);
      assert.deepEqual(
        requests.map((r) => r.method),
        ['POST', 'POST'],
      );
      assert.deepEqual(requests[0].body, requests[1].body);
      assert.match(bodyOf(requests[1]).entry[1].request.ifNoneExist, /^identifier=urn:ietf:rfc:3986\|urn:uuid:/);
    });

    it('refuses a file whose bytes are not of its declared type, before sending', async () => {
      const { transport, requests } = scripted([]);
      const fake = new Blob(['<html>not a pdf</html>'], { type: 'application/pdf' });
      const error = await rejectsWith(
        new MesClient({ transport }).sendDocument(input({ file: fake }) as never),
        'MES_INVALID_INPUT',
      );
      assert.equal(error.field, 'format');
      assert.equal(requests.length, 0);
    });

    it('takes application/rtf as RTF', async () => {
      const { transport, requests } = scripted([created()]);
      const rtf = new Blob(['{\\rtf1 Compte rendu}'], { type: 'application/rtf' });
      await new MesClient({ transport }).sendDocument(input({ file: rtf }) as never);
      assert.equal(bodyOf(requests[0]).entry[2].resource.contentType, 'text/rtf');
    });

    it('forgets a session that MES says has ended', async () => {
      let fetched = 0;
      const { transport } = scripted([outcome(401, 'Access token invalid, expired or revoked.')]);
      const counting: LocalTransport = { ...transport, session: async () => (fetched++, SESSION) };
      const client = new MesClient({ transport: counting });
      await rejectsWith(client.sendDocument(input() as never), 'MES_AUTH_REQUIRED');
      await client.session();
      assert.equal(fetched, 2, 'asked again after the 401');
    });

    it('429 and 503 are retried, then reported', async () => {
      const { transport, requests } = scripted([
        outcome(429, 'slow down', { 'retry-after': '0' }),
        outcome(503, 'down'),
        created(),
      ]);
      const result = await new MesClient({ transport, retry: fastRetry }).sendDocument(input() as never);
      assert.equal(result.id, 'd1');
      assert.equal(requests.length, 3);
      const always = scripted(Array.from({ length: 4 }, () => outcome(503, 'down')));
      await rejectsWith(
        new MesClient({ transport: always.transport, retry: fastRetry }).sendDocument(input() as never),
        'MES_UNAVAILABLE',
      );
      assert.equal(always.requests.length, 4);
    });

    it('honours Retry-After in seconds or as a date, else backs off exponentially', () => {
      const at = (header?: string) =>
        new Response(null, { status: 429, headers: header === undefined ? {} : { 'retry-after': header } });
      assert.equal(retryDelayMs(at('2'), 0, DEFAULT_RETRY), 2000);
      const date = retryDelayMs(at(new Date(Date.now() + 5000).toUTCString()), 0, DEFAULT_RETRY)!;
      assert.ok(date > 3000 && date <= 5000, String(date));
      assert.equal(retryDelayMs(at('3600'), 0, DEFAULT_RETRY), undefined, 'never earlier than MES asks: no retry');
      assert.equal(
        retryDelayMs(at(), 3, DEFAULT_RETRY, () => 1),
        4000,
      );
      assert.equal(
        retryDelayMs(at(), 3, DEFAULT_RETRY, () => 0),
        2000,
      );
    });

    it('a network failure, or an abort, is typed', async () => {
      // Offline: the send, then every lookup of what became of it, lost.
      const offline = scripted(
        Array.from({ length: 12 }, () => () => Promise.reject(new TypeError('Failed to fetch'))),
      );
      await rejectsWith(
        new MesClient({ transport: offline.transport }).sendDocument(input() as never, {}),
        'MES_NETWORK',
      );
      const controller = new AbortController();
      controller.abort();
      const { transport } = scripted([() => Promise.reject(new DOMException('aborted', 'AbortError'))]);
      await rejectsWith(
        new MesClient({ transport }).sendDocument(input() as never, { signal: controller.signal }),
        'MES_ABORTED',
      );
    });
  });

  describe('against the sandbox', () => {
    async function setup(finalities: string[]) {
      const sandbox = await createInPageSandbox({ seeded: false });
      const transport = inProcessTransport(sandbox, { pairedWith: finalities });
      const docs = () => sandbox.store.list('camille', 'DocumentReference');
      return { sandbox, transport, docs };
    }

    /** The bundle arrives and is stored, but the answer is lost on the way back — once. */
    function dropFirstAnswer(transport: LocalTransport) {
      let dropped = false;
      return {
        ...transport,
        async request(request: FhirRequest, options?: Parameters<LocalTransport['request']>[1]) {
          const response = await transport.request(request, options);
          if (!dropped && request.method === 'POST') {
            dropped = true;
            throw new TypeError('network connection lost');
          }
          return response;
        },
      } satisfies LocalTransport;
    }

    it('builds a bundle shaped like the PDSm fixture, valid R4, that MES files with identical bytes', async () => {
      const { sandbox, transport, docs } = await setup(['DOC_ECRITURE', 'DOC_LECTURE']);
      const { transport: spy, requests } = recording(transport);
      const progress: number[] = [];
      const file = pdfBlob('shape');
      const result = await new MesClient({ transport: spy }).sendDocument(input({ file }) as never, {
        onProgress: (p) => progress.push(p.ratio),
      });
      assert.equal(result.alreadyPresent, false);

      const sent = bodyOf(requests[0]);
      const reference = fixture<any>('documents/iti65-provide-document-bundle-snr.json');
      assert.deepEqual(
        sent.entry.map((e: any) => e.resource.resourceType),
        reference.entry.map((e: any) => e.resource.resourceType),
      );
      assert.deepEqual(
        sent.entry.map((e: any) => e.resource.meta?.profile),
        reference.entry.map((e: any) => e.resource.meta?.profile),
      );
      const doc = sent.entry[1].resource;
      for (const key of [
        'masterIdentifier',
        'status',
        'type',
        'category',
        'subject',
        'date',
        'author',
        'securityLabel',
        'content',
        'context',
      ]) {
        assert.ok(key in doc, key);
      }
      assert.deepEqual(
        Object.keys(doc.content[0].attachment).sort(),
        Object.keys(reference.entry[1].resource.content[0].attachment).sort(),
      );
      assert.equal(
        doc.contained.find((r: any) => r.resourceType === 'Device').identifier[0].value,
        'urn:oid:1.2.250.1.999.42.1',
      );
      assert.equal(doc.context.facilityType.coding[0].code, 'SNR');
      assert.equal(doc.context.practiceSetting.coding[0].code, 'SNR');
      assert.equal(doc.securityLabel[0].coding[0].code, 'N');
      assert.equal(doc.category[0].coding[0].code, '10', 'the class the type files under');
      assert.equal(
        doc.content[0].attachment.hash,
        Buffer.from(await crypto.subtle.digest('SHA-1', await file.arrayBuffer())).toString('base64'),
      );
      assert.match(sent.entry[1].request.ifNoneExist, /^identifier=urn:ietf:rfc:3986\|urn:uuid:/);
      for (const entry of sent.entry) assert.deepEqual(r4Errors(entry.resource), [], entry.resource.resourceType);

      assert.equal(docs().length, 1);
      const binaryUrl = (docs()[0].resource as any).content[0].attachment.url as string;
      const stored = sandbox.store.getBinary(binaryUrl.replace('Binary/', ''))!;
      assert.deepEqual(Buffer.from(stored.data), Buffer.from(await file.arrayBuffer()));
      assert.deepEqual(
        progress,
        [...progress].sort((a, b) => a - b),
        'progress only goes forward',
      );
      assert.equal(progress.at(-1), 1);
    });

    it('sending the same document again leaves one', async () => {
      const { transport, docs } = await setup(['DOC_ECRITURE']);
      const client = new MesClient({ transport });
      const first = await client.sendDocument(input({ id: 'lettre-42' }) as never);
      const again = await client.sendDocument(input({ id: 'lettre-42', file: pdfBlob('edited') }) as never);
      assert.equal(again.alreadyPresent, true);
      assert.equal(again.id, first.id);
      assert.equal(docs().length, 1);
    });

    it('after a dropped answer, searches by identifier and does not resend (read granted)', async () => {
      const { transport, docs } = await setup(['DOC_ECRITURE', 'DOC_LECTURE']);
      const { transport: spy, requests } = recording(dropFirstAnswer(transport));
      const result = await new MesClient({ transport: spy }).sendDocument(input() as never);
      assert.equal(result.alreadyPresent, true);
      assert.deepEqual(
        requests.map((r) => r.method),
        ['POST', 'GET'],
      );
      assert.equal(docs().length, 1);
    });

    it('after a dropped answer, resends safely when reading is not granted (ifNoneExist)', async () => {
      const { transport, docs } = await setup(['DOC_ECRITURE']);
      const result = await new MesClient({ transport: dropFirstAnswer(transport) }).sendDocument(input() as never);
      assert.equal(result.alreadyPresent, true);
      assert.equal(docs().length, 1);
    });
  });
});

describe('serializeProvideDocumentBundle', () => {
  const fields = (title: string, data: string) => ({
    data,
    size: 3,
    hash: 'qZk+NkcGgWq6PiVxeFDCbJzQ2J0=',
    contentType: 'text/plain',
    title,
    type: '11488-4' as const,
    date: '2026-11-29T10:00:00Z',
    confidentiality: 'N' as const,
    author: 'service' as const,
    masterIdentifier: 'urn:uuid:6f1c6c1e-0c51-5d6e-9d0b-5a9f0b4b1f7a',
    idPe: 'patient-externe-id-2',
    service: SERVICE,
    now: '2026-11-29T10:00:00Z',
  });

  it('writes the base64 into the Binary and leaves the host’s text whole, even text that looks like the splice point', () => {
    const title = 'Lettre "data":"" é ✓';
    const sent = JSON.parse(new TextDecoder().decode(serializeProvideDocumentBundle(fields(title, 'YWJj'))));
    assert.equal(sent.entry[2].resource.data, 'YWJj');
    assert.equal(sent.entry[1].resource.content[0].attachment.title, title);
    const plain = buildProvideDocumentBundle(fields(title, 'YWJj'));
    // The same bundle as JSON.stringify would write, but for the random fullUrls.
    const shape = (bundle: any) => JSON.stringify(bundle).replace(/urn:uuid:[0-9a-f-]{36}/g, 'urn:uuid:x');
    assert.equal(shape(sent), shape(plain));
  });
});
