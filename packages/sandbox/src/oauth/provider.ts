/**
 * Pairing as OAuth 2.0 / OpenID Connect, on oidc-provider: authorization code with PKCE (S256)
 * required for every client, pushed authorization requests (RFC 9126) optional (the one way to
 * vouch for `partner_user_name`), JWT access tokens bound to the finalités granted, rotating refresh
 * tokens, revocation, and ID tokens carrying MES's `idPe`, `assignAuth`, `oid` and `pairingId`.
 */
import { PARTNER_USER_NAME } from '@mes-kit/core';
import type Database from 'better-sqlite3';
import type { JWK } from 'jose';
import Provider, { errors, type ClientMetadata } from 'oidc-provider';
import { serviceByClientId, type SandboxConfig } from '../config.js';
import type { PairingRegistry } from '../admin.js';
import { approve, reapprovalNeeded, sandboxNow } from '../pairing-rules.js';
import { personaByIdPe } from '../personas.js';
import type { Pairing, SandboxStore } from '../store/store.js';
import { SIGNING_ALG, mesIdTokenClaims } from '../tokens.js';
import { OAUTH_SECURITY_HEADERS, layout } from '../pages/html.js';
import { errorBody } from './pages.js';
import { checkPartnerUserName } from './partner-user-name.js';
import { sqliteAdapterFactory } from './sqlite-adapter.js';

export interface OAuthOptions {
  issuer: string;
  fhirAudience: string;
  config: SandboxConfig;
  store: SandboxStore;
  db: Database.Database;
  signingKey: JWK;
  cookieKey: string;
}

function clientOf(service: SandboxConfig['services'][number]): ClientMetadata {
  return {
    client_id: service.clientId,
    client_name: service.name,
    ...(service.clientSecret
      ? { client_secret: service.clientSecret, token_endpoint_auth_method: 'client_secret_basic' }
      : { token_endpoint_auth_method: 'none' }),
    redirect_uris: service.redirectUris,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  };
}

export function createOAuthProvider(options: OAuthOptions): Provider {
  const { config, store, fhirAudience } = options;
  const provider = new Provider(options.issuer, {
    adapter: sqliteAdapterFactory(options.db),
    clients: config.services.map(clientOf),
    jwks: { keys: [options.signingKey] },
    cookies: { keys: [options.cookieKey] },
    pkce: { required: () => true },
    routes: {
      authorization: '/oauth/authorize',
      pushed_authorization_request: '/oauth/par',
      token: '/oauth/token',
      revocation: '/oauth/revoke',
      jwks: '/oauth/jwks',
      userinfo: '/oauth/userinfo',
      end_session: '/oauth/logout',
    },
    interactions: { url: (_ctx, interaction) => `/oauth/interaction/${interaction.uid}` },
    responseTypes: ['code'],
    scopes: ['openid', 'offline_access'],
    extraParams: { [PARTNER_USER_NAME]: checkPartnerUserName },
    claims: { openid: ['sub', 'idPe', 'assignAuth', 'oid', 'pairingId'] },
    conformIdTokenClaims: false,
    enabledJWA: { idTokenSigningAlgValues: [SIGNING_ALG] },
    async findAccount(ctx, sub) {
      const persona = personaByIdPe(sub);
      if (!persona) return undefined;
      return {
        accountId: sub,
        async claims() {
          const clientId = ctx.oidc.client?.clientId ?? '';
          const service = serviceByClientId(config, clientId);
          const pairing = store.findPairing(persona.key, clientId);
          return { sub, ...mesIdTokenClaims(persona.idPe, service?.oid ?? '', pairing?.id ?? '') };
        },
      };
    },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      // Optional: the public client (direct mode) sends plain authorization requests from the browser.
      pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => fhirAudience,
        useGrantedResource: () => true,
        getResourceServerInfo(_ctx, resource, client) {
          if (resource !== fhirAudience) throw new errors.InvalidTarget();
          const service = serviceByClientId(config, client.clientId);
          return {
            scope: service?.finalities.join(' ') ?? '',
            audience: fhirAudience,
            accessTokenFormat: 'jwt',
            accessTokenTTL: config.accessTokenTtlSeconds,
            jwt: { sign: { alg: SIGNING_ALG } },
          };
        },
      },
    },
    // A new pairing request asks again for what the patient refused last time (MES shows its
    // consent page for every finalité not granted); only the resumed request keeps the refusal.
    async loadExistingGrant(ctx) {
      const clientId = ctx.oidc.client!.clientId;
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(clientId);
      const grant = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
      if (!grant || ctx.oidc.result) return grant;
      // A pairing awaiting re-approval goes through the consent page again.
      const persona = personaByIdPe(grant.accountId ?? '');
      const pairing = persona && store.findPairing(persona.key, clientId);
      const service = serviceByClientId(config, clientId);
      if (persona && pairing && service && reapprovalNeeded(pairing, service, persona, sandboxNow(store)))
        return undefined;
      forgetRefusals(grant, fhirAudience);
      return grant;
    },
    // The pairing is the grant: its id travels in the access token so the FHIR API can check it.
    extraTokenClaims: (_ctx, token) => ('grantId' in token ? { pairingId: token.grantId } : undefined),
    // A pairing outlives the patient's session in MES: logging out of MES (or another patient
    // logging in on the same computer) never ends it; only « Désynchroniser » does.
    expiresWithSession: () => false,
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    ttl: {
      AccessToken: config.accessTokenTtlSeconds,
      IdToken: config.accessTokenTtlSeconds,
      RefreshToken: config.refreshTokenTtlSeconds,
      Grant: config.refreshTokenTtlSeconds,
      AuthorizationCode: 60,
      Interaction: 600,
      Session: 24 * 3600,
    },
    clientBasedCORS: (_ctx, origin, client) =>
      (client.redirectUris ?? []).some((uri) => new URL(uri).origin === origin),
    renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = layout('Erreur', errorBody(String(out.error), String(out.error_description ?? '')));
    },
  });
  // Every answer, error pages included, carries the security headers of the sandbox's own pages.
  provider.use(async (ctx, next) => {
    ctx.set({ ...OAUTH_SECURITY_HEADERS });
    await next();
  });
  // Revoking a refresh token revokes its grant: the pairing is gone, as after « Désynchroniser ».
  provider.on('grant.revoked', (_ctx, grantId: string) => store.deletePairing(grantId));
  provider.on('server_error', (_ctx, error) => console.error('oauth server_error', error));
  return provider;
}

