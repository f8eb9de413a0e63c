import { virtualize, virtualizerRef, type VirtualizerHostElement } from '@lit-labs/virtualizer/virtualize.js';
import {
  MES_CATEGORIES,
  MesError,
  READ_DOCUMENTS_FINALITY,
  documentMediaType,
  foldForSearch,
  hasSignatureOf,
  normalizeError,
  searchWords,
  type FindDocumentsPage,
  type FindDocumentsQuery,
  type FoundDocument,
  type MesCategory,
  type MesClient,
} from '@mes-kit/core';
import { LitElement, html, nothing, svg } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { mesEvent } from '../../events.js';
import { langOf, localizeError, strings, translate, type StringOverrides } from '../../internal/localize.js';
import { OperationController } from '../../internal/operation-controller.js';
import { hostStyles, type Theme } from '../../styles/host.styles.js';
import { spinnerStyles } from '../../styles/spinner.styles.js';
import { enDocumentPicker } from '../../translations/en.js';
import { frDocumentPicker, type DocumentPickerStrings } from '../../translations/fr.js';
import { documentPickerStyles } from './document-picker.styles.js';

const STRINGS = strings(frDocumentPicker, enDocumentPicker);
const CHECK_ICON = svg`<path fill="currentColor" d="m9.5 16.2-4.2-4.2-1.4 1.4 5.6 5.6 10-10-1.4-1.4z"/>`;

/** How long typed letters add up to one type-ahead search, as in a native select. */
const TYPE_AHEAD_MS = 700;
/** Rows PageUp and PageDown move by. */
const PAGE_ROWS = 10;

/** Where the picker stands with MES, before any document: what it shows instead of the list. */
type Access = 'unknown' | 'failed' | 'pairing' | 'not-paired' | 'consent-required' | 'granted';

/** The documents MES listed for one set of filters, as the pages came. */
interface Listing {
  client: MesClient;
  key: string;
  documents: FoundDocument[];
  /**
   * Each title folded once, beside its document, so that a keystroke only compares: in the
   * background once a page is shown (not before its first render), or at the first keystroke.
   */
  folded: string[];
  folding: boolean;
  /** Each document's place in the list, for the selection's order. */
  positions: Map<string, number>;
  /** Where the next page starts, while pages remain. */
  cursor?: string;
  complete: boolean;
}

interface Preview {
  document: FoundDocument;
  status: 'loading' | 'shown' | 'unavailable' | 'unsupported' | 'error';
  kind?: 'pdf' | 'image';
  url?: string;
  error?: MesError;
  abort?: AbortController;
}

/** The formats a browser shows by itself, by the media type MES states. */
const PREVIEWS: Record<string, 'pdf' | 'image'> = { 'application/pdf': 'pdf', 'image/jpeg': 'image' };

const isCategory = (value: unknown): value is MesCategory => MES_CATEGORIES.includes(value as MesCategory);

/**
 * @summary Lists the patient's documents in Mon espace santé, to choose one or several: filters, search as you type, preview, and a form value.
 * @tag mes-document-picker
 *
 * @fires mes-selection-change - `detail: { documents }`, the documents chosen, as MES lists them (metadata, no content).
 * @fires mes-pair-start - The pairing with MES starts (`detail: { finalities }`), from « Synchroniser avec Mon espace santé »; cancelable.
 * @fires mes-pair-success - `detail: { finalities }`, what the patient granted.
 * @fires mes-pair-error - `detail: { error }`: the pairing failed, was refused, or its window was blocked.
 * @fires mes-consent-change - `detail: { receipt }` after a pairing this picker opened.
 *
 * @csspart base - The wrapper.
 * @csspart filters - The filters: search, category, dates.
 * @csspart search - The search field.
 * @csspart category - The category select.
 * @csspart date - Each date field.
 * @csspart status - The announced status line: loading, how many documents, empty, not paired, the error.
 * @csspart spinner - The busy indicator, while loading or pairing.
 * @csspart error - The error message.
 * @csspart button - Every button.
 * @csspart list - The list of documents (a listbox).
 * @csspart item - One document.
 * @csspart check - A document's tick box, in multiple selection.
 * @csspart title - A document's title.
 * @csspart meta - A document's category, date and author.
 * @csspart selection - How many documents are selected.
 * @csspart preview - The preview area.
 * @csspart preview-title - Which document the preview shows (with several chosen, the one chosen last).
 * @csspart preview-status - What the preview says (loading, unavailable…).
 * @csspart preview-image - The previewed image.
 * @csspart preview-frame - The previewed PDF.
 * @csspart fallback - « Continuer la synchronisation dans cet onglet », when the pairing popup is blocked.
 *
 * @cssprop --mes-document-picker-background-color - Background (default: --mes-color-surface).
 * @cssprop --mes-document-picker-border-color - Borders of the picker, the list and the preview (default: --mes-color-border).
 * @cssprop --mes-document-picker-radius - Corner radius (default: --mes-radius-m).
 * @cssprop --mes-document-picker-list-height - Height of the list, which scrolls (default: 24rem).
 * @cssprop --mes-document-picker-item-background-color-hover - A hovered document (default: --mes-color-neutral-subtle).
 * @cssprop --mes-document-picker-item-background-color-selected - A selected document (default: --mes-color-primary-subtle).
 * @cssprop --mes-document-picker-item-border-color-selected - The mark beside a selected document (default: --mes-color-primary).
 * @cssprop --mes-document-picker-check-color - The tick boxes (default: --mes-color-primary).
 * @cssprop --mes-document-picker-input-border-color - Border of the filters (default: --mes-color-control).
 * @cssprop --mes-document-picker-input-radius - Corner radius of the filters (default: --mes-radius-s, half of --mes-radius-m).
 * @cssprop --mes-document-picker-button-background-color - The buttons' background, but the primary one's (default: --mes-color-surface).
 * @cssprop --mes-document-picker-button-radius - The buttons' corner radius (default: --mes-radius-m).
 * @cssprop --mes-document-picker-error-color - Error text (default: --mes-color-danger).
 * @cssprop --mes-document-picker-preview-height - Height of a preview (default: 28rem).
 *
 * @cssstate loading - Nothing to show yet: the session is read, the pairing is open, or the first page is on its way.
 * @cssstate empty - All documents are in, and none is shown (none in MES, or none matching the filters).
 * @cssstate error - The last listing failed.
 * @cssstate not-paired - The patient's account is not linked with MES.
 * @cssstate consent-required - Linked, but reading documents (DOC_LECTURE) is not granted.
 * @cssstate pending - Pairing, or pages still coming.
 * @cssstate success - Every page is in.
 *
 * A form control: `name` carries one entry per chosen document id. Everything MES says (titles,
 * authors) is shown as text. Arrows move, Space chooses (toggles with `multiple`), Shift extends,
 * Home and End go to the ends, letters jump to a title; Enter chooses and is left to the
 * surrounding dialog or form.
 */
