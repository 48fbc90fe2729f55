/**
 * Anomalies: sustained consumption above the load forecast's P90.
 *
 * Readings are summed to the forecast's interval and matched by start time. A run is at least
 * `minHours` (default 4) consecutive intervals above P90; its excess is Σ(actual − P50), the
 * energy above what was expected. The excess is annualised (× 8,760 / hours compared) only when
 * the pattern persists: runs start in at least `minWeeks` (default 2) distinct weeks of the
 * compared period, and in at least half of its weeks. A one-off is counted once, as the energy
 * it cost, not as a yearly saving. An annualised figure is capped at
 * {@link OPERATIONAL_MAX_SHARE_OF_USE} of the meter's annual use (four weeks scaled to a year
 * can turn a season the forecast missed into a claim on the whole year). An anomaly still
 * running at the end of the data is flagged as ongoing.
 */
import { OPERATIONAL_MAX_SHARE_OF_USE } from './after-hours';
import {
  HOURS_PER_YEAR,
  currentTariff,
  energyCost,
  fmt,
  fmtMoney,
  hourlySeries,
  suggestionKey,
} from './common';
import type { EvidenceSeries, LoadForecast, MeterInput, SiteAnalysisInput, Suggestion } from './types';

export const DEFAULT_ANOMALY_MIN_HOURS = 4;
export const DEFAULT_ANOMALY_MIN_WEEKS = 2;
const WEEK_MS = 7 * 24 * 3_600_000;

/** Whether runs recur: they start in ≥ max(minWeeks, ⌈weeks compared / 2⌉) distinct weeks (counted from the first compared interval). */
export function anomalyPersists(
  runs: readonly { from: Date }[],
  firstMs: number,
  hoursCompared: number,
  minWeeks: number,
): { persists: boolean; weeksWithRuns: number; weeksCompared: number } {
  const weeksCompared = Math.max(1, Math.floor(hoursCompared / 168));
  const weeksWithRuns = new Set(runs.map((r) => Math.floor((r.from.getTime() - firstMs) / WEEK_MS))).size;
  return {
    persists: weeksWithRuns >= Math.max(minWeeks, Math.ceil(weeksCompared / 2)),
    weeksWithRuns,
    weeksCompared,
  };
}

interface Matched {
  ts: Date;
  actualKwh: number;
  p50Kwh: number;
  p90Kwh: number;
}

export interface AnomalyRun {
  from: Date;
  /** exclusive */
  to: Date;
  hours: number;
  excessKwh: number;
  points: Matched[];
}

function match(meter: MeterInput, forecast: LoadForecast): Matched[] {
  const stepMs = forecast.intervalMinutes * 60_000;
  if (forecast.intervalMinutes % meter.intervalMinutes !== 0) return [];
  const perStep = forecast.intervalMinutes / meter.intervalMinutes;
  const sums = new Map<number, { kwh: number; n: number }>();
  for (const r of meter.readings) {
    if (!Number.isFinite(r.energyKwh)) continue;
    const key = Math.floor(r.ts.getTime() / stepMs);
    const s = sums.get(key) ?? { kwh: 0, n: 0 };
    s.kwh += r.energyKwh;
    s.n++;
    sums.set(key, s);
  }
  const out: Matched[] = [];
  for (const p of forecast.points) {
    const s = sums.get(Math.floor(p.ts.getTime() / stepMs));
    if (s && s.n === perStep) out.push({ ts: p.ts, actualKwh: s.kwh, p50Kwh: p.p50Kwh, p90Kwh: p.p90Kwh });
  }
  return out.sort((a, b) => a.ts.getTime() - b.ts.getTime());
}

