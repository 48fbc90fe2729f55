import { BadInputError } from '@halve/platform';
import Decimal from 'decimal.js';
import { toDecimal, type DecimalLike } from '../factors/decimal';

/**
 * A fuel entered by what it cost (a fuel card statement, a receipt without litres): the litres are the
 * amount divided by the price per litre. The price is the one the person enters (the receipt's, ✔),
 * or for diesel and petrol in pounds a stated default, marked ✘: unverified. Pure.
 */
export const LITRE_FUELS = ['diesel', 'petrol', 'gas_oil', 'burning_oil', 'lpg', 'propane'] as const;

/**
 * Defaults per litre. ✘ unverified: approximate UK 2024 average pump prices as remembered from DESNZ's
 * "Weekly road fuel prices" series (https://www.gov.uk/government/statistics/weekly-road-fuel-prices),
 * not checked against the published table here (no internet when this was written). Enter the price on
 * the receipt wherever it is known.
 */
export const DEFAULT_PRICES: Record<string, { currency: string; pricePerLitre: string; source: string }> = {
  diesel: {
    currency: 'GBP',
    pricePerLitre: '1.52',
    source:
      '✘ unverified default: approximate UK 2024 average diesel pump price (DESNZ weekly road fuel prices), not checked against the published table',
  },
  petrol: {
    currency: 'GBP',
    pricePerLitre: '1.45',
    source:
      '✘ unverified default: approximate UK 2024 average petrol pump price (DESNZ weekly road fuel prices), not checked against the published table',
  },
};

export interface FuelSpendInput {
  amount: DecimalLike;
  /** ISO 4217, e.g. GBP. */
  currency: string;
  pricePerLitre?: DecimalLike;
  priceSource?: string;
}

export interface FuelSpendDetail {
  amount: string;
  currency: string;
  pricePerLitre: string;
  priceSource: string;
  /** Whether the price is the one entered (true) or the unverified default (false). */
  priceEntered: boolean;
  litres: string;
}

/** The litres the money bought, 3 decimals (half up), with the price and where it came from. */
export function fuelSpendDetail(activity: string, f: FuelSpendInput): FuelSpendDetail {
  if (!(LITRE_FUELS as readonly string[]).includes(activity))
    throw new BadInputError(
      `A fuel bought by money is one of ${LITRE_FUELS.join(', ')}, not '${activity}'.`,
      [{ field: 'activity', message: 'not a fuel sold by the litre' }],
    );
  const currency = f.currency.trim().toUpperCase();
  const amount = toDecimal(f.amount);
  let price: Decimal;
  let source: string;
  let entered = true;
  if (f.pricePerLitre !== undefined) {
    price = toDecimal(f.pricePerLitre);
    source = f.priceSource?.trim() || 'price per litre entered';
  } else {
    const d = DEFAULT_PRICES[activity];
    if (!d || d.currency !== currency)
      throw new BadInputError(
        `Enter the price per litre: there is no default price of ${activity} in ${currency}.`,
        [{ field: 'fuelSpend.pricePerLitre', message: 'required' }],
      );
    price = toDecimal(d.pricePerLitre);
    source = d.source;
    entered = false;
  }
  if (price.lte(0))
    throw new BadInputError('The price per litre must be more than 0.', [
      { field: 'fuelSpend.pricePerLitre', message: 'must be > 0' },
    ]);
  return {
    amount: amount.toFixed(),
    currency,
    pricePerLitre: price.toFixed(),
    priceSource: source,
    priceEntered: entered,
    litres: amount.div(price).toDecimalPlaces(3, Decimal.ROUND_HALF_UP).toFixed(),
  };
}