export class MesDocumentPicker extends LitElement {
  static override styles = [hostStyles, spinnerStyles, documentPickerStyles];
  static formAssociated = true;

  private readonly internals = this.attachInternals();

  private readonly operation = new OperationController(this, {
    operation: 'find-documents',
    client: () => this.client,
    internals: this.internals,
    // Listing is not importing: nothing here says `mes-import-*`.
    events: false,
    follow: (client) => this.follow(client),
    states: (): Record<string, boolean> => {
      const view = this.view;
      return {
        loading: view === 'loading' || view === 'pairing',
        empty: view === 'empty',
        'not-paired': view === 'not-paired',
        'consent-required': view === 'consent-required',
        error: view === 'failed',
      };
    },
  });

  @query('[part~="list"]') private listbox?: HTMLElement & Partial<VirtualizerHostElement>;

  @state() private listing?: Listing;
  @state() private search = '';
  @state() private from = '';
  @state() private to = '';
  @state() private selection = new Map<string, FoundDocument>();
  @state() private active?: FoundDocument;
  @state() private preview?: Preview;
  @state() private formDisabled = false;
  /** A state change was heard from the client: its session is known even if the first read failed. */
  private stateSeen = false;
  /** Where a Shift range starts, and what was selected then. */
  private anchor?: FoundDocument;
  private base = new Map<string, FoundDocument>();
  /** The document the patient chose last, still chosen: the one a preview is for. */
  private lastChosen?: FoundDocument;
  /** The button the patient used goes with its view: where the focus goes on to, once it is there. */
  private refocus?: 'list' | 'search' | 'preview';
  /** Counted, so that a listing cut short by leaving the page knows it was. */
  private disconnections = 0;
  /** Ids a restored form had chosen, not listed yet. */
  private restoring = new Set<string>();
  private typed = '';
  private typedAt = 0;
  /** Each listing's number: a newer one makes the older stop. */
  private generation = 0;
  private running?: Promise<void>;
  private stopRunning?: () => void;
  /** What the search shows, kept for the listing and text it was made from. */
  private shown: { from?: FoundDocument[]; search: string; documents: FoundDocument[] } = { search: '', documents: [] };
  /** The strings in the element's language, with the host's own, for this update. */
  private t!: DocumentPickerStrings;
  /** Made once per language and precision: a row is drawn at every scroll. */
  private readonly dateFormats = new Map<string, Intl.DateTimeFormat>();

  /** A client to use instead of the one `<mes-provider>` gives. */
  /** Light, dark, or the system's (`auto`); unset, the page's `color-scheme`. */
  @property({ reflect: true }) theme?: Theme;
  @property({ attribute: false }) client?: MesClient;

  /** Several documents may be chosen. */
  @property({ type: Boolean, reflect: true }) multiple = false;

  /** The form field's name: one entry per chosen document id. */
  @property({ reflect: true }) name = '';

  /** A form is valid only once a document is chosen. */
  @property({ type: Boolean, reflect: true }) required = false;

  /** Nothing can be chosen, and a form does not carry the choice. */
  @property({ type: Boolean, reflect: true }) disabled = false;

  /** The category shown (initially, then as the patient filters); any other value shows every category. */
  @property() category?: string;

  /** Documents asked of MES per page (1 to 100): the whole list loads behind the first page, in as few requests as MES allows. */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 100;

  /** Strings to use instead of the built-in ones (any subset, down to one category label). */
  @property({ attribute: false }) strings: StringOverrides<DocumentPickerStrings> = {};

