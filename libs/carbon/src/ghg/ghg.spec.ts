import { co2e } from './gwp';
import { dualScope2, checkInstrumentQuality, type ContractualInstrument } from './scope2';
import { transmissionLosses } from './td-losses';
import { linearTargetValue, targetProgress, targetTrajectory, intensityTargetProgress } from './targets';
import { cfeScore, hourlyScope2 } from './cfe';
import { checkBaseYearRecalculation } from './base-year';
import { toDecimal } from '../factors/decimal';

describe('GWP sets (DOMAIN.md §8 vector 38)', () => {
  const gases = { co2Kg: 1000, ch4Kg: 2, n2oKg: '0.1' };
  it('AR4: 1000 + 2×25 + 0.1×298 = 1079.8', () => expect(co2e(gases, 'AR4').toFixed()).toBe('1079.8'));
  it('AR5: 1000 + 2×28 + 0.1×265 = 1082.5', () => expect(co2e(gases, 'AR5').toFixed()).toBe('1082.5'));
  it('AR6 fossil: 1000 + 2×29.8 + 0.1×273 = 1086.9', () =>
    expect(co2e(gases, 'AR6', { ch4Origin: 'fossil' }).toFixed()).toBe('1086.9'));
  it('AR6 non-fossil: 1000 + 2×27.0 + 0.1×273 = 1081.3', () =>
    expect(co2e(gases, 'AR6', { ch4Origin: 'non_fossil' }).toFixed()).toBe('1081.3'));
  it('AR5 fossil CH4 uses 30: 1000 + 60 + 26.5 = 1086.5', () =>
    expect(co2e(gases, 'AR5', { ch4Origin: 'fossil' }).toFixed()).toBe('1086.5'));
});

const rec = (over: Partial<ContractualInstrument> = {}): ContractualInstrument => ({
  id: 'rec-1',
  type: 'REC',
  volumeKwh: 30_000,
  vintageFrom: '2024-01-01',
  vintageTo: '2025-01-01',
  region: 'CAMX',
  retired: true,
  certificateIds: ['C1'],
  ...over,
});

describe('dual Scope 2 (vectors 39, 40)', () => {
  it('vector 39: 100 MWh, grid 0.40 t/MWh, 30 MWh RECs, residual 0.50 → location 40 t, market 35 t', () => {
    const r = dualScope2({
      purchasedKwh: 100_000,
      locationKgCo2ePerKwh: '0.40',
      residualMixKgCo2ePerKwh: '0.50',
      instruments: [rec()],
      region: 'CAMX',
    });
    expect(r.locationKgCo2e.toFixed()).toBe('40000'); // 100 000 kWh × 0.40
    expect(r.marketKgCo2e.toFixed()).toBe('35000'); // 30 000 × 0 + 70 000 × 0.50
  });
  it('vector 40: PV 30 MWh (20 self-used, 10 exported), import 80 MWh → location 32 t, market 40 t; 50 t if certificates sold', () => {
    const base = {
      purchasedKwh: 80_000,
      locationKgCo2ePerKwh: '0.40',
      residualMixKgCo2ePerKwh: '0.50',
      selfConsumedKwh: 30_000 - 10_000,
    };
    const r = dualScope2(base);
    expect(r.locationKgCo2e.toFixed()).toBe('32000'); // 80 000 × 0.40; self-use 0, export not subtracted
    expect(r.marketKgCo2e.toFixed()).toBe('40000'); // 80 000 × 0.50
    const sold = dualScope2({ ...base, selfConsumedCertificatesSold: true });
    expect(sold.marketKgCo2e.toFixed()).toBe('50000'); // (80 000 + 20 000) × 0.50
    expect(sold.locationKgCo2e.toFixed()).toBe('32000');
  });
  it('no residual mix → grid average, flagged', () => {
    const r = dualScope2({ purchasedKwh: 1000, locationKgCo2ePerKwh: '0.4' });
    expect(r.marketKgCo2e.toFixed()).toBe('400');
    expect(r.warnings.map((w) => w.code)).toContain('RESIDUAL_MIX_UNAVAILABLE');
  });
});

describe('instrument quality criteria', () => {
  const ctx = { period: { from: '2024-01-01', to: '2025-01-01' }, consumptionRegion: 'CAMX' };
  it('accepts a retired same-market certificate of the period', () =>
    expect(checkInstrumentQuality(rec(), ctx)).toEqual([]));
  it('rejects vintage outside the period', () => {
    expect(
      checkInstrumentQuality(rec({ vintageFrom: '2022-01-01', vintageTo: '2023-01-01' }), ctx).map(
        (i) => i.code,
      ),
    ).toEqual(['VINTAGE']);
  });
  it('rejects another market, unretired and double-claimed certificates', () => {
    const codes = checkInstrumentQuality(rec({ region: 'DE', retired: false }), {
      ...ctx,
      isClaimedElsewhere: (id) => id === 'C1',
    }).map((i) => i.code);
    expect(codes).toEqual(['MARKET_BOUNDARY', 'NOT_RETIRED', 'DOUBLE_CLAIMED']);
  });
  it('US and Canada are one market; GB REGOs are not EU GOs', () => {
    expect(checkInstrumentQuality(rec({ region: 'CA-ON' }), ctx)).toEqual([]);
    expect(
      checkInstrumentQuality(rec({ type: 'GO', region: 'DE' }), { ...ctx, consumptionRegion: 'GB' }).map(
        (i) => i.code,
      ),
    ).toEqual(['MARKET_BOUNDARY']);
  });
});

