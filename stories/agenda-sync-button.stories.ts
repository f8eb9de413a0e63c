/**
 * `<mes-agenda-sync-button>` in every state — comparing, the plan to confirm (« 3 nouveaux, 1 déplacé,
 * 1 annulé »), writing, synced, already up to date, one appointment failed, the .ics file instead —
 * for the whole agenda or one appointment, both brands, French and English, on a Mon espace santé
 * that runs in the page (the sandbox's memory mode), or a stand-in gateway for the states the
 * sandbox cannot hold still: no server needed.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '@mes-kit/elements/all.js';
import type { MesAgendaSyncButton } from '@mes-kit/elements';
import { html, nothing } from 'lit';
import { agendaSetup, type AgendaScenario } from './_helpers/agenda.js';
import { untilState } from './_helpers/settle.js';
import { FORCED_COLORS, MOBILE } from './_helpers/variants.js';

interface Args {
  /** How MES's agenda stands, and how MES answers. */
  scenario: AgendaScenario;
  /** One appointment (« Ajouter à mon agenda Mon espace santé »), by the portal's id; empty: the whole agenda. */
  appointmentId: string;
  /** On load: click the button (the plan, or one appointment written), or click and confirm the plan. */
  action: 'none' | 'click' | 'confirm';
}

const SCENARIOS: AgendaScenario[] = [
  'changes',
  'first-time',
  'up-to-date',
  'slow',
  'writing',
  'fails-one',
  'unpaired',
  'refused',
  'pairing',
  'popup-blocked',
  'unpaired-in-mes',
  'session-loading',
  'session-failed',
];

/** The state the story settles in, once its click (or its confirmation) is answered. */
function outcomeOf({ scenario, action, appointmentId }: Args): string[] {
  if (action === 'confirm')
    return scenario === 'writing' ? ['pending'] : scenario === 'fails-one' ? ['partial'] : ['success'];
  if (scenario === 'slow' || scenario === 'pairing') return ['pending'];
  if (scenario === 'popup-blocked' || scenario === 'unpaired-in-mes') return ['not-paired', 'error'];
  if (scenario === 'refused') return ['consent-required'];
  return scenario === 'up-to-date' || appointmentId ? ['success'] : ['planned'];
}

const meta: Meta<Args> = {
  title: 'Components/Agenda sync button',
  component: 'mes-agenda-sync-button',
  args: { scenario: 'changes', appointmentId: '', action: 'none' },
  argTypes: {
    scenario: { control: 'select', options: SCENARIOS },
    appointmentId: { control: 'select', options: ['', 'PREOP-1', 'SUIVI-1', 'ANES-1'] },
    action: { control: 'inline-radio', options: ['none', 'click', 'confirm'] },
  },
  render: ({ appointmentId }) =>
    html`<mes-agenda-sync-button appointment-id=${appointmentId || nothing}></mes-agenda-sync-button>`,
  play: async ({ canvasElement, args }) => {
    const button = canvasElement.querySelector<MesAgendaSyncButton>('mes-agenda-sync-button')!;
    const { client, appointments } = await agendaSetup(args.scenario);
    button.client = client;
    button.appointments = appointments;
    if (args.action === 'none') return;
    if (args.action === 'click') void button.sync();
    if (args.action === 'confirm') {
      await button.sync();
      void button.confirm();
    }
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
export const Pairing: Story = { args: { scenario: 'pairing', action: 'click' } };
export const Comparing: Story = { args: { scenario: 'slow', action: 'click' } };
/** What will change, for the patient to confirm: « 3 nouveaux, 1 déplacé, 1 annulé ». */
export const Planned: Story = { args: { action: 'click' } };
export const PlannedFirstTime: Story = { args: { scenario: 'first-time', action: 'click' } };
/** Two writes of five done: the bar and its percentage. */
export const Writing: Story = { args: { scenario: 'writing', action: 'confirm' } };
export const Synced: Story = { args: { action: 'confirm' } };
export const AlreadyUpToDate: Story = { args: { scenario: 'up-to-date', action: 'click' } };
/** One appointment could not be written: the others are, and « Réessayer » writes that one. */
export const PartialFailure: Story = { args: { scenario: 'fails-one', action: 'confirm' } };
/** The .ics file instead. */
export const ErrorConsentRefused: Story = { args: { scenario: 'refused', action: 'click' } };
export const ErrorPopupBlocked: Story = { args: { scenario: 'popup-blocked', action: 'click' } };
export const ErrorUnpairedInMes: Story = { args: { scenario: 'unpaired-in-mes', action: 'click' } };
export const OneAppointment: Story = { args: { appointmentId: 'ANES-1' } };
export const OneAppointmentAdded: Story = { args: { appointmentId: 'ANES-1', action: 'click' } };
export const OneAppointmentAlreadyThere: Story = { args: { appointmentId: 'SUIVI-1', action: 'click' } };
export const OneAppointmentMoved: Story = { args: { appointmentId: 'PREOP-1', action: 'click' } };
export const OneAppointmentRefused: Story = { args: { appointmentId: 'ANES-1', scenario: 'refused', action: 'click' } };
export const English: Story = { globals: { locale: 'en' } };
export const EnglishPlanned: Story = { args: { action: 'click' }, globals: { locale: 'en' } };
export const EnglishWriting: Story = { args: { scenario: 'writing', action: 'confirm' }, globals: { locale: 'en' } };
export const EnglishPartialFailure: Story = {
  args: { scenario: 'fails-one', action: 'confirm' },
  globals: { locale: 'en' },
};
export const EnglishConsentRefused: Story = {
  args: { scenario: 'refused', action: 'click' },
  globals: { locale: 'en' },
};
export const Tilleuls: Story = { globals: { brand: 'tilleuls' } };
export const TilleulsPlanned: Story = { args: { action: 'click' }, globals: { brand: 'tilleuls' } };
export const TilleulsPartialFailure: Story = {
  args: { scenario: 'fails-one', action: 'confirm' },
  globals: { brand: 'tilleuls' },
};
export const TilleulsOneAppointmentAdded: Story = {
  args: { appointmentId: 'ANES-1', action: 'click' },
  globals: { brand: 'tilleuls' },
};
export const Dark: Story = { globals: { theme: 'dark' } };
export const DarkPlanned: Story = { args: { action: 'click' }, globals: { theme: 'dark' } };
export const DarkWriting: Story = { args: { scenario: 'writing', action: 'confirm' }, globals: { theme: 'dark' } };
export const TilleulsDarkPartialFailure: Story = {
  args: { scenario: 'fails-one', action: 'confirm' },
  globals: { brand: 'tilleuls', theme: 'dark' },
};
export const ForcedColors: Story = { args: { action: 'click' }, ...FORCED_COLORS };
export const Mobile: Story = { args: { action: 'click' }, ...MOBILE };
