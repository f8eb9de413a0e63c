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
  type PairOptions,
  type ResultOf,
  type RunnableOperation,
} from '@mes-kit/core';
import { nothing, type ReactiveController, type ReactiveElement } from 'lit';
import { clientContext } from '../context/client-context.js';
import { mesEvent, type DetailOf } from '../events.js';
import { pairingFallback } from './pairing-fallback.js';

/** Each operation's events go by the kit's documented names: `mes-send-*`, `mes-import-*`… */
const EVENTS = {
  'send-document': 'send',
  'find-documents': 'import',
  'retrieve-document': 'import',
  'sync-agenda': 'agenda-sync',
  'send-measures': 'measures-send',
  'read-measures': 'measures-read',
} as const satisfies Record<RunnableOperation, string>;
type OperationEvents = (typeof EVENTS)[RunnableOperation];

/** Failures that leave the patient with no pairing (an element's `:state(not-paired)`). */
export const NOT_PAIRED_ERRORS: ReadonlySet<MesErrorCode> = new Set<MesErrorCode>([
  'MES_AUTH_REQUIRED',
  'MES_POPUP_BLOCKED',
  'MES_PAIRING_CANCELLED',
]);

/** A success anywhere on the client makes these stale: the pairing or the consent is there now. */
export const PAIRING_ERRORS: ReadonlySet<MesErrorCode> = new Set<MesErrorCode>([
  ...NOT_PAIRED_ERRORS,
  'MES_CONSENT_REQUIRED',
]);

/** A ratio (0 to 1) in whole percent, as the bar, the percentage beside it and the announcement show it. */
export const percentOf = (ratio: number): number => Math.min(100, Math.max(0, Math.round(ratio * 100)));

/** What a screen reader is told of a percentage: by quarters, so that it is not flooded by every percent. */
export const quarterOf = (percent: number): number => Math.floor(percent / 25) * 25;

/**
 * `starting` (the input checked, the session read), `pairing`, `running` and `revoking` are pending;
 * `success` and `error` tell how the last one ended.
 */
type PendingStatus = 'starting' | 'pairing' | 'running' | 'revoking';
export type OperationStatus = 'idle' | PendingStatus | 'success' | 'error';
const PENDING = new Set<OperationStatus>(['starting', 'pairing', 'running', 'revoking']);

export interface OperationControllerOptions<N extends RunnableOperation> {
  /** What `run()` runs. Without it (a consent prompt), the controller pairs and revokes only. */
  operation?: N;
  /** What `mes-<operation>-success` carries: identifiers, never health data (default: `null`). */
  detail?: (result: ResultOf<N>) => DetailOf<`mes-${OperationEvents}-success`>;
  /** The host's own `client` property, which wins over the one `<mes-provider>` gives. */
  client?: () => MesClient | undefined;
  /** Anything else the host listens to on its client; returns how to stop. Called again for a new client. */
  follow?: (client: MesClient) => () => void;
  /**
   * The host's own `pair()` or `revoke()` went through: what the host changes then (a prompt leaves its
   * choices), before the events that say so.
   */
  pairingChanged?: () => void;
  /** The host's own custom states (`paired`…); `true` for one the controller keeps (`pending`…) adds to its own. */
  states?: () => Record<string, boolean>;
  /** The host's ElementInternals, when it needs them too (a form-associated element): they attach once. */
  internals?: ElementInternals;
  /** `false`: no `mes-<operation>-*` events (a picker's listing is not an import); pairing events still fire. */
  events?: boolean;
}

/** One run of the operation within a task: its input, and what each of its progress events carries. */
export type OperationStep<N extends RunnableOperation> = (
  input: InputOf<N> | undefined,
  progress?: (progress: OperationProgress) => DetailOf<`mes-${OperationEvents}-progress`>,
) => Promise<ResultOf<N>>;

/** What an element does with its operation for one action of the patient's: one run, or several (an import of several documents). */
export interface OperationTask<N extends RunnableOperation, R> {
  /** What `mes-<operation>-start` carries (`null`: nothing to say). */
  start: DetailOf<`mes-${OperationEvents}-start`> | null;
  /** The runs, each through `step`, in the element's order; the first failure ends the task. */
  work: (step: OperationStep<N>) => Promise<R>;
  /** What `mes-<operation>-success` carries (`null`: nothing to say). */
  success: (result: R) => DetailOf<`mes-${OperationEvents}-success`> | null;
  /** What `mes-<operation>-error` carries (default: `{ error }`). */
  failure?: (error: MesError) => DetailOf<`mes-${OperationEvents}-error`>;
}

