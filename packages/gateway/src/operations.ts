/**
 * `POST {base}/operations/<name>`: core's own operation code, run on the server for the portal user
 * who paired. The input comes from the page only where the page may decide it (a query, a ref, a
 * patient's own file); what the establishment says in MES comes from the host's sources.
 */
import {
  DEFAULT_RETRY,
  MAX_DOCUMENT_BYTES,
  MesError,
  OPERATION_CONTENT_TYPE,
  OPERATION_INPUT_HEADER,
  PATIENT_DOCUMENT_TYPE_CODES,
  checkDocument,
  encodeMessage,
  finalitiesFor,
  isRunnableOperation,
  loadOperation,
  nestingScanner,
  normalizeError,
  runParsed,
  type DocumentTypeCode,
  type MeasuresQuery,
  type OperationMessage,
  type Operations,
  type RetrievedDocument,
  type RunnableOperation,
} from '@mes-kit/core';
import type { GatewayContext, PortalUser } from './gateway-context.js';
import type { Delivery, createImports } from './imports.js';
import { LockBusy, holding, takeSlot, withLock } from './locks.js';
import { StoreUnavailable } from './session-store.js';

type Imports = ReturnType<typeof createImports>;

/** A query or a ref: small. */
const MAX_JSON_BYTES = 64 * 1024;

const STATUS_OF: Partial<Record<MesError['code'], number>> = {
  MES_INVALID_INPUT: 400,
  MES_AUTH_REQUIRED: 401,
  MES_CONSENT_REQUIRED: 403,
  MES_CONFIGURATION: 403,
  MES_TOO_LARGE: 413,
};

/** The gateway's one error answer (an NDJSON error line), for whatever fails before an operation starts. */
export function operationError(error: MesError, status = STATUS_OF[error.code] ?? 500): Response {
  return new Response(encodeMessage({ error: error.toJSON() }), {
    status,
    headers: { 'content-type': OPERATION_CONTENT_TYPE, 'cache-control': 'no-store' },
  });
}

/** Deeper than any input of an operation: a query, a ref, a patient's fields. */
const MAX_JSON_DEPTH = 16;

/**
 * The body, refused past `limit`, announced or not, without reading further than that. Read only
 * once the user is known, paired and has consented: nobody else makes the gateway read anything.
 */
async function readBody(request: Request, limit: number, operation: RunnableOperation): Promise<Blob> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > limit) throw new MesError('MES_TOO_LARGE', { operation });
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  try {
    for (let chunk = await reader?.read(); chunk && !chunk.done; chunk = await reader!.read()) {
      size += chunk.value.length;
      if (size > limit) {
        await reader!.cancel().catch(() => undefined);
        throw new MesError('MES_TOO_LARGE', { operation });
      }
      chunks.push(chunk.value);
    }
  } catch (error) {
    if (error instanceof MesError) throw error;
    // The server's own cap (a Node adapter's BodyTooLarge), or a body cut short.
    if ((error as Error | undefined)?.name === 'BodyTooLarge') throw new MesError('MES_TOO_LARGE', { operation });
    throw new MesError('MES_INVALID_INPUT', { operation, field: 'body', cause: error });
  }
  return new Blob(chunks, { type: request.headers.get('content-type') ?? '' });
}

/** The page's JSON (a body or a header), parsed only when it is of a sensible depth. */
function parseInput(text: string, operation: RunnableOperation): unknown {
  if (nestingScanner(MAX_JSON_DEPTH)(new TextEncoder().encode(text)))
    throw new MesError('MES_INVALID_INPUT', { operation, field: 'input' });
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new MesError('MES_INVALID_INPUT', { operation, field: 'input' });
  }
}

async function readJson(request: Request, operation: RunnableOperation): Promise<unknown> {
  const body = await readBody(request, MAX_JSON_BYTES, operation);
  return parseInput(await body.text(), operation);
}

/** The host's appointments for this user: a host that fails is MES_HOST_FAILED, never MES's doing. */
export async function agendaOf(options: GatewayContext['options'], request: Request, user: PortalUser) {
  const operation = 'sync-agenda';
  if (!options.agenda) throw new MesError('MES_CONFIGURATION', { operation });
  try {
    return await options.agenda.list(request, user);
  } catch (cause) {
    throw new MesError('MES_HOST_FAILED', { operation, cause });
  }
}

/** The host's readings for this user: a host that fails is MES_HOST_FAILED, never MES's doing. */
export async function measuresOf(
  options: GatewayContext['options'],
  request: Request,
  query: MeasuresQuery,
  user: PortalUser,
) {
  const operation = 'send-measures';
  if (!options.measures) throw new MesError('MES_CONFIGURATION', { operation });
  try {
    return await options.measures.list(request, query, user);
  } catch (cause) {
    throw new MesError('MES_HOST_FAILED', { operation, cause });
  }
}

/**
 * What the page may say of a measures upload: which measures, which period — the readings come from
 * the host. Checked by the operation's own parse before the host is asked.
 */
