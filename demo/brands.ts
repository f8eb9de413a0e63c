/**
 * One portal, several brands (as a white-label portal is deployed): the same `index.html` is served
 * at each brand's path, with the brand's name, logo, `data-brand` and gateway filled in. Only CSS
 * differs on the page; in MES, each brand is a registered service of its own (client, OID, name).
 * Vendors' pages are served the same way: those that import from `vendor.html`, those whose devices
 * take measures from `measures.html`.
 */
import type { Plugin } from 'vite';

/** A service of the demo in MES: a brand of the hospital portal, or a vendor's page. */
export interface DemoService {
  id: string;
  name: string;
  /** Where this service's gateway is mounted. */
  gateway: string;
  /** Its registered client in MES, and OID. */
  clientId: string;
  serviceOid: string;
}

interface Brand extends DemoService {
  id: string;
  name: string;
  path: string;
}

export const BRANDS: Brand[] = [
  {
    id: 'lumiere',
    name: 'Hôpital Lumière',
    path: '/index.html',
    gateway: '/mes',
    clientId: 'mes-kit-demo',
    serviceOid: '1.2.250.1.999.42.1',
  },
  {
    id: 'tilleuls',
    name: 'Clinique des Tilleuls',
    path: '/tilleuls.html',
    gateway: '/tilleuls/mes',
    clientId: 'mes-kit-tilleuls',
    serviceOid: '1.2.250.1.999.42.3',
  },
];

/** What a vendor's page says (vendor.html, filled in per vendor). */
interface VendorPage {
  title: string;
  introHeading: string;
  introLead: string;
  introNote: string;
  /** How the page's import button is set: several documents, or one of a category. */
  importAttributes: string;
  receivedHeading: string;
  receivedEmpty: string;
}

/**
 * Vendors that import from MES (their own pages, their own services): a teleconsultation where the
 * patient shares documents with the practitioner beforehand, and a pharmacy that delivers at home.
 */
export const VENDORS: (DemoService & {
  page: string;
  serviceName: string;
  /** What the vendor's page asks MES for. */
  finalities: string[];
  texts: VendorPage;
})[] = [
  {
    id: 'teleconsultation',
    name: 'Consultanet',
    serviceName: 'Consultanet — téléconsultation',
    page: '/teleconsultation.html',
    gateway: '/teleconsultation/mes',
    clientId: 'mes-kit-teleconsultation',
    serviceOid: '1.2.250.1.999.42.4',
    finalities: ['DOC_LECTURE'],
    texts: {
      title: 'Préparer ma téléconsultation',
      introHeading: 'Votre téléconsultation',
      introLead: 'Dr Anne Roux, médecine générale — lundi 30 novembre 2026 à 18 h 30, en vidéo.',
      introNote:
        'Avant la consultation, partagez avec le médecin les documents utiles : un compte rendu, vos derniers résultats d’analyses, une ordonnance en cours. Ils sont pris dans votre profil Mon espace santé.',
      importAttributes: 'multiple',
      receivedHeading: 'Ce que le médecin recevra',
      receivedEmpty: 'Aucun document partagé pour l’instant.',
    },
  },
  {
    id: 'pharmacie',
    name: 'Pharmadom',
    serviceName: 'Pharmadom — vos médicaments à domicile',
    page: '/pharmacie.html',
    gateway: '/pharmacie/mes',
    clientId: 'mes-kit-pharmacie',
    serviceOid: '1.2.250.1.999.42.5',
    finalities: ['DOC_LECTURE', 'AGENDA_ECRITURE'],
    texts: {
      title: 'Commander mes médicaments',
      introHeading: 'Votre commande',
      introLead: 'Livraison à domicile sous 24 h, par votre pharmacie du Centre.',
      introNote:
        'Le pharmacien a besoin de votre ordonnance. Prenez-la dans votre profil Mon espace santé : inutile de la photographier.',
      importAttributes: 'category="ORD_SOIN"',
      receivedHeading: 'Ordonnance jointe à la commande',
      receivedEmpty: 'Aucune ordonnance jointe pour l’instant.',
    },
  },
];

/** What a measure vendor's page says (measures.html, filled in per vendor). */
interface MeasuresPage {
  title: string;
  introHeading: string;
  introLead: string;
  introNote: string;
  measuresHeading: string;
  measuresNote: string;
}

/**
 * Vendors whose devices take measures (their own pages, their own services): a connected scale and
 * blood-pressure monitor, whose page also sends a health report, and a glucose sensor.
 */