/** The host cancelled `mes-pair-start`: the task ends quietly, back to idle. */
class PairingDeclined extends Error {}

/** A pairing that went through, and whether this element opened it (rather than joined another's). */
interface Pairing {
  session: MesSession;
  opened: boolean;
}

/**
 * A Lit controller for one element's exchanges with MES: `run(input)` checks the input, pairs if
 * needed (or hands over to a consent prompt when the patient refused), runs the operation, and fires
 * `mes-<operation>-start|progress|success|error` and `mes-pair-*`; `pair()`, `refuse()` and `revoke()`
 * carry out a consent prompt's choice. Its state (`status`, `progress`, `error`, `result`, `session`)
 * is what the host renders, and it alone sets the host's custom states: `:state(pending|success|error)`
 * and those the host asks for. `run`, `pair`, `refuse` and `revoke` never reject.
 *
 * The state changes before the event that reports it, so that a listener finds the element as the
 * event says.
 */
export class OperationController<N extends RunnableOperation = RunnableOperation> implements ReactiveController {
  private readonly states: CustomStateSet;
  private readonly host: ReactiveElement;
  private readonly options: OperationControllerOptions<N>;
  private readonly context: ContextConsumer<typeof clientContext, ReactiveElement>;
  private currentStatus: OperationStatus = 'idle';
  private currentProgress?: OperationProgress;
  private currentError?: MesError;
  private currentResult?: ResultOf<N>;
  private currentSession?: MesSession;
  private currentSessionError?: MesError;
  /** The finalités of a pairing whose window was blocked: offered in the tab instead. */
  private blocked?: string[];
  /** What leaving the page aborts, while an operation or a pairing runs. */
  private abortController?: AbortController;
  private followed?: MesClient;
  private unfollow?: () => void;

  constructor(host: ReactiveElement, options: OperationControllerOptions<N> = {}) {
    this.host = host;
    this.options = options;
    this.states = (options.internals ?? host.attachInternals()).states;
    this.context = new ContextConsumer(host, { context: clientContext, subscribe: true });
    host.addController(this);
  }

  /** The host's `client`, else its `<mes-provider>`'s. */
  get client(): MesClient | undefined {
    return this.options.client?.() ?? this.context.value;
  }

  /** The operation `run()` runs, by its name in core. */
  get name(): N | undefined {
    return this.options.operation;
  }

  get status(): OperationStatus {
    return this.currentStatus;
  }

  /** From the click on, until it ends: a second click is not a second start. */
  get pending(): boolean {
    return PENDING.has(this.currentStatus);
  }

  /** The operation's last reported progress, while it runs. */
  get progress(): OperationProgress | undefined {
    return this.currentProgress;
  }

  /**
   * The run's progress in whole percent (0 before the first report): the one value an element's bar,
   * its percentage and its announcement read, so that they never disagree.
   */
  get percent(): number {
    return percentOf(this.currentProgress?.ratio ?? 0);
  }

  /**
   * MES's window is open for a pairing another element started (a consent prompt, another button):
   * this element waits for it, its actions disabled, rather than start anything meanwhile.
   */
  get waitingForPairing(): boolean {
    return this.client?.state.status === 'pairing' && this.currentStatus !== 'pairing';
  }

  get error(): MesError | undefined {
    return this.currentError;
  }

  get result(): ResultOf<N> | undefined {
    return this.currentResult;
  }

  /** The client's session, read as soon as the element has a client, and again by each pairing. */
  get session(): MesSession | undefined {
    return this.currentSession;
  }

  /** Why the session could not be read, until a pairing reads it. */
  get sessionError(): MesError | undefined {
    return this.currentSessionError;
  }

  hostConnected(): void {
    this.sync();
  }

  hostUpdate(): void {
    this.sync();
  }

