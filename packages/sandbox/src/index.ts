/**
 * `createSandbox()`: the local Mon espace santé on one port — OAuth server (`/oauth`, discovery at
 * `/.well-known/openid-configuration`), FHIR API (`/fhir`), patient page (`/`), admin API
 * (`/sandbox`, loopback only) — persisted in SQLite and seeded on first start.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { JWK } from 'jose';
import { createApis } from './apis.js';
import { adminRefusal, fhirCors, isLoopbackAddress, isLoopbackHost } from './guards.js';
import { resolveConfig, type SandboxConfig } from './config.js';
import { DroppedResponse } from './faults.js';
import { FhirError } from './fhir/outcome.js';
import { BodyTooLarge, sendWebResponse, toWebRequest } from '@mes-kit/core/node';
import { createInteractionHandler } from './oauth/interactions.js';
import { Pairings, createOAuthProvider } from './oauth/provider.js';
import { html, pageResponse } from './pages/html.js';
import { createPatientPages } from './pages/patient.js';
import { seed } from './seed/seed.js';
import { SqliteStore } from './store/sqlite-store.js';
import { generateSigningKey, TokenAuthority } from './tokens.js';

export {
  resolveConfig,
  defaultConfig,
  type SandboxConfig,
  type ServiceDefinition,
  type FinalityDefinition,
} from './config.js';
export { PERSONAS, personaByKey, type Persona } from './personas.js';
export type { FaultSettings } from './faults.js';

export interface SandboxOptions extends Partial<SandboxConfig> {
  /** Wipe the data and seed again before serving. */
  reset?: boolean;
}

export interface Sandbox {
  /** The issuer and origin, e.g. `http://localhost:8787`. */
  url: string;
  fhirBase: string;
  config: SandboxConfig;
  reset(): Promise<void>;
  close(): Promise<void>;
}

const STYLESHEET = readFileSync(new URL('./pages/sandbox.css', import.meta.url));

/** Past every route's own cap (fhir/body.ts): refused from its Content-Length, before the handler. */
const FHIR_BODY_LIMIT = 64_000_000;
/** Methods a Web Request can carry; others (TRACE, CONNECT…) are refused. */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** Methods a Web Request cannot carry at all, so the FHIR handler never sees them. */
const UNCARRIED_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

async function setting(store: SqliteStore, key: string, create: () => Promise<string>): Promise<string> {
  const existing = store.getSetting(key);
  if (existing) return existing;
  const value = await create();
  store.setSetting(key, value);
  return value;
}

export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const { reset: resetFirst, ...overrides } = options;
  const config = resolveConfig(overrides);
  const inMemory = config.dataDir === ':memory:';
  if (!inMemory) mkdirSync(config.dataDir, { recursive: true });
  const store = new SqliteStore(inMemory ? ':memory:' : join(config.dataDir, 'sandbox.db'));
  // Keys are kept with the data, so tokens and pairings outlive a restart as MES's do.
  const signingKey = JSON.parse(
    await setting(store, 'signingKey', async () => JSON.stringify(await generateSigningKey())),
  ) as JWK;
  const cookieKey = await setting(store, 'cookieKey', async () => randomBytes(32).toString('base64url'));

  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}`;
  const tokens = new TokenAuthority(url, signingKey);
  const provider = createOAuthProvider({
    issuer: url,
    fhirAudience: tokens.fhirAudience,
    config,
    store,
    db: store.db,
    signingKey,
    cookieKey,
  });
  const pairings = new Pairings(provider, store, config, tokens.fhirAudience);

  async function reset() {
    store.clear();
    store.db.exec('delete from oidc');
    await seed(store);
  }
  if (resetFirst || !store.getSetting('seededAt')) await reset();

  const { fhir, admin } = createApis({
    store,
    tokens,
    config,
    fhirBase: `${url}/fhir`,
    pairings,
    reset,
    reportError: (error) => console.error('sandbox FHIR error', error),
  });
  const pages = createPatientPages({ store, config, cookieKey, pairings });
  const interactions = createInteractionHandler(provider, pairings, config, tokens.fhirAudience);
  const oauth = provider.callback();
  const cors = fhirCors(config);

  async function serveFhir(req: IncomingMessage, res: ServerResponse) {
    // Refused here as the handler refuses any other method: an OperationOutcome, not the server's plain text.
    if (UNCARRIED_METHODS.has(req.method ?? '')) {
      const refusal = new FhirError(405, 'not-supported', `${req.method} is not supported by Mon espace santé.`);
      return sendWebResponse(res, refusal.toResponse());
    }
    // The body still arriving: the handler authenticates first and reads only what the route allows.
    const request = await toWebRequest(req, url, FHIR_BODY_LIMIT, res, { stream: true });
    const preflight = cors.preflight(request);
    try {
      await sendWebResponse(res, preflight ?? cors.decorate(request, await fhir(request)));
    } catch (error) {
      if (!(error instanceof DroppedResponse)) throw error;
      req.socket.destroy();
    }
  }

  async function dispatch(req: IncomingMessage, res: ServerResponse) {
    if (!isLoopbackHost(req.headers.host, port)) return void res.writeHead(421).end('Use http://localhost.');
    const path = new URL(`${url}${req.url?.startsWith('/') ? req.url : '/'}`).pathname;
    if (path === '/fhir' || path.startsWith('/fhir/')) return serveFhir(req, res);
    if (path.startsWith('/sandbox/')) {
      if (!isLoopbackAddress(req.socket.remoteAddress))
        return void res.writeHead(403).end('The admin API answers loopback only.');
      if (UNCARRIED_METHODS.has(req.method ?? '')) {
        // The admin API's own error, as for any other method it does not answer.
        return sendWebResponse(
          res,
          Response.json({ error: `${req.method} is not part of the admin API.` }, { status: 405 }),
        );
      }
      const request = await toWebRequest(req, url, 1_000_000);
      const refusal = adminRefusal(request, port);
      return sendWebResponse(res, refusal ? Response.json({ error: refusal }, { status: 403 }) : await admin(request));
    }
    if (path.startsWith('/oauth/interaction/')) return interactions(req, res, path.slice('/oauth/interaction/'.length));
    if (path.startsWith('/oauth/') || path.startsWith('/.well-known/')) return oauth(req, res);
    if (path === '/favicon.ico') return void res.writeHead(204).end();
    if (path === '/assets/sandbox.css') {
      return void res
        .writeHead(200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'max-age=300' })
        .end(STYLESHEET);
    }
    const page = await pages(await toWebRequest(req, url, 64 * 1024));
    return sendWebResponse(
      res,
      page ??
        pageResponse(
          'Page introuvable',
          html`<h1>Page introuvable</h1>
            <p><a href="/">Retour à l’accueil</a></p>`,
          404,
        ),
    );
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    dispatch(req, res).catch((error: unknown) => {
      const status = error instanceof BodyTooLarge ? 413 : KNOWN_METHODS.has(req.method ?? '') ? 500 : 405;
      if (status === 500) console.error('sandbox error', error);
      if (!res.headersSent) res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
      res.end(
        status === 413
          ? 'Requête trop volumineuse.'
          : status === 405
            ? 'Méthode non prise en charge.'
            : 'Erreur interne du bac à sable.',
      );
    });
  });

  return {
    url,
    fhirBase: `${url}/fhir`,
    config,
    reset,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      store.close();
    },
  };
}
