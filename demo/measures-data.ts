/**
 * What the measure vendors' own systems hold for each portal user (fictitious, generated the same
 * way every time, dated from the moment the demo first needs them, none in the future): Pesée+'s
 * scale, blood-pressure cuff and thermometer for Camille — six weeks of mornings and evenings — and
 * GlycoSuivi's glucose sensor for Nadia — 14 days of interstitial glucose, a reading every quarter of
 * an hour, 1,344 of them, in mg/dL. The gateway files them in MES from here, never from the page.
 */
import type { MeasureKind, MeasureReading, MeasureSeries, MeasuresQuery } from '@mes-kit/core';
import { random } from '../packages/sandbox/src/seed/seed.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const QUARTER = 15 * MINUTE;

const PARIS_CLOCK = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The hour in Paris, with its minutes as a fraction (7.5 at 07:30). */
function parisHour(instant: number): number {
  const [hours, minutes] = PARIS_CLOCK.format(new Date(instant)).split(':').map(Number);
  return hours + minutes / 60;
}

/** The last instant, up to `now`, when Paris read `hour` o'clock. */
function parisMorning(hour: number, now: number): number {
  // Back from now to the last time Paris read `hour`, a quarter of an hour at a time.
  let instant = Math.floor(now / QUARTER) * QUARTER;
  while (Math.abs(parisHour(instant) - hour) > 0.01) instant -= QUARTER;
  return instant;
}

const iso = (instant: number) => new Date(instant).toISOString();
const one = (value: number) => Math.round(value * 10) / 10;

/** Pesée+: Camille weighs herself every morning, and takes her blood pressure morning and evening; a cold three weeks ago. */
function balance(now: number): MeasureSeries[] {
  const next = random(2026);
  const lastMorning = parisMorning(7, now - 30 * MINUTE);
  const mornings = Array.from({ length: 42 }, (_, i) => lastMorning - (41 - i) * DAY);
  const evenings = mornings.map((morning) => morning + 14 * 60 * MINUTE);
  const weights: MeasureReading[] = mornings.map((morning, i) => ({
    at: iso(morning + Math.floor(next() * 20) * MINUTE),
    // Down from 71,2 kg to about 70 kg, with a Monday after the weekend.
    value: one(71.2 - (1.2 * i) / 41 + (next() - 0.5) * 0.5 + (new Date(morning).getUTCDay() === 1 ? 0.3 : 0)),
  }));
  // Morning and evening, those that have come already.
  const sittings = [...mornings.map((at) => at + 22 * MINUTE), ...evenings.map((at) => at + 15 * MINUTE)]
    .filter((at) => at < now - 5 * MINUTE)
    .sort((a, b) => a - b);
  const pressures: MeasureReading[] = [];
  const rates: MeasureReading[] = [];
  for (const at of sittings) {
    // A little higher in the evening.
    const evening = parisHour(at) > 12 ? 4 : 0;
    const systolic = Math.round(117 + evening + (next() - 0.5) * 12);
    pressures.push({ at: iso(at), systolic, diastolic: Math.round(76 + evening / 2 + (next() - 0.5) * 8) });
    rates.push({ at: iso(at), value: Math.round(66 + evening + (next() - 0.5) * 10) });
  }
  // Five days of a cold, three weeks ago: morning and evening.
  const cold = [37.3, 37.9, 38.6, 38.9, 38.4, 38.1, 37.6, 37.4, 37.0, 36.8];
  const temperatures: MeasureReading[] = cold.map((value, i) => ({
    at: iso(mornings[20 + Math.floor(i / 2)] + (i % 2 === 0 ? 30 : 14 * 60 + 40) * MINUTE),
    value,
  }));
  // The devices MES already knows from Pesée+ (the sandbox's seed filed three months from them).
  const cuff = {
    serial: 'C4-2A-9B-00-02-3D-11-C8',
    kind: 'blood-pressure-monitor',
    manufacturer: 'Pesée+',
    model: 'PT-120',
    name: 'Mon tensiomètre',
  } as const;
  return [
    {
      kind: 'weight',
      device: {
        serial: 'C4-2A-9B-00-01-5E-7A-10',
        kind: 'weight-scale',
        manufacturer: 'Pesée+',
        model: 'PB-300',
        name: 'Ma balance',
      },
      reason: 'Suivi du poids',
      readings: weights,
    },
    { kind: 'blood-pressure', device: cuff, reason: 'Suivi de la tension artérielle', readings: pressures },
    { kind: 'heart-rate', device: cuff, readings: rates },
    {
      kind: 'temperature',
      device: {
        serial: 'C4-2A-9B-00-03-8F-20-4B',
        kind: 'thermometer',
        manufacturer: 'Pesée+',
        model: 'PX-10',
        name: 'Mon thermomètre',
      },
      readings: temperatures,
    },
  ];
}

