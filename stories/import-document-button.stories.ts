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

interface Args {
  brand: 'lumiere' | 'tilleuls';
  lang: 'fr' | 'en';
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
    | 'refused';
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
  // The second document's connection drops once: « Réessayer » then imports it and the third.
  let dropped = false;
  const transport: LocalTransport =
    scenario === 'fails-on-second'
      ? {
          ...base,
          async request(request, options) {
            if (!dropped && request.path === `DocumentReference/${CAMILLE[1]}`) {
              dropped = true;
              throw new TypeError('Failed to fetch');
            }
            return base.request(request, options);
          },
        }
      : base;
  const client = new MesClient({ transport });
  // « Tout refuser » in a consent prompt earlier in the session.
  if (scenario === 'refused') await client.recordRefusal(['DOC_LECTURE'], '1');
  const documents = CAMILLE.map((id) => foundDocumentOf(sandbox.store.get('DocumentReference', id)!.resource)!);
  return { client, documents };
}

const meta: Meta<Args> = {
  title: 'Elements/Import document button',
  component: 'mes-import-document-button',
  args: { brand: 'lumiere', lang: 'fr', multiple: true, scenario: 'paired', action: 'none' },
  argTypes: {
    brand: { control: 'inline-radio', options: ['lumiere', 'tilleuls'] },
    lang: { control: 'inline-radio', options: ['fr', 'en'] },
    scenario: { control: 'select', options: SCENARIOS },
    action: { control: 'inline-radio', options: ['none', 'open', 'import'] },
  },
  render: ({ brand, lang, multiple }) =>
    html`<div data-brand=${brand} lang=${lang}>
      <mes-import-document-button ?multiple=${multiple}></mes-import-document-button>
    </div>`,
  play: async ({ canvasElement, args }) => {
    const button = canvasElement.querySelector<MesImportDocumentButton>('mes-import-document-button')!;
    const { client, documents } = await setupFor(args.scenario);
    button.client = client;
    if (args.action === 'open') void button.showPicker();
    if (args.action === 'import') void button.importDocuments(documents);
  },
};
export default meta;

type Story = StoryObj<Args>;

export const Idle: Story = {};
export const NotPairedYet: Story = { args: { scenario: 'unpaired' } };
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
export const ErrorPopupBlocked: Story = { args: { scenario: 'popup-blocked', action: 'open' } };
export const ErrorConsentRefused: Story = { args: { scenario: 'refused', action: 'open' } };
export const English: Story = { args: { lang: 'en' } };
export const EnglishPickerOpen: Story = { args: { lang: 'en', action: 'open' } };
export const EnglishImporting: Story = { args: { lang: 'en', scenario: 'slow', action: 'import' } };
export const EnglishImported: Story = { args: { lang: 'en', action: 'import' } };
export const EnglishError: Story = { args: { lang: 'en', scenario: 'fails-on-second', action: 'import' } };
export const TilleulsBrand: Story = { args: { brand: 'tilleuls' } };
export const TilleulsPickerOpen: Story = { args: { brand: 'tilleuls', action: 'open' } };
export const TilleulsImported: Story = { args: { brand: 'tilleuls', action: 'import' } };
export const TilleulsError: Story = { args: { brand: 'tilleuls', scenario: 'fails-on-second', action: 'import' } };
