/**
 * Backtests of the PV and wind models, beside the load backtest (backtest.ts): pure functions over
 * the hourly output ÷ capacity and the predictions already made, scored in kWh against the
 * references a version must beat (PV: smart persistence, day-ahead from each test day's local
 * midnight, and the generic model; wind: climatology, the training output's own quantiles).
 */
import { quantileSorted } from 'simple-statistics';
import {
  FractionQuantiles,
  RenewableScores,
  dailyClearness,
  levelIndex,
  nextLocalMidnight,
  scoreRenewable,
  smartPersistence,
} from './renewables';
import { WindPowerCurve, predictWindPower } from './wind-model';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Hourly output ÷ capacity from `startMs` (NaN = missing). */
export interface HourlyFractions {
  startMs: number;
  values: number[];
}

/** Smart persistence per hour of [testStart, n), issued at each test day's local midnight (null: no complete day before it). */
export function dayAheadPersistence(
  hourly: HourlyFractions,
  shape: readonly number[],
  testStart: number,
  timeZone: string,
): (FractionQuantiles | null)[] {
  const n = hourly.values.length;
  const days = dailyClearness(hourly.values, shape, hourly.startMs, 60, timeZone);
  const persistence: (FractionQuantiles | null)[] = new Array(n).fill(null);
  for (let d = testStart; d < n;) {
    const end = nextLocalMidnight(hourly.startMs, d + 1, n, timeZone);
    const sp = smartPersistence(days, hourly.startMs + d * HOUR_MS, shape.slice(d, end));
    if (sp)
      for (let i = d; i < end; i++)
        persistence[i] = { p10: [sp.p10[i - d]], p50: [sp.p50[i - d]], p90: [sp.p90[i - d]] };
    d = end;
  }
  return persistence;
}

/** Quantile predictions of [testStart, n) (row per hour) and the levels of their columns. */
export interface QuantileRows {
  rows: number[][];
  levels: number[];
  /** A multiplier per row (the generic model's scaling to the meter); absent = 1. */
  scale?: number[];
}

export interface PvBacktestInput {
  hourly: HourlyFractions;
  /** Clear-sky plane-of-array shape of every hour (smart persistence's shape). */
  shape: readonly number[];
  timeZone: string;
  testStart: number;
  /** Daylight hours with measured output and irradiance. */
  paired: readonly number[];
  capacityKwh: number;
  model: QuantileRows;
  generic: QuantileRows | null;
}

export interface PvBacktest {
  model: RenewableScores;
  baselines: Record<string, RenewableScores>;
  /** Beats every reference on both MAE and pinball loss. */
  beats: boolean;
  skillMae: number;
  skillPinball: number;
  daysScored: number;
  /** The stored backtest (version.backtest). */
  summary: object;
}

function p10p50p90(q: QuantileRows, row: number[], k: number): [number, number, number] {
  const s = q.scale?.[k] ?? 1;
  const [a, b, c] = [0.1, 0.5, 0.9].map((l) => levelIndex(q.levels, l));
  return [row[a] * s, row[b] * s, row[c] * s];
}

/**
 * Scores the PV trial model, smart persistence and the generic model on the daylight hours of the
 * test window that have measured output, irradiance and a persistence forecast. Null when fewer
 * than 24 such hours (too few to backtest).
 */
export function backtestPv(i: PvBacktestInput): PvBacktest | null {
  const { hourly, testStart, capacityKwh } = i;
  const n = hourly.values.length;
  const persistence = dayAheadPersistence(hourly, i.shape, testStart, i.timeZone);
  const idx = i.paired.filter((k) => k >= testStart && persistence[k] !== null);
  if (idx.length < 24) return null;
  const actual = idx.map((k) => hourly.values[k] * capacityKwh);
  const toKwh = (f: (k: number) => [number, number, number]): FractionQuantiles => {
    const rows = idx.map(f);
    return {
      p10: rows.map((r) => r[0] * capacityKwh),
      p50: rows.map((r) => r[1] * capacityKwh),
      p90: rows.map((r) => Math.max(r[1], r[2]) * capacityKwh),
    };
  };
  const of = (q: QuantileRows) => (k: number) => p10p50p90(q, q.rows[k - testStart], k - testStart);
  const model = scoreRenewable(actual, toKwh(of(i.model)), capacityKwh);
  const sp = scoreRenewable(
    actual,
    toKwh((k) => [persistence[k]!.p10[0], persistence[k]!.p50[0], persistence[k]!.p90[0]]),
    capacityKwh,
  );
  const baselines: Record<string, RenewableScores> = { smartPersistence: sp };
  if (i.generic) baselines.generic = scoreRenewable(actual, toKwh(of(i.generic)), capacityKwh);
  const beats = Object.values(baselines).every((ref) => model.mae < ref.mae && model.pinball < ref.pinball);
  const startOf = (k: number) => hourly.startMs + k * HOUR_MS;
  const daysScored = new Set(idx.map((k) => Math.floor((startOf(k) - startOf(testStart)) / DAY_MS))).size;
  const summary = {
    from: new Date(startOf(testStart)).toISOString(),
    to: new Date(startOf(n - 1) + HOUR_MS).toISOString(),
    days: daysScored,
    resolution: 'hourly',
    model,
    baselines,
    note: "scored on daylight hours; the site's recorded irradiance stands in for its forecast (a perfect-forecast setting: real forecasts widen the error)",
  };
  const skillMae = (sp.mae - model.mae) / sp.mae;
  const skillPinball = (sp.pinball - model.pinball) / sp.pinball;
  return { model, baselines, beats, skillMae, skillPinball, daysScored, summary };
}

export interface WindBacktest {
  model: RenewableScores;
  climatology: RenewableScores;
  /** MAE skill against climatology. */
  skill: number;
}

/**
 * Scores a power curve fitted on the `train` hours against climatology (P10/P50/P90 of the training
 * output, whatever the wind) on the `test` hours; `values` = hourly output ÷ capacity.
 */
export function backtestWind(
  curve: WindPowerCurve,
  values: readonly number[],
  speeds: readonly number[],
  split: { train: readonly number[]; test: readonly number[] },
  capacityKwh: number,
): WindBacktest {
  const { train, test } = split;
  const predicted = predictWindPower(
    curve,
    test.map((i) => speeds[i]),
  );
  const actual = test.map((i) => values[i] * capacityKwh);
  const scale = (f: FractionQuantiles): FractionQuantiles => ({
    p10: f.p10.map((v) => v * capacityKwh),
    p50: f.p50.map((v) => v * capacityKwh),
    p90: f.p90.map((v) => v * capacityKwh),
  });
  const model = scoreRenewable(actual, scale(predicted), capacityKwh);
  const trainOutput = train.map((i) => Math.max(0, values[i])).sort((a, b) => a - b);
  const climate = [0.1, 0.5, 0.9].map((l) => quantileSorted(trainOutput, l));
  const climatology = scoreRenewable(
    actual,
    scale({
      p10: test.map(() => climate[0]),
      p50: test.map(() => climate[1]),
      p90: test.map(() => climate[2]),
    }),
    capacityKwh,
  );
  return { model, climatology, skill: (climatology.mae - model.mae) / climatology.mae };
}
