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

interface Args {
  brand: 'lumiere' | 'tilleuls';
  lang: 'fr' | 'en';
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
    | 'disabled';
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
];

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

async function until(condition: () => unknown) {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 50));
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
      return;
  }
}

const meta: Meta<Args> = {
  title: 'Elements/Document picker',
  component: 'mes-document-picker',
  args: { brand: 'lumiere', lang: 'fr', scenario: 'list', multiple: false },
  argTypes: {
    brand: { control: 'inline-radio', options: ['lumiere', 'tilleuls'] },
    lang: { control: 'inline-radio', options: ['fr', 'en'] },
    scenario: { control: 'select', options: SCENARIOS },
  },
  render: ({ brand, lang, multiple, scenario }) =>
    html`<div data-brand=${brand} lang=${lang}>
      <mes-document-picker
        name="documents"
        ?multiple=${multiple}
        page-size=${scenario === 'loading-more' ? 5 : 100}
      ></mes-document-picker>
    </div>`,
  play: async ({ canvasElement, args }) => {
    const picker = canvasElement.querySelector<MesDocumentPicker>('mes-document-picker')!;
    picker.client = await clientFor(args.scenario);
    await act(picker, args);
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
export const English: Story = { args: { lang: 'en' } };
export const EnglishMultipleChosen: Story = { args: { lang: 'en', scenario: 'chosen', multiple: true } };
export const EnglishNotPaired: Story = { args: { lang: 'en', scenario: 'not-paired' } };
export const EnglishError: Story = { args: { lang: 'en', scenario: 'unavailable' } };
export const EnglishPreviewUnavailable: Story = { args: { lang: 'en', scenario: 'preview-unavailable' } };
export const Tilleuls: Story = { args: { brand: 'tilleuls' } };
export const TilleulsMultipleChosen: Story = { args: { brand: 'tilleuls', scenario: 'chosen', multiple: true } };
export const TilleulsConsentMissing: Story = { args: { brand: 'tilleuls', scenario: 'consent-missing' } };
export const TilleulsError: Story = { args: { brand: 'tilleuls', scenario: 'unavailable' } };
