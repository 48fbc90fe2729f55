import * as fs from 'node:fs';
import * as path from 'node:path';
import { initTfBackend } from './backend';
import { testPoints } from './backtest';
import { ForecastModelEntity } from './entities/forecasting.entities';
import { LEGACY_TEMPERATURE_FEATURES, TEMPERATURE_FEATURES, calendarInfo } from './features';
import { forecastLoad } from './load-forecast';
import { LoadModel, LoadModelArtifact, trainLoadModel } from './load-model';
import { loadWeatherFixtureSeries } from './testing/weather-fixture';

// Tiny, fast settings: the full defaults are exercised by test/bench/forecast.ts.
const quick = { epochs: 4, hiddenUnits: [16], timeBudgetSeconds: 20, calibrationDays: 7 };

describe('load model with temperature (real six-week Phoenix office slice, BDG1 Office_Abigail)', () => {
  const series = loadWeatherFixtureSeries();
  const testStart = 24 * 35;
  const n = series.valuesKwh.length;
  let artifact: LoadModelArtifact;

  beforeAll(async () => {
    await initTfBackend();
    const trained = await trainLoadModel(series, { trainEnd: testStart, hyperParameters: quick });
    trained.model.dispose();
    artifact = trained.artifact;
  }, 60_000);

  it('trains on current, lagged, degree-hour and horizon temperature features; a site without temperature trains without them', async () => {
    expect(artifact.useTemperature).toBe(true);
    expect(artifact.featureNames.slice(-TEMPERATURE_FEATURES.length)).toEqual([...TEMPERATURE_FEATURES]);
    const { temperatureC: _, ...withoutWeather } = series;
    const plain = await trainLoadModel(withoutWeather, {
      trainEnd: testStart,
      hyperParameters: { ...quick, epochs: 1 },
    });
    plain.model.dispose();
    expect(plain.artifact.useTemperature).toBe(false);
    expect(plain.artifact.featureNames.some((f) => f.startsWith('temp'))).toBe(false);
  }, 60_000);

  it('forecasts hours without a temperature forecast from yesterday’s temperature, not a constant', async () => {
    const history = { ...series, valuesKwh: series.valuesKwh.slice(0, testStart) };
    history.temperatureC = series.temperatureC!.slice(0, testStart);
    // yesterday's temperature at the same hour, worked out here from the history
    const yesterday = Array.from({ length: 48 }, (_, i) => history.temperatureC![testStart - 24 + (i % 24)]);
    const model = await LoadModel.fromArtifact(artifact);
    try {
      const none = model.forecast(history, 48);
      const persisted = model.forecast(history, 48, yesterday);
      const constant = model.forecast(history, 48, new Array<number>(48).fill(15));
      const measured = model.forecast(history, 48, series.temperatureC!.slice(testStart, testStart + 48));
      expect(none.p50).toEqual(persisted.p50);
      expect(none.p50).not.toEqual(constant.p50);
      expect(measured.p50).not.toEqual(persisted.p50);
      // a partial forecast: the given hours are used, the rest persisted
      const partial = [
        ...yesterday.slice(0, 24).map((t) => t + 5),
        ...new Array<number>(24).fill(Number.NaN),
      ];
      const filled = [...partial.slice(0, 24), ...yesterday.slice(24)];
      expect(model.forecast(history, 48, partial).p50).toEqual(model.forecast(history, 48, filled).p50);
    } finally {
      model.dispose();
    }
  }, 60_000);

  it('names the persistence in the forecast’s reason when the site has no temperature forecast', async () => {
    const history = {
      ...series,
      valuesKwh: series.valuesKwh.slice(0, testStart),
      temperatureC: series.temperatureC!.slice(0, testStart),
    };
    const active = {
      method: 'model',
      version: 3,
      reason: 'per-meter model beats every baseline over 7 backtest days',
      artifact,
    } as unknown as ForecastModelEntity;
    const ask = (horizonTemperatureC?: (number | null)[]) =>
      forecastLoad({
        series: history,
        steps: 48,
        originMs: series.startMs + testStart * 3_600_000,
        historyDays: 35,
        active,
        generic: () => null,
        horizonTemperatureC,
      });
    const none = (await ask())!;
    expect(none.view.method).toBe('model');
    expect(none.view.reason).toContain('per-meter model beats every baseline');
    expect(none.view.reason).toContain(
      "no temperature forecast for the horizon: yesterday's temperature at the same hour persisted for 48",
    );
    expect(none.result.p50).toHaveLength(48);
    expect(none.result.p50.every(Number.isFinite)).toBe(true);
    const half = (await ask([
      ...series.temperatureC!.slice(testStart, testStart + 12),
      ...new Array(36).fill(null),
    ]))!;
    expect(half.view.reason).toContain('a temperature forecast for 12 of 48 intervals');
    expect(half.view.reason).toContain('persisted for 36');
    const full = (await ask(series.temperatureC!.slice(testStart, testStart + 48)))!;
    expect(full.view.reason).toContain("temperature: the site's weather forecast");
    expect(full.view.reason).not.toContain('persisted');
    // no model yet: the CalTRACK-style baseline with temperature says the same
    const baseline = (await forecastLoad({
      series: history,
      steps: 48,
      originMs: series.startMs + testStart * 3_600_000,
      historyDays: 35,
      active: null,
      generic: () => null,
    }))!;
    expect(baseline.view.baseline).toBe('hourOfWeekTemperature');
    expect(baseline.view.reason).toContain('persisted for 48');
  }, 60_000);

  it('still loads and forecasts an artifact of the older temperature feature set, as that code did', async () => {
    const stored = JSON.parse(
      fs.readFileSync(path.join(__dirname, '__fixtures__', 'load-model-v1-temperature.json'), 'utf8'),
    ) as { artifact: LoadModelArtifact; testStart: number; p10: number[]; p50: number[]; p90: number[] };
    expect(stored.artifact.featureNames.slice(-4)).toEqual([...LEGACY_TEMPERATURE_FEATURES]);
    const model = await LoadModel.fromArtifact(stored.artifact);
    try {
      const calendar = calendarInfo(series, n);
      const points = testPoints(series, calendar, stored.testStart, n);
      const q = model.predictPoints(series, calendar, points);
      expect(q.p50).toHaveLength(stored.p50.length);
      for (let i = 0; i < q.p50.length; i++) {
        expect(q.p10[i]).toBeCloseTo(stored.p10[i], 4);
        expect(q.p50[i]).toBeCloseTo(stored.p50[i], 4);
        expect(q.p90[i]).toBeCloseTo(stored.p90[i], 4);
      }
      const f = model.forecast(
        {
          ...series,
          valuesKwh: series.valuesKwh.slice(0, 900),
          temperatureC: series.temperatureC!.slice(0, 900),
        },
        24,
      );
      expect(f.p50.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    } finally {
      model.dispose();
    }
  }, 60_000);
});
