import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { IDPE_SYSTEM, ServiceAuthorizationsSchema, sha1Base64 } from '@mes-kit/core';
import { documentBundle } from '../helpers/documents.js';
import {
  adminBundle,
  adminTokens,
  fhirHeaders,
  fixture,
  pairingsOf,
  startSandbox,
  type TestSandbox,
  type Tokens,
} from '../helpers/sandbox.js';

describe('sandbox admin API', () => {
  let sandbox: TestSandbox;
  let tokens: Tokens;
  before(async () => {
    sandbox = await startSandbox();
    tokens = await adminTokens(sandbox.url, 'camille', ['DOC_ECRITURE', 'DOC_LECTURE']);
  });
  after(() => sandbox.dispose());

  const faults = (settings: unknown) =>
    fetch(`${sandbox.url}/sandbox/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(settings),
    });
  const send = (bundle: unknown) =>
    fetch(sandbox.fhirBase, {
      method: 'POST',
      headers: fhirHeaders(tokens, { 'content-type': 'application/fhir+json' }),
      body: JSON.stringify(bundle),
    });

  it('lists what a persona holds, per resource type', async () => {
    assert.equal((await adminBundle(sandbox.url, 'camille', 'DocumentReference')).total, 13);
    assert.equal((await adminBundle(sandbox.url, 'camille', 'Appointment')).total, 5);
    const observations = await adminBundle(sandbox.url, 'camille', 'Observation');
    const codes = new Set(observations.entry.map((e) => e.resource['code'].coding[0].code));
    assert.deepEqual([...codes].sort(), ['29463-7', '85354-9']);
    const spanDays =
      (Date.parse(observations.entry.at(-1)!.resource['effectiveDateTime']) -
        Date.parse(observations.entry[0].resource['effectiveDateTime'])) /
      86_400_000;
    assert.ok(spanDays >= 84, `weights and pressures over about 3 months (${spanDays} days)`);
    const devices = await adminBundle(sandbox.url, 'camille', 'Device');
    assert.deepEqual(devices.entry.map((e) => e.resource['deviceName'][0].name).sort(), [
      'Ma balance',
      'Mon tensiomètre',
    ]);
    assert.equal(
      (await adminBundle(sandbox.url, 'nadia', 'Observation')).total,
      0,
      "Nadia's glucose comes from the demo's vendor",
    );
    assert.ok((await adminBundle(sandbox.url, 'louis', 'DocumentReference')).total >= 3);
    assert.equal((await adminBundle(sandbox.url, 'elise', 'DocumentReference')).total, 0);
    const binaries = await adminBundle(sandbox.url, 'camille', 'Binary');
    assert.deepEqual([...new Set(binaries.entry.map((e) => e.resource['contentType']))].sort(), [
      'application/pdf',
      'image/jpeg',
    ]);
    const pdf = Buffer.from(binaries.entry[0].resource['data'], 'base64');
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    assert.match(pdf.toString('latin1'), /%%EOF\n$/);
  });

  it('answers 404 with a hint for an unknown persona or type', async () => {
    const persona = await fetch(`${sandbox.url}/sandbox/patients/bob/DocumentReference`);
    assert.equal(persona.status, 404);
    assert.match(((await persona.json()) as { error: string }).error, /camille, nadia, louis, elise/);
    assert.equal((await fetch(`${sandbox.url}/sandbox/patients/camille/Patient`)).status, 404);
  });

  it('generates documents for a persona: listed newest first, retrievable, with the title asked for as text', async () => {
    const generate = (persona: string, body: unknown) =>
      fetch(`${sandbox.url}/sandbox/patients/${persona}/documents`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const many = await generate('elise', { count: 1200 });
    assert.equal(many.status, 201);
    const { ids } = (await many.json()) as { ids: string[] };
    assert.equal(new Set(ids).size, 1200);
    const title = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
    const marked = (await (await generate('elise', { title })).json()) as { ids: string[] };
    assert.equal(marked.ids.length, 1);

    const elise = await adminTokens(sandbox.url, 'elise', ['DOC_LECTURE']);
    const search = await fetch(
      `${sandbox.fhirBase}/DocumentReference?patient.identifier=${encodeURIComponent(`${IDPE_SYSTEM}|patient-externe-id-5`)}&status=current&_count=100&_sort=-date`,
      { headers: fhirHeaders(elise) },
    );
    const bundle = (await search.json()) as { total: number; entry: { resource: any }[] };
    assert.equal(bundle.total, 1201);
    const first = bundle.entry[0].resource;
    assert.ok([...ids, ...marked.ids].includes(first.id), 'a generated document');
    const dates = bundle.entry.map((e) => Date.parse(e.resource.date));
    assert.deepEqual(
      dates,
      [...dates].sort((a, b) => b - a),
    );
    const stored = (await adminBundle(sandbox.url, 'elise', 'DocumentReference')).entry.find(
      (e) => e.resource['id'] === marked.ids[0],
    )!.resource;
    assert.equal(stored['content'][0].attachment.title, title, 'stored as sent, as text');
    const attachment = first.content[0].attachment;
    const bytes = new Uint8Array(await (await fetch(attachment.url, { headers: fhirHeaders(elise) })).arrayBuffer());
    assert.equal(bytes.length, attachment.size);
    assert.equal(await sha1Base64(bytes), attachment.hash);

    assert.equal((await generate('elise', { count: 20_001 })).status, 400);
    assert.equal((await generate('elise', { count: 0 })).status, 400);
    assert.equal((await generate('bob', { count: 1 })).status, 404);
    const malformed = await fetch(`${sandbox.url}/sandbox/patients/elise/documents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    assert.equal(malformed.status, 400);
    assert.equal((await generate('elise', null)).status, 400);
  });

  it('mints tokens only for finalités the service registered', async () => {
    const response = await fetch(`${sandbox.url}/sandbox/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ persona: 'camille', clientId: 'mes-kit-demo', finalities: ['EVERYTHING'] }),
    });
    assert.equal(response.status, 400);
    const malformed = await fetch(`${sandbox.url}/sandbox/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(malformed.status, 400);
  });

  it("describes the services and a patient's consent in MES's own shape (the shared fixture's)", async () => {
    assert.ok(ServiceAuthorizationsSchema.safeParse(fixture('consentement/mes-autorisations-service.json')).success);
    assert.ok(!ServiceAuthorizationsSchema.safeParse({ service: {}, finalities: [] }).success, 'negative control');
    await adminTokens(sandbox.url, 'nadia', ['MESURE_GLYCEMIE_ECRITURE']);
    const entries = (await (await fetch(`${sandbox.url}/sandbox/services?persona=nadia`)).json()) as any[];
    for (const entry of entries) assert.ok(ServiceAuthorizationsSchema.safeParse(entry).success);
    const demo = entries.find((e) => e.service.oid === '1.2.250.1.999.42.1');
    assert.equal(demo.service.synchronization.isSynchronized, true);
    assert.deepEqual(
      demo.finalities.filter((f: any) => f.consenti).map((f: any) => f.codeFinalite),
      ['MESURE_GLYCEMIE_ECRITURE'],
    );
    assert.equal(demo.finalities.length, 24);
    const catalogue = (await (await fetch(`${sandbox.url}/sandbox/services`)).json()) as any[];
    assert.equal(catalogue[0].service.synchronization, undefined);
  });

  it('refuses what a web page could send: a cross-origin request, a non-JSON body, a foreign Host', async () => {
    const before = (await adminBundle(sandbox.url, 'camille', 'DocumentReference')).total;
    const tokens = JSON.stringify({ persona: 'camille', clientId: 'mes-kit-demo', finalities: ['DOC_LECTURE'] });
    const attempts: [string, RequestInit][] = [
      ['reset', { method: 'POST', headers: { origin: 'http://evil.example' } }],
      ['tokens', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: tokens }],
      ['patients/camille/DocumentReference', { headers: { origin: 'http://evil.example' } }],
    ];
    for (const [path, init] of attempts) {
      const response = await fetch(`${sandbox.url}/sandbox/${path}`, init);
      assert.equal(response.status, 403, path);
    }
    const { request } = await import('node:http');
    const rebound = await new Promise<number>((resolve, reject) => {
      const port = Number(new URL(sandbox.url).port);
      request(
        { host: '127.0.0.1', port, path: '/sandbox/pairings', headers: { host: `rebind.example:${port}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      )
        .on('error', reject)
        .end();
    });
    assert.equal(rebound, 421, 'a DNS-rebound host name gets nothing');
    assert.equal((await adminBundle(sandbox.url, 'camille', 'DocumentReference')).total, before);
  });

  it('injects error statuses, with Retry-After on 429 and 503', async () => {
    assert.equal((await faults({ errorRate: 1, statuses: [429] })).status, 200);
    const throttled = await fetch(`${sandbox.fhirBase}/metadata`);
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers.get('retry-after'), '1');
    await faults({ errorRate: 1, statuses: [500] });
    const failed = await send(documentBundle().bundle);
    assert.equal(failed.status, 500);
    await faults({});
    assert.equal((await fetch(`${sandbox.fhirBase}/metadata`)).status, 200);
  });

  it('adds latency', async () => {
    await faults({ latencyMs: 300 });
    const started = performance.now();
    await fetch(`${sandbox.fhirBase}/metadata`);
    const elapsed = performance.now() - started;
    await faults({});
    assert.ok(elapsed >= 290, `took ${elapsed} ms`);
  });

  it('drops the response after committing the write: the client sees a network error, the document is there', async () => {
    const before = (await adminBundle(sandbox.url, 'camille', 'DocumentReference')).total;
    await faults({ dropResponseRate: 1 });
    const { bundle } = documentBundle();
    await assert.rejects(send(bundle), TypeError);
    await faults({});
    assert.equal((await adminBundle(sandbox.url, 'camille', 'DocumentReference')).total, before + 1);
  });

  it('refuses malformed fault settings', async () => {
    for (const settings of [{ errorRate: 2 }, { statuses: [200] }, { latency: 5 }]) {
      assert.equal((await faults(settings)).status, 400, JSON.stringify(settings));
    }
  });

  it('resets to the seed: sent documents, pairings and faults are gone', async () => {
    await faults({ latencyMs: 10 });
    await send(documentBundle().bundle);
    const reset = await fetch(`${sandbox.url}/sandbox/reset`, { method: 'POST' });
    assert.equal(reset.status, 200);
    assert.equal((await adminBundle(sandbox.url, 'camille', 'DocumentReference')).total, 13);
    assert.deepEqual(await pairingsOf(sandbox.url), []);
    assert.deepEqual(await (await fetch(`${sandbox.url}/sandbox/faults`)).json(), {
      errorRate: 0,
      latencyMs: 0,
      statuses: [503],
      dropResponseRate: 0,
    });
    const stale = await fetch(
      `${sandbox.fhirBase}/DocumentReference?patient=Patient/patient-externe-id-2&status=current`,
      { headers: fhirHeaders(tokens) },
    );
    assert.equal(stale.status, 401, 'tokens of erased pairings stop working');
  });
});
