/**
 * The patient's side of the sandbox, like MES's own web app: log in as a persona and see what
 * arrived — documents (downloadable), appointments, measures, synchronised services.
 */
import type { DocumentReference, FhirResource, SubmissionSet } from '@mes-kit/core';
import { base64ToBytes, bytesToBase64, FR_CORE_APPOINTMENT_OPERATOR } from '@mes-kit/core';
import {
  authorClientId,
  isPatientActor,
  nameOf,
  type Address,
  type Appointment,
  type AppointmentStatus,
} from '../fhir/agenda/common.js';
import { hiddenFromPatient } from '../fhir/documents/common.js';
import { serviceOfSource, type MeasureObservation } from '../fhir/measures/common.js';
import type { PairingRegistry } from '../admin.js';
import { serviceByClientId, type FinalityDefinition, type SandboxConfig, type ServiceDefinition } from '../config.js';
import { reapprovalNeeded, sandboxNow } from '../pairing-rules.js';
import { PERSONAS, personaByKey, type Persona } from '../personas.js';
import type { SandboxStore } from '../store/store.js';
import { dayOf, decimal, hourOf, withUnit } from './format.js';
import { html, NBSP, nothing, pageResponse, type Html } from './html.js';
import { measuresSection } from './measures.js';

const COOKIE = 'mes_sandbox_patient';
/** Where a SubmissionSet names the system that sent it (IHE MHD). */
const IHE_SOURCE_ID = 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-sourceId';

export interface PatientPagesDeps {
  store: SandboxStore;
  config: SandboxConfig;
  pairings: PairingRegistry;
  /** Signs the session cookie so that a persona cannot be forged from another tab's devtools. */
  cookieKey: string;
}

/** Domain-separated from the OAuth server's use of the same secret. */
const hmacKey = (secret: string) =>
  crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(`patient-page:${secret}`),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign', 'verify'],
  );

async function sign(secret: string, value: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', await hmacKey(secret), new TextEncoder().encode(value));
  return bytesToBase64(new Uint8Array(mac)).replace(/[+/=]/g, (c) => ({ '+': '-', '/': '_', '=': '' })[c]!);
}

/** Constant-time check of a cookie's MAC (WebCrypto's verify). */
async function verify(secret: string, value: string, mac: string): Promise<boolean> {
  try {
    const bytes = base64ToBytes(mac.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (mac.length % 4)) % 4));
    return await crypto.subtle.verify(
      'HMAC',
      await hmacKey(secret),
      bytes as Uint8Array<ArrayBuffer>,
      new TextEncoder().encode(value),
    );
  } catch {
    return false;
  }
}

const SESSION_SECONDS = 8 * 3600;

function codingDisplay(concept: unknown): string {
  const c = concept as { coding?: { display?: string; code?: string }[]; text?: string } | undefined;
  return c?.text ?? c?.coding?.[0]?.display ?? c?.coding?.[0]?.code ?? '—';
}

/** Who filed the document, as MES shows it: the patient, or the service (its contained Device), else its display. */
function authorOf(doc: DocumentReference, persona: Persona): string {
  const contained = (doc.contained ?? []) as { id?: string; resourceType?: string; deviceName?: { name?: string }[] }[];
  const names = (doc.author ?? []).map((author) => {
    const target = author.reference?.startsWith('#')
      ? contained.find((resource) => `#${resource.id}` === author.reference)
      : undefined;
    if (target?.resourceType === 'Patient') return `${persona.given} ${persona.family} (vous)`;
    return target?.deviceName?.[0]?.name ?? author.display;
  });
  return names.filter(Boolean).join(', ') || 'Service numérique';
}

