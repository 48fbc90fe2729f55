/**
 * Per-meter load model: a small ensemble of TF.js MLPs over calendar, holiday,
 * origin-honest lag and (optional) temperature features, with P10/P50/P90 outputs trained
 * on the pinball loss (plus a squared-error term on the median, which CV(RMSE) scores).
 * Two members see the load in two ways — divided by the mean of the week before the
 * forecast origin, and divided by the meter's mean — and their quantiles are averaged.
 * Both are scale-free, so the same weights serve as a generic model for meters with little
 * history (scaled to the meter's mean) and as the start of per-meter fine-tuning.
 * A per-meter model also carries two members of other kinds, which err differently from the
 * networks: gradient-boosted trees on the same features (`treeWeight`, 0.4 of the median) and a
 * least-squares regression on hour of week and recent load (`linearWeight`, 0.2). On the 68
 * BDG2 buildings the three-way blend's CV(RMSE) was 2.4 % lower (geometric mean) than session
 * 2's networks + 30 % regression, which was itself 1.5 % better than the networks alone.
 * The bands keep the networks' width around the blended median. Last, the first day after the
 * origin is moved by `residualCorrection` (0.2) of the model's own mean error on the day before
 * it (another ≈ 1 %). Weights and correction were chosen on a holdout inside 2016 (ADR 0008).
 *
 * Horizons: every lag feature reads only values before the origin (see features.ts), so a
 * forecast issued at local midnight for up to 7 days ahead is honest; training uses every
 * target day-ahead plus, for a quarter of them, a random lead of 1–6 days.
 */
import type * as tf from '@tensorflow/tfjs';
import { currentBackend, initTfBackend } from './backend';
import { fitRecentLoadRegression, predictRecentLoadRegression } from './baselines';
import { CalendarInfo, ForecastPoint, LoadFeatureMatrix, buildLoadFeatures, calendarInfo, dayAheadPoints } from './features';
import { GbmArtifact, GbmOptions, SerializedGbm, deserializeGbm, fitGbm, predictGbm, serializeGbm } from './gradient-boosting';
import { SerializedNetwork, deserializeNetwork, seededRandom, serializeNetwork } from './model-artifact';
import { QuantileTrainingOptions, createQuantileNetwork, predictQuantiles, trainQuantileNetwork } from './quantile-network';
import { MeterSeries, meterScale, stepsPerDay, timeAt } from './series';

export const LOAD_QUANTILE_LEVELS = [0.1, 0.5, 0.9] as const;

export interface LoadModelHyperParameters {
  hiddenUnits: number[];
  epochs: number;
  batchSize: number;
  learningRate: number;
  squaredErrorWeight: number;
  validationFraction: number;
  /** Extra training points per target at a random lead of 1–6 days (0 = day-ahead only; fractions allowed). */
  extraLeadsPerTarget: number;
  seed: number;
  timeBudgetSeconds: number;
  /**
   * Ensemble members, by the divisor of their load inputs/targets: the mean of the week
   * before each origin ('recentLevel') or the meter's mean ('meterScale'). The members'
   * quantiles are averaged; the two views err differently, so the mix beats either.
   */
  members: LoadNormalisation[];
  /**
   * Share of the P50 given to the model's linear member, a least-squares regression on hour of
   * week and recent load fitted on the same training days (0 = the networks alone). The bands keep
   * the networks' width around the blended median.
   */
  linearWeight: number;
  /**
   * Share of the P50 given to the tree member: gradient-boosted trees on the 'recentLevel'
   * features without their one-hot columns (0 = no trees). Fitted first, inside the time budget.
   */
  treeWeight: number;
  /** Overrides of the tree member's options (DEFAULT_GBM_OPTIONS). */
  treeOptions?: Partial<GbmOptions>;
  /**
   * Share of the model's own error on the day before the origin (mean of actual − forecast,
   * that day's forecast issued at its own start) added to the first day after the origin; the
   * later days of a horizon are left as they are (0 = off; absent in older artifacts).
   */
  residualCorrection?: number;
}

export type LoadNormalisation = 'meterScale' | 'recentLevel';

