import {
  DEFAULT_FINALITIES,
  MAX_DOCUMENT_BYTES,
  MEASURE_TYPES,
  type DataExchange,
  type FinalityDescription,
  type MeasureType,
} from '@mes-kit/core';

/** One finalité as MES describes it on its consent page (MES's FinalityModel, without the consent). */
export type FinalityDefinition = FinalityDescription;

/** A referenced service ("SNR") registered in the sandbox, and its OAuth client. */
export interface ServiceDefinition {
  clientId: string;
  name: string;
  editor: string;
  /** The service's OID, carried as `oid` in its ID tokens. */
  oid: string;
  cguUrl: string;
  /** A confidential client authenticates with this secret; a public one has none. */
  clientSecret?: string;
  redirectUris: string[];
  /** The finalités the service registered; a pairing can grant only these. */
  finalities: string[];
}

export interface SandboxConfig {
  /** 8787 by default; 0 picks a free port. */
  port: number;
  /** Interface to listen on (default: 127.0.0.1). */
  host: string;
  /** Where the SQLite database lives (default: `.mes-sandbox`); `:memory:` keeps nothing. */
  dataDir: string;
  /** Header that carries the ID token on every FHIR call (default: `X-Id-Token`). */
  idTokenHeader: string;
  maxDocumentBytes: number;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  services: ServiceDefinition[];
  finalities: FinalityDefinition[];
}

const MEASURE_LABELS: Record<MeasureType, [string, string]> = {
  POIDS: ['mon poids', 'WEIGHT'],
  TAILLE: ['ma taille', 'HEIGHT'],
  FREQUENCE_CARDIAQUE: ['ma fréquence cardiaque', 'HEART_RATE'],
  TENSION: ['ma tension artérielle', 'BLOOD_PRESSURE'],
  TEMPERATURE: ['ma température', 'BODY_TEMPERATURE'],
  TOUR_DE_TAILLE: ['mon tour de taille', 'WAIST_CIRCUMFERENCE'],
  GLYCEMIE: ['ma glycémie', 'GLUCOSE'],
  PAS: ['mon nombre de pas', 'STEPS_BY_DAY'],
  DOULEUR: ['mon niveau de douleur', 'PAIN_SEVERITY'],
  PERIMETRE_CRANIEN: ['mon périmètre crânien', 'HEAD_CIRCUMFERENCE'],
};

function finality(
  codeFinalite: string,
  libelle: string,
  description: string,
  perimetre: string,
  action: DataExchange['action'],
  categories: [code: string, titre: string][],
): FinalityDefinition {
  return {
    codeFinalite,
    libelle,
    description,
    echangesDeDonnees: [
      { perimetre, action, categories: categories.map(([code, titre]) => ({ code, titre, donnees: [] })) },
    ],
  };
}

const DEFAULT_FINALITY_DEFINITIONS: FinalityDefinition[] = [
  finality(
    'DOC_ECRITURE',
    'Ajouter des documents de santé',
    'Le service pourra ajouter vos comptes rendus et résultats dans Mon espace santé.',
    'Documents',
    'Ecriture',
    [
      ['CPT_REND', 'Comptes rendus'],
      ['BIOLOGIE', 'Résultats de biologie'],
    ],
  ),
  finality(
    'DOC_LECTURE',
    'Consulter mes documents de santé',
    'Le service pourra importer vos documents pour préparer votre prise en charge.',
    'Documents',
    'Lecture',
    [['DOCUMENTS', 'Tous vos documents de santé']],
  ),
  finality(
    'AGENDA_ECRITURE',
    'Ajouter mes rendez-vous',
    'Le service pourra ajouter vos rendez-vous dans votre agenda Mon espace santé.',
    'Agenda',
    'Ecriture',
    [['RDV', 'Rendez-vous']],
  ),
  finality(
    'AGENDA_LECTURE',
    'Consulter mes rendez-vous',
    'Le service pourra lire les rendez-vous de votre agenda Mon espace santé.',
    'Agenda',
    'Lecture',
    [['RDV', 'Rendez-vous']],
  ),
  ...MEASURE_TYPES.flatMap((type): FinalityDefinition[] => {
    const [label, category] = MEASURE_LABELS[type];
    const categories: [string, string][] = [[category, label.replace(/^(mon|ma) /, '')]];
    const yours = label.replace(/^(mon|ma) /, 'votre ');
    return [
      finality(
        `MESURE_${type}_ECRITURE`,
        `Ajouter ${label}`,
        `Le service pourra enregistrer ${yours} dans Mon espace santé.`,
        'Mesures',
        'Ecriture',
        categories,
      ),
      finality(
        `MESURE_${type}_LECTURE`,
        `Consulter ${label}`,
        `Le service pourra lire ${yours} tel(le) qu'enregistré(e) dans Mon espace santé.`,
        'Mesures',
        'Lecture',
        categories,
      ),
    ];
  }),
];

export function defaultConfig(): SandboxConfig {
  return {
    port: 8787,
    host: '127.0.0.1',
    dataDir: '.mes-sandbox',
    idTokenHeader: 'X-Id-Token',
    maxDocumentBytes: MAX_DOCUMENT_BYTES,
    accessTokenTtlSeconds: 3600,
    refreshTokenTtlSeconds: 30 * 24 * 3600,
    services: [
      {
        clientId: 'mes-kit-demo',
        name: 'Hôpital Lumière — portail patient',
        editor: 'mes-kit',
        oid: '1.2.250.1.999.42.1',
        cguUrl: 'http://localhost:5173/cgu.html',
        clientSecret: 'mes-kit-demo-secret',
        redirectUris: ['http://localhost:5173/mes/pair/callback'],
        finalities: [...DEFAULT_FINALITIES],
      },
      {
        clientId: 'mes-kit-public',
        name: 'mes-kit (mode direct)',
        editor: 'mes-kit',
        oid: '1.2.250.1.999.42.2',
        cguUrl: 'http://localhost:5173/cgu.html',
        redirectUris: ['http://localhost:5173/mes-callback.html'],
        finalities: [...DEFAULT_FINALITIES],
      },
    ],
    finalities: DEFAULT_FINALITY_DEFINITIONS,
  };
}

/** Merges a partial configuration (from a JSON file or a test) over the defaults. */
export function resolveConfig(overrides: Partial<SandboxConfig> = {}): SandboxConfig {
  const config = { ...defaultConfig(), ...overrides };
  const known = new Set(config.finalities.map((f) => f.codeFinalite));
  for (const service of config.services) {
    const unknown = service.finalities.filter((code) => !known.has(code));
    if (unknown.length > 0) {
      throw new Error(`Service ${service.clientId} declares unknown finalités: ${unknown.join(', ')}`);
    }
  }
  return config;
}

export function serviceByClientId(config: SandboxConfig, clientId: string): ServiceDefinition | undefined {
  return config.services.find((s) => s.clientId === clientId);
}