export const MEASURE_VENDORS: (DemoService & {
  page: string;
  serviceName: string;
  /** What the vendor's page asks MES for. */
  finalities: string[];
  texts: MeasuresPage;
})[] = [
  {
    id: 'balance',
    name: 'Pesée+',
    serviceName: 'Pesée+ — balance et tensiomètre connectés',
    page: '/balance.html',
    gateway: '/balance/mes',
    clientId: 'mes-kit-balance',
    serviceOid: '1.2.250.1.999.42.6',
    finalities: [
      'DOC_ECRITURE',
      'MESURE_POIDS_ECRITURE',
      'MESURE_TENSION_ECRITURE',
      'MESURE_FREQUENCE_CARDIAQUE_ECRITURE',
      'MESURE_TEMPERATURE_ECRITURE',
    ],
    texts: {
      title: 'Mes mesures',
      introHeading: 'Votre suivi Pesée+',
      introLead: 'Votre balance, votre tensiomètre et votre thermomètre enregistrent vos mesures ici, chaque jour.',
      introNote:
        'Envoyez-les dans votre profil Mon espace santé : votre médecin traitant pourra les consulter, et vous les retrouverez à côté de vos autres données de santé.',
      measuresHeading: 'Mes appareils',
      measuresNote: 'Les six dernières semaines de mesures de vos appareils Pesée+.',
    },
  },
  {
    id: 'glycemie',
    name: 'GlycoSuivi',
    serviceName: 'GlycoSuivi — capteur de glucose',
    page: '/glycemie.html',
    gateway: '/glycemie/mes',
    clientId: 'mes-kit-glycemie',
    serviceOid: '1.2.250.1.999.42.7',
    finalities: ['MESURE_GLYCEMIE_ECRITURE'],
    texts: {
      title: 'Ma glycémie',
      introHeading: 'Votre capteur GlycoSuivi',
      introLead: 'Votre capteur mesure votre glucose interstitiel toutes les 15 minutes, jour et nuit.',
      introNote:
        'Envoyez ses 14 derniers jours dans votre profil Mon espace santé, avant votre consultation de diabétologie : le médecin les y retrouvera.',
      measuresHeading: 'Mes 14 derniers jours',
      measuresNote: 'La courbe se colore à mesure que vos mesures arrivent dans Mon espace santé.',
    },
  },
];

const escapeHtml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

const brandAt = (path: string) => BRANDS.find((brand) => brand.path === path);

const vendorAt = (path: string) => VENDORS.find((vendor) => vendor.page === path);

const measureVendorAt = (path: string) => MEASURE_VENDORS.find((vendor) => vendor.page === path);

/** A page's placeholders replaced by its texts, escaped. */
function fill(html: string, texts: Record<string, string>): string {
  let page = html;
  for (const [placeholder, text] of Object.entries(texts)) page = page.replaceAll(placeholder, escapeHtml(text));
  return page;
}

export function brandedPages(): Plugin {
  return {
    name: 'mes-kit-demo-brands',
    configureServer(server) {
      // Every brand's page is index.html, every vendor's vendor.html or measures.html; Vite keeps the
      // requested path in `originalUrl`.
      server.middlewares.use((request, _response, next) => {
        const path = request.url?.split('?')[0];
        if (path && path !== '/index.html' && brandAt(path)) request.url = '/index.html';
        else if (path && vendorAt(path)) request.url = '/vendor.html';
        else if (path && measureVendorAt(path)) request.url = '/measures.html';
        next();
      });
    },
    transformIndexHtml: {
      order: 'pre',
      handler(html, context) {
        const path = (context.originalUrl ?? context.path).split('?')[0];
        if (context.filename.endsWith('/demo/vendor.html')) {
          const vendor = vendorAt(path) ?? VENDORS[0];
          const texts: Record<string, string> = {
            '%VENDOR_ID%': vendor.id,
            '%VENDOR_NAME%': vendor.name,
            '%SERVICE_NAME%': vendor.serviceName,
            '%VENDOR_PAGE%': vendor.page,
            '%GATEWAY%': vendor.gateway,
            '%FINALITIES%': vendor.finalities.join(' '),
            '%PAGE_TITLE%': vendor.texts.title,
            '%INTRO_HEADING%': vendor.texts.introHeading,
            '%INTRO_LEAD%': vendor.texts.introLead,
            '%INTRO_NOTE%': vendor.texts.introNote,
            '%RECEIVED_HEADING%': vendor.texts.receivedHeading,
            '%RECEIVED_EMPTY%': vendor.texts.receivedEmpty,
          };
          return fill(html.replaceAll('%IMPORT_ATTRIBUTES%', vendor.texts.importAttributes), texts);
        }
        if (context.filename.endsWith('/demo/measures.html')) {
          const vendor = measureVendorAt(path) ?? MEASURE_VENDORS[0];
          return fill(html, {
            '%VENDOR_ID%': vendor.id,
            '%VENDOR_NAME%': vendor.name,
            '%SERVICE_NAME%': vendor.serviceName,
            '%VENDOR_PAGE%': vendor.page,
            '%GATEWAY%': vendor.gateway,
            '%FINALITIES%': vendor.finalities.join(' '),
            '%PAGE_TITLE%': vendor.texts.title,
            '%INTRO_HEADING%': vendor.texts.introHeading,
            '%INTRO_LEAD%': vendor.texts.introLead,
            '%INTRO_NOTE%': vendor.texts.introNote,
            '%MEASURES_HEADING%': vendor.texts.measuresHeading,
            '%MEASURES_NOTE%': vendor.texts.measuresNote,
          });
        }
        if (!context.filename.endsWith('/demo/index.html')) return html;
        const brand = brandAt(path === '/' ? '/index.html' : path) ?? BRANDS[0];
        const other = BRANDS.find((candidate) => candidate !== brand)!;
        return html
          .replaceAll('%BRAND_ID%', brand.id)
          .replaceAll('%BRAND_NAME%', brand.name)
          .replaceAll('%BRAND_PATH%', brand.path === '/index.html' ? '/' : brand.path)
          .replaceAll('%GATEWAY%', brand.gateway)
          .replaceAll('%OTHER_BRAND_PATH%', other.path)
          .replaceAll('%OTHER_BRAND_NAME%', other.name);
      },
    },
  };
}
