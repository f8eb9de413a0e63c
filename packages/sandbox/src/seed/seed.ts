/**
 * The personas' records on first start (and after a reset): Camille's documents, appointments,
 * weights and blood pressures; Nadia's documents (her glucose sensor's readings come from the demo's
 * glucose vendor); Louis's few documents; Élise's empty account. Ids are fixed; dates follow the day
 * of seeding, so the data looks current.
 */
import {
  CLASS_CODE_SYSTEM,
  CONFIDENTIALITY_SYSTEM,
  EUI64_SYSTEM,
  FORMAT_CODE_SYSTEM,
  IDPE_SYSTEM,
  INS_NIR_TEST_SYSTEM,
  LOINC,
  PATIENT_DOC_TYPE_SYSTEM,
  PDSM_PROFILE,
  RFC3986_SYSTEM,
  measureBundle,
  observationResource,
  sha1Base64,
  type CheckedReading,
  type FhirResource,
} from '@mes-kit/core';
import { defaultConfig } from '../config.js';
import { PERSONAS, personaByKey, type Persona } from '../personas.js';
import type { SandboxStore, StoredBinary, StoredResource } from '../store/store.js';
import { RADIO_THORAX_JPEG } from './assets.js';
import { pdfDocument } from './pdf.js';

const DAY = 24 * 3600 * 1000;
const FACILITY_SYSTEM = 'https://mos.esante.gouv.fr/NOS/TRE_R02-SecteurActivite/FHIR/TRE-R02-SecteurActivite';
const SETTING_SYSTEM = 'https://mos.esante.gouv.fr/NOS/TRE_A01-CadreExercice/FHIR/TRE-A01-CadreExercice';
const SEED_ROOT = '1.2.250.1.999.42.900';

/** A deterministic pseudo-random sequence (mulberry32), so every seed (and the demo's data) holds the same values. */
export function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface DocumentSeed {
  title: string;
  daysAgo: number;
  type: [system: string, code: string, display: string];
  classCode: [code: string, display: string];
  author: string;
  lines: string[];
  image?: boolean;
}

const loinc = (code: string, display: string): DocumentSeed['type'] => [LOINC, code, display];

