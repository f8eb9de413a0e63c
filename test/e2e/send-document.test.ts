import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext } from 'playwright';
import type { AuditEntry } from '../../packages/gateway/src/index.js';
import { pdfBytes } from '../helpers/documents.js';
import { JWT, acceptInMes, logInToPortal, startPortal, successOf, type Portal } from '../helpers/portal.js';
import { adminBundle, pairingsOf, storedDocument, type TestSandbox } from '../helpers/sandbox.js';

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

  const documentsOf = async (persona: string) => (await adminBundle(sandbox.url, persona, 'DocumentReference')).total;

  it('sends a document the portal holds, byte for byte, without its bytes ever reaching the page', async () => {
    const context = await browser.newContext();
    const urls = watchUrls(context);
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to|Trusted Type/.test(message.text())) violations.push(message.text());
    });
    await logInToPortal(page, portal);
    const before = await documentsOf('camille');

    const letter = 'mes-send-document-button[document-ref="sejour-2026-11-09/lettre-de-liaison"]';
    const [popup] = await Promise.all([context.waitForEvent('page'), page.locator(letter).getByRole('button').click()]);
    // MES shows which portal account is being linked (pushed by the gateway, RFC 9126).
    await acceptInMes(popup, 'Camille Martin', () =>
      popup.getByText('Compte Hôpital Lumière — portail patient : Camille Martin').waitFor(),
    );
    assert.equal(await successOf(page, letter), 'Envoyé vers Mon espace santé');

    const docs = await adminBundle(sandbox.url, 'camille', 'DocumentReference');
    assert.equal(docs.total, before + 1);
    const doc = docs.entry.at(-1)!.resource;
    assert.equal(doc['content'][0].attachment.title, 'Lettre de liaison de sortie — chirurgie digestive');
    assert.equal(doc['type'].coding[0].code, '11490-0');
    assert.equal(doc['author'][0].reference, '#snr', 'the establishment is the author');
    assert.equal(
      doc['contained'].find((r: any) => r.resourceType === 'Device').identifier[0].value,
      'urn:oid:1.2.250.1.999.42.1',
    );
    const { bytes } = await storedDocument(sandbox.url, doc['id']);
    const original = readFileSync(new URL('../../demo/public/documents/lettre-de-liaison.pdf', import.meta.url));
    assert.deepEqual(bytes, original, 'identical bytes');
    assert.ok(
      !urls.some((url) => /\.pdf$|\/portal\/documents\//.test(new URL(url).pathname)),
      'the page never downloaded the document',
    );

    // Sending the same document again, after a reload, leaves exactly one.
    await page.reload();
    await page.locator(letter).getByRole('button').click();
    assert.equal(await successOf(page, letter), 'Ce document est déjà dans Mon espace santé');
    assert.equal(await documentsOf('camille'), before + 1);

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
    for (const url of urls) {
      assert.doesNotMatch(url, JWT, url);
      assert.doesNotMatch(url, /access_token|id_token|refresh_token|Camille/, url);
    }
    assert.ok(audit.some((e) => e.action === 'send-document' && e.status === 200));
    assert.ok(!JSON.stringify(audit).includes('camille'), 'the audit log names no portal user');
    assert.deepEqual(violations, [], 'no violation of the strict CSP (Trusted Types enforced)');

    // A file of the patient's own: raw bytes, filed as the patient's.
    await page.locator('#upload input[type=file]').setInputFiles({
      name: 'ordonnance.pdf',
      mimeType: 'application/pdf',
      buffer: pdfBytes('ordonnance'),
    });
    await page.locator('#upload input[name=title]').fill('Ordonnance du Dr Morel');
    await page.locator('#upload select').selectOption('DOCPAT02');
    await page.locator('#upload-button').getByRole('button').click();
    assert.equal(await successOf(page, '#upload-button'), 'Envoyé vers Mon espace santé');
    const mine = (await adminBundle(sandbox.url, 'camille', 'DocumentReference')).entry.at(-1)!.resource;
    assert.equal(mine['content'][0].attachment.title, 'Ordonnance du Dr Morel');
    assert.equal(mine['type'].coding[0].code, 'DOCPAT02');
    assert.equal(mine['author'][0].reference, '#patient', 'the patient is the author');
    await context.close();
  });

  it('from the page’s own script, nothing the host did not resolve is filed, and MES is out of reach', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await logInToPortal(page, portal);
    const before = await documentsOf('camille');
    // As an attacker would, from the developer tools (a string: the test runner's transform stays out).
    const attempts = await page.evaluate<Record<string, unknown>>(`(async () => {
      const post = async (path, body, headers) => {
        const response = await fetch(path, { method: 'POST', body, headers: { 'x-mes-kit': '1', ...headers } });
        const text = await response.text();
        const code = /"code":"(\\w+)"/.exec(text)?.[1] ?? '';
        const field = /"field":"(\\w+)"/.exec(text)?.[1] ?? '';
        return [response.status, code, field].join(' ').trim();
      };
      const json = { 'content-type': 'application/json' };
      return {
        otherPatientsRef: await post('/mes/operations/send-document', JSON.stringify({ ref: 'consultation-2026-11-20/diabetologie' }), json),
        madeUpRef: await post('/mes/operations/send-document', JSON.stringify({ ref: 'sejour-2026-11-09/../../etc' }), json),
        ownContent: await post(
          '/mes/operations/send-document',
          JSON.stringify({ title: 'Faux compte rendu', type: '11490-0', file: 'JVBERi0xLjQK' }),
          json,
        ),
        uploadAsEstablishment: await post('/mes/operations/send-document', new Blob(['%PDF-1.4\\n']), {
          'content-type': 'application/pdf',
          'x-mes-input': encodeURIComponent(JSON.stringify({ title: 'Lettre', type: '11490-0', author: 'service' })),
        }),
        fhirProxy: (await fetch('/mes/fhir/DocumentReference', { headers: { 'x-mes-kit': '1' } })).status,
        fhirTransaction: (await fetch('/mes/fhir', { method: 'POST', headers: { 'x-mes-kit': '1' }, body: '{}' })).status,
        unknownOperation: await post('/mes/operations/delete-everything', '{}', json),
      };
    })()`);
    assert.deepEqual(attempts, {
      otherPatientsRef: '400 MES_INVALID_INPUT ref',
      madeUpRef: '400 MES_INVALID_INPUT ref',
      ownContent: '400 MES_INVALID_INPUT file',
      uploadAsEstablishment: '400 MES_INVALID_INPUT type',
      fhirProxy: 404,
      fhirTransaction: 404,
      unknownOperation: '403 MES_CONFIGURATION',
    });
    assert.equal(await documentsOf('camille'), before, 'nothing was filed');
    await context.close();
  });

  it('two patients on one browser never reach each other’s pairing', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await logInToPortal(page, portal, 'Camille Martin');
    const session = () =>
      page.evaluate(
        async () =>
          (await (await fetch('/mes/session', { headers: { 'x-mes-kit': '1' } })).json()) as { paired: boolean },
      );
    assert.equal((await session()).paired, true, 'Camille paired in the first test (same sandbox)');

    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.locator('#accounts').getByRole('button', { name: 'Nadia Haddad' }).click();
    await page.locator('mes-send-document-button[document-ref]').first().waitFor();
    assert.equal((await session()).paired, false, 'Nadia does not inherit Camille’s pairing');
    const nadiaBefore = await documentsOf('nadia');
    const camilleBefore = await documentsOf('camille');
    const direct = await page.evaluate(async () => {
      const response = await fetch('/mes/operations/send-document', {
        method: 'POST',
        headers: { 'x-mes-kit': '1', 'content-type': 'application/json' },
        body: JSON.stringify({ ref: 'consultation-2026-11-20/diabetologie' }),
      });
      return `${response.status} ${await response.text()}`;
    });
    assert.match(direct, /^401 .*MES_AUTH_REQUIRED/);
    assert.equal(await documentsOf('camille'), camilleBefore, 'nothing went to Camille’s MES');
    assert.equal(await documentsOf('nadia'), nadiaBefore);
    await page.locator('mes-consent-prompt').getByRole('button', { name: 'Tout accepter' }).waitFor();

    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.locator('#accounts').getByRole('button', { name: 'Camille Martin' }).click();
    await page.locator('mes-send-document-button[document-ref]').first().waitFor();
    assert.equal((await session()).paired, true, 'Camille finds her pairing again');
    await context.close();
  });

  it('Clinique des Tilleuls: the same page restyled by custom properties, paired as a service of its own', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await logInToPortal(page, `${portal}/tilleuls.html`, 'Nadia Haddad');
    const button = page.locator('mes-send-document-button').first().locator('[part="button"]');
    const style = await button.evaluate((node) => {
      const computed = getComputedStyle(node);
      return { background: computed.backgroundColor, radius: computed.borderTopLeftRadius, font: computed.fontFamily };
    });
    assert.equal(style.background, 'rgb(31, 92, 58)');
    assert.equal(style.radius, '999px');
    assert.match(style.font, /DejaVu Serif/);
    assert.equal(await page.title(), 'Mes documents — Clinique des Tilleuls');

    const before = await documentsOf('nadia');
    const [popup] = await Promise.all([context.waitForEvent('page'), button.click()]);
    await acceptInMes(popup, 'Nadia Haddad', () =>
      popup.getByText('Compte Clinique des Tilleuls — portail patient : Nadia Haddad').waitFor(),
    );
    await successOf(page, 'mes-send-document-button');
    const doc = (await adminBundle(sandbox.url, 'nadia', 'DocumentReference')).entry.at(-1)!.resource;
    assert.equal(await documentsOf('nadia'), before + 1);
    assert.equal(
      doc['contained'].find((r: any) => r.resourceType === 'Device').identifier[0].value,
      'urn:oid:1.2.250.1.999.42.3',
      'filed by the Tilleuls service',
    );

    // Another patient on the same computer, whose portal account is not linked yet: MES asks who is
    // there, although its session in this browser is Nadia's, and files nothing in Nadia's profile.
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.locator('#accounts').getByRole('button', { name: 'Camille Martin' }).click();
    const camilleBefore = await documentsOf('camille');
    const [second] = await Promise.all([
      context.waitForEvent('page'),
      page.locator('mes-send-document-button').first().getByRole('button').click(),
    ]);
    await acceptInMes(second, 'Camille Martin', () =>
      second.getByText('Compte Clinique des Tilleuls — portail patient : Camille Martin').waitFor(),
    );
    await successOf(page, 'mes-send-document-button');
    assert.equal(await documentsOf('nadia'), before + 1, 'nothing more in Nadia’s profile');
    assert.equal(await documentsOf('camille'), camilleBefore + 1);
    const tilleulsPairings = async (persona: string) =>
      (await pairingsOf(sandbox.url, persona)).filter((pairing) => pairing.clientId === 'mes-kit-tilleuls').length;
    assert.equal(await tilleulsPairings('nadia'), 1, 'Nadia’s pairing survives Camille logging in to MES');
    assert.equal(await tilleulsPairings('camille'), 1);

    await page.getByRole('link', { name: 'Hôpital Lumière' }).click();
    assert.equal(await page.title(), 'Mes documents — Hôpital Lumière');
    const lumiere = await page
      .locator('mes-send-document-button')
      .first()
      .locator('[part="button"]')
      .evaluate((node) => getComputedStyle(node).backgroundColor);
    assert.equal(lumiere, 'rgb(29, 42, 120)');
    await context.close();
  });
});
