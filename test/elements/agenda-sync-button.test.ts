import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { nothing } from 'lit';
import { sendKeys } from '@web/test-runner-commands';
import ICAL from 'ical.js';
import {
  MesClient,
  MesError,
  inProcessTransport,
  type AgendaAppointment,
  type FhirRequest,
  type LocalTransport,
  type RemoteTransport,
  type RunnableOperation,
  type SyncAgendaResult,
} from '@mes-kit/core';
import '../../packages/elements/src/all.js';
import {
  MesAgendaSyncButton,
  type MesAgendaSyncStartDetail,
  type MesAgendaSyncSuccessDetail,
} from '../../packages/elements/src/index.js';
import { createInPageSandbox } from '../../packages/sandbox/src/in-page.js';
import { fakeGateway, type FakeGatewayOptions } from '../../stories/_helpers/fake-gateway.js';
import { declarationOf, deepActive, part, parts, statesOf, text, tokensUsed } from '../helpers/shadow-dom.js';

type Sandbox = Awaited<ReturnType<typeof createInPageSandbox>>;

/** Camille's appointments as the portal holds them; all in 2030, so that none is past. */
const AGENDA: Record<string, AgendaAppointment> = {
  preop: {
    id: 'PREOP-1',
    title: 'Consultation pré-opératoire',
    start: '2030-04-01T09:30:00+02:00',
    end: '2030-04-01T10:00:00+02:00',
    with: { kind: 'professional', name: 'Dr Sophie Leclerc', rpps: '81010120123' },
    speciality: { code: 'SM54', display: 'Médecine générale (SM)' },
    place: {
      name: 'Clinique des Tilleuls',
      address: { lines: ['1 place de l’Hôpital'], postalCode: '69000', city: 'Lyon' },
    },
  },
  admission: {
    id: 'ADM-1',
    title: 'Admission en chirurgie ambulatoire',
    start: '2030-04-08T07:00:00+02:00',
    end: '2030-04-08T08:00:00+02:00',
    with: { kind: 'establishment', name: 'Clinique des Tilleuls — admissions', finess: '690000001' },
  },
  followUp: {
    id: 'SUIVI-1',
    title: 'Consultation de suivi',
    start: '2030-04-22T14:00:00+02:00',
    end: '2030-04-22T14:30:00+02:00',
    with: { kind: 'professional', name: 'Dr Sophie Leclerc' },
  },
  imaging: {
    id: 'IRM-1',
    title: 'IRM du genou',
    start: '2030-03-20T16:15:00+01:00',
    end: '2030-03-20T16:45:00+01:00',
    with: { kind: 'establishment', name: 'Centre d’imagerie' },
  },
  physio: {
    id: 'KINE-1',
    title: 'Séance de kinésithérapie',
    start: '2030-05-02T11:00:00+02:00',
    end: '2030-05-02T11:45:00+02:00',
    with: { kind: 'professional', name: 'M. Karim Benali' },
  },
  anaesthesia: {
    id: 'ANES-1',
    title: 'Consultation d’anesthésie',
    start: '2030-04-03T10:00:00+02:00',
    end: '2030-04-03T10:30:00+02:00',
    with: { kind: 'professional', name: 'Dr Paul Girard' },
  },
};
const { preop, admission, followUp, imaging, physio, anaesthesia } = AGENDA;
/** The pre-op consultation, a day later at 10:00. */
const movedPreop: AgendaAppointment = {
  ...preop,
  start: '2030-04-02T10:00:00+02:00',
  end: '2030-04-02T10:30:00+02:00',
};

interface SetupOptions {
  /** Paired with AGENDA_ECRITURE (default), or not at all. */
  paired?: boolean;
  lang?: string;
  /** What MES's agenda already holds, filed by this portal before the test. */
  filed?: AgendaAppointment[];
  /** The portal's list now. */
  appointments?: AgendaAppointment[];
  appointmentId?: string;
  /** MES answers 503 to the writes of the appointment with this id, while this returns true. */
  failWrite?: (id: string) => boolean;
}

/** The unseeded in-page sandbox, Camille's agenda as `filed` says, and a button on a client for her. */
async function setup(options: SetupOptions = {}) {
  const sandbox = await createInPageSandbox({ seeded: false });
  const base = inProcessTransport(sandbox, {
    pairedWith: options.paired === false ? undefined : ['AGENDA_ECRITURE'],
    clientId: 'mes-kit-demo',
  });
  const requests: FhirRequest[] = [];
  const transport: LocalTransport = {
    ...base,
    async request(request, requestOptions) {
      requests.push(request);
      const id = /\|([\w.:/-]+)$/.exec(decodeURIComponent(request.headers?.['if-none-exist'] ?? request.path))?.[1];
      if (request.method !== 'GET' && id && options.failWrite?.(id)) {
        return new Response(
          JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'transient' }] }),
          { status: 503, headers: { 'content-type': 'application/fhir+json' } },
        );
      }
      return base.request(request, requestOptions);
    },
  };
  const client = new MesClient({ transport, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 10_000 } });
  // Filed by the same portal, on the same pairing (a second pairing would replace this one).
  if (options.filed) await client.syncAgenda(options.filed);
  const wrapper = await fixture<HTMLElement>(
    html`<div lang=${options.lang ?? 'fr'}>
      <button type="button" id="before">Avant</button>
      <mes-provider .client=${client}>
        <mes-agenda-sync-button
          .appointments=${options.appointments ?? [preop, admission, followUp]}
          appointment-id=${options.appointmentId ?? nothing}
        ></mes-agenda-sync-button>
      </mes-provider>
    </div>`,
  );
  const el = wrapper.querySelector('mes-agenda-sync-button')!;
  await client.session();
  await el.updateComplete;
  requests.length = 0;
  return { sandbox, client, el, wrapper, requests, writes: () => requests.filter((r) => r.method !== 'GET') };
}

