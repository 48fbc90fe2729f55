import Decimal from 'decimal.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findCarbonDataDir } from '../factors/factor-library';
import { parseLedger } from './ledger-layouts';
import type { ParsedLedger } from './ledger-parse';
import { loadPriceTables } from './price-adjust';
import { EPA_FILE, loadSpendFactors } from './spend-factors';
import { coverageOf, priceLedgerLines, type SpendContext } from './spend-lines';

/**
 * Golden tests of issue 18 item 3, worked out here from the shipped data files read independently of the
 * code under test (its own CSV splitting, decimal.js rather than the library's decimal wrapper).
 */
const dataDir = findCarbonDataDir();
const P = Decimal.clone({ precision: 40 });

/** One row of a CSV, quoted fields allowed (the EPA file quotes its unit column). */
function csvCells(line: string): string[] {
  return [...line.matchAll(/("([^"]*)"|[^,]*)(,|$)/g)].map((m) => m[2] ?? m[1]).slice(0, -1);
}

/** The EPA v1.3 row of a NAICS code: title and the "with margins" factor (kg CO2e per 2022 USD). */
function epaRow(naics: string): { title: string; unit: string; withMargins: string } {
  const lines = readFileSync(join(dataDir, EPA_FILE), 'utf8').split(/\r?\n/);
  const header = csvCells(lines[0]);
  const row = lines.find((l) => l.startsWith(`${naics},`));
  if (!row) throw new Error(`no EPA row for ${naics}`);
  const cells = csvCells(row);
  const at = (name: string) => cells[header.indexOf(name)];
  return {
    title: at('2017 NAICS Title'),
    unit: at('Unit'),
    withMargins: at('Supply Chain Emission Factors with Margins'),
  };
}

/** The CPI-U annual average of a year from the shipped index file. */
function cpiU(year: number): string {
  const row = readFileSync(join(dataDir, 'spend', 'indices', 'price-indices.csv'), 'utf8')
    .split(/\r?\n/)
    .find((l) => l.startsWith(`CUUR0000SA0,USD,${year},`));
  if (!row) throw new Error(`no CPI-U for ${year}`);
  return row.split(',')[3];
}

const ctx = (over: Partial<SpendContext> = {}): SpendContext => ({
  currency: 'USD',
  factorSet: { set: 'epa' },
  coverage: new Map(),
  orgRules: [],
  factors: loadSpendFactors(),
  prices: loadPriceTables(),
  ...over,
});

const parsed = (csv: string): ParsedLedger => {
  const r = parseLedger(csv);
  if (!('lines' in r)) throw new Error(r.message);
  expect(r.problems).toEqual([]);
  return r;
};

describe('golden: a ledger line mapped to a NAICS factor and inflation-adjusted', () => {
  it('USD 2,450 of accountancy fees in 2023 → NAICS 541211, in 2022 dollars by CPI-U, × the v1.3 factor', () => {
    const row = epaRow('541211');
    expect(row).toEqual({
      title: 'Offices of Certified Public Accountants',
      unit: 'kg CO2e/2022 USD, purchaser price',
      withMargins: '0.054',
    });
    const [cpi2022, cpi2023] = [cpiU(2022), cpiU(2023)];
    // BLS CPI-U, U.S. city average, all items, annual averages
    expect([cpi2022, cpi2023]).toEqual(['292.655', '304.702']);
    // kg = amount × CPI(base year) / CPI(line year) × factor
    //    = 2450 × 292.655 / 304.702 × 0.054 = 2353.13437... × 0.054 = 127.06925619... kg CO2e
    const ratio = new P(cpi2022).div(cpi2023);
    const expected = new P('2450').times(ratio).times(row.withMargins);
    expect(expected.toFixed(6)).toBe('127.069256');

    const { lines } = parsed(
      'date,description,account,supplier,amount\n2023-06-30,Year-end accounts,Accountancy fees,Bright & Co,"2,450.00"\n',
    );
    const [r] = priceLedgerLines(lines, ctx());
    expect(r).toMatchObject({
      lineNo: 2,
      category: 'accounting',
      factorId: 'naics:541211',
      factorValue: row.withMargins,
      factorUnit: 'kg CO2e/USD (2022)',
      adjustment: 'CUUR0000SA0 2022/2023',
      exchangeRate: '1',
      excludedReason: null,
    });
    expect(new P(r.indexRatio as string).toFixed(30)).toBe(ratio.toFixed(30));
    expect(new P(r.kgCo2e as string).toFixed(20)).toBe(expected.toFixed(20));
  });
});

describe('golden: an excluded double-counted fuel line', () => {
  const csv = [
    'date,description,account,supplier,amount',
    '2024-03-12,Shell fuel card - March,Motor fuel,Shell,182.40',
    '2024-03-14,Copier paper,Office supplies,Staples,45.00',
  ].join('\n');

  it('a fuel-card line in Motor fuel is excluded, with its reason, when diesel litres cover the period', () => {
    const { lines } = parsed(csv);
    const coverage = coverageOf(['diesel']);
    const [fuel, paper] = priceLedgerLines(lines, ctx({ coverage }));
    expect(fuel).toMatchObject({
      account: 'Motor fuel',
      supplier: 'Shell',
      category: 'fuel',
      kgCo2e: null,
      factorId: null,
      excludedReason:
        'covered by activity data in the same period (diesel): excluded to avoid double counting',
    });
    expect(paper.excludedReason).toBeNull();
  });

  it('without fuel activity data the same line counts: 182.40 × CPI 2022/2024 × 0.27 (NAICS 324110)', () => {
    const { lines } = parsed(csv);
    const [fuel] = priceLedgerLines(lines, ctx({ coverage: coverageOf(['electricity_grid']) }));
    const factor = epaRow('324110').withMargins;
    expect(factor).toBe('0.27');
    const expected = new P('182.40').times(cpiU(2022)).div(cpiU(2024)).times(factor);
    expect(expected.toFixed(6)).toBe('45.945741');
    expect(fuel.factorId).toBe('naics:324110');
    expect(new P(fuel.kgCo2e as string).toFixed(20)).toBe(expected.toFixed(20));
  });
});
