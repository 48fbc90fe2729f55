import {
  logGamma,
  regularizedIncompleteBeta,
  studentTCdf,
  studentTQuantile,
  studentTTwoSided,
} from './student-t';
import {
  absoluteSavingsUncertainty,
  effectiveSampleSize,
  fractionalSavingsUncertainty,
  lag1Autocorrelation,
  normalizedSavingsUncertainty,
  portfolioFsu,
  sunBaltazarCoefficient,
} from './uncertainty';

describe('Student t', () => {
  it.each([
    [0.95, 10, 1.812461],
    [0.975, 30, 2.042272],
    [0.975, 1, 12.706205],
    [0.995, 2, 9.924843],
    [0.9, 5, 1.475884],
    [0.975, 1000, 1.962339],
  ])('quantile(%p, df=%p) = %p', (p, df, expected) => {
    expect(studentTQuantile(p, df)).toBeCloseTo(expected, 5);
  });

  it('is symmetric, inverts the CDF and handles fractional df', () => {
    expect(studentTQuantile(0.05, 10)).toBeCloseTo(-1.812461, 5);
    expect(studentTQuantile(0.5, 7)).toBe(0);
    for (const df of [1.5, 3, 118.667]) {
      for (const p of [0.6, 0.84, 0.95, 0.999])
        expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 12);
    }
    // df = 1 is the Cauchy distribution: CDF(1) = 0.75.
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 12);
  });

  it('two-sided critical value at 90 % is the 0.95 quantile', () => {
    expect(studentTTwoSided(0.9, 10)).toBeCloseTo(1.812461, 5);
    expect(() => studentTTwoSided(1, 10)).toThrow(RangeError);
    expect(() => studentTQuantile(0.9, 0)).toThrow(RangeError);
  });

  it('helpers: lnΓ and I_x(a, b)', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    // I_x(1, 1) = x; I_x(2, 1) = x².
    expect(regularizedIncompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(regularizedIncompleteBeta(0.3, 2, 1)).toBeCloseTo(0.09, 12);
  });
});

describe('autocorrelation and n′', () => {
  it('lag-1 autocorrelation of an alternating series is strongly negative, of a trend positive', () => {
    // [1,−1,1,−1]: mean 0, Σe² = 4, Σ e_t e_{t−1} = −3 → −0.75.
    expect(lag1Autocorrelation([1, -1, 1, -1])).toBeCloseTo(-0.75, 12);
    // [1,2,3,4]: deviations −1.5,−0.5,0.5,1.5; Σ = 0.75 − 0.25 + 0.75 = 1.25; Σd² = 5 → 0.25.
    expect(lag1Autocorrelation([1, 2, 3, 4])).toBeCloseTo(0.25, 12);
    expect(() => lag1Autocorrelation([2, 2, 2])).toThrow(RangeError);
  });

  it('n′ = n(1 − ρ)/(1 + ρ)', () => {
    expect(effectiveSampleSize(365, 0.5)).toBeCloseTo(121.667, 3);
    expect(effectiveSampleSize(365, 0)).toBe(365);
  });
});

