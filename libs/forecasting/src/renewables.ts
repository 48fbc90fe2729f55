/**
 * Pure helpers of the PV and wind forecasts: the clear-sky shape of an array, site weather
 * aligned with meter intervals, the daily clearness index and smart persistence (the PV
 * reference forecast and its fallback), hourly aggregation and the scores the renewable
 * backtests store. No database, no TF.js.
 */
import { quantileSorted } from 'simple-statistics';
import { coverage, cvRmse, meanPinball, nmbe } from './metrics';
import { localOffsetsMinutes } from './series';
import { clearSkyAt, poaAt } from './solar';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface ArrayGeometry {
  latitudeDeg: number;
  longitudeDeg: number;
  altitudeM?: number;
  /** Surface tilt from horizontal, degrees (0 = flat). */
  tiltDeg: number;
  /** Surface azimuth from north, clockwise (180 = south). */
  azimuthDeg: number;
}

/**
 * Clear-sky plane-of-array irradiance ÷ 1000 W/m² for each interval (Ineichen–Perez clear sky,
 * isotropic sky, DOMAIN.md §4), the mean of three instants across the interval like the PV model's
 * features. Exactly 0 when the sun is below the horizon at all three.
 */
export function clearSkyPoaShape(
  startsMs: readonly number[],
  intervalMinutes: number,
  g: ArrayGeometry,
): number[] {
  const half = (intervalMinutes * 60_000) / 2;
  return startsMs.map((start) => {
    let sum = 0;
    for (const f of [-0.5, 0, 0.5]) {
      const sky = clearSkyAt(start + half + f * half, g.latitudeDeg, g.longitudeDeg, g.altitudeM ?? 0);
      if (sky.position.cosZenith <= 0) continue;
      sum += poaAt(sky.position, g.tiltDeg, g.azimuthDeg, sky);
    }
    return sum / 3 / 1000;
  });
}

/**
 * GHI from total cloud cover, Kasten & Czeplak (1980, Solar Energy 24, 177–189):
 * GHI = GHI_clear · (1 − 0.75·(N/8)^3.4), N in octas (◐: the coefficients as widely cited; their
 * clear-sky model is replaced by Ineichen here). Lets a cloud-cover forecast stand in for GHI.
 */
export function ghiFromCloudCover(clearSkyGhiWm2: number, cloudCoverPct: number): number {
  const octasFraction = Math.min(1, Math.max(0, cloudCoverPct / 100));
  return clearSkyGhiWm2 * (1 - 0.75 * Math.pow(octasFraction, 3.4));
}

export interface WeatherRowLike {
  ts: Date;
  temperatureC: number | null;
  ghiWM2: number | null;
  cloudCoverPct: number | null;
  windSpeedMS: number | null;
}

export type WeatherField = 'temperatureC' | 'ghiWM2' | 'cloudCoverPct' | 'windSpeedMS';

/**
 * How long row i of time-sorted rows stands for, the period periodStartRows (@halve/metering, which this pure
 * module does not import: it runs in the training thread) reads a row as: to the next row, at most an hour; a
 * row without a next one within the hour as long as the gap before it, else an hour.
 */
export function weatherRowPeriodMs(rows: readonly { ts: Date }[], i: number): number {
  const gap = (j: number): number | null => {
    if (j < 0 || j >= rows.length) return null;
    const d = Math.abs(rows[j].ts.getTime() - rows[i].ts.getTime());
    return d > 0 && d <= HOUR_MS ? d : null;
  };
  return gap(i + 1) ?? gap(i - 1) ?? HOUR_MS;
}

/**
 * One weather field per interval [startMs + i·step, … + step): each row (a period start, as periodStartRows
 * gives them) stands for [ts, ts + its period) (weatherRowPeriodMs), and an interval takes the mean of the rows that
 * overlap it, weighted by the overlap — half-hourly weather gives a 15-minute interval the half hour that holds
 * it and an hour the mean of its two halves; hourly weather gives each quarter of the hour the hour's value.
 * NaN where no row with the field overlaps.
 */
