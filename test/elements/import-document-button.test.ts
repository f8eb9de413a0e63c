import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { nothing } from 'lit';
import { sendKeys } from '@web/test-runner-commands';
import {
  MesClient,
  MesError,
  foundDocumentOf,
  inProcessTransport,
  type FoundDocument,
  type LocalTransport,
  type RunnableOperation,
} from '@mes-kit/core';
import '../../packages/elements/src/all.js';
import type {
  MesImportDocumentButton,
  MesImportProgressDetail,
  MesImportSuccessDetail,
} from '../../packages/elements/src/index.js';
import { createInPageSandbox } from '../../packages/sandbox/src/in-page.js';
import { fakeGateway } from '../../stories/_helpers/fake-gateway.js';
import { deepActive, part, parts, text } from '../helpers/shadow-dom.js';

type Sandbox = Awaited<ReturnType<typeof createInPageSandbox>>;

interface SetupOptions {
  paired?: boolean;
  lang?: string;
  multiple?: boolean;
  category?: string;
  /** Fails every MES call whose path this matches, while it returns true (as a dropped connection does). */
  fail?: (path: string) => boolean;
  /** Waited for before MES answers a call to this path (a slow MES); aborting the call stops the wait. */
  before?: (path: string, signal?: AbortSignal) => Promise<void>;
}

/** Camille's seeded documents in the in-page sandbox, a button on a client for her, and every path asked of MES. */
async function setup(options: SetupOptions = {}) {
  const sandbox = await createInPageSandbox();
  const base = inProcessTransport(sandbox, { pairedWith: options.paired === false ? undefined : ['DOC_LECTURE'] });
  const paths: string[] = [];
  const transport: LocalTransport = {
    ...base,
    async request(request, requestOptions) {
      paths.push(request.path);
      if (options.fail?.(request.path)) throw new TypeError('Failed to fetch');
      await options.before?.(request.path, requestOptions?.signal);
      return base.request(request, requestOptions);
    },
  };
  const client = new MesClient({ transport });
  const wrapper = await fixture<HTMLElement>(
    html`<div lang=${options.lang ?? 'fr'}>
      <button type="button" id="before">Avant</button>
      <mes-provider .client=${client}>
        <mes-import-document-button
          ?multiple=${options.multiple ?? true}
          category=${options.category ?? nothing}
        ></mes-import-document-button>
      </mes-provider>
    </div>`,
  );
  const el = wrapper.querySelector('mes-import-document-button')!;
  await client.session();
  await el.updateComplete;
  return { sandbox, client, el, wrapper, paths };
}

/** A button on a stand-in gateway (gateway mode), paired for reading documents. */
async function onGateway(run: (name: RunnableOperation, input: unknown) => Promise<unknown>, deliver?: 'page') {
  const transport = fakeGateway({ paired: ['DOC_LECTURE'], run });
  const el = await fixture<MesImportDocumentButton>(
    html`<mes-import-document-button
      .client=${new MesClient({ transport })}
      deliver=${deliver ?? 'host'}
    ></mes-import-document-button>`,
  );
  return { el, transport };
}

/** A document as MES lists it, from what the sandbox stores. */
function found(sandbox: Sandbox, id: string): FoundDocument {
  return foundDocumentOf(sandbox.store.get('DocumentReference', id)!.resource)!;
}
const bytesOf = (sandbox: Sandbox, id: string) => sandbox.store.getBinary(id.replace('-doc-', '-bin-'))!.data;

const dialogOf = (el: MesImportDocumentButton) => el.shadowRoot!.querySelector('dialog')!;
const pickerOf = (el: MesImportDocumentButton) => el.shadowRoot!.querySelector('mes-document-picker')!;
const focusInDialog = (el: MesImportDocumentButton) => {
  const focused = el.shadowRoot!.activeElement;
  return !!focused && dialogOf(el).contains(focused);
};

async function openPicker(el: MesImportDocumentButton) {
  part(el, 'button')!.click();
  await waitUntil(() => dialogOf(el).open, 'the dialog opens');
  await waitUntil(() => pickerDocuments(el).length > 0, 'the picker lists documents');
}

