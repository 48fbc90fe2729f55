import {
  alignWeather,
  weatherRowPeriodMs,
  clearSkyPoaShape,
  dailyClearness,
  ghiFromCloudCover,
  hourlyMeans,
  nextLocalMidnight,
  scoreRenewable,
  smartPersistence,
} from './renewables';
import { clearSkyAt, poaIsotropic } from './solar';

const H = 3_600_000;
const golden = { latitudeDeg: 39.7406, longitudeDeg: -105.1775, altitudeM: 0, tiltDeg: 45, azimuthDeg: 158 };

describe('renewable forecast helpers', () => {
  it('gives the clear-sky plane-of-array shape as the mean of three instants in the interval, exactly 0 at night', () => {
    const noon = Date.UTC(2012, 5, 21, 18, 45); // a 15-minute interval around solar noon in Golden
    const [shape] = clearSkyPoaShape([noon], 15, golden);
    const expected =
      [noon + 3.75 * 60_000, noon + 7.5 * 60_000, noon + 11.25 * 60_000] // a quarter, half and three quarters in
        .map((t) => {
          const sky = clearSkyAt(t, golden.latitudeDeg, golden.longitudeDeg, 0);
          return poaIsotropic({
            tiltDeg: 45,
            surfaceAzimuthDeg: 158,
            sunZenithDeg: sky.position.zenithDeg,
            sunAzimuthDeg: sky.position.azimuthDeg,
            dniWm2: sky.dniWm2,
            ghiWm2: sky.ghiWm2,
            dhiWm2: sky.dhiWm2,
          }).poaWm2;
        })
        .reduce((a, b) => a + b, 0) /
      3 /
      1000;
    expect(shape).toBeCloseTo(expected, 12);
    expect(shape).toBeGreaterThan(0.8);
    expect(clearSkyPoaShape([Date.UTC(2012, 5, 21, 8)], 60, golden)).toEqual([0]); // 02:00 MDT
  });

  it('turns cloud cover into GHI with Kasten–Czeplak', () => {
    expect(ghiFromCloudCover(800, 0)).toBe(800);
    expect(ghiFromCloudCover(800, 100)).toBeCloseTo(200, 10);
    expect(ghiFromCloudCover(800, 50)).toBeCloseTo(800 * (1 - 0.75 * 0.5 ** 3.4), 10);
  });

  it('aligns hourly weather with 15-minute intervals and half-hourly weather with hours', () => {
    const t0 = Date.UTC(2024, 0, 1);
    const row = (ms: number, v: number) => ({
      ts: new Date(ms),
      temperatureC: null,
      ghiWM2: v,
      cloudCoverPct: null,
      windSpeedMS: null,
    });
    const hourly = [row(t0, 100), row(t0 + H, 200)];
    expect(alignWeather(hourly, 'ghiWM2', t0, 15, 9)).toEqual([
      100,
      100,
      100,
      100,
      200,
      200,
      200,
      200,
      Number.NaN,
    ]);
    const halfHourly = [row(t0, 100), row(t0 + H / 2, 300), row(t0 + H, 50)];
    expect(alignWeather(halfHourly, 'ghiWM2', t0, 60, 2)).toEqual([200, 50]);
    expect(alignWeather(halfHourly, 'windSpeedMS', t0, 60, 2)).toEqual([Number.NaN, Number.NaN]);
  });

  it('gives each 15-minute interval the half hour of half-hourly weather that holds it, not the hour’s mean', () => {
    const t0 = Date.UTC(2024, 6, 1, 10);
    const row = (ms: number, v: number | null) => ({
      ts: new Date(ms),
      temperatureC: null,
      ghiWM2: v,
      cloudCoverPct: null,
      windSpeedMS: null,
    });
    const halfHourly = [row(t0, 400), row(t0 + H / 2, 600), row(t0 + H, 800)];
    expect(halfHourly.map((_, i) => weatherRowPeriodMs(halfHourly, i))).toEqual([H / 2, H / 2, H / 2]);
    // 10:00 and 10:15 lie in the 10:00 half hour, 10:30 and 10:45 in the 10:30 one (the hour's mean would be 500)
    expect(alignWeather(halfHourly, 'ghiWM2', t0, 15, 6)).toEqual([400, 400, 600, 600, 800, 800]);
    // rows on the half hour: an hour takes the two halves it overlaps, weighted by the overlap
    const offset = [row(t0 - H / 2, 100), row(t0 + H / 2, 300), row(t0 + (3 * H) / 2, 500)];
    expect(alignWeather(offset, 'ghiWM2', t0, 60, 2)).toEqual([200, 400]);
    // a missing value: the half that has one
    const gap = [row(t0, 400), row(t0 + H / 2, null), row(t0 + H, 800)];
    expect(alignWeather(gap, 'ghiWM2', t0, 60, 2)).toEqual([400, 800]);
    // rows far apart stand for an hour each, not for the gap between them
    const sparse = [row(t0, 100), row(t0 + 24 * H, 200)];
    expect(weatherRowPeriodMs(sparse, 0)).toBe(H);
    expect(alignWeather(sparse, 'ghiWM2', t0, 60, 3)).toEqual([100, Number.NaN, Number.NaN]);
    // a missing half-hour row: the row before it stands for the hour up to the next one, as periodStartRows reads it
    const missing = [row(t0, 400), row(t0 + H, 800), row(t0 + (3 * H) / 2, 900)];
    expect(missing.map((_, i) => weatherRowPeriodMs(missing, i))).toEqual([H, H / 2, H / 2]);
    expect(alignWeather(missing, 'ghiWM2', t0, 15, 8)).toEqual([400, 400, 400, 400, 800, 800, 900, 900]);
    // rows out of order are read in time order
    expect(alignWeather([...halfHourly].reverse(), 'ghiWM2', t0, 15, 6)).toEqual([
      400, 400, 600, 600, 800, 800,
    ]);
  });

  it('averages sub-hourly values into whole hours, NaN when one is missing', () => {
    const start = Date.UTC(2024, 0, 1, 0, 30); // starts mid-hour: the first two quarters are dropped
    expect(hourlyMeans([9, 9, 1, 2, 3, 4, 5, Number.NaN, 7, 8], start, 15)).toEqual({
      startMs: Date.UTC(2024, 0, 1, 1),
      values: [2.5, Number.NaN],
    });
  });

  it('persists the last complete day’s clearness index with bands from the last 14 days', () => {
    // 20 days of a constant clear-sky shape (1 at 10:00–14:00 UTC): output = k_d × shape.
    const days = 20;
    const startMs = Date.UTC(2024, 5, 1);
    const shape = Array.from({ length: days * 24 }, (_, i) => (i % 24 >= 10 && i % 24 < 14 ? 1 : 0));
    const k = Array.from({ length: days }, (_, d) => 0.3 + 0.03 * d);
    const output = shape.map((s, i) => s * k[Math.floor(i / 24)]);
    output[19 * 24 + 11] = Number.NaN; // the last day misses a quarter of its clear-sky energy: incomplete
    const clearness = dailyClearness(output, shape, startMs, 60, 'UTC');
    expect(clearness.map((c) => c.index)).toEqual(k.slice(0, 19).map((v) => expect.closeTo(v, 12)));
    const origin = startMs + days * 24 * H;
    const sp = smartPersistence(clearness, origin, [0, 0.5, 1])!;
    expect(sp.dayStartMs).toBe(startMs + 18 * 24 * H);
    expect(sp.p50).toEqual([0, expect.closeTo(0.5 * k[18], 12), expect.closeTo(k[18], 12)]);
    // P10/P90 of the 14 days 5…18 (0.45 … 0.84): the last day is the top, so P90 = P50.
    expect(sp.p10[2]).toBeCloseTo(0.45 + 0.1 * 13 * 0.03, 12);
    expect(sp.p90[2]).toBeCloseTo(k[18], 12);
    expect(sp.bandDays).toBe(14);
    expect(smartPersistence(clearness, startMs, [1])).toBeNull();
  });

  it('scores in kWh with the pinball loss over P10/P50/P90 and capacity-normalised MAE', () => {
    const s = scoreRenewable([1, 3], { p10: [0, 1], p50: [2, 2], p90: [3, 4] }, 10);
    expect(s.mae).toBe(1);
    expect(s.nmae).toBe(0.1);
    expect(s.coverageP10P90).toBe(1);
    // pinball: y=1: (0.1·1 + 0.5·1 + 0.1·2)/3; y=3: (0.1·2 + 0.5·1 + 0.1·1)/3
    expect(s.pinball).toBeCloseTo((0.8 / 3 + 0.8 / 3) / 2, 12);
  });

  it('finds local midnights across a clock change', () => {
    const start = Date.UTC(2024, 2, 30, 12); // London, the day before the spring change
    expect(nextLocalMidnight(start, 0, 48, 'Europe/London')).toBe(12); // 2024-03-31 00:00 GMT
    expect(nextLocalMidnight(start, 13, 48, 'Europe/London')).toBe(35); // 2024-04-01 00:00 BST = 23:00 UTC
    expect(nextLocalMidnight(start, 36, 48, 'Europe/London')).toBe(48);
  });
});