/** What MES's agenda holds for Camille: status and start by the portal's id. */
function held(sandbox: Sandbox): Record<string, { status: string; start: string }> {
  const entries = sandbox.store.list('camille', 'Appointment').map((entry) => {
    const resource = entry.resource as unknown as { identifier: { value: string }[]; status: string; start: string };
    return [resource.identifier[0].value, { status: resource.status, start: resource.start }] as const;
  });
  return Object.fromEntries(entries);
}

/** A button on a stand-in gateway (gateway mode): it answers the runs as `run` says, and serves an .ics. */
function onGateway(options: FakeGatewayOptions & { lang?: string; appointmentId?: string } = {}) {
  const gateway = fakeGateway(options);
  const calendars: (readonly string[] | undefined)[] = [];
  const transport: RemoteTransport = {
    ...gateway,
    async agendaCalendar(only) {
      calendars.push(only);
      return new Blob([ICS], { type: 'text/calendar' });
    },
  };
  return { gateway, transport, calendars, client: new MesClient({ transport }) };
}
const ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//test//FR',
  'BEGIN:VEVENT',
  'UID:PREOP-1@1.2.250.1.999.42.1',
  'DTSTAMP:20261129T000000Z',
  'DTSTART:20300401T073000Z',
  'SUMMARY:Consultation pré-opératoire',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

/** Each listed appointment as the patient reads it: title, what happens, when, why not. */
const rows = (el: MesAgendaSyncButton) =>
  parts(el, 'item').map((item) =>
    ['item-title', 'item-status', 'item-time', 'item-error']
      .map((name) => text(item.querySelector(`[part="${name}"]`)))
      .filter(Boolean)
      .join(' | '),
  );
const marks = (el: MesAgendaSyncButton) =>
  parts(el, 'item').map((item) => item.className + (item.querySelector('.mark') ? ' ✓✗' : ''));
const STATES = ['idle', 'pending', 'planned', 'success', 'partial', 'error', 'not-paired', 'consent-required'];
const states = (el: MesAgendaSyncButton) => statesOf(el, STATES);

async function showPlan(el: MesAgendaSyncButton) {
  part(el, 'button')!.click();
  await el.updateComplete;
  await waitUntil(() => el.matches(':state(planned)') || el.matches(':state(error)'), 'the plan, or an error');
  await el.updateComplete;
}

/** The .ics behind the download link, parsed: its events' UID, SUMMARY, DTSTART and its timezones. */
async function calendarOf(el: MesAgendaSyncButton) {
  await waitUntil(() => part(el, 'download'), 'the .ics link');
  const link = part(el, 'download') as HTMLAnchorElement;
  const body = await (await fetch(link.href)).text();
  const calendar = new ICAL.Component(ICAL.parse(body));
  return {
    link,
    body,
    calendar,
    events: calendar.getAllSubcomponents('vevent').map((event) => ({
      uid: String(event.getFirstPropertyValue('uid')),
      summary: String(event.getFirstPropertyValue('summary')),
      tzid: event.getFirstProperty('dtstart')!.getParameter('tzid'),
      start: (event.getFirstPropertyValue('dtstart') as ICAL.Time).toString(),
    })),
    timezones: calendar.getAllSubcomponents('vtimezone').map((zone) => String(zone.getFirstPropertyValue('tzid'))),
  };
}

