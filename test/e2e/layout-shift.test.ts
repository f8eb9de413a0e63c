/**
 * Nothing on the page moves when an element changes state: Chromium's own layout-shift entries, on the
 * real demo (portal → gateway → sandbox), while each element goes through its states. A shift within
 * 500 ms of the patient's own input (`hadRecentInput`) is the page answering them, and is left out; every
 * other one must not happen. MES answers slowly (latency injected), so that the states come after that
 * window, as they do with the real MES.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Locator, Page } from 'playwright';
import { frConsentPrompt } from '../../packages/elements/src/translations/fr.js';
import { acceptInMes, logInToPortal, startPortal, type Portal } from '../helpers/portal.js';

/** A shift no input of the patient's explains, with the nodes that moved. */
interface Shift {
  value: number;
  nodes: string[];
}

/**
 * Every shift of the page from its first frame on, named by the nodes that moved. The API names no
 * node inside a shadow root, nor a text: those are found by where they are now, in every shadow root.
 * A string: the test runner's transform stays out of the page.
 */
const WATCH_SHIFTS = `(() => {
  const name = (node) => {
    if (node instanceof ShadowRoot) return name(node.host);
    if (!(node instanceof Element)) return 'text « ' + node.data.trim().slice(0, 40) + ' » in ' + name(node.parentNode);
    const part = node.getAttribute('part');
    const own = node.localName + (node.id ? '#' + node.id : '') + (part ? '[part="' + part + '"]' : '');
    const root = node.getRootNode();
    return root instanceof ShadowRoot ? name(root.host) + ' › ' + own : own;
  };
  const nodes = (root, found = []) => {
    for (const node of root.querySelectorAll('*')) {
      found.push(node, ...[...node.childNodes].filter((child) => child.nodeType === Node.TEXT_NODE && child.data.trim()));
      if (node.shadowRoot) nodes(node.shadowRoot, found);
    }
    return found;
  };
  const rectOf = (node) => {
    if (node instanceof Element) return node.getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(node);
    return range.getBoundingClientRect();
  };
  const rounded = (r) => Math.round(r.x) + ',' + Math.round(r.y) + ' ' + Math.round(r.width) + '×' + Math.round(r.height);
  const at = (rect) => {
    if (rect.width === 0 && rect.height === 0) return '(out of sight)';
    const found = nodes(document).filter((node) => rounded(rectOf(node)) === rounded(rect)).map(name);
    return found.length > 0 ? found.join(' or ') : '(gone)';
  };
  window.unexplainedShifts = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.hadRecentInput) continue;
      window.unexplainedShifts.push({
        value: entry.value,
        nodes: entry.sources.map(
          (source) => (source.node ? name(source.node) : at(source.currentRect)) + ' ' + rounded(source.previousRect) + ' → ' + rounded(source.currentRect),
        ),
      });
    }
  }).observe({ type: 'layout-shift', buffered: true });
})();`;

const watchShifts = (context: BrowserContext) => context.addInitScript(WATCH_SHIFTS);

/** The shifts since the last call, after two frames (the observer reports a frame late). */
async function shiftsOf(page: Page): Promise<Shift[]> {
  return page.evaluate<Shift[]>(
    'new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(window.unexplainedShifts.splice(0)))))',
  );
}

/** How much the page moved, and which nodes did. */
function movement(shifts: Shift[]) {
  const total = shifts.reduce((sum, shift) => sum + shift.value, 0);
  return { total, nodes: shifts.map((shift) => shift.nodes.join(', ')).join(' / ') };
}

async function assertStill(page: Page, step: string, shifts?: Shift[]) {
  const { total, nodes } = movement(shifts ?? (await shiftsOf(page)));
  assert.equal(total, 0, `${step}: the page moved by ${total.toFixed(4)}, ${nodes}`);
}

/** Until the element is in this custom state; if it is not, says what it shows instead. */
async function stateOf(element: Locator, state: string, timeout = 30_000) {
  const node = await element.elementHandle();
  try {
    await element.page().waitForFunction(([it, name]) => it?.matches(`:state(${name})`), [node, state] as const, {
      timeout,
    });
  } catch (error) {
    const shown = (await element.locator('[part="base"]').innerText()).replace(/\s+/g, ' ');
    throw new Error(`not in :state(${state}) but showing « ${shown} »`, { cause: error });
  }
}