export function measuresQueryOf(input: unknown): MeasuresQuery {
  const operation = 'send-measures';
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new MesError('MES_INVALID_INPUT', { operation, field: 'input' });
  for (const field of ['series', 'readings']) {
    if (field in input) throw new MesError('MES_INVALID_INPUT', { operation, field });
  }
  return input;
}

const isJson = (request: Request) => request.headers.get('content-type')?.split(';')[0]?.trim() === 'application/json';

/**
 * Runs that file many things at once for one portal user go one after the other, on whichever
 * instance: a second (another tab, a double submit) starts when the first ends, and finds what it
 * filed already there — two at once would both find MES without it, and both file it.
 */
const ONE_AT_A_TIME = new Set<RunnableOperation>(['send-measures', 'sync-agenda']);
/** How long a second such run waits for the first: a glucose sensor's two weeks take about a minute. */
const TURN_WAIT_MS = 5 * 60_000;
/**
 * A slot's lease, renewed while its operation runs: short, since the slots of an instance that died
 * hold its users back until they expire.
 */
const SLOT_LEASE_MS = 5_000;
/** Operations one portal user may have in flight at once, so that one browser cannot flood MES. */
export const DEFAULT_OPERATIONS_PER_USER = 4;

export function createOperations(context: GatewayContext, imports: Imports) {
  const { options, mes, record } = context;
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const uploadTypes: readonly DocumentTypeCode[] =
    typeof options.uploads === 'object'
      ? options.uploads.types.filter((t) => PATIENT_DOCUMENT_TYPE_CODES.includes(t))
      : PATIENT_DOCUMENT_TYPE_CODES;

  /** A patient's own file: raw bytes in the body, its fields in a header; filed as the patient's. */
  async function patientUpload(request: Request): Promise<unknown> {
    const operation = 'send-document';
    if (!options.uploads) throw new MesError('MES_INVALID_INPUT', { operation, field: 'file' });
    let header: string;
    try {
      header = decodeURIComponent(request.headers.get(OPERATION_INPUT_HEADER) ?? '{}');
    } catch {
      throw new MesError('MES_INVALID_INPUT', { operation, field: 'input' });
    }
    const fields = parseInput(header, operation) as Record<string, unknown>;
    // `null`, an array or a string parse too, and are no fields.
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields))
      throw new MesError('MES_INVALID_INPUT', { operation, field: 'input' });
    if (!uploadTypes.includes(fields['type'] as DocumentTypeCode))
      throw new MesError('MES_INVALID_INPUT', { operation, field: 'type' });
    // A patient's own file, hidden from the patient, would be theirs to lose.
    if (fields['confidentiality'] === 'INVISIBLE_PATIENT')
      throw new MesError('MES_INVALID_INPUT', { operation, field: 'confidentiality' });
    // The request's own content type: the file's media type, checked by checkDocument.
    const file = await readBody(request, MAX_DOCUMENT_BYTES, operation);
    return checkDocument({
      // Only what a patient may say about their own file; never the establishment as author.
      title: fields['title'],
      type: fields['type'],
      date: fields['date'],
      description: fields['description'],
      confidentiality: fields['confidentiality'],
      id: fields['id'],
      file,
      author: 'patient',
    });
  }

  /** The page says which appointments (`only`) and whether to plan only; the host says what they are. */
  async function agendaInput(request: Request, user: PortalUser): Promise<unknown> {
    const operation = 'sync-agenda';
    const input = await readJson(request, operation);
    if (typeof input !== 'object' || input === null || Array.isArray(input))
      throw new MesError('MES_INVALID_INPUT', { operation, field: 'input' });
    if ('appointments' in input) throw new MesError('MES_INVALID_INPUT', { operation, field: 'appointments' });
    return { ...input, appointments: await agendaOf(options, request, user) };
  }

  /**
   * The page says which measures and when; the host says what the readings are — and is not asked
   * at all when the patient granted none of the measures asked for. Readings of a measure not
   * granted are the operation's to refuse, each with MES_CONSENT_REQUIRED, so that the page can say which.
   */
  async function measuresInput(
    request: Request,
    user: PortalUser,
    operation: Operations['send-measures'],
    grantsAny: (needed: readonly string[]) => boolean,
  ) {
    const query = operation.parse(measuresQueryOf(await readJson(request, 'send-measures')));
    if (!grantsAny(finalitiesFor(operation, query)))
      throw new MesError('MES_CONSENT_REQUIRED', { operation: 'send-measures' });
    return { ...query, series: await measuresOf(options, request, query, user) };
  }

  /** What the operation runs on, from the host's sources where the establishment speaks. */
  async function inputOf(
    name: RunnableOperation,
    operation: Operations[RunnableOperation],
    request: Request,
    user: PortalUser,
    grantsAny: (needed: readonly string[]) => boolean,
  ): Promise<unknown> {
    if (name === 'sync-agenda') return agendaInput(request, user);
    if (name === 'send-measures')
      return measuresInput(request, user, operation as Operations['send-measures'], grantsAny);
    if (name !== 'send-document') return readJson(request, name);
    if (!isJson(request)) return patientUpload(request);
    const input = operation.parse(await readJson(request, name));
    // A document's content and metadata come from the host, never from the page.
    if (!('ref' in input)) throw new MesError('MES_INVALID_INPUT', { operation: name, field: 'file' });
    const resolved = await options.documents?.resolve?.(request, input.ref, user);
    if (!resolved) throw new MesError('MES_INVALID_INPUT', { operation: name, field: 'ref' });
    return checkDocument({ ...resolved, id: resolved.id ?? input.ref });
  }

  return async function runOperation(request: Request, name: string, user: PortalUser | undefined): Promise<Response> {
    if (!isRunnableOperation(name)) return operationError(new MesError('MES_CONFIGURATION'));
    if (!user) return operationError(new MesError('MES_AUTH_REQUIRED', { operation: name }));
    /** Refused before the operation starts: audited, and answered with one error line. */
    const refuse = async (failure: MesError, status = STATUS_OF[failure.code] ?? 500) => {
      await record(user.id, `${name} refused`, status, tokens?.idPe);
      return operationError(failure, status);
    };
    const operation = await loadOperation(name);
    const tokens = await mes.tokensOf(user.id);
    if (!tokens) return refuse(new MesError('MES_AUTH_REQUIRED', { operation: name }));
    // Nothing leaves the host without consent, whatever the page claims: what no input could use,
    // the host is not even asked for; then what this input needs.
    const grantsAny = (needed: readonly string[]) => needed.some((code) => tokens.finalities.includes(code));
    if (!grantsAny(finalitiesFor(operation))) return refuse(new MesError('MES_CONSENT_REQUIRED', { operation: name }));
    // A few operations in flight per portal user, counted across instances, taken before the body is
    // read or the host asked: more is refused, not queued.
    const userKey = `${options.service.oid}:${user.id}`;
    const slot = await takeSlot(
      context.sessions,
      `lock:operations:${userKey}`,
      options.limits?.operationsPerUser ?? DEFAULT_OPERATIONS_PER_USER,
      SLOT_LEASE_MS,
    );
    if (!slot) {
      const busy = await refuse(new MesError('MES_RATE_LIMITED', { operation: name }), 429);
      busy.headers.set('retry-after', '2');
      return busy;
    }
    let input: unknown;
    let delivery: Delivery | undefined;
    try {
      const raw = await inputOf(name, operation, request, user, grantsAny);
      delivery = name === 'retrieve-document' ? imports.deliveryOf(raw) : undefined;
      input = operation.parse(raw);
      if (!grantsAny(finalitiesFor(operation, input))) throw new MesError('MES_CONSENT_REQUIRED', { operation: name });
    } catch (error) {
      await slot.release().catch(() => undefined);
      return refuse(normalizeError(error, name));
    }
    const paired = tokens;
    const session = {
      paired: true as const,
      finalities: paired.finalities,
      idPe: paired.idPe,
      service: options.service,
    };
    const call = mes.callsFor(user.id, paired);
    let lastStatus = 0;
    const respond = async (controller: ReadableStreamDefaultController<Uint8Array>) => {
      const encoder = new TextEncoder();
      const send = (message: OperationMessage) => {
        try {
          controller.enqueue(encoder.encode(encodeMessage(message)));
        } catch {
          // The page went away; the operation finishes anyway (it is idempotent).
        }
      };
      try {
        const run = () =>
          runParsed(
            operation,
            {
              session,
              request: async (...args: Parameters<typeof call>) => {
                const response = await call(...args);
                lastStatus = response.status;
                return response;
              },
              retry,
              signal: request.signal,
              onProgress: (progress: unknown) => send({ progress } as OperationMessage),
            },
            input,
          );
        const result = ONE_AT_A_TIME.has(name)
          ? await withLock(context.sessions, `lock:turn:${name}:${userKey}`, run, {
              waitMs: TURN_WAIT_MS,
              signal: request.signal,
            })
          : await run();
        const answer = delivery
          ? await imports.deliver(request, user, { idPe: session.idPe }, result as RetrievedDocument, delivery)
          : result;
        await record(user.id, name, lastStatus, session.idPe);
        send({ result: answer });
      } catch (error) {
        // Still held by another run of this user's after the wait: busy, try again later; the
        // store out of reach: unavailable.
        const failure =
          error instanceof LockBusy
            ? new MesError('MES_RATE_LIMITED', { operation: name, cause: error })
            : error instanceof StoreUnavailable
              ? new MesError('MES_UNAVAILABLE', { operation: name, status: 503, cause: error })
              : normalizeError(error, name);
        await record(user.id, name, failure.status ?? 502, session.idPe);
        send({ error: failure.toJSON() });
      }
      try {
        controller.close();
      } catch {
        // Already cancelled by the page.
      }
    };
    const stream = new ReadableStream<Uint8Array>({
      start: (controller) => holding(slot, () => respond(controller), SLOT_LEASE_MS),
    });
    return new Response(stream, {
      headers: {
        'content-type': OPERATION_CONTENT_TYPE,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  };
}
