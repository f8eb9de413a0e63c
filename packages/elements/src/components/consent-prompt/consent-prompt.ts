import {
  type FinalityDescription,
  type MesClient,
  type MesConsentRequestEvent,
  type MesStateChangeEvent,
  type PairingState,
} from '@mes-kit/core';
import { LitElement, html, nothing, svg } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { localizeError, strings, translate, type StringOverrides } from '../../internal/localize.js';
import { OperationController } from '../../internal/operation-controller.js';
import { webLink } from '../../internal/web-link.js';
import { hostStyles, type Theme } from '../../styles/host.styles.js';
import { enConsentPrompt } from '../../translations/en.js';
import { frConsentPrompt, type ConsentPromptStrings } from '../../translations/fr.js';
import { consentPromptStyles } from './consent-prompt.styles.js';

const MES_SETTINGS = 'https://www.monespacesante.fr/mon-compte/services-synchronises';

/** What Mon espace santé is, in its own words: linked as FranceConnect's button links « Qu’est-ce que FranceConnect ? ». */
const MES_ABOUT = 'https://www.monespacesante.fr/';

const STRINGS = strings(frConsentPrompt, enConsentPrompt);

/**
 * A mark of the kit's own that stands for Mon espace santé beside its name (a heart in a rounded
 * square): no official asset of MES's is shipped or imitated.
 */
const MES_MARK = svg`<rect class="mark-ground" width="24" height="24" rx="6" /><path
    class="mark-figure"
    d="M12 18.6s-6.2-3.8-6.2-8.3a3.4 3.4 0 0 1 6.2-1.9 3.4 3.4 0 0 1 6.2 1.9c0 4.5-6.2 8.3-6.2 8.3z"
  />`;

/** Where a finalité stands once paired, drawn as ✓, ✗ or ! (its words are read before its name). */
type Standing = 'granted' | 'not-granted' | 'to-confirm';
const STANDING_ICONS: Record<Standing, ReturnType<typeof svg>> = {
  granted: svg`<path d="M6 12.5l4 4 8-9" />`,
  'not-granted': svg`<path d="M7.5 7.5l9 9m0-9l-9 9" />`,
  'to-confirm': svg`<path d="M12 6.5v7m0 3.5v.5" />`,
};

/** What the prompt shows: the session loading or unreadable, the choices, or where the pairing stands. */
type View = 'loading' | 'unavailable' | 'choice' | 'paired' | 'reapproval';

/** The buttons that open a pairing here: the one the focus goes back to when it ends without one. */
type Trigger = 'accept-all' | 'continue' | 'approve-again';

/**
 * Lends the intro a name's length while the session loads: the skeleton keeps the final size, and
 * no one reads it (it is inert and transparent).
 */
const NAME_PLACEHOLDER = 'Votre service de santé';

