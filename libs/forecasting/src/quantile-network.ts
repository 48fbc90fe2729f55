/**
 * A small MLP with monotone quantile outputs, trained on the pinball loss. Shared by the
 * load, PV and wind models. Output unit m (the median level) is the median; the others are
 * cumulative softplus offsets outward from it, so quantiles can never cross.
 */
import type * as tf from '@tensorflow/tfjs';
import { tfjs } from './tf';
import { seededRandom } from './model-artifact';

export interface QuantileTrainingOptions {
  levels: readonly number[];
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Weight of a squared-error term on the median (pulls it toward the mean, which CV(RMSE) scores). */
  squaredErrorWeight: number;
  /** Share of the rows (the last ones, i.e. the latest in time) held out to pick the best epoch. */
  validationFraction: number;
  seed: number;
  /** Stop early once training has run this long. */
  timeBudgetSeconds: number;
  /** Rows (1 = validation) overriding `validationFraction`, e.g. every tenth day. */
  validationMask?: Uint8Array;
  /** Stop when the validation loss has not improved for this many epochs (0 or absent = never). */
  patience?: number;
}

/** Builds an MLP plus a linear skip path with `levels.length` raw outputs. */
export function createQuantileNetwork(
  inputs: number,
  levels: number,
  hiddenUnits: readonly number[],
  seed: number,
): tf.LayersModel {
  const tfl = tfjs();
  const input = tfl.input({ shape: [inputs] });
  let h: tf.SymbolicTensor = input;
  hiddenUnits.forEach((units, i) => {
    h = tfl.layers
      .dense({
        units,
        activation: 'relu',
        kernelInitializer: tfl.initializers.heNormal({ seed: seed + i }),
        name: `hidden${i}`,
      })
      .apply(h) as tf.SymbolicTensor;
  });
  const deep = tfl.layers
    .dense({
      units: levels,
      kernelInitializer: tfl.initializers.glorotNormal({ seed: seed + 97 }),
      name: 'deepOut',
    })
    .apply(h) as tf.SymbolicTensor;
  const linear = tfl.layers
    .dense({ units: levels, kernelInitializer: tfl.initializers.zeros(), name: 'linearOut' })
    .apply(input) as tf.SymbolicTensor;
  const output = tfl.layers.add({ name: 'raw' }).apply([deep, linear]) as tf.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: output });
}

function medianIndex(levels: readonly number[]): number {
  let best = 0;
  for (let k = 1; k < levels.length; k++)
    if (Math.abs(levels[k] - 0.5) < Math.abs(levels[best] - 0.5)) best = k;
  return best;
}

/** Raw network outputs → ordered quantiles (tensor op, differentiable). */
export function rawToQuantiles(raw: tf.Tensor2D, levels: readonly number[]): tf.Tensor2D {
  const tfl = tfjs();
  return tfl.tidy(() => {
    const k = levels.length;
    const m = medianIndex(levels);
    const median = raw.slice([0, m], [-1, 1]);
    const parts: tf.Tensor2D[] = [];
    if (m > 0) {
      const below = tfl.softplus(raw.slice([0, 0], [-1, m]));
      parts.push(median.sub(tfl.cumsum(below, 1, false, true)) as tf.Tensor2D);
    }
    parts.push(median as tf.Tensor2D);
    if (m < k - 1) {
      const above = tfl.softplus(raw.slice([0, m + 1], [-1, k - m - 1]));
      parts.push(median.add(tfl.cumsum(above, 1)) as tf.Tensor2D);
    }
    return tfl.concat(parts, 1);
  });
}

/** Mean pinball loss over rows and levels (+ optional squared error on the median). */
export function quantileLoss(
  quantiles: tf.Tensor2D,
  y: tf.Tensor2D,
  levels: readonly number[],
  squaredErrorWeight: number,
): tf.Scalar {
  const tfl = tfjs();
  return tfl.tidy(() => {
    const tau = tfl.tensor2d([Array.from(levels)], [1, levels.length]);
    const e = y.sub(quantiles);
    const pinball = tfl.maximum(e.mul(tau), e.mul(tau.sub(1))).mean();
    if (squaredErrorWeight <= 0) return pinball as tf.Scalar;
    const m = medianIndex(levels);
    const se = y
      .sub(quantiles.slice([0, m], [-1, 1]))
      .square()
      .mean();
    return pinball.add(se.mul(squaredErrorWeight)) as tf.Scalar;
  });
}

/**
 * Cosine decay from `base` to 10 % of it. Progress is the share of the epochs run or of the
 * time budget used, whichever is further along, so a run the budget cuts short still ends
 * its last epochs at the low rate instead of stopping mid-schedule. The budget's share is larger
 * only when the epochs' pace would overrun the budget, so a run within it is reproducible: the same
 * data, seed and warm start give the same weights (trainQuantileNetwork passes 0 for the first epoch).
 */
export function scheduledLearningRate(base: number, epochShare: number, budgetShare: number): number {
  const progress = Math.min(1, Math.max(0, epochShare, budgetShare));
  return base * (0.1 + 0.45 * (1 + Math.cos(Math.PI * progress)));
}

export interface QuantileTrainingResult {
  epochsRun: number;
  bestEpoch: number;
  validationLoss: number;
  trainSeconds: number;
}

