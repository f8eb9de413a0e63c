import { consume } from '@lit/context';
import {
  ERROR_MESSAGES,
  MesError,
  SEND_DOCUMENT_FINALITY,
  normalizeError,
  type Lang,
  type MesClient,
  type SendDocumentInput,
  type SendProgress,
} from '@mes-kit/core';
import { LitElement, html, nothing, svg } from 'lit';
import { property, state } from 'lit/decorators.js';
import { clientContext } from '../../context/client-context.js';
import { mesEvent } from '../../events.js';
import { langOf, translate, type Translation } from '../../internal/localize.js';
import { pairingFallback } from '../../internal/pairing-fallback.js';
import { hostStyles } from '../../styles/host.styles.js';
import { sendDocumentButtonStyles } from './send-document-button.styles.js';

type Status = 'idle' | 'pairing' | 'sending' | 'success' | 'error';

const UPLOAD_ICON = svg`<path fill="currentColor" d="M11 15h2V8.8l2.6 2.6 1.4-1.4-5-5-5 5 1.4 1.4L11 8.8zM5 19h14v-2H5z"/>`;
const CHECK_ICON = svg`<path fill="currentColor" d="m9.5 16.2-4.2-4.2-1.4 1.4 5.6 5.6 10-10-1.4-1.4z"/>`;

/**
 * @summary « Envoyer vers Mon espace santé »: sends one document to the patient's MES, pairing first if needed.
 * @tag mes-send-document-button
 *
 * @fires mes-send-start - Before anything happens; cancelable.
 * @fires mes-send-progress - `detail: { phase, ratio }` while the document is prepared and uploaded.
 * @fires mes-send-success - `detail: { id, alreadyPresent }` once MES has the document.
 * @fires mes-send-error - `detail: { error }`, a MesError with a localized message.
 * @fires mes-pair-start - The pairing with MES starts (`detail: { finalities }`).
 * @fires mes-pair-success - The pairing is done.
 * @fires mes-consent-change - `detail: { receipt }` after a pairing: what the patient granted and refused in MES.
 * @fires mes-pair-error - The pairing failed, was refused, or its window was blocked.
 * @fires mes-consent-required - The patient refused sending in this session: a `<mes-consent-prompt>` offers itself.
 *
 * @csspart base - The wrapper.
 * @csspart button - The button.
 * @csspart icon - The button's icon.
 * @csspart spinner - The busy indicator, while pairing or sending.
 * @csspart label - The button's text.
 * @csspart progress - The progress bar, while sending.
 * @csspart status - The announced status line.
 * @csspart error - The error message.
 * @csspart link - « Voir dans Mon espace santé », after success.
 * @csspart fallback - « Continuer la connexion dans cet onglet », when the pairing popup is blocked.
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
 * @cssstate success - The document is in MES.
 * @cssstate error - The last attempt failed.
 */
export class MesSendDocumentButton extends LitElement {
  static override styles = [hostStyles, sendDocumentButtonStyles];

  private readonly internals = this.attachInternals();
  private controller?: AbortController;
  /** The document of the last success: sending it again is a no-op; a new one is a new send. */
  private sentDocument?: SendDocumentInput;

  @consume({ context: clientContext, subscribe: true })
  @state()
  private contextClient?: MesClient;

  @state() private status: Status = 'idle';
  @state() private progress?: SendProgress;
  @state() private error?: MesError;
  @state() private alreadyPresent = false;
  @state() private blockedFinalities?: string[];

  /** The document to send: `{ file, title, type, date?, confidentiality?, id?, description? }`. */
  @property({ attribute: false }) document?: SendDocumentInput;

  /** A client to use instead of the one `<mes-provider>` gives. */
  @property({ attribute: false }) client?: MesClient;

  /** Where « Voir dans Mon espace santé » leads. */
  @property({ attribute: 'mes-url' }) mesUrl = 'https://www.monespacesante.fr/';

  /** Strings to use instead of the built-in ones (any subset). */
  @property({ attribute: false }) strings: Partial<Translation> = {};

  private get language(): Lang {
    return langOf(this);
  }

  private get t(): Translation {
    return translate(this.language, this.strings);
  }

  private get busy(): boolean {
    return this.status === 'pairing' || this.status === 'sending';
  }

