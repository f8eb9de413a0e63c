import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { nothing } from 'lit';
import { sendKeys } from '@web/test-runner-commands';
import {
  MesClient,
  MesError,
  inProcessTransport,
  type FhirRequest,
  type LocalTransport,
  type MeasureSeries,
  type MeasuresSummary,
  type RemoteTransport,
  type RunnableOperation,
  type SendMeasuresResult,
} from '@mes-kit/core';
import '../../packages/elements/src/all.js';
import {
  MesSendMeasuresButton,
  type MesMeasuresSendStartDetail,
  type MesMeasuresSendSuccessDetail,
} from '../../packages/elements/src/index.js';
import { createInPageSandbox } from '../../packages/sandbox/src/in-page.js';
import { fakeGateway, type FakeGatewayOptions } from '../../stories/_helpers/fake-gateway.js';
import { declarationOf, deepActive, part, parts, statesOf, text, tokensUsed } from '../helpers/shadow-dom.js';

type Sandbox = Awaited<ReturnType<typeof createInPageSandbox>>;

const DAY = 86_400_000;
/** Every morning from 12 to 25 November 2025, Paris time: in the past, whenever the tests run. */
const MORNINGS = Array.from({ length: 14 }, (_, i) => Date.parse('2025-11-12T07:30:00+01:00') + i * DAY);
const SCALE = {
  serial: 'FE-ED-AB-AA-DE-AD-77-C5',
  kind: 'weight-scale',
  manufacturer: 'Pesée+',
  model: 'BC-20',
} as const;
const CUFF = { serial: 'FE-ED-AB-AA-DE-AD-77-C6', kind: 'blood-pressure-monitor', manufacturer: 'Pesée+' } as const;

/** Camille's scale: 68,4 kg down to 67,1 kg. */
const WEIGHTS: MeasureSeries = {
  kind: 'weight',
  device: SCALE,
  readings: MORNINGS.map((at, i) => ({
    id: `W-${i + 1}`,
    at: new Date(at).toISOString(),
    value: +(68.4 - i * 0.1).toFixed(1),
  })),
};
/** Her blood-pressure cuff, a few minutes later. */
const PRESSURES: MeasureSeries = {
  kind: 'blood-pressure',
  device: CUFF,
  readings: MORNINGS.map((at, i) => ({
    id: `BP-${i + 1}`,
    at: new Date(at + 5 * 60_000).toISOString(),
    systolic: 118 + ((i * 5) % 14),
    diastolic: 74 + ((i * 3) % 9),
  })),
};
/** Nadia's glucose sensor: a reading every 15 minutes for 14 days, 1,344 of them. */
const GLUCOSE: MeasureSeries = {
  kind: 'interstitial-glucose',
  device: { serial: 'CGM-14-0042', kind: 'continuous-glucose-monitor', manufacturer: 'GlycoSuivi' },
  days: 14,
  readings: Array.from({ length: 1344 }, (_, i) => ({
    at: new Date(Date.parse('2025-11-12T00:07:00+01:00') + i * 15 * 60_000).toISOString(),
    value: 62 + ((i * 37) % 187),
  })),
};
const LOINC_BLOOD_PRESSURE = '85354-9';

interface SetupOptions {
  /** Paired with these finalités (default: writing weight and blood pressure); `false`: not paired. */
  paired?: string[] | false;
  persona?: string;
  lang?: string;
  series?: MeasureSeries[];
  kinds?: string;
  /** MES answers 503 to a reading's transaction while this returns true (its kind by its LOINC code in the body). */
  failWrite?: (request: FhirRequest) => boolean;
}

/** The unseeded in-page sandbox, and a button on a client for Camille (or `persona`). */
async function setup(options: SetupOptions = {}) {
  const sandbox = await createInPageSandbox({ seeded: false });
  const base = inProcessTransport(sandbox, {
    persona: options.persona ?? 'camille',
    pairedWith:
      options.paired === false ? undefined : (options.paired ?? ['MESURE_POIDS_ECRITURE', 'MESURE_TENSION_ECRITURE']),
  });
  const requests: FhirRequest[] = [];
  const transport: LocalTransport = {
    ...base,
    async request(request, requestOptions) {
      requests.push(request);
      if (request.method !== 'GET' && options.failWrite?.(request)) {
        return new Response(
          JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'transient' }] }),
          { status: 503, headers: { 'content-type': 'application/fhir+json' } },
        );
      }
      return base.request(request, requestOptions);
    },
  };
  const client = new MesClient({ transport, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 10_000 } });
  const wrapper = await fixture<HTMLElement>(
    html`<div lang=${options.lang ?? 'fr'}>
      <button type="button" id="before">Avant</button>
      <mes-provider .client=${client}>
        <mes-send-measures-button
          .series=${options.series ?? [WEIGHTS, PRESSURES]}
          kinds=${options.kinds ?? nothing}
        ></mes-send-measures-button>
      </mes-provider>
    </div>`,
  );
  const el = wrapper.querySelector('mes-send-measures-button')!;
  await client.session();
  await el.updateComplete;
  requests.length = 0;
  return { sandbox, client, el, wrapper, requests, writes: () => requests.filter((r) => r.method !== 'GET') };
}

/** The Observations MES holds for the persona. */
function held(sandbox: Sandbox, persona = 'camille') {
  return sandbox.store.list(persona, 'Observation');
}

