import {
  MesError,
  normalizeError,
  type MeasureCounts,
  type MeasureKind,
  type MeasureKindSummary,
  type MeasureSeries,
  type MeasuresSummary,
  type MesClient,
  type MesErrorCode,
  type MesErrorJson,
  type ReadingResult,
  type SendMeasuresInput,
  type SendMeasuresResult,
} from '@mes-kit/core';
import { LitElement, html, nothing, svg, type ComplexAttributeConverter } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { mesEvent, type MesMeasuresSendSuccessDetail } from '../../events.js';
import { localizeError, strings, translate, type StringOverrides } from '../../internal/localize.js';
import { NOT_PAIRED_ERRORS, OperationController, percentOf, quarterOf } from '../../internal/operation-controller.js';
import { outcomeMark, steadyLabel, steadyStyles, steadyText } from '../../internal/steady-states.js';
import { actionButtonStyles } from '../../styles/action-button.styles.js';
import { outcomeListStyles } from '../../styles/outcome-list.styles.js';
import { hostStyles, type Theme } from '../../styles/host.styles.js';
import { spinnerStyles } from '../../styles/spinner.styles.js';
import { enSendMeasures } from '../../translations/en.js';
import { frSendMeasures, type SendMeasuresButtonStrings } from '../../translations/fr.js';
import { sendMeasuresButtonStyles } from './send-measures-button.styles.js';

const UPLOAD_ICON = svg`<path fill="currentColor" d="M11 15h2V8.8l2.6 2.6 1.4-1.4-5-5-5 5 1.4 1.4L11 8.8zM5 19h14v-2H5z"/>`;
const CHECK_ICON = svg`<path fill="currentColor" d="m9.5 16.2-4.2-4.2-1.4 1.4 5.6 5.6 10-10-1.4-1.4z"/>`;
const CROSS_ICON = svg`<path fill="currentColor" d="M6.4 5 5 6.4l5.6 5.6L5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6z"/>`;

const STRINGS = strings(frSendMeasures, enSendMeasures);

/** Where the element stands, from the patient's side: the controller's status and the preview's, together. */
type View = 'idle' | 'summarizing' | 'preview' | 'empty' | 'pairing' | 'running' | 'success' | 'partial' | 'error';

/** `kinds="weight blood-pressure"`: the measure kinds it names, those core knows. */
const kindsConverter: ComplexAttributeConverter<MeasureKind[] | undefined> = {
  fromAttribute: (value: string | null) => {
    const names = value?.split(/\s+/).filter(Boolean);
    return names?.length ? (names as MeasureKind[]) : undefined;
  },
  toAttribute: (value: MeasureKind[] | undefined) => value?.join(' '),
};

/** What MES did with one reading, per measure, so far. */
interface KindOutcome {
  counts: MeasureCounts;
  /** Why some could not be sent: the most frequent reason. */
  error?: MesErrorJson;
}

