/** Dates and numbers as the pages write them: in French, in Paris time. */
import { NBSP } from './html.js';

const mediumDay = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium', timeZone: 'Europe/Paris' });
const time = new Intl.DateTimeFormat('fr-FR', { hour: 'numeric', minute: '2-digit', timeZone: 'Europe/Paris' });
export const decimal = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

/**
 * A date MES stored as a service wrote it, which a JavaScript Date may not read (a leap second
 * « 23:59:60 » is valid FHIR): shown as written rather than failing the whole page.
 */
function readable(at: Date | number | string): Date | undefined {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** « 14 mars 2024 », and « 1er avr. 2030 » where Intl writes « 1 avr. 2030 ». */
export function dayOf(at: Date | number | string, format = mediumDay): string {
  const date = readable(at);
  if (!date) return String(at);
  return format
    .formatToParts(date)
    .map((part) => (part.type === 'day' && part.value === '1' ? '1er' : part.value))
    .join('');
}

/** « 14 h 30 »: the hour as French typography writes it, not « 14:30 », and never split across lines. */
export function hourOf(at: Date | number | string): string {
  const date = readable(at);
  if (!date) return String(at);
  const parts = time.formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value;
  return `${part('hour')}${NBSP}h${NBSP}${part('minute')}`;
}

/** « 20 nov. 2026, 8 h 05 ». */
export const dayAndHourOf = (at: Date | number | string) => `${dayOf(at)}, ${hourOf(at)}`;

/** A value and its unit kept on one line: « 71,4 kg », « 6,5 % », but « 4/10 » for a score. */
export function withUnit(value: string, unit: string): string {
  return unit.startsWith('/') ? `${value}${unit}` : `${value}${NBSP}${unit}`;
}
