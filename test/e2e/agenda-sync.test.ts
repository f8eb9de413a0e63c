import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import ICAL from 'ical.js';
import type { Page } from 'playwright';
import { acceptInMes, startPortal, type Portal } from '../helpers/portal.js';

/** The clinic brand's service in MES (its OID: the system of its appointments' identifiers). */
const TILLEULS = 'urn:oid:1.2.250.1.999.42.3';

interface Stored {
  identifier: { system: string; value: string }[];
  status: string;
  start: string;
  end: string;
  description: string;
}

/** The iCalendar file's events: id, status and instants, through its VTIMEZONE. */
function eventsOf(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  return calendar.getAllSubcomponents('vevent').map((component) => {
    const event = new ICAL.Event(component);
    return {
      id: event.uid.split('@')[0],
      status: String(component.getFirstPropertyValue('status')),
      start: event.startDate.toJSDate().getTime(),
      end: event.endDate.toJSDate().getTime(),
      title: event.summary,
    };
  });
}

describe('end to end: the portal’s appointments in the MES agenda, in Chromium', () => {
  let product: Portal;
  before(async () => {
    product = await startPortal();
  });
  after(() => product?.close());

  /** What MES's agenda holds for Camille that this service filed. */
  async function stored(system: string): Promise<Stored[]> {
    const response = await fetch(`${product.sandbox.url}/sandbox/patients/camille/Appointment`);
    const bundle = (await response.json()) as { entry?: { resource: Stored }[] };
    return (bundle.entry ?? [])
      .map((entry) => entry.resource)
      .filter((resource) => resource.identifier?.[0]?.system === system)
      .sort((a, b) => a.identifier[0].value.localeCompare(b.identifier[0].value));
  }

  async function openAs(page: Page, path: string, name: string) {
    await page.goto(`${product.url}${path}`);
    await page.locator('#accounts').getByRole('button', { name }).click();
    await page.locator('#appointments mes-agenda-sync-button').first().waitFor();
  }

  it('syncs the clinic journey, then a move and a cancellation: MES holds exactly that, and the .ics file too', async () => {
    const context = await product.browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/.test(message.text())) errors.push(message.text());
    });
    await openAs(page, '/tilleuls.html', 'Camille Martin');
    const all = page.locator('#agenda > mes-agenda-sync-button');
    const sync = all.getByRole('button', { name: 'Mettre à jour mon agenda Mon espace santé' });
    const [popup] = await Promise.all([context.waitForEvent('page'), sync.click()]);
    await acceptInMes(popup, 'Camille Martin');

    // The plan first; nothing is written before the patient confirms.
    await all.getByText('4 nouveaux').waitFor();
    assert.deepEqual(await stored(TILLEULS), []);
    await page.screenshot({ path: '/tmp/e2e-agenda-plan.png', fullPage: true });
    await all.getByRole('button', { name: 'Confirmer' }).click();
    await page.waitForFunction(() =>
      document.querySelector('#agenda > mes-agenda-sync-button')?.matches(':state(success)'),
    );
    const first = await stored(TILLEULS);
    assert.deepEqual(
      first.map((a) => [a.identifier[0].value, a.status]),
      [
        ['TIL-ADM-1', 'booked'],
        ['TIL-ANESTH-1', 'booked'],
        ['TIL-PREOP-1', 'booked'],
        ['TIL-SUIVI-1', 'booked'],
      ],
    );

    // The secretariat moves the follow-up and cancels the pre-op consultation.
    await page.locator('.demo-controls summary').click();
    await page.getByRole('button', { name: 'Le secrétariat déplace le dernier rendez-vous' }).click();
    await page.getByText('Le dernier rendez-vous a été déplacé').waitFor();
    await page.getByRole('button', { name: 'Le secrétariat annule le premier rendez-vous' }).click();
    await page.getByText('Le premier rendez-vous a été annulé').waitFor();
    await sync.click();
    await all.getByText('1 déplacé, 1 annulé').waitFor();
    await all.getByRole('button', { name: 'Confirmer' }).click();
    await page.waitForFunction(() =>
      document.querySelector('#agenda > mes-agenda-sync-button')?.matches(':state(success)'),
    );
    await page.screenshot({ path: '/tmp/e2e-agenda-synced.png', fullPage: true });
    const second = await stored(TILLEULS);
    assert.deepEqual(
      second.map((a) => [a.identifier[0].value, a.status]),
      [
        ['TIL-ADM-1', 'booked'],
        ['TIL-ANESTH-1', 'booked'],
        ['TIL-PREOP-1', 'cancelled'],
        ['TIL-SUIVI-1', 'booked'],
      ],
      'nothing deleted, nothing twice',
    );
    const followUp = (list: Stored[]) => Date.parse(list.find((a) => a.identifier[0].value === 'TIL-SUIVI-1')!.start);
    assert.equal(followUp(second) - followUp(first), 2 * 24 * 3_600_000, 'moved by two days');

    // The same agenda as a file: the gateway builds it from the clinic's own list.
    const ics = await page.evaluate(async () => {
      const response = await fetch('/tilleuls/mes/agenda.ics', { headers: { 'x-mes-kit': '1' } });
      return response.text();
    });
    const events = eventsOf(ics).sort((a, b) => a.id.localeCompare(b.id));
    assert.deepEqual(
      events.map((e) => [e.id, e.status, e.start, e.end]),
      second.map((a) => [
        a.identifier[0].value,
        a.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
        Date.parse(a.start),
        Date.parse(a.end),
      ]),
    );
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('refused in MES: the patient gets the .ics file of the pharmacy appointment instead', async () => {
    const context = await product.browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await openAs(page, '/pharmacie.html', 'Nadia Haddad');
    const one = page.locator('#appointments mes-agenda-sync-button').first();
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      one.getByRole('button', { name: 'Ajouter à mon agenda Mon espace santé' }).click(),
    ]);
    await popup.getByRole('button', { name: 'Nadia Haddad' }).click();
    // Listening before the click: the window may close before a listener added after it.
    const closed = popup.waitForEvent('close');
    await popup.getByRole('button', { name: 'Tout refuser' }).click();
    await closed;
    const link = one.getByRole('link', { name: /Télécharger le fichier \.ics/ });
    await link.waitFor();
    await page.screenshot({ path: '/tmp/e2e-agenda-refused.png', fullPage: true });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.match(download.suggestedFilename(), /\.ics$/);
    const events = eventsOf(await readFile(await download.path(), 'utf8'));
    assert.deepEqual(
      events.map((e) => [e.id, e.status, e.title]),
      [['PHA-ENTRETIEN-1', 'CONFIRMED', 'Entretien pharmaceutique — bilan de vos traitements']],
    );
    const response = await fetch(`${product.sandbox.url}/sandbox/patients/nadia/Appointment`);
    const bundle = (await response.json()) as { entry?: unknown[] };
    assert.equal(bundle.entry?.length ?? 0, 0, 'nothing filed in MES');
    await context.close();
  });
});