/**
 * @summary « Envoyer mes mesures vers Mon espace santé »: the readings of the host's connected devices (a scale, a blood-pressure monitor, a glucose sensor) in the patient's Mon espace santé, once the patient has seen what will be sent — how many of each measure, over which period, and their trend.
 * @tag mes-send-measures-button
 *
 * @fires mes-measures-send-start - `detail: { kinds, count }` once the patient confirms: which measures, and how many readings (for a retry, those that failed). No value, no time. Cancelable: nothing is sent.
 * @fires mes-measures-send-progress - `detail: { phase, ratio, done, total }` while the readings are sent: counts only.
 * @fires mes-measures-send-success - `detail: { total, byKind }`: how many readings were `created`, already `present` or `failed`, in all and per measure. `failed` > 0: some could not be sent (`:state(partial)`), « Réessayer » sends those.
 * @fires mes-measures-send-error - `detail: { error }`, a MesError: the summary, the pairing, the consent or the run failed as a whole.
 * @fires mes-pair-start - The pairing with MES starts (`detail: { finalities }`); cancelable.
 * @fires mes-pair-success - `detail: { finalities }`, what the patient granted: the pairing is done.
 * @fires mes-pair-error - `detail: { error }`: the pairing failed, was refused, or its window was blocked.
 * @fires mes-consent-change - `detail: { receipt }` after a pairing this button opened: what the patient granted and refused in MES.
 *
 * @csspart base - The wrapper.
 * @csspart button - The « Envoyer mes mesures vers Mon espace santé » button.
 * @csspart icon - The button's icon.
 * @csspart spinner - The busy indicator, while summarizing, pairing or sending.
 * @csspart label - The button's text.
 * @csspart status - The announced status line.
 * @csspart dialog - The dialog the preview is shown in.
 * @csspart preview - What will be sent, shown for the patient to confirm.
 * @csspart title - The preview's heading.
 * @csspart summary - Several measures: how many readings in all, and over which period.
 * @csspart list - The measures, one item each, in the preview and after the run.
 * @csspart item - One measure.
 * @csspart item-title - « 1 344 mesures de glycémie interstitielle, du 12 au 26 novembre ».
 * @csspart item-range - The trend in words: « de 62 à 248 mg/dL ».
 * @csspart sparkline - The trend, drawn (hidden from screen readers: `item-range` says it).
 * @csspart item-status - « À envoyer », then, after the run, « 1 340 envoyées, 4 déjà présentes » (its line is there from the start).
 * @csspart item-error - Why some readings of the measure could not be sent.
 * @csspart actions - The preview's buttons.
 * @csspart confirm - « Envoyer »: sends what the preview shows.
 * @csspart cancel - « Annuler »: sends nothing.
 * @csspart progress - The progress bar, while sending: its value is the readings done, its maximum all of them.
 * @csspart counter - « 812 / 1 344 » beside the bar (the same counts).
 * @csspart error - The error message.
 * @csspart fallback - « Continuer la synchronisation dans cet onglet », when the pairing popup is blocked.
 *
 * @cssprop --mes-send-measures-button-background-color - Button background (default: --mes-color-primary).
 * @cssprop --mes-send-measures-button-background-color-hover - Hovered background (default: --mes-color-primary-hover).
 * @cssprop --mes-send-measures-button-color - Button text (default: --mes-color-on-primary).
 * @cssprop --mes-send-measures-button-border-color - Button border, and « Annuler »'s text (default: --mes-color-primary; as text, darkened if it must be to read on the surface).
 * @cssprop --mes-send-measures-button-radius - Corner radius of the buttons and the preview (default: --mes-radius-m).
 * @cssprop --mes-send-measures-button-progress-color - Progress bar (default: --mes-color-primary).
 * @cssprop --mes-send-measures-button-sparkline-color - The trend lines (default: --mes-color-primary).
 * @cssprop --mes-send-measures-button-success-color - A measure's mark once sent (default: --mes-color-success).
 * @cssprop --mes-send-measures-button-error-color - Error text and a failed measure's mark (default: --mes-color-danger).
 * @cssprop --mes-send-measures-button-preview-background-color - The preview's background (default: --mes-color-surface).
 * @cssprop --mes-send-measures-button-preview-width - The preview's width (default: 40rem, within the window).
 *
 * @cssstate idle - Nothing runs, no preview is shown, nothing has been sent yet.
 * @cssstate pending - Summarizing the readings, pairing, or sending.
 * @cssstate preview - The preview is shown, waiting for the patient to confirm.
 * @cssstate empty - There is no reading to send.
 * @cssstate success - The run went through (see `partial`).
 * @cssstate partial - The run went through, but some readings could not be sent.
 * @cssstate error - The last attempt failed as a whole.
 * @cssstate not-paired - No pairing with MES (none, ended in MES, cancelled, its window blocked).
 * @cssstate consent-required - The patient did not allow this service to send these measures.
 * @cssstate offline - MES, or the portal, could not be reached.
 *
 * The preview is shown in a modal dialog once the readings are summed up, rather than below the
 * button: opening there, it moves nothing on the page. Escape cancels it. Once confirmed, the same list
 * stays below the button, and shows each measure's outcome.
 */
