/**
 * « Mesures de santé » as MES shows them: per measure, the latest value in the unit people read
 * (« mmHg », not « mm[Hg] »), how many and over which days, which service sent them with which
 * device, and a small chart. The chart is server-rendered SVG (the pages' CSP allows no script and
 * no inline style) and keeps a few hundred points at most, however many readings there are.
 */
import { BLOOD_PRESSURE_COMPONENTS, MEASURES, MEASURE_KINDS, type MeasureKind } from '@mes-kit/core';
import type { SandboxConfig } from '../config.js';
import {
  deviceIdOf,
  deviceName,
  kindOf,
  serviceOfSource,
  type MeasureDevice,
  type MeasureObservation,
} from '../fhir/measures/common.js';
import type { Persona } from '../personas.js';
import type { SandboxStore } from '../store/store.js';
import { dayAndHourOf, dayOf, decimal, withUnit } from './format.js';
import { html, NBSP, nothing, type Html } from './html.js';

/** Points of one chart at most: 14 days of a glucose sensor are 1,344 readings. */
export const MAX_CHART_POINTS = 200;
/** The lowest and highest values, in one pass (spreading tens of thousands into Math.min overflows the stack). */
function extent(values: readonly number[]): [number, number] {
  let [low, high] = [Infinity, -Infinity];
  for (const value of values) [low, high] = [Math.min(low, value), Math.max(high, value)];
  return [low, high];
}

const WIDTH = 300;
const HEIGHT = 80;
const MARGIN = 4;
/** Readings listed under each chart. */
const RECENT = 10;

/** One reading: its instant and its values (a blood pressure has two: systolic, diastolic). */
interface Reading {
  at: number;
  values: number[];
  observation: MeasureObservation;
}
interface Point {
  at: number;
  value: number;
}

const SERIES_NAMES: Partial<Record<MeasureKind, string[]>> = { 'blood-pressure': ['systolique', 'diastolique'] };

function valuesOf(observation: MeasureObservation, kind: MeasureKind): number[] | undefined {
  if (kind !== 'blood-pressure') {
    const value = observation.valueQuantity?.value;
    return typeof value === 'number' ? [value] : undefined;
  }
  const values = Object.values(BLOOD_PRESSURE_COMPONENTS).map(
    (part) =>
      observation.component?.find((c) => c.code.coding.some((coding) => coding.code === part.code))?.valueQuantity
        .value,
  );
  return values.every((value) => typeof value === 'number') ? values : undefined;
}

/** « 71,4 kg », « 128/82 mmHg », « 6,5 % », « 4/10 ». */
function formatValue(values: number[], kind: MeasureKind): string {
  return withUnit(values.map((value) => decimal.format(value)).join('/'), MEASURES[kind].unit.display);
}

/**
 * At most `max` points: the first, the last, and each stretch's lowest and highest between them, the
 * peaks a chart must not lose.
 */
function downsample(points: Point[], max: number): Point[] {
  if (points.length <= max) return points;
  const inner = points.slice(1, -1);
  const stretches = Math.floor((max - 2) / 2);
  const kept = [points[0]];
  for (let s = 0; s < stretches; s++) {
    const stretch = inner.slice(
      Math.floor((s * inner.length) / stretches),
      Math.floor(((s + 1) * inner.length) / stretches),
    );
    const lowest = stretch.reduce((a, b) => (b.value < a.value ? b : a));
    const highest = stretch.reduce((a, b) => (b.value > a.value ? b : a));
    if (lowest === highest) kept.push(lowest);
    else kept.push(...(lowest.at <= highest.at ? [lowest, highest] : [highest, lowest]));
  }
  kept.push(points.at(-1)!);
  return kept;
}

/** The readings over time, one line per series, drawn to fit the chart whatever the unit. */
function chart(readings: Reading[], id: string, summary: string): Html {
  const seriesCount = readings[0].values.length;
  const series = Array.from({ length: seriesCount }, (_, s) =>
    downsample(
      readings.map((reading) => ({ at: reading.at, value: reading.values[s] })),
      Math.floor(MAX_CHART_POINTS / seriesCount),
    ),
  );
  const values = readings.flatMap((reading) => reading.values);
  const [low, high] = extent(values);
  const [first, last] = [readings[0].at, readings.at(-1)!.at];
  const round = (n: number) => Math.round(n * 10) / 10;
  const x = (at: number) =>
    round(first === last ? WIDTH / 2 : MARGIN + ((at - first) / (last - first)) * (WIDTH - 2 * MARGIN));
  const y = (value: number) =>
    round(low === high ? HEIGHT / 2 : HEIGHT - MARGIN - ((value - low) / (high - low)) * (HEIGHT - 2 * MARGIN));
  return html`<svg class="measure-chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${id}">
    <title id="${id}">${summary}</title>
    ${series.map((points, s) => {
      const end = points.at(-1)!;
      return html`<polyline
          class="measure-line series-${s + 1}"
          points="${points.map((p) => `${x(p.at)},${y(p.value)}`).join(' ')}"
        />
        <circle class="measure-point series-${s + 1}" cx="${x(end.at)}" cy="${y(end.value)}" r="3" />`;
    })}
  </svg>`;
}

