/**
 * The events elements fire: `mes-<operation>-start` (cancelable), `-progress`, `-success`, `-error`.
 * They bubble and cross shadow roots; their details carry no health data. Elements fire them only
 * through names declared here, with the detail declared here.
 */
import type {
  AgendaAction,
  AgendaChange,
  ConsentReceipt,
  FoundDocument,
  ImportedDocument,
  MeasureCounts,
  MeasureKind,
  MesError,
  OperationProgress,
} from '@mes-kit/core';

export interface MesSendSuccessDetail {
  /** The DocumentReference's id in MES. */
  id: string;
  alreadyPresent: boolean;
}
export interface MesErrorDetail {
  error: MesError;
}

/** `mes-import-start`: what the patient chose to import (for a retry, what remains). */
export interface MesImportStartDetail {
  documents: FoundDocument[];
}
/** One document's progress, by its id and place in the import: no title, no content. */
export interface MesImportProgressDetail extends OperationProgress {
  id: string;
  /** From 0, in the order the patient chose. */
  index: number;
  count: number;
}
/** Every document of the import, in the order chosen: its metadata, and its bytes or the host's answer. */
export interface MesImportSuccessDetail {
  documents: ImportedDocument[];
}
/** The document that failed, by its id and place, when one did (not when the pairing failed). */
export interface MesImportErrorDetail extends MesErrorDetail {
  id?: string;
  index?: number;
  count?: number;
}
/** `mes-agenda-sync-start`: which appointments, by the host's ids (no title, no time). */
export interface MesAgendaSyncStartDetail {
  ids: string[];
}
/** `mes-agenda-sync-success`: what each appointment became, by the host's ids (no title, no time). */
export interface MesAgendaSyncSuccessDetail {
  counts: Record<AgendaAction, number>;
  failed: number;
  changes: Pick<AgendaChange, 'id' | 'action' | 'outcome' | 'error'>[];
}
/** `mes-measures-send-start`: which measures, and how many readings (no value, no time). */
export interface MesMeasuresSendStartDetail {
  kinds: MeasureKind[];
  count: number;
}
/** `mes-measures-send-success`: how many readings were filed, already there, or failed, per measure. */
export interface MesMeasuresSendSuccessDetail {
  total: MeasureCounts;
  byKind: Partial<Record<MeasureKind, MeasureCounts>>;
}
/** `mes-measures-read-success`: how many measures were read (no value, no time). */
export interface MesMeasuresReadSuccessDetail {
  count: number;
}
export interface MesPairDetail {
  finalities: string[];
}

export interface MesConsentChangeDetail {
  receipt: ConsentReceipt;
}

/** `mes-selection-change`: the documents chosen in a picker, as MES lists them (metadata, no content). */
export interface MesSelectionChangeDetail {
  documents: FoundDocument[];
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
    'mes-import-start': CustomEvent<MesImportStartDetail>;
    'mes-import-progress': CustomEvent<MesImportProgressDetail>;
    'mes-import-success': CustomEvent<MesImportSuccessDetail>;
    'mes-import-error': CustomEvent<MesImportErrorDetail>;
    'mes-agenda-sync-start': CustomEvent<MesAgendaSyncStartDetail>;
    'mes-agenda-sync-progress': CustomEvent<OperationProgress>;
    'mes-agenda-sync-success': CustomEvent<MesAgendaSyncSuccessDetail>;
    'mes-agenda-sync-error': CustomEvent<MesErrorDetail>;
    'mes-measures-send-start': CustomEvent<MesMeasuresSendStartDetail>;
    'mes-measures-send-progress': CustomEvent<OperationProgress>;
    'mes-measures-send-success': CustomEvent<MesMeasuresSendSuccessDetail>;
    'mes-measures-send-error': CustomEvent<MesErrorDetail>;
    'mes-measures-read-start': CustomEvent<null>;
    'mes-measures-read-progress': CustomEvent<OperationProgress>;
    'mes-measures-read-success': CustomEvent<MesMeasuresReadSuccessDetail>;
    'mes-measures-read-error': CustomEvent<MesErrorDetail>;
    'mes-pair-start': CustomEvent<MesPairDetail>;
    'mes-pair-success': CustomEvent<MesPairDetail>;
    'mes-pair-error': CustomEvent<MesErrorDetail>;
    'mes-revoke-start': CustomEvent<null>;
    'mes-revoke-success': CustomEvent<null>;
    'mes-revoke-error': CustomEvent<MesErrorDetail>;
    'mes-consent-change': CustomEvent<MesConsentChangeDetail>;
    'mes-selection-change': CustomEvent<MesSelectionChangeDetail>;
  }
}