/** Runs of ≥ minIntervals consecutive (in time) intervals with actual > P90. */
export function findAnomalyRuns(
  points: readonly Matched[],
  intervalMinutes: number,
  minHours: number,
): AnomalyRun[] {
  const stepMs = intervalMinutes * 60_000;
  const minIntervals = Math.ceil((minHours * 60) / intervalMinutes);
  const runs: AnomalyRun[] = [];
  let current: Matched[] = [];
  const flush = () => {
    if (current.length >= minIntervals) {
      runs.push({
        from: current[0].ts,
        to: new Date(current[current.length - 1].ts.getTime() + stepMs),
        hours: (current.length * intervalMinutes) / 60,
        excessKwh: current.reduce((s, p) => s + (p.actualKwh - p.p50Kwh), 0),
        points: current,
      });
    }
    current = [];
  };
  points.forEach((p, i) => {
    const contiguous = i > 0 && p.ts.getTime() - points[i - 1].ts.getTime() === stepMs;
    if (!contiguous && current.length) flush();
    if (p.actualKwh > p.p90Kwh) current.push(p);
    else flush();
  });
  flush();
  return runs;
}

/** The meter's use scaled to a year (NaN without readings). */
function meterAnnualUseKwh(meter: MeterInput, zone: string): number {
  const meterHours = hourlySeries(meter.readings, meter.intervalMinutes, zone);
  return meterHours.length
    ? (meterHours.reduce((s, h) => s + h.energyKwh, 0) * HOURS_PER_YEAR) / meterHours.length
    : Number.NaN;
}

/** Actual, P50 and P90 over the runs' intervals. */
function anomalySeries(runs: readonly AnomalyRun[]): EvidenceSeries[] {
  const series = (name: string, value: (p: AnomalyRun['points'][number]) => number): EvidenceSeries => ({
    name,
    unit: 'kWh',
    points: runs.flatMap((r) => r.points.map((p) => ({ ts: p.ts.toISOString(), value: value(p) }))),
  });
  return [
    series('actual', (p) => p.actualKwh),
    series('forecast P50', (p) => p.p50Kwh),
    series('forecast P90', (p) => p.p90Kwh),
  ];
}

