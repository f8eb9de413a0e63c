/**
 * The events elements fire: `mes-<operation>-start` (cancelable), `-progress`, `-success`, `-error`.
 * They bubble and cross shadow roots; their details carry no health data. Elements fire them only
 * through names declared here, with the detail declared here.
 */
import type { ConsentReceipt, MesError, OperationProgress } from '@mes-kit/core';

export interface MesSendSuccessDetail {
  /** The DocumentReference's id in MES. */
  id: string;
  alreadyPresent: boolean;
}
export interface MesErrorDetail {
  error: MesError;
}
export interface MesPairDetail {
  finalities: string[];
}

export interface MesConsentChangeDetail {
  receipt: ConsentReceipt;
}

/** The detail an event of the map carries. */
export type DetailOf<K extends keyof HTMLElementEventMap> =
  HTMLElementEventMap[K] extends CustomEvent<infer D> ? D : never;

export function mesEvent<T>(type: string, detail: T, cancelable = false): CustomEvent<T> {
  return new CustomEvent<T>(type, { detail, bubbles: true, composed: true, cancelable });
}

declare global {
  interface HTMLElementEventMap {
    'mes-send-start': CustomEvent<null>;
    'mes-send-progress': CustomEvent<OperationProgress>;
    'mes-send-success': CustomEvent<MesSendSuccessDetail>;
    'mes-send-error': CustomEvent<MesErrorDetail>;
    'mes-import-start': CustomEvent<null>;
    'mes-import-progress': CustomEvent<OperationProgress>;
    /** No element imports yet: what this success carries comes with the first one. */
    'mes-import-success': CustomEvent<null>;
    'mes-import-error': CustomEvent<MesErrorDetail>;
    'mes-pair-start': CustomEvent<MesPairDetail>;
    'mes-pair-success': CustomEvent<MesPairDetail>;
    'mes-pair-error': CustomEvent<MesErrorDetail>;
    'mes-revoke-start': CustomEvent<null>;
    'mes-revoke-success': CustomEvent<null>;
    'mes-revoke-error': CustomEvent<MesErrorDetail>;
    'mes-consent-change': CustomEvent<MesConsentChangeDetail>;
  }
}
