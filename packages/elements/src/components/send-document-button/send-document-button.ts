import type { DocumentToSend, MesClient, SendDocumentInput } from '@mes-kit/core';
import { LitElement, html, nothing, svg } from 'lit';
import { property } from 'lit/decorators.js';
import { localizeError, strings, translate, type StringOverrides } from '../../internal/localize.js';
import { OperationController, quarterOf } from '../../internal/operation-controller.js';
import { CHECK_ICON, outcomeMark, steadyLabel, steadyStyles } from '../../internal/steady-states.js';
import { webLink } from '../../internal/web-link.js';
import { actionButtonStyles } from '../../styles/action-button.styles.js';
import { hostStyles, type Theme } from '../../styles/host.styles.js';
import { spinnerStyles } from '../../styles/spinner.styles.js';
import { enSendDocument } from '../../translations/en.js';
import { frSendDocument, type SendDocumentButtonStrings } from '../../translations/fr.js';
import { sendDocumentButtonStyles } from './send-document-button.styles.js';

const UPLOAD_ICON = svg`<path fill="currentColor" d="M11 15h2V8.8l2.6 2.6 1.4-1.4-5-5-5 5 1.4 1.4L11 8.8zM5 19h14v-2H5z"/>`;

const STRINGS = strings(frSendDocument, enSendDocument);

/**
 * @summary « Envoyer vers Mon espace santé »: sends one document to the patient's MES, pairing first if needed.
 * @tag mes-send-document-button
 *
 * @fires mes-send-start - Before anything happens; cancelable.
 * @fires mes-send-progress - `detail: { phase, ratio }` while the document is prepared and uploaded.
 * @fires mes-send-success - `detail: { id, alreadyPresent }` once MES has the document.
 * @fires mes-send-error - `detail: { error }`, a MesError (`code`, `operation`, `field`, `retryable`).
 * @fires mes-pair-start - The pairing with MES starts (`detail: { finalities }`); cancelable.
 * @fires mes-pair-success - `detail: { finalities }`, what the patient granted: the pairing is done.
 * @fires mes-pair-error - `detail: { error }`: the pairing failed, was refused, or its window was blocked.
 * @fires mes-consent-change - `detail: { receipt }` after a pairing this button opened: what the patient granted and refused in MES.
 *
 * @csspart base - The wrapper.
 * @csspart button - The button.
 * @csspart icon - The button's icon.
 * @csspart spinner - The busy indicator, while pairing or sending.
 * @csspart label - The button's text.
 * @csspart progress - The progress bar, while sending.
 * @csspart percent - The percentage beside it (the same value).
 * @csspart status - The announced status line.
 * @csspart error - The error message.
 * @csspart link - « Voir dans Mon espace santé », after success.
 * @csspart fallback - « Continuer la synchronisation dans cet onglet », when the pairing popup is blocked.
 *
 * @cssprop --mes-send-document-button-background-color - Button background (default: --mes-color-primary).
 * @cssprop --mes-send-document-button-background-color-hover - Hovered background (default: --mes-color-primary-hover).
 * @cssprop --mes-send-document-button-background-color-success - Background once sent (default: --mes-color-success).
 * @cssprop --mes-send-document-button-color - Button text (default: --mes-color-on-primary).
 * @cssprop --mes-send-document-button-border-color - Button border (default: --mes-color-primary).
 * @cssprop --mes-send-document-button-radius - Button corner radius (default: --mes-radius-m).
 * @cssprop --mes-send-document-button-progress-color - Progress bar (default: --mes-color-primary).
 * @cssprop --mes-send-document-button-error-color - Error text (default: --mes-color-danger).
 *
 * @cssstate pending - Pairing or sending.
 * @cssstate waiting - MES's window is open for a pairing started elsewhere on the page: the button waits for it.
 * @cssstate success - The document is in MES.
 * @cssstate error - The last attempt failed.
 *
 * When the patient refused sending documents earlier in the session, the button asks a
 * `<mes-consent-prompt>` on the same client to offer itself, rather than opening MES again.
 */
export class MesSendDocumentButton extends LitElement {
  static override styles = [
    hostStyles,
    spinnerStyles,
    actionButtonStyles('send-document-button'),
    steadyStyles,
    sendDocumentButtonStyles,
  ];

  private readonly operation = new OperationController(this, {
    operation: 'send-document',
    detail: ({ id, alreadyPresent }) => ({ id, alreadyPresent }),
    client: () => this.client,
    states: (): Record<string, boolean> => ({ waiting: this.operation.waitingForPairing }),
  });

  /** What the last success sent: sending it again is a no-op; anything else is a new send. */
  private sent?: DocumentToSend | string;
  /** The strings in the element's language, with the host's own, for this update. */
  private t!: SendDocumentButtonStrings;

  /** The document to send from the page: `{ file, title, type, category?, date?, confidentiality?, description?, id?, author? }` (direct mode, or a patient's own file). */
  /** Light, dark, or the system's (`auto`); unset, the page's `color-scheme`. */
  @property({ reflect: true }) theme?: Theme;
  @property({ attribute: false }) document?: DocumentToSend;

