/**
 * The load model's training data and members, without the model: training points and sets (one per
 * normalisation), the tree member, and a network member's training (load-model.ts assembles them).
 */
import type * as tf from '@tensorflow/tfjs';
import { CalendarInfo, ForecastPoint, buildLoadFeatures } from './features';
import { SerializedGbm, fitGbm, serializeGbm } from './gradient-boosting';
import {
  LOAD_QUANTILE_LEVELS,
  LoadModelArtifact,
  LoadModelHyperParameters,
  LoadNormalisation,
} from './load-model-types';
import { deserializeNetwork, seededRandom } from './model-artifact';
import { QuantileTrainingOptions, createQuantileNetwork, trainQuantileNetwork } from './quantile-network';
import { MeterSeries, meterScale, stepsPerDay } from './series';

/** Training points: day-ahead for every target, plus random longer leads. */
export function loadTrainingPoints(
  series: MeterSeries,
  calendar: CalendarInfo,
  trainEnd: number,
  extraLeadsPerTarget: number,
  seed: number,
): ForecastPoint[] {
  const spd = stepsPerDay(series.intervalMinutes);
  const random = seededRandom(seed);
  const points: ForecastPoint[] = [];
  // need a little history before an origin: a week when the data allow it, else a day
  const minOrigin = trainEnd >= 28 * spd ? 7 * spd : Math.min(spd, Math.floor(trainEnd / 2));
  const starts = calendar.dayStarts;
  for (let t = 0; t < trainEnd; t++) {
    if (!Number.isFinite(series.valuesKwh[t])) continue;
    const d = calendar.dayOrdinal[t];
    if (d < 0) continue;
    const origin = starts[d];
    if (origin >= minOrigin) points.push({ target: t, origin });
    // whole part: that many extra points per target; fractional part: one more with that probability
    const extra = Math.floor(extraLeadsPerTarget) + (random() < extraLeadsPerTarget % 1 ? 1 : 0);
    for (let e = 0; e < extra; e++) {
      const lead = 1 + Math.floor(random() * 6);
      if (d - lead >= 0 && starts[d - lead] >= minOrigin)
        points.push({ target: t, origin: starts[d - lead] });
    }
  }
  // keep time order (validation = the latest rows)
  return points.sort((a, b) => a.target - b.target || a.origin - b.origin);
}

export interface TrainingSet {
  x: Float32Array;
  y: Float32Array;
  rows: number;
  columns: number;
  validationMask: Uint8Array;
  firstTarget: number;
  names: string[];
}

export function buildTrainingSet(
  series: MeterSeries,
  calendar: CalendarInfo,
  trainEnd: number,
  useTemperature: boolean,
  hp: LoadModelHyperParameters,
  normaliseBy: LoadNormalisation,
  validationFrom?: number,
): TrainingSet {
  const scale = meterScale(series.valuesKwh.slice(0, trainEnd));
  const points = loadTrainingPoints(series, calendar, trainEnd, hp.extraLeadsPerTarget, hp.seed);
  const features = buildLoadFeatures(series, calendar, points, {
    useTemperature,
    fallbackLevelKwh: scale,
    normaliseBy,
  });
  const y = new Float32Array(points.length);
  points.forEach((p, r) => {
    y[r] = Math.min(10, Math.max(0, series.valuesKwh[p.target] / features.levelKwh[r]));
  });
  return {
    x: features.x,
    y,
    rows: points.length,
    columns: features.columns,
    // validate on the calibration window at the end when there is one, else on every tenth day
    validationMask:
      validationFrom !== undefined && validationFrom < trainEnd
        ? Uint8Array.from(points, (p) => (p.target >= validationFrom ? 1 : 0))
        : Uint8Array.from(points, (p) => (calendar.dayOrdinal[p.target] % 10 === 9 ? 1 : 0)),
    firstTarget: points.length ? points[0].target : 0,
    names: features.names,
  };
}

export function trainingOptions(
  hp: LoadModelHyperParameters,
  validationMask: Uint8Array,
): QuantileTrainingOptions {
  return {
    levels: LOAD_QUANTILE_LEVELS,
    epochs: hp.epochs,
    batchSize: hp.batchSize,
    learningRate: hp.learningRate,
    squaredErrorWeight: hp.squaredErrorWeight,
    validationFraction: hp.validationFraction,
    seed: hp.seed,
    timeBudgetSeconds: hp.timeBudgetSeconds,
    validationMask,
    patience: hp.patience ?? 0,
  };
}

/** Columns the tree member splits on: all but the one-hot day and hour columns (trees split the cyclic ones). */
export function treeColumns(featureNames: readonly string[]): number[] {
  return featureNames.flatMap((name, c) => (/^(dow|hod)\d+$/.test(name) ? [] : [c]));
}

