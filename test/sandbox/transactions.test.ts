import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createInPageSandbox } from '../../packages/sandbox/src/in-page.js';
import { documentBundle } from '../helpers/documents.js';
import {
  adminTokens,
  fhirApi,
  fhirHeaders,
  fixture,
  startSandbox,
  type TestSandbox,
  type Tokens,
} from '../helpers/sandbox.js';

const MEASURE_BUNDLE = 'mesures/bundle-alimentation-poids.json';

/** The shared fixture, its meta.source (the fixtures' own service OID) left for MES to fill. */
function measureBundle() {
  const bundle = fixture<any>(MEASURE_BUNDLE);
  delete bundle.entry[1].resource.meta.source;
  return bundle;
}

function appointmentsBundle() {
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: 'urn:uuid:6f1c1d52-1b7e-4c3e-9a61-6d7f0c2b9e11',
        resource: fixture('agenda/appointment-rdv-snr.json'),
        request: { method: 'POST', url: 'Appointment' },
      },
    ],
  };
}

interface Outcome {
  resourceType: string;
  issue: { severity: string; code: string; diagnostics: string; expression?: string[] }[];
}

describe('sandbox FHIR transactions, dispatched by what they carry', () => {
  let sandbox: TestSandbox;
  let tokens: Tokens;
  before(async () => {
    sandbox = await startSandbox();
    tokens = await adminTokens(sandbox.url, 'camille', ['DOC_ECRITURE', 'MESURE_POIDS_ECRITURE', 'AGENDA_ECRITURE']);
  });
  after(() => sandbox.dispose());

  const { post, refused } = fhirApi(
    () => ({ sandbox, tokens }),
    ['Observation', 'Device', 'Appointment', 'DocumentReference', 'List', 'Binary'],
  );

  it('files a measure transaction (Observation + Device) by the measures rules', async () => {
    const response = await post(measureBundle());
    const answer = (await response.json()) as { type: string; entry: { response: { status: string } }[] };
    assert.equal(response.status, 200, JSON.stringify(answer));
    assert.equal(answer.type, 'transaction-response');
    assert.deepEqual(
      answer.entry.map((e) => e.response.status.slice(0, 3)),
      ['201', '201'],
    );
  });

  it('answers a transaction of Appointments with a clear 400 naming what is taken instead', async () => {
    const outcome = await refused(appointmentsBundle(), 400);
    assert.equal(outcome.issue[0].code, 'not-supported');
    assert.deepEqual(outcome.issue[0].expression, ['Bundle.entry']);
    assert.match(outcome.issue[0].diagnostics, /^A transaction carrying Appointment is not supported/);
    assert.match(outcome.issue[0].diagnostics, /document submission .*, or a measure/);
  });

  it('still files a document submission, and refuses what else it carries with MES’s own 422', async () => {
    assert.equal((await post(documentBundle().bundle)).status, 200);
    const mixed = documentBundle().bundle;
    mixed.entry.push(fixture<any>(MEASURE_BUNDLE).entry[1]);
    const outcome = await refused(mixed, 422);
    assert.equal(outcome.issue[0].diagnostics, 'Resource of type Observation is not acceptable with method POST.');
    assert.deepEqual(outcome.issue[0].expression, ['Bundle.entry[3]']);
    const put = documentBundle().bundle;
    put.entry[1].request.method = 'PUT';
    const byPut = (await (await post(put)).json()) as Outcome;
    assert.equal(byPut.issue[0].diagnostics, 'Resource of type DocumentReference is not acceptable with method PUT.');
  });

  it("keeps MES's text for what is not a Bundle", async () => {
    const response = await post({ resourceType: 'Observation' });
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as Outcome).issue[0].diagnostics, 'Bundle not valid.');
  });

  it('dispatches the same way in a page', async () => {
    const inPage = await createInPageSandbox();
    const pageTokens = await inPage.pair('camille', ['MESURE_POIDS_ECRITURE']);
    const response = await inPage.fetch(inPage.fhirBase, {
      method: 'POST',
      headers: fhirHeaders(pageTokens, { 'content-type': 'application/fhir+json' }),
      body: JSON.stringify(measureBundle()),
    });
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { type: string }).type, 'transaction-response');
  });
});