  /** A document the portal's back end holds, by its reference (gateway mode): its bytes never reach the page. Used when `document` is not set. */
  @property({ attribute: 'document-ref' }) documentRef?: string;

  /** The document's title, shown to screen readers with the button's name (never sent). Default: `document`'s title. */
  @property({ attribute: 'document-title' }) documentTitle?: string;

  /** A client to use instead of the one `<mes-provider>` gives. */
  @property({ attribute: false }) client?: MesClient;

  /** Where « Voir dans Mon espace santé » leads. */
  @property({ attribute: 'mes-url' }) mesUrl = 'https://www.monespacesante.fr/';

  /** Strings to use instead of the built-in ones (any subset, down to one error text). */
  @property({ attribute: false }) strings: StringOverrides<SendDocumentButtonStrings> = {};

  private get input(): SendDocumentInput | undefined {
    return this.document ?? (this.documentRef ? { ref: this.documentRef } : undefined);
  }

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    // A new document is a new send: back to idle.
    if (changed.has('document') || changed.has('documentRef')) this.operation.reset();
    this.t = translate(this, STRINGS, this.strings);
  }

  /** Sends the document, as a click does. Resolves when done; never rejects (see `mes-send-error`). */
  async send(): Promise<void> {
    const key = this.document ?? this.documentRef;
    if (this.operation.status === 'success' && key === this.sent) return;
    if (await this.operation.run(this.input)) this.sent = key;
  }

  /** Not while MES's window is open for another element's pairing: the patient finishes there first. */
  private readonly handleClick = () => {
    if (!this.operation.waitingForPairing) void this.send();
  };

  private statusText(): string {
    const { t } = this;
    const { progress, error } = this.operation;
    switch (this.operation.status) {
      case 'pairing':
        return t.pairing;
      case 'running':
        // By quarters: a screen reader hears the progress without being flooded by every percent.
        return !progress || progress.phase === 'preparing'
          ? t.preparing
          : t.progress(quarterOf(this.operation.percent));
      case 'success':
        return this.operation.result?.alreadyPresent ? t.alreadySent : t.sent;
      case 'error':
        return error ? localizeError(error, t, this.operation.name) : '';
      case 'idle':
      case 'starting':
      case 'revoking':
        return '';
    }
  }

  private label(): string {
    const { t } = this;
    switch (this.operation.status) {
      case 'pairing':
        return t.pairing;
      case 'running':
        return t.sending;
      case 'success':
        return this.operation.result?.alreadyPresent ? t.alreadyInMes : t.sent;
      case 'error':
        // « Réessayer » only where trying again may help; otherwise the error text says what to do.
        return this.operation.error?.retryable ? t.retry : t.sendDocument;
      case 'idle':
      case 'starting':
      case 'revoking':
        return t.sendDocument;
    }
  }

  override render() {
    const { t } = this;
    const { status, pending, error, percent } = this.operation;
    const waiting = this.operation.waitingForPairing;
    const disabled = pending || waiting || status === 'success';
    const title = this.documentTitle || this.document?.title;
    const described = status === 'error' ? 'error' : waiting ? 'waiting' : undefined;
    return html`<div part="base">
      <button
        part="button"
        type="button"
        aria-disabled=${disabled ? 'true' : 'false'}
        aria-describedby=${described ?? nothing}
        @click=${this.handleClick}
      >
        ${
          pending
            ? html`<span part="spinner" aria-hidden="true"></span>`
            : html`<svg part="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                ${status === 'success' ? CHECK_ICON : UPLOAD_ICON}
              </svg>`
        }
        ${steadyLabel(this.label(), [t.sendDocument, t.pairing, t.sending, t.sent, t.alreadyInMes, t.retry])}${
          title ? html`<span class="sr-only"> — ${title}</span>` : nothing
        }
      </button>
      <div class="feedback">
        <div part="status" role="status" aria-live="polite" class="sr-only">${this.statusText()}</div>
        ${
          status === 'running'
            ? html`<div class="meter">
                <progress part="progress" max="100" .value=${percent} aria-label=${t.progressLabel}></progress>
                <span part="percent" aria-hidden="true">${t.percent(percent)}</span>
              </div>`
            : nothing
        }
        ${waiting && !pending ? html`<p class="waiting" id="waiting">${t.waitingForPairing}</p>` : nothing}
        ${
          status === 'error' && error
            ? html`<p part="error" id="error" aria-hidden="true">
                  ${outcomeMark('failed')}<span>${localizeError(error, t, this.operation.name)}</span>
                </p>
                ${this.operation.renderFallback(t.continueHere)}`
            : nothing
        }
        ${
          status === 'success' && webLink(this.mesUrl)
            ? html`<a part="link" href=${this.mesUrl} target="_blank" rel="noopener noreferrer"
                >${t.viewInMes}<span class="sr-only"> ${t.newWindow}</span></a
              >`
            : nothing
        }
      </div>
    </div>`;
  }
}
