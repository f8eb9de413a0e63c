/** Starts a real sandbox on a free port with its own data folder, and scripts what a client does. */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox, defaultConfig, type Sandbox, type SandboxOptions } from '../../packages/sandbox/src/index.js';
import type { Pairing } from '../../packages/sandbox/src/store/store.js';

/** A service's OAuth client as a test drives it: a public one has no secret and names itself in the body. */
export interface TestClient {
  clientId: string;
  secret?: string;
  redirectUri: string;
}

/** A client of the sandbox's default configuration, with its first redirect URI. */
function defaultClient(clientId: string): TestClient {
  const service = defaultConfig().services.find((s) => s.clientId === clientId);
  if (!service) throw new Error(`no service ${clientId} in the default configuration`);
  return { clientId, secret: service.clientSecret, redirectUri: service.redirectUris[0] };
}

export const DEMO = defaultClient('mes-kit-demo');
export const PUBLIC = defaultClient('mes-kit-public');
/** The demo portal's second brand, a service of its own. */
export const TILLEULS = defaultClient('mes-kit-tilleuls');

/** The default services, each redirecting to `origin` where the demo portal's is http://localhost:5173. */
export function servicesRedirectedTo(origin: string) {
  return defaultConfig().services.map((service) => ({
    ...service,
    redirectUris: service.redirectUris.map((uri) => uri.replace('http://localhost:5173', origin)),
  }));
}

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

/**
 * A service's FHIR calls with the tokens of `target()` (read when called, as a `before` sets them),
 * and how many resources of these types MES holds for the persona. `refused` sends, expects MES's
 * OperationOutcome, and checks that nothing at all was stored.
 */