const CAMILLE_DOCUMENTS: DocumentSeed[] = [
  {
    title: 'Compte rendu de consultation de cardiologie',
    daysAgo: 62,
    type: loinc('11488-4', 'CR de consultation'),
    classCode: ['10', 'Compte rendu'],
    author: 'Dr Sophie Leclerc',
    lines: [
      'Motif : palpitations.',
      'Examen clinique normal, ECG sans anomalie.',
      'Conclusion : pas de traitement, contrôle dans un an.',
    ],
  },
  {
    title: 'Lettre de liaison de sortie',
    daysAgo: 45,
    type: loinc('11490-0', 'Lettre de liaison de sortie'),
    classCode: ['10', 'Compte rendu'],
    author: 'Hôpital Lumière, service de chirurgie',
    lines: [
      'Hospitalisation du 12 au 14 pour appendicectomie.',
      'Suites simples. Ablation des fils à J10 par l’infirmier.',
    ],
  },
  {
    title: 'Bilan lipidique',
    daysAgo: 40,
    type: loinc('11502-2', 'CR d’examens biologiques'),
    classCode: ['10', 'Compte rendu'],
    author: 'Laboratoire des Tilleuls',
    lines: ['Cholestérol total : 1,92 g/L', 'HDL : 0,58 g/L  LDL : 1,12 g/L', 'Triglycérides : 1,10 g/L'],
  },
  {
    title: 'Numération formule sanguine',
    daysAgo: 40,
    type: loinc('11502-2', 'CR d’examens biologiques'),
    classCode: ['10', 'Compte rendu'],
    author: 'Laboratoire des Tilleuls',
    lines: ['Hémoglobine : 13,4 g/dL', 'Leucocytes : 6,2 G/L', 'Plaquettes : 245 G/L'],
  },
  {
    title: 'Compte rendu de radiographie thoracique',
    daysAgo: 30,
    type: loinc('18748-4', 'CR d’imagerie médicale'),
    classCode: ['31', 'Imagerie médicale'],
    author: 'Centre d’imagerie Lumière',
    lines: ['Radiographie thoracique de face.', 'Pas d’anomalie pleuro-parenchymateuse.'],
  },
  {
    title: 'Radiographie thoracique (image)',
    daysAgo: 30,
    type: [PATIENT_DOC_TYPE_SYSTEM, 'DOCPAT04', 'Imagerie'],
    classCode: ['90', 'Autres documents déposés par le patient'],
    author: 'Camille Martin',
    lines: [],
    image: true,
  },
  {
    title: 'Ordonnance de médicaments',
    daysAgo: 28,
    type: loinc('57833-6', 'Prescription de produits de santé'),
    classCode: ['42', 'Prescription'],
    author: 'Dr Paul Girard',
    lines: ["Paracétamol 1 g : 1 comprimé jusqu'à 3 fois par jour, 5 jours."],
  },
  {
    title: 'Prescription de kinésithérapie',
    daysAgo: 21,
    type: loinc('57832-8', 'Prescription de soins'),
    classCode: ['42', 'Prescription'],
    author: 'Dr Paul Girard',
    lines: ['10 séances de rééducation lombaire.'],
  },
  {
    title: 'Certificat de non contre-indication au sport',
    daysAgo: 18,
    type: loinc('89601-9', 'Certificat médical'),
    classCode: ['52', 'Certificat, déclaration'],
    author: 'Dr Paul Girard',
    lines: ['Absence de contre-indication à la pratique de la course à pied.'],
  },
  {
    title: 'Historique des vaccinations',
    daysAgo: 14,
    type: loinc('11369-6', 'Historique des vaccinations'),
    classCode: ['11', 'Synthèse'],
    author: 'Pharmacie du Centre',
    lines: ['DTP : rappel à jour.', 'Grippe saisonnière : vaccin administré.'],
  },
  {
    title: 'Synthèse médicale',
    daysAgo: 10,
    type: loinc('60591-5', 'Synthèse médicale'),
    classCode: ['11', 'Synthèse'],
    author: 'Dr Paul Girard',
    lines: ['Antécédents : appendicectomie.', 'Allergies : aucune connue.', 'Traitement au long cours : aucun.'],
  },
  {
    title: 'Compte rendu de passage aux urgences',
    daysAgo: 7,
    type: loinc('15507-7', 'CR de passage aux urgences'),
    classCode: ['10', 'Compte rendu'],
    author: 'Hôpital Lumière, urgences',
    lines: ['Entorse bénigne de la cheville droite.', 'Glace, repos, contention 10 jours.'],
  },
  {
    title: 'Attestation de prise en charge',
    daysAgo: 3,
    type: loinc('51851-4', 'Document administratif'),
    classCode: ['95', 'Document de gestion'],
    author: 'Hôpital Lumière, admissions',
    lines: ['Prise en charge à 100 % du séjour.'],
  },
];

const LOUIS_DOCUMENTS: DocumentSeed[] = [
  {
    title: 'Compte rendu de consultation pédiatrique',
    daysAgo: 50,
    type: loinc('11488-4', 'CR de consultation'),
    classCode: ['10', 'Compte rendu'],
    author: 'Dr Anne Roux',
    lines: ['Croissance harmonieuse.', 'Asthme d’effort bien contrôlé.'],
  },
  {
    title: 'Historique des vaccinations',
    daysAgo: 35,
    type: loinc('11369-6', 'Historique des vaccinations'),
    classCode: ['11', 'Synthèse'],
    author: 'Dr Anne Roux',
    lines: ['HPV : 2 doses.', 'Méningocoque ACWY : à jour.'],
  },
  {
    title: 'Certificat d’aptitude au sport',
    daysAgo: 12,
    type: loinc('89601-9', 'Certificat médical'),
    classCode: ['52', 'Certificat, déclaration'],
    author: 'Dr Anne Roux',
    lines: ['Apte à la pratique du football en compétition.'],
  },
];

const NADIA_DOCUMENTS: DocumentSeed[] = [
  {
    title: 'Compte rendu de consultation de diabétologie',
    daysAgo: 20,
    type: loinc('11488-4', 'CR de consultation'),
    classCode: ['10', 'Compte rendu'],
    author: 'Dr Karim Benali',
    lines: ['Diabète de type 1 sous pompe.', 'Capteur de glucose en continu : temps dans la cible 68 %.'],
  },
];

