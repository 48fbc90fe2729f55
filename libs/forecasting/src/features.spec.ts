import {
  buildLoadFeatures,
  calendarInfo,
  dayAheadPoints,
  hourOfWeek,
  loadFeatureNames,
  recentLoad,
  solarFeatures,
} from './features';
import { MeterSeries, lagBeforeOrigin, markMissing, valueResolution } from './series';

const hourly = (startMs: number, values: number[], timeZone = 'UTC', countryCode?: string): MeterSeries => ({
  startMs,
  intervalMinutes: 60,
  valuesKwh: values,
  timeZone,
  countryCode,
});

describe('calendar features', () => {
  it('pins Monday 00:00 as hour of week 0 and marks public holidays', () => {
    // 2017-07-03 is a Monday; 2017-07-04 is Independence Day
    const s = hourly(Date.UTC(2017, 6, 3), new Array(72).fill(1), 'UTC', 'US');
    const c = calendarInfo(s, 72);
    expect(hourOfWeek(c, 0)).toBe(0);
    expect(hourOfWeek(c, 30)).toBe(30);
    expect(c.holiday[10]).toBe(0);
    expect(c.holiday[30]).toBe(1);
    expect(c.offDay[30]).toBe(1);
    expect(c.dayStarts).toEqual([0, 24, 48]);
  });

  it('uses local time: a day starts at local midnight across a clock change', () => {
    // New York, 2017-03-12 (spring forward): local midnight = 05:00 UTC, next midnight 04:00 UTC next day
    const s = hourly(Date.UTC(2017, 2, 11, 5), new Array(72).fill(1), 'America/New_York');
    const c = calendarInfo(s, 72);
    expect(c.dayStarts[0]).toBe(0);
    expect(c.dayStarts[1]).toBe(24);
    expect(c.dayStarts[2]).toBe(47); // the 23-hour day
    expect(c.dayOfWeek[0]).toBe(5); // Saturday
  });

  it('has one column per feature name', () => {
    const s = hourly(
      Date.UTC(2017, 0, 2),
      Array.from({ length: 24 * 21 }, (_, i) => 10 + (i % 24)),
    );
    const c = calendarInfo(s, s.valuesKwh.length);
    const points = dayAheadPoints(c, 24 * 14, 24 * 21, s.valuesKwh.length);
    const m = buildLoadFeatures(s, c, points, { useTemperature: false, fallbackLevelKwh: 1 });
    expect(m.columns).toBe(loadFeatureNames(false).length);
    expect(m.rows).toBe(24 * 7);
    expect(Array.from(m.x).every(Number.isFinite)).toBe(true);
  });
});

describe('origin-honest lags', () => {
  it('picks the latest same-time value strictly before the origin', () => {
    expect(lagBeforeOrigin(100, 96, 24)).toBe(76);
    expect(lagBeforeOrigin(130, 96, 24)).toBe(82); // lead > 1 day: two days back
    expect(lagBeforeOrigin(100, 96, 168)).toBe(-68);
  });

  it('never reads values at or after the origin', () => {
    const values = Array.from({ length: 24 * 30 }, (_, i) => 50 + 10 * Math.sin(i / 5));
    const origin = 24 * 20;
    const before = recentLoad(values, origin + 30, origin, 24, 1);
    const changed = values.map((v, i) => (i >= origin ? v * 100 : v));
    const after = recentLoad(changed, origin + 30, origin, 24, 1);
    expect(after).toEqual(before);
  });

  it('imputes missing lags so features stay finite', () => {
    const values = Array.from({ length: 24 * 30 }, () => 5);
    for (let i = 24 * 18; i < 24 * 20; i++) values[i] = Number.NaN;
    const r = recentLoad(values, 24 * 20 + 3, 24 * 20, 24, 1);
    expect(r.sameTimeLastDayKwh).toBe(5);
    expect(r.levelKwh).toBe(5);
  });
});

