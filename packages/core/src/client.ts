/**
 * MesClient: the one object a page (or a test) needs to work with Mon espace santé. It runs the
 * operations over a transport, keeps the pairing state, and tells listeners when it changes.
 */
import { MesError, normalizeError, type Lang } from './errors.js';
import { DEFAULT_RETRY, type RetryPolicy } from './fhir/retry.js';
import { READ_DOCUMENTS_FINALITY, SEND_DOCUMENT_FINALITY } from './finalities.js';
import type { FindDocumentsQuery } from './operations/find-documents.js';
import type { SendDocumentInput, SendDocumentOptions, SendDocumentResult } from './operations/send-document.js';
import { INITIAL_PAIRING_STATE, nextPairingState, type PairingEvent, type PairingState } from './pairing-state.js';
import type { MesSession, Transport } from './transports/transport.js';

export interface MesClientOptions {
  transport: Transport;
  /** Language of error messages (default: `fr`). */
  lang?: Lang;
  /** Retries of 429/503 answers and per-attempt timeout (default: 4 attempts, 60 s). */
  retry?: Partial<RetryPolicy>;
}

/** Fired on the client when the pairing state changes. No patient data. */
export class MesStateChangeEvent extends Event {
  constructor(readonly state: PairingState) {
    super('mes-state-change');
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

export class MesClient extends EventTarget {
  readonly transport: Transport;
  readonly lang: Lang;
  readonly retry: RetryPolicy;
  private current?: Promise<MesSession>;
  private pairingState: PairingState = INITIAL_PAIRING_STATE;
  private readonly refused = new Set<string>();

  constructor(options: MesClientOptions) {
    super();
    this.transport = options.transport;
    this.lang = options.lang ?? 'fr';
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
  }

  /** Where the pairing stands (not paired, pairing, paired, re-approval required, revoked). */
  get state(): PairingState {
    return this.pairingState;
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
          throw normalizeError(error, this.lang);
        },
      );
      this.current = loading;
    }
    return this.current;
  }

  /**
   * Pairs with MES asking for these finalités (popup; rejects with MES_POPUP_BLOCKED when it cannot
   * open), and records what the patient granted and refused in MES as `lastReceipt`.
   */
  async pair(
    finalities: readonly string[],
    options: { signal?: AbortSignal; textVersion?: string } = {},
  ): Promise<MesSession> {
    const before = this.pairingState;
    this.transition({ type: 'pair-start', finalities: [...finalities] });
    try {
      const session = await this.transport.pair(finalities, options.signal);
      this.current = Promise.resolve(session);
      this.transition({ type: 'pair-end', paired: session.paired, finalities: session.finalities });
      this.recordConsent({
        at: new Date().toISOString(),
        service: session.service.oid,
        granted: session.finalities,
        refused: finalities.filter((code) => !session.finalities.includes(code)),
        textVersion: options.textVersion ?? '',
      });
      return session;
    } catch (error) {
      this.setState(before);
      throw normalizeError(error, this.lang);
    }
  }

  /** « Désynchroniser »: the gateway revokes the tokens, MES ends the pairing. */
  async revoke(): Promise<void> {
    try {
      await this.transport.revoke();
    } catch (error) {
      throw normalizeError(error, this.lang);
    }
    this.current = undefined;
    this.transition({ type: 'revoked' });
  }

  /** The last consent decision (in a prompt or in MES), for the host's records. */
  lastReceipt?: ConsentReceipt;

  /** Remembers, for this session, what the patient refused: the kit does not ask again unprompted. */
  recordConsent(receipt: ConsentReceipt): void {
    this.lastReceipt = receipt;
    for (const code of receipt.refused) this.refused.add(code);
    for (const code of receipt.granted) this.refused.delete(code);
  }

  /** The patient changes their mind: what they refused may be asked again. */
  forgetRefusals(finalities: readonly string[]): void {
    for (const code of finalities) this.refused.delete(code);
  }

  /** Whether the patient refused this finalité in this session. */
  hasRefused(finality: string): boolean {
    return this.refused.has(finality);
  }

  // Operations load on first use: a page that only shows a button ships neither schemas nor bundle builder.

  async sendDocument(input: SendDocumentInput, options?: SendDocumentOptions): Promise<SendDocumentResult> {
    const { sendDocument } = await import('./operations/send-document.js');
    try {
      return await sendDocument(this, input, options);
    } catch (error) {
      this.learnFrom(error, SEND_DOCUMENT_FINALITY);
      throw error;
    }
  }

  /** The patient's documents in MES (needs DOC_LECTURE; without it, rejects before asking MES). */
  async findDocuments(query?: FindDocumentsQuery, options?: { signal?: AbortSignal }) {
    const { findDocuments } = await import('./operations/find-documents.js');
    try {
      return await findDocuments(this, query, options);
    } catch (error) {
      this.learnFrom(error, READ_DOCUMENTS_FINALITY);
      throw error;
    }
  }

  /** Rejects with MES_INVALID_INPUT or MES_TOO_LARGE when the host's document cannot be sent as is. */
  async checkDocument(input: unknown): Promise<void> {
    const { checkSendDocumentInput } = await import('./operations/send-document.js');
    checkSendDocumentInput(input, this.lang);
  }

  /** MES says the pairing or a consent is gone: the cached session is stale, and the state says why. */
  private learnFrom(error: unknown, finality: string) {
    if (!(error instanceof MesError) || error.status === undefined) return;
    if (error.code === 'MES_AUTH_REQUIRED') {
      this.current = undefined;
      this.transition({ type: 'revoked' });
    } else if (error.code === 'MES_CONSENT_REQUIRED') {
      this.current = undefined;
      this.transition({ type: 'consent-refused', finality });
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
