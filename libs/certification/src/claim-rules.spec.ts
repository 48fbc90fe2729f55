import type { InventoryView } from '@halve/carbon';
import {
  basePeriodOf,
  checklistFor,
  defaultValidUntil,
  evaluateClaim,
  retirementDeadline,
  savingInPeriod,
  type RuleInput,
} from './claim-rules';
import type { VerifiedMeasureReport } from '@halve/recommendations';

/** A minimal inventory view with only what the rules read; numbers are hand-picked. */
function inventory(over: Partial<InventoryView> = {}): InventoryView {
  return {
    organization: { id: 'org', name: 'Acme Ltd', timezone: 'Europe/London', baseYear: 2020 },
    period: {
      from: '2024-01-01',
      to: '2025-01-01',
      timezone: 'Europe/London',
      fromUtc: '2024-01-01T00:00:00.000Z',
      toUtc: '2025-01-01T00:00:00.000Z',
    },
    scope1KgCo2e: 0,
    scope2LocationKgCo2e: 0,
    scope2MarketKgCo2e: 0,
    scope3KgCo2e: 0,
    totalLocationKgCo2e: 0,
    totalMarketKgCo2e: 0,
    scope3ByCategoryKgCo2e: {},
    bySite: [],
    byMonth: [],
    intensities: null,
    denominators: { floorAreaM2: null, employees: null, revenue: null, currency: 'GBP' },
    purchasedElectricityKwh: 0,
    exportedElectricityKwh: 0,
    onSiteGeneration: [],
    instruments: [],
    sites: [],
    lines: [
      {
        lineId: 'l1',
        scope: 2,
        category: 'purchased_electricity',
        source: 'electricity',
        quantity: 1,
        unit: 'kWh',
        factor: null,
        kgCo2e: 1,
        dataQuality: 1,
      },
    ],
    factorsUsed: [],
    factorLibraryVersion: 'abc123abc123abc123',
    dataHash: 'x',
    warnings: [],
    ...over,
  } as InventoryView;
}

const base = (over: Partial<RuleInput>): RuleInput => ({
  type: 'renewable_share',
  period: { from: '2024-01-01', to: '2025-01-01' },
  inputs: {},
  inventory: inventory(),
  instruments: [],
  evidenceKinds: [],
  ...over,
});

const pv = (selfConsumedKwh: number, certificatesSold = false) => ({
  siteId: 's',
  generationKwh: selfConsumedKwh + 10,
  exportedKwh: 10,
  selfConsumedKwh,
  certificatesSold,
  generationSources: ['solar'],
});

