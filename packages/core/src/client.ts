/**
 * MesClient: the one object a page (or a test) needs to work with Mon espace santé. It runs the
 * operations over a transport and tells listeners when the pairing state changes.
 */
import { MesError, normalizeError, type Lang } from './errors.js';
import { DEFAULT_RETRY, type RetryPolicy } from './fhir/retry.js';
import type { SendDocumentInput, SendDocumentOptions, SendDocumentResult } from './operations/send-document.js';
import type { MesSession, Transport } from './transports/transport.js';

export interface MesClientOptions {
  transport: Transport;
  /** Language of error messages (default: `fr`). */
  lang?: Lang;
  /** Retries of 429/503 answers and per-attempt timeout (default: 4 attempts, 60 s). */
  retry?: Partial<RetryPolicy>;
}

/** Fired on the client when the pairing state changes (paired, finalités). No patient data. */
export class MesSessionChangeEvent extends Event {
  constructor(readonly session: MesSession) {
    super('mes-session-change');
  }
}

export class MesClient extends EventTarget {
  readonly transport: Transport;
  readonly lang: Lang;
  readonly retry: RetryPolicy;
  private current?: Promise<MesSession>;

  constructor(options: MesClientOptions) {
    super();
    this.transport = options.transport;
    this.lang = options.lang ?? 'fr';
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
  }

  /** The pairing state, fetched once and then kept until `refresh` or a pairing changes it. */
  session(options: { refresh?: boolean; signal?: AbortSignal } = {}): Promise<MesSession> {
    if (!this.current || options.refresh) {
      const loading = this.transport.session(options.signal).catch((error: unknown) => {
        if (this.current === loading) this.current = undefined;
        throw normalizeError(error, this.lang);
      });
      this.current = loading;
    }
    return this.current;
  }

  /** Pairs with MES asking for these finalités (popup; rejects with MES_POPUP_BLOCKED when it cannot open). */
  async pair(finalities: readonly string[], signal?: AbortSignal): Promise<MesSession> {
    try {
      const session = await this.transport.pair(finalities, signal);
      this.update(session);
      return session;
    } catch (error) {
      throw normalizeError(error, this.lang);
    }
  }

  async revoke(): Promise<void> {
    try {
      await this.transport.revoke();
    } catch (error) {
      throw normalizeError(error, this.lang);
    }
    this.update(await this.transport.session());
  }

  // Operations load on first use: a page that only shows a button ships neither schemas nor bundle builder.

  async sendDocument(input: SendDocumentInput, options?: SendDocumentOptions): Promise<SendDocumentResult> {
    const { sendDocument } = await import('./operations/send-document.js');
    try {
      return await sendDocument(this, input, options);
    } catch (error) {
      // MES says the pairing or a consent is gone: the cached session is stale, ask again next time.
      if (error instanceof MesError && (error.code === 'MES_AUTH_REQUIRED' || error.code === 'MES_CONSENT_REQUIRED')) {
        this.current = undefined;
      }
      throw error;
    }
  }

  /** Rejects with MES_INVALID_INPUT or MES_TOO_LARGE when the host's document cannot be sent as is. */
  async checkDocument(input: unknown): Promise<void> {
    const { checkSendDocumentInput } = await import('./operations/send-document.js');
    checkSendDocumentInput(input, this.lang);
  }

  private update(session: MesSession) {
    this.current = Promise.resolve(session);
    this.dispatchEvent(new MesSessionChangeEvent(session));
  }
}
