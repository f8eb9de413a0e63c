import { MesError, type FoundDocument, type ImportedDocument, type MesClient } from '@mes-kit/core';
import { LitElement, html, nothing, svg } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { MesImportErrorDetail, MesSelectionChangeDetail } from '../../events.js';
import { langOf, localizeError, strings, translate, type StringOverrides } from '../../internal/localize.js';
import { OperationController, PAIRING_ERRORS } from '../../internal/operation-controller.js';
import { CHECK_ICON, outcomeMark, steadyLabel, steadyStyles, steadyText } from '../../internal/steady-states.js';
import { actionButtonStyles } from '../../styles/action-button.styles.js';
import { hostStyles, type Theme } from '../../styles/host.styles.js';
import { spinnerStyles } from '../../styles/spinner.styles.js';
import type { MesDocumentPicker } from '../document-picker/document-picker.js';
import { enImportDocument } from '../../translations/en.js';
import { frImportDocument, type ImportDocumentButtonStrings } from '../../translations/fr.js';
import { importDocumentButtonStyles } from './import-document-button.styles.js';

const DOWNLOAD_ICON = svg`<path fill="currentColor" d="M11 4h2v6.2l2.6-2.6 1.4 1.4-5 5-5-5 1.4-1.4 2.6 2.6zM5 19h14v-2H5z"/>`;

const STRINGS = strings(frImportDocument, enImportDocument);

/** One document of the import the patient chose, and how far it got. */
interface ImportItem {
  document: FoundDocument;
  state: 'waiting' | 'importing' | 'done' | 'failed';
  ratio: number;
  imported?: ImportedDocument;
}

/**
 * @summary « Importer depuis Mon espace santé »: the patient chooses documents in MES (in a `<mes-document-picker>` shown in a dialog) and they are imported one by one, pairing first if needed.
 * @tag mes-import-document-button
 *
 * @fires mes-import-start - `detail: { documents }`, the documents chosen (for a retry, those that remain); cancelable: nothing is imported.
 * @fires mes-import-progress - `detail: { id, index, count, phase, ratio }` for the document being imported: its id and place, no title.
 * @fires mes-import-success - `detail: { documents }`: every document of the import, in the order chosen, as `{ document, received?, file? }` (`file` where the bytes reached the page, `received` the portal's answer).
 * @fires mes-import-error - `detail: { error, id?, index?, count? }`: a MesError, and the document that failed (none when the pairing failed). Those imported before it stay in `imported`.
 * @fires mes-pair-start - The pairing with MES starts (`detail: { finalities }`); cancelable.
 * @fires mes-pair-success - `detail: { finalities }`, what the patient granted: the pairing is done.
 * @fires mes-pair-error - `detail: { error }`: the pairing failed, was refused, or its window was blocked.
 * @fires mes-consent-change - `detail: { receipt }` after a pairing this button opened: what the patient granted and refused in MES.
 *
 * @csspart base - The wrapper.
 * @csspart button - The « Importer depuis Mon espace santé » button.
 * @csspart icon - The button's icon.
 * @csspart spinner - The busy indicator, while pairing or importing.
 * @csspart label - The button's text.
 * @csspart status - The announced status line.
 * @csspart list - The documents of the import, while and after it runs.
 * @csspart item - One of them.
 * @csspart item-title - A document's title.
 * @csspart item-status - Where a document stands: waiting, importing, imported, not imported.
 * @csspart progress - A document's progress bar, while it is imported.
 * @csspart stop - « Arrêter l’import », while it runs: what is imported stays, the rest is not imported.
 * @csspart error - The error message.
 * @csspart fallback - « Continuer la synchronisation dans cet onglet », when the pairing popup is blocked.
 * @csspart dialog - The dialog the picker is shown in.
 * @csspart title - The dialog's heading.
 * @csspart picker - The `<mes-document-picker>`.
 * @csspart actions - The dialog's buttons.
 * @csspart confirm - « Importer », in the dialog.
 * @csspart cancel - « Annuler », in the dialog.
 *
 * @cssprop --mes-import-document-button-background-color - Button background (default: --mes-color-primary).
 * @cssprop --mes-import-document-button-background-color-hover - Hovered background (default: --mes-color-primary-hover).
 * @cssprop --mes-import-document-button-color - Button text (default: --mes-color-on-primary).
 * @cssprop --mes-import-document-button-border-color - Button border (default: --mes-color-primary).
 * @cssprop --mes-import-document-button-radius - Corner radius of the buttons and the dialog (default: --mes-radius-m).
 * @cssprop --mes-import-document-button-progress-color - Progress bars (default: --mes-color-primary).
 * @cssprop --mes-import-document-button-success-color - An imported document's mark (default: --mes-color-success).
 * @cssprop --mes-import-document-button-error-color - Error text (default: --mes-color-danger).
 * @cssprop --mes-import-document-button-dialog-background-color - The dialog's background (default: --mes-color-surface).
 * @cssprop --mes-import-document-button-dialog-width - The dialog's width (default: 48rem, within the window).
 * @cssprop --mes-import-document-button-backdrop-color - What covers the page behind the dialog (default: --mes-color-backdrop).
 *
 * @cssstate idle - Nothing runs, and nothing has been imported yet.
 * @cssstate open - The dialog is shown.
 * @cssstate pending - Pairing or importing.
 * @cssstate success - Every document chosen is imported.
 * @cssstate error - The last attempt failed.
 */
