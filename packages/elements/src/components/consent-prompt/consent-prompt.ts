import {
  type FinalityDescription,
  type MesClient,
  type MesConsentRequestEvent,
  type MesStateChangeEvent,
  type PairingState,
} from '@mes-kit/core';
import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { localizeError, strings, translate, type StringOverrides } from '../../internal/localize.js';
import { OperationController } from '../../internal/operation-controller.js';
import { hostStyles } from '../../styles/host.styles.js';
import { enConsentPrompt } from '../../translations/en.js';
import { frConsentPrompt, type ConsentPromptStrings } from '../../translations/fr.js';
import { consentPromptStyles } from './consent-prompt.styles.js';

const MES_SETTINGS = 'https://www.monespacesante.fr/mon-compte/services-synchronises';

const STRINGS = strings(frConsentPrompt, enConsentPrompt);

/**
 * @summary Explains what the service will exchange with Mon espace santé and why, starts the pairing with the finalités the patient chooses, and shows where the pairing stands.
 * @tag mes-consent-prompt
 *
 * @fires mes-consent-change - `detail: { receipt }`: when, what was granted and refused, and the version of the text shown. No health data.
 * @fires mes-pair-start - The MES pairing starts (`detail: { finalities }`); cancelable.
 * @fires mes-pair-success - `detail: { finalities }`, what the patient granted: MES confirmed the pairing.
 * @fires mes-pair-error - `detail: { error }`: refused, closed, or the window was blocked.
 * @fires mes-revoke-start - « Désynchroniser » was chosen; cancelable.
 * @fires mes-revoke-success - The pairing is ended.
 * @fires mes-revoke-error - `detail: { error }`.
 *
 * @csspart base - The wrapper.
 * @csspart title - The heading.
 * @csspart list - The finalités.
 * @csspart item - One finalité.
 * @csspart switch - A finalité's on/off switch.
 * @csspart label - A finalité's name, beside its switch.
 * @csspart button - Every button.
 * @csspart status - The announced status line.
 * @csspart error - The error message.
 * @csspart link - « Gérer mes autorisations dans Mon espace santé » and the terms of use.
 * @csspart fallback - « Continuer la connexion dans cet onglet », when the pairing popup is blocked.
 *
 * @cssprop --mes-consent-prompt-background-color - Background (default: --mes-color-surface, white).
 * @cssprop --mes-consent-prompt-border-color - Border (default: --mes-color-border).
 * @cssprop --mes-consent-prompt-radius - Corner radius (default: --mes-radius-m).
 * @cssprop --mes-consent-prompt-switch-background-color - A finalité's switch when off (default: a neutral grey).
 * @cssprop --mes-consent-prompt-switch-background-color-checked - A finalité's switch when on (default: --mes-color-primary).
 * @cssprop --mes-consent-prompt-switch-thumb-color - The switch's knob (default: --mes-color-on-primary).
 * @cssprop --mes-consent-prompt-button-background-color - The buttons' background, but the primary one's (default: --mes-color-surface).
 * @cssprop --mes-consent-prompt-button-radius - The buttons' corner radius (default: --mes-radius-m).
 * @cssprop --mes-consent-prompt-notice-background-color - Background of the status notice (default: --mes-color-primary-subtle, a light tint of the primary colour).
 *
 * @cssstate pending - Pairing (this prompt's pairing, or one another element opened on the same client) or unpairing.
 * @cssstate paired - The pairing is in place.
 * @cssstate success - The last pairing or « Désynchroniser » went through.
 * @cssstate error - The last attempt failed, or the session could not be read.
 *
 * It offers itself (scrolls into view, takes the focus) when an element on the same client needs one
 * of its finalités that the patient refused in this session.
 */
export class MesConsentPrompt extends LitElement {
  static override styles = [hostStyles, consentPromptStyles];

  private readonly lifecycle = new OperationController(this, {
    client: () => this.client,
    follow: (client) => this.follow(client),
    pairingChanged: () => this.showOutcome(),
    states: (): Record<string, boolean> => ({
      pending: this.pairing.status === 'pairing',
      paired: this.pairing.status === 'paired',
      error: this.lifecycle.sessionError !== undefined,
    }),
  });

