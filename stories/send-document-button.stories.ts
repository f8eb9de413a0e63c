/**
 * `<mes-send-document-button>` in every state of the shared operation life cycle, both brands,
 * French and English, on a Mon espace santé that runs in the page (the sandbox's memory mode), or a
 * stand-in gateway for the states the sandbox cannot hold still: no server needed.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { MesClient, inProcessTransport, type DocumentToSend, type MesErrorCode } from '@mes-kit/core';
import '@mes-kit/elements/all.js';
import type { MesSendDocumentButton } from '@mes-kit/elements';
import { createInPageSandbox } from '@mes-kit/sandbox/in-page';
import { html } from 'lit';
import { fakeGateway } from './_helpers/fake-gateway.js';
import { untilState } from './_helpers/settle.js';
import { FORCED_COLORS, MOBILE } from './_helpers/variants.js';

interface Args {
  /** How the story drives MES: already paired, slow, failing… */
  scenario: Scenario;
  /** Click on load, to show the state that follows. */
  autoSend: boolean;
}

/** Failures the gateway reports, one per family of error the patient may meet. */
const FAILURES = {
  'auth-required': 'MES_AUTH_REQUIRED',
  'consent-required': 'MES_CONSENT_REQUIRED',
  'too-large': 'MES_TOO_LARGE',
  rejected: 'MES_REJECTED',
  'rate-limited': 'MES_RATE_LIMITED',
  network: 'MES_NETWORK',
} as const satisfies Record<string, MesErrorCode>;

type Scenario =
  | 'paired'
  | 'unpaired'
  | 'pairing'
  | 'slow'
  | 'already-sent'
  | 'by-reference'
  | 'invalid'
  | 'unavailable'
  | 'popup-blocked'
  | 'refused'
  | 'session-loading'
  | 'session-failed'
  | keyof typeof FAILURES;