describe('<mes-agenda-sync-button>', () => {
  describe('idle', () => {
    it('is a button named « Mettre à jour mon agenda Mon espace santé », big enough, asks nothing of MES, and is accessible', async () => {
      const { el, requests } = await setup();
      const button = part(el, 'button')!;
      expect(button.tagName).to.equal('BUTTON');
      expect(text(part(el, 'label'))).to.equal('Mettre à jour mon agenda Mon espace santé');
      expect(button.getBoundingClientRect().height).to.be.at.least(44);
      expect(states(el)).to.deep.equal(['idle']);
      expect(part(el, 'plan')).to.be.null;
      expect(requests).to.deep.equal([]);
      await expect(el).to.be.accessible();
    });

    it('speaks English under an English ancestor, accessibly', async () => {
      const { el } = await setup({ lang: 'en' });
      expect(text(part(el, 'label'))).to.equal('Update my Mon espace santé calendar');
      await expect(el).to.be.accessible();
    });

    it('takes the host’s own strings', async () => {
      const { el } = await setup();
      el.strings = { syncAll: 'Envoyer mes rendez-vous à Mon espace santé' };
      await el.updateComplete;
      expect(text(part(el, 'label'))).to.equal('Envoyer mes rendez-vous à Mon espace santé');
    });
  });

  describe('the plan', () => {
    for (const lang of ['fr', 'en']) {
      it(`shows what will change before anything is written, the focus on its heading (${lang})`, async () => {
        // MES holds the pre-op consultation, the admission and the follow-up; the portal moved the
        // first, no longer has the second, and adds three.
        const { el, sandbox, requests, writes } = await setup({
          lang,
          filed: [preop, admission, followUp],
          appointments: [movedPreop, followUp, imaging, physio, anaesthesia],
        });
        const before = held(sandbox);
        part(el, 'button')!.click();
        await el.updateComplete;
        expect(el.matches(':state(pending)'), 'pending while comparing').to.be.true;
        expect(text(part(el, 'label'))).to.equal(lang === 'fr' ? 'Recherche des changements…' : 'Looking for changes…');
        await waitUntil(() => el.matches(':state(planned)'), 'the plan');
        await el.updateComplete;

        expect(states(el)).to.deep.equal(['planned']);
        expect(writes(), 'a dry run writes nothing').to.deep.equal([]);
        expect(requests.length).to.be.greaterThan(0);
        expect(held(sandbox)).to.deep.equal(before);
        const title = part(el, 'title')!;
        expect(title.tagName).to.equal('H2');
        expect(el.shadowRoot!.activeElement).to.equal(title);
        expect(part(el, 'plan')!.getAttribute('aria-labelledby')).to.equal(title.id);
        expect(text(part(el, 'summary'))).to.equal(
          lang === 'fr' ? '3 nouveaux, 1 déplacé, 1 annulé' : '3 new, 1 moved, 1 cancelled',
        );
        expect(text(part(el, 'unchanged'))).to.equal(
          lang === 'fr' ? 'Un autre rendez-vous est déjà à jour.' : 'One other appointment is already up to date.',
        );
        expect(rows(el)).to.have.members(
          lang === 'fr'
            ? [
                'Consultation pré-opératoire | Déplacé | lundi 1 avril 2030, 9 h 30 → , désormais mardi 2 avril 2030, 10 h',
                'IRM du genou | Nouveau | mercredi 20 mars 2030, 16 h 15',
                'Séance de kinésithérapie | Nouveau | jeudi 2 mai 2030, 11 h',
                'Consultation d’anesthésie | Nouveau | mercredi 3 avril 2030, 10 h',
                'Admission en chirurgie ambulatoire | Annulé | lundi 8 avril 2030, 7 h',
              ]
            : [
                'Consultation pré-opératoire | Moved | Monday 1 April 2030, 9:30 am → , now Tuesday 2 April 2030, 10:00 am',
                'IRM du genou | New | Wednesday 20 March 2030, 4:15 pm',
                'Séance de kinésithérapie | New | Thursday 2 May 2030, 11:00 am',
                'Consultation d’anesthésie | New | Wednesday 3 April 2030, 10:00 am',
                'Admission en chirurgie ambulatoire | Cancelled | Monday 8 April 2030, 7:00 am',
              ],
        );
        expect(text(part(el, 'cancel'))).to.equal(lang === 'fr' ? 'Annuler' : 'Cancel');
        expect(text(part(el, 'confirm'))).to.equal(lang === 'fr' ? 'Confirmer' : 'Confirm');
        await expect(el).to.be.accessible();
      });
    }

    it('says the singular right, and lists an update', async () => {
      const { el } = await setup({
        filed: [preop, admission],
        appointments: [preop, { ...admission, title: 'Admission en chirurgie (hôpital de jour)' }, followUp],
      });
      await showPlan(el);
      expect(text(part(el, 'summary'))).to.equal('1 nouveau, 1 modifié');
      expect(rows(el)).to.deep.equal([
        'Admission en chirurgie (hôpital de jour) | Modifié | lundi 8 avril 2030, 7 h',
        'Consultation de suivi | Nouveau | lundi 22 avril 2030, 14 h',
      ]);
    });

    it('« Annuler » and Escape write nothing and give the focus back to the button', async () => {
      const { el, writes } = await setup();
      await showPlan(el);
      await sendKeys({ press: 'Escape' });
      await el.updateComplete;
      expect(part(el, 'plan')).to.be.null;
      expect(el.shadowRoot!.activeElement).to.equal(part(el, 'button'));
      expect(states(el)).to.deep.equal(['idle']);

      await showPlan(el);
      part(el, 'cancel')!.click();
      await el.updateComplete;
      expect(part(el, 'plan')).to.be.null;
      expect(part(el, 'list')).to.be.null;
      expect(el.shadowRoot!.activeElement).to.equal(part(el, 'button'));
      expect(writes()).to.deep.equal([]);
    });

    it('pairs first when the patient has not granted writing to the agenda, then shows the plan', async () => {
      const { el, sandbox } = await setup({ paired: false });
      const fired: string[] = [];
      for (const type of ['mes-pair-start', 'mes-pair-success', 'mes-agenda-sync-start']) {
        el.addEventListener(type, () => fired.push(type));
      }
      await showPlan(el);
      expect(fired).to.deep.equal(['mes-pair-start', 'mes-pair-success']);
      expect(sandbox.store.findPairing('camille', 'mes-kit-demo')!.finalities).to.include('AGENDA_ECRITURE');
      expect(text(part(el, 'summary'))).to.equal('3 nouveaux');
    });

    it('is pending, and accessible, while the MES window is open; the host may cancel the pairing', async () => {
      const { client, gateway } = onGateway({ pairing: 'held' });
      const el = await fixture<MesAgendaSyncButton>(
        html`<mes-agenda-sync-button .client=${client}></mes-agenda-sync-button>`,
      );
      part(el, 'button')!.click();
      await waitUntil(() => gateway.calls.pair.length === 1, 'the MES window');
      await el.updateComplete;
      expect(states(el)).to.deep.equal(['pending']);
      expect(text(part(el, 'label'))).to.equal('Synchronisation avec Mon espace santé…');
      expect(part(el, 'button')!.getAttribute('aria-disabled')).to.equal('true');
      expect(part(el, 'spinner')).to.exist;
      await expect(el).to.be.accessible();

      const other = await fixture<MesAgendaSyncButton>(
        html`<mes-agenda-sync-button .client=${onGateway().client}></mes-agenda-sync-button>`,
      );
      other.addEventListener('mes-pair-start', (event) => event.preventDefault());
      await other.sync();
      await other.updateComplete;
      expect(states(other)).to.deep.equal(['idle']);
      expect(part(other, 'error')).to.be.null;
    });

    it('says « déjà à jour » when there is nothing to write: a success, with nothing to confirm', async () => {
      const { el, writes } = await setup({ filed: [preop, admission, followUp] });
      let started = false;
      el.addEventListener('mes-agenda-sync-start', () => (started = true));
      const success = oneEvent(el, 'mes-agenda-sync-success');
      part(el, 'button')!.click();
      const detail: MesAgendaSyncSuccessDetail = (await success).detail;
      await el.updateComplete;
      expect(detail.failed).to.equal(0);
      expect(detail.counts).to.deep.equal({ create: 0, move: 0, update: 0, cancel: 0, unchanged: 3 });
      expect(started).to.be.false;
      expect(writes()).to.deep.equal([]);
      expect(states(el)).to.deep.equal(['success']);
      expect(part(el, 'plan')).to.be.null;
      expect(text(part(el, 'status'))).to.equal('Votre agenda Mon espace santé est déjà à jour.');
      await expect(el).to.be.accessible();
    });
  });

  describe('the run', () => {
    it('« Confirmer » writes the plan, fires start (ids), progress and success (no title, no time), and says each outcome', async () => {
      const { el, sandbox } = await setup({
        filed: [preop, admission, followUp],
        appointments: [movedPreop, followUp, imaging, physio, anaesthesia],
      });
      let start: MesAgendaSyncStartDetail | undefined;
      el.addEventListener('mes-agenda-sync-start', (event) => (start = event.detail));
      const progress: object[] = [];
      el.addEventListener('mes-agenda-sync-progress', (event) => progress.push(event.detail));
      await showPlan(el);
      const success = oneEvent(el, 'mes-agenda-sync-success');
      part(el, 'confirm')!.click();
      expect(el.shadowRoot!.activeElement, 'the focus back on the button').to.equal(part(el, 'button'));
      const detail: MesAgendaSyncSuccessDetail = (await success).detail;

      expect(Object.keys(start!)).to.deep.equal(['ids']);
      expect(start!.ids).to.have.members(['PREOP-1', 'IRM-1', 'KINE-1', 'ANES-1', 'ADM-1']);
      expect(progress.length).to.be.greaterThan(0);
      for (const event of progress) expect(Object.keys(event).sort()).to.deep.equal(['phase', 'ratio']);
      expect(detail.failed).to.equal(0);
      expect(detail.counts).to.deep.equal({ create: 3, move: 1, update: 0, cancel: 1, unchanged: 1 });
      for (const change of detail.changes) {
        expect(Object.keys(change).sort()).to.deep.equal(['action', 'id', 'outcome'], 'ids and outcomes only');
      }
      const stored = held(sandbox);
      expect(Object.keys(stored)).to.have.members(['PREOP-1', 'ADM-1', 'SUIVI-1', 'IRM-1', 'KINE-1', 'ANES-1']);
      expect(stored['ADM-1'].status).to.equal('cancelled');
      expect(Date.parse(stored['PREOP-1'].start)).to.equal(Date.parse(movedPreop.start as string));
      expect(stored['KINE-1'].status).to.equal('booked');

      await el.updateComplete;
      expect(states(el)).to.deep.equal(['success']);
      expect(text(part(el, 'status'))).to.equal(
        'Votre agenda Mon espace santé est à jour : 3 ajoutés, 1 déplacé, 1 annulé.',
      );
      expect(rows(el).map((row) => row.split(' | ').slice(0, 2).join(' | '))).to.have.members([
        'Consultation pré-opératoire | Déplacé',
        'IRM du genou | Ajouté',
        'Séance de kinésithérapie | Ajouté',
        'Consultation d’anesthésie | Ajouté',
        'Admission en chirurgie ambulatoire | Annulé',
      ]);
      expect(marks(el).every((mark) => mark === 'done ✓✗')).to.be.true;
      expect(part(el, 'plan')).to.be.null;
      expect(part(el, 'progress')).to.be.null;
      expect(text(part(el, 'label'))).to.equal('Mettre à jour mon agenda Mon espace santé');
      await expect(el).to.be.accessible();
    });

    for (const lang of ['fr', 'en']) {
      it(`shows one progress bar whose value is the percentage shown beside it (${lang})`, async () => {
        const { el, sandbox } = await setup({ lang });
        await showPlan(el);
        await sandbox.fetch('http://localhost:8787/sandbox/faults', {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ latencyMs: 250 }),
        });
        const success = oneEvent(el, 'mes-agenda-sync-success');
        part(el, 'confirm')!.click();
        await waitUntil(() => (part(el, 'progress') as HTMLProgressElement | null)?.value, 'the bar moves');
        await el.updateComplete;
        const bar = part(el, 'progress') as HTMLProgressElement;
        expect(parts(el, 'progress')).to.have.length(1);
        expect(bar.max).to.equal(100);
        expect(text(part(el, 'percent'))).to.equal(lang === 'fr' ? `${bar.value} %` : `${bar.value}%`);
        expect(bar.getAttribute('aria-label')).to.equal(
          lang === 'fr' ? 'Progression de la mise à jour' : 'Update progress',
        );
        expect(el.matches(':state(pending)')).to.be.true;
        expect(part(el, 'button')!.getAttribute('aria-disabled')).to.equal('true');
        expect(part(el, 'spinner')).to.exist;
        expect(text(part(el, 'label'))).to.equal(lang === 'fr' ? 'Mise à jour en cours…' : 'Updating…');
        expect(text(part(el, 'status'))).to.match(
          lang === 'fr' ? /^Mise à jour en cours : \d+ %$/ : /^Updating: \d+%$/,
        );
        await expect(el).to.be.accessible();
        await success;
        await el.updateComplete;
        expect(part(el, 'progress')).to.be.null;
      });
    }

    it('writes nothing when mes-agenda-sync-start is cancelled', async () => {
      const { el, sandbox, writes } = await setup();
      el.addEventListener('mes-agenda-sync-start', (event) => event.preventDefault());
      let progressed = false;
      el.addEventListener('mes-agenda-sync-progress', () => (progressed = true));
      await showPlan(el);
      await el.confirm();
      await el.updateComplete;
      expect(writes()).to.deep.equal([]);
      expect(held(sandbox)).to.deep.equal({});
      expect(progressed).to.be.false;
      expect(states(el)).to.deep.equal(['idle']);
      expect(part(el, 'list')).to.be.null;
    });

    for (const lang of ['fr', 'en']) {
      it(`says which appointment failed and why; « Réessayer » writes only that one (${lang})`, async () => {
        let down = true;
        const { el, sandbox, writes, requests } = await setup({
          lang,
          failWrite: (id) => down && id === 'ADM-1',
        });
        await showPlan(el);
        const success = oneEvent(el, 'mes-agenda-sync-success');
        part(el, 'confirm')!.click();
        const detail: MesAgendaSyncSuccessDetail = (await success).detail;
        expect(detail.failed).to.equal(1);
        const failed = detail.changes.find((change) => change.outcome === 'failed')!;
        expect(failed.id).to.equal('ADM-1');
        expect(failed.error!.code).to.equal('MES_UNAVAILABLE');
        expect(Object.keys(held(sandbox))).to.have.members(['PREOP-1', 'SUIVI-1']);

        await el.updateComplete;
        expect(states(el)).to.deep.equal(['success', 'partial']);
        expect(text(part(el, 'status'))).to.equal(
          lang === 'fr'
            ? '1 rendez-vous sur 3 n’a pas pu être mis à jour. Les autres sont à jour.'
            : '1 of 3 appointments could not be updated. The others are up to date.',
        );
        const cause =
          lang === 'fr'
            ? 'Mon espace santé est momentanément indisponible. Réessayez dans quelques minutes.'
            : 'Mon espace santé is temporarily unavailable. Try again in a few minutes.';
        expect(rows(el).find((row) => row.startsWith('Admission'))).to.equal(
          lang === 'fr'
            ? `Admission en chirurgie ambulatoire | Non mis à jour | lundi 8 avril 2030, 7 h | ${cause}`
            : `Admission en chirurgie ambulatoire | Not updated | Monday 8 April 2030, 7:00 am | ${cause}`,
        );
        expect(marks(el).filter((mark) => mark === 'failed ✓✗')).to.have.length(1);
        expect(text(part(el, 'label'))).to.equal(lang === 'fr' ? 'Réessayer' : 'Try again');
        await expect(el).to.be.accessible();

        down = false;
        requests.length = 0;
        let restarted: string[] = [];
        el.addEventListener('mes-agenda-sync-start', (event) => (restarted = event.detail.ids));
        const again = oneEvent(el, 'mes-agenda-sync-success');
        part(el, 'button')!.click();
        const retried: MesAgendaSyncSuccessDetail = (await again).detail;
        expect(restarted).to.deep.equal(['ADM-1']);
        expect(writes().map((request) => request.headers?.['if-none-exist'])).to.deep.equal([
          'identifier=urn%3Aoid%3A1.2.250.1.999.42.1%7CADM-1',
        ]);
        expect(retried.counts).to.deep.equal({ create: 1, move: 0, update: 0, cancel: 0, unchanged: 2 });
        expect(Object.keys(held(sandbox))).to.have.members(['PREOP-1', 'ADM-1', 'SUIVI-1']);
        await el.updateComplete;
        expect(states(el)).to.deep.equal(['success']);
        expect(marks(el)).to.deep.equal(['done ✓✗', 'done ✓✗', 'done ✓✗']);
        expect(text(part(el, 'status'))).to.equal(
          lang === 'fr'
            ? 'Votre agenda Mon espace santé est à jour : 3 ajoutés.'
            : 'Your Mon espace santé calendar is up to date: 3 added.',
        );
        await expect(el).to.be.accessible();
      });
    }
  });

  describe('keyboard', () => {
    it('syncs with the keyboard alone: Tab, Enter, the plan, Tab to « Confirmer », Enter', async () => {
      const { el, wrapper, sandbox } = await setup();
      wrapper.querySelector<HTMLButtonElement>('#before')!.focus();
      await sendKeys({ press: 'Tab' });
      expect(deepActive()).to.equal(part(el, 'button'));
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => el.matches(':state(planned)'), 'the plan');
      await el.updateComplete;
      expect(deepActive()).to.equal(part(el, 'title'));
      await sendKeys({ press: 'Tab' });
      expect(deepActive()).to.equal(part(el, 'cancel'));
      await sendKeys({ press: 'Tab' });
      expect(deepActive()).to.equal(part(el, 'confirm'));
      const success = oneEvent(el, 'mes-agenda-sync-success');
      await sendKeys({ press: 'Enter' });
      await success;
      await el.updateComplete;
      expect(deepActive()).to.equal(part(el, 'button'));
      expect(Object.keys(held(sandbox))).to.have.length(3);
    });
  });

  describe('one appointment', () => {
    for (const lang of ['fr', 'en']) {
      it(`« Ajouter à mon agenda Mon espace santé » writes that one at once, and says so (${lang})`, async () => {
        const { el, sandbox } = await setup({ lang, appointmentId: 'SUIVI-1', filed: [preop] });
        const button = part(el, 'button')!;
        expect(text(button)).to.equal(
          lang === 'fr'
            ? 'Ajouter à mon agenda Mon espace santé — Consultation de suivi'
            : 'Add to my Mon espace santé calendar — Consultation de suivi',
        );
        await expect(el).to.be.accessible();
        let start: MesAgendaSyncStartDetail | undefined;
        el.addEventListener('mes-agenda-sync-start', (event) => (start = event.detail));
        const success = oneEvent(el, 'mes-agenda-sync-success');
        button.click();
        const detail: MesAgendaSyncSuccessDetail = (await success).detail;
        expect(start).to.deep.equal({ ids: ['SUIVI-1'] });
        expect(detail.changes).to.deep.equal([{ id: 'SUIVI-1', action: 'create', outcome: 'done' }]);
        expect(Object.keys(held(sandbox))).to.have.members(['PREOP-1', 'SUIVI-1'], 'the others left alone');
        await el.updateComplete;
        expect(part(el, 'plan')).to.be.null;
        expect(states(el)).to.deep.equal(['success']);
        expect(text(part(el, 'label'))).to.equal(
          lang === 'fr' ? 'Ajouté à votre agenda Mon espace santé' : 'Added to your Mon espace santé calendar',
        );
        expect(text(part(el, 'status'))).to.equal(text(part(el, 'label')));
        expect(button.getAttribute('aria-disabled')).to.equal('true');
        await expect(el).to.be.accessible();
      });
    }

    it('says it is already there, or that it moved', async () => {
      const { el } = await setup({ appointmentId: 'PREOP-1', filed: [preop] });
      part(el, 'button')!.click();
      await waitUntil(() => el.matches(':state(success)'));
      await el.updateComplete;
      expect(text(part(el, 'label'))).to.equal('Déjà dans votre agenda Mon espace santé');

      el.appointments = [movedPreop, admission, followUp];
      await el.updateComplete;
      expect(states(el), 'a new list: back to idle').to.deep.equal(['idle']);
      expect(text(part(el, 'label'))).to.equal('Ajouter à mon agenda Mon espace santé');
      part(el, 'button')!.click();
      await waitUntil(() => el.matches(':state(success)'));
      await el.updateComplete;
      expect(text(part(el, 'label'))).to.equal('Déplacé dans votre agenda Mon espace santé');
    });

    it('keeps its outcome when the host hands the same appointments again', async () => {
      const { el } = await setup({ appointmentId: 'PREOP-1' });
      part(el, 'button')!.click();
      await waitUntil(() => el.matches(':state(success)'));
      el.appointments = structuredClone([preop, admission, followUp]);
      await el.updateComplete;
      expect(states(el)).to.deep.equal(['success']);
    });

    it('fails as a whole when MES cannot take it: the error, and « Réessayer »', async () => {
      let down = true;
      const { el, sandbox } = await setup({ appointmentId: 'ADM-1', failWrite: () => down });
      const error = oneEvent(el, 'mes-agenda-sync-error');
      part(el, 'button')!.click();
      expect((await error).detail.error.code).to.equal('MES_UNAVAILABLE');
      await el.updateComplete;
      expect(states(el)).to.deep.equal(['error']);
      expect(text(part(el, 'error'))).to.equal(
        'Mon espace santé est momentanément indisponible. Réessayez dans quelques minutes.',
      );
      expect(text(part(el, 'label'))).to.equal('Réessayer');
      expect(part(el, 'download'), 'paired: no .ics instead').to.be.null;
      await expect(el).to.be.accessible();
      down = false;
      part(el, 'button')!.click();
      await waitUntil(() => el.matches(':state(success)'));
      expect(Object.keys(held(sandbox))).to.deep.equal(['ADM-1']);
    });
  });

  describe('the .ics file instead', () => {
    it('when the patient refused writing to the agenda: says so, and offers a real .ics link (VCALENDAR, Paris time)', async () => {
      const { el, client, writes } = await setup({ paired: false });
      await client.recordRefusal(['AGENDA_ECRITURE'], '1');
      let paired = false;
      el.addEventListener('mes-pair-start', () => (paired = true));
      const error = oneEvent(el, 'mes-agenda-sync-error');
      part(el, 'button')!.click();
      expect((await error).detail.error.code).to.equal('MES_CONSENT_REQUIRED');
      expect(paired, 'MES is not opened again').to.be.false;
      const { link, events, timezones } = await calendarOf(el);
      await el.updateComplete;
      expect(states(el)).to.deep.equal(['error', 'consent-required']);
      expect(text(part(el, 'error'))).to.equal(
        'Vous avez choisi de ne pas autoriser l’ajout de rendez-vous à votre agenda Mon espace santé. Modifiez vos autorisations pour le permettre.',
      );
      expect(link.tagName).to.equal('A');
      expect(link.getAttribute('download')).to.equal('rendez-vous.ics');
      expect(link.href).to.match(/^blob:/);
      expect(text(link)).to.equal('Télécharger le fichier .ics');
      expect(text(part(el, 'calendar-text'))).to.equal(
        'Vous pouvez aussi ajouter vos rendez-vous à l’agenda de votre téléphone ou de votre ordinateur :',
      );
      expect(timezones).to.deep.equal(['Europe/Paris']);
      expect(events.map(({ summary, tzid, start }) => [summary, tzid, start])).to.deep.equal([
        ['Consultation pré-opératoire', 'Europe/Paris', '2030-04-01T09:30:00'],
        ['Admission en chirurgie ambulatoire', 'Europe/Paris', '2030-04-08T07:00:00'],
        ['Consultation de suivi', 'Europe/Paris', '2030-04-22T14:00:00'],
      ]);
      expect(events[0].uid).to.equal('PREOP-1@1.2.250.1.999.42.1');
      expect(writes()).to.deep.equal([]);
      await expect(el).to.be.accessible();
    });

    it('for one appointment, the file holds that one; a new failure makes a new file and revokes the old one', async () => {
      const { el, client } = await setup({ paired: false, appointmentId: 'SUIVI-1', lang: 'en' });
      await client.recordRefusal(['AGENDA_ECRITURE'], '1');
      part(el, 'button')!.click();
      const first = await calendarOf(el);
      expect(first.events.map((event) => event.summary)).to.deep.equal(['Consultation de suivi']);
      expect(first.link.getAttribute('download')).to.equal('appointments.ics');
      expect(text(first.link)).to.equal('Download the .ics file');
      expect(text(part(el, 'calendar-text'))).to.equal(
        'You can also add this appointment to the calendar on your phone or computer:',
      );
      await expect(el).to.be.accessible();
      const oldHref = first.link.href;
      part(el, 'button')!.click();
      await waitUntil(() => (part(el, 'download') as HTMLAnchorElement | null)?.href !== oldHref, 'a new file');
      let revoked = false;
      await fetch(oldHref).catch(() => (revoked = true));
      expect(revoked, 'the old blob: URL is revoked').to.be.true;
    });

    it('when MES no longer knows the pairing: not paired, and the .ics file', async () => {
      const { el, sandbox } = await setup();
      await sandbox.fetch('http://localhost:8787/sandbox/pairings/camille/mes-kit-demo', { method: 'DELETE' });
      const error = oneEvent(el, 'mes-agenda-sync-error');
      part(el, 'button')!.click();
      expect((await error).detail.error.code).to.equal('MES_AUTH_REQUIRED');
      await calendarOf(el);
      await el.updateComplete;
      expect(states(el)).to.deep.equal(['error', 'not-paired']);
      expect(text(part(el, 'error'))).to.equal(
        'Ce service n’est pas synchronisé avec Mon espace santé, ou ne l’est plus. Synchronisez-le pour continuer.',
      );
      await expect(el).to.be.accessible();
    });

    it('when the pairing window is blocked: continue in this tab, or the .ics file the gateway serves', async () => {
      const { client, calendars, transport } = onGateway({ pairing: 'blocked' });
      const el = await fixture<MesAgendaSyncButton>(
        html`<mes-agenda-sync-button .client=${client}></mes-agenda-sync-button>`,
      );
      const error = oneEvent(el, 'mes-agenda-sync-error');
      part(el, 'button')!.click();
      expect((await error).detail.error.code).to.equal('MES_POPUP_BLOCKED');
      const { events } = await calendarOf(el);
      await el.updateComplete;
      expect(states(el)).to.deep.equal(['error', 'not-paired']);
      expect(text(part(el, 'fallback'))).to.equal('Continuer la synchronisation dans cet onglet');
      expect(calendars).to.deep.equal([undefined], 'the whole agenda, from the gateway');
      expect(events.map((event) => event.summary)).to.deep.equal(['Consultation pré-opératoire']);
      expect((transport as unknown as { calls: { run: unknown[] } }).calls.run).to.deep.equal([]);
      await expect(el).to.be.accessible();
    });

    it('when the patient cancels the pairing: not paired, and the file of that one appointment from the gateway', async () => {
      const { client, calendars, transport } = onGateway();
      transport.pair = () => Promise.reject(new MesError('MES_PAIRING_CANCELLED', { operation: 'pair' }));
      const el = await fixture<MesAgendaSyncButton>(
        html`<mes-agenda-sync-button .client=${client} appointment-id="PREOP-1"></mes-agenda-sync-button>`,
      );
      part(el, 'button')!.click();
      await calendarOf(el);
      await el.updateComplete;
      expect(states(el)).to.deep.equal(['error', 'not-paired']);
      expect(calendars).to.deep.equal([['PREOP-1']]);
      expect(text(part(el, 'error'))).to.equal(
        'La synchronisation n’a pas abouti : la fenêtre Mon espace santé a été fermée avant la fin. Réessayez quand vous le souhaitez.',
      );
    });

    it('when the patient keeps AGENDA_ECRITURE back in MES: consent required, and the file', async () => {
      const { client, gateway } = onGateway({ pairing: 'held' });
      const el = await fixture<MesAgendaSyncButton>(
        html`<mes-agenda-sync-button .client=${client}></mes-agenda-sync-button>`,
      );
      part(el, 'button')!.click();
      await waitUntil(() => gateway.calls.pair.length === 1);
      gateway.release(['DOC_ECRITURE']);
      await calendarOf(el);
      await el.updateComplete;
      expect(states(el)).to.deep.equal(['error', 'consent-required']);
    });
  });

  describe('gateway mode', () => {
    it('sends no appointments: the gateway plans and writes the portal’s own', async () => {
      const plan: SyncAgendaResult = {
        dryRun: true,
        changes: [
          {
            id: 'RDV-9',
            action: 'create',
            title: 'Bilan sanguin',
            start: '2030-06-03T08:00:00+02:00',
            outcome: 'planned',
          },
        ],
        counts: { create: 1, move: 0, update: 0, cancel: 0, unchanged: 0 },
        failed: 0,
      };
      const { client, gateway } = onGateway({
        paired: ['AGENDA_ECRITURE'],
        run: async (_name: RunnableOperation, input) =>
          (input as { dryRun?: boolean }).dryRun
            ? plan
            : { ...plan, dryRun: false, changes: plan.changes.map((change) => ({ ...change, outcome: 'done' })) },
      });
      const el = await fixture<MesAgendaSyncButton>(
        html`<mes-agenda-sync-button .client=${client}></mes-agenda-sync-button>`,
      );
      await showPlan(el);
      expect(rows(el)).to.deep.equal(['Bilan sanguin | Nouveau | lundi 3 juin 2030, 8 h']);
      const success = oneEvent(el, 'mes-agenda-sync-success');
      part(el, 'confirm')!.click();
      await success;
      expect(gateway.calls.run).to.deep.equal([
        { name: 'sync-agenda', input: { dryRun: true } },
        { name: 'sync-agenda', input: {} },
      ]);
    });
  });

  describe('errors', () => {
    it('names the host’s mistake before any pairing: an appointment without a timezone', async () => {
      const { el, requests } = await setup({
        paired: false,
        appointments: [preop, { ...admission, start: '2030-04-08T07:00:00' }],
      });
      let paired = false;
      el.addEventListener('mes-pair-start', () => (paired = true));
      const error = oneEvent(el, 'mes-agenda-sync-error');
      part(el, 'button')!.click();
      const { detail } = await error;
      expect([detail.error.code, detail.error.field]).to.deep.equal(['MES_INVALID_INPUT', 'appointments[1].start']);
      await el.updateComplete;
      expect(paired).to.be.false;
      expect(requests).to.deep.equal([]);
      expect(states(el)).to.deep.equal(['error']);
      expect(text(part(el, 'error'))).to.equal(
        'Vos rendez-vous n’ont pas été envoyés. Un rendez-vous est incomplet ou son horaire n’est pas valide : signalez-le au service.',
      );
      expect(part(el, 'download')).to.be.null;
      await expect(el).to.be.accessible();
    });

    for (const appointmentId of [undefined, 'PREOP-1']) {
      it(`says the portal gave no appointments, before any pairing (${appointmentId ? 'one' : 'all'})`, async () => {
        const sandbox = await createInPageSandbox({ seeded: false });
        const client = new MesClient({ transport: inProcessTransport(sandbox) });
        const el = await fixture<MesAgendaSyncButton>(
          html`<mes-agenda-sync-button
            .client=${client}
            appointment-id=${appointmentId ?? nothing}
          ></mes-agenda-sync-button>`,
        );
        let paired = false;
        el.addEventListener('mes-pair-start', () => (paired = true));
        const error = oneEvent(el, 'mes-agenda-sync-error');
        part(el, 'button')!.click();
        const { detail } = await error;
        expect([detail.error.code, detail.error.field]).to.deep.equal(['MES_INVALID_INPUT', 'appointments']);
        await el.updateComplete;
        expect(paired).to.be.false;
        expect(states(el)).to.deep.equal(['error']);
        expect(text(part(el, 'error'))).to.equal(
          'Vos rendez-vous n’ont pas été envoyés. Le portail n’a pas transmis vos rendez-vous.',
        );
      });
    }

    it('a pairing made elsewhere on the client puts a « not paired » comparison right: back to idle', async () => {
      const { el, sandbox, client } = await setup();
      await sandbox.fetch('http://localhost:8787/sandbox/pairings/camille/mes-kit-demo', { method: 'DELETE' });
      await showPlan(el);
      expect(states(el)).to.deep.equal(['error', 'not-paired']);
      await client.pair(['AGENDA_ECRITURE']);
      await el.updateComplete;
      expect(states(el)).to.deep.equal(['idle']);
      expect(part(el, 'error')).to.be.null;
      expect(part(el, 'download')).to.be.null;
    });

    it('a comparison that fails may be tried again', async () => {
      const { el, sandbox } = await setup();
      await sandbox.fetch('http://localhost:8787/sandbox/faults', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ errorRate: 1, statuses: [503] }),
      });
      const error = oneEvent(el, 'mes-agenda-sync-error');
      part(el, 'button')!.click();
      expect((await error).detail.error.code).to.equal('MES_UNAVAILABLE');
      await el.updateComplete;
      expect(states(el)).to.deep.equal(['error']);
      expect(text(part(el, 'label'))).to.equal('Réessayer');
      await sandbox.fetch('http://localhost:8787/sandbox/faults', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ errorRate: 0 }),
      });
      await showPlan(el);
      expect(states(el)).to.deep.equal(['planned']);
    });

    it('leaving the page during the comparison reports nothing', async () => {
      const { el, sandbox, wrapper } = await setup();
      await sandbox.fetch('http://localhost:8787/sandbox/faults', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ latencyMs: 200 }),
      });
      let reported = false;
      el.addEventListener('mes-agenda-sync-error', () => (reported = true));
      part(el, 'button')!.click();
      await waitUntil(() => el.matches(':state(pending)'));
      el.remove();
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(reported).to.be.false;
      wrapper.append(el);
      await el.updateComplete;
      expect(states(el)).to.deep.equal(['idle']);
    });
  });

  describe('styling', () => {
    it('documents every --mes-agenda-sync-button-* token it uses, and uses every one it documents', async () => {
      const declaration = await declarationOf('mes-agenda-sync-button');
      expect(tokensUsed(MesAgendaSyncButton, 'mes-agenda-sync-button')).to.deep.equal(
        declaration.cssProperties.map((property) => property.name).sort(),
      );
      expect(declaration.cssStates.map((state) => state.name)).to.have.members(STATES);
    });
  });
});
