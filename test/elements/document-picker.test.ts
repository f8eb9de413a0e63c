import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { nothing } from 'lit';
import { sendKeys } from '@web/test-runner-commands';
import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import {
  MesClient,
  MesError,
  describeFinalities,
  inProcessTransport,
  type FoundDocument,
  type RunOptions,
} from '@mes-kit/core';
import '../../packages/elements/src/all.js';
import type { MesDocumentPicker } from '../../packages/elements/src/index.js';
import { createInPageSandbox } from '../../packages/sandbox/src/in-page.js';
import { fakeGateway } from '../../stories/_helpers/fake-gateway.js';
import {
  generateDocuments,
  listingGateway,
  type ListingGatewayOptions,
} from '../../stories/_helpers/found-documents.js';

interface Attributes {
  lang?: string;
  multiple?: boolean;
  name?: string;
  required?: boolean;
  category?: string;
  pageSize?: number;
}

function picker(client: MesClient, attributes: Attributes = {}) {
  return html`<mes-document-picker
    .client=${client}
    ?multiple=${attributes.multiple}
    ?required=${attributes.required}
    name=${attributes.name ?? nothing}
    category=${attributes.category ?? nothing}
    page-size=${attributes.pageSize ?? nothing}
  ></mes-document-picker>`;
}

/** The picker on the in-page sandbox: Camille's 13 documents, or those of another persona. */
async function onSandbox(options: Attributes & { paired?: string[]; persona?: string } = {}) {
  const sandbox = await createInPageSandbox();
  const client = new MesClient({
    transport: inProcessTransport(sandbox, { pairedWith: options.paired, persona: options.persona }),
  });
  const wrapper = await fixture<HTMLElement>(
    html`<div lang=${options.lang ?? 'fr'}>
      <mes-provider .client=${client}>${picker(client, options)}</mes-provider>
    </div>`,
  );
  const el = wrapper.querySelector('mes-document-picker')!;
  await el.updateComplete;
  return { sandbox, client, el };
}

/** The picker on a stand-in gateway listing these documents. */
async function onGateway(documents: FoundDocument[], options: Attributes & ListingGatewayOptions = {}) {
  const transport = listingGateway(documents, options);
  const signals: AbortSignal[] = [];
  const run = transport.run.bind(transport);
  // As a real gateway transport does: an abort ends the request.
  transport.run = (name, input, runOptions?: RunOptions) => {
    const signal = runOptions?.signal;
    const answer = run(name, input, runOptions);
    if (!signal) return answer;
    signals.push(signal);
    return new Promise((resolve, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
      answer.then(resolve, reject);
    });
  };
  const client = new MesClient({ transport });
  const wrapper = await fixture<HTMLElement>(html`<div lang=${options.lang ?? 'fr'}>${picker(client, options)}</div>`);
  const el = wrapper.querySelector('mes-document-picker')!;
  await el.updateComplete;
  return { transport, client, el, signals };
}

const shadow = (el: MesDocumentPicker) => el.shadowRoot!;
const part = (el: MesDocumentPicker, name: string) => shadow(el).querySelector<HTMLElement>(`[part~="${name}"]`);
const listbox = (el: MesDocumentPicker) => shadow(el).querySelector<HTMLElement>('[role="listbox"]');
const options = (el: MesDocumentPicker) => [...shadow(el).querySelectorAll<HTMLElement>('[role="option"]')];
const option = (el: MesDocumentPicker, id: string) => shadow(el).querySelector<HTMLElement>(`#option-${id}`);
const titles = (el: MesDocumentPicker) => options(el).map((o) => o.querySelector('[part~="title"]')!.textContent);
const status = (el: MesDocumentPicker) => part(el, 'status')!.textContent.replace(/\s+/g, ' ').trim();
const buttonNamed = (el: MesDocumentPicker, name: string) =>
  [...shadow(el).querySelectorAll('button')].find((b) => b.textContent.replace(/\s+/g, ' ').trim() === name);
const selectedIds = (el: MesDocumentPicker) => el.selected.map((doc) => doc.id);
const activeId = (el: MesDocumentPicker) => listbox(el)!.getAttribute('aria-activedescendant')?.replace('option-', '');

/** Every page in, and the first rows drawn. */
async function listed(el: MesDocumentPicker) {
  await waitUntil(() => el.matches(':state(success)'), 'every page listed', { timeout: 5000 });
  await el.updateComplete;
  await waitUntil(() => options(el).length > 0, 'rows drawn');
}

/** The rows drawn again for a list of `count` documents (the virtualizer draws on its own time). */
const drawn = (el: MesDocumentPicker, count: number) =>
  waitUntil(() => options(el)[0]?.getAttribute('aria-setsize') === String(count), `${count} rows drawn`);

/** Types into a filter field as the patient does. */
async function fill(el: MesDocumentPicker, name: string, value: string, type: 'input' | 'change' = 'input') {
  const field = part(el, name) as HTMLInputElement | HTMLSelectElement;
  field.value = value;
  field.dispatchEvent(new Event(type, { bubbles: true }));
  await el.updateComplete;
}

