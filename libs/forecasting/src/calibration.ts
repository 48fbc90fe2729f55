/**
 * Calibrated P10–P90 bands (issue 19): split-conformal recalibration of a quantile forecast on a
 * held-out window at the end of the training data (the "calibration window"), never the test data.
 *
 * Each tail is calibrated on its own, with scores normalised by the forecast's own half-width so the
 * band keeps its shape (wider where the model is less sure, at any load level):
 *   lower score r = (P50 − y) / max(P50 − P10, floor), upper score r = (y − P90's side) likewise;
 * the factor k is the ⌈(n+1)(1 − α)⌉-th smallest score (α = 0.1 per tail), and the calibrated
 * band is P50 − k_lo·(P50 − P10) … P50 + k_hi·(P90 − P50). On exchangeable data each tail then
 * misses with probability ≤ 0.1 (≥ 0.1 − 1/(n+1)), so P10–P90 covers ≈ 0.80 (Vovk et al.; Romano,
 * Patterson & Candès 2019 for quantile regression). Factors are ≥ 0, so a band never crosses P50.
 */
import type { QuantileForecast } from './baselines';
import type { CalendarInfo, ForecastPoint } from './features';
import { stepsPerDay } from './series';

export interface BandCalibration {
  /** Multiplies P50 − P10. */
  lowerFactor: number;
  /** Multiplies P90 − P50. */
  upperFactor: number;
  /** Calibration points the factors came from. */
  points: number;
}

/** Fewer calibration points than this: the bands are left as they are (factors 1). */
export const MIN_CALIBRATION_POINTS = 48;

/** Default length of the load model's calibration window at the end of the training data, in days. */
export const CALIBRATION_DAYS = 56;

/**
 * The baselines' calibration window, days (at most half the training data). Their errors grow with
 * the distance from the fit (an hour-of-week mean fitted on one year forecasts the next), so a short
 * window at the end under-covers a year ahead: on the 17-building default subset of BDG2 (2016 →
 * 2017) 56 days gave seasonal naive 0.735 and hour-of-week + recent load 0.778, half a year 0.794 and
 * 0.807 (the hour-of-week mean stays short: 0.66 and 0.60).
 */
export const BASELINE_CALIBRATION_DAYS = 183;

export const IDENTITY_CALIBRATION: BandCalibration = { lowerFactor: 1, upperFactor: 1, points: 0 };

/** The k-th smallest value, k = ⌈(n + 1)·level⌉ clamped to n (the split-conformal quantile). */
export function conformalQuantile(scores: readonly number[], level: number): number {
  const sorted = scores.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) throw new RangeError('conformalQuantile: no finite scores');
  const k = Math.min(sorted.length, Math.max(1, Math.ceil((sorted.length + 1) * level)));
  return sorted[k - 1];
}

/**
 * Factors that make each tail of the band miss `tail` (default 0.1) of the calibration points.
 * Points whose actual value is not finite are skipped. `floor` (default 0.1 % of the mean |actual|)
 * keeps a zero-width side from dividing by zero.
 */
export function fitBandCalibration(
  actual: readonly number[],
  forecast: QuantileForecast,
  options: { tail?: number; floor?: number } = {},
): BandCalibration {
  const tail = options.tail ?? 0.1;
  if (!(tail > 0 && tail < 0.5)) throw new RangeError('fitBandCalibration: tail must be in (0, 0.5)');
  if (actual.length !== forecast.p50.length)
    throw new RangeError(
      `fitBandCalibration: ${actual.length} actual values but ${forecast.p50.length} forecasts`,
    );
  const finite = actual.filter(Number.isFinite);
  if (finite.length < MIN_CALIBRATION_POINTS) return { ...IDENTITY_CALIBRATION, points: finite.length };
  const floor =
    options.floor ?? Math.max(1e-9, (1e-3 * finite.reduce((a, v) => a + Math.abs(v), 0)) / finite.length);
  const lower: number[] = [];
  const upper: number[] = [];
  actual.forEach((y, i) => {
    if (!Number.isFinite(y)) return;
    const m = forecast.p50[i];
    lower.push((m - y) / Math.max(m - forecast.p10[i], floor));
    upper.push((y - m) / Math.max(forecast.p90[i] - m, floor));
  });
  return {
    lowerFactor: Math.max(0, conformalQuantile(lower, 1 - tail)),
    upperFactor: Math.max(0, conformalQuantile(upper, 1 - tail)),
    points: lower.length,
  };
}

/**
 * Split-conformal offsets of a point forecast: `lower` ≤ 0 ≤ `upper` such that y < P50 + lower and
 * y > P50 + upper each happen on ≤ `tail` of the calibration points (non-finite ones skipped). For a
 * forecast refitted after calibration (the baselines): the offsets, not the factors, carry over.
 */
export function conformalOffsets(
  actual: readonly number[],
  p50: readonly number[],
  tail = 0.1,
): { lower: number; upper: number; points: number } {
  const below: number[] = [];
  const above: number[] = [];
  actual.forEach((y, i) => {
    if (!Number.isFinite(y) || !Number.isFinite(p50[i])) return;
    below.push(p50[i] - y);
    above.push(y - p50[i]);
  });
  if (below.length < MIN_CALIBRATION_POINTS)
    return { lower: Number.NaN, upper: Number.NaN, points: below.length };
  return {
    lower: -Math.max(0, conformalQuantile(below, 1 - tail)),
    upper: Math.max(0, conformalQuantile(above, 1 - tail)),
    points: below.length,
  };
}

/** The band rescaled around P50 by the calibration's factors (P50 unchanged; zero-width sides get the floor's width). */
export function applyBandCalibration(
  forecast: QuantileForecast,
  calibration: BandCalibration,
): QuantileForecast {
  const { lowerFactor, upperFactor } = calibration;
  return {
    p10: forecast.p10.map((v, i) => forecast.p50[i] - lowerFactor * (forecast.p50[i] - v)),
    p50: forecast.p50,
    p90: forecast.p90.map((v, i) => forecast.p50[i] + upperFactor * (v - forecast.p50[i])),
  };
}

/**
 * First target index of the calibration window: the local midnight `days` (default CALIBRATION_DAYS,
 * at most `maxShare` — a quarter — of the training days) before `trainEnd`. Returns `trainEnd` (no
 * window) when the training data are shorter than 8 days.
 */
export function calibrationStart(
  calendar: CalendarInfo,
  intervalMinutes: number,
  firstTarget: number,
  trainEnd: number,
  days = CALIBRATION_DAYS,
  maxShare = 0.25,
): number {
  const spd = stepsPerDay(intervalMinutes);
  const trainDays = Math.floor((trainEnd - firstTarget) / spd);
  if (trainDays < 8) return trainEnd;
  const wanted = trainEnd - Math.min(days, Math.floor(trainDays * maxShare)) * spd;
  return calendar.dayStarts.find((i) => i >= wanted && i < trainEnd) ?? trainEnd;
}

/** The points of `points` whose target lies before `start` (fit part) and from it on (calibration part). */
export function splitAtCalibration(
  points: readonly ForecastPoint[],
  start: number,
): { fit: ForecastPoint[]; calibration: ForecastPoint[] } {
  const fit: ForecastPoint[] = [];
  const calibration: ForecastPoint[] = [];
  for (const p of points) (p.target < start ? fit : calibration).push(p);
  return { fit, calibration };
}
