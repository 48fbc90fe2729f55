import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toDecimal } from '../factors/decimal';
import { findCarbonDataDir } from '../factors/factor-library';
import type { LedgerLine } from './ledger-parse';
import { adjustSpend, loadPriceTables } from './price-adjust';
import { spendActivities } from './spend-activities';
import { EPA_FILE, loadSpendFactors } from './spend-factors';
import { coverageOf, priceLedgerLines, type SpendContext } from './spend-lines';
import { orderOrgRules, ruleFromCorrection, type OrgSpendRule } from './spend-rules';

const dataDir = findCarbonDataDir();
/** The library's 40-digit decimal, as the code under test computes. */
const D = (v: string | number) => toDecimal(v);

const line = (over: Partial<LedgerLine> = {}): LedgerLine => ({
  lineNo: 2,
  date: '2024-03-15',
  description: 'Figma - annual plan',
  account: 'Software subscriptions',
  supplier: 'Figma',
  amount: '1200.00',
  ...over,
});

const ctx = (over: Partial<SpendContext> = {}): SpendContext => ({
  currency: 'USD',
  factorSet: { set: 'epa' },
  coverage: new Map(),
  orgRules: [],
  factors: loadSpendFactors(),
  prices: loadPriceTables(),
  ...over,
});

describe('spend factor tables (shipped files)', () => {
  it('loads the 1,016 EPA v1.3 NAICS rows with all three margin columns, and the EXIOBASE GB rows', () => {
    const t = loadSpendFactors();
    expect(t.naics.size).toBe(1016);
    expect(t.naics.get('541511')).toMatchObject({ kgCo2ePerUnit: '0.084', currency: 'USD', baseYear: 2022 });
    expect(t.naics.get('327310')?.kgCo2ePerUnit).toBe('3.924');
    expect(t.naics.has('221100')).toBe(false); // electricity: Scope 2, no EEIO factor
    expect(t.exiobase.get('professional_services-type_computer_related_services:GB')).toMatchObject({
      kgCo2ePerUnit: '0.0848',
      currency: 'EUR',
      baseYear: 2019,
      licence: 'CC BY-SA 4.0',
    });
  });
});

describe('golden: one ledger line → NAICS factor × inflation', () => {
  it('USD 1,200 of software in 2024 → 511210 with margins, brought to 2022 dollars by CPI-U', () => {
    // The shipped file's row for 511210 Software Publishers: SEF 0.036, margins 0.045, SEF+MEF 0.08 (kg CO2e/2022 USD)
    const row = readFileSync(join(dataDir, EPA_FILE), 'utf8')
      .split('\n')
      .find((l) => l.startsWith('511210,')) as string;
    expect(row).toBe(
      '511210,Software Publishers,All GHGs,"kg CO2e/2022 USD, purchaser price",0.036,0.045,0.08,511200',
    );
    // CPI-U annual averages (price-indices.csv): 2022 292.655, 2024 313.689
    const indices = readFileSync(join(dataDir, 'spend', 'indices', 'price-indices.csv'), 'utf8');
    expect(indices).toContain('CUUR0000SA0,USD,2022,292.655');
    expect(indices).toContain('CUUR0000SA0,USD,2024,313.689');
    // By hand: 1200 × 292.655 / 313.689 = 1119.5355909834... 2022 USD; × 0.08 = 89.5628472786... kg
    const adjusted = D(1200).times(292.655).div(313.689);
    expect(adjusted.toFixed(4)).toBe('1119.5356');
    const kg = adjusted.times(0.08);
    expect(kg.toFixed(4)).toBe('89.5628');

    const [r] = priceLedgerLines([line()], ctx());
    expect(r).toMatchObject({
      category: 'software',
      rule: 'default',
      scope3Category: 1,
      factorId: 'naics:511210',
      factorValue: '0.08',
      factorUnit: 'kg CO2e/USD (2022)',
      excludedReason: null,
    });
    expect(r.factorSource).toContain('US EPA Supply Chain GHG Emission Factors v1.3');
    expect(r.adjustment).toBe('CUUR0000SA0 2022/2024');
    expect(D(r.adjustedAmount as string).toFixed(20)).toBe(adjusted.toFixed(20));
    expect(D(r.kgCo2e as string).toFixed(20)).toBe(kg.toFixed(20));
  });

  it('GBP against EXIOBASE GB (EUR 2019): × (USD/GBP ÷ USD/EUR of the spend year) × HICP 2019/2024', () => {
    // 100 GBP × (1.2781 / 1.0824) × (104.80 / 126.07) = 98.1582 EUR of 2019; × 0.0848 = 8.3238 kg
    const expected = D(100).times(D(1.2781).div(1.0824)).times(D(104.8).div(126.07));
    const [r] = priceLedgerLines(
      [line({ amount: '100' })],
      ctx({ currency: 'GBP', factorSet: { set: 'exiobase', region: 'GB' } }),
    );
    expect(r.factorId).toBe('exiobase:professional_services-type_computer_related_services:GB');
    expect(r.adjustment).toBe('HICP-EA-CP00 2019/2024; GBP→EUR 2024 annual average');
    expect(D(r.kgCo2e as string).toFixed(4)).toBe(expected.times(0.0848).toFixed(4));
    expect(expected.times(0.0848).toFixed(4)).toBe('8.3238');
  });

  it('names the year used when the spend year is past the shipped index', () => {
    const adj = adjustSpend(loadPriceTables(), D(10), 'USD', 2026, {
      currency: 'USD',
      baseYear: 2022,
    });
    expect(adj.notes).toEqual(['CUUR0000SA0 for 2026 not shipped: 2024 used']);
  });
});

