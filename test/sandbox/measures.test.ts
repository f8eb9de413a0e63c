import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DEFAULT_FINALITIES,
  EUI64_SYSTEM,
  MEASURES,
  MEASURE_EXTENSIONS,
  MEASURE_KINDS,
  profileUrls,
  type MeasureKind,
} from '@mes-kit/core';
import { measureBundle, observationResource } from '../../packages/core/src/measures/observation.js';
import type { CheckedReading } from '../../packages/core/src/measures/series.js';
import { defaultConfig } from '../../packages/sandbox/src/index.js';
import { MAX_CHART_POINTS, measuresSection } from '../../packages/sandbox/src/pages/measures.js';
import { personaByKey } from '../../packages/sandbox/src/personas.js';
import { MemoryStore } from '../../packages/sandbox/src/store/memory-store.js';
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

const IDPE_SYSTEM = 'urn:oid:1.2.250.1.215.400';
const CAMILLE = 'patient-externe-id-2';
const NADIA = 'patient-externe-id-3';
const ELISE = 'patient-externe-id-5';
const DEMO_OID = '1.2.250.1.999.42.1';
const BALANCE_OID = '1.2.250.1.999.42.6';
const GLYCEMIE_OID = '1.2.250.1.999.42.7';
const CONSENT = 'Consent not given, access refused.';
const IDPE = 'idPe requested do not match authorized idPe.';
const ALL_MEASURES = DEFAULT_FINALITIES.filter((finality) => finality.startsWith('MESURE_'));

/** The service the shared fixtures were written for: the fictitious root OID itself (mes-interop §6.1). */
const FIXTURES_SERVICE = {
  clientId: 'mes-kit-fixtures',
  name: 'Service des exemples',
  editor: 'mes-kit',
  oid: '1.2.250.1.999.42',
  cguUrl: 'http://localhost:5173/cgu.html',
  clientSecret: 'mes-kit-fixtures-secret',
  redirectUris: ['http://localhost:5173/fixtures/mes/pair/callback'],
  finalities: [...DEFAULT_FINALITIES],
};

/** A plausible value of each measure, in MES's unit, with what glucose needs. */
const VALUES: Record<MeasureKind, Partial<CheckedReading>> = {
  weight: { value: 71.4 },
  height: { value: 168 },
  'heart-rate': { value: 64 },
  'blood-pressure': { systolic: 128, diastolic: 82 },
  temperature: { value: 37.2 },
  'waist-circumference': { value: 82 },
  'blood-glucose': { value: 98, moment: 'fasting' },
  hba1c: { value: 6.1 },
  'interstitial-glucose': { value: 112, days: 14 },
  'glucose-management-index': { value: 6.4, days: 14 },
  steps: { value: 8500 },
  pain: { value: 3 },
  'head-circumference': { value: 35 },
};

let counter = 0;
/** A reading as core's `checkSeries` makes it, from a device of its own unless told. */
function reading(kind: MeasureKind, overrides: Partial<CheckedReading> = {}): CheckedReading {
  return {
    id: `${kind}-${++counter}`,
    kind,
    at: '2026-11-12T08:15:00+01:00',
    device: { serial: `TEST-${kind}-${counter}`, system: EUI64_SYSTEM, kind: 'generic', name: 'Appareil de test' },
    ...VALUES[kind],
    ...overrides,
  };
}

/** Core's bundle for one reading, as a service with that OID sends it for that patient. */
function bundleOf(read: CheckedReading, oid = DEMO_OID, idPe = CAMILLE): any {
  return measureBundle(read, { oid }, idPe);
}
const observationOf = (bundle: any) => bundle.entry[1].resource;
const deviceOf = (bundle: any) => bundle.entry[0].resource;
/** The bundle with its Observation alone, naming a Device that MES already holds. */
function withoutDevice(bundle: any, device: string): any {
  observationOf(bundle).device.reference = device;
  bundle.entry.shift();
  return bundle;
}

interface Outcome {
  resourceType: string;
  issue: { severity: string; code: string; diagnostics: string; expression?: string[] }[];
}
interface Answer {
  resourceType: string;
  type: string;
  entry: { response: { status: string; location: string } }[];
}
interface Searchset {
  resourceType: string;
  type: string;
  total: number;
  link: { relation: string; url: string }[];
  entry?: { fullUrl: string; resource: any; search: { mode: string } }[];
}

