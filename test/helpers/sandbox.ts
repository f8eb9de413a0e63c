/** Starts a real sandbox on a free port with its own data folder, and scripts what a client does. */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../packages/sandbox/src/index.js';

export const DEMO = {
  clientId: 'mes-kit-demo',
  secret: 'mes-kit-demo-secret',
  redirectUri: 'http://localhost:5173/mes/pair/callback',
};
export const PUBLIC = { clientId: 'mes-kit-public', redirectUri: 'http://localhost:5173/mes-callback.html' };

export interface TestSandbox extends Sandbox {
  dataDir: string;
  /** Closes and deletes the data folder. */
  dispose(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<TestSandbox> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'mes-sandbox-test-'));
  const sandbox = await createSandbox({ port: 0, ...options, dataDir });
  // Give fetch's connection pool a moment to see its keep-alive sockets closed, so that the next
  // request (maybe to a restarted sandbox on the same port) opens a fresh one.
  const close = async () => {
    await sandbox.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
  };
  return {
    ...sandbox,
    dataDir,
    close,
    async dispose() {
      await close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function fixture<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8')) as T;
}

export interface Tokens {
  access_token: string;
  id_token: string;
  refresh_token?: string;
  token_type: string;
  expires_in: number;
  scope?: string;
}

/** Tokens straight from the admin API, as if the persona had paired with these finalités. */
export async function adminTokens(
  url: string,
  persona: string,
  finalities: string[],
  clientId = DEMO.clientId,
): Promise<Tokens> {
  const response = await fetch(`${url}/sandbox/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ persona, clientId, finalities }),
  });
  if (response.status !== 201) throw new Error(`admin tokens: ${response.status} ${await response.text()}`);
  return (await response.json()) as Tokens;
}

export function fhirHeaders(tokens: Pick<Tokens, 'access_token' | 'id_token'>, extra: Record<string, string> = {}) {
  return { authorization: `Bearer ${tokens.access_token}`, 'x-id-token': tokens.id_token, ...extra };
}

export async function adminBundle(url: string, persona: string, type: string) {
  const response = await fetch(`${url}/sandbox/patients/${persona}/${type}`);
  return (await response.json()) as { total: number; entry: { resource: Record<string, any> }[] };
}

export function decodeJwt(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

export function pkcePair() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** A browser's cookie jar, reduced to what one origin needs. */
export class Browser {
  private readonly cookies = new Map<string, string>();

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, ...value] = pair.split('=');
      this.cookies.set(name.trim(), value.join('='));
    }
    return response;
  }

  /** Follows redirects on the sandbox's origin; stops at the first one that leaves it. */
  async follow(start: string, origin: string, init: RequestInit = {}): Promise<{ response: Response; url: string }> {
    let url = start;
    let response = await this.request(url, init);
    while (response.status >= 300 && response.status < 400) {
      url = new URL(response.headers.get('location')!, url).href;
      if (!url.startsWith(origin)) return { response, url };
      response = await this.request(url);
    }
    return { response, url };
  }

  postForm(url: string, form: Record<string, string | string[]>, origin: string) {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(form)) for (const v of [value].flat()) body.append(key, v);
    return this.follow(url, origin, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }
}

export interface PairingRun {
  browser: Browser;
  /** The redirect back to the service: `code`, `state`, `iss`, or `error`. */
  callback: URL;
  verifier: string;
  loginPage: string;
  consentPage: string;
}

/** Runs the pairing in a scripted browser: authorize → login as a persona → consent page → redirect back. */
export async function runPairing(
  url: string,
  options: {
    persona: string;
    scope: string;
    choose: string[] | 'accept-all' | 'refuse-all';
    client?: { clientId: string; redirectUri: string };
  },
): Promise<PairingRun> {
  const client = options.client ?? DEMO;
  const browser = new Browser();
  const { verifier, challenge } = pkcePair();
  const authorize = new URL(`${url}/oauth/authorize`);
  authorize.search = new URLSearchParams({
    client_id: client.clientId,
    response_type: 'code',
    redirect_uri: client.redirectUri,
    scope: options.scope,
    state: 'state-123',
    nonce: 'nonce-456',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  const login = await browser.follow(authorize.href, url);
  const loginPage = await login.response.text();
  const consent = await browser.postForm(`${login.url}/login`, { persona: options.persona }, url);
  const consentPage = await consent.response.text();
  const form: Record<string, string | string[]> =
    options.choose === 'accept-all' || options.choose === 'refuse-all'
      ? { action: options.choose }
      : { action: 'confirm', finality: options.choose };
  const back = await browser.postForm(`${consent.url}/consent`, form, url);
  return { browser, callback: new URL(back.url), verifier, loginPage, consentPage };
}

export async function tokenRequest(
  url: string,
  form: Record<string, string>,
  client: { clientId: string; secret?: string } = DEMO,
) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const body = new URLSearchParams(form);
  if (client.secret)
    headers['authorization'] = `Basic ${Buffer.from(`${client.clientId}:${client.secret}`).toString('base64')}`;
  else body.set('client_id', client.clientId);
  const response = await fetch(`${url}/oauth/token`, { method: 'POST', headers, body });
  return {
    status: response.status,
    body: (await response.json()) as Tokens & { error?: string; error_description?: string },
  };
}

/** The code of a pairing run exchanged for tokens, as the demo client's back end does. */
export async function exchangeCode(url: string, run: PairingRun): Promise<Tokens> {
  const { status, body } = await tokenRequest(url, {
    grant_type: 'authorization_code',
    code: run.callback.searchParams.get('code')!,
    redirect_uri: DEMO.redirectUri,
    code_verifier: run.verifier,
  });
  if (status !== 200) throw new Error(`code exchange: ${status} ${JSON.stringify(body)}`);
  return body;
}
