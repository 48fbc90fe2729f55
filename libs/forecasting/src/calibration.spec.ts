import { fitBaselines } from './baselines';
import {
  applyBandCalibration,
  calibrationStart,
  conformalQuantile,
  fitBandCalibration,
  splitAtCalibration,
} from './calibration';
import { calendarInfo, dayAheadPoints } from './features';
import { coverage, crpsFromQuantiles, meanPinball } from './metrics';
import { seededRandom } from './model-artifact';
import { MeterSeries } from './series';

/** Standard normal draws (Box–Muller) from a seeded uniform generator. */
function normals(seed: number): () => number {
  const u = seededRandom(seed);
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/** z of the standard normal at 0.9: Φ(1.2815516) = 0.9. */
const Z90 = 1.2815516;

describe('conformalQuantile', () => {
  it('is the ⌈(n + 1)·level⌉-th smallest score', () => {
    // n = 9, level 0.9: ⌈10 · 0.9⌉ = 9th smallest; level 0.5: ⌈5⌉ = 5th
    const scores = [7, 1, 9, 3, 5, 2, 8, 4, 6];
    expect(conformalQuantile(scores, 0.9)).toBe(9);
    expect(conformalQuantile(scores, 0.5)).toBe(5);
    // n = 4, level 0.5: ⌈2.5⌉ = 3rd smallest
    expect(conformalQuantile([10, 40, 20, 30], 0.5)).toBe(30);
  });

  it('throws without a finite score', () => {
    expect(() => conformalQuantile([Number.NaN], 0.9)).toThrow(RangeError);
  });
});

describe('fitBandCalibration on a series with a known distribution', () => {
  // y = m + σ·ε, ε ~ N(0, 1), m a daily shape; the forecast has the right median but bands of half
  // the true width (P10/P90 at m ∓ 0.5·1.2816·σ), as an over-confident model would.
  const sigma = 3;
  const shape = (i: number): number => 50 + 20 * Math.sin((2 * Math.PI * (i % 24)) / 24);
  function draw(n: number, seed: number) {
    const e = normals(seed);
    const actual = Array.from({ length: n }, (_, i) => shape(i) + sigma * e());
    const p50 = actual.map((_, i) => shape(i));
    return {
      actual,
      forecast: {
        p10: p50.map((m) => m - 0.5 * Z90 * sigma),
        p50,
        p90: p50.map((m) => m + 0.5 * Z90 * sigma),
      },
    };
  }

  it('finds the factor 2 that the half-width bands need, and reaches 0.80 coverage on fresh data', () => {
    const cal = draw(2000, 1);
    const factors = fitBandCalibration(cal.actual, cal.forecast);
    expect(factors.points).toBe(2000);
    // the true P10/P90 are 1.2816σ from the median: twice the forecast's half-width
    expect(factors.lowerFactor).toBeGreaterThan(1.85);
    expect(factors.lowerFactor).toBeLessThan(2.15);
    expect(factors.upperFactor).toBeGreaterThan(1.85);
    expect(factors.upperFactor).toBeLessThan(2.15);

    const test = draw(20_000, 2);
    const before = coverage(test.actual, test.forecast.p10, test.forecast.p90);
    // P(|ε| ≤ 0.6408) = 2Φ(0.6408) − 1 ≈ 0.478
    expect(before).toBeGreaterThan(0.45);
    expect(before).toBeLessThan(0.51);
    const calibrated = applyBandCalibration(test.forecast, factors);
    const after = coverage(test.actual, calibrated.p10, calibrated.p90);
    expect(after).toBeGreaterThanOrEqual(0.78);
    expect(after).toBeLessThanOrEqual(0.82);
    // each tail misses about 10 %
    const below = test.actual.filter((y, i) => y < calibrated.p10[i]).length / test.actual.length;
    expect(below).toBeGreaterThan(0.08);
    expect(below).toBeLessThan(0.12);
    expect(calibrated.p50).toEqual(test.forecast.p50);
  });

  it('narrows bands that are too wide', () => {
    const cal = draw(2000, 3);
    const wide = {
      p10: cal.forecast.p50.map((m) => m - 4 * Z90 * sigma),
      p50: cal.forecast.p50,
      p90: cal.forecast.p50.map((m) => m + 4 * Z90 * sigma),
    };
    const factors = fitBandCalibration(cal.actual, wide);
    expect(factors.lowerFactor).toBeGreaterThan(0.22);
    expect(factors.lowerFactor).toBeLessThan(0.28);
  });

  it('leaves the bands as they are with fewer than 48 calibration points', () => {
    const cal = draw(47, 4);
    const factors = fitBandCalibration(cal.actual, cal.forecast);
    expect(factors).toEqual({ lowerFactor: 1, upperFactor: 1, points: 47 });
  });

  it('names the mismatch when actual values and forecasts differ in length', () => {
    const cal = draw(60, 5);
    expect(() => fitBandCalibration(cal.actual.slice(1), cal.forecast)).toThrow(/59 actual values but 60/);
  });
});

describe('calibrated baselines on a series whose noise grows at the end of training', () => {
  it('reach 0.78–0.82 P10–P90 coverage on the test weeks, where in-sample bands fall short', () => {
    // hourly, 30 weeks: a weekly shape plus N(0, σ²) noise; σ = 2 for the first 17 weeks, then 6
    // (a week before the calibration window, so a week-ago lag sees σ = 6 too, the last 6 training
    // weeks — the window, a quarter of the 24 training weeks — and the 6 test weeks)
    const weeks = 30;
    const n = 24 * 7 * weeks;
    const e = normals(11);
    const trainEnd = 24 * 7 * 24;
    const values = Array.from({ length: n }, (_, i) => {
      const sd = i < 24 * 7 * 17 ? 2 : 6;
      const weekend = Math.floor(i / 24) % 7 >= 5;
      return 100 + 30 * Math.sin((2 * Math.PI * (i % 24)) / 24) - (weekend ? 25 : 0) + sd * e();
    });
    const series: MeterSeries = {
      startMs: Date.UTC(2017, 0, 2),
      intervalMinutes: 60,
      valuesKwh: values,
      timeZone: 'UTC',
    };
    const calendar = calendarInfo(series, n);
    const train = dayAheadPoints(calendar, 0, trainEnd, n).filter((p) => p.target < trainEnd);
    const test = dayAheadPoints(calendar, trainEnd, n, n);
    const actual = test.map((p) => values[p.target]);
    // 56 days asked, a quarter of the 168 training days given; half of them when asked
    const start = calibrationStart(calendar, 60, 0, trainEnd, 56);
    expect(start).toBe(trainEnd - 42 * 24);
    expect(calibrationStart(calendar, 60, 0, trainEnd, 183, 0.5)).toBe(trainEnd - 84 * 24);
    expect(splitAtCalibration(train, start).calibration).toHaveLength(42 * 24);

    const calibrated = fitBaselines(series, calendar, train, { calibrationDays: 42 });
    const raw = fitBaselines(series, calendar, train, { calibrationDays: 0 });
    for (let k = 0; k < calibrated.length; k++) {
      expect(calibrated[k].calibration).toBeDefined();
      const c = calibrated[k].forecast(series, calendar, test);
      const cov = coverage(actual, c.p10, c.p90);
      // named, so a failure says which baseline (seeded noise: 0.786–0.818 for the three)
      expect([calibrated[k].name, cov >= 0.78 && cov <= 0.82]).toEqual([calibrated[k].name, true]);
      const r = raw[k].forecast(series, calendar, test);
      expect(coverage(actual, r.p10, r.p90)).toBeLessThan(0.72);
      expect(raw[k].calibration).toBeUndefined();
    }
  });
});

describe('CRPS from the three quantiles, as bench:forecast prints it', () => {
  it('is twice the mean pinball loss over P10/P50/P90 (hand-computed)', () => {
    // y = 10, quantiles 8 / 11 / 13: pinball 0.1·2 = 0.2, 0.5·1 = 0.5, (1 − 0.9)·3 = 0.3
    // y = 20, quantiles 15 / 18 / 19: 0.1·5 = 0.5, 0.5·2 = 1.0, 0.9·1 = 0.9
    const levels = [0.1, 0.5, 0.9];
    const q = [
      [8, 11, 13],
      [15, 18, 19],
    ];
    expect(meanPinball([10, 20], q, levels)).toBeCloseTo((0.2 + 0.5 + 0.3 + 0.5 + 1.0 + 0.9) / 6, 12);
    const crps = (crpsFromQuantiles(10, levels, q[0]) + crpsFromQuantiles(20, levels, q[1])) / 2;
    // (2/3)·1.0 and (2/3)·2.4, averaged: 1.1333…
    expect(crps).toBeCloseTo(((2 / 3) * 1.0 + (2 / 3) * 2.4) / 2, 12);
    expect(crps).toBeCloseTo(2 * meanPinball([10, 20], q, levels), 12);
  });
});
