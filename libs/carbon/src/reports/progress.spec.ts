import Decimal from 'decimal.js';
import { changePct, pathShare, progressSummary } from './progress';

const totals = (s1: number, s2l: number, s2m: number, s3: number) => ({
  scope1KgCo2e: s1,
  scope2LocationKgCo2e: s2l,
  scope2MarketKgCo2e: s2m,
  scope3KgCo2e: s3,
  totalLocationKgCo2e: s1 + s2l + s3,
  totalMarketKgCo2e: s1 + s2m + s3,
});

describe('progress against halving by 2030', () => {
  it('draws the straight line from the base year to −50 % in 2030, then to zero in 2050', () => {
    expect(pathShare(2020, 2020).toNumber()).toBe(1);
    expect(pathShare(2020, 2024).toNumber()).toBe(0.8); // 1 − 0.5 × 4/10
    expect(pathShare(2020, 2030).toNumber()).toBe(0.5);
    expect(pathShare(2020, 2040).toNumber()).toBe(0.25);
    expect(pathShare(2020, 2050).toNumber()).toBe(0);
  });

  it('is on track when Scope 1 + 2 is at or below the line', () => {
    // base S1+2 market = 60 + 40 = 100 t; 2024 line = 100 × (1 − 0.5 × 4/10) = 80 t; actual 50 + 28 = 78 t
    const p = progressSummary({
      baseYear: 2020,
      year: 2024,
      base: totals(60_000, 55_000, 40_000, 12_000),
      current: totals(50_000, 45_000, 28_000, 15_000),
      scope2Method: 'market',
    });
    expect(p.expectedTco2e).toBe(80);
    expect(p.actualTco2e).toBe(78);
    expect(p.onTrack).toBe(true);
    expect(p.target2030Tco2e).toBe(50);
    expect(p.yearsTo2030).toBe(6);
    expect(p.yearsTo2050).toBe(26);
    expect(p.path).toHaveLength(11);
    expect(p.path[4]).toEqual({ year: 2024, expectedTco2e: 80 });
    const s3 = p.scopes.find((s) => s.scope === 'Scope 3');
    expect(s3).toEqual({ scope: 'Scope 3', baseTco2e: 12, currentTco2e: 15, changePct: 25 });
    expect(p.scopes.find((s) => s.scope.startsWith('Scope 1 + 2'))?.changePct).toBe(-22);
  });

  it('is off track above the line, on location-based Scope 2 when asked', () => {
    // base 60 + 55 = 115 t; 2022 line = 115 × (1 − 0.5 × 2/8) = 100.625 t; actual 58 + 50 = 108 t
    const p = progressSummary({
      baseYear: 2022,
      year: 2024,
      base: totals(60_000, 55_000, 40_000, 0),
      current: totals(58_000, 50_000, 20_000, 0),
      scope2Method: 'location',
    });
    expect(p.expectedTco2e).toBe(
      new Decimal(115).times(new Decimal(1).minus(new Decimal(0.5).times(2).div(8))).toNumber(),
    );
    expect(p.onTrack).toBe(false);
    expect(p.verdict).toMatch(/^Off track/);
  });

  it('gives no verdict without base-year emissions and no % change from a zero base', () => {
    const p = progressSummary({
      baseYear: 2022,
      year: 2023,
      base: totals(0, 0, 0, 0),
      current: totals(1000, 0, 0, 0),
      scope2Method: 'market',
    });
    expect(p.onTrack).toBeNull();
    expect(changePct(0, 5)).toBeNull();
  });
});