/** The chart's text alternative: how many, over which days, between which values, and the last one. */
function chartSummary(readings: Reading[], kind: MeasureKind): string {
  const { display } = MEASURES[kind].code;
  const latest = readings.at(-1)!;
  if (readings.length === 1)
    return `${display}${NBSP}: 1 mesure, le ${dayOf(latest.at)}${NBSP}: ${formatValue(latest.values, kind)}.`;
  const names = SERIES_NAMES[kind];
  const ranges = latest.values.map((_, s) => {
    const values = readings.map((reading) => reading.values[s]);
    const [min, max] = extent(values);
    const range = `de ${formatValue([min], kind)} à ${formatValue([max], kind)}`;
    return names ? `${names[s]} ${range}` : range;
  });
  return (
    `${display}${NBSP}: ${decimal.format(readings.length)} mesures du ${dayOf(readings[0].at)} au ${dayOf(latest.at)},` +
    ` ${ranges.join(', ')}${NBSP}; dernière ${formatValue(latest.values, kind)}.`
  );
}

const unique = (items: (string | undefined)[]) => [...new Set(items.filter((item) => item !== undefined))];

function measureCard(
  kind: MeasureKind,
  readings: Reading[],
  config: SandboxConfig,
  devices: (id: string) => string | undefined,
): Html {
  const { display } = MEASURES[kind].code;
  const latest = readings.at(-1)!;
  const count = readings.length;
  const services = unique(
    readings.map((r) => serviceOfSource(config, r.observation.meta.source)?.name ?? 'un service numérique'),
  );
  const deviceNames = unique(readings.map((r) => devices(deviceIdOf(r.observation))));
  const names = SERIES_NAMES[kind];
  return html`<li class="measure">
    <h3>${display}</h3>
    <p class="measure-latest">
      <span class="measure-value">${formatValue(latest.values, kind)}</span>
      <span class="meta">le ${dayAndHourOf(latest.observation.effectiveDateTime)}</span>
    </p>
    <p class="meta">
      ${
        count === 1
          ? '1 mesure'
          : `${decimal.format(count)} mesures, du ${dayOf(readings[0].at)} au ${dayOf(latest.at)}`
      }
    </p>
    <p class="meta">
      Envoyé par
      ${services.join(', ')}${deviceNames.length > 0 ? html` · Appareil${NBSP}: ${deviceNames.join(', ')}` : nothing}
    </p>
    ${chart(readings, `graphique-${kind}`, chartSummary(readings, kind))}
    ${
      names
        ? html`<p class="measure-legend meta">
            ${names.map((name, s) => html`<span class="legend series-${s + 1}">${name}</span>`)}
          </p>`
        : nothing
    }
    <details class="measure-history">
      <summary>Dernières mesures</summary>
      <table>
        <caption class="sr-only">
          ${display}${NBSP}: dernières mesures
        </caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Valeur</th>
          </tr>
        </thead>
        <tbody>
          ${readings
            .slice(-RECENT)
            .reverse()
            .map(
              (reading) =>
                html`<tr>
                  <td>${dayAndHourOf(reading.observation.effectiveDateTime)}</td>
                  <td>${formatValue(reading.values, kind)}</td>
                </tr>`,
            )}
        </tbody>
      </table>
    </details>
  </li>`;
}

export function measuresSection(store: SandboxStore, config: SandboxConfig, persona: Persona): Html {
  const byKind = new Map<MeasureKind, Reading[]>();
  for (const entry of store.list(persona.key, 'Observation')) {
    const observation = entry.resource as MeasureObservation;
    const kind = kindOf(observation.code.coding);
    const values = kind && valuesOf(observation, kind);
    if (!kind || !values) continue;
    const readings = byKind.get(kind) ?? [];
    readings.push({ at: Date.parse(observation.effectiveDateTime), values, observation });
    byKind.set(kind, readings);
  }
  if (byKind.size === 0) return html`<p class="empty">Aucune mesure.</p>`;
  const names = new Map<string, string | undefined>();
  const devices = (id: string) => {
    if (!names.has(id)) {
      const device = store.get('Device', id);
      names.set(id, device?.persona === persona.key ? deviceName(device.resource as MeasureDevice) : undefined);
    }
    return names.get(id);
  };
  return html`<ul class="measures" role="list">
    ${MEASURE_KINDS.filter((kind) => byKind.has(kind)).map((kind) =>
      measureCard(
        kind,
        byKind.get(kind)!.sort((a, b) => a.at - b.at),
        config,
        devices,
      ),
    )}
  </ul>`;
}