function containedPatient(persona: Persona) {
  return {
    resourceType: 'Patient',
    id: 'patient',
    identifier: [
      { system: IDPE_SYSTEM, value: persona.idPe },
      { use: 'official', system: INS_NIR_TEST_SYSTEM, value: persona.ins },
    ],
    name: [{ use: 'official', family: persona.family.toUpperCase(), given: [persona.given] }],
    gender: persona.gender,
    birthDate: persona.birthDate,
  };
}

/**
 * A stored document and its bytes. `index` names the seeded ones (`camille-doc-01`, a fixed
 * masterIdentifier); generated ones pass their own `id` and get a urn:uuid.
 */
async function documentRecord(
  persona: Persona,
  spec: DocumentSeed,
  index: number,
  now: number,
  generated?: { id: string },
) {
  const number = String(index + 1).padStart(2, '0');
  const id = generated?.id ?? `${persona.key}-doc-${number}`;
  const date = new Date(now - spec.daysAgo * DAY).toISOString();
  const data = spec.image
    ? RADIO_THORAX_JPEG
    : pdfDocument(spec.title, [
        `Patient : ${persona.given} ${persona.family}`,
        `Date : ${date.slice(0, 10)}`,
        `Auteur : ${spec.author}`,
        '',
        ...spec.lines,
        '',
        'Document fictif du bac à sable Mon espace santé.',
      ]);
  const contentType = spec.image ? 'image/jpeg' : 'application/pdf';
  const binary: StoredBinary = {
    id: generated ? `${id}-bin` : `${persona.key}-bin-${number}`,
    persona: persona.key,
    contentType,
    data,
  };
  const resource = {
    resourceType: 'DocumentReference',
    id,
    meta: { profile: [`${PDSM_PROFILE}/pdsm-comprehensive-document-reference`], versionId: '1', lastUpdated: date },
    contained: [
      containedPatient(persona),
      { resourceType: 'Practitioner', id: 'author', name: [{ text: spec.author }] },
    ],
    masterIdentifier: {
      system: RFC3986_SYSTEM,
      value: generated
        ? `urn:uuid:${crypto.randomUUID()}`
        : `urn:oid:${SEED_ROOT}.${PERSONAS.indexOf(persona) + 1}.${index + 1}`,
    },
    identifier: [{ use: 'official', system: RFC3986_SYSTEM, value: `urn:uuid:${crypto.randomUUID()}` }],
    status: 'current',
    type: { coding: [{ system: spec.type[0], code: spec.type[1], display: spec.type[2] }] },
    category: [{ coding: [{ system: CLASS_CODE_SYSTEM, code: spec.classCode[0], display: spec.classCode[1] }] }],
    subject: { reference: '#patient' },
    date,
    author: [{ reference: '#author', display: spec.author }],
    securityLabel: [{ coding: [{ system: CONFIDENTIALITY_SYSTEM, code: 'N', display: 'normal' }] }],
    content: [
      {
        attachment: {
          contentType,
          language: 'fr-FR',
          url: `Binary/${binary.id}`,
          size: data.length,
          hash: await sha1Base64(data),
          title: spec.title,
          creation: date,
        },
        format: {
          system: FORMAT_CODE_SYSTEM,
          code: 'urn:ihe:iti:xds:2017:mimeTypeSufficient',
          display: 'mimeType Sufficient',
        },
      },
    ],
    context: {
      period: { start: date },
      facilityType: { coding: [{ system: FACILITY_SYSTEM, code: 'SA01', display: 'Etablissement public de santé' }] },
      practiceSetting: {
        coding: [{ system: SETTING_SYSTEM, code: 'ETABLISSEMENT', display: 'Etablissement de santé' }],
      },
      sourcePatientInfo: { reference: '#patient' },
    },
  };
  return { binary, resource };
}

