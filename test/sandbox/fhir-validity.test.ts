import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { documentBundle } from '../helpers/documents.js';
import { r4Errors } from '../helpers/fhir-validator.js';
import { adminBundle, adminTokens, fhirHeaders, startSandbox, type TestSandbox } from '../helpers/sandbox.js';

describe('what the sandbox stores and answers is valid FHIR R4', () => {
  let sandbox: TestSandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(() => sandbox.dispose());

  it('the validator itself rejects an invalid resource (negative control)', () => {
    assert.notDeepEqual(r4Errors({ resourceType: 'DocumentReference', status: 'current' }), []);
  });

  it('every seeded resource of every persona', async () => {
    for (const persona of ['camille', 'nadia', 'louis']) {
      for (const type of ['DocumentReference', 'Observation', 'Device', 'Appointment', 'Binary']) {
        const bundle = await adminBundle(sandbox.url, persona, type);
        for (const { resource } of bundle.entry ?? []) {
          assert.deepEqual(r4Errors(resource), [], `${persona} ${type}/${resource['id']}`);
        }
      }
    }
  });

  it('a stored document, the transaction-response, a searchset, an OperationOutcome and the CapabilityStatement', async () => {
    const tokens = await adminTokens(sandbox.url, 'camille', ['DOC_ECRITURE', 'DOC_LECTURE']);
    const send = await fetch(sandbox.fhirBase, {
      method: 'POST',
      headers: fhirHeaders(tokens, { 'content-type': 'application/fhir+json' }),
      body: JSON.stringify(documentBundle().bundle),
    });
    const answers = [await send.json()];
    const search = await fetch(
      `${sandbox.fhirBase}/DocumentReference?patient.identifier=urn:oid:1.2.250.1.215.400|patient-externe-id-2&status=current&_count=100`,
      { headers: fhirHeaders(tokens) },
    );
    answers.push(await search.json());
    answers.push(
      await (
        await fetch(`${sandbox.fhirBase}/DocumentReference?status=current`, { headers: fhirHeaders(tokens) })
      ).json(),
    );
    answers.push(await (await fetch(`${sandbox.fhirBase}/metadata`)).json());
    answers.push(...(await adminBundle(sandbox.url, 'camille', 'List')).entry.map((e) => e.resource));
    for (const answer of answers) assert.deepEqual(r4Errors(answer), [], JSON.stringify(answer).slice(0, 120));
  });
});
