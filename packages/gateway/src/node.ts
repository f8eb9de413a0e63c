/**
 * The gateway in Node: as an `http` request listener, or as Express/Connect middleware (Vite's dev
 * server included) that handles its base path and passes everything else on.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLarge, sendWebResponse, toWebRequest } from '@mes-kit/core/node';
import type { Gateway } from './gateway.js';

/** A patient's file (5,000,000 bytes at most) with room to spare; the gateway checks the exact limit. */
const BODY_LIMIT = 5_500_000;

export interface NodeAdapterOptions {
  /** The portal's public origin, e.g. `https://portail.example.fr` (requests are rebuilt on it). */
  origin: string;
  /** Where the gateway is mounted (default: `/mes`). */
  basePath?: string;
}

const nodeRequests = new WeakMap<Request, IncomingMessage>();

/**
 * The Node request a gateway request came from, for `identify` to read what the host's own
 * middleware put there (Express's `req.session`, `req.user`…).
 */
export function nodeRequestOf<T extends IncomingMessage = IncomingMessage>(request: Request): T | undefined {
  return nodeRequests.get(request) as T | undefined;
}

/** Methods a Web `Request` cannot carry: refused here, as the gateway would refuse them. */
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

function refuseMethod(gateway: Gateway, req: IncomingMessage, res: ServerResponse) {
  // Concatenated, as toWebRequest does: `//host/x` stays a path.
  const path = req.url?.startsWith('/') ? req.url : `/${req.url ?? ''}`;
  const allowed = gateway.methodsFor(new URL(`http://gateway${path}`).pathname);
  const headers = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' };
  if (allowed.length === 0) res.writeHead(404, headers).end('Not found.');
  else res.writeHead(405, { ...headers, allow: allowed.join(', ') }).end('Method not allowed.');
}

async function handle(gateway: Gateway, origin: string, req: IncomingMessage, res: ServerResponse) {
  if (FORBIDDEN_METHODS.has(req.method ?? '')) return refuseMethod(gateway, req, res);
  try {
    // Streamed: the gateway knows who is asking before it reads a byte of the body.
    const request = await toWebRequest(req, origin, BODY_LIMIT, res, { stream: true });
    nodeRequests.set(request, req);
    await sendWebResponse(res, await gateway(request));
  } catch (error) {
    const tooLarge = error instanceof BodyTooLarge;
    if (!tooLarge) console.error('gateway error', error);
    if (!res.headersSent)
      res.writeHead(tooLarge ? 413 : 500, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
    res.end(tooLarge ? 'Request too large.' : 'Gateway error.');
  }
}

export function toNodeListener(gateway: Gateway, options: NodeAdapterOptions) {
  return (req: IncomingMessage, res: ServerResponse) => void handle(gateway, options.origin, req, res);
}

export function connectMiddleware(gateway: Gateway, options: NodeAdapterOptions) {
  const base = (options.basePath ?? '/mes').replace(/\/$/, '');
  return (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== base && !path.startsWith(`${base}/`)) return next();
    void handle(gateway, options.origin, req, res);
  };
}
