/**
 * Pairing a portal user with MES as a confidential OAuth client: PKCE, state and nonce; the request
 * pushed to MES first (RFC 9126) with who the portal user is, so MES's consent page can say which
 * portal account is being linked; the tokens kept for that user only.
 */
import { PARTNER_USER_NAME, partnerUserName } from '@mes-kit/core';
import * as oidc from 'openid-client';
import { CALLBACK_SCRIPT, callbackPage, type PairingFailure } from './callback-page.js';
import { readCookie, serializeCookie } from './cookies.js';
import { takeSlot } from './locks.js';
import type { GatewayContext, PortalUser } from './gateway-context.js';
import { FINALITY, finalitiesOf } from './mes-connection.js';
import type { PairedTokens, PendingPairing } from './session-store.js';

const PAIR_COOKIE = 'mes_pair';
const PAIRING_TTL = 600;
/** Pairings a portal user may start within `PAIR_START_WINDOW_MS`. */
const PAIR_STARTS = 5;
const PAIR_START_WINDOW_MS = 10_000;

/** A same-origin path to come back to after a redirect pairing; anything else falls back to `/`. */
function safeReturnPath(value: string | null, origin: string): string {
  // Printable ASCII only (URL parsers strip tabs and newlines: `/\t/evil.example`), no `//`, no `\`.
  if (!value || !/^\/(?![/\\])[!-[\]-~]*$/.test(value)) return '/';
  const resolved = new URL(value, origin);
  // Dot segments resolve after the check above: `/.//evil.example` becomes `//evil.example`.
  if (resolved.origin !== origin || resolved.pathname.startsWith('//')) return '/';
  return `${resolved.pathname}${resolved.search}`;
}

/**
 * Started by the portal itself (its page, its popup) or typed by the patient: never by another
 * site, not even a same-site one, which could otherwise replace the pairing under way.
 */
function fromThePortal(request: Request, origin: string): boolean {
  const site = request.headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin' && site !== 'none') return false;
  const from = request.headers.get('origin');
  if (from !== null && from !== origin) return false;
  const referer = request.headers.get('referer');
  if (referer === null) return true;
  try {
    return new URL(referer).origin === origin;
  } catch {
    return false;
  }
}

const text = (status: number, body: string) =>
  new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });

export function createPairing(context: GatewayContext) {
  const { options, base, mes, record } = context;
  const secure = options.origin.startsWith('https:');
  const redirectUri = `${options.origin}${base}/pair/callback`;
  // On https, a __Host- cookie: a sibling subdomain cannot plant its own pairing in the patient's browser.
  const cookieName = secure ? `__Host-${PAIR_COOKIE}` : PAIR_COOKIE;
  const pairCookie = (value: string, maxAge: number) =>
    serializeCookie(cookieName, value, { path: secure ? '/' : `${base}/pair`, sameSite: 'Lax', secure, maxAge });
  const pendingKey = (state: string) => `pairing:${options.service.oid}:${state}`;
  /** The one pairing a portal user has under way: a new start replaces it, so that starts cannot pile up. */
  const latestKey = (userId: string) => `pairing-of:${options.service.oid}:${userId}`;

  async function start(request: Request, url: URL, user: PortalUser | undefined): Promise<Response> {
    if (!fromThePortal(request, options.origin))
      return text(403, 'Lancez la connexion à Mon espace santé depuis le portail. Start the pairing from the portal.');
    const finalities = (url.searchParams.get('finalities') ?? '').split(/[\s,]+/).filter(Boolean);
    if (finalities.length === 0 || !finalities.every((f) => FINALITY.test(f))) {
      return text(400, 'finalities must list the finalité codes to ask for');
    }
    if (!user) return text(401, 'Log in to the portal first: the pairing belongs to your portal account.');
    // Each start pushes a request to MES with the service's credentials: a few every ten seconds per
    // user at most, or one account could get the whole service throttled. A slot expires on its own,
    // and is given back only when MES could not be asked.
    const slot = await takeSlot(
      context.sessions,
      `lock:pair-start:${options.service.oid}:${user.id}`,
      PAIR_STARTS,
      PAIR_START_WINDOW_MS,
    );
    if (!slot) {
      const response = text(
        429,
        'Trop de connexions lancées : réessayez dans quelques secondes. Too many pairings started.',
      );
      response.headers.set('retry-after', String(PAIR_START_WINDOW_MS / 1000));
      return response;
    }
    let config: oidc.Configuration;
    try {
      config = await mes.configure();
    } catch {
      await slot.release();
      return text(502, 'Mon espace santé is unreachable; try again later.');
    }
    const state = oidc.randomState();
    const pending: PendingPairing = {
      userId: user.id,
      codeVerifier: oidc.randomPKCECodeVerifier(),
      nonce: oidc.randomNonce(),
      finalities,
      mode: url.searchParams.get('mode') === 'redirect' ? 'redirect' : 'popup',
      returnTo: safeReturnPath(url.searchParams.get('return_to'), options.origin),
    };
    const parameters: Record<string, string> = {
      redirect_uri: redirectUri,
      scope: ['openid', 'offline_access', ...finalities].join(' '),
      state,
      nonce: pending.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      // MES's session in this browser may be another patient's (a shared computer, a family
      // tablet): the patient says who they are each time they link a portal account.
      prompt: 'login',
    };
    // Kept before MES is asked: a store out of reach fails the start before anything reaches MES.
    const replaced = await context.sessions.get<string>(latestKey(user.id));
    if (replaced) await context.sessions.delete(pendingKey(replaced));
    await context.sessions.set(pendingKey(state), pending, PAIRING_TTL);
    await context.sessions.set(latestKey(user.id), state, PAIRING_TTL);
    let authorize: URL;
    try {
      // Pushed, authenticated with the client's secret: MES can trust who the portal says its user
      // is. Without PAR, the name stays out of a URL that anyone could have forged.
      authorize = config.serverMetadata().pushed_authorization_request_endpoint
        ? await oidc.buildAuthorizationUrlWithPAR(config, {
            ...parameters,
            ...(user.displayName && { [PARTNER_USER_NAME]: partnerUserName(user.displayName) }),
          })
        : oidc.buildAuthorizationUrl(config, parameters);
    } catch {
      await context.sessions.delete(pendingKey(state));
      await slot.release();
      return text(502, 'Mon espace santé refused to start the pairing; try again later.');
    }
    await record(user.id, 'pair.start', 302);
    const headers = new Headers({ location: authorize.href, 'cache-control': 'no-store' });
    // Lax, not Strict: it must come back on MES's cross-site redirect to the callback.
    headers.append('set-cookie', pairCookie(state, PAIRING_TTL));
    return new Response(null, { status: 302, headers });
  }

  async function finish(request: Request, url: URL, user: PortalUser | undefined): Promise<Response> {
    const state = url.searchParams.get('state') ?? '';
    const pending = state ? await context.sessions.get<PendingPairing>(pendingKey(state)) : undefined;
    if (!pending) return reply(undefined, 'expired');
    // Used once, whatever happens next: a callback address that leaks is worth nothing.
    await context.sessions.delete(pendingKey(state));
    // The pairing must end in the browser that started it, and (when the portal's session cookie
    // comes along) for the portal user who started it.
    if (readCookie(request, cookieName) !== state) {
      await record(pending.userId, 'pair.other-browser', 403);
      return reply(undefined, 'expired');
    }
    if (user && user.id !== pending.userId) {
      await record(pending.userId, 'pair.other-user', 403);
      return reply(pending, 'other-user');
    }
    const refused = url.searchParams.get('error');
    if (refused) {
      await record(pending.userId, 'pair.refused', 400);
      return reply(pending, refused === 'access_denied' ? 'refused' : 'failed');
    }
    try {
      const config = await mes.configure();
      const tokens = await oidc.authorizationCodeGrant(config, url, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: state,
        expectedNonce: pending.nonce,
      });
      const claims = tokens.claims();
      if (!claims || claims['oid'] !== options.service.oid || typeof claims['idPe'] !== 'string') {
        await record(pending.userId, 'pair.rejected', 409);
        return reply(pending, 'wrong-service');
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
      const previous = await mes.tokensOf(pending.userId);
      await mes.keep(pending.userId, paired);
      await record(pending.userId, 'pair.success', 200, paired.idPe);
      // The account was paired with another patient: that pairing ends in MES too, rather than stay
      // live for whoever holds (or puts back) its tokens. With the same patient, MES replaced it.
      if (previous && previous.idPe !== paired.idPe) await revokeAtMes(pending.userId, previous, 'pair.replaced');
      return reply(pending);
    } catch {
      await record(pending.userId, 'pair.failed', 502);
      return reply(pending, 'failed');
    }

    function reply(pairing: PendingPairing | undefined, failure?: PairingFailure): Response {
      const headers = new Headers({ 'cache-control': 'no-store', 'set-cookie': pairCookie('', 0) });
      const outcome = failure ? 'error' : 'success';
      if (pairing?.mode === 'redirect') {
        const back = new URL(pairing.returnTo, options.origin);
        if (back.origin !== options.origin) back.href = `${options.origin}/`;
        back.searchParams.set('mes_pairing', outcome);
        headers.set('location', back.href);
        return new Response(null, { status: 303, headers });
      }
      headers.set('content-type', 'text/html; charset=utf-8');
      headers.set(
        'content-security-policy',
        "default-src 'none'; script-src 'self'; base-uri 'none'; frame-ancestors 'none'",
      );
      headers.set('referrer-policy', 'no-referrer');
      const page = callbackPage({ failure, targetOrigin: options.origin, scriptUrl: `${base}/pair/callback.js` });
      return new Response(page, { status: failure ? 400 : 200, headers });
    }
  }

  const script = () =>
    new Response(CALLBACK_SCRIPT, {
      headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'max-age=3600' },
    });

  /** Ends a user's pairing: forgotten here, and (when `revoke`) ended in MES by revoking the refresh token. */
  async function end(userId: string, revoke: boolean): Promise<boolean> {
    const tokens = await mes.tokensOf(userId);
    if (!tokens) return true;
    await mes.forget(userId);
    return revoke ? revokeAtMes(userId, tokens, 'pair.revoke') : true;
  }

  /** Ends a pairing in MES by revoking its refresh token; resolves with whether MES confirmed. */
  async function revokeAtMes(userId: string, tokens: PairedTokens, action: string): Promise<boolean> {
    try {
      await oidc.tokenRevocation(await mes.configure(), tokens.refreshToken ?? tokens.accessToken);
      await record(userId, action, 200, tokens.idPe);
      return true;
    } catch {
      await record(userId, action, 502, tokens.idPe);
      return false;
    }
  }

  return { start, finish, script, end };
}