describe('double counting and exclusions', () => {
  const fuel = line({
    lineNo: 3,
    account: 'Motor fuel',
    description: 'Shell - diesel',
    supplier: 'Shell',
    amount: '80',
  });

  it('excludes a fuel line when fuel activity data covers the same period, with the reason on the line', () => {
    const coverage = coverageOf(['diesel', 'electricity']);
    const [r] = priceLedgerLines([fuel], ctx({ coverage }));
    expect(r.category).toBe('fuel');
    expect(r.kgCo2e).toBeNull();
    expect(r.excludedReason).toBe(
      'covered by activity data in the same period (diesel): excluded to avoid double counting',
    );
  });

  it('counts the same fuel line (supply chain, Scope 3 cat 3) when no activity data covers it', () => {
    const [r] = priceLedgerLines([fuel], ctx());
    expect(r).toMatchObject({
      category: 'fuel',
      factorId: 'naics:324110',
      scope3Category: 3,
      excludedReason: null,
    });
  });

  it('never prices electricity, wages or unmapped accounts, and counts a repeated line once', () => {
    const rows = priceLedgerLines(
      [
        line({ lineNo: 2, account: 'Electricity', description: 'EDF' }),
        line({ lineNo: 3, account: 'Wages and Salaries', description: 'March payroll' }),
        line({ lineNo: 4, account: 'Sundry', description: 'misc' }),
        line({ lineNo: 5 }),
        line({ lineNo: 6 }),
      ],
      ctx(),
    );
    expect(rows.map((r) => r.category)).toEqual(['electricity', 'not_a_purchase', null, 'software', null]);
    expect(rows[0].excludedReason).toMatch(/Scope 2/);
    expect(rows[2].excludedReason).toMatch(/no rule matched/);
    expect(rows[3].excludedReason).toBeNull();
    expect(rows[4].excludedReason).toBe(
      'duplicate of line 5 (same date, account, description, reference and amount)',
    );
  });
});

describe('organisation rules', () => {
  it('a correction becomes a rule (supplier + account) that wins over the defaults', () => {
    const l = line({ account: 'General expenses', supplier: 'Adobe', description: 'Adobe - Creative Cloud' });
    expect(priceLedgerLines([l], ctx())[0].category).toBeNull();
    const rule: OrgSpendRule = { id: 'r1', ...ruleFromCorrection(l, 'software') };
    expect(rule).toMatchObject({ account: 'General expenses', supplier: 'Adobe', category: 'software' });
    const [r] = priceLedgerLines(
      [l, line({ lineNo: 9, account: 'general EXPENSES', supplier: 'adobe', description: 'x' })],
      ctx({ orgRules: [rule] }),
    );
    expect(r).toMatchObject({ category: 'software', rule: 'organisation', ruleId: 'r1' });
    // an account-wide rule loses to a more specific later one
    const broad: OrgSpendRule = { id: 'r0', account: 'Software subscriptions', category: 'it_services' };
    const specific: OrgSpendRule = {
      id: 'r2',
      account: 'Software subscriptions',
      supplier: 'Figma',
      category: 'advertising',
    };
    expect(orderOrgRules([specific, broad]).map((x) => x.id)).toEqual(['r2', 'r0']);
    expect(priceLedgerLines([line()], ctx({ orgRules: orderOrgRules([broad, specific]) }))[0].category).toBe(
      'advertising',
    );
  });
});

describe('spend activities for the inventory', () => {
  it('sums counted lines per factor, category and month; Σ quantity × factor = Σ line kg', () => {
    const lines = priceLedgerLines(
      [
        line({ lineNo: 2 }),
        line({ lineNo: 3, date: '2024-03-20', description: 'Slack', amount: '45.10' }),
        line({
          lineNo: 4,
          date: '2024-04-02',
          account: 'Advertising',
          description: 'Google Ads',
          amount: '300',
        }),
        line({
          lineNo: 5,
          date: '2024-04-09',
          account: 'Advertising',
          description: 'refund',
          amount: '-500',
        }),
        line({ lineNo: 6, account: 'Electricity', description: 'EDF' }),
      ],
      ctx(),
    );
    const { activities, lines: out } = spendActivities(lines, loadSpendFactors());
    expect(activities.map((a) => [a.variant, a.periodFrom, a.periodTo, a.lineNos])).toEqual([
      ['naics:511210:c1', '2024-03-01', '2024-04-01', [2, 3]],
    ]);
    expect(out[2].excludedReason).toMatch(/credits exceed spend for naics:541810:c1 in 2024-04/);
    const inventoryKg = activities.reduce((s, a) => s.plus(a.quantity.times(a.factor.kgCo2ePerUnit)), D(0));
    const linesKg = out.filter((l) => !l.excludedReason).reduce((s, l) => s.plus(l.kgCo2e as string), D(0));
    expect(inventoryKg.toFixed(30)).toBe(linesKg.toFixed(30));
  });
});
