import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { nothing } from 'lit';
import { sendKeys } from '@web/test-runner-commands';
import { MesClient, MesError, inProcessTransport, type DocumentToSend, type Transport } from '@mes-kit/core';
import '../../packages/elements/src/all.js';
import type { MesSendDocumentButton } from '../../packages/elements/src/index.js';
import { createInPageSandbox } from '../../packages/sandbox/src/in-page.js';
import { fakeGateway, type FakeGatewayOptions } from '../../stories/_helpers/fake-gateway.js';
import { part, text } from '../helpers/shadow-dom.js';

const PDF = '%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n';

function letter(overrides: Partial<DocumentToSend> = {}): DocumentToSend {
  return {
    file: new Blob([`${PDF}% ${Math.random()}`], { type: 'application/pdf' }),
    title: 'Lettre de liaison de sortie',
    type: '11490-0',
    date: '2026-11-20T10:00:00+01:00',
    ...overrides,
  };
}

async function setup(options: { paired?: string[]; lang?: string } = {}) {
  const sandbox = await createInPageSandbox({ seeded: false });
  const client = new MesClient({ transport: inProcessTransport(sandbox, { pairedWith: options.paired }) });
  const wrapper = await fixture<HTMLElement>(
    html`<div lang=${options.lang ?? 'fr'}>
      <mes-provider .client=${client}
        ><mes-send-document-button .document=${letter()}></mes-send-document-button
      ></mes-provider>
    </div>`,
  );
  const el = wrapper.querySelector('mes-send-document-button')!;
  await el.updateComplete;
  return { sandbox, client, el, wrapper };
}

/** A button sending a document the portal holds (`document-ref`), through a stand-in gateway paired for documents. */
async function byRef(options: FakeGatewayOptions & { lang?: string; title?: string } = {}) {
  const transport = fakeGateway({ paired: ['DOC_ECRITURE'], ...options });
  const wrapper = await fixture<HTMLElement>(
    html`<div lang=${options.lang ?? 'fr'}>
      <mes-send-document-button
        .client=${new MesClient({ transport })}
        document-ref="cr-2026-118"
        document-title=${options.title ?? nothing}
      ></mes-send-document-button>
    </div>`,
  );
  const el = wrapper.querySelector('mes-send-document-button')!;
  await el.updateComplete;
  return { transport, el };
}

/** A button's text as a screen reader reads it: without the labels laid unseen to keep its width. */
function spokenText(node: HTMLElement): string {
  const copy = node.cloneNode(true) as HTMLElement;
  for (const unseen of copy.querySelectorAll('[aria-hidden="true"]')) unseen.remove();
  return text(copy);
}

const faults = (sandbox: Awaited<ReturnType<typeof createInPageSandbox>>, settings: object) =>
  sandbox.fetch('http://localhost:8787/sandbox/faults', {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(settings),
  });

