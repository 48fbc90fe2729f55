import Decimal from 'decimal.js';
import type { InventoryView } from '@halve/carbon';
import { checkScope3Boundary, planExpectedReductionPct } from './iso14068';
import { batchesProblems, serialRange } from './iso14068-offsets';

/** Only the lines are read by the boundary rule. */
const inv = (lines: { category: number; kgCo2e: number }[]) =>
  ({
    lines: lines.map((l) => ({ scope: 3, scope3Category: l.category, kgCo2e: l.kgCo2e })),
  }) as unknown as InventoryView;
const screen = (rows: [number, string][]) =>
  rows.map(([category, kgCo2e]) => ({ category, kgCo2e, basis: 'spend-based estimate' }));
const zeros = (except: number[]) =>
  Array.from({ length: 15 }, (_, i) => i + 1)
    .filter((c) => !except.includes(c))
    .map((c): [number, string] => [c, '0']);

describe('Scope 3 materiality rule (each category ≥ 1 % significant; exclusions < 5 % together)', () => {
  it('a significant screened category must be quantified: hand-worked shares', () => {
    // Scopes 1+2 = 1500; category 3 quantified 100; screened: cat 1 = 300, cat 6 = 15, cat 7 = 40.
    // Footprint = 1500 + 100 + 300 + 15 + 40 = 1955 kg.
    // cat 1: 300 / 1955 = 15.3453 % (significant); cat 7: 40 / 1955 = 2.0460 % (significant);
    // cat 6: 15 / 1955 = 0.7673 % (not); excluded = 355 / 1955 = 18.1586 % ≥ 5 %.
    const { result, missing } = checkScope3Boundary(
      inv([{ category: 3, kgCo2e: 100 }]),
      new Decimal(1500),
      [1, 2, 3],
      screen([[1, '300'], [6, '15'], [7, '40'], ...zeros([1, 3, 6, 7])]),
    );
    expect(result.footprintKgCo2e).toBe(1955);
    const byCat = new Map(result.categories.map((c) => [c.category, c]));
    expect(byCat.get(1)).toMatchObject({
      sharePct: 15.3453,
      significant: true,
      quantified: false,
      inBoundary: false,
    });
    expect(byCat.get(3)).toMatchObject({
      sharePct: 5.1151,
      significant: true,
      quantified: true,
      inBoundary: true,
    });
    expect(byCat.get(6)).toMatchObject({ sharePct: 0.7673, significant: false });
    expect(byCat.get(7)).toMatchObject({ sharePct: 2.046, significant: true });
    expect(result.excludedKgCo2e).toBe(355);
    expect(result.excludedPct).toBe(18.1586);
    // Screening rows are in the order given: cat 1 is index 0, cat 7 is index 2.
    expect(missing.map((m) => [m.rule, m.field])).toEqual([
      ['iso14068.boundary.scope3_materiality', 'scope3Screening[0]'],
      ['iso14068.boundary.scope3_materiality', 'scope3Screening[2]'],
      ['iso14068.boundary.scope3_materiality', 'scope3Screening'],
    ]);
    expect(missing[0].message).toContain('rule: a Scope 3 category is significant at ≥ 1 % of the footprint');
  });

  it('categories each under 1 % still fail when together ≥ 5 %', () => {
    // Scopes 1+2 = 1000, six screened categories of 9 kg: footprint 1054, each 9 / 1054 = 0.8539 %,
    // together 54 / 1054 = 5.1233 % ≥ 5 → refused.
    const six = checkScope3Boundary(
      inv([]),
      new Decimal(1000),
      [1, 2, 3],
      screen([[1, '9'], [2, '9'], [4, '9'], [5, '9'], [6, '9'], [7, '9'], ...zeros([1, 2, 4, 5, 6, 7])]),
    );
    expect(six.result.categories.every((c) => !c.significant)).toBe(true);
    expect(six.result.excludedPct).toBe(5.1233);
    expect(six.missing.map((m) => m.field)).toEqual(['scope3Screening']);
    // Five of them: 45 / 1045 = 4.3062 % < 5 → accepted.
    const five = checkScope3Boundary(
      inv([]),
      new Decimal(1000),
      [1, 2, 3],
      screen([[1, '9'], [2, '9'], [4, '9'], [5, '9'], [6, '9'], ...zeros([1, 2, 4, 5, 6])]),
    );
    expect(five.result.excludedPct).toBe(4.3062);
    expect(five.missing).toEqual([]);
  });

  it('exactly 1 % is significant; a category neither quantified nor screened is named', () => {
    // Scopes 1+2 = 990, cat 6 screened 10: footprint 1000, 10 / 1000 = 1 % → significant.
    const r = checkScope3Boundary(
      inv([]),
      new Decimal(990),
      [1, 2, 3],
      screen([[6, '10'], ...zeros([6, 15])]),
    );
    expect(r.missing.map((m) => m.message.slice(0, 58))).toEqual([
      'Scope 3 category 15 is neither quantified in the inventory',
      'Scope 3 category 6 (business travel) is 10 kg CO2e, 1 % of',
    ]);
  });

  it('with Scopes 1+2 only, quantified Scope 3 counts as excluded', () => {
    // Scopes 1+2 = 1000, cat 6 quantified 5 (5 / 1005 = 0.4975 %): not significant, under 5 % → passes.
    const ok = checkScope3Boundary(
      inv([{ category: 6, kgCo2e: 5 }]),
      new Decimal(1000),
      [1, 2],
      screen(zeros([6])),
    );
    expect(ok.missing).toEqual([]);
    expect(ok.result.excludedPct).toBe(0.4975);
  });
});

