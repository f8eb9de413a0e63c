/**
 * Leak scan over a whole run of the demo portal (security matrix A5): pairing, sending a document,
 * importing one, syncing the agenda, sending measures, and errors (bad input, MES unavailable). Every
 * sink the browser side has is collected — web storage, script-readable cookies, the context's cookie
 * jar, every URL the page and MES's popup asked for and their Referer, console output, the detail of
 * every `mes-*` event, the gateway's audit log, the gateway's error answers — and searched for tokens
 * (any JWT, and the very tokens MES issued to the gateway), the OAuth code outside its one redirect,
 * the client secrets, and health data (titles, appointment titles, patient names, measure values).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright';
import { defaultConfig } from '../../packages/sandbox/src/index.js';
import { JWT, acceptInMes, logInToPortal, startPortal, successOf, type Portal } from '../helpers/portal.js';

/** The events the elements fire (packages/elements/src/events.ts). */
const EVENTS = [
  'send-start',
  'send-progress',
  'send-success',
  'send-error',
  'import-start',
  'import-progress',
  'import-success',
  'import-error',
  'agenda-sync-start',
  'agenda-sync-progress',
  'agenda-sync-success',
  'agenda-sync-error',
  'measures-send-start',
  'measures-send-progress',
  'measures-send-success',
  'measures-send-error',
  'measures-read-start',
  'measures-read-progress',
  'measures-read-success',
  'measures-read-error',
  'pair-start',
  'pair-success',
  'pair-error',
  'revoke-start',
  'revoke-success',
  'revoke-error',
  'consent-change',
  'selection-change',
].map((name) => `mes-${name}`);
/**
 * Not analytics: the host's own hand-off of what the patient chose or imported (events.ts: « metadata,
 * no content », and the imported documents themselves). They carry titles by design; checked for tokens only.
 */
const HAND_OFF = new Set(['mes-selection-change', 'mes-import-success', 'mes-import-start']);

/** In every page of the context: each `mes-*` event's detail, kept in memory only. */
const RECORD_EVENTS = `(() => {
  window.__mesEvents = [];
  for (const type of ${JSON.stringify(EVENTS)}) {
    document.addEventListener(type, (event) => {
      let detail;
      try { detail = JSON.stringify(event.detail, (k, v) => v instanceof Blob ? '[Blob ' + v.size + ']' : v); }
      catch (error) { detail = String(error); }
      window.__mesEvents.push({ type, detail: detail ?? 'null' });
    }, true);
  }
})()`;

/** Health data the run handles: titles of documents and appointments, the patients, measure values. */
const HEALTH = [
  'Lettre de liaison',
  'chirurgie digestive',
  'Bilan lipidique',
  'Numération formule sanguine',
  'Consultation pré-opératoire',
  'Consultation d’anesthésie',
  'Admission en chirurgie ambulatoire',
  'Camille',
  'Martin',
  'Haddad',
];
/** What a measure's value would look like in JSON. */
const MEASURE_VALUE = /"(value|systolic|diastolic|valueQuantity|points|min|max)"\s*:/;

/** Each token, code, secret or health datum found in a sink, said with what and where. */
function leaksIn(
  sinks: Record<string, string[]>,
  { issued, codes, secrets }: { issued: string[]; codes: string[]; secrets: string[] },
): string[] {
  const found: string[] = [];
  for (const [sink, values] of Object.entries(sinks)) {
    for (const value of values) {
      const say = (what: string) => found.push(`${what} in ${sink}: ${value.slice(0, 300)}`);
      if (JWT.test(value)) say('a JWT');
      for (const token of issued) if (value.includes(token)) say('a token MES issued');
      for (const secret of secrets) if (value.includes(secret)) say('a client secret');
      // The code belongs in its one redirect to the gateway's callback, and nowhere else.
      if (sink !== 'the code’s redirects') for (const code of codes) if (value.includes(code)) say('an OAuth code');
      if (sink === 'mes-* events' && HAND_OFF.has(value.split(' ')[0])) continue;
      // The page and MES show health data; what they ask for (URLs) and say elsewhere must not carry it.
      if (sink === 'URLs (but the redirects that carry the code)' || sink === 'the code’s redirects') {
        const decoded = decodeURIComponent(value);
        for (const datum of HEALTH) if (decoded.includes(datum)) say(`« ${datum} »`);
        continue;
      }
      for (const datum of HEALTH) if (value.includes(datum)) say(`« ${datum} »`);
      if (MEASURE_VALUE.test(value)) say('a measure value');
    }
  }
  return found;
}

