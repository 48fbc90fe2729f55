import * as tf from '@tensorflow/tfjs';
import { initTfBackend } from './backend';
import { backtestDayAhead } from './backtest';
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
