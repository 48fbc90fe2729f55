import Decimal from 'decimal.js';

/**
 * The Decimal constructor used by all carbon accounting: 40 significant digits, half-even
 * rounding inside, so sums of kWh × factor stay exact for any realistic input. A clone, so
 * other libs' global Decimal settings never change our results.
 */
export const CarbonDecimal = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
export type CarbonDecimal = InstanceType<typeof CarbonDecimal>;

/** A quantity as accepted at the API edge: an exact decimal string, a number or a Decimal. */
export type DecimalLike = string | number | Decimal;

/** Exact decimal from a string/number/Decimal; numbers go through their shortest string form. */
export function toDecimal(value: DecimalLike): CarbonDecimal {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
    return new CarbonDecimal(String(value));
  }
  return new CarbonDecimal(typeof value === 'string' ? value.trim() : value.toString());
}

/** Sum of decimals (exact). */
export function sumDecimals(values: Iterable<DecimalLike>): CarbonDecimal {
  let total = new CarbonDecimal(0);
  for (const v of values) total = total.plus(toDecimal(v));
  return total;
}

/** Output rounding: kg to 0.001 (half-up, as printed in reports), returned as a JSON number. */
export function roundKg(value: DecimalLike): number {
  return toDecimal(value).toDecimalPlaces(3, Decimal.ROUND_HALF_UP).toNumber();
}