describe('management-plan trajectory', () => {
  it('is linear from 0 % in the base year to each target, then holds the last', () => {
    const t = [
      { targetYear: 2030, reductionPct: '50' },
      { targetYear: 2026, reductionPct: '30' },
    ];
    // 2020 → 2026: 30 × 4 / 6 = 20 % in 2024; 2026 → 2030: 30 + 20 × 2 / 4 = 40 % in 2028; 50 % after 2030.
    expect(planExpectedReductionPct(2020, t, 2024).toNumber()).toBe(20);
    expect(planExpectedReductionPct(2020, t, 2028).toNumber()).toBe(40);
    expect(planExpectedReductionPct(2020, t, 2035).toNumber()).toBe(50);
    expect(planExpectedReductionPct(2020, t, 2020).toNumber()).toBe(0);
  });
});

describe('serial ranges', () => {
  it('counts and expands a zero-padded block', () => {
    const r = serialRange('VCU-612-KE-2023-000098', 'VCU-612-KE-2023-000102');
    expect(r.ok && r.count).toBe(5);
    expect(r.ok && r.serials()).toEqual([
      'VCU-612-KE-2023-000098',
      'VCU-612-KE-2023-000099',
      'VCU-612-KE-2023-000100',
      'VCU-612-KE-2023-000101',
      'VCU-612-KE-2023-000102',
    ]);
  });
  it('refuses a different prefix, a reversed range and an over-large batch', () => {
    expect(serialRange('A-1', 'B-2')).toMatchObject({ ok: false });
    expect(serialRange('A-9', 'A-2')).toMatchObject({
      ok: false,
      reason: 'serialTo comes before serialFrom',
    });
    expect(serialRange('A-1', 'A-100001')).toMatchObject({ ok: false });
    expect(serialRange('A-1', 'A-100000')).toMatchObject({ ok: true, count: 100000 });
  });
});

describe('batches together', () => {
  it('finds overlapping ranges of one registry, not of two registries, and caps the credits of a claim', () => {
    const b = (registry: string, from: string, to: string) => ({ registry, serialFrom: from, serialTo: to });
    // 0001..0050 and 0040..0060 share 0040..0050.
    expect(batchesProblems([b('verra', 'V-0001', 'V-0050'), b('verra', 'V-0040', 'V-0060')])).toEqual([
      { index: 1, message: 'offset batches 1 and 2 list the same credits' },
    ]);
    expect(batchesProblems([b('verra', 'V-0001', 'V-0050'), b('verra', 'V-0051', 'V-0060')])).toEqual([]);
    expect(batchesProblems([b('verra', 'V-0001', 'V-0050'), b('gold_standard', 'V-0001', 'V-0050')])).toEqual(
      [],
    );
    // 60,000 + 60,000 = 120,000 > 100,000.
    expect(batchesProblems([b('verra', 'A-1', 'A-60000'), b('verra', 'B-1', 'B-60000')])).toEqual([
      { index: -1, message: '120000 credits in one claim: at most 100000' },
    ]);
  });
});
