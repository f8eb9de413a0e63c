/**
 * `<mes-send-document-button>` in every state of the shared operation life cycle, both brands,
 * French and English, on a Mon espace santé that runs in the page (the sandbox's memory mode), or a
 * stand-in gateway for the states the sandbox cannot hold still: no server needed.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { MesClient, MesError, inProcessTransport, type DocumentToSend } from '@mes-kit/core';
import '@mes-kit/elements/all.js';
import type { MesSendDocumentButton } from '@mes-kit/elements';
import { createInPageSandbox } from '@mes-kit/sandbox/in-page';
import { html } from 'lit';
import { fakeGateway } from './_helpers/fake-gateway.js';

interface Args {
  brand: 'lumiere' | 'tilleuls';
  lang: 'fr' | 'en';
  /** How the story drives MES: already paired, slow, failing… */
  scenario:
    | 'paired'
    | 'unpaired'
    | 'pairing'
    | 'slow'
    | 'already-sent'
    | 'by-reference'
    | 'invalid'
    | 'unavailable'
    | 'rejected'
    | 'popup-blocked'
    | 'refused';
  /** Click on load, to show the state that follows. */
  autoSend: boolean;
}

const SCENARIOS: Args['scenario'][] = [
  'paired',
  'unpaired',
  'pairing',
  'slow',
  'already-sent',
  'by-reference',
  'invalid',
  'unavailable',
  'rejected',
  'popup-blocked',
  'refused',
];
const PDF = '%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n';

function letter(overrides: Partial<DocumentToSend> = {}): DocumentToSend {
  return {
    file: new Blob([`${PDF}% ${Math.random()}`], { type: 'application/pdf' }),
    title: 'Lettre de liaison de sortie',
    type: '11490-0',
    date: '2026-11-12T16:00:00+01:00',
    ...overrides,
  };
}

async function clientFor(scenario: Args['scenario']): Promise<MesClient> {
  switch (scenario) {
    case 'pairing':
      return new MesClient({ transport: fakeGateway({ pairing: 'held' }) });
    case 'popup-blocked':
      return new MesClient({ transport: fakeGateway({ pairing: 'blocked' }) });
    case 'by-reference':
      return new MesClient({ transport: fakeGateway({ paired: ['DOC_ECRITURE'] }) });
    case 'rejected':
      return new MesClient({
        transport: fakeGateway({
          paired: ['DOC_ECRITURE'],
          run: () => Promise.reject(new MesError('MES_REJECTED', { operation: 'send-document', status: 422 })),
        }),
      });
    default:
      break;
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
  const unpaired = scenario === 'unpaired' || scenario === 'refused';
  const client = new MesClient({
    transport: inProcessTransport(sandbox, { pairedWith: unpaired ? undefined : ['DOC_ECRITURE'] }),
    retry: { attempts: 2, baseDelayMs: 200 },
  });
  // « Tout refuser » in a consent prompt earlier in the session.
  if (scenario === 'refused') await client.recordRefusal(['DOC_ECRITURE'], '1');
  if (scenario === 'already-sent') await client.sendDocument(letter({ id: 'lettre-de-sortie-2026-11-12' }));
  return client;
}

const meta: Meta<Args> = {
  title: 'Elements/Send document button',
  component: 'mes-send-document-button',
  args: { brand: 'lumiere', lang: 'fr', scenario: 'paired', autoSend: false },
  argTypes: {
    brand: { control: 'inline-radio', options: ['lumiere', 'tilleuls'] },
    lang: { control: 'inline-radio', options: ['fr', 'en'] },
    scenario: { control: 'select', options: SCENARIOS },
  },
  render: ({ brand, lang }) =>
    html`<div data-brand=${brand} lang=${lang}>
      <mes-send-document-button mes-url="#mes"></mes-send-document-button>
    </div>`,
  play: async ({ canvasElement, args }) => {
    const button = canvasElement.querySelector<MesSendDocumentButton>('mes-send-document-button')!;
    button.client = await clientFor(args.scenario);
    if (args.scenario === 'by-reference') {
      // Gateway mode: the portal names a document its back end holds; the title is for the button only.
      button.documentRef = 'cr-2026-118';
      button.documentTitle = 'Compte rendu d’hospitalisation';
    } else {
      button.document = letter(
        args.scenario === 'invalid'
          ? { title: '' }
          : args.scenario === 'already-sent'
            ? { id: 'lettre-de-sortie-2026-11-12' }
            : {},
      );
    }
    if (args.autoSend) void button.send();
  },
};
export default meta;

type Story = StoryObj<Args>;

export const Idle: Story = {};
export const NotPairedYet: Story = { args: { scenario: 'unpaired' } };
export const Pairing: Story = { args: { scenario: 'pairing', autoSend: true } };
export const Sending: Story = { args: { scenario: 'slow', autoSend: true } };
export const Success: Story = { args: { autoSend: true } };
export const AlreadyInMes: Story = { args: { scenario: 'already-sent', autoSend: true } };
export const DocumentHeldByThePortal: Story = { args: { scenario: 'by-reference' } };
export const DocumentHeldByThePortalSent: Story = { args: { scenario: 'by-reference', autoSend: true } };
export const ErrorInvalidDocument: Story = { args: { scenario: 'invalid', autoSend: true } };
/** Retryable: the button reads « Réessayer l’envoi ». */
export const ErrorMesUnavailable: Story = { args: { scenario: 'unavailable', autoSend: true } };
/** Not retryable: the button keeps its label, and the text says what happened. */
export const ErrorRejected: Story = { args: { scenario: 'rejected', autoSend: true } };
export const ErrorPopupBlocked: Story = { args: { scenario: 'popup-blocked', autoSend: true } };
export const ErrorConsentRefused: Story = { args: { scenario: 'refused', autoSend: true } };
export const English: Story = { args: { lang: 'en' } };
export const EnglishSending: Story = { args: { lang: 'en', scenario: 'slow', autoSend: true } };
export const EnglishSuccess: Story = { args: { lang: 'en', autoSend: true } };
export const EnglishError: Story = { args: { lang: 'en', scenario: 'unavailable', autoSend: true } };
export const EnglishErrorRejected: Story = { args: { lang: 'en', scenario: 'rejected', autoSend: true } };
export const TilleulsBrand: Story = { args: { brand: 'tilleuls' } };
export const TilleulsPairing: Story = { args: { brand: 'tilleuls', scenario: 'pairing', autoSend: true } };
export const TilleulsSuccess: Story = { args: { brand: 'tilleuls', autoSend: true } };
export const TilleulsError: Story = { args: { brand: 'tilleuls', scenario: 'unavailable', autoSend: true } };