export function alignWeather(
  rows: readonly WeatherRowLike[],
  field: WeatherField,
  startMs: number,
  intervalMinutes: number,
  n: number,
): number[] {
  const stepMs = intervalMinutes * 60_000;
  const sorted = rows.every((r, k) => k === 0 || rows[k - 1].ts <= r.ts)
    ? rows
    : [...rows].sort((a, b) => a.ts.getTime() - b.ts.getTime());
  const sum = new Float64Array(n);
  const weight = new Float64Array(n);
  sorted.forEach((r, k) => {
    const v = r[field];
    if (v === null || !Number.isFinite(v)) return;
    const from = r.ts.getTime();
    const to = from + weatherRowPeriodMs(sorted, k);
    const first = Math.max(0, Math.floor((from - startMs) / stepMs));
    const last = Math.min(n - 1, Math.floor((to - 1 - startMs) / stepMs));
    for (let i = first; i <= last; i++) {
      const a = startMs + i * stepMs;
      const overlap = Math.min(to, a + stepMs) - Math.max(from, a);
      if (overlap <= 0) continue;
      sum[i] += v * overlap;
      weight[i] += overlap;
    }
  });
  return Array.from({ length: n }, (_, i) => (weight[i] > 0 ? sum[i] / weight[i] : Number.NaN));
}

/**
 * Hourly means of a regular series (sub-hourly → hourly), NaN for an hour with a missing interval.
 * The first hour is the one containing `startMs`; intervals before an hour boundary are dropped.
 */
export function hourlyMeans(
  values: readonly number[],
  startMs: number,
  intervalMinutes: number,
): { startMs: number; values: number[] } {
  if (intervalMinutes === 60) return { startMs, values: [...values] };
  const perHour = 60 / intervalMinutes;
  const stepMs = intervalMinutes * 60_000;
  const skip = ((Math.ceil(startMs / HOUR_MS) * HOUR_MS - startMs) / stepMs) | 0;
  const out: number[] = [];
  for (let i = skip; i + perHour <= values.length; i += perHour) {
    let sum = 0;
    for (let j = 0; j < perHour; j++) sum += values[i + j];
    out.push(sum / perHour);
  }
  return { startMs: startMs + skip * stepMs, values: out };
}

export interface ClearnessDay {
  /** UTC ms of the local midnight that starts the day. */
  dayStartMs: number;
  /** Σ output fraction ÷ Σ clear-sky shape over the day's daylight intervals. */
  index: number;
}

/**
 * Daily clearness index of a PV series (output ÷ capacity per interval against the clear-sky POA
 * shape of the same intervals), for the local days whose measured intervals carry at least 90 % of
 * the day's clear-sky energy. Sorted by day.
 */
export function dailyClearness(
  fractions: readonly number[],
  shape: readonly number[],
  startMs: number,
  intervalMinutes: number,
  timeZone: string,
): ClearnessDay[] {
  const stepMs = intervalMinutes * 60_000;
  const times = fractions.map((_, i) => startMs + i * stepMs);
  const offsets = localOffsetsMinutes(timeZone, times);
  const days = new Map<number, { out: number; sky: number; skyAll: number; midnight: number }>();
  for (let i = 0; i < fractions.length; i++) {
    if (!(shape[i] > 0)) continue;
    const localMs = times[i] + offsets[i] * 60_000;
    const key = Math.floor(localMs / DAY_MS);
    let d = days.get(key);
    if (!d) days.set(key, (d = { out: 0, sky: 0, skyAll: 0, midnight: key * DAY_MS - offsets[i] * 60_000 }));
    d.skyAll += shape[i];
    if (Number.isFinite(fractions[i])) {
      d.out += Math.max(0, fractions[i]);
      d.sky += shape[i];
    }
  }
  return [...days.entries()]
    .sort((a, b) => a[0] - b[0])
    .filter(([, d]) => d.skyAll > 0 && d.sky >= 0.9 * d.skyAll)
    .map(([, d]) => ({ dayStartMs: d.midnight, index: d.out / d.sky }));
}

