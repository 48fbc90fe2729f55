import { buildLoadFeatures, calendarInfo, loadFeatureNames } from './features';
import { MeterSeries } from './series';
import {
  LEGACY_TEMPERATURE_FEATURES,
  TEMPERATURE_FEATURES,
  degreeHours,
  horizonTemperatures,
  temperatureSeenFrom,
  writeTemperatureFeatures,
} from './temperature-features';

describe('degree-hours', () => {
  it('sums the degrees above (cooling) or below (heating) the base', () => {
    // 18, 22, 25, 19 over 20 °C: 0 + 2 + 5 + 0
    expect(degreeHours([18, 22, 25, 19], 20, 'cooling')).toBe(7);
    // 10, 12, 5, 15 under 12 °C: 2 + 0 + 7 + 0
    expect(degreeHours([10, 12, 5, 15], 12, 'heating')).toBe(9);
    expect(degreeHours([], 12, 'heating')).toBe(0);
  });
});

describe('temperature features', () => {
  // two days of history at 8 °C (index 40 missing), the third day (origin 48) forecast at 30 °C
  // except index 50, which has no forecast
  const temps: number[] = Array.from({ length: 72 }, (_, i) => (i < 48 ? 8 : 30));
  temps[40] = Number.NaN;
  temps[50] = Number.NaN;
  const point = { target: 53, origin: 48, lastDayIndex: 29 };
  const features = (mode: 'forecast' | 'persistence') => {
    const out = new Float32Array(TEMPERATURE_FEATURES.length);
    writeTemperatureFeatures(TEMPERATURE_FEATURES, temps, point, 24, mode, 15, out, 0);
    return Object.fromEntries(TEMPERATURE_FEATURES.map((n, i) => [n, out[i]]));
  };

  it('reads the forecast at the target, persists yesterday where it is missing, fills history gaps', () => {
    expect(temperatureSeenFrom(temps, 53, 48, 24, 'forecast', 15)).toBe(30);
    expect(temperatureSeenFrom(temps, 50, 48, 24, 'forecast', 15)).toBe(8); // index 26, yesterday
    expect(temperatureSeenFrom(temps, 53, 48, 24, 'persistence', 15)).toBe(8); // index 29
    expect(temperatureSeenFrom(temps, 40, 48, 24, 'forecast', 15)).toBe(8); // gap: index 16
    expect(temperatureSeenFrom([Number.NaN, Number.NaN], 1, 1, 24, 'forecast', 15)).toBe(15);
  });

  it('computes current, lagged and degree-hour features by hand', () => {
    const f = features('forecast');
    expect(f.temp).toBeCloseTo((30 - 15) / 10, 6);
    expect(f.cooling).toBeCloseTo((30 - 20) / 10, 6);
    expect(f.heating).toBeCloseTo(0, 6);
    expect(f.tempVsLastDay).toBeCloseTo((30 - 8) / 10, 6);
    // 3 h before the target is index 50: no forecast, yesterday's 8 °C
    expect(f.tempLag3h).toBeCloseTo((8 - 15) / 10, 6);
    // the 24 h ending at 53 (indices 30..53): 48, 49, 51, 52, 53 at 30 °C = 5 × 10 cooling degree-hours
    expect(f.coolingDegreeHours24h).toBeCloseTo(50 / 24 / 10, 6);
    // heating: 50 (8 °C) and 30..47 (8 °C, 40 filled with 8) = 19 × 4 degree-hours
    expect(f.heatingDegreeHours24h).toBeCloseTo(76 / 24 / 10, 6);
  });

  it('with persistence, the whole horizon is yesterday', () => {
    const f = features('persistence');
    expect(f.temp).toBeCloseTo((8 - 15) / 10, 6);
    expect(f.cooling).toBeCloseTo(0, 6);
    expect(f.heating).toBeCloseTo((12 - 8) / 10, 6);
    expect(f.tempVsLastDay).toBeCloseTo(0, 6);
    expect(f.coolingDegreeHours24h).toBeCloseTo(0, 6);
    expect(f.heatingDegreeHours24h).toBeCloseTo((24 * 4) / 24 / 10, 6);
  });

  it('builds the columns an artifact names: the legacy four or the current seven', () => {
    const series: MeterSeries = {
      startMs: Date.UTC(2017, 0, 2),
      intervalMinutes: 60,
      valuesKwh: Array.from({ length: 24 * 21 }, (_, i) => 10 + (i % 24)),
      timeZone: 'UTC',
      temperatureC: Array.from({ length: 24 * 21 }, (_, i) => 10 + 8 * Math.sin(i / 4)),
    };
    const calendar = calendarInfo(series, series.valuesKwh.length);
    const points = [{ target: 24 * 20 + 5, origin: 24 * 20 }];
    const options = { useTemperature: true, fallbackLevelKwh: 1 };
    const current = buildLoadFeatures(series, calendar, points, options);
    const legacy = buildLoadFeatures(series, calendar, points, {
      ...options,
      temperatureFeatures: [...loadFeatureNames(true, LEGACY_TEMPERATURE_FEATURES)],
    });
    expect(current.names.slice(-7)).toEqual([...TEMPERATURE_FEATURES]);
    expect(legacy.names).toEqual(loadFeatureNames(true, LEGACY_TEMPERATURE_FEATURES));
    expect(legacy.columns).toBe(current.columns - 3);
    // the shared columns are the same numbers
    expect(Array.from(legacy.x)).toEqual(Array.from(current.x.slice(0, legacy.columns)));
    const plain = buildLoadFeatures(series, calendar, points, { ...options, useTemperature: false });
    expect(plain.columns).toBe(legacy.columns - 4);
  });
});

describe('horizon temperatures', () => {
  const history = Array.from({ length: 48 }, (_, i) => i % 24);

  it('takes the forecast where given and yesterday at the same hour elsewhere, and counts both', () => {
    const forecast = Array.from({ length: 10 }, () => 40);
    const h = horizonTemperatures(history, 30, 24, forecast)!;
    expect(h.forecastSteps).toBe(10);
    expect(h.persistedSteps).toBe(20);
    expect(h.temperatureC[3]).toBe(40);
    expect(h.temperatureC[12]).toBe(12); // index 60 → 36, hour 12
    expect(h.temperatureC[26]).toBe(2); // index 74, two days ahead → 26, hour 2
    expect(horizonTemperatures(history, 5, 24)!.persistedSteps).toBe(5);
  });

  it('is null for a series without temperature', () => {
    expect(horizonTemperatures(undefined, 5, 24)).toBeNull();
    expect(horizonTemperatures([Number.NaN], 5, 24)).toBeNull();
  });
});
