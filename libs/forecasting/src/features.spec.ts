import {
  buildLoadFeatures,
  calendarInfo,
  dayAheadPoints,
  hourOfWeek,
  loadFeatureNames,
  recentLoad,
  solarFeatures,
} from './features';
import { MeterSeries, lagBeforeOrigin, markMissing } from './series';

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