/** Training and validation rows: the mask's (with 200 rows or more), else the latest `validationFraction` of them. */
function splitRows(
  rows: number,
  options: Pick<QuantileTrainingOptions, 'validationMask' | 'validationFraction'>,
) {
  if (options.validationMask && rows >= 200) {
    const mask = options.validationMask;
    const trainRows: number[] = [];
    const valRows: number[] = [];
    for (let r = 0; r < rows; r++) (mask[r] ? valRows : trainRows).push(r);
    return { trainRows, valRows };
  }
  const nVal = rows >= 200 ? Math.max(1, Math.floor(rows * options.validationFraction)) : 0;
  return {
    trainRows: Array.from({ length: rows - nVal }, (_, i) => i),
    valRows: Array.from({ length: nVal }, (_, i) => rows - nVal + i),
  };
}

/** One Adam step on the rows of `batch` (its tensors released). */
function trainBatch(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  xAll: tf.Tensor2D,
  yAll: tf.Tensor2D,
  batch: number[],
  options: Pick<QuantileTrainingOptions, 'levels' | 'squaredErrorWeight'>,
): void {
  const tfl = tfjs();
  tfl.tidy(() => {
    const idx = tfl.tensor1d(batch, 'int32');
    const xb = tfl.gather(xAll, idx) as tf.Tensor2D;
    const yb = tfl.gather(yAll, idx) as tf.Tensor2D;
    const cost = optimizer.minimize(
      () =>
        quantileLoss(
          rawToQuantiles(model.apply(xb, { training: true }) as tf.Tensor2D, options.levels),
          yb,
          options.levels,
          options.squaredErrorWeight,
        ),
      false,
    );
    cost?.dispose();
  });
}

/**
 * Trains in place with Adam on mini-batches; keeps the weights of the epoch with the best
 * validation loss (the latest `validationFraction` of rows). All tensors are released.
 */
export function trainQuantileNetwork(
  model: tf.LayersModel,
  x: Float32Array,
  y: Float32Array,
  rows: number,
  columns: number,
  options: QuantileTrainingOptions,
): QuantileTrainingResult {
  const tfl = tfjs();
  const started = Date.now();
  const { trainRows, valRows } = splitRows(rows, options);
  const nVal = valRows.length;
  const nTrain = trainRows.length;
  const random = seededRandom(options.seed);
  const xAll = tfl.tensor2d(x, [rows, columns]);
  const yAll = tfl.tensor2d(y, [rows, 1]);
  const valIndex = nVal > 0 ? tfl.tensor1d(valRows, 'int32') : null;
  const xVal = valIndex ? (tfl.gather(xAll, valIndex) as tf.Tensor2D) : null;
  const yVal = valIndex ? (tfl.gather(yAll, valIndex) as tf.Tensor2D) : null;
  valIndex?.dispose();
  const optimizer = tfl.train.adam(options.learningRate);
  const order = trainRows;
  let best = Number.POSITIVE_INFINITY;
  let bestEpoch = -1;
  let bestWeights: tf.Tensor[] | null = null;
  let epochsRun = 0;
  const evaluate = (): number => {
    if (!xVal || !yVal) return Number.NaN;
    return tfl.tidy(() => {
      const q = rawToQuantiles(model.predict(xVal, { batchSize: 4096 }) as tf.Tensor2D, options.levels);
      return quantileLoss(q, yVal, options.levels, 0).dataSync()[0];
    });
  };
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    // shuffle (Fisher–Yates, seeded)
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    // the budget's share counts from the second epoch: before it, the milliseconds spent setting up
    // would make the first epoch's rate, and so the weights, differ from run to run
    (optimizer as unknown as { learningRate: number }).learningRate = scheduledLearningRate(
      options.learningRate,
      epoch / options.epochs,
      epoch === 0 ? 0 : (Date.now() - started) / 1000 / options.timeBudgetSeconds,
    );
    for (let start = 0; start < nTrain; start += options.batchSize) {
      const batch = order.slice(start, Math.min(nTrain, start + options.batchSize));
      if (batch.length >= 2) trainBatch(model, optimizer, xAll, yAll, batch, options);
    }
    epochsRun = epoch + 1;
    if (nVal > 0) {
      const loss = evaluate();
      if (loss < best) {
        best = loss;
        bestEpoch = epoch;
        bestWeights?.forEach((t) => t.dispose());
        bestWeights = model.getWeights().map((w) => w.clone());
      }
    }
    if ((Date.now() - started) / 1000 > options.timeBudgetSeconds) break;
    if (options.patience && nVal > 0 && epoch - bestEpoch >= options.patience) break;
  }
  if (bestWeights) {
    model.setWeights(bestWeights);
    bestWeights.forEach((t) => t.dispose());
  }
  optimizer.dispose();
  tfl.dispose([xAll, yAll]);
  if (xVal) xVal.dispose();
  if (yVal) yVal.dispose();
  return { epochsRun, bestEpoch, validationLoss: best, trainSeconds: (Date.now() - started) / 1000 };
}

/** Ordered quantiles for each row, row-major rows × levels. */
export function predictQuantiles(
  model: tf.LayersModel,
  x: Float32Array,
  rows: number,
  columns: number,
  levels: readonly number[],
): Float32Array {
  const tfl = tfjs();
  if (rows === 0) return new Float32Array(0);
  return tfl.tidy(() => {
    const input = tfl.tensor2d(x, [rows, columns]);
    const q = rawToQuantiles(model.predict(input, { batchSize: 4096 }) as tf.Tensor2D, levels);
    return q.dataSync() as Float32Array;
  });
}
