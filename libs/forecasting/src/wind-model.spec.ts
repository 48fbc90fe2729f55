import { fitWindPowerCurve, isotonicIncreasing, predictWindPower } from './wind-model';

const trueCurve = (v: number): number => (v < 3 ? 0 : v >= 12 ? 1 : ((v - 3) / 9) ** 3);

describe('wind power curve', () => {
  it('pools adjacent violators into a non-decreasing sequence', () => {
    expect(isotonicIncreasing([1, 3, 2, 4], [1, 1, 1, 1])).toEqual([1, 2.5, 2.5, 4]);
  });

  it('recovers a cubic power curve from noisy observations, monotone up to rated', () => {
    const speeds: number[] = [];
    const output: number[] = [];
    let seed = 7;
    const rand = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let i = 0; i < 5000; i++) {
      const v = 15 * rand();
      speeds.push(v);
      output.push(Math.min(1, Math.max(0, trueCurve(v) + 0.05 * (rand() - 0.5))));
    }
    const curve = fitWindPowerCurve(speeds, output);
    const probe = [2, 5, 8, 10, 13];
    const f = predictWindPower(curve, probe);
    probe.forEach((v, i) => {
      expect(Math.abs(f.p50[i] - trueCurve(v))).toBeLessThan(0.05);
      expect(f.p10[i]).toBeLessThanOrEqual(f.p50[i]);
      expect(f.p50[i]).toBeLessThanOrEqual(f.p90[i]);
    });
    for (let i = 1; i < curve.p50.length && curve.speedsMs[i] <= 12; i++)
      expect(curve.p50[i]).toBeGreaterThanOrEqual(curve.p50[i - 1] - 1e-12);
  });
});