describe('fractional savings uncertainty — DOMAIN.md §2 worked example, §8 vectors 8 and 9', () => {
  const base = { n: 365, p: 3, cvRmse: 0.15, m: 365, savingsFraction: 0.1, method: 'ashrae-g14' as const };

  it('vector 8, ρ = 0.5: 17.25 / 22.26 / 28.64 / 34.21 %', () => {
    const at68 = fractionalSavingsUncertainty({ ...base, rho: 0.5, confidence: 0.68 });
    expect(at68.nPrime).toBeCloseTo(121.667, 3);
    expect(at68.df).toBeCloseTo(118.667, 3);
    expect(at68.t).toBeCloseTo(0.99864, 5);
    expect(at68.method).toBe('ashrae-g14');
    expect(at68.autocorrelationCorrected).toBe(true);
    expect(at68.fsu).toBeCloseTo(0.1725, 4);
    expect(fractionalSavingsUncertainty({ ...base, rho: 0.5, confidence: 0.8 }).fsu).toBeCloseTo(0.2226, 4);
    expect(fractionalSavingsUncertainty({ ...base, rho: 0.5, confidence: 0.9 }).fsu).toBeCloseTo(0.2864, 4);
    expect(fractionalSavingsUncertainty({ ...base, rho: 0.5, confidence: 0.95 }).fsu).toBeCloseTo(0.3421, 4);
  });

  it('worked example, ρ = 0: 9.88 / 12.74 / 16.36 %', () => {
    const at68 = fractionalSavingsUncertainty({ ...base, rho: 0, confidence: 0.68 });
    expect(at68.nPrime).toBe(365);
    expect(at68.df).toBe(362);
    expect(at68.fsu).toBeCloseTo(0.0988, 4);
    expect(fractionalSavingsUncertainty({ ...base, rho: 0, confidence: 0.8 }).fsu).toBeCloseTo(0.1274, 4);
    expect(fractionalSavingsUncertainty({ ...base, rho: 0, confidence: 0.9 }).fsu).toBeCloseTo(0.1636, 4);
  });

  it('vector 9, monthly n=12 p=2 CV 8 % m=12 F 15 % ρ=0: 21.93 % (68 %), 37.98 % (90 %)', () => {
    const monthly = {
      n: 12,
      p: 2,
      cvRmse: 0.08,
      m: 12,
      savingsFraction: 0.15,
      rho: 0,
      monthly: true,
      method: 'ashrae-g14' as const,
    };
    expect(fractionalSavingsUncertainty({ ...monthly, confidence: 0.68 }).fsu).toBeCloseTo(0.2193, 4);
    const at90 = fractionalSavingsUncertainty({ ...monthly, confidence: 0.9 });
    expect(at90.fsu).toBeCloseTo(0.3798, 4);
    expect(at90.df).toBe(10);
    expect(at90.t).toBeCloseTo(1.812461, 5);
  });

  it('monthly models and the nmecr rule skip the n′ correction', () => {
    const monthly = fractionalSavingsUncertainty({ ...base, rho: 0.5, confidence: 0.68, monthly: true });
    expect(monthly.autocorrelationCorrected).toBe(false);
    expect(monthly.nPrime).toBe(365);
    const nmecr = fractionalSavingsUncertainty({
      ...base,
      rho: 0.4,
      confidence: 0.68,
      autocorrelationRule: 'nmecr',
    });
    expect(nmecr.autocorrelationCorrected).toBe(false);
    const always = fractionalSavingsUncertainty({ ...base, rho: 0.4, confidence: 0.68 });
    expect(always.fsu).toBeGreaterThan(nmecr.fsu);
    // ✘ negative ρ is treated as 0
    expect(fractionalSavingsUncertainty({ ...base, rho: -0.3, confidence: 0.68 }).fsu).toBeCloseTo(0.0988, 4);
  });

  it('Sun–Baltazar replaces 1.26 and is reported', () => {
    const sb = fractionalSavingsUncertainty({
      ...base,
      rho: 0.5,
      confidence: 0.68,
      method: 'sun-baltazar-daily',
      reportingMonths: 12,
    });
    expect(sb.coefficient).toBeCloseTo(1.3925, 4);
    expect(sb.fsu).toBeCloseTo((0.1725 * 1.3925) / 1.26, 3);
    expect(() =>
      fractionalSavingsUncertainty({ ...base, rho: 0.5, confidence: 0.68, method: 'sun-baltazar-billing' }),
    ).toThrow(RangeError);
  });

  it('rejects df ≤ 0', () => {
    expect(() => fractionalSavingsUncertainty({ ...base, n: 3, p: 3, rho: 0, confidence: 0.68 })).toThrow(
      RangeError,
    );
  });
});

describe('absolute savings uncertainty', () => {
  it('is FSU × E_save when E_save = F · m · ȳ_reporting-prediction', () => {
    const baselineMeanEnergy = 200; // kWh/day
    const reportingPredictionMeanEnergy = 220;
    const rmse = 0.15 * baselineMeanEnergy; // CV 15 %
    const common = { n: 365, p: 3, rho: 0.5, m: 365, confidence: 0.9, method: 'ashrae-g14' as const };
    const absolute = absoluteSavingsUncertainty({
      ...common,
      rmse,
      baselineMeanEnergy,
      reportingPredictionMeanEnergy,
    });
    const savingsEnergy = 0.1 * 365 * reportingPredictionMeanEnergy;
    expect(absolute.deltaEnergySave / savingsEnergy).toBeCloseTo(0.2864, 4);
  });
});

describe('Sun–Baltazar and portfolio — DOMAIN.md §8 vector 10', () => {
  it('M = 12: daily 1.3925, billing 1.30558', () => {
    expect(sunBaltazarCoefficient(12, 'daily')).toBeCloseTo(1.3925, 4);
    expect(sunBaltazarCoefficient(12, 'billing')).toBeCloseTo(1.30558, 5);
  });

  it('portfolio FSU = √ΣΔU² / ΣU', () => {
    expect(
      portfolioFsu([
        { savingsEnergy: 100, savingsUncertaintyEnergy: 30 },
        { savingsEnergy: 100, savingsUncertaintyEnergy: 40 },
      ]),
    ).toBeCloseTo(0.25, 12);
    expect(() => portfolioFsu([])).toThrow(RangeError);
  });

  it('normalised savings uncertainty adds in quadrature', () => {
    expect(normalizedSavingsUncertainty(3, 4)).toBeCloseTo(5, 12);
  });
});
