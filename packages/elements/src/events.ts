/**
 * The events elements fire: `mes-<operation>-start` (cancelable), `-progress`, `-success`, `-error`.
 * They bubble and cross shadow roots; their details carry no health data.
 */
import type { MesError, SendProgress } from '@mes-kit/core';

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

export function mesEvent<T>(type: string, detail: T, cancelable = false): CustomEvent<T> {
  return new CustomEvent<T>(type, { detail, bubbles: true, composed: true, cancelable });
}

declare global {
  interface HTMLElementEventMap {
    'mes-send-start': CustomEvent<null>;
    'mes-send-progress': CustomEvent<SendProgress>;
    'mes-send-success': CustomEvent<MesSendSuccessDetail>;
    'mes-send-error': CustomEvent<MesErrorDetail>;
    'mes-pair-start': CustomEvent<MesPairDetail>;
    'mes-pair-success': CustomEvent<MesPairDetail>;
    'mes-pair-error': CustomEvent<MesErrorDetail>;
  }
}