export class MesImportDocumentButton extends LitElement {
  static override styles = [
    hostStyles,
    spinnerStyles,
    actionButtonStyles('import-document-button'),
    steadyStyles,
    importDocumentButtonStyles,
  ];

  private readonly operation = new OperationController(this, {
    operation: 'retrieve-document',
    client: () => this.client,
    states: (): Record<string, boolean> => ({
      idle: this.operation.status === 'idle' && this.items.length === 0,
      open: this.dialogOpen,
      waiting: this.operation.waitingForPairing,
    }),
  });

  @query('[part~="button"]') private button!: HTMLButtonElement;
  @query('dialog') private dialog!: HTMLDialogElement;

  /** The documents of the current import, in the order chosen. */
  @state() private items: ImportItem[] = [];
  @state() private dialogOpen = false;
  /** What is selected in the picker. */
  @state() private chosen: FoundDocument[] = [];
  /** The strings in the element's language, with the host's own, for this update. */
  private t!: ImportDocumentButtonStrings;

  /** Lets the patient choose several documents at once. */
  /** Light, dark, or the system's (`auto`); unset, the page's `color-scheme`. */
  @property({ reflect: true }) theme?: Theme;
  @property({ type: Boolean }) multiple = false;

  /** At most this many documents in one import: Ctrl+A in a long list is not a choice to send them all. */
  @property({ type: Number }) max = 20;

  /** Where the bytes go in gateway mode: the portal's back end (`host`), or this page as well (`page`, where the portal allows it). Run in the page, they are the page's anyway. */
  @property() deliver: 'host' | 'page' = 'host';

  /** The MES category the picker shows first (e.g. `ORD_SOIN`, `BIOLOGIE`). */
  @property() category?: string;

  /** A client to use instead of the one `<mes-provider>` gives. */
  @property({ attribute: false }) client?: MesClient;

  /** Strings to use instead of the built-in ones (any subset, down to one error text). */
  @property({ attribute: false }) strings: StringOverrides<ImportDocumentButtonStrings> = {};

  /** The documents of the last import that came in, failed or not: `{ document, received?, file? }` each. */
  get imported(): ImportedDocument[] {
    return this.items.flatMap((item) => (item.imported ? [item.imported] : []));
  }

  /** Retrying takes up where the import stopped: only when trying again may help. */
  private get canRetry(): boolean {
    const { status, error } = this.operation;
    return status === 'error' && !!error?.retryable && this.items.some((item) => !item.imported);
  }

  override willUpdate(): void {
    this.t = translate(this, STRINGS, this.strings);
  }

  /** Opens the picker, pairing with MES first if the patient has not granted reading documents. */
  async showPicker(): Promise<void> {
    if (this.operation.pending || this.dialogOpen) return;
    if (!(await this.operation.authorize())) return;
    this.items = [];
    this.chosen = [];
    this.dialogOpen = true;
    await this.updateComplete;
    // The picker's first render first, so that the dialog can move the focus into it.
    await this.renderRoot.querySelector<MesDocumentPicker>('mes-document-picker')?.updateComplete;
    this.dialog.showModal();
  }

  /** Imports these documents (as choosing them in the picker does). Resolves when done; never rejects (see `mes-import-error`). */
  async importDocuments(documents: readonly FoundDocument[]): Promise<void> {
    if (this.operation.pending || documents.length === 0) return;
    await this.importEach(documents.map((document) => ({ document, state: 'waiting', ratio: 0 })));
  }

