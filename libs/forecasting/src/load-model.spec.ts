import * as tf from '@tensorflow/tfjs';
import { initTfBackend } from './backend';
import { backtestDayAhead, testPoints } from './backtest';
import {
  RECENT_LOAD_REGRESSION_COLUMNS,
  fitRecentLoadRegression,
  predictRecentLoadRegression,
} from './baselines';
import {
  DEFAULT_RECENT_ERROR_CORRECTION,
  RecentErrorCorrection,
  errorCorrectionShifts,
  errorHistoryPoints,
} from './error-correction';
import { ForecastPoint, buildLoadFeatures, calendarInfo, dayAheadPoints } from './features';
import { deserializeGbm, predictGbm } from './gradient-boosting';
import { meterScale } from './series';
import { ForecastModelEntity } from './entities/forecasting.entities';
import { forecastLoad } from './load-forecast';
import { LoadModel, LoadModelArtifact, trainLoadModel } from './load-model';
import { ROLLING_CALIBRATION_MIN_DAYS, ROLLING_CALIBRATION_MODEL_MIN_DAYS } from './rolling-calibration';
import { loadFixtureSeries } from './testing/fixture';

// Tiny, fast settings: the full defaults are exercised by test/bench/forecast.ts.
const quick = { epochs: 12, hiddenUnits: [16], timeBudgetSeconds: 20 };
const HOUR_MS = 3_600_000;