  @state() private pairing: PairingState = { status: 'not-paired' };
  @state() private chosen = new Set<string>();
  @state() private refusedNow = false;
  /** Paired, and the patient chose to change what is granted: the choices are shown again. */
  @state() private editing = false;
  /** The view changed under the patient's focus: move it to the new heading. */
  private focusTitle = false;
  /** The strings in the element's language, with the host's own, for this update. */
  private t!: ConsentPromptStrings;

  /** What the service asks for, described as MES describes it (e.g. `describeFinalities([...])` from core). */
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

  override willUpdate(): void {
    this.t = translate(this, STRINGS, this.strings);
  }

  override updated(): void {
    if (this.focusTitle) {
      this.focusTitle = false;
      this.renderRoot.querySelector<HTMLElement>('[part~="title"]')?.focus();
    }
  }

  /** An element on this client needs a finalité the patient refused here: offer the choice again. */
  private readonly handleConsentRequest = (event: Event) => {
    const { finalities } = event as MesConsentRequestEvent;
    if (!finalities.some((code) => this.codes.includes(code))) return;
    event.preventDefault();
    // The choices come back as they are: nothing is ticked for the patient.
    if (this.pairing.status === 'paired') this.startEditing();
    this.refusedNow = false;
    this.focusTitle = true;
    this.requestUpdate();
    this.scrollIntoView({ block: 'nearest' });
  };

  private readonly handleToggle = (event: Event) => {
    const input = event.target as HTMLInputElement;
    const next = new Set(this.chosen);
    if (input.checked) next.add(input.value);
    else next.delete(input.value);
    this.chosen = next;
  };

  private readonly handleAcceptAll = () => this.pairWith(this.codes);

  private readonly handleContinue = () => this.pairWith(this.codes.filter((code) => this.chosen.has(code)));

  private readonly handleRefuseAll = async () => {
    // Refusing everything while paired withdraws the pairing itself, as in MES; the receipt follows it.
    if ('finalities' in this.pairing && !(await this.lifecycle.revoke())) return;
    // Shown before the receipt goes out, so that its listeners find the prompt as it says.
    this.chosen = new Set();
    this.refusedNow = true;
    this.refusedNow = await this.lifecycle.refuse(this.codes, this.textVersion);
  };

  private readonly handleApproveAgain = () => {
    const state = this.pairing;
    if (state.status === 'reapproval-required') this.pairWith([...state.finalities, ...state.refused]);
  };

  private readonly handleModify = () => this.startEditing();

  private readonly handleUnpair = () => void this.lifecycle.revoke();

  /** Tracks the client's pairing state and consent requests. */
  private follow(client: MesClient): () => void {
    const onStateChange = (event: Event) => {
      this.pairing = (event as MesStateChangeEvent).state;
    };
    client.addEventListener('mes-state-change', onStateChange);
    client.addEventListener('mes-consent-request', this.handleConsentRequest);
    this.pairing = client.state;
    return () => {
      client.removeEventListener('mes-state-change', onStateChange);
      client.removeEventListener('mes-consent-request', this.handleConsentRequest);
    };
  }

  /** Pairs with MES for these finalités; the receipt counts every finalité shown and not granted as refused. */
  private pairWith(finalities: string[]) {
    this.refusedNow = false;
    void this.lifecycle.pair(finalities, { textVersion: this.textVersion, offered: this.codes });
  }

  /** Paired or unpaired: the choices give way to where the pairing stands, and the focus to its heading. */
  private showOutcome() {
    this.editing = false;
    this.focusTitle = true;
  }

