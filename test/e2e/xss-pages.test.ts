/**
 * Stored and reflected XSS on the sandbox's own pages (security matrix A8): every payload of
 * test/fixtures/xss-payloads.txt stored through the FHIR API (document titles, descriptions and
 * authors, appointments with their practitioners, places, addresses and specialities, measure
 * devices) and through the configuration (service names and editors, finalité labels, descriptions
 * and data), then the patient page, the login and consent pages of a pairing, the « Désynchroniser »
 * page and MES's error page opened in Chromium with no CSP at all (the pages' own CSP would hide an
 * injection): no payload runs, no element comes from one, and each shows as text.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright';
import {
  MesClient,
  inProcessTransport,
  type AgendaAppointment,
  type InProcessMes,
  type MeasureSeries,
} from '@mes-kit/core';
import { defaultConfig, type ServiceDefinition } from '../../packages/sandbox/src/index.js';
import type { FinalityDefinition } from '../../packages/sandbox/src/config.js';
import { args, executablePath } from '../helpers/chromium.mjs';
import { pdfBlob } from '../helpers/documents.js';
import {
  Browser as Cookies,
  adminTokens,
  authorizeWithQuery,
  pairingRequest,
  startSandbox,
  throughConsent,
} from '../helpers/sandbox.js';

const PAYLOADS = readFileSync(new URL('../fixtures/xss-payloads.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter(Boolean);
const BATCH = 32;
const FINALITIES = ['DOC_ECRITURE', 'DOC_LECTURE', 'AGENDA_ECRITURE', 'MESURE_POIDS_ECRITURE'];

/** Within a field's length (core's limits: 255 characters for a title, 200 for a name, 100 for a device's). */
const fit = (payload: string, max = 200) => payload.slice(0, max);
const norm = (text: string) => text.replace(/\s+/g, ' ').trim();

/** In the page before anything else: what a payload would call. */
const HOOKS = `(() => {
  window.__ran = [];
  window.__xss = (id) => window.__ran.push('__xss(' + id + ')');
  for (const name of ['alert', 'confirm', 'prompt', 'print']) window[name] = (...a) => window.__ran.push(name + '(' + a + ')');
})()`;

/**
 * What ran, and what a payload would have added: event handlers, clobbering names, active tags,
 * script URLs, shapes (a tag and its attributes' names) that the plain pages do not have. A string:
 * the test runner's transform stays out of the page.
 */
const INSPECT = `(baseline) => {
  const known = new Set(baseline);
  const shapeOf = (e) => [e.localName, ...[...e.attributes].map((a) => a.name).sort()].join(' ');
  const all = [...document.querySelectorAll('*')];
  const injected = all
    .filter(
      (e) =>
        !known.has(shapeOf(e)) ||
        [...e.attributes].some((a) => /^on/i.test(a.name)) ||
        /xss/i.test(e.id + ' ' + (e.getAttribute('name') ?? '')) ||
        /^(script|iframe|object|embed|frame|base|math|video|audio|marquee|noscript|xmp|plaintext|template)$/.test(e.localName) ||
        /^\\s*(javascript|data|vbscript):/i.test(e.getAttribute('href') ?? e.getAttribute('action') ?? ''),
    )
    .map(shapeOf);
  return {
    ran: window.__ran,
    injected,
    clobbered: '__xss_clobber' in window,
    text: document.body?.textContent ?? '',
    shapes: [...new Set(all.map(shapeOf))],
  };
}`;
interface Inspection {
  ran: string[];
  injected: string[];
  clobbered: boolean;
  text: string;
  shapes: string[];
}

/** One batch's services, each named by a payload, and finalités whose texts are payloads. */
function configFor(batch: string[]) {
  const at = (k: number) => batch[k % batch.length];
  const services: ServiceDefinition[] = batch.map((payload, j) => ({
    clientId: `svc-${j}`,
    name: payload,
    editor: at(j + 1),
    oid: `1.2.250.1.999.42.77.${j}`,
    cguUrl: 'https://portail.example.fr/cgu',
    redirectUris: ['http://localhost:5999/callback'],
    finalities: FINALITIES,
  }));
  const finalities: FinalityDefinition[] = defaultConfig().finalities.map((finality, k) => ({
    ...finality,
    libelle: at(k),
    description: at(k + 1),
    echangesDeDonnees: finality.echangesDeDonnees.map((exchange) => ({
      ...exchange,
      perimetre: at(k + 2),
      categories: exchange.categories.map((category) => ({ ...category, titre: at(k + 3) })),
    })),
  }));
  return { services: [...defaultConfig().services, ...services], finalities };
}

