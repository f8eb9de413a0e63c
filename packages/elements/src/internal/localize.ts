import type { MesError, MesErrorCode, OperationName } from '@mes-kit/core';

/** The languages the elements speak (core speaks none: it gives codes). */
export type Lang = 'fr' | 'en';
import { enCommon } from '../translations/en.js';
import { frCommon } from '../translations/fr.js';

/** An element's strings in each language it ships. */
export type Strings<T> = Record<Lang, T>;

/** An element's strings: what every element says, and its own, in French and in English. */
export function strings<T extends object>(fr: T, en: T): Strings<typeof frCommon & T> {
  return { fr: { ...frCommon, ...fr }, en: { ...enCommon, ...en } };
}

/** A host's own strings: any subset, down to a single error text. */
export type StringOverrides<T> = {
  [K in keyof T]?: T[K] extends string | ((...args: never[]) => string) ? T[K] : Partial<T[K]>;
};

/** What `localizeError` reads from an element's strings. */
export interface ErrorStrings {
  errors: Record<MesErrorCode, string>;
  /** The element's operation's own wording, over `errors`. */
  operationErrors?: Partial<Record<MesErrorCode, string>>;
  /** Which input of the element's operation is at fault, by the field core names. */
  fields?: Record<string, string>;
}

/** The element's language: its own `lang`, else the nearest ancestor's; French unless English. */
export function langOf(element: HTMLElement): Lang {
  const lang = element.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang;
  return lang.toLowerCase().startsWith('en') ? 'en' : 'fr';
}

/** The element's strings in its language, with the host's overrides on top. */
export function translate<T extends object>(
  element: HTMLElement,
  strings: Strings<T>,
  overrides: StringOverrides<T>,
): T {
  const base = strings[langOf(element)];
  const merged = { ...base };
  for (const key of Object.keys(overrides) as (keyof T)[]) {
    const value = overrides[key];
    // A group (errors, fields) is overridden text by text, not replaced whole.
    merged[key] = (typeof value === 'object' ? { ...base[key], ...value } : value) as T[keyof T];
  }
  return merged;
}

/**
 * What the patient reads about an error, in the element's language: the wording of the element's
 * own operation where it has one, and for bad input, which information is at fault.
 */
export function localizeError(error: MesError, t: ErrorStrings, operation?: OperationName): string {
  const own = error.operation !== undefined && error.operation === operation;
  // MES itself refusing (a status) is not the patient's choice in this session: the general text fits it.
  const refusedByMes = error.code === 'MES_CONSENT_REQUIRED' && error.status !== undefined;
  const text = (own && !refusedByMes && t.operationErrors?.[error.code]) || t.errors[error.code];
  const field = own && error.code === 'MES_INVALID_INPUT' && error.field ? t.fields?.[error.field] : undefined;
  return field ? `${text} ${field}` : text;
}