describe('<mes-send-document-button>', () => {
  describe('idle', () => {
    it('is a button named « Envoyer vers Mon espace santé », and accessible', async () => {
      const { el } = await setup();
      const button = part(el, 'button')!;
      expect(button.tagName).to.equal('BUTTON');
      expect(part(el, 'label')!.textContent).to.equal('Envoyer vers Mon espace santé');
      expect(spokenText(button)).to.equal(
        'Envoyer vers Mon espace santé — Lettre de liaison de sortie',
        'several buttons on a page are told apart by their document',
      );
      expect(el.matches(':state(pending)')).to.be.false;
      expect(button.getBoundingClientRect().height).to.be.at.least(44);
      await expect(el).to.be.accessible();
    });

    it('speaks English under an English ancestor', async () => {
      const { el } = await setup({ lang: 'en' });
      expect(part(el, 'label')!.textContent).to.equal('Send to Mon espace santé');
    });

    it('takes the host’s own strings', async () => {
      const { el } = await setup();
      el.strings = { sendDocument: 'Déposer dans Mon espace santé' };
      await el.updateComplete;
      expect(part(el, 'label')!.textContent).to.equal('Déposer dans Mon espace santé');
    });
  });

  describe('events', () => {
    it('pairs, then sends, firing start → pair → progress → success, and MES has the document', async () => {
      const { el, sandbox } = await setup();
      const fired: string[] = [];
      for (const type of [
        'mes-send-start',
        'mes-pair-start',
        'mes-pair-success',
        'mes-send-progress',
        'mes-send-success',
        'mes-send-error',
      ]) {
        el.addEventListener(type, () => fired.push(type));
      }
      const success = oneEvent(el, 'mes-send-success');
      part(el, 'button')!.click();
      const event = await success;
      const order = fired.filter((type, i) => type !== fired[i - 1]);
      expect(order).to.deep.equal([
        'mes-send-start',
        'mes-pair-start',
        'mes-pair-success',
        'mes-send-progress',
        'mes-send-success',
      ]);
      expect(event.detail.alreadyPresent).to.be.false;
      expect(Object.keys(event.detail).sort()).to.deep.equal(['alreadyPresent', 'id'], 'no health data in the event');
      expect(sandbox.store.list('camille', 'DocumentReference')).to.have.length(1);
      await el.updateComplete;
      expect(el.matches(':state(success)')).to.be.true;
      expect(part(el, 'status')!.textContent.trim()).to.equal('Envoyé vers Mon espace santé');
      expect(part(el, 'status')!.classList.contains('sr-only')).to.be.true;
      expect(part(el, 'link')!.getAttribute('href')).to.equal('https://www.monespacesante.fr/');
      expect(part(el, 'button')!.getAttribute('aria-disabled')).to.equal('true');
      await expect(el).to.be.accessible();
    });

    it('does nothing when mes-send-start is cancelled', async () => {
      const { el, sandbox } = await setup({ paired: ['DOC_ECRITURE'] });
      el.addEventListener('mes-send-start', (event) => event.preventDefault());
      let progressed = false;
      el.addEventListener('mes-send-progress', () => (progressed = true));
      await el.send();
      expect(progressed).to.be.false;
      expect(sandbox.store.list('camille', 'DocumentReference')).to.have.length(0);
      expect(el.matches(':state(pending)')).to.be.false;
    });

    it('sends the same document once, however often it is asked', async () => {
      const { el, sandbox, client } = await setup({ paired: ['DOC_ECRITURE'] });
      const doc = letter({ id: 'lettre-1' });
      el.document = doc;
      await el.send();
      await client.sendDocument(doc);
      expect(sandbox.store.list('camille', 'DocumentReference')).to.have.length(1);
    });
  });

  describe('states', () => {
    it('shows a real progress bar and an announced status while sending, accessibly', async () => {
      const { el, sandbox } = await setup({ paired: ['DOC_ECRITURE'] });
      await faults(sandbox, { latencyMs: 400 });
      const done = el.send();
      await waitUntil(() => part(el, 'progress'), 'progress bar shown');
      expect(el.matches(':state(pending)')).to.be.true;
      expect(part(el, 'spinner')).to.exist;
      const status = part(el, 'status')!;
      expect(status.getAttribute('aria-live')).to.equal('polite');
      expect(status.textContent).to.match(/Envoi en cours|Préparation/);
      await expect(el).to.be.accessible();
      await done;
      expect(el.matches(':state(success)')).to.be.true;
    });

    it('is busy from the click on, while it checks the document and reads the session: a second click is not a second send', async () => {
      const transport = fakeGateway({ paired: ['DOC_ECRITURE'] });
      const read = transport.session.bind(transport);
      let answer!: () => void;
      const answered = new Promise<void>((resolve) => (answer = resolve));
      transport.session = async () => {
        await answered;
        return read();
      };
      const el = await fixture<MesSendDocumentButton>(
        html`<mes-send-document-button
          .client=${new MesClient({ transport })}
          document-ref="cr-1"
        ></mes-send-document-button>`,
      );
      let starts = 0;
      el.addEventListener('mes-send-start', () => starts++);
      part(el, 'button')!.click();
      await el.updateComplete;
      expect(el.matches(':state(pending)')).to.be.true;
      expect(part(el, 'spinner')).to.exist;
      expect(part(el, 'button')!.getAttribute('aria-disabled')).to.equal('true');
      expect(part(el, 'label')!.textContent).to.equal('Envoyer vers Mon espace santé');
      await expect(el).to.be.accessible();
      part(el, 'button')!.click();
      const success = oneEvent(el, 'mes-send-success');
      answer();
      await success;
      expect(starts).to.equal(1);
      expect(transport.calls.run).to.have.length(1);
    });

    it('refuses a document without a title before any pairing, with a clear message', async () => {
      const { el } = await setup();
      el.document = letter({ title: '' });
      let paired = false;
      el.addEventListener('mes-pair-start', () => (paired = true));
      const error = oneEvent(el, 'mes-send-error');
      part(el, 'button')!.click();
      const { detail } = await error;
      expect(detail.error).to.be.instanceOf(MesError);
      expect(detail.error.code).to.equal('MES_INVALID_INPUT');
      expect(paired).to.be.false;
      await el.updateComplete;
      expect(el.matches(':state(error)')).to.be.true;
      expect(text(part(el, 'error'))).to.equal(
        'Le document n’a pas été envoyé. Le titre est manquant ou dépasse 255 caractères.',
      );
      expect(part(el, 'label')!.textContent, 'trying again would not help').to.equal('Envoyer vers Mon espace santé');
      expect(part(el, 'button')!.getAttribute('aria-describedby')).to.equal('error');
      await expect(el).to.be.accessible();
    });

    it('reports MES being down, then succeeds on retry', async () => {
      const { el, sandbox } = await setup({ paired: ['DOC_ECRITURE'] });
      el.client = new MesClient({
        transport: inProcessTransport(sandbox, { pairedWith: ['DOC_ECRITURE'] }),
        retry: { baseDelayMs: 1, maxDelayMs: 2 },
      });
      await faults(sandbox, { errorRate: 1, statuses: [500] });
      await el.send();
      await el.updateComplete;
      expect(el.matches(':state(error)')).to.be.true;
      expect(text(part(el, 'error'))).to.match(/momentanément indisponible/);
      expect(part(el, 'label')!.textContent).to.equal('Réessayer l’envoi');
      expect(part(el, 'status')!.textContent).to.match(/momentanément indisponible/, 'the error is announced');
      await faults(sandbox, {});
      await el.send();
      await el.updateComplete;
      expect(el.matches(':state(success)')).to.be.true;
    });

    it('offers to continue in the tab when the pairing popup is blocked', async () => {
      const { el } = await setup();
      const blocked: Transport = {
        kind: 'local',
        session: async () => ({ paired: false, finalities: [], service: { oid: '1.2.250.1.999.42.1', name: 'Test' } }),
        pair: () => Promise.reject(new MesError('MES_POPUP_BLOCKED')),
        revoke: async () => undefined,
        request: () => Promise.reject(new Error('no request expected')),
        redirectPairingUrl: (finalities, returnTo) =>
          `/mes/pair/start?finalities=${finalities.join('+')}&mode=redirect&return_to=${encodeURIComponent(returnTo)}`,
      };
      el.client = new MesClient({ transport: blocked });
      const pairError = oneEvent(el, 'mes-pair-error');
      await el.send();
      expect((await pairError).detail.error.code).to.equal('MES_POPUP_BLOCKED');
      await el.updateComplete;
      expect(text(part(el, 'error'))).to.match(/bloqué la fenêtre/);
      const link = el.shadowRoot!.querySelector<HTMLAnchorElement>('a[href^="/mes/pair/start"]')!;
      expect(link.textContent).to.equal('Continuer la synchronisation dans cet onglet');
      await expect(el).to.be.accessible();
    });
  });

  describe('after a send', () => {
    it('is ready again for a new document', async () => {
      const { el } = await setup({ paired: ['DOC_ECRITURE'] });
      await el.send();
      expect(el.matches(':state(success)')).to.be.true;
      el.document = letter({ title: 'Compte rendu de biologie', type: '11502-2' });
      await el.updateComplete;
      expect(el.matches(':state(success)')).to.be.false;
      expect(part(el, 'label')!.textContent).to.equal('Envoyer vers Mon espace santé');
      await el.send();
      expect(el.matches(':state(success)')).to.be.true;
    });

    it('shows errors in the element’s language even when the client speaks another', async () => {
      const { el } = await setup({ lang: 'en' });
      el.document = letter({ title: '' });
      await el.send();
      await el.updateComplete;
      expect(text(part(el, 'error'))).to.equal(
        'The document was not sent. The title is missing or longer than 255 characters.',
      );
    });

    it('pairs again when MES says the pairing has ended', async () => {
      const { el, sandbox } = await setup({ paired: ['DOC_ECRITURE'] });
      await el.send();
      await sandbox.fetch('http://localhost:8787/sandbox/pairings/camille/mes-kit-demo', { method: 'DELETE' });
      el.document = letter({ title: 'Compte rendu de biologie' });
      await el.send();
      await el.updateComplete;
      expect(el.matches(':state(error)')).to.be.true;
      let paired = false;
      el.addEventListener('mes-pair-start', () => (paired = true));
      await el.send();
      expect(paired).to.be.true;
      expect(el.matches(':state(success)')).to.be.true;
    });
  });

  describe('gateway mode', () => {
    it('sends a document the portal holds by its reference, named by document-title, which is never sent', async () => {
      const { transport, el } = await byRef({ title: 'Compte rendu d’hospitalisation' });
      expect(spokenText(part(el, 'button')!)).to.equal(
        'Envoyer vers Mon espace santé — Compte rendu d’hospitalisation',
      );
      await expect(el).to.be.accessible();
      const success = oneEvent(el, 'mes-send-success');
      part(el, 'button')!.click();
      expect((await success).detail).to.deep.equal({ id: 'doc-1', alreadyPresent: false });
      expect(transport.calls.run).to.deep.equal([{ name: 'send-document', input: { ref: 'cr-2026-118' } }]);
      await el.updateComplete;
      expect(el.matches(':state(success)')).to.be.true;
      await expect(el).to.be.accessible();
    });

    it('says « déjà » when MES already had the document', async () => {
      const { el } = await byRef({
        run: async () => ({ id: 'doc-1', masterIdentifier: 'urn:uuid:1', alreadyPresent: true }),
      });
      await el.send();
      await el.updateComplete;
      expect(part(el, 'status')!.textContent.trim()).to.equal('Ce document est déjà dans Mon espace santé');
      expect(part(el, 'label')!.textContent, 'the button says it').to.equal('Déjà dans Mon espace santé');
      await expect(el).to.be.accessible();
    });
  });

  describe('errors', () => {
    it('offers « Réessayer » only when trying again may help', async () => {
      let failure = new MesError('MES_REJECTED', { operation: 'send-document', status: 422 });
      const { el } = await byRef({ run: () => Promise.reject(failure) });
      await el.send();
      await el.updateComplete;
      expect(el.matches(':state(error)')).to.be.true;
      expect(text(part(el, 'error'))).to.equal(
        'Mon espace santé a refusé le document. Réessayer n’y changera rien : contactez le support du service.',
      );
      expect(part(el, 'label')!.textContent).to.equal('Envoyer vers Mon espace santé');
      await expect(el).to.be.accessible();

      failure = new MesError('MES_RATE_LIMITED', { operation: 'send-document', status: 429 });
      await el.send();
      await el.updateComplete;
      expect(text(part(el, 'error'))).to.equal(
        'Mon espace santé reçoit trop de demandes. Réessayez dans quelques instants.',
      );
      expect(part(el, 'label')!.textContent).to.equal('Réessayer l’envoi');
      await expect(el).to.be.accessible();
    });

    it('says which operation was cancelled', async () => {
      const { el } = await byRef({ lang: 'en', run: () => Promise.reject(new DOMException('stopped', 'AbortError')) });
      await el.send();
      await el.updateComplete;
      expect(text(part(el, 'error'))).to.equal('Sending was cancelled. You can start it again.');
    });

    it('clears an error when another element on the same client succeeds, but keeps an error in its own input', async () => {
      let unavailable = true;
      const transport = fakeGateway({
        paired: ['DOC_ECRITURE'],
        run: async () => {
          if (unavailable) throw new MesError('MES_UNAVAILABLE', { operation: 'send-document', status: 503 });
          return { id: 'doc-2', masterIdentifier: 'urn:uuid:2', alreadyPresent: false };
        },
      });
      const client = new MesClient({ transport });
      const wrapper = await fixture<HTMLElement>(
        html`<mes-provider .client=${client}>
          <mes-send-document-button document-ref="cr-1"></mes-send-document-button>
          <mes-send-document-button document-ref="cr-2"></mes-send-document-button>
          <mes-send-document-button .document=${letter({ title: '' })}></mes-send-document-button>
        </mes-provider>`,
      );
      const [first, second, untitled] = wrapper.querySelectorAll('mes-send-document-button');
      await first.send();
      await untitled.send();
      expect(first.matches(':state(error)')).to.be.true;
      expect(untitled.matches(':state(error)')).to.be.true;

      unavailable = false;
      await second.send();
      await first.updateComplete;
      expect(first.matches(':state(error)'), 'MES is back: the stale error goes').to.be.false;
      expect(part(first, 'error')).to.be.null;
      expect(part(first, 'label')!.textContent).to.equal('Envoyer vers Mon espace santé');
      expect(untitled.matches(':state(error)'), 'its document still lacks a title').to.be.true;
    });

    it('joins a pairing already open on its client instead of opening a second one', async () => {
      const transport = fakeGateway({ pairing: 'held' });
      const client = new MesClient({ transport });
      const el = await fixture<MesSendDocumentButton>(
        html`<mes-send-document-button .client=${client} document-ref="cr-1"></mes-send-document-button>`,
      );
      const elsewhere = client.pair(['DOC_ECRITURE', 'DOC_LECTURE'], { textVersion: '3' });
      let receipts = 0;
      el.addEventListener('mes-consent-change', () => receipts++);
      const done = el.send();
      await waitUntil(() => el.matches(':state(pending)'));
      expect(part(el, 'label')!.textContent).to.equal('Synchronisation avec Mon espace santé…');
      transport.release();
      await Promise.all([elsewhere, done]);
      expect(transport.calls.pair).to.have.length(1);
      expect(transport.calls.focus).to.equal(1, 'the open MES window comes forward');
      expect(receipts, 'the receipt is for whoever opened the pairing').to.equal(0);
      expect(el.matches(':state(success)')).to.be.true;
    });
  });

  describe('keyboard', () => {
    it('sends with Enter from the focused button', async () => {
      const { el } = await setup({ paired: ['DOC_ECRITURE'] });
      part(el, 'button')!.focus();
      const success = oneEvent(el, 'mes-send-success');
      await sendKeys({ press: 'Enter' });
      await success;
    });
  });
});
