/**
 * Savings uncertainty for IPMVP Option C (whole-facility) M&V, DOMAIN.md §2.
 *
 * FSU = ΔE_save/E_save = c · t · CV(RMSE) · √[(n/n')·(1 + 2/n')·(1/m)] / F
 * (✔ LBNL-ETA/RMV2.0 R/savings.R; ✔ kW-Labs/nmecr R/calculate_savings_uncertainty.R), with
 * c = 1.26 (ASHRAE Guideline 14, empirical) or the Sun & Baltazar (2013) polynomial.
 * LBNL withdrew this formula from RMV2.0 because it underestimates the uncertainty of
 * high-frequency models (RMV2.0 issue #7): every result carries the method used, and the
 * UI must show it next to the number.
 */
import { studentTTwoSided } from './student-t';

/** Which multiplier replaces G14's 1.26 (DOMAIN.md §2). */
export type UncertaintyMethod = 'ashrae-g14' | 'sun-baltazar-daily' | 'sun-baltazar-billing';

/**
 * When the autocorrelation correction n' applies.
 * - 'always': G14 formula as written (except monthly models, see `monthly`).
 * - 'nmecr': also skip it when ρ < 0.5 (◐ nmecr, citing G14-2014 p. 91).
 */
export type AutocorrelationRule = 'always' | 'nmecr';

/** G14's empirical multiplier. */
export const G14_MULTIPLIER = 1.26;

/**
 * Lag-1 autocorrelation of residuals, ρ = Σ_{t≥2}(e_t − ē)(e_{t−1} − ē) / Σ(e_t − ē)²
 * (the sample ACF at lag 1, as R's acf() used by nmecr). Residuals must be in time order
 * with no gaps the caller cares about.
 */
export function lag1Autocorrelation(residuals: number[]): number {
  if (residuals.length < 2)
    throw new RangeError(`lag1Autocorrelation: need at least 2 residuals, got ${residuals.length}`);
  let mean = 0;
  for (const e of residuals) mean += e;
  mean /= residuals.length;
  let denominator = 0;
  for (const e of residuals) denominator += (e - mean) * (e - mean);
  if (denominator === 0) throw new RangeError('lag1Autocorrelation: residuals have zero variance');
  let numerator = 0;
  for (let t = 1; t < residuals.length; t++) numerator += (residuals[t] - mean) * (residuals[t - 1] - mean);
  return numerator / denominator;
}

/** Effective number of independent points n' = n(1 − ρ)/(1 + ρ) (DOMAIN.md §2). */
export function effectiveSampleSize(n: number, rho: number): number {
  if (!(n > 0)) throw new RangeError(`effectiveSampleSize: n must be > 0, got ${n}`);
  if (!(rho > -1 && rho < 1)) throw new RangeError(`effectiveSampleSize: rho must be in (−1, 1), got ${rho}`);
  return (n * (1 - rho)) / (1 + rho);
}

/**
 * Sun & Baltazar (2013) replacement for 1.26: a·M² + b·M + d, M = reporting months
 * (✔ CalTRACK §4.3.2.4). Daily: a=−0.00024, b=0.03535, d=1.00286; billing: a=−0.00022,
 * b=0.03306, d=0.94054.
 */
export function sunBaltazarCoefficient(reportingMonths: number, frequency: 'daily' | 'billing'): number {
  if (!(reportingMonths > 0))
    throw new RangeError(`sunBaltazarCoefficient: reportingMonths must be > 0, got ${reportingMonths}`);
  const [a, b, d] = frequency === 'daily' ? [-0.00024, 0.03535, 1.00286] : [-0.00022, 0.03306, 0.94054];
  return a * reportingMonths * reportingMonths + b * reportingMonths + d;
}

/** Inputs shared by the fractional and absolute forms. */
export interface SavingsUncertaintyCommon {
  /** baseline points */
  n: number;
  /** model parameters */
  p: number;
  /** lag-1 autocorrelation of the baseline residuals */
  rho: number;
  /** reporting-period points */
  m: number;
  /** two-sided confidence level, e.g. 0.68, 0.9 */
  confidence: number;
  /** monthly (billing) model: no autocorrelation correction (G14; nmecr) */
  monthly?: boolean;
  method: UncertaintyMethod;
  /** reporting months M; required by the Sun–Baltazar methods */
  reportingMonths?: number;
  /** default 'always' */
  autocorrelationRule?: AutocorrelationRule;
}

export interface FractionalSavingsUncertaintyInput extends SavingsUncertaintyCommon {
  /** baseline model CV(RMSE) with n − p, as a fraction */
  cvRmse: number;
  /** F = savings ÷ adjusted-baseline use, as a fraction */
  savingsFraction: number;
}

export interface UncertaintyTerms {
  /** two-sided t critical value */
  t: number;
  /** effective n' actually used (n when the correction was skipped) */
  nPrime: number;
  /** degrees of freedom n' − p */
  df: number;
  method: UncertaintyMethod;
  /** the multiplier used in place of / as 1.26 */
  coefficient: number;
  /** whether the n' autocorrelation correction was applied */
  autocorrelationCorrected: boolean;
}

export interface FractionalSavingsUncertaintyResult extends UncertaintyTerms {
  /** ΔE_save / E_save, as a fraction */
  fsu: number;
}

