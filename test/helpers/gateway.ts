/**
 * A real gateway on a free port, paired against a real sandbox whose demo client redirects to it.
 * The portal around it is reduced to what the gateway asks of a host: who is logged in (a test
 * cookie, `portal_user=<id>`) and the establishment's documents per user (refs in a map).
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before } from 'node:test';
import { MesClient, gatewayTransport, type DocumentToSend } from '@mes-kit/core';
import {
  createGateway,
  type AuditEntry,
  type Gateway,
  type GatewayOptions,
  type PortalUser,
} from '../../packages/gateway/src/index.js';
import { toNodeListener } from '../../packages/gateway/src/node.js';
import { Browser, servicesRedirectedTo, startSandbox, throughConsent, type TestSandbox } from './sandbox.js';

/** The portal's own session cookie, as this test portal sets it when a user logs in. */
export const PORTAL_USER_COOKIE = 'portal_user';

export interface GatewayHarness {
  sandbox: TestSandbox;
  origin: string;
  gateway: Gateway;
  audit: AuditEntry[];
  /** Every `documents.resolve` the gateway asked of the host. */
  resolved: { userId: string; ref: string }[];
  /** The establishment's document `ref`, for this portal user only. */
  addDocument(userId: string, ref: string, document: DocumentToSend): void;
  close(): Promise<void>;
}

/** How the portal names its user to MES's consent page. */
export const displayNameOf = (userId: string) => `Compte portail ${userId}`;

/** Who this test portal says is logged in: its session cookie. */
export function portalUserOf(request: Request): PortalUser | undefined {
  for (const part of (request.headers.get('cookie') ?? '').split(/;\s*/)) {
    const [name, ...value] = part.split('=');
    const id = decodeURIComponent(value.join('='));
    if (name === PORTAL_USER_COOKIE && id) return { id, displayName: displayNameOf(id) };
  }
  return undefined;
}

export async function startGateway(
  options: { sandbox?: Parameters<typeof startSandbox>[0]; gateway?: Partial<GatewayOptions> } = {},
): Promise<GatewayHarness> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  // The demo client comes back to this gateway's callback, /mes/pair/callback.
  const services = servicesRedirectedTo(origin);
  const [demo] = services;
  const sandbox = await startSandbox({ ...options.sandbox, services });
  const audit: AuditEntry[] = [];
  const resolved: GatewayHarness['resolved'] = [];
  const documents = new Map<string, Map<string, DocumentToSend>>();
  const gateway = createGateway({
    mes: { issuer: sandbox.url, fhirBase: sandbox.fhirBase },
    client: { clientId: demo.clientId, clientSecret: demo.clientSecret! },
    service: { oid: demo.oid, name: demo.name },
    origin,
    identify: portalUserOf,
    documents: {
      resolve(_request, ref, user) {
        resolved.push({ userId: user.id, ref });
        return documents.get(user.id)?.get(ref);
      },
    },
    uploads: true,
    audit: (entry) => audit.push(entry),
    ...options.gateway,
  });
  server.on('request', toNodeListener(gateway, { origin }));
  return {
    sandbox,
    origin,
    gateway,
    audit,
    resolved,
    addDocument(userId, ref, document) {
      if (!documents.has(userId)) documents.set(userId, new Map());
      documents.get(userId)!.set(ref, document);
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await sandbox.dispose();
    },
  };
}

/** A gateway for the tests of a suite: started before them, closed after. */
export function useHarness(options: Parameters<typeof startGateway>[0] = {}) {
  const ref: { harness: GatewayHarness } = {} as never;
  before(async () => {
    ref.harness = await startGateway(options);
  });
  after(() => ref.harness.close());
  return ref;
}

/** A browser on the portal: the kit's custom header and the portal's Origin on every API call. */
export function portalHeaders(origin: string, extra: Record<string, string> = {}) {
  return { 'x-mes-kit': '1', origin, ...extra };
}

/** The portal's login: from now on, the portal says this browser is `userId`. */
export function loginToPortal(browser: Browser, userId: string): void {
  browser.setCookie(PORTAL_USER_COOKIE, encodeURIComponent(userId));
}

/** The portal's logout: nobody is logged in on this browser any more. */
export function logoutOfPortal(browser: Browser): void {
  browser.setCookie(PORTAL_USER_COOKIE, '');
}

export interface PairingOptions {
  /** The portal user who pairs (default: a new one). */
  user?: string;
  persona?: string;
  finalities: string[];
  choose?: string[] | 'accept-all';
  browser?: Browser;
}

/** The patient in MES: opens the authorize URL, logs in as the persona, decides; returns where MES sends them back. */
export async function throughMes(
  harness: GatewayHarness,
  browser: Browser,
  authorizeUrl: string,
  options: Pick<PairingOptions, 'persona' | 'choose'> = {},
) {
  const consent = await throughConsent(harness.sandbox.url, authorizeUrl, options.persona ?? 'camille', browser);
  const callback = await consent.submit(options.choose ?? 'accept-all');
  return { callbackUrl: callback.href, consentPage: consent.consentPage };
}

/** Pairs through the gateway as a patient would: portal login, start, MES login and consent, callback. */
export async function pairThroughGateway(harness: GatewayHarness, options: PairingOptions) {
  const browser = options.browser ?? new Browser();
  const user = options.user ?? `portal-user-${randomUUID()}`;
  loginToPortal(browser, user);
  const start = `${harness.origin}/mes/pair/start?finalities=${encodeURIComponent(options.finalities.join(' '))}`;
  const authorize = await browser.request(start);
  const location = authorize.headers.get('location');
  if (authorize.status !== 302 || !location) {
    throw new Error(`pair/start: ${authorize.status} ${await authorize.text()}`);
  }
  const { callbackUrl, consentPage } = await throughMes(harness, browser, location, options);
  const callback = await browser.request(callbackUrl);
  return { browser, user, authorizeUrl: location, consentPage, callback, callbackPage: await callback.text() };
}

/** A `fetch` for a MesClient in Node that behaves as the portal's page: its cookies and Origin. */
export function portalFetch(browser: Browser, origin: string): typeof fetch {
  return (input, init) =>
    browser.request(input instanceof Request ? input.url : input.toString(), {
      ...init,
      headers: { ...(init?.headers as Record<string, string>), origin },
    });
}

/** A MesClient on the portal's page in this browser. */
export function gatewayClient(harness: GatewayHarness, browser: Browser): MesClient {
  return new MesClient({
    transport: gatewayTransport({ baseUrl: `${harness.origin}/mes`, fetch: portalFetch(browser, harness.origin) }),
  });
}

/** A MesClient on the portal's side of the gateway, for a portal user paired (as Camille by default) with these finalités. */
export async function pairedGatewayClient(
  harness: GatewayHarness,
  finalities: string[],
  options: Omit<PairingOptions, 'finalities'> = {},
) {
  const { browser } = await pairThroughGateway(harness, { ...options, finalities });
  return gatewayClient(harness, browser);
}

/**
 * Watches every `fetch` made in this process (the gateway's calls to MES included), optionally
 * holding some back, until `restore()`.
 */
export function spyOnFetch(hold?: (url: string, init?: RequestInit) => number) {
  const original = globalThis.fetch;
  const calls: { url: string; method: string; body: string }[] = [];
  globalThis.fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : input.toString();
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    calls.push({
      url,
      method,
      body: typeof init?.body === 'string' || init?.body instanceof URLSearchParams ? String(init.body) : '',
    });
    const delay = hold?.(url, init) ?? 0;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    return original(input, init);
  };
  return {
    calls,
    restore() {
      globalThis.fetch = original;
    },
  };
}
