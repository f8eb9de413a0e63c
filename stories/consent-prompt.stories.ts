/**
 * `<mes-consent-prompt>` in every state, both brands, French and English, on a Mon espace santé that
 * runs in the page (the sandbox's memory mode).
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { MesClient, describeFinalities, inProcessTransport } from '@mes-kit/core';
import '@mes-kit/elements/all.js';
import type { MesConsentPrompt } from '@mes-kit/elements';
import { createInPageSandbox } from '@mes-kit/sandbox/in-page';
import { html } from 'lit';

interface Args {
  brand: 'lumiere' | 'tilleuls';
  lang: 'fr' | 'en';
  scenario: 'not-paired' | 'paired' | 'paired-partly' | 'refused' | 'revoked' | 'reapproval';
}

const ASKED = describeFinalities(['DOC_ECRITURE', 'DOC_LECTURE', 'AGENDA_ECRITURE']);
const PDF = '%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n';

async function prepare(prompt: MesConsentPrompt, { scenario, lang }: Args) {
  const sandbox = await createInPageSandbox({ seeded: false });
  const paired = {
    paired: ['DOC_ECRITURE', 'DOC_LECTURE', 'AGENDA_ECRITURE'],
    'paired-partly': ['DOC_ECRITURE'],
    revoked: ['DOC_ECRITURE'],
    reapproval: ['DOC_ECRITURE'],
  } as Record<string, string[] | undefined>;
  const client = new MesClient({
    transport: inProcessTransport(sandbox, { pairedWith: paired[scenario], lang }),
    lang,
  });
  prompt.client = client;
  await client.session();
  if (scenario === 'refused') {
    client.recordConsent({
      at: new Date().toISOString(),
      service: '1.2.250.1.999.42.1',
      granted: [],
      refused: ASKED.map((f) => f.codeFinalite),
      textVersion: '1',
    });
    (prompt.shadowRoot?.querySelector<HTMLButtonElement>('.actions.equal button') ?? undefined)?.click();
  }
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
    scenario: {
      control: 'select',
      options: ['not-paired', 'paired', 'paired-partly', 'refused', 'revoked', 'reapproval'],
    },
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
export const Paired: Story = { args: { scenario: 'paired' } };
export const PairedPartly: Story = { args: { scenario: 'paired-partly' } };
export const Refused: Story = { args: { scenario: 'refused' } };
export const Revoked: Story = { args: { scenario: 'revoked' } };
export const ReapprovalRequired: Story = { args: { scenario: 'reapproval' } };
export const English: Story = { args: { lang: 'en' } };
export const EnglishPaired: Story = { args: { lang: 'en', scenario: 'paired-partly' } };
export const Tilleuls: Story = { args: { brand: 'tilleuls' } };
export const TilleulsPaired: Story = { args: { brand: 'tilleuls', scenario: 'paired-partly' } };
