import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright';
import { args, executablePath } from '../helpers/chromium.mjs';
import { expectNoContrastProblems, findContrastProblems } from '../helpers/contrast.js';
import { acceptInMes, logInToPortal, startPortal, successOf, type Portal } from '../helpers/portal.js';

/** What the checker reports, without the colours: enough to say which problem it is. */
const found = async (page: Page, options = {}) =>
  (await page.evaluate(findContrastProblems, options)).map(({ kind, text, ratio, required }) => ({
    kind,
    text,
    ratio,
    required,
  }));

describe('contrast: what the checker reports', () => {
  let browser: Browser;
  before(async () => {
    browser = await chromium.launch({ executablePath, args });
  });
  after(() => browser?.close());

  it('finds the pale text in a shadow root and the 4.24:1 « Envoyé » button, and nothing hidden, disabled or large', async () => {
    const page = await browser.newPage();
    await page.setContent(`<!doctype html>
      <style>
        body { margin: 0; padding: 1rem; background: #ffffff; color: #161616; font: 16px sans-serif; }
        .pale { color: #949494; }
        .sent { border: 0; padding: 0.5rem 1rem; background: #18753c; color: #ffffff; opacity: 0.85; }
        .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        .nothing { width: 0; height: 0; overflow: hidden; }
        .dark { padding: 1rem; background: #1b1d24; color: #eceef4; }
        .veil { background: rgb(0 0 0 / 0.6); color: #ffffff; }
      </style>
      <p>Un texte lisible, <a href="#">un lien</a>.</p>
      <pale-card></pale-card>
      <button class="sent" aria-disabled="false">Envoyé</button>
      <p style="display: none" class="pale">Jamais affiché</p>
      <p style="visibility: hidden" class="pale">Invisible</p>
      <p style="opacity: 0" class="pale">Transparent</p>
      <span class="sr-only pale">Pour les lecteurs d’écran</span>
      <div class="nothing pale">Sans taille</div>
      <button disabled class="pale">Désactivé</button>
      <button aria-disabled="true" class="pale">Indisponible</button>
      <p style="font-size: 24px; color: #8a8a8a">Un grand titre à 3,45:1</p>
      <p style="font-size: 19px; font-weight: 700; color: #8a8a8a">Un titre gras à 3,45:1</p>
      <div class="dark">Sur fond sombre <span class="veil">et sous un voile</span></div>
      <script>
        customElements.define('pale-card', class extends HTMLElement {
          constructor() {
            super();
            this.attachShadow({ mode: 'open' }).innerHTML = '<p style="color: #949494">Un texte pâle</p>';
          }
        });
      </script>`);
    assert.deepEqual(await found(page), [
      { kind: 'text', text: 'Un texte pâle', ratio: 3.03, required: 4.5 },
      { kind: 'text', text: 'Envoyé', ratio: 4.24, required: 4.5 },
    ]);
    await assert.rejects(
      expectNoContrastProblems(page, 'the canned page'),
      /the canned page: 2 contrast problem\(s\)\n {2}text 3\.03:1 < 4\.5:1 {2}« Un texte pâle » {2}rgb\(148 148 148\) on rgb\(255 255 255\) {2}at pale-card › p/,
    );
    assert.equal((await found(page, { includeDisabled: true })).length, 4, 'disabled controls are read when asked');
    await page.close();
  });

  it('asks 3:1 of a switch’s track, a field’s border and the focus ring, not of a button its text names', async () => {
    const page = await browser.newPage();
    await page.setContent(`<!doctype html>
      <style>
        body { margin: 0; padding: 1rem; background: #ffffff; color: #161616; font: 16px sans-serif; }
        [role=switch] { appearance: none; width: 4rem; height: 2rem; border-radius: 1rem; background: #c8c8c8; }
        .strong[role=switch] { background: #8a8a8a; }
        input[type=text] { border: 1px solid #d5d8e3; }
        .strong[type=text] { border-color: #6a6f80; }
        .quiet { border: 0; background: #f0f0f0; color: #161616; }
        .outlined { border: 2px solid #d5d8e3; background: #ffffff; color: #1d2a78; }
        :focus-visible { outline: 3px solid #9ec5fe; outline-offset: 2px; }
      </style>
      <input type="checkbox" role="switch" aria-label="Pâle" />
      <input type="checkbox" role="switch" class="strong" aria-label="Marqué" />
      <input type="text" aria-label="Champ pâle" />
      <input type="text" class="strong" aria-label="Champ marqué" />
      <input type="checkbox" aria-label="Case native" />
      <button class="quiet">Un bouton sans bord</button>
      <button class="outlined" id="outlined">Un bouton bordé</button>`);
    await page.focus('#outlined');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    assert.deepEqual(await found(page), [
      { kind: 'boundary', text: 'Pâle', ratio: 1.67, required: 3 },
      { kind: 'boundary', text: 'Champ pâle', ratio: 1.42, required: 3 },
      { kind: 'focus', text: 'Un bouton bordé', ratio: 1.77, required: 3 },
    ]);
    await page.close();
  });

  it('reads the page’s own canvas in dark, and colours written in any CSS syntax', async () => {
    const page = await browser.newPage({ colorScheme: 'dark' });
    await page.setContent(`<!doctype html>
      <style>
        :root { color-scheme: light dark; font: 16px sans-serif; }
        .muted { color: #595959; }
        .mixed { background: light-dark(white, oklch(0.25 0.02 270)); color: color-mix(in oklab, oklch(0.3 0.1 270) 50%, black); }
      </style>
      <p>Le texte par défaut</p>
      <p class="muted">Un gris sur le fond sombre</p>
      <p class="mixed">Un mélange sur oklch</p>`);
    assert.deepEqual(
      (await found(page)).map(({ text }) => text),
      ['Un gris sur le fond sombre', 'Un mélange sur oklch'],
    );
    await page.close();
  });
});

