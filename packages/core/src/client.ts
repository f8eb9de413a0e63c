/**
 * MesClient: the one object a page (or a test) needs to work with Mon espace santé. It runs the
 * operations — here (direct, in-process) or on the gateway — keeps the pairing state, one pairing
 * at a time, and tells listeners when something changes.
 */
import { MesError, normalizeError } from './errors.js';
import { DEFAULT_RETRY, type RetryPolicy } from './fhir/retry-policy.js';
import type { FoundDocument } from './documents/found.js';
import type { FindDocumentsPage, FindDocumentsQuery } from './operations/find-documents.js';
import {
  finalitiesFor,
  loadOperation,
  runParsed,
  type InputOf,
  type ResultOf,
  type RunnableOperation,
} from './operations/registry.js';
import type { SendDocumentInput, SendDocumentResult } from './operations/send-document.js';
import type { SyncAgendaResult } from './operations/sync-agenda.js';
import type { AgendaAppointment } from './agenda/appointment.js';
import type { HeldMeasure } from './measures/held.js';
import type { MeasureKind } from './measures/kinds.js';
import type { MeasuresQuery } from './measures/preview.js';
import type { MeasureSeries } from './measures/series.js';
import type { MeasuresSummary } from './measures/summary.js';
import type { SendMeasuresResult } from './operations/send-measures.js';
import { INITIAL_PAIRING_STATE, nextPairingState, type PairingEvent, type PairingState } from './pairing-state.js';
import type { MesSession, RunOptions, Transport } from './transports/transport.js';

/** A document imported from MES: its metadata, and its bytes or the host's answer, as it was delivered. */
export interface ImportedDocument {
  document: FoundDocument;
  /** The bytes, where they reached the page. */
  file?: File;
  /** What the host's back end answered on receiving them (gateway mode). */
  received?: unknown;
}

export interface MesClientOptions {
  transport: Transport;
  /** Retries of 429/503 answers and per-attempt timeout, where the page runs operations (default: 4 attempts, 60 s). */
  retry?: Partial<RetryPolicy>;
}

/** Fired on the client when the pairing state changes. No patient data. */
export class MesStateChangeEvent extends Event {
  constructor(readonly state: PairingState) {
    super('mes-state-change');
  }
}

/**
 * Fired on the client when an element needs finalités the patient has not granted; a consent
 * prompt on the same client calls `preventDefault()` to say it takes over.
 */
export class MesConsentRequestEvent extends Event {
  constructor(readonly finalities: readonly string[]) {
    super('mes-consent-request', { cancelable: true });
  }
}

/** Fired on the client when an operation or a pairing succeeds: stale errors elsewhere can go. */
export class MesSuccessEvent extends Event {
  constructor(readonly operation: string) {
    super('mes-success');
  }
}

/** What the patient decided in a consent prompt: kept for the session, and for the host's records. */
export interface ConsentReceipt {
  /** ISO 8601. */
  at: string;
  /** The service's OID. */
  service: string;
  granted: string[];
  refused: string[];
  /** The version of the text the patient was shown. */
  textVersion: string;
}

export interface PairOptions {
  signal?: AbortSignal;
  /** The version of the text the patient was shown, for the receipt. */
  textVersion?: string;
  /** Every finalité the patient was shown: those not granted count as refused (default: those asked). */
  offered?: readonly string[];
}

export class MesClient extends EventTarget {
  readonly transport: Transport;
  readonly retry: RetryPolicy;
  /** The last consent decision (in a prompt or in MES), for the host's records. */
  lastReceipt?: ConsentReceipt;
  private current?: Promise<MesSession>;
  private pairingState: PairingState = INITIAL_PAIRING_STATE;
  private openPairing?: Promise<MesSession>;
  private readonly refused = new Set<string>();

  constructor(options: MesClientOptions) {
    super();
    this.transport = options.transport;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
  }

  /** Where the pairing stands (not paired, pairing, paired, re-approval required, revoked). */
  get state(): PairingState {
    return this.pairingState;
  }

