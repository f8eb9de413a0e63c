/**
 * `<mes-document-picker>` in every state, both brands, French and English: Camille's documents on a
 * Mon espace santé that runs in the page (the sandbox's memory mode), or a stand-in gateway for
 * 10,000 documents and the states the sandbox cannot hold still. No server needed.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { MesClient, MesError, inProcessTransport } from '@mes-kit/core';
import '@mes-kit/elements/all.js';
import type { MesDocumentPicker } from '@mes-kit/elements';
import { createInPageSandbox } from '@mes-kit/sandbox/in-page';
import { html } from 'lit';
import { fakeGateway } from './_helpers/fake-gateway.js';
import { generateDocuments, listingGateway } from './_helpers/found-documents.js';
import { until, untilState } from './_helpers/settle.js';
import { FORCED_COLORS, MOBILE } from './_helpers/variants.js';

interface Args {
  /** Where the documents come from, and what happens first. */
  scenario:
    | 'list'
    | 'chosen'
    | 'many'
    | 'loading'
    | 'loading-more'
    | 'empty'
    | 'no-match'
    | 'unavailable'
    | 'invalid-response'
    | 'not-paired'
    | 'pairing'
    | 'popup-blocked'
    | 'consent-missing'
    | 'preview-image'
    | 'preview-pdf'
    | 'preview-unavailable'
    | 'disabled'
    | 'session-loading'
    | 'session-failed'
    | 'rate-limited';
  multiple: boolean;
}

const SCENARIOS: Args['scenario'][] = [
  'list',
  'chosen',
  'many',
  'loading',
  'loading-more',
  'empty',
  'no-match',
  'unavailable',
  'invalid-response',
  'not-paired',
  'pairing',
  'popup-blocked',
  'consent-missing',
  'preview-image',
  'preview-pdf',
  'preview-unavailable',
  'disabled',
  'session-loading',
  'session-failed',
  'rate-limited',
];

/** The state each scenario settles in, once the patient's first step is answered. */
const SETTLED: Record<Args['scenario'], string[]> = {
  list: ['success'],
  chosen: ['success'],
  many: ['pending', 'success'],
  loading: ['loading', 'pending'],
  'loading-more': ['pending'],
  empty: ['empty'],
  'no-match': ['empty'],
  unavailable: ['error'],
  'invalid-response': ['error'],
  'not-paired': ['not-paired'],
  pairing: ['loading', 'pending'],
  'popup-blocked': ['not-paired', 'error'],
  'consent-missing': ['consent-required'],
  'preview-image': ['success'],
  'preview-pdf': ['success'],
  'preview-unavailable': ['success'],
  disabled: ['success'],
  'session-loading': ['loading'],
  'session-failed': ['error'],
  'rate-limited': ['error'],
};

/** A MES that never answers: the state before the answer stays on screen. */
const never = () => new Promise<void>(() => undefined);

async function sandboxClient(options: { paired?: string[]; persona?: string } = {}) {
  const sandbox = await createInPageSandbox();
  return new MesClient({
    transport: inProcessTransport(sandbox, { pairedWith: options.paired, persona: options.persona }),
  });
}

