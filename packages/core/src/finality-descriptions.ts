/**
 * What each default finalité does, in the words MES shows the patient (French), and in English for a
 * portal that speaks it: for the sandbox's consent page and for a portal that explains, before
 * pairing, what it will ask. Its own module, so that a page with only a button does not ship the texts.
 */
import { MEASURE_TYPES, type MeasureType } from './finalities.js';
import type { DataExchange, FinalityDescription } from './schemas/consent.js';

/** A measure as a language names it: « mon poids », « votre poids », « poids ». */
interface MeasureWords {
  mine: string;
  yours: string;
  data: string;
}

/** Everything a language says about the default finalités. */
interface Words {
  documents: string;
  agenda: string;
  measures: string;
  reports: string;
  biology: string;
  allDocuments: string;
  appointments: string;
  /** `[libellé, description]` of each finalité that is not about a measure. */
  DOC_ECRITURE: [string, string];
  DOC_LECTURE: [string, string];
  AGENDA_ECRITURE: [string, string];
  AGENDA_LECTURE: [string, string];
  addMeasure: (measure: MeasureWords) => [string, string];
  readMeasure: (measure: MeasureWords) => [string, string];
  measureWords: Record<MeasureType, MeasureWords>;
}

const MEASURE_CATEGORIES: Record<MeasureType, string> = {
  POIDS: 'WEIGHT',
  TAILLE: 'HEIGHT',
  FREQUENCE_CARDIAQUE: 'HEART_RATE',
  TENSION: 'BLOOD_PRESSURE',
  TEMPERATURE: 'BODY_TEMPERATURE',
  TOUR_DE_TAILLE: 'WAIST_CIRCUMFERENCE',
  GLYCEMIE: 'GLUCOSE',
  PAS: 'STEPS_BY_DAY',
  DOULEUR: 'PAIN_SEVERITY',
  PERIMETRE_CRANIEN: 'HEAD_CIRCUMFERENCE',
};

/** « mon poids », « votre poids », « poids »: from the possessive form, the others. */
const fr = (mine: string): MeasureWords => ({
  mine,
  yours: mine.replace(/^(mon|ma) /, 'votre '),
  data: mine.replace(/^(mon|ma) /, ''),
});

const en = (data: string): MeasureWords => ({ mine: `my ${data}`, yours: `your ${data}`, data });

const FRENCH: Words = {
  documents: 'Documents',
  agenda: 'Agenda',
  measures: 'Mesures',
  reports: 'Comptes rendus',
  biology: 'Résultats de biologie',
  allDocuments: 'Tous vos documents de santé',
  appointments: 'Rendez-vous',
  DOC_ECRITURE: [
    'Ajouter des documents de santé',
    'Le service pourra ajouter vos comptes rendus et résultats dans Mon espace santé.',
  ],
  DOC_LECTURE: [
    'Consulter mes documents de santé',
    'Le service pourra importer vos documents pour préparer votre prise en charge.',
  ],
  AGENDA_ECRITURE: [
    'Ajouter mes rendez-vous',
    'Le service pourra ajouter vos rendez-vous dans votre agenda Mon espace santé.',
  ],
  AGENDA_LECTURE: [
    'Consulter mes rendez-vous',
    'Le service pourra consulter les rendez-vous de votre agenda Mon espace santé.',
  ],
  addMeasure: ({ mine, yours }) => [`Ajouter ${mine}`, `Le service pourra enregistrer ${yours} dans Mon espace santé.`],
  readMeasure: ({ mine, yours }) => [
    `Consulter ${mine}`,
    `Le service pourra consulter ${yours} dans Mon espace santé.`,
  ],
  measureWords: {
    POIDS: fr('mon poids'),
    TAILLE: fr('ma taille'),
    FREQUENCE_CARDIAQUE: fr('ma fréquence cardiaque'),
    TENSION: fr('ma tension artérielle'),
    TEMPERATURE: fr('ma température'),
    TOUR_DE_TAILLE: fr('mon tour de taille'),
    GLYCEMIE: fr('ma glycémie'),
    PAS: fr('mon nombre de pas'),
    DOULEUR: fr('mon niveau de douleur'),
    PERIMETRE_CRANIEN: fr('mon périmètre crânien'),
  },
};

