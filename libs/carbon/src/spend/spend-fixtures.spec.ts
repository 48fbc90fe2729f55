import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLedger } from './ledger-layouts';
import type { ParsedLedger } from './ledger-parse';
import { loadPriceTables } from './price-adjust';
import { spendActivities } from './spend-activities';
import { loadSpendFactors } from './spend-factors';
import { coverageOf, defaultFactorSet, priceLedgerLines, type SpendLineResult } from './spend-lines';

/**
 * The synthetic ledgers of test/fixtures/spend (generate-ledgers.mjs): what the browser journey and the
 * demo upload, priced as the API does (GBP → EXIOBASE GB). The counts follow from the generator's account
 * groups (12 rent, 12 electricity, 12 gas + 21 fuel card, 30 travel of which 6 flights, …).
 */
const DIR = join(__dirname, '../../../../test/fixtures/spend');
const read = (name: string) => readFileSync(join(DIR, name), 'utf8');
const ok = (r: ReturnType<typeof parseLedger>): ParsedLedger => {
  if (!('lines' in r)) throw new Error(r.message);
  expect(r.problems).toEqual([]);
  return r;
};

function price(lines: ParsedLedger['lines'], activities: string[]): SpendLineResult[] {
  const priced = priceLedgerLines(lines, {
    currency: 'GBP',
    factorSet: defaultFactorSet('GBP'),
    coverage: coverageOf(activities),
    orgRules: [],
    factors: loadSpendFactors(),
    prices: loadPriceTables(),
  });
  return spendActivities(priced, loadSpendFactors()).lines;
}

const count = (lines: SpendLineResult[], f: (l: SpendLineResult) => boolean) => lines.filter(f).length;
const byCategory = (lines: SpendLineResult[]) => {
  const m: Record<string, number> = {};
  for (const l of lines) m[l.category ?? 'unmapped'] = (m[l.category ?? 'unmapped'] ?? 0) + 1;
  return m;
};

describe('test ledger xero-200-lines.csv', () => {
  const parsed = ok(parseLedger(read('xero-200-lines.csv')));

  it('is a Xero Account Transactions export of 200 transaction lines in 2024, mapped by the default rules', () => {
    expect(parsed.format).toBe('xero');
    expect(parsed.lines).toHaveLength(200);
    const dates = parsed.lines.map((l) => l.date).sort();
    expect([dates[0], dates[dates.length - 1]]).toEqual(['2024-01-04', '2024-12-27']);
    expect(byCategory(price(parsed.lines, []))).toEqual({
      rent: 12,
      electricity: 12,
      fuel: 33,
      water: 4,
      travel_air: 6,
      travel_rail: 12,
      hotels: 6,
      travel_ground: 6,
      office_supplies: 19,
      software: 12,
      it_services: 12,
      computer_equipment: 3,
      telecoms: 12,
      legal: 3,
      accounting: 4,
      consulting: 2,
      meals: 10,
      postage: 6,
      insurance: 2,
      bank_fees: 4,
      cleaning: 4,
      not_a_purchase: 12,
      unmapped: 4,
    });
  });

  it('counts 172 lines with no activity data; fuel and flights drop out when diesel and flights are entered', () => {
    const alone = price(parsed.lines, []);
    expect(count(alone, (l) => !l.excludedReason)).toBe(172);
    expect(count(alone, (l) => l.category === null)).toBe(4);
    const covered = price(parsed.lines, ['diesel', 'business_travel_air']);
    expect(count(covered, (l) => !l.excludedReason)).toBe(133);
    expect(count(covered, (l) => /excluded to avoid double counting/.test(l.excludedReason ?? ''))).toBe(39);
    const card = covered.find((l) => l.description === 'Shell - Shell fuel card');
    expect(card).toMatchObject({ account: 'Motor fuel', category: 'fuel', kgCo2e: null });
    expect(card?.excludedReason).toBe(
      'covered by activity data in the same period (diesel): excluded to avoid double counting',
    );
  });
});

describe('the same first quarter in the four layouts', () => {
  it('reads the same 54 lines (date, account, supplier, amount) from Xero, QuickBooks, generic and Sage-by-name', () => {
    const key = (l: ParsedLedger['lines'][number]) => `${l.date}|${l.account}|${l.amount}`;
    const xero = ok(parseLedger(read('xero-200-lines.csv')));
    const q1 = xero.lines.filter((l) => l.date < '2024-04-01');
    expect(q1).toHaveLength(54);
    const expected = q1.map(key).sort();
    const withSupplier = q1.map((l) => `${key(l)}|${l.supplier}`).sort();
    for (const [file, format] of [
      ['quickbooks-q1.csv', 'quickbooks'],
      ['generic-q1.csv', 'generic'],
      ['sage-audit-trail-q1.csv', 'sage'],
    ] as const) {
      const r = ok(parseLedger(read(file)));
      expect([file, r.format]).toEqual([file, format]);
      expect(r.lines.map(key).sort()).toEqual(expected);
      // Sage 50 names the supplier by its account reference, the others by name
      if (format !== 'sage')
        expect(r.lines.map((l) => `${key(l)}|${l.supplier}`).sort()).toEqual(withSupplier);
    }
  });
});