describe('renewable share', () => {
  it('(self-consumed on-site + accepted zero-emission instruments) / (purchased + self-consumed)', () => {
    const inv = inventory({
      purchasedElectricityKwh: 80,
      onSiteGeneration: [pv(70)],
      instruments: [
        { id: 'rego', type: 'REGO', accepted: true, issues: [], allocatedKwh: 50 },
        {
          id: 'old',
          type: 'REGO',
          accepted: false,
          issues: [{ code: 'VINTAGE', message: 'old' }],
          allocatedKwh: 0,
        },
      ],
    });
    const r = evaluateClaim(
      base({
        inventory: inv,
        instruments: [
          {
            id: 'rego',
            type: 'REGO',
            scheme: 'REGO',
            volumeMwh: '0.05',
            kgCo2ePerKwh: '0',
            technology: 'wind',
            vintageFrom: '2024-01-01',
            vintageTo: '2025-01-01',
            region: 'GB',
            certificateIds: ['R1'],
            retired: true,
          },
        ],
      }),
    );
    expect(r.figures).toMatchObject({
      totalElectricityKwh: 150,
      onSiteSelfConsumedKwh: 70,
      instrumentsKwh: 50,
      renewableKwh: 120,
      renewableSharePct: 80,
    });
    expect(r.figures.excludedInstruments).toEqual([{ id: 'old', type: 'REGO', reason: 'VINTAGE' }]);
    expect(r.missing).toEqual([
      {
        field: 'evidence.certificate',
        message: expect.stringContaining('50 kWh of contractual instruments'),
      },
    ]);
    expect(r.statement).toBe(
      'Acme Ltd: 80 % of the electricity consumed from 2024-01-01 to 2024-12-31 was renewable (on-site generation self-consumed and retired contractual instruments).',
    );
    expect(evaluateClaim(base({ inventory: inv, evidenceKinds: ['certificate'] })).missing).toEqual([]);
  });

  it('counts only instruments from renewable technologies: a zero-rated nuclear GO and one without a technology are excluded', () => {
    // Purchased 80 + self-consumed 70 = 150 kWh; the two zero-rated GOs (50 and 30 kWh) are not renewable:
    // renewable = 70 / 150 = 46.6667 %, and no certificate document is needed.
    const detail = (id: string, technology: string | null) => ({
      id,
      type: 'GO',
      scheme: 'GO',
      volumeMwh: '0.05',
      kgCo2ePerKwh: '0',
      technology,
      vintageFrom: '2024-01-01',
      vintageTo: '2025-01-01',
      region: 'FR',
      certificateIds: [id],
      retired: true,
    });
    const r = evaluateClaim(
      base({
        inventory: inventory({
          purchasedElectricityKwh: 80,
          onSiteGeneration: [pv(70)],
          instruments: [
            { id: 'nuc', type: 'GO', accepted: true, issues: [], allocatedKwh: 50 },
            { id: 'unk', type: 'GO', accepted: true, issues: [], allocatedKwh: 30 },
          ],
        }),
        instruments: [detail('nuc', 'nuclear'), detail('unk', null)],
      }),
    );
    expect(r.figures).toMatchObject({ instrumentsKwh: 0, renewableKwh: 70, renewableSharePct: 46.6667 });
    expect(r.figures.excludedInstruments).toEqual([
      {
        id: 'nuc',
        type: 'GO',
        reason: 'nuclear is not a renewable technology (zero-rated is not renewable)',
      },
      {
        id: 'unk',
        type: 'GO',
        reason: 'technology not stated: only instruments from renewable technologies count',
      },
    ]);
    expect(r.missing).toEqual([]);
  });

  it('needs no document for on-site generation alone; sold certificates and supplier rates do not count', () => {
    const onsite = evaluateClaim(
      base({ inventory: inventory({ purchasedElectricityKwh: 300, onSiteGeneration: [pv(100)] }) }),
    );
    expect(onsite.missing).toEqual([]);
    expect(onsite.figures.renewableSharePct).toBe(25);
    const sold = evaluateClaim(
      base({
        inventory: inventory({
          purchasedElectricityKwh: 300,
          onSiteGeneration: [pv(100, true)],
          instruments: [
            { id: 'sup', type: 'supplier_specific', accepted: true, issues: [], allocatedKwh: 300 },
          ],
        }),
      }),
    );
    expect(sold.figures).toMatchObject({
      totalElectricityKwh: 400,
      renewableKwh: 0,
      renewableSharePct: 0,
      instrumentsKwh: 0,
    });
    expect(sold.missing.map((m) => m.field)).toEqual(['figures.renewableKwh']);
    expect(evaluateClaim(base({})).missing.map((m) => m.field)).toEqual(['inventory.electricity']);
  });
});

