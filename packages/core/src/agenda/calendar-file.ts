/**
 * The .ics file a client offers when MES is out of reach (`MesClient.agendaCalendar`): built in the
 * page from the appointments it was given, or the gateway's, from the host's own list.
 */
import type { MesClient } from '../client.js';
import { MesError, normalizeError } from '../errors.js';
import { chosenAppointments } from '../operations/sync-agenda.js';
import type { AgendaAppointment } from './appointment.js';
import { agendaCalendar } from './ics.js';

export async function calendarFile(
  client: MesClient,
  appointments: AgendaAppointment[] | undefined,
  options: { only?: string[]; signal?: AbortSignal },
): Promise<Blob> {
  try {
    const { transport } = client;
    if (!appointments) {
      if (transport.kind !== 'remote' || !transport.agendaCalendar)
        throw new MesError('MES_INVALID_INPUT', { operation: 'sync-agenda', field: 'appointments' });
      return await transport.agendaCalendar(options.only, options.signal);
    }
    const input = await client.check('sync-agenda', { appointments, ...(options.only && { only: options.only }) });
    const session = await client.session({ signal: options.signal });
    const ics = agendaCalendar(chosenAppointments(input), session.service);
    return new Blob([ics], { type: 'text/calendar;charset=utf-8' });
  } catch (error) {
    throw normalizeError(error, 'sync-agenda');
  }
}
