/**
 * Direct mode, for a host with no back end (and quick trials): the page pairs with MES itself as a
 * public client, with oidc-client-ts (authorization code + PKCE S256, popup by default, redirect in
 * the tab when the popup is blocked), keeps the tokens in memory only, and refreshes them silently.
 * oidc-client-ts is loaded on first use, so pages on the gateway never ship it.
 */
import type { UserManager } from 'oidc-client-ts';
import { MesError } from '../errors.js';
import { httpRequest } from './http.js';
import type { FhirRequest, LocalTransport, MesSession, RequestOptions } from './transport.js';

export interface DirectTransportOptions {
  /** MES's OpenID issuer (the sandbox: `http://localhost:8787`). */
  issuer: string;
  /** The service's public client id. */
  clientId: string;
  /** MES's FHIR base (the sandbox: `http://localhost:8787/fhir`). */
  fhirBaseUrl: string;
  /** The page that completes the pairing (calls `completeDirectPairing`): popup and redirect alike. */
  redirectUri: string;
  service: MesSession['service'];
  /** Header carrying the ID token (default: `X-Id-Token`). */
  idTokenHeader?: string;
}

const FINALITY = /^[A-Z][A-Z0-9_]{1,63}$/;

async function createManager(options: DirectTransportOptions): Promise<UserManager> {
  const { UserManager, WebStorageStateStore, InMemoryWebStorage } = await import('oidc-client-ts');
  return new UserManager({
    authority: options.issuer,
    client_id: options.clientId,
    redirect_uri: options.redirectUri,
    popup_redirect_uri: options.redirectUri,
    response_type: 'code',
    scope: 'openid offline_access',
    loadUserInfo: false,
    // Refreshed on demand, one at a time (see `refresh`): refresh tokens rotate, and two refreshes
    // racing with the same one look like theft to MES, which then ends the pairing.
    automaticSilentRenew: false,
    // Tokens live in memory only. The pairing's state (PKCE verifier) must survive a redirect
    // to MES and back: it alone goes to this tab's session storage, and is gone after the callback.
    userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
    stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
    popupWindowFeatures: { width: 520, height: 720 },
  });
}

function pairingError(error: unknown): MesError {
  const message = error instanceof Error ? error.message : String(error);
  // oidc-client-ts: a window.open that returned nothing ends as "navigate on a disposed window".
  if (/disposed window|Popup blocked/i.test(message)) {
    return new MesError('MES_POPUP_BLOCKED', { operation: 'pair', cause: error });
  }
  return new MesError('MES_PAIRING_CANCELLED', { operation: 'pair', cause: error });
}