function appointmentsOf(persona: Persona, now: number): FhirResource[] {
  const specs: [
    days: number,
    hour: number,
    description: string,
    practitioner: string,
    specialty: string,
    place: string,
    status: string,
  ][] = [
    [
      -40,
      9,
      'Consultation de cardiologie',
      'Dr Sophie Leclerc',
      'Cardiologie',
      'Hôpital Lumière — Consultations externes',
      'fulfilled',
    ],
    [
      -5,
      14,
      'Séance de kinésithérapie',
      'M. Julien Morel',
      'Masso-kinésithérapie',
      'Cabinet de kinésithérapie des Tilleuls',
      'fulfilled',
    ],
    [6, 10, 'Consultation de suivi', 'Dr Paul Girard', 'Médecine générale', 'Cabinet médical du Centre', 'booked'],
    [
      20,
      8,
      'Prise de sang (bilan annuel)',
      'Laboratoire des Tilleuls',
      'Biologie médicale',
      'Laboratoire des Tilleuls',
      'booked',
    ],
    [
      45,
      16,
      'Contrôle cardiologique',
      'Dr Sophie Leclerc',
      'Cardiologie',
      'Hôpital Lumière — Consultations externes',
      'booked',
    ],
  ];
  return specs.map(([days, hour, description, practitioner, specialty, place, status], i) => {
    const start = new Date(now + days * DAY);
    start.setUTCHours(hour, 0, 0, 0);
    return {
      resourceType: 'Appointment',
      id: `${persona.key}-rdv-${i + 1}`,
      meta: { profile: ['https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-appointment'] },
      contained: [
        { resourceType: 'Practitioner', id: 'ps', name: [{ text: practitioner }] },
        { resourceType: 'Location', id: 'lieu', name: place },
      ],
      identifier: [{ system: `urn:oid:${SEED_ROOT}.4`, value: `RDV-${persona.key}-${i + 1}` }],
      status,
      specialty: [{ text: specialty }],
      description,
      start: start.toISOString(),
      end: new Date(start.getTime() + 30 * 60 * 1000).toISOString(),
      minutesDuration: 30,
      participant: [
        {
          actor: {
            identifier: { system: IDPE_SYSTEM, value: persona.idPe },
            display: `${persona.given} ${persona.family}`,
          },
          status: 'accepted',
        },
        { actor: { reference: '#ps', display: practitioner }, status: 'accepted' },
        { actor: { reference: '#lieu', display: place }, status: 'accepted' },
      ],
    };
  });
}

/** Camille's connected scale and blood-pressure monitor, from the demo's vendor of both. */
const CAMILLE_DEVICES = {
  scale: {
    serial: 'C4-2A-9B-00-01-5E-7A-10',
    system: EUI64_SYSTEM,
    kind: 'weight-scale',
    manufacturer: 'Pesée+',
    model: 'PB-300',
    name: 'Ma balance',
  },
  monitor: {
    serial: 'C4-2A-9B-00-02-3D-11-C8',
    system: EUI64_SYSTEM,
    kind: 'blood-pressure-monitor',
    manufacturer: 'Pesée+',
    model: 'PT-120',
    name: 'Mon tensiomètre',
  },
} as const satisfies Record<string, CheckedReading['device']>;

/** The weeks of readings the demo's scale vendor holds itself (demo/measures-data.ts). */
const DEMO_WEEKS = 6;

/**
 * Three months of Camille's weights and blood pressures, filed as the demo's scale vendor (a
 * registered service) files them: each Observation, and its PhdDevice, as the vendor's bundles carry them.
 * They end before the six weeks the demo's vendor page holds and sends, so that the two never
 * make two weighings of one morning.
 */
function camilleMeasures(persona: Persona, now: number): FhirResource[] {
  const vendor = defaultConfig().services.find((service) => service.clientId === 'mes-kit-balance')!;
  const next = random(2);
  const weights: CheckedReading[] = [];
  const pressures: CheckedReading[] = [];
  for (let i = 1; i <= 30; i++) {
    const at = new Date(now - (DEMO_WEEKS * 7 + 93 - i * 3) * DAY);
    at.setUTCHours(6, 30, 0, 0);
    const weight = Math.round((72.48 - i * 0.08 + (next() - 0.5) * 0.6) * 10) / 10;
    const systolic = Math.round(118 + (next() - 0.5) * 14);
    const diastolic = Math.round(76 + (next() - 0.5) * 10);
    const common = { at: at.toISOString(), reason: 'Suivi du poids et de la tension' };
    weights.push({ ...common, id: `poids-${i}`, kind: 'weight', value: weight, device: CAMILLE_DEVICES.scale });
    pressures.push({
      ...common,
      id: `tension-${i}`,
      kind: 'blood-pressure',
      systolic,
      diastolic,
      device: CAMILLE_DEVICES.monitor,
    });
  }
  const deviceOf = (reading: CheckedReading, id: string): FhirResource => {
    const [entry] = measureBundle(reading, vendor, persona.idPe)['entry'] as { resource: FhirResource }[];
    return { ...entry.resource, id };
  };
  const filed = (readings: CheckedReading[], deviceId: string) =>
    readings.map(
      (reading) =>
        observationResource(reading, {
          service: vendor,
          idPe: persona.idPe,
          id: `${persona.key}-${reading.id}`,
          deviceId,
        }) as FhirResource,
    );
  const scale = `${persona.key}-balance`;
  const monitor = `${persona.key}-tensiometre`;
  return [
    deviceOf(weights[0], scale),
    deviceOf(pressures[0], monitor),
    ...filed(weights, scale),
    ...filed(pressures, monitor),
  ];
}