export interface FractionQuantiles {
  p10: number[];
  p50: number[];
  p90: number[];
}

/** Days of clearness kept for the smart-persistence bands. */
export const PERSISTENCE_BAND_DAYS = 14;

/**
 * Smart persistence: the clearness index of the latest complete day before the origin × the
 * clear-sky shape of each forecast interval (P50); P10/P90 from the 10th/90th percentiles of the
 * indices of the last 14 complete days. Null when no complete day is known.
 */
export function smartPersistence(
  days: readonly ClearnessDay[],
  originMs: number,
  shape: readonly number[],
): (FractionQuantiles & { index: number; dayStartMs: number; bandDays: number }) | null {
  const before = days.filter(
    (d) =>
      d.dayStartMs + DAY_MS <= originMs + HOUR_MS &&
      d.dayStartMs >= originMs - (PERSISTENCE_BAND_DAYS + 1) * DAY_MS,
  );
  if (!before.length) return null;
  const last = before[before.length - 1];
  const window = before
    .slice(-PERSISTENCE_BAND_DAYS)
    .map((d) => d.index)
    .sort((a, b) => a - b);
  const k50 = last.index;
  const k10 = Math.min(k50, quantileSorted(window, 0.1));
  const k90 = Math.max(k50, quantileSorted(window, 0.9));
  const clip = (v: number) => Math.min(1.05, Math.max(0, v));
  return {
    p10: shape.map((s) => clip(k10 * s)),
    p50: shape.map((s) => clip(k50 * s)),
    p90: shape.map((s) => clip(k90 * s)),
    index: k50,
    dayStartMs: last.dayStartMs,
    bandDays: window.length,
  };
}

/** Scores of a renewable forecast, in the meter's energy unit (kWh); residual = actual − predicted. */
export interface RenewableScores {
  /** Fractions (0.13 = 13 %). */
  cvRmse: number;
  nmbe: number;
  /** Mean absolute error of the P50, kWh per interval. */
  mae: number;
  /** MAE ÷ the capacity's energy per interval (normalised MAE). */
  nmae: number;
  /** Mean pinball loss over P10/P50/P90, kWh. */
  pinball: number;
  coverageP10P90: number;
  points: number;
}

export function scoreRenewable(
  actual: number[],
  q: FractionQuantiles,
  capacityKwhPerInterval: number,
): RenewableScores {
  let abs = 0;
  for (let i = 0; i < actual.length; i++) abs += Math.abs(actual[i] - q.p50[i]);
  const mae = abs / actual.length;
  return {
    cvRmse: cvRmse(actual, q.p50),
    nmbe: nmbe(actual, q.p50),
    mae,
    nmae: mae / capacityKwhPerInterval,
    pinball: meanPinball(
      actual,
      actual.map((_, i) => [q.p10[i], q.p50[i], q.p90[i]]),
      [0.1, 0.5, 0.9],
    ),
    coverageP10P90: coverage(actual, q.p10, q.p90),
    points: actual.length,
  };
}

/** Index of the level closest to `level` in a model's quantile levels. */
export function levelIndex(levels: readonly number[], level: number): number {
  let best = 0;
  for (let k = 1; k < levels.length; k++)
    if (Math.abs(levels[k] - level) < Math.abs(levels[best] - level)) best = k;
  return best;
}

/** Index of the first local midnight at or after index `from` of an hourly series, or `n` when there is none. */
export function nextLocalMidnight(startMs: number, from: number, n: number, timeZone: string): number {
  const times = Array.from({ length: Math.max(0, n - from) }, (_, k) => startMs + (from + k) * HOUR_MS);
  const offsets = localOffsetsMinutes(timeZone, times);
  for (let k = 0; k < times.length; k++) {
    if ((times[k] + offsets[k] * 60_000) % DAY_MS === 0) return from + k;
  }
  return n;
}