describe('contrast: the demo portal, both brands, light and dark (WCAG AA)', () => {
  let product: Portal;
  before(async () => {
    product = await startPortal();
  });
  after(() => product?.close());

  /** Every state is read in both themes: the page follows the system's. */
  async function expectLegible(page: Page, state: string, options = {}) {
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await expectNoContrastProblems(page, `${state}, ${colorScheme}`, options);
    }
  }

  const faults = (settings: object) =>
    fetch(`${product.sandbox.url}/sandbox/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(settings),
    });

  for (const brand of [
    { name: 'Hôpital Lumière', path: '/', persona: 'Camille Martin' },
    { name: 'Clinique des Tilleuls', path: '/tilleuls.html', persona: 'Nadia Haddad' },
  ]) {
    it(`${brand.name}: not paired, MES's window open, paired, a document sent, a send that failed`, async () => {
      // No transition half-way through a colour when the page is read.
      const context = await product.browser.newContext({ reducedMotion: 'reduce' });
      const page = await context.newPage();
      await logInToPortal(page, product.url + brand.path, brand.persona);
      const prompt = page.locator('mes-consent-prompt');
      await page.waitForFunction(() => document.querySelector('mes-consent-prompt')?.matches(':not(:state(loading))'));
      // The focus ring is read where the keyboard puts it.
      await prompt.getByRole('switch').first().focus();
      await page.keyboard.press('Tab');
      assert.ok(
        await page.evaluate(() => {
          let focused = document.activeElement;
          while (focused?.shadowRoot?.activeElement) focused = focused.shadowRoot.activeElement;
          return focused?.matches(':focus-visible');
        }),
        'the ring is drawn',
      );
      await expectLegible(page, `${brand.name}, not paired, a switch focused`);

      const [popup] = await Promise.all([
        context.waitForEvent('page'),
        prompt.getByRole('button', { name: 'Tout accepter' }).click(),
      ]);
      await page.waitForFunction(() => document.querySelector('mes-consent-prompt')?.matches(':state(pending)'));
      await expectLegible(page, `${brand.name}, MES's window open`);

      await acceptInMes(popup, brand.persona);
      await page.waitForFunction(() => document.querySelector('mes-consent-prompt')?.matches(':state(paired)'));
      await expectLegible(page, `${brand.name}, paired`);

      // « Envoyé » is read although the button cannot be pressed again: it says what happened.
      await page.locator('mes-send-document-button').first().getByRole('button').click();
      await successOf(page, 'mes-send-document-button');
      await expectLegible(page, `${brand.name}, a document sent`, { includeDisabled: true });

      assert.equal((await faults({ errorRate: 1, statuses: [503] })).status, 200);
      try {
        const failing = page.locator('mes-send-document-button').nth(1);
        await failing.getByRole('button').click();
        await page.waitForFunction(
          () => document.querySelectorAll('mes-send-document-button')[1]?.matches(':state(error)'),
          undefined,
          { timeout: 60_000 },
        );
        assert.ok(await failing.locator('[part="error"]').isVisible(), 'the error is shown');
        await expectLegible(page, `${brand.name}, a send that failed`);
      } finally {
        await faults({ errorRate: 0 });
      }
      await context.close();
    });
  }
});
