import { initTfBackend } from './backend';
import { createQuantileNetwork, scheduledLearningRate, trainQuantileNetwork } from './quantile-network';

describe('scheduledLearningRate (cosine decay to 10 %, by epochs or time budget)', () => {
  const base = 0.002;

  it('starts at the base rate and ends at a tenth of it', () => {
    expect(scheduledLearningRate(base, 0, 0)).toBeCloseTo(0.002, 12);
    expect(scheduledLearningRate(base, 1, 0)).toBeCloseTo(0.0002, 12);
  });

  it('follows whichever of epochs and budget is further along', () => {
    // half-way by time, a fifth by epochs: 0.002 × (0.1 + 0.45 × (1 + cos π/2)) = 0.0011
    expect(scheduledLearningRate(base, 0.2, 0.5)).toBeCloseTo(0.0011, 12);
    expect(scheduledLearningRate(base, 0.5, 0.2)).toBeCloseTo(0.0011, 12);
    // a quarter: 0.002 × (0.1 + 0.45 × (1 + cos π/4)) = 0.002 × 0.868198… = 0.0017364
    expect(scheduledLearningRate(base, 0.25, 0.1)).toBeCloseTo(0.002 * (0.1 + 0.45 * (1 + Math.SQRT1_2)), 12);
  });

  it('stays at the floor once the budget is overrun', () => {
    expect(scheduledLearningRate(base, 0.3, 1.7)).toBeCloseTo(0.0002, 12);
  });
});

describe('trainQuantileNetwork', () => {
  beforeAll(async () => {
    await initTfBackend();
  });

  it('gives the same weights for the same data and seed, however long the setup took', () => {
    // one epoch under a 10 ms budget: it starts a few ms in, which used to set its learning rate
    // (budget share 0.3–0.9, so a rate anywhere from 0.81 to 0.12 of the base) and so the weights
    const rows = 300;
    const x = Float32Array.from({ length: rows * 2 }, (_, i) => ((i * 37) % 101) / 101);
    const y = Float32Array.from({ length: rows }, (_, r) => x[2 * r] + 0.5 * x[2 * r + 1]);
    const options = {
      levels: [0.1, 0.5, 0.9],
      epochs: 1,
      batchSize: 32,
      learningRate: 0.01,
      squaredErrorWeight: 0.5,
      validationFraction: 0.2,
      seed: 7,
      timeBudgetSeconds: 0.01,
    };
    const train = () => {
      const model = createQuantileNetwork(2, 3, [8], 3);
      const result = trainQuantileNetwork(model, x, y, rows, 2, options);
      const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
      model.dispose();
      return { result, weights };
    };
    const first = train();
    const second = train();
    expect(first.result.epochsRun).toBe(1);
    expect(second.weights).toEqual(first.weights);
  });
});