describe('markMissing', () => {
  it('treats long zero runs and negatives as missing, keeps short zeros', () => {
    const v = [5, 0, 0, 5, ...new Array(8).fill(0), 5, -1, 5, ...new Array(20).fill(5)];
    const out = markMissing(v, 6);
    expect(out[1]).toBe(0);
    expect(markMissing(new Array(10).fill(0))[0]).toBe(0); // a mostly-zero meter keeps its zeros
    expect(out.slice(4, 12).every(Number.isNaN)).toBe(true);
    expect(Number.isNaN(out[13])).toBe(true);
  });

  // A day of a varying load reported to 2 decimals, then 8 hours stuck at 56.47 (a BDG2 building's logger did
  // this for 254 hours), then 5 hours at 61.2 (shorter than 6: kept).
  const day = Array.from({ length: 24 }, (_, h) => 40 + h * 1.37);
  const stuck = [...day, ...new Array(8).fill(56.47), ...day, ...new Array(5).fill(61.2), ...day];

  it('with a stuck-run length, treats 6 h and more of one exact value as missing — unless asked not to', () => {
    const out = markMissing(stuck, 6, 6);
    expect(out.slice(24, 32).every(Number.isNaN)).toBe(true);
    expect(out.filter(Number.isNaN)).toHaveLength(8);
    expect(out.slice(56, 61)).toEqual(new Array(5).fill(61.2));
    expect(markMissing(stuck, 6).filter(Number.isNaN)).toHaveLength(0); // generation: no stuck-run rule
  });

  it('keeps a quiet night on a coarse meter: one value within 50 steps of its resolution is not stuck', () => {
    // whole-number kWh; a night of 12 × 1 kWh is 1 step above zero, a day of 9 × 120 kWh 120 steps
    const coarse = [
      ...Array.from({ length: 24 }, (_, h) => 100 + h),
      ...new Array(12).fill(1),
      ...new Array(9).fill(120),
    ];
    const out = markMissing(coarse, 6, 6);
    expect(out.slice(24, 36)).toEqual(new Array(12).fill(1));
    expect(out.slice(36).every(Number.isNaN)).toBe(true);
    // a fill finer than the meter reports is stuck however small: 1.309 on a meter of tenths (BDG2 Robin, 72 h)
    const tenths = day.map((v) => Math.round(v * 10) / 10);
    expect(
      markMissing([...tenths, ...new Array(6).fill(1.3090000000000002)], 6, 6).filter(Number.isNaN),
    ).toHaveLength(6);
    // tenths: 0.4 is 4 steps
    expect(
      markMissing([...day.map((v) => Math.round(v * 10) / 10), ...new Array(18).fill(0.4)], 6, 6),
    ).not.toContain(Number.NaN);
  });

  it('reads a meter’s resolution from the decimals its values need, ignoring float noise', () => {
    expect(valueResolution([1, 2, 30])).toBe(1);
    expect(valueResolution([0.5, 1.25, 2.1])).toBeCloseTo(0.01, 12);
    expect(valueResolution([426.24800000000016, 1.3090000000000002, 0.4])).toBeCloseTo(0.001, 12);
    expect(valueResolution([0, Number.NaN])).toBe(1);
  });
});

describe('solar features', () => {
  it('is zero at night and peaks near solar noon', () => {
    const starts = Array.from({ length: 24 }, (_, h) => Date.UTC(2017, 5, 21, h));
    const f = solarFeatures(starts, 60, 39.74, -105.18, 1830);
    // local solar noon in Golden ≈ 19:00 UTC
    const peak = Array.from(f.clearSkyGhiWm2).indexOf(Math.max(...f.clearSkyGhiWm2));
    expect([18, 19]).toContain(peak);
    expect(f.clearSkyGhiWm2[8]).toBe(0);
    expect(f.cosZenith[8]).toBe(0);
  });
});
