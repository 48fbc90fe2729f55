import { fitBandCalibration } from './calibration';
import { calendarInfo, dayAheadPoints } from './features';
import { coverage } from './metrics';
import {
  bandNote,
  indexAtOrAfter,
  rollingCalibratedForecast,
  rollingCalibratedHorizon,
} from './rolling-calibration';
import { MeterSeries } from './series';

/**
 * Hourly series, UTC (days start every 24 h), 40 days at a level of 100 kWh. Hour k of each day
 * misses the level by s·u_k, u_k = k − 11.5 (−11.5 … 11.5 in steps of 1), with s = 0.1 for days
 * 0–19 and 0.2 from day 20 on: the residual spread doubles midway. The forecaster knows the level
 * and has a fixed band of ±1 kWh, so a lower score is −s·u_k and an upper one s·u_k.
 */
const DAYS = 40;
const spread = (day: number): number => (day < 20 ? 0.1 : 0.2);
const series: MeterSeries = {
  startMs: Date.UTC(2024, 0, 1),
  intervalMinutes: 60,
  timeZone: 'UTC',
  valuesKwh: Array.from(
    { length: DAYS * 24 },
    (_, t) => 100 + spread(Math.floor(t / 24)) * ((t % 24) - 11.5),
  ),
};
const calendar = calendarInfo(series, series.valuesKwh.length);
const flatBand = (points: readonly { target: number }[]) => ({
  p10: points.map(() => 99),
  p50: points.map(() => 100),
  p90: points.map(() => 101),
});
const day = (d: number) => dayAheadPoints(calendar, d * 24, (d + 1) * 24, series.valuesKwh.length);

