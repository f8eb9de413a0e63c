/**
 * How a gateway streams an operation back to the page: NDJSON, one JSON message a line — progress
 * lines as they come, then one result or one error. NDJSON rather than server-sent events: the
 * operation is a POST with a body (EventSource only GETs), it reads with the same fetch/XHR that
 * sends it, and the same bytes are easy to assert on in tests.
 */
import type { MesErrorJson } from '../errors.js';
import type { OperationProgress } from './operation.js';

export const OPERATION_CONTENT_TYPE = 'application/x-ndjson';

/** The header carrying a file upload's other fields (URI-encoded JSON): the body is the file's raw bytes. */
export const OPERATION_INPUT_HEADER = 'x-mes-input';

export type OperationMessage = { progress: OperationProgress } | { result: unknown } | { error: MesErrorJson };

export const encodeMessage = (message: OperationMessage): string => `${JSON.stringify(message)}\n`;
