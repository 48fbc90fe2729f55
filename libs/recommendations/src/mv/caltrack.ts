/**
 * CalTRACK 2.0 baseline models (DOMAIN.md §3; ✔ openeemeter/caltrack docs/methods.rst):
 * temperature-bin features and the hourly TOWT (time-of-week-and-temperature) model, degree
 * days and the daily model. Temperatures enter in °C and are converted to °F internally,
 * because CalTRACK's bins and balance-point grid are defined in °F.
 *
 * Hour of week: 0 = Monday 00:00–01:00 local time … 167 = Sunday 23:00–24:00 (CalTRACK's
 * "1 = Monday 00:00–01:00", zero-based). RMV2.0 and nmecr start on Sunday: convert before
 * comparing coefficients with them.
 */
import { DateTime } from 'luxon';
import { type SparseRow, fitStatistics, olsWithInference, weightedLeastSquares } from './least-squares';
import { studentTCdf } from './student-t';

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

function localMonth(ts: Date, zone: string): number {
  return DateTime.fromJSDate(ts, { zone }).month;
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

// ───────────────────────────── daily model ─────────────────────────────

/** One day of baseline data. */
export interface CaltrackDailyRow {
  /** energy used that day */
  energyKwh: number;
  /** mean outdoor temperature that day, °C */
  temperatureC: number;
}

export type CaltrackDailyModelType = 'intercept_only' | 'hdd_only' | 'cdd_only' | 'hdd_cdd';

export interface CaltrackDailyOptions {
  /** gas meters get no CDD candidates */
  fuel?: 'electricity' | 'gas';
  /** balance points to search, °F; default 30–90 in 3 °F steps */
  balancePointGridF?: readonly number[];
  /** minimum days with non-zero HDD (CDD) for a candidate; default 10 */
  minNonZeroDays?: number;
  /**
   * minimum total HDD (CDD) in the baseline, °F·day; default 20. ✘ CalTRACK says 20 degree
   * days "a year"; like eemeter we apply it to the baseline total (one year by design).
   */
  minTotalDegreeDays?: number;
  /** eemeter also requires coefficient p < 0.1; null disables that check. Default 0.1 */
  maxPValue?: number | null;
}

/** A fitted daily model (JSON-serialisable). Coefficients are kWh/day and kWh/(°F·day). */
export interface CaltrackDailyModel {
  kind: 'caltrack-daily';
  modelType: CaltrackDailyModelType;
  intercept: number;
  betaHdd: number;
  betaCdd: number;
  heatingBalancePointF: number | null;
  coolingBalancePointF: number | null;
  rSquared: number;
  adjustedRSquared: number;
  /** days used */
  n: number;
  /** coefficients including the intercept (p for G14 CV(RMSE) and FSU) */
  parameters: number;
  /** in-sample CV(RMSE) and NMBE with n − parameters, fractions, e = actual − predicted */
  cvRmse: number;
  nmbe: number;
  candidatesEvaluated: number;
}

export const CALTRACK_BALANCE_POINT_GRID_F: readonly number[] = Array.from(
  { length: 21 },
  (_, i) => 30 + 3 * i,
);

function pValueTwoSided(estimate: number, standardError: number, df: number): number {
  if (standardError === 0) return estimate === 0 ? 1 : 0;
  if (!(df > 0)) return Number.NaN;
  return 2 * (1 - studentTCdf(Math.abs(estimate / standardError), df));
}

interface Candidate {
  modelType: CaltrackDailyModelType;
  heatingBalancePointF: number | null;
  coolingBalancePointF: number | null;
  intercept: number;
  betaHdd: number;
  betaCdd: number;
  rSquared: number;
  adjustedRSquared: number;
}

/**
 * Fit the CalTRACK daily model (DOMAIN.md §3): candidates intercept-only, HDD, CDD, HDD+CDD
 * (gas: no CDD), balance points on the grid with bp_C ≥ bp_H, each degree-day term needing
 * ≥ 10 non-zero days and ≥ 20 degree-days, coefficients > 0 (and p < 0.1 unless disabled);
 * the highest adjusted R² = 1 − (SS_res/(P−c−1))/(SS_tot/(P−1)) wins, simpler models on ties.
 * Rows with non-finite energy or temperature are skipped.
 */
export function fitCaltrackDaily(
  rows: readonly CaltrackDailyRow[],
  options: CaltrackDailyOptions = {},
): CaltrackDailyModel {
  const grid = options.balancePointGridF ?? CALTRACK_BALANCE_POINT_GRID_F;
  const minNonZeroDays = options.minNonZeroDays ?? 10;
  const minTotal = options.minTotalDegreeDays ?? 20;
  const maxPValue = options.maxPValue === undefined ? 0.1 : options.maxPValue;
  const allowCooling = (options.fuel ?? 'electricity') === 'electricity';

  const used = rows.filter((r) => Number.isFinite(r.energyKwh) && Number.isFinite(r.temperatureC));
  const n = used.length;
  if (n < 2) throw new RangeError(`fitCaltrackDaily: need at least 2 valid days, got ${n}`);
  const y = used.map((r) => r.energyKwh);
  const tempsF = used.map((r) => celsiusToFahrenheit(r.temperatureC));
  const meanY = y.reduce((s, v) => s + v, 0) / n;
  const sst = y.reduce((s, v) => s + (v - meanY) ** 2, 0);

  const hdd = (bp: number) => tempsF.map((t) => Math.max(bp - t, 0));
  const cdd = (bp: number) => tempsF.map((t) => Math.max(t - bp, 0));
  const sufficient = (dd: number[]) =>
    dd.filter((v) => v > 0).length >= minNonZeroDays && dd.reduce((s, v) => s + v, 0) >= minTotal;

  let best: Candidate = {
    modelType: 'intercept_only',
    heatingBalancePointF: null,
    coolingBalancePointF: null,
    intercept: meanY,
    betaHdd: 0,
    betaCdd: 0,
    rSquared: 0,
    adjustedRSquared: 0,
  };
  let evaluated = 1;

  const consider = (
    modelType: CaltrackDailyModelType,
    hBp: number | null,
    cBp: number | null,
    columns: number[][],
  ) => {
    const c = columns.length;
    if (n - c - 1 <= 0) return;
    const x = y.map((_, i) => [1, ...columns.map((col) => col[i])]);
    let fit;
    try {
      fit = olsWithInference(x, y);
    } catch {
      return; // singular design (e.g. identical degree-day columns): not a valid candidate
    }
    evaluated++;
    const slopes = fit.coefficients.slice(1);
    if (slopes.some((b) => !(b > 0))) return;
    if (maxPValue !== null) {
      const ok = slopes.every((b, j) => pValueTwoSided(b, fit.standardErrors[j + 1], n - c - 1) < maxPValue);
      if (!ok) return;
    }
    const rSquared = sst > 0 ? 1 - fit.residualSumOfSquares / sst : Number.NaN;
    const adjustedRSquared =
      sst > 0 ? 1 - fit.residualSumOfSquares / (n - c - 1) / (sst / (n - 1)) : Number.NaN;
    // A more complex candidate must win by more than rounding noise (exact data otherwise
    // lets a spurious ~1e-16 extra slope through); candidates come simplest first.
    if (!(adjustedRSquared > best.adjustedRSquared + 1e-12)) return;
    const hasH = modelType === 'hdd_only' || modelType === 'hdd_cdd';
    best = {
      modelType,
      heatingBalancePointF: hBp,
      coolingBalancePointF: cBp,
      intercept: fit.coefficients[0],
      betaHdd: hasH ? fit.coefficients[1] : 0,
      betaCdd:
        modelType === 'cdd_only' ? fit.coefficients[1] : modelType === 'hdd_cdd' ? fit.coefficients[2] : 0,
      rSquared,
      adjustedRSquared,
    };
  };

  const hddByBp = new Map(grid.map((bp) => [bp, hdd(bp)]));
  const cddByBp = new Map(grid.map((bp) => [bp, cdd(bp)]));
  for (const bp of grid) if (sufficient(hddByBp.get(bp)!)) consider('hdd_only', bp, null, [hddByBp.get(bp)!]);
  if (allowCooling) {
    for (const bp of grid)
      if (sufficient(cddByBp.get(bp)!)) consider('cdd_only', null, bp, [cddByBp.get(bp)!]);
    for (const hBp of grid) {
      if (!sufficient(hddByBp.get(hBp)!)) continue;
      for (const cBp of grid) {
        if (cBp < hBp || !sufficient(cddByBp.get(cBp)!)) continue;
        consider('hdd_cdd', hBp, cBp, [hddByBp.get(hBp)!, cddByBp.get(cBp)!]);
      }
    }
  }

  const parameters = 1 + (best.modelType === 'intercept_only' ? 0 : best.modelType === 'hdd_cdd' ? 2 : 1);
  const model: CaltrackDailyModel = {
    kind: 'caltrack-daily',
    ...best,
    n,
    parameters,
    cvRmse: Number.NaN,
    nmbe: Number.NaN,
    candidatesEvaluated: evaluated,
  };
  const stats = fitStatistics(
    y,
    predictCaltrackDaily(
      model,
      used.map((r) => r.temperatureC),
    ),
    parameters,
  );
  model.cvRmse = stats.cvRmse;
  model.nmbe = stats.nmbe;
  return model;
}

/** Predicted daily energy (kWh/day) for daily mean temperatures in °C. */
export function predictCaltrackDaily(model: CaltrackDailyModel, temperaturesC: readonly number[]): number[] {
  return temperaturesC.map((tC) => {
    const t = celsiusToFahrenheit(tC);
    const h = model.heatingBalancePointF === null ? 0 : Math.max(model.heatingBalancePointF - t, 0);
    const c = model.coolingBalancePointF === null ? 0 : Math.max(t - model.coolingBalancePointF, 0);
    return model.intercept + model.betaHdd * h + model.betaCdd * c;
  });
}

// ───────────────────────────── hourly TOWT model ─────────────────────────────

/** One hour of baseline data. */
export interface TowtRow {
  /** start of the hour (UTC instant) */
  ts: Date;
  /** 0 = Monday 00:00 local … 167, see {@link localHourOfWeek} */
  localHourOfWeek: number;
  /** outdoor temperature, °C */
  temperatureC: number;
  /** energy in the hour */
  energyKwh: number;
}

export type TowtPredictRow = Omit<TowtRow, 'energyKwh'>;

export interface TowtOptions {
  /**
   * 'three-month-weighted' (CalTRACK default): one model per calendar month, weight 1 on
   * the month and 0.5 on its neighbours. 'single': one model, all hours weight 1 (CalTRACK
   * allows it when ≤ 2 months have monthly NMBE > 1 %, see {@link towtAnnualModelCheck}).
   * Default 'single'.
   */
  segmentation?: 'single' | 'three-month-weighted';
  /** IANA zone used to assign hours to calendar months; default 'UTC' */
  zone?: string;
  /** occupied when actual > predicted in more than this share of its hours; default 0.65 */
  occupancyThreshold?: number;
  /** bins with fewer hours merge with a neighbour; default 20 */
  minBinHours?: number;
  /** bin edges, °F; default {@link TOWT_BIN_EDGES_F} */
  binEdgesF?: readonly number[];
  /** CalTRACK counts electricity zeros as missing; default true */
  zeroEnergyIsMissing?: boolean;
}

/** One fitted segment. Coefficients in kWh per hour and kWh per hour per °F. */
export interface TowtSegment {
  /** calendar month 1–12, or null for a single (annual) model */
  month: number | null;
  /** occupancy per hour of week */
  occupied: boolean[];
  occupiedBinEdgesF: number[];
  unoccupiedBinEdgesF: number[];
  /** α per hour of week; null when that hour never appeared with weight in training */
  hourOfWeekCoefficients: (number | null)[];
  occupiedTemperatureCoefficients: number[];
  unoccupiedTemperatureCoefficients: number[];
  /** estimated parameters in this segment */
  parameters: number;
}

/** A fitted TOWT model, JSON-serialisable (no Dates, no class instances). */
export interface TowtModel {
  kind: 'caltrack-towt';
  hourOfWeekOrigin: 'monday-00:00';
  temperatureUnit: 'F';
  segmentation: 'single' | 'three-month-weighted';
  zone: string;
  segments: TowtSegment[];
  /** training hours used */
  n: number;
  /**
   * p for G14 CV(RMSE) and FSU: the estimated parameters of all segments together. A
   * month-by-month model predicts each month with its own segment, so its fitted values
   * use every segment's coefficients (12 × ~180, not the largest segment's ~180).
   */
  parameters: number;
  /** in-sample CV(RMSE) and NMBE (n − parameters), fractions, e = actual − predicted */
  cvRmse: number;
  nmbe: number;
}

interface PreparedRow {
  how: number;
  tempF: number;
  energyKwh: number;
  month: number;
}

function assertHourOfWeek(how: number): void {
  if (!(Number.isInteger(how) && how >= 0 && how < HOURS_PER_WEEK)) {
    throw new RangeError(`TOWT: localHourOfWeek must be an integer 0–167, got ${how}`);
  }
}

/**
 * Occupancy per hour of week (DOMAIN.md §3): fit UPH = μ + β_H·HDH50 + β_C·CDH65 (°F) by
 * weighted least squares; an hour of week is occupied when actual > predicted in more than
 * `threshold` of its (weighted) hours. Hours never seen are unoccupied.
 */
export function towtOccupancy(
  rows: readonly { how: number; tempF: number; energyKwh: number }[],
  weights: readonly number[],
  threshold = 0.65,
): boolean[] {
  const design: SparseRow[] = rows.map((r) => ({
    indices: [0, 1, 2],
    values: [1, Math.max(50 - r.tempF, 0), Math.max(r.tempF - 65, 0)],
  }));
  const fit = weightedLeastSquares(
    design,
    rows.map((r) => r.energyKwh),
    3,
    [...weights],
  );
  const above = new Array<number>(HOURS_PER_WEEK).fill(0);
  const total = new Array<number>(HOURS_PER_WEEK).fill(0);
  rows.forEach((r, i) => {
    const w = weights[i];
    if (w === 0) return;
    const predicted = design[i].values.reduce((s, v, j) => s + v * fit.coefficients[j], 0);
    total[r.how] += w;
    if (r.energyKwh > predicted) above[r.how] += w;
  });
  return total.map((t, how) => t > 0 && above[how] / t > threshold);
}

function segmentDesignRow(
  how: number,
  tempF: number,
  occupied: boolean,
  occEdges: number[],
  unoccEdges: number[],
): SparseRow {
  const indices = [how];
  const values = [1];
  const offset = occupied ? HOURS_PER_WEEK : HOURS_PER_WEEK + occEdges.length + 1;
  const features = temperatureBinFeatures(tempF, occupied ? occEdges : unoccEdges);
  features.forEach((v, j) => {
    if (v !== 0) {
      indices.push(offset + j);
      values.push(v);
    }
  });
  return { indices, values };
}

function fitSegment(
  rows: PreparedRow[],
  weights: number[],
  month: number | null,
  opts: Required<Omit<TowtOptions, 'segmentation' | 'zone'>>,
): TowtSegment {
  const occupied = towtOccupancy(rows, weights, opts.occupancyThreshold);
  const inSegment = rows.filter((_, i) => weights[i] > 0);
  const occEdges = mergeSparseTemperatureBins(
    inSegment.filter((r) => occupied[r.how]).map((r) => r.tempF),
    opts.binEdgesF,
    opts.minBinHours,
  );
  const unoccEdges = mergeSparseTemperatureBins(
    inSegment.filter((r) => !occupied[r.how]).map((r) => r.tempF),
    opts.binEdgesF,
    opts.minBinHours,
  );
  const columns = HOURS_PER_WEEK + occEdges.length + 1 + unoccEdges.length + 1;
  const design = rows.map((r) => segmentDesignRow(r.how, r.tempF, occupied[r.how], occEdges, unoccEdges));
  const fit = weightedLeastSquares(
    design,
    rows.map((r) => r.energyKwh),
    columns,
    weights,
  );
  const occStart = HOURS_PER_WEEK;
  const unoccStart = occStart + occEdges.length + 1;
  return {
    month,
    occupied,
    occupiedBinEdgesF: occEdges,
    unoccupiedBinEdgesF: unoccEdges,
    hourOfWeekCoefficients: fit.coefficients
      .slice(0, HOURS_PER_WEEK)
      .map((c, how) => (fit.estimated[how] ? c : null)),
    occupiedTemperatureCoefficients: fit.coefficients.slice(occStart, unoccStart),
    unoccupiedTemperatureCoefficients: fit.coefficients.slice(unoccStart),
    parameters: fit.parameters,
  };
}

function predictSegment(segment: TowtSegment, how: number, tempF: number): number {
  const alpha = segment.hourOfWeekCoefficients[how];
  if (alpha === null || !Number.isFinite(tempF)) return Number.NaN;
  const occupied = segment.occupied[how];
  const features = temperatureBinFeatures(
    tempF,
    occupied ? segment.occupiedBinEdgesF : segment.unoccupiedBinEdgesF,
  );
  const betas = occupied
    ? segment.occupiedTemperatureCoefficients
    : segment.unoccupiedTemperatureCoefficients;
  return features.reduce((s, v, j) => s + v * betas[j], alpha);
}

/** The neighbouring calendar months of `month` (1–12), wrapping December/January. */
function isNeighbourMonth(month: number, other: number): boolean {
  const d = Math.abs(month - other) % 12;
  return d === 1 || d === 11;
}

/**
 * Fit the CalTRACK hourly TOWT model (DOMAIN.md §3):
 * UPH = Σα_t·TOW_t + Σβᵒⁿ·Tcₙ·occ + Σβᵘⁿ·Tcₙ·(1 − occ), no intercept, by weighted least squares.
 * DOMAIN.md writes the occupied terms as an interaction added to common terms (β, β + Δβ);
 * we fit the equivalent separate occupied/unoccupied slopes, each segment with its own
 * merged bins (as eemeter does). The TOW×occupied dummies are omitted: each hour of week
 * is either occupied or not, so they would duplicate α.
 *
 * Rows with non-finite temperature or energy (and zero energy unless disabled) are skipped.
 * Sufficiency (> 90 % of hours) and ≤ 6 h temperature-gap interpolation are the caller's
 * job before fitting.
 */
export function fitTowt(rows: readonly TowtRow[], options: TowtOptions = {}): TowtModel {
  const segmentation = options.segmentation ?? 'single';
  const zone = options.zone ?? 'UTC';
  const opts = {
    occupancyThreshold: options.occupancyThreshold ?? 0.65,
    minBinHours: options.minBinHours ?? 20,
    binEdgesF: options.binEdgesF ?? TOWT_BIN_EDGES_F,
    zeroEnergyIsMissing: options.zeroEnergyIsMissing ?? true,
  };
  const prepared: PreparedRow[] = [];
  for (const r of rows) {
    assertHourOfWeek(r.localHourOfWeek);
    if (!Number.isFinite(r.energyKwh) || !Number.isFinite(r.temperatureC)) continue;
    if (opts.zeroEnergyIsMissing && r.energyKwh === 0) continue;
    prepared.push({
      how: r.localHourOfWeek,
      tempF: celsiusToFahrenheit(r.temperatureC),
      energyKwh: r.energyKwh,
      month: localMonth(r.ts, zone),
    });
  }
  if (prepared.length === 0) throw new RangeError('fitTowt: no usable hours');

  const segments: TowtSegment[] = [];
  if (segmentation === 'single') {
    segments.push(
      fitSegment(
        prepared,
        prepared.map(() => 1),
        null,
        opts,
      ),
    );
  } else {
    const months = [...new Set(prepared.map((r) => r.month))].sort((a, b) => a - b);
    for (const month of months) {
      const weights = prepared.map((r) =>
        r.month === month ? 1 : isNeighbourMonth(month, r.month) ? 0.5 : 0,
      );
      segments.push(fitSegment(prepared, weights, month, opts));
    }
  }
  const parameters = segments.reduce((sum, s) => sum + s.parameters, 0);
  const model: TowtModel = {
    kind: 'caltrack-towt',
    hourOfWeekOrigin: 'monday-00:00',
    temperatureUnit: 'F',
    segmentation,
    zone,
    segments,
    n: prepared.length,
    parameters,
    cvRmse: Number.NaN,
    nmbe: Number.NaN,
  };
  const predicted = prepared.map((r) => predictPrepared(model, r.how, r.tempF, r.month));
  const stats = fitStatistics(
    prepared.map((r) => r.energyKwh),
    predicted,
    parameters,
  );
  model.cvRmse = stats.cvRmse;
  model.nmbe = stats.nmbe;
  return model;
}

function predictPrepared(model: TowtModel, how: number, tempF: number, month: number): number {
  const segment =
    model.segmentation === 'single' ? model.segments[0] : model.segments.find((s) => s.month === month);
  return segment ? predictSegment(segment, how, tempF) : Number.NaN;
}

/**
 * Predicted hourly energy (kWh). NaN where the model cannot predict: an hour of week never
 * seen in training, a calendar month without a segment, or a non-finite temperature.
 */
export function predictTowt(model: TowtModel, rows: readonly TowtPredictRow[]): number[] {
  return rows.map((r) => {
    assertHourOfWeek(r.localHourOfWeek);
    return predictPrepared(
      model,
      r.localHourOfWeek,
      celsiusToFahrenheit(r.temperatureC),
      localMonth(r.ts, model.zone),
    );
  });
}

/**
 * CalTRACK's test for using a single annual TOWT model: allowed when at most 2 calendar
 * months have |monthly NMBE| > 1 % (DOMAIN.md §3). Monthly NMBE here is Σe/Σy per month
 * (no parameter correction), e = actual − predicted. ✘ The absolute value is our reading.
 */
export function towtAnnualModelCheck(
  model: TowtModel,
  rows: readonly TowtRow[],
): { allowed: boolean; monthlyNmbe: Record<number, number> } {
  return monthlyNmbeCheck(rows, predictTowt(model, rows), (ts) => localMonth(ts, model.zone));
}

/** The annual-model test on given predictions: monthly NMBE (Σe/Σy by month), allowed when ≤ 2 months exceed 1 %. */
export function monthlyNmbeCheck(
  rows: readonly { ts: Date; energyKwh: number }[],
  predicted: readonly number[],
  monthOf: (ts: Date) => number,
): { allowed: boolean; monthlyNmbe: Record<number, number> } {
  const sumE = new Map<number, number>();
  const sumY = new Map<number, number>();
  rows.forEach((r, i) => {
    if (!Number.isFinite(predicted[i]) || !Number.isFinite(r.energyKwh)) return;
    const month = monthOf(r.ts);
    sumE.set(month, (sumE.get(month) ?? 0) + r.energyKwh - predicted[i]);
    sumY.set(month, (sumY.get(month) ?? 0) + r.energyKwh);
  });
  const monthlyNmbe: Record<number, number> = {};
  let over = 0;
  for (const [month, e] of sumE) {
    monthlyNmbe[month] = e / (sumY.get(month) ?? Number.NaN);
    if (!(Math.abs(monthlyNmbe[month]) <= 0.01)) over++;
  }
  return { allowed: over <= 2, monthlyNmbe };
}
