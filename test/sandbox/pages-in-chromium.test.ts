/**
 * The pages a patient sees in the sandbox — the patient page, « Désynchroniser », and MES's login,
 * consent and error pages in the pairing window — in Chromium at a phone's width (375 px), filled
 * with what services send at worst (long titles, unbroken words): no horizontal scroll, zero axe
 * violations, French typography in every French text, and values as people read them.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright';
import { MesClient, inProcessTransport, type InProcessMes } from '@mes-kit/core';
import { args, executablePath } from '../helpers/chromium.mjs';
import { pdfBlob } from '../helpers/documents.js';
import { frenchTypographyProblems } from '../helpers/french-typography.js';
import {
  DEMO,
  TILLEULS,
  adminTokens,
  authorizeWithQuery,
  pairingRequest,
  pairingsOf,
  startSandbox,
  type TestSandbox,
} from '../helpers/sandbox.js';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const WIDTH = 375;
const LONG = 'Anticonstitutionnellementinterminablementincompréhensiblementsansaucuneespace';
const DEMO_NAME = 'Hôpital Lumière — portail patient';
/** Scopes whose finalités' texts the consent page shows in full. */
const SCOPE = 'openid DOC_ECRITURE DOC_LECTURE AGENDA_ECRITURE MESURE_POIDS_ECRITURE';

/**
 * The page's text, but for what is marked as another language (a server's own English description).
 * Strings, so that the test runner's transform stays out of the page.
 */
const FRENCH_TEXT = `(() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let text = '';
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const lang = node.parentElement.closest('[lang]')?.getAttribute('lang') ?? 'fr';
    if (lang.startsWith('fr')) text += node.data;
  }
  return text.replace(/[\\t\\n ]+/g, ' ');
})()`;
const AXE_VIOLATIONS = `axe
  .run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] })
  .then((results) => results.violations.map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`;

