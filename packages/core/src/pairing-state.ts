/**
 * Where the patient's pairing with MES stands, as the kit knows it: a small state machine fed by
 * the gateway's (or the tokens') session, the pairing itself, and MES's refusals.
 */

export type PairingState =
  /** Never paired in this session, or MES does not know the service for this patient. */
  | { status: 'not-paired' }
  /** The MES pairing window is open. */
  | { status: 'pairing'; finalities: string[] }
  | { status: 'paired'; finalities: string[] }
  /**
   * MES refuses every finalité in `refused`, which the pairing had: switched off in MES, or awaiting
   * the patient's approval again (MES says the same in both cases). `finalities` are the others.
   */
  | { status: 'reapproval-required'; finalities: string[]; refused: string[] }
  /** Ended: « Désynchroniser » from the portal, or in MES. */
  | { status: 'revoked' };

export type PairingEvent =
  | { type: 'session'; paired: boolean; finalities: string[] }
  | { type: 'pair-start'; finalities: string[] }
  | { type: 'pair-end'; paired: boolean; finalities: string[] }
  | { type: 'revoked' }
  /** MES answered 403 « Consent not given » for an operation needing this finalité. */
  | { type: 'consent-refused'; finality: string };

export const INITIAL_PAIRING_STATE: PairingState = { status: 'not-paired' };

export function nextPairingState(state: PairingState, event: PairingEvent): PairingState {
  switch (event.type) {
    case 'session':
      if (event.paired) {
        // A fresh session does not undo what MES said about a finalité since.
        return state.status === 'reapproval-required' ? state : { status: 'paired', finalities: event.finalities };
      }
      return state.status === 'revoked' ? state : { status: 'not-paired' };
    case 'pair-start':
      return { status: 'pairing', finalities: event.finalities };
    case 'pair-end':
      return event.paired ? { status: 'paired', finalities: event.finalities } : { status: 'not-paired' };
    case 'revoked':
      return { status: 'revoked' };
    case 'consent-refused':
      if (
        (state.status !== 'paired' && state.status !== 'reapproval-required') ||
        !state.finalities.includes(event.finality)
      )
        return state;
      return {
        status: 'reapproval-required',
        finalities: state.finalities.filter((code) => code !== event.finality),
        refused: [...(state.status === 'reapproval-required' ? state.refused : []), event.finality],
      };
  }
}
