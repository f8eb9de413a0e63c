/**
 * How Mon espace santé groups documents for the patient (its « Documents » tab): a category per
 * document, from its type, or else its class. Codes only; the elements hold the labels.
 * The patient types match one to one; the LOINC types are placed where MES's own lists put them.
 */
import type { ClassCode, DocumentTypeCode } from './codes.js';

export const MES_CATEGORIES = [
  'SYNTHESE',
  'ORD_SOIN',
  'RADIO_SC',
  'BIOLOGIE',
  'CPT_REND',
  'DEPISTAG',
  'CERT_MED',
  'SYNTH_PML',
  'DOC_ADM',
  'DIR_ANT',
  'VDP',
  'AUTR_DOC',
] as const;
export type MesCategory = (typeof MES_CATEGORIES)[number];

const BY_TYPE: Record<DocumentTypeCode, MesCategory> = {
  '11488-4': 'CPT_REND',
  '11490-0': 'CPT_REND',
  '11502-2': 'BIOLOGIE',
  '18748-4': 'RADIO_SC',
  '34112-3': 'CPT_REND',
  '34133-9': 'SYNTHESE',
  '15507-7': 'CPT_REND',
  '57833-6': 'ORD_SOIN',
  '57832-8': 'ORD_SOIN',
  '60591-5': 'SYNTHESE',
  '89601-9': 'CERT_MED',
  '56446-8': 'DOC_ADM',
  '11369-6': 'SYNTHESE',
  '74465-6': 'AUTR_DOC',
  '29274-8': 'CPT_REND',
  '51851-4': 'DOC_ADM',
  DOCPAT01: 'SYNTHESE',
  DOCPAT02: 'ORD_SOIN',
  DOCPAT03: 'CPT_REND',
  DOCPAT04: 'RADIO_SC',
  DOCPAT05: 'BIOLOGIE',
  DOCPAT06: 'DEPISTAG',
  DOCPAT07: 'CERT_MED',
  DOCPAT08: 'SYNTH_PML',
  DOCPAT09: 'DOC_ADM',
  EXPPAT_1: 'VDP',
  EXPPAT_2: 'AUTR_DOC',
  EXPPAT_3: 'DIR_ANT',
};

const BY_CLASS: Record<ClassCode, MesCategory> = {
  '10': 'CPT_REND',
  '11': 'SYNTHESE',
  '31': 'RADIO_SC',
  '42': 'ORD_SOIN',
  '52': 'CERT_MED',
  '90': 'AUTR_DOC',
  '95': 'DOC_ADM',
};

/** The category MES shows a document under: by its type, else its class, else « Autres documents ». */
export function mesCategoryOf(type: string | undefined, classCode?: string): MesCategory {
  if (type !== undefined && Object.hasOwn(BY_TYPE, type)) return BY_TYPE[type as DocumentTypeCode];
  if (classCode !== undefined && Object.hasOwn(BY_CLASS, classCode)) return BY_CLASS[classCode as ClassCode];
  return 'AUTR_DOC';
}

/** The document types filed under a category: what an ITI-67 search by category asks for. */
export function typesOfCategory(category: MesCategory): DocumentTypeCode[] {
  return (Object.keys(BY_TYPE) as DocumentTypeCode[]).filter((type) => BY_TYPE[type] === category);
}
