/**
 * The sandbox's signing key and the two JWTs every FHIR call carries: the access token (bound to
 * the finalités granted) and the ID token (who the patient is to this service: idPe, service OID,
 * pairing). oidc-provider issues them during a pairing; `mint` issues the same shapes for the admin
 * API and the in-page sandbox. Built on jose, so it runs in Node and in a browser alike.
 */
import { IDPE_SYSTEM } from '@mes-kit/core';
import {
  SignJWT,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  type JSONWebKeySet,
  type JWK,
} from 'jose';

export const SIGNING_ALG = 'RS256';

export interface AccessTokenClaims {
  iss: string;
  /** The patient's idPe. */
  sub: string;
  aud: string;
  client_id: string;
  /** The finalités granted, space-separated. */
  scope: string;
  pairingId: string;
  jti: string;
  iat: number;
  exp: number;
}

export interface IdTokenClaims {
  iss: string;
  sub: string;
  aud: string;
  idPe: string;
  assignAuth: string;
  oid: string;
  pairingId: string;
  iat: number;
  exp: number;
}

export interface MintedTokens {
  access_token: string;
  id_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

/** The claims MES puts in a service's ID token besides the standard ones. */
export function mesIdTokenClaims(idPe: string, serviceOid: string, pairingId: string) {
  return { idPe, assignAuth: IDPE_SYSTEM, oid: serviceOid, pairingId };
}

/** A fresh RSA signing key as a private JWK (persisted by the caller so that tokens survive restarts). */
export async function generateSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, alg: SIGNING_ALG, use: 'sig', kid: crypto.randomUUID() };
}

/** Tokens already verified, kept while they are valid: a glucose sensor's 1,344 calls carry the same two. */
const VERIFIED_KEPT = 1000;

export class TokenAuthority {
  readonly issuer: string;
  readonly fhirAudience: string;
  readonly privateJwk: JWK;
  readonly publicJwks: JSONWebKeySet;
  private readonly keySet;
  private readonly verified = new Map<string, { exp: number }>();

  constructor(issuer: string, privateJwk: JWK) {
    this.issuer = issuer;
    this.fhirAudience = `${issuer}/fhir`;
    this.privateJwk = privateJwk;
    const { kty, n, e, kid, alg, use } = privateJwk;
    this.publicJwks = { keys: [{ kty, n, e, kid, alg, use }] };
    this.keySet = createLocalJWKSet(this.publicJwks);
  }

  /** Throws when the token is not an unexpired access token of this sandbox for its FHIR API. */
  verifyAccessToken(token: string): Promise<AccessTokenClaims> {
    return this.remembered(`access ${token}`, async () => {
      const { payload } = await jwtVerify(token, this.keySet, {
        issuer: this.issuer,
        audience: this.fhirAudience,
        typ: 'at+jwt',
        requiredClaims: ['sub', 'client_id', 'pairingId', 'exp'],
      });
      return { scope: '', ...payload } as AccessTokenClaims;
    });
  }

  /** Throws when the token is not an unexpired ID token of this sandbox carrying MES's claims. */
  verifyIdToken(token: string): Promise<IdTokenClaims> {
    return this.remembered(`id ${token}`, async () => {
      const { payload } = await jwtVerify(token, this.keySet, {
        issuer: this.issuer,
        requiredClaims: ['sub', 'aud', 'idPe', 'oid', 'pairingId', 'exp'],
      });
      if (typeof payload.aud !== 'string' && !Array.isArray(payload.aud)) throw new Error('aud');
      const aud = Array.isArray(payload.aud) ? payload.aud[0] : payload.aud;
      return { ...payload, aud } as IdTokenClaims;
    });
  }

  /**
   * A verification's claims, from memory while the token has not expired (a signed token cannot
   * change; whether its pairing still stands is checked at every call, after this).
   */
  private async remembered<C extends { exp: number }>(key: string, verify: () => Promise<C>): Promise<C> {
    const known = this.verified.get(key) as C | undefined;
    if (known && known.exp * 1000 > Date.now()) return known;
    this.verified.delete(key);
    const claims = await verify();
    if (this.verified.size >= VERIFIED_KEPT) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(key, claims);
    return claims;
  }

  /** Issues tokens for a pairing, exactly as a completed authorization would. */
  async mint(options: {
    idPe: string;
    clientId: string;
    serviceOid: string;
    pairingId: string;
    finalities: string[];
    ttlSeconds: number;
  }): Promise<MintedTokens> {
    const key = await importJWK(this.privateJwk, SIGNING_ALG);
    const header = { alg: SIGNING_ALG, kid: this.privateJwk.kid };
    const expiry = `${options.ttlSeconds}s`;
    const access_token = await new SignJWT({
      client_id: options.clientId,
      scope: options.finalities.join(' '),
      pairingId: options.pairingId,
    })
      .setProtectedHeader({ ...header, typ: 'at+jwt' })
      .setIssuer(this.issuer)
      .setSubject(options.idPe)
      .setAudience(this.fhirAudience)
      .setJti(crypto.randomUUID())
      .setIssuedAt()
      .setExpirationTime(expiry)
      .sign(key);
    const id_token = await new SignJWT(mesIdTokenClaims(options.idPe, options.serviceOid, options.pairingId))
      .setProtectedHeader({ ...header, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setSubject(options.idPe)
      .setAudience(options.clientId)
      .setIssuedAt()
      .setExpirationTime(expiry)
      .sign(key);
    return { access_token, id_token, token_type: 'Bearer', expires_in: options.ttlSeconds };
  }
}
