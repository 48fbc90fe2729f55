import Decimal from 'decimal.js';
import { CarbonDecimal, toDecimal, type DecimalLike } from '../factors/decimal';
import { InvalidInputError } from '../factors/errors';

/** SBTi 1.5 °C near-term absolute contraction for Scopes 1+2: 4.2 % of base-year emissions per year, linear (◐; ✘ 4.2 % in a primary document). */
export const SBTI_1_5C_ANNUAL_RATE = '0.042';

/**
 * The criteria the `sbti15cAligned` flag applies: SBTi Corporate Near-Term Criteria v5.2 (March 2024),
 * C5/C6 (boundary: company-wide Scope 1 and Scope 2 together) and C8 (ambition: Scope 1+2 targets at
 * least 1.5 °C-aligned, i.e. a linear absolute reduction of ≥ 4.2 % of base-year emissions a year).
 * Halve checks only what it can check from the target itself: an absolute target covering Scopes 1 and 2
 * (Scope 3 may be added) at ≥ 4.2 %/yr. Intensity targets are never flagged: SBTi accepts them only
 * through a sector pathway (SDA) or when they lead to the same absolute reduction, which Halve does
 * not assess. A Scope-1-only or Scope-2-only target fails the boundary criterion.
 */
export const SBTI_CRITERIA_VERSION = 'SBTi Corporate Near-Term Criteria v5.2 (March 2024)';

export interface SbtiCheck {
  aligned: boolean;
  criteria: string;
  reason: string;
}

/** Whether a target meets the SBTi 1.5 °C Scope 1+2 rule (see SBTI_CRITERIA_VERSION), with the reason. */
export function sbti15cCheck(t: {
  kind: 'absolute' | 'intensity';
  scopes: number[];
  annualRate: DecimalLike;
}): SbtiCheck {
  const criteria = SBTI_CRITERIA_VERSION;
  // Rounded to 10 decimals so that binary noise (0.42 / 10 = 0.041999…96 as a double) does not decide.
  const rate = toDecimal(t.annualRate).toDecimalPlaces(10);
  const pct = rate.times(100).toDecimalPlaces(4).toString();
  if (!(t.scopes.includes(1) && t.scopes.includes(2)))
    return {
      aligned: false,
      criteria,
      reason: `covers Scope ${t.scopes.join('+')}: the 1.5 °C criterion is for a Scope 1+2 target covering both scopes`,
    };
  if (t.kind !== 'absolute')
    return {
      aligned: false,
      criteria,
      reason:
        'an intensity target is not assessed: SBTi accepts one only through a sector pathway (SDA) or an equivalent absolute reduction',
    };
  if (rate.lt(SBTI_1_5C_ANNUAL_RATE))
    return {
      aligned: false,
      criteria,
      reason: `linear absolute reduction of ${pct} %/yr, below the 4.2 %/yr minimum`,
    };
  return { aligned: true, criteria, reason: `absolute Scope 1+2 reduction of ${pct} %/yr (≥ 4.2 %/yr)` };
}

export interface LinearTarget {
  baseYear: number;
  /** Base-year emissions (absolute, kg CO2e) or base-year intensity (kg CO2e per unit of the denominator). */
  baseValue: DecimalLike;
  targetYear: number;
  /** Linear annual reduction as a share of the base value (default 0.042). */
  annualRate?: DecimalLike;
}

/**
 * Target value in `year` on the linear path: E₀·(1 − rate·(year − baseYear)), floored at 0.
 * Linear, not compounding: 1170 t over 10 years at 4.2 % → 678.6 t (compounding would give 761.8 t).
 */
export function linearTargetValue(target: LinearTarget, year: number): CarbonDecimal {
  if (year < target.baseYear)
    throw new InvalidInputError(`year ${year} is before the base year ${target.baseYear}`);
  const rate = toDecimal(target.annualRate ?? SBTI_1_5C_ANNUAL_RATE);
  const factor = new CarbonDecimal(1).minus(rate.times(year - target.baseYear));
  return Decimal.max(0, toDecimal(target.baseValue).times(factor)) as CarbonDecimal;
}

/** Year-by-year trajectory from the base year to the target year inclusive. */
export function targetTrajectory(target: LinearTarget): { year: number; value: CarbonDecimal }[] {
  if (target.targetYear < target.baseYear) throw new InvalidInputError('target year before base year');
  const out: { year: number; value: CarbonDecimal }[] = [];
  for (let y = target.baseYear; y <= target.targetYear; y++)
    out.push({ year: y, value: linearTargetValue(target, y) });
  return out;
}

export interface TargetProgress {
  year: number;
  actual: CarbonDecimal;
  /** Where the linear path says the value should be in `year`. */
  expected: CarbonDecimal;
  /** End-point of the target. */
  targetValue: CarbonDecimal;
  /** actual − expected (positive = behind the path). */
  gap: CarbonDecimal;
  onTrack: boolean;
  /** Reduction achieved since the base year, as a share of the base value. */
  reductionAchieved: CarbonDecimal;
  /** Reduction required by the target year, as a share of the base value. */
  reductionRequired: CarbonDecimal;
}

/** Progress of an absolute target: compare the actual value of `year` with the linear path. */
export function targetProgress(target: LinearTarget, year: number, actual: DecimalLike): TargetProgress {
  const base = toDecimal(target.baseValue);
  const a = toDecimal(actual);
  const expected = linearTargetValue(target, Math.min(year, target.targetYear));
  const targetValue = linearTargetValue(target, target.targetYear);
  const gap = a.minus(expected);
  return {
    year,
    actual: a,
    expected,
    targetValue,
    gap,
    onTrack: gap.lte(0),
    reductionAchieved: base.isZero() ? new CarbonDecimal(0) : base.minus(a).div(base),
    reductionRequired: base.isZero() ? new CarbonDecimal(0) : base.minus(targetValue).div(base),
  };
}

/**
 * Intensity target progress: intensity = emissions / denominator (m², employees, revenue...),
 * reduced linearly like an absolute target. ✘ SBTi's intensity (SDA) rules are not implemented;
 * this is a plain linear intensity path.
 */
export function intensityTargetProgress(
  target: LinearTarget,
  year: number,
  emissionsKgCo2e: DecimalLike,
  denominator: DecimalLike,
): TargetProgress & { intensity: CarbonDecimal } {
  const den = toDecimal(denominator);
  if (den.lte(0)) throw new InvalidInputError('intensity denominator must be positive');
  const intensity = toDecimal(emissionsKgCo2e).div(den);
  return { ...targetProgress(target, year, intensity), intensity };
}
