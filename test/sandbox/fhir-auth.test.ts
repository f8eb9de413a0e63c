import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { documentBundle } from '../helpers/documents.js';
import {
  adminBundle,
  adminTokens,
  decodeJwt,
  fhirHeaders,
  startSandbox,
  type TestSandbox,
  type Tokens,
} from '../helpers/sandbox.js';

const SEARCH = 'DocumentReference?patient.identifier=urn:oid:1.2.250.1.215.400|patient-externe-id-2&status=current';

async function outcome(response: Response) {
  const body = (await response.json()) as { resourceType: string; issue: { diagnostics: string; code: string }[] };
  assert.equal(body.resourceType, 'OperationOutcome');
  return body.issue[0];
}

describe('sandbox FHIR API: checks every call as MES does', () => {
  let sandbox: TestSandbox;
  let camille: Tokens;
  before(async () => {
    sandbox = await startSandbox();
    camille = await adminTokens(sandbox.url, 'camille', ['DOC_ECRITURE', 'DOC_LECTURE']);
  });
  after(() => sandbox.dispose());

  const search = (headers: Record<string, string>) => fetch(`${sandbox.fhirBase}/${SEARCH}`, { headers });

  it('answers a valid call', async () => {
    const response = await search(fhirHeaders(camille));
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { total: number }).total, 13);
  });

  it('401 without an access token, with a forged one, or with an expired one', async () => {
    const forged = await new SignJWT({
      client_id: 'mes-kit-demo',
      scope: 'DOC_LECTURE',
      pairingId: decodeJwt(camille.access_token)['pairingId'],
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .setSubject('patient-externe-id-2')
      .setIssuer(sandbox.url)
      .setAudience(sandbox.fhirBase)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('not-the-sandbox-key-not-the-sandbox-key'));
    for (const headers of [{ 'x-id-token': camille.id_token }, fhirHeaders({ ...camille, access_token: forged })]) {
      const response = await search(headers);
      assert.equal(response.status, 401);
      assert.match(response.headers.get('www-authenticate') ?? '', /invalid_token/);
      assert.equal((await outcome(response)).code, 'login');
    }
  });

  it('401 once the access token has expired (and not before)', async () => {
    const local = await startSandbox({ accessTokenTtlSeconds: 1 });
    try {
      const tokens = await adminTokens(local.url, 'camille', ['DOC_LECTURE']);
      const call = () => fetch(`${local.fhirBase}/${SEARCH}`, { headers: fhirHeaders(tokens) });
      assert.equal((await call()).status, 200, 'valid at first');
      await new Promise((resolve) => setTimeout(resolve, 2100));
      assert.equal((await call()).status, 401);
    } finally {
      await local.dispose();
    }
  });

  it('400 with MES text when the ID token is missing or not a valid JWT', async () => {
    for (const idToken of [undefined, 'not-a-jwt', camille.access_token]) {
      const headers: Record<string, string> = { authorization: `Bearer ${camille.access_token}` };
      if (idToken) headers['x-id-token'] = idToken;
      const response = await search(headers);
      assert.equal(response.status, 400);
      assert.equal(
        (await outcome(response)).diagnostics,
        'HTTP code 400 : Bad request -> The ID_TOKEN value is not valid (invalid JWT)',
      );
    }
  });

  it('reads the ID token from a configured header', async () => {
    const local = await startSandbox({ idTokenHeader: 'X-Mes-Id-Token' });
    try {
      const tokens = await adminTokens(local.url, 'camille', ['DOC_LECTURE']);
      const ok = await fetch(`${local.fhirBase}/${SEARCH}`, {
        headers: { authorization: `Bearer ${tokens.access_token}`, 'x-mes-id-token': tokens.id_token },
      });
      assert.equal(ok.status, 200);
      const old = await fetch(`${local.fhirBase}/${SEARCH}`, { headers: fhirHeaders(tokens) });
      assert.equal(old.status, 400);
    } finally {
      await local.dispose();
    }
  });

  it('400 when the ID token belongs to another pairing (an ended one)', async () => {
    const old = await adminTokens(sandbox.url, 'louis', ['DOC_LECTURE']);
    const current = await adminTokens(sandbox.url, 'louis', ['DOC_LECTURE']);
    const url = `${sandbox.fhirBase}/DocumentReference?patient=Patient/patient-externe-id-4&status=current`;
    assert.equal((await fetch(url, { headers: fhirHeaders(current) })).status, 200);
    const mixed = await fetch(url, {
      headers: fhirHeaders({ access_token: current.access_token, id_token: old.id_token }),
    });
    assert.equal(mixed.status, 400);
  });

  it('lets a public client call from its own origin (CORS), and no other origin', async () => {
    const preflight = (origin: string) =>
      fetch(`${sandbox.fhirBase}/DocumentReference`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization,x-id-token',
        },
      });
    const allowed = await preflight('http://localhost:5173');
    assert.equal(allowed.status, 204);
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'http://localhost:5173');
    assert.match(allowed.headers.get('access-control-allow-headers') ?? '', /authorization.*x-id-token/);
    assert.equal((await preflight('http://evil.example')).status, 403);
    const call = await search({ ...fhirHeaders(camille), origin: 'http://localhost:5173' });
    assert.equal(call.headers.get('access-control-allow-origin'), 'http://localhost:5173');
    const foreign = await search({ ...fhirHeaders(camille), origin: 'http://evil.example' });
    assert.equal(foreign.headers.get('access-control-allow-origin'), null);
  });

  it('409 with MES text when the ID token carries another service OID', async () => {
    const publicTokens = await adminTokens(sandbox.url, 'camille', ['DOC_LECTURE'], 'mes-kit-public');
    const response = await search(fhirHeaders({ access_token: camille.access_token, id_token: publicTokens.id_token }));
    assert.equal(response.status, 409);
    assert.equal(
      (await outcome(response)).diagnostics,
      'HTTP code 409 :OID conflict between the one from id_token and the one in the system -> OID different between id_token and ecosystem',
    );
  });

  it('403 with MES text when the idPe does not match', async () => {
    const nadia = await adminTokens(sandbox.url, 'nadia', ['DOC_LECTURE']);
    const mixed = await search(fhirHeaders({ access_token: camille.access_token, id_token: nadia.id_token }));
    assert.equal(mixed.status, 403);
    assert.equal((await outcome(mixed)).diagnostics, 'idPe requested do not match authorized idPe.');
    const otherPatient = await fetch(
      `${sandbox.fhirBase}/DocumentReference?patient.identifier=urn:oid:1.2.250.1.215.400|patient-externe-id-3&status=current`,
      {
        headers: fhirHeaders(camille),
      },
    );
    assert.equal(otherPatient.status, 403);
    assert.equal((await outcome(otherPatient)).diagnostics, 'idPe requested do not match authorized idPe.');
  });

  it('403 with MES text for a finalité that is not granted, and nothing is stored', async () => {
    const readOnly = await adminTokens(sandbox.url, 'louis', ['DOC_LECTURE']);
    const before = await adminBundle(sandbox.url, 'louis', 'DocumentReference');
    const { bundle } = documentBundle({ ins: '109026912304554' });
    const response = await fetch(sandbox.fhirBase, {
      method: 'POST',
      headers: fhirHeaders(readOnly, { 'content-type': 'application/fhir+json' }),
      body: JSON.stringify(bundle),
    });
    assert.equal(response.status, 403);
    assert.equal((await outcome(response)).diagnostics, 'Consent not given, access refused.');
    assert.equal((await adminBundle(sandbox.url, 'louis', 'DocumentReference')).total, before.total);
  });

  it('401 once the pairing is ended from MES (« Désynchroniser »)', async () => {
    const tokens = await adminTokens(sandbox.url, 'elise', ['DOC_LECTURE']);
    const url = `${sandbox.fhirBase}/DocumentReference?patient=Patient/patient-externe-id-5&status=current`;
    assert.equal((await fetch(url, { headers: fhirHeaders(tokens) })).status, 200);
    const unpair = await fetch(`${sandbox.url}/sandbox/pairings/elise/mes-kit-demo`, { method: 'DELETE' });
    assert.equal(unpair.status, 204);
    assert.equal((await fetch(url, { headers: fhirHeaders(tokens) })).status, 401);
  });

  it('answers the CapabilityStatement without a token', async () => {
    const response = await fetch(`${sandbox.fhirBase}/metadata`);
    assert.equal(response.status, 200);
    const statement = await response.json();
    assert.equal(statement.fhirVersion, '4.0.1');
    const documentReference = statement.rest[0].resource.find((r: { type: string }) => r.type === 'DocumentReference');
    assert.deepEqual(
      documentReference.interaction.map((i: { code: string }) => i.code),
      ['create', 'read', 'search-type', 'patch'],
    );
  });
});