/** The picker's entries, as the patient sees them. */
function pickerDocuments(el: MesImportDocumentButton): HTMLElement[] {
  return [...(pickerOf(el)?.shadowRoot?.querySelectorAll<HTMLElement>('[role="option"]') ?? [])];
}

/** Ticks (or unticks) these documents in the picker, by pointer. */
async function choose(el: MesImportDocumentButton, ids: string[]) {
  for (const option of pickerDocuments(el)) if (ids.includes(option.id.replace(/^option-/, ''))) option.click();
  await el.updateComplete;
}

/** Tab until the focus is on what `wanted` says (at most 30 times). */
async function tabTo(wanted: (focused: Element | null) => boolean) {
  for (let i = 0; i < 30 && !wanted(deepActive()); i++) await sendKeys({ press: 'Tab' });
  expect(wanted(deepActive()), 'reached with Tab').to.be.true;
}

const CAMILLE = ['camille-doc-01', 'camille-doc-02', 'camille-doc-03'];
/** A document as a gateway lists it. */
const ORDONNANCE: FoundDocument = {
  id: 'doc-7',
  title: 'Ordonnance du Dr Martin',
  type: { code: '57833-6' },
  category: 'ORD_SOIN',
  author: { kind: 'professional', name: 'Dr Martin' },
  confidentiality: 'N',
  contentType: 'application/pdf',
  size: 4,
  hash: 'x',
};

