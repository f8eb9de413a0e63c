import {
  DEFAULT_FINALITIES,
  DEFAULT_FINALITY_DESCRIPTIONS,
  MAX_DOCUMENT_BYTES,
  measureFinality,
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

/** Writing and reading each of these measures. */
const measureFinalities = (...types: MeasureType[]) =>
  types.flatMap((type) => [measureFinality(type, 'ECRITURE'), measureFinality(type, 'LECTURE')]);

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
        redirectUris: ['http://localhost:5173/mes-callback.html', 'http://localhost:5173/direct.html'],
        finalities: [...DEFAULT_FINALITIES],
      },
      // The demo portal's second brand: to MES, each brand is a service of its own (OID, secret, consent).
      {
        clientId: 'mes-kit-tilleuls',
        name: 'Clinique des Tilleuls — portail patient',
        editor: 'mes-kit',
        oid: '1.2.250.1.999.42.3',
        cguUrl: 'http://localhost:5173/cgu.html',
        clientSecret: 'mes-kit-tilleuls-secret',
        redirectUris: ['http://localhost:5173/tilleuls/mes/pair/callback'],
        finalities: [...DEFAULT_FINALITIES],
      },
      // Two vendors that only read documents (a teleconsultation, a pharmacy delivering at home):
      // they register DOC_LECTURE alone, and MES asks the patient for nothing else.
      {
        clientId: 'mes-kit-teleconsultation',
        name: 'Consultanet — téléconsultation',
        editor: 'mes-kit',
        oid: '1.2.250.1.999.42.4',
        cguUrl: 'http://localhost:5173/cgu.html',
        clientSecret: 'mes-kit-teleconsultation-secret',
        redirectUris: ['http://localhost:5173/teleconsultation/mes/pair/callback'],
        finalities: ['DOC_LECTURE'],
      },
      {
        clientId: 'mes-kit-pharmacie',
        name: 'Pharmadom — vos médicaments à domicile',
        editor: 'mes-kit',
        oid: '1.2.250.1.999.42.5',
        cguUrl: 'http://localhost:5173/cgu.html',
        clientSecret: 'mes-kit-pharmacie-secret',
        redirectUris: ['http://localhost:5173/pharmacie/mes/pair/callback'],
        finalities: ['DOC_LECTURE', 'AGENDA_ECRITURE'],
      },
      // The demo's measure vendors, each registering the measures its devices take, to send and to read.
      {
        clientId: 'mes-kit-balance',
        name: 'Pesée+ — balance et tensiomètre connectés',
        editor: 'mes-kit',
        oid: '1.2.250.1.999.42.6',
        cguUrl: 'http://localhost:5173/cgu.html',
        clientSecret: 'mes-kit-balance-secret',
        redirectUris: ['http://localhost:5173/balance/mes/pair/callback'],
        finalities: ['DOC_ECRITURE', ...measureFinalities('POIDS', 'TENSION', 'FREQUENCE_CARDIAQUE', 'TEMPERATURE')],
      },
      {
        clientId: 'mes-kit-glycemie',
        name: 'GlycoSuivi — capteur de glucose',
        editor: 'mes-kit',
        oid: '1.2.250.1.999.42.7',
        cguUrl: 'http://localhost:5173/cgu.html',
        clientSecret: 'mes-kit-glycemie-secret',
        redirectUris: ['http://localhost:5173/glycemie/mes/pair/callback'],
        finalities: measureFinalities('GLYCEMIE'),
      },
    ],
    finalities: [...DEFAULT_FINALITY_DESCRIPTIONS],
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
