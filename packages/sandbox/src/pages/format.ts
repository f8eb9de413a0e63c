/** Dates and numbers as the pages write them: in French, in Paris time. */

const dateTime = new Intl.DateTimeFormat('fr-FR', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'Europe/Paris',
});
export const dateOnly = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium', timeZone: 'Europe/Paris' });
export const formatDate = (iso: string | undefined, format = dateTime) => (iso ? format.format(new Date(iso)) : '—');
export const decimal = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
