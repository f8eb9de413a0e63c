import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import {
  ENGLISH_FINALITY_DESCRIPTIONS,
  MesClient,
  MesError,
  describeFinalities,
  inProcessTransport,
  type ConsentReceipt,
  type MesSession,
  type Transport,
} from '@mes-kit/core';
import '../../packages/elements/src/all.js';
import type { MesConsentPrompt, MesSendDocumentButton } from '../../packages/elements/src/index.js';
import { createInPageSandbox } from '../../packages/sandbox/src/in-page.js';
import { fakeGateway } from '../../stories/_helpers/fake-gateway.js';
import { frenchTypographyProblems } from '../helpers/french-typography.js';

const ASKED = describeFinalities(['DOC_ECRITURE', 'DOC_LECTURE']);
const PDF = '%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n';

async function setup(options: { paired?: string[]; lang?: string } = {}) {
  const sandbox = await createInPageSandbox({ seeded: false });
  const client = new MesClient({ transport: inProcessTransport(sandbox, { pairedWith: options.paired }) });
  const wrapper = await fixture<HTMLElement>(
    html`<div lang=${options.lang ?? 'fr'}>
      <mes-provider .client=${client}>
        <mes-consent-prompt
          .finalities=${options.lang === 'en' ? describeFinalities(['DOC_ECRITURE', 'DOC_LECTURE'], ENGLISH_FINALITY_DESCRIPTIONS) : ASKED}
          cgu-url="https://portail.example.fr/cgu"
          text-version="2026-11"
        ></mes-consent-prompt>
        <mes-send-document-button></mes-send-document-button>
      </mes-provider>
    </div>`,
  );
  const el = wrapper.querySelector('mes-consent-prompt')!;
  const button = wrapper.querySelector('mes-send-document-button')!;
  button.document = { file: new Blob([PDF], { type: 'application/pdf' }), title: 'Lettre', type: '11490-0' };
  await client.session();
  await el.updateComplete;
  return { sandbox, client, el, button };
}

/** A gateway whose MES window stays open until released, and closes when the pairing is aborted (« Annuler »). */
function heldGateway(options: { paired?: string[] } = {}) {
  const transport = fakeGateway({ pairing: 'held', ...options });
  const signals: AbortSignal[] = [];
  const pair = transport.pair.bind(transport);
  transport.pair = (finalities, signal) => {
    if (signal) signals.push(signal);
    return new Promise<MesSession>((resolve, reject) => {
      signal?.addEventListener('abort', () => reject(new MesError('MES_ABORTED', { operation: 'pair' })));
      pair(finalities, signal).then(resolve, reject);
    });
  };
  return { transport, signals };
}

/** A prompt on its own client; `loaded: false` when its session is not to be waited for. */
async function promptOn(transport: Transport, { loaded = true } = {}) {
  const client = new MesClient({ transport });
  const el = await fixture<MesConsentPrompt>(
    html`<mes-consent-prompt
      .finalities=${ASKED}
      .client=${client}
      cgu-url="https://portail.example.fr/cgu"
      text-version="2026-11"
    ></mes-consent-prompt>`,
  );
  if (loaded) await client.session().catch(() => undefined);
  await el.updateComplete;
  return { client, el };
}

const shadow = (el: MesConsentPrompt) => el.shadowRoot!;
/** A button the patient can see: not one of the closed confirmation dialog's. */
const buttonNamed = (el: MesConsentPrompt, name: string) =>
  [...shadow(el).querySelectorAll('button')].find(
    (b) => b.textContent.trim() === name && !b.closest('dialog:not([open])'),
  )!;
const hasButton = (el: MesConsentPrompt, name: string) => buttonNamed(el, name) !== undefined;
const status = (el: MesConsentPrompt) => shadow(el).querySelector('[part~="status"]')!.textContent;
const title = (el: MesConsentPrompt) => shadow(el).querySelector('[part~="title"]')!.textContent.trim();
const focused = (el: MesConsentPrompt) => shadow(el).activeElement as HTMLElement | null;
const baseHeight = (el: MesConsentPrompt) => shadow(el).querySelector('[part~="base"]')!.getBoundingClientRect().height;
/** What a patient reads: the text outside the skeleton (inert) and the closed dialog, spaces collapsed but not the non-breaking ones. */
function readable(el: MesConsentPrompt): string {
  const copy = shadow(el).querySelector('[part~="base"]')!.cloneNode(true) as HTMLElement;
  copy.querySelectorAll('[inert], dialog:not([open]), style').forEach((node) => node.remove());
  return copy.textContent.replace(/[ \t\n]+/g, ' ').trim();
}
const pairings = (sandbox: Awaited<ReturnType<typeof createInPageSandbox>>) => sandbox.store.listPairings();