  /** The chosen documents, in the list's order: identifiers and metadata, no content. */
  get selected(): FoundDocument[] {
    const positions = this.listing?.positions;
    const place = (doc: FoundDocument) => positions?.get(doc.id) ?? Number.MAX_SAFE_INTEGER;
    return [...this.selection.values()].sort((a, b) => place(a) - place(b));
  }

  get form(): HTMLFormElement | null {
    return this.internals.form;
  }

  get validity(): ValidityState {
    return this.internals.validity;
  }

  get validationMessage(): string {
    return this.internals.validationMessage;
  }

  private get isDisabled(): boolean {
    return this.disabled || this.formDisabled;
  }

  private get filterCategory(): MesCategory | undefined {
    return isCategory(this.category) ? this.category : undefined;
  }

  private get query(): FindDocumentsQuery {
    const category = this.filterCategory;
    return {
      ...(category && { category }),
      ...(this.from && { from: this.from }),
      ...(this.to && { to: this.to }),
      count: Math.min(100, Math.max(1, Math.floor(this.pageSize) || 100)),
    };
  }

  private get queryKey(): string {
    return [this.filterCategory ?? '', this.from, this.to].join('|');
  }

  private get access(): Access {
    const { client, session, sessionError, status } = this.operation;
    if (!client) return 'unknown';
    if (!session && !this.stateSeen && status === 'idle') return sessionError ? 'failed' : 'unknown';
    const state = client.state;
    switch (state.status) {
      case 'pairing':
        return 'pairing';
      case 'paired':
      case 'reapproval-required':
        return state.finalities.includes(READ_DOCUMENTS_FINALITY) ? 'granted' : 'consent-required';
      case 'not-paired':
      case 'revoked':
        return 'not-paired';
    }
  }

  /** The documents this listing holds for these filters, or none when they belong to other filters. */
  private get current(): Listing | undefined {
    const listing = this.listing;
    return listing && listing.key === this.queryKey && listing.client === this.operation.client ? listing : undefined;
  }

  /** The loaded documents whose titles hold every word searched. */
  private get visible(): FoundDocument[] {
    const listing = this.current;
    const from = listing?.documents;
    if (this.shown.from === from && this.shown.search === this.search) return this.shown.documents;
    let documents: FoundDocument[] = [];
    if (listing) {
      const words = searchWords(this.search);
      const folded = words.length > 0 ? this.folded(listing) : [];
      documents =
        words.length === 0
          ? listing.documents
          : listing.documents.filter((_, i) => words.every((word) => folded[i].includes(word)));
    }
    this.shown = { from, search: this.search, documents };
    return documents;
  }

  private get view(): 'loading' | 'pairing' | 'failed' | 'not-paired' | 'consent-required' | 'empty' | 'list' {
    const access = this.access;
    if (this.operation.status === 'pairing' || access === 'pairing') return 'pairing';
    if (access === 'failed') return 'failed';
    // A pairing that failed or a consent refused: the error is said, and the way to link again stays.
    if (access === 'not-paired' || access === 'consent-required') return access;
    if (this.operation.status === 'error') return 'failed';
    if (access === 'unknown') return 'loading';
    if (this.visible.length > 0) return 'list';
    return this.current?.complete ? 'empty' : 'loading';
  }

