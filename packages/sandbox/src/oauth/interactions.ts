/** The login and consent steps of a pairing, on oidc-provider's interaction API (Node req/res). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { serviceByClientId, type SandboxConfig } from '../config.js';
import { personaByIdPe, personaByKey } from '../personas.js';
import { readBody, sendWebResponse } from '@mes-kit/core/node';
import { NBSP } from '../pages/html.js';
import { consentPage, errorPage, loginPage } from './pages.js';
import { partnerUserNameOf } from './partner-user-name.js';
import type { Pairings } from './provider.js';

const FORM_LIMIT = 64 * 1024;

export function createInteractionHandler(
  provider: Provider,
  pairings: Pairings,
  config: SandboxConfig,
  fhirAudience: string,
) {
  /** The finalités the service asks for in this pairing, in the order the service registered them. */
  function requestedFinalities(details: Awaited<ReturnType<Provider['interactionDetails']>>) {
    const missing =
      (details.prompt.details['missingResourceScopes'] as Record<string, string[]> | undefined)?.[fhirAudience] ?? [];
    return config.finalities.filter((f) => missing.includes(f.codeFinalite));
  }

  return async function handleInteraction(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const [uid, step] = path.split('/');
    let details;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      return sendWebResponse(res, errorPage('interaction_expired'));
    }
    if (details.uid !== uid) {
      return sendWebResponse(res, errorPage('invalid_request'));
    }
    const clientId = String(details.params['client_id']);
    const service = serviceByClientId(config, clientId)!;

    if (req.method === 'GET') {
      if (details.prompt.name === 'login') return sendWebResponse(res, loginPage(uid, service));
      const persona = personaByIdPe(details.session?.accountId ?? '');
      if (!persona) return sendWebResponse(res, errorPage('login_required'));
      return sendWebResponse(
        res,
        consentPage(uid, service, persona, requestedFinalities(details), partnerUserNameOf(details.params)),
      );
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'GET, POST' }).end();
      return;
    }
    const form = new URLSearchParams((await readBody(req, FORM_LIMIT)).toString('utf8'));

    if (step === 'abort') {
      await provider.interactionFinished(req, res, {
        error: 'access_denied',
        error_description: 'Le patient a annulé la synchronisation dans Mon espace santé.',
      });
      return;
    }
    if (step === 'login' && details.prompt.name === 'login') {
      const persona = personaByKey(form.get('persona') ?? '');
      if (!persona) return sendWebResponse(res, loginPage(uid, service, 400));
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: persona.idPe } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    if (step === 'consent' && details.prompt.name === 'consent') {
      const persona = personaByIdPe(details.session?.accountId ?? '')!;
      const requested = requestedFinalities(details).map((f) => f.codeFinalite);
      const action = form.get('action');
      const chosen = new Set(
        action === 'accept-all' ? requested : action === 'refuse-all' ? [] : form.getAll('finality'),
      );
      const granted = requested.filter((code) => chosen.has(code));
      if (granted.length === 0) {
        // MES keeps a pairing only while at least one finalité is granted.
        await provider.interactionFinished(req, res, {
          error: 'access_denied',
          error_description: `Le patient n’a autorisé aucune action${NBSP}: le service n’est pas synchronisé.`,
        });
        return;
      }
      const grant = details.grantId
        ? (await provider.Grant.find(details.grantId))!
        : new provider.Grant({ accountId: persona.idPe, clientId });
      const missingScope = details.prompt.details['missingOIDCScope'] as string[] | undefined;
      if (missingScope) grant.addOIDCScope(missingScope.join(' '));
      const pairing = await pairings.record(
        grant,
        persona.key,
        granted,
        requested.filter((code) => !chosen.has(code)),
      );
      await provider.interactionFinished(
        req,
        res,
        { consent: { grantId: pairing.id } },
        { mergeWithLastSubmission: true },
      );
      return;
    }
    await sendWebResponse(res, errorPage('invalid_request'));
  };
}
