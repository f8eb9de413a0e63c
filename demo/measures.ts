/**
 * A measure vendor's page (connected scale, glucose sensor): the readings its back end holds for the
 * patient, « Envoyer mes mesures vers Mon espace santé » (the gateway takes them from that back end,
 * never from this page), and, for the scale, the report the vendor writes, sent by ref. The glucose
 * page draws its own copy of the readings, and colours the curve as the progress events say they
 * arrive in MES.
 */
import '@mes-kit/elements/all.js';
import { describeFinalities, type MeasureKind, type MeasureReading, type MeasureSeries } from '@mes-kit/core';
import { byId, element, portalUser, showLogin, showUser, type Me } from './page.js';

const vendor = document.body.dataset['vendor']!;
const SVG = 'http://www.w3.org/2000/svg';

const number = (value: number) => value.toLocaleString('fr-FR', { maximumFractionDigits: 1 });
const day = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: 'numeric', month: 'long' });
const clock = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: 'numeric', minute: '2-digit' });
const shortDay = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit' });

/** « le 29 novembre à 7 h 12 ». */
function when(at: MeasureReading['at']): string {
  const date = new Date(at);
  const [hours, minutes] = clock.format(date).split(':');
  return `le ${day.format(date)} à ${Number(hours)} h ${minutes}`;
}

const LABELS: Partial<Record<MeasureKind, string>> = {
  weight: 'Poids',
  'blood-pressure': 'Tension artérielle',
  'heart-rate': 'Fréquence cardiaque',
  temperature: 'Température',
  'interstitial-glucose': 'Glucose interstitiel',
};

/** A reading as the patient reads it on the device. */
function valueOf(kind: MeasureKind, reading: MeasureReading): string {
  switch (kind) {
    case 'blood-pressure':
      return `${reading.systolic}/${reading.diastolic} mmHg`;
    case 'weight':
      return `${number(reading.value!)} kg`;
    case 'heart-rate':
      return `${reading.value} battements/min`;
    case 'temperature':
      return `${number(reading.value!)} °C`;
    default:
      return `${number(reading.value!)} mg/dL`;
  }
}

/** One card per device: what it measures, its latest reading, how many since when. */
function showDevices(series: MeasureSeries[]) {
  const devices = new Map<string, MeasureSeries[]>();
  for (const one of series) devices.set(one.device.serial, [...(devices.get(one.device.serial) ?? []), one]);
  byId('devices').replaceChildren(
    ...[...devices.values()].map((measured) => {
      const { device } = measured[0];
      const item = element('li', undefined, { class: 'document device' });
      const text = element('div');
      text.append(element('h3', [device.name, device.model].filter(Boolean).join(' — ')));
      for (const one of measured) {
        const latest = one.readings[one.readings.length - 1];
        const count = one.readings.length;
        text.append(
          element('p', `${LABELS[one.kind] ?? one.kind} : ${valueOf(one.kind, latest)}, ${when(latest.at)}`, {
            class: 'latest',
          }),
          element(
            'p',
            `${count.toLocaleString('fr-FR')} mesure${count > 1 ? 's' : ''} depuis le ${day.format(new Date(one.readings[0].at))}`,
          ),
        );
      }
      item.append(text);
      return item;
    }),
  );
}

/** An SVG element with its attributes (no markup: the page runs under Trusted Types). */
function shape<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

/**
 * The sensor's 14 days as a curve, the target range behind it; the part already in MES in the
 * brand's colour. Returns how to colour the first `done` readings.
 */
