import type { Lang } from '@mes-kit/core';
import { en } from '../translations/en.js';
import { fr, type Translation } from '../translations/fr.js';

const TRANSLATIONS: Record<Lang, Translation> = { fr, en };

/** The element's language: its own `lang`, else the nearest ancestor's; French unless English. */
export function langOf(element: HTMLElement): Lang {
  const lang = element.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang;
  return lang.toLowerCase().startsWith('en') ? 'en' : 'fr';
}

/** The strings for a language, with the host's overrides on top. */
export function translate(lang: Lang, overrides: Partial<Translation> = {}): Translation {
  return { ...TRANSLATIONS[lang], ...overrides };
}

export type { Translation };
