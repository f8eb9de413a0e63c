/**
 * Where a document imported from MES goes, once core has checked its size and SHA-1: to the host's
 * back end (`documents.receive`), or, where the host allows it, to the page, which fetches the bytes
 * once from `GET {base}/imports/<token>` within a minute. The token is bound to the portal user.
 */
import { MesError, documentMediaType, type RetrievedDocument } from '@mes-kit/core';
import * as oidc from 'openid-client';
import type { GatewayContext, MesPatient, PortalUser } from './gateway-context.js';

export type Delivery = 'host' | 'page';

/**
 * Bytes waiting for the page, in this process's memory: a minute at most, a few per portal user (a
 * user's new request drops their own oldest, never another's), and a total beyond which new
 * requests are refused (rate limited) rather than anyone's evicted.
 */
const WAIT_MS = 60_000;
const PER_USER = 3;
const TOTAL_BYTES = 100_000_000;

export function createImports(context: GatewayContext) {
  const { options } = context;
  const waiting = new Map<string, { userId: string; file: File; timer: ReturnType<typeof setTimeout> }>();
  let waitingBytes = 0;

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
  async function deliver(
    request: Request,
    user: PortalUser,
    patient: MesPatient,
    result: RetrievedDocument,
    delivery: Delivery,
  ) {
    const { document, file } = result;
    if (delivery === 'page') {
      const own = [...waiting].filter(([, entry]) => entry.userId === user.id).map(([token]) => token);
      for (const token of own.slice(0, Math.max(0, own.length - PER_USER + 1))) forget(token);
      if (waitingBytes + file.size > TOTAL_BYTES)
        throw new MesError('MES_RATE_LIMITED', { operation: 'retrieve-document' });
      // 32 random bytes, base64url: the same unguessable value the pairing's `state` is.
      const token = oidc.randomState();
      const timer = setTimeout(() => forget(token), WAIT_MS);
      // A waiting download must not keep a server process alive.
      (timer as { unref?: () => void }).unref?.();
      waiting.set(token, { userId: user.id, file, timer });
      waitingBytes += file.size;
      return { document, name: file.name, download: `imports/${token}` };
    }
    try {
      const received: unknown = await options.documents!.receive!(request, file, document, user, patient);
      return { document, received: received ?? null };
    } catch (cause) {
      throw new MesError('MES_HOST_FAILED', { operation: 'retrieve-document', cause });
    }
  }

  function forget(token: string) {
    const entry = waiting.get(token);
    if (!entry) return;
    clearTimeout(entry.timer);
    waitingBytes -= entry.file.size;
    waiting.delete(token);
  }

  /** The portal user is gone: what waited for their page goes too. */
  function forgetUser(userId: string) {
    for (const [token, entry] of waiting) if (entry.userId === userId) forget(token);
  }

  /** The bytes, once, to the portal user they were retrieved for; to anyone else, as if absent. */
  function download(token: string, user: PortalUser | undefined): Response {
    const entry = waiting.get(token);
    if (!entry || entry.userId !== user?.id) return new Response(null, { status: 404 });
    forget(token);
    // Only the document formats go as themselves; anything else MES states is opaque bytes.
    const type = documentMediaType(entry.file.type) ?? 'application/octet-stream';
    return new Response(entry.file, {
      headers: {
        'content-type': type,
        'content-length': String(entry.file.size),
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; sandbox",
      },
    });
  }

  return { deliveryOf, deliver, download, forgetUser };
}
