import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createInPageSandbox } from '../../packages/sandbox/src/in-page.js';
import { documentBundle } from '../helpers/documents.js';
import {
  Browser,
  TILLEULS,
  adminTokens,
  decodeJwt,
  exchangeCode,
  fhirHeaders,
  pairingsOf,
  runPairing,
  startSandbox,
  tokenRequest,
  type TestSandbox,
} from '../helpers/sandbox.js';

const TILLEULS_NAME = 'Clinique des Tilleuls — portail patient';

describe('sandbox services: one per brand of the demo portal', () => {
  let sandbox: TestSandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(() => sandbox.dispose());

  it('pairs the Clinique des Tilleuls as a service of its own, with its own OID', async () => {
    const run = await runPairing(sandbox.url, {
      persona: 'camille',
      scope: 'openid offline_access DOC_ECRITURE',
      choose: 'accept-all',
      client: TILLEULS,
    });
    assert.match(run.consentPage, new RegExp(`<h1>${TILLEULS_NAME}</h1>`));
    assert.match(run.consentPage, new RegExp(`J’autorise ${TILLEULS_NAME} à effectuer les actions suivantes`));
    assert.doesNotMatch(run.consentPage, /Hôpital Lumière/);
    assert.equal(run.callback.origin + run.callback.pathname, TILLEULS.redirectUri);

    const body = await exchangeCode(sandbox.url, run, TILLEULS);
    const idToken = decodeJwt(body.id_token);
    assert.equal(idToken['oid'], '1.2.250.1.999.42.3');
    assert.equal(idToken['aud'], TILLEULS.clientId);
    assert.equal(idToken['idPe'], 'patient-externe-id-2');
    const send = await fetch(sandbox.fhirBase, {
      method: 'POST',
      headers: fhirHeaders(body, { 'content-type': 'application/fhir+json' }),
      body: JSON.stringify(documentBundle().bundle),
    });
    assert.equal(send.status, 200, 'its tokens work on the FHIR API');
  });

  it("takes only the Tilleuls' own secret and redirect URI", async () => {
    const wrongSecret = await tokenRequest(
      sandbox.url,
      {
        grant_type: 'authorization_code',
        code: 'x',
        redirect_uri: TILLEULS.redirectUri,
        code_verifier: 'x'.repeat(43),
      },
      { clientId: TILLEULS.clientId, secret: 'mes-kit-demo-secret' },
    );
    assert.equal(wrongSecret.status, 401);
    const authorize = new URL(`${sandbox.url}/oauth/authorize`);
    authorize.search = new URLSearchParams({
      client_id: TILLEULS.clientId,
      response_type: 'code',
      redirect_uri: 'http://localhost:5173/mes/pair/callback',
      scope: 'openid DOC_ECRITURE',
      code_challenge: 'x'.repeat(43),
      code_challenge_method: 'S256',
    }).toString();
    const response = await fetch(authorize, { redirect: 'manual' });
    assert.equal(response.status, 400, "the other brand's redirect URI is refused");
  });

  it('lists the services in the catalogue, each with its OID and what it registered', async () => {
    const catalogue = (await (await fetch(`${sandbox.url}/sandbox/services?persona=camille`)).json()) as {
      service: { oid: string; name: string; synchronization: { isSynchronized: boolean } };
      finalities: unknown[];
    }[];
    assert.deepEqual(
      catalogue.map((entry) => [entry.service.name, entry.service.oid]),
      [
        ['Hôpital Lumière — portail patient', '1.2.250.1.999.42.1'],
        ['mes-kit (mode direct)', '1.2.250.1.999.42.2'],
        [TILLEULS_NAME, '1.2.250.1.999.42.3'],
        ['Consultanet — téléconsultation', '1.2.250.1.999.42.4'],
        ['Pharmadom — vos médicaments à domicile', '1.2.250.1.999.42.5'],
        ['Pesée+ — balance et tensiomètre connectés', '1.2.250.1.999.42.6'],
        ['GlycoSuivi — capteur de glucose', '1.2.250.1.999.42.7'],
      ],
    );
    assert.equal(catalogue[2].finalities.length, catalogue[0].finalities.length);
    // Vendors registered what they do, and only that: reading documents; the pharmacy its appointments
    // too; the scale and the glucose sensor their measures.
    assert.deepEqual(
      catalogue.slice(3).map((entry) => entry.finalities.map((f) => (f as { codeFinalite: string }).codeFinalite)),
      [
        ['DOC_LECTURE'],
        ['DOC_LECTURE', 'AGENDA_ECRITURE'],
        [
          'DOC_ECRITURE',
          'MESURE_POIDS_ECRITURE',
          'MESURE_POIDS_LECTURE',
          'MESURE_FREQUENCE_CARDIAQUE_ECRITURE',
          'MESURE_FREQUENCE_CARDIAQUE_LECTURE',
          'MESURE_TENSION_ECRITURE',
          'MESURE_TENSION_LECTURE',
          'MESURE_TEMPERATURE_ECRITURE',
          'MESURE_TEMPERATURE_LECTURE',
        ],
        ['MESURE_GLYCEMIE_ECRITURE', 'MESURE_GLYCEMIE_LECTURE'],
      ],
    );
    assert.equal(catalogue[2].service.synchronization.isSynchronized, true, 'paired in the first test');
  });

  it('shows each synchronised service apart in « Services synchronisés », and changes only the one edited', async () => {
    for (const clientId of ['mes-kit-demo', 'mes-kit-public', TILLEULS.clientId]) {
      await adminTokens(sandbox.url, 'nadia', ['DOC_LECTURE', 'AGENDA_LECTURE'], clientId);
    }
    const browser = new Browser();
    const { response } = await browser.postForm(`${sandbox.url}/login`, { persona: 'nadia' }, sandbox.url);
    const page = await response.text();
    for (const name of ['Hôpital Lumière — portail patient', 'mes-kit \\(mode direct\\)', TILLEULS_NAME]) {
      assert.match(page, new RegExp(`<h3>${name}</h3>`));
    }
    const ids = [...page.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    assert.equal(new Set(ids).size, ids.length, 'no id is used twice');

    await browser.postForm(`${sandbox.url}/services/${TILLEULS.clientId}`, { finality: 'AGENDA_LECTURE' }, sandbox.url);
    const nadia = Object.fromEntries((await pairingsOf(sandbox.url, 'nadia')).map((p) => [p.clientId, p.finalities]));
    assert.deepEqual(nadia, {
      'mes-kit-demo': ['DOC_LECTURE', 'AGENDA_LECTURE'],
      'mes-kit-public': ['DOC_LECTURE', 'AGENDA_LECTURE'],
      'mes-kit-tilleuls': ['AGENDA_LECTURE'],
    });
  });

  it('pairs the Tilleuls in a page too', async () => {
    const inPage = await createInPageSandbox();
    const tokens = await inPage.pair('camille', ['DOC_LECTURE'], TILLEULS.clientId);
    assert.equal(decodeJwt(tokens.id_token)['oid'], '1.2.250.1.999.42.3');
    const search = await inPage.fetch(
      `${inPage.fhirBase}/DocumentReference?patient=Patient/patient-externe-id-2&status=current`,
      { headers: fhirHeaders(tokens) },
    );
    assert.equal(search.status, 200);
  });
});
