import { solarFeatures } from './features';
import {
  AnalogRow,
  analogDistance,
  analogQuantiles,
  blendQuantiles,
  columnScales,
  empiricalQuantiles,
  forecastPvAnalog,
} from './pv-analog';
import { PvSeries } from './pv-model';

describe('PV analog ensemble core', () => {
  it('scales columns by the mean and population sd of their finite values, sd 1 where constant', () => {
    const { mean, sd } = columnScales([
      [1, 10],
      [3, Number.NaN],
      [5, 10],
    ]);
    expect(mean).toEqual([3, 10]);
    // √(((1−3)² + 0 + (5−3)²) / 3) = √(8/3)
    expect(sd[0]).toBeCloseTo(Math.sqrt(8 / 3), 12);
    expect(sd[1]).toBe(1);
  });

  it('measures a weighted distance of standardised predictors, a missing value one sd apart', () => {
    // (3/1)² + (4/2)² = 9 + 4
    expect(analogDistance([0, 0], [3, 4], [1, 2], [1, 1])).toBeCloseTo(Math.sqrt(13), 12);
    // 2·1² + 1·(4/2)² = 6
    expect(analogDistance([Number.NaN, 0], [3, 4], [1, 2], [2, 1])).toBeCloseTo(Math.sqrt(6), 12);
  });

  it('takes empirical quantiles by interpolating the sorted values at level·(n − 1)', () => {
    // sorted 0 1 2 3: median at position 1.5, level 0.1 at 0.3
    const q = empiricalQuantiles([3, 0, 2, 1], [0, 0.1, 0.5, 1]);
    expect(q[0]).toBe(0);
    expect(q[1]).toBeCloseTo(0.3, 12);
    expect(q[2]).toBeCloseTo(1.5, 12);
    expect(q[3]).toBe(3);
    expect(() => empiricalQuantiles([], [0.5])).toThrow(RangeError);
  });

  const row = (x: number, hour: number, day: number, y: number): AnalogRow => ({ x: [x], hour, day, y });
  const history = [
    row(0, 10, 100, 0.1),
    row(1, 10, 100, 0.2),
    row(2, 10, 100, 0.3),
    row(10, 10, 100, 0.9),
    row(0, 11, 100, 0.5),
    row(1, 10, 200, 0.7),
    row(1, 10, 101, Number.NaN),
  ];
  const levels = [0, 0.5, 1];

  it('picks the k nearest hours of the same hour within the seasonal window', () => {
    // within ±30 days of day 100 at hour 10: x = 0, 1, 2, 10; nearest to 1.2 are x = 1 and 2
    const [q] = analogQuantiles(history, [row(1.2, 10, 100, Number.NaN)], [1], 2, levels, 30);
    expect(q[0]).toBeCloseTo(0.2, 12);
    expect(q[1]).toBeCloseTo(0.25, 12);
    expect(q[2]).toBeCloseTo(0.3, 12);
  });

  it('searches the whole history without a window, and falls back to it when the window is empty', () => {
    // nearest to 1.1 at hour 10: both x = 1 rows (days 100 and 200); the unmeasured day 101 is skipped
    const [all] = analogQuantiles(history, [row(1.1, 10, 100, Number.NaN)], [1], 2, levels);
    expect(all[0]).toBeCloseTo(0.2, 12);
    expect(all[1]).toBeCloseTo(0.45, 12);
    expect(all[2]).toBeCloseTo(0.7, 12);
    const [fallback, night] = analogQuantiles(
      history,
      [row(5, 11, 300, Number.NaN), row(0, 5, 100, Number.NaN)],
      [1],
      3,
      levels,
      10,
    );
    expect(fallback).toEqual([0.5, 0.5, 0.5]);
    expect(night).toEqual([0, 0, 0]);
    expect(() => analogQuantiles(history, [], [1], 0, levels)).toThrow(/k must be/);
  });

  it('blends two forecasts by quantile averaging and rejects weights outside [0, 1]', () => {
    expect(blendQuantiles([[0, 1]], [[1, 3]], 0.25)).toEqual([[0.25, 1.5]]);
    expect(() => blendQuantiles([[0]], [[1]], 1.5)).toThrow(RangeError);
  });
});

describe('forecastPvAnalog', () => {
  // Output = 0.8·(clear-sky GHI/1000)·(1 − 0.7·cloud), cloud known as a predictor.
  function site(days: number): PvSeries {
    const startMs = Date.UTC(2017, 4, 1);
    const starts = Array.from({ length: days * 24 }, (_, i) => startMs + i * 3_600_000);
    const sun = solarFeatures(starts, 60, 39.74, -105.18, 1830);
    const cloud = starts.map((_, i) => ((i * 7919) % 101) / 100);
    return {
      startMs,
      intervalMinutes: 60,
      latitudeDeg: 39.74,
      longitudeDeg: -105.18,
      altitudeM: 1830,
      generationFraction: starts.map((_, i) =>
        sun.cosZenith[i] > 0 ? 0.8 * (sun.clearSkyGhiWm2[i] / 1000) * (1 - 0.7 * cloud[i]) : 0,
      ),
      predictors: { cloudCover: cloud },
    };
  }

  it('is 0 at night, ordered, and uses no output from the training end on', () => {
    const s = site(40);
    const options = { k: 5, windowDays: 30, features: { cloudCover: 1 }, quantileLevels: [0.1, 0.5, 0.9] };
    const q = forecastPvAnalog(s, 24 * 33, 24 * 33, 24 * 40, options);
    expect(q).toHaveLength(24 * 7);
    expect(q[6]).toEqual([0, 0, 0]); // 06 UTC is night in Colorado
    for (const r of q) expect(r[0]).toBeLessThanOrEqual(r[2]);
    // midday (19 UTC) quantiles bracket a substantial output
    expect(q[19][1]).toBeGreaterThan(0.2);
    const leaked = { ...s, generationFraction: s.generationFraction!.map((v, i) => (i >= 24 * 33 ? 5 : v)) };
    expect(forecastPvAnalog(leaked, 24 * 33, 24 * 33, 24 * 40, options)).toEqual(q);
    expect(() =>
      forecastPvAnalog(s, 24 * 33, 24 * 33, 24 * 40, { ...options, features: { nope: 1 } }),
    ).toThrow(/unknown feature nope/);
  });
});