describe('leak scan: one whole run of the demo portal, every browser-side sink searched', () => {
  let product: Portal;
  let portal: string;
  /** The tokens MES issued to the gateway, as the gateway's own requests got them. */
  const issued: string[] = [];
  const realFetch = globalThis.fetch;

  before(async () => {
    // The gateway runs in this process: its token requests to MES are seen on their way back.
    globalThis.fetch = async (input, init) => {
      const response = await realFetch(input, init);
      const url = input instanceof Request ? input.url : String(input);
      if (/\/oauth\/token$/.test(url) && response.ok) {
        const body = (await response.clone().json()) as Record<string, unknown>;
        for (const key of ['access_token', 'refresh_token', 'id_token']) {
          if (typeof body[key] === 'string') issued.push(body[key]);
        }
      }
      return response;
    };
    product = await startPortal();
    portal = product.url;
  });
  after(async () => {
    globalThis.fetch = realFetch;
    await product?.close();
  });

  it('no token, code, secret or health datum in storage, URLs, Referer, console, events, audit or error answers', async (t) => {
    const context: BrowserContext = await product.browser.newContext();
    await context.addInitScript(RECORD_EVENTS);
    const urls: string[] = [];
    const referers: string[] = [];
    const consoles: string[] = [];
    const errorAnswers: string[] = [];
    const pending: Promise<unknown>[] = [];
    const watch = (page: Page) => {
      page.on('console', (message) => consoles.push(message.text()));
      page.on('pageerror', (error) => consoles.push(error.message));
    };
    context.on('page', watch);
    context.on('request', (request) => {
      urls.push(request.url());
      const referer = request.headers()['referer'];
      if (referer) referers.push(referer);
    });
    context.on('response', (response) => {
      if (response.status() >= 400 && response.url().startsWith(portal)) {
        pending.push(
          response.text().then(
            (body) => errorAnswers.push(`${response.status()} ${response.url()} ${body}`),
            (error: Error) => errorAnswers.push(`${response.status()} ${response.url()} (no body: ${error.message})`),
          ),
        );
      }
    });
    const page = await context.newPage();
    /** Each page's storage, cookies and events, read before it goes. */
    const states: { storage: string; cookie: string; events: { type: string; detail: string }[] }[] = [];
    const readState = async () =>
      states.push(
        await page.evaluate<(typeof states)[number]>(`({
          storage: JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } }),
          cookie: document.cookie,
          events: window.__mesEvents ?? [],
        })`),
      );
    const openAs = async (path: string, name: string, ready: string) => {
      await page.goto(`${portal}${path}`);
      // Logged in to the portal already in this browser, or not yet.
      const account = page.locator('#accounts').getByRole('button', { name });
      await account.or(page.locator(ready)).first().waitFor();
      if (await account.isVisible()) await account.click();
      await page.locator(ready).first().waitFor();
    };

    // 1. Pairing and sending a document the portal holds.
    await logInToPortal(page, portal);
    const letter = 'mes-send-document-button[document-ref="sejour-2026-11-09/lettre-de-liaison"]';
    const [popup] = await Promise.all([context.waitForEvent('page'), page.locator(letter).getByRole('button').click()]);
    await acceptInMes(popup, 'Camille Martin');
    assert.equal(await successOf(page, letter), 'Envoyé vers Mon espace santé');

    // 2. Errors: input the gateway refuses, an operation it does not run, MES refusing what it is sent (422).
    const refused = await page.evaluate<number[]>(`(async () => {
      const post = (path, body) => fetch(path, { method: 'POST', body, headers: { 'x-mes-kit': '1', 'content-type': 'application/json' } });
      return [
        (await post('/mes/operations/send-document', JSON.stringify({ ref: 'sejour-2026-11-09/../../etc' }))).status,
        (await post('/mes/operations/send-document', JSON.stringify({ title: 'Bilan lipidique de Camille Martin', type: '11490-0', file: 'JVBERi0xLjQK' }))).status,
        (await post('/mes/operations/delete-everything', '{}')).status,
      ];
    })()`);
    assert.deepEqual(refused, [400, 400, 403]);
    const faults = (settings: object) =>
      realFetch(`${product.sandbox.url}/sandbox/faults`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(settings),
      });
    assert.equal((await faults({ errorRate: 1, statuses: [422] })).status, 200);
    const other = page
      .locator('mes-send-document-button[document-ref]:not([document-ref$="lettre-de-liaison"])')
      .first();
    await other.getByRole('button').click();
    await page.waitForFunction((el) => el?.matches(':state(error)'), await other.elementHandle(), { timeout: 60_000 });
    assert.equal((await faults({ errorRate: 0 })).status, 200);
    await readState();

    // 3. Importing a document from MES.
    await openAs('/teleconsultation.html', 'Camille Martin', 'mes-import-document-button');
    const [importPopup] = await Promise.all([
      context.waitForEvent('page'),
      page
        .locator('mes-import-document-button')
        .getByRole('button', { name: 'Importer depuis Mon espace santé' })
        .click(),
    ]);
    await acceptInMes(importPopup, 'Camille Martin');
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('option', { name: /Bilan lipidique/ }).click();
    await dialog.getByRole('button', { name: /Importer 1 document/ }).click();
    await page.waitForFunction(
      () => document.querySelector('mes-import-document-button')?.matches(':state(success)'),
      undefined,
      { timeout: 20_000 },
    );
    await readState();

    // 4. Syncing the agenda.
    await openAs('/tilleuls.html', 'Camille Martin', '#agenda > mes-agenda-sync-button');
    const agenda = page.locator('#agenda > mes-agenda-sync-button');
    const [agendaPopup] = await Promise.all([
      context.waitForEvent('page'),
      agenda.getByRole('button', { name: 'Mettre à jour mon agenda Mon espace santé' }).click(),
    ]);
    await acceptInMes(agendaPopup, 'Camille Martin');
    await agenda.getByRole('button', { name: 'Confirmer' }).click();
    await page.waitForFunction(
      () => document.querySelector('#agenda > mes-agenda-sync-button')?.matches(':state(success)'),
      undefined,
      { timeout: 20_000 },
    );
    await readState();

    // 5. Sending measures.
    await openAs('/balance.html', 'Camille Martin', 'mes-send-measures-button');
    const measures = page.locator('mes-send-measures-button');
    await measures.getByRole('button', { name: 'Envoyer mes mesures vers Mon espace santé' }).click();
    const [measuresPopup] = await Promise.all([
      context.waitForEvent('page'),
      measures.getByRole('button', { name: 'Envoyer', exact: true }).click(),
    ]);
    await acceptInMes(measuresPopup, 'Camille Martin');
    await page.waitForFunction(
      () => document.querySelector('mes-send-measures-button')?.matches(':state(success)'),
      undefined,
      { timeout: 60_000 },
    );
    await readState();
    await Promise.all(pending);
    const jar = await context.cookies();
    await context.close();

    // What was collected, and that it is not empty: a scan of nothing proves nothing.
    const events = states.flatMap((state) => state.events);
    assert.ok(issued.length >= 8, `the gateway got MES's tokens (${issued.length})`);
    const codes = urls.flatMap((url) => new URL(url).searchParams.getAll('code')).filter((code) => code.length > 10);
    const secrets = defaultConfig()
      .services.map((service) => service.clientSecret)
      .filter((secret): secret is string => !!secret);
    const counts = {
      urls: urls.length,
      referers: referers.length,
      console: consoles.length,
      events: events.length,
      audit: product.audit.length,
      errorAnswers: errorAnswers.length,
      cookies: jar.length,
      storages: states.length,
      tokens: issued.length,
      codes: codes.length,
    };
    t.diagnostic(`leak scan: ${JSON.stringify(counts)}`);
    assert.ok(codes.length >= 4, 'each pairing came back with a code');
    assert.ok(urls.length > 50, 'URLs collected');
    assert.ok(events.length > 10, 'events collected');
    assert.ok(product.audit.length > 4, 'audit entries');
    assert.ok(errorAnswers.length >= 4, `error answers collected: ${errorAnswers.join(' | ')}`);

    const sinks: Record<string, string[]> = {
      'web storage': states.map((state) => state.storage),
      'script-readable cookies': states.map((state) => state.cookie),
      'cookie jar': jar.map((cookie) => `${cookie.name}=${cookie.value}`),
      'URLs (but the redirects that carry the code)': urls.filter((url) => !/[?&]code=/.test(url)),
      'the code’s redirects': urls.filter((url) => /[?&]code=/.test(url)),
      Referer: referers,
      console: consoles,
      'mes-* events': events.map((event) => `${event.type} ${event.detail}`),
      'audit log': product.audit.map((entry) => JSON.stringify(entry)),
      'gateway error answers': errorAnswers,
    };
    const found = leaksIn(sinks, { issued, codes, secrets });
    // The code's redirects go to the portal's own callback, and nowhere else.
    for (const url of sinks['the code’s redirects']) assert.ok(url.startsWith(`${portal}/`), url);
    assert.deepEqual(found, []);

    // The scan sees what it looks for: a token, the code, a secret, a title and a value, planted once each.
    const planted = leaksIn(
      {
        console: [`got ${issued.find((token) => JWT.test(token))}`, `code ${codes[0]}`, 'Bilan lipidique'],
        'audit log': [`{"secret":"${secrets[0]}"}`],
        'mes-* events': ['mes-send-success {"value":71.2}'],
        'URLs (but the redirects that carry the code)': [`${portal}/x?q=Bilan%20lipidique`],
      },
      { issued, codes, secrets },
    );
    assert.equal(planted.length, 7, planted.join('\n'));
  });
});
