import { measuresOf } from '../../demo/measures-data.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright';
import { acceptInMes, startPortal, type Portal } from '../helpers/portal.js';

/** Each vendor's service in MES: the system of its readings' identifiers. */
const BALANCE = 'urn:oid:1.2.250.1.999.42.6';
const GLYCEMIE = 'urn:oid:1.2.250.1.999.42.7';

interface Stored {
  identifier?: { system: string; value: string }[];
}

describe('end to end: the measure vendors’ readings in MES, in Chromium', () => {
  let product: Portal;
  before(async () => {
    product = await startPortal();
  });
  after(() => product?.close());

  /** What MES holds for the persona of this resource type that this service filed. */
  async function stored(persona: string, type: string, system: string): Promise<Stored[]> {
    const response = await fetch(`${product.sandbox.url}/sandbox/patients/${persona}/${type}`);
    const bundle = (await response.json()) as { entry?: { resource: Stored }[] };
    return (bundle.entry ?? [])
      .map((entry) => entry.resource)
      .filter((resource) => resource.identifier?.some((identifier) => identifier.system === system));
  }

  /** A fresh browser on the vendor's page, logged in as its patient; CSP and script errors collected. */
  async function openAs(path: string, name: string) {
    const context: BrowserContext = await product.browser.newContext();
    const page: Page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/.test(message.text())) errors.push(message.text());
    });
    await page.goto(`${product.url}${path}`);
    await page.locator('#accounts').getByRole('button', { name }).click();
    const button = page.locator('mes-send-measures-button');
    await button.getByRole('button', { name: 'Envoyer mes mesures vers Mon espace santé' }).waitFor();
    return { context, page, button, errors };
  }

  const sent = (page: Page) =>
    page.waitForFunction(
      () => document.querySelector('mes-send-measures-button')?.matches(':state(success)'),
      undefined,
      {
        timeout: 60_000,
      },
    );

  async function faults(settings: Record<string, number>) {
    const response = await fetch(`${product.sandbox.url}/sandbox/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(settings),
    });
    assert.equal(response.status, 200);
  }

  it('GlycoSuivi: Nadia’s 1 344 readings, previewed, paired, sent from the vendor’s back end with one answer in ten lost; each filed once; a second run sends nothing', async () => {
    const { context, page, button, errors } = await openAs('/glycemie.html', 'Nadia Haddad');
    await button.getByRole('button', { name: 'Envoyer mes mesures vers Mon espace santé' }).click();
    await button.getByText(/^1\u202f344 mesures de glycémie interstitielle, du \d/).waitFor();
    assert.deepEqual(await stored('nadia', 'Observation', GLYCEMIE), [], 'nothing sent by the preview');
    await page.screenshot({ path: '/tmp/e2e-glycemie-preview.png', fullPage: true });

    // From now on MES files what it is sent, but one answer in ten never comes back.
    await faults({ dropResponseRate: 0.1 });
    try {
      const [popup] = await Promise.all([
        context.waitForEvent('page'),
        button.getByRole('button', { name: 'Envoyer', exact: true }).click(),
      ]);
      await acceptInMes(popup, 'Nadia Haddad');
      await sent(page);
    } finally {
      await faults({});
    }
    assert.equal(
      (await button.locator('[part="status"]').innerText()).trim(),
      'Vos mesures sont dans Mon espace santé\u00a0: 1\u202f344 envoyées.',
    );
    assert.equal(
      await page.locator('#chart-count').innerText(),
      'Dans Mon espace santé\u00a0: 1\u202f344 / 1\u202f344',
    );
    // Read back from MES: every reading, each once.
    const filed = await stored('nadia', 'Observation', GLYCEMIE);
    assert.equal(filed.length, 1344);
    assert.equal(new Set(filed.map((o) => o.identifier?.[0]?.value)).size, 1344, 'no reading filed twice');
    await page.screenshot({ path: '/tmp/e2e-glycemie-sent.png', fullPage: true });

    await button.getByRole('button', { name: 'Envoyer mes mesures vers Mon espace santé' }).click();
    await button.getByRole('button', { name: 'Envoyer', exact: true }).click();
    await sent(page);
    assert.equal((await button.locator('[part~="item-status"]').innerText()).trim(), '1\u202f344 déjà présentes');
    assert.equal((await stored('nadia', 'Observation', GLYCEMIE)).length, 1344, 'nothing twice');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('Pesée+: Camille’s weights, blood pressures, heart rates and temperatures, then the report by ref', async () => {
    const { context, page, button, errors } = await openAs('/balance.html', 'Camille Martin');
    await button.getByRole('button', { name: 'Envoyer mes mesures vers Mon espace santé' }).click();
    await button.getByRole('button', { name: 'Envoyer', exact: true }).waitFor();
    const rows = await button.locator('[part~="item-title"]').allInnerTexts();
    // As many as the vendor holds at this hour (the morning's blood pressure is not taken before 7).
    const held = (kind: string) =>
      measuresOf('balance', 'camille')
        .filter((series) => series.kind === kind)
        .reduce((count, series) => count + series.readings.length, 0);
    assert.deepEqual(
      rows.map((row) => row.replace(/, (du|le) .*$/, '')),
      [
        `${held('weight')} mesures de poids`,
        `${held('blood-pressure')} mesures de tension artérielle`,
        `${held('heart-rate')} mesures de fréquence cardiaque`,
        `${held('temperature')} mesures de température`,
      ],
    );
    assert.equal(held('weight'), 42, 'six weeks of mornings');
    // The sandbox's seed filed three months of her scale and cuff as Pesée+ already.
    const before = (await stored('camille', 'Observation', BALANCE)).length;
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      button.getByRole('button', { name: 'Envoyer', exact: true }).click(),
    ]);
    await acceptInMes(popup, 'Camille Martin');
    await sent(page);
    // What the scale's vendor holds: its readings up to the moment the demo started, so fewer before 7 a.m.
    const offered = measuresOf('balance', 'camille').reduce((count, series) => count + series.readings.length, 0);
    assert.equal((await stored('camille', 'Observation', BALANCE)).length, before + offered);

    // The report: its bytes go from the vendor's back end to MES; the page names it.
    const report = page.locator('#report-list mes-send-document-button');
    const [again] = await Promise.all([context.waitForEvent('page'), report.getByRole('button').click()]);
    await acceptInMes(again, 'Camille Martin');
    await page.waitForFunction(() =>
      document.querySelector('#report-list mes-send-document-button')?.matches(':state(success)'),
    );
    const bundle = (await (
      await fetch(`${product.sandbox.url}/sandbox/patients/camille/DocumentReference`)
    ).json()) as {
      entry?: { resource: { description?: string; content?: { attachment?: { title?: string } }[] } }[];
    };
    const titles = (bundle.entry ?? []).flatMap((entry) => [
      entry.resource.description,
      ...(entry.resource.content ?? []).map((content) => content.attachment?.title),
    ]);
    assert.ok(titles.includes('Bilan Pesée+ — six semaines de mesures'), 'the report is in MES');
    await page.screenshot({ path: '/tmp/e2e-balance-sent.png', fullPage: true });
    assert.deepEqual(errors, []);
    await context.close();
  });
});
