import {
  MIN_PV_CALIBRATION_POINTS,
  PV_CALIBRATION_TAIL,
  PvPastWindow,
  applyPvBandCalibration,
  calibrationDays,
  fitPvBandCalibration,
  pvCalibrationReason,
  pvPastWindow,
} from './pv-band-calibration';
import { WeatherRowLike } from './renewables';

const HOUR_MS = 3_600_000;

/** A past window whose every interval is a calibration point (the geometry is not needed for these tests). */
function window(actual: number[]): PvPastWindow {
  const starts = actual.map((_, i) => i * HOUR_MS);
  return {
    startMs: 0,
    intervalMinutes: 60,
    starts,
    actual,
    input: { values: actual.map(() => 500), fromCloud: 0, temperatureC: actual.map(() => 10) },
    points: actual.map((_, i) => i),
  };
}

describe('fitPvBandCalibration', () => {
  it('gives each tail the ⌈(n + 1)·(1 − 0.06)⌉-th smallest score, normalised by its own half-width', () => {
    // 100 points, y = 0.5 + (j − 50)/100; P50 0.5, P10 0.45 (half-width 0.05), P90 0.7 (0.2).
    // k = ⌈101 × 0.94⌉ = 95. Lower scores (0.5 − y)/0.05 = (50 − j)/5: the 95th smallest is (−49 + 94)/5 = 9.
    // Upper scores (y − 0.5)/0.2 = (j − 50)/20: the 95th smallest is (−50 + 94)/20 = 2.2.
    expect(PV_CALIBRATION_TAIL).toBe(0.06);
    const y = Array.from({ length: 100 }, (_, j) => 0.5 + (j - 50) / 100);
    const f = { p10: y.map(() => 0.45), p50: y.map(() => 0.5), p90: y.map(() => 0.7) };
    const c = fitPvBandCalibration(window(y), f);
    expect(c.points).toBe(100);
    expect(c.lowerFactor).toBeCloseTo(9, 9);
    expect(c.upperFactor).toBeCloseTo(2.2, 9);
  });

  it('divides by 0.1 % of the mean reading where the band has no width, and never goes below 0', () => {
    // Zero-width bands at 0.2, y = 0.2 + 0.0001·j: mean 0.20495, floor 0.00020495; the 95th smallest
    // upper score is j = 94's, 0.0094 / 0.00020495; the lower scores are ≤ 0 → 0.
    const y = Array.from({ length: 100 }, (_, j) => 0.2 + 0.0001 * j);
    const f = { p10: y.map(() => 0.2), p50: y.map(() => 0.2), p90: y.map(() => 0.2) };
    const c = fitPvBandCalibration(window(y), f);
    expect(c.upperFactor).toBeCloseTo(0.0094 / 0.00020495, 6);
    expect(c.lowerFactor).toBe(0);
  });

  it('only scores the window’s points, and leaves the band alone (factors 1) below the minimum', () => {
    const y = Array.from({ length: 200 }, () => 0.9);
    const f = { p10: y.map(() => 0.4), p50: y.map(() => 0.5), p90: y.map(() => 0.6) };
    const few = { ...window(y), points: y.map((_, i) => i).slice(0, MIN_PV_CALIBRATION_POINTS - 1) };
    expect(fitPvBandCalibration(few, f)).toEqual({
      lowerFactor: 1,
      upperFactor: 1,
      points: MIN_PV_CALIBRATION_POINTS - 1,
    });
    // Upper scores (0.9 − 0.5)/0.1 = 4 on every point of a large enough window.
    const enough = { ...window(y), points: y.map((_, i) => i).slice(0, MIN_PV_CALIBRATION_POINTS) };
    const c = fitPvBandCalibration(enough, f);
    expect(c.points).toBe(MIN_PV_CALIBRATION_POINTS);
    expect(c.upperFactor).toBeCloseTo(4, 9);
  });
});

describe('applyPvBandCalibration', () => {
  it('rescales the band around P50 on the given intervals only, clipped to [0, 1.05]', () => {
    const f = { p10: [0.1, 0.2, 0.7, 0.3], p50: [0.2, 0.3, 0.9, 0.3], p90: [0.3, 0.5, 1.0, 0.3] };
    const out = applyPvBandCalibration(f, { lowerFactor: 3, upperFactor: 2, points: 100 }, [0, 2]);
    // 0: 0.2 − 3·0.1 = −0.1 → 0; 0.2 + 2·0.1 = 0.4. 2: 0.9 − 3·0.2 = 0.3; 0.9 + 2·0.1 = 1.1 → 1.05.
    expect(out.p10[0]).toBe(0);
    expect(out.p90[0]).toBeCloseTo(0.4, 12);
    expect(out.p10[2]).toBeCloseTo(0.3, 12);
    expect(out.p90[2]).toBe(1.05);
    expect([out.p10[1], out.p90[1], out.p10[3], out.p90[3]]).toEqual([0.2, 0.5, 0.3, 0.3]);
    expect(out.p50).toEqual(f.p50);
    expect(f.p10).toEqual([0.1, 0.2, 0.7, 0.3]);
  });
});

describe('pvPastWindow', () => {
  // Golden CO, two days of hourly readings from 2012-06-01 00:00 MDT (06:00 UTC).
  const g = { latitudeDeg: 39.74, longitudeDeg: -105.18, tiltDeg: 0, azimuthDeg: 180 };
  const startMs = Date.parse('2012-06-01T06:00:00Z');
  const fractions = Array.from({ length: 48 }, () => 0.3);
  const weather: WeatherRowLike[] = fractions.map((_, i) => ({
    ts: new Date(startMs + i * HOUR_MS),
    ghiWM2: 400,
    temperatureC: 20,
    cloudCoverPct: null,
    windSpeedMS: null,
  }));

  it('keeps the daylight intervals with a reading and an irradiance value', () => {
    const noon = 12; // 12:00 MDT of the first day
    const y = [...fractions];
    y[noon + 1] = Number.NaN;
    const w = pvPastWindow(
      g,
      60,
      startMs,
      y,
      weather.filter((_, i) => i !== noon + 2),
    );
    expect(w.starts[noon]).toBe(Date.parse('2012-06-01T18:00:00Z'));
    expect(w.points).toContain(noon);
    expect(w.points).not.toContain(noon + 1); // no reading
    expect(w.points).not.toContain(noon + 2); // no irradiance
    expect(w.points).not.toContain(0); // midnight
    expect(w.points).not.toContain(24);
    expect(w.points).toContain(24 + noon);
    expect(calibrationDays(w)).toBe(2);
  });

  it('says in the reason how many days and intervals the band was calibrated on, or why not', () => {
    const w = pvPastWindow(g, 60, startMs, fractions, weather);
    expect(pvCalibrationReason(w, { lowerFactor: 1.234, upperFactor: 0.5, points: 120 })).toBe(
      "; P10–P90 calibrated on the last 2 days (split-conformal: each side fitted to miss 6 % of the model's forecasts of 120 daylight intervals of them): P50 − P10 × 1.23, P90 − P50 × 0.50",
    );
    expect(pvCalibrationReason(w, { lowerFactor: 1, upperFactor: 1, points: 30 })).toMatch(
      /not calibrated: 30 daylight intervals with readings and irradiance in the last 28 days, 96 needed/,
    );
  });
});