describe('sandbox FHIR API: health measures (MES API Mesures de santé v1.5.2)', () => {
  let sandbox: TestSandbox;
  /** The demo portal, granted every measure. */
  let demo: Tokens;
  before(async () => {
    sandbox = await startSandbox({ services: [...defaultConfig().services, FIXTURES_SERVICE] });
    demo = await adminTokens(sandbox.url, 'camille', ALL_MEASURES);
  });
  after(() => sandbox.dispose());

  const post = (tokens: Tokens, body: unknown) =>
    fetch(sandbox.fhirBase, {
      method: 'POST',
      headers: fhirHeaders(tokens, { 'content-type': 'application/fhir+json' }),
      body: JSON.stringify(body),
    });
  const get = (tokens: Tokens, path: string) => fetch(`${sandbox.fhirBase}/${path}`, { headers: fhirHeaders(tokens) });
  const stored = async (type: string, persona = 'camille') => (await adminBundle(sandbox.url, persona, type)).entry;
  /** The resource MES stored at this location (`<type>/<id>`). */
  const storedOne = async (location: string, persona = 'camille'): Promise<Record<string, any>> => {
    const [type, id] = location.split('/');
    const found = (await stored(type, persona)).find((e) => e.resource['id'] === id)?.resource;
    assert.ok(found, `${location} is stored`);
    return found;
  };

  async function filed(tokens: Tokens, body: unknown): Promise<Answer> {
    const response = await post(tokens, body);
    const answer = (await response.json()) as Answer;
    assert.equal(response.status, 200, JSON.stringify(answer));
    assert.equal(answer.type, 'transaction-response');
    return answer;
  }

  /** Sends `body`, expects MES's refusal with exactly this text, and checks that nothing was stored. */
  async function refused(
    body: unknown,
    status: number,
    diagnostics: string | RegExp,
    tokens = demo,
    persona = 'camille',
  ) {
    const counts = async () => [
      (await stored('Observation', persona)).length,
      (await stored('Device', persona)).length,
    ];
    const before = await counts();
    const response = await post(tokens, body);
    const outcome = (await response.json()) as Outcome;
    assert.equal(response.status, status, JSON.stringify(outcome));
    assert.equal(outcome.resourceType, 'OperationOutcome');
    assert.equal(outcome.issue[0].severity, 'error');
    if (typeof diagnostics === 'string') assert.equal(outcome.issue[0].diagnostics, diagnostics);
    else assert.match(outcome.issue[0].diagnostics, diagnostics);
    assert.deepEqual(await counts(), before, 'nothing stored');
    return outcome.issue[0];
  }

  describe('write', () => {
    it('files every measure kind from core’s bundle, each stored as valid FHIR R4 with its device', async () => {
      for (const kind of MEASURE_KINDS) {
        const bundle = bundleOf(reading(kind));
        const answer = await filed(demo, bundle);
        assert.deepEqual(
          answer.entry.map((e) => e.response.status),
          ['201 Created', '201 Created'],
          kind,
        );
        const [deviceAt, observationAt] = answer.entry.map((e) => e.response.location);
        assert.match(deviceAt, /^Device\/[\w-]+$/);
        assert.match(observationAt, /^Observation\/[\w-]+$/);
        const observation = await storedOne(observationAt);
        const device = await storedOne(deviceAt);
        assert.deepEqual(r4Errors(observation), [], `${kind}: ${r4Errors(observation).join('; ')}`);
        assert.deepEqual(r4Errors(device), [], `${kind} device`);
        assert.equal(observation.device.reference, deviceAt, 'the device as MES stored it');
        assert.equal(observation.meta.source, `urn:oid:${DEMO_OID}`);
        assert.deepEqual(observation.code, observationOf(bundle).code);
        assert.deepEqual(observation.valueQuantity, observationOf(bundle).valueQuantity);
        assert.deepEqual(observation.component, observationOf(bundle).component);
        assert.deepEqual(device.identifier, deviceOf(bundle).identifier);
      }
    });

    it('files the shared fixture as is, from the service it was written for, answering as MES does', async () => {
      const tokens = await adminTokens(sandbox.url, 'camille', ['MESURE_POIDS_ECRITURE'], FIXTURES_SERVICE.clientId);
      const answer = await filed(tokens, fixture('mesures/bundle-alimentation-poids.json'));
      const expected = fixture<Answer>('mesures/transaction-response-alimentation.json');
      assert.deepEqual(
        answer.entry.map((e) => e.response.status),
        expected.entry.map((e) => e.response.status),
      );
      assert.deepEqual(
        answer.entry.map((e) => e.response.location.split('/')[0]),
        expected.entry.map((e) => e.response.location.split('/')[0]),
      );
      const observation = await storedOne(answer.entry[1].response.location);
      assert.deepEqual(r4Errors(observation), []);
      assert.equal(observation.meta.source, 'urn:oid:1.2.250.1.999.42');
      assert.equal(observation.valueQuantity.value, 71.4);
      assert.deepEqual(r4Errors(answer), []);
    });

    it('accepts each of the three generations of profile, and no other measure’s', async () => {
      for (const kind of ['weight', 'blood-pressure', 'interstitial-glucose'] as const) {
        const urls = profileUrls(MEASURES[kind].profile);
        assert.equal(urls.length, 3);
        for (const url of urls) {
          const bundle = bundleOf(reading(kind));
          observationOf(bundle).meta.profile = [url];
          const answer = await filed(demo, bundle);
          assert.equal((await storedOne(answer.entry[1].response.location)).meta.profile[0], url);
        }
      }
      const other = bundleOf(reading('weight'));
      observationOf(other).meta.profile = profileUrls(MEASURES['blood-pressure'].profile).slice(0, 1);
      const issue = await refused(other, 422, /^Observation\.meta\.profile must include one of /);
      assert.deepEqual(issue.expression, ['Observation.meta.profile']);
    });

    it('requires meta.profile on the Observation and on the Device, with MES’s texts', async () => {
      const noProfile = bundleOf(reading('weight'));
      delete observationOf(noProfile).meta.profile;
      await refused(noProfile, 422, 'Observation must provide meta.profile value.');
      const noDeviceProfile = bundleOf(reading('weight'));
      delete deviceOf(noDeviceProfile).meta;
      await refused(noDeviceProfile, 422, 'Device must provide meta.profile value.');
    });

    it('refuses a unit other than the measure’s, and a code it does not take', async () => {
      const grams = bundleOf(reading('weight'));
      Object.assign(observationOf(grams).valueQuantity, { value: 71400, unit: 'g', code: 'g' });
      const unit = await refused(grams, 422, /^Observation\.valueQuantity\.code must be kg \(UCUM\)/);
      assert.deepEqual(unit.expression, ['Observation.valueQuantity.code']);
      const pressure = bundleOf(reading('blood-pressure'));
      observationOf(pressure).component[1].valueQuantity.code = 'kPa';
      const component = await refused(pressure, 422, /mm\[Hg\]/);
      assert.deepEqual(component.expression, ['Observation.component[1].valueQuantity.code']);

      const unknown = bundleOf(reading('weight'));
      observationOf(unknown).code.coding = [{ system: 'http://loinc.org', code: '2708-6', display: 'SpO2' }];
      const code = await refused(unknown, 422, /^Observation\.code must be the code of one measure/);
      assert.deepEqual(code.expression, ['Observation.code']);
    });

    it('refuses a BMI, whatever says it is one: MES computes it', async () => {
      const expected = fixture<Outcome>('mesures/operationoutcome-422-imc.json').issue[0];
      const byCode = bundleOf(reading('weight'));
      observationOf(byCode).code.coding = [{ system: 'http://loinc.org', code: '39156-5', display: 'IMC' }];
      Object.assign(observationOf(byCode).valueQuantity, { value: 24.2, unit: 'kg/m2', code: 'kg/m2' });
      const issue = await refused(byCode, 422, expected.diagnostics);
      assert.equal(issue.code, expected.code);
      const byProfile = bundleOf(reading('weight'));
      observationOf(byProfile).meta.profile = [
        'https://interop.esante.gouv.fr/ig/fhir/mesures/StructureDefinition/mesures-fr-observation-bmi',
      ];
      await refused(byProfile, 422, 'Bmi observation cannot be created.');
    });

    it('takes meta.source under the service’s own OID only, and fills it when absent', async () => {
      const text = `Solution oid contains in Observation.meta.source don't belong to root editor oid (${DEMO_OID}).`;
      for (const source of [`urn:oid:${GLYCEMIE_OID}`, `urn:oid:${DEMO_OID}0`, 'urn:oid:1.2.250.1.999', DEMO_OID]) {
        const bundle = bundleOf(reading('weight'));
        observationOf(bundle).meta.source = source;
        const issue = await refused(bundle, 422, text);
        assert.deepEqual(issue.expression, ['Observation.meta.source'], source);
      }
      const subOid = bundleOf(reading('weight'));
      observationOf(subOid).meta.source = `urn:oid:${DEMO_OID}.3.1`;
      const kept = await filed(demo, subOid);
      assert.equal((await storedOne(kept.entry[1].response.location)).meta.source, `urn:oid:${DEMO_OID}.3.1`);

      const absent = bundleOf(reading('weight'));
      delete observationOf(absent).meta.source;
      const filledIn = await filed(demo, absent);
      assert.equal((await storedOne(filledIn.entry[1].response.location)).meta.source, `urn:oid:${DEMO_OID}`);
    });

    it('never takes a sub-OID that is another registered service’s', async () => {
      const tokens = await adminTokens(sandbox.url, 'camille', ['MESURE_POIDS_ECRITURE'], FIXTURES_SERVICE.clientId);
      const bundle = bundleOf(reading('weight'), FIXTURES_SERVICE.oid);
      observationOf(bundle).meta.source = `urn:oid:${BALANCE_OID}.1`;
      await refused(
        bundle,
        422,
        "Solution oid contains in Observation.meta.source don't belong to root editor oid (1.2.250.1.999.42).",
        tokens,
      );
    });

    it('requires the subject identifier, and refuses another patient with MES’s idPe 403', async () => {
      const none = bundleOf(reading('weight'));
      delete observationOf(none).subject;
      await refused(none, 422, 'Observation.subject.identifier is mandatory.');
      const byReference = bundleOf(reading('weight'));
      observationOf(byReference).subject = { reference: `Patient/${CAMILLE}` };
      await refused(byReference, 422, 'Observation.subject.identifier is mandatory.');
      const issue = await refused(bundleOf(reading('weight'), DEMO_OID, NADIA), 403, IDPE);
      assert.equal(issue.code, 'forbidden');
      const byIns = bundleOf(reading('weight'));
      observationOf(byIns).subject.identifier = { system: 'urn:oid:1.2.250.1.213.1.4.10', value: '279035121518989' };
      await filed(demo, byIns);
    });

    it('refuses a measure whose finalité is not granted, with MES’s consent 403', async () => {
      const expected = fixture<Outcome>('mesures/operationoutcome-403-consentement.json').issue[0];
      const weightOnly = await adminTokens(sandbox.url, 'camille', ['MESURE_POIDS_ECRITURE'], 'mes-kit-balance');
      const issue = await refused(bundleOf(reading('blood-pressure'), BALANCE_OID), 403, CONSENT, weightOnly);
      assert.equal(issue.code, expected.code);
      const readOnly = await adminTokens(sandbox.url, 'camille', ['MESURE_TENSION_LECTURE'], 'mes-kit-balance');
      await refused(bundleOf(reading('blood-pressure'), BALANCE_OID), 403, CONSENT, readOnly);
      const writer = await adminTokens(sandbox.url, 'camille', ['MESURE_TENSION_ECRITURE'], 'mes-kit-balance');
      await filed(writer, bundleOf(reading('blood-pressure'), BALANCE_OID));
    });

    it('takes one Observation, at most one Device, and nothing else, by POST', async () => {
      const one = 'Bundle must contains one observation creation (POST)';
      const two = bundleOf(reading('weight'));
      two.entry.push({ ...two.entry[1], fullUrl: `urn:uuid:${crypto.randomUUID()}` });
      await refused(two, 422, one);
      const deviceOnly = bundleOf(reading('weight'));
      deviceOnly.entry.pop();
      await refused(deviceOnly, 422, one);

      const withDocument = bundleOf(reading('weight'));
      withDocument.entry.push({
        fullUrl: `urn:uuid:${crypto.randomUUID()}`,
        resource: { resourceType: 'DocumentReference', status: 'current' },
        request: { method: 'POST', url: 'DocumentReference' },
      });
      const document = await refused(
        withDocument,
        422,
        'Resource of type DocumentReference is not acceptable with method POST.',
      );
      assert.deepEqual(document.expression, ['Bundle.entry[2]']);
      const byPut = bundleOf(reading('weight'));
      byPut.entry[1].request = { method: 'PUT', url: 'Observation' };
      await refused(byPut, 422, 'Resource of type Observation is not acceptable with method PUT.');
      await refused({ resourceType: 'Observation' }, 400, 'Bundle not valid.');
    });

    it('links the Observation to its device by the Device’s id, not its fullUrl', async () => {
      const missing = bundleOf(reading('weight'));
      delete observationOf(missing).device;
      await refused(missing, 422, 'Observation.device.reference is mandatory.');
      const notLinked = 'Observation and device not linked by id (Observation.device.reference <-> Device.id)';
      const byFullUrl = bundleOf(reading('weight'));
      observationOf(byFullUrl).device.reference = byFullUrl.entry[0].fullUrl;
      await refused(byFullUrl, 422, notLinked);
      const other = bundleOf(reading('weight'));
      observationOf(other).device.reference = `Device/${crypto.randomUUID()}`;
      const issue = await refused(other, 422, notLinked);
      assert.deepEqual(issue.expression, ['Observation.device.reference']);
    });

    it('creates a device once: 201, then 200 with the same Device, for every reading that names it', async () => {
      const device = reading('weight').device;
      const first = await filed(demo, bundleOf(reading('weight', { device })));
      const second = await filed(demo, bundleOf(reading('weight', { device })));
      assert.equal(first.entry[0].response.status, '201 Created');
      assert.equal(second.entry[0].response.status, '200 OK');
      assert.equal(second.entry[0].response.location, first.entry[0].response.location);
      const devices = (await stored('Device')).filter((e) => e.resource['identifier'][0].value === device.serial);
      assert.equal(devices.length, 1);
      for (const answer of [first, second]) {
        const observation = await storedOne(answer.entry[1].response.location);
        assert.equal(observation.device.reference, first.entry[0].response.location);
      }

      // A later reading may name the stored device alone; another patient's device is not this patient's.
      const alone = withoutDevice(bundleOf(reading('weight')), first.entry[0].response.location);
      const answer = await filed(demo, alone);
      assert.deepEqual(
        answer.entry.map((e) => e.response.status),
        ['201 Created'],
      );
      const nadia = await adminTokens(sandbox.url, 'nadia', ['MESURE_POIDS_ECRITURE']);
      const foreign = withoutDevice(bundleOf(reading('weight'), DEMO_OID, NADIA), first.entry[0].response.location);
      await refused(
        foreign,
        422,
        'Observation and device not linked by id (Observation.device.reference <-> Device.id)',
        nadia,
        'nadia',
      );
    });

    it('requires a Device condition naming the Device’s own identifier', async () => {
      const none = bundleOf(reading('weight'));
      delete none.entry[0].request.ifNoneExist;
      const issue = await refused(none, 422, /^Bundle\.entry\[0\]\.request\.ifNoneExist must be identifier=/);
      assert.deepEqual(issue.expression, ['Bundle.entry[0].request.ifNoneExist']);
      const another = bundleOf(reading('weight'));
      another.entry[0].request.ifNoneExist = `identifier=${EUI64_SYSTEM}|OTHER-SERIAL`;
      await refused(another, 422, /^Device\.identifier must include/);
    });

    it('files the same reading twice when sent twice: MES does not deduplicate', async () => {
      const read = reading('weight');
      const before = (await stored('Observation')).length;
      const first = await filed(demo, bundleOf(read));
      const second = await filed(demo, bundleOf(read));
      assert.equal((await stored('Observation')).length, before + 2);
      assert.notEqual(first.entry[1].response.location, second.entry[1].response.location);
      const identifiers = await Promise.all(
        [first, second].map(async (a) => (await storedOne(a.entry[1].response.location)).identifier[0].value),
      );
      assert.deepEqual(identifiers, [read.id, read.id]);
    });

    it('applies MES’s glucose rules on moment and number of days, with its four texts', async () => {
      const momentOf = (kind: MeasureKind) =>
        observationResource(reading(kind, { moment: 'fasting' }), {
          service: { oid: DEMO_OID },
          idPe: CAMILLE,
          id: 'x',
          deviceId: 'y',
        })['extension'] as object[];
      const withExtension = (kind: MeasureKind, extra: object[], drop?: string) => {
        const bundle = bundleOf(reading(kind));
        const own = (observationOf(bundle).extension ?? []).filter((e: { url: string }) => e.url !== drop);
        observationOf(bundle).extension = [...own, ...extra];
        return bundle;
      };
      const days = { url: MEASURE_EXTENSIONS.days, valueCodeableConcept: { coding: [{ system: 'x', code: 'y' }] } };
      const fourteen = observationOf(bundleOf(reading('interstitial-glucose'))).extension;

      await refused(
        withExtension('blood-glucose', [], MEASURE_EXTENSIONS.moment),
        422,
        'Observation.extension.moment is mandatory.',
      );
      await refused(
        withExtension('blood-glucose', fourteen),
        422,
        'Observation.extension.numberOfDays cannot be added.',
      );
      await refused(
        withExtension('interstitial-glucose', [], MEASURE_EXTENSIONS.days),
        422,
        'Observation.extension.numberOfDays is mandatory.',
      );
      await refused(
        withExtension('interstitial-glucose', momentOf('blood-glucose')),
        422,
        'Observation.extension.moment cannot be added.',
      );
      await refused(
        withExtension('glucose-management-index', momentOf('blood-glucose')),
        422,
        'Observation.extension.moment cannot be added.',
      );
      await refused(
        withExtension('hba1c', momentOf('blood-glucose')),
        422,
        'Observation.extension.moment cannot be added.',
      );
      await refused(withExtension('hba1c', fourteen), 422, 'Observation.extension.numberOfDays cannot be added.');
      const outOfSet = await refused(
        withExtension('interstitial-glucose', [days], MEASURE_EXTENSIONS.days),
        422,
        /^Observation\.extension\[\d\]\.valueCodeableConcept must be one of GEN-275/,
      );
      assert.match(outOfSet.expression![0], /^Observation\.extension\[\d\]\.valueCodeableConcept$/);
    });

    it('requires a value in valueQuantity, and a blood pressure’s in its two components only', async () => {
      const noValue = bundleOf(reading('weight'));
      delete observationOf(noValue).valueQuantity;
      await refused(noValue, 422, 'Observation value quantity not provided.');
      const asString = bundleOf(reading('weight'));
      delete observationOf(asString).valueQuantity;
      observationOf(asString).valueString = '71,4 kg';
      await refused(asString, 422, /^Observation\.valueString is not taken/);

      const withQuantity = bundleOf(reading('blood-pressure'));
      observationOf(withQuantity).valueQuantity = {
        value: 128,
        unit: 'mmHg',
        system: 'http://unitsofmeasure.org',
        code: 'mm[Hg]',
      };
      const issue = await refused(
        withQuantity,
        422,
        /^Observation\.valueQuantity cannot be provided for a blood pressure/,
      );
      assert.deepEqual(issue.expression, ['Observation.valueQuantity']);
      const systolicOnly = bundleOf(reading('blood-pressure'));
      observationOf(systolicOnly).component.pop();
      await refused(
        systolicOnly,
        422,
        /^Observation\.component must be the systolic \(8480-6\) and the diastolic \(8462-4\)/,
      );
      const noComponentValue = bundleOf(reading('blood-pressure'));
      delete observationOf(noComponentValue).component[0].valueQuantity;
      const component = await refused(noComponentValue, 422, 'Observation value quantity not provided.');
      assert.deepEqual(component.expression, ['Observation.component[0].valueQuantity']);
    });

    it('requires the vital-signs category and the instant it was measured', async () => {
      const noCategory = bundleOf(reading('weight'));
      delete observationOf(noCategory).category;
      await refused(noCategory, 422, /^Observation\.category must include .*#vital-signs/);
      const noDate = bundleOf(reading('weight'));
      delete observationOf(noDate).effectiveDateTime;
      await refused(noDate, 422, /^Observation\.effectiveDateTime is required/);
      const badDate = bundleOf(reading('weight'));
      observationOf(badDate).effectiveDateTime = 'hier';
      await refused(badDate, 422, /^Observation\.effectiveDateTime must be a FHIR dateTime/);
    });
  });

  describe('what no reading carries', () => {
    it('refuses a device name that is not FHIR’s shape, a patient named otherwise than by identifier, a component on a weight', async () => {
      const named = bundleOf(reading('weight'));
      deviceOf(named).deviceName = 'Ma balance';
      await refused(named, 422, /^Device\.deviceName must be of type array/);
      const contained = bundleOf(reading('weight'));
      observationOf(contained).contained = [
        { resourceType: 'Patient', id: 'p', identifier: [{ system: IDPE_SYSTEM, value: NADIA }] },
      ];
      await refused(contained, 422, 'Observation.contained is not taken in a measure.');
      const referenced = bundleOf(reading('weight'));
      observationOf(referenced).subject.reference = 'https://elsewhere.example/Patient/1';
      await refused(referenced, 422, 'Observation.subject names the patient by identifier only.');
      const component = bundleOf(reading('weight'));
      observationOf(component).component = [{ code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] } }];
      await refused(component, 422, 'Observation.component is taken for a blood pressure only.');
      // The patient's page still opens: nothing malformed was stored.
      const { response } = await new Browser().postForm(`${sandbox.url}/login`, { persona: 'camille' }, sandbox.url);
      assert.equal(response.status, 200);
    });
  });

  describe('read', () => {
    /** Élise's weights from the scale vendor, 1 to 7 November, and one from the demo portal. */
    const days = [1, 2, 3, 4, 5, 6, 7];
    const weightAt = (day: number) => `2026-11-0${day}T07:30:00+01:00`;
    const scale = { serial: 'ELISE-SCALE-1', system: EUI64_SYSTEM, kind: 'weight-scale' as const, name: 'Balance' };
    const monitor = { serial: 'ELISE-BP-1', system: EUI64_SYSTEM, kind: 'blood-pressure-monitor' as const };
    let balance: Tokens;
    let demoElise: Tokens;
    before(async () => {
      const finalities = [
        'MESURE_POIDS_ECRITURE',
        'MESURE_POIDS_LECTURE',
        'MESURE_TENSION_ECRITURE',
        'MESURE_TENSION_LECTURE',
      ];
      balance = await adminTokens(sandbox.url, 'elise', finalities, 'mes-kit-balance');
      for (const day of days) {
        await filed(balance, bundleOf(reading('weight', { at: weightAt(day), device: scale }), BALANCE_OID, ELISE));
      }
      for (const day of [2, 6]) {
        const pressure = reading('blood-pressure', { at: weightAt(day), device: monitor });
        await filed(balance, bundleOf(pressure, BALANCE_OID, ELISE));
      }
      demoElise = await adminTokens(sandbox.url, 'elise', ['MESURE_POIDS_ECRITURE', 'MESURE_POIDS_LECTURE']);
      await filed(demoElise, bundleOf(reading('weight', { at: '2026-10-20T08:00:00+02:00' }), DEMO_OID, ELISE));
    });

    const query = (params: Record<string, string | string[]>, idPe = ELISE) => {
      const search = new URLSearchParams({ 'subject.identifier': `${IDPE_SYSTEM}|${idPe}` });
      for (const [key, value] of Object.entries(params)) for (const v of [value].flat()) search.append(key, v);
      return `Observation?${search}`;
    };
    const november = { date: ['ge2026-11-01', 'le2026-11-30'] };
    async function search(tokens: Tokens, path: string): Promise<Searchset> {
      const response = await get(tokens, path);
      const body = (await response.json()) as Searchset;
      assert.equal(response.status, 200, JSON.stringify(body));
      assert.equal(body.type, 'searchset');
      return body;
    }
    async function badRequest(tokens: Tokens, path: string, status: number, diagnostics: string | RegExp) {
      const response = await get(tokens, path);
      const outcome = (await response.json()) as Outcome;
      assert.equal(response.status, status, JSON.stringify(outcome));
      if (typeof diagnostics === 'string') assert.equal(outcome.issue[0].diagnostics, diagnostics);
      else assert.match(outcome.issue[0].diagnostics, diagnostics);
    }
    const matches = (bundle: Searchset) => (bundle.entry ?? []).filter((e) => e.search.mode === 'match');
    const dayOf = (entry: { resource: any }) => new Date(entry.resource.effectiveDateTime).getUTCDate();
    const linkOf = (bundle: Searchset, relation: string) => bundle.link.find((l) => l.relation === relation)?.url;

    it('pages a period by page index, newest first, with self, next and previous links', async () => {
      const first = await search(balance, query({ code: '29463-7', ...november, _count: '3' }));
      assert.equal(first.total, 7);
      assert.deepEqual(matches(first).map(dayOf), [7, 6, 5]);
      assert.equal(new URL(linkOf(first, 'self')!).searchParams.get('_offset'), '0');
      assert.equal(linkOf(first, 'previous'), undefined);
      const next = new URL(linkOf(first, 'next')!);
      assert.equal(next.searchParams.get('_offset'), '1', 'the next page, not the next result');
      assert.deepEqual(next.searchParams.getAll('date'), november.date, 'the query is kept');

      const second = await search(balance, `${next.pathname.replace('/fhir/', '')}${next.search}`);
      assert.deepEqual(matches(second).map(dayOf), [4, 3, 2]);
      assert.equal(new URL(linkOf(second, 'previous')!).searchParams.get('_offset'), '0');
      const third = await search(balance, query({ code: '29463-7', ...november, _count: '3', _offset: '2' }));
      assert.deepEqual(matches(third).map(dayOf), [1]);
      assert.equal(linkOf(third, 'next'), undefined);
      assert.deepEqual(r4Errors(first), []);
    });

    it('returns 50 at most by default, only the period asked for, and several codes at once', async () => {
      const all = await search(balance, query({ code: '29463-7', date: ['ge2026-01-01', 'le2026-12-31'] }));
      assert.equal(all.total, 8);
      assert.equal(matches(all).length, 8);
      const middle = await search(balance, query({ code: '29463-7', date: ['ge2026-11-03', 'le2026-11-05'] }));
      assert.deepEqual(matches(middle).map(dayOf), [5, 4, 3]);
      const both = await search(balance, query({ code: '29463-7,85354-9', ...november }));
      assert.equal(both.total, 9);
    });

    it('refuses a page size above 100, with MES’s text', async () => {
      await badRequest(
        balance,
        query({ code: '29463-7', ...november, _count: '101' }),
        400,
        'Maximum page size allowed is 100. Actual : 101',
      );
      assert.equal(matches(await search(balance, query({ code: '29463-7', ...november, _count: '100' }))).length, 7);
    });

    it('gives the last measure with _sort=-date&_count=1, and only with both', async () => {
      const last = await search(balance, query({ code: '29463-7', _sort: '-date', _count: '1' }));
      assert.equal(last.total, 1);
      assert.deepEqual(matches(last).map(dayOf), [7]);
      assert.equal(linkOf(last, 'next'), undefined);
      const text =
        'Sort parameter must be equals to -date (date DESC) with _count equals to 1 to retrieve last observation';
      await badRequest(balance, query({ code: '29463-7', _sort: '-date' }), 400, text);
      await badRequest(balance, query({ code: '29463-7', _sort: '-date', _count: '2' }), 400, text);
      await badRequest(balance, query({ code: '29463-7', _sort: 'date', _count: '1' }), 400, text);
    });

    it('refuses both modes at once, and no mode at all, with MES’s texts', async () => {
      const both = 'Paged search and search last cannot be requested concurrently';
      await badRequest(balance, query({ code: '29463-7', ...november, _sort: '-date', _count: '1' }), 400, both);
      await badRequest(balance, query({ code: '29463-7', _offset: '1', _sort: '-date', _count: '1' }), 400, both);
      await badRequest(balance, query({ code: '29463-7' }), 400, 'No search mode detected');
      await badRequest(balance, query({ code: '29463-7', date: 'ge2026-11-01' }), 400, /^date must give both bounds/);
    });

    it('includes each device once, not counted in the total', async () => {
      for (const include of ['Observation:device', 'Observation.device']) {
        const bundle = await search(balance, query({ code: '29463-7,85354-9', ...november, _include: include }));
        assert.equal(bundle.total, 9);
        assert.equal(matches(bundle).length, 9);
        const devices = (bundle.entry ?? []).filter((e) => e.search.mode === 'include');
        assert.deepEqual(devices.map((e) => e.resource.identifier[0].value).sort(), ['ELISE-BP-1', 'ELISE-SCALE-1']);
        for (const device of devices) assert.equal(device.fullUrl, `${sandbox.fhirBase}/Device/${device.resource.id}`);
        assert.deepEqual(r4Errors(bundle), []);
      }
      const last = await search(
        balance,
        query({ code: '29463-7', _sort: '-date', _count: '1', _include: 'Observation:device' }),
      );
      assert.equal((last.entry ?? []).filter((e) => e.search.mode === 'include').length, 1);
      await badRequest(
        balance,
        query({ code: '29463-7', ...november, _include: 'Observation:subject' }),
        400,
        /_include/,
      );
    });

    it('reads as core’s client asks: instants as bounds, 100 a page, the devices included', async () => {
      const bundle = await search(
        balance,
        query({
          code: '29463-7',
          date: [`ge${new Date(weightAt(2)).toISOString()}`, `le${new Date(weightAt(4)).toISOString()}`],
          _count: '100',
          _offset: '0',
          _include: 'Observation:device',
        }),
      );
      assert.deepEqual(matches(bundle).map(dayOf), [4, 3, 2]);
    });

    it('reads every measure with LECTURE, only its own with ECRITURE alone, nothing without either', async () => {
      const autumn = { code: '29463-7', date: ['ge2026-10-01', 'le2026-11-30'] };
      assert.equal((await search(balance, query(autumn))).total, 8, 'with LECTURE: the demo portal’s too');
      const writerOnly = await adminTokens(sandbox.url, 'elise', ['MESURE_POIDS_ECRITURE'], 'mes-kit-balance');
      const own = await search(writerOnly, query(autumn));
      assert.equal(own.total, 7);
      assert.ok(matches(own).every((e) => e.resource.meta.source === `urn:oid:${BALANCE_OID}`));
      const demoWriter = await adminTokens(sandbox.url, 'elise', ['MESURE_POIDS_ECRITURE']);
      const demoOwn = await search(demoWriter, query(autumn));
      assert.deepEqual(
        matches(demoOwn).map((e) => e.resource.meta.source),
        [`urn:oid:${DEMO_OID}`],
      );
      await badRequest(demoWriter, query({ ...autumn, code: '29463-7,85354-9' }), 403, CONSENT);
      const none = await adminTokens(sandbox.url, 'elise', ['MESURE_TENSION_LECTURE'], 'mes-kit-balance');
      await badRequest(none, query(autumn), 403, CONSENT);
      balance = await adminTokens(
        sandbox.url,
        'elise',
        ['MESURE_POIDS_ECRITURE', 'MESURE_POIDS_LECTURE', 'MESURE_TENSION_LECTURE'],
        'mes-kit-balance',
      );
    });

    it('requires the caller’s own patient and a measure code', async () => {
      await badRequest(balance, query({ code: '29463-7', ...november }, CAMILLE), 403, IDPE);
      await badRequest(
        balance,
        `Observation?code=29463-7&date=ge2026-11-01&date=le2026-11-30`,
        400,
        /subject\.identifier is required/,
      );
      await badRequest(balance, query(november), 400, /^code is required/);
      await badRequest(balance, query({ code: '2708-6', ...november }), 400, /is not a measure of Mon espace santé/);
      await badRequest(balance, query({ code: '29463-7', ...november, patient: 'x' }), 400, /Unknown search parameter/);
    });

    it('reads one Observation by id: the patient’s own, readable by this service', async () => {
      const [latest] = matches(await search(balance, query({ code: '29463-7', _sort: '-date', _count: '1' })));
      const response = await get(balance, `Observation/${latest.resource.id}`);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), latest.resource);
      const camille = await adminTokens(sandbox.url, 'camille', ['MESURE_POIDS_LECTURE'], 'mes-kit-balance');
      assert.equal((await get(camille, `Observation/${latest.resource.id}`)).status, 404, 'another patient’s');
      const demoWriter = await adminTokens(sandbox.url, 'elise', ['MESURE_POIDS_ECRITURE']);
      assert.equal((await get(demoWriter, `Observation/${latest.resource.id}`)).status, 404, 'another service’s');
    });
  });

  describe('patient page', () => {
    async function page(persona: string): Promise<string> {
      const { response } = await new Browser().postForm(`${sandbox.url}/login`, { persona }, sandbox.url);
      return (await response.text()).replace(/\s+/g, ' ');
    }

    it('shows a blood pressure as people read it, and a device’s name as text', async () => {
      const tokens = await adminTokens(sandbox.url, 'louis', ['MESURE_TENSION_ECRITURE'], 'mes-kit-balance');
      const name = '<script>alert(1)</script> Tensio';
      const device = { serial: 'LOUIS-BP-1', system: EUI64_SYSTEM, kind: 'blood-pressure-monitor' as const, name };
      await filed(tokens, bundleOf(reading('blood-pressure', { device }), BALANCE_OID, 'patient-externe-id-4'));
      const html = await page('louis');
      assert.match(html, /128\/82 mmHg/);
      assert.doesNotMatch(html, /mm\[Hg\]/);
      assert.doesNotMatch(html, /<script/);
      assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt; Tensio/);
      assert.match(html, /Envoyé par Pesée\+ — balance et tensiomètre connectés/);
      assert.match(html, /<svg class="measure-chart"[^>]* role="img" aria-labelledby="graphique-blood-pressure"/);
      assert.match(
        html,
        /<title id="graphique-blood-pressure">Pression artérielle : 1 mesure, le [^<]+ : 128\/82 mmHg\.<\/title>/,
      );
      assert.doesNotMatch(html, /\sstyle=/, 'no inline style under the page’s CSP');
    });

    it('shows Camille’s seeded weights and blood pressures, from the scale vendor and its devices', async () => {
      const html = await page('camille');
      assert.match(html, /<h3>Poids corporel<\/h3>/);
      assert.match(html, /<h3>Pression artérielle<\/h3>/);
      assert.match(html, /\d+(,\d)? kg/);
      assert.match(html, /Appareil : Ma balance/);
      assert.match(html, /Appareil : Mon tensiomètre/);
      assert.match(html, /Envoyé par Pesée\+ — balance et tensiomètre connectés/);
    });

    it('draws 1,344 glucose readings with 200 points at most, their peaks kept', () => {
      const store = new MemoryStore();
      const nadia = personaByKey('nadia')!;
      const device = { serial: 'CGM-1', system: EUI64_SYSTEM, kind: 'continuous-glucose-monitor' as const };
      const start = Date.parse('2026-11-01T00:00:00Z');
      for (let i = 0; i < 1344; i++) {
        const value = i === 700 ? 320 : i === 900 ? 45 : 100 + 40 * Math.sin(i / 10);
        const observation = observationResource(
          reading('interstitial-glucose', { at: new Date(start + i * 15 * 60_000).toISOString(), value, device }),
          { service: { oid: GLYCEMIE_OID }, idPe: NADIA, id: `g-${i}`, deviceId: 'cgm' },
        );
        store.put({
          type: 'Observation',
          id: `g-${i}`,
          persona: 'nadia',
          versionId: 1,
          lastUpdated: '',
          resource: observation as any,
        });
      }
      const html = measuresSection(store, defaultConfig(), nadia).value.replace(/\s+/g, ' ');
      const points = /<polyline[^>]* points="([^"]*)"/.exec(html)![1].split(' ');
      assert.ok(points.length <= MAX_CHART_POINTS, `${points.length} points`);
      assert.ok(points.length >= MAX_CHART_POINTS / 2);
      const ys = points.map((point) => Number(point.split(',')[1]));
      assert.equal(Math.min(...ys), 4, 'the highest reading is drawn');
      assert.equal(Math.max(...ys), 76, 'the lowest reading is drawn');
      assert.match(html, /1 344 mesures/);
      assert.match(html, /de 45 mg\/dL à 320 mg\/dL/);
      assert.match(html, /Envoyé par GlycoSuivi — capteur de glucose/);
    });
  });
});