  /** After a failure that may pass: imports the documents not imported yet, never those that were. */
  async retry(): Promise<void> {
    if (this.canRetry) await this.importEach(this.items);
  }

  private readonly handleClick = () => {
    if (this.operation.pending || this.operation.waitingForPairing) return;
    void (this.canRetry ? this.retry() : this.showPicker());
  };

  private readonly handleSelectionChange = (event: Event) => {
    this.chosen = [...(event as CustomEvent<MesSelectionChangeDetail>).detail.documents];
  };

  private readonly handleCancel = () => this.closeDialog();

  /** « Arrêter l’import »: the document under way is dropped, those already imported stay. */
  private readonly handleStop = () => this.operation.abort();

  private readonly handleConfirm = () => {
    const documents = this.chosen;
    if (documents.length === 0 || documents.length > this.max) return;
    this.closeDialog();
    void this.importDocuments(documents);
  };

  /** Escape closes the dialog natively. */
  private readonly handleClose = () => {
    if (this.dialogOpen) this.closeDialog();
  };

  /** The picker goes, and the focus is back on the button, whatever had it in the dialog. */
  private closeDialog() {
    this.dialog.close();
    this.dialogOpen = false;
    this.button.focus();
  }

  /** Imports the items not imported yet, in order, stopping at the first failure. */
  private async importEach(items: ImportItem[]): Promise<void> {
    const remaining = items.filter((item) => !item.imported);
    const count = items.length;
    let current: ImportItem | undefined;
    await this.operation.perform({
      start: { documents: remaining.map((item) => item.document) },
      work: async (step) => {
        this.items = items;
        for (const item of remaining) {
          item.state = 'waiting';
          item.ratio = 0;
        }
        for (const item of remaining) {
          current = item;
          const index = items.indexOf(item);
          item.state = 'importing';
          this.requestUpdate();
          try {
            const result = await step(
              { id: item.document.id, ...(this.deliver === 'page' && { deliver: 'page' as const }) },
              (progress) => {
                item.ratio = progress.ratio;
                return { id: item.document.id, index, count, ...progress };
              },
            );
            item.imported = importedOf(result);
            item.state = 'done';
          } catch (error) {
            // The pairing, or the patient stopping: nothing wrong with this document, it waits with the others.
            if (
              error instanceof MesError &&
              (error.operation === 'pair' || PAIRING_ERRORS.has(error.code) || error.code === 'MES_ABORTED')
            ) {
              item.state = 'waiting';
              current = undefined;
            } else {
              item.state = 'failed';
            }
            throw error;
          }
        }
        current = undefined;
        return items.map((item) => item.imported!);
      },
      success: (documents) => ({ documents }),
      failure: (error): MesImportErrorDetail =>
        current ? { error, id: current.document.id, index: items.indexOf(current), count } : { error },
    });
  }

  private statusText(): string {
    const { t, items } = this;
    switch (this.operation.status) {
      case 'pairing':
        return t.pairing;
      case 'running': {
        const index = items.findIndex((item) => item.state === 'importing');
        return index < 0 ? t.importing : t.importingOne(items[index].document.title, index + 1, items.length);
      }
      case 'success':
        return t.imported(items.length);
      case 'error':
        return this.errorText();
      case 'idle':
      case 'starting':
      case 'revoking':
        return '';
    }
  }

  /** Which document failed, why, and what did come in before it. */
  private errorText(): string {
    const { t, items } = this;
    const { error } = this.operation;
    if (!error) return '';
    const failed = items.find((item) => item.state === 'failed');
    const done = this.imported.length;
    return [
      failed ? t.failedOne(failed.document.title) : '',
      localizeError(error, t, this.operation.name),
      done > 0 && done < items.length ? t.partlyImported(done, items.length) : '',
    ]
      .filter(Boolean)
      .join(' ');
  }

  private label(): string {
    const { t } = this;
    switch (this.operation.status) {
      case 'pairing':
        return t.pairing;
      case 'running':
        return t.importing;
      case 'error':
        return this.canRetry ? t.retry(this.items.filter((item) => !item.imported).length) : t.importDocuments;
      case 'success':
      case 'idle':
      case 'starting':
      case 'revoking':
        return t.importDocuments;
    }
  }

  /** Where a document stands (shown among every word it may become: its column keeps its width). */
  private itemStatus(item: ImportItem): string {
    const { t } = this;
    switch (item.state) {
      case 'waiting':
        return t.waiting;
      case 'importing':
        return t.inProgress;
      case 'done':
        return t.done;
      case 'failed':
        return t.notImported;
    }
  }

