/**
 * Where a document imported from MES goes, once core has checked its size and SHA-1: to the host's
 * back end (`documents.receive`), or, where the host allows it, to the page, which fetches the bytes
 * once from `GET {base}/imports/<token>` within a minute. The token is bound to the portal user.
 */
import { MesError, type RetrievedDocument } from '@mes-kit/core';
import type { GatewayContext, PortalUser } from './gateway-context.js';

export type Delivery = 'host' | 'page';

/** Bytes waiting for the page: a minute at most, and a bounded number, in this process's memory. */
const WAIT_MS = 60_000;
const MAX_WAITING = 50;

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');

export function createImports(context: GatewayContext) {
  const { options } = context;
  const waiting = new Map<string, { userId: string; file: File; timer: ReturnType<typeof setTimeout> }>();

  /** How the page asks for an import, refused before MES is asked when the host does not offer it. */
  function deliveryOf(input: unknown): Delivery {
    const asked = (input as { deliver?: unknown } | null)?.deliver ?? 'host';
    if (asked === 'page') {
      if (!options.documents?.deliverToPage)
        throw new MesError('MES_INVALID_INPUT', { operation: 'retrieve-document', field: 'deliver' });
      return 'page';
    }
    if (asked !== 'host') throw new MesError('MES_INVALID_INPUT', { operation: 'retrieve-document', field: 'deliver' });
    if (!options.documents?.receive) throw new MesError('MES_CONFIGURATION', { operation: 'retrieve-document' });
    return 'host';
  }

  /** The operation's answer as the page gets it: never the bytes themselves in the stream. */
  async function deliver(request: Request, user: PortalUser, result: RetrievedDocument, delivery: Delivery) {
    const { document, file } = result;
    if (delivery === 'page') {
      const token = base64url(crypto.getRandomValues(new Uint8Array(32)));
      if (waiting.size >= MAX_WAITING) forget(waiting.keys().next().value!);
      const timer = setTimeout(() => forget(token), WAIT_MS);
      // A waiting download must not keep a server process alive.
      (timer as { unref?: () => void }).unref?.();
      waiting.set(token, { userId: user.id, file, timer });
      return { document, name: file.name, download: `imports/${token}` };
    }
    try {
      const received: unknown = await options.documents!.receive!(request, file, document, user);
      return { document, received: received ?? null };
    } catch (cause) {
      throw new MesError('MES_HOST_FAILED', { operation: 'retrieve-document', cause });
    }
  }

  function forget(token: string) {
    const entry = waiting.get(token);
    if (entry) clearTimeout(entry.timer);
    waiting.delete(token);
  }

  /** The bytes, once, to the portal user they were retrieved for; to anyone else, as if absent. */
  function download(token: string, user: PortalUser | undefined): Response {
    const entry = waiting.get(token);
    if (!entry || entry.userId !== user?.id) return new Response(null, { status: 404 });
    forget(token);
    return new Response(entry.file, {
      headers: {
        'content-type': entry.file.type || 'application/octet-stream',
        'content-length': String(entry.file.size),
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; sandbox",
      },
    });
  }

  return { deliveryOf, deliver, download };
}
