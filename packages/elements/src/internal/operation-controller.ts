/**
 * The life cycle every element that works with Mon espace santé shares, so that each element keeps
 * only its render: which client, pairing when the operation's finalité is missing, consent the
 * patient already refused, progress, errors, custom states and events.
 */
import { ContextConsumer } from '@lit/context';
import {
  MesError,
  normalizeError,
  type InputOf,
  type MesClient,
  type MesErrorCode,
  type MesSession,
  type OperationName,
  type OperationProgress,
  type ResultOf,
  type RunnableOperation,
} from '@mes-kit/core';
import { nothing, type ReactiveController, type ReactiveElement } from 'lit';
import { clientContext } from '../context/client-context.js';
import { mesEvent } from '../events.js';
import { pairingFallback } from './pairing-fallback.js';

/** Each operation's events go by the kit's documented names: `mes-send-*`, `mes-import-*`… */
const EVENTS: Record<RunnableOperation, string> = { 'send-document': 'send', 'find-documents': 'import' };

/** A success anywhere on the client makes these stale: the pairing or the consent is there now. */
const PAIRING_ERRORS = new Set<MesErrorCode>([
  'MES_AUTH_REQUIRED',
  'MES_CONSENT_REQUIRED',
  'MES_POPUP_BLOCKED',
  'MES_PAIRING_CANCELLED',
]);

/** `pairing`, `running` and `revoking` are pending; `success` and `error` tell how the last one ended. */
export type OperationStatus = 'idle' | 'pairing' | 'running' | 'revoking' | 'success' | 'error';

export interface OperationControllerOptions<N extends RunnableOperation> {
  /** What `run()` runs. Without it (a consent prompt), the controller pairs and revokes only. */
  operation?: N;
  /** What `mes-<operation>-success` carries: identifiers, never health data (default: `null`). */
  detail?: (result: ResultOf<N>) => object;
  /** The host's own `client` property, which wins over the one `<mes-provider>` gives. */
  client?: () => MesClient | undefined;
  /** Anything else the host listens to on its client; returns how to stop. Called again for a new client. */
  follow?: (client: MesClient) => () => void;
}

/** A pairing that went through, and whether this element opened it (rather than joined another's). */
interface Pairing {
  session: MesSession;
  opened: boolean;
}

export interface PairingOptions {
  /** The version of the text the patient was shown, for the receipt. */
  textVersion?: string;
  /** Every finalité the patient was offered: those not granted are refused in the receipt (default: those asked). */
  offered?: readonly string[];
}

/**
 * A Lit controller for one element's exchanges with MES: `run(input)` checks the input, pairs if
 * needed (or hands over to a consent prompt when the patient refused), runs the operation, and fires
 * `mes-<operation>-start|progress|success|error` and `mes-pair-*`; `pair()` and `revoke()` drive a
 * pairing alone. Its state (`status`, `progress`, `error`, `result`) is what the host renders, and
 * it sets the host's `:state(pending|success|error)`. `run`, `pair` and `revoke` never reject.
 *
 * The state changes before the event that reports it, so that a listener finds the element as the
 * event says.
 */
export class OperationController<N extends RunnableOperation = RunnableOperation> implements ReactiveController {
  /** The host's custom states: the controller keeps `pending`, `success` and `error`; the host may add its own. */
  readonly states: CustomStateSet;
  private readonly host: ReactiveElement;
  private readonly options: OperationControllerOptions<N>;
  private readonly context: ContextConsumer<typeof clientContext, ReactiveElement>;
  private currentStatus: OperationStatus = 'idle';
  private currentProgress?: OperationProgress;
  private currentError?: MesError;
  private currentResult?: ResultOf<N>;
  /** The finalités of a pairing whose window was blocked: offered in the tab instead. */
  private blocked?: string[];
  /** Set while anything runs, from the click on: a second click is not a second run. */
  private abortController?: AbortController;
  private followed?: MesClient;
  private unfollow?: () => void;

  constructor(host: ReactiveElement, options: OperationControllerOptions<N> = {}) {
    this.host = host;
    this.options = options;
    this.states = host.attachInternals().states;
    this.context = new ContextConsumer(host, { context: clientContext, subscribe: true });
    host.addController(this);
  }

  /** The host's `client`, else its `<mes-provider>`'s. */
  get client(): MesClient | undefined {
    return this.options.client?.() ?? this.context.value;
  }

  get status(): OperationStatus {
    return this.currentStatus;
  }

  get pending(): boolean {
    return this.currentStatus === 'pairing' || this.currentStatus === 'running' || this.currentStatus === 'revoking';
  }

