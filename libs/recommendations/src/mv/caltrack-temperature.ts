/**
 * CalTRACK 2.0 shared pieces (DOMAIN.md §3): °C/°F conversion, temperature-bin features, local
 * hour of week, temperature-gap interpolation and degree days.
 */
import { DateTime } from 'luxon';

export const HOURS_PER_WEEK = 168;

/** CalTRACK TOWT bin edges, °F (DOMAIN.md §3). */
export const TOWT_BIN_EDGES_F: readonly number[] = [30, 45, 55, 65, 75, 90];

export function celsiusToFahrenheit(temperatureC: number): number {
  return (temperatureC * 9) / 5 + 32;
}

export function fahrenheitToCelsius(temperatureF: number): number {
  return ((temperatureF - 32) * 5) / 9;
}

/** The same edges in °C: −1.11, 7.22, 12.78, 18.33, 23.89, 32.22. */
export const TOWT_BIN_EDGES_C: readonly number[] = TOWT_BIN_EDGES_F.map(fahrenheitToCelsius);

// ───────────────────────────── temperature bins ─────────────────────────────

/**
 * TOWT temperature-bin features for edges B₁ < … < B_N (any unit, DOMAIN.md §3):
 * Tc₁ = min(T, B₁); Tcₙ = Bₙ − Bₙ₋₁ if T > Bₙ, T − Bₙ₋₁ if Bₙ₋₁ < T ≤ Bₙ, else 0;
 * Tc_{N+1} = max(T − B_N, 0). N+1 values that sum to T.
 */
export function temperatureBinFeatures(temperature: number, binEdges: readonly number[]): number[] {
  const features = new Array<number>(binEdges.length + 1).fill(0);
  if (binEdges.length === 0) {
    features[0] = temperature;
    return features;
  }
  features[0] = Math.min(temperature, binEdges[0]);
  for (let i = 1; i < binEdges.length; i++) {
    const lower = binEdges[i - 1];
    const upper = binEdges[i];
    if (temperature > upper) features[i] = upper - lower;
    else if (temperature > lower) features[i] = temperature - lower;
  }
  features[binEdges.length] = Math.max(temperature - binEdges[binEdges.length - 1], 0);
  return features;
}

/** {@link temperatureBinFeatures} in °C with the CalTRACK edges converted to °C. */
export function temperatureBinFeaturesC(
  temperatureC: number,
  binEdgesC: readonly number[] = TOWT_BIN_EDGES_C,
): number[] {
  return temperatureBinFeatures(temperatureC, binEdgesC);
}

/**
 * Merge sparse temperature bins (DOMAIN.md §3: "a bin with < 20 hours merges with its
 * neighbour"). Bins are (−∞, B₁], (B₁, B₂], …, (B_N, ∞). As in eemeter: a sparse bin merges
 * upwards (its upper edge is removed), the last bin downwards (its lower edge is removed);
 * repeat until every bin has ≥ `minHours` temperatures. Returns the remaining edges.
 */
export function mergeSparseTemperatureBins(
  temperatures: readonly number[],
  binEdges: readonly number[],
  minHours = 20,
): number[] {
  let edges = [...binEdges];
  for (;;) {
    const counts = new Array<number>(edges.length + 1).fill(0);
    for (const t of temperatures) {
      if (!Number.isFinite(t)) continue;
      let bin = 0;
      while (bin < edges.length && t > edges[bin]) bin++;
      counts[bin]++;
    }
    const remove = new Set<number>();
    counts.forEach((count, bin) => {
      if (count >= minHours || edges.length === 0) return;
      remove.add(bin < edges.length ? edges[bin] : edges[bin - 1]);
    });
    if (remove.size === 0) return edges;
    edges = edges.filter((e) => !remove.has(e));
  }
}

// ───────────────────────────── calendar ─────────────────────────────

/** Hour of week in `zone` (IANA name): Monday 00:00 = 0 … Sunday 23:00 = 167. */
export function localHourOfWeek(ts: Date, zone: string): number {
  const local = DateTime.fromJSDate(ts, { zone });
  if (!local.isValid) throw new RangeError(`localHourOfWeek: invalid instant or zone ${zone}`);
  return (local.weekday - 1) * 24 + local.hour;
}

/**
 * CalTRACK data preparation (DOMAIN.md §3): temperature gaps of at most `maxGapHours`
 * consecutive missing hours are linearly interpolated; longer gaps, and gaps at either end,
 * stay missing (null). The input is an hourly series without missing rows (a missing hour
 * is a null or non-finite value in place).
 */
export function interpolateTemperatureGaps(
  hourlyTemperatures: readonly (number | null)[],
  maxGapHours = 6,
): (number | null)[] {
  const out: (number | null)[] = hourlyTemperatures.map((t) => (t !== null && Number.isFinite(t) ? t : null));
  let i = 0;
  while (i < out.length) {
    if (out[i] !== null) {
      i++;
      continue;
    }
    let j = i;
    while (j < out.length && out[j] === null) j++;
    const gap = j - i;
    const before = i > 0 ? out[i - 1] : null;
    const after = j < out.length ? out[j] : null;
    if (before !== null && after !== null && gap <= maxGapHours) {
      for (let k = 0; k < gap; k++) out[i + k] = before + ((after - before) * (k + 1)) / (gap + 1);
    }
    i = j;
  }
  return out;
}

// ───────────────────────────── degree days ─────────────────────────────

/** Mean heating degree days, mean of max(bp − T̄_d, 0) over daily mean temperatures (same unit as bp). */
export function meanHeatingDegreeDays(
  dailyMeanTemperatures: readonly number[],
  balancePoint: number,
): number {
  if (dailyMeanTemperatures.length === 0) throw new RangeError('meanHeatingDegreeDays: no days');
  let sum = 0;
  for (const t of dailyMeanTemperatures) sum += Math.max(balancePoint - t, 0);
  return sum / dailyMeanTemperatures.length;
}

/** Mean cooling degree days, mean of max(T̄_d − bp, 0) over daily mean temperatures. */
export function meanCoolingDegreeDays(
  dailyMeanTemperatures: readonly number[],
  balancePoint: number,
): number {
  if (dailyMeanTemperatures.length === 0) throw new RangeError('meanCoolingDegreeDays: no days');
  let sum = 0;
  for (const t of dailyMeanTemperatures) sum += Math.max(t - balancePoint, 0);
  return sum / dailyMeanTemperatures.length;
}
