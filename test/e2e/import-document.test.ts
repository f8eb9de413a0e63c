import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright';
import { acceptInMes, startPortal, type Portal } from '../helpers/portal.js';
import { storedDocument, type TestSandbox } from '../helpers/sandbox.js';

/** A title MES stores as sent: markup and script, which the page must show as text and never run. */
const HOSTILE_TITLE = '<img src=x onerror="window.__pwned=1">Compte rendu <script>window.__pwned=2</script>';

interface Received {
  index: number;
  title: string;
  name: string;
  size: number;
}

describe('end to end: import from MES to a vendor’s back end, in Chromium', () => {
  let product: Portal;
  let sandbox: TestSandbox;
  let portal: string;

  before(async () => {
    product = await startPortal();
    ({ sandbox, url: portal } = product);
    const seeded = await fetch(`${sandbox.url}/sandbox/patients/camille/documents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: HOSTILE_TITLE }),
    });
    assert.equal(seeded.status, 201);
  });
  after(() => product?.close());

  async function openAs(page: Page, path: string, name: string) {
    await page.goto(`${portal}${path}`);
    await page.locator('#accounts').getByRole('button', { name }).click();
    await page.locator('mes-import-document-button').waitFor();
  }

  const received = (page: Page, vendor: string) =>
    page.evaluate(
      async (path) => (await (await fetch(path, { credentials: 'same-origin' })).json()) as Received[],
      `/portal/received/${vendor}`,
    );

  it('pairs for DOC_LECTURE, and the practitioner’s back end receives two documents byte for byte', async () => {
    const context = await product.browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/.test(message.text())) errors.push(message.text());
    });
    await openAs(page, '/teleconsultation.html', 'Camille Martin');
    assert.deepEqual(await received(page, 'teleconsultation'), []);

    const importButton = page.locator('mes-import-document-button').getByRole('button', {
      name: 'Importer depuis Mon espace santé',
    });
    const [popup] = await Promise.all([context.waitForEvent('page'), importButton.click()]);
    await acceptInMes(popup, 'Camille Martin', async () => {
      // A vendor that registered reading only asks for reading only.
      await popup.getByText('Consultanet — téléconsultation').first().waitFor();
    });

    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const list = dialog.getByRole('listbox');
    await list.getByRole('option', { name: /Bilan lipidique/ }).waitFor();

    // MES's text shown as text: the markup is visible, nothing of it runs or becomes an element.
    await list
      .getByRole('option', { name: /Compte rendu/ })
      .first()
      .waitFor();
    const hostile = await page.evaluate(() => {
      const picker = document
        .querySelector('mes-import-document-button')!
        .shadowRoot!.querySelector('mes-document-picker')!;
      const options = [...picker.shadowRoot!.querySelectorAll('[role="option"]')];
      return {
        texts: options.map((option) => option.textContent ?? ''),
        images: picker.shadowRoot!.querySelectorAll('img').length,
        pwned: (window as { __pwned?: number }).__pwned ?? null,
      };
    });
    assert.ok(
      hostile.texts.some((text) => text.includes('<img src=x onerror=')),
      'the title is shown as written',
    );
    assert.equal(hostile.images, 0);
    assert.equal(hostile.pwned, null);

    await list.getByRole('option', { name: /Bilan lipidique/ }).click();
    await list.getByRole('option', { name: /Numération formule sanguine/ }).click();
    await dialog.getByRole('button', { name: /Importer 2 documents/ }).click();
    await page.waitForFunction(
      () => document.querySelector('mes-import-document-button')?.matches(':state(success)'),
      undefined,
      { timeout: 20_000 },
    );
    await page.locator('#received li').nth(1).waitFor();

    const got = await received(page, 'teleconsultation');
    assert.deepEqual(got.map((doc) => doc.title).sort(), ['Bilan lipidique', 'Numération formule sanguine']);
    for (const doc of got) {
      const bytes = await page.evaluate(
        async (path) => [...new Uint8Array(await (await fetch(path)).arrayBuffer())],
        `/portal/received/teleconsultation/${doc.index}`,
      );
      const id = doc.title === 'Bilan lipidique' ? 'camille-doc-03' : 'camille-doc-04';
      const stored = await storedDocument(sandbox.url, id);
      assert.equal(stored.doc['content'][0].attachment.title, doc.title);
      assert.deepEqual(Buffer.from(bytes), stored.bytes, `${doc.title}: identical bytes`);
      assert.equal(doc.size, stored.bytes.length);
    }
    // What the practitioner will receive is on the page: names and a preview.
    assert.equal(await page.locator('#received li iframe').count(), 2);
    assert.deepEqual(errors, []);
    await page.screenshot({ path: '/tmp/e2e-teleconsultation.png', fullPage: true });
    await context.close();
  });

  it('the pharmacy imports one prescription, chosen among « Ordonnances et soins »', async () => {
    const context = await product.browser.newContext();
    const page = await context.newPage();
    await openAs(page, '/pharmacie.html', 'Camille Martin');
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      page
        .locator('mes-import-document-button')
        .getByRole('button', { name: 'Importer depuis Mon espace santé' })
        .click(),
    ]);
    await acceptInMes(popup, 'Camille Martin');
    const list = page.getByRole('dialog').getByRole('listbox');
    const prescription = list.getByRole('option', { name: /Ordonnance de médicaments/ });
    await prescription.waitFor();
    assert.equal(await list.getByRole('option', { name: /Bilan lipidique/ }).count(), 0, 'prescriptions only');
    await prescription.click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /^Importer/ })
      .click();
    await page.locator('#received li').first().waitFor();
    assert.deepEqual(
      (await received(page, 'pharmacie')).map((doc) => doc.title),
      ['Ordonnance de médicaments'],
    );
    await page.screenshot({ path: '/tmp/e2e-pharmacie.png', fullPage: true });
    await context.close();
  });
});
