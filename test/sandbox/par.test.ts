import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DEMO,
  PUBLIC,
  authorizeWithQuery,
  authorizeWithRequestUri,
  decodeJwt,
  exchangeCode,
  pairingRequest,
  pushAuthorizationRequest,
  startSandbox,
  throughConsent,
  type TestSandbox,
} from '../helpers/sandbox.js';

const SCOPE = 'openid offline_access DOC_ECRITURE';
const ACCOUNT_LINE = /Compte Hôpital Lumière — portail patient\s:\s/;

describe('sandbox pushed authorization requests (RFC 9126) and partner_user_name', () => {
  let sandbox: TestSandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(() => sandbox.dispose());

  it('publishes the PAR endpoint at /oauth/par without requiring it', async () => {
    const discovery = (await (await fetch(`${sandbox.url}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    assert.equal(discovery['pushed_authorization_request_endpoint'], `${sandbox.url}/oauth/par`);
    assert.notEqual(discovery['require_pushed_authorization_requests'], true);
  });

  it('shows the name the confidential client pushed, trimmed and escaped, and pairs as usual', async () => {
    const { verifier, params } = pairingRequest(DEMO, SCOPE, { partner_user_name: '  Camille Martin <b>x</b>  ' });
    const pushed = await pushAuthorizationRequest(sandbox.url, DEMO, params);
    assert.equal(pushed.status, 201, JSON.stringify(pushed.body));
    assert.match(pushed.body.request_uri ?? '', /^urn:ietf:params:oauth:request_uri:/);

    const consent = await throughConsent(
      sandbox.url,
      authorizeWithRequestUri(sandbox.url, DEMO.clientId, pushed.body.request_uri!),
      'camille',
    );
    assert.match(
      consent.consentPage,
      /Compte Hôpital Lumière — portail patient\s:\sCamille Martin &lt;b&gt;x&lt;\/b&gt;</,
    );
    assert.doesNotMatch(consent.consentPage, /<b>x<\/b>/, 'rendered as text');

    const callback = await consent.submit('accept-all');
    assert.equal(callback.origin + callback.pathname, DEMO.redirectUri);
    assert.equal(callback.searchParams.get('state'), 'state-123');
    const body = await exchangeCode(sandbox.url, { callback, verifier });
    assert.equal(decodeJwt(body.id_token)['nonce'], 'nonce-456');
    assert.equal(decodeJwt(body.access_token)['scope'], 'DOC_ECRITURE');
  });

  it('ignores the name in a plain authorization request: anyone can write a URL', async () => {
    const { params } = pairingRequest(DEMO, SCOPE, { partner_user_name: 'Quelqu’un <i>autre</i>' });
    const consent = await throughConsent(sandbox.url, authorizeWithQuery(sandbox.url, params), 'nadia');
    assert.match(
      consent.consentPage,
      /J’autorise Hôpital Lumière — portail patient/,
      'positive control: the consent page',
    );
    assert.doesNotMatch(consent.consentPage, ACCOUNT_LINE);
    assert.doesNotMatch(consent.consentPage, /Quelqu’un/);
  });

  it('takes nothing from the URL next to a request_uri, only what was pushed', async () => {
    const { params } = pairingRequest(DEMO, SCOPE);
    const pushed = await pushAuthorizationRequest(sandbox.url, DEMO, params);
    assert.equal(pushed.status, 201);
    const consent = await throughConsent(
      sandbox.url,
      authorizeWithRequestUri(sandbox.url, DEMO.clientId, pushed.body.request_uri!, {
        partner_user_name: 'Ajouté dans l’URL',
      }),
      'louis',
    );
    assert.match(consent.consentPage, /J’autorise Hôpital Lumière — portail patient/);
    assert.doesNotMatch(consent.consentPage, ACCOUNT_LINE);
    assert.doesNotMatch(consent.consentPage, /Ajouté dans l’URL/);
  });

  it('does not take the name from a public client, which cannot authenticate its push', async () => {
    const { params } = pairingRequest(PUBLIC, 'openid MESURE_POIDS_ECRITURE', { partner_user_name: 'Élise Petit' });
    const pushed = await pushAuthorizationRequest(sandbox.url, PUBLIC, params);
    assert.equal(pushed.status, 201, JSON.stringify(pushed.body));
    const consent = await throughConsent(
      sandbox.url,
      authorizeWithRequestUri(sandbox.url, PUBLIC.clientId, pushed.body.request_uri!),
      'elise',
    );
    assert.match(consent.consentPage, /J’autorise mes-kit \(mode direct\)/);
    assert.doesNotMatch(consent.consentPage, /Compte mes-kit/);
  });

  it('refuses a name over 100 characters, and a push without the client secret', async () => {
    const atLimit = pairingRequest(DEMO, SCOPE, { partner_user_name: 'é'.repeat(100) });
    assert.equal((await pushAuthorizationRequest(sandbox.url, DEMO, atLimit.params)).status, 201);
    const tooLong = pairingRequest(DEMO, SCOPE, { partner_user_name: 'é'.repeat(101) });
    const refused = await pushAuthorizationRequest(sandbox.url, DEMO, tooLong.params);
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error, 'invalid_request');
    assert.match(refused.body.error_description ?? '', /partner_user_name/);

    const { params } = pairingRequest(DEMO, SCOPE, { partner_user_name: 'Camille Martin' });
    const anonymous = await pushAuthorizationRequest(sandbox.url, { ...DEMO, secret: undefined }, params);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.error, 'invalid_client');
  });

  it('keeps plain authorization requests working for every client (PAR is not required)', async () => {
    const { params } = pairingRequest(DEMO, SCOPE);
    const consent = await throughConsent(sandbox.url, authorizeWithQuery(sandbox.url, params), 'camille');
    assert.match(consent.consentPage, /Ajouter des documents de santé/);
  });
});