describe('sandbox pages in Chromium: 0 payloads run, 0 injected elements, payloads shown as text', () => {
  let browser: Browser;
  let page: Page;
  let baseline: string[] = [];
  let injections = 0;
  let loads = 0;
  let served = '';

  before(async () => {
    browser = await chromium.launch({ executablePath, args });
    // No CSP: bypassCSP drops any a page would bring.
    const context = await browser.newContext({ bypassCSP: true, javaScriptEnabled: true });
    await context.addInitScript(HOOKS);
    page = await context.newPage();
    // Each page's HTML served under an origin of its own, with no header at all: the page's own CSP would hide an injection.
    await page.route('http://xss.test/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: served }),
    );
    page.on('dialog', (dialog) => void dialog.dismiss());
  });
  after(async () => {
    await browser?.close();
  });

  /** Loads the HTML as Chromium would show it, and says what ran and what was injected. */
  async function open(html: string) {
    served = html;
    await page.goto(`http://xss.test/${loads++}`, { waitUntil: 'load' });
    await page.waitForTimeout(30);
    return page.evaluate<Inspection>(`(${INSPECT})(${JSON.stringify(baseline)})`);
  }

  async function expectInert(html: string, shown: string[], where: string) {
    const result = await open(html);
    assert.deepEqual(result.ran, [], `${where}: nothing ran`);
    assert.deepEqual(result.injected, [], `${where}: no element came from a payload`);
    assert.equal(result.clobbered, false, `${where}: no clobbered global`);
    const text = norm(result.text);
    assert.deepEqual(
      shown.filter((payload) => !text.includes(norm(payload))),
      [],
      `${where}: each payload shown as text`,
    );
  }

  /**
   * A sandbox holding one batch: Camille paired with each payload-named service, each of which filed
   * a document, an appointment and weights whose texts are payloads. Returns every page's HTML.
   */
  async function pagesOf(batch: string[]) {
    const at = (k: number) => batch[k % batch.length];
    const sandbox = await startSandbox(configFor(batch));
    try {
      const mes: InProcessMes = {
        fhirBase: sandbox.fhirBase,
        fetch: (input, init) => fetch(input, init),
        // Again if a keep-alive socket of an earlier batch's sandbox (same port, closed) is picked.
        pair: async (persona, finalities, clientId) => {
          for (let attempt = 1; ; attempt++) {
            try {
              return await adminTokens(sandbox.url, persona, finalities, clientId);
            } catch (error) {
              if (attempt === 5) throw error;
            }
          }
        },
      };
      // Each service files its own, all at once.
      const file = async (payload: string, j: number) => {
        const service = { oid: `1.2.250.1.999.42.77.${j}`, name: payload };
        const client = new MesClient({
          transport: inProcessTransport(mes, { clientId: `svc-${j}`, service, pairedWith: FINALITIES }),
          retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
        });
        await client.sendDocument({
          file: pdfBlob(`svc-${j}`),
          title: fit(payload, 255),
          description: at(j + 1),
          type: '11488-4',
          date: '2026-11-20T10:00:00+01:00',
        });
        const appointment: AgendaAppointment = {
          id: `RDV-${j}`,
          title: payload,
          start: new Date(Date.UTC(2030, 3, 1, 8) + j * 3_600_000).toISOString(),
          end: new Date(Date.UTC(2030, 3, 1, 8, 30) + j * 3_600_000).toISOString(),
          with: { kind: 'professional', name: fit(at(j + 1)) },
          speciality: { code: 'SM54', display: fit(at(j + 2)) },
          place: { name: fit(at(j + 3)), address: { lines: [fit(at(j + 4))], postalCode: '69000', city: 'Lyon' } },
          comment: at(j + 5),
        };
        const agenda = await client.syncAgenda([appointment]);
        assert.equal(agenda.failed, 0, JSON.stringify(agenda));
        const weights: MeasureSeries = {
          kind: 'weight',
          reason: fit(at(j + 2)),
          device: {
            serial: `FE-ED-AB-AA-DE-AD-77-${j.toString(16).padStart(2, '0').toUpperCase()}`,
            kind: 'weight-scale',
            name: fit(payload, 100),
            manufacturer: fit(at(j + 1), 100),
            model: fit(at(j + 2), 100),
          },
          readings: [{ at: new Date(Date.UTC(2026, 10, 20, 7) - j * 60_000).toISOString(), value: 70 + j / 10 }],
        };
        const measures = await client.sendMeasures([weights]);
        assert.equal(measures.total.failed, 0, JSON.stringify(measures));
      };
      await Promise.all(batch.map(file));
      injections += batch.length * 15;

      const patient = new Cookies();
      await patient.postForm(`${sandbox.url}/login`, { persona: 'camille' }, sandbox.url);
      const home = await (await patient.request(`${sandbox.url}/`)).text();
      const unpair = await (await patient.request(`${sandbox.url}/services/svc-0/desynchroniser`)).text();
      // A pairing of the first service: its name on the login page, every finalité's texts on the consent page.
      const scope = `openid ${FINALITIES.join(' ')}`;
      const client = { clientId: 'svc-0', redirectUri: 'http://localhost:5999/callback' };
      const consent = await throughConsent(
        sandbox.url,
        authorizeWithQuery(sandbox.url, pairingRequest(client, scope).params),
        'camille',
      );
      // Reflected: what a request carries, on MES's error page.
      const errors: string[] = [];
      for (const payload of batch.slice(0, 4)) {
        const response = await fetch(
          authorizeWithQuery(sandbox.url, { ...pairingRequest(client, scope).params, redirect_uri: payload }),
          { redirect: 'manual' },
        );
        if ((response.headers.get('content-type') ?? '').startsWith('text/html')) errors.push(await response.text());
        const unknown = await fetch(
          authorizeWithQuery(sandbox.url, { ...pairingRequest(client, scope).params, client_id: payload }),
          { redirect: 'manual' },
        );
        if ((unknown.headers.get('content-type') ?? '').startsWith('text/html')) errors.push(await unknown.text());
      }
      assert.ok(errors.length > 0, 'MES showed its error page');
      return { home, unpair, login: consent.loginPage, consent: consent.consentPage, errors };
    } finally {
      await sandbox.dispose();
    }
  }

  it('the detector sees a payload that runs and an element it injects', async () => {
    baseline = [];
    const plain = await pagesOf(Array.from({ length: BATCH }, (_, i) => `Texte ordinaire ${i}`));
    for (const html of [plain.home, plain.unpair, plain.login, plain.consent, ...plain.errors]) {
      baseline.push(...(await open(html)).shapes);
    }
    const result = await open(plain.home.replace('</main>', `${PAYLOADS.slice(0, 30).join('<br>')}</main>`));
    await page.waitForFunction('window.__ran.length > 0');
    const ran = await page.evaluate<string[]>('window.__ran');
    assert.ok(ran.includes('__xss(1)'), `the <script> payload ran: ${ran.join(' ')}`);
    assert.ok(result.injected.some((shape) => shape.startsWith('img')));
    assert.ok(result.injected.some((shape) => shape.startsWith('script')));
    // A plain page of the same kind is clean: the detector is not merely noisy.
    assert.deepEqual((await open(plain.home)).injected, []);
  });

  it(`every payload, ${BATCH} at a time, in the patient, login, consent, « Désynchroniser » and error pages`, async (t) => {
    assert.ok(PAYLOADS.length >= 200);
    for (let first = 0; first < PAYLOADS.length; first += BATCH) {
      const batch = PAYLOADS.slice(first, first + BATCH);
      const pages = await pagesOf(batch);
      const where = `payloads ${first + 1}–${first + batch.length}`;
      // Names of services, titles of documents and appointments, device names (within 100 characters).
      await expectInert(pages.home, [...batch, ...batch.map((p) => fit(p, 100))], `${where}, patient page`);
      await expectInert(pages.unpair, [batch[0]], `${where}, « Désynchroniser »`);
      await expectInert(pages.login, [batch[0]], `${where}, login page`);
      await expectInert(pages.consent, [batch[0]], `${where}, consent page`);
      for (const html of pages.errors) await expectInert(html, [], `${where}, error page`);
    }
    t.diagnostic(`xss pages: ${PAYLOADS.length} payloads, ${injections} injections, ${loads} page loads`);
    assert.ok(injections >= PAYLOADS.length * 15);
  });
});
