import Decimal from 'decimal.js';
import { CarbonDecimal, toDecimal, type DecimalLike } from '../factors/decimal';
import { InvalidInputError } from '../factors/errors';

/** SBTi 1.5 °C near-term absolute contraction for Scopes 1+2: 4.2 % of base-year emissions per year, linear (◐; ✘ 4.2 % in a primary document). */
export const SBTI_1_5C_ANNUAL_RATE = '0.042';

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
  if (year < target.baseYear) throw new InvalidInputError(`year ${year} is before the base year ${target.baseYear}`);
  const rate = toDecimal(target.annualRate ?? SBTI_1_5C_ANNUAL_RATE);
  const factor = new CarbonDecimal(1).minus(rate.times(year - target.baseYear));
  return Decimal.max(0, toDecimal(target.baseValue).times(factor)) as CarbonDecimal;
}

/** Year-by-year trajectory from the base year to the target year inclusive. */
export function targetTrajectory(target: LinearTarget): { year: number; value: CarbonDecimal }[] {
  if (target.targetYear < target.baseYear) throw new InvalidInputError('target year before base year');
  const out: { year: number; value: CarbonDecimal }[] = [];
  for (let y = target.baseYear; y <= target.targetYear; y++) out.push({ year: y, value: linearTargetValue(target, y) });
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