describe('rollingCalibratedForecast', () => {
  // window 7 days: n = 168 scores, 7 copies of each of the 24 values s·(−11.5 … 11.5); the
  // conformal quantile is the ⌈169 · 0.9⌉ = 153rd smallest, in the 22nd group of 7 (153/7 = 21.9):
  // s·(−11.5 + 21) = 9.5·s. Both tails are symmetric.
  const options = { windowDays: 7, minDays: 7, adaptRate: 0 };

  it('follows the spread: factor 0.95 before the change, 1.9 once the window lies after it', () => {
    const before = rollingCalibratedForecast(series, calendar, day(10), flatBand, options);
    expect(before.lowerFactor[0]).toBeCloseTo(0.95, 10);
    expect(before.upperFactor[0]).toBeCloseTo(0.95, 10);
    const after = rollingCalibratedForecast(series, calendar, day(30), flatBand, options);
    expect(after.lowerFactor[0]).toBeCloseTo(1.9, 10);
    expect(after.upperFactor[5]).toBeCloseTo(1.9, 10);
    expect(after.forecast.p10[0]).toBeCloseTo(100 - 1.9, 10);
    expect(after.forecast.p90[0]).toBeCloseTo(100 + 1.9, 10);
    expect(after.forecast.p50).toEqual(flatBand(day(30)).p50);
    expect(after.rollingPoints).toBe(24);
  });

  it('rescales a zero-width side from the floor width its scores were divided by', () => {
    // P90 = P50: upper scores are s·u / floor, floor = 0.1 % of the window's mean load (100) = 0.1;
    // after the change the factor is 0.2 · 9.5 / 0.1 = 19, so P90 = 100 + 19 · 0.1 = 101.9
    const noUpper = (points: readonly { target: number }[]) => ({
      ...flatBand(points),
      p90: points.map(() => 100),
    });
    const after = rollingCalibratedForecast(series, calendar, day(30), noUpper, options);
    expect(after.upperFactor[0]).toBeCloseTo(19, 6);
    expect(after.forecast.p90[0]).toBeCloseTo(101.9, 6);
  });

  it('keeps the P10–P90 coverage after the change where a static calibration does not', () => {
    // the static factors come from days 13–19 (the end of the "training data"), 0.95 for good
    const calibrationPoints = dayAheadPoints(calendar, 13 * 24, 20 * 24, series.valuesKwh.length);
    const calActual = calibrationPoints.map((p) => series.valuesKwh[p.target]);
    const staticCal = fitBandCalibration(calActual, flatBand(calibrationPoints));
    expect(staticCal.upperFactor).toBeCloseTo(0.95, 10);
    const test = dayAheadPoints(calendar, 27 * 24, DAYS * 24, series.valuesKwh.length);
    const actual = test.map((p) => series.valuesKwh[p.target]);
    // static band ±0.95 covers |0.2·u| ≤ 0.95, u = −4.5 … 4.5: 10 of 24 hours
    expect(
      coverage(
        actual,
        test.map(() => 99.05),
        test.map(() => 100.95),
      ),
    ).toBeCloseTo(10 / 24, 10);
    // rolling band ±1.9 covers |u| ≤ 9.5: 20 of 24 hours
    const rolling = rollingCalibratedForecast(series, calendar, test, flatBand, options).forecast;
    expect(coverage(actual, rolling.p10, rolling.p90)).toBeCloseTo(20 / 24, 10);
  });

  it('keeps the forecaster’s own band until minDays of out-of-sample days exist', () => {
    // notBefore at day 25: at origin 30 only days 25–29 (120 points < 7 · 24) are out of sample
    const short = rollingCalibratedForecast(series, calendar, day(30), flatBand, {
      ...options,
      notBefore: 25 * 24,
    });
    expect(short.rollingPoints).toBe(0);
    expect(short.forecast.p10[0]).toBe(99);
    expect(short.forecast.p90[0]).toBe(101);
    expect(bandNote(short)).toMatch(/calibration at training/);
    // with minDays 5 those 5 days (all at s = 0.2) set it: 120 scores, ⌈121 · 0.9⌉ = 109th smallest,
    // 5 copies each: the 22nd group (109/5 = 21.8) → 9.5 · 0.2 = 1.9
    const five = rollingCalibratedForecast(series, calendar, day(30), flatBand, {
      ...options,
      minDays: 5,
      notBefore: 25 * 24,
    });
    expect(five.upperFactor[0]).toBeCloseTo(1.9, 10);
    expect(bandNote(five)).toMatch(/recalibrated on this method's day-ahead errors over the last 56 days/);
    expect(bandNote(five, { daysSinceFit: 5 })).toMatch(/errors of the 5 days since its fit$/);
    expect(bandNote(short, { minDays: 4 })).toMatch(/under 4 days of forecasts/);
  });

  it('takes the conformal quantile over a window that mixes both spreads', () => {
    // origin day 23, window days 16–22: 4 days at s = 0.1 and 3 at s = 0.2 → 168 scores; sorted,
    // the 153rd smallest: the top values are 0.2·u for u = 11.5, 10.5, … (3 copies each) mixed with
    // 0.1·u (4 copies each). Counting from the top (16 values above the 153rd): 0.2·{11.5, 10.5,
    // 9.5, 8.5, 7.5} = 2.3, 2.1, 1.9, 1.7, 1.5 (15 values), then 0.2·6.5 = 1.3 and 0.1·11.5 = 1.15
    // tie-free: 16th from the top is 1.3 (3 copies: 16th–18th), so the 153rd smallest (16th from
    // the top of 168) is 1.3.
    const mixed = rollingCalibratedForecast(series, calendar, day(23), flatBand, options);
    expect(mixed.upperFactor[0]).toBeCloseTo(1.3, 10);
  });
});

describe('rollingCalibratedForecast with adaptive conformal inference', () => {
  // notBefore day 13: the first factors are at day 20 (window days 13–19, all s = 0.1): 0.95. Day 20
  // (s = 0.2) misses where 0.2·u > 0.95, u = 5.5 … 11.5: 7 of 24 per tail, so with γ = 0.5 the level
  // α = 0.1 + 0.5 · (0.1 − 7/24) = 0.0041667. Day 21's window (days 14–20: six at 0.1, one at 0.2)
  // then takes the ⌈169 · (1 − α)⌉ = 169th → 168th (largest) score, 0.2 · 11.5 = 2.3. Without ACI it
  // is the 16th largest: 2.3, 2.1, 1.9, 1.7, 1.5, 1.3 (day 20), 1.15 × 6, 1.1, then 1.05 × 6 → 1.05.
  const options = { windowDays: 7, minDays: 7, notBefore: 13 * 24 };

  it('widens the band after a day that missed more than the tail', () => {
    const plain = rollingCalibratedForecast(series, calendar, day(21), flatBand, {
      ...options,
      adaptRate: 0,
    });
    expect(plain.upperFactor[0]).toBeCloseTo(1.05, 10);
    const adaptive = rollingCalibratedForecast(series, calendar, day(21), flatBand, {
      ...options,
      adaptRate: 0.5,
    });
    expect(adaptive.upperFactor[0]).toBeCloseTo(2.3, 10);
    expect(adaptive.lowerFactor[0]).toBeCloseTo(2.3, 10);
  });
});

describe('rollingCalibratedHorizon (a forecast issued at the end of the series)', () => {
  it('rescales the horizon by the factors of the series end, from past day-ahead forecasts', () => {
    // the series up to day 30: the window of 7 days (23–29) lies after the change → factor 1.9
    const upTo30: MeterSeries = { ...series, valuesKwh: series.valuesKwh.slice(0, 30 * 24) };
    const horizon = { p10: [99, 98], p50: [100, 100], p90: [101, 103] };
    const calibrated = rollingCalibratedHorizon(upTo30, horizon, (_c, pts) => flatBand(pts), {
      windowDays: 7,
      adaptRate: 0,
    });
    expect(calibrated.forecast.p10[0]).toBeCloseTo(100 - 1.9, 10);
    expect(calibrated.forecast.p10[1]).toBeCloseTo(100 - 1.9 * 2, 10);
    expect(calibrated.forecast.p90[1]).toBeCloseTo(100 + 1.9 * 3, 10);
    expect(calibrated.rollingPoints).toBe(2);
    // a model trained up to day 29 has 1 out-of-sample day (< ROLLING_CALIBRATION_MIN_DAYS, 2): its own band stays
    const fresh = rollingCalibratedHorizon(upTo30, horizon, (_c, pts) => flatBand(pts), {
      notBefore: indexAtOrAfter(upTo30, new Date(Date.UTC(2024, 0, 30)).toISOString(), 0),
    });
    expect(fresh.forecast).toEqual(horizon);
    expect(fresh.rollingPoints).toBe(0);
    // trained up to day 28: 2 out-of-sample days (28, 29, s = 0.2) are enough: 48 scores, 2 copies of
    // each 0.2·u; the ⌈49 · 0.9⌉ = 45th smallest is in the 23rd pair, u = 10.5 → factor 2.1
    const twoDays = rollingCalibratedHorizon(upTo30, horizon, (_c, pts) => flatBand(pts), {
      notBefore: indexAtOrAfter(upTo30, new Date(Date.UTC(2024, 0, 29)).toISOString(), 0),
      adaptRate: 0,
    });
    expect(twoDays.forecast.p90[1]).toBeCloseTo(100 + 2.1 * 3, 10);
    expect(twoDays.rollingPoints).toBe(2);
  });

  it('finds the first interval at or after a time, or the fallback without one', () => {
    // 2024-01-02T00:30Z is 24.5 hours after the start: the interval starting at hour 25
    expect(indexAtOrAfter(series, '2024-01-02T00:30:00Z', -1)).toBe(25);
    expect(indexAtOrAfter(series, '2023-12-31T00:00:00Z', -1)).toBe(0);
    expect(indexAtOrAfter(series, null, 7)).toBe(7);
  });
});