describe('<mes-import-document-button>', () => {
  describe('idle', () => {
    it('is a button named « Importer depuis Mon espace santé », big enough, and accessible', async () => {
      const { el } = await setup();
      const button = part(el, 'button')!;
      expect(button.tagName).to.equal('BUTTON');
      expect(text(part(el, 'label'))).to.equal('Importer depuis Mon espace santé');
      expect(button.getAttribute('aria-haspopup')).to.equal('dialog');
      expect(button.getBoundingClientRect().height).to.be.at.least(44);
      expect(el.matches(':state(idle)')).to.be.true;
      expect(el.matches(':state(pending)')).to.be.false;
      expect(dialogOf(el).open).to.be.false;
      expect(pickerOf(el), 'MES is not read before the patient asks').to.be.null;
      await expect(el).to.be.accessible();
    });

    it('speaks English under an English ancestor, accessibly', async () => {
      const { el } = await setup({ lang: 'en' });
      expect(text(part(el, 'label'))).to.equal('Import from Mon espace santé');
      await expect(el).to.be.accessible();
    });

    it('takes the host’s own strings', async () => {
      const { el } = await setup();
      el.strings = { importDocuments: 'Récupérer mes documents' };
      await el.updateComplete;
      expect(text(part(el, 'label'))).to.equal('Récupérer mes documents');
    });
  });

  describe('dialog', () => {
    for (const lang of ['fr', 'en']) {
      it(`opens with the picker, a heading naming it and the focus inside; Escape closes it and the focus comes back (${lang})`, async () => {
        const { el, client } = await setup({ lang });
        await openPicker(el);
        const dialog = dialogOf(el);
        expect(dialog.matches(':modal')).to.be.true;
        expect(el.matches(':state(open)')).to.be.true;
        const title = el.shadowRoot!.getElementById(dialog.getAttribute('aria-labelledby')!)!;
        expect(title.tagName).to.equal('H2');
        expect(title.checkVisibility()).to.be.true;
        expect(text(title)).to.equal(
          lang === 'fr' ? 'Choisir les documents à importer' : 'Choose the documents to import',
        );
        expect(pickerOf(el).hasAttribute('multiple')).to.be.true;
        expect((pickerOf(el) as unknown as { client: MesClient }).client).to.equal(client);
        expect(focusInDialog(el), 'the focus is in the dialog').to.be.true;
        const confirm = part(el, 'confirm')!;
        expect(confirm.getAttribute('aria-disabled')).to.equal('true');
        expect(text(confirm)).to.equal(lang === 'fr' ? 'Importer' : 'Import');
        expect(text(part(el, 'cancel'))).to.equal(lang === 'fr' ? 'Annuler' : 'Cancel');
        await expect(el).to.be.accessible();

        await sendKeys({ press: 'Escape' });
        await waitUntil(() => !dialog.open, 'Escape closes the dialog');
        await el.updateComplete;
        expect(el.shadowRoot!.activeElement).to.equal(part(el, 'button'));
        expect(el.matches(':state(open)')).to.be.false;
        await expect(el).to.be.accessible();
      });
    }

    it('says how many documents « Importer » will import, and does nothing until one is chosen', async () => {
      const { el, paths } = await setup();
      await openPicker(el);
      let started = false;
      el.addEventListener('mes-import-start', () => (started = true));
      part(el, 'confirm')!.click();
      await el.updateComplete;
      expect(started).to.be.false;
      expect(dialogOf(el).open).to.be.true;
      await choose(el, CAMILLE.slice(0, 2));
      expect(text(part(el, 'confirm'))).to.equal('Importer 2 documents');
      expect(part(el, 'confirm')!.getAttribute('aria-disabled')).to.equal('false');
      await choose(el, CAMILLE.slice(1, 2));
      expect(text(part(el, 'confirm'))).to.equal('Importer 1 document');
      expect(paths.filter((path) => path.startsWith('Binary/'))).to.deep.equal([]);
    });

    it('shows the picker for one document, on the category asked for', async () => {
      const { el } = await setup({ multiple: false, category: 'BIOLOGIE' });
      await openPicker(el);
      const picker = pickerOf(el);
      expect(picker.multiple).to.be.false;
      expect(picker.category).to.equal('BIOLOGIE');
      expect(text(el.shadowRoot!.getElementById('title'))).to.equal('Choisir le document à importer');
    });

    it('« Annuler » closes it, imports nothing, and gives the focus back', async () => {
      const { el, paths } = await setup();
      await openPicker(el);
      await choose(el, CAMILLE);
      part(el, 'cancel')!.click();
      await waitUntil(() => !dialogOf(el).open);
      await el.updateComplete;
      expect(el.shadowRoot!.activeElement).to.equal(part(el, 'button'));
      expect(paths.filter((path) => path.startsWith('Binary/'))).to.deep.equal([]);
      expect(part(el, 'list')).to.be.null;
    });

    it('pairs first when the patient has not granted reading documents, then opens the picker', async () => {
      const { el, sandbox } = await setup({ paired: false });
      const fired: string[] = [];
      for (const type of ['mes-pair-start', 'mes-pair-success', 'mes-import-start']) {
        el.addEventListener(type, () => fired.push(`${type}${dialogOf(el).open ? ' (open)' : ''}`));
      }
      await openPicker(el);
      expect(fired).to.deep.equal(['mes-pair-start', 'mes-pair-success']);
      expect(sandbox.store.findPairing('camille', 'mes-kit-demo')!.finalities).to.include('DOC_LECTURE');
    });

    it('does not open MES again when the patient refused reading documents in this session', async () => {
      const { el, client } = await setup({ paired: false });
      await client.recordRefusal(['DOC_LECTURE'], '1');
      let paired = false;
      el.addEventListener('mes-pair-start', () => (paired = true));
      const error = oneEvent(el, 'mes-import-error');
      part(el, 'button')!.click();
      expect((await error).detail.error.code).to.equal('MES_CONSENT_REQUIRED');
      await el.updateComplete;
      expect(paired).to.be.false;
      expect(dialogOf(el).open).to.be.false;
      expect(text(part(el, 'error'))).to.equal(
        'Vous avez choisi de ne pas autoriser l’import de documents depuis Mon espace santé. Modifiez vos autorisations pour le permettre.',
      );
    });
  });

  describe('keyboard', () => {
    it('imports with the keyboard alone: Tab, Enter, choose in the picker, Tab to « Importer », Enter', async () => {
      const { el, wrapper } = await setup({ multiple: false });
      wrapper.querySelector<HTMLButtonElement>('#before')!.focus();
      await sendKeys({ press: 'Tab' });
      expect(deepActive()).to.equal(part(el, 'button'));
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => dialogOf(el).open && pickerDocuments(el).length > 0, 'the picker opens');
      expect(focusInDialog(el), 'the focus is in the dialog').to.be.true;
      // Into the picker's list; the second document, chosen with Space.
      await tabTo((focused) => focused?.getAttribute('role') === 'listbox');
      const listbox = deepActive()!;
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: 'Space' });
      await el.updateComplete;
      const chosen = listbox.getAttribute('aria-activedescendant')!.replace(/^option-/, '');
      expect(pickerDocuments(el).find((option) => option.getAttribute('aria-selected') === 'true')!.id).to.equal(
        `option-${chosen}`,
      );
      expect(text(part(el, 'confirm'))).to.equal('Importer 1 document');
      await tabTo((focused) => focused === part(el, 'confirm'));
      const success = oneEvent(el, 'mes-import-success');
      await sendKeys({ press: 'Enter' });
      const detail: MesImportSuccessDetail = (await success).detail;
      expect(detail.documents.map((imported) => imported.document.id)).to.deep.equal([chosen]);
      await el.updateComplete;
      expect(dialogOf(el).open).to.be.false;
      expect(el.shadowRoot!.activeElement).to.equal(part(el, 'button'));
    });
  });

  describe('importing', () => {
    it('imports the documents chosen in order, as Files holding MES’s bytes, with progress per document', async () => {
      const { el, sandbox } = await setup();
      const progress: MesImportProgressDetail[] = [];
      el.addEventListener('mes-import-progress', (event) => progress.push(event.detail));
      let start: FoundDocument[] = [];
      el.addEventListener('mes-import-start', (event) => (start = event.detail.documents));
      await openPicker(el);
      await choose(el, CAMILLE);
      const success = oneEvent(el, 'mes-import-success');
      part(el, 'confirm')!.click();
      const detail: MesImportSuccessDetail = (await success).detail;

      const order = start.map((document) => document.id);
      expect([...order].sort()).to.deep.equal(CAMILLE);
      expect(start).to.deep.equal(
        order.map((id) => found(sandbox, id)),
        'the metadata chosen',
      );
      expect(detail.documents.map((imported) => imported.document.id)).to.deep.equal(order, 'in the order chosen');
      for (const imported of detail.documents) {
        expect(Object.keys(imported).sort()).to.deep.equal(['document', 'file']);
        expect(imported.file).to.be.instanceOf(File);
        expect(imported.file!.type).to.equal(imported.document.contentType);
        expect(new Uint8Array(await imported.file!.arrayBuffer())).to.deep.equal(
          bytesOf(sandbox, imported.document.id),
        );
      }
      expect(el.imported).to.deep.equal(detail.documents);

      for (const event of progress) {
        expect(Object.keys(event).sort()).to.deep.equal(
          ['count', 'id', 'index', 'phase', 'ratio'],
          'ids and places only: no title',
        );
        expect(event.count).to.equal(3);
        expect(event.id).to.equal(order[event.index]);
      }
      const indexes = progress.map((event) => event.index);
      expect(indexes).to.deep.equal([...indexes].sort(), 'one document after the other');
      expect(new Set(indexes)).to.deep.equal(new Set([0, 1, 2]));
      for (const index of [0, 1, 2]) {
        expect(progress.filter((event) => event.index === index).at(-1)!.ratio).to.equal(1);
      }

      await el.updateComplete;
      expect(el.matches(':state(success)')).to.be.true;
      expect(el.matches(':state(idle)')).to.be.false;
      expect(text(part(el, 'status'))).to.equal('3 documents importés depuis Mon espace santé');
      expect(parts(el, 'item').map((item) => text(item.querySelector('[part="item-status"]')))).to.deep.equal([
        'Importé',
        'Importé',
        'Importé',
      ]);
      expect(parts(el, 'item-title').map(text)).to.deep.equal(order.map((id) => found(sandbox, id).title));
      expect(parts(el, 'progress')).to.have.length(0);
      await expect(el).to.be.accessible();
    });

    for (const lang of ['fr', 'en']) {
      it(`shows each document with its progress bar and announces which one is imported (${lang})`, async () => {
        const { el, sandbox } = await setup({ lang });
        await sandbox.fetch('http://localhost:8787/sandbox/faults', {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ latencyMs: 300 }),
        });
        const done = el.importDocuments(CAMILLE.slice(0, 2).map((id) => found(sandbox, id)));
        await waitUntil(() => el.matches(':state(pending)') && parts(el, 'progress').length === 2);
        await el.updateComplete;
        const bars = parts(el, 'progress') as HTMLProgressElement[];
        const first = found(sandbox, CAMILLE[0]).title;
        expect(bars[0].getAttribute('aria-label')).to.equal(
          lang === 'fr' ? `Progression de l’import\u00a0: ${first}` : `Import progress: ${first}`,
        );
        expect(part(el, 'button')!.getAttribute('aria-disabled')).to.equal('true');
        expect(part(el, 'spinner')).to.exist;
        const status = part(el, 'status')!;
        expect(status.getAttribute('aria-live')).to.equal('polite');
        await waitUntil(() => text(status).includes(found(sandbox, CAMILLE[0]).title));
        expect(text(status)).to.equal(
          lang === 'fr'
            ? `Import du document 1 sur 2 : ${found(sandbox, CAMILLE[0]).title}…`
            : `Importing document 1 of 2: ${found(sandbox, CAMILLE[0]).title}…`,
        );
        await expect(el).to.be.accessible();
        await done;
        await el.updateComplete;
        expect(el.matches(':state(success)')).to.be.true;
        expect(text(status)).to.equal(
          lang === 'fr' ? '2 documents importés depuis Mon espace santé' : '2 documents imported from Mon espace santé',
        );
        await expect(el).to.be.accessible();
      });
    }

    it('at most `max` documents in one import: more are not imported, and the dialog says why', async () => {
      const { el, paths } = await setup();
      el.max = 2;
      await openPicker(el);
      await choose(el, CAMILLE.slice(0, 3));
      expect(text(part(el, 'confirm'))).to.equal('Importer 3 documents');
      expect(part(el, 'confirm')!.getAttribute('aria-disabled')).to.equal('true');
      const hint = el.shadowRoot!.getElementById(part(el, 'confirm')!.getAttribute('aria-describedby')!);
      expect(text(hint)).to.equal('Choisissez 2 documents au plus pour un même import.');
      await expect(el).to.be.accessible();
      let started = false;
      el.addEventListener('mes-import-start', () => (started = true));
      part(el, 'confirm')!.click();
      await el.updateComplete;
      expect(started).to.be.false;
      expect(dialogOf(el).open).to.be.true;
      expect(paths.filter((path) => path.startsWith('Binary/'))).to.deep.equal([]);
      await choose(el, CAMILLE.slice(0, 2));
      expect(part(el, 'confirm')!.getAttribute('aria-disabled')).to.equal('false');
    });

    it('« Arrêter l’import » stops it: what came in stays, the rest is not imported', async () => {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let binaries = 0;
      const { el, sandbox } = await setup({
        // The second document's bytes never come, until the patient stops waiting.
        before: (path, signal) => {
          if (!path.startsWith('Binary/') || ++binaries !== 2) return Promise.resolve();
          return new Promise((resolve, reject) => {
            void held.then(resolve);
            signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
          });
        },
      });
      const ended = oneEvent(el, 'mes-import-error');
      void el.importDocuments(CAMILLE.slice(0, 3).map((id) => found(sandbox, id)));
      await waitUntil(() => part(el, 'stop'), 'the stop button, while importing');
      await waitUntil(() => binaries === 2, 'the second document under way');
      expect(text(part(el, 'stop'))).to.equal('Arrêter l’import');
      part(el, 'stop')!.click();
      const { detail } = await ended;
      expect(detail.error.code).to.equal('MES_ABORTED');
      release();
      await el.updateComplete;
      expect(el.imported.map((imported) => imported.document.id)).to.deep.equal([CAMILLE[0]]);
      expect(parts(el, 'item-status').map(text)).to.deep.equal(['Importé', 'En attente', 'En attente']);
      expect(part(el, 'stop')).to.be.null;
      expect(text(part(el, 'error'))).to.contain('1 document sur 3 a bien été importé.');
      await expect(el).to.be.accessible();
    });

    it('imports nothing when mes-import-start is cancelled', async () => {
      const { el, sandbox, paths } = await setup();
      el.addEventListener('mes-import-start', (event) => event.preventDefault());
      let progressed = false;
      el.addEventListener('mes-import-progress', () => (progressed = true));
      let succeeded = false;
      el.addEventListener('mes-import-success', () => (succeeded = true));
      await openPicker(el);
      await choose(el, CAMILLE);
      const before = paths.length;
      part(el, 'confirm')!.click();
      await el.importDocuments(CAMILLE.map((id) => found(sandbox, id)));
      await el.updateComplete;
      expect(paths.slice(before)).to.deep.equal([], 'nothing asked of MES');
      expect(progressed).to.be.false;
      expect(succeeded).to.be.false;
      expect(el.imported).to.deep.equal([]);
      expect(part(el, 'list')).to.be.null;
      expect(el.matches(':state(pending)')).to.be.false;
      expect(el.matches(':state(idle)')).to.be.true;
    });
  });

  describe('errors', () => {
    for (const lang of ['fr', 'en']) {
      it(`says which document failed, keeps those imported, and « Réessayer » imports only the rest (${lang})`, async () => {
        let down = true;
        const { el, sandbox, paths } = await setup({
          lang,
          fail: (path) => down && path === 'DocumentReference/camille-doc-02',
        });
        const documents = CAMILLE.map((id) => found(sandbox, id));
        const error = oneEvent(el, 'mes-import-error');
        let succeeded = false;
        el.addEventListener('mes-import-success', () => (succeeded = true));
        await el.importDocuments(documents);
        const { detail } = await error;
        expect(detail.error).to.be.instanceOf(MesError);
        expect(detail.error.code).to.equal('MES_NETWORK');
        expect(detail.error.retryable).to.be.true;
        expect({ id: detail.id, index: detail.index, count: detail.count }).to.deep.equal({
          id: 'camille-doc-02',
          index: 1,
          count: 3,
        });
        expect(succeeded).to.be.false;
        expect(el.imported.map((imported) => imported.document.id)).to.deep.equal(['camille-doc-01']);
        expect(new Uint8Array(await el.imported[0].file!.arrayBuffer())).to.deep.equal(
          bytesOf(sandbox, 'camille-doc-01'),
        );

        await el.updateComplete;
        expect(el.matches(':state(error)')).to.be.true;
        const title = documents[1].title;
        expect(text(part(el, 'error'))).to.equal(
          lang === 'fr'
            ? `« ${title} » n’a pas pu être importé. La connexion a été interrompue. Vérifiez votre connexion à Internet, puis réessayez. 1 document sur 3 a bien été importé.`
            : `“${title}” could not be imported. The connection was interrupted. Check your Internet connection, then try again. 1 of 3 documents was imported.`,
        );
        expect(text(part(el, 'status')), 'the error is announced').to.equal(text(part(el, 'error')));
        expect(parts(el, 'item').map((item) => text(item.querySelector('[part="item-status"]')))).to.deep.equal(
          lang === 'fr' ? ['Importé', 'Non importé', 'En attente'] : ['Imported', 'Not imported', 'Waiting'],
        );
        expect(text(part(el, 'label'))).to.equal(
          lang === 'fr' ? 'Réessayer l’import des 2 documents restants' : 'Retry importing the 2 remaining documents',
        );
        expect(part(el, 'button')!.getAttribute('aria-describedby')).to.equal('error');
        expect(part(el, 'button')!.hasAttribute('aria-haspopup'), 'retrying opens no dialog').to.be.false;
        await expect(el).to.be.accessible();

        down = false;
        const asked = paths.length;
        let restarted: string[] = [];
        el.addEventListener('mes-import-start', (event) => (restarted = event.detail.documents.map((d) => d.id)));
        const success = oneEvent(el, 'mes-import-success');
        part(el, 'button')!.click();
        const done: MesImportSuccessDetail = (await success).detail;
        expect(restarted).to.deep.equal(['camille-doc-02', 'camille-doc-03']);
        const retrieved = paths.slice(asked).filter((path) => path.startsWith('Binary/'));
        expect(retrieved).to.deep.equal(['Binary/camille-bin-02', 'Binary/camille-bin-03'], 'never the first again');
        expect(done.documents.map((imported) => imported.document.id)).to.deep.equal(CAMILLE);
        for (const imported of done.documents) {
          expect(new Uint8Array(await imported.file!.arrayBuffer())).to.deep.equal(
            bytesOf(sandbox, imported.document.id),
          );
        }
        await el.updateComplete;
        expect(el.matches(':state(success)')).to.be.true;
        expect(text(part(el, 'label'))).to.equal(
          lang === 'fr' ? 'Importer depuis Mon espace santé' : 'Import from Mon espace santé',
        );
        await expect(el).to.be.accessible();
      });
    }

    it('offers no « Réessayer » when trying again would not help: the button opens the picker again', async () => {
      const failure = new MesError('MES_INVALID_RESPONSE', { operation: 'retrieve-document', status: 200 });
      const { el, transport } = await onGateway((name) =>
        name === 'retrieve-document'
          ? Promise.reject(failure)
          : Promise.resolve({ total: 1, documents: [ORDONNANCE], skipped: 0 }),
      );
      await el.importDocuments([ORDONNANCE]);
      await el.updateComplete;
      expect(el.matches(':state(error)')).to.be.true;
      expect(text(part(el, 'error'))).to.equal(
        '« Ordonnance du Dr Martin » n’a pas pu être importé. Le document reçu de Mon espace santé est incomplet ou altéré. Réessayez plus tard.',
      );
      expect(text(part(el, 'label'))).to.equal('Importer depuis Mon espace santé');
      await expect(el).to.be.accessible();

      part(el, 'button')!.click();
      await waitUntil(() => dialogOf(el).open, 'the picker again');
      expect(transport.calls.run.filter((call) => call.name === 'retrieve-document')).to.have.length(1);
    });
  });

  describe('pairing failures', () => {
    it('blames no document when the pairing fails, and offers to continue in this tab', async () => {
      const transport = fakeGateway({ pairing: 'blocked' });
      const el = await fixture<MesImportDocumentButton>(
        html`<mes-import-document-button .client=${new MesClient({ transport })}></mes-import-document-button>`,
      );
      const error = oneEvent(el, 'mes-import-error');
      await el.importDocuments([ORDONNANCE]);
      const { detail } = await error;
      expect(detail.error.code).to.equal('MES_POPUP_BLOCKED');
      expect(Object.keys(detail)).to.deep.equal(['error']);
      expect(transport.calls.run).to.have.length(0);
      await el.updateComplete;
      expect(text(part(el, 'item-status'))).to.equal('En attente');
      expect(text(part(el, 'error'))).to.equal(
        'Votre navigateur a bloqué la fenêtre Mon espace santé. Autorisez les fenêtres de ce site, puis réessayez.',
      );
      expect(text(part(el, 'fallback'))).to.equal('Continuer la synchronisation dans cet onglet');
      await expect(el).to.be.accessible();
    });
  });

  describe('gateway mode', () => {
    it('hands the bytes to the portal by default: the success carries its answer, no file', async () => {
      const { el, transport } = await onGateway(async () => ({ document: ORDONNANCE, received: { ref: 'GED-42' } }));
      const success = oneEvent(el, 'mes-import-success');
      await el.importDocuments([ORDONNANCE]);
      expect((await success).detail).to.deep.equal({
        documents: [{ document: ORDONNANCE, received: { ref: 'GED-42' } }],
      });
      expect(transport.calls.run).to.deep.equal([{ name: 'retrieve-document', input: { id: 'doc-7' } }]);
    });

    it('asks for the bytes in the page with deliver="page", and keeps nothing of the transport’s', async () => {
      const file = new File(['%PDF'], 'Ordonnance du Dr Martin.pdf', { type: 'application/pdf' });
      const { el, transport } = await onGateway(
        async () => ({ document: ORDONNANCE, download: 'imports/abcdefghijklmnopqrstuvwxyz', name: file.name, file }),
        'page',
      );
      const success = oneEvent(el, 'mes-import-success');
      await el.importDocuments([ORDONNANCE]);
      expect((await success).detail).to.deep.equal({ documents: [{ document: ORDONNANCE, file }] });
      expect(transport.calls.run).to.deep.equal([
        { name: 'retrieve-document', input: { id: 'doc-7', deliver: 'page' } },
      ]);
    });
  });
});
