import {
  MesError,
  normalizeError,
  type AgendaAction,
  type AgendaAppointment,
  type AgendaChange,
  type MesClient,
  type SyncAgendaInput,
  type SyncAgendaResult,
} from '@mes-kit/core';
import { LitElement, html, nothing, svg } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { mesEvent, type MesAgendaSyncSuccessDetail } from '../../events.js';
import { localizeError, strings, translate, type StringOverrides } from '../../internal/localize.js';
import {
  NOT_PAIRED_ERRORS,
  OperationController,
  PAIRING_ERRORS,
  quarterOf,
} from '../../internal/operation-controller.js';
import {
  CHECK_ICON,
  CROSS_ICON,
  outcomeMark,
  steadyLabel,
  steadyStyles,
  steadyText,
} from '../../internal/steady-states.js';
import { actionButtonStyles } from '../../styles/action-button.styles.js';
import { outcomeListStyles } from '../../styles/outcome-list.styles.js';
import { hostStyles, type Theme } from '../../styles/host.styles.js';
import { spinnerStyles } from '../../styles/spinner.styles.js';
import { enAgendaSync } from '../../translations/en.js';
import { frAgendaSync, type AgendaSyncButtonStrings } from '../../translations/fr.js';
import { agendaSyncButtonStyles } from './agenda-sync-button.styles.js';

const CALENDAR_ICON = svg`<path fill="currentColor" fill-rule="evenodd" d="M7 2h2v2h6V2h2v2h2a2 2 0 0 1 2 2v13a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2h2zM5 9v10h14V9zm2 2h4v4H7z"/>`;
const DOWNLOAD_ICON = svg`<path fill="currentColor" d="M11 4h2v6.2l2.6-2.6 1.4 1.4-5 5-5-5 1.4-1.4 2.6 2.6zM5 19h14v-2H5z"/>`;

const STRINGS = strings(frAgendaSync, enAgendaSync);

/** Where the element stands, from the patient's side: the controller's status and the plan's, together. */
type View = 'idle' | 'pairing' | 'planning' | 'planned' | 'running' | 'success' | 'partial' | 'error';

/** Why MES's agenda is out of reach, when the .ics file is offered instead. */
type Fallback = 'not-paired' | 'consent-required';

