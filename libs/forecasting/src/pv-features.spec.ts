import {
  centredMean,
  clearSkyIndex,
  empiricalClearSkyProfile,
  fixQuantileCrossing,
  hourAndDay,
  interpolateQuantiles,
  localDayMeans,
  shiftedSeries,
} from './pv-features';

describe('PV features', () => {
  it('clear-sky index: ratio to the clear sky, bounded to [0, 2], NaN when the clear sky is too low', () => {
    expect(clearSkyIndex(450, 600)).toBeCloseTo(0.75, 12);
    expect(clearSkyIndex(900, 300)).toBe(2); // 3 is capped
    expect(clearSkyIndex(-5, 300)).toBe(0);
    expect(clearSkyIndex(10, 19)).toBeNaN(); // below the default 20 W/m² floor
    expect(clearSkyIndex(10, 19, 5)).toBeCloseTo(10 / 19, 12);
    expect(clearSkyIndex(Number.NaN, 500)).toBeNaN();
  });

  it('sorts crossed quantiles without changing their values', () => {
    expect(fixQuantileCrossing([0.2, 0.1, 0.5, 0.4])).toEqual([0.1, 0.2, 0.4, 0.5]);
    const row = [3, 1, 2];
    fixQuantileCrossing(row);
    expect(row).toEqual([3, 1, 2]); // the input is not mutated
  });

  it('interpolates fitted quantiles linearly and holds the ends', () => {
    // fitted at 0.1 → 1, 0.5 → 3, 0.9 → 4
    const out = interpolateQuantiles([0.1, 0.5, 0.9], [1, 3, 4], [0.05, 0.1, 0.3, 0.5, 0.8, 0.95]);
    // 0.3 is half-way from 0.1 to 0.5: 2; 0.8 is three quarters from 0.5 to 0.9: 3.75
    expect(out[0]).toBe(1);
    expect(out[1]).toBe(1);
    expect(out[2]).toBeCloseTo(2, 12);
    expect(out[3]).toBeCloseTo(3, 12);
    expect(out[4]).toBeCloseTo(3.75, 12);
    expect(out[5]).toBe(4);
    expect(() => interpolateQuantiles([0.5], [1, 2], [0.5])).toThrow(RangeError);
  });

  it('hour and day of the year in UTC', () => {
    expect(hourAndDay(Date.UTC(2013, 0, 1, 0))).toEqual({ hour: 0, day: 0 });
    // 2012 is a leap year: 1 March is day 31 + 29 = 60
    expect(hourAndDay(Date.UTC(2012, 2, 1, 13, 30))).toEqual({ hour: 13, day: 60 });
  });

  it('empirical clear-sky profile: the high quantile of the output at each hour near each day', () => {
    // hourly data from 1 Jan 2013 00:00 for 20 days: at 02 UTC the output is the day number ÷ 100,
    // otherwise 0
    const start = Date.UTC(2013, 0, 1);
    const values = Array.from({ length: 20 * 24 }, (_, i) => (i % 24 === 2 ? Math.floor(i / 24) / 100 : 0));
    // only the first 10 days are training (end = 240): days 0–9, outputs 0.00…0.09
    const profile = empiricalClearSkyProfile(values, start, 60, 240, 2, 0.95);
    // day 5 at 02 UTC pools days 3–7 → [0.03…0.07]; index floor(0.95·5) = 4 → 0.07
    expect(profile[2 * 366 + 5]).toBeCloseTo(0.07, 12);
    // day 9 pools days 7–9 (10 and 11 are not training) → index floor(0.95·3) = 2 → 0.09
    expect(profile[2 * 366 + 9]).toBeCloseTo(0.09, 12);
    // days with training days within ±2: 364 (pools 362–0 → [0.00]), 365 (363–1 → [0, 0.01] →
    // index floor(0.95·2) = 1 → 0.01), 0–9, 10 ([0.08, 0.09] → 0.09) and 11 ([0.09] → 0.09)
    expect(profile[2 * 366 + 365]).toBeCloseTo(0.01, 12);
    expect(profile[2 * 366 + 11]).toBeCloseTo(0.09, 12);
    // days 12–363 have none: each takes its nearest such day, 11 up to day 187 (176 days from 11,
    // 177 from 364) and 364 (0.00) from day 188 on
    expect(profile[2 * 366 + 15]).toBeCloseTo(0.09, 12);
    expect(profile[2 * 366 + 187]).toBeCloseTo(0.09, 12);
    expect(profile[2 * 366 + 188]).toBe(0);
    expect(profile[3 * 366 + 5]).toBe(0);
  });

  it('local-day means shift the day by the UTC offset', () => {
    // 48 hourly values from 00 UTC; with +10 h the local day 2 starts at index 14
    const values = Array.from({ length: 48 }, (_, i) => (i < 14 ? 1 : 3));
    const m = localDayMeans(values, Date.UTC(2013, 5, 1), 60, 10);
    expect(m[0]).toBe(1); // local day 1: indices 0–13 (its first 10 hours fall before the series)
    expect(m[13]).toBe(1);
    expect(m[14]).toBe(3); // local day 2: indices 14–37
    expect(m[40]).toBe(3);
    const withGap = localDayMeans([2, Number.NaN, 4], Date.UTC(2013, 5, 1), 60, 0);
    expect(withGap).toEqual([3, 3, 3]);
  });

  it('shifted series: the previous (lag −1) and next (lag +1) values, NaN past the ends', () => {
    expect(shiftedSeries([10, 20, 30, 40], -1)).toEqual([Number.NaN, 10, 20, 30]);
    expect(shiftedSeries([10, 20, 30, 40], 1)).toEqual([20, 30, 40, Number.NaN]);
    expect(shiftedSeries([10, 20, 30, 40], 2)).toEqual([30, 40, Number.NaN, Number.NaN]);
    expect(shiftedSeries([], 1)).toEqual([]);
  });

  it('centred mean over ±1 step: fewer values at the ends and around gaps, NaN with none', () => {
    // [0, 3, 6, 3]: ends (0+3)/2 = 1.5 and (6+3)/2 = 4.5; inside (0+3+6)/3 = 3, (3+6+3)/3 = 4
    const m = centredMean([0, 3, 6, 3], 1);
    expect(m[0]).toBeCloseTo(1.5, 12);
    expect(m[1]).toBeCloseTo(3, 12);
    expect(m[2]).toBeCloseTo(4, 12);
    expect(m[3]).toBeCloseTo(4.5, 12);
    // the gap is skipped: index 1 averages 2 and 8 → 5; index 3 has only NaNs around it → NaN
    const gap = centredMean([2, Number.NaN, 8, Number.NaN, Number.NaN], 1);
    expect(gap[0]).toBeCloseTo(2, 12);
    expect(gap[1]).toBeCloseTo(5, 12);
    expect(gap[2]).toBeCloseTo(8, 12);
    expect(gap[3]).toBeCloseTo(8, 12);
    expect(gap[4]).toBeNaN();
    // ±2 steps: index 2 of [1, 2, 3, 4, 5] averages all five → 3; index 0 averages 1, 2, 3 → 2
    const wide = centredMean([1, 2, 3, 4, 5], 2);
    expect(wide[0]).toBeCloseTo(2, 12);
    expect(wide[2]).toBeCloseTo(3, 12);
    expect(wide[4]).toBeCloseTo(4, 12);
  });
});
