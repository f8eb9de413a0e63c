import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Locator } from 'playwright';
import { JWT, acceptInMes, startPortal, successOf, type Portal } from '../helpers/portal.js';
import { adminBundle, pairingsOf, type TestSandbox } from '../helpers/sandbox.js';

/** Clicks `button` in the prompt, then logs in as Camille and accepts in MES's popup. */
async function pairAsCamille(context: BrowserContext, prompt: Locator, button: string) {
  const [popup] = await Promise.all([
    context.waitForEvent('page'),
    prompt.getByRole('button', { name: button }).click(),
  ]);
  await acceptInMes(popup, 'Camille Martin');
  await prompt.getByText('Synchronisé avec Mon espace santé').waitFor();
}

describe('end to end: direct mode (no back end), in Chromium', () => {
  let product: Portal;
  let sandbox: TestSandbox;
  let browser: Browser;
  let portal: string;

  before(async () => {
    product = await startPortal();
    ({ sandbox, browser, url: portal } = product);
  });
  after(() => product?.close());

  it('pairs in a popup as the public client, sends, unpairs, and leaves no token in storage, cookies or URLs', async () => {
    const context = await browser.newContext();
    const urls: string[] = [];
    context.on('request', (request) => urls.push(request.url()));
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to|Trusted Type/.test(message.text())) violations.push(message.text());
    });
    await page.goto(`${portal}/direct.html`);
    const prompt = page.locator('mes-consent-prompt');
    await prompt.getByRole('switch', { name: 'Ajouter des documents de santé' }).check();
    await pairAsCamille(context, prompt, 'Continuer vers Mon espace santé');

    const before = (await adminBundle(sandbox.url, 'camille', 'DocumentReference')).total;
    await page.waitForFunction(() => !!document.querySelector('mes-send-document-button')?.document);
    await page.locator('mes-send-document-button').getByRole('button').click();
    await successOf(page, 'mes-send-document-button');
    const docs = await adminBundle(sandbox.url, 'camille', 'DocumentReference');
    assert.equal(docs.total, before + 1);
    assert.equal(
      docs.entry.at(-1)!.resource['contained'].find((r: any) => r.resourceType === 'Device').identifier[0].value,
      'urn:oid:1.2.250.1.999.42.2',
    );

    const storage = await page.evaluate(() => ({
      local: JSON.stringify({ ...localStorage }),
      session: JSON.stringify({ ...sessionStorage }),
      cookie: document.cookie,
    }));
    assert.doesNotMatch(`${storage.local} ${storage.session} ${storage.cookie}`, JWT);
    assert.doesNotMatch(`${storage.local} ${storage.session}`, /access_token|id_token|refresh_token/);
    for (const url of urls) assert.doesNotMatch(url, JWT, url);
    assert.doesNotMatch(page.url(), /code=|state=/);
    assert.deepEqual(violations, []);

    await prompt.getByRole('button', { name: 'Désynchroniser' }).click();
    // It ends every exchange: the prompt asks first.
    await prompt.getByRole('dialog').getByRole('button', { name: 'Désynchroniser' }).click();
    await prompt.getByText('Ce service n’est plus synchronisé avec Mon espace santé.').waitFor();
    assert.deepEqual(
      (await pairingsOf(sandbox.url)).filter((p) => p.clientId === 'mes-kit-public'),
      [],
    );
    await context.close();
  });

  it('with the popup blocked, pairs in the tab instead: MES sends the patient back, the tokens stay in memory', async () => {
    const context = await browser.newContext();
    await context.addInitScript(() => {
      window.open = () => null;
    });
    const page = await context.newPage();
    await page.goto(`${portal}/direct.html`);
    const prompt = page.locator('mes-consent-prompt');
    await prompt.getByRole('button', { name: 'Tout accepter' }).click();
    await prompt
      .getByText(
        'Votre navigateur a bloqué la fenêtre Mon espace santé. Autorisez les fenêtres de ce site, puis réessayez.',
      )
      .waitFor();
    await prompt.getByRole('button', { name: 'Continuer la synchronisation dans cet onglet' }).click();
    await page.getByRole('button', { name: /Nadia Haddad/ }).click();
    await page.getByRole('button', { name: 'Tout accepter' }).click();
    await page.waitForURL(`${portal}/direct.html`);
    await prompt.getByText('Synchronisé avec Mon espace santé').waitFor();
    assert.doesNotMatch(page.url(), /code=|state=/, 'the code left the address bar');
    const storage = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
    assert.doesNotMatch(storage, JWT);
    assert.doesNotMatch(storage, /access_token|id_token|refresh_token/);
    assert.ok((await pairingsOf(sandbox.url, 'nadia')).some((p) => p.clientId === 'mes-kit-public'));
    await context.close();
  });

  describe('with access tokens that expire at once', () => {
    let shortLived: Portal;
    before(async () => {
      // Shorter than the 30 s margin: every call refreshes first, so concurrent calls race to refresh.
      shortLived = await startPortal({ accessTokenTtlSeconds: 10 });
    });
    after(() => shortLived?.close());

    it('concurrent calls share one refresh: the rotating refresh token is never reused, the pairing lives on', async () => {
      const context = await shortLived.browser.newContext();
      const page = await context.newPage();
      await page.goto(`${shortLived.url}/direct.html`);
      const prompt = page.locator('mes-consent-prompt');
      await pairAsCamille(context, prompt, 'Tout accepter');

      await page.waitForFunction(() => !!document.querySelector('mes-send-document-button')?.document);
      const before = (await adminBundle(shortLived.sandbox.url, 'camille', 'DocumentReference')).total;
      const sendThree = (round: number) =>
        page.evaluate(async (round) => {
          const client = document.querySelector('mes-provider')!.client!;
          const document_ = document.querySelector('mes-send-document-button')!.document!;
          const settled = await Promise.allSettled(
            [1, 2, 3].map((n) => client.sendDocument({ ...document_, id: `${document_.id}/${round}-${n}` })),
          );
          return settled.map((result) =>
            result.status === 'fulfilled' ? 'ok' : String((result.reason as { code?: string }).code),
          );
        }, round);
      assert.deepEqual(await sendThree(1), ['ok', 'ok', 'ok']);
      // Had two refreshes used the same refresh token, MES would have ended the pairing.
      assert.deepEqual(await sendThree(2), ['ok', 'ok', 'ok']);
      assert.equal((await adminBundle(shortLived.sandbox.url, 'camille', 'DocumentReference')).total, before + 6);
      const pairings = await pairingsOf(shortLived.sandbox.url, 'camille');
      assert.ok(pairings.some((p) => p.clientId === 'mes-kit-public'));
      await context.close();
    });
  });
});