  private get activeIndex(): number {
    return this.active ? this.visible.indexOf(this.active) : -1;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Back in the page (moved into a dialog): a listing cut short goes on.
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.disconnections++;
    this.closePreview();
  }

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    this.t = translate(this, STRINGS, this.strings);
    if (changed.has('multiple') && !this.multiple && this.selection.size > 1) {
      const kept = this.lastChosen ?? this.selected[0];
      this.choose(new Map([[kept.id, kept]]), kept);
    }
    // Documents of a pairing that ended, or of another client's patient, are not kept on screen (a
    // listing that is pairing first is left to it).
    const access = this.access;
    const stale = this.listing && this.listing.client !== this.operation.client;
    const ended = !this.operation.pending && (access === 'not-paired' || access === 'consent-required');
    if (this.listing && (stale || ended)) {
      this.listing = undefined;
      this.active = undefined;
      this.closePreview();
      if (this.selection.size > 0) this.choose(new Map());
    }
    if (this.preview && this.preview.document !== this.lastChosen) this.closePreview();
  }

  override updated(changed: Map<PropertyKey, unknown>): void {
    // Nothing chosen yet: the validity's anchor (the list) may have just appeared.
    if (['name', 'required', 'multiple', 'strings'].some((key) => changed.has(key)) || this.selection.size === 0) {
      this.syncForm();
    }
    this.syncActiveDescendant();
    // After this update, not within it: focusing and listing change what the next one shows.
    void this.updateComplete.then(() => {
      this.restoreFocus();
      this.listIfNeeded();
    });
  }

  /** The form is reset: nothing chosen. */
  formResetCallback(): void {
    this.closePreview();
    this.anchor = undefined;
    this.restoring.clear();
    if (this.selection.size > 0) this.choose(new Map());
  }

  /**
   * Back through the browser's history, or a page restored: the documents chosen then are chosen
   * again as the listing finds them. The browser keeps their MES ids only, never a title.
   */
  formStateRestoreCallback(state: string | File | FormData | null): void {
    if (!(state instanceof FormData)) return;
    const ids = [...state.values()].filter((id): id is string => typeof id === 'string');
    this.restoring = new Set(this.multiple ? ids : ids.slice(0, 1));
    if (this.listing) this.restoreFrom(this.listing.documents);
  }

  /** A disabled fieldset around the picker disables it too. */
  formDisabledCallback(disabled: boolean): void {
    this.formDisabled = disabled;
  }

  /**
   * Lists the documents again from MES, with the filters shown. Resolves once every page is in, or
   * the listing stopped. Only where reading is granted: it never opens MES's pairing by itself.
   */
  async reload(): Promise<void> {
    if (this.access === 'granted') await this.list(false);
  }

  checkValidity(): boolean {
    return this.internals.checkValidity();
  }

  reportValidity(): boolean {
    return this.internals.reportValidity();
  }

  private readonly handleSearch = (event: Event) => {
    this.search = (event.target as HTMLInputElement).value;
  };

  private readonly handleCategory = (event: Event) => {
    this.category = (event.target as HTMLSelectElement).value || undefined;
  };

  private readonly handleFrom = (event: Event) => {
    this.from = (event.target as HTMLInputElement).value;
  };

  private readonly handleTo = (event: Event) => {
    this.to = (event.target as HTMLInputElement).value;
  };

  private readonly handleClearFilters = () => {
    this.refocus = 'search';
    this.search = '';
    this.category = undefined;
    this.from = '';
    this.to = '';
  };

  /** Pairing or granting DOC_LECTURE goes through the listing itself: the controller asks what is missing. */
  /** « Synchroniser » after a pairing that failed, or « Réessayer » after a listing that did: list again. */
  private readonly handleRelist = () => {
    this.refocus = 'list';
    void this.list(true);
  };

  private readonly handleClearSelection = () => {
    this.refocus = 'list';
    this.anchor = undefined;
    this.choose(new Map());
  };

  private readonly handlePreview = () => {
    this.refocus = 'preview';
    if (this.lastChosen) void this.showPreview(this.lastChosen);
  };

  private readonly handleClosePreview = () => {
    this.refocus = 'preview';
    this.closePreview();
  };

  private readonly handleRangeChanged = () => queueMicrotask(() => this.syncActiveDescendant());

  /** Tabbed to, the list starts on the first chosen document, or the first one (a click chooses its own). */
  private readonly handleFocus = () => {
    const visible = this.visible;
    if (this.activeIndex >= 0 || visible.length === 0 || !this.listbox?.matches(':focus-visible')) return;
    this.active = visible.find((doc) => this.selection.has(doc.id)) ?? visible[0];
    this.reveal(visible.indexOf(this.active));
  };

  private readonly handleClick = (event: MouseEvent) => {
    if (this.isDisabled) return;
    // By id, not by place: a row may still show the list before the last keystroke in the search.
    const id = (event.target as Element).closest<HTMLElement>('[role="option"]')?.dataset.id;
    const index = id === undefined ? -1 : this.visible.findIndex((doc) => doc.id === id);
    if (index < 0) return;
    this.active = this.visible[index];
    if (this.multiple && event.shiftKey) this.extendTo(index);
    else if (this.multiple) this.toggle(index);
    else this.pick(index);
  };

  private readonly handleKeydown = (event: KeyboardEvent) => {
    const visible = this.visible;
    if (this.isDisabled || visible.length === 0) return;
    const last = visible.length - 1;
    const current = this.activeIndex;
    const extend = this.multiple && event.shiftKey;
    let next: number | undefined;
    switch (event.key) {
      case 'ArrowDown':
        next = Math.min(last, current + 1);
        break;
      case 'ArrowUp':
        next = Math.max(0, current - 1);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = last;
        break;
      case 'PageDown':
        next = Math.min(last, Math.max(0, current) + PAGE_ROWS);
        break;
      case 'PageUp':
        next = Math.max(0, current - PAGE_ROWS);
        break;
      case ' ':
        // Within a type-ahead, a space is part of the title typed.
        if (this.typing()) break;
        event.preventDefault();
        if (current < 0) return;
        if (extend) {
          // From the document chosen last to this one, as WAI-ARIA's listbox has Shift+Space.
          if (this.lastChosen && visible.includes(this.lastChosen)) this.setAnchor(this.lastChosen);
          this.extendTo(current);
        } else if (this.multiple) this.toggle(current);
        else this.pick(current);
        return;
      case 'Enter':
        // Chooses, never un-chooses; the key goes on to a dialog or form around the picker.
        if (current >= 0 && !this.selection.has(visible[current].id)) {
          if (this.multiple) this.toggle(current);
          else this.pick(current);
        }
        return;
      default:
        break;
    }
    if (next !== undefined) {
      event.preventDefault();
      this.moveTo(next, extend);
      return;
    }
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'a' && this.multiple) {
      event.preventDefault();
      this.toggleAll();
      return;
    }
    if (event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      this.typeAhead(event.key);
    }
  };

  /** Follows the client's pairing: the picker shows what the patient can do now. */
  private follow(client: MesClient): () => void {
    const onStateChange = () => {
      this.stateSeen = true;
      this.requestUpdate();
    };
    this.stateSeen = false;
    client.addEventListener('mes-state-change', onStateChange);
    return () => client.removeEventListener('mes-state-change', onStateChange);
  }

  /** Lists when reading is granted and the list is not (yet) that of the filters shown, or was cut short by leaving the page. */
  private listIfNeeded() {
    if (this.access !== 'granted' || !this.isConnected) return;
    const listing = this.current;
    // New filters: the listing running gives way.
    if (this.running) {
      if (!listing) void this.list(false);
      return;
    }
    if (this.operation.pending) return;
    if (!listing) void this.list(false);
    else if (!listing.complete && this.operation.status !== 'error') void this.list(true);
  }

  /**
   * Lists the documents for the filters shown, from MES, page by page: the first page shows while
   * the next ones come. A newer listing stops this one; `resume` goes on from where it stopped.
   */
  private async list(resume: boolean): Promise<void> {
    const generation = ++this.generation;
    if (this.running) {
      this.stopRunning?.();
      this.operation.abort();
      await this.running;
      if (generation !== this.generation) return;
    }
    const client = this.operation.client;
    if (!client) return;
    const { query, queryKey: key } = this;
    let listing = this.listing;
    if (!resume || !listing || listing.key !== key || listing.client !== client) {
      listing = { client, key, documents: [], folded: [], folding: false, positions: new Map(), complete: false };
      this.listing = listing;
    }
    const stopped = new Promise<undefined>((resolve) => (this.stopRunning = () => resolve(undefined)));
    const disconnections = this.disconnections;
    const run = this.operation.perform({
      start: null,
      success: () => null,
      work: async (step) => {
        do {
          const cursor = listing.cursor;
          let page: FindDocumentsPage | undefined;
          try {
            page = await Promise.race([step({ ...query, ...(cursor !== undefined && { cursor }) }), stopped]);
          } catch (error) {
            // Moved in the page (into a dialog) or left it: the listing goes on from here when back.
            if (this.disconnections !== disconnections) return;
            throw error;
          }
          if (!page || generation !== this.generation) return;
          this.addPage(listing, page);
        } while (listing.cursor !== undefined);
        listing.complete = true;
      },
    });
    const running = run.then(() => undefined);
    this.running = running;
    await running;
    if (this.running === running) {
      this.running = undefined;
      this.stopRunning = undefined;
      // A listing cut short may go on now (back in the page).
      this.requestUpdate();
    }
  }

  private addPage(listing: Listing, page: FindDocumentsPage) {
    const documents = [...listing.documents];
    for (const doc of page.documents) {
      // A document filed while paging may shift MES's pages: it is listed once.
      if (listing.positions.has(doc.id)) continue;
      listing.positions.set(doc.id, documents.length);
      documents.push(doc);
    }
    listing.documents = documents;
    listing.cursor = page.next;
    this.restoreFrom(page.documents);
    this.requestUpdate('listing');
    this.foldInBackground(listing);
  }

  /** Chooses again, as they are listed, the documents a restored form had chosen. */
  private restoreFrom(documents: FoundDocument[]) {
    if (this.restoring.size === 0) return;
    const next = new Map(this.selection);
    for (const doc of documents) if (this.restoring.delete(doc.id)) next.set(doc.id, doc);
    if (next.size > this.selection.size) this.choose(next);
  }

  /** The listing's titles folded for search, every one of them. */
  private folded(listing: Listing): string[] {
    const { documents, folded } = listing;
    for (let i = folded.length; i < documents.length; i++) folded.push(foldForSearch(documents[i].title));
    return folded;
  }

  /** A thousand titles at a time between frames: 10,000 at once would hold up the first rows. */
  private foldInBackground(listing: Listing) {
    if (listing.folding || listing.folded.length >= listing.documents.length) return;
    listing.folding = true;
    setTimeout(() => {
      const { documents, folded } = listing;
      const end = Math.min(documents.length, folded.length + 1000);
      for (let i = folded.length; i < end; i++) folded.push(foldForSearch(documents[i].title));
      listing.folding = false;
      this.foldInBackground(listing);
    });
  }

  private moveTo(index: number, extend: boolean) {
    const visible = this.visible;
    this.active = visible[index];
    if (extend) this.extendTo(index);
    else this.setAnchor(visible[index]);
    this.reveal(index);
  }

  /** Shift: what was chosen when the range started, and every document from its start to here. */
  private extendTo(index: number) {
    const visible = this.visible;
    if (!this.anchor || visible.indexOf(this.anchor) < 0) this.setAnchor(visible[index]);
    const start = visible.indexOf(this.anchor!);
    const next = new Map(this.base);
    for (let i = Math.min(start, index); i <= Math.max(start, index); i++) next.set(visible[i].id, visible[i]);
    this.choose(next, visible[index]);
  }

  private toggle(index: number) {
    const doc = this.visible[index];
    const next = new Map(this.selection);
    if (next.has(doc.id)) next.delete(doc.id);
    else next.set(doc.id, doc);
    this.choose(next, doc);
    this.setAnchor(doc);
  }

  private pick(index: number) {
    const doc = this.visible[index];
    this.setAnchor(doc);
    if (this.selection.size === 1 && this.selection.has(doc.id)) return;
    this.choose(new Map([[doc.id, doc]]), doc);
  }

  /** Ctrl+A: every document shown, or none of them when all already are. */
  private toggleAll() {
    const visible = this.visible;
    const next = new Map(this.selection);
    const all = visible.every((doc) => next.has(doc.id));
    for (const doc of visible) {
      if (all) next.delete(doc.id);
      else next.set(doc.id, doc);
    }
    this.choose(next);
  }

  private setAnchor(doc: FoundDocument) {
    this.anchor = doc;
    this.base = new Map(this.selection);
  }

  /** Letters typed in a row find the next title that starts with them; one letter again goes to the next such title. */
  private typeAhead(key: string) {
    const now = Date.now();
    this.typed = now - this.typedAt < TYPE_AHEAD_MS ? this.typed + key : key;
    this.typedAt = now;
    const listing = this.current;
    const visible = this.visible;
    if (!listing || visible.length === 0) return;
    const typed = foldForSearch(this.typed);
    const folded = this.folded(listing);
    const repeated = [...typed].every((letter) => letter === typed[0]);
    const wanted = repeated ? typed[0] : typed;
    // Letters added to a search start at the active title (it may match still); a first letter, or the
    // same letter again, starts after it.
    const active = this.activeIndex;
    const from = active < 0 ? 0 : active + (repeated ? 1 : 0);
    for (let step = 0; step < visible.length; step++) {
      const index = (from + step) % visible.length;
      const doc = visible[index];
      if (folded[listing.positions.get(doc.id)!].startsWith(wanted)) {
        this.moveTo(index, false);
        return;
      }
    }
  }

  private typing(): boolean {
    return this.typed !== '' && Date.now() - this.typedAt < TYPE_AHEAD_MS;
  }

  /** The selection changes, then `mes-selection-change` says so: a listener finds the picker as the event says. */
  private choose(next: Map<string, FoundDocument>, last?: FoundDocument) {
    this.selection = next;
    this.lastChosen = last && next.has(last.id) ? last : [...next.values()].at(-1);
    this.syncForm();
    this.dispatchEvent(mesEvent('mes-selection-change', { documents: this.selected }));
  }

  private restoreFocus() {
    const target = this.refocus;
    if (!target) return;
    const element =
      target === 'list'
        ? this.listbox
        : target === 'search'
          ? this.renderRoot.querySelector<HTMLElement>('[part~="search"]')
          : this.renderRoot.querySelector<HTMLElement>('[part~="preview"] button');
    if (!element) {
      // The list comes with its first page; if none comes, nothing replaces the button.
      if (!this.operation.pending) this.refocus = undefined;
      return;
    }
    this.refocus = undefined;
    // Only a focus lost with its button: the patient may have gone elsewhere meanwhile.
    const active = document.activeElement;
    if (!this.shadowRoot?.activeElement && (active === null || active === document.body)) element.focus();
  }

  /** Scrolls a row into view, rendered or not yet (the virtualizer brings it). */
  private reveal(index: number) {
    const virtualizer = this.listbox?.[virtualizerRef];
    if (!virtualizer) return;
    const scroll = () => virtualizer.element(index)?.scrollIntoView({ block: 'nearest' });
    try {
      scroll();
    } catch {
      // A list just drawn has no layout yet: it scrolls once it has one.
      virtualizer.layoutComplete.then(scroll, () => undefined);
    }
  }

  /** `aria-activedescendant` names the active row only while it is rendered: a virtualized row may not be. */
  private syncActiveDescendant() {
    const listbox = this.listbox;
    if (!listbox) return;
    const id = this.active ? `option-${this.active.id}` : undefined;
    if (id && this.renderRoot.querySelector(`#${CSS.escape(id)}`)) listbox.setAttribute('aria-activedescendant', id);
    else listbox.removeAttribute('aria-activedescendant');
  }

  private syncForm() {
    const documents = this.selected;
    if (this.name && documents.length > 0) {
      const value = new FormData();
      for (const doc of documents) value.append(this.name, doc.id);
      this.internals.setFormValue(value);
    } else {
      this.internals.setFormValue(null);
    }
    if (this.required && documents.length === 0) {
      const t = this.t ?? translate(this, STRINGS, this.strings);
      const anchor = this.listbox ?? this.renderRoot.querySelector<HTMLElement>('button, input') ?? undefined;
      this.internals.setValidity({ valueMissing: true }, t.required(this.multiple), anchor);
    } else {
      this.internals.setValidity({});
    }
  }

  /**
   * Shows the document in the page, under a strict CSP: its bytes as a blob: URL in an <img> (the
   * host's CSP needs `img-src blob:`) or, for a PDF, an <iframe> (`frame-src blob:`; an <iframe>
   * rather than an <object>, so that `object-src 'none'` can stay). A blob: URL runs in the page's
   * origin: only a PDF or a JPEG whose first bytes say so is shown, typed as such, never as HTML.
   */
  private async showPreview(document: FoundDocument) {
    this.closePreview();
    const client = this.operation.client;
    const type = documentMediaType(document.contentType);
    const kind = type ? PREVIEWS[type] : undefined;
    if (!client || !type || !kind) {
      this.preview = { document, status: 'unsupported' };
      return;
    }
    const abort = new AbortController();
    const preview: Preview = { document, status: 'loading', abort };
    this.preview = preview;
    // The preview comes below the list: brought into view, or the patient sees nothing happen.
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector('[part~="preview"]')?.scrollIntoView({ block: 'nearest' }),
    );
    try {
      const { file } = await client.retrieveDocument(document, { deliver: 'page', signal: abort.signal });
      // Retrieved, but handed to the host's back end only: the page has no bytes to show.
      if (!file) throw new MesError('MES_INVALID_INPUT', { operation: 'retrieve-document', field: 'deliver' });
      const head = new Uint8Array(await file.slice(0, 8).arrayBuffer());
      if (!hasSignatureOf(type, head)) throw new MesError('MES_INVALID_RESPONSE', { operation: 'retrieve-document' });
      if (this.preview !== preview) return;
      this.preview = { document, status: 'shown', kind, url: URL.createObjectURL(new Blob([file], { type })) };
    } catch (caught) {
      if (this.preview !== preview) return;
      const error = normalizeError(caught, 'retrieve-document');
      // The gateway does not let the bytes reach the page (no `deliverToPage`): said, not failed.
      this.preview =
        error.code === 'MES_INVALID_INPUT' && error.field === 'deliver'
          ? { document, status: 'unavailable' }
          : { document, status: 'error', error };
    }
  }

  private closePreview() {
    const preview = this.preview;
    if (!preview) return;
    preview.abort?.abort();
    if (preview.url) URL.revokeObjectURL(preview.url);
    this.preview = undefined;
  }

  private formatDate(value: string | undefined): string | undefined {
    if (!value) return undefined;
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) return undefined;
    // FHIR dates may stop at the year or the month; a date without a time is that day anywhere (UTC).
    const precision = value.length === 4 ? 'year' : value.length === 7 ? 'month' : value.length === 10 ? 'day' : 'time';
    const lang = langOf(this);
    const key = `${lang} ${precision}`;
    let format = this.dateFormats.get(key);
    if (!format) {
      format = new Intl.DateTimeFormat(lang, {
        ...(precision === 'year' && { year: 'numeric' }),
        ...(precision === 'month' && { year: 'numeric', month: 'long' }),
        ...((precision === 'day' || precision === 'time') && { dateStyle: 'medium' }),
        ...(precision !== 'time' && { timeZone: 'UTC' }),
      });
      this.dateFormats.set(key, format);
    }
    return format.format(date);
  }

  private author(doc: FoundDocument): string | undefined {
    return doc.author.kind === 'patient' ? this.t.byPatient : doc.author.name;
  }

  private statusText(view: MesDocumentPicker['view']): string {
    const { t } = this;
    switch (view) {
      case 'loading':
        return t.loading;
      case 'pairing':
        return t.pairing;
      case 'failed':
        return '';
      case 'not-paired':
        return t.notPaired;
      case 'consent-required':
        return t.consentRequired;
      case 'empty': {
        if (this.from && this.to && this.from > this.to) return t.datesInverted;
        const category = this.filterCategory;
        if (category && !this.search && !this.from && !this.to) return t.noneInCategory(t.categories[category]);
        return this.search || category || this.from || this.to ? t.noMatch : t.empty;
      }
      case 'list': {
        const listing = this.current!;
        // The same words while pages come: a screen reader is not told of every page.
        if (!listing.complete) return t.loadingMore;
        const shown = this.visible.length;
        return searchWords(this.search).length > 0 ? t.matches(shown, listing.documents.length) : t.count(shown);
      }
    }
  }

  private renderFilters() {
    const { t } = this;
    const disabled = this.isDisabled;
    const category = this.filterCategory;
    return html`<div part="filters" role="group" aria-label=${t.filters}>
      <div class="field search">
        <label for="search">${t.search}</label>
        <input
          part="search"
          id="search"
          type="search"
          autocomplete="off"
          .value=${this.search}
          ?disabled=${disabled}
          @input=${this.handleSearch}
        />
      </div>
      <div class="field">
        <label for="category">${t.category}</label>
        <select part="category" id="category" ?disabled=${disabled} @change=${this.handleCategory}>
          <option value="" ?selected=${!category}>${t.allCategories}</option>
          ${MES_CATEGORIES.map(
            (code) => html`<option value=${code} ?selected=${code === category}>${t.categories[code]}</option>`,
          )}
        </select>
      </div>
      <div class="dates" role="group" aria-labelledby="dates">
        <span class="legend" id="dates">${t.dates}</span>
        <div class="field">
          <label for="from">${t.from}</label>
          <input
            part="date"
            id="from"
            type="date"
            .value=${this.from}
            max=${this.to || nothing}
            ?disabled=${disabled}
            @change=${this.handleFrom}
          />
        </div>
        <div class="field">
          <label for="to">${t.to}</label>
          <input
            part="date"
            id="to"
            type="date"
            .value=${this.to}
            min=${this.from || nothing}
            ?disabled=${disabled}
            @change=${this.handleTo}
          />
        </div>
      </div>
    </div>`;
  }

  private renderItem = (doc: FoundDocument, index: number) => {
    const { t } = this;
    const selected = this.selection.has(doc.id);
    const date = this.formatDate(doc.date);
    const author = this.author(doc);
    const meta = [t.categories[doc.category] ?? doc.category, date, author].filter(Boolean);
    return html`<div
      part="item"
      role="option"
      id=${`option-${doc.id}`}
      class=${doc === this.active ? 'active' : ''}
      data-id=${doc.id}
      aria-selected=${selected ? 'true' : 'false'}
      aria-setsize=${this.visible.length}
      aria-posinset=${index + 1}
    >
      ${
        this.multiple
          ? html`<span part="check" aria-hidden="true"
              ><svg viewBox="0 0 24 24" focusable="false">${CHECK_ICON}</svg></span
            >`
          : nothing
      }
      <span class="text">
        <span part="title">${doc.title || t.untitled}</span>
        <span part="meta"
          >${meta.map(
            (text, i) =>
              html`${i > 0 ? html`<span class="dot" aria-hidden="true">·</span><span class="sr-only">, </span>` : nothing}<span
                  class="value"
                  >${text}</span
                >`,
          )}</span
        >
      </span>
    </div>`;
  };

  private renderList() {
    const { t } = this;
    const disabled = this.isDisabled;
    return html`<div
      part="list"
      role="listbox"
      tabindex="0"
      aria-label=${t.listLabel}
      aria-multiselectable=${this.multiple ? 'true' : 'false'}
      aria-required=${this.required ? 'true' : 'false'}
      aria-disabled=${disabled ? 'true' : 'false'}
      @keydown=${this.handleKeydown}
      @click=${this.handleClick}
      @focus=${this.handleFocus}
      @rangeChanged=${this.handleRangeChanged}
    >
      ${virtualize({
        items: this.visible,
        keyFunction: (doc: FoundDocument) => doc.id,
        renderItem: this.renderItem,
        scroller: true,
      })}
    </div>`;
  }

  private renderPreview() {
    const { t } = this;
    const target = this.lastChosen;
    if (!target) return nothing;
    const preview = this.preview;
    const title = target.title || t.untitled;
    const said =
      preview?.status === 'loading'
        ? t.previewLoading
        : preview?.status === 'shown'
          ? t.previewShown
          : preview?.status === 'unavailable'
            ? t.previewUnavailable
            : preview?.status === 'unsupported'
              ? t.previewUnsupported
              : preview?.status === 'error' && preview.error
                ? localizeError(preview.error, t)
                : '';
    return html`<section part="preview" aria-label=${t.previewOf(title)}>
      <div class="actions">
        ${
          preview
            ? html`<button part="button" type="button" @click=${this.handleClosePreview}>${t.closePreview}</button>`
            : html`<button part="button" type="button" ?disabled=${this.isDisabled} @click=${this.handlePreview}>
                ${t.preview}<span class="sr-only"> — ${title}</span>
              </button>`
        }
      </div>
      ${preview ? html`<p part="preview-title">${t.previewOf(title)}</p>` : nothing}
      <p part="preview-status" role="status" aria-live="polite">${said}</p>
      ${
        preview?.status === 'shown' && preview.kind === 'image'
          ? html`<img part="preview-image" src=${preview.url!} alt=${t.previewOf(title)} />`
          : nothing
      }
      ${
        preview?.status === 'shown' && preview.kind === 'pdf'
          ? html`<iframe part="preview-frame" src=${preview.url!} title=${t.previewOf(title)}></iframe>`
          : nothing
      }
    </section>`;
  }

  override render() {
    const { t } = this;
    const view = this.view;
    const access = this.access;
    const error = this.operation.error ?? (access === 'failed' ? this.operation.sessionError : undefined);
    const busy = view === 'loading' || view === 'pairing' || (view === 'list' && !this.current?.complete);
    const showList = access === 'granted' && this.visible.length > 0;
    const filtered = this.search || this.filterCategory || this.from || this.to;
    return html`<div part="base">
      ${access === 'granted' ? this.renderFilters() : nothing}
      <div part="status" role="status" aria-live="polite">
        ${
          error
            ? html`<span part="error">${localizeError(error, t, this.operation.name)}</span>`
            : html`<span>${this.statusText(view)}</span>`
        }
        ${
          // After the text: the text stays where it is when the loading ends and the spinner goes.
          busy ? html`<span part="spinner" aria-hidden="true"></span>` : nothing
        }
      </div>
      ${
        view === 'not-paired' || view === 'consent-required'
          ? html`<div class="actions">
              <button
                part="button"
                class="primary"
                type="button"
                ?disabled=${this.isDisabled}
                @click=${this.handleRelist}
              >
                ${view === 'not-paired' ? t.pair : t.allow}
              </button>
            </div>`
          : nothing
      }
      ${
        view === 'failed' && error?.retryable
          ? html`<div class="actions">
              <button part="button" type="button" ?disabled=${this.isDisabled} @click=${this.handleRelist}>
                ${t.retry}
              </button>
            </div>`
          : nothing
      }
      ${this.operation.renderFallback(t.continueHere)}
      ${
        view === 'empty' && filtered
          ? html`<div class="actions">
              <button part="button" type="button" ?disabled=${this.isDisabled} @click=${this.handleClearFilters}>
                ${t.clearFilters}
              </button>
            </div>`
          : nothing
      }
      ${showList ? this.renderList() : nothing}
      ${
        this.selection.size > 0
          ? html`<div class="actions">
              <p part="selection">${t.selectedCount(this.selection.size)}</p>
              ${
                this.multiple
                  ? html`<button
                      part="button"
                      type="button"
                      ?disabled=${this.isDisabled}
                      @click=${this.handleClearSelection}
                    >
                      ${t.clearSelection}
                    </button>`
                  : nothing
              }
            </div>`
          : nothing
      }
      ${access === 'granted' ? this.renderPreview() : nothing}
    </div>`;
  }
}
