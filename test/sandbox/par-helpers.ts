/** Pushed authorization requests (RFC 9126) as a portal's back end sends them, and the browser's part after. */
import { Browser, pkcePair } from '../helpers/sandbox.js';

export interface PortalClient {
  clientId: string;
  /** Absent for a public client, which then names itself in the body. */
  secret?: string;
  redirectUri: string;
}

export const TILLEULS: PortalClient = {
  clientId: 'mes-kit-tilleuls',
  secret: 'mes-kit-tilleuls-secret',
  redirectUri: 'http://localhost:5173/tilleuls/mes/pair/callback',
};

/** The parameters of a pairing request with PKCE S256, plus any extra ones. */
export function pairingRequest(client: PortalClient, scope: string, extra: Record<string, string> = {}) {
  const { verifier, challenge } = pkcePair();
  const params: Record<string, string> = {
    client_id: client.clientId,
    response_type: 'code',
    redirect_uri: client.redirectUri,
    scope,
    state: 'state-par',
    nonce: 'nonce-par',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  };
  return { verifier, params };
}

export async function pushAuthorizationRequest(url: string, client: PortalClient, params: Record<string, string>) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const body = new URLSearchParams(params);
  if (client.secret) {
    headers['authorization'] = `Basic ${Buffer.from(`${client.clientId}:${client.secret}`).toString('base64')}`;
  }
  const response = await fetch(`${url}/oauth/par`, { method: 'POST', headers, body });
  return {
    status: response.status,
    body: (await response.json()) as {
      request_uri?: string;
      expires_in?: number;
      error?: string;
      error_description?: string;
    },
  };
}

/** The authorization URL the browser opens: only the client and the pushed request's handle. */
export function authorizeWithRequestUri(url: string, clientId: string, requestUri: string, extra = {}): string {
  const authorize = new URL(`${url}/oauth/authorize`);
  authorize.search = new URLSearchParams({ client_id: clientId, request_uri: requestUri, ...extra }).toString();
  return authorize.href;
}

export function authorizeWithQuery(url: string, params: Record<string, string>): string {
  const authorize = new URL(`${url}/oauth/authorize`);
  authorize.search = new URLSearchParams(params).toString();
  return authorize.href;
}

/** A fresh browser opens the authorization URL and logs in as the persona: MES's consent page. */
export async function openConsentPage(url: string, authorizeUrl: string, persona: string) {
  const browser = new Browser();
  const login = await browser.follow(authorizeUrl, url);
  if (!login.url.startsWith(`${url}/oauth/interaction/`)) {
    throw new Error(`no login page: ${login.response.status} ${login.url}`);
  }
  const consent = await browser.postForm(`${login.url}/login`, { persona }, url);
  return { browser, consentUrl: consent.url, page: await consent.response.text() };
}

/** Submits the consent form; the answer is the redirect back to the service. */
export async function submitConsent(
  url: string,
  consent: { browser: Browser; consentUrl: string },
  form: Record<string, string | string[]>,
): Promise<URL> {
  const back = await consent.browser.postForm(`${consent.consentUrl}/consent`, form, url);
  return new URL(back.url);
}