async function focusList(el: MesDocumentPicker) {
  listbox(el)!.focus();
  await el.updateComplete;
}

const held = () => {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
};

describe('<mes-document-picker>', () => {
  // The virtualizer's benign « ResizeObserver loop » notices are not test failures (see its README).
  setupIgnoreWindowResizeObserverLoopErrors(beforeEach, afterEach, { suppressErrorLogging: true });

  describe('states', () => {
    it('loading: says so, busy, while the first page is on its way, accessibly', async () => {
      const first = held();
      const { el } = await onGateway(generateDocuments(5), { beforePage: () => first.promise });
      await waitUntil(() => el.matches(':state(pending)'));
      expect(el.matches(':state(loading)')).to.be.true;
      expect(status(el)).to.equal('Chargement de vos documents…');
      expect(part(el, 'status')!.getAttribute('aria-live')).to.equal('polite');
      expect(part(el, 'spinner')).to.exist;
      expect(listbox(el)).to.be.null;
      await expect(el).to.be.accessible();
      first.release();
      await listed(el);
      expect(el.matches(':state(loading)')).to.be.false;
    });

    it('list: each document’s title, MES category, date and author, newest first, accessibly', async () => {
      const { el, sandbox } = await onSandbox({ paired: ['DOC_LECTURE'] });
      await listed(el);
      expect(el.matches(':state(success)')).to.be.true;
      expect(status(el)).to.equal('13 documents');
      const box = listbox(el)!;
      expect(box.getAttribute('aria-label')).to.equal('Vos documents dans Mon espace santé');
      expect(box.getAttribute('aria-multiselectable')).to.equal('false');
      const first = options(el)[0];
      expect(first.getAttribute('aria-posinset')).to.equal('1');
      expect(first.getAttribute('aria-setsize')).to.equal('13');
      expect(first.getAttribute('aria-selected')).to.equal('false');
      expect(first.querySelector('[part~="title"]')!.textContent).to.equal('Attestation de prise en charge');
      const stored = sandbox.store.get('DocumentReference', 'camille-doc-13')!.resource as any;
      const day = new Intl.DateTimeFormat('fr', { dateStyle: 'medium' }).format(new Date(stored.date));
      const meta = first.querySelector('[part~="meta"]')!;
      expect([...meta.querySelectorAll('.value')].map((span) => span.textContent)).to.deep.equal([
        'Pièces administratives',
        day,
        'Hôpital Lumière, admissions',
      ]);
      expect(meta.querySelectorAll('.sr-only'), 'read as a list, not run together').to.have.length(2);
      expect(titles(el)).to.include('Synthèse médicale');
      await expect(el).to.be.accessible();
    });

    it('empty: says the patient has no document yet, accessibly', async () => {
      const { el } = await onSandbox({ paired: ['DOC_LECTURE'], persona: 'elise' });
      await waitUntil(() => el.matches(':state(empty)'));
      expect(status(el)).to.equal('Il n’y a pas encore de document dans votre profil Mon espace santé.');
      expect(listbox(el)).to.be.null;
      expect(buttonNamed(el, 'Effacer les filtres'), 'nothing to clear').to.be.undefined;
      await expect(el).to.be.accessible();
    });

    it('says why nothing shows: none in the category the page chose, or dates the wrong way round', async () => {
      const { el } = await onGateway(generateDocuments(0), { category: 'ORD_SOIN' });
      await waitUntil(() => el.matches(':state(empty)'));
      expect(status(el)).to.equal('Aucun document dans la catégorie « Ordonnances et soins ».');
      const dated = await onGateway(generateDocuments(6));
      await listed(dated.el);
      const [from, to] = shadow(dated.el).querySelectorAll<HTMLInputElement>('[part~="date"]');
      from.value = '2026-06-20';
      from.dispatchEvent(new Event('change'));
      to.value = '2026-06-01';
      to.dispatchEvent(new Event('change'));
      await waitUntil(() => dated.el.matches(':state(empty)'));
      expect(status(dated.el)).to.equal(
        'La date « Du » est après la date « Au » : aucun document ne peut s’y trouver.',
      );
      await expect(dated.el).to.be.accessible();
    });

    it('no match: says nothing matches, and clearing the filters brings every document back', async () => {
      const { el } = await onSandbox({ paired: ['DOC_LECTURE'] });
      await listed(el);
      await fill(el, 'search', 'échographie');
      expect(el.matches(':state(empty)')).to.be.true;
      expect(status(el)).to.equal('Aucun document ne correspond à votre recherche.');
      expect(listbox(el)).to.be.null;
      await expect(el).to.be.accessible();
      buttonNamed(el, 'Effacer les filtres')!.focus();
      buttonNamed(el, 'Effacer les filtres')!.click();
      await el.updateComplete;
      await waitUntil(() => shadow(el).activeElement === part(el, 'search'), 'the focus goes on to the search field');
      await waitUntil(() => options(el).length > 0);
      expect(status(el)).to.equal('13 documents');
      expect((part(el, 'search') as HTMLInputElement).value).to.equal('');
    });

    it('error that may pass: MES’s words, « Réessayer », and the list once MES is back', async () => {
      let down = true;
      const { el } = await onGateway(generateDocuments(3), {
        beforePage: async () => {
          if (down) throw new MesError('MES_UNAVAILABLE', { operation: 'find-documents', status: 503 });
        },
      });
      await waitUntil(() => el.matches(':state(error)'));
      expect(part(el, 'error')!.textContent).to.equal(
        'Mon espace santé est momentanément indisponible. Réessayez dans quelques minutes.',
      );
      expect(status(el)).to.equal('Mon espace santé est momentanément indisponible. Réessayez dans quelques minutes.');
      await expect(el).to.be.accessible();
      down = false;
      buttonNamed(el, 'Réessayer')!.click();
      await listed(el);
      expect(el.matches(':state(error)')).to.be.false;
      expect(options(el)).to.have.length(3);
    });

    it('error that will not pass: no « Réessayer »', async () => {
      const { el } = await onGateway(generateDocuments(3), {
        beforePage: () => Promise.reject(new MesError('MES_INVALID_RESPONSE', { operation: 'find-documents' })),
      });
      await waitUntil(() => el.matches(':state(error)'));
      expect(part(el, 'error')!.textContent).to.equal(
        'Mon espace santé a répondu de façon inattendue. Réessayez plus tard.',
      );
      expect(buttonNamed(el, 'Réessayer')).to.be.undefined;
      await expect(el).to.be.accessible();
    });

    it('not paired: offers to link the account, asking MES for reading documents, then lists', async () => {
      const { el } = await onSandbox();
      await waitUntil(() => el.matches(':state(not-paired)'));
      expect(status(el)).to.equal(
        'Pour choisir un document de Mon espace santé, synchronisez d’abord ce service avec Mon espace santé.',
      );
      expect(part(el, 'filters'), 'nothing to filter yet').to.be.null;
      await expect(el).to.be.accessible();
      const pairing = oneEvent(el, 'mes-pair-start');
      buttonNamed(el, 'Synchroniser avec Mon espace santé')!.click();
      expect((await pairing).detail.finalities).to.deep.equal(['DOC_LECTURE']);
      await listed(el);
      expect(el.matches(':state(not-paired)')).to.be.false;
      expect(status(el)).to.equal('13 documents');
      await waitUntil(
        () => shadow(el).activeElement === listbox(el),
        'the focus goes on to the list that replaced the button',
      );
    });

    it('consent missing: paired without reading documents, asks for it with what was granted (a new pairing replaces the old), then lists', async () => {
      const { el } = await onSandbox({ paired: ['DOC_ECRITURE'] });
      await waitUntil(() => el.matches(':state(consent-required)'));
      expect(status(el)).to.equal(
        'Vous n’avez pas autorisé ce service à consulter vos documents dans Mon espace santé.',
      );
      await expect(el).to.be.accessible();
      const pairing = oneEvent(el, 'mes-pair-start');
      buttonNamed(el, 'Autoriser la consultation de mes documents')!.click();
      expect((await pairing).detail.finalities).to.deep.equal(['DOC_ECRITURE', 'DOC_LECTURE']);
      await listed(el);
      expect(el.matches(':state(consent-required)')).to.be.false;
    });

    it('consent refused earlier in the session: MES is not opened again, the consent prompt offers itself', async () => {
      const sandbox = await createInPageSandbox();
      const client = new MesClient({ transport: inProcessTransport(sandbox, { pairedWith: ['DOC_ECRITURE'] }) });
      await client.recordRefusal(['DOC_LECTURE'], '1');
      const wrapper = await fixture<HTMLElement>(
        html`<mes-provider .client=${client}>
          <mes-consent-prompt .finalities=${describeFinalities(['DOC_ECRITURE', 'DOC_LECTURE'])}></mes-consent-prompt>
          <mes-document-picker></mes-document-picker>
        </mes-provider>`,
      );
      const el = wrapper.querySelector('mes-document-picker')!;
      const prompt = wrapper.querySelector('mes-consent-prompt')!;
      await waitUntil(() => el.matches(':state(consent-required)'));
      let paired = false;
      el.addEventListener('mes-pair-start', () => (paired = true));
      buttonNamed(el, 'Autoriser la consultation de mes documents')!.click();
      await waitUntil(() => el.matches(':state(error)'));
      expect(paired).to.be.false;
      expect(part(el, 'error')!.textContent).to.equal(
        'Vous avez choisi de ne pas autoriser la consultation de vos documents Mon espace santé. Modifiez vos autorisations pour le permettre.',
      );
      await waitUntil(
        () => prompt.shadowRoot!.activeElement?.getAttribute('part') === 'title',
        'the prompt took the focus',
      );
      await expect(el).to.be.accessible();
    });

    it('pairing popup blocked: says so and offers to continue in this tab, the link button still there', async () => {
      const client = new MesClient({ transport: fakeGateway({ pairing: 'blocked' }) });
      const el = await fixture<MesDocumentPicker>(picker(client));
      await waitUntil(() => el.matches(':state(not-paired)'));
      buttonNamed(el, 'Synchroniser avec Mon espace santé')!.click();
      await waitUntil(() => el.matches(':state(error)'));
      expect(part(el, 'error')!.textContent).to.match(/bloqué la fenêtre/);
      expect(part(el, 'fallback')!.textContent).to.equal('Continuer la synchronisation dans cet onglet');
      expect(buttonNamed(el, 'Synchroniser avec Mon espace santé')).to.exist;
      await expect(el).to.be.accessible();
    });
  });

  describe('filters and search', () => {
    it('asks MES again for a category and for dates, and shows only what it answers', async () => {
      const { el, transport } = await onGateway(generateDocuments(40));
      await listed(el);
      expect(transport.calls.run[0].input).to.deep.equal({ count: 100 });
      await fill(el, 'category', 'BIOLOGIE', 'change');
      await listed(el);
      expect(transport.calls.run.at(-1)!.input).to.deep.equal({ category: 'BIOLOGIE', count: 100 });
      expect(status(el)).to.equal('5 documents');
      expect(titles(el).every((title) => title.startsWith('Résultats de biologie'))).to.be.true;
      const [from, to] = shadow(el).querySelectorAll<HTMLInputElement>('[part~="date"]');
      from.value = '2026-06-01';
      from.dispatchEvent(new Event('change'));
      to.value = '2026-06-20';
      to.dispatchEvent(new Event('change'));
      await el.updateComplete;
      await listed(el);
      expect(transport.calls.run.at(-1)!.input).to.deep.equal({
        category: 'BIOLOGIE',
        from: '2026-06-01',
        to: '2026-06-20',
        count: 100,
      });
      expect(titles(el)).to.deep.equal(['Résultats de biologie n° 18', 'Résultats de biologie n° 26']);
      await expect(el).to.be.accessible();
    });

    it('starts on the `category` given', async () => {
      const { el, transport } = await onGateway(generateDocuments(20), { category: 'ORD_SOIN' });
      await listed(el);
      expect(transport.calls.run[0].input).to.deep.equal({ category: 'ORD_SOIN', count: 100 });
      expect((part(el, 'category') as HTMLSelectElement).value).to.equal('ORD_SOIN');
      expect((part(el, 'category') as HTMLSelectElement).selectedOptions[0].textContent).to.equal(
        'Ordonnances et soins',
      );
    });

    it('searches titles as the patient types, accents and case aside, without asking MES', async () => {
      const { el } = await onSandbox({ paired: ['DOC_LECTURE'] });
      await listed(el);
      await fill(el, 'search', 'COMPTE-RENDU');
      await drawn(el, 3);
      expect(titles(el).sort()).to.deep.equal([
        'Compte rendu de consultation de cardiologie',
        'Compte rendu de passage aux urgences',
        'Compte rendu de radiographie thoracique',
      ]);
      expect(status(el)).to.equal('3 documents sur 13 correspondent à votre recherche');
      expect(options(el)[0].getAttribute('aria-setsize')).to.equal('3');
      await fill(el, 'search', 'synthese medicale');
      await drawn(el, 1);
      expect(titles(el)).to.deep.equal(['Synthèse médicale']);
    });

    it('filters on the text without a call to MES', async () => {
      const { el, transport } = await onGateway(generateDocuments(30));
      await listed(el);
      const calls = transport.calls.run.length;
      await fill(el, 'search', 'n° 2');
      await drawn(el, 12);
      expect(titles(el)).to.include('Ordonnance n° 27');
      expect(transport.calls.run).to.have.length(calls);
    });
  });

  describe('paging', () => {
    it('shows the first page while the next ones load, then every page', async () => {
      const second = held();
      const { el } = await onGateway(generateDocuments(13), {
        pageSize: 5,
        beforePage: (index) => (index === 1 ? second.promise : Promise.resolve()),
      });
      await waitUntil(() => options(el).length === 5, 'the first page shown');
      expect(el.matches(':state(pending)')).to.be.true;
      expect(el.matches(':state(loading)'), 'something to show already').to.be.false;
      expect(status(el)).to.equal('Chargement de la suite de vos documents…');
      await expect(el).to.be.accessible();
      second.release();
      await listed(el);
      await waitUntil(() => options(el).length === 13);
      expect(options(el).at(-1)!.getAttribute('aria-setsize')).to.equal('13');
      expect(status(el)).to.equal('13 documents');
    });

    it('pages through MES’s own paging, on the sandbox', async () => {
      const { el, sandbox } = await onSandbox({ paired: ['DOC_LECTURE'], pageSize: 5 });
      await listed(el);
      const searches: string[] = [];
      const fetch = sandbox.fetch;
      sandbox.fetch = (input, init) => {
        const url = new Request(input, init).url;
        if (url.includes('DocumentReference?')) searches.push(url);
        return fetch(input, init);
      };
      await el.reload();
      await listed(el);
      expect(searches).to.have.length(3);
      expect(status(el)).to.equal('13 documents');
      expect(new Set(titles(el)).size).to.equal(13);
    });

    it('new filters stop the listing running: its next pages are never asked for', async () => {
      const second = held();
      const { el, transport, signals } = await onGateway(generateDocuments(30), {
        pageSize: 5,
        beforePage: (index) => (index === 1 ? second.promise : Promise.resolve()),
      });
      await waitUntil(() => options(el).length === 5 && signals.length === 2, 'the second page asked for');
      await fill(el, 'category', 'CERT_MED', 'change');
      await listed(el);
      expect(signals[1].aborted, 'the page on its way is aborted').to.be.true;
      second.release();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const inputs = transport.calls.run.map((call) => call.input as { category?: string; cursor?: string });
      expect(inputs.filter((input) => !input.category && input.cursor)).to.have.length(1, 'one next page, abandoned');
      expect(titles(el).every((title) => title.startsWith('Certificat médical'))).to.be.true;
      expect(status(el)).to.equal('4 documents');
    });

    it('leaving the page aborts the listing; moved into a dialog, it goes on where it stopped', async () => {
      const second = held();
      const { el, signals } = await onGateway(generateDocuments(12), {
        pageSize: 5,
        beforePage: (index) => (index === 1 ? second.promise : Promise.resolve()),
      });
      await waitUntil(() => options(el).length === 5 && signals.length === 2, 'the second page asked for');
      const dialog = document.createElement('dialog');
      document.body.append(dialog);
      dialog.append(el);
      dialog.show();
      expect(signals[1].aborted).to.be.true;
      second.release();
      await listed(el);
      await waitUntil(() => options(el).length === 12);
      expect(el.matches(':state(error)')).to.be.false;
      el.remove();
      dialog.remove();
    });
  });

  describe('keyboard', () => {
    it('single: arrows move, Space chooses, Home and End reach the ends, Enter chooses', async () => {
      const { el } = await onSandbox({ paired: ['DOC_LECTURE'] });
      await listed(el);
      await focusList(el);
      const ids = () => options(el).map((o) => o.id.replace('option-', ''));
      const [first, second] = ids();
      await waitUntil(() => activeId(el) === first, 'focus lands on the first document');
      await sendKeys({ press: 'ArrowDown' });
      await waitUntil(() => activeId(el) === second);
      expect(el.selected).to.deep.equal([]);
      const change = oneEvent(el, 'mes-selection-change');
      await sendKeys({ press: ' ' });
      const { detail } = await change;
      expect(detail.documents.map((doc: FoundDocument) => doc.id)).to.deep.equal([second]);
      expect(option(el, second)!.getAttribute('aria-selected')).to.equal('true');
      await sendKeys({ press: 'End' });
      await waitUntil(() => activeId(el) === 'camille-doc-01');
      await sendKeys({ press: 'Home' });
      await waitUntil(() => activeId(el) === first);
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      expect(selectedIds(el), 'one at a time').to.deep.equal([first]);
      expect(shadow(el).querySelector('.active')!.id).to.equal(`option-${first}`);
      await expect(el).to.be.accessible();
    });

    it('multiple: Space toggles, Shift+arrows and Shift+click make ranges, Ctrl+A takes all', async () => {
      const { el } = await onGateway(generateDocuments(20), { multiple: true });
      await listed(el);
      expect(listbox(el)!.getAttribute('aria-multiselectable')).to.equal('true');
      await focusList(el);
      await sendKeys({ press: ' ' });
      await sendKeys({ press: 'Shift+ArrowDown' });
      await sendKeys({ press: 'Shift+ArrowDown' });
      await el.updateComplete;
      expect(selectedIds(el)).to.deep.equal(['doc-1', 'doc-2', 'doc-3']);
      await sendKeys({ press: 'Shift+ArrowUp' });
      await el.updateComplete;
      expect(selectedIds(el), 'the range shrinks back').to.deep.equal(['doc-1', 'doc-2']);
      for (let i = 0; i < 3; i++) await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: ' ' });
      await el.updateComplete;
      expect(selectedIds(el)).to.deep.equal(['doc-1', 'doc-2', 'doc-5']);
      // Shift+Space: from the document chosen last (doc-5) to the one focused.
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: 'Shift+Space' });
      await el.updateComplete;
      expect(selectedIds(el)).to.deep.equal(['doc-1', 'doc-2', 'doc-5', 'doc-6', 'doc-7']);
      for (const id of ['doc-7', 'doc-6']) option(el, id)!.click();
      await el.updateComplete;
      expect(selectedIds(el)).to.deep.equal(['doc-1', 'doc-2', 'doc-5']);
      option(el, 'doc-7')!.dispatchEvent(new MouseEvent('click', { bubbles: true, shiftKey: true }));
      await el.updateComplete;
      expect(selectedIds(el)).to.deep.equal(['doc-1', 'doc-2', 'doc-5', 'doc-6', 'doc-7']);
      option(el, 'doc-2')!.click();
      await el.updateComplete;
      expect(selectedIds(el), 'a click toggles').to.deep.equal(['doc-1', 'doc-5', 'doc-6', 'doc-7']);
      await sendKeys({ press: ' ' });
      await sendKeys({ press: 'Shift+End' });
      await el.updateComplete;
      expect(el.selected, 'doc-1 kept, and doc-2 to the end').to.have.length(20);
      await sendKeys({ press: 'Control+a' });
      await el.updateComplete;
      expect(el.selected, 'all were chosen: Ctrl+A takes them all back').to.have.length(0);
      await sendKeys({ press: 'Control+a' });
      await el.updateComplete;
      expect(el.selected).to.have.length(20);
      expect(option(el, 'doc-3')!.querySelector('[part~="check"]')).to.exist;
      expect(part(el, 'selection')!.textContent).to.equal('20 documents sélectionnés');
      await expect(el).to.be.accessible();
    });

    it('type-ahead: letters jump to the next title starting with them', async () => {
      const { el } = await onSandbox({ paired: ['DOC_LECTURE'] });
      await listed(el);
      await focusList(el);
      await sendKeys({ type: 'ce' });
      await waitUntil(() => activeId(el) === 'camille-doc-09');
      expect(option(el, 'camille-doc-09')!.textContent).to.include('Certificat de non contre-indication au sport');
      await new Promise((resolve) => setTimeout(resolve, 800));
      await sendKeys({ type: 'syn' });
      await waitUntil(() => activeId(el) === 'camille-doc-11', 'accents aside: « Synthèse »');
      expect(el.selected, 'moving does not choose').to.deep.equal([]);
    });

    it('scrolls the active row into view in a long list, and keeps the DOM small', async () => {
      const { el } = await onGateway(generateDocuments(1000), { pageSize: 100 });
      await listed(el);
      await focusList(el);
      await sendKeys({ press: 'End' });
      await waitUntil(() => activeId(el) === 'doc-1000', 'the last row drawn and active');
      const row = option(el, 'doc-1000')!.getBoundingClientRect();
      const box = listbox(el)!.getBoundingClientRect();
      expect(row.bottom).to.be.at.most(box.bottom + 1);
      expect(row.top).to.be.at.least(box.top - 1);
      expect(option(el, 'doc-1000')!.getAttribute('aria-posinset')).to.equal('1000');
      expect(options(el).length).to.be.below(60);
      await sendKeys({ press: 'Home' });
      await waitUntil(() => activeId(el) === 'doc-1');
    });

    it('keeps a constant number of DOM nodes from 100 to 1,000 documents', async () => {
      const count = async (documents: number) => {
        const { el } = await onGateway(generateDocuments(documents), { pageSize: 100 });
        await listed(el);
        await new Promise((resolve) => requestAnimationFrame(resolve));
        await new Promise((resolve) => setTimeout(resolve, 100));
        const nodes = shadow(el).querySelectorAll('*').length;
        el.remove();
        return nodes;
      };
      const hundred = await count(100);
      const thousand = await count(1000);
      expect(thousand).to.equal(hundred);
      expect(hundred).to.be.below(600);
    });
  });

  describe('form', () => {
    it('submits one entry per chosen document id, under its name', async () => {
      const client = new MesClient({ transport: listingGateway(generateDocuments(10)) });
      const form = await fixture<HTMLFormElement>(
        html`<form>
          <input name="motif" value="suivi" />
          ${picker(client, { name: 'documents', multiple: true })}
        </form>`,
      );
      const el = form.querySelector('mes-document-picker')!;
      await listed(el);
      expect(new FormData(form).getAll('documents')).to.deep.equal([]);
      option(el, 'doc-4')!.click();
      option(el, 'doc-2')!.click();
      const submitted = new Promise<FormData>((resolve) =>
        form.addEventListener(
          'submit',
          (event) => {
            event.preventDefault();
            resolve(new FormData(form));
          },
          { once: true },
        ),
      );
      form.requestSubmit();
      const data = await submitted;
      expect(data.getAll('documents')).to.deep.equal(['doc-2', 'doc-4']);
      expect(data.get('motif')).to.equal('suivi');
      expect(el.form === form, 'its form').to.be.true;
    });

    it('required: invalid until a document is chosen; a reset empties the choice', async () => {
      const client = new MesClient({ transport: listingGateway(generateDocuments(4)) });
      const form = await fixture<HTMLFormElement>(
        html`<form>${picker(client, { name: 'document', required: true })}</form>`,
      );
      const el = form.querySelector('mes-document-picker')!;
      await listed(el);
      expect(form.checkValidity()).to.be.false;
      expect(el.validity.valueMissing).to.be.true;
      expect(el.validationMessage).to.equal('Choisissez un document.');
      expect(el.matches(':invalid')).to.be.true;
      expect(listbox(el)!.getAttribute('aria-required')).to.equal('true');
      option(el, 'doc-3')!.click();
      await el.updateComplete;
      expect(form.checkValidity()).to.be.true;
      expect(new FormData(form).getAll('document')).to.deep.equal(['doc-3']);
      const change = oneEvent(el, 'mes-selection-change');
      form.reset();
      expect((await change).detail.documents).to.deep.equal([]);
      expect(el.selected).to.deep.equal([]);
      expect(new FormData(form).getAll('document')).to.deep.equal([]);
      expect(form.checkValidity()).to.be.false;
    });

    it('a form the browser restores chooses again, as they are listed, the documents it held', async () => {
      const client = new MesClient({ transport: listingGateway(generateDocuments(13)) });
      const form = await fixture<HTMLFormElement>(
        html`<form>${picker(client, { name: 'documents', multiple: true, pageSize: 5 })}</form>`,
      );
      const el = form.querySelector('mes-document-picker')!;
      // What the browser kept: the ids submitted then, one of them no longer in MES.
      const state = new FormData();
      for (const id of ['doc-12', 'doc-2', 'doc-gone']) state.append('documents', id);
      el.formStateRestoreCallback(state);
      await listed(el);
      expect(selectedIds(el)).to.deep.equal(['doc-2', 'doc-12']);
      expect(new FormData(form).getAll('documents')).to.deep.equal(['doc-2', 'doc-12']);
      expect(option(el, 'doc-12')!.getAttribute('aria-selected')).to.equal('true');
      form.reset();
      expect(selectedIds(el)).to.deep.equal([]);
    });

    it('disabled: nothing is chosen by mouse or keyboard, and nothing is submitted', async () => {
      const client = new MesClient({ transport: listingGateway(generateDocuments(4)) });
      const form = await fixture<HTMLFormElement>(html`<form>${picker(client, { name: 'document' })}</form>`);
      const el = form.querySelector('mes-document-picker')!;
      await listed(el);
      option(el, 'doc-1')!.click();
      el.disabled = true;
      await el.updateComplete;
      expect(el.matches(':disabled')).to.be.true;
      expect(new FormData(form).getAll('document'), 'a disabled control is not submitted').to.deep.equal([]);
      option(el, 'doc-2')!.click();
      await focusList(el);
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: ' ' });
      expect(selectedIds(el)).to.deep.equal(['doc-1']);
      expect(listbox(el)!.getAttribute('aria-disabled')).to.equal('true');
      expect((part(el, 'search') as HTMLInputElement).disabled).to.be.true;
      await expect(el).to.be.accessible();
    });
  });

  describe('what MES says is text', () => {
    it('shows markup in a title or an author as text, and runs none', async () => {
      const [doc] = generateDocuments(1);
      const hostile: FoundDocument = {
        ...doc,
        title: '<img src=x onerror="window.__pickerPwned=1">',
        author: { kind: 'professional', name: '<b>Dr</b> <script>window.__pickerPwned=2</script>' },
      };
      const { el } = await onGateway([hostile]);
      await listed(el);
      expect(options(el)[0].querySelector('[part~="title"]')!.textContent).to.equal(
        '<img src=x onerror="window.__pickerPwned=1">',
      );
      expect(options(el)[0].textContent).to.include('<b>Dr</b> <script>');
      expect(shadow(el).querySelector('img, script, b')).to.be.null;
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect((window as { __pickerPwned?: number }).__pickerPwned).to.be.undefined;
    });
  });

  describe('languages', () => {
    it('speaks English under an English ancestor: labels, categories, dates, states', async () => {
      const { el, sandbox } = await onSandbox({ paired: ['DOC_LECTURE'], lang: 'en' });
      await listed(el);
      expect(status(el)).to.equal('13 documents');
      expect(listbox(el)!.getAttribute('aria-label')).to.equal('Your documents in Mon espace santé');
      expect(shadow(el).querySelector('label[for="search"]')!.textContent).to.equal('Search titles');
      const stored = sandbox.store.get('DocumentReference', 'camille-doc-13')!.resource as any;
      const day = new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(new Date(stored.date));
      expect(options(el)[0].querySelector('[part~="meta"]')!.textContent).to.include('Administrative documents');
      expect(options(el)[0].querySelector('[part~="meta"]')!.textContent).to.include(day);
      await fill(el, 'search', 'nothing like it');
      expect(status(el)).to.equal('No document matches your search.');
      await expect(el).to.be.accessible();
    });

    it('says it is not paired, and its errors, in English', async () => {
      const { el } = await onSandbox({ lang: 'en' });
      await waitUntil(() => el.matches(':state(not-paired)'));
      expect(buttonNamed(el, 'Sync with Mon espace santé')).to.exist;
      const down = await onGateway(generateDocuments(1), {
        lang: 'en',
        beforePage: () =>
          Promise.reject(new MesError('MES_RATE_LIMITED', { operation: 'find-documents', status: 429 })),
      });
      await waitUntil(() => down.el.matches(':state(error)'));
      expect(part(down.el, 'error')!.textContent).to.equal(
        'Mon espace santé is receiving too many requests. Try again in a moment.',
      );
      expect(buttonNamed(down.el, 'Try again')).to.exist;
    });
  });

  describe('preview', () => {
    it('shows a chosen image from its bytes, and lets the blob: URL go when closed', async () => {
      const { el } = await onSandbox({ paired: ['DOC_LECTURE'] });
      await listed(el);
      option(el, 'camille-doc-06')!.click();
      await el.updateComplete;
      buttonNamed(el, 'Afficher un aperçu — Radiographie thoracique (image)')!.click();
      await waitUntil(() => part(el, 'preview-image'), 'the image shown');
      const image = part(el, 'preview-image') as HTMLImageElement;
      expect(image.src).to.match(/^blob:/);
      expect(image.alt).to.equal('Aperçu\u00a0: Radiographie thoracique (image)');
      await waitUntil(() => image.complete && image.naturalWidth > 0, 'the JPEG decoded');
      expect(part(el, 'preview-status')!.textContent).to.equal('Aperçu affiché.');
      await expect(el).to.be.accessible();
      const url = image.src;
      buttonNamed(el, 'Fermer l’aperçu')!.click();
      await el.updateComplete;
      expect(part(el, 'preview-image')).to.be.null;
      let revoked = false;
      await fetch(url).catch(() => (revoked = true));
      expect(revoked, 'the object URL is revoked').to.be.true;
    });

    it('shows a chosen PDF in a frame, and drops it when another document is chosen', async () => {
      const { el } = await onSandbox({ paired: ['DOC_LECTURE'] });
      await listed(el);
      option(el, 'camille-doc-13')!.click();
      await el.updateComplete;
      buttonNamed(el, 'Afficher un aperçu — Attestation de prise en charge')!.click();
      await waitUntil(() => part(el, 'preview-frame'));
      const frame = part(el, 'preview-frame') as HTMLIFrameElement;
      expect(frame.src).to.match(/^blob:/);
      expect(frame.title).to.equal('Aperçu\u00a0: Attestation de prise en charge');
      option(el, 'camille-doc-11')!.click();
      await el.updateComplete;
      expect(part(el, 'preview-frame')).to.be.null;
      expect(buttonNamed(el, 'Afficher un aperçu — Synthèse médicale')).to.exist;
    });

    it('says clearly when the portal does not let documents reach the page', async () => {
      const { el, transport } = await onGateway(generateDocuments(3));
      await listed(el);
      option(el, 'doc-2')!.click();
      await el.updateComplete;
      buttonNamed(el, 'Afficher un aperçu — Résultats de biologie n° 2')!.click();
      await waitUntil(() => part(el, 'preview-status')!.textContent.startsWith('L’aperçu n’est pas proposé'));
      expect(part(el, 'preview-status')!.textContent).to.equal(
        'L’aperçu n’est pas proposé sur ce portail\u00a0: vous pourrez consulter le document une fois importé.',
      );
      expect(transport.calls.run.at(-1)).to.deep.equal({
        name: 'retrieve-document',
        input: { id: 'doc-2', deliver: 'page' },
      });
      expect(el.matches(':state(error)')).to.be.false;
      expect(part(el, 'preview-frame')).to.be.null;
      await expect(el).to.be.accessible();
    });

    it('does not download a format it cannot show', async () => {
      const [doc] = generateDocuments(1);
      const { el, transport } = await onGateway([{ ...doc, contentType: 'image/tiff' }]);
      await listed(el);
      option(el, doc.id)!.click();
      await el.updateComplete;
      buttonNamed(el, `Afficher un aperçu — ${doc.title}`)!.click();
      await el.updateComplete;
      expect(part(el, 'preview-status')!.textContent).to.equal(
        'Pas d’aperçu pour ce format\u00a0: seuls les PDF et les images JPEG en ont un.',
      );
      expect(transport.calls.run.map((call) => call.name)).not.to.include('retrieve-document');
    });
  });

  describe('events and API', () => {
    it('mes-selection-change bubbles out of shadow roots with the documents’ metadata; listing fires no import event', async () => {
      let imports = 0;
      const count = () => imports++;
      const types = ['mes-import-start', 'mes-import-progress', 'mes-import-success', 'mes-import-error'];
      types.forEach((type) => document.addEventListener(type, count));
      const { el } = await onGateway(generateDocuments(3), { multiple: true });
      await listed(el);
      types.forEach((type) => document.removeEventListener(type, count));
      const change = oneEvent(document.body, 'mes-selection-change');
      option(el, 'doc-3')!.click();
      const event = await change;
      expect(event.composed && event.bubbles).to.be.true;
      expect(event.detail.documents).to.deep.equal(generateDocuments(3).slice(2));
      expect(el.selected).to.deep.equal(event.detail.documents);
      expect(imports).to.equal(0);
    });

    it('reload() lists again from MES', async () => {
      const { el, client } = await onSandbox({ paired: ['DOC_LECTURE', 'DOC_ECRITURE'] });
      await listed(el);
      await client.sendDocument({
        file: new Blob(['%PDF-1.4\n%%EOF\n'], { type: 'application/pdf' }),
        title: 'Compte rendu opératoire',
        type: '11488-4',
      });
      await el.reload();
      await el.updateComplete;
      expect(status(el)).to.equal('14 documents');
    });
  });
});