  hostUpdated(): void {
    const own: Record<string, boolean> = {
      pending: this.pending,
      success: this.currentStatus === 'success',
      error: this.currentStatus === 'error',
    };
    const hosts = this.options.states?.() ?? {};
    for (const name of new Set([...Object.keys(own), ...Object.keys(hosts)])) {
      if (own[name] || hosts[name]) this.states.add(name);
      else this.states.delete(name);
    }
  }

  hostDisconnected(): void {
    this.unfollow?.();
    this.unfollow = undefined;
    this.followed = undefined;
    this.abortController?.abort();
  }

  /** Runs the operation with this input, pairing first if needed. Resolves with its result, or undefined. */
  async run(input: InputOf<N> | undefined): Promise<ResultOf<N> | undefined> {
    return this.perform<ResultOf<N>>({
      start: null,
      work: async (step): Promise<ResultOf<N>> => {
        const result: ResultOf<N> = await step(input);
        this.currentResult = result;
        return result;
      },
      success: (result) => this.options.detail?.(result) ?? null,
    });
  }

  /**
   * `run()` for an action that runs the operation its own way (several times: an import of several
   * documents), in the same life cycle: `mes-<operation>-start` (cancelable), each step's input
   * checked, the pairing made before the first step if the finalité is missing, progress, one
   * `mes-<operation>-success` or `-error`. Resolves with what `work` returns, or undefined.
   */
  async perform<R>(task: OperationTask<N, R>): Promise<R | undefined> {
    const { operation } = this.options;
    if (!operation || this.pending) return undefined;
    const events: OperationEvents = EVENTS[operation];
    if (!this.emitOwn(`mes-${events}-start`, task.start, true)) return undefined;
    this.begin('starting');
    const signal = this.abortable();
    let granted = false;
    const step: OperationStep<N> = async (input, progress = (reported) => reported): Promise<ResultOf<N>> => {
      const client = this.client;
      if (!client) throw new MesError('MES_CONFIGURATION', { operation });
      const checked = await client.check(operation, input);
      if (!granted && !(await this.grant(client, operation, checked, signal))) throw new PairingDeclined();
      granted = true;
      this.currentProgress = undefined;
      this.set('running');
      const result: ResultOf<N> = await client.run(operation, checked, {
        signal,
        onProgress: (reported) => {
          this.currentProgress = reported;
          this.host.requestUpdate();
          this.emitOwn(`mes-${events}-progress`, progress(reported));
        },
      });
      return result;
    };
    try {
      const result = await task.work(step);
      this.set('success');
      this.emitOwn(`mes-${events}-success`, task.success(result));
      return result;
    } catch (caught) {
      if (caught instanceof PairingDeclined) {
        this.set('idle');
        return undefined;
      }
      this.report(caught, operation, task.failure);
      return undefined;
    }
  }

  /**
   * The operation's finalité granted, pairing first if needed, without running it: for an element
   * that reads MES before the patient chooses (the import button, before it shows its picker).
   * Back to idle once granted; a failure is reported as `run()` reports it. Resolves with whether it is granted.
   */
  async authorize(): Promise<boolean> {
    const { operation } = this.options;
    if (!operation || this.pending) return false;
    this.begin('starting');
    try {
      const client = this.client;
      if (!client) throw new MesError('MES_CONFIGURATION', { operation });
      const granted = await this.grant(client, operation, undefined, this.abortable());
      this.set('idle');
      return granted;
    } catch (caught) {
      this.report(caught, operation);
      return false;
    }
  }

  /** Pairs with MES for these finalités (a consent prompt's choice). Resolves with the session, or undefined. */
  async pair(
    finalities: readonly string[],
    options: Omit<PairOptions, 'signal'> = {},
  ): Promise<MesSession | undefined> {
    const client = this.client;
    if (!client || finalities.length === 0 || this.pending) return undefined;
    this.begin('starting');
    try {
      const pairing = await this.openPairing(client, [...finalities], { ...options, signal: this.abortable() });
      if (!pairing) {
        this.set('idle');
        return undefined;
      }
      this.set('success');
      this.options.pairingChanged?.();
      this.announce(client, pairing);
      return pairing.session;
    } catch (caught) {
      this.emit('mes-pair-error', { error: this.fail(caught, 'pair') });
      return undefined;
    }
  }

