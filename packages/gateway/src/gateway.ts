/**
 * The gateway: a back end for the front end, as one Web-standard `(Request) => Promise<Response>`.
 * It pairs with MES as a confidential OAuth client (PKCE, state, nonce), keeps the tokens in a
 * server-side session, proxies allow-listed FHIR calls adding them, refreshes them, and audits.
 *
 * Routes under `basePath` (default `/mes`): `GET session`, `GET pair/start`, `GET pair/callback`,
 * `POST pair/revoke`, `* fhir/…`.
 */
import { GATEWAY_HEADER, type MesSession } from '@mes-kit/core';
import * as oidc from 'openid-client';
import { describeInteraction, isAllowed, type Interaction } from './allow-list.js';
import { CALLBACK_SCRIPT, callbackPage } from './callback-page.js';
import { readCookie, serializeCookie } from './cookies.js';
import {
  MemorySessionStore,
  type GatewaySession,
  type PairedTokens,
  type PendingPairing,
  type SessionStore,
} from './session-store.js';

export interface AuditEntry {
  at: string;
  /** A hash of the browser session, never the cookie itself. */
  session: string;
  idPe?: string;
  action: string;
  status: number;
}

export interface GatewayOptions {
  /** Mon espace santé (or the sandbox): OpenID issuer and FHIR base. */
  mes: { issuer: string; fhirBase: string; idTokenHeader?: string };
  /** The service's OAuth client, registered with MES. */
  client: { clientId: string; clientSecret: string };
  /** The service as MES knows it; `oid` must match the ID token's. */
  service: MesSession['service'];
  /** The portal's origin, e.g. `https://portail.example.fr`: pairing results are posted to it only, and state-changing calls must come from it. */
  origin: string;
  /** Where the gateway is mounted (default: `/mes`). */
  basePath?: string;
  sessions?: SessionStore;
  /** Receives one entry per exchange with MES: who, what, when, outcome — never content. */
  audit?: (entry: AuditEntry) => void;
  /** Lifetime of a browser session, in seconds (default: 12 h). */
  sessionTtlSeconds?: number;
}

export type Gateway = (request: Request) => Promise<Response>;

type TokenState =
  | { tokens: PairedTokens; ended?: undefined; unavailable?: undefined }
  | { tokens?: undefined; ended: true; unavailable?: undefined }
  | { tokens?: undefined; ended?: undefined; unavailable: true };

const PAIR_COOKIE = 'mes_pair';
const PAIRING_TTL = 600;
const FINALITY = /^[A-Z][A-Z0-9_]{1,63}$/;
/** A 5 MB document base64-encoded in its bundle, plus metadata. */
const MAX_BODY_BYTES = 8_000_000;

function outcome(status: number, code: string, diagnostics: string, headers: Record<string, string> = {}) {
  return new Response(
    JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] }),
    {
      status,
      headers: { 'content-type': 'application/fhir+json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    },
  );
}

const json = (body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });

/** Node's TextDecoder is slow on megabytes; its Buffer is not (the gateway runs on a server). */
function decodeUtf8(bytes: Uint8Array): string {
  const NodeBuffer = (
    globalThis as { Buffer?: { from(b: ArrayBufferLike, o: number, l: number): { toString(e: 'utf8'): string } } }
  ).Buffer;
  return NodeBuffer
    ? NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')
    : new TextDecoder().decode(bytes);
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/[+/=]/g, (c) => ({ '+': '-', '/': '_', '=': '' })[c]!);
}