/** A file's format as people name it: « PDF », « JPEG », « TIFF », « RTF », « Texte ». */
const formatName = (contentType: string) =>
  contentType === 'text/plain' ? 'Texte' : contentType.replace(/^[a-z]+\//, '').toUpperCase();

/** When the document was written (its act's date), not when it reached MES. */
const ownDate = (doc: DocumentReference) => doc.context.period.start;

function documentsSection(persona: Persona, documents: DocumentReference[]): Html {
  if (documents.length === 0) return html`<p class="empty">Aucun document pour le moment.</p>`;
  const byOwnDate = [...documents].sort((a, b) => Date.parse(ownDate(b)) - Date.parse(ownDate(a)));
  return html`<ul class="documents" role="list">
    ${byOwnDate.map((doc) => {
      const attachment = doc.content[0].attachment;
      const binaryId = attachment.url?.replace(/^Binary\//, '') ?? '';
      const written = dayOf(ownDate(doc));
      const arrived = dayOf(doc.date);
      return html`<li class="document">
        <div class="document-text">
          <h3>${attachment.title}</h3>
          <p class="meta">${codingDisplay(doc.type)} · ${codingDisplay(doc.category[0])}</p>
          <p>
            Document du
            ${written}${arrived === written ? nothing : html`<span class="meta">, reçu le ${arrived}</span>`}
          </p>
          <p>Ajouté par <span class="document-author">${authorOf(doc, persona)}</span></p>
        </div>
        <p class="document-file">
          <a href="/documents/${binaryId}" download>Télécharger<span class="sr-only"> ${attachment.title}</span></a>
          <span class="meta"
            >${formatName(attachment.contentType)}, ${withUnit(decimal.format(attachment.size / 1000), 'ko')}</span
          >
        </p>
      </li>`;
    })}
  </ul>`;
}

const APPOINTMENT_STATUS: Record<AppointmentStatus, string> = {
  booked: 'Confirmé',
  fulfilled: 'Honoré',
  cancelled: 'Annulé',
  noshow: 'Non honoré',
  'entered-in-error': 'Pris par erreur',
  arrived: 'Arrivé',
  'checked-in': 'Enregistré',
  waitlist: 'Liste d’attente',
  proposed: 'Proposé',
  pending: 'En attente',
};

const appointmentDay = new Intl.DateTimeFormat('fr-FR', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/Paris',
});

/** « mardi 2 avril 2024, 14 h 30 », in Paris time. */
function appointmentDate(iso: string | undefined): string {
  if (!iso) return 'Date à définir';
  return `${dayOf(iso, appointmentDay)}, ${hourOf(iso)}`;
}

function addressOf(address: Address | undefined): string | undefined {
  if (!address) return undefined;
  if (address.text) return address.text;
  const city = [address.postalCode, address.city].filter(Boolean).join(' ');
  return [...(address.line ?? []), city].filter(Boolean).join(', ') || undefined;
}

/** What MES shows of an appointment: with whom, where, and which service added it. */
function appointmentView(appointment: Appointment, config: SandboxConfig) {
  const contained = appointment.contained ?? [];
  const local = (reference: string | undefined) =>
    reference?.startsWith('#') ? contained.find((r) => r.id === reference.slice(1)) : undefined;
  const people: string[] = [];
  const places: string[] = [];
  for (const { actor } of appointment.participant ?? []) {
    if (!actor || isPatientActor(actor)) continue;
    const target = local(actor.reference);
    const name = actor.display?.trim() || nameOf(target);
    if (!name) continue;
    (target?.resourceType === 'Location' || actor.type === 'Location' ? places : people).push(name);
  }
  const operator = appointment.extension?.find((e) => e.url === FR_CORE_APPOINTMENT_OPERATOR)?.valueReference
    ?.reference;
  const clientId = authorClientId(appointment);
  return {
    people: people.join(', '),
    places: places.join(', '),
    address: addressOf(contained.find((r) => r.resourceType === 'Location' && r.address)?.address),
    author: (clientId && serviceByClientId(config, clientId)?.name) || nameOf(local(operator)),
  };
}

/** Three columns: what, with whom and where share one, so that a phone's width holds the table. */
function appointmentsSection(config: SandboxConfig, appointments: Appointment[]): Html {
  if (appointments.length === 0) return html`<p class="empty">Aucun rendez-vous.</p>`;
  const byStart = [...appointments].sort(
    (a, b) => (Date.parse(a.start ?? '') || Infinity) - (Date.parse(b.start ?? '') || Infinity),
  );
  return html`<table class="appointments">
    <caption class="sr-only">
      Rendez-vous
    </caption>
    <thead>
      <tr>
        <th scope="col">Date</th>
        <th scope="col">Rendez-vous</th>
        <th scope="col">Statut</th>
      </tr>
    </thead>
    <tbody>
      ${byStart.map((a) => {
        const { people, places, address, author } = appointmentView(a, config);
        const specialty = a.specialty?.[0] && codingDisplay(a.specialty[0]);
        return html`<tr class="appointment${a.status === 'cancelled' ? ' cancelled' : ''}">
          <td>${appointmentDate(a.start)}</td>
          <td>
            <p class="appointment-title">${a.description ?? 'Rendez-vous'}</p>
            ${specialty ? html`<p class="meta">${specialty}</p>` : nothing}
            ${people ? html`<p>Avec ${people}</p>` : nothing} ${places ? html`<p>${places}</p>` : nothing}
            ${address ? html`<p class="meta">${address}</p>` : nothing}
            ${author ? html`<p class="meta">Ajouté par ${author}</p>` : nothing}
          </td>
          <td>
            <span class="appointment-status">${APPOINTMENT_STATUS[a.status as AppointmentStatus] ?? a.status}</span>
          </td>
        </tr>`;
      })}
    </tbody>
  </table>`;
}

