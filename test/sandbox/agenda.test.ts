import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defaultConfig } from '../../packages/sandbox/src/index.js';
import { createInPageSandbox } from '../../packages/sandbox/src/in-page.js';
import { r4Errors } from '../helpers/fhir-validator.js';
import {
  Browser,
  adminBundle,
  adminTokens,
  fhirHeaders,
  fixture,
  startSandbox,
  type TestSandbox,
  type Tokens,
} from '../helpers/sandbox.js';

const OPERATOR = 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-appointment-operator';
const DEMO_OID = '1.2.250.1.999.42.1';
const TILLEULS_OID = '1.2.250.1.999.42.3';
const CAMILLE = 'urn:oid:1.2.250.1.215.400|patient-externe-id-2';
const ELISE = 'urn:oid:1.2.250.1.215.400|patient-externe-id-5';
const CONSENT = 'Consent not given, access refused.';
const IDPE = 'idPe requested do not match authorized idPe.';

let counter = 0;
/** The shared fixture, filed under a sub-OID of the service (`oid`) for the persona with this idPe. */
function appointment(options: { oid?: string; value?: string; idPe?: string } = {}): Record<string, any> {
  const body = fixture<Record<string, any>>('agenda/appointment-rdv-snr.json');
  body.identifier = [{ system: `urn:oid:${options.oid ?? DEMO_OID}.4`, value: options.value ?? `RDV-${++counter}` }];
  body.participant[0].actor.identifier.value = options.idPe ?? 'patient-externe-id-2';
  return body;
}
const tokenOf = (body: Record<string, any>) => `${body.identifier[0].system}|${body.identifier[0].value}`;

interface Outcome {
  resourceType: string;
  issue: { severity: string; code: string; diagnostics: string; expression?: string[] }[];
}

