/**
 * The gateway: a back end for the front end, as one Web-standard `(Request) => Promise<Response>`.
 * It pairs each portal user with MES as a confidential OAuth client and keeps their tokens
 * server-side, and runs core's operations for them: the browser never reaches MES itself.
 *
 * Routes under `basePath` (default `/mes`): `GET session`, `GET pair/start`, `GET pair/callback`,
 * `POST pair/revoke`, `POST operations/<name>`, `GET imports/<token>` (an import delivered to the page),
 * `GET agenda.ics` and `GET measures/summary` (what the host holds, which needs no pairing), and
 * `GET health` for load balancers and monitoring: no authentication, no user data, `200
 * {"status":"ok"}` when the session store and MES's discovery answer, else `503 {"status":
 * "unavailable","failed":["sessions"|"mes"]}`. Any other method on a route is a 405 with `Allow`.
 */
import {
  GATEWAY_HEADER,
  MesError,
  agendaCalendar,
  chosenAppointments,
  loadOperation,
  normalizeError,
  summarizeMeasures,
  type MesSession,
} from '@mes-kit/core';
import type { GatewayContext, GatewayOptions, PortalUser } from './gateway-context.js';
import { createMesConnection } from './mes-connection.js';
import { createImports } from './imports.js';
import { agendaOf, createOperations, measuresOf, measuresQueryOf, operationError } from './operations.js';
import { createPairing } from './pairing.js';
import { MemorySessionStore, StoreUnavailable } from './session-store.js';

export interface Gateway {
  (request: Request): Promise<Response>;
  /**
   * The portal user is gone (account closed, or the host ends pairings at logout): their tokens
   * are forgotten, and with `revoke` the pairing ends in MES too. Resolves to whether MES confirmed.
   */
  forget(userId: string, options?: { revoke?: boolean }): Promise<boolean>;
  /**
   * The methods a path answers (none: not one of the gateway's), for an adapter that refuses a
   * method a Web `Request` cannot carry (TRACE) as the gateway refuses the others: 405 and `Allow`.
   */
  methodsFor(pathname: string): readonly string[];
}

async function userTag(userId: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(userId)));
  return Array.from(digest.slice(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  });

const GET_ROUTES = new Set([
  'session',
  'pair/start',
  'pair/callback',
  'pair/callback.js',
  'agenda.ics',
  'measures/summary',
]);

/** What a route (a path under the base) answers to; none: no such route. */
function methodsOf(route: string): readonly string[] {
  // Load balancers may check with HEAD.
  if (route === 'health') return ['GET', 'HEAD'];
  if (GET_ROUTES.has(route) || /^imports\/[^/]+$/.test(route)) return ['GET'];
  if (route === 'pair/revoke' || /^operations\/[^/]+$/.test(route)) return ['POST'];
  return [];
}

/** How long a dependency has to answer the health check. */
const HEALTH_TIMEOUT_MS = 3000;
/** How long MES's answer to the health check stands: polled by anyone, it must not flood MES. */
const HEALTH_CACHE_MS = 5000;

