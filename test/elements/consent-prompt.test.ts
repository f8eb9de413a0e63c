import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import {
  MesClient,
  MesError,
  describeFinalities,
  inProcessTransport,
  type ConsentReceipt,
  type Transport,
} from '@mes-kit/core';
import '../../packages/elements/src/all.js';
import type { MesConsentPrompt, MesSendDocumentButton } from '../../packages/elements/src/index.js';
import { createInPageSandbox } from '../../packages/sandbox/src/in-page.js';
import { fakeGateway } from '../../stories/_helpers/fake-gateway.js';

const ASKED = describeFinalities(['DOC_ECRITURE', 'DOC_LECTURE']);
const PDF = '%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n';

async function setup(options: { paired?: string[]; lang?: string } = {}) {
  const sandbox = await createInPageSandbox({ seeded: false });
  const client = new MesClient({ transport: inProcessTransport(sandbox, { pairedWith: options.paired }) });
  const wrapper = await fixture<HTMLElement>(
    html`<div lang=${options.lang ?? 'fr'}>
      <mes-provider .client=${client}>
        <mes-consent-prompt
          .finalities=${ASKED}
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

const shadow = (el: MesConsentPrompt) => el.shadowRoot!;
const buttonNamed = (el: MesConsentPrompt, name: string) =>
  [...shadow(el).querySelectorAll('button')].find((b) => b.textContent.trim() === name)!;
const pairings = (sandbox: Awaited<ReturnType<typeof createInPageSandbox>>) => sandbox.store.listPairings();

describe('<mes-consent-prompt>', () => {
  it('not paired: explains each finalité (direction, data, purpose), with equal « Tout refuser » and « Tout accepter »', async () => {
    const { el } = await setup();
    const text = shadow(el).textContent.replace(/\s+/g, ' ');
    expect(text).to.include('Relier votre compte à Mon espace santé');
    expect(text).to.include('Ajouter des documents de santé');
    expect(text).to.include('Écriture · Documents : Comptes rendus, Résultats de biologie');
    expect(text).to.include('Consulter mes documents de santé');
    expect(text).to.include('Lecture · Documents');
    const switches = shadow(el).querySelectorAll('input[role="switch"]');
    expect(switches).to.have.length(2);
    const refuse = buttonNamed(el, 'Tout refuser');
    const accept = buttonNamed(el, 'Tout accepter');
    expect(refuse.getBoundingClientRect().width).to.equal(accept.getBoundingClientRect().width);
    expect(getComputedStyle(refuse).backgroundColor).to.equal(getComputedStyle(accept).backgroundColor);
    expect(buttonNamed(el, 'Continuer vers Mon espace santé').getAttribute('aria-disabled')).to.equal('true');
    expect(shadow(el).querySelector('a[part~="link"]')!.getAttribute('href')).to.equal(
      'https://portail.example.fr/cgu',
    );
    await expect(el).to.be.accessible();
  });

  it('takes the brand from tokens: switches, knob, buttons and notice', async () => {
    const { el } = await setup();
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
    expect(getComputedStyle(on).backgroundColor, 'on: the primary colour').to.equal('rgb(4, 5, 6)');
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

  it('paired partly: pairs with the finalités chosen, and says what is granted and what is not', async () => {
    const { el, sandbox } = await setup();
    shadow(el).querySelector<HTMLInputElement>('#f-DOC_ECRITURE')!.click();
    await el.updateComplete;
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
    const text = shadow(el).textContent.replace(/\s+/g, ' ');
    expect(text).to.include('Relié à Mon espace santé');
    expect(text).to.match(/Non autorisé : Consulter mes documents de santé/);
    expect(pairings(sandbox)[0].finalities).to.deep.equal(['DOC_ECRITURE']);
    expect(shadow(el).activeElement?.getAttribute('part'), 'focus follows the new view').to.equal('title');
    await expect(el).to.be.accessible();

    // The patient changes their mind: « Modifier mes autorisations », add reading, continue.
    buttonNamed(el, 'Modifier mes autorisations').click();
    await el.updateComplete;
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
    expect(shadow(el).querySelector('[part~="status"]')!.textContent).to.match(/Vous avez refusé/);
    await expect(el).to.be.accessible();

    let paired = false;
    button.addEventListener('mes-pair-start', () => (paired = true));
    await button.send();
    await button.updateComplete;
    expect(paired).to.be.false;
    expect(button.shadowRoot!.querySelector('[part~="error"]')!.textContent).to.equal(
      'Vous avez choisi de ne pas autoriser l’envoi de documents vers Mon espace santé.',
    );
    await el.updateComplete;
    expect(shadow(el).activeElement?.getAttribute('part'), 'the prompt offers itself').to.equal('title');
    expect(shadow(el).querySelector<HTMLInputElement>('#f-DOC_ECRITURE')!.checked, 'nothing ticked for the patient').to
      .be.false;
    expect(pairings(sandbox)).to.have.length(0);
  });

  it('revoked: « Désynchroniser » ends the pairing in MES too', async () => {
    const { el, sandbox } = await setup({ paired: ['DOC_ECRITURE'] });
    expect(el.matches(':state(paired)')).to.be.true;
    expect(shadow(el).querySelector('a[href="https://www.monespacesante.fr/mon-compte/services-synchronises"]')).to
      .exist;
    const done = oneEvent(el, 'mes-revoke-success');
    buttonNamed(el, 'Désynchroniser').click();
    await done;
    await el.updateComplete;
    expect(pairings(sandbox)).to.have.length(0);
    expect(shadow(el).querySelector('[part~="status"]')!.textContent).to.equal(
      'Votre compte n’est plus relié à Mon espace santé.',
    );
    expect(el.matches(':state(paired)')).to.be.false;
    expect(shadow(el).activeElement?.getAttribute('part'), 'focus follows the new view').to.equal('title');
    await expect(el).to.be.accessible();
  });

  it('re-approval: when MES refuses a finalité the pairing had, the prompt asks to confirm, and confirming pairs again', async () => {
    const { el, sandbox, button } = await setup({ paired: ['DOC_ECRITURE'] });
    await sandbox.fetch('http://localhost:8787/sandbox/pairings/camille/mes-kit-demo/reapproval', { method: 'POST' });
    const failed = oneEvent(button, 'mes-send-error');
    void button.send();
    expect((await failed).detail.error.code).to.equal('MES_CONSENT_REQUIRED');
    await el.updateComplete;
    expect(shadow(el).querySelector('[part~="status"]')!.textContent).to.equal(
      'Mon espace santé n’autorise plus ce service à : Ajouter des documents de santé. Vous l’avez peut-être retirée, ou Mon espace santé demande que vous la confirmiez à nouveau.',
    );
    expect(shadow(el).querySelector('[part~="title"]')!.textContent).to.equal('Une autorisation est à confirmer');
    expect(
      [...shadow(el).querySelectorAll('ul:not(.muted) li')].map((li) => li.textContent),
      'no longer listed as granted',
    ).to.deep.equal([]);
    await expect(el).to.be.accessible();
    const paired = oneEvent(el, 'mes-pair-success');
    buttonNamed(el, 'Confirmer dans Mon espace santé').click();
    await paired;
    await el.updateComplete;
    expect(el.matches(':state(paired)')).to.be.true;
    expect(pairings(sandbox)[0].reapprovalRequired).to.not.equal(true);
  });

  it('paired, « Modifier mes autorisations » then « Tout refuser »: the pairing ends in MES, and the receipt says so', async () => {
    const { el, sandbox } = await setup({ paired: ['DOC_ECRITURE'] });
    await el.updateComplete;
    buttonNamed(el, 'Modifier mes autorisations').click();
    await el.updateComplete;
    const change = oneEvent(el, 'mes-consent-change');
    buttonNamed(el, 'Tout refuser').click();
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
    expect(shadow(el).querySelector('[part~="title"]')!.textContent).to.equal('Relier votre compte à Mon espace santé');
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

  it('works with the keyboard alone', async () => {
    const { el, sandbox } = await setup();
    shadow(el).querySelector<HTMLInputElement>('#f-DOC_LECTURE')!.focus();
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    const paired = oneEvent(el, 'mes-pair-success');
    // Tab past the terms of use and the two equal buttons to « Continuer ».
    for (let i = 0; i < 4; i++) await sendKeys({ press: 'Tab' });
    expect(shadow(el).activeElement!.textContent.trim()).to.equal('Continuer vers Mon espace santé');
    await sendKeys({ press: 'Enter' });
    await paired;
    expect(pairings(sandbox)[0].finalities).to.deep.equal(['DOC_LECTURE']);
  });

  it('offers to continue in the tab when the popup is blocked (direct mode: a button)', async () => {
    const inTab: string[][] = [];
    const transport: Transport = {
      kind: 'local',
      session: async () => ({ paired: false, finalities: [], service: { oid: '1.2.250.1.999.42.2', name: 'Direct' } }),
      pair: () => Promise.reject(new MesError('MES_POPUP_BLOCKED')),
      revoke: async () => undefined,
      request: () => Promise.reject(new Error('no request expected')),
      pairInTab: async (finalities) => void inTab.push([...finalities]),
    };
    const el = await fixture<MesConsentPrompt>(
      html`<mes-consent-prompt .finalities=${ASKED} .client=${new MesClient({ transport })}></mes-consent-prompt>`,
    );
    await el.updateComplete;
    buttonNamed(el, 'Tout accepter').click();
    await oneEvent(el, 'mes-pair-error');
    await el.updateComplete;
    expect(shadow(el).querySelector('[part~="error"]')!.textContent).to.match(/bloquée/);
    await expect(el).to.be.accessible();
    buttonNamed(el, 'Continuer la connexion dans cet onglet').click();
    expect(inTab).to.deep.equal([['DOC_ECRITURE', 'DOC_LECTURE']]);
  });

  it('re-approval of several finalités names each of them, and confirming asks MES for all', async () => {
    const transport = fakeGateway({
      paired: ['DOC_ECRITURE', 'DOC_LECTURE'],
      run: (name) => Promise.reject(new MesError('MES_CONSENT_REQUIRED', { operation: name, status: 403 })),
    });
    const client = new MesClient({ transport });
    const el = await fixture<MesConsentPrompt>(
      html`<mes-consent-prompt .finalities=${ASKED} .client=${client}></mes-consent-prompt>`,
    );
    await client.sendDocument({ ref: 'cr-1' }).catch(() => undefined);
    await client.run('find-documents', {}).catch(() => undefined);
    await el.updateComplete;
    expect(shadow(el).querySelector('[part~="title"]')!.textContent).to.equal('Des autorisations sont à confirmer');
    expect(shadow(el).querySelector('[part~="status"]')!.textContent).to.equal(
      'Mon espace santé n’autorise plus ce service à : Ajouter des documents de santé et Consulter mes documents de santé. Vous les avez peut-être retirées, ou Mon espace santé demande que vous les confirmiez à nouveau.',
    );
    await expect(el).to.be.accessible();
    const paired = oneEvent(el, 'mes-pair-success');
    buttonNamed(el, 'Confirmer dans Mon espace santé').click();
    await paired;
    expect(transport.calls.pair).to.deep.equal([['DOC_ECRITURE', 'DOC_LECTURE']]);
  });

  it('one pairing at a time: a send button clicked while the prompt pairs joins it, and the receipt is the prompt’s', async () => {
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
    button.shadowRoot!.querySelector<HTMLElement>('[part~="button"]')!.click();
    await waitUntil(() => button.matches(':state(pending)'), 'the button waits for the same pairing');
    expect(shadow(el).querySelector('[part~="status"]')!.textContent).to.equal('Connexion à Mon espace santé…');
    await expect(el).to.be.accessible();
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
    expect(shadow(leftPrompt).activeElement?.getAttribute('part')).to.equal('title');
    expect(shadow(rightPrompt).activeElement).to.be.null;
    await button.updateComplete;
    expect(button.shadowRoot!.querySelector('[part~="error"]')!.textContent).to.equal(
      'Vous avez choisi de ne pas autoriser l’envoi de documents vers Mon espace santé.',
    );
    await expect(button).to.be.accessible();
  });

  it('says why when the session cannot be read', async () => {
    const transport = fakeGateway();
    transport.session = () => Promise.reject(new MesError('MES_UNAVAILABLE', { status: 503 }));
    const el = await fixture<MesConsentPrompt>(
      html`<mes-consent-prompt .finalities=${ASKED} .client=${new MesClient({ transport })}></mes-consent-prompt>`,
    );
    await waitUntil(() => el.matches(':state(error)'), 'the failure is a state');
    expect(shadow(el).querySelector('[part~="error"]')!.textContent).to.equal(
      'Mon espace santé est momentanément indisponible. Réessayez dans quelques minutes.',
    );
    expect(el.matches(':state(pending)')).to.be.false;
    await expect(el).to.be.accessible();
  });

  it('speaks English', async () => {
    const { el } = await setup({ lang: 'en' });
    expect(shadow(el).textContent).to.include('Link your account with Mon espace santé');
    expect(buttonNamed(el, 'Refuse all')).to.exist;
  });
});
