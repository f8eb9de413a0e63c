/**
 * `<mes-consent-prompt>` in every state, both brands, French and English, on a Mon espace santé that
 * runs in the page (the sandbox's memory mode), or a stand-in gateway for the states the sandbox
 * cannot hold still (a MES window left open, a blocked popup).
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { MesClient, MesError, describeFinalities, inProcessTransport } from '@mes-kit/core';
import '@mes-kit/elements/all.js';
import type { MesConsentPrompt } from '@mes-kit/elements';
import { createInPageSandbox } from '@mes-kit/sandbox/in-page';
import { html } from 'lit';
import { fakeGateway } from './_helpers/fake-gateway.js';

interface Args {
  brand: 'lumiere' | 'tilleuls';
  lang: 'fr' | 'en';
  scenario:
    | 'not-paired'
    | 'pairing'
    | 'popup-blocked'
    | 'paired'
    | 'paired-partly'
    | 'refused'
    | 'revoked'
    | 'reapproval'
    | 'reapproval-several';
}

const SCENARIOS: Args['scenario'][] = [
  'not-paired',
  'pairing',
  'popup-blocked',
  'paired',
  'paired-partly',
  'refused',
  'revoked',
  'reapproval',
  'reapproval-several',
];
const ASKED = describeFinalities(['DOC_ECRITURE', 'DOC_LECTURE', 'AGENDA_ECRITURE']);
const PDF = '%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n';

/** « Tout refuser » and « Tout accepter », in their fixed order. */
function clickEqualButton(prompt: MesConsentPrompt, which: 'refuse' | 'accept') {
  const [refuse, accept] = prompt.shadowRoot!.querySelectorAll<HTMLButtonElement>('.actions.equal button');
  (which === 'refuse' ? refuse : accept).click();
}

async function prepare(prompt: MesConsentPrompt, { scenario }: Args) {
  if (scenario === 'pairing' || scenario === 'popup-blocked') {
    prompt.client = new MesClient({
      transport: fakeGateway({ pairing: scenario === 'pairing' ? 'held' : 'blocked' }),
    });
    await prompt.client.session();
    await prompt.updateComplete;
    clickEqualButton(prompt, 'accept');
    return;
  }
  if (scenario === 'reapproval-several') {
    // MES refuses both document finalités the pairing had: one 403 per operation.
    const client = new MesClient({
      transport: fakeGateway({
        paired: ['DOC_ECRITURE', 'DOC_LECTURE'],
        run: (name) => Promise.reject(new MesError('MES_CONSENT_REQUIRED', { operation: name, status: 403 })),
      }),
    });
    prompt.client = client;
    await client.sendDocument({ ref: 'cr-2026-118' }).catch(() => undefined);
    await client.run('find-documents', {}).catch(() => undefined);
    return;
  }
  const sandbox = await createInPageSandbox({ seeded: false });
  const paired = {
    paired: ['DOC_ECRITURE', 'DOC_LECTURE', 'AGENDA_ECRITURE'],
    'paired-partly': ['DOC_ECRITURE'],
    revoked: ['DOC_ECRITURE'],
    reapproval: ['DOC_ECRITURE'],
  } as Record<string, string[] | undefined>;
  const client = new MesClient({ transport: inProcessTransport(sandbox, { pairedWith: paired[scenario] }) });
  prompt.client = client;
  await client.session();
  await prompt.updateComplete;
  if (scenario === 'refused') clickEqualButton(prompt, 'refuse');
  if (scenario === 'revoked') await client.revoke();
  if (scenario === 'reapproval') {
    await sandbox.fetch('http://localhost:8787/sandbox/pairings/camille/mes-kit-demo/reapproval', { method: 'POST' });
    await client
      .sendDocument({ file: new Blob([PDF], { type: 'application/pdf' }), title: 'Lettre', type: '11490-0' })
      .catch(() => undefined);
  }
}

const meta: Meta<Args> = {
  title: 'Elements/Consent prompt',
  component: 'mes-consent-prompt',
  args: { brand: 'lumiere', lang: 'fr', scenario: 'not-paired' },
  argTypes: {
    brand: { control: 'inline-radio', options: ['lumiere', 'tilleuls'] },
    lang: { control: 'inline-radio', options: ['fr', 'en'] },
    scenario: { control: 'select', options: SCENARIOS },
  },
  render: ({ brand, lang }) =>
    html`<div data-brand=${brand} lang=${lang}>
      <mes-consent-prompt .finalities=${ASKED} cgu-url="#cgu" text-version="2026-11"></mes-consent-prompt>
    </div>`,
  play: async ({ canvasElement, args }) => {
    await prepare(canvasElement.querySelector('mes-consent-prompt')!, args);
  },
};
export default meta;

type Story = StoryObj<Args>;

export const NotPaired: Story = {};
export const Pairing: Story = { args: { scenario: 'pairing' } };
export const ErrorPopupBlocked: Story = { args: { scenario: 'popup-blocked' } };
export const Paired: Story = { args: { scenario: 'paired' } };
export const PairedPartly: Story = { args: { scenario: 'paired-partly' } };
export const Refused: Story = { args: { scenario: 'refused' } };
export const Revoked: Story = { args: { scenario: 'revoked' } };
export const ReapprovalRequired: Story = { args: { scenario: 'reapproval' } };
export const ReapprovalOfSeveral: Story = { args: { scenario: 'reapproval-several' } };
export const English: Story = { args: { lang: 'en' } };
export const EnglishPaired: Story = { args: { lang: 'en', scenario: 'paired-partly' } };
export const EnglishPopupBlocked: Story = { args: { lang: 'en', scenario: 'popup-blocked' } };
export const EnglishReapprovalOfSeveral: Story = { args: { lang: 'en', scenario: 'reapproval-several' } };
export const Tilleuls: Story = { args: { brand: 'tilleuls' } };
export const TilleulsPaired: Story = { args: { brand: 'tilleuls', scenario: 'paired-partly' } };
export const TilleulsPairing: Story = { args: { brand: 'tilleuls', scenario: 'pairing' } };