async function answersWithin(task: () => Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      Promise.resolve()
        .then(task)
        .then(
          () => true,
          () => false,
        ),
      new Promise<boolean>((resolve) => (timer = setTimeout(resolve, ms, false))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export function createGateway(options: GatewayOptions): Gateway {
  const base = (options.basePath ?? '/mes').replace(/\/$/, '');
  const sessions = options.sessions ?? new MemorySessionStore();
  const audit = options.audit ?? (() => undefined);
  const mes = createMesConnection({
    mes: options.mes,
    client: options.client,
    store: sessions,
    // Per service: two brands' gateways may share one store.
    keyOf: (userId) => `tokens:${options.service.oid}:${userId}`,
    tokenTtlSeconds: options.tokenTtlSeconds ?? 30 * 24 * 3600,
  });
  const context: GatewayContext = {
    options,
    base,
    sessions,
    mes,
    async record(userId, action, status, idPe) {
      audit({ at: new Date().toISOString(), user: await userTag(userId), idPe, action, status });
    },
  };
  const pairing = createPairing(context);
  const imports = createImports(context);
  const runOperation = createOperations(context, imports);

  async function identify(request: Request): Promise<PortalUser | undefined> {
    let user: PortalUser | undefined;
    try {
      user = await options.identify(request);
    } catch {
      // A portal session the host cannot read (a malformed cookie…) is nobody's.
      return undefined;
    }
    return user && typeof user.id === 'string' && user.id !== '' ? user : undefined;
  }

  const discoveryUrl = `${options.mes.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  let discovery: { at: number; reachable: Promise<boolean> } | undefined;

  /** Whether the session store answers (a read of a fixed key) and MES's discovery too; nothing about anyone. */
  async function health(): Promise<Response> {
    if (!discovery || Date.now() - discovery.at > HEALTH_CACHE_MS) {
      discovery = {
        at: Date.now(),
        reachable: answersWithin(async () => {
          // Its own time limit too: a MES that accepts and never answers must not pile up connections.
          const response = await fetch(discoveryUrl, {
            headers: { accept: 'application/json' },
            signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
          });
          await response.body?.cancel();
          if (!response.ok) throw new Error(`discovery ${response.status}`);
        }, HEALTH_TIMEOUT_MS),
      };
    }
    const [store, mesUp] = await Promise.all([
      answersWithin(() => sessions.get('health:probe'), HEALTH_TIMEOUT_MS),
      discovery.reachable,
    ]);
    const failed = [...(store ? [] : ['sessions']), ...(mesUp ? [] : ['mes'])];
    return failed.length === 0 ? json({ status: 'ok' }) : json({ status: 'unavailable', failed }, 503);
  }

  function methodNotAllowed(allowed: readonly string[]): Response {
    const response = operationError(new MesError('MES_INVALID_INPUT', { field: 'method' }), 405);
    response.headers.set('allow', allowed.join(', '));
    return response;
  }

  const routeOf = (pathname: string) =>
    pathname === base || pathname.startsWith(`${base}/`) ? pathname.slice(base.length + 1) : undefined;

  /** Calls must come from the portal's own scripts: custom header, same Origin, not cross-site. */
  function isCrossSite(request: Request): boolean {
    const origin = request.headers.get('origin');
    return (
      request.headers.get(GATEWAY_HEADER) !== '1' ||
      (origin !== null && origin !== options.origin) ||
      request.headers.get('sec-fetch-site') === 'cross-site'
    );
  }

  async function currentSession(user: PortalUser | undefined): Promise<Response> {
    const tokens = user && (await mes.tokensOf(user.id));
    const body: MesSession = {
      paired: !!tokens,
      finalities: tokens?.finalities ?? [],
      ...(tokens && { idPe: tokens.idPe }),
      service: options.service,
    };
    return json(body);
  }

  async function revoke(user: PortalUser | undefined): Promise<Response> {
    if (user && !(await pairing.end(user.id, true))) {
      return operationError(new MesError('MES_UNAVAILABLE', { operation: 'revoke' }), 502);
    }
    return new Response(null, { status: 204 });
  }

  /** The host's agenda as an .ics file, for a patient who adds it by hand: no pairing with MES needed. */
  async function agendaFile(request: Request, url: URL, user: PortalUser | undefined): Promise<Response> {
    const operation = 'sync-agenda';
    try {
      if (!user) throw new MesError('MES_AUTH_REQUIRED', { operation });
      const only = url.searchParams.getAll('only');
      const input = (await loadOperation(operation)).parse({
        appointments: await agendaOf(options, request, user),
        ...(only.length > 0 && { only }),
      });
      return new Response(agendaCalendar(chosenAppointments(input), options.service), {
        headers: {
          'content-type': 'text/calendar; charset=utf-8',
          'content-disposition': 'attachment; filename="rendez-vous.ics"',
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        },
      });
    } catch (error) {
      return operationError(normalizeError(error, operation));
    }
  }

  /** What « Envoyer mes mesures » would send, summarised from the host's readings: no pairing with MES needed. */
  async function measuresSummary(request: Request, url: URL, user: PortalUser | undefined): Promise<Response> {
    const operation = 'send-measures';
    try {
      if (!user) throw new MesError('MES_AUTH_REQUIRED', { operation });
      const kinds = url.searchParams.get('kinds');
      const from = url.searchParams.get('from');
      const to = url.searchParams.get('to');
      const send = await loadOperation(operation);
      const query = send.parse(
        measuresQueryOf({ ...(kinds && { kinds: kinds.split(',') }), ...(from && { from }), ...(to && { to }) }),
      );
      const input = send.parse({ ...query, series: await measuresOf(options, request, query, user) });
      return json(summarizeMeasures(input.readings ?? []));
    } catch (error) {
      return operationError(normalizeError(error, operation));
    }
  }

  const gateway = async function gateway(request: Request): Promise<Response> {
    try {
      return await answer(request);
    } catch (error) {
      // The store out of reach (Redis down): a clear, retryable answer now, and back when it is.
      if (error instanceof StoreUnavailable) {
        const response = operationError(new MesError('MES_UNAVAILABLE', { status: 503 }), 503);
        response.headers.set('retry-after', '5');
        return response;
      }
      throw error;
    }
  } as Gateway;

  async function answer(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const route = routeOf(url.pathname);
    if (route === undefined) return new Response('Not found', { status: 404 });
    const allowed = methodsOf(route);
    if (allowed.length === 0) return operationError(new MesError('MES_CONFIGURATION'), 404);
    const { method } = request;
    if (!allowed.includes(method)) return methodNotAllowed(allowed);
    if (route === 'health') return health();
    if (route === 'pair/callback.js') return pairing.script();
    const user = await identify(request);
    if (route === 'pair/start' && method === 'GET') return pairing.start(request, url, user);
    if (route === 'pair/callback' && method === 'GET') return pairing.finish(request, url, user);
    if (isCrossSite(request)) return operationError(new MesError('MES_CONFIGURATION'));
    if (route === 'session' && method === 'GET') return currentSession(user);
    if (route === 'pair/revoke' && method === 'POST') return revoke(user);
    if (route.startsWith('operations/') && method === 'POST') {
      return runOperation(request, route.slice('operations/'.length), user);
    }
    if (route === 'agenda.ics' && method === 'GET') return agendaFile(request, url, user);
    if (route === 'measures/summary' && method === 'GET') return measuresSummary(request, url, user);
    if (route.startsWith('imports/') && method === 'GET') return imports.download(route.slice('imports/'.length), user);
    return operationError(new MesError('MES_CONFIGURATION'), 404);
  }
  gateway.methodsFor = (pathname) => {
    const route = routeOf(pathname);
    return route === undefined ? [] : methodsOf(route);
  };
  gateway.forget = (userId, forgetOptions = {}) => {
    imports.forgetUser(userId);
    return pairing.end(userId, forgetOptions.revoke ?? false);
  };
  return gateway;
}
