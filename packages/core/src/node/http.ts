/**
 * Node's http server on one side, Web-standard `(Request) => Promise<Response>` handlers on the other.
 * Node only: exported as `@mes-kit/core/node`, never part of a browser bundle.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`request body over ${limit} bytes`);
    this.name = 'BodyTooLarge';
  }
}

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  // Refused before reading: a client announcing more than the limit is not waited for.
  if (Number(req.headers['content-length'] ?? 0) > limit) throw new BodyTooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The body as a stream that reads from the socket only when pulled, and errors with `BodyTooLarge`
 * past `limit`: a handler can refuse a request before reading it. What is left unread when the
 * reader cancels is discarded as it arrives, up to `limit`, past which the connection is cut.
 */
/** How long a connection whose answer is sent may go on sending a body nobody reads. */
const LINGER_MS = 2_000;

function bodyStream(req: IncomingMessage, limit: number, res?: ServerResponse): ReadableStream<Uint8Array> {
  let size = 0;
  let listening = false;
  let settled = false;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) {
      controller.error(new BodyTooLarge(limit));
      return discard();
    }
    controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
    if ((controller.desiredSize ?? 0) <= 0) req.pause();
  };
  const onEnd = () => {
    if (!settled) controller.close();
    settled = true;
  };
  const onError = (error: Error) => {
    if (!settled) controller.error(error);
    settled = true;
  };
  let discarding = false;
  function discard() {
    if (discarding) return;
    discarding = true;
    settled = true;
    req.off('data', onData);
    req.off('end', onEnd);
    // Read and dropped so that the client can read the answer; but not past the limit, or an early
    // answer would leave the connection open to an endless body.
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) req.destroy();
    });
    req.resume();
  }
  // Answered while the body still arrives: Node drops the rest as it comes, for as long as it comes.
  // The client gets a moment to see the answer, then the connection is cut, sooner past `limit`.
  res?.once('finish', () => {
    if (req.complete) return;
    const { socket } = req;
    const from = socket.bytesRead;
    const started = Date.now();
    const watch = setInterval(() => {
      if (req.complete || socket.destroyed) return clearInterval(watch);
      if (socket.bytesRead - from > limit || Date.now() - started > LINGER_MS) {
        clearInterval(watch);
        socket.destroy();
      }
    }, 50);
    watch.unref();
  });
  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      pull() {
        if (!listening) {
          listening = true;
          // Already read by middleware that ran first: nothing more will come.
          if (req.readableEnded) return onEnd();
          req.on('data', onData);
          req.once('end', onEnd);
          req.once('error', onError);
        }
        req.resume();
      },
      cancel: discard,
    },
    { highWaterMark: 0 },
  );
}

export async function toWebRequest(
  req: IncomingMessage,
  origin: string,
  limit: number,
  res?: ServerResponse,
  /** Stream the body instead of reading it all first, so that the handler decides whether to read it. */
  options: { stream?: boolean } = {},
): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  // Concatenated, not resolved: a path like `//evil.example/x` must stay a path on `origin`.
  const path = req.url?.startsWith('/') ? req.url : `/${req.url ?? ''}`;
  // Aborted when the client goes away before the answer is complete: long work can stop.
  const gone = new AbortController();
  res?.once('close', () => {
    if (!res.writableFinished) gone.abort();
  });
  if (hasBody && options.stream && Number(req.headers['content-length'] ?? 0) > limit) throw new BodyTooLarge(limit);
  const body = !hasBody
    ? undefined
    : options.stream
      ? bodyStream(req, limit, res)
      : new Uint8Array(await readBody(req, limit));
  return new Request(new URL(`${origin}${path}`), {
    method: req.method,
    headers,
    body,
    signal: gone.signal,
    // A streamed body is sent while the answer may already come (undici requires saying so).
    ...(body instanceof ReadableStream && { duplex: 'half' as const }),
  });
}

export async function sendWebResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  res.writeHead(response.status, headers);
  if (!response.body) return void res.end();
  // Streamed: an operation's progress reaches the page as it happens.
  const reader = response.body.getReader();
  let closed = false;
  res.once('close', () => {
    closed = true;
    void reader.cancel().catch(() => undefined);
  });
  for (let chunk = await reader.read(); !chunk.done && !closed; chunk = await reader.read()) {
    if (!res.write(chunk.value))
      await new Promise((resolve) => (res.once('drain', resolve), res.once('close', resolve)));
  }
  res.end();
}