  private startEditing() {
    this.chosen = new Set('finalities' in this.pairing ? this.pairing.finalities : []);
    this.editing = true;
    this.focusTitle = true;
    // Changing one's mind is allowed: what was refused may be chosen again.
    this.lifecycle.client?.forgetRefusals(this.codes);
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

  private renderChoice() {
    const { t } = this;
    const service = this.serviceName;
    return html`<h2 part="title" tabindex="-1">${t.consentTitle}</h2>
      <p>${t.consentIntro(service)}</p>
      <fieldset part="list">
        <legend>${t.consentLegend(service)}</legend>
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
                .checked=${this.chosen.has(finality.codeFinalite)}
                @change=${this.handleToggle}
              />
              <label part="label" for="f-${finality.codeFinalite}">${finality.libelle}</label>
              <div id="d-${finality.codeFinalite}" class="details">${this.describe(finality)}</div>
            </div>`,
        )}
      </fieldset>
      ${this.cguUrl ? html`<p><a part="link" href=${this.cguUrl}>${t.cgu}</a></p>` : nothing}
      <div class="actions equal">
        <button part="button" type="button" @click=${this.handleRefuseAll}>${t.refuseAll}</button>
        <button part="button" type="button" @click=${this.handleAcceptAll}>${t.acceptAll}</button>
      </div>
      <div class="actions">
        <button
          part="button"
          class="primary"
          type="button"
          aria-disabled=${this.chosen.size === 0 ? 'true' : 'false'}
          aria-describedby=${this.chosen.size === 0 ? 'choose-one' : nothing}
          @click=${this.chosen.size === 0 ? undefined : this.handleContinue}
        >
          ${t.continue}
        </button>
      </div>
      ${this.chosen.size === 0 ? html`<p id="choose-one" class="meta">${t.chooseOne}</p>` : nothing}`;
  }

  private renderPaired(granted: string[], title: string, primary: TemplateResult | typeof nothing = nothing) {
    const { t } = this;
    const yes = this.finalities.filter((f) => granted.includes(f.codeFinalite));
    const no = this.finalities.filter((f) => !granted.includes(f.codeFinalite));
    return html`<h2 part="title" tabindex="-1">${title}</h2>
      ${
        yes.length > 0
          ? html`<p>${t.grantedIntro(this.serviceName)}</p>
              <ul part="list">
                ${yes.map((f) => html`<li part="item">${f.libelle}</li>`)}
              </ul>`
          : nothing
      }
      ${
        no.length > 0
          ? html`<p>${t.notGranted}</p>
              <ul part="list" class="muted">
                ${no.map((f) => html`<li part="item">${f.libelle}</li>`)}
              </ul>`
          : nothing
      }
      <div class="actions">
        ${primary}
        <button part="button" type="button" @click=${this.handleModify}>${t.modify}</button>
        <button part="button" type="button" @click=${this.handleUnpair}>${t.unpair}</button>
      </div>
      <p><a part="link" href=${this.mesSettingsUrl} target="_blank" rel="noopener noreferrer">${t.manageInMes}</a></p>`;
  }

  private libelle(code: string): string {
    return this.finalities.find((f) => f.codeFinalite === code)?.libelle ?? code;
  }

  private statusText(): string {
    const { t } = this;
    if (this.pairing.status === 'pairing') return t.pairing;
    if (this.lifecycle.status === 'revoking') return t.unpairing;
    if (this.refusedNow) return t.refused;
    if (this.pairing.status === 'revoked') return t.revoked;
    if (this.pairing.status === 'reapproval-required')
      return t.reapproval(this.pairing.refused.map((code) => this.libelle(code)));
    return '';
  }

  override render() {
    const state = this.pairing;
    const body = this.editing
      ? this.renderChoice()
      : state.status === 'paired'
        ? this.renderPaired(state.finalities, this.t.pairedTitle)
        : state.status === 'reapproval-required'
          ? this.renderPaired(
              state.finalities,
              this.t.reapprovalTitle(state.refused.length),
              html`<button part="button" class="primary" type="button" @click=${this.handleApproveAgain}>
                ${this.t.approveAgain}
              </button>`,
            )
          : this.renderChoice();
    // The session could not be read: the service's name is unknown, and the patient is told why.
    const error = this.lifecycle.error ?? this.lifecycle.sessionError;
    // The status line is always there (a live region that appears is not reliably announced).
    return html`<section part="base">
      <div part="status" role="status" aria-live="polite">${this.statusText()}</div>
      ${body} ${error ? html`<p part="error" role="alert">${localizeError(error, this.t)}</p>` : nothing}
      ${this.lifecycle.renderFallback(this.t.continueHere)}
    </section>`;
  }
}
