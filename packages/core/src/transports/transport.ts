/** How a MesClient reaches Mon espace santé: through the portal's gateway, directly, or in-process. */
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
  method: 'GET' | 'POST' | 'PATCH';
  /** Relative to the FHIR base: '' for a transaction, 'DocumentReference?…', 'Binary/…'. */
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

export interface RequestOptions {
  signal?: AbortSignal;
  onUploadProgress?: (loaded: number, total: number) => void;
}

export interface Transport {
  session(signal?: AbortSignal): Promise<MesSession>;
  /** Runs the MES pairing for these finalités; resolves with the new session. */
  pair(finalities: readonly string[], signal?: AbortSignal): Promise<MesSession>;
  /** Ends the pairing (« Désynchroniser »). */
  revoke(): Promise<void>;
  /** Where to send the patient to pair in the current tab when the popup is blocked, if this transport can. */
  redirectPairingUrl?(finalities: readonly string[], returnTo: string): string;
  /** Pairs in the current tab (MES sends the patient back to this page), when a link cannot. */
  pairInTab?(finalities: readonly string[]): Promise<void>;
  /** One FHIR call; resolves with any HTTP answer, rejects only when there is none. */
  request(request: FhirRequest, options?: RequestOptions): Promise<Response>;
}
