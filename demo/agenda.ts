/**
 * « Mes rendez-vous », as a portal shows them: the appointments its systems hold, each with « Ajouter
 * à mon agenda Mon espace santé », and « Mettre à jour mon agenda Mon espace santé » for all of them. The gateway
 * takes the appointments from the portal's back end, never from this page: the page names them by id.
 * The demo's secretariat can move or cancel one, to see the next update keep MES right.
 */
import type { AgendaAppointment } from '@mes-kit/core';
import { byId, element } from './page.js';

const day = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
});
const clock = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: 'numeric', minute: '2-digit' });

/** « vendredi 4 décembre à 14 h », « samedi 5 décembre à 9 h 30 »: the time as French writes it. */
function when(start: Date | string): string {
  const date = new Date(start);
  const [hours, minutes] = clock.format(date).split(':');
  return `${day.format(date)} à ${Number(hours)} h${minutes === '00' ? '' : ` ${minutes}`}`;
}

/** Renders the agenda of `service` into `#agenda` and keeps it current; hides it when the service has none. */
export async function showAgenda(service: string): Promise<void> {
  const section = byId('agenda');
  const list = byId('appointments');

  async function refresh() {
    const response = await fetch(`/portal/agenda/${service}`, { credentials: 'same-origin' });
    if (!response.ok) return;
    const appointments = (await response.json()) as AgendaAppointment[];
    section.hidden = false;
    list.replaceChildren(
      ...appointments.map((appointment) => {
        const cancelled = appointment.status === 'cancelled';
        const item = element('li', undefined, {
          class: cancelled ? 'document appointment cancelled' : 'document appointment',
        });
        const text = element('div');
        const place = appointment.place?.name;
        const facts = [appointment.with.name, place !== appointment.with.name ? place : undefined]
          .filter(Boolean)
          .join(' · ');
        text.append(
          element('h3', appointment.title),
          element('p', `${when(appointment.start)}${cancelled ? ' — annulé' : ''}`, { class: 'when' }),
          element('p', facts),
        );
        item.append(text);
        if (!cancelled) item.append(element('mes-agenda-sync-button', undefined, { 'appointment-id': appointment.id }));
        return item;
      }),
    );
  }

  async function change(button: HTMLButtonElement) {
    await fetch(`/portal/agenda/${service}/${button.dataset['change']}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'x-demo-portal': '1' },
    });
    await refresh();
    byId('agenda-changed').textContent = `${button.dataset['said']} Synchronisez pour que Mon espace santé le montre.`;
  }

  // Once updated, the secretariat's last change is in MES: its note has said what it had to.
  section.addEventListener('mes-agenda-sync-success', () => (byId('agenda-changed').textContent = ''));
  for (const button of section.querySelectorAll<HTMLButtonElement>('[data-change]')) {
    button.addEventListener('click', () => void change(button));
  }
  await refresh();
}