export class MesSendMeasuresButton extends LitElement {
  static override styles = [
    hostStyles,
    spinnerStyles,
    actionButtonStyles('send-measures-button'),
    outcomeListStyles('send-measures-button', 'preview'),
    steadyStyles,
    sendMeasuresButtonStyles,
  ];

  private readonly operation = new OperationController(this, {
    operation: 'send-measures',
    client: () => this.client,
    states: (): Record<string, boolean> => {
      const view = this.view;
      const code = this.failure?.code;
      return {
        idle: view === 'idle',
        pending: this.summarizing,
        preview: view === 'preview',
        empty: view === 'empty',
        success: view === 'success' || view === 'partial',
        partial: view === 'partial',
        error: view === 'error',
        'not-paired': !!code && NOT_PAIRED_ERRORS.has(code),
        waiting: this.operation.waitingForPairing,
        'consent-required': code === 'MES_CONSENT_REQUIRED',
        offline: code === 'MES_NETWORK',
      };
    },
  });

  @query('[part~="button"]') private button!: HTMLButtonElement;
  @query('[part~="title"]') private previewTitle?: HTMLElement;
  @query('dialog') private dialog?: HTMLDialogElement;

  /** Asking for the summary. */
  @state() private summarizing = false;
  /** What will be sent, as the patient saw it; kept through the run for the list. */
  @state() private summary?: MeasuresSummary;
  /** The preview is shown, waiting for « Envoyer ». */
  @state() private previewing = false;
  /** Why the summary failed (the controller holds the run's failures). */
  @state() private summaryError?: MesError;
  /** Each reading's latest outcome, by the host's id: a retry's outcomes over the run's. */
  @state() private outcomes = new Map<string, ReadingResult>();
  /** What the last attempt was: « Réessayer » does it again. */
  private stage: 'summary' | 'send' = 'summary';
  /** How many readings the run under way was started for (a retry: those that failed). */
  private runCount = 0;
  /** The summary under way: a newer one, new readings or leaving the page makes it stale. */
  private summaryAbort?: AbortController;
  private inputKey?: string;
  /** The strings in the element's language, with the host's own, for this update. */
  private t!: SendMeasuresButtonStrings;

  /** The readings, per device and measure (direct mode). Leave unset in gateway mode: the gateway asks the portal's back end. */
  /** Light, dark, or the system's (`auto`); unset, the page's `color-scheme`. */
  @property({ reflect: true }) theme?: Theme;
  @property({ attribute: false }) series?: MeasureSeries[];

  /** Only these measures, space-separated (`weight blood-pressure`); default: every measure there is. */
  @property({ converter: kindsConverter }) kinds?: MeasureKind[];

  /** Only readings from this instant on (ISO 8601 with its timezone). */
  @property() from?: string;

  /** Only readings up to this instant (ISO 8601 with its timezone). */
  @property() to?: string;

  /** A client to use instead of the one `<mes-provider>` gives. */
  @property({ attribute: false }) client?: MesClient;

  /** Strings to use instead of the built-in ones (any subset, down to one error text). */
  @property({ attribute: false }) strings: StringOverrides<SendMeasuresButtonStrings> = {};

  private get view(): View {
    const { status } = this.operation;
    if (status === 'pairing') return 'pairing';
    if (status === 'running' || status === 'starting') return 'running';
    if (this.summarizing) return 'summarizing';
    if (this.previewing) return 'preview';
    if (this.summaryError || status === 'error') return 'error';
    if (this.summary?.total === 0) return 'empty';
    if (status === 'success') return this.failedCount > 0 ? 'partial' : 'success';
    return 'idle';
  }

  /** Why the last attempt failed as a whole. */
  private get error(): MesError | undefined {
    return this.summaryError ?? (this.operation.status === 'error' ? this.operation.error : undefined);
  }