function analyseMeter(
  input: SiteAnalysisInput,
  meter: MeterInput,
  forecast: LoadForecast,
): Suggestion | null {
  const matched = match(meter, forecast);
  if (matched.length === 0) return null;
  const minHours = input.options?.anomalies?.minHours ?? DEFAULT_ANOMALY_MIN_HOURS;
  const runs = findAnomalyRuns(matched, forecast.intervalMinutes, minHours);
  if (runs.length === 0) return null;
  const excessKwh = runs.reduce((s, r) => s + r.excessKwh, 0);
  if (!(excessKwh > 0)) return null;
  const hoursCompared = (matched.length * forecast.intervalMinutes) / 60;
  const minWeeks = input.options?.anomalies?.minWeeks ?? DEFAULT_ANOMALY_MIN_WEEKS;
  const pattern = anomalyPersists(runs, matched[0].ts.getTime(), hoursCompared, minWeeks);
  const annualUseKwh = meterAnnualUseKwh(meter, input.site.timezone);
  const ceilingKwh = OPERATIONAL_MAX_SHARE_OF_USE * annualUseKwh;
  const uncappedScale = pattern.persists ? HOURS_PER_YEAR / hoursCompared : 1;
  const capped = pattern.persists && excessKwh * uncappedScale > ceilingKwh;
  const scale = capped ? ceilingKwh / excessKwh : uncappedScale;
  const annualSavingKwh = excessKwh * scale;
  const factor = input.emissionFactor.kgCo2ePerKwh;
  const tariff = currentTariff(input.tariffs)?.tariff ?? null;
  const excessPoints = runs.flatMap((r) =>
    r.points.map((p) => ({ ts: p.ts, energyKwh: p.actualKwh - p.p50Kwh })),
  );
  const cost = energyCost(tariff, excessPoints, input.site.timezone);
  const money = cost === null ? null : cost * scale;
  const lastEnd = matched[matched.length - 1].ts.getTime() + forecast.intervalMinutes * 60_000;
  const latest = runs[runs.length - 1];
  const ongoing = latest.to.getTime() === lastEnd;
  const excessAboveP90 = runs.reduce(
    (s, r) => s + r.points.reduce((t, p) => t + (p.actualKwh - p.p90Kwh), 0),
    0,
  );
  return {
    type: 'anomaly',
    siteId: input.site.id,
    meterId: meter.id,
    key: suggestionKey('anomaly', input.site.id, meter.id),
    title: ongoing
      ? `Unusual consumption now on ${meter.name ?? 'this meter'}`
      : `Unusual consumption on ${meter.name ?? 'this meter'}`,
    explanation:
      `${runs.length} period${runs.length > 1 ? 's' : ''} of at least ${minHours} hours ran above the forecast's P90 (the level exceeded only 1 time in 10), ` +
      `the longest ${fmt(Math.max(...runs.map((r) => r.hours)), 1)} hours; the latest from ${latest.from.toISOString()} ` +
      `${ongoing ? 'and still going' : `to ${latest.to.toISOString()}`}. Together they used ${fmt(excessKwh)} kWh more than forecast (P50). ` +
      (pattern.persists
        ? `They recur (${pattern.weeksWithRuns} of the ${pattern.weeksCompared} weeks compared): at that rate that is ${fmt(annualSavingKwh)} kWh${capped ? ` (capped at ${fmt(OPERATIONAL_MAX_SHARE_OF_USE * 100)} % of the meter's use: a few weeks scaled to a year can overstate a seasonal pattern the forecast missed)` : ''}, ${fmt(annualSavingKwh * factor)} kg CO2e and ${fmtMoney(money, input.currency)} a year. `
        : `They do not recur (${pattern.weeksWithRuns} of the ${pattern.weeksCompared} weeks compared), so this is counted once, not as a yearly saving: ${fmt(annualSavingKwh)} kWh, ${fmt(annualSavingKwh * factor)} kg CO2e and ${fmtMoney(money, input.currency)}. `) +
      `Look for equipment left running, a fault or a changed schedule at those times.`,
    annualSavingKwh,
    annualSavingKgCo2e: annualSavingKwh * factor,
    annualSavingMoney: money,
    currency: input.currency,
    range: money === null ? null : { low: (money * excessAboveP90) / excessKwh, high: money },
    confidence: runs.some((r) => r.hours >= 2 * minHours) ? 'medium' : 'low',
    evidence: {
      series: anomalySeries(runs),
      numbers: {
        runs: runs.length,
        minHours,
        excessKwh,
        excessAboveP90Kwh: excessAboveP90,
        hoursCompared,
        ongoing: ongoing ? 'yes' : 'no',
        weeksWithRuns: pattern.weeksWithRuns,
        weeksCompared: pattern.weeksCompared,
        annualised: pattern.persists ? 'yes (the pattern recurs)' : 'no (one-off: counted once)',
        annualUseKwh,
        cappedAtShareOfUsePct: capped ? OPERATIONAL_MAX_SHARE_OF_USE * 100 : 'no',
        kgCo2ePerKwh: factor,
        emissionFactorSource: input.emissionFactor.source,
        latestFrom: latest.from.toISOString(),
        latestTo: latest.to.toISOString(),
      },
    },
    savingProfile: { meterId: meter.id, kind: 'spike', scale, points: excessPoints },
  };
}

/** Anomaly analyser (see the file comment); needs a forecast per meter. */
export function analyseAnomalies(input: SiteAnalysisInput): Suggestion[] {
  const out: Suggestion[] = [];
  for (const forecast of input.forecasts ?? []) {
    const meter = input.meters.find((m) => m.id === forecast.meterId);
    if (!meter || (meter.energyType ?? 'electricity') !== 'electricity') continue;
    const s = analyseMeter(input, meter, forecast);
    if (s) out.push(s);
  }
  return out;
}
