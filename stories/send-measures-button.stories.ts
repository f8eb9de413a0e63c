/**
 * `<mes-send-measures-button>` in every state — the preview to confirm (« 1 344 mesures de glycémie
 * interstitielle, du … au … », a trend line per measure), sending (« 812 / 1 344 »), sent, already
 * there, one measure failed or kept back, each error — both brands, French and English, on a Mon
 * espace santé that runs in the page (the sandbox's memory mode), or a stand-in gateway for the states
 * the sandbox cannot hold still: no server needed.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '@mes-kit/elements/all.js';
import type { MesSendMeasuresButton } from '@mes-kit/elements';
import { html } from 'lit';
import { measuresSetup, type MeasuresScenario } from './_helpers/measures.js';

interface Args {
  brand: 'lumiere' | 'tilleuls';
  lang: 'fr' | 'en';
  /** Which readings, how MES stands, and how it answers. */
  scenario: MeasuresScenario;
  /** On load: click the button (the preview), or click and confirm. */
  action: 'none' | 'click' | 'confirm';
}

const SCENARIOS: MeasuresScenario[] = [
  'balance',
  'glucose',
  'already-sent',
  'empty',
  'summarizing',
  'sending',
  'fails-one',
  'unpaired',
  'refused',
  'refused-one',
  'pairing',
  'popup-blocked',
  'unpaired-in-mes',
  'offline',
  'host-failed',
];

const meta: Meta<Args> = {
  title: 'Elements/Send measures button',
  component: 'mes-send-measures-button',
  args: { brand: 'lumiere', lang: 'fr', scenario: 'balance', action: 'none' },
  argTypes: {
    brand: { control: 'inline-radio', options: ['lumiere', 'tilleuls'] },
    lang: { control: 'inline-radio', options: ['fr', 'en'] },
    scenario: { control: 'select', options: SCENARIOS },
    action: { control: 'inline-radio', options: ['none', 'click', 'confirm'] },
  },
  render: ({ brand, lang }) =>
    html`<div data-brand=${brand} lang=${lang}>
      <mes-send-measures-button></mes-send-measures-button>
    </div>`,
  play: async ({ canvasElement, args }) => {
    const button = canvasElement.querySelector<MesSendMeasuresButton>('mes-send-measures-button')!;
    const { client, series, kinds } = await measuresSetup(args.scenario);
    button.client = client;
    button.series = series;
    button.kinds = kinds;
    if (args.action === 'click') void button.preview();
    if (args.action === 'confirm') {
      await button.preview();
      void button.confirm();
    }
  },
};
export default meta;

type Story = StoryObj<Args>;

export const Idle: Story = {};
/** What will be sent, for the patient to confirm: counts, period and trend per measure. */
export const Preview: Story = { args: { action: 'click' } };
export const PreviewGlucose: Story = { args: { scenario: 'glucose', action: 'click' } };
export const NothingToSend: Story = { args: { scenario: 'empty', action: 'click' } };
export const Summarizing: Story = { args: { scenario: 'summarizing', action: 'click' } };
export const NotPairedYet: Story = { args: { scenario: 'unpaired' } };
export const Pairing: Story = { args: { scenario: 'pairing', action: 'confirm' } };
/** 812 of the 1,344 readings in MES: the bar and « 812 / 1 344 ». */
export const Sending: Story = { args: { scenario: 'sending', action: 'confirm' } };
export const Sent: Story = { args: { action: 'confirm' } };
export const SentGlucose: Story = { args: { scenario: 'glucose', action: 'confirm' } };
/** A second run: « déjà présentes », nothing written. */
export const AlreadyThere: Story = { args: { scenario: 'already-sent', action: 'confirm' } };
/** The blood pressures could not be sent: the weights are, and « Réessayer » sends the rest. */
export const PartialFailure: Story = { args: { scenario: 'fails-one', action: 'confirm' } };
/** The patient kept blood pressure back: its row says so. */
export const OneMeasureRefused: Story = { args: { scenario: 'refused-one', action: 'confirm' } };
export const ErrorConsentRefused: Story = { args: { scenario: 'refused', action: 'confirm' } };
export const ErrorPopupBlocked: Story = { args: { scenario: 'popup-blocked', action: 'confirm' } };
export const ErrorUnpairedInMes: Story = { args: { scenario: 'unpaired-in-mes', action: 'confirm' } };
export const ErrorOffline: Story = { args: { scenario: 'offline', action: 'click' } };
export const ErrorHostFailed: Story = { args: { scenario: 'host-failed', action: 'click' } };
export const English: Story = { args: { lang: 'en' } };
export const EnglishPreview: Story = { args: { lang: 'en', action: 'click' } };
export const EnglishSending: Story = { args: { lang: 'en', scenario: 'sending', action: 'confirm' } };
export const EnglishPartialFailure: Story = { args: { lang: 'en', scenario: 'fails-one', action: 'confirm' } };
export const EnglishConsentRefused: Story = { args: { lang: 'en', scenario: 'refused', action: 'confirm' } };
export const TilleulsBrand: Story = { args: { brand: 'tilleuls' } };
export const TilleulsPreview: Story = { args: { brand: 'tilleuls', scenario: 'glucose', action: 'click' } };
export const TilleulsPartialFailure: Story = { args: { brand: 'tilleuls', scenario: 'fails-one', action: 'confirm' } };
