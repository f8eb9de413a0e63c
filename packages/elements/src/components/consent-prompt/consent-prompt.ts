import { consume } from '@lit/context';
import type { MesStateChangeEvent } from '@mes-kit/core';
import {
  normalizeError,
  type ConsentReceipt,
  type FinalityDescription,
  type Lang,
  type MesClient,
  type MesError,
  type PairingState,
} from '@mes-kit/core';
import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { clientContext } from '../../context/client-context.js';
import { mesEvent } from '../../events.js';
import { langOf, translate, type Translation } from '../../internal/localize.js';
import { pairingFallback } from '../../internal/pairing-fallback.js';
import { hostStyles } from '../../styles/host.styles.js';
import { consentPromptStyles } from './consent-prompt.styles.js';

const MES_SETTINGS = 'https://www.monespacesante.fr/mon-compte/services-synchronises';

/**
 * @summary Explains what the service will exchange with Mon espace santé and why, starts the pairing with the finalités the patient chooses, and shows where the pairing stands.
 * @tag mes-consent-prompt
 *
 * @fires mes-consent-change - `detail: { receipt }`: when, what was granted and refused, and the version of the text shown. No health data.
 * @fires mes-pair-start - The MES pairing starts (`detail: { finalities }`).
 * @fires mes-pair-success - MES confirmed the pairing.
 * @fires mes-pair-error - `detail: { error }`: refused, closed, or the window was blocked.
 * @fires mes-revoke-start - « Désynchroniser » was chosen.
 * @fires mes-revoke-success - The pairing is ended.
 * @fires mes-revoke-error - `detail: { error }`.
 *
 * @csspart base - The wrapper.
 * @csspart title - The heading.
 * @csspart list - The finalités.
 * @csspart item - One finalité.
 * @csspart button - Every button.
 * @csspart status - The announced status line.
 * @csspart error - The error message.
 * @csspart link - « Gérer mes autorisations dans Mon espace santé » and the terms of use.
 * @csspart fallback - « Continuer la connexion dans cet onglet », when the pairing popup is blocked.
 *
 * @cssprop --mes-consent-prompt-background-color - Background (default: --mes-color-surface, white).
 * @cssprop --mes-consent-prompt-border-color - Border (default: --mes-color-border).
 * @cssprop --mes-consent-prompt-radius - Corner radius (default: --mes-radius-m).
 * @cssprop --mes-consent-prompt-notice-background-color - Background of the status notice (default: a light tint of the primary colour).
 *
 * @cssstate pending - Pairing or unpairing.
 * @cssstate paired - The pairing is in place.
 * @cssstate error - The last attempt failed.
 */
export class MesConsentPrompt extends LitElement {
  static override styles = [hostStyles, consentPromptStyles];

  private readonly internals = this.attachInternals();
  private unsubscribe?: () => void;

  @consume({ context: clientContext, subscribe: true })
  @state()
  private contextClient?: MesClient;

  @state() private pairing: PairingState = { status: 'not-paired' };
  @state() private chosen = new Set<string>();
  @state() private refusedNow = false;
  /** Paired, and the patient chose to change what is granted: the choices are shown again. */
  @state() private editing = false;
  @state() private busy = false;
  /** The view changed under the patient's focus: move it to the new heading. */
  private focusTitle = false;
  @state() private error?: MesError;
  /** The finalités whose pairing popup was blocked: offered in the tab instead. */
  @state() private blockedFinalities?: string[];
  @state() private serviceName = '';
  @state() private serviceOid = '';

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

  /** Strings to use instead of the built-in ones (any subset). */
  @property({ attribute: false }) strings: Partial<Translation> = {};

  private get activeClient(): MesClient | undefined {
    return this.client ?? this.contextClient;
  }

  private get language(): Lang {
    return langOf(this);
  }