const ENGLISH: Words = {
  documents: 'Documents',
  agenda: 'Calendar',
  measures: 'Measurements',
  reports: 'Reports',
  biology: 'Lab results',
  allDocuments: 'All your health documents',
  appointments: 'Appointments',
  DOC_ECRITURE: [
    'Add health documents',
    'The service will be able to add your reports and results to Mon espace santé.',
  ],
  DOC_LECTURE: ['Read my health documents', 'The service will be able to import your documents to prepare your care.'],
  AGENDA_ECRITURE: [
    'Add my appointments',
    'The service will be able to add your appointments to your Mon espace santé calendar.',
  ],
  AGENDA_LECTURE: [
    'Read my appointments',
    'The service will be able to read the appointments in your Mon espace santé calendar.',
  ],
  addMeasure: ({ mine, yours }) => [`Add ${mine}`, `The service will be able to record ${yours} in Mon espace santé.`],
  readMeasure: ({ mine, yours }) => [`Read ${mine}`, `The service will be able to read ${yours} in Mon espace santé.`],
  measureWords: {
    POIDS: en('weight'),
    TAILLE: en('height'),
    FREQUENCE_CARDIAQUE: en('heart rate'),
    TENSION: en('blood pressure'),
    TEMPERATURE: en('temperature'),
    TOUR_DE_TAILLE: en('waist circumference'),
    GLYCEMIE: en('blood glucose'),
    PAS: en('daily step count'),
    DOULEUR: en('pain level'),
    PERIMETRE_CRANIEN: en('head circumference'),
  },
};

function finality(
  codeFinalite: string,
  [libelle, description]: [string, string],
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

/** Every default finalité, described in one language's words. */
function describeAll(words: Words): readonly FinalityDescription[] {
  return [
    finality('DOC_ECRITURE', words.DOC_ECRITURE, words.documents, 'Ecriture', [
      ['CPT_REND', words.reports],
      ['BIOLOGIE', words.biology],
    ]),
    finality('DOC_LECTURE', words.DOC_LECTURE, words.documents, 'Lecture', [['DOCUMENTS', words.allDocuments]]),
    finality('AGENDA_ECRITURE', words.AGENDA_ECRITURE, words.agenda, 'Ecriture', [['RDV', words.appointments]]),
    finality('AGENDA_LECTURE', words.AGENDA_LECTURE, words.agenda, 'Lecture', [['RDV', words.appointments]]),
    ...MEASURE_TYPES.flatMap((type): FinalityDescription[] => {
      const measure = words.measureWords[type];
      const categories: [string, string][] = [[MEASURE_CATEGORIES[type], measure.data]];
      return [
        finality(`MESURE_${type}_ECRITURE`, words.addMeasure(measure), words.measures, 'Ecriture', categories),
        finality(`MESURE_${type}_LECTURE`, words.readMeasure(measure), words.measures, 'Lecture', categories),
      ];
    }),
  ];
}

/** What each default finalité does, in the words MES shows the patient (and a portal explains before pairing). */
export const DEFAULT_FINALITY_DESCRIPTIONS: readonly FinalityDescription[] = describeAll(FRENCH);

/** The same, in English, for a portal page in English: `describeFinalities(codes, ENGLISH_FINALITY_DESCRIPTIONS)`. */
export const ENGLISH_FINALITY_DESCRIPTIONS: readonly FinalityDescription[] = describeAll(ENGLISH);

/** The descriptions of these finalités, in this order (unknown codes are left out). */
export function describeFinalities(
  codes: readonly string[],
  catalogue: readonly FinalityDescription[] = DEFAULT_FINALITY_DESCRIPTIONS,
) {
  return codes.flatMap((code) => catalogue.filter((f) => f.codeFinalite === code));
}