export const DEFAULT_LOAD_HYPER_PARAMETERS: LoadModelHyperParameters = {
  hiddenUnits: [64, 32],
  epochs: 60,
  batchSize: 256,
  learningRate: 0.002,
  squaredErrorWeight: 2,
  validationFraction: 0.1,
  extraLeadsPerTarget: 0.25,
  seed: 7,
  timeBudgetSeconds: 25,
  members: ['recentLevel', 'meterScale'],
  linearWeight: 0.2,
  treeWeight: 0.4,
  residualCorrection: 0.2,
};

/** Fine-tuning from a generic model: fewer epochs, lower learning rate. */
export const FINE_TUNE_HYPER_PARAMETERS: Partial<LoadModelHyperParameters> = { epochs: 25, learningRate: 0.001 };

export interface LoadModelArtifact {
  format: 'halve-load-model/1';
  featureNames: string[];
  useTemperature: boolean;
  quantileLevels: number[];
  intervalMinutes: number;
  /**
   * Mean load of the training data, kWh per interval (the divisor of inputs and outputs);
   * null for a generic model, which uses the mean of the meter it forecasts.
   */
  scaleKwh: number | null;
  trainedFrom: string | null;
  trainedTo: string | null;
  hyperParameters: LoadModelHyperParameters;
  backend: string;
  trainSeconds: number;
  /** One serialised network per entry of hyperParameters.members. */
  networks: SerializedNetwork[];
  /** The linear member's coefficients (RECENT_LOAD_REGRESSION_COLUMNS); absent in generic models. */
  linearCoefficients?: number[];
  /** The tree member, over the 'recentLevel' feature matrix; absent in generic and older models. */
  trees?: SerializedGbm;
}

export interface LoadTrainingMetrics {
  /** Pinball loss (ratio units) on the held-out latest part of the training data. */
  validationPinball: number;
  epochsRun: number;
  bestEpoch: number;
  trainSeconds: number;
  trainingRows: number;
  /** Trees the tree member kept (early stopping), 0 without one. */
  trees: number;
}

export interface TrainLoadOptions {
  /** Train on targets with index < trainEnd (default: the whole series). */
  trainEnd?: number;
  /** Start from this model's weights (fine-tuning); feature sets must match. */
  initialArtifact?: LoadModelArtifact;
  hyperParameters?: Partial<LoadModelHyperParameters>;
  /** Use temperature features when the series has temperature (default true). */
  useTemperature?: boolean;
}

export interface QuantilePoints {
  timesMs: number[];
  p10: number[];
  p50: number[];
  p90: number[];
}

/** A loaded load model; call dispose() when done. */
export class LoadModel {
  private readonly treeMember: GbmArtifact | null;

  private constructor(
    readonly artifact: Omit<LoadModelArtifact, 'networks'>,
    private readonly networks: tf.LayersModel[],
  ) {
    this.treeMember = artifact.trees ? deserializeGbm(artifact.trees) : null;
  }

  static async fromArtifact(artifact: LoadModelArtifact): Promise<LoadModel> {
    await initTfBackend();
    const { networks, ...meta } = artifact;
    return new LoadModel(meta, await Promise.all(networks.map(deserializeNetwork)));
  }

  /** @internal */
  static wrap(meta: Omit<LoadModelArtifact, 'networks'>, networks: tf.LayersModel[]): LoadModel {
    return new LoadModel(meta, networks);
  }

  async toArtifact(): Promise<LoadModelArtifact> {
    return { ...this.artifact, networks: await Promise.all(this.networks.map(serializeNetwork)) };
  }