describe('T&D losses (vector 41)', () => {
  it('L = 6 % of generation: 100 MWh × 0.06/0.94 = 6.383 MWh → 2.553 t', () => {
    const r = transmissionLosses({
      consumptionKwh: 100_000,
      lossRate: '0.06',
      kgCo2ePerKwh: '0.4',
      basis: 'share_of_generation',
    });
    expect(r.lossesKwh.toDecimalPlaces(0).toFixed()).toBe('6383');
    expect(r.kgCo2e.toDecimalPlaces(0).toFixed()).toBe('2553');
  });
  it('L per kWh consumed: 100 MWh × 0.06 × 0.4 = 2.40 t', () => {
    expect(
      transmissionLosses({
        consumptionKwh: 100_000,
        lossRate: '0.06',
        kgCo2ePerKwh: '0.4',
        basis: 'per_kwh_consumed',
      }).kgCo2e.toFixed(),
    ).toBe('2400');
  });
});

describe('SBTi linear targets (vector 42)', () => {
  const t = { baseYear: 2020, baseValue: 1170, targetYear: 2030 };
  it('1170 t × (1 − 0.042 × 10) = 678.6 t, not the compounding 761.8', () => {
    expect(linearTargetValue(t, 2030).toFixed()).toBe('678.6');
    expect(toDecimal(1170).times(toDecimal('0.958').pow(10)).toDecimalPlaces(1).toFixed()).toBe('761.8');
  });
  it('trajectory and progress', () => {
    const path = targetTrajectory(t);
    expect(path).toHaveLength(11);
    expect(path[1].value.toFixed()).toBe('1120.86'); // 1170 × 0.958
    const p = targetProgress(t, 2025, 950); // expected 1170 × (1 − 0.21) = 924.3
    expect(p.expected.toFixed()).toBe('924.3');
    expect(p.onTrack).toBe(false);
    expect(p.gap.toFixed()).toBe('25.7');
  });
  it('intensity target', () => {
    const p = intensityTargetProgress({ baseYear: 2020, baseValue: 10, targetYear: 2030 }, 2022, 8000, 1000); // 8 kg/m² vs 10 × 0.916
    expect(p.intensity.toFixed()).toBe('8');
    expect(p.expected.toFixed()).toBe('9.16');
    expect(p.onTrack).toBe(true);
  });
});

describe('24/7 CFE (vector 43)', () => {
  it('L=[10,10,10,10], C=[0,15,10,5], g=[.2,.5,.5,.2] → 70 %, hourly match 62.5 %, annual 75 %', () => {
    const r = cfeScore([10, 10, 10, 10], [0, 15, 10, 5], ['0.2', '0.5', '0.5', '0.2']);
    // (0 + 10·0.2) + 10 + 10 + (5 + 5·0.2) = 28 of 40
    expect(r.cfeShare.toFixed()).toBe('0.7');
    expect(r.hourlyMatchShare.toFixed()).toBe('0.625');
    expect(r.annualVolumeShare.toFixed()).toBe('0.75');
  });
  it('hourly Scope 2 with PV and a profile gap falling back to the annual factor', () => {
    const r = hourlyScope2({
      hours: [
        { hourUtc: '2022-06-01T11:00:00Z', loadKwh: 10, onSiteGenerationKwh: 4 },
        { hourUtc: '2022-06-01T12:00:00Z', loadKwh: 10, onSiteGenerationKwh: 15 },
        { hourUtc: '2022-06-01T13:00:00Z', loadKwh: 10, onSiteGenerationKwh: 0 },
      ],
      profile: [
        { hourUtc: '2022-06-01T11:00:00Z', gCo2PerKwh: toDecimal(200), carbonFreeShare: toDecimal('0.5') },
        { hourUtc: '2022-06-01T12:00:00Z', gCo2PerKwh: toDecimal(150), carbonFreeShare: toDecimal('0.6') },
      ],
      annualKgCo2ePerKwh: '0.3',
    });
    // imports 6, 0, 10 kWh; 6 × 0.200 + 0 + 10 × 0.3 (fallback) = 4.2 kg; export 5 kWh never netted
    expect(r.importKwh.toFixed()).toBe('16');
    expect(r.exportKwh.toFixed()).toBe('5');
    expect(r.kgCo2e.toFixed()).toBe('4.2');
    expect(r.fallbackHours).toBe(1);
    expect(r.warnings[0].code).toBe('HOURLY_INTENSITY_FALLBACK');
    // CFE: (4 + 6·0.5) + 10 + (0 + 10·0) = 17 of 30
    expect(r.cfe.cfeKwh.toFixed()).toBe('17');
  });
});

describe('base-year recalculation', () => {
  it('structural change above 5 % triggers; organic growth never does', () => {
    const r = checkBaseYearRecalculation(1_000_000, [
      { kind: 'structural', deltaKgCo2e: 60_000, description: 'acquisition' },
      { kind: 'organic', deltaKgCo2e: 200_000 },
    ]);
    expect(r.required).toBe(true);
    expect(r.recalculatedBaseYearKgCo2e.toFixed()).toBe('1060000');
  });
  it('exactly 5 % does not trigger; cumulative corrections above 5 % do', () => {
    expect(checkBaseYearRecalculation(1000, [{ kind: 'factor_correction', deltaKgCo2e: 50 }]).required).toBe(
      false,
    );
    const r = checkBaseYearRecalculation(1000, [
      { kind: 'factor_correction', deltaKgCo2e: 30 },
      { kind: 'error', deltaKgCo2e: -30 },
    ]);
    expect(r.cumulativeShare.toFixed()).toBe('0.06');
    expect(r.required).toBe(true);
  });
});