/** The tree member, fitted on the 'recentLevel' training set, and the seconds it took. */
export function fitTreeMember(
  treeSetOf: () => TrainingSet,
  hp: LoadModelHyperParameters,
): { packed: SerializedGbm; kept: number; seconds: number } {
  const t0 = performance.now();
  const treeSet = treeSetOf();
  if (treeSet.rows === 0) throw new Error('trainLoadModel: not enough history to build training points');
  const fit = fitGbm(
    treeSet.x,
    treeSet.y,
    treeSet.rows,
    treeSet.columns,
    { ...hp.treeOptions, columns: treeColumns(treeSet.names) },
    treeSet.validationMask,
  );
  return {
    packed: serializeGbm(fit.artifact),
    kept: fit.treesKept,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** Member k's network before training: the initial artifact's (fine-tuning; same features), else a new one. */
export async function memberNetwork(
  set: TrainingSet,
  hp: LoadModelHyperParameters,
  k: number,
  initial?: LoadModelArtifact,
): Promise<tf.LayersModel> {
  if (!initial)
    return createQuantileNetwork(set.columns, LOAD_QUANTILE_LEVELS.length, hp.hiddenUnits, hp.seed + k);
  if (initial.featureNames.join() !== set.names.join())
    throw new Error('trainLoadModel: the initial artifact was trained on different features');
  return deserializeNetwork(initial.networks[k]);
}

/** The training sets of several meters pooled into one (the generic model), rows in meter order. */
export function pooledTrainingSet(sets: readonly TrainingSet[]): TrainingSet {
  const columns = sets[0].columns;
  const rows = sets.reduce((a, s) => a + s.rows, 0);
  const x = new Float32Array(rows * columns);
  const y = new Float32Array(rows);
  const validationMask = new Uint8Array(rows);
  let offset = 0;
  for (const set of sets) {
    x.set(set.x, offset * columns);
    y.set(set.y, offset);
    validationMask.set(set.validationMask, offset);
    offset += set.rows;
  }
  return { x, y, rows, columns, validationMask, firstTarget: 0, names: sets[0].names };
}

/** What the networks' training reports, summed over the members. */
export interface MemberStats {
  validationPinball: number;
  epochsRun: number;
  bestEpoch: number;
  trainSeconds: number;
}

/** Trains member k's network in place on `set` and adds its figures to `stats`. */
export function trainMember(
  network: tf.LayersModel,
  set: TrainingSet,
  hp: LoadModelHyperParameters,
  k: number,
  stats: MemberStats,
  timeBudgetSeconds = hp.timeBudgetSeconds,
): void {
  const memberHp = { ...hp, seed: hp.seed + k, timeBudgetSeconds };
  const result = trainQuantileNetwork(
    network,
    set.x,
    set.y,
    set.rows,
    set.columns,
    trainingOptions(memberHp, set.validationMask),
  );
  stats.validationPinball += result.validationLoss / hp.members.length;
  stats.epochsRun += result.epochsRun;
  stats.bestEpoch = Math.max(stats.bestEpoch, result.bestEpoch);
  stats.trainSeconds += result.trainSeconds;
}

/**
 * After the calibration window has served for early stopping and the P10/P90 calibration, every
 * member sees it too: the trees are fitted again on all rows with the number of trees early stopping
 * kept, and each network continues for `refitEpochs` epochs over all rows at a fifth of the
 * learning rate (in place). The calibration factors stay those of the model before this step.
 */
export function refitOnAllRows(
  sets: readonly TrainingSet[],
  treeSet: TrainingSet | null,
  treesKept: number,
  networks: readonly tf.LayersModel[],
  hp: LoadModelHyperParameters,
  stats: MemberStats,
): { packed: SerializedGbm; kept: number; seconds: number } | null {
  const everything = (set: TrainingSet): Uint8Array => new Uint8Array(set.rows);
  const trees =
    treeSet && treesKept > 0
      ? fitTreeMember(() => ({ ...treeSet, validationMask: everything(treeSet) }), {
          ...hp,
          treeOptions: { ...hp.treeOptions, trees: treesKept, earlyStoppingRounds: 0 },
        })
      : null;
  if (trees) stats.trainSeconds += trees.seconds;
  const epochs = hp.refitEpochs ?? 0;
  if (epochs > 0) {
    networks.forEach((network, k) => {
      const set = sets[k];
      const options = trainingOptions(
        { ...hp, epochs, learningRate: hp.learningRate / 5, seed: hp.seed + 100 + k },
        everything(set),
      );
      const result = trainQuantileNetwork(network, set.x, set.y, set.rows, set.columns, {
        ...options,
        patience: 0,
      });
      stats.epochsRun += result.epochsRun;
      stats.trainSeconds += result.trainSeconds;
    });
  }
  return trees;
}
