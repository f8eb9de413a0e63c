/**
 * The document types a referenced service may send (JDV_J07-XdsTypeCode-CISIS, plus the TRE_A05
 * codes of documents the patient deposits) and the class (JDV_J57/TRE_A03) each files under.
 * @see https://mos.esante.gouv.fr/NOS/JDV_J07-XdsTypeCode-CISIS/
 */
import { LOINC, PATIENT_DOC_TYPE_SYSTEM } from '../fhir/systems.js';

export interface DocumentTypeDefinition {
  system: string;
  display: string;
  /** TRE_A03 class code: 10 compte rendu, 11 synthèse, 31 imagerie, 42 prescription, 52 certificat, 90 patient, 95 gestion. */
  classCode: ClassCode;
}

const loinc = (display: string, classCode: ClassCode): DocumentTypeDefinition => ({
  system: LOINC,
  display,
  classCode,
});
const patient = (display: string): DocumentTypeDefinition => ({
  system: PATIENT_DOC_TYPE_SYSTEM,
  display,
  classCode: '90',
});

export const DOCUMENT_TYPES = {
  '11488-4': loinc('Compte rendu de consultation', '10'),
  '11490-0': loinc('Lettre de liaison de sortie', '10'),
  '11502-2': loinc('Compte rendu d’examens biologiques', '10'),
  '18748-4': loinc('Compte rendu d’imagerie médicale', '31'),
  '34112-3': loinc('Compte rendu hospitalier', '10'),
  '34133-9': loinc('Synthèse d’épisode de soins', '11'),
  '15507-7': loinc('Compte rendu de passage aux urgences', '10'),
  '57833-6': loinc('Prescription de produits de santé', '42'),
  '57832-8': loinc('Prescription de soins', '42'),
  '60591-5': loinc('Synthèse médicale', '11'),
  '89601-9': loinc('Certificat médical', '52'),
  '56446-8': loinc('Notification de rendez-vous', '95'),
  '11369-6': loinc('Historique des vaccinations', '11'),
  '74465-6': loinc('Questionnaire patient', '90'),
  '29274-8': loinc('Mesures de signes vitaux', '10'),
  '51851-4': loinc('Document administratif', '95'),
  DOCPAT01: patient('Synthèse'),
  DOCPAT02: patient('Traitement, document de soins'),
  DOCPAT03: patient('Compte rendu'),
  DOCPAT04: patient('Imagerie'),
  DOCPAT05: patient('Compte rendu de biologie'),
  DOCPAT06: patient('Compte rendu de prévention'),
  DOCPAT07: patient('Certificat'),
  DOCPAT08: patient('Profil médical Mon espace santé'),
  DOCPAT09: patient('Document administratif'),
  EXPPAT_1: patient('Volontés et droits'),
  EXPPAT_2: patient('Autre document du patient'),
  EXPPAT_3: patient('Directives anticipées'),
} as const satisfies Record<string, DocumentTypeDefinition>;

export type DocumentTypeCode = keyof typeof DOCUMENT_TYPES;
export const DOCUMENT_TYPE_CODES = Object.keys(DOCUMENT_TYPES) as [DocumentTypeCode, ...DocumentTypeCode[]];

/** The types a patient files their own documents under (TRE_A05): the only ones a patient upload may use. */
export const PATIENT_DOCUMENT_TYPE_CODES = DOCUMENT_TYPE_CODES.filter(
  (code) => DOCUMENT_TYPES[code].system === PATIENT_DOC_TYPE_SYSTEM,
);

export const CLASS_DISPLAYS = {
  '10': 'Compte rendu',
  '11': 'Synthèse',
  '31': 'Imagerie médicale',
  '42': 'Prescription',
  '52': 'Certificat, déclaration',
  '90': 'Autres documents déposés par le patient',
  '95': 'Document de gestion',
} as const;
export type ClassCode = keyof typeof CLASS_DISPLAYS;
export const CLASS_CODES = Object.keys(CLASS_DISPLAYS) as [ClassCode, ...ClassCode[]];

/** Confidentiality as MES offers it: normal, hidden from professionals, from legal guardians, from the patient. */
export const CONFIDENTIALITIES = ['N', 'MASQUE_PS', 'INVISIBLE_REPRESENTANTS_LEGAUX', 'INVISIBLE_PATIENT'] as const;
export type Confidentiality = (typeof CONFIDENTIALITIES)[number];