  /** What stands in the patient's way: the whole failure, else the one reason every failed reading shares. */
  private get failure(): MesErrorJson | undefined {
    const error = this.error;
    if (error) return error;
    if (this.view !== 'partial') return undefined;
    const codes = new Set([...this.outcomes.values()].map((result) => result.error?.code).filter(Boolean));
    return codes.size === 1 ? { code: [...codes][0]! } : undefined;
  }

  private get failedCount(): number {
    return totalOf(this.outcomes).failed;
  }

  /** The readings done, of all of them: the one source of the bar and of the counter beside it. */
  private get counts(): { done: number; total: number } {
    const progress = this.operation.progress;
    const total = progress?.total ?? this.summary?.total ?? 0;
    return { done: progress?.done ?? Math.round((progress?.ratio ?? 0) * total), total };
  }

  /** « Réessayer » only where trying again may help: a failure that may pass. */
  private get canRetry(): boolean {
    const view = this.view;
    if (view === 'error') return !!this.error?.retryable;
    if (view !== 'partial') return false;
    return [...this.outcomes.values()].some(
      (result) => result.outcome === 'failed' && MesError.fromJSON(result.error).retryable,
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.summaryAbort?.abort();
    this.summaryAbort = undefined;
    this.summarizing = false;
  }

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('series') || changed.has('kinds') || changed.has('from') || changed.has('to')) {
      // By content: a host that hands the same readings again in a new array keeps the outcome shown.
      const key = JSON.stringify([this.series, this.kinds, this.from, this.to]);
      if (this.inputKey !== undefined && key !== this.inputKey) this.reset();
      this.inputKey = key;
    }
    this.t = translate(this, STRINGS, this.strings);
  }

  /**
   * As a click does: shows what will be sent (how many readings of each measure, over which period),
   * for the patient to confirm. Needs no pairing. Resolves when shown; never rejects (see the events).
   */
  async preview(): Promise<void> {
    if (this.summarizing || this.operation.pending) return;
    if (this.previewing) this.previewTitle?.focus();
    else await this.summarize();
  }

  /** « Envoyer »: sends what the preview shows, pairing first if needed. */
  async confirm(): Promise<void> {
    const summary = this.summary;
    if (!this.previewing || !summary || this.operation.pending) return;
    this.closePreview();
    this.outcomes = new Map();
    await this.send(
      summary,
      summary.kinds.map(({ kind }) => kind),
      summary.total,
    );
  }

  /** « Annuler »: the preview goes, nothing is sent. */
  cancel(): void {
    if (!this.previewing) return;
    this.summary = undefined;
    this.closePreview();
  }

  /** After a failure that may pass: sends again what is not in MES yet, never what is. */
  async retry(): Promise<void> {
    if (!this.canRetry) return;
    const summary = this.summary;
    if (this.stage === 'summary' || !summary) {
      await this.summarize();
      return;
    }
    const failed = [...this.outcomes.values()].filter((result) => result.outcome === 'failed');
    const kinds = summary.kinds
      .map(({ kind }) => kind)
      .filter((kind) => failed.length === 0 || failed.some((result) => result.kind === kind));
    await this.send(summary, kinds, failed.length || summary.total);
  }

  private readonly handleClick = () => {
    if (this.summarizing || this.operation.pending || this.operation.waitingForPairing) return;
    void (this.canRetry ? this.retry() : this.preview());
  };

  private readonly handleConfirm = () => void this.confirm();

  private readonly handleCancel = () => this.cancel();

  /** Escape: as « Annuler ». */
  private readonly handleDialogCancel = (event: Event) => {
    event.preventDefault();
    this.cancel();
  };

  /** The preview goes with its dialog, and the focus is back on the button (the dialog closed first: nothing behind it takes the focus). */
  private closePreview() {
    this.previewing = false;
    this.dialog?.close();
    this.button.focus();
  }

  /** Back to idle: new readings, or another choice of them. */
  private reset() {
    if (this.operation.pending) return;
    this.summaryAbort?.abort();
    this.summaryAbort = undefined;
    this.summarizing = false;
    this.previewing = false;
    this.dialog?.close();
    this.summary = undefined;
    this.summaryError = undefined;
    this.outcomes = new Map();
    this.operation.reset();
  }

  /** What the patient will confirm, from the page's readings or, in gateway mode, the portal's. */
  private async summarize(): Promise<void> {
    this.reset();
    this.stage = 'summary';
    this.summarizing = true;
    const abort = (this.summaryAbort = new AbortController());
    try {
      const client = this.operation.client;
      if (!client) throw new MesError('MES_CONFIGURATION', { operation: 'send-measures' });
      const summary = await client.measuresSummary(this.series, {
        ...(this.kinds && { kinds: this.kinds }),
        ...(this.from && { from: this.from }),
        ...(this.to && { to: this.to }),
        signal: abort.signal,
      });
      if (abort !== this.summaryAbort) return;
      this.summarizing = false;
      this.summaryAbort = undefined;
      this.summary = summary;
      if (summary.total === 0) return;
      this.previewing = true;
      await this.updateComplete;
      this.dialog?.showModal();
      this.previewTitle?.focus();
    } catch (caught) {
      // Made stale by a newer attempt, new readings or the page left: nothing to report.
      if (abort !== this.summaryAbort) return;
      this.summarizing = false;
      this.summaryAbort = undefined;
      const error = normalizeError(caught, 'send-measures');
      this.summaryError = error;
      this.dispatchEvent(mesEvent('mes-measures-send-error', { error }));
    }
  }

  /**
   * The run, once confirmed (or for a retry, of the measures that failed). It sends what the preview
   * showed — its measures and its period — so that the finalités asked for are those of the measures shown.
   */
  private async send(summary: MeasuresSummary, kinds: MeasureKind[], count: number): Promise<void> {
    this.stage = 'send';
    this.runCount = count;
    const input: SendMeasuresInput = {
      ...(this.series && { series: this.series }),
      kinds,
      ...(summary.from && { from: summary.from }),
      ...(summary.to && { to: summary.to }),
    };
    await this.operation.perform({
      start: { kinds, count },
      work: async (step) => {
        const result = await step(input);
        this.applyResult(result);
        return result;
      },
      success: successDetail,
    });
  }

  /** Each reading's outcome; a retry finds those sent before « déjà présentes »: they keep « envoyée ». */
  private applyResult(result: SendMeasuresResult) {
    const outcomes = new Map(this.outcomes);
    for (const reading of result.readings) {
      const before = outcomes.get(reading.id);
      if (before?.outcome === 'created' && reading.outcome === 'present') continue;
      outcomes.set(reading.id, reading);
    }
    this.outcomes = outcomes;
  }

  /** Per measure, what MES did with its readings so far, and the most frequent reason some failed. */
  private outcomesByKind(): Map<MeasureKind, KindOutcome> {
    const byKind = new Map<MeasureKind, KindOutcome & { reasons: Map<MesErrorCode, [number, MesErrorJson]> }>();
    for (const result of this.outcomes.values()) {
      let entry = byKind.get(result.kind);
      if (!entry) {
        entry = { counts: { created: 0, present: 0, failed: 0 }, reasons: new Map() };
        byKind.set(result.kind, entry);
      }
      entry.counts[result.outcome]++;
      if (result.error) {
        const seen = entry.reasons.get(result.error.code);
        entry.reasons.set(result.error.code, [(seen?.[0] ?? 0) + 1, seen?.[1] ?? result.error]);
      }
    }
    return new Map(
      [...byKind].map(([kind, { counts, reasons }]) => {
        const reason = [...reasons.values()].sort((a, b) => b[0] - a[0])[0]?.[1];
        return [kind, { counts, ...(reason && { error: reason }) }];
      }),
    );
  }

  /** Which input is at fault: one reading's own fields (`series[0].readings[12].value`) are told as one. */
  private errorText(error: MesError): string {
    const { field } = error;
    const named = field?.startsWith('series[')
      ? field.includes('.readings[')
        ? 'reading'
        : field.endsWith('.unit')
          ? 'unit'
          : 'device'
      : field;
    const shown = named === field ? error : new MesError(error.code, { ...error.toJSON(), field: named });
    return localizeError(shown, this.t, this.operation.name);
  }

  private label(): string {
    const { t } = this;
    switch (this.view) {
      case 'pairing':
        return t.pairing;
      case 'summarizing':
        return t.summarizing;
      case 'running':
        return t.sending;
      case 'partial':
      case 'error':
        return this.canRetry ? t.retry : t.sendMeasures;
      case 'idle':
      case 'preview':
      case 'empty':
      case 'success':
        return t.sendMeasures;
    }
  }

  private statusText(): string {
    const { t } = this;
    switch (this.view) {
      case 'pairing':
        return t.pairing;
      case 'summarizing':
        return t.summarizing;
      case 'running': {
        const { done, total } = this.counts;
        // At the start, then by quarters (the end is the outcome's to say): not 1 344 announcements.
        const quarter = Math.min(75, quarterOf(total > 0 ? percentOf(done / total) : 0));
        return quarter === 0 ? t.sendingCount(this.runCount) : t.progress(quarter);
      }
      case 'success':
        return t.sent(totalOf(this.outcomes));
      case 'partial':
        return this.failure?.code === 'MES_CONSENT_REQUIRED'
          ? t.sentAllowed
          : t.partlySent(this.failedCount, this.outcomes.size);
      case 'error':
        return this.error ? this.errorText(this.error) : '';
      case 'empty':
        return t.nothingToSend;
      case 'idle':
      case 'preview':
        return '';
    }
  }

  /** Said to screen readers, but not shown twice: the button or the error text already shows it. */
  private statusRepeatsLabel(): boolean {
    const view = this.view;
    return view === 'pairing' || view === 'summarizing' || view === 'running' || view === 'error';
  }

  private renderSparkline(points: number[]) {
    return html`<svg
      part="sparkline"
      viewBox="0 0 100 24"
      preserveAspectRatio="none"
      aria-hidden="true"
      focusable="false"
    >
      <polyline points=${trendLine(points)}></polyline>
    </svg>`;
  }

  private renderItem(summary: MeasureKindSummary, outcome: KindOutcome | undefined) {
    const { t } = this;
    const measure = t.kinds[summary.kind] ?? summary.kind;
    const failed = outcome && outcome.counts.failed > 0;
    const reason = failed && outcome.error;
    // Not sent because the patient did not allow it: their choice, not a failure.
    const refused = reason && reason.code === 'MES_CONSENT_REQUIRED';
    const mark = outcome ? (refused ? 'refused' : failed ? 'failed' : 'done') : 'planned';
    return html`<li part="item" class=${mark}>
      ${
        outcome
          ? html`<svg class="mark" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
              ${failed ? CROSS_ICON : CHECK_ICON}
            </svg>`
          : nothing
      }
      <span part="item-title">${t.kindCount(summary.count, measure, t.period(summary.from, summary.to))}</span>
      ${this.renderSparkline(summary.points)}
      <span part="item-range"
        >${t.range(summary.min, summary.max, summary.unit, summary.kind === 'blood-pressure')}</span
      >
      <span part="item-status">${outcome ? t.outcome(outcome.counts) : t.toSend}</span>
      ${
        reason
          ? html`<span part="item-error"
              >${
                reason.code === 'MES_CONSENT_REQUIRED'
                  ? t.kindRefused(measure)
                  : this.errorText(MesError.fromJSON(reason))
              }</span
            >`
          : nothing
      }
    </li>`;
  }

  private renderList(summary: MeasuresSummary) {
    const byKind = this.outcomes.size > 0 ? this.outcomesByKind() : undefined;
    return html`<ul part="list" aria-label=${this.t.listLabel}>
      ${summary.kinds.map((kind) => this.renderItem(kind, byKind?.get(kind.kind)))}
    </ul>`;
  }

  private renderPreview(summary: MeasuresSummary) {
    const { t } = this;
    return html`<section part="preview" aria-labelledby="preview-title">
      <h2 part="title" id="preview-title" tabindex="-1">${t.previewTitle}</h2>
      ${
        summary.kinds.length > 1 && summary.from && summary.to
          ? html`<p part="summary">${t.total(summary.total, t.period(summary.from, summary.to))}</p>`
          : nothing
      }
      ${this.renderList(summary)}
      <div part="actions">
        <button part="cancel" type="button" @click=${this.handleCancel}>${t.cancel}</button>
        <button part="confirm" type="button" @click=${this.handleConfirm}>${t.confirm}</button>
      </div>
    </section>`;
  }

  private renderProgress() {
    const { t } = this;
    const { done, total } = this.counts;
    return html`<div class="meter">
      <progress part="progress" max=${Math.max(total, 1)} .value=${done} aria-label=${t.progressLabel}></progress>
      <span part="counter">${steadyText(t.counter(done, total), [t.counter(total, total)])}</span>
    </div>`;
  }

  override render() {
    const { t } = this;
    const view = this.view;
    const pending = view === 'pairing' || view === 'summarizing' || view === 'running';
    const waiting = this.operation.waitingForPairing && !pending;
    const error = view === 'error' ? this.error : undefined;
    const summary = this.summary;
    // The list stays from the preview through the run to its outcome; a failure as a whole leaves nothing to show.
    const listed = summary && summary.total > 0 && (view === 'running' || view === 'pairing' || this.outcomes.size > 0);
    return html`<div part="base">
      <button
        part="button"
        type="button"
        aria-disabled=${pending || waiting ? 'true' : 'false'}
        aria-describedby=${error ? 'error' : waiting ? 'waiting' : nothing}
        @click=${this.handleClick}
      >
        ${
          pending
            ? html`<span part="spinner" aria-hidden="true"></span>`
            : html`<svg part="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">${UPLOAD_ICON}</svg>`
        }
        ${steadyLabel(this.label(), [t.sendMeasures, t.pairing, t.summarizing, t.sending, t.retry])}
      </button>
      <div class="feedback">
        ${view === 'running' ? this.renderProgress() : nothing}
        <div part="status" role="status" aria-live="polite" class=${this.statusRepeatsLabel() ? 'sr-only' : ''}>
          ${this.statusText()}
        </div>
        ${waiting ? html`<p class="waiting" id="waiting">${t.waitingForPairing}</p>` : nothing}
        ${error ? html`<p part="error" id="error" aria-hidden="true">${outcomeMark('failed')}<span>${this.errorText(error)}</span></p>` : nothing}
      </div>
      ${!this.previewing && listed ? this.renderList(summary) : nothing}
      <dialog part="dialog" aria-labelledby="preview-title" @cancel=${this.handleDialogCancel}>
        ${this.previewing && summary ? this.renderPreview(summary) : nothing}
      </dialog>
      ${error ? this.operation.renderFallback(t.continueHere) : nothing}
    </div>`;
  }
}

/** The trend as a polyline in a 100 × 24 box, from its lowest to its highest point; flat when it does not move. */
function trendLine(points: readonly number[]): string {
  if (points.length < 2) return '0,12 100,12';
  const low = Math.min(...points);
  const span = Math.max(...points) - low || 1;
  const step = 100 / (points.length - 1);
  return points
    .map((value, i) => `${+(i * step).toFixed(1)},${+(22 - ((value - low) / span) * 20).toFixed(1)}`)
    .join(' ');
}

function totalOf(outcomes: Map<string, ReadingResult>): MeasureCounts {
  const counts: MeasureCounts = { created: 0, present: 0, failed: 0 };
  for (const result of outcomes.values()) counts[result.outcome]++;
  return counts;
}

/** What the host learns of a run: counts, in all and per measure — never a value or a time. */
function successDetail(result: SendMeasuresResult): MesMeasuresSendSuccessDetail {
  return {
    total: { ...result.total },
    byKind: Object.fromEntries(Object.entries(result.byKind).map(([kind, counts]) => [kind, { ...counts }])),
  };
}