/**
 * @summary « Mettre à jour mon agenda Mon espace santé »: the host's appointments in the patient's Mon espace santé agenda, after the patient has seen and confirmed what will change; or, with `appointment-id`, « Ajouter à mon agenda Mon espace santé » for one appointment. An .ics file is offered when MES is out of reach.
 * @tag mes-agenda-sync-button
 *
 * @fires mes-agenda-sync-start - `detail: { ids }`, the host's ids of the appointments to write (for a retry, those that failed) once the patient confirms; cancelable: nothing is written.
 * @fires mes-agenda-sync-progress - `detail: { phase, ratio }` while the appointments are written.
 * @fires mes-agenda-sync-success - `detail: { counts, failed, changes }`: each appointment's `{ id, action, outcome, error? }`, no title, no time. `failed` > 0: some could not be written (`:state(partial)`), « Réessayer » writes those. Also fired, with no start, when the agenda is already up to date and nothing needs confirming.
 * @fires mes-agenda-sync-error - `detail: { error }`, a MesError: the pairing, the consent, the comparison or the run failed (one appointment: that it could not be written).
 * @fires mes-pair-start - The pairing with MES starts (`detail: { finalities }`); cancelable.
 * @fires mes-pair-success - `detail: { finalities }`, what the patient granted: the pairing is done.
 * @fires mes-pair-error - `detail: { error }`: the pairing failed, was refused, or its window was blocked.
 * @fires mes-consent-change - `detail: { receipt }` after a pairing this button opened: what the patient granted and refused in MES.
 *
 * @csspart base - The wrapper.
 * @csspart button - The « Mettre à jour mon agenda Mon espace santé » (or « Ajouter à mon agenda Mon espace santé ») button.
 * @csspart icon - The button's icon.
 * @csspart spinner - The busy indicator, while pairing, comparing or writing.
 * @csspart label - The button's text.
 * @csspart status - The announced status line.
 * @csspart dialog - The dialog the plan is shown in.
 * @csspart plan - What will change, shown for the patient to confirm.
 * @csspart title - The plan's heading.
 * @csspart summary - « 3 nouveaux, 1 déplacé, 1 annulé ».
 * @csspart unchanged - How many appointments are already up to date (they are not listed).
 * @csspart list - The appointments that change, in the plan and after the run.
 * @csspart item - One of them.
 * @csspart item-title - Its title, as the host or MES gives it.
 * @csspart item-status - What will happen to it, or what did: Nouveau, Déplacé, Modifié, Annulé, Non mis à jour.
 * @csspart item-time - When it is, in Paris time (for a move: before, and now).
 * @csspart item-error - Why it could not be written.
 * @csspart actions - The plan's buttons.
 * @csspart confirm - « Confirmer »: writes what the plan shows.
 * @csspart cancel - « Annuler »: writes nothing.
 * @csspart progress - The progress bar, while writing.
 * @csspart percent - The percentage beside it (the same value).
 * @csspart error - The error message.
 * @csspart fallback - « Continuer la synchronisation dans cet onglet », when the pairing popup is blocked.
 * @csspart calendar - The .ics file offered when MES is out of reach: its text and its link.
 * @csspart calendar-text - What the file does.
 * @csspart download - « Télécharger le fichier .ics », a link to the file.
 *
 * @cssprop --mes-agenda-sync-button-background-color - Button background (default: --mes-color-primary).
 * @cssprop --mes-agenda-sync-button-background-color-hover - Hovered background (default: --mes-color-primary-hover).
 * @cssprop --mes-agenda-sync-button-background-color-success - One appointment's button once it is in MES (default: --mes-color-success).
 * @cssprop --mes-agenda-sync-button-color - Button text (default: --mes-color-on-primary).
 * @cssprop --mes-agenda-sync-button-border-color - Button border, and « Annuler »'s text (default: --mes-color-primary; as text, darkened if it must be to read on the surface).
 * @cssprop --mes-agenda-sync-button-radius - Corner radius of the buttons and the plan (default: --mes-radius-m).
 * @cssprop --mes-agenda-sync-button-progress-color - Progress bar (default: --mes-color-primary).
 * @cssprop --mes-agenda-sync-button-success-color - A written appointment's mark (default: --mes-color-success).
 * @cssprop --mes-agenda-sync-button-error-color - Error text and a failed appointment's mark (default: --mes-color-danger).
 * @cssprop --mes-agenda-sync-button-plan-background-color - The plan's background (default: --mes-color-surface).
 * @cssprop --mes-agenda-sync-button-plan-width - The plan's width (default: 40rem, within the window).
 *
 * @cssstate idle - Nothing runs, no plan is shown, nothing has been written yet.
 * @cssstate pending - Pairing, comparing with MES's agenda, or writing.
 * @cssstate planned - The plan is shown, waiting for the patient to confirm.
 * @cssstate success - The run went through (see `partial`), or the agenda was already up to date.
 * @cssstate partial - The run went through, but some appointments could not be written: « Réessayer ».
 * @cssstate error - The last attempt failed.
 * @cssstate not-paired - No pairing with MES (none, refused, cancelled, its window blocked): the .ics file is offered.
 * @cssstate consent-required - The patient did not allow adding appointments to MES: the .ics file is offered.
 *
 * The plan is shown in a modal dialog once MES has answered, rather than below the button: opening
 * there, it moves nothing on the page. Escape cancels it. Once confirmed, the same list stays below the
 * button, and shows each appointment's outcome.
 */
export class MesAgendaSyncButton extends LitElement {
  static override styles = [
    hostStyles,
    spinnerStyles,
    actionButtonStyles('agenda-sync-button'),
    outcomeListStyles('agenda-sync-button', 'plan'),
    steadyStyles,
    agendaSyncButtonStyles,
  ];

  private readonly operation = new OperationController(this, {
    operation: 'sync-agenda',
    client: () => this.client,
    // As the controller does with its own errors: a success elsewhere on the client makes a failed comparison stale.
    follow: (client) => {
      const stale = () => {
        const error = this.planError;
        if (error && (error.retryable || PAIRING_ERRORS.has(error.code))) this.planError = undefined;
      };
      client.addEventListener('mes-success', stale);
      return () => client.removeEventListener('mes-success', stale);
    },
    states: (): Record<string, boolean> => {
      const view = this.view;
      const fallback = this.fallback;
      return {
        idle: view === 'idle',
        pending: this.planning,
        planned: view === 'planned',
        success: view === 'success',
        partial: view === 'partial',
        error: view === 'error',
        'not-paired': fallback === 'not-paired',
        'consent-required': fallback === 'consent-required',
        waiting: this.operation.waitingForPairing,
      };
    },
  });