describe('<mes-consent-prompt>', () => {
  it('not paired: explains each finalité (direction, data, purpose), with equal « Tout refuser » and « Tout accepter »', async () => {
    const { el } = await setup();
    const text = readable(el);
    expect(title(el)).to.equal('Synchroniser avec Mon espace santé');
    expect(text).to.include(
      'Hôpital Lumière — portail patient peut échanger avec votre profil Mon espace santé les données que vous autorisez',
    );
    expect(text).to.include('Ajouter des documents de santé');
    expect(text).to.include('Écriture · Documents\u00a0: Comptes rendus, Résultats de biologie');
    expect(text).to.include('Consulter mes documents de santé');
    expect(text).to.include('Lecture · Documents');
    expect(frenchTypographyProblems(text)).to.deep.equal([]);
    const switches = shadow(el).querySelectorAll('input[role="switch"]');
    expect(switches).to.have.length(2);
    const refuse = buttonNamed(el, 'Tout refuser');
    const accept = buttonNamed(el, 'Tout accepter');
    expect(refuse.getBoundingClientRect().width).to.equal(accept.getBoundingClientRect().width);
    expect(getComputedStyle(refuse).backgroundColor).to.equal(getComputedStyle(accept).backgroundColor);
    const continueButton = buttonNamed(el, 'Continuer vers Mon espace santé');
    expect(continueButton.getAttribute('aria-disabled')).to.equal('true');
    expect(shadow(el).getElementById(continueButton.getAttribute('aria-describedby')!)!.textContent).to.equal(
      'Choisissez au moins une autorisation, ou refusez.',
    );
    expect(shadow(el).querySelector('[part~="mark"]'), 'the mark beside Mon espace santé’s name').to.exist;
    await expect(el).to.be.accessible();
  });

  it('a host address that is no web page (javascript:, data:) gives no link', async () => {
    const { el } = await setup();
    const hrefs = async (address: string) => {
      el.cguUrl = address;
      await el.updateComplete;
      return [...shadow(el).querySelectorAll<HTMLAnchorElement>('a[part~="link"]')].map((a) => a.getAttribute('href'));
    };
    expect(await hrefs('javascript:alert(1)')).to.deep.equal(['https://www.monespacesante.fr/']);
    expect(await hrefs(' JavaScript:alert(1)')).to.deep.equal(['https://www.monespacesante.fr/']);
    expect(await hrefs('data:text/html,<script>alert(1)</script>')).to.deep.equal(['https://www.monespacesante.fr/']);
    expect(await hrefs('/cgu.html')).to.deep.equal(['/cgu.html', 'https://www.monespacesante.fr/']);
  });

  it('links that open a new window say so to screen readers: the terms of use, and « Qu’est-ce que Mon espace santé ? »', async () => {
    const { el } = await setup();
    const links = [...shadow(el).querySelectorAll<HTMLAnchorElement>('a[part~="link"]')];
    expect(links.map((a) => [a.getAttribute('href'), a.textContent.replace(/\s+/g, ' ').trim()])).to.deep.equal([
      ['https://portail.example.fr/cgu', 'Conditions générales d’utilisation du service (nouvelle fenêtre)'],
      ['https://www.monespacesante.fr/', 'Qu’est-ce que Mon espace santé ? (nouvelle fenêtre)'],
    ]);
    for (const link of links) {
      expect(link.target).to.equal('_blank');
      expect(link.rel).to.equal('noopener noreferrer');
      expect(link.querySelector('.sr-only')!.textContent.trim(), 'said, not shown').to.equal('(nouvelle fenêtre)');
    }
  });

  it('takes the brand from tokens: switches, knob, buttons and notice', async () => {
    const { el } = await setup();
    // Read as set, not halfway through a transition.
    el.style.setProperty('--mes-transition-duration', '0s');
    const [, before] = shadow(el).querySelectorAll<HTMLInputElement>('[part~="switch"]');
    before.click();
    await el.updateComplete;
    const defaultOn = getComputedStyle(before).backgroundColor;
    before.click();
    el.style.setProperty('--mes-consent-prompt-switch-background-color', 'rgb(1, 2, 3)');
    el.style.setProperty('--mes-color-primary', 'rgb(4, 5, 6)');
    el.style.setProperty('--mes-color-on-primary', 'rgb(7, 8, 9)');
    el.style.setProperty('--mes-consent-prompt-button-background-color', 'rgb(10, 11, 12)');
    el.style.setProperty('--mes-consent-prompt-button-radius', '3px');
    el.style.setProperty('--mes-color-primary-subtle', 'rgb(13, 14, 15)');
    const [off, on] = shadow(el).querySelectorAll<HTMLInputElement>('[part~="switch"]');
    on.click();
    await el.updateComplete;
    expect(getComputedStyle(off).backgroundColor).to.equal('rgb(1, 2, 3)');
    // On: from the host's primary colour (kept readable against the surface), no longer the default one.
    expect(getComputedStyle(on).backgroundColor, 'on: from the host’s primary colour').not.to.equal(defaultOn);
    expect(getComputedStyle(buttonNamed(el, 'Continuer vers Mon espace santé')).backgroundColor).to.equal(
      'rgb(4, 5, 6)',
    );
    expect(getComputedStyle(on, '::after').backgroundColor, 'the knob').to.equal('rgb(7, 8, 9)');
    const refuse = buttonNamed(el, 'Tout refuser');
    expect(getComputedStyle(refuse).backgroundColor).to.equal('rgb(10, 11, 12)');
    expect(getComputedStyle(refuse).borderTopLeftRadius).to.equal('3px');
    expect(shadow(el).querySelector('[part~="label"]')!.textContent).to.equal('Ajouter des documents de santé');
    refuse.click();
    await oneEvent(el, 'mes-consent-change');
    await el.updateComplete;
    expect(getComputedStyle(shadow(el).querySelector('[part~="status"]')!).backgroundColor).to.equal('rgb(13, 14, 15)');
  });

  it('paired partly: pairs with the finalités chosen, and marks each one granted (✓) or not (✗)', async () => {
    const { el, sandbox } = await setup();
    shadow(el).querySelector<HTMLInputElement>('#f-DOC_ECRITURE')!.click();
    await el.updateComplete;
    expect(readable(el)).to.include('Mon espace santé vous demandera de confirmer votre choix.');
    const change = oneEvent(el, 'mes-consent-change');
    buttonNamed(el, 'Continuer vers Mon espace santé').click();
    const { receipt } = (await change).detail;
    expect(receipt.granted).to.deep.equal(['DOC_ECRITURE']);
    expect(receipt.refused).to.deep.equal(['DOC_LECTURE']);
    expect(receipt.textVersion).to.equal('2026-11');
    expect(receipt.service).to.equal('1.2.250.1.999.42.1');
    expect(Object.keys(receipt).sort()).to.deep.equal(['at', 'granted', 'refused', 'service', 'textVersion']);
    await el.updateComplete;
    expect(el.matches(':state(paired)')).to.be.true;
    expect(title(el)).to.equal('Synchronisé avec Mon espace santé');
    const items = [...shadow(el).querySelectorAll('li[part~="item"]')];
    expect(items.map((li) => li.className.replace('item', '').trim())).to.deep.equal(['granted', 'not-granted']);
    expect(items.map((li) => li.querySelector('[part~="label"]')!.textContent)).to.deep.equal([
      'Autorisé\u00a0: Ajouter des documents de santé',
      'Non autorisé\u00a0: Consulter mes documents de santé',
    ]);
    expect(readable(el)).to.include('Vous pouvez modifier ces autorisations ici ou dans Mon espace santé.');
    expect(frenchTypographyProblems(readable(el))).to.deep.equal([]);
    expect(pairings(sandbox)[0].finalities).to.deep.equal(['DOC_ECRITURE']);
    expect(focused(el)?.getAttribute('part'), 'focus follows the new view').to.equal('title');
    await expect(el).to.be.accessible();

    // The patient changes their mind: « Modifier mes autorisations », add reading, continue.
    buttonNamed(el, 'Modifier mes autorisations').click();
    await el.updateComplete;
    expect(title(el)).to.equal('Modifier vos autorisations');
    expect(focused(el)?.getAttribute('part')).to.equal('title');
    expect(shadow(el).querySelector<HTMLInputElement>('#f-DOC_ECRITURE')!.checked, 'starts from what is granted').to.be
      .true;
    shadow(el).querySelector<HTMLInputElement>('#f-DOC_LECTURE')!.click();
    await el.updateComplete;
    const changed = oneEvent(el, 'mes-consent-change');
    buttonNamed(el, 'Continuer vers Mon espace santé').click();
    expect((await changed).detail.receipt.granted).to.deep.equal(['DOC_ECRITURE', 'DOC_LECTURE']);
    expect(pairings(sandbox)[0].finalities).to.deep.equal(['DOC_ECRITURE', 'DOC_LECTURE']);
  });

  it('refused: no pairing, a receipt of the refusal, and the send button does not ask again but points to the prompt', async () => {
    const { el, sandbox, button, client } = await setup();
    const change = oneEvent(el, 'mes-consent-change');
    buttonNamed(el, 'Tout refuser').click();
    const { receipt } = (await change).detail;
    expect(receipt.granted).to.deep.equal([]);
    expect(receipt.refused).to.deep.equal(['DOC_ECRITURE', 'DOC_LECTURE']);
    expect(receipt.service).to.equal('1.2.250.1.999.42.1');
    expect(receipt.textVersion).to.equal('2026-11');
    expect(client.lastReceipt).to.deep.equal(receipt);
    await el.updateComplete;
    expect(status(el)).to.equal('Vous avez refusé la synchronisation. Vous pouvez changer d’avis à tout moment.');
    await expect(el).to.be.accessible();

    let paired = false;
    button.addEventListener('mes-pair-start', () => (paired = true));
    await button.send();
    await button.updateComplete;
    expect(paired).to.be.false;
    expect(button.shadowRoot!.querySelector('[part~="error"]')!.textContent).to.include(
      'Vous avez choisi de ne pas autoriser l’envoi de documents vers Mon espace santé.',
    );
    await el.updateComplete;
    expect(focused(el)?.getAttribute('part'), 'the prompt offers itself').to.equal('title');
    expect(shadow(el).querySelector<HTMLInputElement>('#f-DOC_ECRITURE')!.checked, 'nothing ticked for the patient').to
      .be.false;
    expect(pairings(sandbox)).to.have.length(0);
  });

  it('« Désynchroniser » asks first, in a modal dialog: Escape keeps the pairing and gives the focus back', async () => {
    const { el, sandbox } = await setup({ paired: ['DOC_ECRITURE'] });
    expect(el.matches(':state(paired)')).to.be.true;
    const trigger = buttonNamed(el, 'Désynchroniser');
    trigger.focus();
    trigger.click();
    const dialog = shadow(el).querySelector('dialog')!;
    expect(dialog.open).to.be.true;
    expect(dialog.matches(':modal'), 'showModal(): the page behind is inert').to.be.true;
    expect(focused(el)?.id, 'the focus on its heading').to.equal('unpair-title');
    expect(dialog.querySelector('h3')!.textContent).to.equal('Désynchroniser Hôpital Lumière — portail patient\u00a0?');
    expect(dialog.querySelector('p')!.textContent).to.equal(
      'Tous les échanges entre Hôpital Lumière — portail patient et votre profil Mon espace santé s’arrêtent\u00a0: ce service ne pourra plus rien y ajouter ni rien y consulter. Vous pourrez le synchroniser à nouveau à tout moment.',
    );
    expect(frenchTypographyProblems(dialog.textContent)).to.deep.equal([]);
    await expect(el).to.be.accessible();

    let revoking = false;
    el.addEventListener('mes-revoke-start', () => (revoking = true));
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !dialog.open, 'Escape closes the dialog');
    await el.updateComplete;
    expect(revoking).to.be.false;
    expect(pairings(sandbox)).to.have.length(1);
    expect(focused(el) === trigger, 'back on « Désynchroniser »').to.be.true;
  });

  it('« Désynchroniser », confirmed: the pairing ends in MES too, and the focus goes to the heading', async () => {
    const { el, sandbox } = await setup({ paired: ['DOC_ECRITURE'] });
    expect(shadow(el).querySelector('a[href="https://www.monespacesante.fr/mon-compte/services-synchronises"]')).to
      .exist;
    buttonNamed(el, 'Désynchroniser').click();
    const dialog = shadow(el).querySelector('dialog')!;
    const done = oneEvent(el, 'mes-revoke-success');
    [...dialog.querySelectorAll('button')].find((b) => b.textContent === 'Désynchroniser')!.click();
    await done;
    await el.updateComplete;
    expect(dialog.open).to.be.false;
    expect(pairings(sandbox)).to.have.length(0);
    expect(status(el)).to.equal('Ce service n’est plus synchronisé avec Mon espace santé.');
    expect(el.matches(':state(paired)')).to.be.false;
    expect(focused(el)?.getAttribute('part'), 'focus follows the new view').to.equal('title');
    await expect(el).to.be.accessible();
  });

  it('re-approval: when MES refuses a finalité the pairing had, the prompt asks to confirm, and confirming pairs again', async () => {
    const { el, sandbox, button } = await setup({ paired: ['DOC_ECRITURE'] });
    await sandbox.fetch('http://localhost:8787/sandbox/pairings/camille/mes-kit-demo/reapproval', { method: 'POST' });
    const failed = oneEvent(button, 'mes-send-error');
    void button.send();
    expect((await failed).detail.error.code).to.equal('MES_CONSENT_REQUIRED');
    await el.updateComplete;
    expect(status(el)).to.equal(
      'Mon espace santé n’autorise plus ce service à\u00a0: Ajouter des documents de santé. Vous l’avez peut-être retirée, ou Mon espace santé demande que vous la confirmiez à nouveau.',
    );
    expect(title(el)).to.equal('Une autorisation est à confirmer');
    expect(
      [...shadow(el).querySelectorAll('li[part~="item"]')].map((li) => li.className.replace('item', '').trim()),
      'no longer marked as granted: to confirm',
    ).to.deep.equal(['to-confirm', 'not-granted']);
    expect(frenchTypographyProblems(readable(el))).to.deep.equal([]);
    await expect(el).to.be.accessible();
    const paired = oneEvent(el, 'mes-pair-success');
    buttonNamed(el, 'Confirmer dans Mon espace santé').click();
    await paired;
    await el.updateComplete;
    expect(el.matches(':state(paired)')).to.be.true;
    expect(pairings(sandbox)[0].reapprovalRequired).to.not.equal(true);
  });

  it('paired, « Modifier mes autorisations » then « Tout refuser »: confirmed, the pairing ends in MES, and the receipt says so', async () => {
    const { el, sandbox } = await setup({ paired: ['DOC_ECRITURE'] });
    buttonNamed(el, 'Modifier mes autorisations').click();
    await el.updateComplete;
    buttonNamed(el, 'Tout refuser').click();
    const dialog = shadow(el).querySelector('dialog')!;
    expect(dialog.open, 'it ends every exchange: asked first').to.be.true;
    expect(pairings(sandbox)).to.have.length(1);
    const change = oneEvent(el, 'mes-consent-change');
    [...dialog.querySelectorAll('button')].find((b) => b.textContent === 'Désynchroniser')!.click();
    expect((await change).detail.receipt.granted).to.deep.equal([]);
    expect(pairings(sandbox)).to.have.length(0);
    await el.updateComplete;
    expect(el.matches(':state(paired)')).to.be.false;
  });

  it('re-approval: « Modifier mes autorisations » shows the choices again, starting from what is still granted', async () => {
    const { el, sandbox, button } = await setup({ paired: ['DOC_ECRITURE', 'DOC_LECTURE'] });
    await sandbox.fetch('http://localhost:8787/sandbox/pairings/camille/mes-kit-demo/reapproval', { method: 'POST' });
    const failed = oneEvent(button, 'mes-send-error');
    void button.send();
    await failed;
    await el.updateComplete;
    buttonNamed(el, 'Modifier mes autorisations').click();
    await el.updateComplete;
    expect(title(el)).to.equal('Modifier vos autorisations');
    expect(shadow(el).querySelector<HTMLInputElement>('#f-DOC_LECTURE')!.checked, 'still granted').to.be.true;
    expect(shadow(el).querySelector<HTMLInputElement>('#f-DOC_ECRITURE')!.checked, 'not ticked for the patient').to.be
      .false;
    await expect(el).to.be.accessible();
    const paired = oneEvent(el, 'mes-pair-success');
    buttonNamed(el, 'Continuer vers Mon espace santé').click();
    expect((await paired).detail.finalities).to.deep.equal(['DOC_LECTURE']);
    await el.updateComplete;
    expect(el.matches(':state(paired)')).to.be.true;
  });

  it('works with the keyboard alone: switches toggle with Space and with Enter', async () => {
    const { el, sandbox } = await setup();
    const reading = shadow(el).querySelector<HTMLInputElement>('#f-DOC_LECTURE')!;
    const writing = shadow(el).querySelector<HTMLInputElement>('#f-DOC_ECRITURE')!;
    writing.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(writing.checked, 'Enter').to.be.true;
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(writing.checked, 'Enter again').to.be.false;
    reading.focus();
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(reading.checked, 'Space').to.be.true;
    const paired = oneEvent(el, 'mes-pair-success');
    // Tab past the two equal buttons to « Continuer ».
    for (let i = 0; i < 3; i++) await sendKeys({ press: 'Tab' });
    expect(focused(el)!.textContent.trim()).to.equal('Continuer vers Mon espace santé');
    await sendKeys({ press: 'Enter' });
    await paired;
    expect(pairings(sandbox)[0].finalities).to.deep.equal(['DOC_LECTURE']);
  });

  it('while MES’s window is open: « Terminez dans la fenêtre Mon espace santé », « Rouvrir la fenêtre », « Annuler », and the choices wait', async () => {
    const { transport } = heldGateway();
    const { el } = await promptOn(transport);
    const accept = buttonNamed(el, 'Tout accepter');
    accept.focus();
    accept.click();
    await waitUntil(() => el.matches(':state(pending)'), 'the prompt is pairing');
    await el.updateComplete;
    expect(status(el)).to.equal('Terminez dans la fenêtre Mon espace santé.');
    expect(frenchTypographyProblems(status(el))).to.deep.equal([]);
    const reopen = buttonNamed(el, 'Rouvrir la fenêtre');
    expect(hasButton(el, 'Annuler')).to.be.true;
    expect(hasButton(el, 'Tout accepter'), 'the choices give way').to.be.false;
    expect(focused(el) === reopen, 'the focus, on the main control of the new state').to.be.true;
    const switches = [...shadow(el).querySelectorAll<HTMLInputElement>('[part~="switch"]')];
    expect(switches.map((s) => s.getAttribute('aria-disabled'))).to.deep.equal(['true', 'true']);
    expect(
      switches.map((s) => s.checked),
      'every switch on: what the patient accepted, while MES asks to confirm it',
    ).to.deep.equal([true, true]);
    switches[0].focus();
    expect(focused(el) === switches[0], 'still focusable').to.be.true;
    switches[0].click();
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(switches[0].checked, 'but not toggled while MES’s window is open').to.be.true;
    await expect(el).to.be.accessible();

    reopen.click();
    expect(transport.calls.focus, 'brings the same window forward').to.equal(1);
    expect(transport.calls.pair, 'and opens no other').to.have.length(1);
    const paired = oneEvent(el, 'mes-pair-success');
    transport.release();
    await paired;
    await el.updateComplete;
    expect(el.matches(':state(paired)')).to.be.true;
  });

  it('« Annuler » closes MES’s window: no pairing, no error, said, and the focus back on the button that opened it', async () => {
    const { transport, signals } = heldGateway();
    const { el, client } = await promptOn(transport);
    let receipts = 0;
    el.addEventListener('mes-consent-change', () => receipts++);
    const accept = buttonNamed(el, 'Tout accepter');
    accept.focus();
    accept.click();
    await waitUntil(() => hasButton(el, 'Annuler'), 'MES’s window is open');
    const failed = oneEvent(el, 'mes-pair-error');
    buttonNamed(el, 'Annuler').focus();
    buttonNamed(el, 'Annuler').click();
    expect(signals[0].aborted, 'the window closes').to.be.true;
    expect((await failed).detail.error.code).to.equal('MES_ABORTED');
    await waitUntil(() => status(el).startsWith('Synchronisation annulée'), 'said');
    expect(status(el)).to.equal('Synchronisation annulée\u00a0: rien n’a été partagé.');
    expect(shadow(el).querySelector('[part~="error"]') === null, 'the patient’s choice, not an error').to.be.true;
    expect(el.matches(':state(error)')).to.be.false;
    expect(el.matches(':state(pending)')).to.be.false;
    expect(client.state.status).to.equal('not-paired');
    expect(receipts).to.equal(0);
    expect(focused(el)?.textContent.trim()).to.equal('Tout accepter');
    await expect(el).to.be.accessible();
  });

  it('a pairing another element opened: the prompt waits with it and brings its window forward, but only its opener cancels it', async () => {
    const transport = fakeGateway({ pairing: 'held' });
    const client = new MesClient({ transport });
    const wrapper = await fixture<HTMLElement>(
      html`<mes-provider .client=${client}>
        <mes-consent-prompt .finalities=${ASKED}></mes-consent-prompt>
        <mes-send-document-button document-ref="cr-1" document-title="Lettre"></mes-send-document-button>
      </mes-provider>`,
    );
    const el = wrapper.querySelector('mes-consent-prompt')!;
    const button = wrapper.querySelector('mes-send-document-button')!;
    await client.session();
    await Promise.all([el.updateComplete, button.updateComplete]);
    void button.send();
    await waitUntil(() => el.matches(':state(pending)'), 'MES’s window is open');
    await el.updateComplete;
    expect(status(el)).to.equal('Terminez dans la fenêtre Mon espace santé.');
    expect(hasButton(el, 'Annuler')).to.be.false;
    buttonNamed(el, 'Rouvrir la fenêtre').click();
    expect(transport.calls.focus).to.equal(1);
    await expect(el).to.be.accessible();
    const sent = oneEvent(button, 'mes-send-success');
    transport.release();
    await sent;
  });

  it('offers to open the window again, or to continue in the tab, when the popup is blocked (direct mode: a button)', async () => {
    const inTab: string[][] = [];
    const asked: string[][] = [];
    const transport: Transport = {
      kind: 'local',
      session: async () => ({ paired: false, finalities: [], service: { oid: '1.2.250.1.999.42.2', name: 'Direct' } }),
      pair: (finalities) => {
        asked.push([...finalities]);
        return Promise.reject(new MesError('MES_POPUP_BLOCKED'));
      },
      revoke: async () => undefined,
      request: () => Promise.reject(new Error('no request expected')),
      pairInTab: async (finalities) => void inTab.push([...finalities]),
    };
    const { el } = await promptOn(transport);
    buttonNamed(el, 'Tout accepter').click();
    await oneEvent(el, 'mes-pair-error');
    await el.updateComplete;
    expect(shadow(el).querySelector('[part~="error"]')!.textContent).to.match(/bloqué/);
    await expect(el).to.be.accessible();
    const reopened = oneEvent(el, 'mes-pair-error');
    buttonNamed(el, 'Rouvrir la fenêtre').click();
    await reopened;
    expect(asked, 'the same finalités, asked again').to.deep.equal([
      ['DOC_ECRITURE', 'DOC_LECTURE'],
      ['DOC_ECRITURE', 'DOC_LECTURE'],
    ]);
    await el.updateComplete;
    buttonNamed(el, 'Continuer la synchronisation dans cet onglet').click();
    expect(inTab).to.deep.equal([['DOC_ECRITURE', 'DOC_LECTURE']]);
  });

  it('re-approval of several finalités names each of them, and confirming asks MES for all', async () => {
    const transport = fakeGateway({
      paired: ['DOC_ECRITURE', 'DOC_LECTURE'],
      run: (name) => Promise.reject(new MesError('MES_CONSENT_REQUIRED', { operation: name, status: 403 })),
    });
    const { el, client } = await promptOn(transport);
    await client.sendDocument({ ref: 'cr-1' }).catch(() => undefined);
    await client.run('find-documents', {}).catch(() => undefined);
    await el.updateComplete;
    expect(title(el)).to.equal('Des autorisations sont à confirmer');
    expect(status(el)).to.equal(
      'Mon espace santé n’autorise plus ce service à\u00a0: Ajouter des documents de santé et Consulter mes documents de santé. Vous les avez peut-être retirées, ou Mon espace santé demande que vous les confirmiez à nouveau.',
    );
    await expect(el).to.be.accessible();
    const paired = oneEvent(el, 'mes-pair-success');
    buttonNamed(el, 'Confirmer dans Mon espace santé').click();
    await paired;
    expect(transport.calls.pair).to.deep.equal([['DOC_ECRITURE', 'DOC_LECTURE']]);
  });

  it('one pairing at a time: a send started while the prompt pairs joins it, and the receipt is the prompt’s', async () => {
    const transport = fakeGateway({ pairing: 'held' });
    const client = new MesClient({ transport });
    const wrapper = await fixture<HTMLElement>(
      html`<mes-provider .client=${client}>
        <mes-consent-prompt .finalities=${ASKED} text-version="2026-11"></mes-consent-prompt>
        <mes-send-document-button document-ref="cr-1" document-title="Lettre"></mes-send-document-button>
      </mes-provider>`,
    );
    const el = wrapper.querySelector('mes-consent-prompt')!;
    const button = wrapper.querySelector('mes-send-document-button')!;
    await client.session();
    await el.updateComplete;
    const receipts: { from: EventTarget | null; receipt: ConsentReceipt }[] = [];
    wrapper.addEventListener('mes-consent-change', (event) =>
      receipts.push({ from: event.target, receipt: event.detail.receipt }),
    );

    buttonNamed(el, 'Tout accepter').click();
    await waitUntil(() => el.matches(':state(pending)'), 'the prompt is pairing');
    void button.send();
    await waitUntil(() => button.matches(':state(pending)'), 'the button waits for the same pairing');
    expect(status(el)).to.equal('Terminez dans la fenêtre Mon espace santé.');
    const sent = oneEvent(button, 'mes-send-success');
    transport.release();
    await sent;

    expect(transport.calls.pair).to.deep.equal([['DOC_ECRITURE', 'DOC_LECTURE']], 'one MES window, the prompt’s');
    expect(transport.calls.run).to.deep.equal([{ name: 'send-document', input: { ref: 'cr-1' } }]);
    expect(receipts).to.have.length(1);
    expect(receipts[0].from).to.equal(el);
    expect(receipts[0].receipt).to.deep.include({
      granted: ['DOC_ECRITURE', 'DOC_LECTURE'],
      refused: [],
      textVersion: '2026-11',
      service: '1.2.250.1.999.42.1',
    });
    expect(client.lastReceipt).to.deep.equal(receipts[0].receipt);
  });

  it('two providers on one page: a consent request reaches only the prompt on the same client', async () => {
    const left = new MesClient({ transport: fakeGateway() });
    const right = new MesClient({ transport: fakeGateway() });
    const wrapper = await fixture<HTMLElement>(
      html`<div>
        <mes-provider .client=${left}>
          <mes-consent-prompt .finalities=${ASKED}></mes-consent-prompt>
          <mes-send-document-button document-ref="cr-1"></mes-send-document-button>
        </mes-provider>
        <mes-provider .client=${right}>
          <mes-consent-prompt .finalities=${ASKED}></mes-consent-prompt>
        </mes-provider>
      </div>`,
    );
    const [leftPrompt, rightPrompt] = wrapper.querySelectorAll('mes-consent-prompt');
    const button: MesSendDocumentButton = wrapper.querySelector('mes-send-document-button')!;
    await Promise.all([left.session(), right.session()]);
    await leftPrompt.updateComplete;
    const refused = oneEvent(leftPrompt, 'mes-consent-change');
    buttonNamed(leftPrompt, 'Tout refuser').click();
    await refused;
    let reachedRight = false;
    right.addEventListener('mes-consent-request', () => (reachedRight = true));
    let takenOnLeft = false;
    left.addEventListener('mes-consent-request', (event) => (takenOnLeft = event.defaultPrevented));

    const failed = oneEvent(button, 'mes-send-error');
    void button.send();
    expect((await failed).detail.error.code).to.equal('MES_CONSENT_REQUIRED');
    expect(takenOnLeft, 'the prompt on the same client took the request').to.be.true;
    expect(reachedRight).to.be.false;
    expect(focused(leftPrompt)?.getAttribute('part')).to.equal('title');
    expect(focused(rightPrompt) === null).to.be.true;
  });

  it('while the session loads: a skeleton of the final layout, busy, « Chargement… » said, no sentence without the service’s name', async () => {
    let answer!: (session: MesSession) => void;
    const transport = fakeGateway();
    const loaded = transport.session.bind(transport);
    transport.session = () => new Promise<MesSession>((resolve) => (answer = resolve));
    const { el } = await promptOn(transport, { loaded: false });
    expect(el.matches(':state(loading)')).to.be.true;
    expect(shadow(el).querySelector('[part~="base"]')!.getAttribute('aria-busy')).to.equal('true');
    expect(status(el)).to.equal('Chargement…');
    expect(shadow(el).querySelector('[part~="status"]')!.classList.contains('sr-only'), 'said, not shown').to.be.true;
    expect(readable(el), 'only the heading and the status are read').to.equal(
      'Synchroniser avec Mon espace santé Chargement…',
    );
    expect(shadow(el).querySelectorAll('.skeleton [part~="switch"]'), 'the final layout, inert').to.have.length(2);
    await expect(el).to.be.accessible();
    const skeleton = baseHeight(el);

    answer(await loaded());
    await waitUntil(() => !el.matches(':state(loading)'), 'loaded');
    await el.updateComplete;
    expect(shadow(el).querySelector('[part~="base"]')!.getAttribute('aria-busy')).to.equal('false');
    expect(readable(el)).to.include('Hôpital Lumière — portail patient peut échanger');
    expect(baseHeight(el), 'the skeleton had the final size').to.equal(skeleton);
  });

  it('when the session cannot be read: says so, with the cause and what to do, and « Réessayer » reads it again', async () => {
    const transport = fakeGateway();
    const loaded = transport.session.bind(transport);
    transport.session = () => Promise.reject(new MesError('MES_UNAVAILABLE', { status: 503 }));
    const { el } = await promptOn(transport);
    await waitUntil(() => el.matches(':state(error)'), 'the failure is a state');
    expect(shadow(el).querySelector('[part~="error"]')!.textContent).to.equal(
      'Vos autorisations Mon espace santé n’ont pas pu être affichées. Mon espace santé est momentanément indisponible. Réessayez dans quelques minutes.',
    );
    expect(readable(el)).not.to.match(/ peut échanger/);
    expect(el.matches(':state(pending)')).to.be.false;
    expect(frenchTypographyProblems(readable(el))).to.deep.equal([]);
    await expect(el).to.be.accessible();

    transport.session = loaded;
    const retry = buttonNamed(el, 'Réessayer');
    retry.focus();
    retry.click();
    await waitUntil(() => shadow(el).querySelector('[part~="switch"]:not(.skeleton *)'), 'the choices, once read');
    expect(el.matches(':state(error)')).to.be.false;
    expect(readable(el)).to.include('Hôpital Lumière — portail patient peut échanger');
    expect(focused(el)?.getAttribute('part'), 'the focus does not drop to the page').to.equal('title');
  });

  it('keeps its size from one state to the next: choices, MES’s window open, cancelled, paired', async () => {
    const { transport } = heldGateway();
    const { el } = await promptOn(transport);
    const heights: Record<string, number> = { choice: baseHeight(el) };
    buttonNamed(el, 'Tout accepter').click();
    await waitUntil(() => hasButton(el, 'Annuler'), 'MES’s window is open');
    heights.pairing = baseHeight(el);
    buttonNamed(el, 'Annuler').click();
    await waitUntil(() => status(el).startsWith('Synchronisation annulée'), 'cancelled');
    heights.cancelled = baseHeight(el);
    buttonNamed(el, 'Tout accepter').click();
    await waitUntil(() => hasButton(el, 'Annuler'), 'MES’s window is open again');
    const paired = oneEvent(el, 'mes-pair-success');
    transport.release();
    await paired;
    await el.updateComplete;
    heights.paired = baseHeight(el);
    expect(heights).to.deep.equal({
      choice: heights.choice,
      pairing: heights.choice,
      cancelled: heights.choice,
      paired: heights.choice,
    });
  });

  it('speaks English, finalités included', async () => {
    const { el } = await setup({ lang: 'en' });
    expect(title(el)).to.equal('Sync with Mon espace santé');
    expect(hasButton(el, 'Refuse all')).to.be.true;
    const text = readable(el);
    expect(text).to.include('Add health documents');
    expect(text).to.include('Write · Documents: Reports, Lab results');
    expect(text).to.include('What is Mon espace santé? (new window)');
  });
});
