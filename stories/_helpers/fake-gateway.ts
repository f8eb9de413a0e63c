/**
 * A stand-in for the portal's gateway (a remote transport), shared by the stories and the element
 * tests: it holds the states the in-page sandbox cannot hold still — a MES window the patient has not
 * finished with, a blocked popup, an answer MES turns down — and records what the page asked of it.
 * Browser-safe: no server, no sandbox.
 */
import {
  MesError,
  type MesErrorCode,
  type MesSession,
  type RemoteTransport,
  type RunnableOperation,
} from '@mes-kit/core';

export interface FakeGatewayOptions {
  /** Already paired with these finalités (default: not paired). */
  paired?: string[];
  /** `held`: the MES window stays open until `release()`; `blocked`: the browser blocked it. Default: granted at once. */
  pairing?: 'held' | 'blocked';
  /** What the gateway answers an operation with (default: a document filed for the first time). */
  run?: (name: RunnableOperation, input: unknown) => Promise<unknown>;
  /** `loading`: the session never comes; `failing`: the portal cannot be reached to read it. Default: at once. */
  session?: 'loading' | 'failing';
  /** Every operation fails with this code, as the gateway reports MES's answer (see `failure`). */
  fails?: MesErrorCode;
}

/** HTTP statuses behind the codes that have one, as MES or the gateway answer them. */
const STATUSES: Partial<Record<MesErrorCode, number>> = {
  MES_INVALID_INPUT: 400,
  MES_AUTH_REQUIRED: 401,
  MES_CONSENT_REQUIRED: 403,
  MES_TOO_LARGE: 413,
  MES_REJECTED: 422,
  MES_RATE_LIMITED: 429,
  MES_UNAVAILABLE: 503,
};

/** A failure of `operation` as the client would report it: the code, with its status when it has one. */
export function failure(code: MesErrorCode, operation: RunnableOperation): MesError {
  return new MesError(code, { operation, status: STATUSES[code] });
}

export interface FakeGateway extends RemoteTransport {
  /** Everything the page asked of the gateway. */
  calls: { pair: string[][]; focus: number; run: { name: RunnableOperation; input: unknown }[] };
  /** Ends the held pairing: the patient granted these finalités in MES (default: all those asked). */
  release(granted?: string[]): void;
}

export function fakeGateway(options: FakeGatewayOptions = {}): FakeGateway {
  let finalities = options.paired ?? [];
  let asked: string[] = [];
  let finish: (() => void) | undefined;
  const current = (): MesSession => ({
    paired: finalities.length > 0,
    finalities,
    idPe: finalities.length > 0 ? 'patient-externe-id-2' : undefined,
    service: { oid: '1.2.250.1.999.42.1', name: 'Hôpital Lumière — portail patient' },
  });
  const session = async (): Promise<MesSession> => {
    if (options.session === 'loading') await new Promise<never>(() => undefined);
    if (options.session === 'failing') throw new MesError('MES_NETWORK');
    return current();
  };
  const calls: FakeGateway['calls'] = { pair: [], focus: 0, run: [] };
  return {
    kind: 'remote',
    calls,
    session,
    async pair(wanted) {
      calls.pair.push([...wanted]);
      if (options.pairing === 'blocked') throw new MesError('MES_POPUP_BLOCKED', { operation: 'pair' });
      asked = [...wanted];
      if (options.pairing === 'held') await new Promise<void>((resolve) => (finish = resolve));
      else finalities = asked;
      return current();
    },
    release(granted) {
      finalities = granted ?? asked;
      finish?.();
    },
    focusPairing() {
      calls.focus++;
    },
    redirectPairingUrl: () => '#pairing-in-this-tab',
    async revoke() {
      finalities = [];
    },
    async run(name, input) {
      calls.run.push({ name, input });
      if (options.fails) throw failure(options.fails, name);
      if (options.run) return options.run(name, input);
      return { id: 'doc-1', masterIdentifier: 'urn:uuid:7b1c5a52-2f50-5d7e-9d4e-3c1f0c2d9a11', alreadyPresent: false };
    },
  };
}