  /** Quantile forecasts (kWh) for arbitrary forecast points of a series. */
  predictPoints(series: MeterSeries, calendar: CalendarInfo, points: readonly ForecastPoint[]): { p10: number[]; p50: number[]; p90: number[] } {
    // generic model: scaled to the meter's own mean before the first origin
    const scale =
      this.artifact.scaleKwh ?? meterScale(series.valuesKwh.slice(0, points.length ? points[0].origin : series.valuesKwh.length));
    const phi = this.artifact.hyperParameters.residualCorrection ?? 0;
    const spd = stepsPerDay(series.intervalMinutes);
    const dayBefore = phi > 0 ? this.dayBeforePoints(series, points, spd) : null;
    // one pass over the points and the days before their origins (in a day-ahead backtest most
    // of the latter are among the points already, and are forecast once)
    const all = dayBefore ? points.concat(dayBefore.extra) : points;
    const { p10, p50, p90 } = this.blend(series, calendar, all, scale);
    if (dayBefore) {
      // mean error (actual − forecast, kWh) of the forecast of the day before each origin
      const errors = new Map<number, number>();
      for (const [origin, rows] of dayBefore.rowsByOrigin) {
        errors.set(origin, rows.reduce((sum, r) => sum + series.valuesKwh[all[r].target] - Math.max(0, p50[r]), 0) / rows.length);
      }
      for (let r = 0; r < points.length; r++) {
        const error = errors.get(points[r].origin);
        if (error === undefined || points[r].target - points[r].origin >= spd) continue;
        const shift = phi * error;
        p10[r] += shift;
        p50[r] += shift;
        p90[r] += shift;
      }
    }
    // load is non-negative: clip the band at 0
    const clip = (q: number[]): number[] => q.slice(0, points.length).map((v) => Math.max(0, v));
    return { p10: clip(p10), p50: clip(p50), p90: clip(p90) };
  }

  /**
   * For each origin o of `points` with a day of history: the measured intervals of the day before
   * it, as forecast from that day's start (o − 1 day). Returns the rows of those forecasts in
   * `points` followed by `extra` (the ones not among `points`), grouped by o; an origin whose day
   * before has no readings is left out.
   */
  private dayBeforePoints(series: MeterSeries, points: readonly ForecastPoint[], spd: number): { extra: ForecastPoint[]; rowsByOrigin: Map<number, number[]> } {
    const n = series.valuesKwh.length;
    const rowOf = new Map<number, number>();
    points.forEach((p, r) => rowOf.set(p.origin * n + p.target, r));
    const extra: ForecastPoint[] = [];
    const rowsByOrigin = new Map<number, number[]>();
    for (const o of new Set(points.map((p) => p.origin))) {
      if (o - spd < 0) continue;
      const rows: number[] = [];
      for (let t = o - spd; t < o; t++) {
        if (!Number.isFinite(series.valuesKwh[t])) continue;
        const key = (o - spd) * n + t;
        let row = rowOf.get(key);
        if (row === undefined) {
          row = points.length + extra.length;
          extra.push({ target: t, origin: o - spd });
          rowOf.set(key, row);
        }
        rows.push(row);
      }
      if (rows.length) rowsByOrigin.set(o, rows);
    }
    return { extra, rowsByOrigin };
  }

  /** Networks' quantiles with the median blended with the linear and tree members (not clipped). */
  private blend(series: MeterSeries, calendar: CalendarInfo, points: readonly ForecastPoint[], scale: number): { p10: number[]; p50: number[]; p90: number[] } {
    const useTemperature = this.artifact.useTemperature;
    const p10 = new Array<number>(points.length).fill(0);
    const p50 = new Array<number>(points.length).fill(0);
    const p90 = new Array<number>(points.length).fill(0);
    const members = this.artifact.hyperParameters.members;
    let recentLevelFeatures: LoadFeatureMatrix | null = null;
    members.forEach((normaliseBy, k) => {
      const m = buildLoadFeatures(series, calendar, points, { useTemperature, fallbackLevelKwh: scale, normaliseBy });
      if (normaliseBy === 'recentLevel') recentLevelFeatures = m;
      const q = predictQuantiles(this.networks[k], m.x, m.rows, m.columns, this.artifact.quantileLevels);
      for (let r = 0; r < m.rows; r++) {
        const level = m.levelKwh[r] / members.length;
        p10[r] += q[r * 3] * level;
        p50[r] += q[r * 3 + 1] * level;
        p90[r] += q[r * 3 + 2] * level;
      }
    });
    // blend the median with the linear and tree members; the bands move with it
    const beta = this.artifact.linearCoefficients;
    const wLinear = beta ? (this.artifact.hyperParameters.linearWeight ?? 0) : 0;
    const wTrees = this.treeMember ? (this.artifact.hyperParameters.treeWeight ?? 0) : 0;
    if (wLinear > 0 || wTrees > 0) {
      const linear = wLinear > 0 ? predictRecentLoadRegression(beta!, series, calendar, points, scale) : null;
      let trees: Float64Array | null = null;
      if (wTrees > 0) {
        const m: LoadFeatureMatrix =
          recentLevelFeatures ?? buildLoadFeatures(series, calendar, points, { useTemperature, fallbackLevelKwh: scale, normaliseBy: 'recentLevel' });
        trees = predictGbm(this.treeMember!, m.x, m.rows);
        for (let r = 0; r < m.rows; r++) trees[r] *= m.levelKwh[r];
      }
      for (let r = 0; r < points.length; r++) {
        const blended = (1 - wLinear - wTrees) * p50[r] + (linear ? wLinear * linear[r] : 0) + (trees ? wTrees * trees[r] : 0);
        const shift = blended - p50[r];
        p10[r] += shift;
        p50[r] += shift;
        p90[r] += shift;
      }
    }
    return { p10, p50, p90 };
  }

