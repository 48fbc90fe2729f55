import Decimal from 'decimal.js';
import { eligibilityVerdict, sbtiSmeSubmission, type SbtiSmeInput } from './sbti-sme';

const input = (over: Partial<SbtiSmeInput> = {}): SbtiSmeInput => ({
  baseYear: 2020,
  base: {
    scope1KgCo2e: 48_250.5,
    scope2LocationKgCo2e: 61_000,
    scope2MarketKgCo2e: 31_400.25,
    scope3KgCo2e: 0,
    totalLocationKgCo2e: 109_250.5,
    totalMarketKgCo2e: 79_650.75,
    scope3Categories: [],
  },
  company: { name: 'Small Works Ltd', country: 'IE', sector: null, employees: 40, currency: 'EUR' },
  scope2Method: 'market',
  turnoverEur: 4_000_000,
  totalAssetsEur: null,
  naceCode: null,
  ...over,
});

describe('SBTi SME route target', () => {
  it('sets the 2030 value 42 % below base-year Scope 1 + market-based Scope 2', () => {
    const s = sbtiSmeSubmission(input());
    // (48,250.5 + 31,400.25) kg = 79.65075 t; × (1 − 0.42) = 46.197435 t → 46.197
    const expected = new Decimal('48250.5')
      .plus('31400.25')
      .div(1000)
      .times(0.58)
      .toDecimalPlaces(3)
      .toNumber();
    expect(expected).toBe(46.197);
    expect(s.targetValueTco2e).toBe(expected);
    expect(s.base.scope12Tco2e).toBe(79.651);
    expect(s.reductionPct).toBe(42);
    expect(s.targetYear).toBe(2030);
    expect(s.annualLinearRatePct).toBe(4.2);
    expect(s.base.scope3Tco2e).toBeNull();
    expect(s.createTarget).toEqual({
      name: expect.stringContaining('−42 %'),
      kind: 'absolute',
      scopes: [1, 2],
      scope2Method: 'market',
      baseYear: 2020,
      targetYear: 2030,
      reductionPct: '42',
    });
    expect(s.targetWording).toBe(
      'Small Works Ltd commits to reduce absolute scope 1 and 2 GHG emissions 42% by 2030 from a 2020 base year, and to measure and reduce its scope 3 emissions.',
    );
  });

  it('uses location-based Scope 2 when asked, and compares with 4.2 %/yr from an earlier base year', () => {
    const s = sbtiSmeSubmission(input({ scope2Method: 'location', baseYear: 2018 }));
    expect(s.targetValueTco2e).toBe(
      new Decimal('109250.5').div(1000).times(0.58).toDecimalPlaces(3).toNumber(),
    );
    expect(s.linearEquivalentPct).toBe(50.4); // 4.2 × 12 years
    expect(s.annualLinearRatePct).toBe(3.5); // 42 / 12
  });

  it('checks eligibility as far as the figures are known', () => {
    const s = sbtiSmeSubmission(input());
    const status = Object.fromEntries(s.eligibility.checks.map((c) => [c.criterion, c.status]));
    expect(status['Fewer than 250 employees']).toBe('met');
    expect(status['Turnover below EUR 50 million']).toBe('met');
    expect(status['Total assets below EUR 25 million']).toBe('unknown');
    expect(s.eligibility.verdict).toBe('unknown');
    const big = sbtiSmeSubmission(input({ company: { ...input().company, employees: 400 } }));
    expect(big.eligibility.verdict).toBe('not eligible');
    const bank = sbtiSmeSubmission(input({ naceCode: 'K64.19', totalAssetsEur: 1_000_000 }));
    expect(bank.eligibility.checks.find((c) => c.criterion.startsWith('Not a financial'))?.status).toBe(
      'not met',
    );
    const ok = sbtiSmeSubmission(input({ naceCode: 'C25.62', totalAssetsEur: 1_000_000 }));
    expect(ok.eligibility.verdict).toBe('eligible');
    expect(eligibilityVerdict([])).toBe('eligible');
  });
});