  /** « Désynchroniser »: ends the pairing, in MES too. Resolves with whether it did. */
  async revoke(): Promise<boolean> {
    const client = this.client;
    if (!client || this.pending) return false;
    if (!this.emit('mes-revoke-start', null, true)) return false;
    this.begin('revoking');
    try {
      await client.revoke();
    } catch (caught) {
      this.emit('mes-revoke-error', { error: this.fail(caught, 'revoke') });
      return false;
    }
    this.set('success');
    this.options.pairingChanged?.();
    this.emit('mes-revoke-success', null);
    return true;
  }

  /**
   * « Tout refuser » (a consent prompt's choice): nothing is asked of MES, the client keeps the refusal
   * for the session, and `mes-consent-change` carries its receipt. Resolves with whether it is recorded.
   */
  async refuse(finalities: readonly string[], textVersion: string): Promise<boolean> {
    const client = this.client;
    if (!client || this.pending) return false;
    this.begin('starting');
    try {
      await client.recordRefusal(finalities, textVersion);
    } catch (caught) {
      this.fail(caught, 'pair');
      return false;
    }
    this.set('idle');
    this.record(client);
    return true;
  }

  /** Back to idle (a new document, a new choice); nothing while something runs. */
  reset(): void {
    if (!this.pending) this.clear();
  }

  /** Stops what runs, as leaving the page does (a listing whose filters changed). */
  abort(): void {
    this.abortController?.abort();
  }

  /** « Réessayer » when the session could not be read: reads it again (`session` and `sessionError` follow). */
  reloadSession(): void {
    const client = this.client;
    if (!client || !this.currentSessionError) return;
    this.currentSessionError = undefined;
    this.host.requestUpdate();
    this.loadSession(client);
  }

  /** When the pairing window was blocked: the way to pair in this tab instead, labelled so. */
  renderFallback(label: string) {
    return this.currentStatus === 'error' && this.blocked ? pairingFallback(this.client, this.blocked, label) : nothing;
  }

  /** Another element's success on this client: an error that was not about this element's input is stale. */
  private readonly handleSuccess = () => {
    const error = this.currentError;
    if (this.currentStatus !== 'error' || !error) return;
    if (error.retryable || PAIRING_ERRORS.has(error.code)) this.reset();
  };

  /** A pairing window opened or closed, whoever opened it: `waitingForPairing` changed. */
  private readonly handleStateChange = () => this.host.requestUpdate();

  /**
   * Whether the finalités this input needs are granted, pairing first when none is; false when the
   * host cancelled the pairing. An operation that needs several (measures of several types) goes on
   * with those granted, and leaves the others out.
   */
  private async grant(
    client: MesClient,
    operation: N,
    input: InputOf<N> | undefined,
    signal: AbortSignal,
  ): Promise<boolean> {
    const needed = await client.finalitiesOf(operation, input);
    const granted = await Promise.all(needed.map((finality) => client.isGranted(finality, { signal })));
    // Some granted: the patient chose what to let through (measures of some types and not others);
    // what they kept back is left out, and MES is not opened again unasked.
    if (granted.some(Boolean)) return true;
    const askable = needed.filter((finality) => !client.hasRefused(finality));
    if (askable.length === 0) {
      // Refused in this session: a consent prompt on this client offers itself.
      client.requestConsent(needed);
      throw new MesError('MES_CONSENT_REQUIRED', { operation });
    }
    // What the patient granted already is asked again with it: a new pairing replaces the old one in MES.
    const session = await client.session({ signal }).catch(() => undefined);
    const pairing = await this.openPairing(client, [...new Set([...(session?.finalities ?? []), ...askable])], {
      signal,
    });
    if (!pairing) return false;
    this.announce(client, pairing);
    // Paired, but the patient kept all of them back: say so now rather than fail at MES.
    if (!needed.some((finality) => pairing.session.finalities.includes(finality))) {
      throw new MesError('MES_CONSENT_REQUIRED', { operation });
    }
    return true;
  }

