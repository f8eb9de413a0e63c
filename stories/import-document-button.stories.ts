/**
 * `<mes-import-document-button>` in every state — its picker open, importing, imported, failed on one
 * document of three — both brands, French and English, on a Mon espace santé that runs in the page
 * (the sandbox's memory mode, with Camille's seeded documents), or a stand-in gateway for the states
 * the sandbox cannot hold still: no server needed.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import {
  MesClient,
  MesError,
  foundDocumentOf,
  inProcessTransport,
  type FoundDocument,
  type LocalTransport,
} from '@mes-kit/core';
import '@mes-kit/elements/all.js';
import type { MesImportDocumentButton } from '@mes-kit/elements';
import { createInPageSandbox } from '@mes-kit/sandbox/in-page';
import { html } from 'lit';
import { fakeGateway } from './_helpers/fake-gateway.js';
import { untilState } from './_helpers/settle.js';
import { FORCED_COLORS, MOBILE } from './_helpers/variants.js';

interface Args {
  multiple: boolean;
  /** How the story drives MES: already paired, slow, failing… */
  scenario:
    | 'paired'
    | 'unpaired'
    | 'pairing'
    | 'slow'
    | 'fails-on-second'
    | 'invalid-response'
    | 'portal-receives'
    | 'popup-blocked'
    | 'refused'
    | 'session-loading'
    | 'session-failed'
    | 'rate-limited';
  /** On load: open the picker, or import three documents, to show the state that follows. */
  action: 'none' | 'open' | 'import';
}

const SCENARIOS: Args['scenario'][] = [
  'paired',
  'unpaired',
  'pairing',
  'slow',
  'fails-on-second',
  'invalid-response',
  'portal-receives',
  'popup-blocked',
  'refused',
  'session-loading',
  'session-failed',
  'rate-limited',
];
const CAMILLE = ['camille-doc-01', 'camille-doc-02', 'camille-doc-03'];

/** Documents as a gateway's picker would list them, for the scenarios without a sandbox. */
const LISTED: FoundDocument[] = [
  {
    id: 'doc-1',
    title: 'Ordonnance du Dr Bernard',
    type: { code: '57833-6', display: 'Prescription for medication' },
    category: 'ORD_SOIN',
    date: '2026-10-02T09:30:00+02:00',
    author: { kind: 'professional', name: 'Dr Bernard' },
    confidentiality: 'N',
    contentType: 'application/pdf',
    size: 20480,
  },
  {
    id: 'doc-2',
    title: 'Compte rendu de biologie',
    type: { code: '11502-2', display: 'CR d’examens biologiques' },
    category: 'BIOLOGIE',
    date: '2026-09-14T11:00:00+02:00',
    author: { kind: 'organization', name: 'Laboratoire des Tilleuls' },
    confidentiality: 'N',
    contentType: 'application/pdf',
    size: 18432,
  },
];

interface Setup {
  client: MesClient;
  documents: FoundDocument[];
}

async function setupFor(scenario: Args['scenario']): Promise<Setup> {
  switch (scenario) {
    case 'session-loading':
    case 'session-failed': {
      const session = scenario === 'session-loading' ? 'loading' : 'failing';
      return { client: new MesClient({ transport: fakeGateway({ session }) }), documents: LISTED };
    }
    case 'rate-limited':
      return {
        client: new MesClient({
          transport: fakeGateway({ paired: ['DOC_LECTURE'], fails: 'MES_RATE_LIMITED' }),
          retry: { attempts: 1 },
        }),
        documents: LISTED,
      };
    case 'pairing':
      return { client: new MesClient({ transport: fakeGateway({ pairing: 'held' }) }), documents: LISTED };
    case 'popup-blocked':
      return { client: new MesClient({ transport: fakeGateway({ pairing: 'blocked' }) }), documents: LISTED };
    case 'invalid-response':
      return {
        client: new MesClient({
          transport: fakeGateway({
            paired: ['DOC_LECTURE'],
            run: () =>
              Promise.reject(new MesError('MES_INVALID_RESPONSE', { operation: 'retrieve-document', status: 200 })),
          }),
        }),
        documents: LISTED,
      };
    case 'portal-receives':
      // Gateway mode: the bytes go to the portal's back end, which answers with its own reference.
      return {
        client: new MesClient({
          transport: fakeGateway({
            paired: ['DOC_LECTURE'],
            run: async (_name, input) => ({
              document: LISTED.find((document) => document.id === (input as { id: string }).id),
              received: { ref: `GED-${(input as { id: string }).id}` },
            }),
          }),
        }),
        documents: LISTED,
      };
    default:
      break;
  }
  const sandbox = await createInPageSandbox();
  if (scenario === 'slow') {
    await sandbox.fetch('http://localhost:8787/sandbox/faults', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs: 60_000 }),
    });
  }
  const unpaired = scenario === 'unpaired' || scenario === 'refused';
  const base = inProcessTransport(sandbox, { pairedWith: unpaired ? undefined : ['DOC_LECTURE'] });
  // MES cannot give the second document once (503; a lost answer would be asked again): « Réessayer »
  // then imports it and the third.
  let dropped = false;
  const transport: LocalTransport =
    scenario === 'fails-on-second'
      ? {
          ...base,
          async request(request, options) {
            if (!dropped && request.path === `DocumentReference/${CAMILLE[1]}`) {
              dropped = true;
              throw new MesError('MES_UNAVAILABLE', { operation: 'retrieve-document', status: 503 });
            }
            return base.request(request, options);
          },
        }
      : base;
  const client = new MesClient({ transport, retry: { attempts: 1 } });
  // « Tout refuser » in a consent prompt earlier in the session.
  if (scenario === 'refused') await client.recordRefusal(['DOC_LECTURE'], '1');
  const documents = CAMILLE.map((id) => foundDocumentOf(sandbox.store.get('DocumentReference', id)!.resource)!);
  return { client, documents };
}