describe('emission reduction', () => {
  const current = inventory({
    scope1KgCo2e: 300,
    scope2LocationKgCo2e: 400,
    scope2MarketKgCo2e: 500,
    scope3KgCo2e: 50,
    denominators: { floorAreaM2: null, employees: 10, revenue: null, currency: 'GBP' },
  });
  const baseInv = inventory({
    scope1KgCo2e: 400,
    scope2LocationKgCo2e: 500,
    scope2MarketKgCo2e: 600,
    scope3KgCo2e: 40,
    denominators: { floorAreaM2: null, employees: 8, revenue: null, currency: 'GBP' },
  });
  const basePeriod = { from: '2020-01-01', to: '2021-01-01', year: 2020 };

  it('absolute, Scopes 1+2 market-based: (1000 − 800) / 1000 = 20 %', () => {
    const r = evaluateClaim(
      base({
        type: 'emission_reduction',
        inventory: current,
        baseInventory: baseInv,
        basePeriod,
        inputs: { scopes: [1, 2] },
      }),
    );
    expect(r.figures).toMatchObject({
      reductionKgCo2e: 200,
      reductionPct: 20,
      current: { totalKgCo2e: 800 },
      base: { totalKgCo2e: 1000 },
    });
    expect(r.missing).toEqual([]);
  });

  it('with Scope 3 and location-based Scope 2: (940 − 750) / 940', () => {
    const r = evaluateClaim(
      base({
        type: 'emission_reduction',
        inventory: current,
        baseInventory: baseInv,
        basePeriod,
        inputs: { scopes: [1, 2, 3], scope2Method: 'location' },
      }),
    );
    expect(r.figures.reductionPct).toBe(20.2128); // 190 / 940 = 0.2021276…
  });

  it('intensity per employee: 1000 kg / 8 = 125 vs 800 kg / 10 = 80 → 36 % (absolute: 20 %)', () => {
    const r = evaluateClaim(
      base({
        type: 'emission_reduction',
        inventory: current,
        baseInventory: baseInv,
        basePeriod,
        inputs: { basis: 'intensity', intensityDenominator: 'employees' },
      }),
    );
    expect(r.figures.intensity).toMatchObject({
      baseKgCo2ePerUnit: 125,
      currentKgCo2ePerUnit: 80,
      reductionPct: 36,
    });
    expect(r.missing).toEqual([]);
  });

  it('names a missing base year, an empty base year, a missing denominator and an increase', () => {
    expect(
      evaluateClaim(base({ type: 'emission_reduction', inventory: current })).missing.map((m) => m.field),
    ).toEqual(['baseYear']);
    expect(
      evaluateClaim(
        base({ type: 'emission_reduction', inventory: current, basePeriod, baseInventory: inventory() }),
      ).missing.map((m) => m.field),
    ).toEqual(['baseInventory']);
    expect(
      evaluateClaim(
        base({
          type: 'emission_reduction',
          inventory: current,
          basePeriod,
          baseInventory: baseInv,
          inputs: { basis: 'intensity' },
        }),
      ).missing.map((m) => m.field),
    ).toContain('intensityDenominator');
    const up = evaluateClaim(
      base({ type: 'emission_reduction', inventory: baseInv, basePeriod, baseInventory: current }),
    );
    expect(up.missing).toEqual([
      expect.objectContaining({
        field: 'figures.reductionPct',
        message: expect.stringContaining('did not fall'),
      }),
    ]);
  });
});