  /** The operation's last reported progress, while it runs. */
  get progress(): OperationProgress | undefined {
    return this.currentProgress;
  }

  get error(): MesError | undefined {
    return this.currentError;
  }

  get result(): ResultOf<N> | undefined {
    return this.currentResult;
  }

  hostConnected(): void {
    this.sync();
  }

  hostUpdate(): void {
    this.sync();
  }

  hostUpdated(): void {
    this.toggleState('pending', this.pending);
    this.toggleState('success', this.currentStatus === 'success');
    this.toggleState('error', this.currentStatus === 'error');
  }

  hostDisconnected(): void {
    this.unfollow?.();
    this.unfollow = undefined;
    this.followed = undefined;
    this.abortController?.abort();
  }

  /** Runs the operation with this input, pairing first if needed. Resolves with its result, or undefined. */
  async run(input: InputOf<N> | undefined): Promise<ResultOf<N> | undefined> {
    const { operation } = this.options;
    if (!operation || this.abortController) return undefined;
    const events = EVENTS[operation];
    if (!this.emit(`mes-${events}-start`, null, true)) return undefined;
    const signal = this.begin();
    try {
      const outcome = await this.attempt(operation, input, signal);
      this.abortController = undefined;
      if (!outcome) {
        this.set('idle');
        return undefined;
      }
      this.currentResult = outcome.result;
      this.set('success');
      this.emit(`mes-${events}-success`, this.options.detail?.(outcome.result) ?? null);
      return outcome.result;
    } catch (caught) {
      this.abortController = undefined;
      const error = this.fail(caught, operation);
      if (error.operation === 'pair') this.emit('mes-pair-error', { error });
      this.emit(`mes-${events}-error`, { error });
      return undefined;
    }
  }

  /** Pairs with MES for these finalités (a consent prompt's choice). Resolves with the session, or undefined. */
  async pair(finalities: readonly string[], options: PairingOptions = {}): Promise<MesSession | undefined> {
    const client = this.client;
    if (!client || finalities.length === 0 || this.abortController) return undefined;
    const signal = this.begin();
    try {
      const pairing = await this.openPairing(client, [...finalities], options.textVersion, signal);
      this.abortController = undefined;
      if (!pairing) {
        this.set('idle');
        return undefined;
      }
      this.set('success');
      this.announcePairing(client, pairing, options.offered);
      return pairing.session;
    } catch (caught) {
      this.abortController = undefined;
      this.emit('mes-pair-error', { error: this.fail(caught, 'pair') });
      return undefined;
    }
  }

  /** « Désynchroniser »: ends the pairing, in MES too. Resolves with whether it did. */
  async revoke(): Promise<boolean> {
    const client = this.client;
    if (!client || this.abortController) return false;
    if (!this.emit('mes-revoke-start', null, true)) return false;
    this.begin();
    this.set('revoking');
    try {
      await client.revoke();
    } catch (caught) {
      this.abortController = undefined;
      this.emit('mes-revoke-error', { error: this.fail(caught, 'revoke') });
      return false;
    }
    this.abortController = undefined;
    this.set('success');
    this.emit('mes-revoke-success', null);
    return true;
  }

  /** Back to idle (a new document, a new choice); nothing while something runs. */
  reset(): void {
    if (!this.abortController) this.clear();
  }

  /** When the pairing window was blocked: the way to pair in this tab instead, labelled so. */
  renderFallback(label: string) {
    return this.currentStatus === 'error' && this.blocked ? pairingFallback(this.client, this.blocked, label) : nothing;
  }

  private async attempt(
    operation: N,
    input: InputOf<N> | undefined,
    signal: AbortSignal,
  ): Promise<{ result: ResultOf<N> } | undefined> {
    const client = this.client;
    if (!client) throw new MesError('MES_CONFIGURATION', { operation });
    const checked = await client.check(operation, input);
    const finality = await client.finalityOf(operation);
    if (!(await this.grants(client, finality, signal))) {
      if (client.hasRefused(finality)) {
        // Refused in this session: MES is not opened again unasked; a consent prompt on this client offers itself.
        client.requestConsent([finality]);
        throw new MesError('MES_CONSENT_REQUIRED', { operation });
      }
      const pairing = await this.openPairing(client, [finality], undefined, signal);
      if (!pairing) return undefined;
      this.announcePairing(client, pairing);
      // Paired, but the patient kept this finalité back: say so now rather than fail at MES.
      if (!pairing.session.finalities.includes(finality)) throw new MesError('MES_CONSENT_REQUIRED', { operation });
    }
    this.set('running');
    const events = EVENTS[operation];
    const result = await client.run(operation, checked, {
      signal,
      onProgress: (progress) => {
        this.currentProgress = progress;
        this.host.requestUpdate();
        this.emit(`mes-${events}-progress`, progress);
      },
    });
    return { result };
  }

