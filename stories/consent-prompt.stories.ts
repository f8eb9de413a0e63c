/**
 * `<mes-consent-prompt>` in every state, both brands, French and English, on a Mon espace santé that
 * runs in the page (the sandbox's memory mode), or a stand-in gateway for the states the sandbox
 * cannot hold still (a MES window left open, a blocked popup).
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import {
  ENGLISH_FINALITY_DESCRIPTIONS,
  MesClient,
  MesError,
  describeFinalities,
  inProcessTransport,
} from '@mes-kit/core';
import '@mes-kit/elements/all.js';
import type { MesConsentPrompt } from '@mes-kit/elements';
import { createInPageSandbox } from '@mes-kit/sandbox/in-page';
import { html } from 'lit';
import { fakeGateway } from './_helpers/fake-gateway.js';
import { press, until, untilState } from './_helpers/settle.js';
import { FORCED_COLORS, MOBILE } from './_helpers/variants.js';

interface Args {
  scenario:
    | 'not-paired'
    | 'session-loading'
    | 'session-failed'
    | 'pairing'
    | 'popup-blocked'
    | 'paired'
    | 'paired-partly'
    | 'editing'
    | 'unpair-confirm'
    | 'refused'
    | 'revoked'
    | 'reapproval'
    | 'reapproval-several';
}

const SCENARIOS: Args['scenario'][] = [
  'not-paired',
  'session-loading',
  'session-failed',
  'pairing',
  'popup-blocked',
  'paired',
  'paired-partly',
  'editing',
  'unpair-confirm',
  'refused',
  'revoked',
  'reapproval',
  'reapproval-several',
];
const ASKED_CODES = ['DOC_ECRITURE', 'DOC_LECTURE', 'AGENDA_ECRITURE'];
/** What the service asks, as the host describes it in the page's language. */
const asked = (locale: unknown) =>
  locale === 'en' ? describeFinalities(ASKED_CODES, ENGLISH_FINALITY_DESCRIPTIONS) : describeFinalities(ASKED_CODES);
const PDF = '%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n';

async function prepare(prompt: MesConsentPrompt, { scenario }: Args) {
  if (scenario === 'session-loading' || scenario === 'session-failed') {
    prompt.client = new MesClient({
      transport: fakeGateway({ session: scenario === 'session-loading' ? 'loading' : 'failing' }),
    });
    await untilState(prompt, scenario === 'session-loading' ? 'loading' : 'error');
    return;
  }
  if (scenario === 'pairing' || scenario === 'popup-blocked') {
    prompt.client = new MesClient({
      transport: fakeGateway({ pairing: scenario === 'pairing' ? 'held' : 'blocked' }),
    });
    await press(prompt, 'accept-all');
    await untilState(prompt, scenario === 'pairing' ? 'pending' : 'error');
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
    editing: ['DOC_ECRITURE'],
    'unpair-confirm': ['DOC_ECRITURE'],
    revoked: ['DOC_ECRITURE'],
    reapproval: ['DOC_ECRITURE'],
  } as Record<string, string[] | undefined>;
  const client = new MesClient({ transport: inProcessTransport(sandbox, { pairedWith: paired[scenario] }) });
  prompt.client = client;
  await client.session();
  if (scenario === 'refused') await press(prompt, 'refuse-all');
  if (scenario === 'editing') await press(prompt, 'modify');
  if (scenario === 'unpair-confirm') {
    await press(prompt, 'unpair');
    await until(() => prompt.shadowRoot!.querySelector('dialog')?.open);
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
  title: 'Components/Consent prompt',
  component: 'mes-consent-prompt',
  args: { scenario: 'not-paired' },
  argTypes: { scenario: { control: 'select', options: SCENARIOS } },
  render: (_args, { globals }) =>
    html`<mes-consent-prompt
      .finalities=${asked(globals['locale'])}
      cgu-url="#cgu"
      text-version="2026-11"
    ></mes-consent-prompt>`,
  play: async ({ canvasElement, args }) => {
    const prompt = canvasElement.querySelector<MesConsentPrompt>('mes-consent-prompt')!;
    await prepare(prompt, args);
    await prompt.updateComplete;
  },
};
export default meta;

type Story = StoryObj<Args>;

export const NotPaired: Story = {};
/** Before the session is read: a skeleton of the final layout, never a sentence with an empty service name. */
export const SessionLoading: Story = { args: { scenario: 'session-loading' } };
/** The session could not be read: say so, with « Réessayer ». */
export const SessionFailedToLoad: Story = { args: { scenario: 'session-failed' } };
/** MES's window is open: « Terminez dans la fenêtre Mon espace santé », « Rouvrir la fenêtre », « Annuler ». */
export const Pairing: Story = { args: { scenario: 'pairing' } };
export const ErrorPopupBlocked: Story = { args: { scenario: 'popup-blocked' } };
export const Paired: Story = { args: { scenario: 'paired' } };
export const PairedPartly: Story = { args: { scenario: 'paired-partly' } };
/** « Modifier »: the finalités as switches, to grant or withdraw one. */
export const Editing: Story = { args: { scenario: 'editing' } };
/** « Désynchroniser » asks first, in a native `<dialog>`: it ends every exchange. */
export const UnpairConfirmation: Story = { args: { scenario: 'unpair-confirm' } };
export const Refused: Story = { args: { scenario: 'refused' } };
export const Revoked: Story = { args: { scenario: 'revoked' } };
export const ReapprovalRequired: Story = { args: { scenario: 'reapproval' } };
export const ReapprovalOfSeveral: Story = { args: { scenario: 'reapproval-several' } };
export const English: Story = { globals: { locale: 'en' } };
export const EnglishPaired: Story = { args: { scenario: 'paired-partly' }, globals: { locale: 'en' } };
export const EnglishEditing: Story = { args: { scenario: 'editing' }, globals: { locale: 'en' } };
export const EnglishPopupBlocked: Story = { args: { scenario: 'popup-blocked' }, globals: { locale: 'en' } };
export const EnglishReapprovalOfSeveral: Story = {
  args: { scenario: 'reapproval-several' },
  globals: { locale: 'en' },
};
export const Tilleuls: Story = { globals: { brand: 'tilleuls' } };
export const TilleulsPaired: Story = { args: { scenario: 'paired-partly' }, globals: { brand: 'tilleuls' } };
export const TilleulsPairing: Story = { args: { scenario: 'pairing' }, globals: { brand: 'tilleuls' } };
export const Dark: Story = { globals: { theme: 'dark' } };
export const DarkEditing: Story = { args: { scenario: 'editing' }, globals: { theme: 'dark' } };
export const DarkUnpairConfirmation: Story = { args: { scenario: 'unpair-confirm' }, globals: { theme: 'dark' } };
export const TilleulsDarkPaired: Story = {
  args: { scenario: 'paired-partly' },
  globals: { brand: 'tilleuls', theme: 'dark' },
};
export const ForcedColors: Story = { args: { scenario: 'editing' }, ...FORCED_COLORS };
export const Mobile: Story = { args: { scenario: 'paired-partly' }, ...MOBILE };
