import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type FindDocumentsPage, type FoundDocument, type MesClient } from '@mes-kit/core';
import type { PortalUser } from '../../packages/gateway/src/index.js';
import {
  gatewayClient,
  pairThroughGateway,
  portalHeaders,
  startGateway,
  type GatewayHarness,
} from '../helpers/gateway.js';
import { Browser, storedDocument } from '../helpers/sandbox.js';
import { failure } from '../helpers/errors.js';

interface Received {
  user: string;
  idPe: string;
  name: string;
  type: string;
  bytes: Buffer;
  document: FoundDocument;
}

async function firstPage(client: MesClient, query = {}): Promise<FindDocumentsPage> {
  const { value } = await client.findDocuments({ count: 100, ...query }).next();
  return value!;
}

describe('gateway imports: MES → the host’s back end, or the page where the host allows it', () => {
  const received: Received[] = [];
  let failNext = false;
  let harness: GatewayHarness;
  before(async () => {
    harness = await startGateway({
      gateway: {
        documents: {
          async receive(
            _request: Request,
            file: File,
            document: FoundDocument,
            user: PortalUser,
            patient: { idPe: string },
          ) {
            if (failNext) {
              failNext = false;
              throw new Error('disk full');
            }
            received.push({
              user: user.id,
              idPe: patient.idPe,
              name: file.name,
              type: file.type,
              bytes: Buffer.from(await file.arrayBuffer()),
              document,
            });
            return { attachedTo: 'consultation-7', size: file.size };
          },
          deliverToPage: true,
        },
      },
    });
  });
  after(() => harness.close());

  it('hands the host two documents byte for byte as MES holds them; the page gets metadata and the host’s answer', async () => {
    const { browser, user } = await pairThroughGateway(harness, { finalities: ['DOC_LECTURE'] });
    const client = gatewayClient(harness, browser);
    const page = await firstPage(client, { category: 'BIOLOGIE' });
    assert.equal(page.documents.length, 2);
    for (const document of page.documents) {
      const progress: number[] = [];
      const imported = await client.retrieveDocument(document, { onProgress: (p) => progress.push(p.ratio) });
      assert.deepEqual(imported.received, { attachedTo: 'consultation-7', size: document.size });
      assert.equal(imported.file, undefined, 'no bytes in the page');
      assert.equal(imported.document.id, document.id);
      assert.equal(progress.at(-1), 1);
      const host = received.at(-1)!;
      const stored = await storedDocument(harness.sandbox.url, document.id);
      assert.deepEqual(host.bytes, stored.bytes);
      assert.equal(host.user, user);
      assert.equal(host.idPe, 'patient-externe-id-2', 'whose MES it came from: Camille’s');
      assert.equal(host.type, 'application/pdf');
      assert.equal(host.name, `${document.title}.pdf`);
      assert.equal(host.document.hash, stored.doc.content[0].attachment.hash);
    }
    assert.equal(received.length, 2);
  });

  it('with deliver: "page", the page gets a File, fetched once and by this portal user only', async () => {
    const { browser } = await pairThroughGateway(harness, { finalities: ['DOC_LECTURE'] });
    const before = received.length;
    const client = gatewayClient(harness, browser);
    const [document] = (await firstPage(client, { category: 'ORD_SOIN' })).documents;
    const imported = await client.retrieveDocument(document, { deliver: 'page' });
    assert.ok(imported.file instanceof File);
    assert.equal(imported.file.type, 'application/pdf');
    const stored = await storedDocument(harness.sandbox.url, document.id);
    assert.deepEqual(Buffer.from(await imported.file.arrayBuffer()), stored.bytes);
    assert.equal(received.length, before, 'the host was not handed it');

    // The download path, from the raw answer: once only, and never for another portal user.
    const answer = await browser.request(`${harness.origin}/mes/operations/retrieve-document`, {
      method: 'POST',
      headers: { ...portalHeaders(harness.origin), 'content-type': 'application/json' },
      body: JSON.stringify({ id: document.id, deliver: 'page' }),
    });
    const result = JSON.parse((await answer.text()).trim().split('\n').at(-1)!).result;
    assert.match(result.download, /^imports\/[\w-]{40,}$/);
    const other = new Browser();
    const { browser: nadia } = await pairThroughGateway(harness, {
      finalities: ['DOC_LECTURE'],
      browser: other,
      persona: 'nadia',
    });
    const stolen = await nadia.request(`${harness.origin}/mes/${result.download}`, {
      headers: portalHeaders(harness.origin),
    });
    assert.equal(stolen.status, 404, 'another portal user cannot fetch it');
    const first = await browser.request(`${harness.origin}/mes/${result.download}`, {
      headers: portalHeaders(harness.origin),
    });
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('cache-control'), 'no-store');
    assert.deepEqual(Buffer.from(await first.arrayBuffer()), stored.bytes);
    const again = await browser.request(`${harness.origin}/mes/${result.download}`, {
      headers: portalHeaders(harness.origin),
    });
    assert.equal(again.status, 404, 'fetched once');
  });

  it('a portal user’s waiting downloads are theirs alone: a few each, dropped at logout, never another’s', async () => {
    const { browser: a, user: userA } = await pairThroughGateway(harness, { finalities: ['DOC_LECTURE'] });
    const { browser: b } = await pairThroughGateway(harness, { finalities: ['DOC_LECTURE'], persona: 'nadia' });
    const ask = async (browser: Browser, id = 'camille-doc-02') => {
      const answer = await browser.request(`${harness.origin}/mes/operations/retrieve-document`, {
        method: 'POST',
        headers: { ...portalHeaders(harness.origin), 'content-type': 'application/json' },
        body: JSON.stringify({ id, deliver: 'page' }),
      });
      const last = JSON.parse((await answer.text()).trim().split('\n').at(-1)!);
      assert.ok(last.result, JSON.stringify(last));
      return last.result.download as string;
    };
    const fetchOnce = (browser: Browser, path: string) =>
      browser.request(`${harness.origin}/mes/${path}`, { headers: portalHeaders(harness.origin) });
    const mine = await ask(a);
    for (let i = 0; i < 10; i++) await ask(b, 'nadia-doc-01');
    assert.equal((await fetchOnce(a, mine)).status, 200, 'another user’s requests did not evict it');
    const own = [];
    for (let i = 0; i < 4; i++) own.push(await ask(a));
    assert.equal((await fetchOnce(a, own[0])).status, 404, 'beyond three, the user’s own oldest goes');
    assert.equal((await fetchOnce(a, own[3])).status, 200);
    const pending = await ask(a);
    await harness.gateway.forget(userA);
    assert.equal((await fetchOnce(a, pending)).status, 404, 'gone with the user');
  });

  it('a host that fails to keep the document is a retryable MES_HOST_FAILED, and the retry works', async () => {
    const { browser } = await pairThroughGateway(harness, { finalities: ['DOC_LECTURE'] });
    const client = gatewayClient(harness, browser);
    const [document] = (await firstPage(client)).documents;
    failNext = true;
    const error = await failure(client.retrieveDocument(document));
    assert.deepEqual([error.code, error.operation, error.retryable], ['MES_HOST_FAILED', 'retrieve-document', true]);
    const retried = await client.retrieveDocument(document);
    assert.equal((retried.received as { size: number }).size, document.size);
  });

  it('without DOC_LECTURE nothing is retrieved; an id that is not one is refused', async () => {
    const { browser } = await pairThroughGateway(harness, { finalities: ['DOC_ECRITURE'] });
    const client = gatewayClient(harness, browser);
    const before = received.length;
    const refused = await failure(client.retrieveDocument('camille-doc-01'));
    assert.equal(refused.code, 'MES_CONSENT_REQUIRED');
    const { browser: reader } = await pairThroughGateway(harness, { finalities: ['DOC_LECTURE'] });
    const bad = await failure(gatewayClient(harness, reader).run('retrieve-document', { id: '../Patient/1' }));
    assert.deepEqual([bad.code, bad.field], ['MES_INVALID_INPUT', 'id']);
    assert.equal(received.length, before);
  });

  it('another patient’s document is as absent as a missing one', async () => {
    const { browser } = await pairThroughGateway(harness, { finalities: ['DOC_LECTURE'] });
    const error = await failure(gatewayClient(harness, browser).retrieveDocument('nadia-doc-01'));
    assert.equal(error.status, 404);
  });
});

describe('gateway imports the host does not offer', () => {
  let harness: GatewayHarness;
  before(async () => {
    harness = await startGateway({ gateway: { documents: {} } });
  });
  after(() => harness.close());

  it('no receive: MES_CONFIGURATION; no deliverToPage: « deliver » refused; MES is not asked', async () => {
    const { browser } = await pairThroughGateway(harness, { finalities: ['DOC_LECTURE'] });
    const client = gatewayClient(harness, browser);
    const host = await failure(client.retrieveDocument('camille-doc-01'));
    assert.deepEqual([host.code, host.operation], ['MES_CONFIGURATION', 'retrieve-document']);
    const page = await failure(client.retrieveDocument('camille-doc-01', { deliver: 'page' }));
    assert.deepEqual([page.code, page.field], ['MES_INVALID_INPUT', 'deliver']);
    const audit = harness.audit.filter((entry) => entry.action.startsWith('retrieve-document'));
    assert.deepEqual(
      audit.map((entry) => entry.action),
      ['retrieve-document refused', 'retrieve-document refused'],
    );
  });
});