  /** Whether a pairing window is open right now. */
  get pairing(): boolean {
    return this.openPairing !== undefined;
  }

  /** The session, fetched once and then kept until `refresh`, a pairing, or MES says it changed. */
  session(options: { refresh?: boolean; signal?: AbortSignal } = {}): Promise<MesSession> {
    if (!this.current || options.refresh) {
      const loading: Promise<MesSession> = this.transport.session(options.signal).then(
        (session) => {
          // A late answer must not undo a pairing that completed meanwhile.
          if (this.current === loading) {
            this.transition({ type: 'session', paired: session.paired, finalities: session.finalities });
          }
          return session;
        },
        (error: unknown) => {
          if (this.current === loading) this.current = undefined;
          throw normalizeError(error);
        },
      );
      this.current = loading;
    }
    return this.current;
  }

  /**
   * Pairs with MES asking for these finalités (popup; rejects with MES_POPUP_BLOCKED when it cannot
   * open), and records what the patient granted and refused as `lastReceipt`. One pairing at a
   * time: asked again while one is open, it brings that window forward and shares its outcome.
   */
  pair(finalities: readonly string[], options: PairOptions = {}): Promise<MesSession> {
    if (this.openPairing) {
      this.transport.focusPairing?.();
      return this.openPairing;
    }
    const pairing = this.startPairing([...finalities], options).finally(() => {
      this.openPairing = undefined;
    });
    this.openPairing = pairing;
    return pairing;
  }

  private async startPairing(finalities: string[], options: PairOptions): Promise<MesSession> {
    const before = this.pairingState;
    this.transition({ type: 'pair-start', finalities });
    try {
      const session = await this.transport.pair(finalities, options.signal);
      this.current = Promise.resolve(session);
      this.transition({ type: 'pair-end', paired: session.paired, finalities: session.finalities });
      const shown = [...new Set([...finalities, ...(options.offered ?? [])])];
      this.recordConsent({
        at: new Date().toISOString(),
        service: session.service.oid,
        granted: session.finalities,
        refused: shown.filter((code) => !session.finalities.includes(code)),
        textVersion: options.textVersion ?? '',
      });
      if (session.paired) this.dispatchEvent(new MesSuccessEvent('pair'));
      return session;
    } catch (error) {
      this.setState(before);
      throw normalizeError(error, 'pair');
    }
  }

  /** « Désynchroniser »: the pairing ends in MES too. */
  async revoke(): Promise<void> {
    try {
      await this.transport.revoke();
    } catch (error) {
      throw normalizeError(error, 'revoke');
    }
    this.current = undefined;
    this.transition({ type: 'revoked' });
  }

  /** An element needs these finalités the patient refused: a consent prompt on this client offers itself. Returns whether one did. */
  requestConsent(finalities: readonly string[]): boolean {
    return !this.dispatchEvent(new MesConsentRequestEvent(finalities));
  }

  /** Remembers, for this session, what the patient refused: the kit does not ask again unprompted. */
  recordConsent(receipt: ConsentReceipt): void {
    this.lastReceipt = receipt;
    for (const code of receipt.refused) this.refused.add(code);
    for (const code of receipt.granted) this.refused.delete(code);
  }

  /** « Tout refuser » in a prompt: nothing is asked of MES, and the refusal holds for the session. */
  async recordRefusal(finalities: readonly string[], textVersion: string): Promise<ConsentReceipt> {
    const { service } = await this.session();
    const receipt = {
      at: new Date().toISOString(),
      service: service.oid,
      granted: [],
      refused: [...finalities],
      textVersion,
    };
    this.recordConsent(receipt);
    return receipt;
  }

  /**
   * Whether the patient grants this finalité now: paired with it, and MES has not withdrawn it since
   * (then pairing again is how the patient confirms it).
   */
  async isGranted(finality: string, options: { signal?: AbortSignal } = {}): Promise<boolean> {
    const session = await this.session(options);
    const { state } = this;
    const withdrawn = state.status === 'reapproval-required' && state.refused.includes(finality);
    return session.paired && session.finalities.includes(finality) && !withdrawn;
  }