async function clientFor(scenario: Args['scenario']): Promise<MesClient> {
  switch (scenario) {
    case 'session-loading':
      return new MesClient({ transport: fakeGateway({ session: 'loading' }) });
    case 'session-failed':
      return new MesClient({ transport: fakeGateway({ session: 'failing' }) });
    case 'rate-limited':
      return new MesClient({ transport: listingGateway([], { fails: 'MES_RATE_LIMITED' }), retry: { attempts: 1 } });
    case 'many':
      return new MesClient({ transport: listingGateway(generateDocuments(10_000)) });
    case 'loading':
      return new MesClient({ transport: listingGateway(generateDocuments(40), { beforePage: never }) });
    case 'loading-more':
      return new MesClient({
        transport: listingGateway(generateDocuments(40), {
          beforePage: (page) => (page > 0 ? never() : Promise.resolve()),
        }),
      });
    case 'unavailable':
      return new MesClient({
        transport: listingGateway([], {
          beforePage: () =>
            Promise.reject(new MesError('MES_UNAVAILABLE', { operation: 'find-documents', status: 503 })),
        }),
      });
    case 'invalid-response':
      return new MesClient({
        transport: listingGateway([], {
          beforePage: () => Promise.reject(new MesError('MES_INVALID_RESPONSE', { operation: 'find-documents' })),
        }),
      });
    case 'pairing':
      return new MesClient({ transport: fakeGateway({ pairing: 'held' }) });
    case 'popup-blocked':
      return new MesClient({ transport: fakeGateway({ pairing: 'blocked' }) });
    case 'preview-unavailable':
      // The portal's gateway hands imports to its back end only (no `deliverToPage`).
      return new MesClient({ transport: listingGateway(generateDocuments(12)) });
    case 'empty':
      return sandboxClient({ paired: ['DOC_LECTURE'], persona: 'elise' });
    case 'not-paired':
      return sandboxClient();
    case 'consent-missing':
      return sandboxClient({ paired: ['DOC_ECRITURE'] });
    case 'list':
    case 'chosen':
    case 'no-match':
    case 'preview-image':
    case 'preview-pdf':
    case 'disabled':
      return sandboxClient({ paired: ['DOC_LECTURE'] });
  }
}

const rows = (picker: MesDocumentPicker) => picker.shadowRoot!.querySelectorAll<HTMLElement>('[role="option"]');

/** What the patient does first, so that the story shows the state that follows. */
async function act(picker: MesDocumentPicker, { scenario }: Args) {
  switch (scenario) {
    case 'chosen':
    case 'disabled':
      await until(() => rows(picker).length > 2);
      rows(picker)[1].click();
      if (picker.multiple) rows(picker)[2].click();
      if (scenario === 'disabled') picker.disabled = true;
      return;
    case 'no-match': {
      await until(() => rows(picker).length > 0);
      const search = picker.shadowRoot!.querySelector<HTMLInputElement>('[part~="search"]')!;
      search.value = 'échographie';
      search.dispatchEvent(new Event('input'));
      return;
    }
    case 'pairing':
    case 'popup-blocked':
      await until(() => picker.matches(':state(not-paired)'));
      picker.shadowRoot!.querySelector<HTMLButtonElement>('button.primary')!.click();
      return;
    case 'preview-image':
    case 'preview-pdf':
    case 'preview-unavailable': {
      await until(() => rows(picker).length > 5);
      const wanted =
        scenario === 'preview-image' ? 'camille-doc-06' : scenario === 'preview-pdf' ? 'camille-doc-13' : 'doc-2';
      picker.shadowRoot!.querySelector<HTMLElement>(`#option-${wanted}`)!.click();
      await picker.updateComplete;
      picker.shadowRoot!.querySelector<HTMLButtonElement>('[part~="preview"] button')!.click();
      return;
    }
    case 'list':
    case 'many':
    case 'loading':
    case 'loading-more':
    case 'empty':
    case 'unavailable':
    case 'invalid-response':
    case 'not-paired':
    case 'consent-missing':
    case 'session-loading':
    case 'session-failed':
    case 'rate-limited':
      return;
  }
}

const meta: Meta<Args> = {
  title: 'Components/Document picker',
  component: 'mes-document-picker',
  args: { scenario: 'list', multiple: false },
  argTypes: { scenario: { control: 'select', options: SCENARIOS }, multiple: { control: 'boolean' } },
  render: ({ multiple, scenario }) =>
    html`<mes-document-picker
      name="documents"
      ?multiple=${multiple}
      page-size=${scenario === 'loading-more' ? 5 : 100}
    ></mes-document-picker>`,
  play: async ({ canvasElement, args }) => {
    const picker = canvasElement.querySelector<MesDocumentPicker>('mes-document-picker')!;
    picker.client = await clientFor(args.scenario);
    await act(picker, args);
    await untilState(picker, ...SETTLED[args.scenario]);
  },
};
export default meta;