  @query('[part~="button"]') private button!: HTMLButtonElement;
  @query('[part~="title"]') private planTitle?: HTMLElement;
  @query('dialog') private dialog?: HTMLDialogElement;

  /** Pairing first if needed, then the dry run. */
  @state() private planning = false;
  /** The dry run, waiting for the patient's « Confirmer ». */
  @state() private plan?: SyncAgendaResult;
  /** The appointments that change: as planned, then as written (`outcome` done or failed). */
  @state() private items: AgendaChange[] = [];
  /** How many are already as the host has them: counted, not listed. */
  @state() private unchangedCount = 0;
  /** The dry run found nothing to write. */
  @state() private upToDate = false;
  /** Why the comparison with MES's agenda failed (the controller holds the other failures). */
  @state() private planError?: MesError;
  /** One appointment: what its run did. */
  @state() private added?: AgendaAction;
  /** The .ics file offered instead, as a `blob:` URL. */
  @state() private calendarUrl?: string;
  /** What the last attempt was: « Réessayer » does it again. */
  private stage: 'plan' | 'write' = 'plan';
  /** The host's ids that the last run wrote, for a retry after it failed as a whole. */
  private writtenIds: string[] = [];
  /** Which failure the .ics file was made for: a new failure, a new file. */
  private calendarFor?: MesError;
  /** The dry run under way: a newer one, a new list or leaving the page makes it stale. */
  private planAbort?: AbortController;
  private inputKey?: string;
  /** The strings in the element's language, with the host's own, for this update. */
  private t!: AgendaSyncButtonStrings;

  /** The patient's appointments (direct mode). Leave unset in gateway mode: the gateway asks the portal's back end. */
  /** Light, dark, or the system's (`auto`); unset, the page's `color-scheme`. */
  @property({ reflect: true }) theme?: Theme;
  @property({ attribute: false }) appointments?: AgendaAppointment[];

  /** One appointment, by the host's id: « Ajouter à mon agenda Mon espace santé », with no confirmation step. */
  @property({ attribute: 'appointment-id', reflect: true }) appointmentId?: string;

  /** That appointment's title, told to screen readers with the button's name (default: its title in `appointments`). */
  @property({ attribute: 'appointment-title' }) appointmentTitle?: string;

  /** A client to use instead of the one `<mes-provider>` gives. */
  @property({ attribute: false }) client?: MesClient;

  /** Strings to use instead of the built-in ones (any subset, down to one error text). */
  @property({ attribute: false }) strings: StringOverrides<AgendaSyncButtonStrings> = {};

  private get view(): View {
    const { status } = this.operation;
    if (status === 'pairing') return 'pairing';
    if (status === 'running' || (status === 'starting' && this.stage === 'write')) return 'running';
    if (this.planning || this.operation.pending) return 'planning';
    if (this.plan) return 'planned';
    if (this.planError || status === 'error') return 'error';
    if (this.upToDate || this.added) return 'success';
    if (status === 'success') return this.failed.length > 0 ? 'partial' : 'success';
    return 'idle';
  }

  private get error(): MesError | undefined {
    return this.planError ?? (this.operation.status === 'error' ? this.operation.error : undefined);
  }

  private get fallback(): Fallback | undefined {
    const code = this.error?.code;
    if (code === 'MES_CONSENT_REQUIRED') return 'consent-required';
    return code && NOT_PAIRED_ERRORS.has(code) ? 'not-paired' : undefined;
  }

  private get failed(): AgendaChange[] {
    return this.items.filter((item) => item.outcome === 'failed');
  }