  /** The patient changes their mind: what they refused may be asked again. */
  forgetRefusals(finalities: readonly string[]): void {
    for (const code of finalities) this.refused.delete(code);
  }

  /** Whether the patient refused this finalité in this session. */
  hasRefused(finality: string): boolean {
    return this.refused.has(finality);
  }

  /** Checks an operation's input as the operation will, before any network call (MES_INVALID_INPUT). */
  async check<N extends RunnableOperation>(name: N, input: unknown): Promise<InputOf<N>> {
    const operation = await loadOperation(name);
    try {
      return operation.parse(input) as InputOf<N>;
    } catch (error) {
      throw normalizeError(error, name);
    }
  }

  /** The finalités an operation needs for this (checked) input, or for any input: what a button asks the patient to grant. */
  async finalitiesOf<N extends RunnableOperation>(name: N, input?: InputOf<N>): Promise<readonly string[]> {
    return finalitiesFor(await loadOperation(name), input);
  }

  /**
   * Runs an operation: its input checked, its finalité granted (else MES_CONSENT_REQUIRED before any
   * call to MES), here or on the gateway as the transport decides. Rejects with a MesError.
   */
  async run<N extends RunnableOperation>(name: N, input: InputOf<N>, options: RunOptions = {}): Promise<ResultOf<N>> {
    const operation = await loadOperation(name);
    let asked = false;
    let needed: readonly string[] = [];
    try {
      options.signal?.throwIfAborted();
      const parsed = operation.parse(input);
      needed = finalitiesFor(operation, parsed);
      const session = await this.session({ signal: options.signal });
      if (!session.paired || !session.idPe) throw new MesError('MES_AUTH_REQUIRED');
      const granted = await Promise.all(needed.map((finality) => this.isGranted(finality, options)));
      if (!granted.some(Boolean)) throw new MesError('MES_CONSENT_REQUIRED');
      asked = true;
      const { transport } = this;
      const result =
        transport.kind === 'remote'
          ? await transport.run(name, parsed, options)
          : await runParsed(
              operation,
              {
                session: { ...session, paired: true, idPe: session.idPe },
                request: transport.request.bind(transport),
                retry: this.retry,
                signal: options.signal,
                onProgress: options.onProgress,
              },
              parsed,
            );
      this.dispatchEvent(new MesSuccessEvent(name));
      return result as ResultOf<N>;
    } catch (error) {
      const failure = normalizeError(error, name);
      // Only an answer (MES's, or the gateway's, which carries no MES status) says something new.
      if (asked) this.learnFrom(failure, needed);
      throw failure;
    }
  }

  /** « Envoyer vers Mon espace santé »: a document the page holds (direct mode) or a ref the gateway resolves. */
  sendDocument(input: SendDocumentInput, options?: RunOptions): Promise<SendDocumentResult> {
    return this.run('send-document', input, options);
  }

  /**
   * The patient's documents in MES, newest first, a page at a time (needs DOC_LECTURE: without it,
   * the first page rejects before MES is asked). Stops when `options.signal` aborts.
   */
  async *findDocuments(query: FindDocumentsQuery = {}, options: RunOptions = {}): AsyncGenerator<FindDocumentsPage> {
    let cursor = query.cursor;
    do {
      const page = await this.run('find-documents', { ...query, cursor }, options);
      yield page;
      cursor = page.next;
    } while (cursor !== undefined);
  }

  /**
   * One document from MES, its size and SHA-1 checked. Run here, the bytes come back as a `File`; on
   * a gateway they go to the host's back end (`received` is its answer), or with `deliver: 'page'`
   * to the page as well, where the host allows it.
   */
  async retrieveDocument(
    document: string | Pick<FoundDocument, 'id'>,
    options: RunOptions & { deliver?: 'host' | 'page' } = {},
  ): Promise<ImportedDocument> {
    const id = typeof document === 'string' ? document : document.id;
    return this.run('retrieve-document', { id, ...(options.deliver && { deliver: options.deliver }) }, options);
  }

