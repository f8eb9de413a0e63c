/** The whole product on free ports: sandbox MES, demo portal with its gateway, and Chromium. */
import { chromium, type Browser, type Page } from 'playwright';
import { createServer, type ViteDevServer } from 'vite';
import type { AuditEntry } from '../../packages/gateway/src/index.js';
import type { SandboxOptions } from '../../packages/sandbox/src/index.js';
import { demoConfig } from '../../vite.config.js';
import { args, executablePath } from './chromium.mjs';
import { freePort } from './ports.js';
import { servicesRedirectedTo, startSandbox, type TestSandbox } from './sandbox.js';

/** A JWT, wherever it would show up. */
export const JWT = /eyJ[\w-]{8,}\.[\w-]{8,}/;

export interface Portal {
  /** The demo portal's origin. */
  url: string;
  sandbox: TestSandbox;
  browser: Browser;
  /** What the gateway recorded. */
  audit: AuditEntry[];
  close(): Promise<void>;
}

export async function startPortal(sandboxOptions: SandboxOptions = {}): Promise<Portal> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  // Every service of the demo, redirected to this portal's port.
  const sandbox = await startSandbox({ ...sandboxOptions, services: servicesRedirectedTo(url) });
  const audit: AuditEntry[] = [];
  const demo: ViteDevServer = await createServer({
    configFile: false,
    ...demoConfig({ port, portal: { issuer: sandbox.url, audit: (entry) => audit.push(entry) } }),
  });
  await demo.listen();
  const browser = await chromium.launch({ executablePath, args });
  return {
    url,
    sandbox,
    browser,
    audit,
    async close() {
      await browser.close();
      await demo.close();
      await sandbox.dispose();
    },
  };
}

/** Opens the portal (a brand's path) and logs in to it as one of its patients. */
export async function logInToPortal(page: Page, address: string, name = 'Camille Martin') {
  await page.goto(address);
  await page.locator('#accounts').getByRole('button', { name }).click();
  await page.locator('mes-send-document-button[document-ref]').first().waitFor();
}

/** Waits for the element (the first `selector` matches) to show a success, and returns the status it says. */
export async function successOf(page: Page, selector: string): Promise<string> {
  try {
    await page.waitForFunction((css) => document.querySelector(css)?.matches(':state(success)'), selector, {
      timeout: 20_000,
    });
  } catch (error) {
    // Say where it stopped instead, so that a failure can be read.
    const status = await page.locator(selector).first().locator('[part="status"]').textContent();
    throw new Error(`${selector} showed no success within 20 s; its status: « ${status?.trim()} »`, { cause: error });
  }
  return (await page.locator(selector).first().locator('[part="status"]').textContent())!.trim();
}

/**
 * The patient in MES's popup: logs in as the persona, (optionally checks the consent page,) accepts
 * everything, and the popup closes.
 */
export async function acceptInMes(popup: Page, persona: string, onConsentPage?: () => Promise<void>) {
  await popup.getByRole('button', { name: persona }).click();
  await onConsentPage?.();
  // Listening before the click: the window may close before a listener added after it.
  const closed = closing(popup);
  await popup.getByRole('button', { name: 'Tout accepter' }).click();
  await closed;
}

/** Waits for MES's window to close itself; if it does not, says where it stopped and what it shows. */
export async function closing(popup: Page) {
  try {
    await popup.waitForEvent('close');
  } catch (error) {
    const shown = await popup
      .locator('body')
      .innerText({ timeout: 2_000 })
      .catch(() => '?');
    throw new Error(`MES's window stayed open at ${popup.url()}, showing « ${shown.slice(0, 300)} »`, {
      cause: error,
    });
  }
}