async function sessionTag(sessionId: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(sessionId)));
  return Array.from(digest.slice(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A same-origin path to come back to after a redirect pairing; anything else falls back to `/`. */
function safeReturnPath(value: string | null, origin: string): string {
  // Printable ASCII only (URL parsers strip tabs and newlines: `/\t/evil.example`), no `//`, no `\`.
  if (!value || !/^\/(?![/\\])[!-[\]-~]*$/.test(value)) return '/';
  const resolved = new URL(value, origin);
  return resolved.origin === origin ? `${resolved.pathname}${resolved.search}` : '/';
}

export function createGateway(options: GatewayOptions): Gateway {
  const base = (options.basePath ?? '/mes').replace(/\/$/, '');
  const sessions = options.sessions ?? new MemorySessionStore();
  const sessionTtl = options.sessionTtlSeconds ?? 12 * 3600;
  const idTokenHeader = options.mes.idTokenHeader ?? 'X-Id-Token';
  const fhirBase = options.mes.fhirBase.replace(/\/$/, '');
  const secure = options.origin.startsWith('https:');
  // Over https, `__Host-`: no sibling subdomain can plant or overwrite the session cookie.
  const SESSION_COOKIE = secure ? '__Host-mes_session' : 'mes_session';
  /** One token refresh at a time per session: refresh tokens rotate, a second use would end the pairing. */
  const refreshing = new Map<string, Promise<TokenState>>();
  const redirectUri = `${options.origin}${base}/pair/callback`;
  const audit = options.audit ?? (() => undefined);
  let configuration: Promise<oidc.Configuration> | undefined;

  /** MES's OpenID configuration, discovered once (and again after a failure). */
  function mes(): Promise<oidc.Configuration> {
    configuration ??= oidc
      .discovery(
        new URL(options.mes.issuer),
        options.client.clientId,
        undefined,
        oidc.ClientSecretBasic(options.client.clientSecret),
        {
          // The sandbox runs on http://localhost; production MES is https only.
          execute: options.mes.issuer.startsWith('http://localhost') ? [oidc.allowInsecureRequests] : [],
        },
      )
      .catch((error: unknown) => {
        configuration = undefined;
        throw error;
      });
    return configuration;
  }

  async function record(sessionId: string, action: string, status: number, idPe?: string) {
    audit({ at: new Date().toISOString(), session: await sessionTag(sessionId), idPe, action, status });
  }

  /** The browser's session, if it has one; sessions are only made when a pairing starts. */
  async function sessionOf(request: Request): Promise<{ id?: string; session: GatewaySession }> {
    const id = readCookie(request, SESSION_COOKIE);
    const session = id ? await sessions.get<GatewaySession>(`session:${id}`) : undefined;
    return id && session ? { id, session } : { session: {} };
  }

  const sessionCookie = (id: string, maxAge = sessionTtl) =>
    serializeCookie(SESSION_COOKIE, id, { path: '/', sameSite: 'Strict', secure, maxAge });

  /** State-changing and data calls must come from the portal's own scripts: custom header, and same Origin. */
  function csrfRefusal(request: Request): Response | undefined {
    const origin = request.headers.get('origin');
    if (request.headers.get(GATEWAY_HEADER) !== '1' || (origin !== null && origin !== options.origin)) {
      return outcome(403, 'security', 'Cross-site request refused by the gateway.');
    }
    if (request.headers.get('sec-fetch-site') === 'cross-site') {
      return outcome(403, 'security', 'Cross-site request refused by the gateway.');
    }
    return undefined;
  }

  async function currentSession(request: Request): Promise<Response> {
    const { session } = await sessionOf(request);
    const tokens = session.tokens;
    const body: MesSession = {
      paired: !!tokens,
      finalities: tokens?.finalities ?? [],
      ...(tokens && { idPe: tokens.idPe }),
      service: options.service,
    };
    return json(body);
  }

  async function startPairing(request: Request, url: URL): Promise<Response> {
    const finalities = (url.searchParams.get('finalities') ?? '').split(/[\s,]+/).filter(Boolean);
    if (finalities.length === 0 || !finalities.every((f) => FINALITY.test(f))) {
      return new Response('finalities must list the finalité codes to ask for', { status: 400 });
    }
    // Started from the portal (its popup or its page), never from another site's link.
    if (request.headers.get('sec-fetch-site') === 'cross-site') {
      return new Response('Start the pairing from the portal.', { status: 403 });
    }
    let config: oidc.Configuration;
    try {
      config = await mes();
    } catch {
      return new Response('Mon espace santé is unreachable; try again later.', { status: 502 });
    }
    // A fresh session for every pairing: an id planted in the browser beforehand is never paired.
    const previous = await sessionOf(request);
    if (previous.id) await sessions.delete(`session:${previous.id}`);
    const id = randomId();
    await sessions.set<GatewaySession>(`session:${id}`, {}, sessionTtl);
    const state = oidc.randomState();
    const pending: PendingPairing = {
      sessionId: id,
      codeVerifier: oidc.randomPKCECodeVerifier(),
      nonce: oidc.randomNonce(),
      finalities,
      mode: url.searchParams.get('mode') === 'redirect' ? 'redirect' : 'popup',
      returnTo: safeReturnPath(url.searchParams.get('return_to'), options.origin),
    };
    await sessions.set(`pairing:${state}`, pending, PAIRING_TTL);
    const authorize = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: ['openid', 'offline_access', ...finalities].join(' '),
      state,
      nonce: pending.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
    });
    await record(id, 'pair.start', 302);
    const headers = new Headers({ location: authorize.href, 'cache-control': 'no-store' });
    // Lax, not Strict: it must come back on MES's cross-site redirect to the callback.
    headers.append(
      'set-cookie',
      serializeCookie(PAIR_COOKIE, state, { path: `${base}/pair`, sameSite: 'Lax', secure, maxAge: PAIRING_TTL }),
    );
    headers.append('set-cookie', sessionCookie(id));
    return new Response(null, { status: 302, headers });
  }

  async function finishPairing(request: Request, url: URL): Promise<Response> {
    const state = url.searchParams.get('state') ?? '';
    const pending = state ? await sessions.get<PendingPairing>(`pairing:${state}`) : undefined;
    const clearPairCookie = serializeCookie(PAIR_COOKIE, '', {
      path: `${base}/pair`,
      sameSite: 'Lax',
      secure,
      maxAge: 0,
    });
    // The pairing must end in the browser that started it.
    if (!pending || readCookie(request, PAIR_COOKIE) !== state) {
      return reply(undefined, 'error', 'La demande de connexion a expiré ou ne vient pas de ce navigateur.');
    }
    await sessions.delete(`pairing:${state}`);
    const refused = url.searchParams.get('error');
    if (refused) {
      await record(pending.sessionId, 'pair.refused', 400);
      return reply(pending, 'error', refused === 'access_denied' ? 'vous n’avez autorisé aucune action' : refused);
    }
    try {
      const config = await mes();
      const tokens = await oidc.authorizationCodeGrant(config, url, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: state,
        expectedNonce: pending.nonce,
      });
      const claims = tokens.claims();
      if (!claims || claims['oid'] !== options.service.oid || typeof claims['idPe'] !== 'string') {
        await record(pending.sessionId, 'pair.rejected', 409);
        return reply(pending, 'error', 'le service n’est pas celui que Mon espace santé attend');
      }
      const paired: PairedTokens = {
        accessToken: tokens.access_token,
        refreshToken: tokens.refresh_token,
        idToken: tokens.id_token!,
        expiresAt: Date.now() + (tokens.expires_in ?? 0) * 1000,
        // Without `scope` in the answer, what was asked for was granted (RFC 6749 §5.1).
        finalities: tokens.scope === undefined ? pending.finalities : finalitiesOf(tokens.scope),
        idPe: claims['idPe'],
      };
      await sessions.set<GatewaySession>(`session:${pending.sessionId}`, { tokens: paired }, sessionTtl);
      await record(pending.sessionId, 'pair.success', 200, paired.idPe);
      return reply(pending, 'success');
    } catch {
      await record(pending.sessionId, 'pair.failed', 502);
      return reply(pending, 'error', 'Mon espace santé n’a pas confirmé la connexion');
    }

    function reply(pairing: PendingPairing | undefined, result: 'success' | 'error', error?: string): Response {
      const headers = new Headers({ 'cache-control': 'no-store', 'set-cookie': clearPairCookie });
      if (pairing?.mode === 'redirect') {
        const back = new URL(pairing.returnTo, options.origin);
        back.searchParams.set('mes_pairing', result);
        headers.set('location', back.href);
        return new Response(null, { status: 303, headers });
      }
      headers.set('content-type', 'text/html; charset=utf-8');
      headers.set(
        'content-security-policy',
        "default-src 'none'; script-src 'self'; base-uri 'none'; frame-ancestors 'none'",
      );
      headers.set('referrer-policy', 'no-referrer');
      const page = callbackPage({
        outcome: result,
        error,
        targetOrigin: options.origin,
        scriptUrl: `${base}/pair/callback.js`,
      });
      return new Response(page, { status: result === 'success' ? 200 : 400, headers });
    }
  }

  async function revoke(request: Request): Promise<Response> {
    const { id, session } = await sessionOf(request);
    const tokens = session.tokens;
    if (id && tokens) {
      await sessions.delete(`session:${id}`);
      try {
        // Revoking the refresh token ends the pairing on MES's side too.
        await oidc.tokenRevocation(await mes(), tokens.refreshToken ?? tokens.accessToken);
        await record(id, 'pair.revoke', 200, tokens.idPe);
      } catch {
        await record(id, 'pair.revoke', 502, tokens.idPe);
        return outcome(
          502,
          'transient',
          'Mon espace santé did not confirm the revocation; the tokens are forgotten here.',
        );
      }
    }
    return new Response(null, { status: 204, headers: { 'set-cookie': sessionCookie('', 0) } });
  }

  /**
   * Fresh tokens for a session, refreshing (with rotation) when they expire within 30 s, once at a
   * time per session. Only MES's `invalid_grant` ends the pairing; a failure to reach MES does not.
   */
  function validTokens(sessionId: string, tokens: PairedTokens, force = false): Promise<TokenState> {
    if (!force && tokens.expiresAt - 30_000 > Date.now()) return Promise.resolve({ tokens });
    const running = refreshing.get(sessionId);
    if (running) return running;
    const refresh = (async (): Promise<TokenState> => {
      // Another request may have refreshed while this one waited.
      const stored = (await sessions.get<GatewaySession>(`session:${sessionId}`))?.tokens;
      if (!stored) return { ended: true };
      if (stored.accessToken !== tokens.accessToken && stored.expiresAt - 30_000 > Date.now())
        return { tokens: stored };
      if (!stored.refreshToken) return { ended: true };
      try {
        const refreshed = await oidc.refreshTokenGrant(await mes(), stored.refreshToken);
        const next: PairedTokens = {
          ...stored,
          accessToken: refreshed.access_token,
          refreshToken: refreshed.refresh_token ?? stored.refreshToken,
          idToken: refreshed.id_token ?? stored.idToken,
          expiresAt: Date.now() + (refreshed.expires_in ?? 0) * 1000,
          finalities: refreshed.scope === undefined ? stored.finalities : finalitiesOf(refreshed.scope),
        };
        await sessions.set<GatewaySession>(`session:${sessionId}`, { tokens: next }, sessionTtl);
        return { tokens: next };
      } catch (error) {
        if ((error as { error?: unknown }).error !== 'invalid_grant') return { unavailable: true };
        // The pairing ended (revoked, désynchronisé): forget it, the patient will pair again.
        await sessions.delete(`session:${sessionId}`);
        return { ended: true };
      }
    })().finally(() => refreshing.delete(sessionId));
    refreshing.set(sessionId, refresh);
    return refresh;
  }

  async function proxy(request: Request, url: URL, path: string): Promise<Response> {
    const { id, session } = await sessionOf(request);
    const body = request.method === 'GET' ? undefined : new Uint8Array(await request.arrayBuffer());
    if (body && body.length > MAX_BODY_BYTES) {
      return outcome(413, 'too-costly', 'The request is larger than Mon espace santé accepts.');
    }
    const interaction: Interaction = { method: request.method, path, query: [...url.searchParams.keys()] };
    if (path === '' && body) {
      try {
        const bundle = JSON.parse(decodeUtf8(body)) as {
          type?: unknown;
          entry?: { resource?: { resourceType?: unknown }; request?: { method?: unknown; url?: unknown } }[];
        };
        interaction.bundleType = String(bundle.type);
        interaction.entries = (bundle.entry ?? []).map((e) => ({
          resourceType: String(e.resource?.resourceType),
          method: String(e.request?.method),
          url: String(e.request?.url),
        }));
      } catch {
        return outcome(400, 'structure', 'The body is not valid JSON.');
      }
    }
    const action = describeInteraction(interaction);
    const tag = id ?? 'anonymous';
    if (!isAllowed(interaction)) {
      await record(tag, `refused ${action}`, 405);
      const what = `${request.method} ${path || '(transaction)'}${url.search ? ' with these parameters' : ''}`;
      return outcome(405, 'not-supported', `${what} is not allowed through this gateway.`);
    }
    if (!id || !session.tokens) return outcome(401, 'login', 'Not paired with Mon espace santé.');
    const unavailable = () =>
      outcome(503, 'transient', 'Mon espace santé could not be reached; try again.', { 'retry-after': '5' });
    const ended = async () => {
      await record(id, action, 401);
      return outcome(401, 'login', 'The pairing with Mon espace santé has ended.');
    };
    const initial = await validTokens(id, session.tokens);
    if (!initial.tokens) return initial.unavailable ? unavailable() : ended();
    let tokens = initial.tokens;

    const forward = (current: PairedTokens) =>
      fetch(`${fhirBase}/${path}${url.search}`, {
        method: request.method,
        headers: {
          authorization: `Bearer ${current.accessToken}`,
          [idTokenHeader]: current.idToken,
          accept: 'application/fhir+json',
          ...(body && { 'content-type': request.headers.get('content-type') ?? 'application/fhir+json' }),
          ...(request.headers.get('if-none-exist') && { 'if-none-exist': request.headers.get('if-none-exist')! }),
        },
        body,
      });
    let response: Response;
    try {
      response = await forward(tokens);
      if (response.status === 401) {
        // Expired early or rotated elsewhere: one refresh, one retry (writes carry ifNoneExist).
        const refreshed = await validTokens(id, tokens, true);
        if (!refreshed.tokens) return refreshed.unavailable ? unavailable() : ended();
        tokens = refreshed.tokens;
        response = await forward(tokens);
      }
    } catch {
      // The request may have reached MES: 502 tells the client the outcome is unknown.
      await record(id, action, 502, tokens.idPe);
      return outcome(
        502,
        'transient',
        'Mon espace santé did not answer; the request may or may not have been applied.',
      );
    }
    await record(id, action, response.status, tokens.idPe);
    const headers = new Headers({ 'cache-control': 'no-store' });
    // Not content-length nor content-encoding: fetch has already decoded a compressed body.
    for (const name of ['content-type', 'retry-after', 'location', 'etag', 'last-modified']) {
      const value = response.headers.get(name);
      if (value !== null) headers.set(name, value);
    }
    return new Response(response.body, { status: response.status, headers });
  }

  return async function gateway(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname !== base && !url.pathname.startsWith(`${base}/`))
      return new Response('Not found', { status: 404 });
    const route = url.pathname.slice(base.length + 1);
    const { method } = request;
    if (route === 'pair/start' && method === 'GET') return startPairing(request, url);
    if (route === 'pair/callback' && method === 'GET') return finishPairing(request, url);
    if (route === 'pair/callback.js' && method === 'GET') {
      return new Response(CALLBACK_SCRIPT, {
        headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'max-age=3600' },
      });
    }
    const refusal = csrfRefusal(request);
    if (refusal) return refusal;
    if (route === 'session' && method === 'GET') return currentSession(request);
    if (route === 'pair/revoke' && method === 'POST') return revoke(request);
    if (route === 'fhir' || route.startsWith('fhir/')) return proxy(request, url, route.slice('fhir/'.length));
    return outcome(404, 'not-found', `${method} ${url.pathname} is not a gateway route.`);
  };
}

/** The finalités granted, from the token response's `scope` (OIDC scopes left out). */
function finalitiesOf(scope: string | undefined): string[] {
  return (scope ?? '').split(' ').filter((s) => FINALITY.test(s));
}
