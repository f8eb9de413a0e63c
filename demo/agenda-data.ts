/**
 * The appointments each service's own systems hold for each portal user (fictitious, kept in memory,
 * dated from the day the demo starts): the hospital's consultations, the clinic's surgery journey,
 * the pharmacy's pick-up. The demo's secretariat can move or cancel one, as a real one would.
 */
import type { AgendaAppointment } from '@mes-kit/core';

const DAY = 24 * 3_600_000;

/** Paris time, `days` from today at `time` (`09:30`), as the host's systems would give it. */
function at(days: number, time: string): string {
  const date = new Date(Date.now() + days * DAY);
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(date);
  // The offset Paris has that day (+01:00 in winter, +02:00 in summer).
  const offset = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Paris', timeZoneName: 'longOffset' })
    .formatToParts(date)
    .find((part) => part.type === 'timeZoneName')!
    .value.replace('GMT', '');
  return `${day}T${time}:00${offset || '+00:00'}`;
}

const LUMIERE = { name: 'Hôpital Lumière', lines: ['12 avenue de la Lumière'], postalCode: '69003', city: 'Lyon' };
const TILLEULS = { name: 'Clinique des Tilleuls', lines: ['4 rue des Tilleuls'], postalCode: '69006', city: 'Lyon' };

function journey(service: string): AgendaAppointment[] {
  const place = (site: typeof LUMIERE, building?: string) => ({
    name: building ? `${site.name} — ${building}` : site.name,
    address: { lines: site.lines, postalCode: site.postalCode, city: site.city },
  });
  switch (service) {
    case 'lumiere':
      return [
        {
          id: 'LUM-CARDIO-1',
          title: 'Consultation de cardiologie',
          start: at(6, '10:00'),
          end: at(6, '10:30'),
          with: { kind: 'professional', name: 'Dr Paul Girard', rpps: '10101010101' },
          speciality: { code: 'SM04', display: 'Cardiologie et maladies vasculaires' },
          place: place(LUMIERE, 'bâtiment B, 2ᵉ étage'),
          comment: 'Apportez votre dernier électrocardiogramme et la liste de vos médicaments.',
        },
        {
          id: 'LUM-IRM-1',
          title: 'IRM du genou droit',
          start: at(13, '08:15'),
          end: at(13, '08:45'),
          with: { kind: 'establishment', name: 'Hôpital Lumière — imagerie médicale', finess: '690000123' },
          place: place(LUMIERE, 'imagerie, rez-de-chaussée'),
          comment: 'Retirez bijoux et objets métalliques. Présentez-vous 15 minutes avant.',
        },
      ];
    case 'tilleuls':
      return [
        {
          id: 'TIL-PREOP-1',
          title: 'Consultation pré-opératoire',
          start: at(4, '14:00'),
          end: at(4, '14:30'),
          with: { kind: 'professional', name: 'Dr Sophie Leclerc', rpps: '81010120123' },
          place: place(TILLEULS),
          comment: 'Apportez vos derniers résultats de biologie.',
        },
        {
          id: 'TIL-ANESTH-1',
          title: 'Consultation d’anesthésie',
          start: at(5, '09:30'),
          end: at(5, '10:00'),
          with: { kind: 'professional', name: 'Dr Marc Aubert' },
          speciality: { code: 'SM02', display: 'Anesthésie-réanimation' },
          place: place(TILLEULS),
        },
        {
          id: 'TIL-ADM-1',
          title: 'Admission en chirurgie ambulatoire',
          start: at(11, '07:00'),
          end: at(11, '07:30'),
          with: { kind: 'establishment', name: 'Clinique des Tilleuls — admissions', finess: '690000456' },
          place: place(TILLEULS, 'accueil principal'),
          comment: 'Venez à jeun depuis minuit, avec votre carte Vitale et votre pièce d’identité.',
        },
        {
          id: 'TIL-SUIVI-1',
          title: 'Consultation de suivi',
          start: at(25, '16:00'),
          end: at(25, '16:20'),
          with: { kind: 'professional', name: 'Dr Sophie Leclerc' },
          place: place(TILLEULS),
        },
      ];
    case 'pharmacie':
      return [
        {
          id: 'PHA-ENTRETIEN-1',
          title: 'Entretien pharmaceutique — bilan de vos traitements',
          start: at(3, '11:00'),
          end: at(3, '11:30'),
          with: { kind: 'establishment', name: 'Pharmacie du Centre' },
          place: {
            name: 'Pharmacie du Centre',
            address: { lines: ['8 place Bellecour'], postalCode: '69002', city: 'Lyon' },
          },
          comment: 'Apportez vos boîtes de médicaments et votre dernière ordonnance.',
        },
      ];
    default:
      return [];
  }
}

/** Services whose systems hold appointments (those whose gateway syncs an agenda). */
export const AGENDA_SERVICES = new Set(['lumiere', 'tilleuls', 'pharmacie']);

const agendas = new Map<string, AgendaAppointment[]>();

/** This user's appointments with this service, as its systems hold them now. */
export function agendaOf(service: string, userId: string): AgendaAppointment[] {
  const key = `${service}:${userId}`;
  if (!agendas.has(key)) agendas.set(key, journey(service));
  return agendas.get(key)!;
}

/**
 * The secretariat's changes, for the demo: `move` puts the last appointment to come two days later;
 * `cancel` cancels the first one still booked; `reset` brings back the journey as it was.
 */
export function changeAgenda(service: string, userId: string, change: 'move' | 'cancel' | 'reset'): boolean {
  const key = `${service}:${userId}`;
  const list = agendaOf(service, userId);
  if (change === 'reset') {
    agendas.set(key, journey(service));
    return true;
  }
  const booked = list.filter((appointment) => (appointment.status ?? 'booked') === 'booked');
  const target = change === 'move' ? booked.at(-1) : booked[0];
  if (!target) return false;
  const later = (value: Date | string) => new Date(new Date(value).getTime() + 2 * DAY).toISOString();
  const changed: AgendaAppointment =
    change === 'move'
      ? { ...target, start: later(target.start), end: later(target.end) }
      : { ...target, status: 'cancelled' };
  agendas.set(
    key,
    list.map((appointment) => (appointment === target ? changed : appointment)),
  );
  return true;
}