  override firstUpdated(): void {
    // Known before the click, so that a needed pairing popup opens within the click's user activation.
    this.client?.session().catch(() => undefined);
  }

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    // A new document is a new send: back to idle.
    if (changed.has('document') && changed.get('document') !== undefined && !this.busy) {
      this.status = 'idle';
      this.error = undefined;
      this.progress = undefined;
    }
    if (changed.has('contextClient')) this.contextClient?.session().catch(() => undefined);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.controller?.abort();
  }

  override updated(): void {
    const states = this.internals.states;
    states.clear();
    if (this.busy) states.add('pending');
    if (this.status === 'success') states.add('success');
    if (this.status === 'error') states.add('error');
  }

  /** Sends `document`, as a click does. Resolves when done; never rejects (see `mes-send-error`). */
  async send(): Promise<void> {
    if (this.busy || (this.status === 'success' && this.document === this.sentDocument)) return;
    if (!this.dispatchEvent(mesEvent('mes-send-start', null, true))) return;
    const client = this.client ?? this.contextClient;
    const lang = this.language;
    this.controller = new AbortController();
    const { signal } = this.controller;
    this.error = undefined;
    this.blockedFinalities = undefined;
    try {
      if (!client) throw new MesError('MES_CONFIGURATION', { lang });
      await client.checkDocument(this.document);
      const session = await client.session({ signal });
      const granted = session.paired && session.finalities.includes(SEND_DOCUMENT_FINALITY);
      if (!granted && client.hasRefused(SEND_DOCUMENT_FINALITY)) {
        // Refused in this session: no MES window again unasked; a consent prompt on the page offers itself.
        this.dispatchEvent(mesEvent('mes-consent-required', { finalities: [SEND_DOCUMENT_FINALITY] }));
        throw new MesError('MES_CONSENT_REQUIRED', { lang });
      }
      if (!granted || client.state.status === 'reapproval-required') await this.pair(client, signal);
      this.status = 'sending';
      this.progress = { phase: 'preparing', ratio: 0 };
      const result = await client.sendDocument(this.document!, {
        signal,
        onProgress: (progress) => {
          this.progress = progress;
          this.dispatchEvent(mesEvent('mes-send-progress', progress));
        },
      });
      this.alreadyPresent = result.alreadyPresent;
      this.sentDocument = this.document;
      this.status = 'success';
      this.dispatchEvent(mesEvent('mes-send-success', { id: result.id, alreadyPresent: result.alreadyPresent }));
    } catch (caught) {
      this.error = normalizeError(caught, lang);
      this.status = 'error';
      this.dispatchEvent(mesEvent('mes-send-error', { error: this.error }));
    }
  }

  private async pair(client: MesClient, signal: AbortSignal) {
    const finalities = [SEND_DOCUMENT_FINALITY];
    this.status = 'pairing';
    this.dispatchEvent(mesEvent('mes-pair-start', { finalities }));
    try {
      const session = await client.pair(finalities, { signal });
      this.dispatchEvent(mesEvent('mes-pair-success', { finalities: session.finalities }));
      if (client.lastReceipt) this.dispatchEvent(mesEvent('mes-consent-change', { receipt: client.lastReceipt }));
      // Paired, but MES was not allowed to take documents: say so now rather than fail on the upload.
      if (!session.finalities.includes(SEND_DOCUMENT_FINALITY))
        throw new MesError('MES_CONSENT_REQUIRED', { lang: this.language });
    } catch (caught) {
      const error = normalizeError(caught, this.language);
      if (error.code === 'MES_POPUP_BLOCKED') {
        this.blockedFinalities = finalities;
      }
      this.dispatchEvent(mesEvent('mes-pair-error', { error }));
      throw error;
    }
  }

  private readonly handleClick = () => void this.send();

  /** The error in the element's language (the client's may differ); its details only when they match. */
  private errorMessage(error: MesError): string {
    const client = this.client ?? this.contextClient;
    if (error.code === 'MES_CONSENT_REQUIRED' && error.status === undefined) return this.t.consentRefusedSend;
    return client?.lang === this.language ? error.message : ERROR_MESSAGES[this.language][error.code];
  }

  private statusText(): string {
    const { t } = this;
    switch (this.status) {
      case 'pairing':
        return t.pairing;
      case 'sending':
        // By quarters: a screen reader hears the progress without being flooded by every percent.
        return this.progress?.phase === 'preparing'
          ? t.preparing
          : t.progress(Math.floor((this.progress?.ratio ?? 0) * 4) * 25);
      case 'success':
        return this.alreadyPresent ? t.alreadySent : t.sent;
      case 'error':
        return this.error ? this.errorMessage(this.error) : '';
      case 'idle':
        return '';
    }
  }

  /** Said to screen readers, but not shown twice: the button or the error text already shows it. */
  private statusRepeatsLabel(): boolean {
    return this.status === 'pairing' || this.status === 'error' || (this.status === 'success' && !this.alreadyPresent);
  }

  override render() {
    const { t } = this;
    const label = this.busy
      ? this.status === 'pairing'
        ? t.pairing
        : t.sending
      : this.status === 'success'
        ? t.sent
        : this.status === 'error'
          ? t.retry
          : t.sendDocument;
    const disabled = this.busy || this.status === 'success';
    const percent = Math.round((this.progress?.ratio ?? 0) * 100);
    return html`<div part="base">
      <button
        part="button"
        type="button"
        aria-disabled=${disabled ? 'true' : 'false'}
        aria-describedby=${this.status === 'error' ? 'error' : nothing}
        @click=${this.handleClick}
      >
        ${
          this.busy
            ? html`<span part="spinner" aria-hidden="true"></span>`
            : html`<svg part="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                ${this.status === 'success' ? CHECK_ICON : UPLOAD_ICON}
              </svg>`
        }
        <span part="label">${label}</span>${
          this.document?.title ? html`<span class="sr-only"> — ${this.document.title}</span>` : nothing
        }
      </button>
      ${
        this.status === 'sending'
          ? html`<progress part="progress" max="100" .value=${percent} aria-label=${t.progressLabel}></progress>`
          : nothing
      }
      <div part="status" role="status" aria-live="polite" class=${this.statusRepeatsLabel() ? 'sr-only' : ''}>
        ${this.statusText()}
      </div>
      ${
        this.status === 'error' && this.error
          ? html`<p part="error" id="error" aria-hidden="true">${this.errorMessage(this.error)}</p>
              ${
                this.blockedFinalities
                  ? pairingFallback(this.client ?? this.contextClient, this.blockedFinalities, t.continueHere)
                  : nothing
              }`
          : nothing
      }
      ${
        this.status === 'success'
          ? html`<a part="link" href=${this.mesUrl} target="_blank" rel="noopener noreferrer"
              >${t.viewInMes} <span class="sr-only">${t.newWindow}</span></a
            >`
          : nothing
      }
    </div>`;
  }
}