  private renderItems() {
    const { t } = this;
    return html`<ul part="list" aria-label=${t.listLabel}>
      ${this.items.map(
        (item) =>
          html`<li part="item" class=${item.state}>
            ${
              item.state === 'done'
                ? html`<svg class="mark" viewBox="0 0 24 24" aria-hidden="true" focusable="false">${CHECK_ICON}</svg>`
                : nothing
            }
            <span part="item-title">${item.document.title}</span>
            <span part="item-status"
              >${steadyText(this.itemStatus(item), [t.waiting, t.inProgress, t.done, t.notImported])}</span
            >
            ${
              item.state === 'importing' || (item.state === 'waiting' && this.operation.pending)
                ? html`<progress
                    part="progress"
                    max="100"
                    .value=${Math.round(item.ratio * 100)}
                    aria-label=${t.progressLabel(item.document.title)}
                  ></progress>`
                : nothing
            }
          </li>`,
      )}
    </ul>`;
  }

  private renderDialogContent() {
    const { t } = this;
    const count = this.chosen.length;
    const tooMany = count > this.max;
    const hint = count === 0 ? t.chooseFirst : tooMany ? t.tooMany(this.max) : undefined;
    return html`<mes-document-picker
        part="picker"
        lang=${langOf(this)}
        ?multiple=${this.multiple}
        category=${this.category ?? nothing}
        .client=${this.operation.client}
        @mes-selection-change=${this.handleSelectionChange}
      ></mes-document-picker>
      <div part="actions">
        <button part="cancel" type="button" @click=${this.handleCancel}>${t.cancel}</button>
        <button
          part="confirm"
          type="button"
          aria-disabled=${hint ? 'true' : 'false'}
          aria-describedby=${hint ? 'confirm-hint' : nothing}
          @click=${this.handleConfirm}
        >
          ${t.confirm(count)}
        </button>
      </div>
      <p id="confirm-hint" class=${tooMany ? 'hint too-many' : 'hint'}>${hint}</p>`;
  }

  override render() {
    const { t } = this;
    const { status, pending, error } = this.operation;
    const waiting = this.operation.waitingForPairing && !pending;
    const remaining = this.items.filter((item) => !item.imported).length;
    return html`<div part="base">
      <button
        part="button"
        type="button"
        aria-haspopup=${this.canRetry ? nothing : 'dialog'}
        aria-disabled=${pending || waiting ? 'true' : 'false'}
        aria-describedby=${status === 'error' ? 'error' : waiting ? 'waiting' : nothing}
        @click=${this.handleClick}
      >
        ${
          pending
            ? html`<span part="spinner" aria-hidden="true"></span>`
            : html`<svg part="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">${DOWNLOAD_ICON}</svg>`
        }
        ${steadyLabel(this.label(), [t.importDocuments, t.pairing, t.importing, t.retry(Math.max(1, remaining))])}
      </button>
      <div class="feedback">
        <div
          part="status"
          role="status"
          aria-live="polite"
          class=${status === 'error' || status === 'running' ? 'sr-only' : ''}
        >
          ${status === 'success' ? outcomeMark('done') : nothing}${this.statusText()}
        </div>
        ${status === 'running' ? html`<button part="stop" type="button" @click=${this.handleStop}>${t.stop}</button>` : nothing}
        ${waiting ? html`<p class="waiting" id="waiting">${t.waitingForPairing}</p>` : nothing}
        ${
          status === 'error' && error
            ? html`<p part="error" id="error" aria-hidden="true">
                ${outcomeMark('failed')}<span>${this.errorText()}</span>
              </p>`
            : nothing
        }
      </div>
      ${this.items.length > 0 ? this.renderItems() : nothing}
      ${status === 'error' && error ? this.operation.renderFallback(t.continueHere) : nothing}
      <dialog part="dialog" aria-labelledby="title" @close=${this.handleClose}>
        <h2 part="title" id="title">${t.dialogTitle(this.multiple)}</h2>
        ${this.dialogOpen ? this.renderDialogContent() : nothing}
      </dialog>
    </div>`;
  }
}

/** What the host gets of a retrieval: metadata, and the bytes or the portal's answer, nothing of the transport's. */
function importedOf(result: ImportedDocument): ImportedDocument {
  const { document, file, received } = result;
  return { document, ...(file && { file }), ...(received !== undefined && { received }) };
}