/**
 * @summary Explains what the service will exchange with Mon espace santé and why, starts the pairing with the finalités the patient chooses, and shows where the pairing stands.
 * @tag mes-consent-prompt
 *
 * @fires mes-consent-change - `detail: { receipt }`: when, what was granted and refused, and the version of the text shown. No health data.
 * @fires mes-pair-start - The MES pairing starts (`detail: { finalities }`); cancelable.
 * @fires mes-pair-success - `detail: { finalities }`, what the patient granted: MES confirmed the pairing.
 * @fires mes-pair-error - `detail: { error }`: refused, closed, cancelled with « Annuler », or the window was blocked.
 * @fires mes-revoke-start - « Désynchroniser » was confirmed; cancelable.
 * @fires mes-revoke-success - The pairing is ended.
 * @fires mes-revoke-error - `detail: { error }`.
 *
 * @csspart base - The wrapper.
 * @csspart title - The heading.
 * @csspart mark - The mark standing for Mon espace santé, in the heading.
 * @csspart list - The finalités.
 * @csspart item - One finalité.
 * @csspart switch - A finalité's on/off switch.
 * @csspart standing - A finalité's ✓, ✗ or ! once paired: granted, not granted, to confirm.
 * @csspart label - A finalité's name, beside its switch or its mark.
 * @csspart button - Every button.
 * @csspart status - The announced status line (« Terminez dans la fenêtre Mon espace santé. »…).
 * @csspart error - The error message.
 * @csspart link - The terms of use, « Gérer mes autorisations dans Mon espace santé » and « Qu’est-ce que Mon espace santé ? ».
 * @csspart fallback - « Continuer la synchronisation dans cet onglet », when the pairing popup is blocked.
 * @csspart dialog - The confirmation « Désynchroniser » asks for.
 *
 * @cssprop --mes-consent-prompt-background-color - Background (default: --mes-color-surface).
 * @cssprop --mes-consent-prompt-border-color - Border (default: --mes-color-border).
 * @cssprop --mes-consent-prompt-radius - Corner radius (default: --mes-radius-m).
 * @cssprop --mes-consent-prompt-switch-background-color - A finalité's switch when off (default: --mes-color-control).
 * @cssprop --mes-consent-prompt-switch-background-color-checked - A finalité's switch when on (default: --mes-color-primary).
 * @cssprop --mes-consent-prompt-switch-thumb-color - The switch's knob (default: --mes-color-on-primary).
 * @cssprop --mes-consent-prompt-button-background-color - The buttons' background, but the primary one's (default: --mes-color-surface).
 * @cssprop --mes-consent-prompt-button-radius - The buttons' corner radius (default: --mes-radius-m).
 * @cssprop --mes-consent-prompt-notice-background-color - Background of the status notice (default: --mes-color-primary-subtle, a tint of the primary colour).
 *
 * @cssstate loading - The session is being read: a skeleton of the final layout.
 * @cssstate pending - MES's window is open (this prompt's pairing, or one another element opened on the same client), or unpairing.
 * @cssstate paired - The pairing is in place.
 * @cssstate success - The last pairing or « Désynchroniser » went through.
 * @cssstate error - The last attempt failed, or the session could not be read.
 *
 * It offers itself (scrolls into view, takes the focus) when an element on the same client needs one
 * of its finalités that the patient refused in this session. While MES's window is open, its
 * choices wait (`aria-disabled`) and it offers « Rouvrir la fenêtre » and « Annuler ». It keeps its
 * size from one state to the next, and the focus where the patient can follow it.
 */
export class MesConsentPrompt extends LitElement {
  static override styles = [hostStyles, consentPromptStyles];

  private readonly lifecycle = new OperationController(this, {
    client: () => this.client,
    follow: (client) => this.follow(client),
    pairingChanged: () => this.showOutcome(),
    states: (): Record<string, boolean> => ({
      loading: this.view === 'loading',
      pending: this.pairing.status === 'pairing',
      paired: this.pairing.status === 'paired',
      error: this.lifecycle.sessionError !== undefined,
    }),
  });

  @query('dialog') private dialog!: HTMLDialogElement;

  @state() private pairing: PairingState = { status: 'not-paired' };
  /** Where the pairing stood before MES's window opened: what the prompt shows meanwhile. */
  @state() private settled: PairingState = { status: 'not-paired' };
  @state() private chosen = new Set<string>();
  @state() private refusedNow = false;
  /** The patient pressed « Annuler » while MES's window was open: said once, until the next choice. */
  @state() private cancelled = false;
  /** Paired, and the patient chose to change what is granted: the choices are shown again. */
  @state() private editing = false;
  /** « Annuler » was pressed: the end of the pairing is the patient's choice, not an error to show. */
  private cancelling = false;
  /** What the confirmation ends: the pairing, or (« Tout refuser » while paired) the pairing and every finalité. */
  private confirming: 'unpair' | 'refuse-all' = 'unpair';
  /** The button that opened this prompt's pairing: the focus goes back to it when the pairing ends without one. */
  private trigger?: Trigger;
  /** Where the focus goes after this update, because the view changed under it. */
  private focusTarget?: 'title' | 'reopen';
  /** Whether the focus was in the prompt before this update: if the update removed it, it moves on deliberately. */
  private hadFocus = false;
  /** What the last pairing opened here asked for: « Rouvrir la fenêtre » asks it again when the window is gone. */
  private asked: string[] = [];
  /** The strings in the element's language, with the host's own, for this update. */
  private t!: ConsentPromptStrings;

