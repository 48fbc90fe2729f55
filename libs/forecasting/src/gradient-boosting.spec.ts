import {
  GbmArtifact,
  deserializeGbm,
  fitGbm,
  lowerQuantile,
  predictGbm,
  serializeGbm,
} from './gradient-boosting';
import { pinballLoss } from './metrics';
import { seededRandom } from './model-artifact';

/** rows × 3 features: x0 an hour 0–23, x1 uniform −1..1, x2 pure noise. */
function dataset(rows: number, seed: number, noise = 0): { x: Float32Array; y: Float32Array } {
  const random = seededRandom(seed);
  const x = new Float32Array(rows * 3);
  const y = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const hour = Math.floor(random() * 24);
    const slope = random() * 2 - 1;
    x[r * 3] = hour;
    x[r * 3 + 1] = slope;
    x[r * 3 + 2] = random();
    // an office: 1 at night, 3 from 8 to 18, plus a linear term
    y[r] = (hour >= 8 && hour < 18 ? 3 : 1) + 0.5 * slope + noise * (random() - 0.5);
  }
  return { x, y };
}

const rmse = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let se = 0;
  for (let i = 0; i < a.length; i++) se += (a[i] - b[i]) ** 2;
  return Math.sqrt(se / a.length);
};

describe('gradient-boosted trees', () => {
  it('learns a step in one feature plus a slope in another, and ignores noise', () => {
    const train = dataset(4000, 1);
    const test = dataset(1000, 2);
    const fit = fitGbm(train.x, train.y, 4000, 3, { trees: 300, learningRate: 0.1, earlyStoppingRounds: 0 });
    const p = predictGbm(fit.artifact, test.x, 1000);
    // the target's standard deviation is ≈ 1.0; the step is exact (24 distinct hours fit in the bins),
    // the slope is learnt in 64 quantile bins to a few hundredths
    expect(rmse(p, test.y)).toBeLessThan(0.05);
    // permutation importance: scrambling the noise column changes nothing that matters,
    // scrambling the hour ruins the forecast
    const scrambled = (column: number): number => {
      const x = test.x.slice();
      for (let r = 0; r < 1000; r++) x[r * 3 + column] = test.x[((r * 389) % 1000) * 3 + column];
      return rmse(predictGbm(fit.artifact, x, 1000), test.y);
    };
    expect(scrambled(2)).toBeLessThan(0.05);
    expect(scrambled(0)).toBeGreaterThan(0.5);
  });

  it('starts from the mean and moves towards the target by the learning rate', () => {
    const x = Float32Array.from([0, 1, 2, 3]);
    const y = Float32Array.from([1, 1, 5, 5]);
    const fit = fitGbm(x, y, 4, 1, {
      trees: 1,
      learningRate: 0.5,
      minLeafRows: 1,
      l2: 0,
      rowSample: 1,
      columnSample: 1,
      maxDepth: 1,
    });
    expect(fit.artifact.base).toBe(3);
    // one split between 1 and 2; leaves move half-way: 3 − 0.5·2 = 2 and 3 + 0.5·2 = 4
    expect(fit.artifact.trees[0].threshold[0]).toBeCloseTo(1.5, 12);
    expect(Array.from(predictGbm(fit.artifact, x, 4))).toEqual([2, 2, 4, 4]);
  });

  it('shrinks leaves by the L2 penalty', () => {
    const x = Float32Array.from([0, 1, 2, 3]);
    const y = Float32Array.from([1, 1, 5, 5]);
    const fit = fitGbm(x, y, 4, 1, {
      trees: 1,
      learningRate: 1,
      minLeafRows: 1,
      l2: 2,
      rowSample: 1,
      columnSample: 1,
      maxDepth: 1,
    });
    // leaf = Σ residual / (n + λ) = −4 / (2 + 2) = −1 and +1
    expect(Array.from(predictGbm(fit.artifact, x, 4))).toEqual([2, 2, 4, 4]);
  });

  it('stops early on the validation rows and keeps the best number of trees', () => {
    const train = dataset(600, 3, 4);
    const mask = Uint8Array.from({ length: 600 }, (_, r) => (r % 5 === 0 ? 1 : 0));
    const fit = fitGbm(
      train.x,
      train.y,
      600,
      3,
      { trees: 2000, learningRate: 0.3, minLeafRows: 2, earlyStoppingRounds: 20 },
      mask,
    );
    expect(fit.treesKept).toBeLessThan(200);
    expect(fit.validationRmse).not.toBeNull();
    // the kept trees reproduce the reported validation error
    const p = predictGbm(fit.artifact, train.x, 600);
    const valid = [...mask.keys()].filter((r) => mask[r]);
    expect(
      rmse(
        valid.map((r) => p[r]),
        valid.map((r) => train.y[r]),
      ),
    ).toBeCloseTo(fit.validationRmse!, 5);
  });

  it('is deterministic for a seed and survives a JSON round trip', () => {
    const train = dataset(1000, 4, 0.5);
    const a = fitGbm(train.x, train.y, 1000, 3, { trees: 30, seed: 5 });
    const b = fitGbm(train.x, train.y, 1000, 3, { trees: 30, seed: 5 });
    expect(b.artifact).toEqual(a.artifact);
    const restored = JSON.parse(JSON.stringify(a.artifact)) as GbmArtifact;
    expect(Array.from(predictGbm(restored, train.x, 1000))).toEqual(
      Array.from(predictGbm(a.artifact, train.x, 1000)),
    );
  });

  it('packs into a compact pre-order form that predicts the same', () => {
    const train = dataset(3000, 6, 0.5);
    const fit = fitGbm(train.x, train.y, 3000, 3, { trees: 80, maxDepth: 5 });
    const packed = serializeGbm(fit.artifact);
    const nodes = fit.artifact.trees.reduce((a, t) => a + t.feature.length, 0);
    expect(packed.treeSizes.reduce((a, n) => a + n, 0)).toBe(nodes);
    // 2 + 4 + 4 bytes a node, base64 (4/3): well under the JSON of the node arrays
    const packedLength =
      packed.featuresBase64.length + packed.valuesBase64.length + packed.rightOffsetsBase64.length;
    expect(packedLength).toBeLessThanOrEqual(Math.ceil((nodes * 10 * 4) / 3) + 12);
    expect(packedLength).toBeLessThan(JSON.stringify(fit.artifact.trees).length / 2);
    const restored = deserializeGbm(JSON.parse(JSON.stringify(packed)) as typeof packed);
    const a = predictGbm(fit.artifact, train.x, 3000);
    const b = predictGbm(restored, train.x, 3000);
    // thresholds are float32 already, leaf values are rounded to float32
    for (let r = 0; r < 3000; r++) expect(b[r]).toBeCloseTo(a[r], 5);
    expect(() => deserializeGbm({ ...packed, treeSizes: [...packed.treeSizes, 3] })).toThrow(
      'tree ensemble is corrupt',
    );
  });

  it('refuses a matrix of the wrong width and an empty training set', () => {
    const fit = fitGbm(Float32Array.from([0, 1, 2, 3]), Float32Array.from([0, 1, 2, 3]), 2, 2, {
      trees: 2,
      minLeafRows: 1,
    });
    expect(() => predictGbm(fit.artifact, new Float32Array(3), 1)).toThrow('expected 1 × 2 values, got 3');
    expect(() => fitGbm(new Float32Array(0), new Float32Array(0), 0, 2)).toThrow('no rows');
  });

  it('the pinball loss it stops on and the lower quantile, worked by hand', () => {
    // above the prediction by 2 at α = 0.9: 0.9 · 2; below by 2: 0.1 · 2
    expect(pinballLoss(5, 3, 0.9)).toBeCloseTo(1.8, 12);
    expect(pinballLoss(1, 3, 0.9)).toBeCloseTo(0.2, 12);
    // [4, 1, 3, 2, 5]: α = 0.4 → ceil(2) = 2nd smallest = 2; α = 0.41 → 3rd = 3; α = 0.99 → 5
    expect(lowerQuantile([4, 1, 3, 2, 5], 0.4)).toBe(2);
    expect(lowerQuantile([4, 1, 3, 2, 5], 0.41)).toBe(3);
    expect(lowerQuantile([4, 1, 3, 2, 5], 0.99)).toBe(5);
  });

  it('quantile loss: one stump moves each side by the quantile of its residuals', () => {
    // x ≤ 1 → y in {0, 1, 2, 3}; x ≥ 2 → y in {10, 11, 12, 13}; α = 0.75
    const x = Float32Array.from([0, 0, 1, 1, 2, 2, 3, 3]);
    const y = Float32Array.from([0, 1, 2, 3, 10, 11, 12, 13]);
    const fit = fitGbm(x, y, 8, 1, {
      loss: 'quantile',
      alpha: 0.75,
      trees: 1,
      learningRate: 1,
      minLeafRows: 1,
      maxDepth: 1,
      rowSample: 1,
      columnSample: 1,
      earlyStoppingRounds: 0,
    });
    // base: the 0.75 quantile of the 8 targets = 6th smallest = 11
    expect(fit.artifact.base).toBe(11);
    // gradients: 0.75 above 11 (y 12, 13), −0.25 at or below it (the row at 11 counts as below), so
    // the stump splits x ≤ 2 | x = 3, which separates them exactly. Left residuals −11, −10, −9, −8,
    // −1, 0 → 0.75 quantile (5th of 6) −1 → 10; right 1, 2 → 0.75 quantile (2nd of 2) 2 → 13
    const p = predictGbm(fit.artifact, Float32Array.from([0.5, 2.5, 3]), 3);
    expect(p[0]).toBeCloseTo(10, 6);
    expect(p[1]).toBeCloseTo(10, 6);
    expect(p[2]).toBeCloseTo(13, 6);
  });

  it('quantile loss: a level that starts on many tied targets still learns (PV zeros at dawn)', () => {
    // 40 % of rows are 0 whatever x (night-like), the rest y = x in (0, 1]: the 0.1 quantile of y is
    // 0, a value many rows share. Counting rows at their prediction as above gave every row the same
    // gradient (α), so no tree split and the level stayed 0 everywhere.
    const rows = 1000;
    const x = new Float32Array(rows * 2);
    const y = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      const lit = r % 5 >= 2 ? 1 : 0;
      const v = ((r * 7919) % 1000) / 1000 + 0.001;
      x[r * 2] = lit;
      x[r * 2 + 1] = v;
      y[r] = lit * v;
    }
    const fit = fitGbm(x, y, rows, 2, { loss: 'quantile', alpha: 0.1, trees: 100, learningRate: 0.3 });
    expect(fit.artifact.base).toBe(0);
    const p = predictGbm(fit.artifact, Float32Array.from([1, 0.8, 0, 0.8]), 2);
    // lit with x = 0.8: y is exactly 0.8, so every quantile is 0.8; dark: 0
    expect(p[0]).toBeGreaterThan(0.7);
    expect(p[0]).toBeLessThan(0.9);
    expect(Math.abs(p[1])).toBeLessThan(0.02);
  });

  it('quantile loss: the 0.1 and 0.9 models bracket about 80 % of new noisy targets', () => {
    const train = dataset(4000, 7, 2);
    const test = dataset(2000, 8, 2);
    const at = (alpha: number): Float64Array =>
      predictGbm(
        fitGbm(train.x, train.y, 4000, 3, {
          loss: 'quantile',
          alpha,
          trees: 80,
          learningRate: 0.1,
          maxDepth: 3,
          minLeafRows: 50,
        }).artifact,
        test.x,
        2000,
      );
    const lo = at(0.1);
    const hi = at(0.9);
    let inside = 0;
    for (let r = 0; r < 2000; r++) if (test.y[r] >= lo[r] && test.y[r] <= hi[r]) inside++;
    // the noise is uniform over ±1: the true 0.1–0.9 band is 1.6 wide and holds 80 %
    expect(inside / 2000).toBeGreaterThan(0.74);
    expect(inside / 2000).toBeLessThan(0.86);
    expect(() => fitGbm(train.x, train.y, 4000, 3, { loss: 'quantile', alpha: 1 })).toThrow('alpha');
  });
});
