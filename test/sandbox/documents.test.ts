import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FIXTURE_BUNDLE, documentBundle, pdfBytes, sha1 } from '../helpers/documents.js';
import {
  adminBundle,
  adminTokens,
  fhirApi,
  fhirHeaders,
  fixture,
  startSandbox,
  type TestSandbox,
  type Tokens,
} from '../helpers/sandbox.js';

const CAMILLE = 'urn:oid:1.2.250.1.215.400|patient-externe-id-2';

describe('sandbox FHIR API: documents (IHE MHD / PDSm)', () => {
  let sandbox: TestSandbox;
  let tokens: Tokens;
  before(async () => {
    sandbox = await startSandbox();
    tokens = await adminTokens(sandbox.url, 'camille', ['DOC_ECRITURE', 'DOC_LECTURE']);
  });
  after(() => sandbox.dispose());

  const { post, count, counts, refused } = fhirApi(() => ({ sandbox, tokens }));
  const get = (path: string) => fetch(`${sandbox.fhirBase}/${path}`, { headers: fhirHeaders(tokens) });

  it('accepts the shared ITI-65 fixture and answers a transaction-response in entry order', async () => {
    const response = await post(fixture(FIXTURE_BUNDLE));
    assert.equal(response.status, 200);
    const body = await response.json();
    assert.equal(body.type, 'transaction-response');
    assert.deepEqual(
      body.entry.map((e: any) => [e.response.status, e.response.location.split('/')[0]]),
      [
        ['201 Created', 'List'],
        ['201 Created', 'DocumentReference'],
        ['201 Created', 'Binary'],
      ],
    );
    const [, docLocation] = body.entry.map((e: any) => e.response.location);
    const read = await get(docLocation.replace(/\/_history\/\d+$/, ''));
    const stored = await read.json();
    assert.equal(stored.masterIdentifier.value, 'urn:oid:1.2.250.1.999.42.2.20240312.1');
    assert.equal(stored.content[0].attachment.hash, 'b+QOgVZ55D16VyoJB5nI0KOrUBI=');
    assert.equal(stored.meta.versionId, '1');
    // ITI-68 follows the absolute attachment.url and gets the very bytes that were sent.
    assert.match(stored.content[0].attachment.url, new RegExp(`^${sandbox.fhirBase}/Binary/`));
    const bytes = await fetch(stored.content[0].attachment.url, { headers: fhirHeaders(tokens) });
    assert.equal(bytes.headers.get('content-type'), 'application/pdf');
    const sent = fixture<any>(FIXTURE_BUNDLE).entry[2].resource.data;
    assert.equal(Buffer.from(await bytes.arrayBuffer()).toString('base64'), sent);
    // The SubmissionSet now points at the stored document.
    const lists = await adminBundle(sandbox.url, 'camille', 'List');
    assert.equal(lists.entry.at(-1)!.resource.entry[0].item.reference, `DocumentReference/${stored.id}`);
  });

  it('stores one document however often a send with ifNoneExist is retried', async () => {
    const { bundle, master } = documentBundle({ ifNoneExist: true });
    const before = await counts();
    const first = await (await post(bundle)).json();
    const second = await post(bundle);
    assert.equal(second.status, 200);
    const replay = await second.json();
    assert.deepEqual(
      replay.entry.map((e: any) => e.response.status),
      ['200 OK', '200 OK', '200 OK'],
    );
    assert.equal(replay.entry[1].response.location, first.entry[1].response.location);
    assert.equal(replay.entry[0].response.location, first.entry[0].response.location);
    assert.deepEqual(
      await counts(),
      before.map((n) => n + 1),
    );
    const found = await (
      await get(`DocumentReference?patient.identifier=${CAMILLE}&status=current&identifier=urn:ietf:rfc:3986|${master}`)
    ).json();
    assert.equal(found.total, 1);
  });

  it('refuses a second document with the same masterIdentifier when no ifNoneExist is given', async () => {
    const { bundle, master } = documentBundle();
    assert.equal((await post(bundle)).status, 200);
    await refused(documentBundle({ masterIdentifier: master }).bundle, 422, /masterIdentifier/);
  });

  it('refuses malformed bundles with the element that is wrong, and stores nothing', async () => {
    await refused('{"resourceType": "Bundle", ', 400);
    await refused({ resourceType: 'Patient' }, 400);
    await refused({ ...documentBundle().bundle, type: 'batch' }, 422, /^Bundle\.type$/);
    const noMaster = documentBundle().bundle;
    delete noMaster.entry[1].resource.masterIdentifier;
    await refused(noMaster, 422, /^Bundle\.entry\[1\]\.resource\.masterIdentifier$/);
    const badStatus = documentBundle().bundle;
    badStatus.entry[1].resource.status = 'draft';
    await refused(badStatus, 422, /^Bundle\.entry\[1\]\.resource\.status$/);
    const noType = documentBundle().bundle;
    noType.entry[1].resource.type = { text: 'compte rendu' };
    await refused(noType, 422, /^Bundle\.entry\[1\]\.resource\.type\.coding$/);
    const dangling = documentBundle().bundle;
    dangling.entry[1].resource.content[0].attachment.url = 'urn:uuid:00000000-0000-4000-8000-000000000000';
    await refused(dangling, 422, /attachment\.url$/);
    const twoLists = documentBundle().bundle;
    twoLists.entry.push({ ...twoLists.entry[0], fullUrl: 'urn:uuid:11111111-1111-4111-8111-111111111111' });
    await refused(twoLists, 422, /^Bundle\.entry$/);
  });

  it('refuses a wrong hash, a wrong size, bytes that are not the declared format, and an unsupported format', async () => {
    await refused(documentBundle({ hash: sha1(Buffer.from('other')) }).bundle, 422, /attachment\.hash$/);
    await refused(documentBundle({ size: 12 }).bundle, 422, /attachment\.size$/);
    await refused(documentBundle({ bytes: Buffer.from('GIF89a not a pdf') }).bundle, 422, /attachment\.contentType$/);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const outcome = await refused(
      documentBundle({ bytes: png, contentType: 'image/png' }).bundle,
      422,
      /attachment\.contentType$/,
    );
    assert.match(outcome.issue[0].diagnostics, /image\/png is not accepted/);
  });

  it('accepts the other formats MES takes: text, RTF, JPEG, TIFF', async () => {
    const samples: [string, Buffer][] = [
      ['text/plain', Buffer.from('Résultats : normaux.\n')],
      ['text/rtf', Buffer.from('{\\rtf1\\ansi Compte rendu}')],
      ['image/jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10])],
      ['image/tiff', Buffer.from([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0])],
    ];
    for (const [contentType, bytes] of samples) {
      const response = await post(documentBundle({ bytes, contentType }).bundle);
      assert.equal(response.status, 200, contentType);
    }
  });

  it('takes a content type only from its own list, not from inherited object properties', async () => {
    for (const contentType of ['toString', 'constructor', '__proto__']) {
      await refused(documentBundle({ bytes: Buffer.from('<html>'), contentType }).bundle, 422, /contentType$/);
    }
  });

  it('refuses PDSm-required metadata that is missing', async () => {
    const noLabel = documentBundle().bundle;
    delete noLabel.entry[1].resource.securityLabel;
    await refused(noLabel, 422, /^Bundle\.entry\[1\]\.resource\.securityLabel$/);
    const noTitle = documentBundle().bundle;
    delete noTitle.entry[1].resource.content[0].attachment.title;
    await refused(noTitle, 422, /attachment\.title$/);
    const noSetting = documentBundle().bundle;
    delete noSetting.entry[1].resource.context.practiceSetting;
    await refused(noSetting, 422, /context\.practiceSetting$/);
  });

  it('refuses a patient named by identifiers of two personas, and a SubmissionSet listing another patient’s document', async () => {
    const twoPatients = documentBundle().bundle;
    twoPatients.entry[1].resource.contained[0].identifier.push({
      system: 'urn:oid:1.2.250.1.215.400',
      value: 'patient-externe-id-3',
    });
    await refused(twoPatients, 403, /subject$/);
    const mixed = documentBundle().bundle;
    mixed.entry[1].resource.subject = {
      reference: '#patient',
      identifier: { system: 'urn:oid:1.2.250.1.215.400', value: 'patient-externe-id-3' },
    };
    await refused(mixed, 403, /subject$/);
    const nadiaDoc = (await adminBundle(sandbox.url, 'nadia', 'DocumentReference')).entry[0].resource.id;
    const foreignItem = documentBundle().bundle;
    foreignItem.entry[0].resource.entry.push({ item: { reference: `DocumentReference/${nadiaDoc}` } });
    await refused(foreignItem, 422, /entry\[1\]\.item$/);
  });

  it('files two documents of one bundle, and concurrent retries of it leave each once', async () => {
    const { bundle } = documentBundle({ ifNoneExist: true });
    const second = documentBundle({ ifNoneExist: true, bytes: pdfBytes('second') }).bundle;
    second.entry[1].fullUrl = 'urn:uuid:5a5a5a5a-0000-4000-8000-000000000001';
    second.entry[2].fullUrl = 'urn:uuid:5a5a5a5a-0000-4000-8000-000000000002';
    second.entry[1].resource.content[0].attachment.url = second.entry[2].fullUrl;
    bundle.entry.push(second.entry[1], second.entry[2]);
    bundle.entry[0].resource.entry.push({ item: { reference: second.entry[1].fullUrl } });
    const before = await count();
    const answers = await Promise.all([post(bundle), post(bundle), post(bundle)]);
    assert.deepEqual(
      answers.map((a) => a.status),
      [200, 200, 200],
    );
    assert.equal(await count(), before + 2);
  });

  it('accepts a bundle larger than one document’s limit when each document is within it', async () => {
    const big = (label: string) => {
      const bytes = Buffer.alloc(4_000_000, 0x20);
      bytes.write(`%PDF-1.4 ${label}\n`);
      return bytes;
    };
    const { bundle } = documentBundle({ bytes: big('one') });
    const other = documentBundle({ bytes: big('two') }).bundle;
    other.entry[1].fullUrl = 'urn:uuid:6b6b6b6b-0000-4000-8000-000000000001';
    other.entry[2].fullUrl = 'urn:uuid:6b6b6b6b-0000-4000-8000-000000000002';
    other.entry[1].resource.content[0].attachment.url = other.entry[2].fullUrl;
    bundle.entry.push(other.entry[1], other.entry[2]);
    bundle.entry[0].resource.entry.push({ item: { reference: other.entry[1].fullUrl } });
    const response = await post(bundle);
    assert.equal(response.status, 200);
  });

  it('refuses a document over 5,000,000 bytes with 413', async () => {
    const big = Buffer.alloc(5_000_001, 0x20);
    big.write('%PDF-1.4\n');
    await refused(documentBundle({ bytes: big }).bundle, 413);
  });

  it("refuses a document for an unknown patient or another persona with MES's idPe 403", async () => {
    const unknown = await refused(documentBundle({ ins: '100000000000000' }).bundle, 403);
    assert.equal(unknown.issue[0].diagnostics, 'idPe requested do not match authorized idPe.');
    await refused(documentBundle({ ins: '288077505612320' }).bundle, 403, /subject$/);
    const byIdPe = documentBundle().bundle;
    byIdPe.entry[1].resource.subject = {
      identifier: { system: 'urn:oid:1.2.250.1.215.400', value: 'patient-externe-id-4' },
    };
    await refused(byIdPe, 403);
  });

  it('matches the patient by idPe as well as by INS', async () => {
    const { bundle } = documentBundle();
    bundle.entry[1].resource.subject = {
      identifier: { system: 'urn:oid:1.2.250.1.215.400', value: 'patient-externe-id-2' },
    };
    assert.equal((await post(bundle)).status, 200);
  });

  it('publishes one document inline (ITI-105), honouring If-None-Exist', async () => {
    const { bundle, master, bytes } = documentBundle();
    const doc = bundle.entry[1].resource;
    delete doc.content[0].attachment.url;
    doc.content[0].attachment.data = bytes.toString('base64');
    const before = await count();
    const created = await post(doc, '/DocumentReference', {
      'if-none-exist': `identifier=urn:ietf:rfc:3986|${master}`,
    });
    assert.equal(created.status, 201);
    const body = await created.json();
    assert.equal(body.content[0].attachment.data, undefined, 'the bytes moved to a Binary');
    assert.match(created.headers.get('location') ?? '', /\/DocumentReference\/[\w-]+\/_history\/1$/);
    const again = await post(doc, '/DocumentReference', { 'if-none-exist': `identifier=urn:ietf:rfc:3986|${master}` });
    assert.equal(again.status, 200);
    assert.equal((await again.json()).id, body.id);
    assert.equal(await count(), before + 1);
    const retrieved = await fetch(body.content[0].attachment.url, { headers: fhirHeaders(tokens) });
    assert.deepEqual(Buffer.from(await retrieved.arrayBuffer()), bytes);
  });

  it('publishes a 5 MB document inline, and refuses inline data that is not base64', async () => {
    const big = Buffer.alloc(4_900_000, 0x41);
    big.write('%PDF-1.4\n');
    const { bundle } = documentBundle({ bytes: big });
    const doc = bundle.entry[1].resource;
    delete doc.content[0].attachment.url;
    doc.content[0].attachment.data = big.toString('base64');
    assert.equal((await post(doc, '/DocumentReference')).status, 201);
    const broken = documentBundle().bundle.entry[1].resource;
    delete broken.content[0].attachment.url;
    broken.content[0].attachment.data = 'not*base64!';
    const response = await post(broken, '/DocumentReference');
    assert.equal(response.status, 422);
    assert.deepEqual((await response.json()).issue[0].expression, ['DocumentReference.content[0].attachment.data']);
  });

  it('replaces a document: the old one becomes superseded', async () => {
    const first = documentBundle();
    await post(first.bundle);
    const second = documentBundle();
    second.bundle.entry[1].resource.relatesTo = [
      { code: 'replaces', target: { identifier: { system: 'urn:ietf:rfc:3986', value: first.master } } },
    ];
    assert.equal((await post(second.bundle)).status, 200);
    const old = await (
      await get(
        `DocumentReference?patient.identifier=${CAMILLE}&status=superseded&identifier=urn:ietf:rfc:3986|${first.master}`,
      )
    ).json();
    assert.equal(old.total, 1);
    assert.equal(old.entry[0].resource.meta.versionId, '2');
  });

  describe('search (ITI-67)', () => {
    it('requires patient and status', async () => {
      for (const query of ['DocumentReference?status=current', `DocumentReference?patient.identifier=${CAMILLE}`]) {
        const response = await get(query);
        assert.equal(response.status, 400);
        assert.match((await response.json()).issue[0].diagnostics, /patient.*status/);
      }
    });

    it('refuses unknown parameters and oversize pages', async () => {
      const unknown = await get(`DocumentReference?patient.identifier=${CAMILLE}&status=current&author.family=x`);
      assert.equal(unknown.status, 400);
      const tooMany = await get(`DocumentReference?patient.identifier=${CAMILLE}&status=current&_count=500`);
      assert.equal((await tooMany.json()).issue[0].diagnostics, 'Maximum page size allowed is 100. Actual : 500');
    });

    it('pages with next links until every document was seen once', async () => {
      const local = await startSandbox();
      try {
        const mine = await adminTokens(local.url, 'camille', ['DOC_LECTURE']);
        let next: string | undefined =
          `${local.fhirBase}/DocumentReference?patient.identifier=${CAMILLE}&status=current&_count=5`;
        const ids: string[] = [];
        const dates: number[] = [];
        while (next) {
          const page = await (await fetch(next, { headers: fhirHeaders(mine) })).json();
          assert.equal(page.total, 13);
          ids.push(...page.entry.map((e: any) => e.resource.id));
          dates.push(...page.entry.map((e: any) => Date.parse(e.resource.date)));
          next = page.link.find((l: any) => l.relation === 'next')?.url;
        }
        assert.equal(ids.length, 13);
        assert.equal(new Set(ids).size, 13);
        assert.deepEqual(
          dates,
          [...dates].sort((a, b) => b - a),
          'newest first by default',
        );
      } finally {
        await local.dispose();
      }
    });

    it('filters by type, category and date', async () => {
      const local = await startSandbox();
      try {
        const mine = await adminTokens(local.url, 'camille', ['DOC_LECTURE']);
        const query = async (extra: string) =>
          await (
            await fetch(`${local.fhirBase}/DocumentReference?patient.identifier=${CAMILLE}&status=current&${extra}`, {
              headers: fhirHeaders(mine),
            })
          ).json();
        assert.equal((await query('type=http://loinc.org|11502-2')).total, 2);
        assert.equal((await query('type=11502-2,57833-6')).total, 3);
        const prescriptions = await query(
          'category=https://mos.esante.gouv.fr/NOS/TRE_A03-ClasseDocument/FHIR/TRE-A03-ClasseDocument|42',
        );
        assert.equal(prescriptions.total, 2);
        const since = new Date(Date.now() - 15 * 24 * 3600 * 1000).toISOString().slice(0, 10);
        const recent = await query(`date=ge${since}`);
        assert.equal(recent.total, 4);
        const ascending = await query(`date=ge${since}&_sort=date`);
        assert.equal(ascending.entry[0].resource.content[0].attachment.title, 'Historique des vaccinations');
        const bad = await fetch(
          `${local.fhirBase}/DocumentReference?patient.identifier=${CAMILLE}&status=current&date=yesterday`,
          { headers: fhirHeaders(mine) },
        );
        assert.equal(bad.status, 400);
      } finally {
        await local.dispose();
      }
    });

    it("does not serve another persona's document bytes", async () => {
      const nadiaDocs = await adminBundle(sandbox.url, 'nadia', 'DocumentReference');
      const url = nadiaDocs.entry[0].resource.content[0].attachment.url;
      const response = await fetch(url, { headers: fhirHeaders(tokens) });
      assert.equal(response.status, 404, 'as absent as a missing one');
      const missing = await fetch(`${sandbox.fhirBase}/Binary/does-not-exist`, { headers: fhirHeaders(tokens) });
      assert.equal(missing.status, 404);
      const doc = await fetch(`${sandbox.fhirBase}/DocumentReference/${nadiaDocs.entry[0].resource.id}`, {
        headers: fhirHeaders(tokens),
      });
      assert.equal(doc.status, 404);
    });
  });

  describe('conditional PATCH (status, securityLabel, isArchived only)', () => {
    const patch = (master: string, operations: unknown, contentType = 'application/json-patch+json') =>
      fetch(`${sandbox.fhirBase}/DocumentReference?identifier=${encodeURIComponent(`urn:ietf:rfc:3986|${master}`)}`, {
        method: 'PATCH',
        headers: fhirHeaders(tokens, { 'content-type': contentType }),
        body: JSON.stringify(operations),
      });

    it('changes the allowed elements and makes a new version', async () => {
      const { bundle, master } = documentBundle();
      await post(bundle);
      const archived = await patch(master, [
        {
          op: 'add',
          path: '/extension',
          value: [
            {
              url: 'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-ext-is-archived',
              valueBoolean: true,
            },
          ],
        },
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
      ]);
      assert.equal(archived.status, 200);
      const body = await archived.json();
      assert.equal(body.meta.versionId, '2');
      assert.equal(body.extension[0].valueBoolean, true);
      assert.equal(body.securityLabel[1].coding[0].code, 'MASQUE_PS');
      const status = await patch(master, [{ op: 'replace', path: '/status', value: 'entered-in-error' }]);
      assert.equal((await status.json()).status, 'entered-in-error');
    });

    it('a document made invisible to the patient is gone for the services acting for them: search, read, bytes', async () => {
      const { bundle, master } = documentBundle();
      const filed = await (await post(bundle)).json();
      const id = filed.entry[1].response.location.split('/')[1];
      const found = async () =>
        (
          await (
            await get(`DocumentReference?patient.identifier=${encodeURIComponent(CAMILLE)}&status=current&_count=100`)
          ).json()
        ).entry.map((e: any) => e.resource.id);
      assert.ok((await found()).includes(id));
      const binary = (await (await get(`DocumentReference/${id}`)).json()).content[0].attachment.url as string;
      const hidden = await patch(master, [
        {
          op: 'add',
          path: '/securityLabel/-',
          value: {
            coding: [
              {
                system:
                  'https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument',
                code: 'INVISIBLE_PATIENT',
              },
            ],
          },
        },
      ]);
      assert.equal(hidden.status, 200);
      assert.ok(!(await found()).includes(id), 'not listed');
      assert.equal((await get(`DocumentReference/${id}`)).status, 404);
      assert.equal((await fetch(binary, { headers: fhirHeaders(tokens) })).status, 404);
    });

    it('refuses any other path with 405 and changes nothing', async () => {
      const { bundle, master } = documentBundle();
      await post(bundle);
      for (const operations of [
        [{ op: 'replace', path: '/description', value: 'changed' }],
        [{ op: 'add', path: '/extension/-', value: { url: 'https://example.org/other', valueString: 'x' } }],
        [{ op: 'copy', from: '/description', path: '/status' }],
      ]) {
        const response = await patch(master, operations);
        assert.equal(response.status, 405, JSON.stringify(operations));
      }
      const found = await (
        await get(
          `DocumentReference?patient.identifier=${CAMILLE}&status=current&identifier=urn:ietf:rfc:3986|${master}`,
        )
      ).json();
      assert.equal(found.entry[0].resource.meta.versionId, '1');
      assert.equal(
        found.entry[0].resource.description,
        'Compte rendu de consultation envoyé depuis le portail patient',
      );
    });

    it('checks each operation against the document as the previous ones left it', async () => {
      const { bundle, master } = documentBundle();
      bundle.entry[1].resource.extension = [
        {
          url: 'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-ext-is-archived',
          valueBoolean: false,
        },
        { url: 'https://example.org/other', valueString: 'keep me' },
      ];
      await post(bundle);
      const shifted = await patch(master, [
        { op: 'remove', path: '/extension/0' },
        { op: 'replace', path: '/extension/0/valueString', value: 'changed' },
      ]);
      assert.equal(shifted.status, 405);
      for (const operations of [
        [{ op: 'replace', path: '/extension/0/url', value: 'https://example.org/x' }],
        [{ op: 'add', path: '/extension/0/valueString', value: 'x' }],
      ]) {
        assert.equal((await patch(master, operations)).status, 405, JSON.stringify(operations));
      }
      const archived = await patch(master, [{ op: 'replace', path: '/extension/0/valueBoolean', value: true }]);
      assert.equal(archived.status, 200);
      assert.equal((await archived.json()).extension[1].valueString, 'keep me');
    });

    it('answers 400 to operations that are not JSON Patch', async () => {
      const { bundle, master } = documentBundle();
      await post(bundle);
      for (const operations of [[null], [1], ['x'], [{ path: '/status' }], {}]) {
        assert.equal((await patch(master, operations)).status, 400, JSON.stringify(operations));
      }
    });

    it('refuses an invalid status with 422 and a wrong media type with 415', async () => {
      const { bundle, master } = documentBundle();
      await post(bundle);
      assert.equal((await patch(master, [{ op: 'replace', path: '/status', value: 'deleted' }])).status, 422);
      assert.equal(
        (await patch(master, [{ op: 'replace', path: '/status', value: 'superseded' }], 'application/json')).status,
        415,
      );
      assert.equal(
        (await patch('urn:oid:9.9.9', [{ op: 'replace', path: '/status', value: 'superseded' }])).status,
        404,
      );
    });
  });

  it('keeps a sent PDF byte for byte, whatever its content', async () => {
    const bytes = Buffer.concat([pdfBytes('binary'), Buffer.from([0, 1, 2, 253, 254, 255])]);
    const response = await post(documentBundle({ bytes }).bundle);
    const location = (await response.json()).entry[2].response.location;
    const retrieved = await get(location);
    assert.deepEqual(Buffer.from(await retrieved.arrayBuffer()), bytes);
  });
});
