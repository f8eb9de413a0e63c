/** A real gateway on a free port, paired against a real sandbox whose demo client redirects to it. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MesClient, gatewayTransport } from '@mes-kit/core';
import { createGateway, type AuditEntry, type GatewayOptions } from '../../packages/gateway/src/index.js';
import { toNodeListener } from '../../packages/gateway/src/node.js';
import { defaultConfig } from '../../packages/sandbox/src/index.js';
import { Browser, startSandbox, type TestSandbox } from './sandbox.js';

export interface GatewayHarness {
  sandbox: TestSandbox;
  origin: string;
  audit: AuditEntry[];
  close(): Promise<void>;
}

export async function startGateway(
  options: { sandbox?: Parameters<typeof startSandbox>[0]; gateway?: Partial<GatewayOptions> } = {},
): Promise<GatewayHarness> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  const [demo, ...others] = defaultConfig().services;
  const sandbox = await startSandbox({
    ...options.sandbox,
    services: [{ ...demo, redirectUris: [`${origin}/mes/pair/callback`] }, ...others],
  });
  const audit: AuditEntry[] = [];
  const gateway = createGateway({
    mes: { issuer: sandbox.url, fhirBase: sandbox.fhirBase },
    client: { clientId: demo.clientId, clientSecret: demo.clientSecret! },
    service: { oid: demo.oid, name: demo.name },
    origin,
    audit: (entry) => audit.push(entry),
    ...options.gateway,
  });
  server.on('request', toNodeListener(gateway, { origin }));
  return {
    sandbox,
    origin,
    audit,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await sandbox.dispose();
    },
  };
}

/** A browser on the portal: the kit's custom header and the portal's Origin on every API call. */
export function portalHeaders(origin: string, extra: Record<string, string> = {}) {
  return { 'x-mes-kit': '1', origin, ...extra };
}

/** Pairs through the gateway as a patient would: start, MES login and consent, callback. */
export async function pairThroughGateway(
  harness: GatewayHarness,
  options: { persona?: string; finalities: string[]; choose?: string[] | 'accept-all'; browser?: Browser },
) {
  const browser = options.browser ?? new Browser();
  const start = `${harness.origin}/mes/pair/start?finalities=${encodeURIComponent(options.finalities.join(' '))}`;
  const authorize = await browser.request(start);
  const login = await browser.follow(new URL(authorize.headers.get('location')!).href, harness.sandbox.url);
  const consent = await browser.postForm(
    `${login.url}/login`,
    { persona: options.persona ?? 'camille' },
    harness.sandbox.url,
  );
  const choose = options.choose ?? 'accept-all';
  const form: Record<string, string | string[]> =
    choose === 'accept-all' ? { action: 'accept-all' } : { action: 'confirm', finality: choose };
  const back = await browser.postForm(`${consent.url}/consent`, form, harness.sandbox.url);
  const callback = await browser.request(back.url);
  return { browser, callback, callbackPage: await callback.text() };
}

/** A `fetch` for a MesClient in Node that behaves as the portal's page: its cookies and Origin. */
export function portalFetch(browser: Browser, origin: string): typeof fetch {
  return (input, init) =>
    browser.request(input instanceof Request ? input.url : input.toString(), {
      ...init,
      headers: { ...(init?.headers as Record<string, string>), origin },
    });
}

/** A MesClient on the portal's side of the gateway, paired as Camille with these finalités. */
export async function pairedGatewayClient(harness: GatewayHarness, finalities: string[]) {
  const { browser } = await pairThroughGateway(harness, { finalities });
  return new MesClient({
    transport: gatewayTransport({ baseUrl: `${harness.origin}/mes`, fetch: portalFetch(browser, harness.origin) }),
  });
}