type GrantWithRefusals = InstanceType<Provider['Grant']> & { rejected?: { resources?: Record<string, string> } };

/** Drops earlier refusals of finalités (all of them, or those now granted) from a grant. */
function forgetRefusals(grant: InstanceType<Provider['Grant']>, resource: string, only?: string[]) {
  const rejected = (grant as GrantWithRefusals).rejected?.resources;
  if (!rejected?.[resource]) return;
  const kept = only ? rejected[resource].split(' ').filter((scope) => !only.includes(scope)) : [];
  if (kept.length > 0) rejected[resource] = kept.join(' ');
  else delete rejected[resource];
}

/** Creates and ends pairings: an OAuth grant and the patient's consent state, kept together. */
export class Pairings implements PairingRegistry {
  constructor(
    private readonly provider: Provider,
    private readonly store: SandboxStore,
    private readonly config: SandboxConfig,
    private readonly fhirAudience: string,
  ) {}

  /** Records the finalités granted on a grant, as approved now; a previous pairing of the same service is replaced. */
  async record(grant: InstanceType<Provider['Grant']>, persona: string, granted: string[], refused: string[]) {
    forgetRefusals(grant, this.fhirAudience, granted);
    if (granted.length > 0) grant.addResourceScope(this.fhirAudience, granted.join(' '));
    if (refused.length > 0) grant.rejectResourceScope(this.fhirAudience, refused.join(' '));
    const id = await grant.save();
    const clientId = grant.clientId!;
    const previous = this.store.findPairing(persona, clientId);
    if (previous && previous.id !== id) await this.revoke(previous);
    const now = sandboxNow(this.store);
    const pairing = approve(
      {
        id,
        persona,
        clientId,
        finalities: grant.getResourceScope(this.fhirAudience).split(' ').filter(Boolean),
        createdAt: previous?.id === id ? previous.createdAt : now.toISOString(),
        updatedAt: now.toISOString(),
      },
      serviceByClientId(this.config, clientId)!,
      now,
    );
    this.store.savePairing(pairing);
    return pairing;
  }

  async create(persona: string, idPe: string, clientId: string, finalities: string[]): Promise<Pairing> {
    const grant = new this.provider.Grant({ accountId: idPe, clientId });
    grant.addOIDCScope('openid');
    return this.record(grant, persona, finalities, []);
  }

  /** The patient switches finalités on or off in MES: the grant follows, so refreshed tokens carry them. */
  async update(pairing: Pairing, finalities: string[]): Promise<Pairing> {
    const grant = await this.provider.Grant.find(pairing.id);
    if (grant) {
      const resources = (grant as GrantWithRefusals & { resources?: Record<string, string> }).resources;
      if (resources) resources[this.fhirAudience] = finalities.join(' ');
      forgetRefusals(grant, this.fhirAudience, finalities);
      await grant.save();
    }
    const updated: Pairing = { ...pairing, finalities, updatedAt: sandboxNow(this.store).toISOString() };
    this.store.savePairing(updated);
    return updated;
  }

  async approveAgain(pairing: Pairing): Promise<Pairing> {
    const approved = approve(pairing, serviceByClientId(this.config, pairing.clientId)!, sandboxNow(this.store));
    this.store.savePairing(approved);
    return approved;
  }

  async revoke(pairing: Pairing): Promise<void> {
    const { provider } = this;
    await Promise.all(
      [provider.AccessToken, provider.RefreshToken, provider.AuthorizationCode].map((model) =>
        model.revokeByGrantId(pairing.id),
      ),
    );
    const grant = await provider.Grant.find(pairing.id);
    await grant?.destroy();
    this.store.deletePairing(pairing.id);
  }
}