/** What the story shows once its action is answered. */
function outcomeOf({ scenario, action }: Args): string[] {
  if (action === 'open') return ['open', 'pending', 'error'];
  if (scenario === 'slow') return ['pending'];
  return ['fails-on-second', 'invalid-response', 'rate-limited'].includes(scenario) ? ['error'] : ['success'];
}

const meta: Meta<Args> = {
  title: 'Components/Import document button',
  component: 'mes-import-document-button',
  args: { multiple: true, scenario: 'paired', action: 'none' },
  argTypes: {
    scenario: { control: 'select', options: SCENARIOS },
    multiple: { control: 'boolean' },
    action: { control: 'inline-radio', options: ['none', 'open', 'import'] },
  },
  render: ({ multiple }) => html`<mes-import-document-button ?multiple=${multiple}></mes-import-document-button>`,
  play: async ({ canvasElement, args }) => {
    const button = canvasElement.querySelector<MesImportDocumentButton>('mes-import-document-button')!;
    const { client, documents } = await setupFor(args.scenario);
    button.client = client;
    if (args.action === 'none') return;
    if (args.action === 'open') void button.showPicker();
    if (args.action === 'import') void button.importDocuments(documents);
    await untilState(button, ...outcomeOf(args));
  },
};
export default meta;

type Story = StoryObj<Args>;

export const Idle: Story = {};
export const NotPairedYet: Story = { args: { scenario: 'unpaired' } };
/** Before the session is read: the button holds its place. */
export const SessionLoading: Story = { args: { scenario: 'session-loading' } };
/** The portal could not be reached to read the session: « Réessayer ». */
export const SessionFailedToLoad: Story = { args: { scenario: 'session-failed' } };
/** MES's window is open: « Terminez dans la fenêtre Mon espace santé », « Rouvrir la fenêtre », « Annuler ». */
export const Pairing: Story = { args: { scenario: 'pairing', action: 'open' } };
/** The picker in its dialog: « Importer » waits for a choice and says how many. */
export const PickerOpen: Story = { args: { action: 'open' } };
export const PickerOpenSingle: Story = { args: { action: 'open', multiple: false } };
export const Importing: Story = { args: { scenario: 'slow', action: 'import' } };
export const Imported: Story = { args: { action: 'import' } };
export const ImportedByThePortal: Story = { args: { scenario: 'portal-receives', action: 'import' } };
/** Retryable: the first document is in, the second failed, « Réessayer » imports the second and the third. */
export const ErrorOnSecondDocument: Story = { args: { scenario: 'fails-on-second', action: 'import' } };
/** Not retryable: the button opens the picker again, and the text says what happened. */
export const ErrorInvalidResponse: Story = { args: { scenario: 'invalid-response', action: 'import' } };
export const ErrorRateLimited: Story = { args: { scenario: 'rate-limited', action: 'import' } };
export const ErrorPopupBlocked: Story = { args: { scenario: 'popup-blocked', action: 'open' } };
export const ErrorConsentRefused: Story = { args: { scenario: 'refused', action: 'open' } };
export const English: Story = { globals: { locale: 'en' } };
export const EnglishPickerOpen: Story = { args: { action: 'open' }, globals: { locale: 'en' } };
export const EnglishImporting: Story = { args: { scenario: 'slow', action: 'import' }, globals: { locale: 'en' } };
export const EnglishImported: Story = { args: { action: 'import' }, globals: { locale: 'en' } };
export const EnglishError: Story = {
  args: { scenario: 'fails-on-second', action: 'import' },
  globals: { locale: 'en' },
};
export const Tilleuls: Story = { globals: { brand: 'tilleuls' } };
export const TilleulsPickerOpen: Story = { args: { action: 'open' }, globals: { brand: 'tilleuls' } };
export const TilleulsImported: Story = { args: { action: 'import' }, globals: { brand: 'tilleuls' } };
export const TilleulsError: Story = {
  args: { scenario: 'fails-on-second', action: 'import' },
  globals: { brand: 'tilleuls' },
};
export const Dark: Story = { globals: { theme: 'dark' } };
export const DarkPickerOpen: Story = { args: { action: 'open' }, globals: { theme: 'dark' } };
export const DarkError: Story = { args: { scenario: 'fails-on-second', action: 'import' }, globals: { theme: 'dark' } };
export const TilleulsDarkImported: Story = {
  args: { action: 'import' },
  globals: { brand: 'tilleuls', theme: 'dark' },
};
export const ForcedColors: Story = { args: { action: 'open' }, ...FORCED_COLORS };
export const Mobile: Story = { args: { action: 'open' }, ...MOBILE };
