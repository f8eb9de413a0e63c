/**
 * Finalités: what a patient consents to, per service, in Mon espace santé — one read or write
 * permission on one data category. MES's real codes are not public; these are the sandbox defaults
 * and every party takes them from here.
 */

export const MEASURE_TYPES = [
  'POIDS',
  'TAILLE',
  'FREQUENCE_CARDIAQUE',
  'TENSION',
  'TEMPERATURE',
  'TOUR_DE_TAILLE',
  'GLYCEMIE',
  'PAS',
  'DOULEUR',
  'PERIMETRE_CRANIEN',
] as const;
export type MeasureType = (typeof MEASURE_TYPES)[number];

export const DEFAULT_FINALITIES = [
  'DOC_ECRITURE',
  'DOC_LECTURE',
  'AGENDA_ECRITURE',
  'AGENDA_LECTURE',
  ...MEASURE_TYPES.flatMap((type) => [`MESURE_${type}_ECRITURE`, `MESURE_${type}_LECTURE`] as const),
] as const;
export type Finality = (typeof DEFAULT_FINALITIES)[number];

export type Direction = 'LECTURE' | 'ECRITURE';

export function measureFinality(type: MeasureType, direction: Direction): Finality {
  return `MESURE_${type}_${direction}`;
}

/** What « Envoyer vers Mon espace santé » needs the patient to grant. */
export const SEND_DOCUMENT_FINALITY: Finality = 'DOC_ECRITURE';
/** What importing (and looking up a document before resending) needs. */
export const READ_DOCUMENTS_FINALITY: Finality = 'DOC_LECTURE';
/** What « Mettre à jour mon agenda Mon espace santé » needs: MES lets a writer read back what it wrote. */
export const WRITE_AGENDA_FINALITY: Finality = 'AGENDA_ECRITURE';
/** Reading the patient's whole agenda, whoever filed each appointment. */
export const READ_AGENDA_FINALITY: Finality = 'AGENDA_LECTURE';

/**
 * The pairing request parameter carrying the patient's name as the portal knows them (pushed to
 * MES, which shows it on its consent page), and its length in characters.
 */
export const PARTNER_USER_NAME = 'partner_user_name';
export const PARTNER_USER_NAME_MAX_LENGTH = 100;

/** The name as MES takes it: trimmed, at most the maximum length in characters (not UTF-16 units). */
export function partnerUserName(name: string): string {
  return [...name.trim()].slice(0, PARTNER_USER_NAME_MAX_LENGTH).join('');
}