function drawGlucose(readings: MeasureReading[]): (done: number) => void {
  const width = 960;
  const height = 260;
  const left = 44;
  const right = 12;
  const top = 12;
  const bottom = 30;
  const [low, high] = [40, 320];
  const times = readings.map((reading) => new Date(reading.at).getTime());
  const start = times[0];
  const span = times[times.length - 1] - start || 1;
  const x = (time: number) => left + ((time - start) / span) * (width - left - right);
  const y = (value: number) =>
    top + (1 - (Math.min(high, Math.max(low, value)) - low) / (high - low)) * (height - top - bottom);
  const points = readings.map((reading, i) => `${x(times[i]).toFixed(1)},${y(reading.value!).toFixed(1)}`).join(' ');

  const chart = shape('svg', { viewBox: `0 0 ${width} ${height}`, 'aria-hidden': 'true', focusable: 'false' });
  chart.append(
    shape('rect', { class: 'target', x: left, y: y(180), width: width - left - right, height: y(70) - y(180) }),
  );
  for (const value of [70, 180, 250]) {
    chart.append(shape('line', { class: 'grid', x1: left, x2: width - right, y1: y(value), y2: y(value) }));
    const label = shape('text', { class: 'axis', x: left - 6, y: y(value) + 4, 'text-anchor': 'end' });
    label.textContent = String(value);
    chart.append(label);
  }
  // A tick at each Paris midnight, labelled every other day.
  const midnights = times.filter((time, i) => i > 0 && shortDay.format(time) !== shortDay.format(times[i - 1]));
  midnights.forEach((time, i) => {
    chart.append(
      shape('line', { class: 'tick', x1: x(time), x2: x(time), y1: height - bottom, y2: height - bottom + 5 }),
    );
    if (i % 2 === 0) {
      const label = shape('text', { class: 'axis', x: x(time), y: height - 8, 'text-anchor': 'middle' });
      label.textContent = shortDay.format(time);
      chart.append(label);
    }
  });
  const defs = shape('defs', {});
  const clip = shape('clipPath', { id: 'sent-part' });
  const shown = shape('rect', { x: 0, y: 0, width: 0, height });
  clip.append(shown);
  defs.append(clip);
  chart.append(
    defs,
    shape('polyline', { class: 'waiting', points }),
    shape('polyline', { class: 'sent', points, 'clip-path': 'url(#sent-part)' }),
  );
  byId('chart-frame').replaceChildren(chart);

  const values = readings.map((reading) => reading.value!);
  const inRange = values.filter((value) => value >= 70 && value <= 180).length;
  const [first, last] = [readings[0].at, readings[readings.length - 1].at].map((at) => day.formatToParts(new Date(at)));
  const [firstDay, lastDay] = [first, last].map((parts) => parts.find((part) => part.type === 'day')!.value);
  const [firstMonth, lastMonth] = [first, last].map((parts) => parts.find((part) => part.type === 'month')!.value);
  const period =
    firstMonth === lastMonth
      ? `du ${firstDay} au ${lastDay} ${lastMonth}`
      : `du ${firstDay} ${firstMonth} au ${lastDay} ${lastMonth}`;
  byId('chart-caption').textContent =
    `Glucose interstitiel, ${values.length.toLocaleString('fr-FR')} mesures ${period} : ` +
    `de ${Math.min(...values)} à ${Math.max(...values)} mg/dL, ${Math.round((inRange / values.length) * 100)} % du temps dans la cible.`;
  byId('chart').hidden = false;

  const total = readings.length.toLocaleString('fr-FR');
  const count = byId('chart-count');
  count.textContent = `${total} mesures prêtes à être envoyées.`;
  return (done: number) => {
    shown.setAttribute('width', done > 0 ? String(x(times[Math.min(done, times.length) - 1]) + 1) : '0');
    count.textContent = `Dans Mon espace santé\u00a0: ${done.toLocaleString('fr-FR')} / ${total}`;
  };
}

/** The glucose curve follows the button's progress, once a frame at most. */
function follow(button: HTMLElement, colour: (done: number) => void) {
  let pending: number | undefined;
  let done = 0;
  const show = (count: number) => {
    done = count;
    pending ??= requestAnimationFrame(() => {
      pending = undefined;
      colour(done);
    });
  };
  button.addEventListener('mes-measures-send-start', () => show(0));
  button.addEventListener('mes-measures-send-progress', (event) => {
    if (event.detail.done !== undefined) show(event.detail.done);
  });
  button.addEventListener('mes-measures-send-success', (event) => {
    const { created, present } = event.detail.total;
    show(created + present);
  });
}

interface Report {
  ref: string;
  heading: string;
  subtitle: string;
  title: string;
}

/** The vendor's reports, each sent by ref: its bytes go from the vendor's back end to MES. */
async function showReports() {
  const response = await fetch(`/portal/reports/${vendor}`, { credentials: 'same-origin' });
  const reports = response.ok ? ((await response.json()) as Report[]) : [];
  byId('reports').hidden = reports.length === 0;
  byId('report-list').replaceChildren(
    ...reports.map((report) => {
      const item = element('li', undefined, { class: 'document' });
      const text = element('div');
      text.append(
        element('h3', report.heading),
        element('p', report.subtitle),
        element('a', 'Ouvrir le bilan (PDF)', { href: `/portal/reports/${vendor}/${encodeURIComponent(report.ref)}` }),
      );
      item.append(
        text,
        element('mes-send-document-button', undefined, {
          'document-ref': report.ref,
          'document-title': report.title,
          'mes-url': 'http://localhost:8787/',
        }),
      );
      return item;
    }),
  );
}

async function showSpace(me: Me) {
  showUser(me);
  for (const prompt of document.querySelectorAll('mes-consent-prompt')) {
    prompt.finalities = describeFinalities((document.body.dataset['finalities'] ?? '').split(' ').filter(Boolean));
  }
  byId('space').hidden = false;
  const response = await fetch(`/portal/measures/${vendor}`, { credentials: 'same-origin' });
  const series = response.ok ? ((await response.json()) as MeasureSeries[]) : [];
  const button = byId('send-measures');
  byId('measures-empty').hidden = series.length > 0;
  byId('measures-note').hidden = series.length === 0;
  button.hidden = series.length === 0;
  showDevices(series);
  const glucose = series.find((one) => one.kind === 'interstitial-glucose');
  if (glucose) follow(button, drawGlucose(glucose.readings));
  await showReports();
}

const me = await portalUser();
if (me.user) await showSpace(me);
else showLogin(me);