describe('end to end: no layout shift while the elements change state, in Chromium', () => {
  let product: Portal;
  const faults = (settings: object) =>
    fetch(`${product.sandbox.url}/sandbox/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(settings),
    });

  before(async () => {
    product = await startPortal();
  });
  after(() => product?.close());

  // One brand for each width: a brand's service is paired once per patient.
  for (const { viewport, path } of [
    { viewport: { width: 1280, height: 900 }, path: '/' },
    { viewport: { width: 375, height: 812 }, path: '/tilleuls.html' },
  ]) {
    it(`holds the portal (${path}) still at ${viewport.width} px: consent, a send, an error, the agenda`, async () => {
      await faults({});
      const context = await product.browser.newContext({ viewport });
      await watchShifts(context);
      const page = await context.newPage();
      await logInToPortal(page, `${product.url}${path}`);
      await page.locator('mes-consent-prompt').getByRole('button', { name: frConsentPrompt.acceptAll }).waitFor();
      await shiftsOf(page);

      // Consent: the prompt, then MES's window, then the prompt once paired.
      const prompt = page.locator('mes-consent-prompt');
      const [popup] = await Promise.all([
        context.waitForEvent('page'),
        prompt.getByRole('button', { name: frConsentPrompt.acceptAll }).click(),
      ]);
      await acceptInMes(popup, 'Camille Martin');
      await prompt.getByText(frConsentPrompt.pairedTitle).first().waitFor();
      // Said last: the other elements are checked whatever the prompt does.
      const consent = await shiftsOf(page);

      // A send, slow enough for its progress and its outcome to come long after the click.
      await faults({ latencyMs: 900 });
      const letter = 'mes-send-document-button[document-ref]';
      await page.locator(letter).first().getByRole('button').click();
      await stateOf(page.locator(letter).first(), 'success');
      await assertStill(page, 'sending a document');

      // An error, after MES's retries.
      await faults({ latencyMs: 600, errorRate: 1, statuses: [503] });
      await page.locator(letter).nth(1).getByRole('button').click();
      await stateOf(page.locator(letter).nth(1), 'error', 60_000);
      await assertStill(page, 'a send that fails');

      // The agenda: its plan, confirmed, then written.
      await faults({ latencyMs: 900 });
      const agenda = '#agenda > mes-agenda-sync-button';
      await page.locator(agenda).getByRole('button').first().click();
      await stateOf(page.locator(agenda), 'planned');
      await assertStill(page, 'the agenda’s plan');
      await page.locator(agenda).getByRole('button', { name: 'Confirmer' }).click();
      await stateOf(page.locator(agenda), 'success');
      await assertStill(page, 'the agenda written');
      await faults({});
      await context.close();
      await assertStill(page, 'pairing from the consent prompt', consent);
    });
  }

  it('holds a vendor’s page still while the import picker opens and closes, and the import runs', async () => {
    await faults({});
    const context = await product.browser.newContext({ viewport: { width: 1280, height: 900 } });
    await watchShifts(context);
    const page = await context.newPage();
    await page.goto(`${product.url}/teleconsultation.html`);
    await page.locator('#accounts').getByRole('button', { name: 'Camille Martin' }).click();
    const button = page.locator('mes-import-document-button');
    await button.waitFor();
    await shiftsOf(page);

    const [popup] = await Promise.all([context.waitForEvent('page'), button.getByRole('button').first().click()]);
    await acceptInMes(popup, 'Camille Martin');
    const dialog = page.locator('mes-import-document-button').getByRole('dialog');
    await dialog.getByRole('listbox').getByRole('option').first().waitFor();
    await assertStill(page, 'the picker opening after the pairing');
    await dialog.getByRole('button', { name: 'Annuler' }).click();
    await assertStill(page, 'the picker closing');

    await faults({ latencyMs: 900 });
    await button.getByRole('button').first().click();
    await dialog.getByRole('listbox').getByRole('option').first().click();
    await dialog.getByRole('button', { name: /^Importer 1 document/ }).click();
    await stateOf(button, 'success');
    await assertStill(page, 'an import');
    await faults({});
    await context.close();
  });

  it('holds the measures page still while the measures are previewed and sent', async () => {
    await faults({});
    const context = await product.browser.newContext({ viewport: { width: 1280, height: 900 } });
    await watchShifts(context);
    const page = await context.newPage();
    await page.goto(`${product.url}/balance.html`);
    await page.locator('#accounts').getByRole('button', { name: 'Camille Martin' }).click();
    const measures = 'mes-send-measures-button';
    await page.locator(measures).getByRole('button', { name: 'Envoyer mes mesures vers Mon espace santé' }).waitFor();
    await shiftsOf(page);

    await page.locator(measures).getByRole('button').first().click();
    await stateOf(page.locator(measures), 'preview');
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      page.locator(measures).getByRole('button', { name: 'Envoyer', exact: true }).click(),
    ]);
    await faults({ latencyMs: 300 });
    await acceptInMes(popup, 'Camille Martin');
    await stateOf(page.locator(measures), 'success');
    await assertStill(page, 'measures sent after the pairing');
    await faults({});
    await context.close();
  });
});