  /** « Réessayer » only where trying again may help. */
  private get canRetry(): boolean {
    const view = this.view;
    return view === 'partial' || (view === 'error' && !!this.error?.retryable);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Back in the page: the .ics link revoked on leaving is made again.
    if (this.fallback) this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.planAbort?.abort();
    this.planAbort = undefined;
    this.planning = false;
    this.dropCalendar();
    this.calendarFor = undefined;
  }

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('appointments') || changed.has('appointmentId')) {
      // By content: a host that hands the same appointments again in a new array keeps the outcome shown.
      const key = JSON.stringify([this.appointmentId, this.appointments]);
      if (this.inputKey !== undefined && key !== this.inputKey) this.reset();
      this.inputKey = key;
    }
    this.t = translate(this, STRINGS, this.strings);
    const fallback = this.fallback;
    if (!fallback) this.dropCalendar();
    else if (this.error !== this.calendarFor && this.isConnected) void this.prepareCalendar(this.error!);
  }

  /**
   * As a click does: for every appointment, pairs if needed and shows what will change, for the patient
   * to confirm; with `appointment-id`, writes that one. Resolves when done; never rejects (see the events).
   */
  async sync(): Promise<void> {
    if (this.planning || this.operation.pending) return;
    if (this.appointmentId) {
      if (!this.added) await this.addOne(this.appointmentId);
      return;
    }
    if (this.plan) this.planTitle?.focus();
    else await this.preparePlan();
  }

  /** « Confirmer »: writes what the plan shows. */
  async confirm(): Promise<void> {
    const plan = this.plan;
    if (!plan || this.operation.pending) return;
    this.closePlan();
    await this.write(this.items.map((item) => item.id));
  }

  /** « Annuler »: the plan goes, nothing is written. */
  cancel(): void {
    if (!this.plan) return;
    this.items = [];
    this.unchangedCount = 0;
    this.closePlan();
  }

  /** After a failure that may pass: writes again what failed, never what was written. */
  async retry(): Promise<void> {
    if (!this.canRetry) return;
    if (this.view === 'partial') await this.write(this.failed.map((item) => item.id));
    else if (this.appointmentId) await this.addOne(this.appointmentId);
    else if (this.stage === 'write') await this.write(this.writtenIds);
    else await this.preparePlan();
  }

  private readonly handleClick = () => {
    if (this.planning || this.operation.pending || this.operation.waitingForPairing) return;
    void (this.canRetry ? this.retry() : this.sync());
  };

  private readonly handleConfirm = () => void this.confirm();

  private readonly handleCancel = () => this.cancel();

  /** Escape: as « Annuler ». */
  private readonly handleDialogCancel = (event: Event) => {
    event.preventDefault();
    this.cancel();
  };

  /** The plan goes with its dialog, and the focus is back on the button (the dialog closed first: nothing behind it takes the focus). */
  private closePlan() {
    this.plan = undefined;
    this.dialog?.close();
    this.button.focus();
  }

  /** Back to idle: a new list of appointments, or another one. */
  private reset() {
    if (this.operation.pending) return;
    this.planAbort?.abort();
    this.planAbort = undefined;
    this.planning = false;
    this.plan = undefined;
    this.dialog?.close();
    this.items = [];
    this.unchangedCount = 0;
    this.upToDate = false;
    this.planError = undefined;
    this.added = undefined;
    this.operation.reset();
  }

  /** Run in the page, the appointments come from the page: none given is the host's mistake, said before any pairing. */
  private checkAppointmentsGiven() {
    if (this.operation.client?.transport.kind === 'local' && !this.appointments) {
      throw new MesError('MES_INVALID_INPUT', { operation: 'sync-agenda', field: 'appointments' });
    }
  }

  private input(): SyncAgendaInput {
    return this.appointments ? { appointments: this.appointments } : {};
  }

  /** The input checked, the pairing made if needed, then the dry run: the plan, or « déjà à jour ». */
  private async preparePlan(): Promise<void> {
    this.reset();
    this.stage = 'plan';
    this.planning = true;
    const abort = (this.planAbort = new AbortController());
    const client = this.operation.client;
    try {
      // The host's mistakes first: no pairing for appointments that cannot be sent.
      if (!client) throw new MesError('MES_CONFIGURATION', { operation: 'sync-agenda' });
      this.checkAppointmentsGiven();
      await client.check('sync-agenda', this.input());
    } catch (caught) {
      this.planFailed(caught, abort);
      return;
    }
    const granted = await this.operation.authorize();
    if (abort !== this.planAbort) return;
    if (!granted) {
      this.planning = false;
      this.planAbort = undefined;
      return;
    }
    try {
      const plan = await client.syncAgenda(this.appointments, { dryRun: true, signal: abort.signal });
      if (abort.signal.aborted) return;
      this.planning = false;
      this.planAbort = undefined;
      this.unchangedCount = plan.counts.unchanged;
      const changes = plan.changes.filter((change) => change.action !== 'unchanged');
      if (changes.length === 0) {
        this.upToDate = true;
        const done = plan.changes.map((change): AgendaChange => ({ ...change, outcome: 'done' }));
        this.dispatchEvent(mesEvent('mes-agenda-sync-success', successDetail({ ...plan, changes: done })));
        return;
      }
      this.items = changes;
      this.plan = plan;
      await this.updateComplete;
      this.dialog?.showModal();
      this.planTitle?.focus();
    } catch (caught) {
      this.planFailed(caught, abort);
    }
  }

  private planFailed(caught: unknown, abort: AbortController) {
    // Made stale by a newer attempt, a new list or the page left: nothing to report.
    if (abort !== this.planAbort) return;
    this.planning = false;
    this.planAbort = undefined;
    const error = normalizeError(caught, 'sync-agenda');
    this.planError = error;
    this.dispatchEvent(mesEvent('mes-agenda-sync-error', { error }));
  }

  /** The run, once confirmed (or for a retry): `ids` are what the patient expects written. */
  private async write(ids: string[]): Promise<void> {
    const retried = this.view === 'partial' ? new Set(ids) : undefined;
    this.stage = 'write';
    this.writtenIds = ids;
    this.planError = undefined;
    this.upToDate = false;
    await this.operation.perform({
      start: { ids },
      work: async (step) => {
        const result = await step(this.input());
        this.applyResult(result, retried);
        return result;
      },
      success: successDetail,
    });
    // Cancelled (`mes-agenda-sync-start`) or failed as a whole: the planned list means nothing now.
    if (this.operation.status !== 'success' && !retried) {
      this.items = [];
      this.unchangedCount = 0;
    }
  }

  /** One appointment, no plan: written at once, and its outcome said. */
  private async addOne(id: string): Promise<void> {
    this.reset();
    this.stage = 'write';
    await this.operation.perform({
      start: { ids: [id] },
      work: async (step) => {
        this.checkAppointmentsGiven();
        const result = await step({ ...this.input(), only: [id] });
        const change = result.changes.find((candidate) => candidate.id === id);
        // The one appointment asked for is the whole operation: its failure is the operation's.
        if (!change || change.outcome === 'failed') throw MesError.fromJSON(change?.error).in('sync-agenda');
        this.added = change.action;
        return result;
      },
      success: successDetail,
    });
  }

  /**
   * What each appointment became. A retry's run finds those written before unchanged: they keep
   * their outcome, and those that failed take the new one.
   */
  private applyResult(result: SyncAgendaResult, retried?: Set<string>) {
    const written = result.changes.filter((change) => change.action !== 'unchanged');
    if (!retried) {
      this.items = written;
      this.unchangedCount = result.counts.unchanged;
      return;
    }
    const now = new Map(result.changes.map((change) => [change.id, change]));
    const items = this.items.map((item) => {
      const latest = now.get(item.id);
      if (!retried.has(item.id) || !latest) return item;
      // Written by the failed run after all (its answer was lost): the first plan's action stands.
      return latest.action === 'unchanged' ? { ...item, outcome: latest.outcome, error: undefined } : latest;
    });
    const listed = new Set(items.map((item) => item.id));
    this.items = [...items, ...written.filter((change) => !listed.has(change.id))];
  }

  /** The .ics file of the same appointments, for the patient's own calendar; none if it cannot be made. */
  private async prepareCalendar(error: MesError) {
    this.calendarFor = error;
    const client = this.operation.client;
    if (!client) return;
    try {
      const only = this.appointmentId ? { only: [this.appointmentId] } : {};
      const blob = await client.agendaCalendar(this.appointments, only);
      if (this.calendarFor !== error || !this.isConnected) return;
      this.dropCalendar();
      this.calendarUrl = URL.createObjectURL(blob);
    } catch {
      // No file (a portal that serves no agenda, appointments the page does not hold): the error text stands alone.
    }
  }

  private dropCalendar() {
    if (!this.calendarUrl) return;
    URL.revokeObjectURL(this.calendarUrl);
    this.calendarUrl = undefined;
  }

  /** Which input is at fault: an appointment's own fields (`appointments[2].start`) are told as one. */
  private errorText(error: MesError): string {
    const field = error.field?.startsWith('appointments[') ? 'appointment' : error.field;
    const named = field === error.field ? error : new MesError(error.code, { ...error.toJSON(), field });
    return localizeError(named, this.t, this.operation.name);
  }

  private label(): string {
    const { t } = this;
    const one = !!this.appointmentId;
    switch (this.view) {
      case 'pairing':
        return t.pairing;
      case 'planning':
        return one ? t.adding : t.planning;
      case 'running':
        return one ? t.adding : t.syncing;
      case 'success':
        return one && this.added ? t.added[this.added] : t.syncAll;
      case 'partial':
        return t.retry(this.failed.length);
      case 'error':
        return this.canRetry ? t.retry(1) : one ? t.addOne : t.syncAll;
      case 'idle':
      case 'planned':
        return one ? t.addOne : t.syncAll;
    }
  }

  /** Every label the button may show, so that it keeps the width of the widest. */
  private labels(): string[] {
    const { t } = this;
    const retry = t.retry(Math.max(1, this.failed.length));
    return this.appointmentId
      ? [t.addOne, t.pairing, t.adding, retry, ...Object.values(t.added)]
      : [t.syncAll, t.pairing, t.planning, t.syncing, retry];
  }

  private statusText(): string {
    const { t } = this;
    switch (this.view) {
      case 'pairing':
        return t.pairing;
      case 'planning':
        return this.appointmentId ? t.adding : t.planning;
      case 'running':
        return this.appointmentId ? t.adding : t.progress(quarterOf(this.operation.percent));
      case 'success':
        if (this.added) return t.added[this.added];
        return this.upToDate ? t.upToDate : t.synced(countsOf(this.items));
      case 'partial':
        return t.partlySynced(this.failed.length, this.items.length);
      case 'error':
        return this.error ? this.errorText(this.error) : '';
      case 'idle':
      case 'planned':
        return '';
    }
  }

  /** Said to screen readers, but not shown twice: the button or the error text already shows it. */
  private statusRepeatsLabel(): boolean {
    const view = this.view;
    return view === 'pairing' || view === 'planning' || view === 'running' || view === 'error' || !!this.added;
  }

  /** In the plan, what will happen to it; after the run, what did (shown among them all: its column keeps its width). */
  private itemStatus({ action, outcome }: AgendaChange): string {
    const { t } = this;
    switch (outcome) {
      case 'planned':
        return t.actions[action];
      case 'done':
        return t.outcomes[action];
      case 'failed':
        return t.notSynced;
    }
  }

  private renderWhen(change: AgendaChange) {
    const { t } = this;
    if (!change.start) return nothing;
    return html`<span part="item-time"
      >${
        change.action === 'move' && change.previousStart
          ? html`<span class="was">${t.when(change.previousStart)}</span><span aria-hidden="true"> → </span
              ><span class="sr-only">${t.movedTo}</span>`
          : nothing
      }${t.when(change.start)}</span
    >`;
  }

  private renderItem(change: AgendaChange) {
    const { t } = this;
    const { outcome } = change;
    const cause = outcome === 'failed' ? this.errorText(MesError.fromJSON(change.error)) : '';
    return html`<li part="item" class=${outcome}>
      ${
        outcome === 'planned'
          ? nothing
          : html`<svg class="mark" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
              ${outcome === 'done' ? CHECK_ICON : CROSS_ICON}
            </svg>`
      }
      <span part="item-title">${change.title || t.untitled}</span>
      <span part="item-status"
        >${steadyText(this.itemStatus(change), [t.actions[change.action], t.outcomes[change.action], t.notSynced])}</span
      >
      ${this.renderWhen(change)} ${cause ? html`<span part="item-error">${cause}</span>` : nothing}
    </li>`;
  }

  private renderList() {
    return html`<ul part="list" aria-label=${this.t.listLabel}>
      ${this.items.map((item) => this.renderItem(item))}
    </ul>`;
  }

  private renderPlan(plan: SyncAgendaResult) {
    const { t } = this;
    return html`<section part="plan" aria-labelledby="plan-title">
      <h2 part="title" id="plan-title" tabindex="-1">${t.planTitle}</h2>
      <p part="summary">${t.summary(plan.counts)}</p>
      ${this.renderList()}
      ${this.unchangedCount > 0 ? html`<p part="unchanged">${t.unchanged(this.unchangedCount)}</p>` : nothing}
      <div part="actions">
        <button part="cancel" type="button" @click=${this.handleCancel}>${t.cancel}</button>
        <button part="confirm" type="button" @click=${this.handleConfirm}>${t.confirm}</button>
      </div>
    </section>`;
  }

  private renderCalendar() {
    const { t } = this;
    if (!this.calendarUrl) return nothing;
    return html`<div part="calendar">
      <p part="calendar-text" id="calendar-text">${t.calendarIntro(!!this.appointmentId)}</p>
      <a part="download" href=${this.calendarUrl} download=${t.calendarFileName} aria-describedby="calendar-text"
        ><svg class="download-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">${DOWNLOAD_ICON}</svg
        >${t.downloadCalendar}</a
      >
    </div>`;
  }

  override render() {
    const { t } = this;
    const view = this.view;
    const pending = view === 'pairing' || view === 'planning' || view === 'running';
    const waiting = this.operation.waitingForPairing && !pending;
    const error = view === 'error' ? this.error : undefined;
    const done = view === 'success' && !!this.added;
    const percent = this.operation.percent;
    const title =
      this.appointmentId &&
      (this.appointmentTitle || this.appointments?.find((appointment) => appointment.id === this.appointmentId)?.title);
    return html`<div part="base">
      <button
        part="button"
        type="button"
        aria-disabled=${pending || done || waiting ? 'true' : 'false'}
        aria-describedby=${error ? 'error' : waiting ? 'waiting' : nothing}
        @click=${this.handleClick}
      >
        ${
          pending
            ? html`<span part="spinner" aria-hidden="true"></span>`
            : html`<svg part="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                ${done ? CHECK_ICON : CALENDAR_ICON}
              </svg>`
        }
        ${steadyLabel(this.label(), this.labels())}${title ? html`<span class="sr-only"> — ${title}</span>` : nothing}
      </button>
      <div class="feedback">
        ${
          view === 'running' && !this.appointmentId
            ? html`<div class="meter">
                <progress part="progress" max="100" .value=${percent} aria-label=${t.progressLabel}></progress>
                <span part="percent" aria-hidden="true">${t.percent(percent)}</span>
              </div>`
            : nothing
        }
        <div part="status" role="status" aria-live="polite" class=${this.statusRepeatsLabel() ? 'sr-only' : ''}>
          ${this.statusText()}
        </div>
        ${waiting ? html`<p class="waiting" id="waiting">${t.waitingForPairing}</p>` : nothing}
        ${
          error
            ? html`<p part="error" id="error" aria-hidden="true">
                ${outcomeMark('failed')}<span>${this.errorText(error)}</span>
              </p>`
            : nothing
        }
      </div>
      ${!this.plan && this.items.length > 0 ? this.renderList() : nothing}
      <dialog part="dialog" aria-labelledby="plan-title" @cancel=${this.handleDialogCancel}>
        ${this.plan ? this.renderPlan(this.plan) : nothing}
      </dialog>
      ${error ? html`${this.operation.renderFallback(t.continueHere)} ${this.fallback ? this.renderCalendar() : nothing}` : nothing}
    </div>`;
  }
}

/** What the host learns of a run: by its own ids, what each appointment became, and why one failed (its code). */
function successDetail(result: SyncAgendaResult): MesAgendaSyncSuccessDetail {
  return {
    counts: { ...result.counts },
    failed: result.failed,
    changes: result.changes.map(({ id, action, outcome, error }) => ({
      id,
      action,
      outcome,
      // MES's OperationOutcome may echo what was sent: the code and the field say enough.
      ...(error && {
        error: {
          code: error.code,
          ...(error.operation && { operation: error.operation }),
          ...(error.field && { field: error.field }),
          ...(error.status !== undefined && { status: error.status }),
        },
      }),
    })),
  };
}

/** How many of each action were written. */
function countsOf(changes: readonly AgendaChange[]): Record<AgendaAction, number> {
  const counts: Record<AgendaAction, number> = { create: 0, move: 0, update: 0, cancel: 0, unchanged: 0 };
  for (const change of changes) if (change.outcome === 'done') counts[change.action]++;
  return counts;
}