/** A service's agenda calls with its tokens (read when called, as a `before` sets them). */
function agenda(sandbox: () => TestSandbox, tokens: () => Tokens) {
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${sandbox().fhirBase}/${path}`, {
      method,
      headers: fhirHeaders(tokens(), { 'content-type': 'application/fhir+json', ...headers }),
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  return {
    post: (body: unknown, headers?: Record<string, string>) => call('POST', 'Appointment', body, headers),
    put: (path: string, body: unknown) => call('PUT', path, body),
    get: (path: string) => call('GET', path),
    call,
    async search(query: string) {
      const response = await call('GET', `Appointment?${query}`);
      assert.equal(response.status, 200, await response.clone().text());
      return (await response.json()) as { total: number; link: { relation: string; url: string }[]; entry?: any[] };
    },
  };
}

async function outcomeOf(response: Response, status: number): Promise<Outcome> {
  const outcome = (await response.json()) as Outcome;
  assert.equal(response.status, status, JSON.stringify(outcome));
  assert.equal(outcome.resourceType, 'OperationOutcome');
  return outcome;
}

const storedCount = async (sandbox: TestSandbox, persona = 'camille') =>
  (await adminBundle(sandbox.url, persona, 'Appointment')).total;

describe('sandbox FHIR API: agenda (fr-core Appointment)', () => {
  let sandbox: TestSandbox;
  /** The demo portal, allowed to write and to read the whole agenda. */
  let demo: Tokens;
  /** The second brand, allowed to write only: it sees what it wrote, nothing else. */
  let tilleuls: Tokens;
  /** Direct mode, allowed to read only. */
  let reader: Tokens;
  /** A teleconsultation that has no agenda finalité at all. */
  let stranger: Tokens;
  before(async () => {
    sandbox = await startSandbox();
    demo = await adminTokens(sandbox.url, 'camille', ['AGENDA_ECRITURE', 'AGENDA_LECTURE']);
    tilleuls = await adminTokens(sandbox.url, 'camille', ['AGENDA_ECRITURE'], 'mes-kit-tilleuls');
    reader = await adminTokens(sandbox.url, 'camille', ['AGENDA_LECTURE'], 'mes-kit-public');
    stranger = await adminTokens(sandbox.url, 'camille', ['DOC_LECTURE'], 'mes-kit-teleconsultation');
  });
  after(() => sandbox.dispose());

  const asDemo = agenda(
    () => sandbox,
    () => demo,
  );
  const asTilleuls = agenda(
    () => sandbox,
    () => tilleuls,
  );
  const asReader = agenda(
    () => sandbox,
    () => reader,
  );
  const asStranger = agenda(
    () => sandbox,
    () => stranger,
  );

  /** Sends `body`, expects a 422 naming `expression` with `code`, and checks nothing was stored. */
  async function invalid(body: unknown, expression: string, code: string) {
    const before = await storedCount(sandbox);
    const outcome = await outcomeOf(await asDemo.post(body), 422);
    const issue = outcome.issue.find((i) => i.expression?.[0] === expression);
    assert.ok(issue, `an issue names ${expression}: ${JSON.stringify(outcome.issue)}`);
    assert.equal(issue.code, code, expression);
    assert.ok(issue.diagnostics.startsWith(expression), issue.diagnostics);
    assert.equal(await storedCount(sandbox), before, 'nothing stored');
    return outcome;
  }

  describe('create', () => {
    it('accepts the shared fixture, filed as written by the calling service', async () => {
      const body = appointment();
      const before = await storedCount(sandbox);
      const response = await asDemo.post(body);
      assert.equal(response.status, 201);
      const stored = await response.json();
      assert.match(stored.id, /^[\w-]+$/);
      assert.equal(response.headers.get('location'), `${sandbox.fhirBase}/Appointment/${stored.id}/_history/1`);
      assert.equal(stored.meta.versionId, '1');
      assert.ok(Math.abs(Date.parse(stored.meta.lastUpdated) - Date.now()) < 60_000);
      assert.deepEqual(stored.meta.profile, body.meta.profile);
      assert.equal(stored.meta.tag, undefined, 'the sandbox’s own bookkeeping is not shown to services');
      // The author is the calling service, whatever the body said (the fixture names another Organization).
      const operators = stored.extension.filter((e: any) => e.url === OPERATOR);
      assert.equal(operators.length, 1);
      const organization = stored.contained.find((r: any) => `#${r.id}` === operators[0].valueReference.reference);
      assert.equal(organization.resourceType, 'Organization');
      assert.deepEqual(organization.identifier, [{ system: 'urn:ietf:rfc:3986', value: `urn:oid:${DEMO_OID}` }]);
      assert.equal(organization.name, 'Hôpital Lumière — portail patient');
      assert.ok(!stored.contained.some((r: any) => r.id === 'snr'), 'the body’s own author Organization is gone');
      for (const key of [
        'identifier',
        'status',
        'start',
        'end',
        'description',
        'comment',
        'specialty',
        'participant',
      ]) {
        assert.deepEqual(stored[key], body[key], key);
      }
      assert.deepEqual(r4Errors(stored), []);
      assert.equal(await storedCount(sandbox), before + 1);
      // MES keeps who wrote it with what it stores.
      const kept = (await adminBundle(sandbox.url, 'camille', 'Appointment')).entry.find(
        (e) => e.resource['id'] === stored.id,
      )!.resource;
      assert.deepEqual(kept['meta'].tag, [{ system: 'urn:mes-kit:sandbox:author', code: 'mes-kit-demo' }]);
      const read = await asDemo.get(`Appointment/${stored.id}`);
      assert.equal(read.status, 200);
      assert.deepEqual(await read.json(), stored);
    });

    it('names the author from the token even when the body claims another one, or none', async () => {
      const claimed = appointment({ oid: TILLEULS_OID });
      claimed.contained[2].name = 'Un autre service';
      const stored = await (await asTilleuls.post(claimed)).json();
      const organization = stored.contained.find((r: any) => r.resourceType === 'Organization');
      assert.equal(organization.name, 'Clinique des Tilleuls — portail patient');
      assert.equal(organization.identifier[0].value, `urn:oid:${TILLEULS_OID}`);
      const bare = appointment();
      delete bare.extension;
      bare.contained = bare.contained.filter((r: any) => r.resourceType !== 'Organization');
      const answer = await asDemo.post(bare);
      assert.equal(answer.status, 201);
      const named = await answer.json();
      assert.equal(named.extension.length, 1);
      assert.deepEqual(r4Errors(named), []);
    });

    it('keeps an Organization of the body that something else refers to, and picks a free id for the author', async () => {
      const body = appointment();
      body.contained.push({ resourceType: 'Organization', id: 'operator', name: 'Centre de santé du Parc' });
      body.participant.push({ actor: { reference: '#operator' }, status: 'accepted' });
      body.extension[0].valueReference.reference = '#operator';
      const stored = await (await asDemo.post(body)).json();
      assert.ok(stored.contained.some((r: any) => r.name === 'Centre de santé du Parc'));
      const author = stored.extension.find((e: any) => e.url === OPERATOR).valueReference.reference;
      assert.notEqual(author, '#operator');
      assert.equal(stored.contained.find((r: any) => `#${r.id}` === author).name, 'Hôpital Lumière — portail patient');
    });

    it('matches the patient by idPe or by test INS, and stores text with markup as sent', async () => {
      const body = appointment();
      body.participant[0].actor.identifier = { system: 'urn:oid:1.2.250.1.213.1.4.10', value: '279035121518989' };
      body.description = '<b>Consultation</b> & "suivi"';
      const response = await asDemo.post(body);
      assert.equal(response.status, 201);
      assert.equal((await response.json()).description, '<b>Consultation</b> & "suivi"');
    });

    it('takes a proposed appointment without dates, and a cancelled one', async () => {
      const proposed = appointment();
      proposed.status = 'proposed';
      delete proposed.start;
      delete proposed.end;
      delete proposed.minutesDuration;
      assert.equal((await asDemo.post(proposed)).status, 201);
      const cancelled = appointment();
      cancelled.status = 'cancelled';
      assert.equal((await asDemo.post(cancelled)).status, 201);
    });

    it('refuses a second appointment with the same identifier (409), and stores nothing', async () => {
      const body = appointment();
      assert.equal((await asDemo.post(body)).status, 201);
      const before = await storedCount(sandbox);
      const outcome = await outcomeOf(await asDemo.post({ ...body, description: 'Autre' }), 409);
      assert.equal(outcome.issue[0].code, 'duplicate');
      assert.deepEqual(outcome.issue[0].expression, ['Appointment.identifier[0]']);
      assert.equal(await storedCount(sandbox), before);
    });

    it('creates once however often a conditional create is retried, concurrently too', async () => {
      const body = appointment();
      const condition = { 'if-none-exist': `identifier=${tokenOf(body)}` };
      const before = await storedCount(sandbox);
      const first = await asDemo.post(body, condition);
      assert.equal(first.status, 201);
      const created = await first.json();
      const again = await asDemo.post({ ...body, description: 'Renvoyé' }, condition);
      assert.equal(again.status, 200);
      const found = await again.json();
      assert.equal(found.id, created.id);
      assert.equal(found.description, body.description, 'nothing was written');
      assert.equal(found.meta.versionId, '1');
      assert.equal(await storedCount(sandbox), before + 1);

      const raced = appointment();
      const answers = await Promise.all(
        Array.from({ length: 4 }, () => asDemo.post(raced, { 'if-none-exist': `identifier=${tokenOf(raced)}` })),
      );
      assert.deepEqual(answers.map((a) => a.status).sort(), [200, 200, 200, 201]);
      const ids = new Set(await Promise.all(answers.map(async (a) => ((await a.json()) as { id: string }).id)));
      assert.equal(ids.size, 1);
      assert.equal(await storedCount(sandbox), before + 2);
    });

    it('refuses a condition that names another identifier than the body’s (400)', async () => {
      const body = appointment();
      const outcome = await outcomeOf(
        await asDemo.post(body, { 'if-none-exist': `identifier=urn:oid:${DEMO_OID}.4|OTHER` }),
        400,
      );
      assert.deepEqual(outcome.issue[0].expression, ['Appointment.identifier[0]']);
    });
  });

  describe('validation', () => {
    it('refuses what is not an Appointment with 400', async () => {
      for (const body of ['{"resourceType": "Appointment", ', '[]', '"Appointment"', { resourceType: 'Patient' }]) {
        const outcome = await outcomeOf(await asDemo.post(body), 400);
        assert.ok(outcome.issue[0].diagnostics.length > 10);
      }
    });

    it('requires a known status', async () => {
      const missing = appointment();
      delete missing.status;
      await invalid(missing, 'Appointment.status', 'required');
      await invalid({ ...appointment(), status: 'scheduled' }, 'Appointment.status', 'value');
      await invalid({ ...appointment(), status: 1 }, 'Appointment.status', 'structure');
    });

    it('requires start and end as instants with a time zone, end after start', async () => {
      for (const key of ['start', 'end']) {
        const missing = appointment();
        delete missing[key];
        await invalid(missing, `Appointment.${key}`, 'required');
      }
      await invalid({ ...appointment(), start: '2024-04-02T14:30:00' }, 'Appointment.start', 'value');
      await invalid({ ...appointment(), start: '2024-04-02' }, 'Appointment.start', 'value');
      await invalid({ ...appointment(), start: '2024-02-31T14:30:00Z' }, 'Appointment.start', 'value');
      await invalid({ ...appointment(), end: 1712068200000 }, 'Appointment.end', 'structure');
      await invalid({ ...appointment(), end: '2024-04-02T14:00:00+02:00' }, 'Appointment.end', 'invariant');
      await invalid({ ...appointment(), end: '2024-04-02T12:30:00Z' }, 'Appointment.end', 'invariant');
      await invalid(
        { ...appointment(), status: 'cancelled', end: '2024-04-02T14:00:00+02:00' },
        'Appointment.end',
        'invariant',
      );
      const startOnly = appointment();
      startOnly.status = 'proposed';
      delete startOnly.end;
      await invalid(startOnly, 'Appointment.end', 'invariant');
    });

    it('checks minutesDuration, description, comment and specialty', async () => {
      await invalid({ ...appointment(), minutesDuration: 0 }, 'Appointment.minutesDuration', 'value');
      await invalid({ ...appointment(), minutesDuration: 1.5 }, 'Appointment.minutesDuration', 'value');
      await invalid({ ...appointment(), minutesDuration: '30' }, 'Appointment.minutesDuration', 'structure');
      await invalid({ ...appointment(), description: 'x'.repeat(501) }, 'Appointment.description', 'value');
      await invalid({ ...appointment(), description: 42 }, 'Appointment.description', 'structure');
      await invalid({ ...appointment(), comment: 'x'.repeat(2001) }, 'Appointment.comment', 'value');
      await invalid({ ...appointment(), specialty: { text: 'Cardiologie' } }, 'Appointment.specialty', 'structure');
      const coded = appointment();
      coded.specialty[0].coding[0].code = 54;
      await invalid(coded, 'Appointment.specialty[0].coding[0].code', 'structure');
      assert.equal((await asDemo.post({ ...appointment(), description: 'x'.repeat(500) })).status, 201);
    });

    it('requires one identifier of the calling service (its OID or a sub-OID), with a value of at most 64', async () => {
      const none = appointment();
      delete none.identifier;
      await invalid(none, 'Appointment.identifier', 'required');
      for (const system of [
        'urn:oid:1.2.250.1.999.42.3',
        'urn:oid:1.2.250.1.999.42.10',
        '1.2.250.1.999.42.1',
        'urn:ietf:rfc:3986',
      ]) {
        const other = appointment();
        other.identifier[0].system = system;
        await invalid(other, 'Appointment.identifier[0].system', 'value');
      }
      const root = appointment();
      root.identifier[0].system = `urn:oid:${DEMO_OID}`;
      assert.equal((await asDemo.post(root)).status, 201, 'the OID itself');
      const deep = appointment();
      deep.identifier[0].system = `urn:oid:${DEMO_OID}.4.20240402`;
      assert.equal((await asDemo.post(deep)).status, 201, 'a sub-OID several levels down');
      await invalid(
        { ...appointment(), identifier: [{ system: `urn:oid:${DEMO_OID}` }] },
        'Appointment.identifier[0].value',
        'required',
      );
      const long = appointment({ value: 'x'.repeat(65) });
      await invalid(long, 'Appointment.identifier[0].value', 'value');
      const numeric = appointment();
      numeric.identifier[0].value = 123;
      await invalid(numeric, 'Appointment.identifier[0].value', 'structure');
      const two = appointment();
      two.identifier.push({ system: `urn:oid:${DEMO_OID}.5`, value: 'B' });
      await invalid(two, 'Appointment.identifier', 'value');
      assert.equal((await asDemo.post(appointment({ value: 'x'.repeat(64) }))).status, 201);
    });

    it('requires exactly one patient, and a named professional or establishment', async () => {
      const noPatient = appointment();
      noPatient.participant.shift();
      await invalid(noPatient, 'Appointment.participant', 'required');
      const twoPatients = appointment();
      twoPatients.participant.push({
        actor: { identifier: { system: 'urn:oid:1.2.250.1.213.1.4.10', value: '279035121518989' } },
        status: 'accepted',
      });
      await invalid(twoPatients, 'Appointment.participant[3]', 'invariant');
      const unnamed = appointment();
      unnamed.participant = [unnamed.participant[0], { actor: { reference: '#ps' }, status: 'accepted' }];
      unnamed.contained[0].name = [{ given: [] }];
      await invalid(unnamed, 'Appointment.participant', 'required');
      const byContainedName = appointment();
      byContainedName.participant = [
        byContainedName.participant[0],
        { actor: { reference: '#lieu' }, status: 'accepted' },
      ];
      assert.equal((await asDemo.post(byContainedName)).status, 201, 'a contained Location’s name names it');
      const noStatus = appointment();
      delete noStatus.participant[1].status;
      await invalid(noStatus, 'Appointment.participant[1].status', 'required');
      const numericDisplay = appointment();
      numericDisplay.participant[1].actor.display = 7;
      await invalid(numericDisplay, 'Appointment.participant[1].actor.display', 'structure');
      await invalid({ ...appointment(), participant: 'Dr Leclerc' }, 'Appointment.participant', 'structure');
    });

    it('requires local references to resolve, and contained resources of the agenda’s kinds only', async () => {
      const dangling = appointment();
      dangling.participant[1].actor.reference = '#nope';
      await invalid(dangling, 'Appointment.participant[1].actor.reference', 'invariant');
      const patient = appointment();
      patient.contained.push({ resourceType: 'Patient', id: 'pat' });
      patient.participant[0].actor.reference = '#pat';
      await invalid(patient, 'Appointment.contained[3].resourceType', 'value');
      const twice = appointment();
      twice.contained[1].id = 'ps';
      await invalid(twice, 'Appointment.contained[1].id', 'invariant');
      const unnamedId = appointment();
      delete unnamedId.contained[0].id;
      await invalid(unnamedId, 'Appointment.contained[0].id', 'required');
    });

    it('holds a few people and places, never thousands (which would stall MES’s pages)', async () => {
      const crowded = appointment();
      for (let i = 0; i < 30; i++) crowded.participant.push({ actor: { display: `Dr ${i}` }, status: 'accepted' });
      await invalid(crowded, 'Appointment.participant', 'value');
      const packed = appointment();
      for (let i = 0; i < 30; i++) packed.contained.push({ resourceType: 'Organization', id: `o${i}`, name: `O ${i}` });
      await invalid(packed, 'Appointment.contained', 'value');
    });

    it('requires the fr-core profile when profiles are given, and refuses elements an Appointment has not', async () => {
      await invalid(
        { ...appointment(), meta: { profile: ['http://hl7.org/fhir/StructureDefinition/Appointment'] } },
        'Appointment.meta.profile',
        'value',
      );
      const noMeta = appointment();
      delete noMeta.meta;
      assert.equal((await asDemo.post(noMeta)).status, 201, 'a profile is not required');
      await invalid({ ...appointment(), subject: { display: 'Camille' } }, 'Appointment.subject', 'structure');
      await invalid(
        { ...appointment(), modifierExtension: [{ url: 'urn:x', valueBoolean: true }] },
        'Appointment.modifierExtension',
        'structure',
      );
    });

    it('names every problem it finds, one issue each', async () => {
      const body = { ...appointment(), status: 'scheduled', description: 12, minutesDuration: -5 };
      const outcome = await invalid(body, 'Appointment.status', 'value');
      assert.deepEqual(
        outcome.issue.map((i) => i.expression![0]),
        ['Appointment.status', 'Appointment.description', 'Appointment.minutesDuration'],
      );
      assert.deepEqual(r4Errors(outcome), []);
    });

    it('refuses a body nested deeper than any appointment with a 422, not a crash', async () => {
      let nested: Record<string, unknown> = { url: 'urn:x:leaf', valueString: 'x' };
      for (let i = 0; i < 200; i++) nested = { url: `urn:x:${i}`, extension: [nested] };
      await invalid({ ...appointment(), extension: [nested] }, 'Appointment', 'structure');
    });
  });

  describe('identity and finalités', () => {
    it("refuses another patient's appointment with MES's idPe 403", async () => {
      for (const idPe of ['patient-externe-id-3', 'patient-externe-id-99']) {
        const before = await storedCount(sandbox);
        const outcome = await outcomeOf(await asDemo.post(appointment({ idPe })), 403);
        assert.equal(outcome.issue[0].diagnostics, IDPE);
        assert.deepEqual(outcome.issue[0].expression, ['Appointment.participant[0].actor']);
        assert.equal(await storedCount(sandbox), before);
      }
      const insOfNadia = appointment();
      insOfNadia.participant[0].actor.identifier = {
        system: 'urn:oid:1.2.250.1.213.1.4.10',
        value: '288077505612320',
      };
      assert.equal((await outcomeOf(await asDemo.post(insOfNadia), 403)).issue[0].diagnostics, IDPE);
      const search = await outcomeOf(
        await asDemo.get('Appointment?patient.identifier=urn:oid:1.2.250.1.215.400|patient-externe-id-3'),
        403,
      );
      assert.equal(search.issue[0].diagnostics, IDPE);
    });

    it("refuses every agenda call without an agenda finalité, with MES's consent text", async () => {
      const calls = [
        asStranger.post(appointment()),
        asStranger.get(`Appointment?patient.identifier=${CAMILLE}`),
        asStranger.get('Appointment/camille-rdv-1'),
        asStranger.put(`Appointment?identifier=urn:oid:${DEMO_OID}.4|X`, appointment()),
        asReader.post(appointment({ oid: '1.2.250.1.999.42.2' })),
        asReader.put(
          `Appointment?identifier=urn:oid:1.2.250.1.999.42.2.4|X`,
          appointment({ oid: '1.2.250.1.999.42.2', value: 'X' }),
        ),
      ];
      for (const response of await Promise.all(calls)) {
        assert.equal((await outcomeOf(response, 403)).issue[0].diagnostics, CONSENT);
      }
    });

    it('shows every appointment with AGENDA_LECTURE, and only its own with AGENDA_ECRITURE alone', async () => {
      const byDemo = await (await asDemo.post(appointment())).json();
      const byTilleuls = await (await asTilleuls.post(appointment({ oid: TILLEULS_OID }))).json();

      assert.equal((await asReader.get(`Appointment/${byDemo.id}`)).status, 200);
      assert.equal((await asReader.get(`Appointment/${byTilleuls.id}`)).status, 200);
      assert.equal((await asReader.get('Appointment/camille-rdv-1')).status, 200, 'seeded ones too');
      const all = await asReader.search(`patient.identifier=${CAMILLE}&_count=1000`);
      assert.equal(all.total, await storedCount(sandbox));

      assert.equal((await asTilleuls.get(`Appointment/${byDemo.id}`)).status, 404);
      assert.equal((await asTilleuls.get('Appointment/camille-rdv-1')).status, 404);
      assert.equal((await asTilleuls.get(`Appointment/${byTilleuls.id}`)).status, 200);
      const own = await asTilleuls.search(`patient.identifier=${CAMILLE}`);
      assert.ok(own.total >= 2);
      assert.ok(
        own.entry!.every((e) =>
          e.resource.contained.some((r: any) => r.name === 'Clinique des Tilleuls — portail patient'),
        ),
      );
      assert.ok(!own.entry!.some((e) => e.resource.id === byDemo.id));
      const found = await asTilleuls.search(`patient.identifier=${CAMILLE}&identifier=${tokenOf(byTilleuls)}`);
      assert.equal(found.total, 1, 'it finds what it wrote');
    });

    it("refuses to change another service's appointment (403), whatever it may read", async () => {
      const byDemo = await (await asDemo.post(appointment())).json();
      const change = { ...appointment({ oid: TILLEULS_OID }), id: byDemo.id };
      const outcome = await outcomeOf(await asTilleuls.put(`Appointment/${byDemo.id}`, change), 403);
      assert.equal(outcome.issue[0].code, 'forbidden');
      assert.equal(
        outcome.issue[0].diagnostics,
        'Appointment created by another service: only its author may change it.',
      );
      const seeded = { ...appointment(), id: 'camille-rdv-3' };
      assert.equal(
        (await outcomeOf(await asDemo.put('Appointment/camille-rdv-3', seeded), 403)).issue[0].code,
        'forbidden',
      );
      const unchanged = await (await asDemo.get(`Appointment/${byDemo.id}`)).json();
      assert.equal(unchanged.meta.versionId, '1');
    });
  });

  describe('update', () => {
    const clock = (now?: string) =>
      fetch(`${sandbox.url}/sandbox/clock`, {
        method: now ? 'PUT' : 'DELETE',
        headers: { 'content-type': 'application/json' },
        body: now ? JSON.stringify({ now }) : undefined,
      });
    after(() => clock());

    it('creates on the first conditional update, then updates the same appointment with a new version', async () => {
      const body = appointment();
      const path = `Appointment?identifier=${encodeURIComponent(tokenOf(body))}`;
      const before = await storedCount(sandbox);
      await clock('2026-03-01T08:00:00Z');
      const created = await asDemo.put(path, body);
      assert.equal(created.status, 201);
      const first = await created.json();
      assert.equal(created.headers.get('location'), `${sandbox.fhirBase}/Appointment/${first.id}/_history/1`);
      const near = (iso: string, expected: string) => Math.abs(Date.parse(iso) - Date.parse(expected)) < 60_000;
      assert.ok(near(first.meta.lastUpdated, '2026-03-01T08:00:00Z'), first.meta.lastUpdated);

      await clock('2026-03-02T08:00:00Z');
      const moved = { ...body, start: '2024-04-03T09:00:00+02:00', end: '2024-04-03T09:30:00+02:00' };
      const updated = await asDemo.put(path, moved);
      assert.equal(updated.status, 200);
      const second = await updated.json();
      assert.equal(second.id, first.id);
      assert.equal(second.meta.versionId, '2');
      assert.ok(near(second.meta.lastUpdated, '2026-03-02T08:00:00Z'), second.meta.lastUpdated);
      assert.equal(second.start, '2024-04-03T09:00:00+02:00');
      assert.equal(updated.headers.get('location'), `${sandbox.fhirBase}/Appointment/${first.id}/_history/2`);

      // Cancelling is an update too.
      const cancelled = await (await asDemo.put(path, { ...moved, status: 'cancelled', id: first.id })).json();
      assert.equal(cancelled.meta.versionId, '3');
      assert.equal(cancelled.status, 'cancelled');
      assert.equal(await storedCount(sandbox), before + 1);
      assert.deepEqual(r4Errors(cancelled), []);
    });

    it('refuses a conditional update whose body names another identifier, or another id', async () => {
      const body = appointment();
      const path = `Appointment?identifier=${encodeURIComponent(tokenOf(body))}`;
      const other = { ...body, identifier: [{ system: `urn:oid:${DEMO_OID}.4`, value: 'ANOTHER' }] };
      assert.deepEqual((await outcomeOf(await asDemo.put(path, other), 400)).issue[0].expression, [
        'Appointment.identifier[0]',
      ]);
      assert.equal((await asDemo.put(path, body)).status, 201);
      assert.deepEqual(
        (await outcomeOf(await asDemo.put(path, { ...body, id: 'camille-rdv-1' }), 400)).issue[0].expression,
        ['Appointment.id'],
      );
      await outcomeOf(
        await asDemo.put(`Appointment?identifier=${encodeURIComponent(tokenOf(body))}&status=booked`, body),
        400,
      );
      await outcomeOf(await asDemo.put('Appointment?identifier=RDV-1', body), 422);
    });

    it('scopes the conditional update to the token’s patient', async () => {
      const nadia = await adminTokens(sandbox.url, 'nadia', ['AGENDA_ECRITURE', 'AGENDA_LECTURE']);
      const asNadia = agenda(
        () => sandbox,
        () => nadia,
      );
      const body = appointment({ value: 'SHARED-ID' });
      const path = `Appointment?identifier=${encodeURIComponent(tokenOf(body))}`;
      assert.equal((await asDemo.put(path, body)).status, 201);
      const forNadia = appointment({ value: 'SHARED-ID', idPe: 'patient-externe-id-3' });
      const created = await asNadia.put(path, forNadia);
      assert.equal(created.status, 201, 'the same identifier for another patient is another appointment');
      const nadiaId = (await created.json()).id;
      assert.equal(await storedCount(sandbox, 'nadia'), 1);
      assert.equal((await asDemo.get(`Appointment/${nadiaId}`)).status, 404);
      const stolen = { ...appointment({ value: 'STOLEN' }), id: nadiaId };
      assert.equal(
        (await outcomeOf(await asDemo.put(`Appointment/${nadiaId}`, stolen), 404)).issue[0].code,
        'not-found',
      );
    });

    it('updates by id, refusing an unknown id, a body of another id, and an identifier taken', async () => {
      const created = await (await asDemo.post(appointment())).json();
      const body = { ...appointment({ value: created.identifier[0].value }), id: created.id, comment: 'Venir à jeun.' };
      const updated = await asDemo.put(`Appointment/${created.id}`, body);
      assert.equal(updated.status, 200);
      const second = await updated.json();
      assert.equal(second.meta.versionId, '2');
      assert.equal(second.comment, 'Venir à jeun.');
      await outcomeOf(await asDemo.put('Appointment/does-not-exist', { ...body, id: 'does-not-exist' }), 404);
      await outcomeOf(await asDemo.put(`Appointment/${created.id}`, { ...body, id: 'other' }), 400);
      const withoutId = { ...body };
      delete withoutId.id;
      await outcomeOf(await asDemo.put(`Appointment/${created.id}`, withoutId), 400);
      const taken = await (await asDemo.post(appointment())).json();
      const clash = { ...body, identifier: taken.identifier };
      assert.equal(
        (await outcomeOf(await asDemo.put(`Appointment/${created.id}`, clash), 409)).issue[0].code,
        'duplicate',
      );
      await invalid({ ...body, status: 'done' }, 'Appointment.status', 'value');
    });

    it('never deletes (405), and takes no other method', async () => {
      const created = await (await asDemo.post(appointment())).json();
      const deleted = await outcomeOf(await asDemo.call('DELETE', `Appointment/${created.id}`), 405);
      assert.equal(
        deleted.issue[0].diagnostics,
        `DELETE /fhir/Appointment/${created.id} is not supported by Mon espace santé.`,
      );
      await outcomeOf(
        await asDemo.call('DELETE', `Appointment?identifier=${encodeURIComponent(tokenOf(created))}`),
        405,
      );
      await outcomeOf(await asDemo.call('PATCH', `Appointment/${created.id}`, []), 405);
      await outcomeOf(await asDemo.call('POST', `Appointment/${created.id}`, appointment()), 405);
      assert.equal((await asDemo.get(`Appointment/${created.id}`)).status, 200);
    });
  });

  describe('search', () => {
    /** Élise has no appointment: these are the only ones, for exact counts. */
    let elise: Tokens;
    const asElise = agenda(
      () => sandbox,
      () => elise,
    );
    const at = (day: number, hour = 10) =>
      `2025-06-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00+02:00`;
    before(async () => {
      elise = await adminTokens(sandbox.url, 'elise', ['AGENDA_ECRITURE', 'AGENDA_LECTURE']);
      const specs: [number, string, string][] = [
        [12, 'booked', 'E-3'],
        [3, 'fulfilled', 'E-1'],
        [20, 'cancelled', 'E-4'],
        [7, 'booked', 'E-2'],
        [28, 'noshow', 'E-5'],
      ];
      for (const [day, status, value] of specs) {
        const body = appointment({ value, idPe: 'patient-externe-id-5' });
        Object.assign(body, { status, start: at(day), end: at(day, 11), description: `Rendez-vous ${value}` });
        assert.equal((await asElise.post(body)).status, 201);
      }
      const other = appointment({ oid: `${DEMO_OID}.9`, value: 'E-1', idPe: 'patient-externe-id-5' });
      Object.assign(other, { start: at(30), end: at(30, 11) });
      assert.equal((await asElise.post(other)).status, 201);
    });
    const values = (bundle: { entry?: any[] }) => (bundle.entry ?? []).map((e) => e.resource.identifier[0].value);

    it('lists the patient’s appointments by start, as a searchset', async () => {
      const all = await asElise.search(`patient.identifier=${ELISE}`);
      assert.equal(all.total, 6);
      assert.deepEqual(values(all), ['E-1', 'E-2', 'E-3', 'E-4', 'E-5', 'E-1']);
      assert.ok(
        all.entry!.every(
          (e) => e.search.mode === 'match' && e.fullUrl === `${sandbox.fhirBase}/Appointment/${e.resource.id}`,
        ),
      );
      assert.deepEqual(
        all.link.map((l) => l.relation),
        ['self'],
      );
      assert.deepEqual(r4Errors(all), []);
      const descending = await asElise.search(`patient.identifier=${ELISE}&_sort=-date`);
      assert.deepEqual(values(descending), ['E-1', 'E-5', 'E-4', 'E-3', 'E-2', 'E-1']);
      const byIns = await asElise.search('patient.identifier=urn:oid:1.2.250.1.213.1.4.10|295013306301828');
      assert.equal(byIns.total, 6, 'by test INS too');
    });

    it('filters by identifier (system|value, system|, value), status and date', async () => {
      const demoSystem = `urn:oid:${DEMO_OID}.4`;
      assert.deepEqual(values(await asElise.search(`patient.identifier=${ELISE}&identifier=${demoSystem}|E-3`)), [
        'E-3',
      ]);
      assert.equal((await asElise.search(`patient.identifier=${ELISE}&identifier=${demoSystem}|`)).total, 5);
      assert.equal((await asElise.search(`patient.identifier=${ELISE}&identifier=E-1`)).total, 2);
      assert.equal(
        (await asElise.search(`patient.identifier=${ELISE}&identifier=${demoSystem}|E-1,${demoSystem}|E-2`)).total,
        2,
      );
      assert.deepEqual(values(await asElise.search(`patient.identifier=${ELISE}&status=booked`)), [
        'E-2',
        'E-3',
        'E-1',
      ]);
      assert.deepEqual(values(await asElise.search(`patient.identifier=${ELISE}&status=cancelled,noshow`)), [
        'E-4',
        'E-5',
      ]);
      assert.deepEqual(
        values(await asElise.search(`patient.identifier=${ELISE}&date=ge2025-06-07&date=lt2025-06-20`)),
        ['E-2', 'E-3'],
      );
      assert.deepEqual(values(await asElise.search(`patient.identifier=${ELISE}&date=2025-06-12`)), ['E-3']);
      assert.deepEqual(values(await asElise.search(`patient.identifier=${ELISE}&date=gt2025-06-20&status=noshow`)), [
        'E-5',
      ]);
      const bad = await outcomeOf(await asElise.get(`Appointment?patient.identifier=${ELISE}&date=demain`), 400);
      assert.deepEqual(bad.issue[0].expression, ['date']);
    });

    it('pages with _count and _offset, following next and previous links', async () => {
      const ids: string[] = [];
      let next: string | undefined = `${sandbox.fhirBase}/Appointment?patient.identifier=${ELISE}&_count=4`;
      let pages = 0;
      while (next) {
        const page: any = await (await fetch(next, { headers: fhirHeaders(elise) })).json();
        assert.equal(page.total, 6);
        ids.push(...page.entry.map((e: any) => e.resource.id));
        if (pages > 0) assert.ok(page.link.some((l: any) => l.relation === 'previous'));
        next = page.link.find((l: any) => l.relation === 'next')?.url;
        pages++;
      }
      assert.equal(pages, 2);
      assert.equal(new Set(ids).size, 6);
      const second = await asElise.search(`patient.identifier=${ELISE}&_count=2&_offset=2`);
      assert.deepEqual(values(second), ['E-3', 'E-4']);
      const totalOnly = await asElise.search(`patient.identifier=${ELISE}&_count=0`);
      assert.equal(totalOnly.total, 6);
      assert.equal(totalOnly.entry?.length ?? 0, 0);
    });

    it('refuses a page over 1000, a missing patient, and unknown parameters', async () => {
      const over = await outcomeOf(await asElise.get(`Appointment?patient.identifier=${ELISE}&_count=1001`), 400);
      assert.equal(over.issue[0].diagnostics, 'Maximum page size allowed is 1000. Actual : 1001');
      assert.deepEqual(over.issue[0].expression, ['_count']);
      assert.equal((await asElise.search(`patient.identifier=${ELISE}&_count=1000`)).total, 6);
      const noPatient = await outcomeOf(await asElise.get('Appointment?status=booked'), 400);
      assert.deepEqual(noPatient.issue[0].expression, ['patient.identifier']);
      const unknown = await outcomeOf(await asElise.get(`Appointment?patient.identifier=${ELISE}&actor=x`), 400);
      assert.deepEqual(unknown.issue[0].expression, ['actor']);
      await outcomeOf(await asElise.get(`Appointment?patient.identifier=${ELISE}&_sort=status`), 400);
    });
  });

  describe('around the API', () => {
    it('lists Appointment in the CapabilityStatement', async () => {
      const statement = await (await fetch(`${sandbox.fhirBase}/metadata`)).json();
      const resource = statement.rest[0].resource.find((r: any) => r.type === 'Appointment');
      assert.deepEqual(
        resource.interaction.map((i: any) => i.code),
        ['read', 'search-type', 'create', 'update'],
      );
      assert.equal(resource.conditionalCreate, true);
      assert.equal(resource.conditionalUpdate, true);
      assert.equal(resource.profile, 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-appointment');
      assert.deepEqual(
        resource.searchParam.map((p: any) => p.name),
        ['patient.identifier', 'identifier', 'date', 'status', '_sort', '_count', '_offset'],
      );
      assert.deepEqual(r4Errors(statement), []);
    });

    it('shows an appointment in the patient page: date in Paris, author, place, status, markup as text', async () => {
      const louis = await adminTokens(sandbox.url, 'louis', ['AGENDA_ECRITURE']);
      const asLouis = agenda(
        () => sandbox,
        () => louis,
      );
      const body = appointment({ idPe: 'patient-externe-id-4' });
      body.description = '<script>alert(1)</script> Consultation de suivi';
      assert.equal((await asLouis.post(body)).status, 201);
      const cancelled = appointment({ idPe: 'patient-externe-id-4' });
      Object.assign(cancelled, {
        status: 'cancelled',
        description: 'Séance annulée',
        start: '2024-05-06T07:00:00Z',
        end: '2024-05-06T07:30:00Z',
      });
      assert.equal((await asLouis.post(cancelled)).status, 201);

      const browser = new Browser();
      const { response } = await browser.postForm(`${sandbox.url}/login`, { persona: 'louis' }, sandbox.url);
      const page = await response.text();
      assert.doesNotMatch(page, /<script/);
      const agendaPart = page.slice(page.indexOf('id="agenda"'), page.indexOf('id="mesures"'));
      const row = /<tr class="appointment">[\s\S]*?<\/tr>/.exec(agendaPart)?.[0] ?? '';
      assert.match(row, /mardi 2 avril 2024, 14\sh\s30/);
      assert.match(row, /&lt;script&gt;alert\(1\)&lt;\/script&gt; Consultation de suivi/);
      assert.match(row, /Ajouté par Hôpital Lumière — portail patient/);
      assert.match(row, /Médecine générale \(SM\)/);
      assert.match(row, /Dr Sophie LECLERC/);
      assert.match(row, /Hôpital Exemple – Consultations externes/);
      assert.match(row, /1 place de l&#39;Hôpital, 69000 Lyon/);
      assert.match(row, /Confirmé/);
      const struck = /<tr class="appointment cancelled">[\s\S]*?<\/tr>/.exec(agendaPart)?.[0] ?? '';
      assert.match(struck, /lundi 6 mai 2024, 9\sh\s00/);
      assert.match(struck, /Séance annulée/);
      assert.match(struck, /Annulé/);
      assert.ok(agendaPart.indexOf('2 avril 2024') < agendaPart.indexOf('6 mai 2024'), 'sorted by start');
      const css = await (await fetch(`${sandbox.url}/assets/sandbox.css`)).text();
      assert.match(css, /\.appointment\.cancelled \.appointment-title \{\s*text-decoration: line-through/);
    });

    it('applies injected faults to agenda calls as to any other', async () => {
      const faults = (settings: unknown) =>
        fetch(`${sandbox.url}/sandbox/faults`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(settings),
        });
      const before = await storedCount(sandbox);
      await faults({ errorRate: 1, statuses: [503] });
      try {
        const refused = await asDemo.post(appointment());
        assert.equal(refused.status, 503);
        assert.equal(refused.headers.get('retry-after'), '1');
      } finally {
        await faults({ errorRate: 0 });
      }
      assert.equal(await storedCount(sandbox), before);
    });

    it('clears sent appointments on reset, and keeps the seeded ones', async () => {
      assert.ok((await storedCount(sandbox, 'elise')) > 0);
      const reset = await fetch(`${sandbox.url}/sandbox/reset`, { method: 'POST' });
      assert.equal(reset.status, 200);
      assert.equal(await storedCount(sandbox, 'elise'), 0);
      assert.equal(await storedCount(sandbox, 'camille'), 5);
    });
  });
});

