import Decimal from 'decimal.js';
import { CarbonDecimal, toDecimal, type DecimalLike } from '../factors/decimal';
import { InvalidInputError } from '../factors/errors';

/**
 * Changes that may require recalculating the base year (GHG Protocol Corporate Standard ch. 5):
 * structural changes (acquisitions, divestments, outsourcing, insourcing), methodology changes,
 * factor corrections and discovered errors. Organic growth or decline never triggers it.
 */
export type BaseYearChangeKind = 'structural' | 'methodology' | 'factor_correction' | 'error' | 'organic';

export interface BaseYearChange {
  kind: BaseYearChangeKind;
  /** Effect on base-year emissions (kg CO2e; + adds, − removes), as if it had applied in the base year. */
  deltaKgCo2e: DecimalLike;
  description?: string;
}

export interface BaseYearRecalculationCheck {
  required: boolean;
  /** Share of base-year emissions for each change (|Δ| / base). */
  changes: (BaseYearChange & { share: CarbonDecimal; triggers: boolean })[];
  /** Σ|Δ| / base over the changes that count. */
  cumulativeShare: CarbonDecimal;
  threshold: CarbonDecimal;
  /** Base-year emissions after applying every counting change. */
  recalculatedBaseYearKgCo2e: CarbonDecimal;
}

/**
 * Base-year recalculation test: required when one counting change, or their cumulative absolute
 * effect, is above the significance threshold (default 5 % of base-year emissions, ◐).
 * "Above" is strict: exactly 5 % does not trigger.
 */
export function checkBaseYearRecalculation(
  baseYearKgCo2e: DecimalLike,
  changes: BaseYearChange[],
  options: { threshold?: DecimalLike } = {},
): BaseYearRecalculationCheck {
  const base = toDecimal(baseYearKgCo2e);
  if (base.lte(0)) throw new InvalidInputError('base-year emissions must be positive');
  const threshold = toDecimal(options.threshold ?? '0.05');
  let cumulative = new CarbonDecimal(0);
  let recalculated = base;
  const rows = changes.map((c) => {
    const delta = toDecimal(c.deltaKgCo2e);
    const counts = c.kind !== 'organic';
    const share = delta.abs().div(base);
    if (counts) {
      cumulative = cumulative.plus(share);
      recalculated = recalculated.plus(delta);
    }
    return { ...c, share, triggers: counts && share.gt(threshold) };
  });
  return {
    required: rows.some((r) => r.triggers) || cumulative.gt(threshold),
    changes: rows,
    cumulativeShare: cumulative,
    threshold,
    recalculatedBaseYearKgCo2e: Decimal.max(0, recalculated) as CarbonDecimal,
  };
}