  /** What the service asks for, described as MES describes it (e.g. `describeFinalities([...])` from core). */
  /** Light, dark, or the system's (`auto`); unset, the page's `color-scheme`. */
  @property({ reflect: true }) theme?: Theme;
  @property({ attribute: false }) finalities: FinalityDescription[] = [];

  /** A client to use instead of the one `<mes-provider>` gives. */
  @property({ attribute: false }) client?: MesClient;

  /** The service's terms of use. */
  @property({ attribute: 'cgu-url' }) cguUrl = '';

  /** The version of this text, recorded in every consent receipt. */
  @property({ attribute: 'text-version' }) textVersion = '1';

  /** Where the patient manages the pairing in MES. */
  @property({ attribute: 'mes-settings-url' }) mesSettingsUrl = MES_SETTINGS;

  /** Strings to use instead of the built-in ones (any subset, down to one error text). */
  @property({ attribute: false }) strings: StringOverrides<ConsentPromptStrings> = {};

  private get serviceName(): string {
    return this.lifecycle.session?.service.name ?? '';
  }

  private get codes(): string[] {
    return this.finalities.map((f) => f.codeFinalite);
  }

  /** MES's window is open, whoever opened it: the prompt's choices wait for it. */
  private get windowOpen(): boolean {
    return this.pairing.status === 'pairing';
  }

  private get view(): View {
    const { session, sessionError } = this.lifecycle;
    if (!session) return sessionError ? 'unavailable' : 'loading';
    if (this.editing) return 'choice';
    if (this.settled.status === 'paired') return 'paired';
    return this.settled.status === 'reapproval-required' ? 'reapproval' : 'choice';
  }

  override willUpdate(): void {
    this.t = translate(this, STRINGS, this.strings);
    this.hadFocus = !!this.shadowRoot?.activeElement;
  }

  override updated(): void {
    const root = this.shadowRoot!;
    const title = root.querySelector<HTMLElement>('[part~="title"]');
    let target =
      this.focusTarget === 'reopen'
        ? root.querySelector<HTMLElement>('[data-action="reopen"]')
        : this.focusTarget === 'title'
          ? title
          : null;
    // « Rouvrir la fenêtre » appears once the client says the window is open: wait for it while pairing.
    if (target || !this.lifecycle.pending) this.focusTarget = undefined;
    // The focused control gave way to the new state: the focus goes to the button that started what
    // ended, else to the heading, and never drops to the page.
    if (!target && this.hadFocus && !root.activeElement) {
      target = (this.trigger && root.querySelector<HTMLElement>(`[data-action="${this.trigger}"]`)) || title;
    }
    target?.focus();
  }

  /** An element on this client needs a finalité the patient refused here: offer the choice again. */
  private readonly handleConsentRequest = (event: Event) => {
    const { finalities } = event as MesConsentRequestEvent;
    if (!finalities.some((code) => this.codes.includes(code))) return;
    event.preventDefault();
    // The choices come back as they are: nothing is ticked for the patient.
    if (this.pairing.status === 'paired') this.startEditing();
    this.refusedNow = false;
    this.focusTarget = 'title';
    this.requestUpdate();
    this.scrollIntoView({ block: 'nearest' });
  };

  private readonly handleToggle = (event: Event) => {
    const input = event.target as HTMLInputElement;
    const next = new Set(this.chosen);
    if (input.checked) next.add(input.value);
    else next.delete(input.value);
    this.chosen = next;
    this.cancelled = false;
  };