  /**
   * The host's appointments in the patient's MES agenda, kept right: created, moved, cancelled (needs
   * AGENDA_ECRITURE). In gateway mode leave `appointments` out: the gateway asks the host's
   * `agenda.list`. `only` syncs just those ids; `dryRun` says what would change and writes nothing.
   * Resolves with the outcome of each appointment, failures included: a new run retries only those.
   */
  syncAgenda(
    appointments?: AgendaAppointment[],
    options: RunOptions & { only?: string[]; dryRun?: boolean } = {},
  ): Promise<SyncAgendaResult> {
    const { only, dryRun, ...runOptions } = options;
    return this.run(
      'sync-agenda',
      {
        ...(appointments && { appointments }),
        ...(only && { only }),
        ...(dryRun !== undefined && { dryRun }),
      },
      runOptions,
    );
  }

  /**
   * The appointments as an .ics file, for a patient not paired with MES or who said no: built here
   * from `appointments`, or in gateway mode (leave them out) the host's agenda from the gateway.
   * Needs no pairing. Rejects with MES_INVALID_INPUT as `syncAgenda` does.
   */
  async agendaCalendar(
    appointments?: AgendaAppointment[],
    options: { only?: string[]; signal?: AbortSignal } = {},
  ): Promise<Blob> {
    // Loaded on first use: a page that never needs the file never ships it.
    const { calendarFile } = await import('./agenda/calendar-file.js');
    return calendarFile(this, appointments, options);
  }

  /**
   * « Envoyer mes mesures vers Mon espace santé »: every reading MES lacks, one transaction each, as
   * many at once as MES lets through; those it has already are `present`, never sent twice (needs
   * `MESURE_<TYPE>_ECRITURE` per measure type: measures of a type not granted are not sent). In
   * gateway mode leave `series` out: the gateway asks the host's `measures.list`. Resolves with the
   * outcome of each reading, failures included: a new run sends only what is still missing.
   */
  sendMeasures(series?: MeasureSeries[], options: RunOptions & MeasuresQuery = {}): Promise<SendMeasuresResult> {
    const { kinds, from, to, ...runOptions } = options;
    return this.run(
      'send-measures',
      { ...(series && { series }), ...(kinds && { kinds }), ...(from && { from }), ...(to && { to }) },
      runOptions,
    );
  }

  /**
   * What `sendMeasures` would send, before anything is: counts, period and trend per measure, and the
   * finalités it needs. Needs no pairing. Rejects with MES_INVALID_INPUT as `sendMeasures` does.
   */
  async measuresSummary(
    series?: MeasureSeries[],
    options: MeasuresQuery & { signal?: AbortSignal } = {},
  ): Promise<MeasuresSummary> {
    // Loaded on first use, as the operation is.
    const { measuresPreview } = await import('./measures/preview.js');
    return measuresPreview(this, series, options);
  }

  /**
   * The patient's measures of one kind in MES, newest first, whoever filed them: over a period, or
   * the `last` one (needs `MESURE_<TYPE>_LECTURE`).
   */
  readMeasures(
    kind: MeasureKind,
    range: { from: string; to: string } | 'last',
    options: RunOptions = {},
  ): Promise<HeldMeasure[]> {
    return this.run('read-measures', { kind, range }, options);
  }

  /** MES says the pairing or a consent is gone: the cached session is stale, and the state says why. */
  private learnFrom(error: MesError, finalities: readonly string[]) {
    if (error.code === 'MES_AUTH_REQUIRED') {
      this.current = undefined;
      this.transition({ type: 'revoked' });
    } else if (error.code === 'MES_CONSENT_REQUIRED') {
      this.current = undefined;
      for (const finality of finalities) this.transition({ type: 'consent-refused', finality });
    }
  }

  private transition(event: PairingEvent) {
    this.setState(nextPairingState(this.pairingState, event));
  }

  private setState(state: PairingState) {
    if (JSON.stringify(state) === JSON.stringify(this.pairingState)) return;
    this.pairingState = state;
    this.dispatchEvent(new MesStateChangeEvent(state));
  }
}