export function fhirApi(
  target: () => { sandbox: TestSandbox; tokens: Tokens },
  types: readonly string[] = ['DocumentReference', 'List', 'Binary'],
  persona = 'camille',
) {
  const post = (body: unknown, path = '', headers: Record<string, string> = {}) =>
    fetch(`${target().sandbox.fhirBase}${path}`, {
      method: 'POST',
      headers: fhirHeaders(target().tokens, { 'content-type': 'application/fhir+json', ...headers }),
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const count = async (type = 'DocumentReference') => (await adminBundle(target().sandbox.url, persona, type)).total;
  const counts = () => Promise.all(types.map((type) => count(type)));
  async function refused(body: unknown, status: number, expression?: RegExp) {
    const before = await counts();
    const response = await post(body);
    const outcome = await response.json();
    assert.equal(response.status, status, JSON.stringify(outcome));
    assert.equal(outcome.resourceType, 'OperationOutcome');
    if (expression) assert.match(outcome.issue[0].expression?.[0] ?? '', expression);
    assert.ok(outcome.issue[0].diagnostics.length > 10, 'says what is wrong');
    assert.deepEqual(await counts(), before, 'nothing stored');
    return outcome as { resourceType: string; issue: { code: string; diagnostics: string; expression?: string[] }[] };
  }
  return { post, count, counts, refused };
}

/** The document MES stored under this id for the persona, and the bytes of its Binary. */
export async function storedDocument(url: string, id: string, persona = 'camille') {
  const doc = (await adminBundle(url, persona, 'DocumentReference')).entry.find((e) => e.resource.id === id)?.resource;
  assert.ok(doc, `DocumentReference/${id} is in MES`);
  const binaryId = String(doc.content[0].attachment.url).split('/').pop();
  const binary = (await adminBundle(url, persona, 'Binary')).entry.find((e) => e.resource.id === binaryId)?.resource;
  assert.ok(binary, `Binary/${binaryId} is in MES`);
  return { doc, bytes: Buffer.from(binary.data as string, 'base64') };
}

/** The pairings MES holds, as its admin API lists them: all, or one persona's. */
export async function pairingsOf(url: string, persona?: string): Promise<Pairing[]> {
  const pairings = (await (await fetch(`${url}/sandbox/pairings`)).json()) as Pairing[];
  return persona === undefined ? pairings : pairings.filter((p) => p.persona === persona);
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

/** The parameters of an authorization request with PKCE S256, plus any extra ones. */
export function pairingRequest(
  client: Pick<TestClient, 'clientId' | 'redirectUri'>,
  scope: string,
  extra: Record<string, string> = {},
) {
  const { verifier, challenge } = pkcePair();
  const params: Record<string, string> = {
    client_id: client.clientId,
    response_type: 'code',
    redirect_uri: client.redirectUri,
    scope,
    state: 'state-123',
    nonce: 'nonce-456',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  };
  return { verifier, params };
}

export function authorizeWithQuery(url: string, params: Record<string, string>): string {
  const authorize = new URL(`${url}/oauth/authorize`);
  authorize.search = new URLSearchParams(params).toString();
  return authorize.href;
}

/** The authorization URL the browser opens after a push: only the client and the pushed request's handle. */
export function authorizeWithRequestUri(
  url: string,
  clientId: string,
  requestUri: string,
  extra: Record<string, string> = {},
): string {
  return authorizeWithQuery(url, { client_id: clientId, request_uri: requestUri, ...extra });
}

/** What the patient decides on MES's consent page. */
export type ConsentChoice = string[] | 'accept-all' | 'refuse-all';

export interface ConsentStep {
  browser: Browser;
  loginPage: string;
  /** MES's consent page, as the persona sees it. */
  consentPage: string;
  /** Posts the choice; resolves to where MES sends the browser: the redirect back to the service. */
  submit(choose: ConsentChoice): Promise<URL>;
}

/** The patient in MES: opens the authorize URL, logs in as the persona, and is on the consent page. */
export async function throughConsent(
  url: string,
  authorizeUrl: string,
  persona: string,
  browser = new Browser(),
): Promise<ConsentStep> {
  const login = await browser.follow(authorizeUrl, url);
  const loginPage = await login.response.text();
  if (!login.url.startsWith(`${url}/oauth/interaction/`)) {
    throw new Error(`MES showed no login page: ${login.response.status} ${login.url} ${loginPage}`);
  }
  const consent = await browser.postForm(`${login.url}/login`, { persona }, url);
  return {
    browser,
    loginPage,
    consentPage: await consent.response.text(),
    async submit(choose) {
      const form: Record<string, string | string[]> =
        choose === 'accept-all' || choose === 'refuse-all'
          ? { action: choose }
          : { action: 'confirm', finality: choose };
      const back = await browser.postForm(`${consent.url}/consent`, form, url);
      return new URL(back.url);
    },
  };
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
  options: { persona: string; scope: string; choose: ConsentChoice; client?: TestClient },
): Promise<PairingRun> {
  const { verifier, params } = pairingRequest(options.client ?? DEMO, options.scope);
  const consent = await throughConsent(url, authorizeWithQuery(url, params), options.persona);
  const callback = await consent.submit(options.choose);
  return {
    browser: consent.browser,
    callback,
    verifier,
    loginPage: consent.loginPage,
    consentPage: consent.consentPage,
  };
}

/** How a confidential client authenticates to MES's token and PAR endpoints: HTTP Basic with its secret. */
export function clientAuth(client: Pick<TestClient, 'clientId' | 'secret'>): Record<string, string> {
  return client.secret
    ? { authorization: `Basic ${Buffer.from(`${client.clientId}:${client.secret}`).toString('base64')}` }
    : {};
}

export async function tokenRequest(
  url: string,
  form: Record<string, string>,
  client: Pick<TestClient, 'clientId' | 'secret'> = DEMO,
) {
  const body = new URLSearchParams(form);
  if (!client.secret) body.set('client_id', client.clientId);
  const response = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...clientAuth(client) },
    body,
  });
  return {
    status: response.status,
    body: (await response.json()) as Tokens & { error?: string; error_description?: string },
  };
}

/** The code of a pairing run exchanged for tokens, as the client's back end does (the demo's by default). */
export async function exchangeCode(
  url: string,
  run: Pick<PairingRun, 'callback' | 'verifier'>,
  client: TestClient = DEMO,
): Promise<Tokens> {
  const { status, body } = await tokenRequest(
    url,
    {
      grant_type: 'authorization_code',
      code: run.callback.searchParams.get('code')!,
      redirect_uri: client.redirectUri,
      code_verifier: run.verifier,
    },
    client,
  );
  if (status !== 200) throw new Error(`code exchange: ${status} ${JSON.stringify(body)}`);
  return body;
}

/** A pushed authorization request (RFC 9126), as a portal's back end sends it. */
export async function pushAuthorizationRequest(
  url: string,
  client: Pick<TestClient, 'clientId' | 'secret'>,
  params: Record<string, string>,
) {
  const response = await fetch(`${url}/oauth/par`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...clientAuth(client) },
    body: new URLSearchParams(params),
  });
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
