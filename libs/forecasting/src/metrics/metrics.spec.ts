import {
  coverage,
  crpsFromQuantiles,
  cvRmse,
  mape,
  mase,
  maseScale,
  meanPinball,
  nmbe,
  pinballLoss,
  rmse,
  skillScore,
} from './metrics';
import { crpsNormal, normalCdf, normalQuantile } from './normal-distribution';

/** Levels pₖ = k/(K+1) and the matching N(0,1) quantiles. */
function normalQuantiles(k: number): { levels: number[]; values: number[] } {
  const levels = Array.from({ length: k }, (_, i) => (i + 1) / (k + 1));
  return { levels, values: levels.map((p) => normalQuantile(p)) };
}

describe('normal distribution helpers', () => {
  it.each([
    [0.5, 0],
    [0.975, 1.959963984540054],
    [0.9, 1.2815515655446004],
    [0.1, -1.2815515655446004],
    [0.841344746068543, 1],
    [0.01, -2.3263478740408408],
    [0.999, 3.090232306167813],
    [1e-10, -6.361340902404056],
  ])('normalQuantile(%p) = %p', (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 9);
  });

  it('normalCdf matches known values and inverts normalQuantile', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1)).toBeCloseTo(0.8413447460685429, 14);
    expect(normalCdf(-1.959963984540054)).toBeCloseTo(0.025, 14);
    expect(normalCdf(8)).toBeCloseTo(1 - 6.22096057427178e-16, 15);
    for (const p of [0.001, 0.02, 0.3, 0.7, 0.98, 0.9999])
      expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 13);
  });

  it('normalQuantile handles the ends and rejects invalid probabilities', () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(() => normalQuantile(1.5)).toThrow(RangeError);
    expect(() => normalQuantile(Number.NaN)).toThrow(RangeError);
  });
});

describe('point metrics — DOMAIN.md §8 vector 1', () => {
  const y = [100, 110, 120, 130, 140];
  const yHat = [102, 108, 123, 128, 137];

  it('CV(RMSE) with n − p and with n', () => {
    expect(cvRmse(y, yHat, 2)).toBeCloseTo(0.026352, 6);
    expect(cvRmse(y, yHat)).toBeCloseTo(0.020412, 6);
  });

  it('NMBE with n − p and with n, sign e = actual − predicted', () => {
    expect(nmbe(y, yHat, 2)).toBeCloseTo(0.005556, 6);
    expect(nmbe(y, yHat)).toBeCloseTo(0.003333, 6);
    // Swapping the arguments flips the sign: the convention is fixed.
    expect(nmbe(yHat, y)).toBeLessThan(0);
  });

  it('MAPE as a fraction', () => {
    expect(mape(y, yHat)).toBeCloseTo(0.019999, 6);
  });

  it('RMSE', () => {
    expect(rmse(y, yHat)).toBeCloseTo(Math.sqrt(6), 12);
  });

  it('MAPE is null when any actual is zero', () => {
    expect(mape([0, 1], [1, 1])).toBeNull();
  });

  it('throws on length mismatch, empty input and n ≤ p', () => {
    expect(() => rmse([1, 2], [1])).toThrow(RangeError);
    expect(() => cvRmse([], [])).toThrow(RangeError);
    expect(() => nmbe([1, 2], [1, 2], 2)).toThrow(RangeError);
    expect(() => mape([], [])).toThrow(RangeError);
    expect(() => cvRmse([1, 2, 3], [1, 2, 3], -1)).toThrow(RangeError);
  });
});

describe('MASE — DOMAIN.md §8 vector 2', () => {
  it('seasonal-naive scale 1.5 and MASE 1.0', () => {
    const scale = maseScale([10, 20, 30, 12, 22, 32, 11, 21, 31], 3);
    expect(scale).toBeCloseTo(1.5, 12);
    const predicted = [50, 60, 70];
    const errors = [1, -2, 1.5];
    const actual = predicted.map((p, i) => p + errors[i]);
    expect(mase(actual, predicted, scale)).toBeCloseTo(1.0, 12);
  });

  it('rejects too-short training series and a zero scale', () => {
    expect(() => maseScale([1, 2, 3], 3)).toThrow(RangeError);
    expect(() => maseScale([1, 2, 3], 0)).toThrow(RangeError);
    expect(() => mase([1], [1], 0)).toThrow(RangeError);
  });
});

