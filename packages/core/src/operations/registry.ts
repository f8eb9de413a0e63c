/**
 * Every operation by name, loaded on first use: a page that only shows a button ships neither
 * schemas nor bundle builder until the patient clicks.
 */
import type { FindDocumentsPage, FindDocumentsQuery } from './find-documents.js';
import type { Operation, OperationContext } from './operation.js';
import type { RetrieveDocumentInput, RetrievedDocument } from './retrieve-document.js';
import type { SendDocumentInput, SendDocumentResult } from './send-document.js';
import type { SyncAgendaInput, SyncAgendaResult } from './sync-agenda.js';

export interface Operations {
  'send-document': Operation<SendDocumentInput, SendDocumentResult>;
  'find-documents': Operation<FindDocumentsQuery, FindDocumentsPage>;
  'retrieve-document': Operation<RetrieveDocumentInput, RetrievedDocument>;
  'sync-agenda': Operation<SyncAgendaInput, SyncAgendaResult>;
}
export type RunnableOperation = keyof Operations;

const LOADERS: { [N in RunnableOperation]: () => Promise<Operations[N]> } = {
  'send-document': async () => (await import('./send-document.js')).sendDocumentOperation,
  'find-documents': async () => (await import('./find-documents.js')).findDocumentsOperation,
  'retrieve-document': async () => (await import('./retrieve-document.js')).retrieveDocumentOperation,
  'sync-agenda': async () => (await import('./sync-agenda.js')).syncAgendaOperation,
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

export type InputOf<N extends RunnableOperation> = ReturnType<Operations[N]['parse']>;
export type ResultOf<N extends RunnableOperation> = Awaited<ReturnType<Operations[N]['run']>>;
