import type { MesSession, RemoteTransport, RunnableOperation } from '@mes-kit/core';

export interface FakeRemoteOptions {
  /** Already paired with these finalités (default: not paired). */
  paired?: string[];
  /** The pairing stays open until `release()`, as a MES window the patient has not finished with. */
  holdPairing?: boolean;
  /** What the gateway answers an operation with (default: a document filed for the first time). */
  run?: (name: RunnableOperation, input: unknown) => Promise<unknown>;
}

export interface FakeRemote extends RemoteTransport {
  /** Everything the page asked of the gateway. */
  calls: { pair: string[][]; focus: number; run: { name: RunnableOperation; input: unknown }[] };
  /** Ends the held pairing: the patient granted these finalités in MES (default: all those asked). */
  release(granted?: string[]): void;
}

/** A gateway stand-in (remote transport) that records what the page sends it, and holds nothing else. */
export function fakeRemote(options: FakeRemoteOptions = {}): FakeRemote {
  let finalities = options.paired ?? [];
  let asked: string[] = [];
  let finish: (() => void) | undefined;
  const session = async (): Promise<MesSession> => ({
    paired: finalities.length > 0,
    finalities,
    idPe: finalities.length > 0 ? 'patient-externe-id-2' : undefined,
    service: { oid: '1.2.250.1.999.42.1', name: 'Hôpital Lumière — portail patient' },
  });
  const calls: FakeRemote['calls'] = { pair: [], focus: 0, run: [] };
  return {
    kind: 'remote',
    calls,
    session,
    async pair(wanted) {
      calls.pair.push([...wanted]);
      asked = [...wanted];
      if (options.holdPairing) await new Promise<void>((resolve) => (finish = resolve));
      else finalities = asked;
      return session();
    },
    release(granted) {
      finalities = granted ?? asked;
      finish?.();
    },
    focusPairing() {
      calls.focus++;
    },
    async revoke() {
      finalities = [];
    },
    async run(name, input) {
      calls.run.push({ name, input });
      if (options.run) return options.run(name, input);
      return { id: 'doc-1', masterIdentifier: 'urn:uuid:7b1c5a52-2f50-5d7e-9d4e-3c1f0c2d9a11', alreadyPresent: false };
    },
  };
}
