/** The pages MES shows during a pairing: log in (pick a persona), then consent per finalité. */
import type { FinalityDefinition, ServiceDefinition } from '../config.js';
import { PERSONAS, type Persona } from '../personas.js';
import { html, NBSP, nothing, pageResponse, type Html } from '../pages/html.js';

export function loginPage(uid: string, service: ServiceDefinition, status = 200): Response {
  return pageResponse(
    'Connexion',
    html`<h1>Connexion à Mon espace santé</h1>
      <p class="lead">
        <strong>${service.name}</strong> demande à se synchroniser avec votre profil Mon espace santé. Choisissez le
        profil fictif avec lequel vous connecter.
      </p>
      <form method="post" action="/oauth/interaction/${uid}/login" class="personas">
        <ul class="cards" role="list">
          ${PERSONAS.map(
            (p) =>
              html`<li>
                <button class="card" type="submit" name="persona" value="${p.key}">
                  <span class="card-title">${p.given} ${p.family}</span>
                  <span class="card-text">${p.summary}</span>
                </button>
              </li>`,
          )}
        </ul>
      </form>
      <form method="post" action="/oauth/interaction/${uid}/abort">
        <button class="secondary" type="submit">Annuler</button>
      </form>`,
    status,
  );
}

/** Switched on from the start, as on MES's page: the service asked for it; the patient switches off what they refuse. */
function finalityItem(finality: FinalityDefinition) {
  return html`<li class="finality">
    <input
      type="checkbox"
      role="switch"
      id="f-${finality.codeFinalite}"
      name="finality"
      value="${finality.codeFinalite}"
      aria-describedby="d-${finality.codeFinalite}"
      checked
    />
    <label for="f-${finality.codeFinalite}">${finality.libelle}</label>
    <div id="d-${finality.codeFinalite}" class="finality-details">
      <p>${finality.description}</p>
      ${finality.echangesDeDonnees.map(
        (exchange) =>
          html`<p class="meta">
            ${exchange.action === 'Lecture' ? 'Lecture' : 'Écriture'} · ${exchange.perimetre}${NBSP}:
            ${exchange.categories.map((c) => c.titre).join(', ')}
          </p>`,
      )}
    </div>
  </li>`;
}

/**
 * @param partnerUserName the patient's name on the service's side, shown as MES does so that the
 *   patient can tell which of their portal accounts is being paired (only when the service vouched for it)
 */
export function consentPage(
  uid: string,
  service: ServiceDefinition,
  persona: Persona,
  requested: FinalityDefinition[],
  partnerUserName?: string,
): Response {
  return pageResponse(
    'Autorisations',
    html`<p class="who">Profil fictif${NBSP}: <strong>${persona.given} ${persona.family}</strong></p>
      <h1>${service.name}</h1>
      ${partnerUserName ? html`<p class="lead">Compte ${service.name}${NBSP}: ${partnerUserName}</p>` : nothing}
      <form method="post" action="/oauth/interaction/${uid}/consent">
        <fieldset>
          <legend>J’autorise ${service.name} à effectuer les actions suivantes sur Mon espace santé${NBSP}:</legend>
          <ul class="finalities" role="list">
            ${requested.map(finalityItem)}
          </ul>
        </fieldset>
        <p class="hint">
          Vous pourrez modifier ces autorisations à tout moment dans Mon espace santé, rubrique «${NBSP}Services
          synchronisés${NBSP}». Pour toute information sur le traitement de vos données, consultez les
          <a href="${service.cguUrl}">conditions générales d’utilisation de ${service.editor}</a>.
        </p>
        <div class="actions equal">
          <button type="submit" name="action" value="refuse-all">Tout refuser</button>
          <button type="submit" name="action" value="accept-all">Tout accepter</button>
        </div>
        <div class="actions">
          <button class="primary" type="submit" name="action" value="confirm" aria-describedby="confirm-hint">
            Valider mes choix
          </button>
          <p id="confirm-hint" class="hint">
            Valider sans rien cocher revient à tout refuser${NBSP}: le service ne sera pas synchronisé.
          </p>
        </div>
      </form>`,
  );
}

const START_AGAIN = 'Fermez cette fenêtre et relancez la synchronisation depuis le service.';
const CONTACT_SERVICE = 'Fermez cette fenêtre et contactez le service.';
const UNKNOWN_SERVICE: [string, string] = [
  'Mon espace santé ne reconnaît pas le service qui demande à se synchroniser.',
  CONTACT_SERVICE,
];
const MES_UNAVAILABLE: [string, string] = [
  'Mon espace santé rencontre un problème passager.',
  'Fermez cette fenêtre et réessayez dans quelques minutes depuis le service.',
];
const UNEXPECTED: [string, string] = [
  'Une erreur inattendue a interrompu la synchronisation.',
  `${START_AGAIN} Si cela se reproduit, contactez le service.`,
];

/** What happened, then what to do, for each error a pairing may end on in MES's window. */
const ERROR_TEXTS: Record<string, [cause: string, remedy: string]> = {
  interaction_expired: [`Cette étape a expiré${NBSP}: la fenêtre est restée ouverte trop longtemps.`, START_AGAIN],
  login_required: ['Votre connexion à Mon espace santé a expiré.', START_AGAIN],
  access_denied: [
    'La synchronisation a été annulée.',
    `Vous pouvez fermer cette fenêtre${NBSP}: rien n’a été partagé avec le service.`,
  ],
  invalid_request: [
    'La demande de synchronisation envoyée par le service est incomplète.',
    `${START_AGAIN} Si cela se reproduit, contactez le service.`,
  ],
  invalid_client: UNKNOWN_SERVICE,
  unauthorized_client: UNKNOWN_SERVICE,
  invalid_redirect_uri: [
    'L’adresse de retour du service n’est pas celle qu’il a enregistrée auprès de Mon espace santé.',
    CONTACT_SERVICE,
  ],
  invalid_scope: ['Le service demande des autorisations que Mon espace santé ne connaît pas.', CONTACT_SERVICE],
  server_error: MES_UNAVAILABLE,
  temporarily_unavailable: MES_UNAVAILABLE,
};

/**
 * MES's error page: the patient reads the cause and the remedy in French; the code and the
 * server's own (English) description are folded away, for the service's support.
 */
export function errorBody(error: string, detail?: string): Html {
  const [cause, remedy] = Object.hasOwn(ERROR_TEXTS, error) ? ERROR_TEXTS[error] : UNEXPECTED;
  return html`<h1>La synchronisation n’a pas pu aboutir</h1>
    <p class="error-text">${cause}</p>
    <p>${remedy}</p>
    <details class="error-details">
      <summary>Détails techniques, pour le service</summary>
      <p>Code${NBSP}: <code>${error}</code></p>
      ${detail ? html`<p lang="en">${detail}</p>` : nothing}
    </details>`;
}

export function errorPage(error: string, status = 400): Response {
  return pageResponse('Erreur', errorBody(error), status);
}
