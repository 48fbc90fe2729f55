import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { CarbonDecimal, toDecimal } from '../factors/decimal';
import { CarbonDataError } from '../factors/errors';
import { findCarbonDataDir } from '../factors/factor-library';

/** Annual price indices by currency (the factor's currency deflates) and USD rates, from data/spend/indices. */
export interface PriceTables {
  /** currency → series name and year → index value */
  indices: Map<string, { series: string; byYear: Map<number, string> }>;
  /** currency → year → US dollars per unit (USD itself is 1) */
  usdPerUnit: Map<string, Map<number, string>>;
}

const rows = (text: string) =>
  parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];

export function parsePriceTables(indicesCsv: string, ratesCsv: string): PriceTables {
  const indices: PriceTables['indices'] = new Map();
  for (const r of rows(indicesCsv)) {
    const entry = indices.get(r.currency) ?? { series: r.series, byYear: new Map<number, string>() };
    entry.byYear.set(Number(r.year), r.value);
    indices.set(r.currency, entry);
  }
  const usdPerUnit: PriceTables['usdPerUnit'] = new Map();
  for (const r of rows(ratesCsv)) {
    const m = usdPerUnit.get(r.currency) ?? new Map<number, string>();
    m.set(Number(r.year), r.usdPerUnit);
    usdPerUnit.set(r.currency, m);
  }
  return { indices, usdPerUnit };
}

let cached: PriceTables | undefined;

export function loadPriceTables(dataDir: string = findCarbonDataDir()): PriceTables {
  cached ??= parsePriceTables(
    readFileSync(join(dataDir, 'spend', 'indices', 'price-indices.csv'), 'utf8'),
    readFileSync(join(dataDir, 'spend', 'indices', 'exchange-rates.csv'), 'utf8'),
  );
  return cached;
}

/** The value for `year`, else the nearest shipped year (named in `notes`). */
function yearValue(byYear: Map<number, string>, year: number, what: string, notes: string[]): CarbonDecimal {
  const exact = byYear.get(year);
  if (exact !== undefined) return toDecimal(exact);
  const years = [...byYear.keys()];
  if (!years.length) throw new CarbonDataError(`${what}: no values`);
  const nearest = years.reduce((a, b) => (Math.abs(b - year) < Math.abs(a - year) ? b : a));
  notes.push(`${what} for ${year} not shipped: ${nearest} used`);
  return toDecimal(byYear.get(nearest) as string);
}

export interface Adjustment {
  /** Spend in the factor's currency of its base year. */
  adjusted: CarbonDecimal;
  fx: CarbonDecimal;
  indexRatio: CarbonDecimal;
  /** e.g. "CPI-U (CUUR0000SA0) 2022/2024; GBP→USD 2024 annual average". */
  basis: string;
  notes: string[];
}

/**
 * Brings `amount` (in `currency`, spent in `spendYear`) to the factor's currency and base year:
 *   adjusted = amount × fx(currency → factorCurrency, spendYear) × index[factorYear] / index[spendYear]
 * where the index is the factor currency's (CPI-U for USD, euro-area HICP for EUR), so that
 *   kg = amount × (index[factorYear] / index[spendYear]) × fx × factor.
 * The all-items index stands in for EPA's recommended commodity-specific one (stated in the basis).
 */
export function adjustSpend(
  t: PriceTables,
  amount: CarbonDecimal,
  currency: string,
  spendYear: number,
  factor: { currency: string; baseYear: number },
): Adjustment {
  const notes: string[] = [];
  const usd = (c: string) => {
    if (c === 'USD') return toDecimal(1);
    const m = t.usdPerUnit.get(c);
    if (!m) throw new CarbonDataError(`no exchange rate shipped for ${c}`);
    return yearValue(m, spendYear, `${c}/USD rate`, notes);
  };
  const fx = currency === factor.currency ? toDecimal(1) : usd(currency).div(usd(factor.currency));
  const idx = t.indices.get(factor.currency);
  if (!idx) throw new CarbonDataError(`no price index shipped for ${factor.currency}`);
  const indexRatio = yearValue(idx.byYear, factor.baseYear, idx.series, notes).div(
    yearValue(idx.byYear, spendYear, idx.series, notes),
  );
  const fxText =
    currency === factor.currency ? '' : `; ${currency}→${factor.currency} ${spendYear} annual average`;
  return {
    adjusted: amount.times(fx).times(indexRatio),
    fx,
    indexRatio,
    basis: `${idx.series} ${factor.baseYear}/${spendYear}${fxText}`,
    notes,
  };
}
