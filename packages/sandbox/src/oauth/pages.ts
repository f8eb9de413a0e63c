/** The pages MES shows during a pairing: log in (pick a persona), then consent per finalité. */
import type { FinalityDefinition, ServiceDefinition } from '../config.js';
import { PERSONAS, type Persona } from '../personas.js';
import { html, nothing, pageResponse, type Html } from '../pages/html.js';

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
            ${exchange.action === 'Lecture' ? 'Lecture' : 'Écriture'} · ${exchange.perimetre} :
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
    html`<p class="who">Connecté(e) en tant que <strong>${persona.given} ${persona.family}</strong></p>
      <h1>${service.name}</h1>
      ${partnerUserName ? html`<p class="lead">Compte ${service.name} : ${partnerUserName}</p>` : nothing}
      <form method="post" action="/oauth/interaction/${uid}/consent">
        <fieldset>
          <legend>J'autorise ${service.name} à effectuer les actions suivantes sur Mon espace santé :</legend>
          <ul class="finalities" role="list">
            ${requested.map(finalityItem)}
          </ul>
        </fieldset>
        <p class="hint">
          Vous pourrez modifier ces autorisations à tout moment dans Mon espace santé, rubrique « Services synchronisés
          ». Pour toute information sur le traitement de vos données, consultez les
          <a href="${service.cguUrl}">conditions générales d'utilisation de ${service.editor}</a>.
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
            Valider sans rien cocher revient à tout refuser : le service ne sera pas synchronisé.
          </p>
        </div>
      </form>`,
  );
}

export function errorBody(error: string, description: string): Html {
  return html`<h1>La synchronisation n'a pas pu aboutir</h1>
    <p class="error-text">${description || error}</p>
    <p class="meta">Code : ${error}</p>`;
}

export function errorPage(error: string, description: string, status = 400): Response {
  return pageResponse('Erreur', errorBody(error, description), status);
}
