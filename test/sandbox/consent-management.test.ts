import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { defaultConfig } from '../../packages/sandbox/src/index.js';
import { documentBundle } from '../helpers/documents.js';
import {
  Browser,
  adminTokens,
  exchangeCode,
  fhirHeaders,
  pairingsOf,
  runPairing,
  startSandbox,
  tokenRequest,
  type TestSandbox,
  type Tokens,
} from '../helpers/sandbox.js';

const SERVICE = 'Hôpital Lumière — portail patient';

describe('the patient manages pairings in MES (« Services synchronisés »), and MES asks for re-approval', () => {
  let sandbox: TestSandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(() => sandbox.dispose());

  const search = (tokens: Pick<Tokens, 'access_token' | 'id_token'>, idPe: string) =>
    fetch(`${sandbox.fhirBase}/DocumentReference?patient=Patient/${idPe}&status=current`, {
      headers: fhirHeaders(tokens),
    });
  const send = (tokens: Pick<Tokens, 'access_token' | 'id_token'>, ins: string) =>
    fetch(sandbox.fhirBase, {
      method: 'POST',
      headers: fhirHeaders(tokens, { 'content-type': 'application/fhir+json' }),
      body: JSON.stringify(documentBundle({ ins }).bundle),
    });

  async function patient(persona: string) {
    const browser = new Browser();
    await browser.postForm(`${sandbox.url}/login`, { persona }, sandbox.url);
    const page = async () => (await browser.request(`${sandbox.url}/`)).text();
    const post = (path: string, form: Record<string, string | string[]> = {}) =>
      browser.postForm(`${sandbox.url}${path}`, form, sandbox.url);
    return { browser, page, post };
  }

  it('switching a finalité off in MES refuses it at once; the others keep working', async () => {
    const tokens = await adminTokens(sandbox.url, 'camille', ['DOC_ECRITURE', 'DOC_LECTURE']);
    assert.equal((await search(tokens, 'patient-externe-id-2')).status, 200);
    const camille = await patient('camille');
    const page = await camille.page();
    assert.match(page, /J’autorise Hôpital Lumière/);
    assert.match(page, /value="DOC_LECTURE"\s+checked/);
    assert.match(page, /value="AGENDA_ECRITURE"\s*\/>/, 'not granted, not checked');

    await camille.post('/services/mes-kit-demo', { finality: ['DOC_ECRITURE'] });
    assert.deepEqual((await pairingsOf(sandbox.url, 'camille'))[0].finalities, ['DOC_ECRITURE']);
    const refused = await search(tokens, 'patient-externe-id-2');
    assert.equal(refused.status, 403);
    assert.equal((await refused.json()).issue[0].diagnostics, 'Consent not given, access refused.');
    assert.equal((await send(tokens, '279035121518989')).status, 200);
    assert.match(await camille.page(), /value="DOC_LECTURE"\s*\/>/);
  });

  it('switching a finalité on in MES lets the service use it at once, and its next tokens say so', async () => {
    const run = await runPairing(sandbox.url, {
      persona: 'elise',
      scope: 'openid DOC_ECRITURE DOC_LECTURE',
      choose: ['DOC_ECRITURE'],
    });
    const body = await exchangeCode(sandbox.url, run);
    assert.equal((await search(body, 'patient-externe-id-5')).status, 403);
    const elise = await patient('elise');
    await elise.post('/services/mes-kit-demo', { finality: ['DOC_ECRITURE', 'DOC_LECTURE'] });
    assert.equal((await search(body, 'patient-externe-id-5')).status, 200, 'MES checks consent at each call');
    const refreshed = await tokenRequest(sandbox.url, {
      grant_type: 'refresh_token',
      refresh_token: body.refresh_token!,
    });
    assert.equal(refreshed.status, 200);
    assert.equal((await search(refreshed.body, 'patient-externe-id-5')).status, 200);
  });

  it('switching every finalité off asks to désynchroniser; confirming ends the pairing', async () => {
    const tokens = await adminTokens(sandbox.url, 'nadia', ['DOC_LECTURE']);
    const nadia = await patient('nadia');
    const { response } = await nadia.post('/services/mes-kit-demo', {});
    const confirmation = await response.text();
    assert.match(confirmation, new RegExp(`Désynchroniser ${SERVICE}\\s\\?`));
    assert.match(confirmation, new RegExp(`${SERVICE} ne pourra plus échanger de données avec Mon espace santé`));
    assert.equal((await pairingsOf(sandbox.url, 'nadia')).length, 1, 'nothing changed before confirming');
    await nadia.post('/services/mes-kit-demo/desynchroniser');
    assert.deepEqual(await pairingsOf(sandbox.url, 'nadia'), []);
    assert.equal((await search(tokens, 'patient-externe-id-3')).status, 401);
    assert.match(await nadia.page(), /Aucun service synchronisé/);
  });

  it('when Louis turns 18, his pairing needs re-approval: refused until he approves again', async () => {
    const tokens = await adminTokens(sandbox.url, 'louis', ['DOC_LECTURE']);
    assert.equal((await search(tokens, 'patient-externe-id-4')).status, 200);
    const clock = await fetch(`${sandbox.url}/sandbox/clock`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ now: '2027-02-22T09:00:00Z' }),
    });
    assert.equal(clock.status, 200);
    try {
      const refused = await search(tokens, 'patient-externe-id-4');
      assert.equal(refused.status, 403);
      assert.equal((await refused.json()).issue[0].diagnostics, 'Consent not given, access refused.');
      const louis = await patient('louis');
      assert.match(await louis.page(), /doivent être approuvées à nouveau/);
      await louis.post('/services/mes-kit-demo/reapprouver');
      assert.equal((await search(tokens, 'patient-externe-id-4')).status, 200);
      assert.doesNotMatch(await louis.page(), /doivent être approuvées à nouveau/);
    } finally {
      await fetch(`${sandbox.url}/sandbox/clock`, { method: 'DELETE' });
    }
  });

  it('a pairing flagged for re-approval goes through the consent page again, which clears it', async () => {
    const first = await runPairing(sandbox.url, {
      persona: 'camille',
      scope: 'openid AGENDA_LECTURE',
      choose: 'accept-all',
    });
    const body = await exchangeCode(sandbox.url, first);
    const flag = await fetch(`${sandbox.url}/sandbox/pairings/camille/mes-kit-demo/reapproval`, { method: 'POST' });
    assert.equal(flag.status, 204);
    const search403 = await fetch(
      `${sandbox.fhirBase}/DocumentReference?patient=Patient/patient-externe-id-2&status=current`,
      {
        headers: fhirHeaders(body),
      },
    );
    assert.equal(search403.status, 403);
    const again = await runPairing(sandbox.url, {
      persona: 'camille',
      scope: 'openid AGENDA_LECTURE',
      choose: 'accept-all',
    });
    assert.match(again.consentPage, /Consulter mes rendez-vous/, 'the consent page is shown again');
    assert.ok(again.callback.searchParams.get('code'));
    const pairing = (await pairingsOf(sandbox.url, 'camille'))[0];
    assert.notEqual(pairing.reapprovalRequired, true);
  });
});