describe('carbon neutral (ISO 14068-1)', () => {
  // Scope 1 1000 + Scope 2 (market) 500 + Scope 3 500 (category 6, business travel, quantified) = 2000 kg;
  // base year 1500 + 800 + 700 = 3000 kg → reduction 1000 / 3000 = 33.3333 %.
  const s3line = (category: number, kgCo2e: number) => ({
    lineId: `c${category}`,
    scope: 3 as const,
    scope3Category: category,
    category: `cat${category}`,
    source: 'travel',
    quantity: 1,
    unit: 'km',
    factor: null,
    kgCo2e,
    dataQuality: 1,
  });
  const current = inventory({
    scope1KgCo2e: 1000,
    scope2MarketKgCo2e: 500,
    scope3KgCo2e: 500,
    lines: [s3line(6, 500)],
  });
  const baseInv = inventory({ scope1KgCo2e: 1500, scope2MarketKgCo2e: 800, scope3KgCo2e: 700 });
  // The 14 other categories screened at 0 (not relevant).
  const screening = [1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15].map((category) => ({
    category,
    kgCo2e: '0',
    basis: 'not relevant to an office tenant',
  }));
  const plan = {
    adoptedOn: '2023-06-01',
    targets: [{ targetYear: 2030, reductionPct: '50' }],
    measures: [{ description: 'LED lighting', completeBy: '2024-03-31' }],
  };
  const offset = (tonnesCo2e: string, retiredOn: string, over: Record<string, unknown> = {}) => ({
    registry: 'gold_standard' as const,
    projectId: 'GS 1234',
    projectName: 'Cookstoves',
    projectType: 'cookstoves' as const,
    creditType: 'avoidance' as const,
    standard: 'Gold Standard for the Global Goals',
    vintage: 2023,
    serialFrom: 'GS1-1-KE-GS1234-12-2023-0001',
    serialTo: `GS1-1-KE-GS1234-12-2023-${String(Number(tonnesCo2e)).padStart(4, '0')}`,
    tonnesCo2e,
    retiredOn,
    beneficiary: 'Acme Ltd',
    ...over,
  });
  const rule = (
    inputs: RuleInput['inputs'],
    evidenceKinds: RuleInput['evidenceKinds'] = ['management_plan', 'retirement_receipt'],
  ) =>
    evaluateClaim(
      base({
        type: 'carbon_neutral',
        inventory: current,
        baseInventory: baseInv,
        basePeriod: { from: '2020-01-01', to: '2021-01-01', year: 2020 },
        inputs: { scopes: [1, 2, 3], scope3Screening: screening, managementPlan: plan, ...inputs },
        evidenceKinds,
      }),
    );
  const rules = (r: ReturnType<typeof rule>) => r.missing.map((m) => [m.rule, m.field]);

  it('passes a complete claim: Scope 3 in the boundary, plan on trajectory, credits covering the residual', () => {
    const r = rule({ offsets: [offset('2', '2025-12-31')] });
    expect(r.missing).toEqual([]);
    expect(r.figures).toMatchObject({
      standard: 'ISO 14068-1:2023 (PAS 2060 is withdrawn)',
      residualKgCo2e: 2000,
      offsetsKgCo2e: 2000,
      residualCovered: true,
      retirementDeadline: '2026-01-01',
      reductionPct: 33.3333,
      avoidanceTonnesCo2e: 2,
      removalsTonnesCo2e: 0,
      // 50 % by 2030 from 2020, linear: 50 × 4 / 10 = 20 % expected in 2024 ≤ 33.3333 % achieved.
      managementPlan: { expectedReductionPct: 20, achievedReductionPct: 33.3333, onTrajectory: true },
      boundary: { footprintKgCo2e: 2000, excludedKgCo2e: 0, excludedPct: 0 },
    });
    expect(r.statement).toContain('ISO 14068-1:2023');
  });

  it('refuses Scopes 1+2 only when Scope 3 is significant, naming the rule', () => {
    // Category 6 = 500 / 2000 = 25 % ≥ 1 %: significant, and outside a Scope 1+2 boundary.
    const r = rule({ scopes: [1, 2], offsets: [offset('2', '2025-06-30')] });
    expect(rules(r)).toEqual([
      ['iso14068.boundary.scope3_materiality', 'scopes'],
      ['iso14068.boundary.scope3_materiality', 'scopes'],
    ]);
    expect(r.missing[0].message).toContain(
      'category 6 (business travel) is 500 kg CO2e, 25 % of the 2000 kg footprint',
    );
    expect(r.missing[1].message).toContain('500 kg CO2e, 25 % of the footprint: at most 5 %');
  });

  it('refuses a missing plan, a plan behind its trajectory, and names the missing plan document', () => {
    expect(
      rules(
        rule({ managementPlan: undefined, offsets: [offset('2', '2025-06-30')] }, ['retirement_receipt']),
      ),
    ).toEqual([
      ['iso14068.plan.required', 'managementPlan'],
      ['iso14068.plan.document', 'evidence.management_plan'],
    ]);
    // 60 % by 2026 from 2020: 60 × 4 / 6 = 40 % expected in 2024 > 33.3333 % achieved.
    const behind = rule({
      managementPlan: { ...plan, targets: [{ targetYear: 2026, reductionPct: '60' }] },
      offsets: [offset('2', '2025-06-30')],
    });
    expect(rules(behind)).toEqual([['iso14068.plan.trajectory', 'managementPlan.targets']]);
    expect(behind.missing[0].message).toBe(
      "the plan's trajectory requires 40 % below the base year 2020 in 2024; the inventory shows 33.3333 %",
    );
    // Measures only after the period: the reductions are not backed by the plan.
    const late = rule({
      managementPlan: {
        ...plan,
        measures: [{ description: 'Heat pumps', completeBy: '2026-06-30', startOn: '2025-02-01' }],
      },
      offsets: [offset('2', '2025-06-30')],
    });
    expect(rules(late)).toEqual([['iso14068.plan.measures', 'managementPlan.measures']]);
  });

  it('names every missing offset field, a serial range that does not match the tonnes, and removals from an avoidance project', () => {
    const bare = rule({ offsets: [{ tonnesCo2e: '2', retiredOn: '2025-06-30' }] });
    expect(rules(bare)).toEqual(
      [
        'registry',
        'projectId',
        'projectName',
        'projectType',
        'creditType',
        'standard',
        'vintage',
        'serialFrom',
        'serialTo',
        'beneficiary',
      ].map((f) => ['iso14068.offsets.fields', `offsets[0].${f}`]),
    );
    // 0001..0003 is 3 credits but 2 t are claimed.
    const r = rule({
      offsets: [
        offset('2', '2025-06-30', { serialTo: 'GS1-1-KE-GS1234-12-2023-0003', creditType: 'removal' }),
      ],
    });
    expect(rules(r)).toEqual([
      ['iso14068.offsets.serial_range', 'offsets[0].tonnesCo2e'],
      ['iso14068.offsets.credit_type', 'offsets[0].creditType'],
    ]);
    expect(r.missing[0].message).toContain('holds 3 credits');
  });

  it('names late retirement, short coverage, a foreign beneficiary, a future vintage and the missing receipt', () => {
    const late = rule({ offsets: [offset('2', '2026-01-01')] });
    expect(rules(late)).toEqual([
      ['iso14068.offsets.retirement_window', 'offsets[0].retiredOn'],
      ['iso14068.offsets.coverage', 'offsets'],
    ]);
    expect(late.missing[0].message).toContain('outside 2024-01-01..2026-01-01');
    const short = rule({ offsets: [offset('1', '2025-06-30')] });
    expect(short.missing).toEqual([
      expect.objectContaining({
        rule: 'iso14068.offsets.coverage',
        message: 'retired credits cover 1000 kg CO2e of the 2000 kg CO2e residual emissions',
      }),
    ]);
    const other = rule({
      offsets: [offset('2', '2025-06-30', { beneficiary: 'Someone Else plc', vintage: 2026 })],
    });
    expect(rules(other)).toEqual([
      ['iso14068.offsets.vintage', 'offsets[0].vintage'],
      ['iso14068.offsets.beneficiary', 'offsets[0].beneficiary'],
    ]);
    expect(rules(rule({}, []))).toEqual([
      ['iso14068.plan.document', 'evidence.management_plan'],
      ['iso14068.offsets.required', 'offsets'],
    ]);
    expect(rules(rule({ offsets: [offset('2', '2025-06-30')] }, ['management_plan']))).toEqual([
      ['iso14068.offsets.receipt', 'evidence.retirement_receipt'],
    ]);
  });
});