describe('sandbox pages in Chromium at 375 px: no horizontal scroll, no axe violation, French typography', () => {
  let sandbox: TestSandbox;
  let browser: Browser;
  let page: Page;

  before(async () => {
    sandbox = await startSandbox();
    // Élise's MES holds what the demo portal sent, worst case for a narrow screen.
    const mes: InProcessMes = {
      fhirBase: sandbox.fhirBase,
      fetch: (input, init) => fetch(input, init),
      pair: (persona, finalities, clientId) => adminTokens(sandbox.url, persona, finalities, clientId),
    };
    const client = new MesClient({
      transport: inProcessTransport(mes, {
        persona: 'elise',
        clientId: DEMO.clientId,
        service: { oid: '1.2.250.1.999.42.1', name: DEMO_NAME },
        pairedWith: [
          'DOC_ECRITURE',
          'AGENDA_ECRITURE',
          'MESURE_POIDS_ECRITURE',
          'MESURE_TENSION_ECRITURE',
          'MESURE_TEMPERATURE_ECRITURE',
          'MESURE_GLYCEMIE_ECRITURE',
        ],
      }),
    });
    await client.sendDocument({
      file: pdfBlob('long'),
      title: `Compte rendu opératoire ${LONG}`,
      type: '11488-4',
      date: '2024-03-14T10:00:00+01:00',
    });
    const agenda = await client.syncAgenda([
      {
        id: 'RDV-long',
        title: `Consultation ${LONG}`,
        start: '2030-04-01T08:00:00Z',
        end: '2030-04-01T08:30:00Z',
        with: { kind: 'professional', name: `Dr ${LONG}` },
        speciality: { code: 'SM54', display: 'Médecine générale' },
        place: { name: `Centre ${LONG}`, address: { lines: [`12 rue ${LONG}`], postalCode: '69000', city: 'Lyon' } },
      },
    ]);
    assert.equal(agenda.failed, 0);
    const device = (
      serial: string,
      kind: 'weight-scale' | 'blood-pressure-monitor' | 'thermometer' | 'glucose-meter',
    ) => ({
      serial: `FE-ED-AB-AA-DE-AD-00-${serial}`,
      kind,
      name: `Appareil ${LONG}`,
    });
    const at = '2026-11-20T08:05:00+01:00';
    const measures = await client.sendMeasures([
      { kind: 'weight', device: device('01', 'weight-scale'), readings: [{ at, value: 71.4 }] },
      {
        kind: 'blood-pressure',
        device: device('02', 'blood-pressure-monitor'),
        readings: [{ at, systolic: 128, diastolic: 82 }],
      },
      { kind: 'temperature', device: device('03', 'thermometer'), readings: [{ at, value: 37.2 }] },
      { kind: 'hba1c', device: device('04', 'glucose-meter'), readings: [{ at, value: 6.5 }] },
    ]);
    assert.equal(measures.total.failed, 0);
    await adminTokens(sandbox.url, 'elise', ['DOC_LECTURE'], TILLEULS.clientId);

    browser = await chromium.launch({ executablePath, args });
    // The pages allow no script: axe comes in past their CSP.
    const context = await browser.newContext({ viewport: { width: WIDTH, height: 800 }, bypassCSP: true });
    page = await context.newPage();
  });
  after(async () => {
    await browser?.close();
    await sandbox?.dispose();
  });

  async function expectReadable(where: string) {
    const scrollWidth = await page.evaluate<number>('document.documentElement.scrollWidth');
    assert.ok(scrollWidth <= WIDTH, `${where}: ${scrollWidth} px wide, no horizontal scroll at ${WIDTH} px`);
    await page.addScriptTag({ path: AXE });
    assert.deepEqual(await page.evaluate<string[]>(AXE_VIOLATIONS), [], `${where}: axe`);
    const text = await page.evaluate<string>(FRENCH_TEXT);
    assert.deepEqual(frenchTypographyProblems(text), [], `${where}: French typography`);
    return text;
  }

  it('the persona picker', async () => {
    await page.goto(sandbox.url);
    const text = await expectReadable('persona picker');
    assert.match(text, /Adulte\u00a0: documents/);
  });

  it('the patient page: documents by their own date, values in people’s units, services one by one', async () => {
    await page.getByRole('button', { name: /Élise Petit/ }).click();
    await page.waitForURL(`${sandbox.url}/`);
    const text = await expectReadable('patient page');
    assert.match(text, /Mon espace santé d’Élise/);

    const document = page.locator('.document', { hasText: 'Compte rendu opératoire' });
    assert.match(await document.innerText(), /Document du 14 mars 2024, reçu le /);
    for (const value of ['71,4\u00a0kg', '128/82\u00a0mmHg', '37,2\u00a0°C', '6,5\u00a0%']) {
      assert.ok(text.includes(value), `« ${value} » on the page`);
    }
    assert.doesNotMatch(text, /mm\[Hg\]|Cel\b/);
    assert.match(text, /le 20 nov\. 2026, 8\u00a0h\u00a005/, 'a measure’s hour as « 8 h 05 », not « 08:05 »');
    assert.match(text, /lundi 1er avril 2030, 10\u00a0h\u00a000/);

    const services = page.locator('#services + .services > .service');
    assert.equal(await services.count(), 2, 'one entry per synchronised service');
    const demo = services.filter({ has: page.getByRole('heading', { name: DEMO_NAME }) });
    const summary = (await demo.locator('.service-summary').innerText()).replace(/\s+/g, ' ');
    assert.match(summary, /Autorisé à Ajouter des documents de santé, Ajouter mes rendez-vous, Ajouter mon poids/);
    assert.match(summary, /Données envoyées 1 document, 1 rendez-vous, 4 mesures/);
    const tilleuls = services.filter({ has: page.getByRole('heading', { name: /Clinique des Tilleuls/ }) });
    assert.match(await tilleuls.locator('.service-summary').innerText(), /Rien pour le moment/);
  });

  it('changes one service’s finalités with its switches, grouped as they are', async () => {
    await page.goto(sandbox.url);
    const tilleuls = page.locator('.service', { has: page.getByRole('heading', { name: /Clinique des Tilleuls/ }) });
    await tilleuls
      .getByRole('group', { name: 'Agenda' })
      .getByRole('switch', { name: 'Consulter mes rendez-vous' })
      .check();
    await tilleuls.getByRole('button', { name: 'Enregistrer mes choix' }).click();
    await page.waitForURL(`${sandbox.url}/#services`);
    const finalities = Object.fromEntries(
      (await pairingsOf(sandbox.url, 'elise')).map((p) => [p.clientId, p.finalities]),
    );
    assert.deepEqual(finalities[TILLEULS.clientId], ['DOC_LECTURE', 'AGENDA_LECTURE']);
    assert.equal(finalities[DEMO.clientId]?.length, 6, 'the other service is left as it was');
  });

  it('the « Désynchroniser » confirmation', async () => {
    await page.goto(`${sandbox.url}/services/${DEMO.clientId}/desynchroniser`);
    const text = await expectReadable('« Désynchroniser »');
    assert.match(text, new RegExp(`Désynchroniser ${DEMO_NAME}\u00a0\\?`));
  });

  it('MES’s login and consent pages in the pairing window', async () => {
    await page.goto(authorizeWithQuery(sandbox.url, pairingRequest(DEMO, SCOPE).params));
    await expectReadable('login page');
    await page.getByRole('button', { name: /Nadia Haddad/ }).click();
    await page.getByRole('switch').first().waitFor();
    const text = await expectReadable('consent page');
    assert.match(text, /J’autorise Hôpital Lumière — portail patient à effectuer les actions suivantes/);
  });

  it('MES’s error page: the cause and the remedy in French, the server’s own words folded away', async () => {
    await page.goto(authorizeWithQuery(sandbox.url, { ...pairingRequest(DEMO, SCOPE).params, client_id: 'inconnu' }));
    const text = await expectReadable('error page');
    assert.match(text, /ne reconnaît pas le service/);
    assert.match(text, /contactez le service/);
    assert.equal(await page.locator('details.error-details').getAttribute('open'), null, 'details folded');
    assert.match((await page.locator('details.error-details').textContent()) ?? '', /invalid_client/);
  });
});