const isBloodPressure = (request: FhirRequest) => String(request.body ?? '').includes(LOINC_BLOOD_PRESSURE);

/** A button on a stand-in gateway (gateway mode): it summarises and runs as told. */
function onGateway(options: FakeGatewayOptions & { summary?: () => Promise<MeasuresSummary> } = {}): {
  gateway: ReturnType<typeof fakeGateway>;
  client: MesClient;
  summaries: unknown[];
} {
  const gateway = fakeGateway(options);
  const summaries: unknown[] = [];
  const transport: RemoteTransport = {
    ...gateway,
    async measuresSummary(query) {
      summaries.push(query);
      return options.summary ? options.summary() : GATEWAY_SUMMARY;
    },
  };
  return { gateway, summaries, client: new MesClient({ transport }) };
}
const GATEWAY_SUMMARY: MeasuresSummary = {
  total: 3,
  from: '2025-11-20T06:30:00.000Z',
  to: '2025-11-22T06:30:00.000Z',
  kinds: [
    {
      kind: 'weight',
      type: 'POIDS',
      count: 3,
      from: '2025-11-20T06:30:00.000Z',
      to: '2025-11-22T06:30:00.000Z',
      unit: 'kg',
      min: 71.2,
      max: 71.8,
      points: [71.8, 71.5, 71.2],
    },
  ],
  finalities: ['MESURE_POIDS_ECRITURE'],
};

/** As rendered, its narrow no-break spaces kept. */
const raw = (node: Element | null) => (node?.textContent ?? '').replace(/[\t\n ]+/g, ' ').trim();
/** Each measure as the patient reads it: what, its trend in words, what happened, why not. */
const rows = (el: MesSendMeasuresButton) =>
  parts(el, 'item').map((item) =>
    ['item-title', 'item-range', 'item-status', 'item-error']
      .map((name) => text(item.querySelector(`[part="${name}"]`)))
      .filter(Boolean)
      .join(' | '),
  );
const marks = (el: MesSendMeasuresButton) => parts(el, 'item').map((item) => item.className);
const STATES = [
  'idle',
  'pending',
  'preview',
  'empty',
  'success',
  'partial',
  'error',
  'not-paired',
  'consent-required',
  'offline',
];
const states = (el: MesSendMeasuresButton) => statesOf(el, STATES);
/** « 1 344 », as French writes it: a narrow no-break space between thousands. */
const NNBSP = '\u202f';

async function showPreview(el: MesSendMeasuresButton) {
  part(el, 'button')!.click();
  await el.updateComplete;
  await waitUntil(
    () => el.matches(':state(preview)') || el.matches(':state(error)') || el.matches(':state(empty)'),
    'the preview, or an error',
  );
  await el.updateComplete;
}

async function sendAll(el: MesSendMeasuresButton): Promise<MesMeasuresSendSuccessDetail> {
  await showPreview(el);
  const success = oneEvent(el, 'mes-measures-send-success');
  part(el, 'confirm')!.click();
  const { detail } = await success;
  await el.updateComplete;
  return detail;
}

const range = (values: number[]) => [Math.min(...values), Math.max(...values)];

