/**
 * A patient's appointments at the clinic, and a Mon espace santé agenda in every state the agenda
 * button meets: the in-page sandbox (unseeded, Camille paired with AGENDA_ECRITURE) holding what the
 * portal filed before, or a stand-in gateway for the states the sandbox cannot hold still.
 * Browser-safe: no server.
 */
import {
  MesClient,
  MesError,
  inProcessTransport,
  type AgendaAppointment,
  type FhirRequest,
  type LocalTransport,
} from '@mes-kit/core';
import { createInPageSandbox } from '@mes-kit/sandbox/in-page';
import { fakeGateway, type FakeGatewayOptions } from './fake-gateway.js';

export type AgendaScenario =
  /** MES holds three of the portal's appointments; the portal moved one, dropped one, and has three new ones. */
  | 'changes'
  /** Nothing in MES yet: three new appointments. */
  | 'first-time'
  /** MES already shows every appointment as the portal has it. */
  | 'up-to-date'
  /** Every answer of MES takes a minute: the comparison stays pending. */
  | 'slow'
  /** The comparison is quick; MES takes two writes of the five, and the others hang: the run stays at 46 %. */
  | 'writing'
  /** MES cannot take the admission (503); the others go through. */
  | 'fails-one'
  | 'unpaired'
  /** « Tout refuser » in a consent prompt earlier in the session. */
  | 'refused'
  /** The MES window stays open. */
  | 'pairing'
  | 'popup-blocked'
  /** The patient unpaired in MES (« Désynchroniser »): MES answers that the pairing is gone. */
  | 'unpaired-in-mes'
  /** The session never comes. */
  | 'session-loading'
  /** The portal cannot be reached to read the session. */
  | 'session-failed';

const at = (day: string, time: string, minutes: number) => {
  const start = new Date(`${day}T${time}:00+02:00`);
  return { start: start.toISOString(), end: new Date(start.getTime() + minutes * 60_000).toISOString() };
};

/** The portal's appointments, as its back end held them last time. */
export const FILED: AgendaAppointment[] = [
  {
    id: 'PREOP-1',
    title: 'Consultation pré-opératoire',
    ...at('2030-04-01', '09:30', 30),
    with: { kind: 'professional', name: 'Dr Sophie Leclerc', rpps: '81010120123' },
    speciality: { code: 'SM54', display: 'Médecine générale (SM)' },
    place: {
      name: 'Clinique des Tilleuls',
      address: { lines: ['1 place de l’Hôpital'], postalCode: '69000', city: 'Lyon' },
    },
  },
  {
    id: 'ADM-1',
    title: 'Admission en chirurgie ambulatoire',
    ...at('2030-04-08', '07:00', 60),
    with: { kind: 'establishment', name: 'Clinique des Tilleuls — admissions', finess: '690000001' },
    comment: 'Venir à jeun.',
  },
  {
    id: 'SUIVI-1',
    title: 'Consultation de suivi',
    ...at('2030-04-22', '14:00', 30),
    with: { kind: 'professional', name: 'Dr Sophie Leclerc' },
  },
];

/** The portal's appointments now: the pre-op moved, the admission gone, three new ones. */
export const CHANGED: AgendaAppointment[] = [
  { ...FILED[0], ...at('2030-04-02', '10:00', 30) },
  FILED[2],
  {
    id: 'ANES-1',
    title: 'Consultation d’anesthésie',
    ...at('2030-04-03', '10:00', 30),
    with: { kind: 'professional', name: 'Dr Paul Girard' },
  },
  {
    id: 'BIO-1',
    title: 'Bilan sanguin pré-opératoire',
    ...at('2030-03-28', '08:15', 15),
    with: { kind: 'establishment', name: 'Laboratoire des Tilleuls' },
  },
  {
    id: 'KINE-1',
    title: 'Séance de kinésithérapie',
    ...at('2030-05-02', '11:00', 45),
    with: { kind: 'professional', name: 'M. Karim Benali' },
  },
];

export interface AgendaSetup {
  client: MesClient;
  /** What the page gives the button (direct mode). */
  appointments: AgendaAppointment[];
}

/** Writes that MES takes at once in the `writing` scenario; the others hang until the page leaves. */
const QUICK_WRITES = ['PREOP-1', 'ANES-1'];
const idOfWrite = (request: FhirRequest) =>
  /%7C([\w.:/-]+)$/.exec(request.headers?.['if-none-exist'] ?? request.path)?.[1];

const ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//mes-kit//Agenda//FR',
  'BEGIN:VEVENT',
  'UID:PREOP-1@1.2.250.1.999.42.1',
  'DTSTAMP:20261129T000000Z',
  'DTSTART:20300401T073000Z',
  'DTEND:20300401T080000Z',
  'SUMMARY:Consultation pré-opératoire',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

/** A gateway with the portal's agenda as an .ics file. */
function gatewayClient(options: FakeGatewayOptions): MesClient {
  return new MesClient({
    transport: { ...fakeGateway(options), agendaCalendar: async () => new Blob([ICS], { type: 'text/calendar' }) },
  });
}

export async function agendaSetup(scenario: AgendaScenario): Promise<AgendaSetup> {
  if (scenario === 'pairing' || scenario === 'popup-blocked') {
    return { client: gatewayClient({ pairing: scenario === 'pairing' ? 'held' : 'blocked' }), appointments: FILED };
  }
  if (scenario === 'session-loading' || scenario === 'session-failed') {
    return {
      client: gatewayClient({ session: scenario === 'session-loading' ? 'loading' : 'failing' }),
      appointments: FILED,
    };
  }
  const sandbox = await createInPageSandbox({ seeded: false });
  const unpaired = scenario === 'unpaired' || scenario === 'refused';
  const base = inProcessTransport(sandbox, { pairedWith: unpaired ? undefined : ['AGENDA_ECRITURE'] });
  let filing = true;
  const transport: LocalTransport = {
    ...base,
    async request(request, options) {
      const id = request.method === 'GET' || filing ? undefined : idOfWrite(request);
      if (scenario === 'fails-one' && id === 'ANES-1') {
        throw new MesError('MES_UNAVAILABLE', { operation: 'sync-agenda', status: 503 });
      }
      if (scenario === 'writing' && id && !QUICK_WRITES.includes(id)) {
        await new Promise((_resolve, reject) =>
          options?.signal?.addEventListener('abort', () => reject(new DOMException('Left', 'AbortError'))),
        );
      }
      return base.request(request, options);
    },
  };
  const client = new MesClient({ transport, retry: { attempts: 1 } });
  if (scenario === 'refused') await client.recordRefusal(['AGENDA_ECRITURE'], '1');
  if (['changes', 'up-to-date', 'slow', 'writing', 'fails-one'].includes(scenario)) await client.syncAgenda(FILED);
  filing = false;
  if (scenario === 'unpaired-in-mes') {
    // Paired first (the transport pairs as it starts), then unpaired in MES.
    await client.session();
    await sandbox.fetch('http://localhost:8787/sandbox/pairings/camille/mes-kit-demo', { method: 'DELETE' });
  }
  if (scenario === 'slow') {
    await sandbox.fetch('http://localhost:8787/sandbox/faults', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs: 60_000 }),
    });
  }
  const appointments = scenario === 'up-to-date' || scenario === 'first-time' ? FILED : CHANGED;
  return { client, appointments };
}