describe('re-approval when a service changes the finalités it asks for', () => {
  it('flags the pairings of that service after a restart; approving again keeps only what it still asks for', async () => {
    const [demo, ...others] = defaultConfig().services;
    const first = await startSandbox();
    const tokens = await adminTokens(first.url, 'camille', ['DOC_ECRITURE', 'DOC_LECTURE']);
    const port = Number(new URL(first.url).port);
    await first.close();
    const changed = await startSandbox({
      dataDir: first.dataDir,
      port,
      services: [{ ...demo, finalities: demo.finalities.filter((code) => code !== 'DOC_LECTURE') }, ...others],
    });
    try {
      const search = () =>
        fetch(`${changed.fhirBase}/DocumentReference?patient=Patient/patient-externe-id-2&status=current`, {
          headers: fhirHeaders(tokens),
        });
      const send = () =>
        fetch(changed.fhirBase, {
          method: 'POST',
          headers: fhirHeaders(tokens, { 'content-type': 'application/fhir+json' }),
          body: JSON.stringify(documentBundle().bundle),
        });
      const refused = await send();
      assert.equal(refused.status, 403);
      assert.equal((await refused.json()).issue[0].diagnostics, 'Consent not given, access refused.');
      const browser = new Browser();
      await browser.postForm(`${changed.url}/login`, { persona: 'camille' }, changed.url);
      assert.match(await (await browser.request(`${changed.url}/`)).text(), /doivent être approuvées à nouveau/);
      await browser.postForm(`${changed.url}/services/mes-kit-demo/reapprouver`, {}, changed.url);
      assert.equal((await send()).status, 200, 'approved again');
      assert.equal((await search()).status, 403, 'a finalité the service dropped is not usable any more');
    } finally {
      await changed.dispose();
    }
  });

  it('« Approuver à nouveau » clears a re-approval MES asked for', async () => {
    const sandbox = await startSandbox();
    try {
      const tokens = await adminTokens(sandbox.url, 'elise', ['DOC_LECTURE']);
      await fetch(`${sandbox.url}/sandbox/pairings/elise/mes-kit-demo/reapproval`, { method: 'POST' });
      const search = () =>
        fetch(`${sandbox.fhirBase}/DocumentReference?patient=Patient/patient-externe-id-5&status=current`, {
          headers: fhirHeaders(tokens),
        });
      assert.equal((await search()).status, 403);
      const browser = new Browser();
      await browser.postForm(`${sandbox.url}/login`, { persona: 'elise' }, sandbox.url);
      await browser.postForm(`${sandbox.url}/services/mes-kit-demo/reapprouver`, {}, sandbox.url);
      assert.equal((await search()).status, 200);
    } finally {
      await sandbox.dispose();
    }
  });
});
