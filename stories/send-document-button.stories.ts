/**
 * `<mes-send-document-button>` in every state and both brands, on a Mon espace santé that runs in
 * the page (the sandbox's memory mode): no server needed.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { MesClient, MesError, inProcessTransport, type SendDocumentInput, type Transport } from '@mes-kit/core';
import '@mes-kit/elements/all.js';
import type { MesSendDocumentButton } from '@mes-kit/elements';
import { createInPageSandbox } from '@mes-kit/sandbox/in-page';
import { html } from 'lit';

interface Args {
  brand: 'lumiere' | 'tilleuls';
  lang: 'fr' | 'en';
  /** How the story drives MES: already paired, slow, failing… */
  scenario: 'paired' | 'unpaired' | 'slow' | 'unavailable' | 'invalid' | 'popup-blocked';
  /** Click on load, to show the state that follows. */
  autoSend: boolean;
}

const PDF = '%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n';

function letter(title = 'Lettre de liaison de sortie'): SendDocumentInput {
  return {
    file: new Blob([`${PDF}% ${Math.random()}`], { type: 'application/pdf' }),
    title,
    type: '11490-0',
    date: '2026-11-12T16:00:00+01:00',
  };
}

async function clientFor(scenario: Args['scenario'], lang: Args['lang']): Promise<MesClient> {
  if (scenario === 'popup-blocked') {
    const transport: Transport = {
      session: async () => ({ paired: false, finalities: [], service: { oid: '1.2.250.1.999.42.1', name: 'Démo' } }),
      pair: () => Promise.reject(new MesError('MES_POPUP_BLOCKED', { lang })),
      revoke: async () => undefined,
      request: () => Promise.reject(new MesError('MES_AUTH_REQUIRED', { lang })),
      redirectPairingUrl: () => '#pairing-in-this-tab',
    };
    return new MesClient({ transport, lang });
  }
  const sandbox = await createInPageSandbox({ seeded: false });
  const faults =
    scenario === 'slow'
      ? { latencyMs: 60_000 }
      : scenario === 'unavailable'
        ? { errorRate: 1, statuses: [503] }
        : undefined;
  if (faults) {
    await sandbox.fetch('http://localhost:8787/sandbox/faults', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(faults),
    });
  }
  const paired = scenario === 'unpaired' ? undefined : ['DOC_ECRITURE'];
  return new MesClient({
    transport: inProcessTransport(sandbox, { pairedWith: paired, lang }),
    lang,
    retry: { attempts: 2, baseDelayMs: 200 },
  });
}

const meta: Meta<Args> = {
  title: 'Elements/Send document button',
  component: 'mes-send-document-button',
  args: { brand: 'lumiere', lang: 'fr', scenario: 'paired', autoSend: false },
  argTypes: {
    brand: { control: 'inline-radio', options: ['lumiere', 'tilleuls'] },
    lang: { control: 'inline-radio', options: ['fr', 'en'] },
    scenario: { control: 'select', options: ['paired', 'unpaired', 'slow', 'unavailable', 'invalid', 'popup-blocked'] },
  },
  render: ({ brand, lang }) =>
    html`<div data-brand=${brand} lang=${lang}>
      <mes-send-document-button mes-url="#mes"></mes-send-document-button>
    </div>`,
  play: async ({ canvasElement, args }) => {
    const button = canvasElement.querySelector<MesSendDocumentButton>('mes-send-document-button')!;
    button.client = await clientFor(args.scenario, args.lang);
    button.document = letter(args.scenario === 'invalid' ? '' : undefined);
    if (args.autoSend) void button.send();
  },
};
export default meta;

type Story = StoryObj<Args>;

export const Idle: Story = {};
export const NotPairedYet: Story = { args: { scenario: 'unpaired' } };
export const Sending: Story = { args: { scenario: 'slow', autoSend: true } };
export const Success: Story = { args: { autoSend: true } };
export const ErrorInvalidDocument: Story = { args: { scenario: 'invalid', autoSend: true } };
export const ErrorMesUnavailable: Story = { args: { scenario: 'unavailable', autoSend: true } };
export const ErrorPopupBlocked: Story = { args: { scenario: 'popup-blocked', autoSend: true } };
export const English: Story = { args: { lang: 'en' } };
export const TilleulsBrand: Story = { args: { brand: 'tilleuls' } };
export const TilleulsSuccess: Story = { args: { brand: 'tilleuls', autoSend: true } };
