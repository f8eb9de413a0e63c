import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MesClient, MesError, inProcessTransport } from '@mes-kit/core';
import { createInPageSandbox } from '../../packages/sandbox/src/in-page.js';
import { recording } from '../helpers/scripted-transport.js';

async function clientWith(finalities: string[]) {
  const sandbox = await createInPageSandbox();
  const { transport, requests } = recording(inProcessTransport(sandbox, { pairedWith: finalities }));
  return { client: new MesClient({ transport }), requests };
}

describe('findDocuments', () => {
  it('without DOC_LECTURE, refuses naming the operation and asks nothing of MES', async () => {
    const { client, requests } = await clientWith(['DOC_ECRITURE']);
    const error = await client.findDocuments().catch((e: unknown) => e);
    assert.ok(error instanceof MesError);
    assert.equal(error.code, 'MES_CONSENT_REQUIRED');
    assert.equal(error.operation, 'find-documents');
    assert.equal(error.status, undefined, 'refused before MES was asked');
    assert.equal(requests.length, 0);
  });

  it('refuses a bad query before any network call, naming the field', async () => {
    const { client, requests } = await clientWith(['DOC_LECTURE']);
    for (const [query, field] of [
      [{ since: '20/11/2026' }, 'since'],
      [{ count: 1000 }, 'count'],
      [{ types: ['a b'] }, 'types'],
    ] as const) {
      const error = await client.findDocuments(query as never).catch((e: unknown) => e);
      assert.ok(error instanceof MesError);
      assert.deepEqual([error.code, error.operation, error.field], ['MES_INVALID_INPUT', 'find-documents', field]);
    }
    assert.equal(requests.length, 0);
  });

  it('lists the patient’s documents, newest first, filtered by type and date', async () => {
    const { client, requests } = await clientWith(['DOC_LECTURE']);
    const all = await client.findDocuments();
    assert.equal(all.total, 13);
    assert.equal(all.documents.length, 13);
    const dates = all.documents.map((d) => Date.parse(d.date!));
    assert.deepEqual(
      dates,
      [...dates].sort((a, b) => b - a),
    );
    assert.ok(all.documents.every((d) => d.title && d.contentType && d.url?.includes('/fhir/Binary/')));
    const labs = await client.findDocuments({ types: ['11502-2'] });
    assert.deepEqual(labs.documents.map((d) => d.title).sort(), ['Bilan lipidique', 'Numération formule sanguine']);
    assert.equal(requests.length, 2);
    assert.match(requests[1].path, /type=11502-2/);
  });

  it('a consent withdrawn in MES moves the pairing state to re-approval', async () => {
    const sandbox = await createInPageSandbox();
    const client = new MesClient({ transport: inProcessTransport(sandbox, { pairedWith: ['DOC_LECTURE'] }) });
    await client.session();
    assert.equal(client.state.status, 'paired');
    const pairing = sandbox.store.listPairings()[0];
    sandbox.store.savePairing({ ...pairing, finalities: ['DOC_ECRITURE'] });
    const error = await client.findDocuments().catch((e: MesError) => e);
    assert.equal((error as MesError).code, 'MES_CONSENT_REQUIRED');
    assert.equal(client.state.status, 'reapproval-required');
  });
});
