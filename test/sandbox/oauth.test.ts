import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DEMO,
  PUBLIC,
  decodeJwt,
  exchangeCode,
  fhirHeaders,
  fixture,
  pairingsOf,
  pkcePair,
  runPairing,
  startSandbox,
  tokenRequest,
  type TestSandbox,
  type Tokens,
} from '../helpers/sandbox.js';
import { documentBundle } from '../helpers/documents.js';

describe('sandbox pairing (OAuth 2.0 + PKCE, OpenID Connect)', () => {
  let sandbox: TestSandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(() => sandbox.dispose());

  it('publishes a discovery document for code flow with PKCE S256 only', async () => {
    const response = await fetch(`${sandbox.url}/.well-known/openid-configuration`);
    const discovery = (await response.json()) as Record<string, unknown>;
    assert.equal(discovery['issuer'], sandbox.url);
    assert.deepEqual(discovery['code_challenge_methods_supported'], ['S256']);
    assert.deepEqual(discovery['response_types_supported'], ['code']);
    assert.equal(discovery['token_endpoint'], `${sandbox.url}/oauth/token`);
    assert.equal(discovery['revocation_endpoint'], `${sandbox.url}/oauth/revoke`);
  });

  it('refuses an authorization request without PKCE', async () => {
    const authorize = new URL(`${sandbox.url}/oauth/authorize`);
    authorize.search = new URLSearchParams({
      client_id: DEMO.clientId,
      response_type: 'code',
      redirect_uri: DEMO.redirectUri,
      scope: 'openid DOC_ECRITURE',
      state: 's',
    }).toString();
    const response = await fetch(authorize, { redirect: 'manual' });
    const location = new URL(response.headers.get('location')!);
    assert.equal(location.origin + location.pathname, DEMO.redirectUri);
    assert.equal(location.searchParams.get('error'), 'invalid_request');
    assert.match(location.searchParams.get('error_description') ?? '', /PKCE/);
  });

  it('pairs with only the finalités switched on, and the tokens say so', async () => {
    const run = await runPairing(sandbox.url, {
      persona: 'camille',
      scope: 'openid offline_access DOC_ECRITURE DOC_LECTURE',
      choose: ['DOC_ECRITURE'],
    });
    assert.match(run.loginPage, /Camille Martin/);
    assert.match(
      run.consentPage,
      /J’autorise Hôpital Lumière — portail patient à effectuer les actions suivantes sur Mon espace santé\s:/,
    );
    assert.match(run.consentPage, /Ajouter des documents de santé/);
    assert.match(run.consentPage, /Consulter mes documents de santé/);
    assert.match(run.consentPage, /Tout refuser/);
    assert.match(run.consentPage, /Tout accepter/);
    assert.doesNotMatch(run.consentPage, /Ajouter mes rendez-vous/, 'only the finalités asked for are shown');
    assert.equal(run.callback.origin + run.callback.pathname, DEMO.redirectUri);
    assert.equal(run.callback.searchParams.get('state'), 'state-123');
    assert.equal(run.callback.searchParams.get('iss'), sandbox.url);

    const body = await exchangeCode(sandbox.url, run);
    assert.ok(body.refresh_token, 'a refresh token is issued');
    const idToken = decodeJwt(body.id_token);
    assert.equal(idToken['sub'], 'patient-externe-id-2');
    assert.equal(idToken['idPe'], 'patient-externe-id-2');
    assert.equal(idToken['assignAuth'], 'urn:oid:1.2.250.1.215.400');
    assert.equal(idToken['oid'], '1.2.250.1.999.42.1');
    assert.equal(idToken['nonce'], 'nonce-456');
    const access = decodeJwt(body.access_token);
    assert.equal(access['scope'], 'DOC_ECRITURE');
    assert.equal(access['aud'], sandbox.fhirBase);
    assert.equal(access['pairingId'], idToken['pairingId']);

    const pairings = await pairingsOf(sandbox.url);
    assert.deepEqual(
      pairings.map((p) => [p.id, p.finalities]),
      [[idToken['pairingId'], ['DOC_ECRITURE']]],
    );

    // The granted finalité works; the refused one is refused by MES with its own text.
    const send = await fetch(sandbox.fhirBase, {
      method: 'POST',
      headers: fhirHeaders(body, { 'content-type': 'application/fhir+json' }),
      body: JSON.stringify(fixture('documents/iti65-provide-document-bundle-snr.json')),
    });
    assert.equal(send.status, 200);
    const search = await fetch(
      `${sandbox.fhirBase}/DocumentReference?patient.identifier=urn:oid:1.2.250.1.215.400|patient-externe-id-2&status=current`,
      { headers: fhirHeaders(body) },
    );
    assert.equal(search.status, 403);
    assert.equal((await search.json()).issue[0].diagnostics, 'Consent not given, access refused.');

    // Refresh tokens rotate: the new one works, the old one is spent.
    const refreshed = await tokenRequest(sandbox.url, {
      grant_type: 'refresh_token',
      refresh_token: body.refresh_token,
    });
    assert.equal(refreshed.status, 200);
    assert.notEqual(refreshed.body.refresh_token, body.refresh_token);
    assert.equal(decodeJwt(refreshed.body.id_token)['idPe'], 'patient-externe-id-2');
    assert.equal(decodeJwt(refreshed.body.access_token)['scope'], 'DOC_ECRITURE');
    // The refreshed pair works.
    const withRefreshed = await fetch(sandbox.fhirBase, {
      method: 'POST',
      headers: fhirHeaders(refreshed.body, { 'content-type': 'application/fhir+json' }),
      body: JSON.stringify(documentBundle().bundle),
    });
    assert.equal(withRefreshed.status, 200);
  });

  async function pairedTokens(persona: string) {
    const run = await runPairing(sandbox.url, {
      persona,
      scope: 'openid offline_access DOC_LECTURE',
      choose: 'accept-all',
    });
    const body = await exchangeCode(sandbox.url, run);
    return body;
  }
  const search = (tokens: Tokens, idPe: string) =>
    fetch(`${sandbox.fhirBase}/DocumentReference?patient=Patient/${idPe}&status=current`, {
      headers: fhirHeaders(tokens),
    });

  it('revoking the refresh token ends the pairing: every token of it stops working', async () => {
    const tokens = await pairedTokens('louis');
    assert.equal((await search(tokens, 'patient-externe-id-4')).status, 200, 'works before');
    assert.equal((await pairingsOf(sandbox.url, 'louis')).length, 1);
    const revoke = await fetch(`${sandbox.url}/oauth/revoke`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${DEMO.clientId}:${DEMO.secret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ token: tokens.refresh_token!, token_type_hint: 'refresh_token' }),
    });
    assert.equal(revoke.status, 200);
    assert.equal((await search(tokens, 'patient-externe-id-4')).status, 401);
    const again = await tokenRequest(sandbox.url, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
    });
    assert.equal(again.body.error, 'invalid_grant');
    assert.deepEqual(await pairingsOf(sandbox.url, 'louis'), []);
  });

  it('replaying a spent refresh token is refused and ends the pairing (reuse detection)', async () => {
    const tokens = await pairedTokens('nadia');
    const refreshed = await tokenRequest(sandbox.url, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
    });
    assert.equal(refreshed.status, 200);
    assert.equal((await search(refreshed.body, 'patient-externe-id-3')).status, 200);
    const replay = await tokenRequest(sandbox.url, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
    });
    assert.equal(replay.status, 400);
    assert.equal(replay.body.error, 'invalid_grant');
    assert.equal((await search(refreshed.body, 'patient-externe-id-3')).status, 401);
    assert.deepEqual(await pairingsOf(sandbox.url, 'nadia'), []);
  });

  it('asks again, on a new request, for a finalité refused before', async () => {
    const first = await runPairing(sandbox.url, {
      persona: 'camille',
      scope: 'openid AGENDA_ECRITURE AGENDA_LECTURE',
      choose: ['AGENDA_ECRITURE'],
    });
    assert.ok(first.callback.searchParams.get('code'));
    const authorize = new URL(`${sandbox.url}/oauth/authorize`);
    authorize.search = new URLSearchParams({
      client_id: DEMO.clientId,
      response_type: 'code',
      redirect_uri: DEMO.redirectUri,
      scope: 'openid AGENDA_ECRITURE AGENDA_LECTURE',
      state: 's2',
      code_challenge: pkcePair().challenge,
      code_challenge_method: 'S256',
    }).toString();
    const again = await first.browser.follow(authorize.href, sandbox.url);
    const page = await again.response.text();
    assert.match(page, /Consulter mes rendez-vous/, 'the consent page is shown again, same browser session');
    assert.doesNotMatch(page, /Ajouter mes rendez-vous/, 'what is granted is not asked again');
  });

  it('refuses a code exchanged with the wrong PKCE verifier', async () => {
    const run = await runPairing(sandbox.url, { persona: 'louis', scope: 'openid DOC_LECTURE', choose: 'accept-all' });
    const { status, body } = await tokenRequest(sandbox.url, {
      grant_type: 'authorization_code',
      code: run.callback.searchParams.get('code')!,
      redirect_uri: DEMO.redirectUri,
      code_verifier: pkcePair().verifier,
    });
    assert.equal(status, 400);
    assert.equal(body.error, 'invalid_grant');
  });

  it('sends the patient back with access_denied when everything is refused', async () => {
    const run = await runPairing(sandbox.url, {
      persona: 'elise',
      scope: 'openid DOC_ECRITURE AGENDA_ECRITURE',
      choose: 'refuse-all',
    });
    assert.equal(run.callback.searchParams.get('error'), 'access_denied');
    assert.equal(run.callback.searchParams.get('state'), 'state-123');
    assert.deepEqual(await pairingsOf(sandbox.url, 'elise'), []);
  });

  it('pairs the public client without a secret, PKCE alone', async () => {
    const run = await runPairing(sandbox.url, {
      persona: 'nadia',
      scope: 'openid offline_access MESURE_GLYCEMIE_ECRITURE',
      choose: 'accept-all',
      client: PUBLIC,
    });
    const body = await exchangeCode(sandbox.url, run, PUBLIC);
    assert.equal(decodeJwt(body.id_token)['oid'], '1.2.250.1.999.42.2');
    assert.equal(decodeJwt(body.access_token)['scope'], 'MESURE_GLYCEMIE_ECRITURE');
  });

  it('refuses the confidential client without its secret', async () => {
    const { status, body } = await tokenRequest(
      sandbox.url,
      {
        grant_type: 'authorization_code',
        code: 'whatever',
        redirect_uri: DEMO.redirectUri,
        code_verifier: pkcePair().verifier,
      },
      { clientId: DEMO.clientId },
    );
    assert.equal(status, 401);
    assert.equal(body.error, 'invalid_client');
  });
});