  /**
   * Forecast `horizonSteps` intervals (≤ 7 days) after the last reading of `series`,
   * issued at the end of the series. `temperatureC` gives the forecast temperatures of
   * those intervals when the model uses temperature.
   */
  forecast(series: MeterSeries, horizonSteps: number, temperatureC?: readonly number[]): QuantilePoints {
    const spd = stepsPerDay(series.intervalMinutes);
    if (horizonSteps < 1 || horizonSteps > 7 * spd) throw new RangeError(`horizon must be 1..${7 * spd} intervals`);
    const n = series.valuesKwh.length;
    const extended: MeterSeries = {
      ...series,
      valuesKwh: series.valuesKwh.concat(new Array<number>(horizonSteps).fill(Number.NaN)),
      temperatureC: series.temperatureC
        ? series.temperatureC.concat(Array.from({ length: horizonSteps }, (_, i) => temperatureC?.[i] ?? Number.NaN))
        : undefined,
    };
    const calendar = calendarInfo(extended, n + horizonSteps);
    const points = Array.from({ length: horizonSteps }, (_, i) => ({ target: n + i, origin: n }));
    const q = this.predictPoints(extended, calendar, points);
    return { timesMs: points.map((p) => timeAt(series, p.target)), ...q };
  }

  dispose(): void {
    this.networks.forEach((n) => n.dispose());
  }
}

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
      if (d - lead >= 0 && starts[d - lead] >= minOrigin) points.push({ target: t, origin: starts[d - lead] });
    }
  }
  // keep time order (validation = the latest rows)
  return points.sort((a, b) => a.target - b.target || a.origin - b.origin);
}

interface TrainingSet {
  x: Float32Array;
  y: Float32Array;
  rows: number;
  columns: number;
  validationMask: Uint8Array;
  firstTarget: number;
  names: string[];
}

function buildTrainingSet(
  series: MeterSeries,
  calendar: CalendarInfo,
  trainEnd: number,
  useTemperature: boolean,
  hp: LoadModelHyperParameters,
  normaliseBy: LoadNormalisation,
): TrainingSet {
  const scale = meterScale(series.valuesKwh.slice(0, trainEnd));
  const points = loadTrainingPoints(series, calendar, trainEnd, hp.extraLeadsPerTarget, hp.seed);
  const features = buildLoadFeatures(series, calendar, points, { useTemperature, fallbackLevelKwh: scale, normaliseBy });
  const y = new Float32Array(points.length);
  points.forEach((p, r) => {
    y[r] = Math.min(10, Math.max(0, series.valuesKwh[p.target] / features.levelKwh[r]));
  });
  return {
    x: features.x,
    y,
    rows: points.length,
    columns: features.columns,
    // validate on every tenth day (spread over the seasons, not just December)
    validationMask: Uint8Array.from(points, (p) => (calendar.dayOrdinal[p.target] % 10 === 9 ? 1 : 0)),
    firstTarget: points.length ? points[0].target : 0,
    names: features.names,
  };
}

function trainingOptions(hp: LoadModelHyperParameters, validationMask: Uint8Array): QuantileTrainingOptions {
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
  };
}

/** Columns the tree member splits on: all but the one-hot day and hour columns (trees split the cyclic ones). */
export function treeColumns(featureNames: readonly string[]): number[] {
  return featureNames.flatMap((name, c) => (/^(dow|hod)\d+$/.test(name) ? [] : [c]));
}

