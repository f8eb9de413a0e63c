/**
 * Every operation by name, loaded on first use: a page that only shows a button ships neither
 * schemas nor bundle builder until the patient clicks.
 */
import type { FindDocumentsPage, FindDocumentsQuery } from './find-documents.js';
import type { Operation, OperationContext } from './operation.js';
import type { HeldMeasure } from '../measures/held.js';
import type { ReadMeasuresInput } from './read-measures.js';
import type { RetrieveDocumentInput, RetrievedDocument } from './retrieve-document.js';
import type { SendDocumentInput, SendDocumentResult } from './send-document.js';
import type { CheckedMeasuresInput, SendMeasuresResult } from './send-measures.js';
import type { SyncAgendaInput, SyncAgendaResult } from './sync-agenda.js';

export interface Operations {
  'send-document': Operation<SendDocumentInput, SendDocumentResult>;
  'find-documents': Operation<FindDocumentsQuery, FindDocumentsPage>;
  'retrieve-document': Operation<RetrieveDocumentInput, RetrievedDocument>;
  'sync-agenda': Operation<SyncAgendaInput, SyncAgendaResult>;
  'send-measures': Operation<CheckedMeasuresInput, SendMeasuresResult>;
  'read-measures': Operation<ReadMeasuresInput, HeldMeasure[]>;
}
export type RunnableOperation = keyof Operations;

const LOADERS: { [N in RunnableOperation]: () => Promise<Operations[N]> } = {
  'send-document': async () => (await import('./send-document.js')).sendDocumentOperation,
  'find-documents': async () => (await import('./find-documents.js')).findDocumentsOperation,
  'retrieve-document': async () => (await import('./retrieve-document.js')).retrieveDocumentOperation,
  'sync-agenda': async () => (await import('./sync-agenda.js')).syncAgendaOperation,
  'send-measures': async () => (await import('./send-measures.js')).sendMeasuresOperation,
  'read-measures': async () => (await import('./read-measures.js')).readMeasuresOperation,
};

export const RUNNABLE_OPERATIONS = Object.keys(LOADERS) as RunnableOperation[];

export function isRunnableOperation(name: string): name is RunnableOperation {
  return Object.hasOwn(LOADERS, name);
}

export function loadOperation<N extends RunnableOperation>(name: N): Promise<Operations[N]> {
  return LOADERS[name]();
}

/**
 * Runs an operation on input its own `parse` returned: in the page and in the gateway alike, the
 * one place where a loaded operation's input type is taken on trust.
 */
export function runParsed(
  operation: Operations[RunnableOperation],
  context: OperationContext,
  input: unknown,
): Promise<unknown> {
  return (operation as Operation<unknown, unknown>).run(context, input);
}

/** The finalités an operation needs for input its own `parse` returned (for any input, without one). */
export function finalitiesFor(operation: Operations[RunnableOperation], input?: unknown): readonly string[] {
  return (operation as Operation<unknown, unknown>).finalities(input);
}

export type InputOf<N extends RunnableOperation> = ReturnType<Operations[N]['parse']>;
export type ResultOf<N extends RunnableOperation> = Awaited<ReturnType<Operations[N]['run']>>;