describe('verified savings', () => {
  it('takes the entered savings, prices kWh at the period’s location-based factor unless kg are given, and needs the M&V evidence', () => {
    const inv = inventory({ purchasedElectricityKwh: 1000, scope2LocationKgCo2e: 207.05 });
    const r = evaluateClaim(
      base({
        type: 'verified_savings',
        inventory: inv,
        inputs: {
          savings: [
            { measure: 'LED', savedKwh: '100' },
            { measure: 'VSD', savedKwh: '50', savedKgCo2e: '9' },
          ],
        },
      }),
    );
    expect(r.figures).toMatchObject({
      source: 'user_entered',
      totalSavedKwh: 150,
      totalSavedKgCo2e: 29.705,
      gridFactorKgCo2ePerKwh: 0.20705,
    });
    expect(r.missing.map((m) => m.field)).toEqual(['evidence.other']);
    expect(
      evaluateClaim(
        base({ type: 'verified_savings', inventory: inv, evidenceKinds: ['meter_export'] }),
      ).missing.map((m) => m.field),
    ).toEqual(['savings']);
  });
});

describe('verified savings from the recommendations module', () => {
  // A measure verified in Halve: reporting 2024-07-01..2025-01-01 (UTC), 3 daily points shown.
  const report = (over: Partial<VerifiedMeasureReport> = {}): VerifiedMeasureReport => ({
    recommendationId: 'rec-1',
    siteId: 'site-1',
    type: 'baseload',
    title: 'Cut the night baseload',
    implementedOn: '2024-07-01',
    emissionFactor: { kgCo2ePerKwh: 0.2, source: 'DESNZ', factorId: 'f1', region: 'GB', year: 2024 },
    baselineFrom: '2023-07-01T00:00:00.000Z',
    baselineTo: '2024-07-01T00:00:00.000Z',
    reportingFrom: '2024-07-01T00:00:00.000Z',
    reportingTo: '2025-01-01T00:00:00.000Z',
    baselineCvRmse: 0.12,
    baselineNmbe: 0.001,
    counterfactualKwh: 1100,
    actualKwh: 1000,
    verifiedSavingKwh: 100,
    fractionalSavingsUncertainty: 0.3,
    fsuAt68: 0.18,
    confidence: 0.9,
    meetsGuideline14: true,
    computedAt: '2025-01-02T00:00:00.000Z',
    inputHash: 'h',
    dailySavings: [
      { ts: '2024-07-01T00:00:00.000Z', savingKwh: 40 },
      { ts: '2024-12-30T00:00:00.000Z', savingKwh: 35 },
      { ts: '2024-12-31T00:00:00.000Z', savingKwh: 25 },
    ],
    ...over,
  });

  it('takes the M&V reports’ verified kWh, priced at each recommendation’s own factor; entered savings are ignored and no document is needed', () => {
    const r = evaluateClaim(
      base({
        type: 'verified_savings',
        inputs: { savings: [{ measure: 'LED', savedKwh: '999' }] },
        mvReports: [
          report(),
          report({
            recommendationId: 'rec-2',
            verifiedSavingKwh: 50,
            dailySavings: [],
            emissionFactor: {
              kgCo2ePerKwh: 0.4,
              source: 'EPA eGRID',
              factorId: 'f2',
              region: 'NYUP',
              year: 2024,
            },
          }),
        ],
      }),
    );
    expect(r.missing).toEqual([]);
    expect(r.figures).toMatchObject({
      source: 'recommendations_mv',
      totalSavedKwh: 150,
      totalSavedKgCo2e: 40,
      mvReportCount: 2,
      ignoredEnteredSavings: 1,
    });
    const rows = r.figures.savings as {
      recommendationId: string;
      allocation: string;
      baselineCvRmse: number;
    }[];
    expect(rows.map((x) => [x.recommendationId, x.allocation, x.baselineCvRmse])).toEqual([
      ['rec-1', 'whole_report', 0.12],
      ['rec-2', 'whole_report', 0.12],
    ]);
    expect(r.statement).toMatch(/150 kWh \(40 kg CO2e\).*2 measure/);
  });

  it('counts only the days of a report inside the period (pro rata by the daily series, else by time)', () => {
    const rep = report();
    expect(savingInPeriod(rep, '2024-12-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')).toMatchObject({
      allocation: 'daily_series',
      from: '2024-12-01T00:00:00.000Z',
      to: '2025-01-01T00:00:00.000Z',
    });
    expect(
      savingInPeriod(rep, '2024-12-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z').savedKwh.toNumber(),
    ).toBe(60);
    const noSeries = savingInPeriod(
      report({
        dailySavings: [],
        reportingFrom: '2024-01-01T00:00:00.000Z',
        reportingTo: '2024-01-05T00:00:00.000Z',
      }),
      '2024-01-02T00:00:00.000Z',
      '2024-01-03T00:00:00.000Z',
    );
    expect([noSeries.allocation, noSeries.savedKwh.toNumber()]).toEqual(['time_share', 25]);
  });

  it('without any M&V report nor entered savings, says what is missing', () => {
    const r = evaluateClaim(base({ type: 'verified_savings', mvReports: [] }));
    expect(r.missing.map((m) => m.field)).toEqual(['savings']);
    expect(r.missing[0].message).toMatch(/status verified.*Guideline 14/);
  });
});

