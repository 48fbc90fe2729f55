/**
 * CalTRACK 2.0 hourly TOWT (time-of-week-and-temperature) model (DOMAIN.md §3): occupancy by
 * hour of week, piecewise temperature bins, one segment per month with its neighbours, and the
 * annual-model check.
 */
import { DateTime } from 'luxon';
import { type SparseRow, fitStatistics, weightedLeastSquares } from './least-squares';
import {
  HOURS_PER_WEEK,
  TOWT_BIN_EDGES_F,
  celsiusToFahrenheit,
  mergeSparseTemperatureBins,
  temperatureBinFeatures,
} from './caltrack-temperature';

function localMonth(ts: Date, zone: string): number {
  return DateTime.fromJSDate(ts, { zone }).month;
}

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