export interface AbsoluteSavingsUncertaintyInput extends SavingsUncertaintyCommon {
  /** baseline RMSE √(Σe²/(n−p)), in energy units per point (e.g. kWh/day) */
  rmse: number;
  /** mean baseline-period actual use per point, ȳ_baseline */
  baselineMeanEnergy: number;
  /** mean of the baseline model's predictions over the reporting period, per point */
  reportingPredictionMeanEnergy: number;
}

export interface AbsoluteSavingsUncertaintyResult extends UncertaintyTerms {
  /** ΔE_save over the whole reporting period, in the energy units of `rmse` */
  deltaEnergySave: number;
}

function uncertaintyTerms(input: SavingsUncertaintyCommon): UncertaintyTerms & { root: number } {
  const { n, p, m, confidence, method } = input;
  if (!(Number.isInteger(n) && n > 0))
    throw new RangeError(`savings uncertainty: n must be a positive integer, got ${n}`);
  if (!(Number.isInteger(p) && p >= 0))
    throw new RangeError(`savings uncertainty: p must be a non-negative integer, got ${p}`);
  if (!(m > 0)) throw new RangeError(`savings uncertainty: m must be > 0, got ${m}`);
  // ✘ Assumption: a negative ρ would give n' > n and shrink the uncertainty; we treat it as 0.
  const rho = Math.max(0, input.rho);
  const rule = input.autocorrelationRule ?? 'always';
  const corrected = !input.monthly && rho > 0 && !(rule === 'nmecr' && rho < 0.5);
  const nPrime = corrected ? effectiveSampleSize(n, rho) : n;
  const df = nPrime - p;
  if (!(df > 0)) throw new RangeError(`savings uncertainty: degrees of freedom n' − p = ${df} must be > 0`);
  const t = studentTTwoSided(confidence, df);
  let coefficient: number;
  if (method === 'ashrae-g14') {
    coefficient = G14_MULTIPLIER;
  } else {
    if (input.reportingMonths === undefined)
      throw new RangeError(`savings uncertainty: method ${method} needs reportingMonths`);
    coefficient = sunBaltazarCoefficient(
      input.reportingMonths,
      method === 'sun-baltazar-daily' ? 'daily' : 'billing',
    );
  }
  // √[(n/n')·(1 + 2/n')]: the part common to both forms (m is applied by the caller).
  const root = Math.sqrt((n / nPrime) * (1 + 2 / nPrime));
  return { t, nPrime, df, method, coefficient, autocorrelationCorrected: corrected, root };
}

/**
 * Fractional savings uncertainty, DOMAIN.md §2:
 * FSU = c · t · CV · √[(n/n')(1 + 2/n')/m] / F, t two-sided at `confidence` with df = n' − p.
 * G14 compliance: FSU < 0.5 at 68 % confidence (see g14.ts).
 */
export function fractionalSavingsUncertainty(
  input: FractionalSavingsUncertaintyInput,
): FractionalSavingsUncertaintyResult {
  if (!(input.savingsFraction > 0)) {
    throw new RangeError(
      `fractionalSavingsUncertainty: savingsFraction must be > 0, got ${input.savingsFraction}`,
    );
  }
  const { root, ...terms } = uncertaintyTerms(input);
  const fsu =
    (terms.coefficient * terms.t * input.cvRmse * root) / Math.sqrt(input.m) / input.savingsFraction;
  return { fsu, ...terms };
}

/**
 * Absolute savings uncertainty over the reporting period, DOMAIN.md §2:
 * ΔE_save = c · t · (ȳ_reporting-prediction/ȳ_baseline) · RMSE · √[(n/n')(1 + 2/n')·m].
 */
export function absoluteSavingsUncertainty(
  input: AbsoluteSavingsUncertaintyInput,
): AbsoluteSavingsUncertaintyResult {
  if (!(input.baselineMeanEnergy > 0)) {
    throw new RangeError(
      `absoluteSavingsUncertainty: baselineMeanEnergy must be > 0, got ${input.baselineMeanEnergy}`,
    );
  }
  const { root, ...terms } = uncertaintyTerms(input);
  const ratio = input.reportingPredictionMeanEnergy / input.baselineMeanEnergy;
  const deltaEnergySave = terms.coefficient * terms.t * ratio * input.rmse * root * Math.sqrt(input.m);
  return { deltaEnergySave, ...terms };
}

/**
 * Portfolio fractional savings uncertainty √Σ(ΔU_save,i)² / ΣU_save,i (✔ CalTRACK),
 * from each site's savings and absolute uncertainty (same units, same confidence).
 */
export function portfolioFsu(sites: { savingsEnergy: number; savingsUncertaintyEnergy: number }[]): number {
  if (sites.length === 0) throw new RangeError('portfolioFsu: empty portfolio');
  let sumSquares = 0;
  let sumSavings = 0;
  for (const s of sites) {
    sumSquares += s.savingsUncertaintyEnergy * s.savingsUncertaintyEnergy;
    sumSavings += s.savingsEnergy;
  }
  if (sumSavings === 0) throw new RangeError('portfolioFsu: total savings are 0');
  return Math.sqrt(sumSquares) / sumSavings;
}

/**
 * Uncertainty of normalised savings (baseline model − reporting model, both on a normal
 * year): √(ΔE_base² + ΔE_post²) (✔ nmecr, DOMAIN.md §3).
 */
export function normalizedSavingsUncertainty(
  baselineUncertaintyEnergy: number,
  reportingUncertaintyEnergy: number,
): number {
  return Math.hypot(baselineUncertaintyEnergy, reportingUncertaintyEnergy);
}
