import { serviceByClientId, type ServiceDefinition } from '../config.js';
import { reapprovalNeeded } from '../pairing-rules.js';
import { personaByIdPe, type Persona } from '../personas.js';
import type { Pairing } from '../store/store.js';
import type { FhirContext } from './context.js';
import { FhirError, MES_TEXTS } from './outcome.js';

/** Who is calling: the patient, the service, and what the patient grants it right now. */
export interface Caller {
  persona: Persona;
  service: ServiceDefinition;
  pairing: Pairing;
  /** Switched on in the patient's MES right now. */
  finalities: ReadonlySet<string>;
}

const unauthorized = () =>
  new FhirError(401, 'login', MES_TEXTS.invalidAccessToken, {
    headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
  });

/**
 * Checks a business call as MES does: access token (401), ID token (400), service OID (409),
 * idPe of the ID token against the access token's (403).
 */
export async function authenticate(request: Request, ctx: FhirContext): Promise<Caller> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
  if (!bearer) throw unauthorized();
  const access = await ctx.tokens.verifyAccessToken(bearer).catch(() => undefined);
  if (!access) throw unauthorized();
  const pairing = ctx.store.getPairing(access.pairingId);
  const service = serviceByClientId(ctx.config, access.client_id);
  const persona = personaByIdPe(access.sub);
  if (!pairing || !service || !persona || pairing.clientId !== service.clientId || pairing.persona !== persona.key) {
    throw unauthorized();
  }

  const rawIdToken = request.headers.get(ctx.config.idTokenHeader);
  const idToken = rawIdToken ? await ctx.tokens.verifyIdToken(rawIdToken).catch(() => undefined) : undefined;
  if (!idToken) throw new FhirError(400, 'invalid', MES_TEXTS.invalidIdToken);
  if (idToken.oid !== service.oid) throw new FhirError(409, 'conflict', MES_TEXTS.oidConflict);
  if (idToken.idPe !== persona.idPe) throw new FhirError(403, 'forbidden', MES_TEXTS.idPeMismatch);
  // Same patient and service, but another pairing (an ended one, say): not valid for this call.
  if (idToken.pairingId !== access.pairingId || idToken.aud !== service.clientId) {
    throw new FhirError(400, 'invalid', MES_TEXTS.invalidIdToken);
  }

  // MES checks consent as it stands at each call (the patient switches finalités on and off in MES),
  // not as the token recorded it; awaiting re-approval, every exchange is refused.
  const current = pairing.finalities.filter((code) => service.finalities.includes(code));
  const finalities = new Set(reapprovalNeeded(pairing, service, persona, ctx.now()) ? [] : current);
  return { persona, service, pairing, finalities };
}

/** MES refuses any exchange the patient has not consented to, whatever the request. */
export function requireFinality(caller: Caller, finality: string): void {
  if (!caller.finalities.has(finality)) throw new FhirError(403, 'forbidden', MES_TEXTS.consentNotGiven);
}

export function idPeMismatch(expression?: string): FhirError {
  return new FhirError(403, 'forbidden', MES_TEXTS.idPeMismatch, { expression });
}
