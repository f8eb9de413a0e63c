/**
 * What the patient is about to send, before anything is sent: how many readings of which measures,
 * over which period, and a few points per measure to draw its trend. No pairing needed, nothing
 * leaves the host.
 */
import type { Finality, MeasureType } from '../finalities.js';
import { MEASURES, writeFinalitiesOf, type MeasureKind } from './kinds.js';
import type { CheckedReading } from './series.js';

export interface MeasureKindSummary {
  kind: MeasureKind;
  type: MeasureType;
  count: number;
  /** The first and last readings' instants. */
  from: string;
  to: string;
  /** As people read it (« mmHg »). */
  unit: string;
  min: number;
  max: number;
  /** The trend, oldest first: at most `SUMMARY_POINTS` means over equal spans of time (systolic for blood pressure). */
  points: number[];
}

export interface MeasuresSummary {
  total: number;
  from?: string;
  to?: string;
  kinds: MeasureKindSummary[];
  /** What sending them needs the patient to grant. */
  finalities: Finality[];
}

export const SUMMARY_POINTS = 48;

const valueOf = (reading: CheckedReading) => reading.value ?? reading.systolic ?? 0;

function trend(readings: { at: number; value: number }[], start: number, end: number): number[] {
  const span = Math.max(1, end - start);
  const sums = new Array<number>(SUMMARY_POINTS).fill(0);
  const counts = new Array<number>(SUMMARY_POINTS).fill(0);
  for (const { at, value } of readings) {
    const slot = Math.min(SUMMARY_POINTS - 1, Math.floor(((at - start) / span) * SUMMARY_POINTS));
    sums[slot] += value;
    counts[slot]++;
  }
  return sums.flatMap((sum, slot) => (counts[slot] > 0 ? [Math.round((sum / counts[slot]) * 10) / 10] : []));
}

export function summarizeMeasures(readings: CheckedReading[]): MeasuresSummary {
  const byKind = new Map<MeasureKind, { at: number; value: number }[]>();
  for (const reading of readings) {
    const point = { at: Date.parse(reading.at), value: valueOf(reading) };
    const ofKind = byKind.get(reading.kind);
    if (ofKind) ofKind.push(point);
    else byKind.set(reading.kind, [point]);
  }
  const kinds = [...byKind].map(([kind, points]): MeasureKindSummary => {
    points.sort((a, b) => a.at - b.at);
    const start = points[0].at;
    const end = points[points.length - 1].at;
    const values = points.map((point) => point.value);
    return {
      kind,
      type: MEASURES[kind].type,
      count: points.length,
      from: new Date(start).toISOString(),
      to: new Date(end).toISOString(),
      unit: MEASURES[kind].unit.display,
      min: Math.min(...values),
      max: Math.max(...values),
      points: trend(points, start, end),
    };
  });
  const instants = kinds.flatMap((summary) => [summary.from, summary.to]).sort();
  return {
    total: readings.length,
    ...(instants.length > 0 && { from: instants[0], to: instants[instants.length - 1] }),
    kinds,
    finalities: writeFinalitiesOf(kinds.map((summary) => summary.kind)),
  };
}