describe('sandbox agenda across a restart, and in a page', () => {
  it('keeps appointments and their author across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mes-sandbox-agenda-'));
    try {
      const first = await startSandbox({ dataDir });
      const tokens = await adminTokens(first.url, 'camille', ['AGENDA_ECRITURE']);
      const body = appointment();
      const path = `Appointment?identifier=${encodeURIComponent(tokenOf(body))}`;
      const asFirst = agenda(
        () => first,
        () => tokens,
      );
      const created = await (await asFirst.put(path, body)).json();
      const port = Number(new URL(first.url).port);
      await first.close();

      const second = await startSandbox({ dataDir, port });
      try {
        const asSecond = agenda(
          () => second,
          () => tokens,
        );
        const read = await asSecond.get(`Appointment/${created.id}`);
        assert.equal(read.status, 200, 'still its author’s to read with AGENDA_ECRITURE alone');
        const updated = await asSecond.put(path, { ...body, status: 'cancelled' });
        assert.equal(updated.status, 200);
        assert.equal((await updated.json()).meta.versionId, '2');
        assert.equal(await storedCount(second), 6);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('runs in a page over the memory store', async () => {
    const sandbox = await createInPageSandbox();
    const tokens = await sandbox.pair('camille', ['AGENDA_ECRITURE']);
    const headers = { ...fhirHeaders(tokens), 'content-type': 'application/fhir+json' };
    const body = appointment();
    for (const expected of [201, 200]) {
      const response = await sandbox.fetch(`${sandbox.fhirBase}/Appointment`, {
        method: 'POST',
        headers: { ...headers, 'if-none-exist': `identifier=${tokenOf(body)}` },
        body: JSON.stringify(body),
      });
      assert.equal(response.status, expected);
    }
    const duplicate = await sandbox.fetch(`${sandbox.fhirBase}/Appointment`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
    assert.equal(duplicate.status, 409);
    const search = await sandbox.fetch(`${sandbox.fhirBase}/Appointment?patient.identifier=${CAMILLE}`, { headers });
    const bundle = (await search.json()) as { total: number };
    assert.equal(bundle.total, 1, 'its own only, among the seeded ones');
  });
});

describe('sandbox agenda: a service whose OID is under another’s', () => {
  it('keeps each service to its own identifiers: the parent OID can neither take nor change the other’s', async () => {
    // MES gives each solution its own OID; should one be a sub-OID of another, identifiers could meet.
    const nested = {
      ...defaultConfig().services[0],
      clientId: 'mes-kit-nested',
      name: 'Service rattaché',
      oid: `${DEMO_OID}.4`,
      clientSecret: 'mes-kit-nested-secret',
      redirectUris: ['http://localhost:5173/nested/mes/pair/callback'],
    };
    const sandbox = await startSandbox({ services: [...defaultConfig().services, nested] });
    try {
      const owner = await adminTokens(sandbox.url, 'camille', ['AGENDA_ECRITURE'], 'mes-kit-nested');
      const demo = await adminTokens(sandbox.url, 'camille', ['AGENDA_ECRITURE', 'AGENDA_LECTURE']);
      const asOwner = agenda(
        () => sandbox,
        () => owner,
      );
      const asDemo = agenda(
        () => sandbox,
        () => demo,
      );
      // The parent first, under the other's OID: it would take the identifier from its owner.
      const taken = appointment();
      const takeover = await outcomeOf(await asDemo.post(taken), 422);
      assert.deepEqual(takeover.issue[0].expression, ['Appointment.identifier[0].system']);
      assert.match(takeover.issue[0].diagnostics, /another service's OID/);
      const body = appointment();
      const created = await asOwner.post(body);
      assert.equal(created.status, 201);
      const stored = await created.json();
      const before = await storedCount(sandbox);
      const path = `Appointment?identifier=${encodeURIComponent(tokenOf(body))}`;
      for (const refused of [
        await asDemo.put(path, { ...body, status: 'cancelled' }),
        await asDemo.post(body, { 'if-none-exist': `identifier=${tokenOf(body)}` }),
        await asDemo.post(body),
      ]) {
        const outcome = await outcomeOf(refused, 422);
        assert.deepEqual(outcome.issue[0].expression, ['Appointment.identifier[0].system']);
      }
      assert.equal(await storedCount(sandbox), before);
      const read = await (await asDemo.get(`Appointment/${stored.id}`)).json();
      assert.equal(read.meta.versionId, '1');
      assert.equal(read.status, 'booked');
    } finally {
      await sandbox.dispose();
    }
  });
});