function stored(persona: Persona, resource: FhirResource, lastUpdated: string): StoredResource {
  return { type: resource.resourceType, id: resource.id!, persona: persona.key, versionId: 1, lastUpdated, resource };
}

/** Fills an empty store with the personas' records. */
export async function seed(store: SandboxStore, now = Date.now()): Promise<void> {
  const at = new Date(now).toISOString();
  const records: [Persona, DocumentSeed[]][] = [
    [personaByKey('camille')!, CAMILLE_DOCUMENTS],
    [personaByKey('nadia')!, NADIA_DOCUMENTS],
    [personaByKey('louis')!, LOUIS_DOCUMENTS],
  ];
  const documents = await Promise.all(
    records.flatMap(([persona, specs]) =>
      specs.map((spec, i) => documentRecord(persona, spec, i, now).then((d) => ({ persona, ...d }))),
    ),
  );
  const camille = personaByKey('camille')!;
  store.transaction(() => {
    for (const { persona, binary, resource } of documents) {
      store.putBinary(binary);
      store.put(stored(persona, resource, resource.date));
    }
    for (const resource of appointmentsOf(camille, now)) store.put(stored(camille, resource, at));
    for (const resource of camilleMeasures(camille, now)) store.put(stored(camille, resource, at));
    store.setSetting('seededAt', at);
  });
}

/** What generated documents are made of: each one a plausible record, cycling through these. */
const GENERATED_KINDS: Omit<DocumentSeed, 'daysAgo' | 'lines'>[] = [
  ...CAMILLE_DOCUMENTS.filter((spec) => !spec.image),
  ...NADIA_DOCUMENTS,
  ...LOUIS_DOCUMENTS,
].map(({ title, type, classCode, author }) => ({ title, type, classCode, author }));

/**
 * `count` more documents for a persona, spread over ten years, for lists that must stay fast at
 * 10,000 and for tests that need a given title (markup included: MES stores text as sent).
 * Resolves with their ids, newest first.
 */
export async function generateDocuments(
  store: SandboxStore,
  personaKey: string,
  count: number,
  options: { title?: string; now?: number } = {},
): Promise<string[]> {
  const persona = personaByKey(personaKey);
  if (!persona) throw new Error(`Unknown persona ${personaKey}.`);
  const now = options.now ?? Date.now();
  const next = random(count * 7919 + persona.key.length);
  const batch = crypto.randomUUID().slice(0, 8);
  const records = await Promise.all(
    Array.from({ length: count }, (_, i) => {
      const kind = GENERATED_KINDS[i % GENERATED_KINDS.length];
      const spec: DocumentSeed = {
        ...kind,
        title: options.title ?? `${kind.title} n° ${i + 1}`,
        daysAgo: Math.floor(next() * 3650),
        lines: ['Document généré pour les essais du bac à sable.'],
      };
      return documentRecord(persona, spec, i, now, { id: `${persona.key}-gen-${batch}-${i + 1}` });
    }),
  );
  store.transaction(() => {
    for (const { binary, resource } of records) {
      store.putBinary(binary);
      store.put(stored(persona, resource, String(resource.date)));
    }
  });
  return records
    .map(({ resource }) => ({ id: resource.id, date: Date.parse(String(resource.date)) }))
    .sort((a, b) => b.date - a.date)
    .map(({ id }) => id);
}