  private async grants(client: MesClient, finality: string, signal: AbortSignal): Promise<boolean> {
    const session = await client.session({ signal });
    const { state } = client;
    // MES withdrew it since the session was read: pairing again is how the patient confirms it.
    const withdrawn = state.status === 'reapproval-required' && state.refused.includes(finality);
    return session.paired && session.finalities.includes(finality) && !withdrawn;
  }

  /**
   * Through the client, which keeps one pairing at a time: asked while one is open, this joins it.
   * Undefined when the host cancelled `mes-pair-start`.
   */
  private async openPairing(
    client: MesClient,
    finalities: string[],
    textVersion: string | undefined,
    signal: AbortSignal,
  ): Promise<Pairing | undefined> {
    if (!this.emit('mes-pair-start', { finalities }, true)) return undefined;
    // Only the element that opened the pairing speaks for the patient's choice: the others joined it.
    const opened = !client.pairing;
    this.set('pairing');
    try {
      return { session: await client.pair(finalities, { signal, textVersion }), opened };
    } catch (caught) {
      const error = normalizeError(caught, 'pair');
      if (error.code === 'MES_POPUP_BLOCKED') this.blocked = finalities;
      throw error;
    }
  }

  /**
   * `mes-pair-success`, and from the element that opened the pairing, the client's receipt of it:
   * what the patient was offered and did not take counts as refused too.
   */
  private announcePairing(client: MesClient, { session, opened }: Pairing, offered: readonly string[] = []) {
    this.emit('mes-pair-success', { finalities: session.finalities });
    let receipt = client.lastReceipt;
    if (!opened || !receipt) return;
    const { refused } = receipt;
    const declined = offered.filter((code) => !session.finalities.includes(code) && !refused.includes(code));
    if (declined.length > 0) {
      receipt = { ...receipt, refused: [...refused, ...declined] };
      client.recordConsent(receipt);
    }
    this.emit('mes-consent-change', { receipt });
  }

  private begin(): AbortSignal {
    this.clear();
    this.abortController = new AbortController();
    return this.abortController.signal;
  }

  private clear() {
    this.currentError = undefined;
    this.currentProgress = undefined;
    this.currentResult = undefined;
    this.blocked = undefined;
    this.set('idle');
  }

  private fail(caught: unknown, operation: OperationName): MesError {
    // Shared steps (the session) know no operation: their errors belong to this one.
    const error = caught instanceof MesError && caught.operation ? caught : normalizeError(caught, operation);
    this.currentError = error;
    this.set('error');
    return error;
  }

  private set(status: OperationStatus) {
    this.currentStatus = status;
    this.host.requestUpdate();
  }

  private emit(type: string, detail: unknown, cancelable = false): boolean {
    return this.host.dispatchEvent(mesEvent(type, detail, cancelable));
  }

  private toggleState(state: string, on: boolean) {
    if (on) this.states.add(state);
    else this.states.delete(state);
  }

  /** Follows the client the host has now: its session preloaded, its successes, the host's own listeners. */
  private sync() {
    const client = this.client;
    if (client === this.followed || !this.host.isConnected) return;
    this.unfollow?.();
    this.unfollow = undefined;
    this.followed = client;
    if (!client) return;
    // Known before the click, so that a needed pairing popup opens within the click's user activation.
    client.session().catch(() => undefined);
    client.addEventListener('mes-success', this.handleSuccess);
    // The operation's code loads when the patient comes near the element, not with the page, and
    // not on the click either: a popup opened after a slow load would lose the click's activation.
    const warm = () => {
      if (this.options.operation) client.finalityOf(this.options.operation).catch(() => undefined);
    };
    this.host.addEventListener('pointerenter', warm, { once: true });
    this.host.addEventListener('focusin', warm, { once: true });
    const stopHost = this.options.follow?.(client);
    this.unfollow = () => {
      client.removeEventListener('mes-success', this.handleSuccess);
      this.host.removeEventListener('pointerenter', warm);
      this.host.removeEventListener('focusin', warm);
      stopHost?.();
    };
  }

  /** Another element's success on this client: an error that was not about this element's input is stale. */
  private readonly handleSuccess = () => {
    const error = this.currentError;
    if (this.currentStatus !== 'error' || !error) return;
    if (error.retryable || PAIRING_ERRORS.has(error.code)) this.reset();
  };
}
