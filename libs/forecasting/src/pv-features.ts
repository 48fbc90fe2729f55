/**
 * Pure helpers for PV forecasting features and quantile post-processing: the clear-sky
 * index, an empirical clear-sky profile of a site's own output (its shape, orientation
 * and shading without knowing them), local-day means of a predictor, and the sorting and
 * interpolation that turn a few fitted quantiles into non-crossing percentiles.
 */

/** Ratio of measured (or forecast) irradiance to clear-sky irradiance; NaN where the clear sky is below `minClearSkyWm2`. */
export function clearSkyIndex(irradianceWm2: number, clearSkyWm2: number, minClearSkyWm2 = 20): number {
  if (!Number.isFinite(irradianceWm2) || !Number.isFinite(clearSkyWm2) || clearSkyWm2 < minClearSkyWm2)
    return Number.NaN;
  return Math.min(2, Math.max(0, irradianceWm2 / clearSkyWm2));
}

/** Quantiles of one row sorted ascending (quantile crossing removed by rearrangement, Chernozhukov et al. 2010). */
export function fixQuantileCrossing(row: readonly number[]): number[] {
  return [...row].sort((a, b) => a - b);
}

/**
 * Values at `targetLevels` by linear interpolation between the fitted (`levels`, `values`),
 * both ascending; below the first and above the last fitted level the end value is kept.
 */
export function interpolateQuantiles(
  levels: readonly number[],
  values: readonly number[],
  targetLevels: readonly number[],
): number[] {
  if (levels.length === 0 || levels.length !== values.length)
    throw new RangeError('interpolateQuantiles: levels and values must be non-empty and of equal length');
  let j = 0;
  return targetLevels.map((t) => {
    if (t <= levels[0]) return values[0];
    if (t >= levels[levels.length - 1]) return values[values.length - 1];
    while (levels[j + 1] < t) j++;
    const w = (t - levels[j]) / (levels[j + 1] - levels[j]);
    return values[j] + w * (values[j + 1] - values[j]);
  });
}

/**
 * Empirical clear-sky profile: for each hour of the (UTC) day and day of the year, the
 * `level` quantile of the output at that hour within ±`windowDays` days of the year (any
 * year), over intervals [0, end). 24 × 366 values, indexed `hour * 366 + dayOfYear`.
 * Only hourly data are profiled at the hour; shorter intervals fall into their hour. A day
 * with no output within its window (less than a year of history) takes the value of the
 * nearest day of the year that has some at that hour (the earlier on a tie), not 0, which
 * the trees would read as night; an hour with no output at all stays 0.
 */
export function empiricalClearSkyProfile(
  values: readonly number[],
  startMs: number,
  intervalMinutes: number,
  end: number,
  windowDays = 10,
  level = 0.95,
): Float64Array {
  const byHourDay: number[][] = Array.from({ length: 24 * 366 }, () => []);
  const stepMs = intervalMinutes * 60_000;
  for (let i = 0; i < Math.min(end, values.length); i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    const { hour, day } = hourAndDay(startMs + i * stepMs);
    byHourDay[hour * 366 + day].push(v);
  }
  const out = new Float64Array(24 * 366);
  for (let hour = 0; hour < 24; hour++) {
    const known: number[] = [];
    for (let day = 0; day < 366; day++) {
      const pool: number[] = [];
      for (let d = -windowDays; d <= windowDays; d++)
        pool.push(...byHourDay[hour * 366 + ((day + d + 366) % 366)]);
      if (pool.length === 0) continue;
      pool.sort((a, b) => a - b);
      out[hour * 366 + day] = pool[Math.min(pool.length - 1, Math.floor(level * pool.length))];
      known.push(day);
    }
    fillFromNearestDay(out.subarray(hour * 366, (hour + 1) * 366), known);
  }
  return out;
}

/** Days of `row` (one hour's 366 days) not in `known` take the value of the circularly nearest known day. */
function fillFromNearestDay(row: Float64Array, known: readonly number[]): void {
  if (known.length === 0 || known.length === row.length) return;
  const isKnown = new Uint8Array(row.length);
  for (const d of known) isKnown[d] = 1;
  const source = Array.from(row);
  for (let day = 0; day < row.length; day++) {
    if (isKnown[day]) continue;
    for (let d = 1; d < row.length; d++) {
      const before = (day - d + row.length) % row.length;
      const after = (day + d) % row.length;
      if (isKnown[before] || isKnown[after]) {
        row[day] = source[isKnown[before] ? before : after];
        break;
      }
    }
  }
}

/** UTC hour (0–23) and zero-based day of the year (0–365) of an instant. */
export function hourAndDay(utcMs: number): { hour: number; day: number } {
  const t = new Date(utcMs);
  const day = Math.floor((utcMs - Date.UTC(t.getUTCFullYear(), 0, 1)) / 86_400_000);
  return { hour: t.getUTCHours(), day };
}

/**
 * Mean of the finite values over each interval's local day (the UTC day shifted by
 * `utcOffsetHours`, e.g. longitude ÷ 15), for every interval; NaN where the day has none.
 */
export function localDayMeans(
  values: readonly number[],
  startMs: number,
  intervalMinutes: number,
  utcOffsetHours: number,
): number[] {
  const stepMs = intervalMinutes * 60_000;
  const dayOf = (i: number): number =>
    Math.floor((startMs + i * stepMs + utcOffsetHours * 3_600_000) / 86_400_000);
  const sums = new Map<number, { sum: number; n: number }>();
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) return;
    const d = dayOf(i);
    const s = sums.get(d) ?? { sum: 0, n: 0 };
    s.sum += v;
    s.n++;
    sums.set(d, s);
  });
  return values.map((_, i) => {
    const s = sums.get(dayOf(i));
    return s ? s.sum / s.n : Number.NaN;
  });
}

/**
 * The series moved by `lag` steps: element i is values[i + lag] (lag −1 the previous hour,
 * +1 the next); NaN where that falls outside the series. For NWP predictors the next hour is
 * a forecast too, so it is known when the hour is forecast.
 */
export function shiftedSeries(values: readonly number[], lag: number): number[] {
  return values.map((_, i) => {
    const v = values[i + lag];
    return v === undefined ? Number.NaN : v;
  });
}

/**
 * Centred moving mean over [i − halfWidth, i + halfWidth] of the finite values (fewer at the
 * ends and around gaps); NaN where the window has none. Smooths hourly differenced NWP
 * radiation, which is noisy and not quite aligned with the hour's output.
 */
export function centredMean(values: readonly number[], halfWidth: number): number[] {
  return values.map((_, i) => {
    let sum = 0;
    let n = 0;
    for (let j = Math.max(0, i - halfWidth); j <= Math.min(values.length - 1, i + halfWidth); j++) {
      if (!Number.isFinite(values[j])) continue;
      sum += values[j];
      n++;
    }
    return n > 0 ? sum / n : Number.NaN;
  });
}