describe('periods and checklist', () => {
  it('shifts the period into the base year, and dates the deadline and validity', () => {
    expect(basePeriodOf({ from: '2024-04-01', to: '2025-04-01' }, 2019)).toEqual({
      from: '2019-04-01',
      to: '2020-04-01',
      year: 2019,
    });
    expect(retirementDeadline('2025-01-01')).toBe('2026-01-01');
    expect(defaultValidUntil('2025-01-01')).toBe('2025-12-31');
    expect(defaultValidUntil('2024-03-01')).toBe('2025-02-28');
  });

  it('has the checklist items of each type, failing a flagged boundary and rejected instruments', () => {
    const inv = inventory({
      purchasedElectricityKwh: 10,
      instruments: [
        {
          id: 'x',
          type: 'GO',
          accepted: false,
          issues: [{ code: 'MARKET_BOUNDARY', message: '' }],
          allocatedKwh: 0,
        },
      ],
    });
    const items = checklistFor(base({ inventory: inv }), {});
    expect(items.map((i) => [i.key, i.auto])).toEqual([
      ['boundary_complete', 'pass'],
      ['scope2_dual', 'pass'],
      ['instrument_quality', 'fail'],
      ['materiality_threshold', 'pass'],
    ]);
    const flagged = inventory({
      lines: [
        {
          lineId: 'l',
          scope: 2,
          category: 'x',
          source: 'electricity',
          quantity: 1,
          unit: 'kWh',
          factor: null,
          kgCo2e: null,
          flag: 'NO_FACTOR',
        },
      ],
    });
    expect(
      checklistFor(base({ type: 'carbon_neutral', inventory: flagged }), {}).map((i) => [i.key, i.auto]),
    ).toEqual([
      ['boundary_complete', 'fail'],
      ['base_year_policy', 'fail'],
      ['scope2_dual', 'n/a'],
      ['instrument_quality', 'n/a'],
      ['scope3_boundary', 'fail'],
      ['management_plan', 'fail'],
      ['offset_retirement', 'fail'],
      ['materiality_threshold', 'fail'],
    ]);
    expect(
      checklistFor(base({ type: 'verified_savings', evidenceKinds: ['other'] }), {}).map((i) => i.key),
    ).toEqual(['boundary_complete', 'mv_evidence', 'materiality_threshold']);
  });
});
