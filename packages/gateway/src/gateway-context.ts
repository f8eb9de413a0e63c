/** What the gateway's parts share: the host's options, the store, MES, and the audit trail. */
import type {
  AgendaAppointment,
  DocumentToSend,
  DocumentTypeCode,
  FoundDocument,
  MeasureSeries,
  MeasuresQuery,
  MesSession,
  RetryPolicy,
} from '@mes-kit/core';
import type { MesConnection, MesEndpoints } from './mes-connection.js';
import type { SessionStore } from './session-store.js';

/** The portal's own user, as the host's back end knows them from its session. */
export interface PortalUser {
  /** The host's stable id for the user: the pairing and its tokens are theirs. */
  id: string;
  /** Shown on MES's consent page (« Compte Hôpital Lumière : Camille Martin »), so the patient sees which account is being linked. */
  displayName?: string;
}

/** The patient in MES a pairing is with, as MES names them to the service. */
export interface MesPatient {
  idPe: string;
}

export interface AuditEntry {
  at: string;
  /** A hash of the portal user's id, never the id itself. */
  user: string;
  idPe?: string;
  action: string;
  status: number;
}

export interface GatewayOptions {
  /** Mon espace santé (or the sandbox): OpenID issuer and FHIR base. */
  mes: MesEndpoints;
  /** The service's OAuth client, registered with MES. */
  client: { clientId: string; clientSecret: string };
  /** The service as MES knows it; `oid` must match the ID token's. */
  service: MesSession['service'];
  /** The portal's origin, e.g. `https://portail.example.fr`: pairing results are posted to it only, and calls must come from it. */
  origin: string;
  /** Where the gateway is mounted (default: `/mes`). */
  basePath?: string;
  /** Who the portal's user behind this request is (from the portal's own session); `undefined` when nobody is logged in. */
  identify(request: Request): PortalUser | undefined | Promise<PortalUser | undefined>;
  /** The establishment's documents, both ways. */
  documents?: {
    /** What the page names by ref, resolved for this user (`undefined`: not theirs, nothing is sent). */
    resolve?(
      request: Request,
      ref: string,
      user: PortalUser,
    ): DocumentToSend | undefined | Promise<DocumentToSend | undefined>;
    /**
     * A document the patient imported from MES, its size and SHA-1 checked: the host keeps it
     * (attaches it to the consultation, the order…). What it returns (JSON) is the page's answer.
     * `patient` is whose MES it came from: a host that knows its user's MES identity checks it.
     */
    receive?(request: Request, file: File, document: FoundDocument, user: PortalUser, patient: MesPatient): unknown;
    /** Let the page have the bytes of an import too (`deliver="page"`): fetched once, within a minute. */
    deliverToPage?: boolean;
  };
  /** The establishment's appointments, which the gateway keeps right in the patient's MES agenda. */
  agenda?: {
    /**
     * This user's appointments as the establishment holds them: the whole agenda the sync keeps (what
     * is to come and MES holds but this list lacks is cancelled there). Never from the page.
     */
    list(request: Request, user: PortalUser): AgendaAppointment[] | Promise<AgendaAppointment[]>;
  };
  /** The readings of the host's connected devices (a scale, a glucose sensor), which the gateway files in MES. */
  measures?: {
    /**
     * This user's readings, per device and measure: those of `query.kinds` between `query.from` and
     * `query.to` when the page chose (the gateway filters them again). Never from the page.
     */
    list(request: Request, query: MeasuresQuery, user: PortalUser): MeasureSeries[] | Promise<MeasureSeries[]>;
  };
  /** Accept the patient's own files (filed as theirs, patient types only): `true`, or the types allowed. */
  uploads?: boolean | { types: DocumentTypeCode[] };
  /** Where tokens and pairings under way are kept: memory (one instance, the default), or `@mes-kit/gateway/redis` for several. */
  sessions?: SessionStore;
  limits?: {
    /** Operations one portal user may have in flight at once, across instances (default 4); more get MES_RATE_LIMITED. */
    operationsPerUser?: number;
  };
  /** Receives one entry per exchange with MES: who, what, when, outcome — never content. */
  audit?: (entry: AuditEntry) => void;
  /** How long a pairing's tokens are kept without use, in seconds (default: 30 days, MES's refresh token lifetime). */
  tokenTtlSeconds?: number;
  /** Retries of MES's 429/503 and per-attempt timeout, for the operations the gateway runs. */
  retry?: Partial<RetryPolicy>;
}

export interface GatewayContext {
  options: GatewayOptions;
  base: string;
  sessions: SessionStore;
  mes: MesConnection;
  record: (userId: string, action: string, status: number, idPe?: string) => Promise<void>;
}
