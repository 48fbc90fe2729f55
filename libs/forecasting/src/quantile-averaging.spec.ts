import { applyQra, fitQra } from './quantile-averaging';

// Park–Miller generator, so the synthetic data are the same on every run.
function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

describe('quantile regression averaging', () => {
  it('applies intercept plus weighted members: 0.1 + 0.5·2 + 0.25·4 = 2.1', () => {
    expect(applyQra([0.1, 0.5, 0.25], [2, 4])).toBeCloseTo(2.1, 12);
  });

  it('recovers known weights when the noise has its τ-quantile at 0', () => {
    const rand = random(7);
    const n = 3000;
    const alpha = 0.8;
    const a = Array.from({ length: n }, () => rand());
    const b = Array.from({ length: n }, () => 2 * rand());
    // uniform noise on [−0.8, 0.2]·0.3: its 0.8 quantile is 0, so the 0.8 quantile of y is 0.2 + 0.6a + 0.3b
    const y = a.map((v, i) => 0.2 + 0.6 * v + 0.3 * b[i] + 0.3 * (rand() - alpha));
    const fit = fitQra(y, [a, b], alpha);
    expect(fit.weights[0]).toBeCloseTo(0.2, 1);
    expect(fit.weights[1]).toBeCloseTo(0.6, 1);
    expect(fit.weights[2]).toBeCloseTo(0.3, 1);
    // the pinball loss of the true combination is the noise's: ∫ over [−0.24, 0.06] → 0.3·0.8·0.2/2 = 0.024
    expect(fit.pinball).toBeGreaterThan(0.022);
    expect(fit.pinball).toBeLessThan(0.026);
  });

  it('shifts a biased member by the intercept (a member 0.5 too high at the median)', () => {
    const rand = random(3);
    const truth = Array.from({ length: 2000 }, () => rand());
    const y = truth.map((t) => t + 0.1 * (rand() - 0.5));
    const member = truth.map((t) => t + 0.5);
    const fit = fitQra(y, [member], 0.5);
    expect(fit.weights[0]).toBeCloseTo(-0.5, 1);
    expect(fit.weights[1]).toBeCloseTo(1, 1);
  });

  it('keeps the plain mean with too few rows, and rejects bad input', () => {
    const fit = fitQra(
      [1, 2, 3],
      [
        [1, 2, 3],
        [3, 2, 1],
      ],
      0.5,
    );
    expect(fit.weights).toEqual([0, 0.5, 0.5]);
    // hand-computed pinball of the mean (2,2,2) against (1,2,3) at 0.5: (0.5 + 0 + 0.5)/3
    expect(fit.pinball).toBeCloseTo(1 / 3, 12);
    expect(() => fitQra([1], [[1, 2]], 0.5)).toThrow(RangeError);
    expect(() => fitQra([1], [[1]], 1)).toThrow(RangeError);
  });
});
