/**
 * A stand-in for the portal's gateway, for the states the in-page sandbox cannot hold still: a MES
 * window the patient never closes, a blocked popup, a document MES turns down.
 */
import { MesError, type MesSession, type RemoteTransport } from '@mes-kit/core';

export interface StoryGatewayOptions {
  /** Already paired with these finalités (default: not paired). */
  paired?: string[];
  /** `open`: the MES window stays open; `blocked`: the browser blocked it. Default: paired at once. */
  pairing?: 'open' | 'blocked';
  /** MES refuses every operation with this error (default: the document is filed). */
  failure?: MesError;
}

export function storyGateway(options: StoryGatewayOptions = {}): RemoteTransport {
  let finalities = options.paired ?? [];
  const session = async (): Promise<MesSession> => ({
    paired: finalities.length > 0,
    finalities,
    idPe: finalities.length > 0 ? 'patient-externe-id-2' : undefined,
    service: { oid: '1.2.250.1.999.42.1', name: 'Hôpital Lumière — portail patient' },
  });
  return {
    kind: 'remote',
    session,
    async pair(wanted) {
      if (options.pairing === 'open') return new Promise<never>(() => undefined);
      if (options.pairing === 'blocked') throw new MesError('MES_POPUP_BLOCKED', { operation: 'pair' });
      finalities = [...wanted];
      return session();
    },
    redirectPairingUrl: () => '#pairing-in-this-tab',
    async revoke() {
      finalities = [];
    },
    async run() {
      if (options.failure) throw options.failure;
      return {
        id: 'story-document',
        masterIdentifier: 'urn:uuid:0f1e2d3c-4b5a-5968-8776-655443322110',
        alreadyPresent: false,
      };
    },
  };
}