/** « 1 document », « 2 documents »; « 1 344 mesures ». */
const count = (n: number, one: string, many: string) => `${decimal.format(n)} ${n === 1 ? one : many}`;

/** The system a SubmissionSet came from: its `ihe-sourceId`, the sending system’s OID. */
function sourceOfSubmission(list: FhirResource): string | undefined {
  const extensions = (list as { extension?: { url?: string; valueIdentifier?: { value?: string } }[] }).extension;
  return extensions?.find((e) => e.url === IHE_SOURCE_ID)?.valueIdentifier?.value;
}

interface Sent {
  documents: Set<string>;
  appointments: number;
  measures: number;
}

/** What each service sent that the patient can see, by client id: documents, appointments, measures. */
function sentByService(
  store: SandboxStore,
  config: SandboxConfig,
  persona: Persona,
  documents: DocumentReference[],
  appointments: Appointment[],
): Map<string, Sent> {
  const sent = new Map<string, Sent>();
  const of = (service: ServiceDefinition | undefined) => {
    if (!service) return undefined;
    if (!sent.has(service.clientId)) sent.set(service.clientId, { documents: new Set(), appointments: 0, measures: 0 });
    return sent.get(service.clientId);
  };
  const shown = new Set(documents.map((doc) => `DocumentReference/${doc.id}`));
  for (const { resource } of store.list(persona.key, 'List')) {
    const service = of(serviceOfSource(config, sourceOfSubmission(resource)));
    for (const { item } of (resource as SubmissionSet).entry ?? []) {
      if (item.reference && shown.has(item.reference)) service?.documents.add(item.reference);
    }
  }
  for (const appointment of appointments) {
    const clientId = authorClientId(appointment);
    const service = of(clientId ? serviceByClientId(config, clientId) : undefined);
    if (service) service.appointments++;
  }
  for (const { resource } of store.list(persona.key, 'Observation')) {
    const service = of(serviceOfSource(config, (resource as MeasureObservation).meta.source));
    if (service) service.measures++;
  }
  return sent;
}

