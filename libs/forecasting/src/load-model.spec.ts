import * as tf from '@tensorflow/tfjs';
import { initTfBackend } from './backend';
import { backtestDayAhead, testPoints } from './backtest';
import { RECENT_LOAD_REGRESSION_COLUMNS, fitRecentLoadRegression, predictRecentLoadRegression } from './baselines';
import { calendarInfo, dayAheadPoints } from './features';
import { meterScale } from './series';
import { LoadModel, LoadModelArtifact, trainLoadModel } from './load-model';
import { loadFixtureSeries } from './testing/fixture';

// Tiny, fast settings: the full defaults are exercised by test/bench/forecast.ts.
const quick = { epochs: 12, hiddenUnits: [16], timeBudgetSeconds: 20 };

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
    const { model, artifact } = await trainLoadModel(series, { trainEnd: testStart, hyperParameters: { ...quick, epochs: 3 } });
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

  it('blends the linear member into the median by its weight, keeping the band width', async () => {
    const { model, artifact } = await trainLoadModel(series, { trainEnd: testStart, hyperParameters: { ...quick, epochs: 3, linearWeight: 0 } });
    model.dispose();
    expect(artifact.linearCoefficients).toBeUndefined();
    const { artifact: withLinear } = await trainLoadModel(series, { trainEnd: testStart, hyperParameters: { ...quick, epochs: 3, linearWeight: 0.4 } });
    expect(withLinear.linearCoefficients).toHaveLength(RECENT_LOAD_REGRESSION_COLUMNS);
    const calendar = calendarInfo(series, series.valuesKwh.length);
    const points = testPoints(series, calendar, testStart, series.valuesKwh.length);
    // the regression alone, fitted independently through the baseline's code path on the same days
    const trainPoints = dayAheadPoints(calendar, 0, testStart, series.valuesKwh.length).filter((p) => p.target < testStart);
    const beta = fitRecentLoadRegression(series, calendar, trainPoints, meterScale(series.valuesKwh.slice(0, testStart)));
    const linear = predictRecentLoadRegression(beta, series, calendar, points, meterScale(series.valuesKwh.slice(0, testStart)));
    const as = async (w: number) => {
      const m = await LoadModel.fromArtifact({ ...withLinear, hyperParameters: { ...withLinear.hyperParameters, linearWeight: w } });
      try {
        return m.predictPoints(series, calendar, points);
      } finally {
        m.dispose();
      }
    };
    const [nets, half, lin] = [await as(0), await as(0.5), await as(1)];
    for (let i = 0; i < points.length; i += 17) {
      if (nets.p10[i] <= 0 || lin.p10[i] <= 0) continue; // clipped at zero
      expect(lin.p50[i]).toBeCloseTo(Math.max(0, linear[i]), 6);
      expect(half.p50[i]).toBeCloseTo((nets.p50[i] + linear[i]) / 2, 6);
      expect(half.p90[i] - half.p50[i]).toBeCloseTo(nets.p90[i] - nets.p50[i], 6);
    }
  }, 60_000);

  it('keeps tf.memory() flat across repeated train + predict', async () => {
    const cycle = async (): Promise<void> => {
      const { model } = await trainLoadModel(series, { trainEnd: testStart, hyperParameters: { ...quick, epochs: 2 } });
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