describe('<mes-send-measures-button>', () => {
  describe('idle', () => {
    it('is a button named « Envoyer mes mesures vers Mon espace santé », big enough, asks nothing of MES, and is accessible', async () => {
      const { el, requests } = await setup();
      const button = part(el, 'button')!;
      expect(button.tagName).to.equal('BUTTON');
      expect(text(part(el, 'label'))).to.equal('Envoyer mes mesures vers Mon espace santé');
      expect(button.getBoundingClientRect().height).to.be.at.least(44);
      expect(states(el)).to.deep.equal(['idle']);
      expect(part(el, 'preview')).to.be.null;
      expect(requests).to.deep.equal([]);
      await expect(el).to.be.accessible();
    });

    it('speaks English under an English ancestor, accessibly, units included', async () => {
      const pulse: MeasureSeries = {
        kind: 'heart-rate',
        device: CUFF,
        readings: [{ at: new Date(MORNINGS[0]).toISOString(), value: 64 }],
      };
      const { el } = await setup({ lang: 'en', series: [pulse] });
      expect(text(part(el, 'label'))).to.equal('Send my measures to Mon espace santé');
      part(el, 'button')!.click();
      await waitUntil(() => el.matches(':state(preview)'));
      expect(text(part(el, 'item-range'))).to.equal('64 beats/min');
      await expect(el).to.be.accessible();
    });

    it('takes the host’s own strings, down to one measure’s name', async () => {
      const { el } = await setup();
      el.strings = { sendMeasures: 'Partager ma balance', kinds: { weight: 'de pesée' } };
      await el.updateComplete;
      expect(text(part(el, 'label'))).to.equal('Partager ma balance');
      await showPreview(el);
      expect(rows(el)[0]).to.match(/^14 mesures de pesée, /);
      expect(rows(el)[1]).to.match(/^14 mesures de tension artérielle, /);
    });

    it('reads `kinds` from its attribute, space-separated', async () => {
      const { el } = await setup({ kinds: 'blood-pressure temperature' });
      expect(el.kinds).to.deep.equal(['blood-pressure', 'temperature']);
      await showPreview(el);
      expect(rows(el)).to.have.length(1);
      expect(rows(el)[0]).to.match(/^14 mesures de tension artérielle/);
    });
  });

  describe('the preview', () => {
    for (const lang of ['fr', 'en']) {
      it(`shows how many readings of each measure, when, and their trend, before anything is sent or paired (${lang})`, async () => {
        const { el, requests } = await setup({ lang, paired: false });
        let paired = false;
        el.addEventListener('mes-pair-start', () => (paired = true));
        part(el, 'button')!.click();
        await el.updateComplete;
        await waitUntil(() => el.matches(':state(preview)'), 'the preview');
        await el.updateComplete;

        expect(states(el)).to.deep.equal(['preview']);
        expect(paired, 'no pairing for a preview').to.be.false;
        expect(requests, 'nothing asked of MES').to.deep.equal([]);
        const title = part(el, 'title')!;
        expect(title.tagName).to.equal('H2');
        expect(el.shadowRoot!.activeElement).to.equal(title);
        expect(part(el, 'preview')!.getAttribute('aria-labelledby')).to.equal(title.id);
        expect(text(title)).to.equal(
          lang === 'fr' ? 'Mesures à envoyer vers Mon espace santé' : 'Measures to send to Mon espace santé',
        );
        expect(text(part(el, 'summary'))).to.equal(
          lang === 'fr' ? '28 mesures au total, du 12 au 25 novembre 2025' : '28 readings in all, 12–25 November 2025',
        );
        const [low, high] = range(PRESSURES.readings.map((reading) => reading.systolic!));
        expect(rows(el)).to.deep.equal(
          lang === 'fr'
            ? [
                '14 mesures de poids, du 12 au 25 novembre 2025 | de 67,1 à 68,4 kg | À envoyer',
                `14 mesures de tension artérielle, du 12 au 25 novembre 2025 | systolique de ${low} à ${high} mmHg | À envoyer`,
              ]
            : [
                '14 weight readings, 12–25 November 2025 | 67.1 to 68.4 kg | To send',
                `14 blood pressure readings, 12–25 November 2025 | systolic ${low} to ${high} mmHg | To send`,
              ],
        );
        expect(text(part(el, 'cancel'))).to.equal(lang === 'fr' ? 'Annuler' : 'Cancel');
        expect(text(part(el, 'confirm'))).to.equal(lang === 'fr' ? 'Envoyer' : 'Send');
        await expect(el).to.be.accessible();
      });
    }

    it('draws each trend as an SVG line hidden from screen readers, beside its text equivalent', async () => {
      const { el } = await setup();
      await showPreview(el);
      const lines = parts(el, 'sparkline');
      expect(lines).to.have.length(2);
      for (const line of lines) {
        expect(line.tagName.toLowerCase()).to.equal('svg');
        expect(line.getAttribute('aria-hidden')).to.equal('true');
        expect(line.closest('[part~="item"]')!.querySelector('[part="item-range"]')).to.exist;
        const box = line.getBoundingClientRect();
        expect(box.width).to.be.greaterThan(40);
        expect(box.height).to.be.greaterThan(10);
      }
      // One point per reading (14 mornings, fewer than the 48 the summary keeps), the first 68,4 kg the highest.
      const points = lines[0]
        .querySelector('polyline')!
        .getAttribute('points')!
        .split(' ')
        .map((point) => point.split(',').map(Number));
      expect(points).to.have.length(14);
      expect(points[0]).to.deep.equal([0, 2]);
      expect(points[13]).to.deep.equal([100, 22]);
    });

    it('says « 1 344 mesures de glycémie interstitielle » as French writes it, over the sensor’s 14 days', async () => {
      const { el } = await setup({ persona: 'nadia', paired: ['MESURE_GLYCEMIE_ECRITURE'], series: [GLUCOSE] });
      await showPreview(el);
      const [low, high] = range(GLUCOSE.readings.map((reading) => reading.value!));
      expect(raw(part(el, 'item-title'))).to.equal(
        `1${NNBSP}344 mesures de glycémie interstitielle, du 12 au 25 novembre 2025`,
      );
      expect(text(part(el, 'item-range'))).to.equal(`de ${low} à ${high} mg/dL`);
      expect(part(el, 'summary'), 'one measure: no total besides it').to.be.null;
      expect(part(el, 'sparkline')!.querySelector('polyline')!.getAttribute('points')!.split(' ')).to.have.length(48);
      await expect(el).to.be.accessible();
    });

    it('says there is nothing to send when no reading is left, and sends nothing', async () => {
      const { el, requests } = await setup({ kinds: 'temperature' });
      let started = false;
      el.addEventListener('mes-measures-send-start', () => (started = true));
      await showPreview(el);
      expect(states(el)).to.deep.equal(['empty']);
      expect(text(part(el, 'status'))).to.equal('Aucune mesure à envoyer pour le moment.');
      expect(part(el, 'preview')).to.be.null;
      expect(part(el, 'list')).to.be.null;
      expect(started).to.be.false;
      expect(requests).to.deep.equal([]);
      await expect(el).to.be.accessible();
    });

    it('« Annuler » and Escape send nothing and give the focus back to the button', async () => {
      const { el, requests, sandbox } = await setup();
      await showPreview(el);
      await sendKeys({ press: 'Escape' });
      await el.updateComplete;
      expect(part(el, 'preview')).to.be.null;
      expect(el.shadowRoot!.activeElement).to.equal(part(el, 'button'));
      expect(states(el)).to.deep.equal(['idle']);

      await showPreview(el);
      part(el, 'cancel')!.click();
      await el.updateComplete;
      expect(part(el, 'preview')).to.be.null;
      expect(part(el, 'list')).to.be.null;
      expect(el.shadowRoot!.activeElement).to.equal(part(el, 'button'));
      expect(requests).to.deep.equal([]);
      expect(held(sandbox)).to.deep.equal([]);
    });
  });

  describe('the run', () => {
    it('« Envoyer » files every reading, says each measure’s outcome, and its events carry counts only', async () => {
      const { el, sandbox } = await setup();
      const details: unknown[] = [];
      let start: MesMeasuresSendStartDetail | undefined;
      el.addEventListener('mes-measures-send-start', (event) => {
        start = event.detail;
        details.push(event.detail);
      });
      const progress: object[] = [];
      el.addEventListener('mes-measures-send-progress', (event) => {
        progress.push(event.detail);
        details.push(event.detail);
      });
      await showPreview(el);
      const success = oneEvent(el, 'mes-measures-send-success');
      part(el, 'confirm')!.click();
      expect(el.shadowRoot!.activeElement, 'the focus back on the button').to.equal(part(el, 'button'));
      const detail: MesMeasuresSendSuccessDetail = (await success).detail;
      details.push(detail);

      expect(start).to.deep.equal({ kinds: ['weight', 'blood-pressure'], count: 28 });
      expect(progress.length).to.be.greaterThan(0);
      for (const event of progress) {
        expect(Object.keys(event)).to.satisfy((keys: string[]) =>
          keys.every((key) => ['phase', 'ratio', 'done', 'total'].includes(key)),
        );
      }
      expect(progress.at(-1)).to.include({ done: 28, total: 28 });
      expect(detail).to.deep.equal({
        total: { created: 28, present: 0, failed: 0 },
        byKind: {
          weight: { created: 14, present: 0, failed: 0 },
          'blood-pressure': { created: 14, present: 0, failed: 0 },
        },
      });
      // No value, no time, no device: counts, phases and measure names only.
      const said = JSON.stringify(details);
      for (const secret of ['68.4', '67.1', '2025', 'FE-ED', 'W-1', 'BP-1', 'Pesée'])
        expect(said).not.to.include(secret);
      expect(held(sandbox)).to.have.length(28);

      expect(states(el)).to.deep.equal(['success']);
      expect(text(part(el, 'status'))).to.equal('Vos mesures sont dans Mon espace santé : 28 envoyées.');
      expect(rows(el).map((row) => row.split(' | ').at(-1))).to.deep.equal(['14 envoyées', '14 envoyées']);
      expect(marks(el)).to.deep.equal(['done', 'done']);
      expect(parts(el, 'item').every((item) => item.querySelector('.mark'))).to.be.true;
      expect(part(el, 'preview')).to.be.null;
      expect(part(el, 'progress')).to.be.null;
      expect(text(part(el, 'label'))).to.equal('Envoyer mes mesures vers Mon espace santé');
      await expect(el).to.be.accessible();
    });

    it('a second run finds them « déjà présentes » and writes nothing new', async () => {
      const { el, sandbox, writes, requests } = await setup();
      await sendAll(el);
      requests.length = 0;
      const again = await sendAll(el);
      expect(again.total).to.deep.equal({ created: 0, present: 28, failed: 0 });
      expect(writes(), 'no transaction').to.deep.equal([]);
      expect(requests.length, 'a search per measure').to.be.greaterThan(0);
      expect(held(sandbox)).to.have.length(28);
      expect(states(el)).to.deep.equal(['success']);
      expect(rows(el).map((row) => row.split(' | ').at(-1))).to.deep.equal(['14 déjà présentes', '14 déjà présentes']);
      expect(text(part(el, 'status'))).to.equal(
        'Vos mesures étaient déjà toutes dans Mon espace santé : rien de nouveau n’a été envoyé.',
      );
      await expect(el).to.be.accessible();
    });

    for (const lang of ['fr', 'en']) {
      it(`shows one progress bar whose value and maximum are the counts beside it, announced by quarters (${lang})`, async () => {
        const { el, sandbox } = await setup({ lang });
        await showPreview(el);
        await sandbox.fetch('http://localhost:8787/sandbox/faults', {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ latencyMs: 60 }),
        });
        const announced = new Set<string>();
        const status = part(el, 'status')!;
        const observer = new MutationObserver(() => announced.add(text(status)));
        observer.observe(status, { childList: true, subtree: true, characterData: true });
        const success = oneEvent(el, 'mes-measures-send-success');
        part(el, 'confirm')!.click();
        await waitUntil(() => (part(el, 'progress') as HTMLProgressElement | null)?.value, 'the bar moves');
        await el.updateComplete;
        const bar = part(el, 'progress') as HTMLProgressElement;
        expect(parts(el, 'progress')).to.have.length(1);
        expect(bar.max).to.equal(28);
        expect(text(part(el, 'counter'))).to.equal(`${bar.value} / 28`);
        expect(bar.getAttribute('aria-label')).to.equal(
          lang === 'fr' ? 'Progression de l’envoi des mesures' : 'Measures sending progress',
        );
        expect(states(el)).to.deep.equal(['pending']);
        expect(part(el, 'button')!.getAttribute('aria-disabled')).to.equal('true');
        expect(part(el, 'spinner')).to.exist;
        expect(text(part(el, 'label'))).to.equal(lang === 'fr' ? 'Envoi en cours…' : 'Sending…');
        expect(rows(el), 'the measures stay listed').to.have.length(2);
        await expect(el).to.be.accessible();
        await success;
        await el.updateComplete;
        observer.disconnect();
        expect(part(el, 'progress')).to.be.null;
        // The start, at most three quarters, and the end: not one announcement per reading.
        expect(announced.size).to.be.within(2, 6);
        expect([...announced][0]).to.equal(
          lang === 'fr' ? 'Envoi de 28 mesures vers Mon espace santé…' : 'Sending 28 readings to Mon espace santé…',
        );
        for (const said of [...announced].slice(1, -1)) {
          expect(said).to.match(lang === 'fr' ? /^Envoi en cours : (25|50|75) %$/ : /^Sending: (25|50|75)%$/);
        }
        expect([...announced].at(-1)).to.equal(
          lang === 'fr'
            ? 'Vos mesures sont dans Mon espace santé : 28 envoyées.'
            : 'Your measures are in Mon espace santé: 28 sent.',
        );
      });
    }

    it('sends 1 344 glucose readings, and counts them « 1 344 / 1 344 »', async function () {
      this.timeout(60_000);
      const { el, sandbox } = await setup({
        persona: 'nadia',
        paired: ['MESURE_GLYCEMIE_ECRITURE'],
        series: [GLUCOSE],
      });
      let last = '';
      el.addEventListener('mes-measures-send-progress', () => {
        const counter = part(el, 'counter');
        if (counter) last = raw(counter);
      });
      const detail = await sendAll(el);
      expect(detail.total).to.deep.equal({ created: 1344, present: 0, failed: 0 });
      expect(held(sandbox, 'nadia')).to.have.length(1344);
      expect(last, 'the last progress: every reading done').to.equal(`1${NNBSP}344 / 1${NNBSP}344`);
      expect(raw(part(el, 'item-status'))).to.equal(`1${NNBSP}344 envoyées`);
    });

    it('sends nothing when mes-measures-send-start is cancelled', async () => {
      const { el, writes, sandbox } = await setup();
      el.addEventListener('mes-measures-send-start', (event) => event.preventDefault());
      let progressed = false;
      el.addEventListener('mes-measures-send-progress', () => (progressed = true));
      await showPreview(el);
      await el.confirm();
      await el.updateComplete;
      expect(writes()).to.deep.equal([]);
      expect(held(sandbox)).to.deep.equal([]);
      expect(progressed).to.be.false;
      expect(states(el)).to.deep.equal(['idle']);
      expect(part(el, 'list')).to.be.null;
    });

    for (const lang of ['fr', 'en']) {
      it(`says which measure failed and why; « Réessayer » sends only what is missing (${lang})`, async () => {
        let down = true;
        const { el, sandbox, writes, requests } = await setup({
          lang,
          failWrite: (request) => down && isBloodPressure(request),
        });
        const first = await sendAll(el);
        expect(first.total).to.deep.equal({ created: 14, present: 0, failed: 14 });
        expect(held(sandbox)).to.have.length(14);

        expect(states(el)).to.deep.equal(['success', 'partial']);
        expect(text(part(el, 'status'))).to.equal(
          lang === 'fr'
            ? '14 mesures sur 28 n’ont pas pu être envoyées. Les autres sont dans Mon espace santé.'
            : '14 of 28 readings could not be sent. The others are in Mon espace santé.',
        );
        const outcomes = rows(el).map((row) => row.split(' | ').slice(2).join(' | '));
        expect(outcomes).to.deep.equal(
          lang === 'fr'
            ? [
                '14 envoyées',
                '14 non envoyées | Mon espace santé est momentanément indisponible. Réessayez dans quelques minutes.',
              ]
            : ['14 sent', '14 not sent | Mon espace santé is temporarily unavailable. Try again in a few minutes.'],
        );
        expect(marks(el)).to.deep.equal(['done', 'failed']);
        expect(text(part(el, 'label'))).to.equal(lang === 'fr' ? 'Réessayer' : 'Try again');
        await expect(el).to.be.accessible();

        down = false;
        requests.length = 0;
        let restarted: MesMeasuresSendStartDetail | undefined;
        el.addEventListener('mes-measures-send-start', (event) => (restarted = event.detail));
        const again = oneEvent(el, 'mes-measures-send-success');
        part(el, 'button')!.click();
        const retried: MesMeasuresSendSuccessDetail = (await again).detail;
        expect(restarted).to.deep.equal({ kinds: ['blood-pressure'], count: 14 });
        expect(writes()).to.have.length(14);
        expect(writes().every(isBloodPressure)).to.be.true;
        expect(retried.byKind, 'only the measure that failed').to.deep.equal({
          'blood-pressure': { created: 14, present: 0, failed: 0 },
        });
        expect(held(sandbox)).to.have.length(28);
        await el.updateComplete;
        expect(states(el)).to.deep.equal(['success']);
        expect(marks(el)).to.deep.equal(['done', 'done']);
        // Those sent by the first run are still « envoyées »: the patient sees the whole story.
        expect(rows(el).map((row) => row.split(' | ').at(-1))).to.deep.equal(
          lang === 'fr' ? ['14 envoyées', '14 envoyées'] : ['14 sent', '14 sent'],
        );
        expect(text(part(el, 'status'))).to.equal(
          lang === 'fr'
            ? 'Vos mesures sont dans Mon espace santé : 28 envoyées.'
            : 'Your measures are in Mon espace santé: 28 sent.',
        );
        await expect(el).to.be.accessible();
      });
    }
  });

  describe('pairing and consent', () => {
    it('pairs first, for exactly the measures shown, then sends', async () => {
      const { el, sandbox } = await setup({ paired: false });
      const fired: string[] = [];
      let asked: string[] = [];
      for (const type of [
        'mes-pair-start',
        'mes-pair-success',
        'mes-measures-send-start',
        'mes-measures-send-success',
      ]) {
        el.addEventListener(type, () => fired.push(type));
      }
      el.addEventListener('mes-pair-start', (event) => (asked = event.detail.finalities));
      await sendAll(el);
      expect(fired).to.deep.equal([
        'mes-measures-send-start',
        'mes-pair-start',
        'mes-pair-success',
        'mes-measures-send-success',
      ]);
      expect(asked).to.have.members(['MESURE_POIDS_ECRITURE', 'MESURE_TENSION_ECRITURE']);
      expect(sandbox.store.findPairing('camille', 'mes-kit-demo')!.finalities).to.have.members(asked);
      expect(held(sandbox)).to.have.length(28);
    });

    it('is pending, and accessible, while the MES window is open; the host may cancel the pairing', async () => {
      const { client, gateway } = onGateway({ pairing: 'held' });
      const el = await fixture<MesSendMeasuresButton>(
        html`<mes-send-measures-button .client=${client}></mes-send-measures-button>`,
      );
      await showPreview(el);
      part(el, 'confirm')!.click();
      await waitUntil(() => gateway.calls.pair.length === 1, 'the MES window');
      await el.updateComplete;
      expect(gateway.calls.pair[0]).to.deep.equal(['MESURE_POIDS_ECRITURE']);
      expect(states(el)).to.deep.equal(['pending']);
      expect(text(part(el, 'label'))).to.equal('Synchronisation avec Mon espace santé…');
      expect(part(el, 'button')!.getAttribute('aria-disabled')).to.equal('true');
      expect(part(el, 'spinner')).to.exist;
      expect(rows(el), 'the measures stay listed').to.have.length(1);
      await expect(el).to.be.accessible();

      const other = await fixture<MesSendMeasuresButton>(
        html`<mes-send-measures-button .client=${onGateway().client}></mes-send-measures-button>`,
      );
      other.addEventListener('mes-pair-start', (event) => event.preventDefault());
      await showPreview(other);
      await other.confirm();
      await other.updateComplete;
      expect(states(other)).to.deep.equal(['idle']);
      expect(part(other, 'error')).to.be.null;
    });

    it('when the patient refused sending measures: says so, and opens no MES window', async () => {
      const { el, client, writes } = await setup({ paired: false });
      await client.recordRefusal(['MESURE_POIDS_ECRITURE', 'MESURE_TENSION_ECRITURE'], '1');
      let paired = false;
      el.addEventListener('mes-pair-start', () => (paired = true));
      await showPreview(el);
      const error = oneEvent(el, 'mes-measures-send-error');
      part(el, 'confirm')!.click();
      expect((await error).detail.error.code).to.equal('MES_CONSENT_REQUIRED');
      await el.updateComplete;
      expect(paired, 'MES is not opened again').to.be.false;
      expect(states(el)).to.deep.equal(['error', 'consent-required']);
      expect(text(part(el, 'error'))).to.equal(
        'Vous avez choisi de ne pas autoriser l’envoi de vos mesures vers Mon espace santé. Modifiez vos autorisations pour le permettre.',
      );
      expect(text(part(el, 'label'))).to.equal('Envoyer mes mesures vers Mon espace santé');
      expect(writes()).to.deep.equal([]);
      await expect(el).to.be.accessible();
    });

    it('a measure the patient kept back is not sent, and its row says so; the others are', async () => {
      const { el, client, sandbox } = await setup({ paired: ['MESURE_POIDS_ECRITURE'] });
      await client.recordRefusal(['MESURE_TENSION_ECRITURE'], '1');
      const detail = await sendAll(el);
      expect(detail.byKind).to.deep.equal({
        weight: { created: 14, present: 0, failed: 0 },
        'blood-pressure': { created: 0, present: 0, failed: 14 },
      });
      expect(held(sandbox)).to.have.length(14);
      expect(states(el)).to.deep.equal(['success', 'partial', 'consent-required']);
      expect(rows(el).map((row) => row.split(' | ').slice(2).join(' | '))).to.deep.equal([
        '14 envoyées',
        '14 non envoyées | Vous n’avez pas autorisé ce service à envoyer vos mesures de tension artérielle vers Mon espace santé.',
      ]);
      expect(text(part(el, 'label')), 'trying again would not help').to.equal(
        'Envoyer mes mesures vers Mon espace santé',
      );
      await expect(el).to.be.accessible();
    });

    it('a measure kept back at an earlier pairing is left out on a new page, without opening MES again', async () => {
      const { el, sandbox } = await setup({ paired: ['MESURE_POIDS_ECRITURE'] });
      const opened: unknown[] = [];
      const open = Object.getOwnPropertyDescriptor(window, 'open')!;
      window.open = (...args: Parameters<typeof window.open>) => (opened.push(args), null);
      try {
        const detail = await sendAll(el);
        expect(detail.byKind['weight']).to.deep.equal({ created: 14, present: 0, failed: 0 });
        expect(detail.byKind['blood-pressure']).to.deep.equal({ created: 0, present: 0, failed: 14 });
      } finally {
        Object.defineProperty(window, 'open', open);
      }
      expect(opened, 'MES was not opened again').to.deep.equal([]);
      expect(held(sandbox)).to.have.length(14);
      expect(marks(el)).to.deep.equal(['done', 'refused']);
      expect(text(part(el, 'status'))).to.equal(
        'Les mesures que vous avez autorisées sont dans Mon espace santé. Pour envoyer les autres, modifiez vos autorisations.',
      );
      await expect(el).to.be.accessible();
    });

    it('when MES no longer knows the pairing: not paired, nothing lost', async () => {
      const { el, sandbox } = await setup();
      await sandbox.fetch('http://localhost:8787/sandbox/pairings/camille/mes-kit-demo', { method: 'DELETE' });
      await showPreview(el);
      const error = oneEvent(el, 'mes-measures-send-error');
      part(el, 'confirm')!.click();
      expect((await error).detail.error.code).to.equal('MES_AUTH_REQUIRED');
      await el.updateComplete;
      expect(states(el)).to.deep.equal(['error', 'not-paired']);
      expect(text(part(el, 'error'))).to.equal(
        'Ce service n’est pas synchronisé avec Mon espace santé, ou ne l’est plus. Synchronisez-le pour continuer.',
      );
      expect(part(el, 'list'), 'a failure as a whole lists nothing as sent').to.be.null;
      expect(held(sandbox)).to.deep.equal([]);
      await expect(el).to.be.accessible();
    });

    it('when the pairing window is blocked: not paired, and the way to continue in this tab', async () => {
      const { client } = onGateway({ pairing: 'blocked' });
      const el = await fixture<MesSendMeasuresButton>(
        html`<mes-send-measures-button .client=${client}></mes-send-measures-button>`,
      );
      await showPreview(el);
      const error = oneEvent(el, 'mes-measures-send-error');
      part(el, 'confirm')!.click();
      expect((await error).detail.error.code).to.equal('MES_POPUP_BLOCKED');
      await el.updateComplete;
      expect(states(el)).to.deep.equal(['error', 'not-paired']);
      expect(text(part(el, 'fallback'))).to.equal('Continuer la synchronisation dans cet onglet');
      await expect(el).to.be.accessible();
    });
  });

  describe('gateway mode', () => {
    it('sends no readings: the preview and the run name the measures and the period, the portal gives the readings', async () => {
      const result: SendMeasuresResult = {
        readings: [
          { id: 'a', kind: 'weight', outcome: 'created' },
          { id: 'b', kind: 'weight', outcome: 'created' },
          { id: 'c', kind: 'weight', outcome: 'present' },
        ],
        byKind: { weight: { created: 2, present: 1, failed: 0 } },
        total: { created: 2, present: 1, failed: 0 },
      };
      const { client, gateway, summaries } = onGateway({
        paired: ['MESURE_POIDS_ECRITURE'],
        run: async (_name: RunnableOperation) => result,
      });
      const el = await fixture<MesSendMeasuresButton>(
        html`<mes-send-measures-button
          .client=${client}
          kinds="weight"
          from="2025-11-01T00:00:00+01:00"
        ></mes-send-measures-button>`,
      );
      await showPreview(el);
      expect(summaries).to.deep.equal([{ kinds: ['weight'], from: '2025-11-01T00:00:00+01:00' }]);
      expect(rows(el)).to.deep.equal(['3 mesures de poids, du 20 au 22 novembre 2025 | de 71,2 à 71,8 kg | À envoyer']);
      const success = oneEvent(el, 'mes-measures-send-success');
      part(el, 'confirm')!.click();
      await success;
      await el.updateComplete;
      expect(gateway.calls.run).to.deep.equal([
        {
          name: 'send-measures',
          input: { kinds: ['weight'], from: GATEWAY_SUMMARY.from, to: GATEWAY_SUMMARY.to },
        },
      ]);
      expect(rows(el)[0].split(' | ').at(-1)).to.equal('2 envoyées, 1 déjà présente');
    });

    it('when the portal cannot be reached: offline, and « Réessayer » asks again', async () => {
      let reachable = false;
      const { client } = onGateway({
        summary: async () => {
          if (!reachable) throw new MesError('MES_NETWORK', { operation: 'send-measures' });
          return GATEWAY_SUMMARY;
        },
      });
      const el = await fixture<MesSendMeasuresButton>(
        html`<mes-send-measures-button .client=${client}></mes-send-measures-button>`,
      );
      const error = oneEvent(el, 'mes-measures-send-error');
      part(el, 'button')!.click();
      expect((await error).detail.error.code).to.equal('MES_NETWORK');
      await el.updateComplete;
      expect(states(el)).to.deep.equal(['error', 'offline']);
      expect(text(part(el, 'error'))).to.equal(
        'La connexion a été interrompue. Vérifiez votre connexion à Internet, puis réessayez.',
      );
      expect(text(part(el, 'label'))).to.equal('Réessayer');
      await expect(el).to.be.accessible();
      reachable = true;
      await showPreview(el);
      expect(states(el)).to.deep.equal(['preview']);
    });

    it('says the portal could not give the readings (MES_HOST_FAILED) in its own words', async () => {
      const { client } = onGateway({
        summary: async () => {
          throw new MesError('MES_HOST_FAILED', { operation: 'send-measures' });
        },
      });
      const el = await fixture<MesSendMeasuresButton>(
        html`<mes-send-measures-button .client=${client} lang="en"></mes-send-measures-button>`,
      );
      await showPreview(el);
      expect(states(el)).to.deep.equal(['error']);
      expect(text(part(el, 'error'))).to.equal('The service could not give your measures. Try again in a moment.');
      expect(text(part(el, 'label'))).to.equal('Try again');
      await expect(el).to.be.accessible();
    });
  });

  describe('keyboard', () => {
    it('sends with the keyboard alone: Tab, Enter, the preview, Tab to « Envoyer », Enter', async () => {
      const { el, wrapper, sandbox } = await setup();
      wrapper.querySelector<HTMLButtonElement>('#before')!.focus();
      await sendKeys({ press: 'Tab' });
      expect(deepActive()).to.equal(part(el, 'button'));
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => el.matches(':state(preview)'), 'the preview');
      await el.updateComplete;
      expect(deepActive()).to.equal(part(el, 'title'));
      await sendKeys({ press: 'Tab' });
      expect(deepActive()).to.equal(part(el, 'cancel'));
      await sendKeys({ press: 'Tab' });
      expect(deepActive()).to.equal(part(el, 'confirm'));
      const success = oneEvent(el, 'mes-measures-send-success');
      await sendKeys({ press: 'Enter' });
      await success;
      await el.updateComplete;
      expect(deepActive()).to.equal(part(el, 'button'));
      expect(held(sandbox)).to.have.length(28);
    });
  });

  describe('errors', () => {
    it('names the host’s mistake before any pairing: a reading out of range', async () => {
      const wrong: MeasureSeries = {
        ...WEIGHTS,
        readings: [WEIGHTS.readings[0], { ...WEIGHTS.readings[1], value: 6840 }],
      };
      const { el, requests } = await setup({ paired: false, series: [wrong] });
      let paired = false;
      el.addEventListener('mes-pair-start', () => (paired = true));
      const error = oneEvent(el, 'mes-measures-send-error');
      part(el, 'button')!.click();
      const { detail } = await error;
      expect([detail.error.code, detail.error.field]).to.deep.equal([
        'MES_INVALID_INPUT',
        'series[0].readings[1].value',
      ]);
      await el.updateComplete;
      expect(paired).to.be.false;
      expect(requests).to.deep.equal([]);
      expect(states(el)).to.deep.equal(['error']);
      expect(text(part(el, 'error'))).to.equal(
        'Vos mesures n’ont pas été envoyées. Une mesure est incomplète, hors des valeurs possibles ou datée dans le futur.',
      );
      expect(text(part(el, 'label')), 'not worth trying again as is').to.equal(
        'Envoyer mes mesures vers Mon espace santé',
      );
      await expect(el).to.be.accessible();
    });

    it('says the page gave no readings, in direct mode, before any pairing', async () => {
      const sandbox = await createInPageSandbox({ seeded: false });
      const client = new MesClient({ transport: inProcessTransport(sandbox) });
      const el = await fixture<MesSendMeasuresButton>(
        html`<mes-send-measures-button .client=${client}></mes-send-measures-button>`,
      );
      const error = oneEvent(el, 'mes-measures-send-error');
      part(el, 'button')!.click();
      const { detail } = await error;
      expect([detail.error.code, detail.error.field]).to.deep.equal(['MES_INVALID_INPUT', 'series']);
      await el.updateComplete;
      expect(text(part(el, 'error'))).to.equal(
        'Vos mesures n’ont pas été envoyées. Le service n’a transmis aucune mesure, ou trop à la fois.',
      );
    });

    it('new readings from the host put it back to idle', async () => {
      const { el } = await setup();
      await sendAll(el);
      el.series = structuredClone([WEIGHTS, PRESSURES]);
      await el.updateComplete;
      expect(states(el), 'the same readings again: the outcome stays').to.deep.equal(['success']);
      el.series = [WEIGHTS];
      await el.updateComplete;
      expect(states(el)).to.deep.equal(['idle']);
      expect(part(el, 'list')).to.be.null;
    });

    it('leaving the page during the preview reports nothing', async () => {
      let release: () => void = () => undefined;
      const { client } = onGateway({
        summary: () => new Promise((resolve) => (release = () => resolve(GATEWAY_SUMMARY))),
      });
      const wrapper = await fixture<HTMLElement>(
        html`<div><mes-send-measures-button .client=${client}></mes-send-measures-button></div>`,
      );
      const el = wrapper.querySelector('mes-send-measures-button')!;
      let reported = false;
      el.addEventListener('mes-measures-send-error', () => (reported = true));
      part(el, 'button')!.click();
      await waitUntil(() => el.matches(':state(pending)'));
      el.remove();
      release();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(reported).to.be.false;
      wrapper.append(el);
      await el.updateComplete;
      expect(states(el)).to.deep.equal(['idle']);
    });
  });

  describe('styling', () => {
    it('documents every --mes-send-measures-button-* token it uses, and uses every one it documents', async () => {
      const declaration = await declarationOf('mes-send-measures-button');
      expect(tokensUsed(MesSendMeasuresButton, 'mes-send-measures-button')).to.deep.equal(
        declaration.cssProperties.map((property) => property.name).sort(),
      );
      expect(declaration.cssStates.map((state) => state.name)).to.have.members(STATES);
    });
  });
});
