/**
 * The unit of work: one exchange with Mon espace santé, written once against a small context, so
 * that the page (direct and in-process modes) and the gateway (gateway mode) run the very same code.
 */
import type { OperationName } from '../errors.js';
import type { RetryPolicy } from '../fhir/retry-policy.js';
import type { Finality } from '../finalities.js';
import type { FhirRequest, MesSession, RequestOptions } from '../transports/transport.js';

/** A session the operation may act for: paired, with the patient's idPe. */
export type PairedSession = MesSession & { paired: true; idPe: string };

export interface OperationProgress {
  /** What is happening now (`preparing`, `uploading`, `confirming`…). */
  phase: string;
  /** 0 to 1, over the whole operation; never goes back. */
  ratio: number;
  /** Of an operation over many items (readings): how many are through, of how many. */
  done?: number;
  total?: number;
}

export interface OperationContext {
  session: PairedSession;
  /** One FHIR call to MES with this session's tokens; resolves with any HTTP answer, rejects when there is none. */
  request: (request: FhirRequest, options?: RequestOptions) => Promise<Response>;
  retry: RetryPolicy;
  signal?: AbortSignal;
  onProgress?: (progress: OperationProgress) => void;
}

export interface Operation<Input = unknown, Result = unknown> {
  name: OperationName;
  /**
   * What the patient must have granted for this input (for any input, without one). Without any of
   * it, nothing is asked of MES; an operation that needs several (measures of several types) sends
   * only what is granted.
   */
  finalities(input?: Input): readonly Finality[];
  /** Checks what the host gave, before any network call; throws MES_INVALID_INPUT or MES_TOO_LARGE. */
  parse(input: unknown): Input;
  run(context: OperationContext, input: Input): Promise<Result>;
}

/** Progress that only moves forward, rounded, whatever order the phases' estimates arrive in. */
export function forwardProgress(onProgress?: (progress: OperationProgress) => void) {
  let reached = -1;
  return (progress: OperationProgress) => {
    const ratio = Math.min(1, Math.round(progress.ratio * 1000) / 1000);
    if (ratio < reached) return;
    reached = ratio;
    onProgress?.({ ...progress, ratio });
  };
}
