/**
 * Stored XSS (security matrix A8): every payload of test/fixtures/xss-payloads.txt in every field an
 * element renders — document titles, authors and categories, import lists and errors, the title of a
 * document to send, MES's OperationOutcome diagnostics, finalité labels and descriptions, the service's
 * name, appointments, measure devices and units. None may run (no `__xss`, `alert`, `confirm`,
 * `prompt`, `print` call), none may add an element to the page or a shadow root, and a payload shown
 * to the patient is shown as its text.
 */
import { expect, fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing';
import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import {
  MesClient,
  MesError,
  describeFinalities,
  inProcessTransport,
  type AgendaAppointment,
  type FinalityDescription,
  type FoundDocument,
  type LocalTransport,
  type MeasureSeries,
  type MeasuresSummary,
  type MesSession,
  type RemoteTransport,
} from '@mes-kit/core';
import '../../packages/elements/src/all.js';
import type {
  MesAgendaSyncButton,
  MesConsentPrompt,
  MesDocumentPicker,
  MesImportDocumentButton,
  MesSendDocumentButton,
  MesSendMeasuresButton,
} from '../../packages/elements/src/index.js';
import { createInPageSandbox } from '../../packages/sandbox/src/in-page.js';
import { fakeGateway } from '../../stories/_helpers/fake-gateway.js';
import { listingGateway } from '../../stories/_helpers/found-documents.js';
import { part, parts } from '../helpers/shadow-dom.js';
import { SERVICE, outcome, scripted } from '../helpers/scripted-transport.js';

declare global {
  interface Window {
    __xss?: (id?: unknown) => void;
  }
}

const PAYLOADS = (await (await fetch('/test/fixtures/xss-payloads.txt')).text()).split('\n').filter(Boolean);

/** What ran: every call of `__xss` and of the dialogs a payload would open. */
const ran: string[] = [];
/** How many payload × field injections the suite made. */
let injections = 0;

/** The page's own scripts, before any test. */
const scripts = document.scripts.length;

const HOOKED = ['alert', 'confirm', 'prompt', 'print'] as const;
const originals = Object.fromEntries(HOOKED.map((name) => [name, window[name].bind(window)]));
function installHooks() {
  window.__xss = (id) => void ran.push(`__xss(${String(id)})`);
  for (const name of HOOKED) {
    (window as unknown as Record<string, unknown>)[name] = (...args: unknown[]) =>
      void ran.push(`${name}(${args.map(String).join(',')})`);
  }
}
function removeHooks() {
  delete window.__xss;
  for (const name of HOOKED) (window as unknown as Record<string, unknown>)[name] = originals[name];
}

/** Every element under `root`, through shadow roots (open ones: the kit's are). */
function deepElements(root: Element | ShadowRoot): Element[] {
  const found: Element[] = [];
  for (const element of root.querySelectorAll('*')) {
    found.push(element);
    if (element.shadowRoot) found.push(...deepElements(element.shadowRoot));
  }
  if (root instanceof Element && root.shadowRoot) found.push(...deepElements(root.shadowRoot));
  return found;
}

/** An element's shape: its tag and its attributes' names (values are text and may hold a payload). */
const shapeOf = (element: Element) =>
  [element.localName, ...[...element.attributes].map((a) => a.name).sort()].join(' ');

/** Tags a payload brings, that text rendered as text never makes. */
const ACTIVE =
  /^(script|iframe|object|embed|frame|frameset|base|meta|link|style|math|form|video|audio|source|image|marquee|portal|fencedframe|noscript|xmp|plaintext|isindex|keygen|template|slot|x|custom-tag|lit-html|x-foo)$/;

/** What a payload would have added: an unknown shape, an event handler attribute, a clobbering name, an active tag. */
function injectedIn(root: Element | ShadowRoot, baseline?: ReadonlySet<string>): string[] {
  const found: string[] = [];
  for (const element of deepElements(root)) {
    const shape = shapeOf(element);
    const handler = [...element.attributes].some((a) => /^on/i.test(a.name));
    const clobber = /xss/i.test(`${element.id} ${element.getAttribute('name') ?? ''}`);
    const unknown = baseline && !baseline.has(shape);
    if (handler || clobber || unknown || ACTIVE.test(element.localName)) found.push(`<${shape}>`);
  }
  return found;
}

/** The shapes an element's render has with plain text in its fields. */
async function baselineOf(root: Element) {
  await settle();
  return new Set(deepElements(root).map(shapeOf));
}

/** Text as compared: spaces collapsed, as the patient reads it. */
const norm = (value: string) => value.replace(/\s+/g, ' ').trim();
const deepText = (root: Element) =>
  norm(
    [root, ...deepElements(root)]
      .map((element) => element.shadowRoot)
      .filter((shadow): shadow is ShadowRoot => !!shadow)
      .map((shadow) => shadow.textContent)
      .join(' '),
  );

/** A few frames and a moment: an `onerror` or `onload` would have fired by then. */
async function settle() {
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  await new Promise((resolve) => setTimeout(resolve, 60));
}

/** Nothing ran, nothing was added; and what the patient sees holds each payload as text. */
async function expectInert(root: Element, baseline: ReadonlySet<string>, shown: readonly string[] = []) {
  await settle();
  expect(ran, 'no payload ran').to.deep.equal([]);
  expect(injectedIn(root, baseline), 'no element came from a payload').to.deep.equal([]);
  const page = [...document.querySelectorAll('*')].filter(
    (e) => [...e.attributes].some((a) => /^on/i.test(a.name)) || /xss/i.test(`${e.id} ${e.getAttribute('name') ?? ''}`),
  );
  expect(page.map(shapeOf), 'nothing added to the page').to.deep.equal([]);
  expect(document.scripts.length, 'no script added to the page').to.equal(scripts);
  expect((window as unknown as Record<string, unknown>)['__xss_clobber'], 'no clobbered global').to.be.undefined;
  const text = deepText(root);
  const missing = shown.filter((payload) => !text.includes(norm(payload)));
  expect(missing, 'each payload shown verbatim, as text').to.deep.equal([]);
}

/** `size` payloads at a time, each batch with the index of its first. */
function batches(size: number): [string[], number][] {
  const out: [string[], number][] = [];
  for (let i = 0; i < PAYLOADS.length; i += size) out.push([PAYLOADS.slice(i, i + size), i]);
  return out;
}
const at = (i: number) => PAYLOADS[i % PAYLOADS.length];
/** Within a field's length (MES's and core's limits: 200 characters for a name, 100 for a device's). */
const fit = (payload: string, max = 200) => payload.slice(0, max);

function foundDocument(i: number, title: string, author = 'Dr Sophie Leclerc', category = 'CPT_REND'): FoundDocument {
  return {
    id: `doc-${i}`,
    title,
    type: { code: '11488-4' },
    category: category as FoundDocument['category'],
    date: new Date(Date.UTC(2026, 5, 30) - i * 86_400_000).toISOString(),
    author: { kind: 'professional', name: author },
    confidentiality: 'N',
    contentType: 'application/pdf',
    size: 1024,
    hash: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=',
  };
}

describe('stored XSS: every payload in every field an element renders', () => {
  setupIgnoreWindowResizeObserverLoopErrors(beforeEach, afterEach, { suppressErrorLogging: true });
  before(installHooks);
  after(removeHooks);
  afterEach(() => expect(ran, 'nothing ran').to.deep.equal([]));

  it('the corpus: at least 200 distinct payloads', () => {
    expect(PAYLOADS.length).to.be.at.least(200);
    expect(new Set(PAYLOADS).size).to.equal(PAYLOADS.length);
  });

  it('the detector sees a payload that does run (innerHTML in a throwaway div and shadow root)', async () => {
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    const baseline = await baselineOf(host);
    const inner = document.createElement('div');
    host.append(inner);
    const shadow = inner.attachShadow({ mode: 'open' });
    shadow.innerHTML = '<p>Compte rendu <img src=x onerror=__xss(1)></p>';
    const light = document.createElement('div');
    host.append(light);
    light.innerHTML = PAYLOADS.slice(0, 40).join('<br>');
    await waitUntil(() => ran.includes('__xss(1)'), 'the shadow root’s payload ran', { timeout: 3000 });
    expect(ran.length, 'payloads of the light DOM ran too').to.be.above(1);
    const found = injectedIn(host, baseline);
    expect(found.some((shape) => shape.startsWith('<img'))).to.be.true;
    expect(found.some((shape) => shape.startsWith('<script'))).to.be.true;
    expect(injectedIn(shadow)).to.deep.equal(['<img onerror src>']);
    host.remove();
    // Late ones (a 404 takes a moment) are this test's, not the next one's.
    await new Promise((resolve) => setTimeout(resolve, 500));
    ran.length = 0;
  });

  it('<mes-document-picker>: titles, authors and categories in the list, titles in the preview', async function () {
    this.timeout(60_000);
    const documents = PAYLOADS.map((payload, i) => foundDocument(i, payload, at(i + 1), at(i + 2)));
    const plain = [foundDocument(0, 'Compte rendu', 'Dr Leclerc', 'CPT_REND')];
    const draw = async (docs: FoundDocument[]) => {
      // Alone on the page: the virtualizer draws only the rows in the window.
      fixtureCleanup();
      const client = new MesClient({ transport: listingGateway(docs) });
      const el = await fixture<MesDocumentPicker>(
        html`<mes-document-picker .client=${client} lang="fr"></mes-document-picker>`,
      );
      await waitUntil(() => el.matches(':state(success)'), 'listed', { timeout: 10_000 });
      await waitUntil(() => parts(el, 'item').length > 0, 'rows drawn').catch(() => {
        throw new Error(`no row drawn; the picker says « ${norm(part(el, 'base')!.textContent)} »`);
      });
      return el;
    };
    // The shapes of the list and of its preview, with plain text.
    const quiet = await draw(plain);
    parts(quiet, 'item')[0].click();
    await quiet.updateComplete;
    (quiet.shadowRoot!.querySelector('[part~="preview"] button') as HTMLButtonElement).click();
    await waitUntil(() => part(quiet, 'preview-title'), 'preview');
    const baseline = await baselineOf(quiet);

    const el = await draw(documents);
    // Baseline taken, the plain picker is gone: its shapes are kept.
    const list = part(el, 'list')!;
    const seen = new Set<string>();
    for (let guard = 0; seen.size < documents.length && guard < 400; guard++) {
      for (const row of parts(el, 'item')) {
        const id = row.getAttribute('data-id')!;
        if (seen.has(id) || row.getBoundingClientRect().bottom > list.getBoundingClientRect().bottom) continue;
        seen.add(id);
        const i = Number(id.slice(4));
        expect(norm(row.querySelector('[part~="title"]')!.textContent)).to.equal(norm(PAYLOADS[i]));
        const meta = norm(row.querySelector('[part~="meta"]')!.textContent);
        expect(meta).to.include(norm(at(i + 1)));
        expect(meta).to.include(norm(at(i + 2)));
        // Chosen: its title in the preview's button; every 7th, the preview itself.
        row.click();
        await el.updateComplete;
        if (i % 7 === 0) {
          (el.shadowRoot!.querySelector('[part~="preview"] button') as HTMLButtonElement).click();
          await waitUntil(() => part(el, 'preview-title'), 'preview');
          expect(norm(part(el, 'preview-title')!.textContent)).to.include(norm(PAYLOADS[i]));
          await expectInert(el, baseline);
          (el.shadowRoot!.querySelector('[part~="preview"] button') as HTMLButtonElement).click();
          await el.updateComplete;
        }
        expect(norm(part(el, 'preview')!.textContent)).to.include(norm(PAYLOADS[i]));
      }
      list.scrollTop += list.clientHeight / 2;
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      await el.updateComplete;
    }
    expect(seen.size, 'every row drawn and read').to.equal(documents.length);
    injections += documents.length * 4;
    await expectInert(el, baseline);
    await expect(el).to.be.accessible();
  });

  it('<mes-import-document-button>: titles in the list of imports and in the failure', async function () {
    this.timeout(60_000);
    const importing = async (docs: FoundDocument[]) => {
      const failing = docs.at(-1)!.id;
      const transport = fakeGateway({
        paired: ['DOC_LECTURE'],
        run: async (_name, input) => {
          const { id } = input as { id: string };
          if (id === failing) throw new MesError('MES_INVALID_RESPONSE', { operation: 'retrieve-document' });
          return { document: docs.find((doc) => doc.id === id), received: { ref: `GED-${id}` } };
        },
      });
      const el = await fixture<MesImportDocumentButton>(
        html`<mes-import-document-button .client=${new MesClient({ transport })} max="1000" lang="fr">
        </mes-import-document-button>`,
      );
      await el.importDocuments(docs);
      await el.updateComplete;
      expect(el.matches(':state(error)')).to.be.true;
      return el;
    };
    const baseline = await baselineOf(await importing([foundDocument(0, 'Ordonnance'), foundDocument(1, 'Bilan')]));
    for (const [batch, first] of batches(40)) {
      const el = await importing(batch.map((payload, j) => foundDocument(first + j, payload)));
      const titles = parts(el, 'item-title').map((title) => norm(title.textContent));
      expect(titles).to.deep.equal(batch.map(norm));
      expect(norm(part(el, 'error')!.textContent)).to.include(norm(batch.at(-1)!));
      injections += batch.length;
      await expectInert(el, baseline, batch);
    }
  });

  it('<mes-send-document-button>: the document’s title, `document-title`, and MES’s diagnostics', async function () {
    this.timeout(60_000);
    const buttons = async (titles: string[], diagnostics: string[]) => {
      const wrapper = await fixture<HTMLElement>(
        html`<div lang="fr">
          ${titles.map((title, i) => {
            const { transport } = scripted([outcome(422, diagnostics[i])]);
            return html`<mes-send-document-button
              .client=${new MesClient({ transport, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } })}
              .document=${{ file: new Blob(['%PDF-1.4\n%%EOF\n'], { type: 'application/pdf' }), title, type: '11490-0' }}
              document-title=${i % 2 ? title : ''}
            ></mes-send-document-button>`;
          })}
        </div>`,
      );
      const els = [...wrapper.querySelectorAll<MesSendDocumentButton>('mes-send-document-button')];
      for (const el of els) part(el, 'button')!.click();
      await waitUntil(() => els.every((el) => el.matches(':state(error)')), 'MES refused each', { timeout: 10_000 });
      return wrapper;
    };
    const baseline = await baselineOf(await buttons(['Lettre de liaison'], ['Invalid resource']));
    for (const [batch, first] of batches(70)) {
      const diagnostics = batch.map((_, j) => at(first + j + 3));
      const wrapper = await buttons(batch, diagnostics);
      injections += batch.length * 2;
      await expectInert(wrapper, baseline, batch);
    }
  });

  it('<mes-consent-prompt>: finalité labels, descriptions, data, and the service’s name, unpaired and paired', async function () {
    this.timeout(60_000);
    const poisoned = (i: number): FinalityDescription[] =>
      describeFinalities(['DOC_ECRITURE', 'DOC_LECTURE']).map((finality, k) => ({
        ...finality,
        libelle: at(i + k),
        description: at(i + k + 2),
        echangesDeDonnees: finality.echangesDeDonnees.map((exchange) => ({
          ...exchange,
          perimetre: at(i + k + 4),
          categories: exchange.categories.map((category) => ({ ...category, titre: at(i + k + 6) })),
        })),
      }));
    const prompts = async (finalities: FinalityDescription[][], names: string[], paired: string[]) => {
      const wrapper = await fixture<HTMLElement>(
        html`<div lang="fr">
          ${finalities.map((asked, i) => {
            const session: MesSession = {
              paired: paired.length > 0,
              finalities: paired,
              idPe: paired.length > 0 ? 'patient-externe-id-2' : undefined,
              service: { ...SERVICE, name: names[i] },
            };
            const { transport } = scripted([], session);
            return html`<mes-consent-prompt
              .client=${new MesClient({ transport })}
              .finalities=${asked}
              cgu-url="https://portail.example.fr/cgu"
            ></mes-consent-prompt>`;
          })}
        </div>`,
      );
      const els = [...wrapper.querySelectorAll<MesConsentPrompt>('mes-consent-prompt')];
      await waitUntil(
        () => els.every((el, i) => deepText(el).includes(norm(names[i]).slice(0, 3))),
        'each prompt names its service',
      );
      return wrapper;
    };
    const plain = describeFinalities(['DOC_ECRITURE', 'DOC_LECTURE']);
    for (const paired of [[], ['DOC_ECRITURE']]) {
      const baseline = await baselineOf(await prompts([plain], ['Hôpital Lumière'], paired));
      for (const [batch, first] of batches(50)) {
        const wrapper = await prompts(
          batch.map((_, j) => poisoned(first + j)),
          batch,
          paired,
        );
        injections += batch.length * (paired.length ? 3 : 9);
        // The service's name is said in each; the labels in the list (paired) or on the switches.
        await expectInert(
          wrapper,
          baseline,
          paired.length ? batch : [...batch, ...batch.map((_, j) => at(first + j + 6))],
        );
      }
    }
  });

  it('<mes-agenda-sync-button>: titles, practitioners, places, specialities and comments, planned and written', async function () {
    this.timeout(60_000);
    const appointment = (i: number, title: string): AgendaAppointment => ({
      id: `RDV-${i}`,
      title,
      start: new Date(Date.UTC(2030, 3, 1, 8) + i * 3_600_000).toISOString(),
      end: new Date(Date.UTC(2030, 3, 1, 8, 30) + i * 3_600_000).toISOString(),
      with: { kind: i % 2 ? 'professional' : 'establishment', name: fit(at(i + 1)) },
      speciality: { code: 'SM54', display: fit(at(i + 2)) },
      place: { name: fit(at(i + 3)), address: { lines: [fit(at(i + 4))], postalCode: '69000', city: 'Lyon' } },
      comment: at(i + 5),
    });
    const sync = async (appointments: AgendaAppointment[]) => {
      const sandbox = await createInPageSandbox({ seeded: false });
      const client = new MesClient({
        transport: inProcessTransport(sandbox, { pairedWith: ['AGENDA_ECRITURE'], clientId: 'mes-kit-demo' }),
      });
      const el = await fixture<MesAgendaSyncButton>(
        html`<mes-agenda-sync-button
          .client=${client}
          .appointments=${appointments}
          lang="fr"
        ></mes-agenda-sync-button>`,
      );
      await client.session();
      part(el, 'button')!.click();
      await waitUntil(() => el.matches(':state(planned)') || el.matches(':state(error)'), 'the plan', {
        timeout: 10_000,
      });
      expect(el.matches(':state(planned)'), 'MES takes the appointments').to.be.true;
      return el;
    };
    const plain = appointment(0, 'Consultation');
    const quiet = await sync([{ ...plain, with: { kind: 'professional', name: 'Dr Leclerc' } }]);
    const baseline = await baselineOf(quiet);
    part(quiet, 'confirm')!.click();
    await waitUntil(() => quiet.matches(':state(success)'), 'written', { timeout: 10_000 });
    for (const shape of await baselineOf(quiet)) baseline.add(shape);

    for (const [batch, first] of batches(100)) {
      const el = await sync(batch.map((title, j) => appointment(first + j, title)));
      await expectInert(el, baseline, batch);
      part(el, 'confirm')!.click();
      await waitUntil(() => el.matches(':state(success)') || el.matches(':state(partial)'), 'written', {
        timeout: 20_000,
      });
      injections += batch.length * 6;
      await expectInert(el, baseline, batch);
    }
    // One appointment's own button, its title told with the button's name.
    const own = (titles: string[], first: number) =>
      fixture<HTMLElement>(
        html`<div lang="fr">
          ${titles.map(
            (title, j) =>
              html`<mes-agenda-sync-button
                .client=${new MesClient({ transport: fakeGateway({ paired: ['AGENDA_ECRITURE'] }) })}
                .appointments=${[appointment(first + j, title)]}
                appointment-id=${`RDV-${first + j}`}
              ></mes-agenda-sync-button>`,
          )}
        </div>`,
      );
    const ownBaseline = await baselineOf(await own(['Consultation'], 0));
    for (const [batch, first] of batches(70)) {
      injections += batch.length;
      await expectInert(await own(batch, first), ownBaseline, batch);
    }
  });

  it('<mes-send-measures-button>: device names, makers and models, reasons, units, and MES’s diagnostics', async function () {
    this.timeout(60_000);
    const series = (i: number): MeasureSeries[] => [
      {
        kind: 'weight',
        reason: fit(at(i + 3)),
        device: {
          serial: `FE-ED-AB-AA-DE-AD-77-${(i % 256).toString(16).padStart(2, '0').toUpperCase()}`,
          kind: 'weight-scale',
          name: fit(at(i), 100),
          manufacturer: fit(at(i + 1), 100),
          model: fit(at(i + 2), 100),
        },
        readings: [
          { at: '2025-11-20T07:30:00+01:00', value: 71.8 },
          { at: '2025-11-21T07:30:00+01:00', value: 71.5 },
        ],
      },
    ];
    const buttons = async (count: number, first: number, failWith?: (i: number) => string) => {
      const sandbox = await createInPageSandbox({ seeded: false });
      // One pairing for all: a second one would replace the first.
      const base = inProcessTransport(sandbox, { pairedWith: ['MESURE_POIDS_ECRITURE'] });
      const wrapper = await fixture<HTMLElement>(
        html`<div lang="fr">
          ${Array.from({ length: count }, (_, j) => {
            const transport: LocalTransport = failWith
              ? {
                  ...base,
                  request: async (request, options) =>
                    request.method === 'GET' ? base.request(request, options) : outcome(422, failWith(first + j))(),
                }
              : base;
            return html`<mes-send-measures-button
              .client=${new MesClient({ transport, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } })}
              .series=${series(first + j)}
            ></mes-send-measures-button>`;
          })}
        </div>`,
      );
      const els = [...wrapper.querySelectorAll<MesSendMeasuresButton>('mes-send-measures-button')];
      for (const el of els) part(el, 'button')!.click();
      await waitUntil(() => els.every((el) => el.matches(':state(preview)')), 'previews', { timeout: 10_000 }).catch(
        () => {
          const stuck = els.find((el) => !el.matches(':state(preview)'))!;
          throw new Error(`no preview: « ${norm(stuck.shadowRoot!.textContent)} »`);
        },
      );
      for (const el of els) part(el, 'confirm')!.click();
      const ended = (el: Element) => ['success', 'partial', 'error'].some((state) => el.matches(`:state(${state})`));
      await waitUntil(() => els.every(ended), 'sent', { timeout: 20_000 });
      return wrapper;
    };
    const baseline = await baselineOf(await buttons(1, 0));
    for (const shape of await baselineOf(await buttons(1, 0, () => 'Invalid Observation'))) baseline.add(shape);
    for (const [batch, first] of batches(70)) {
      injections += batch.length * 4;
      await expectInert(await buttons(batch.length, first), baseline);
      injections += batch.length;
      await expectInert(await buttons(batch.length, first, (i) => at(i + 4)), baseline);
    }
    // A gateway's summary: its unit is shown.
    const summary = (unit: string): MeasuresSummary => ({
      total: 2,
      from: '2025-11-20T06:30:00.000Z',
      to: '2025-11-21T06:30:00.000Z',
      kinds: [
        {
          kind: 'weight',
          type: 'POIDS',
          count: 2,
          from: '2025-11-20T06:30:00.000Z',
          to: '2025-11-21T06:30:00.000Z',
          unit,
          min: 71.5,
          max: 71.8,
          points: [71.8, 71.5],
        },
      ],
      finalities: ['MESURE_POIDS_ECRITURE'],
    });
    const previews = async (units: string[], fail = false) => {
      const wrapper = await fixture<HTMLElement>(
        html`<div lang="fr">
          ${units.map((unit) => {
            const transport: RemoteTransport = {
              ...fakeGateway({ paired: ['MESURE_POIDS_ECRITURE'] }),
              measuresSummary: async () => {
                if (fail) throw new MesError('MES_HOST_FAILED', { operation: 'send-measures' });
                return summary(unit);
              },
            };
            return html`<mes-send-measures-button .client=${new MesClient({ transport })}></mes-send-measures-button>`;
          })}
        </div>`,
      );
      const els = [...wrapper.querySelectorAll<MesSendMeasuresButton>('mes-send-measures-button')];
      for (const el of els) part(el, 'button')!.click();
      await waitUntil(
        () => els.every((el) => el.matches(':state(preview)') || el.matches(':state(error)')),
        'previews',
        {
          timeout: 10_000,
        },
      );
      return { wrapper, els };
    };
    const quiet = await previews(['kg']);
    const unitBaseline = new Set([
      ...(await baselineOf(quiet.wrapper)),
      ...(await baselineOf((await previews(['kg'], true)).wrapper)),
    ]);
    for (const [batch] of batches(70)) {
      const { wrapper, els } = await previews(batch);
      injections += batch.length;
      // A unit the summary's schema refuses is an error, not a display: either way, nothing runs.
      const shown = batch.filter((_, j) => els[j].matches(':state(preview)'));
      await expectInert(wrapper, unitBaseline, shown);
    }
  });

  it('made thousands of injections, and none ran', () => {
    // 281 payloads × 32 fields and states at the time of writing: 8,992.
    expect(injections).to.be.at.least(PAYLOADS.length * 30);
    expect(ran).to.deep.equal([]);
  });
});
