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
import { untilState } from './_helpers/settle.js';
import { FORCED_COLORS, MOBILE } from './_helpers/variants.js';

interface Args {
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
  'session-loading',
  'session-failed',
];

/** The state the story settles in, once its click (or its confirmation) is answered. */
function outcomeOf({ scenario, action }: Args): string[] {
  if (action === 'click') {
    if (scenario === 'summarizing') return ['pending'];
    if (scenario === 'offline') return ['offline'];
    if (scenario === 'host-failed') return ['error'];
    return scenario === 'empty' ? ['empty'] : ['preview'];
  }
  if (scenario === 'sending' || scenario === 'pairing') return ['pending'];
  if (scenario === 'fails-one') return ['partial'];
  if (scenario === 'refused') return ['consent-required'];
  if (scenario === 'popup-blocked' || scenario === 'unpaired-in-mes') return ['not-paired', 'error'];
  return scenario === 'refused-one' ? ['success', 'partial'] : ['success'];
}

const meta: Meta<Args> = {
  title: 'Components/Send measures button',
  component: 'mes-send-measures-button',
  args: { scenario: 'balance', action: 'none' },
  argTypes: {
    scenario: { control: 'select', options: SCENARIOS },
    action: { control: 'inline-radio', options: ['none', 'click', 'confirm'] },
  },
  render: () => html`<mes-send-measures-button></mes-send-measures-button>`,
  play: async ({ canvasElement, args }) => {
    const button = canvasElement.querySelector<MesSendMeasuresButton>('mes-send-measures-button')!;
    const { client, series, kinds } = await measuresSetup(args.scenario);
    button.client = client;
    button.series = series;
    button.kinds = kinds;
    if (args.action === 'none') return;
    if (args.action === 'click') void button.preview();
    if (args.action === 'confirm') {
      await button.preview();
      void button.confirm();
    }
    await untilState(button, ...outcomeOf(args));
  },
};
export default meta;

type Story = StoryObj<Args>;

export const Idle: Story = {};
/** Before the session is read: the button holds its place. */
export const SessionLoading: Story = { args: { scenario: 'session-loading' } };
/** The portal could not be reached to read the session: « Réessayer ». */
export const SessionFailedToLoad: Story = { args: { scenario: 'session-failed' } };
/** What will be sent, for the patient to confirm: counts, period and trend per measure. */
export const Preview: Story = { args: { action: 'click' } };
export const PreviewGlucose: Story = { args: { scenario: 'glucose', action: 'click' } };
export const NothingToSend: Story = { args: { scenario: 'empty', action: 'click' } };
export const Summarizing: Story = { args: { scenario: 'summarizing', action: 'click' } };
export const NotPairedYet: Story = { args: { scenario: 'unpaired' } };
/** MES's window is open: « Terminez dans la fenêtre Mon espace santé », « Rouvrir la fenêtre », « Annuler ». */
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
export const English: Story = { globals: { locale: 'en' } };
export const EnglishPreview: Story = { args: { action: 'click' }, globals: { locale: 'en' } };
export const EnglishSending: Story = { args: { scenario: 'sending', action: 'confirm' }, globals: { locale: 'en' } };
export const EnglishPartialFailure: Story = {
  args: { scenario: 'fails-one', action: 'confirm' },
  globals: { locale: 'en' },
};
export const EnglishConsentRefused: Story = {
  args: { scenario: 'refused', action: 'confirm' },
  globals: { locale: 'en' },
};
export const Tilleuls: Story = { globals: { brand: 'tilleuls' } };
export const TilleulsPreview: Story = {
  args: { scenario: 'glucose', action: 'click' },
  globals: { brand: 'tilleuls' },
};
export const TilleulsPartialFailure: Story = {
  args: { scenario: 'fails-one', action: 'confirm' },
  globals: { brand: 'tilleuls' },
};
export const Dark: Story = { globals: { theme: 'dark' } };
export const DarkPreview: Story = { args: { scenario: 'glucose', action: 'click' }, globals: { theme: 'dark' } };
export const DarkSending: Story = { args: { scenario: 'sending', action: 'confirm' }, globals: { theme: 'dark' } };
export const TilleulsDarkPartialFailure: Story = {
  args: { scenario: 'fails-one', action: 'confirm' },
  globals: { brand: 'tilleuls', theme: 'dark' },
};
export const ForcedColors: Story = { args: { action: 'click' }, ...FORCED_COLORS };
export const Mobile: Story = { args: { scenario: 'glucose', action: 'click' }, ...MOBILE };