describe('pinball loss — DOMAIN.md §8 vectors 3 and 4', () => {
  it('vector 3: ρ₀.₁ = 2.43, not doubled (FPP3 form 4.86)', () => {
    expect(pinballLoss(741.84, 744.54, 0.1)).toBeCloseTo(2.43, 10);
    expect(2 * pinballLoss(741.84, 744.54, 0.1)).toBeCloseTo(4.86, 10);
  });

  it('above the quantile uses p(y − q)', () => {
    expect(pinballLoss(12, 10, 0.9)).toBeCloseTo(1.8, 12);
  });

  it('vector 4: (2/K)·Σρ over levels 0.1/0.5/0.9 = 8/10/12 at y = 11 is 0.6', () => {
    expect(crpsFromQuantiles(11, [0.1, 0.5, 0.9], [8, 10, 12])).toBeCloseTo(0.6, 12);
  });

  it('meanPinball averages over points and levels', () => {
    const levels = [0.1, 0.5, 0.9];
    // Point 1 is vector 4 (Σρ = 0.9); point 2: y = 7 → 0.9·1 + 0.5·3 + 0.1·5 = 2.9.
    expect(
      meanPinball(
        [11, 7],
        [
          [8, 10, 12],
          [8, 10, 12],
        ],
        levels,
      ),
    ).toBeCloseTo((0.9 + 2.9) / 6, 12);
    expect(() => meanPinball([1], [[1, 2]], levels)).toThrow(RangeError);
    expect(() => meanPinball([1, 2], [[1, 2, 3]], levels)).toThrow(RangeError);
  });

  it('rejects levels outside (0, 1)', () => {
    expect(() => pinballLoss(1, 1, 0)).toThrow(RangeError);
    expect(() => pinballLoss(1, 1, 1)).toThrow(RangeError);
  });
});

describe('CRPS of N(0,1) from K quantiles — DOMAIN.md §8 vectors 5 and 6', () => {
  it('vector 5: y = 0, exact 0.233695, K=9 0.246728, K=99 0.235912', () => {
    expect(crpsNormal(0, 0, 1)).toBeCloseTo(0.233695, 6);
    const k9 = normalQuantiles(9);
    expect(crpsFromQuantiles(0, k9.levels, k9.values)).toBeCloseTo(0.246728, 6);
    const k99 = normalQuantiles(99);
    expect(crpsFromQuantiles(0, k99.levels, k99.values)).toBeCloseTo(0.235912, 6);
  });

  it('vector 6: y = 1, exact 0.602441, K=9 0.664646', () => {
    expect(crpsNormal(1, 0, 1)).toBeCloseTo(0.602441, 6);
    const k9 = normalQuantiles(9);
    expect(crpsFromQuantiles(1, k9.levels, k9.values)).toBeCloseTo(0.664646, 6);
  });

  it('converges to the exact CRPS as K grows', () => {
    const k = normalQuantiles(9999);
    expect(Math.abs(crpsFromQuantiles(0, k.levels, k.values) - crpsNormal(0, 0, 1))).toBeLessThan(1e-3);
  });
});

describe('coverage and skill — DOMAIN.md §8 vector 7', () => {
  it('coverage counts inclusive bounds', () => {
    expect(coverage([1, 2, 3, 4, 5], [1, 0, 4, 0, 6], [2, 2, 5, 9, 7])).toBeCloseTo(0.6, 12);
    expect(() => coverage([1], [0, 0], [2])).toThrow(RangeError);
  });

  it('vector 7: MAE 8 vs reference 10 gives 0.20', () => {
    expect(skillScore(10, 8)).toBeCloseTo(0.2, 12);
    expect(skillScore(10, 12)).toBeCloseTo(-0.2, 12);
    expect(() => skillScore(0, 1)).toThrow(RangeError);
  });
});
