import { CarbonDecimal, toDecimal, type DecimalLike } from '../factors/decimal';
import { InvalidActivityError } from '../factors/errors';

/**
 * How the loss rate L is expressed:
 *  - 'share_of_generation': L is losses / electricity generated (sent out) → losses = E·L/(1−L)
 *  - 'per_kwh_consumed':   L is losses per kWh delivered                   → losses = E·L
 * (DOMAIN.md §5, ◐.) The printed Scope 3 T&D formula is ✘ (§9).
 */
export type LossRateBasis = 'share_of_generation' | 'per_kwh_consumed';

export interface TdLossInput {
  consumptionKwh: DecimalLike;
  lossRate: DecimalLike;
  /** Grid generation factor applied to the lost kWh (kg CO2e per kWh). */
  kgCo2ePerKwh: DecimalLike;
  basis: LossRateBasis;
}

/** Upstream T&D losses of purchased electricity (end user: Scope 3 category 3). */
export function transmissionLosses(input: TdLossInput): { lossesKwh: CarbonDecimal; kgCo2e: CarbonDecimal } {
  const e = toDecimal(input.consumptionKwh);
  const l = toDecimal(input.lossRate);
  if (e.isNegative()) throw new InvalidActivityError('consumption must not be negative');
  if (l.isNegative() || l.gte(1))
    throw new InvalidActivityError(`loss rate ${l.toFixed()} must be in [0, 1)`);
  const lossesKwh =
    input.basis === 'share_of_generation' ? e.times(l).div(new CarbonDecimal(1).minus(l)) : e.times(l);
  return { lossesKwh, kgCo2e: lossesKwh.times(toDecimal(input.kgCo2ePerKwh)) };
}