describe('load model on a real six-week slice (BDG2 Bear_education_Alvaro)', () => {
  const series = loadFixtureSeries();
  const testStart = 24 * 35; // 5 weeks train, last week backtested day-ahead

  beforeAll(async () => {
    await initTfBackend();
  });

  it('trains, orders its quantiles, covers sensibly and beats seasonal naive', async () => {
    const { model, metrics } = await trainLoadModel(series, { trainEnd: testStart, hyperParameters: quick });
    try {
      expect(metrics.trainingRows).toBeGreaterThan(500);
      const result = backtestDayAhead(series, { testStart, model });
      expect(result.days).toBe(7);
      const m = result.model!;
      expect(m.coverageP10P90).toBeGreaterThan(0.4);
      expect(m.coverageP10P90).toBeLessThanOrEqual(1);
      expect(m.cvRmse).toBeLessThan(result.baselines.seasonalNaive.cvRmse);
      const f = model.forecast(series, 168);
      expect(f.p50).toHaveLength(168);
      for (let i = 0; i < 168; i++) {
        expect(f.p10[i]).toBeLessThanOrEqual(f.p50[i]);
        expect(f.p50[i]).toBeLessThanOrEqual(f.p90[i]);
      }
    } finally {
      model.dispose();
    }
  }, 60_000);

  it('round-trips its artifact through JSON with identical predictions, and fine-tunes from it', async () => {
    const { model, artifact } = await trainLoadModel(series, {
      trainEnd: testStart,
      hyperParameters: { ...quick, epochs: 3 },
    });
    const json = JSON.parse(JSON.stringify(artifact)) as LoadModelArtifact;
    expect(json.networks[0].weightDataBase64.length).toBeGreaterThan(100);
    const restored = await LoadModel.fromArtifact(json);
    try {
      const a = model.forecast(series, 48);
      const b = restored.forecast(series, 48);
      expect(b.p50).toEqual(a.p50);
      expect(b.p90).toEqual(a.p90);
      const tuned = await trainLoadModel(series, { initialArtifact: json, hyperParameters: { epochs: 2 } });
      expect(tuned.artifact.featureNames).toEqual(json.featureNames);
      tuned.model.dispose();
    } finally {
      model.dispose();
      restored.dispose();
    }
  }, 60_000);

  it('keeps the band from training until ROLLING_CALIBRATION_MODEL_MIN_DAYS days of forecasts since its fit', async () => {
    // trained on 28 days; the forecast issued 3 days after trainedTo keeps the model's own band, 4 days after
    // it the band is recalibrated on those 4 days' day-ahead errors (baselines start at 2 days)
    expect(ROLLING_CALIBRATION_MODEL_MIN_DAYS).toBe(4);
    expect(ROLLING_CALIBRATION_MIN_DAYS).toBe(2);
    const trainEnd = 24 * 28;
    const { model, artifact } = await trainLoadModel(series, {
      trainEnd,
      hyperParameters: { ...quick, epochs: 3 },
    });
    const active = {
      method: 'model',
      version: 1,
      reason: 'test model',
      artifact,
    } as unknown as ForecastModelEntity;
    const issue = async (days: number) => {
      const upTo = { ...series, valuesKwh: series.valuesKwh.slice(0, trainEnd + 24 * days) };
      const made = await forecastLoad({
        series: upTo,
        steps: 24,
        originMs: upTo.startMs + upTo.valuesKwh.length * HOUR_MS,
        historyDays: upTo.valuesKwh.length / 24,
        active,
        generic: () => null,
      });
      return { made: made!, raw: model.forecast(upTo, 24) };
    };
    try {
      const three = await issue(3);
      expect(three.made.view.reason).toMatch(/from the calibration at training \(under 4 days of forecasts/);
      expect(three.made.result.p90).toEqual(three.raw.p90);
      expect(three.made.result.p10).toEqual(three.raw.p10);
      const four = await issue(4);
      expect(four.made.view.reason).toMatch(
        /recalibrated on this method's day-ahead errors of the 4 days since its fit/,
      );
      expect(four.made.result.p50).toEqual(four.raw.p50);
      expect(four.made.result.p90).not.toEqual(four.raw.p90);
    } finally {
      model.dispose();
    }
  }, 60_000);

  it('blends the linear and tree members into the median by their weights, keeping the band width', async () => {
    const { model, artifact } = await trainLoadModel(series, {
      trainEnd: testStart,
      hyperParameters: { ...quick, epochs: 3, linearWeight: 0, treeWeight: 0 },
    });
    model.dispose();
    expect(artifact.linearCoefficients).toBeUndefined();
    expect(artifact.trees).toBeUndefined();
    const trained = await trainLoadModel(series, {
      trainEnd: testStart,
      hyperParameters: { ...quick, epochs: 3, linearWeight: 0.2, treeWeight: 0.4 },
    });
    trained.model.dispose();
    const blended = trained.artifact;
    expect(blended.linearCoefficients).toHaveLength(RECENT_LOAD_REGRESSION_COLUMNS);
    expect(trained.metrics.trees).toBeGreaterThan(0);
    const calendar = calendarInfo(series, series.valuesKwh.length);
    const points = testPoints(series, calendar, testStart, series.valuesKwh.length);
    const scale = meterScale(series.valuesKwh.slice(0, testStart));
    // the regression alone, fitted independently through the baseline's code path on the same days
    const trainPoints = dayAheadPoints(calendar, 0, testStart, series.valuesKwh.length).filter(
      (p) => p.target < testStart,
    );
    const linear = predictRecentLoadRegression(
      fitRecentLoadRegression(series, calendar, trainPoints, scale),
      series,
      calendar,
      points,
      scale,
    );
    // the trees alone: ratios to the week before each origin, times that level
    const features = buildLoadFeatures(series, calendar, points, {
      useTemperature: false,
      fallbackLevelKwh: scale,
      normaliseBy: 'recentLevel',
    });
    const treeRatios = predictGbm(deserializeGbm(blended.trees!), features.x, features.rows);
    const trees = Array.from(treeRatios, (v, i) => v * features.levelKwh[i]);
    const as = async (linearWeight: number, treeWeight: number) => {
      const m = await LoadModel.fromArtifact({
        ...blended,
        hyperParameters: {
          ...blended.hyperParameters,
          linearWeight,
          treeWeight,
          residualCorrection: 0,
          recentErrorCorrection: undefined,
        },
      });
      try {
        return m.predictPoints(series, calendar, points);
      } finally {
        m.dispose();
      }
    };
    const [nets, lin, tree, mix] = [await as(0, 0), await as(1, 0), await as(0, 1), await as(0.2, 0.4)];
    let checked = 0;
    for (let i = 0; i < points.length; i += 7) {
      if (nets.p10[i] <= 0 || lin.p10[i] <= 0 || tree.p10[i] <= 0 || mix.p10[i] <= 0) continue; // clipped at zero
      checked++;
      expect(lin.p50[i]).toBeCloseTo(linear[i], 6);
      expect(tree.p50[i]).toBeCloseTo(trees[i], 6);
      expect(mix.p50[i]).toBeCloseTo(0.4 * nets.p50[i] + 0.2 * linear[i] + 0.4 * trees[i], 6);
      expect(mix.p90[i] - mix.p50[i]).toBeCloseTo(nets.p90[i] - nets.p50[i], 6);
      expect(mix.p50[i] - mix.p10[i]).toBeCloseTo(nets.p50[i] - nets.p10[i], 6);
    }
    expect(checked).toBeGreaterThan(10);
  }, 60_000);

  it('adds a share of its own error on the day before the origin to the first day after it', async () => {
    const { model, artifact } = await trainLoadModel(series, {
      trainEnd: testStart,
      hyperParameters: { ...quick, epochs: 3 },
    });
    model.dispose();
    expect(artifact.hyperParameters.residualCorrection).toBe(0.2);
    const calendar = calendarInfo(series, series.valuesKwh.length);
    const as = async (residualCorrection: number, points: ForecastPoint[]) => {
      const m = await LoadModel.fromArtifact({
        ...artifact,
        hyperParameters: {
          ...artifact.hyperParameters,
          residualCorrection,
          recentErrorCorrection: undefined,
        },
      });
      try {
        return m.predictPoints(series, calendar, points);
      } finally {
        m.dispose();
      }
    };
    // a forecast issued at the start of the second test day, for three days
    const origin = testStart + 24;
    const points = Array.from({ length: 72 }, (_, i) => ({ target: origin + i, origin }));
    // the uncorrected model's forecast of the day before, issued at that day's start
    const dayBefore = Array.from({ length: 24 }, (_, i) => ({
      target: origin - 24 + i,
      origin: origin - 24,
    }));
    const before = (await as(0, dayBefore)).p50;
    const error = dayBefore.reduce((a, p, i) => a + series.valuesKwh[p.target] - before[i], 0) / 24;
    expect(Math.abs(error)).toBeGreaterThan(0);
    const [plain, half] = [await as(0, points), await as(0.5, points)];
    for (let i = 0; i < 72; i++) {
      if (plain.p10[i] <= 0 || half.p10[i] <= 0) continue; // clipped at zero
      // the first day moves by half the error, band and all; the later days do not move
      const shift = i < 24 ? 0.5 * error : 0;
      expect(half.p50[i]).toBeCloseTo(plain.p50[i] + shift, 6);
      expect(half.p10[i]).toBeCloseTo(plain.p10[i] + shift, 6);
      expect(half.p90[i]).toBeCloseTo(plain.p90[i] + shift, 6);
    }
    // an origin with less than a day of history is not corrected
    const first = [{ target: 10, origin: 10 }];
    expect((await as(0.5, first)).p50).toEqual((await as(0, first)).p50);
  }, 60_000);

  it('shifts every interval by its recent same-hour errors, as errorCorrectionShifts computes them', async () => {
    const { model, artifact } = await trainLoadModel(series, {
      trainEnd: testStart,
      hyperParameters: { ...quick, epochs: 3 },
    });
    model.dispose();
    expect(artifact.hyperParameters.recentErrorCorrection).toEqual(DEFAULT_RECENT_ERROR_CORRECTION);
    const calendar = calendarInfo(series, series.valuesKwh.length);
    const recent = { weeks: 2, days: 5, pseudoCount: 1, weekShare: 0.5, dayShare: 0.3 };
    const as = async (recentErrorCorrection: RecentErrorCorrection | undefined, points: ForecastPoint[]) => {
      const m = await LoadModel.fromArtifact({
        ...artifact,
        hyperParameters: { ...artifact.hyperParameters, residualCorrection: 0, recentErrorCorrection },
      });
      try {
        return m.predictPoints(series, calendar, points);
      } finally {
        m.dispose();
      }
    };
    // a two-day forecast issued at a test day's start
    const origin = testStart + 5 * 24;
    const points = Array.from({ length: 48 }, (_, i) => ({ target: origin + i, origin }));
    const history = errorHistoryPoints(series.valuesKwh, points, 24, 14);
    const plainAll = (await as(undefined, points.concat(history.extra))).p50;
    const shifts = errorCorrectionShifts(series.valuesKwh, points, plainAll, history, 24, {
      residualCorrection: 0,
      recent,
    });
    expect(shifts.some((v) => Math.abs(v) > 1e-6)).toBe(true);
    const corrected = await as(recent, points);
    for (let i = 0; i < 48; i++) {
      if (corrected.p10[i] <= 0 || plainAll[i] <= 0) continue; // clipped at zero
      expect(corrected.p50[i]).toBeCloseTo(plainAll[i] + shifts[i], 6);
    }
  }, 60_000);

  it('keeps tf.memory() flat across repeated train + predict', async () => {
    const cycle = async (): Promise<void> => {
      const { model } = await trainLoadModel(series, {
        trainEnd: testStart,
        hyperParameters: { ...quick, epochs: 2 },
      });
      model.forecast(series, 24);
      model.dispose();
    };
    await cycle();
    const before = tf.memory().numTensors;
    await cycle();
    await cycle();
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);
});
