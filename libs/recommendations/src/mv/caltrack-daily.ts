/**
 * CalTRACK 2.0 daily model (DOMAIN.md §3): intercept-only, HDD, CDD and HDD+CDD candidates on a
 * grid of balance points; the highest adjusted R² wins.
 */
import { fitStatistics, olsWithInference } from './least-squares';
import { studentTCdf } from './student-t';
import { celsiusToFahrenheit } from './caltrack-temperature';

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

/** The baseline days as the regression sees them. */
interface DailyData {
  y: number[];
  tempsF: number[];
  n: number;
  /** total sum of squares about the mean */
  sst: number;
}

/** A candidate to fit: its type, balance points and degree-day columns. */
interface CandidateSpec {
  modelType: CaltrackDailyModelType;
  hBp: number | null;
  cBp: number | null;
  columns: number[][];
}

/**
 * Fit one candidate by OLS. `fitted` is false when it could not be fitted (too few days for its
 * terms, or a singular design such as identical degree-day columns); `candidate` is null when it
 * was fitted but a slope is not positive or not significant (p ≥ maxPValue).
 */
function fitDailyCandidate(
  d: DailyData,
  spec: CandidateSpec,
  maxPValue: number | null,
): { fitted: boolean; candidate: Candidate | null } {
  const { modelType, columns } = spec;
  const c = columns.length;
  const { n, y, sst } = d;
  if (n - c - 1 <= 0) return { fitted: false, candidate: null };
  const x = y.map((_, i) => [1, ...columns.map((col) => col[i])]);
  let fit;
  try {
    fit = olsWithInference(x, y);
  } catch {
    return { fitted: false, candidate: null }; // singular design: not a valid candidate
  }
  const slopes = fit.coefficients.slice(1);
  if (slopes.some((b) => !(b > 0))) return { fitted: true, candidate: null };
  if (maxPValue !== null) {
    const ok = slopes.every((b, j) => pValueTwoSided(b, fit.standardErrors[j + 1], n - c - 1) < maxPValue);
    if (!ok) return { fitted: true, candidate: null };
  }
  const hasH = modelType === 'hdd_only' || modelType === 'hdd_cdd';
  return {
    fitted: true,
    candidate: {
      modelType,
      heatingBalancePointF: spec.hBp,
      coolingBalancePointF: spec.cBp,
      intercept: fit.coefficients[0],
      betaHdd: hasH ? fit.coefficients[1] : 0,
      betaCdd:
        modelType === 'cdd_only' ? fit.coefficients[1] : modelType === 'hdd_cdd' ? fit.coefficients[2] : 0,
      rSquared: sst > 0 ? 1 - fit.residualSumOfSquares / sst : Number.NaN,
      adjustedRSquared: sst > 0 ? 1 - fit.residualSumOfSquares / (n - c - 1) / (sst / (n - 1)) : Number.NaN,
    },
  };
}

/**
 * The degree-day candidates in CalTRACK order, simplest first: HDD on each balance point, then
 * (electricity) CDD, then HDD+CDD with bp_C ≥ bp_H; each degree-day term must be `sufficient`.
 */
function* dailyCandidateSpecs(
  grid: readonly number[],
  tempsF: readonly number[],
  sufficient: (dd: number[]) => boolean,
  allowCooling: boolean,
): Generator<CandidateSpec> {
  const hddByBp = new Map(grid.map((bp) => [bp, tempsF.map((t) => Math.max(bp - t, 0))]));
  const cddByBp = new Map(grid.map((bp) => [bp, tempsF.map((t) => Math.max(t - bp, 0))]));
  for (const bp of grid)
    if (sufficient(hddByBp.get(bp)!))
      yield { modelType: 'hdd_only', hBp: bp, cBp: null, columns: [hddByBp.get(bp)!] };
  if (!allowCooling) return;
  for (const bp of grid)
    if (sufficient(cddByBp.get(bp)!))
      yield { modelType: 'cdd_only', hBp: null, cBp: bp, columns: [cddByBp.get(bp)!] };
  for (const hBp of grid) {
    if (!sufficient(hddByBp.get(hBp)!)) continue;
    for (const cBp of grid) {
      if (cBp < hBp || !sufficient(cddByBp.get(cBp)!)) continue;
      yield { modelType: 'hdd_cdd', hBp, cBp, columns: [hddByBp.get(hBp)!, cddByBp.get(cBp)!] };
    }
  }
}

/** The fitted model with its parameter count and in-sample CV(RMSE) and NMBE. */
function dailyModel(
  best: Candidate,
  used: readonly CaltrackDailyRow[],
  y: number[],
  evaluated: number,
): CaltrackDailyModel {
  const parameters = 1 + (best.modelType === 'intercept_only' ? 0 : best.modelType === 'hdd_cdd' ? 2 : 1);
  const model: CaltrackDailyModel = {
    kind: 'caltrack-daily',
    ...best,
    n: used.length,
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
  const data: DailyData = { y, tempsF, n, sst: y.reduce((s, v) => s + (v - meanY) ** 2, 0) };
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
  for (const spec of dailyCandidateSpecs(grid, tempsF, sufficient, allowCooling)) {
    const { fitted, candidate } = fitDailyCandidate(data, spec, maxPValue);
    if (fitted) evaluated++;
    // A more complex candidate must win by more than rounding noise (exact data otherwise
    // lets a spurious ~1e-16 extra slope through); candidates come simplest first.
    if (candidate && candidate.adjustedRSquared > best.adjustedRSquared + 1e-12) best = candidate;
  }
  return dailyModel(best, used, y, evaluated);
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
