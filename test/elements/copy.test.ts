/**
 * The words every element ships, as a patient reads them: French typography in every French string
 * (the function-valued ones said with sample arguments, both ways for a yes/no), and English saying
 * the same things, key for key.
 */
import { expect } from '@open-wc/testing';
import * as en from '../../packages/elements/src/translations/en.js';
import * as fr from '../../packages/elements/src/translations/fr.js';
import { frenchTypographyProblems } from '../helpers/french-typography.js';

/** What each parameter of a string function is given, by its name: each value is said. */
const SAMPLES: Record<string, unknown[]> = {
  percent: [0, 40, 100],
  count: [1, 2, 1344],
  failed: [1, 3],
  total: [3, 1344],
  done: [1, 812],
  shown: [1, 12],
  remaining: [1, 2],
  max: [20],
  position: [1, 2],
  service: ['Clinique des Tilleuls', 'Hôpital Lumière'],
  title: ['Compte rendu d’hospitalisation'],
  category: ['Comptes rendus'],
  instant: ['2026-03-30T07:30:00Z'],
  from: ['2026-11-12T08:00:00Z'],
  to: ['2026-11-26T08:00:00Z'],
  measure: ['de poids', 'd’hémoglobine glyquée'],
  period: ['du 12 au 26 novembre'],
  min: [62],
  max_: [248],
  unit: ['mmHg', 'mg/dL'],
  multiple: [true, false],
  one: [true, false],
  systolic: [true, false],
  finalities: [['Ajouter des documents de santé'], ['Ajouter des documents de santé', 'Ajouter mes rendez-vous']],
  categories: [['Comptes rendus', 'Ordonnances et soins']],
  direction: ['Écriture'],
  scope: ['Documents'],
  counts: [{ create: 2, move: 1, update: 1, cancel: 1, unchanged: 3, created: 3, present: 1, failed: 1 }],
};

/** Its parameters' names, from its source: `(count, measure, period) =>`, `({ created, failed }) =>` as `counts`. */
function parameters(fn: (...args: never[]) => string): string[] {
  const list = /^[^(]*\(([^)]*)\)/.exec(fn.toString())?.[1] ?? '';
  if (list.trim().startsWith('{')) return ['counts'];
  const names = list
    .split(',')
    .map((parameter) => parameter.split(/[:=]/)[0].trim())
    .filter(Boolean);
  // `range(min, max, …)`: the highest of a range, not an import's limit.
  return names.map((name, index) => (name === 'max' && names[index - 1] === 'min' ? 'max_' : name));
}

/** Every way a string function can be said with the samples: each parameter's values in turn, the others at their first. */
function said(fn: (...args: unknown[]) => string, path: string): string[] {
  const names = parameters(fn);
  for (const name of names) expect(SAMPLES, `${path}: a sample for « ${name} »`).to.have.property(name);
  const first = names.map((name) => SAMPLES[name][0]);
  const texts = [fn(...first)];
  names.forEach((name, index) => {
    for (const value of SAMPLES[name].slice(1)) texts.push(fn(...first.map((arg, i) => (i === index ? value : arg))));
  });
  return texts;
}

/** Every string of a group, by its path (`frSendDocument.errors.MES_NETWORK`), functions said. */
function texts(value: unknown, path: string): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (typeof value === 'function') {
    return said(value as (...args: unknown[]) => string, path).map((text) => [path, text]);
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => texts(inner, `${path}.${key}`));
  }
  return [];
}

/** The groups of strings (objects), not the helpers beside them. */
const groups = (module: object) =>
  Object.entries(module).filter(([, value]) => typeof value === 'object' && value !== null) as [string, object][];

/** The keys of a group, nested ones by their path. */
function keysOf(value: object, path = ''): string[] {
  return Object.entries(value).flatMap(([key, inner]) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? keysOf(inner as object, `${path}${key}.`)
      : [`${path}${key}`],
  );
}

describe('the words of the elements', () => {
  it('writes every French string, and every sentence a function makes, with French typography', () => {
    const all = groups(fr).flatMap(([name, group]) => texts(group, name));
    expect(all.length).to.be.greaterThan(300);
    const problems = all.flatMap(([path, text]) =>
      frenchTypographyProblems(text).map((problem) => `${path}: ${problem}`),
    );
    expect(problems).to.deep.equal([]);
  });

  it('says in full « Mon espace santé », never an abbreviation, in French and in English', () => {
    const all = [...groups(fr), ...groups(en)].flatMap(([name, group]) => texts(group, name));
    const abbreviated = all.filter(([, text]) => /\bMES\b|\bMon Espace Santé\b/.test(text)).map(([path]) => path);
    expect(abbreviated).to.deep.equal([]);
  });

  it('ships English for every French string, key for key', () => {
    const french = groups(fr);
    for (const [name, group] of french) {
      const english = (en as Record<string, unknown>)[name.replace(/^fr/, 'en')] as object | undefined;
      expect(english, `${name} in English`).to.be.an('object');
      expect(keysOf(english!), name).to.deep.equal(keysOf(group));
    }
  });

  it('never shows a patient the same text for two different failures', () => {
    const errors = Object.values(fr.frCommon.errors);
    expect(new Set(errors).size).to.equal(errors.length);
  });
});