/** Trains a load model on one meter (optionally fine-tuning a generic artifact). */
export async function trainLoadModel(
  series: MeterSeries,
  options: TrainLoadOptions = {},
): Promise<{ model: LoadModel; artifact: LoadModelArtifact; metrics: LoadTrainingMetrics }> {
  const backend = await initTfBackend();
  const n = series.valuesKwh.length;
  const trainEnd = Math.min(options.trainEnd ?? n, n);
  const hp: LoadModelHyperParameters = {
    ...DEFAULT_LOAD_HYPER_PARAMETERS,
    ...(options.initialArtifact ? FINE_TUNE_HYPER_PARAMETERS : {}),
    ...options.hyperParameters,
  };
  const hasTemperature = !!series.temperatureC && series.temperatureC.slice(0, trainEnd).some(Number.isFinite);
  const useTemperature = options.initialArtifact ? options.initialArtifact.useTemperature : (options.useTemperature ?? true) && hasTemperature;
  const trainValues = series.valuesKwh.slice(0, trainEnd);
  if (!trainValues.some(Number.isFinite)) throw new Error('trainLoadModel: the meter has no readings to train on');
  const initial = options.initialArtifact;
  if (initial && initial.hyperParameters.members.join() !== hp.members.join()) {
    throw new Error('trainLoadModel: the initial artifact has different ensemble members');
  }
  const networks: tf.LayersModel[] = [];
  let set: TrainingSet | null = null;
  let validationPinball = 0;
  let epochsRun = 0;
  let bestEpoch = 0;
  let trainSeconds = 0;
  const calendar = calendarInfo(series, n);
  const sets = new Map<LoadNormalisation, TrainingSet>();
  const trainingSet = (normaliseBy: LoadNormalisation): TrainingSet => {
    let cached = sets.get(normaliseBy);
    if (!cached) sets.set(normaliseBy, (cached = buildTrainingSet(series, calendar, trainEnd, useTemperature, hp, normaliseBy)));
    return cached;
  };
  // the tree member first: it is quick, and the networks get what is left of the budget
  let trees: { packed: SerializedGbm; kept: number } | null = null;
  if (hp.treeWeight > 0) {
    const t0 = performance.now();
    const treeSet = trainingSet('recentLevel');
    if (treeSet.rows === 0) throw new Error('trainLoadModel: not enough history to build training points');
    const fit = fitGbm(treeSet.x, treeSet.y, treeSet.rows, treeSet.columns, { ...hp.treeOptions, columns: treeColumns(treeSet.names) }, treeSet.validationMask);
    trees = { packed: serializeGbm(fit.artifact), kept: fit.treesKept };
    trainSeconds += (performance.now() - t0) / 1000;
  }
  const networkBudget = Math.max(1, hp.timeBudgetSeconds - trainSeconds);
  for (let k = 0; k < hp.members.length; k++) {
    set = trainingSet(hp.members[k]);
    if (set.rows === 0) throw new Error('trainLoadModel: not enough history to build training points');
    let network: tf.LayersModel;
    if (initial) {
      if (initial.featureNames.join() !== set.names.join()) throw new Error('trainLoadModel: the initial artifact was trained on different features');
      network = await deserializeNetwork(initial.networks[k]);
    } else {
      network = createQuantileNetwork(set.columns, LOAD_QUANTILE_LEVELS.length, hp.hiddenUnits, hp.seed + k);
    }
    const memberHp = { ...hp, seed: hp.seed + k, timeBudgetSeconds: networkBudget / hp.members.length };
    const result = trainQuantileNetwork(network, set.x, set.y, set.rows, set.columns, trainingOptions(memberHp, set.validationMask));
    networks.push(network);
    validationPinball += result.validationLoss / hp.members.length;
    epochsRun += result.epochsRun;
    bestEpoch = Math.max(bestEpoch, result.bestEpoch);
    trainSeconds += result.trainSeconds;
  }
  if (!set) throw new Error('trainLoadModel: no ensemble members configured');
  const linearPoints = dayAheadPoints(calendar, 0, trainEnd, n).filter((p) => p.target < trainEnd);
  const linearCoefficients = hp.linearWeight > 0 ? fitRecentLoadRegression(series, calendar, linearPoints, meterScale(trainValues)) : undefined;
  const meta: Omit<LoadModelArtifact, 'networks'> = {
    format: 'halve-load-model/1',
    featureNames: set.names,
    useTemperature,
    quantileLevels: [...LOAD_QUANTILE_LEVELS],
    intervalMinutes: series.intervalMinutes,
    scaleKwh: meterScale(trainValues),
    trainedFrom: new Date(timeAt(series, set.firstTarget)).toISOString(),
    trainedTo: new Date(timeAt(series, trainEnd)).toISOString(),
    hyperParameters: hp,
    backend: currentBackend() ?? backend,
    trainSeconds,
    ...(linearCoefficients ? { linearCoefficients } : {}),
    ...(trees ? { trees: trees.packed } : {}),
  };
  const model = LoadModel.wrap(meta, networks);
  const artifact = await model.toArtifact();
  return {
    model,
    artifact,
    metrics: { validationPinball, epochsRun, bestEpoch, trainSeconds, trainingRows: set.rows, trees: trees?.kept ?? 0 },
  };
}

