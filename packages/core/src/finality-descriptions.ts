/**
 * What each default finalité does, in the words MES shows the patient: for the sandbox's consent
 * page and for a portal that explains, before pairing, what it will ask. Its own module, so that a
 * page with only a button does not ship the texts.
 */
import { MEASURE_TYPES, type MeasureType } from './finalities.js';
import type { DataExchange, FinalityDescription } from './schemas/consent.js';

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
): FinalityDescription {
  return {
    codeFinalite,
    libelle,
    description,
    echangesDeDonnees: [
      { perimetre, action, categories: categories.map(([code, titre]) => ({ code, titre, donnees: [] })) },
    ],
  };
}

/** What each default finalité does, in the words MES shows the patient (and a portal explains before pairing). */
export const DEFAULT_FINALITY_DESCRIPTIONS: readonly FinalityDescription[] = [
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
  ...MEASURE_TYPES.flatMap((type): FinalityDescription[] => {
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

/** The descriptions of these finalités, in this order (unknown codes are left out). */
export function describeFinalities(
  codes: readonly string[],
  catalogue: readonly FinalityDescription[] = DEFAULT_FINALITY_DESCRIPTIONS,
) {
  return codes.flatMap((code) => catalogue.filter((f) => f.codeFinalite === code));
}