  /**
   * Through the client, which keeps one pairing at a time: asked while one is open, this joins it.
   * Undefined when the host cancelled `mes-pair-start`.
   */
  private async openPairing(
    client: MesClient,
    finalities: string[],
    options: PairOptions,
  ): Promise<Pairing | undefined> {
    if (!this.emit('mes-pair-start', { finalities }, true)) return undefined;
    // Only the element that opened the pairing speaks for the patient's choice: the others joined it.
    const opened = !client.pairing;
    this.set('pairing');
    try {
      return { session: await client.pair(finalities, options), opened };
    } catch (caught) {
      const error = normalizeError(caught, 'pair');
      if (error.code === 'MES_POPUP_BLOCKED') this.blocked = finalities;
      throw error;
    }
  }

  /** `mes-pair-success`, and from the element that opened the pairing (not one that joined it), its receipt. */
  private announce(client: MesClient, { session, opened }: Pairing) {
    this.currentSession = session;
    this.currentSessionError = undefined;
    this.emit('mes-pair-success', { finalities: session.finalities });
    if (opened) this.record(client);
  }

  /** The patient's last decision, as the client recorded it: the one receipt the host keeps. */
  private record(client: MesClient) {
    const receipt = client.lastReceipt;
    if (receipt) this.emit('mes-consent-change', { receipt });
  }

  /** Something starts: pending from now on. */
  private begin(status: PendingStatus) {
    this.clear();
    this.set(status);
  }

  /** What the host's leaving the page aborts, until the status is no longer pending. */
  private abortable(): AbortSignal {
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

  /** A failure of the operation (or of the pairing it needed): the error state, then its events. */
  private report(
    caught: unknown,
    operation: N,
    detail: (error: MesError) => DetailOf<`mes-${OperationEvents}-error`> = (error) => ({ error }),
  ) {
    const error = this.fail(caught, operation);
    if (error.operation === 'pair') this.emit('mes-pair-error', { error });
    const events: OperationEvents = EVENTS[operation];
    this.emitOwn(`mes-${events}-error`, detail(error));
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
    // Nothing runs any more: leaving the page has nothing to abort.
    if (!this.pending) this.abortController = undefined;
    this.host.requestUpdate();
  }

  private emit<K extends keyof HTMLElementEventMap>(type: K, detail: DetailOf<K> | null, cancelable = false): boolean {
    return this.host.dispatchEvent(mesEvent(type, detail, cancelable));
  }

  /** The operation's own events, unless the host asked for none. */
  private emitOwn<K extends keyof HTMLElementEventMap>(
    type: K,
    detail: DetailOf<K> | null,
    cancelable = false,
  ): boolean {
    return this.options.events === false || this.emit(type, detail, cancelable);
  }

  /** Known before the click, so that a needed pairing popup opens within the click's user activation. */
  private loadSession(client: MesClient) {
    client.session().then(
      (session) => {
        if (client !== this.followed) return;
        this.currentSession = session;
        this.host.requestUpdate();
      },
      (error: unknown) => {
        if (client !== this.followed) return;
        this.currentSessionError = normalizeError(error);
        this.host.requestUpdate();
      },
    );
  }

  /** Follows the client the host has now: its session preloaded, its successes, the host's own listeners. */
  private sync() {
    const client = this.client;
    if (client === this.followed || !this.host.isConnected) return;
    this.unfollow?.();
    this.unfollow = undefined;
    this.followed = client;
    this.currentSession = undefined;
    this.currentSessionError = undefined;
    if (!client) return;
    this.loadSession(client);
    client.addEventListener('mes-success', this.handleSuccess);
    client.addEventListener('mes-state-change', this.handleStateChange);
    // The operation's code loads when the patient comes near the element, not with the page, and
    // not on the click either: a popup opened after a slow load would lose the click's activation.
    const warm = () => {
      if (this.options.operation) client.finalitiesOf(this.options.operation).catch(() => undefined);
    };
    this.host.addEventListener('pointerenter', warm, { once: true });
    this.host.addEventListener('focusin', warm, { once: true });
    const stopHost = this.options.follow?.(client);
    this.unfollow = () => {
      client.removeEventListener('mes-success', this.handleSuccess);
      client.removeEventListener('mes-state-change', this.handleStateChange);
      this.host.removeEventListener('pointerenter', warm);
      this.host.removeEventListener('focusin', warm);
      stopHost?.();
    };
  }
}
