/**
 * How a MesClient reaches Mon espace santé: through the portal's gateway, which runs the operations
 * on the server (remote), or from the page itself, which runs them here (direct, in-process).
 */
import type { MeasuresQuery } from '../measures/preview.js';
import type { MeasuresSummary } from '../measures/summary.js';
import type { OperationProgress } from '../operations/operation.js';
import type { RunnableOperation } from '../operations/registry.js';

/** The pairing state as a transport reports it (no token, no health data). */
export interface MesSession {
  paired: boolean;
  /** The finalités the patient grants this service right now. */
  finalities: string[];
  /** The patient's idPe, once paired: the documents' subject. */
  idPe?: string;
  service: { oid: string; name: string };
}

export interface FhirRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  /** Relative to the FHIR base: '' for a transaction, 'DocumentReference?…', 'Binary/…'. */
  path: string;
  /** JSON, or its UTF-8 bytes when large (a document's bundle). */
  body?: string | Uint8Array<ArrayBuffer>;
  headers?: Record<string, string>;
}

export interface RequestOptions {
  signal?: AbortSignal;
  onUploadProgress?: (loaded: number, total: number) => void;
}

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (progress: OperationProgress) => void;
}

interface Pairing {
  session(signal?: AbortSignal): Promise<MesSession>;
  /** Runs the MES pairing for these finalités; resolves with the new session. */
  pair(finalities: readonly string[], signal?: AbortSignal): Promise<MesSession>;
  /** Ends the pairing (« Désynchroniser »). */
  revoke(): Promise<void>;
  /** Where to send the patient to pair in the current tab when the popup is blocked, if this transport can. */
  redirectPairingUrl?(finalities: readonly string[], returnTo: string): string;
  /** Pairs in the current tab (MES sends the patient back to this page), when a link cannot. */
  pairInTab?(finalities: readonly string[]): Promise<void>;
  /** Brings the open pairing window to the front, when this transport opened one. */
  focusPairing?(): void;
}

/** The page holds the tokens and runs the operations itself (direct mode, in-process sandbox). */
export interface LocalTransport extends Pairing {
  kind: 'local';
  /** One FHIR call; resolves with any HTTP answer, rejects only when there is none. */
  request(request: FhirRequest, options?: RequestOptions): Promise<Response>;
}

/** A server runs the operations for the page, which never reaches MES itself (gateway mode). */
export interface RemoteTransport extends Pairing {
  kind: 'remote';
  /** Runs the operation on the server with the (already checked) input; rejects with a MesError. */
  run(name: RunnableOperation, input: unknown, options?: RunOptions): Promise<unknown>;
  /** The host's agenda as an .ics file (`only` these ids), which needs no pairing with MES. */
  agendaCalendar?(only?: readonly string[], signal?: AbortSignal): Promise<Blob>;
  /** What the host's readings would send (`kinds`, `from`, `to` as the page chose), which needs no pairing either. */
  measuresSummary?(query: MeasuresQuery, signal?: AbortSignal): Promise<MeasuresSummary>;
}

export type Transport = LocalTransport | RemoteTransport;
