/**
 * The gateway's side of MES: its OpenID configuration, each portal user's tokens, their refresh
 * (one at a time per user: refresh tokens rotate, a second use would end the pairing), and the
 * FHIR calls operations make with them.
 */
import { httpRequest, type FhirCall } from '@mes-kit/core';
import * as oidc from 'openid-client';
import { withLock } from './locks.js';
import type { PairedTokens, SessionStore } from './session-store.js';

export interface MesEndpoints {
  issuer: string;
  fhirBase: string;
  idTokenHeader?: string;
}

export type TokenState =
  | { tokens: PairedTokens; ended?: undefined; unavailable?: undefined }
  | { tokens?: undefined; ended: true; unavailable?: undefined }
  | { tokens?: undefined; ended?: undefined; unavailable: true };

/** The finalité codes, as MES names them (OIDC scopes left out). */
export const FINALITY = /^[A-Z][A-Z0-9_]{1,63}$/;

/** The finalités granted, from a token response's `scope`. */
export function finalitiesOf(scope: string | undefined): string[] {
  return (scope ?? '').split(' ').filter((s) => FINALITY.test(s));
}

const jsonOutcome = (status: number, code: string, diagnostics: string, headers: Record<string, string> = {}) =>
  new Response(
    JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] }),
    {
      status,
      headers: { 'content-type': 'application/fhir+json', ...headers },
    },
  );

/**
 * When tokens just obtained should be refreshed: 30 s before they expire, or a quarter of their life
 * before for short-lived ones (else every call would refresh).
 */
const refreshTime = (expiresAt: number) => expiresAt - Math.min(30_000, Math.max(0, expiresAt - Date.now()) / 4);
const isFresh = (tokens: PairedTokens) => (tokens.refreshAt ?? tokens.expiresAt - 30_000) > Date.now();

export function createMesConnection(options: {
  mes: MesEndpoints;
  client: { clientId: string; clientSecret: string };
  store: SessionStore;
  /** The store key of a user's tokens. */
  keyOf: (userId: string) => string;
  tokenTtlSeconds: number;
}) {
  const { store, keyOf } = options;
  const fhirBase = options.mes.fhirBase.replace(/\/$/, '');
  const idTokenHeader = options.mes.idTokenHeader ?? 'X-Id-Token';
  const refreshing = new Map<string, Promise<TokenState>>();
  let configuration: Promise<oidc.Configuration> | undefined;

  /** MES's OpenID configuration, discovered once (and again after a failure). */
  function configure(): Promise<oidc.Configuration> {
    configuration ??= oidc
      .discovery(
        new URL(options.mes.issuer),
        options.client.clientId,
        undefined,
        oidc.ClientSecretBasic(options.client.clientSecret),
        // The sandbox runs on http://localhost; production MES is https only.
        { execute: options.mes.issuer.startsWith('http://localhost') ? [oidc.allowInsecureRequests] : [] },
      )
      .catch((error: unknown) => {
        configuration = undefined;
        throw error;
      });
    return configuration;
  }

  const tokensOf = (userId: string) => store.get<PairedTokens>(keyOf(userId));
  const keep = (userId: string, tokens: PairedTokens) =>
    store.set(
      keyOf(userId),
      { ...tokens, refreshAt: tokens.refreshAt ?? refreshTime(tokens.expiresAt) },
      options.tokenTtlSeconds,
    );
  const forget = (userId: string) => store.delete(keyOf(userId));

  /**
   * Fresh tokens for a user, refreshing (with rotation) when they are due to, or when MES
   * refused them (`force`). Only MES's `invalid_grant` ends the pairing; failing to reach MES does not.
   */
  function validTokens(userId: string, tokens: PairedTokens, force = false): Promise<TokenState> {
    if (!force && isFresh(tokens)) return Promise.resolve({ tokens });
    const running = refreshing.get(userId);
    if (running) return running;
    // One refresh at a time per user across every instance sharing the store: MES rotates refresh
    // tokens and takes a second use of one as theft, ending the pairing.
    const refresh = withLock(store, `lock:refresh:${keyOf(userId)}`, async (): Promise<TokenState> => {
      // Another request (here or on another instance) may have refreshed while this one waited.
      const stored = await tokensOf(userId);
      if (!stored) return { ended: true };
      if (stored.accessToken !== tokens.accessToken && isFresh(stored)) return { tokens: stored };
      if (!stored.refreshToken) return { ended: true };
      try {
        const refreshed = await oidc.refreshTokenGrant(await configure(), stored.refreshToken);
        const expiresAt = Date.now() + (refreshed.expires_in ?? 0) * 1000;
        const next: PairedTokens = {
          ...stored,
          accessToken: refreshed.access_token,
          refreshToken: refreshed.refresh_token ?? stored.refreshToken,
          idToken: refreshed.id_token ?? stored.idToken,
          expiresAt,
          refreshAt: refreshTime(expiresAt),
          finalities: refreshed.scope === undefined ? stored.finalities : finalitiesOf(refreshed.scope),
        };
        await keep(userId, next);
        return { tokens: next };
      } catch (error) {
        if ((error as { error?: unknown }).error !== 'invalid_grant') return { unavailable: true };
        // The pairing ended (revoked, désynchronisé): forget it, the patient will pair again.
        await forget(userId);
        return { ended: true };
      }
    })
      // The lock held too long elsewhere, or the store out of reach: MES is not reached this time.
      .catch((): TokenState => ({ unavailable: true }))
      .finally(() => refreshing.delete(userId));
    refreshing.set(userId, refresh);
    return refresh;
  }

  /**
   * The FHIR calls of one operation for one user: the tokens added, refreshed once on a 401 and
   * the call made again (writes carry a business identifier, so a repeat files nothing twice).
   * A pairing that ended answers as MES would (401); MES out of reach, as unavailable (503).
   */
  function callsFor(userId: string, initial: PairedTokens): FhirCall {
    let tokens = initial;
    const ended = () => jsonOutcome(401, 'login', 'The pairing with Mon espace santé has ended.');
    const unavailable = () =>
      jsonOutcome(503, 'transient', 'Mon espace santé could not be reached.', { 'retry-after': '5' });
    const forward = (request: Parameters<FhirCall>[0], signal?: AbortSignal) =>
      httpRequest(`${fhirBase}/${request.path}`, {
        method: request.method,
        headers: {
          authorization: `Bearer ${tokens.accessToken}`,
          [idTokenHeader]: tokens.idToken,
          accept: 'application/fhir+json',
          ...(request.body !== undefined && { 'content-type': 'application/fhir+json' }),
          ...request.headers,
        },
        body: request.body,
        signal,
      });
    return async (request, callOptions = {}) => {
      const current = await validTokens(userId, tokens);
      if (!current.tokens) return current.unavailable ? unavailable() : ended();
      tokens = current.tokens;
      let response = await forward(request, callOptions.signal);
      if (response.status === 401) {
        const refreshed = await validTokens(userId, tokens, true);
        if (!refreshed.tokens) return refreshed.unavailable ? unavailable() : ended();
        tokens = refreshed.tokens;
        response = await forward(request, callOptions.signal);
      }
      if (request.body !== undefined) callOptions.onUploadProgress?.(request.body.length, request.body.length);
      return response;
    };
  }

  return { configure, tokensOf, keep, forget, validTokens, callsFor };
}

export type MesConnection = ReturnType<typeof createMesConnection>;
