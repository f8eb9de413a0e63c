/**
 * `partner_user_name`: the patient's name as the partner portal knows them. MES shows it on its
 * consent page (« Compte <service> : <name> ») so that the patient sees which portal account is
 * being paired with their MES. Only the client itself can vouch for that name, so it is taken from
 * a pushed authorization request (RFC 9126) the client authenticated for; in a browser's URL anyone
 * could have written it, so there it is dropped.
 */
import { PARTNER_USER_NAME, PARTNER_USER_NAME_MAX_LENGTH as MAX_LENGTH } from '@mes-kit/core';
import { errors, type KoaContextWithOIDC } from 'oidc-provider';

function vouchedForByClient(ctx: KoaContextWithOIDC): boolean {
  const { route, client, entities, trusted } = ctx.oidc;
  if (route === 'pushed_authorization_request') return client?.clientAuthMethod !== 'none';
  // At the authorization endpoint, a pushed request's parameters are `trusted` only when it was pushed
  // with client authentication; a request_uri brings the pushed parameters and nothing from the URL.
  return entities.PushedAuthorizationRequest !== undefined && (trusted ?? []).includes(PARTNER_USER_NAME);
}

/** oidc-provider's validator for the parameter: trims it, bounds it, and drops it unless vouched for. */
export function checkPartnerUserName(ctx: KoaContextWithOIDC, value: string | undefined): void {
  if (value === undefined) return;
  const params = ctx.oidc.params!;
  if (!vouchedForByClient(ctx)) {
    params[PARTNER_USER_NAME] = undefined;
    return;
  }
  const name = value.trim();
  if ([...name].length > MAX_LENGTH) {
    throw new errors.InvalidRequest(`${PARTNER_USER_NAME} must be at most ${MAX_LENGTH} characters`);
  }
  params[PARTNER_USER_NAME] = name || undefined;
}

/** The name to show on the consent page, once the validator above has let it through. */
export function partnerUserNameOf(params: Record<string, unknown>): string | undefined {
  const name = params[PARTNER_USER_NAME];
  return typeof name === 'string' ? name : undefined;
}
