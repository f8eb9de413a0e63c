import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MesClient, inProcessTransport, sha1Base64, type FindDocumentsPage, type LocalTransport } from '@mes-kit/core';
import { createInPageSandbox } from '../../packages/sandbox/src/in-page.js';
import { recording, scripted, SESSION } from '../helpers/scripted-transport.js';
import { failure } from '../helpers/errors.js';

async function clientWith(finalities: string[]) {
  const sandbox = await createInPageSandbox();
  const { transport, requests } = recording(inProcessTransport(sandbox, { pairedWith: finalities }));
  return { sandbox, client: new MesClient({ transport }), requests };
}

async function allPages(pages: AsyncIterable<FindDocumentsPage>) {
  const seen: FindDocumentsPage[] = [];
  for await (const page of pages) seen.push(page);
  return seen;
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/fhir+json' } });

/** A DocumentReference as MES lists one, for scripted answers. */
function listed(overrides: Record<string, unknown> = {}, attachment: Record<string, unknown> = {}) {
  return {
    resourceType: 'DocumentReference',
    id: 'doc-1',
    status: 'current',
    date: '2026-10-01T09:00:00Z',
    type: { coding: [{ system: 'http://loinc.org', code: '11502-2', display: 'CR d’examens biologiques' }] },
    category: [{ coding: [{ code: '10' }] }],
    contained: [{ resourceType: 'Practitioner', id: 'author', name: [{ text: 'Laboratoire des Tilleuls' }] }],
    author: [{ reference: '#author' }],
    content: [
      {
        attachment: {
          contentType: 'text/plain',
          title: 'Bilan',
          size: 5,
          hash: 'qvTGHdzF6KLavt4PO0gs2a6pQ00=',
          url: 'http://mes.example/fhir/Binary/bin-1',
          ...attachment,
        },
      },
    ],
    ...overrides,
  };
}
const searchset = (resources: unknown[], next?: string) => ({
  resourceType: 'Bundle',
  type: 'searchset',
  total: resources.length,
  link: next ? [{ relation: 'next', url: next }] : [],
  entry: resources.map((resource) => ({ resource })),
});

describe('findDocuments', () => {
  it('without DOC_LECTURE, refuses naming the operation and asks nothing of MES', async () => {
    const { client, requests } = await clientWith(['DOC_ECRITURE']);
    const error = await failure(client.findDocuments().next());
    assert.equal(error.code, 'MES_CONSENT_REQUIRED');
    assert.equal(error.operation, 'find-documents');
    assert.equal(error.status, undefined, 'refused before MES was asked');
    assert.equal(requests.length, 0);
  });

  it('refuses a bad query before any network call, naming the field', async () => {
    const { client, requests } = await clientWith(['DOC_LECTURE']);
    for (const [query, field] of [
      [{ from: '20/11/2026' }, 'from'],
      [{ to: 'demain' }, 'to'],
      [{ count: 1000 }, 'count'],
      [{ type: ['a b'] }, 'type'],
      [{ category: 'RADIO' }, 'category'],
      [{ text: 'x'.repeat(201) }, 'text'],
    ] as const) {
      const error = await failure(client.findDocuments(query as never).next());
      assert.deepEqual([error.code, error.operation, error.field], ['MES_INVALID_INPUT', 'find-documents', field]);
    }
    assert.equal(requests.length, 0);
  });

  it('pages through every document, newest first, following MES’s next links', async () => {
    const { client, requests } = await clientWith(['DOC_LECTURE']);
    const pages = await allPages(client.findDocuments({ count: 5 }));
    assert.deepEqual(
      pages.map((page) => page.documents.length),
      [5, 5, 3],
    );
    assert.ok(pages.every((page) => page.total === 13 && page.skipped === 0));
    assert.equal(pages[2].next, undefined, 'the last page has no next');
    const documents = pages.flatMap((page) => page.documents);
    assert.equal(new Set(documents.map((d) => d.id)).size, 13, 'no document twice');
    const dates = documents.map((d) => Date.parse(d.date!));
    assert.deepEqual(
      dates,
      [...dates].sort((a, b) => b - a),
    );
    assert.equal(requests.length, 3);
    assert.match(requests[1].path, /_offset=5/);
    for (const request of requests) {
      const query = new URLSearchParams(request.path.split('?')[1]);
      assert.match(query.get('patient.identifier')!, /\|patient-externe-id-2$/);
      assert.equal(query.get('status'), 'current');
    }
  });

  it('describes each document as the patient sees it in MES: title, category, author, date', async () => {
    const { client } = await clientWith(['DOC_LECTURE']);
    const [page] = await allPages(client.findDocuments({ count: 100 }));
    const lab = page.documents.find((d) => d.title === 'Bilan lipidique')!;
    assert.equal(lab.category, 'BIOLOGIE');
    assert.deepEqual(lab.author, { kind: 'professional', name: 'Laboratoire des Tilleuls' });
    assert.equal(lab.confidentiality, 'N');
    assert.equal(lab.contentType, 'application/pdf');
    assert.ok(lab.size! > 0 && lab.hash!.length === 28);
    const own = page.documents.find((d) => d.type.code === 'DOCPAT04')!;
    assert.equal(own.category, 'RADIO_SC');
  });

  it('filters by category, type, dates and words of the title', async () => {
    const { client, requests } = await clientWith(['DOC_LECTURE']);
    const titles = async (query: object) =>
      (await allPages(client.findDocuments(query))).flatMap((page) => page.documents.map((d) => d.title)).sort();
    assert.deepEqual(await titles({ category: 'BIOLOGIE' }), ['Bilan lipidique', 'Numération formule sanguine']);
    assert.match(decodeURIComponent(requests.at(-1)!.path), /type=11502-2,DOCPAT05/);
    assert.deepEqual(await titles({ type: ['57833-6'] }), ['Ordonnance de médicaments']);
    assert.deepEqual(await titles({ category: 'BIOLOGIE', type: ['57833-6'] }), [], 'a category and a type apart');
    const all = await allPages(client.findDocuments({ count: 100 }));
    const dates = all[0].documents.map((d) => d.date!.slice(0, 10)).sort();
    const [from, to] = [dates[3], dates[8]];
    const between = await titles({ from, to });
    assert.equal(between.length, dates.filter((d) => d >= from && d <= to).length);
    assert.ok(between.length >= 2 && between.length < 13);
    assert.deepEqual(await titles({ text: 'NUMERATION sanguine' }), ['Numération formule sanguine']);
    assert.deepEqual(await titles({ text: 'numération lipidique' }), [], 'every word must be in the title');
  });

  it('stops when aborted between pages', async () => {
    const { client, requests } = await clientWith(['DOC_LECTURE']);
    const controller = new AbortController();
    const pages = client.findDocuments({ count: 5 }, { signal: controller.signal });
    assert.equal((await pages.next()).value!.documents.length, 5);
    controller.abort();
    const error = await failure(pages.next());
    assert.equal(error.code, 'MES_ABORTED');
    assert.equal(requests.length, 1);
  });

  it('skips and counts a malformed entry, and keeps its neighbours', async () => {
    const { transport } = scripted([
      () =>
        json(
          searchset([
            listed({ id: 'good-1' }),
            listed({ id: 'bad id with spaces' }),
            listed({ id: 'no-content', content: [] }),
            { resourceType: 'OperationOutcome', issue: [{ severity: 'warning', code: 'informational' }] },
            listed({ id: 'good-2' }, { title: '<img src=x onerror=alert(1)>' }),
          ]),
        ),
    ]);
    const [page] = await allPages(new MesClient({ transport }).findDocuments());
    assert.deepEqual(
      page.documents.map((d) => d.id),
      ['good-1', 'good-2'],
    );
    assert.equal(page.skipped, 2, 'MES’s warning is not counted as a document');
    assert.equal(page.documents[1].title, '<img src=x onerror=alert(1)>', 'text, kept as text');
  });

  it('leaves out what is not the patient’s to see: hidden from them, or withdrawn', async () => {
    const hiddenLabel = [{ coding: [{ code: 'INVISIBLE_PATIENT' }] }];
    const { transport } = scripted([
      () =>
        json({
          ...searchset([
            listed({ id: 'shown' }),
            listed({ id: 'hidden', securityLabel: hiddenLabel }),
            listed({ id: 'withdrawn', status: 'entered-in-error' }),
          ]),
          total: 3,
        }),
    ]);
    const [page] = await allPages(new MesClient({ transport }).findDocuments());
    assert.deepEqual(
      page.documents.map((d) => d.id),
      ['shown'],
    );
    assert.equal(page.skipped, 0, 'not malformed: not shown');
    assert.equal(page.total, 1);
    for (const overrides of [{ securityLabel: hiddenLabel }, { status: 'superseded' }]) {
      const { transport: retrieving } = scripted([() => json(listed(overrides))]);
      const error = await failure(new MesClient({ transport: retrieving }).retrieveDocument('doc-1'));
      assert.deepEqual([error.code, error.field], ['MES_INVALID_INPUT', 'id']);
    }
  });

  it('a cursor cannot turn the search to another patient', async () => {
    const { transport, requests } = scripted([() => json(searchset([]))]);
    await allPages(
      new MesClient({ transport }).findDocuments({
        cursor:
          'patient.identifier=urn%3Aoid%3Ax%7Cother&patient=Patient%2F9&_offset=20&status=entered-in-error&_include=x',
      }),
    );
    const query = new URLSearchParams(requests[0].path.split('?')[1]);
    assert.equal(query.getAll('patient.identifier').length, 1);
    assert.match(query.get('patient.identifier')!, new RegExp(`\\|${SESSION.idPe}$`));
    assert.equal(query.get('patient'), null);
    assert.equal(query.get('status'), 'current');
    assert.equal(query.get('_include'), null);
    assert.equal(query.get('_offset'), '20');
    assert.equal(query.get('_count'), null, 'a page size the query could not have is dropped');
  });

  it('a next link with a key every object has (`toString`) is read as any other, not thrown on', async () => {
    const { transport, requests } = scripted([
      () => json(searchset([listed()], 'http://mes.example/fhir/DocumentReference?toString=1&_offset=1')),
      () => json(searchset([])),
    ]);
    const pages = await allPages(new MesClient({ transport }).findDocuments());
    assert.equal(pages.length, 2);
    const query = new URLSearchParams(requests[1].path.split('?')[1]);
    assert.deepEqual([query.get('toString'), query.get('_offset')], [null, '1']);
  });

  it('a consent withdrawn in MES moves the pairing state to re-approval', async () => {
    const sandbox = await createInPageSandbox();
    const client = new MesClient({ transport: inProcessTransport(sandbox, { pairedWith: ['DOC_LECTURE'] }) });
    await client.session();
    assert.equal(client.state.status, 'paired');
    const pairing = sandbox.store.listPairings()[0];
    sandbox.store.savePairing({ ...pairing, finalities: ['DOC_ECRITURE'] });
    const error = await failure(client.findDocuments().next());
    assert.equal(error.code, 'MES_CONSENT_REQUIRED');
    assert.equal(client.state.status, 'reapproval-required');
  });
});

describe('retrieveDocument', () => {
  it('brings a listed document’s very bytes, as a File named after its title', async () => {
    const { sandbox, client } = await clientWith(['DOC_LECTURE']);
    const [page] = await allPages(client.findDocuments({ text: 'Bilan lipidique' }));
    const progress: number[] = [];
    const { document, file } = await client.retrieveDocument(page.documents[0], {
      onProgress: (p) => progress.push(p.ratio),
    });
    assert.equal(document.title, 'Bilan lipidique');
    assert.ok(file);
    assert.equal(file.name, 'Bilan lipidique.pdf');
    assert.equal(file.type, 'application/pdf');
    const bytes = new Uint8Array(await file.arrayBuffer());
    const stored = sandbox.store.getBinary(document.id.replace('-doc-', '-bin-'))!;
    assert.deepEqual(bytes, new Uint8Array(stored.data));
    assert.equal(await sha1Base64(bytes), document.hash);
    assert.equal(progress.at(-1), 1);
    assert.deepEqual(
      progress,
      [...progress].sort((a, b) => a - b),
    );
  });

  it('refuses an id that is not one before asking MES', async () => {
    const { client, requests } = await clientWith(['DOC_LECTURE']);
    for (const id of ['', '../Patient/1', 'a'.repeat(65), 'x?y=1', '.', '..']) {
      const error = await failure(client.retrieveDocument(id));
      assert.deepEqual([error.code, error.field], ['MES_INVALID_INPUT', 'id']);
    }
    assert.equal(requests.length, 0);
  });

  const retrieving = (
    bytes: Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array>,
    attachment: Record<string, unknown> = {},
  ) => scripted([() => json(listed({}, attachment)), () => new Response(bytes, { status: 200 })]);

  it('takes bytes whose size and SHA-1 match', async () => {
    const { transport, requests } = retrieving(new TextEncoder().encode('hello'));
    const { file } = await new MesClient({ transport }).retrieveDocument('doc-1');
    assert.equal(await file!.text(), 'hello');
    assert.equal(requests[1].path, 'Binary/bin-1');
    assert.equal(file!.name, 'Bilan.txt');
  });

  for (const [label, body, attachment] of [
    ['bytes whose SHA-1 differs', 'hellO', {}],
    ['more bytes than stated', 'hello, world', {}],
    ['fewer bytes than stated', 'hell', {}],
    ['a DocumentReference without a hash', 'hello', { hash: undefined }],
    ['a DocumentReference without a size', 'hello', { size: undefined }],
    ['content elsewhere than a Binary', 'hello', { url: 'https://evil.example/steal' }],
    // fetch would refuse it in `Accept`: a TypeError, which passed for a network failure.
    ['a content type with a line break', 'hello', { contentType: 'text/html\r\nx-evil: 1' }],
  ] as const) {
    it(`refuses ${label}: MES_INVALID_RESPONSE, no file`, async () => {
      const { transport } = retrieving(new TextEncoder().encode(body), attachment);
      const error = await failure(new MesClient({ transport }).retrieveDocument('doc-1'));
      assert.deepEqual([error.code, error.operation], ['MES_INVALID_RESPONSE', 'retrieve-document']);
    });
  }

  it('names the file from its title without what could disguise it, the extension from the media type', async () => {
    const { transport } = retrieving(new TextEncoder().encode('hello'), { title: 'facture\u202efdp.exe/..\\x' });
    const { file } = await new MesClient({ transport }).retrieveDocument('doc-1');
    assert.equal(file!.name, 'facture fdp.exe .. x.txt');
  });

  it('refuses a stated size no document has before setting memory aside', async () => {
    const { transport } = retrieving(new TextEncoder().encode('hello'), { size: 2 ** 40 });
    const error = await failure(new MesClient({ transport }).retrieveDocument('doc-1'));
    assert.equal(error.code, 'MES_TOO_LARGE');
  });

  it('stops mid-download when aborted', async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1000));
      },
    });
    const { transport } = retrieving(endless, { size: 1_000_000 });
    const controller = new AbortController();
    const error = await failure(
      new MesClient({ transport }).retrieveDocument('doc-1', {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'downloading' && p.ratio > 0.1) controller.abort();
        },
      }),
    );
    assert.equal(error.code, 'MES_ABORTED');
    assert.ok(pulled < 1000, `stopped reading (${pulled} chunks)`);
  });

  it('says what MES said when the document is gone', async () => {
    const { transport } = scripted([
      () => json({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] }, 404),
    ]);
    const error = await failure(new MesClient({ transport }).retrieveDocument('doc-1'));
    assert.deepEqual([error.code, error.status], ['MES_REJECTED', 404]);
  });
});

describe('reads whose answer was lost', () => {
  it('are asked again: the list and both steps of an import go through when every first answer is lost', async () => {
    const sandbox = await createInPageSandbox();
    const transport = inProcessTransport(sandbox, { pairedWith: ['DOC_LECTURE'] });
    const asked = new Map<string, number>();
    const losing: LocalTransport = {
      ...transport,
      async request(request, options) {
        const response = await transport.request(request, options);
        const times = (asked.get(request.path) ?? 0) + 1;
        asked.set(request.path, times);
        if (times === 1) throw new TypeError('network connection lost');
        return response;
      },
    };
    const client = new MesClient({ transport: losing });
    const [page] = await allPages(client.findDocuments({ text: 'Bilan lipidique' }));
    const { file } = await client.retrieveDocument(page.documents[0]);
    assert.ok(file && file.size > 0);
    assert.equal(asked.size, 3, 'the search, the DocumentReference and its Binary');
    assert.deepEqual([...asked.values()], [2, 2, 2], 'each asked twice');
  });
});