/** Meals (Paris hour) and how high each sends Nadia's glucose before her insulin brings it back. */
const MEALS = [
  { hour: 7.5, rise: 95 },
  { hour: 12.75, rise: 80 },
  { hour: 19.75, rise: 105 },
];

/**
 * GlycoSuivi: a type 1 diabetes day, every quarter of an hour — nights near 125 mg/dL with the dawn
 * rise, each meal a peak an hour or so later that the bolus brings down over three hours, some
 * afternoons a low after exercise, the sensor's own noise.
 */
function glycemie(now: number): MeasureSeries[] {
  const next = random(1344);
  // The last quarter of an hour at least five minutes ago: no reading from the future.
  const last = Math.floor((now - 5 * MINUTE) / QUARTER) * QUARTER;
  const start = last - 1343 * QUARTER;
  const days = Array.from({ length: 16 }, () => ({
    meals: MEALS.map((meal) => ({ ...meal, rise: meal.rise * (0.6 + next() * 0.8), at: meal.hour + next() * 0.6 })),
    // A walk or a run some afternoons: a low towards 16:00.
    low: next() < 0.3 ? 45 + next() * 25 : 0,
    night: 110 + next() * 35,
  }));
  let noise = 0;
  const readings: MeasureReading[] = Array.from({ length: 1344 }, (_, i) => {
    const at = start + i * QUARTER;
    const hour = parisHour(at);
    const day = days[Math.floor((at - start) / DAY) + 1] ?? days[0];
    let value = day.night;
    // The dawn phenomenon: up to +25 between 4 h and 7 h, gone by mid-morning.
    if (hour > 4 && hour < 10) value += 25 * Math.sin((Math.PI * (hour - 4)) / 6);
    for (const meal of day.meals) {
      const after = hour - meal.at;
      if (after > 0 && after < 6) value += meal.rise * (after / 1.1) * Math.exp(1 - after / 1.1);
    }
    if (day.low) {
      const after = hour - 15;
      if (after > 0 && after < 3)
        value -= day.low * Math.sin((Math.PI * after) / 3) + 30 * Math.sin((Math.PI * after) / 3);
    }
    noise = noise * 0.8 + (next() - 0.5) * 9;
    return { at: iso(at), value: Math.round(Math.min(380, Math.max(48, value + noise))) };
  });
  return [
    {
      kind: 'interstitial-glucose',
      unit: 'mg/dL',
      device: {
        serial: 'GS-G14-2026-0042',
        kind: 'continuous-glucose-monitor',
        manufacturer: 'GlycoSuivi',
        model: 'Capteur G14',
        name: 'Mon capteur',
      },
      days: 14,
      reason: 'Suivi du diabète de type 1',
      readings,
    },
  ];
}

/** Each vendor's readings, by the portal user they belong to. */
const GENERATORS: Record<string, Record<string, (now: number) => MeasureSeries[]>> = {
  balance: { camille: balance },
  glycemie: { nadia: glycemie },
};

/** Services whose devices take measures. */
export const MEASURE_SERVICES = new Set(Object.keys(GENERATORS));

const held = new Map<string, MeasureSeries[]>();

/** This user's readings with this service's devices, as its systems hold them (the same until the demo restarts). */
export function measuresOf(service: string, userId: string): MeasureSeries[] {
  const key = `${service}:${userId}`;
  if (!held.has(key)) held.set(key, GENERATORS[service]?.[userId]?.(Date.now()) ?? []);
  return held.get(key)!;
}

/** Those of `query.kinds`, between `query.from` and `query.to`; a series left with no reading is left out. */
export function chosenMeasures(series: MeasureSeries[], query: MeasuresQuery): MeasureSeries[] {
  const kinds = query.kinds && new Set<MeasureKind>(query.kinds);
  const from = query.from ? Date.parse(query.from) : -Infinity;
  const to = query.to ? Date.parse(query.to) : Infinity;
  return series.flatMap((one) => {
    if (kinds && !kinds.has(one.kind)) return [];
    const readings = one.readings.filter((reading) => {
      const at = new Date(reading.at).getTime();
      return at >= from && at <= to;
    });
    return readings.length > 0 ? [{ ...one, readings }] : [];
  });
}
