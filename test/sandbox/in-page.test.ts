import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createInPageSandbox } from '../../packages/sandbox/src/in-page.js';
import { MemoryStore } from '../../packages/sandbox/src/store/memory-store.js';
import { documentBundle } from '../helpers/documents.js';

describe('sandbox in a page (memory store, no server)', () => {
  it('serves the same FHIR API through a plain fetch function', async () => {
    const sandbox = await createInPageSandbox();
    const tokens = await sandbox.pair('camille', ['DOC_ECRITURE', 'DOC_LECTURE']);
    const headers = { authorization: `Bearer ${tokens.access_token}`, 'x-id-token': tokens.id_token };
    const { bundle, master } = documentBundle({ ifNoneExist: true });
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await sandbox.fetch(sandbox.fhirBase, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/fhir+json' },
        body: JSON.stringify(bundle),
      });
      assert.equal(response.status, 200);
    }
    const search = await sandbox.fetch(
      `${sandbox.fhirBase}/DocumentReference?patient.identifier=urn:oid:1.2.250.1.215.400|patient-externe-id-2&status=current&identifier=urn:ietf:rfc:3986|${master}`,
      { headers },
    );
    assert.equal(((await search.json()) as { total: number }).total, 1);
    const all = await sandbox.fetch(
      `${sandbox.fhirBase}/DocumentReference?patient=Patient/patient-externe-id-2&status=current&_count=100`,
      { headers },
    );
    assert.equal(((await all.json()) as { total: number }).total, 14);
  });

  it('rolls a failed transaction back in memory too', () => {
    const store = new MemoryStore();
    const entry = {
      type: 'DocumentReference',
      id: 'd1',
      persona: 'camille',
      versionId: 1,
      lastUpdated: '2026-01-01T00:00:00Z',
      resource: { resourceType: 'DocumentReference', id: 'd1' },
    };
    assert.throws(() =>
      store.transaction(() => {
        store.put(entry);
        store.putBinary({ id: 'b1', persona: 'camille', contentType: 'application/pdf', data: new Uint8Array([1]) });
        throw new Error('half-way');
      }),
    );
    assert.deepEqual(store.list('camille', 'DocumentReference'), []);
    assert.deepEqual(store.listBinaries('camille'), []);
    store.transaction(() => store.put(entry));
    assert.equal(store.list('camille', 'DocumentReference').length, 1, 'positive control');
  });

  it('refuses a finalité that was not granted, as the server does', async () => {
    const sandbox = await createInPageSandbox();
    const tokens = await sandbox.pair('camille', ['DOC_ECRITURE']);
    const response = await sandbox.fetch(
      `${sandbox.fhirBase}/DocumentReference?patient=Patient/patient-externe-id-2&status=current`,
      {
        headers: { authorization: `Bearer ${tokens.access_token}`, 'x-id-token': tokens.id_token },
      },
    );
    assert.equal(response.status, 403);
  });
});