export function directTransport(options: DirectTransportOptions): LocalTransport & {
  /** Pairs in this tab (when the popup is blocked): MES sends the patient back to this very page. */
  pairInTab(finalities: readonly string[]): Promise<void>;
  /** On load: completes a pairing MES has just sent the patient back from; true when it did. */
  resume(): Promise<boolean>;
} {
  let manager: Promise<UserManager> | undefined;
  const users = () => (manager ??= createManager(options));
  const scopeFor = (finalities: readonly string[]) => ['openid', 'offline_access', ...finalities].join(' ');

  async function session(): Promise<MesSession> {
    const user = await (await users()).getUser();
    if (!user) return { paired: false, finalities: [], service: options.service };
    const idPe = typeof user.profile['idPe'] === 'string' ? user.profile['idPe'] : undefined;
    return {
      paired: true,
      finalities: (user.scope ?? '').split(' ').filter((s) => FINALITY.test(s)),
      ...(idPe && { idPe }),
      service: options.service,
    };
  }

  let refreshing: Promise<boolean> | undefined;
  /** One refresh at a time; only MES's invalid_grant forgets the pairing, a network failure does not. */
  function refresh(): Promise<boolean> {
    refreshing ??= (async () => {
      const userManager = await users();
      try {
        return !!(await userManager.signinSilent());
      } catch (error) {
        if ((error as { error?: unknown }).error === 'invalid_grant') await userManager.removeUser();
        return false;
      }
    })().finally(() => (refreshing = undefined));
    return refreshing;
  }

  async function send(request: FhirRequest, requestOptions: RequestOptions) {
    if (refreshing) await refreshing;
    const current = await (await users()).getUser();
    // Expiring within 30 s: refresh first rather than be refused.
    if (current && (current.expires_in ?? Infinity) < 30) await refresh();
    const user = await (await users()).getUser();
    if (!user?.access_token || !user.id_token) throw new MesError('MES_AUTH_REQUIRED');
    return httpRequest(`${options.fhirBaseUrl.replace(/\/$/, '')}/${request.path}`, {
      method: request.method,
      headers: {
        authorization: `Bearer ${user.access_token}`,
        [options.idTokenHeader ?? 'X-Id-Token']: user.id_token,
        ...(request.body !== undefined && { 'content-type': 'application/fhir+json' }),
        ...request.headers,
      },
      body: request.body,
      ...requestOptions,
    });
  }

  return {
    kind: 'local',
    session,
    async pair(finalities, signal) {
      try {
        // Aborted (« Annuler »), oidc-client-ts closes MES's window itself.
        await (await users()).signinPopup({ scope: scopeFor(finalities), popupSignal: signal ?? null });
      } catch (error) {
        if (signal?.aborted) throw new MesError('MES_ABORTED', { operation: 'pair', cause: error });
        throw pairingError(error);
      }
      return session();
    },
    async pairInTab(finalities) {
      // Back to this page, whose memory will hold the tokens (it must be a registered redirect URI).
      await (
        await users()
      ).signinRedirect({ scope: scopeFor(finalities), redirect_uri: location.href.split(/[?#]/)[0] });
    },
    async resume() {
      const url = new URL(location.href);
      if (!url.searchParams.has('state') || !(url.searchParams.has('code') || url.searchParams.has('error')))
        return false;
      try {
        await (await users()).signinRedirectCallback();
        return true;
      } catch (error) {
        throw pairingError(error);
      } finally {
        // The code and state leave the address bar (and the history) at once.
        for (const name of ['code', 'state', 'iss', 'error', 'error_description', 'session_state'])
          url.searchParams.delete(name);
        history.replaceState(history.state, '', url.href);
      }
    },
    async revoke() {
      const userManager = await users();
      const user = await userManager.getUser();
      const endpoint = await userManager.metadataService.getRevocationEndpoint();
      if (user?.refresh_token && endpoint) {
        // RFC 7009 by hand: the body of a successful answer is empty, which oidc-client-ts's
        // revokeTokens() refuses to parse. Revoking the refresh token ends the pairing in MES.
        const response = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            token: user.refresh_token,
            token_type_hint: 'refresh_token',
            client_id: options.clientId,
          }),
        });
        if (!response.ok) throw new MesError('MES_UNAVAILABLE', { operation: 'revoke', status: response.status });
      }
      await userManager.removeUser();
    },
    async request(request, requestOptions = {}) {
      let response = await send(request, requestOptions);
      if (response.status === 401) {
        // Expired early: one refresh (shared with concurrent calls), one retry; writes carry ifNoneExist.
        if (!(await refresh())) return response;
        response = await send(request, requestOptions);
      }
      return response;
    },
  };
}

/** On the popup's `redirectUri` page: hands MES's answer to the page that opened the popup. */
export async function completeDirectPairing(
  options: Pick<DirectTransportOptions, 'issuer' | 'clientId' | 'redirectUri'>,
) {
  const { UserManager } = await import('oidc-client-ts');
  await new UserManager({
    authority: options.issuer,
    client_id: options.clientId,
    redirect_uri: options.redirectUri,
  }).signinPopupCallback();
}