/**
 * Trains the generic (cold-start) load model on several meters pooled: features and
 * targets are ratios to each meter's recent level, so one network serves any meter size.
 * All series must share the interval; `trainEnds` limits each one's training data.
 */
export async function trainGenericLoadModel(
  seriesList: readonly MeterSeries[],
  options: { trainEnds?: number[]; useTemperature?: boolean; hyperParameters?: Partial<LoadModelHyperParameters> } = {},
): Promise<{ model: LoadModel; artifact: LoadModelArtifact; metrics: LoadTrainingMetrics }> {
  const backend = await initTfBackend();
  if (seriesList.length === 0) throw new Error('trainGenericLoadModel: no series');
  const interval = seriesList[0].intervalMinutes;
  if (seriesList.some((s) => s.intervalMinutes !== interval)) throw new Error('trainGenericLoadModel: mixed intervals');
  const hp: LoadModelHyperParameters = { ...DEFAULT_LOAD_HYPER_PARAMETERS, timeBudgetSeconds: 900, ...options.hyperParameters };
  const useTemperature = options.useTemperature ?? false;
  const networks: tf.LayersModel[] = [];
  let names: string[] = [];
  let totalRows = 0;
  let validationPinball = 0;
  let epochsRun = 0;
  let bestEpoch = 0;
  let trainSeconds = 0;
  const calendars = seriesList.map((s) => calendarInfo(s, s.valuesKwh.length));
  for (let k = 0; k < hp.members.length; k++) {
    const sets = seriesList.map((s, i) =>
      buildTrainingSet(s, calendars[i], Math.min(options.trainEnds?.[i] ?? s.valuesKwh.length, s.valuesKwh.length), useTemperature, hp, hp.members[k]),
    );
    const columns = sets[0].columns;
    names = sets[0].names;
    const rows = sets.reduce((a, s) => a + s.rows, 0);
    const x = new Float32Array(rows * columns);
    const y = new Float32Array(rows);
    const mask = new Uint8Array(rows);
    let offset = 0;
    for (const set of sets) {
      x.set(set.x, offset * columns);
      y.set(set.y, offset);
      mask.set(set.validationMask, offset);
      offset += set.rows;
    }
    const network = createQuantileNetwork(columns, LOAD_QUANTILE_LEVELS.length, hp.hiddenUnits, hp.seed + k);
    const result = trainQuantileNetwork(network, x, y, rows, columns, trainingOptions({ ...hp, seed: hp.seed + k }, mask));
    networks.push(network);
    totalRows = rows;
    validationPinball += result.validationLoss / hp.members.length;
    epochsRun += result.epochsRun;
    bestEpoch = Math.max(bestEpoch, result.bestEpoch);
    trainSeconds += result.trainSeconds;
  }
  const meta: Omit<LoadModelArtifact, 'networks'> = {
    format: 'halve-load-model/1',
    featureNames: names,
    useTemperature,
    quantileLevels: [...LOAD_QUANTILE_LEVELS],
    intervalMinutes: interval,
    scaleKwh: null,
    trainedFrom: null,
    trainedTo: null,
    hyperParameters: hp,
    backend: currentBackend() ?? backend,
    trainSeconds,
  };
  const model = LoadModel.wrap(meta, networks);
  return {
    model,
    artifact: await model.toArtifact(),
    metrics: { validationPinball, epochsRun, bestEpoch, trainSeconds, trainingRows: totalRows, trees: 0 },
  };
}
