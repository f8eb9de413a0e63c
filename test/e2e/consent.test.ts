import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright';
import type { AuditEntry } from '../../packages/gateway/src/index.js';
import { acceptInMes, logInToPortal, startPortal, successOf, type Portal } from '../helpers/portal.js';
import { adminBundle, pairingsOf, type TestSandbox } from '../helpers/sandbox.js';

describe('end to end: consent, MES-side changes and « Désynchroniser », in Chromium', () => {
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

  it('grants only DOC_ECRITURE from the prompt; a switch-off in MES is explained; « Désynchroniser » ends the pairing in MES', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await logInToPortal(page, portal);
    const prompt = page.locator('mes-consent-prompt');
    await prompt.getByRole('switch', { name: 'Ajouter des documents de santé' }).check();
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      prompt.getByRole('button', { name: 'Continuer vers Mon espace santé' }).click(),
    ]);
    await acceptInMes(popup, 'Camille Martin', async () => {
      assert.equal(await popup.getByRole('switch').count(), 1, 'MES asks only for what the patient chose');
    });
    await prompt.getByRole('heading', { name: 'Synchronisé avec Mon espace santé' }).waitFor();
    // Each finalité, marked granted or not (✓ or ✗ on screen, said before its name).
    assert.deepEqual(await prompt.locator('li [part~="label"]').allTextContents(), [
      'Autorisé\u00a0: Ajouter des documents de santé',
      'Non autorisé\u00a0: Consulter mes documents de santé',
      'Non autorisé\u00a0: Ajouter mes rendez-vous',
    ]);
    assert.deepEqual(
      (await pairingsOf(sandbox.url, 'camille')).map((p) => p.finalities),
      [['DOC_ECRITURE']],
    );

    // An import is refused at once, with a clear message, and nothing is asked of MES.
    const refused = await page.evaluate(() =>
      document
        .querySelector('mes-provider')!
        .client!.run('find-documents', {})
        .then(
          () => ['no error', ''],
          (error: { code: string; operation: string }) => [error.code, error.operation],
        ),
    );
    assert.deepEqual(refused, ['MES_CONSENT_REQUIRED', 'find-documents']);
    assert.ok(!audit.some((entry) => entry.action.startsWith('find-documents')), 'no search reached MES');

    // Sending works, without a new pairing window.
    const button = page.locator('mes-send-document-button').first();
    await button.getByRole('button').click();
    await successOf(page, 'mes-send-document-button');

    // The patient switches sending off in MES's « Services synchronisés » (keeping reading on).
    const mes = await context.newPage();
    await mes.goto(sandbox.url);
    await mes.getByRole('button', { name: /Camille Martin/ }).click();
    await mes.getByRole('switch', { name: 'Ajouter des documents de santé' }).uncheck();
    await mes.getByRole('switch', { name: 'Consulter mes documents de santé' }).check();
    await mes.getByRole('button', { name: 'Enregistrer mes choix' }).click();
    assert.deepEqual(
      (await pairingsOf(sandbox.url, 'camille')).map((p) => p.finalities),
      [['DOC_LECTURE']],
    );

    // The next send fails with MES_CONSENT_REQUIRED, and the prompt says why.
    const second = page.locator('mes-send-document-button').nth(1);
    const error = page.evaluate(
      () =>
        new Promise<string>((resolve) =>
          document
            .querySelectorAll('mes-send-document-button')[1]
            .addEventListener('mes-send-error', (event) => resolve(event.detail.error.code)),
        ),
    );
    await second.getByRole('button').click();
    assert.equal(await error, 'MES_CONSENT_REQUIRED');
    await prompt
      .getByText('Mon espace santé n’autorise plus ce service à : Ajouter des documents de santé.', {
        exact: false,
      })
      .waitFor();
    assert.equal(
      (await adminBundle(sandbox.url, 'camille', 'DocumentReference')).total,
      14,
      'only the first send arrived',
    );

    // « Désynchroniser » from the portal, confirmed: MES shows no pairing any more.
    await prompt.getByRole('button', { name: 'Désynchroniser' }).click();
    const dialog = prompt.getByRole('dialog', { name: 'Désynchroniser Hôpital Lumière — portail patient\u00a0?' });
    await dialog.getByRole('button', { name: 'Désynchroniser' }).click();
    await prompt.getByText('Ce service n’est plus synchronisé avec Mon espace santé.').waitFor();
    assert.deepEqual(await pairingsOf(sandbox.url, 'camille'), []);
    await mes.reload();
    assert.match(await mes.content(), /Aucun service synchronisé/);
    await context.close();
  });
  it('while the prompt’s MES window is open, the page waits for it: one window, brought forward, a true receipt', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await logInToPortal(page, portal, 'Nadia Haddad');
    const windows: unknown[] = [];
    context.on('page', (opened) => windows.push(opened));
    const receipts = page.evaluate(
      () =>
        new Promise<unknown[]>((resolve) => {
          const seen: unknown[] = [];
          document.addEventListener('mes-consent-change', (event) => {
            seen.push((event as CustomEvent<{ receipt: unknown }>).detail.receipt);
            setTimeout(() => resolve(seen), 500);
          });
        }),
    );
    const prompt = page.locator('mes-consent-prompt');
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      prompt.getByRole('button', { name: 'Tout accepter' }).click(),
    ]);
    await prompt.getByRole('status').filter({ hasText: 'Terminez dans la fenêtre Mon espace santé.' }).waitFor();
    // A send meanwhile opens nothing: the patient finishes in MES's window first.
    const send = page.locator('mes-send-document-button').first().getByRole('button');
    assert.equal(await send.getAttribute('aria-disabled'), 'true');
    // Clicked all the same (it stays focusable): nothing opens.
    await send.click({ force: true });
    await prompt.getByRole('button', { name: 'Rouvrir la fenêtre' }).click();
    assert.equal(windows.length, 1, 'the same window, brought forward');
    await acceptInMes(popup, 'Nadia Haddad');
    await prompt.getByRole('heading', { name: 'Synchronisé avec Mon espace santé' }).waitFor();
    await send.click();
    await successOf(page, 'mes-send-document-button');
    assert.equal(windows.length, 1, 'one MES window, never re-pointed');
    const [receipt, ...others] = (await receipts) as { granted: string[]; refused: string[]; textVersion: string }[];
    assert.deepEqual(others, [], 'one receipt, from the prompt that opened the pairing');
    assert.deepEqual(receipt.granted, ['DOC_ECRITURE', 'DOC_LECTURE', 'AGENDA_ECRITURE']);
    assert.deepEqual(receipt.refused, []);
    assert.equal(receipt.textVersion, '2026-11');
    await context.close();
  });

  it('« Annuler » closes MES’s window, says so, gives the focus back, and a new try pairs', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await logInToPortal(page, portal);
    const prompt = page.locator('mes-consent-prompt');
    const accept = prompt.getByRole('button', { name: 'Tout accepter' });
    const [popup] = await Promise.all([context.waitForEvent('page'), accept.click()]);
    await Promise.all([popup.waitForEvent('close'), prompt.getByRole('button', { name: 'Annuler' }).click()]);
    await prompt.getByRole('status').filter({ hasText: 'Synchronisation annulée' }).waitFor();
    assert.equal(await prompt.getByRole('alert').count(), 0, 'the patient’s choice, not an error');
    const focused = await page.evaluate(() =>
      document.querySelector('mes-consent-prompt')!.shadowRoot!.activeElement?.textContent?.trim(),
    );
    assert.equal(focused, 'Tout accepter', 'the focus, back on the button that opened the window');
    assert.deepEqual(await pairingsOf(sandbox.url, 'camille'), []);

    const [again] = await Promise.all([context.waitForEvent('page'), accept.click()]);
    await acceptInMes(again, 'Camille Martin');
    await prompt.getByRole('heading', { name: 'Synchronisé avec Mon espace santé' }).waitFor();
    assert.equal((await pairingsOf(sandbox.url, 'camille')).length, 1);
    await context.close();
  });

  it('« Annuler » after MES had already paired (its answer still on the way): the prompt asks MES and shows the pairing', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    // Nadia, as a patient of the clinic: a service she has not paired with yet.
    await logInToPortal(page, `${portal}/tilleuls.html`, 'Nadia Haddad');
    const prompt = page.locator('mes-consent-prompt');
    // The gateway takes the callback (and stores the pairing); its answer to MES's window is held.
    let reached!: () => void;
    const callbackReached = new Promise<void>((resolve) => (reached = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await context.route('**/pair/callback**', async (route) => {
      const response = await route.fetch();
      reached();
      await held;
      await route.fulfill({ response }).catch(() => undefined);
    });
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      prompt.getByRole('button', { name: 'Tout accepter' }).click(),
    ]);
    await popup.getByRole('button', { name: 'Nadia Haddad' }).click();
    await popup.getByRole('button', { name: 'Tout accepter' }).click();
    await callbackReached;
    const clinic = async () =>
      (await pairingsOf(sandbox.url, 'nadia')).filter((p) => p.clientId === 'mes-kit-tilleuls');
    assert.equal((await clinic()).length, 1, 'MES paired before « Annuler »');
    await Promise.all([popup.waitForEvent('close'), prompt.getByRole('button', { name: 'Annuler' }).click()]);
    release();
    await prompt.getByRole('heading', { name: 'Synchronisé avec Mon espace santé' }).waitFor();
    assert.equal(await prompt.getByText('Synchronisation annulée').count(), 0, 'no « nothing was shared »');
    await context.close();
  });
});