const SCENARIOS: Scenario[] = [
  'paired',
  'unpaired',
  'pairing',
  'slow',
  'already-sent',
  'by-reference',
  'invalid',
  'unavailable',
  'popup-blocked',
  'refused',
  'session-loading',
  'session-failed',
  ...(Object.keys(FAILURES) as (keyof typeof FAILURES)[]),
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

async function clientFor(scenario: Scenario): Promise<MesClient> {
  if (scenario in FAILURES) {
    const fails = FAILURES[scenario as keyof typeof FAILURES];
    return new MesClient({ transport: fakeGateway({ paired: ['DOC_ECRITURE'], fails }), retry: { attempts: 1 } });
  }
  switch (scenario) {
    case 'session-loading':
      return new MesClient({ transport: fakeGateway({ session: 'loading' }) });
    case 'session-failed':
      return new MesClient({ transport: fakeGateway({ session: 'failing' }) });
    case 'pairing':
      return new MesClient({ transport: fakeGateway({ pairing: 'held' }) });
    case 'popup-blocked':
      return new MesClient({ transport: fakeGateway({ pairing: 'blocked' }) });
    case 'by-reference':
      return new MesClient({ transport: fakeGateway({ paired: ['DOC_ECRITURE'] }) });
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

/** What the story shows once its click is answered: the MES window or the upload still open, or how it ended. */
const STILL_PENDING: Scenario[] = ['pairing', 'slow'];
const SUCCEEDS: Scenario[] = ['paired', 'already-sent', 'by-reference'];

const meta: Meta<Args> = {
  title: 'Components/Send document button',
  component: 'mes-send-document-button',
  args: { scenario: 'paired', autoSend: false },
  argTypes: { scenario: { control: 'select', options: SCENARIOS }, autoSend: { control: 'boolean' } },
  render: () => html`<mes-send-document-button mes-url="#mes"></mes-send-document-button>`,
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
    if (!args.autoSend) return;
    void button.send();
    const outcome = STILL_PENDING.includes(args.scenario)
      ? 'pending'
      : SUCCEEDS.includes(args.scenario)
        ? 'success'
        : 'error';
    await untilState(button, outcome);
  },
};
export default meta;

type Story = StoryObj<Args>;

export const Idle: Story = {};
export const NotPairedYet: Story = { args: { scenario: 'unpaired' } };
/** Before the session is read: the button holds its place, and nothing names a service yet. */
export const SessionLoading: Story = { args: { scenario: 'session-loading' } };
/** The portal could not be reached to read the session: « Réessayer ». */
export const SessionFailedToLoad: Story = { args: { scenario: 'session-failed' } };
/** MES's window is open: « Terminez dans la fenêtre Mon espace santé », « Rouvrir la fenêtre », « Annuler ». */
export const Pairing: Story = { args: { scenario: 'pairing', autoSend: true } };
export const Sending: Story = { args: { scenario: 'slow', autoSend: true } };
export const Success: Story = { args: { autoSend: true } };
export const AlreadyInMes: Story = { args: { scenario: 'already-sent', autoSend: true } };
export const DocumentHeldByThePortal: Story = { args: { scenario: 'by-reference' } };
export const DocumentHeldByThePortalSent: Story = { args: { scenario: 'by-reference', autoSend: true } };
export const ErrorInvalidDocument: Story = { args: { scenario: 'invalid', autoSend: true } };
export const ErrorTooLarge: Story = { args: { scenario: 'too-large', autoSend: true } };
/** Retryable: the button reads « Réessayer l’envoi ». */
export const ErrorMesUnavailable: Story = { args: { scenario: 'unavailable', autoSend: true } };
export const ErrorRateLimited: Story = { args: { scenario: 'rate-limited', autoSend: true } };
export const ErrorNetwork: Story = { args: { scenario: 'network', autoSend: true } };
/** Not retryable: the button keeps its label, and the text says what happened. */
export const ErrorRejected: Story = { args: { scenario: 'rejected', autoSend: true } };
/** The pairing ended or expired: the patient links the account again. */
export const ErrorAuthRequired: Story = { args: { scenario: 'auth-required', autoSend: true } };
/** MES answers that sending documents is not granted. */
export const ErrorConsentRequired: Story = { args: { scenario: 'consent-required', autoSend: true } };
export const ErrorPopupBlocked: Story = { args: { scenario: 'popup-blocked', autoSend: true } };
/** « Tout refuser » earlier in the session. */
export const ErrorConsentRefused: Story = { args: { scenario: 'refused', autoSend: true } };
export const English: Story = { globals: { locale: 'en' } };
export const EnglishSending: Story = { args: { scenario: 'slow', autoSend: true }, globals: { locale: 'en' } };
export const EnglishSuccess: Story = { args: { autoSend: true }, globals: { locale: 'en' } };
export const EnglishError: Story = { args: { scenario: 'unavailable', autoSend: true }, globals: { locale: 'en' } };
export const Tilleuls: Story = { globals: { brand: 'tilleuls' } };
export const TilleulsPairing: Story = { args: { scenario: 'pairing', autoSend: true }, globals: { brand: 'tilleuls' } };
export const TilleulsSuccess: Story = { args: { autoSend: true }, globals: { brand: 'tilleuls' } };
export const Dark: Story = { globals: { theme: 'dark' } };
export const DarkSuccess: Story = { args: { autoSend: true }, globals: { theme: 'dark' } };
export const DarkError: Story = { args: { scenario: 'unavailable', autoSend: true }, globals: { theme: 'dark' } };
export const TilleulsDarkSending: Story = {
  args: { scenario: 'slow', autoSend: true },
  globals: { brand: 'tilleuls', theme: 'dark' },
};
/** Windows' high-contrast themes: the story's description says what to look for, and how to emulate them. */
export const ForcedColors: Story = { args: { autoSend: true }, ...FORCED_COLORS };
export const Mobile: Story = { args: { scenario: 'unavailable', autoSend: true }, ...MOBILE };