type Story = StoryObj<Args>;

export const List: Story = {};
export const Chosen: Story = { args: { scenario: 'chosen' } };
export const MultipleChosen: Story = { args: { scenario: 'chosen', multiple: true } };
/** 10,000 documents, 100 a page: the DOM holds the rows in view only. */
export const TenThousandDocuments: Story = { args: { scenario: 'many', multiple: true } };
export const Loading: Story = { args: { scenario: 'loading' } };
/** The first page shown while the next ones come. */
export const LoadingMore: Story = { args: { scenario: 'loading-more' } };
export const Empty: Story = { args: { scenario: 'empty' } };
export const NoMatch: Story = { args: { scenario: 'no-match' } };
/** Retryable: « Réessayer » is offered. */
export const ErrorMesUnavailable: Story = { args: { scenario: 'unavailable' } };
/** Not retryable: no « Réessayer ». */
export const ErrorInvalidResponse: Story = { args: { scenario: 'invalid-response' } };
export const NotPaired: Story = { args: { scenario: 'not-paired' } };
export const Pairing: Story = { args: { scenario: 'pairing' } };
export const ErrorPopupBlocked: Story = { args: { scenario: 'popup-blocked' } };
export const ConsentMissing: Story = { args: { scenario: 'consent-missing' } };
export const PreviewImage: Story = { args: { scenario: 'preview-image' } };
export const PreviewPdf: Story = { args: { scenario: 'preview-pdf' } };
/** The portal does not let documents reach the page: the preview says so. */
export const PreviewUnavailable: Story = { args: { scenario: 'preview-unavailable' } };
export const Disabled: Story = { args: { scenario: 'disabled' } };
/** Before the session is read. */
export const SessionLoading: Story = { args: { scenario: 'session-loading' } };
/** The portal could not be reached to read the session: « Réessayer ». */
export const SessionFailedToLoad: Story = { args: { scenario: 'session-failed' } };
export const ErrorRateLimited: Story = { args: { scenario: 'rate-limited' } };
export const English: Story = { globals: { locale: 'en' } };
export const EnglishMultipleChosen: Story = { args: { scenario: 'chosen', multiple: true }, globals: { locale: 'en' } };
export const EnglishNotPaired: Story = { args: { scenario: 'not-paired' }, globals: { locale: 'en' } };
export const EnglishError: Story = { args: { scenario: 'unavailable' }, globals: { locale: 'en' } };
export const EnglishPreviewUnavailable: Story = {
  args: { scenario: 'preview-unavailable' },
  globals: { locale: 'en' },
};
export const Tilleuls: Story = { globals: { brand: 'tilleuls' } };
export const TilleulsMultipleChosen: Story = {
  args: { scenario: 'chosen', multiple: true },
  globals: { brand: 'tilleuls' },
};
export const TilleulsConsentMissing: Story = { args: { scenario: 'consent-missing' }, globals: { brand: 'tilleuls' } };
export const TilleulsError: Story = { args: { scenario: 'unavailable' }, globals: { brand: 'tilleuls' } };
export const Dark: Story = { globals: { theme: 'dark' } };
export const DarkMultipleChosen: Story = { args: { scenario: 'chosen', multiple: true }, globals: { theme: 'dark' } };
export const DarkError: Story = { args: { scenario: 'unavailable' }, globals: { theme: 'dark' } };
export const TilleulsDarkChosen: Story = {
  args: { scenario: 'chosen', multiple: true },
  globals: { brand: 'tilleuls', theme: 'dark' },
};
export const ForcedColors: Story = { args: { scenario: 'chosen', multiple: true }, ...FORCED_COLORS };
export const Mobile: Story = { args: { scenario: 'chosen', multiple: true }, ...MOBILE };