  private get t(): Translation {
    return translate(this.language, this.strings);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // A button that lacks a finalité asks for it: come into view instead of it failing late.
    document.addEventListener('mes-consent-required', this.handleConsentRequired);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('mes-consent-required', this.handleConsentRequired);
    this.unsubscribe?.();
  }

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('client') || changed.has('contextClient')) this.follow(this.activeClient);
  }

  override updated(): void {
    if (this.focusTitle) {
      this.focusTitle = false;
      this.renderRoot.querySelector<HTMLElement>('[part~="title"]')?.focus();
    }
    const states = this.internals.states;
    states.clear();
    if (this.busy || this.pairing.status === 'pairing') states.add('pending');
    if (this.pairing.status === 'paired') states.add('paired');
    if (this.error) states.add('error');
  }

  /** Tracks the client's pairing state, and loads the session once. */
  private follow(client: MesClient | undefined) {
    this.unsubscribe?.();
    if (!client) return;
    const onChange = (event: Event) => {
      this.pairing = (event as MesStateChangeEvent).state;
    };
    client.addEventListener('mes-state-change', onChange);
    this.unsubscribe = () => client.removeEventListener('mes-state-change', onChange);
    this.pairing = client.state;
    client
      .session()
      .then((session) => {
        this.serviceName = session.service.name;
        this.serviceOid = session.service.oid;
      })
      .catch((error: unknown) => (this.error = normalizeError(error, this.language)));
  }

  /** « Tout refuser »: nothing is asked of MES; the refusal is recorded for the session. */
  private refusalReceipt(): ConsentReceipt {
    return {
      at: new Date().toISOString(),
      service: this.serviceOid,
      granted: [],
      refused: this.finalities.map((f) => f.codeFinalite),
      textVersion: this.textVersion,
    };
  }

  private record(receipt: ConsentReceipt) {
    this.activeClient?.recordConsent(receipt);
    this.dispatchEvent(mesEvent('mes-consent-change', { receipt }));
  }

  /** Pairs with MES for these finalités; the receipt records what MES confirmed. */
  private async pairWith(finalities: string[]) {
    const client = this.activeClient;
    if (!client || finalities.length === 0) return;
    this.error = undefined;
    this.refusedNow = false;
    this.busy = true;
    this.dispatchEvent(mesEvent('mes-pair-start', { finalities }));
    try {
      const session = await client.pair(finalities, { textVersion: this.textVersion });
      this.editing = false;
      this.focusTitle = true;
      this.dispatchEvent(mesEvent('mes-pair-success', { finalities: session.finalities }));
      // What the patient saw here and did not grant (here or in MES) counts as refused.
      const receipt: ConsentReceipt = {
        ...this.refusalReceipt(),
        granted: session.finalities,
        refused: this.finalities.map((f) => f.codeFinalite).filter((code) => !session.finalities.includes(code)),
      };
      this.record(receipt);
    } catch (caught) {
      this.error = normalizeError(caught, this.language);
      this.blockedFinalities = this.error.code === 'MES_POPUP_BLOCKED' ? finalities : undefined;
      this.dispatchEvent(mesEvent('mes-pair-error', { error: this.error }));
    } finally {
      this.busy = false;
    }
  }

  private readonly handleConsentRequired = (event: Event) => {
    const wanted = (event as CustomEvent<{ finalities: string[] }>).detail.finalities;
    if (!wanted.some((code) => this.finalities.some((f) => f.codeFinalite === code))) return;
    // The choices come back as they are: nothing is ticked for the patient.
    if (this.pairing.status === 'paired') this.startEditing();
    this.refusedNow = false;
    this.scrollIntoView({ block: 'nearest' });
    this.renderRoot.querySelector<HTMLElement>('[part~="title"]')?.focus();
  };

  private readonly handleToggle = (event: Event) => {
    const input = event.target as HTMLInputElement;
    const next = new Set(this.chosen);
    if (input.checked) next.add(input.value);
    else next.delete(input.value);
    this.chosen = next;
  };

  private readonly handleAcceptAll = () => void this.pairWith(this.finalities.map((f) => f.codeFinalite));

  private readonly handleContinue = () =>
    void this.pairWith(this.finalities.map((f) => f.codeFinalite).filter((code) => this.chosen.has(code)));

  private readonly handleRefuseAll = async () => {
    // Refusing everything while paired withdraws the pairing itself, as in MES; the receipt follows it.
    if ('finalities' in this.pairing && !(await this.unpair())) return;
    this.chosen = new Set();
    this.refusedNow = true;
    this.error = undefined;
    this.record(this.refusalReceipt());
  };

  private readonly handleApproveAgain = () => {
    const state = this.pairing;
    if (state.status === 'reapproval-required') void this.pairWith([...state.finalities, state.refused]);
  };

  private startEditing() {
    this.chosen = new Set('finalities' in this.pairing ? this.pairing.finalities : []);
    this.editing = true;
    this.focusTitle = true;
    // Changing one's mind is allowed: what was refused may be chosen again.
    this.activeClient?.forgetRefusals(this.finalities.map((f) => f.codeFinalite));
  }

  private readonly handleModify = () => this.startEditing();

  private readonly handleUnpair = () => void this.unpair();

  /** « Désynchroniser »: the pairing ends in MES too. Resolves whether it did. */
  private async unpair(): Promise<boolean> {
    const client = this.activeClient;
    if (!client) return false;
    this.busy = true;
    this.error = undefined;
    this.dispatchEvent(mesEvent('mes-revoke-start', null));
    try {
      await client.revoke();
      this.editing = false;
      this.focusTitle = true;
      this.dispatchEvent(mesEvent('mes-revoke-success', null));
      return true;
    } catch (caught) {
      this.error = normalizeError(caught, this.language);
      this.dispatchEvent(mesEvent('mes-revoke-error', { error: this.error }));
      return false;
    } finally {
      this.busy = false;
    }
  }

  private describe(finality: FinalityDescription) {
    const { t } = this;
    return html`${finality.echangesDeDonnees.map(
        (exchange) =>
          html`<p class="meta">
            ${exchange.action === 'Lecture' ? t.read : t.write} · ${exchange.perimetre} :
            ${exchange.categories.map((c) => c.titre).join(', ')}
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
                type="checkbox"
                role="switch"
                id="f-${finality.codeFinalite}"
                value=${finality.codeFinalite}
                aria-describedby="d-${finality.codeFinalite}"
                .checked=${this.chosen.has(finality.codeFinalite)}
                @change=${this.handleToggle}
              />
              <label for="f-${finality.codeFinalite}">${finality.libelle}</label>
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

  private libelle(code: string): string {
    return this.finalities.find((f) => f.codeFinalite === code)?.libelle ?? code;
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

  private statusText(): string {
    const { t } = this;
    if (this.pairing.status === 'pairing') return t.pairing;
    if (this.busy) return t.unpairing;
    if (this.refusedNow) return t.refused;
    if (this.pairing.status === 'revoked') return t.revoked;
    if (this.pairing.status === 'reapproval-required') return t.reapproval(this.libelle(this.pairing.refused));
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
              this.t.reapprovalTitle,
              html`<button part="button" class="primary" type="button" @click=${this.handleApproveAgain}>
                ${this.t.approveAgain}
              </button>`,
            )
          : this.renderChoice();
    // The status line is always there (a live region that appears is not reliably announced).
    return html`<section part="base">
      <div part="status" role="status" aria-live="polite">${this.statusText()}</div>
      ${body} ${this.error ? html`<p part="error" role="alert">${this.error.message}</p>` : nothing}
      ${
        this.error && this.blockedFinalities
          ? pairingFallback(this.activeClient, this.blockedFinalities, this.t.continueHere)
          : nothing
      }
    </section>`;
  }
}
