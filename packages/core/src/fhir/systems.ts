/**
 * Identifier systems and code systems that Mon espace santé and the ANS guides use.
 * One place for every URI, so that client and sandbox can never disagree on a spelling.
 * @see https://interop.esante.gouv.fr/ig/fhir/pdsm
 */

/** AssignAuth under which MES identifies a patient to a referenced service (idPe). */
export const IDPE_SYSTEM = 'urn:oid:1.2.250.1.215.400';
/** Test INS-NIR (never the production INS in a sandbox). */
export const INS_NIR_TEST_SYSTEM = 'urn:oid:1.2.250.1.213.1.4.10';
export const RFC3986_SYSTEM = 'urn:ietf:rfc:3986';

export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';
export const CONFIDENTIALITY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
export const CLASS_CODE_SYSTEM = 'https://mos.esante.gouv.fr/NOS/TRE_A03-ClasseDocument/FHIR/TRE-A03-ClasseDocument';
export const PATIENT_DOC_TYPE_SYSTEM =
  'https://mos.esante.gouv.fr/NOS/TRE_A05-TypeDocComplementaire/FHIR/TRE-A05-TypeDocComplementaire';
export const PRODUCER_SYSTEM =
  'https://mos.esante.gouv.fr/NOS/TRE_A00-ProducteurDocNonPS/FHIR/TRE-A00-ProducteurDocNonPS';
export const VISIBILITY_SYSTEM =
  'https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument';
export const FORMAT_CODE_SYSTEM = 'http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode';
export const MHD_LIST_TYPES = 'https://profiles.ihe.net/ITI/MHD/CodeSystem/MHDlistTypes';
export const IS_ARCHIVED_EXTENSION =
  'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-ext-is-archived';
export const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
export const TAASIP_SYSTEM = 'https://mos.esante.gouv.fr/NOS/TRE_R308-TAASIP/FHIR/TRE-R308-TAASIP';

/** The agenda (mes-interop §4): fr-core Appointment, who recorded it, and the actors' registries. */
export const FR_CORE_APPOINTMENT = 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-appointment';
export const RPPS_SYSTEM = 'urn:oid:1.2.250.1.71.4.2.1';
export const FINESS_SYSTEM = 'urn:oid:1.2.250.1.71.4.2.2';
export const SPECIALITY_SYSTEM =
  'https://mos.esante.gouv.fr/NOS/TRE_R38-SpecialiteOrdinale/FHIR/TRE-R38-SpecialiteOrdinale';
export const FR_CORE_APPOINTMENT_OPERATOR =
  'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-appointment-operator';

export const PDSM_PROFILE = 'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition';
export const MESURES_PROFILE = 'https://interop.esante.gouv.fr/ig/fhir/mesures/StructureDefinition';

/** Media types MES accepts for a document, with their extensions (MES app, mes-interop §2.5). */
export const DOCUMENT_MEDIA_TYPES = {
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'text/rtf': 'rtf',
  'image/jpeg': 'jpg',
  'image/tiff': 'tiff',
} as const;
export type DocumentMediaType = keyof typeof DOCUMENT_MEDIA_TYPES;

/** MES refuses a document above 5 Mo (5,000,000 bytes). */
export const MAX_DOCUMENT_BYTES = 5_000_000;

/** Formats `system|value` as FHIR token search parameters expect. */
export function tokenOf(identifier: { system?: string; value?: string }): string {
  return `${identifier.system ?? ''}|${identifier.value ?? ''}`;
}

/** ITI-67 Find Document References: the search parameters MES takes (and nothing like `_include`). */
export const ITI67_SEARCH_PARAMETERS: readonly string[] = [
  'patient',
  'patient.identifier',
  'status',
  'identifier',
  'type',
  'category',
  'date',
  'period',
  '_sort',
  '_count',
  '_offset',
];