function sentSummary(sent: Sent | undefined): string {
  const parts = [
    sent?.documents.size ? count(sent.documents.size, 'document', 'documents') : '',
    sent?.appointments ? count(sent.appointments, 'rendez-vous', 'rendez-vous') : '',
    sent?.measures ? count(sent.measures, 'mesure', 'mesures') : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'Rien pour le moment';
}

/** The finalités in groups of what they touch (documents, agenda, measures), in their own order. */
function byScope(finalities: FinalityDefinition[]): [string, FinalityDefinition[]][] {
  const groups = new Map<string, FinalityDefinition[]>();
  for (const finality of finalities) {
    const scope = finality.echangesDeDonnees[0]?.perimetre ?? 'Autres';
    groups.set(scope, [...(groups.get(scope) ?? []), finality]);
  }
  return [...groups];
}

/**
 * « Services synchronisés », as in MES: one entry per service, saying what it may do and what it
 * sent, then one switch per finalité, re-approval, « Désynchroniser ».
 */
function servicesSection(store: SandboxStore, config: SandboxConfig, persona: Persona, sent: Map<string, Sent>): Html {
  const pairings = store.listPairings().filter((p) => p.persona === persona.key);
  if (pairings.length === 0) return html`<p class="empty">Aucun service synchronisé.</p>`;
  const now = sandboxNow(store);
  return html`<ul class="services" role="list">
    ${pairings.map((p) => {
      const service = serviceByClientId(config, p.clientId);
      if (!service) return nothing;
      const offered = config.finalities.filter((f) => service.finalities.includes(f.codeFinalite));
      const granted = offered.filter((f) => p.finalities.includes(f.codeFinalite));
      const pending = reapprovalNeeded(p, service, persona, now);
      return html`<li class="service">
        <h3>${service.name}</h3>
        <p class="meta">Synchronisé depuis le ${dayOf(p.createdAt)}</p>
        ${
          pending
            ? html`<div class="notice" role="note">
                <p>
                  Les autorisations de ce service doivent être approuvées à nouveau pour conserver sa synchronisation.
                  En attendant, il ne peut plus consulter ni ajouter de données.
                </p>
                <form method="post" action="/services/${service.clientId}/reapprouver">
                  <button class="primary" type="submit">Approuver à nouveau</button>
                </form>
              </div>`
            : nothing
        }
        <dl class="service-summary">
          <dt>Autorisé à</dt>
          <dd>${granted.map((f) => f.libelle).join(', ')}</dd>
          <dt>Données envoyées</dt>
          <dd>${sentSummary(sent.get(service.clientId))}</dd>
        </dl>
        <form method="post" action="/services/${service.clientId}">
          <fieldset>
            <legend>J’autorise ${service.name} à effectuer les actions suivantes sur Mon espace santé${NBSP}:</legend>
            ${byScope(offered).map(
              ([scope, finalities]) =>
                html`<fieldset class="finality-group">
                  <legend>${scope}</legend>
                  <ul class="finalities" role="list">
                    ${finalities.map(
                      (f) =>
                        html`<li class="finality">
                          <input
                            type="checkbox"
                            role="switch"
                            id="s-${service.clientId}-${f.codeFinalite}"
                            name="finality"
                            value="${f.codeFinalite}"
                            ${p.finalities.includes(f.codeFinalite) ? html`checked` : nothing}
                          />
                          <label for="s-${service.clientId}-${f.codeFinalite}">${f.libelle}</label>
                        </li>`,
                    )}
                  </ul>
                </fieldset>`,
            )}
          </fieldset>
          <div class="actions"><button type="submit">Enregistrer mes choix</button></div>
        </form>
        <form method="get" action="/services/${service.clientId}/desynchroniser">
          <button class="secondary" type="submit">Désynchroniser ${service.name}</button>
        </form>
      </li>`;
    })}
  </ul>`;
}

function desynchronisationView(service: ServiceDefinition): Html {
  return html`<h1>Désynchroniser ${service.name}${NBSP}?</h1>
    <p class="lead">${service.name} ne pourra plus échanger de données avec Mon espace santé.</p>
    <div class="actions equal">
      <form method="post" action="/services/${service.clientId}/desynchroniser">
        <button class="primary" type="submit">Désynchroniser</button>
      </form>
      <form method="get" action="/"><button type="submit">Annuler</button></form>
    </div>`;
}

function loginView(): Html {
  return html`<h1>Bienvenue dans Mon espace santé</h1>
    <p class="lead">
      Bac à sable local${NBSP}: choisissez un profil fictif pour voir ce que les services lui ont envoyé.
    </p>
    <form method="post" action="/login">
      <ul class="cards" role="list">
        ${PERSONAS.map(
          (p) =>
            html`<li>
              <button class="card" type="submit" name="persona" value="${p.key}">
                <span class="card-title">${p.given} ${p.family}</span><span class="card-text">${p.summary}</span>
              </button>
            </li>`,
        )}
      </ul>
    </form>`;
}

/** « de Camille », but « d’Élise »: French elides before a vowel. */
const ofName = (name: string) => (/^[aeiouyàâéèêëîïôœ]/i.test(name) ? `d’${name}` : `de ${name}`);

function homeView(deps: PatientPagesDeps, persona: Persona): Html {
  const { store, config } = deps;
  const documents = store
    .list(persona.key, 'DocumentReference')
    .map((entry) => entry.resource as DocumentReference)
    .filter((doc) => doc.status === 'current' && !hiddenFromPatient(doc));
  const appointments = store.list(persona.key, 'Appointment').map((entry) => entry.resource as Appointment);
  return html`<div class="who-bar">
      <p class="who">
        Profil fictif${NBSP}: <strong>${persona.given} ${persona.family}</strong>
        <span class="meta">(idPe ${persona.idPe})</span>
      </p>
      <form method="post" action="/logout"><button class="secondary" type="submit">Se déconnecter</button></form>
    </div>
    <h1>Mon espace santé ${ofName(persona.given)}</h1>
    <nav aria-label="Rubriques">
      <ul class="toc" role="list">
        <li><a href="#documents">Documents</a></li>
        <li><a href="#agenda">Agenda</a></li>
        <li><a href="#mesures">Mesures</a></li>
        <li><a href="#services">Services synchronisés</a></li>
      </ul>
    </nav>
    <section aria-labelledby="documents">
      <h2 id="documents">Documents de santé</h2>
      ${documentsSection(persona, documents)}
    </section>
    <section aria-labelledby="agenda">
      <h2 id="agenda">Agenda</h2>
      ${appointmentsSection(config, appointments)}
    </section>
    <section aria-labelledby="mesures">
      <h2 id="mesures">Mesures de santé</h2>
      ${measuresSection(store, config, persona)}
    </section>
    <section aria-labelledby="services">
      <h2 id="services">Services synchronisés</h2>
      ${servicesSection(store, config, persona, sentByService(store, config, persona, documents, appointments))}
    </section>`;
}

export function createPatientPages(deps: PatientPagesDeps) {
  async function sessionPersona(request: Request): Promise<Persona | undefined> {
    const cookie = (request.headers.get('cookie') ?? '').split(/;\s*/).find((c) => c.startsWith(`${COOKIE}=`));
    const [key, mac] = (cookie?.slice(COOKIE.length + 1) ?? '').split('.');
    if (!key || !mac || !(await verify(deps.cookieKey, key, mac))) return undefined;
    return personaByKey(key);
  }

  const redirect = (location: string, cookie?: string) =>
    new Response(null, { status: 303, headers: { location, ...(cookie && { 'set-cookie': cookie }) } });

  /** The patient changes a pairing from « Services synchronisés ». */
  async function serviceAction(request: Request, clientId: string, action: string | undefined): Promise<Response> {
    const persona = await sessionPersona(request);
    const service = serviceByClientId(deps.config, clientId);
    const pairing = persona && service && deps.store.findPairing(persona.key, clientId);
    if (!persona || !service || !pairing) return redirect('/');
    if (action === 'desynchroniser') {
      if (request.method === 'GET') return pageResponse('Désynchroniser', desynchronisationView(service));
      if (request.method !== 'POST') return new Response(null, { status: 405 });
      await deps.pairings.revoke(pairing);
      return redirect('/#services');
    }
    if (request.method !== 'POST') return new Response(null, { status: 405 });
    if (action === 'reapprouver') {
      await deps.pairings.approveAgain(pairing);
      return redirect('/#services');
    }
    const chosen = new URLSearchParams(await request.text()).getAll('finality');
    const finalities = service.finalities.filter((code) => chosen.includes(code));
    // As in MES, a pairing keeps at least one finalité: switching them all off means désynchroniser.
    if (finalities.length === 0) return pageResponse('Désynchroniser', desynchronisationView(service));
    await deps.pairings.update(pairing, finalities);
    return redirect('/#services');
  }

  return async function handlePatientPage(request: Request): Promise<Response | undefined> {
    const url = new URL(request.url);
    if (request.method === 'POST') {
      const origin = request.headers.get('origin');
      // The page may be opened as localhost or 127.0.0.1: a form is same-origin when it names this host.
      if (origin && origin !== `http://${request.headers.get('host')}`) {
        return new Response(`Formulaire refusé${NBSP}: il ne vient pas de Mon espace santé.`, {
          status: 403,
          headers: { 'content-type': 'text/plain; charset=utf-8' },
        });
      }
    }
    if (url.pathname === '/' && request.method === 'GET') {
      const persona = await sessionPersona(request);
      return persona ? pageResponse('Accueil', homeView(deps, persona)) : pageResponse('Connexion', loginView());
    }
    if (url.pathname === '/login' && request.method === 'POST') {
      const persona = personaByKey(new URLSearchParams(await request.text()).get('persona') ?? '');
      if (!persona) return pageResponse('Connexion', loginView(), 400);
      const value = `${persona.key}.${await sign(deps.cookieKey, persona.key)}`;
      return redirect('/', `${COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_SECONDS}`);
    }
    if (url.pathname === '/logout' && request.method === 'POST') {
      return redirect('/', `${COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
    }
    const services = /^\/services\/([\w-]+)(?:\/(desynchroniser|reapprouver))?$/.exec(url.pathname);
    if (services) return serviceAction(request, services[1], services[2]);
    const download = /^\/documents\/([A-Za-z0-9\-.]+)$/.exec(url.pathname);
    if (download && request.method === 'GET') {
      const persona = await sessionPersona(request);
      const binary = deps.store.getBinary(download[1]);
      if (!persona || !binary || binary.persona !== persona.key)
        return new Response('Document introuvable', { status: 404 });
      const extension = binary.contentType === 'application/pdf' ? 'pdf' : binary.contentType.split('/')[1];
      return new Response(binary.data as Uint8Array<ArrayBuffer>, {
        headers: {
          'content-type': binary.contentType,
          'content-disposition': `attachment; filename="document-${binary.id}.${extension}"`,
          'x-content-type-options': 'nosniff',
          'cache-control': 'no-store',
        },
      });
    }
    return undefined;
  };
}
