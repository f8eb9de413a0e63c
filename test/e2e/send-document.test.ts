import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright';
import type { AuditEntry } from '../../packages/gateway/src/index.js';
import { JWT, startPortal, type Portal } from '../helpers/portal.js';
import { adminBundle, type TestSandbox } from '../helpers/sandbox.js';

describe('end to end: demo portal → gateway → sandbox, in Chromium', () => {
  let product: Portal;
  let sandbox: TestSandbox;
  let browser: Browser;
  let portal: string;
  let audit: AuditEntry[];

  before(async () => {
    product = await startPortal();
    ({ sandbox, browser, audit, url: portal } = product);
  });
  after(() => product?.close());

  /** Every URL the portal page and its popup visit or call. */
  function watchUrls(context: BrowserContext) {
    const urls: string[] = [];
    context.on('request', (request) => urls.push(request.url()));
    return urls;
  }

  async function sendFirstDocument(page: Page, context: BrowserContext, pair: boolean) {
    const button = page.locator('mes-send-document-button').first();
    await page.waitForFunction(() => !!document.querySelector('mes-send-document-button')?.document);
    if (pair) {
      const [popup] = await Promise.all([context.waitForEvent('page'), button.getByRole('button').click()]);
      await popup.getByRole('button', { name: /Camille Martin/ }).click();
      await popup.getByRole('switch', { name: 'Ajouter des documents de santé' }).check();
      await popup.getByRole('button', { name: 'Valider mes choix' }).click();
      await popup.waitForEvent('close');
    } else {
      await button.getByRole('button').click();
    }
    await page.waitForFunction(
      () => document.querySelector('mes-send-document-button')?.matches(':state(success)'),
      null,
      { timeout: 20_000 },
    );
    return (await button.locator('[part="status"]').textContent())!.trim();
  }

  it('pairs in a popup, sends the discharge letter once, and leaves no token in the browser', async () => {
    const context = await browser.newContext();
    const urls = watchUrls(context);
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to|Trusted Type/.test(message.text())) violations.push(message.text());
    });
    await page.goto(portal);
    const before = (await adminBundle(sandbox.url, 'camille', 'DocumentReference')).total;

    assert.equal(await sendFirstDocument(page, context, true), 'Envoyé vers Mon espace santé');
    const docs = await adminBundle(sandbox.url, 'camille', 'DocumentReference');
    assert.equal(docs.total, before + 1);
    const doc = docs.entry.at(-1)!.resource;
    assert.equal(doc['content'][0].attachment.title, 'Lettre de liaison de sortie — chirurgie digestive');
    assert.equal(doc['type'].coding[0].code, '11490-0');
    assert.equal(doc['category'][0].coding[0].code, '10');
    assert.equal(doc['context'].facilityType.coding[0].code, 'SNR');
    assert.equal(
      doc['contained'].find((r: any) => r.resourceType === 'Device').identifier[0].value,
      'urn:oid:1.2.250.1.999.42.1',
    );
    assert.equal(doc['subject'].identifier.value, 'patient-externe-id-2');
    const binaryId = doc['content'][0].attachment.url.split('/').pop();
    const binary = (await adminBundle(sandbox.url, 'camille', 'Binary')).entry.find(
      (e) => e.resource['id'] === binaryId,
    )!;
    const original = readFileSync(new URL('../../demo/public/documents/lettre-de-liaison.pdf', import.meta.url));
    assert.deepEqual(Buffer.from(binary.resource['data'], 'base64'), original, 'identical bytes');

    // Sending the same document again, after a reload, leaves exactly one.
    await page.reload();
    assert.equal(await sendFirstDocument(page, context, false), 'Ce document est déjà dans Mon espace santé');
    assert.equal((await adminBundle(sandbox.url, 'camille', 'DocumentReference')).total, before + 1);

    const storage = await page.evaluate(() => ({
      local: JSON.stringify({ ...localStorage }),
      session: JSON.stringify({ ...sessionStorage }),
      cookie: document.cookie,
    }));
    assert.deepEqual(
      storage,
      { local: '{}', session: '{}', cookie: '' },
      'nothing in web storage or script-readable cookies',
    );
    assert.ok(urls.length > 5);
    for (const url of urls) {
      assert.doesNotMatch(url, JWT, url);
      assert.doesNotMatch(url, /access_token|id_token|refresh_token/, url);
    }
    assert.ok(audit.some((e) => e.action === 'ITI-65 transaction' && e.status === 200));
    assert.deepEqual(violations, [], 'no violation of the strict CSP (Trusted Types enforced)');
    await context.close();
  });

  it('the Clinique des Tilleuls brand is the same page restyled by custom properties', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${portal}/tilleuls.html`);
    const button = page.locator('mes-send-document-button').first().locator('[part="button"]');
    await button.waitFor();
    const style = await button.evaluate((node) => {
      const computed = getComputedStyle(node);
      return { background: computed.backgroundColor, radius: computed.borderTopLeftRadius, font: computed.fontFamily };
    });
    assert.equal(style.background, 'rgb(31, 92, 58)');
    assert.equal(style.radius, '999px');
    assert.match(style.font, /DejaVu Serif/);
    assert.equal(await page.title(), 'Mes documents — Clinique des Tilleuls');
    await page.getByRole('heading', { name: 'Clinique des Tilleuls — espace patient' }).waitFor();
    await page.getByRole('link', { name: 'Hôpital Lumière' }).click();
    assert.equal(await page.title(), 'Mes documents — Hôpital Lumière');
    assert.equal(await page.locator('html').getAttribute('data-brand'), 'lumiere');
    await page.goto(portal);
    const lumiere = await page
      .locator('mes-send-document-button')
      .first()
      .locator('[part="button"]')
      .evaluate((node) => getComputedStyle(node).backgroundColor);
    assert.equal(lumiere, 'rgb(29, 42, 120)');
    await context.close();
  });
});