  /** While MES's window is open, a switch stays as it is (it keeps the focus, `aria-disabled`). */
  private readonly handleSwitchClick = (event: Event) => {
    if (this.windowOpen) event.preventDefault();
  };

  /** A switch toggles with Enter too, as the patient expects of a control that looks like a button. */
  private readonly handleSwitchKey = (event: KeyboardEvent) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    (event.target as HTMLInputElement).click();
  };

  /** Every switch on first: the prompt shows what the patient accepted while MES asks to confirm it. */
  private readonly handleAcceptAll = () => {
    this.chosen = new Set(this.codes);
    void this.pairWith(this.codes, 'accept-all');
  };

  private readonly handleContinue = () => {
    if (this.chosen.size > 0)
      void this.pairWith(
        this.codes.filter((code) => this.chosen.has(code)),
        'continue',
      );
  };

  private readonly handleRefuseAll = () => {
    // Refusing everything while paired ends the pairing, as in MES: the patient confirms it first.
    if (this.isPaired()) this.confirm('refuse-all');
    else void this.refuseAll();
  };

  private readonly handleApproveAgain = () => {
    const state = this.settled;
    if (state.status === 'reapproval-required')
      void this.pairWith([...state.finalities, ...state.refused], 'approve-again');
  };

  private readonly handleModify = () => this.startEditing();

  private readonly handleUnpair = () => this.confirm('unpair');

  private readonly handleKeep = () => this.dialog.close();

  private readonly handleConfirm = () => this.dialog.close('confirm');

  /** The dialog closed: « Désynchroniser » goes ahead; Escape or « Annuler » leave everything as it was. */
  private readonly handleDialogClose = () => {
    if (this.dialog.returnValue !== 'confirm') return;
    if (this.confirming === 'refuse-all') void this.refuseAll();
    else void this.lifecycle.revoke();
  };

  /** MES's window is open: bring it forward; gone (blocked, or closed meanwhile): open it again. */
  private readonly handleReopen = () => {
    const client = this.lifecycle.client;
    if (client?.pairing) client.transport.focusPairing?.();
    else if (this.asked.length > 0) void this.pairWith(this.asked, this.trigger ?? 'accept-all');
  };

  /** Closes MES's window: the pairing ends without a word from MES, and nothing changes. */
  private readonly handleCancel = () => {
    this.cancelling = true;
    this.lifecycle.abort();
  };

  private readonly handleRetry = () => this.lifecycle.reloadSession();

  /** Tracks the client's pairing state and consent requests. */
  private follow(client: MesClient): () => void {
    const onStateChange = (event: Event) => this.observe((event as MesStateChangeEvent).state);
    client.addEventListener('mes-state-change', onStateChange);
    client.addEventListener('mes-consent-request', this.handleConsentRequest);
    this.observe(client.state);
    return () => {
      client.removeEventListener('mes-state-change', onStateChange);
      client.removeEventListener('mes-consent-request', this.handleConsentRequest);
    };
  }

  private observe(state: PairingState) {
    this.pairing = state;
    if (state.status !== 'pairing') this.settled = state;
  }

  private isPaired(): boolean {
    return this.settled.status === 'paired' || this.settled.status === 'reapproval-required';
  }

  /**
   * Pairs with MES for these finalités; the receipt counts every finalité shown and not granted as
   * refused. While the window is open, the focus waits on « Rouvrir la fenêtre ».
   */
  private async pairWith(finalities: string[], trigger: Trigger) {
    this.refusedNow = false;
    this.cancelled = false;
    this.asked = finalities;
    this.trigger = trigger;
    this.focusTarget = 'reopen';
    const session = await this.lifecycle.pair(finalities, { textVersion: this.textVersion, offered: this.codes });
    if (this.cancelling) {
      this.cancelling = false;
      // The patient's own choice: no error, the choices as they left them, and a word to say so.
      this.lifecycle.reset();
      // Unless MES had already paired (its answer on the way back when « Annuler » came): ask, rather
      // than say nothing was shared. A pairing found shows as one, to end with « Désynchroniser ».
      const now = await this.lifecycle.client?.session({ refresh: true }).catch(() => undefined);
      this.cancelled = !now?.paired;
    }
    if (session) this.trigger = undefined;
  }

  /** Refuses every finalité, ending the pairing first if there is one (the receipt follows it). */
  private async refuseAll() {
    if (this.isPaired() && !(await this.lifecycle.revoke())) return;
    // Shown before the receipt goes out, so that its listeners find the prompt as it says.
    this.chosen = new Set();
    this.cancelled = false;
    this.refusedNow = true;
    this.refusedNow = await this.lifecycle.refuse(this.codes, this.textVersion);
  }

  /** Asks before ending the pairing: it ends every exchange between the service and MES. */
  private confirm(action: 'unpair' | 'refuse-all') {
    this.confirming = action;
    this.dialog.returnValue = '';
    this.dialog.showModal();
  }

  /** Paired or unpaired: the choices give way to where the pairing stands, and the focus to its heading. */
  private showOutcome() {
    this.editing = false;
    this.trigger = undefined;
    this.focusTarget = 'title';
  }

  private startEditing() {
    this.chosen = new Set('finalities' in this.settled ? this.settled.finalities : []);
    this.editing = true;
    this.cancelled = false;
    this.focusTarget = 'title';
    // Changing one's mind is allowed: what was refused may be chosen again.
    this.lifecycle.client?.forgetRefusals(this.codes);
  }

  private libelle(code: string): string {
    return this.finalities.find((f) => f.codeFinalite === code)?.libelle ?? code;
  }

  private heading(view: View): string {
    const { t, settled } = this;
    if (view === 'paired') return t.pairedTitle;
    if (view === 'reapproval' && settled.status === 'reapproval-required')
      return t.reapprovalTitle(settled.refused.length);
    return this.editing ? t.editTitle : t.consentTitle;
  }

  private statusText(view: View): string {
    const { t, settled } = this;
    if (view === 'loading') return t.loading;
    if (this.windowOpen) return t.finishInWindow;
    if (this.lifecycle.status === 'revoking') return t.unpairing;
    if (this.cancelled) return t.cancelled;
    if (this.refusedNow) return t.refused;
    if (settled.status === 'revoked') return t.revoked;
    if (settled.status === 'reapproval-required')
      return t.reapproval(settled.refused.map((code) => this.libelle(code)));
    return '';
  }

  /** What the line under the choices says when nothing else is to be said. */
  private hint(view: View): string {
    const { t } = this;
    if (view === 'choice') return this.chosen.size === 0 ? t.chooseOne : t.confirmInMes;
    return view === 'paired' ? t.manageHint : '';
  }

  private errorText(view: View): string {
    const { t } = this;
    const { error, sessionError } = this.lifecycle;
    if (view === 'unavailable' && sessionError) return `${t.loadFailed} ${localizeError(sessionError, t)}`;
    return error && !this.cancelling ? localizeError(error, t) : '';
  }

  private describe(finality: FinalityDescription) {
    const { t } = this;
    return html`${finality.echangesDeDonnees.map(
        (exchange) =>
          html`<p class="meta">
            ${t.exchange(
              exchange.action === 'Lecture' ? t.read : t.write,
              exchange.perimetre,
              exchange.categories.map((c) => c.titre),
            )}
          </p>`,
      )}
      <p>${finality.description}</p>`;
  }

  private renderChoice(service: string) {
    const { t } = this;
    const waiting = this.windowOpen ? 'true' : 'false';
    return html`<p class="intro">${t.intro(service)}</p>
      <fieldset part="list">
        <legend>${t.chooseLegend}</legend>
        ${this.finalities.map(
          (finality) =>
            html`<div part="item" class="item">
              <input
                part="switch"
                type="checkbox"
                role="switch"
                id="f-${finality.codeFinalite}"
                value=${finality.codeFinalite}
                aria-describedby="d-${finality.codeFinalite}"
                aria-disabled=${waiting}
                .checked=${this.chosen.has(finality.codeFinalite)}
                @click=${this.handleSwitchClick}
                @keydown=${this.handleSwitchKey}
                @change=${this.handleToggle}
              />
              <label part="label" class="name" for="f-${finality.codeFinalite}">${finality.libelle}</label>
              <div id="d-${finality.codeFinalite}" class="details">${this.describe(finality)}</div>
            </div>`,
        )}
      </fieldset>`;
  }

  private renderStanding(granted: readonly string[], toConfirm: readonly string[]) {
    const { t } = this;
    const words: Record<Standing, string> = {
      granted: t.granted,
      'not-granted': t.notGranted,
      'to-confirm': t.toConfirm,
    };
    return html`<p class="intro">${t.intro(this.serviceName)}</p>
      <p class="legend" id="standing">${t.grantedLegend}</p>
      <ul part="list" aria-labelledby="standing">
        ${this.finalities.map((finality) => {
          const code = finality.codeFinalite;
          const standing: Standing = granted.includes(code)
            ? 'granted'
            : toConfirm.includes(code)
              ? 'to-confirm'
              : 'not-granted';
          return html`<li part="item" class="item ${standing}">
            <span part="standing" class="standing">
              <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">${STANDING_ICONS[standing]}</svg>
            </span>
            <span part="label" class="name"><span class="sr-only">${words[standing]}</span>${finality.libelle}</span>
            <div class="details">${this.describe(finality)}</div>
          </li>`;
        })}
      </ul>`;
  }

  private renderBody(view: View) {
    const { settled } = this;
    switch (view) {
      case 'loading':
        return this.renderChoice(NAME_PLACEHOLDER);
      case 'unavailable':
        return nothing;
      case 'choice':
        return this.renderChoice(this.serviceName);
      case 'paired':
        return this.renderStanding('finalities' in settled ? settled.finalities : [], []);
      case 'reapproval':
        return this.renderStanding(
          'finalities' in settled ? settled.finalities : [],
          settled.status === 'reapproval-required' ? settled.refused : [],
        );
    }
  }

  private renderActions(view: View, hint: string) {
    const { t } = this;
    if (view === 'unavailable') {
      return html`<button part="button" class="primary" type="button" data-action="retry" @click=${this.handleRetry}>
        ${t.retry}
      </button>`;
    }
    if (this.windowOpen && view !== 'loading') {
      // Only the prompt that opened the window can close it; one that joined brings it forward.
      const own = this.lifecycle.status === 'pairing';
      return html`<div class="row">
        <button part="button" class="primary" type="button" data-action="reopen" @click=${this.handleReopen}>
          ${t.reopen}
        </button>
        ${
          own
            ? html`<button part="button" type="button" data-action="cancel" @click=${this.handleCancel}>
                ${t.cancel}
              </button>`
            : nothing
        }
      </div>`;
    }
    if (view === 'paired' || view === 'reapproval') {
      return html`<div class="row">
        ${
          view === 'reapproval'
            ? html`<button
                part="button"
                class="primary"
                type="button"
                data-action="approve-again"
                @click=${this.handleApproveAgain}
              >
                ${t.approveAgain}
              </button>`
            : nothing
        }
        <button part="button" type="button" data-action="modify" @click=${this.handleModify}>${t.modify}</button>
        <button part="button" type="button" data-action="unpair" @click=${this.handleUnpair}>${t.unpair}</button>
      </div>`;
    }
    const none = this.chosen.size === 0;
    return html`<div class="row equal">
        <button part="button" type="button" data-action="refuse-all" @click=${this.handleRefuseAll}>
          ${t.refuseAll}
        </button>
        <button part="button" type="button" data-action="accept-all" @click=${this.handleAcceptAll}>
          ${t.acceptAll}
        </button>
      </div>
      <div class="row">
        <button
          part="button"
          class="primary"
          type="button"
          data-action="continue"
          aria-disabled=${none ? 'true' : 'false'}
          aria-describedby=${none && hint ? 'hint' : nothing}
          @click=${this.handleContinue}
        >
          ${t.continue}
        </button>
      </div>`;
  }

  /** The window was blocked: open it again (the patient may have allowed it meanwhile), or pair in this tab. */
  private renderRecovery() {
    const fallback = this.lifecycle.renderFallback(this.t.continueHere);
    if (fallback === nothing) return nothing;
    return html`<div class="row recovery">
      <button part="button" type="button" data-action="reopen" @click=${this.handleReopen}>${this.t.reopen}</button>
      ${fallback}
    </div>`;
  }

  /** A link that opens a new window, and says so to screen readers; none where the address is no web page. */
  private renderLink(address: string, label: string) {
    const href = webLink(address);
    if (!href) return nothing;
    return html`<a part="link" href=${href} target="_blank" rel="noopener noreferrer"
      >${label}<span class="sr-only"> ${this.t.newWindow}</span></a
    >`;
  }

  private renderLinks(view: View) {
    const { t } = this;
    const own =
      view === 'paired' || view === 'reapproval'
        ? this.renderLink(this.mesSettingsUrl, t.manageInMes)
        : view !== 'unavailable' && this.cguUrl
          ? this.renderLink(this.cguUrl, t.cgu)
          : nothing;
    return html`${own} ${this.renderLink(MES_ABOUT, t.whatIsMes)}`;
  }

  private renderDialog() {
    const { t } = this;
    const service = this.serviceName;
    return html`<dialog
      part="dialog"
      aria-labelledby="unpair-title"
      aria-describedby="unpair-text"
      @close=${this.handleDialogClose}
    >
      <h3 id="unpair-title" tabindex="-1" autofocus>${t.unpairTitle(service)}</h3>
      <p id="unpair-text">${t.unpairText(service)}</p>
      <div class="row">
        <button part="button" type="button" @click=${this.handleKeep}>${t.cancel}</button>
        <button part="button" class="danger" type="button" @click=${this.handleConfirm}>${t.unpair}</button>
      </div>
    </dialog>`;
  }

  override render() {
    const view = this.view;
    const loading = view === 'loading';
    const status = this.statusText(view);
    const error = this.errorText(view);
    const hint = status || error ? '' : this.hint(view);
    // The skeleton is the final layout, inert and drawn as bars: the prompt does not move when it loads.
    const skeleton = loading ? 'skeleton' : '';
    // The status line is always there (a live region that appears is not reliably announced), and the
    // line it shares with the hint and the error keeps its height, as do the actions: no layout shift.
    return html`<section part="base" aria-busy=${loading ? 'true' : 'false'}>
      <h2 part="title" tabindex="-1">
        <svg part="mark" class="mark" viewBox="0 0 24 24" aria-hidden="true" focusable="false">${MES_MARK}</svg
        ><span>${this.heading(view)}</span>
      </h2>
      <div class="body ${skeleton}" ?inert=${loading}>${this.renderBody(view)}</div>
      <div class="message">
        <div part="status" role="status" aria-live="polite" class=${loading ? 'sr-only' : ''}>${status}</div>
        ${
          error
            ? html`<p part="error" role="alert">${error}</p>`
            : hint
              ? html`<p id="hint" class="hint">${hint}</p>`
              : nothing
        }
      </div>
      <div class="actions ${skeleton}" ?inert=${loading}>${this.renderActions(view, hint)}</div>
      ${this.renderRecovery()}
      <p class="links ${skeleton}" ?inert=${loading}>${this.renderLinks(view)}</p>
      ${loading || view === 'unavailable' ? nothing : this.renderDialog()}
    </section>`;
  }
}
