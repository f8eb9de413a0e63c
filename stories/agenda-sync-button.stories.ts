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

interface Args {
  brand: 'lumiere' | 'tilleuls';
  lang: 'fr' | 'en';
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
];

const meta: Meta<Args> = {
  title: 'Elements/Agenda sync button',
  component: 'mes-agenda-sync-button',
  args: { brand: 'lumiere', lang: 'fr', scenario: 'changes', appointmentId: '', action: 'none' },
  argTypes: {
    brand: { control: 'inline-radio', options: ['lumiere', 'tilleuls'] },
    lang: { control: 'inline-radio', options: ['fr', 'en'] },
    scenario: { control: 'select', options: SCENARIOS },
    appointmentId: { control: 'select', options: ['', 'PREOP-1', 'SUIVI-1', 'ANES-1'] },
    action: { control: 'inline-radio', options: ['none', 'click', 'confirm'] },
  },
  render: ({ brand, lang, appointmentId }) =>
    html`<div data-brand=${brand} lang=${lang}>
      <mes-agenda-sync-button appointment-id=${appointmentId || nothing}></mes-agenda-sync-button>
    </div>`,
  play: async ({ canvasElement, args }) => {
    const button = canvasElement.querySelector<MesAgendaSyncButton>('mes-agenda-sync-button')!;
    const { client, appointments } = await agendaSetup(args.scenario);
    button.client = client;
    button.appointments = appointments;
    if (args.action === 'click') void button.sync();
    if (args.action === 'confirm') {
      await button.sync();
      void button.confirm();
    }
  },
};
export default meta;

type Story = StoryObj<Args>;

export const Idle: Story = {};
export const NotPairedYet: Story = { args: { scenario: 'unpaired' } };
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
export const English: Story = { args: { lang: 'en' } };
export const EnglishPlanned: Story = { args: { lang: 'en', action: 'click' } };
export const EnglishWriting: Story = { args: { lang: 'en', scenario: 'writing', action: 'confirm' } };
export const EnglishPartialFailure: Story = { args: { lang: 'en', scenario: 'fails-one', action: 'confirm' } };
export const EnglishConsentRefused: Story = { args: { lang: 'en', scenario: 'refused', action: 'click' } };
export const EnglishOneAppointmentAdded: Story = { args: { lang: 'en', appointmentId: 'ANES-1', action: 'click' } };
export const TilleulsBrand: Story = { args: { brand: 'tilleuls' } };
export const TilleulsPlanned: Story = { args: { brand: 'tilleuls', action: 'click' } };
export const TilleulsPartialFailure: Story = { args: { brand: 'tilleuls', scenario: 'fails-one', action: 'confirm' } };
export const TilleulsOneAppointmentAdded: Story = {
  args: { brand: 'tilleuls', appointmentId: 'ANES-1', action: 'click' },
};
