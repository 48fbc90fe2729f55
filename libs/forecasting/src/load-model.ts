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
 * Issue 19: every interval is also moved by the model's shrunk mean errors at the same hour of the
 * week (6 weeks) and of the day (14 days), each error of a day-ahead forecast made before the origin
 * (error-correction.ts, `recentErrorCorrection`; both corrections are computed there).
 *
 * Issue 19: the last `calibrationDays` (56) of the training data are held out of every member's
 * training; the networks (24 epochs, patience 5) and the trees stop early on them, and the P10–P90
 * band is rescaled around the median so each tail misses 10 % of them (calibration.ts, stored as
 * `bandCalibration`). Then the trees (as many as were kept) and the linear member are fitted again
 * on all the training data; the networks keep their weights. Retraining warm-starts from the
 * meter's active model (chooseMethod's `previousArtifact`).
 *
 * Horizons: every lag feature reads only values before the origin (see features.ts), so a
 * forecast issued at local midnight for up to 7 days ahead is honest; training uses every
 * target day-ahead plus, for a quarter of them, a random lead of 1–6 days.
 */
import type * as tf from '@tensorflow/tfjs';
import { TfBackendName, currentBackend, initTfBackend } from './backend';
import { fitRecentLoadRegression, predictRecentLoadRegression } from './baselines';
import {
  CalendarInfo,
  ForecastPoint,
  HorizonTemperature,
  LoadFeatureMatrix,
  buildLoadFeatures,
  calendarInfo,
  dayAheadPoints,
} from './features';
import { BandCalibration, MIN_CALIBRATION_POINTS, calibrationStart, fitBandCalibration } from './calibration';
import { errorCorrectionShifts, errorHistoryPoints, historyDays } from './error-correction';
import { GbmArtifact, deserializeGbm, predictGbm } from './gradient-boosting';
import { deserializeNetwork, serializeNetwork } from './model-artifact';
import { createQuantileNetwork, predictQuantiles } from './quantile-network';
import { MeterSeries, meterScale, stepsPerDay, timeAt } from './series';
import {
  DEFAULT_LOAD_HYPER_PARAMETERS,
  FINE_TUNE_HYPER_PARAMETERS,
  GENERIC_LOAD_HYPER_PARAMETERS,
  LOAD_QUANTILE_LEVELS,
  LoadModelArtifact,
  LoadModelHyperParameters,
  LoadNormalisation,
  LoadTrainingMetrics,
  QuantilePoints,
  TrainLoadOptions,
} from './load-model-types';

export * from './load-model-types';
export {
  buildTrainingSet,
  fitTreeMember,
  loadTrainingPoints,
  pooledTrainingSet,
  treeColumns,
} from './load-training-set';
import {
  MemberStats,
  TrainingSet,
  buildTrainingSet,
  fitTreeMember,
  memberNetwork,
  pooledTrainingSet,
  refitOnAllRows,
  trainMember,
} from './load-training-set';

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

  /**
   * Quantile forecasts (kWh) for arbitrary forecast points of a series. With temperature, the
   * temperatures at and after each origin are the series' (a forecast; where it has none, yesterday's
   * persisted) or, with `horizonTemperature: 'persistence'`, yesterday's throughout.
   */
  predictPoints(
    series: MeterSeries,
    calendar: CalendarInfo,
    points: readonly ForecastPoint[],
    options: { horizonTemperature?: HorizonTemperature } = {},
  ): { p10: number[]; p50: number[]; p90: number[] } {
    // generic model: scaled to the meter's own mean before the first origin
    const scale =
      this.artifact.scaleKwh ??
      meterScale(series.valuesKwh.slice(0, points.length ? points[0].origin : series.valuesKwh.length));
    const hp = this.artifact.hyperParameters;
    const corrections = { residualCorrection: hp.residualCorrection ?? 0, recent: hp.recentErrorCorrection };
    const spd = stepsPerDay(series.intervalMinutes);
    const days = historyDays(corrections.residualCorrection, corrections.recent);
    // one pass over the points and the history the corrections read (in a day-ahead backtest most
    // of the latter are among the points already, and are forecast once)
    const history = days > 0 ? errorHistoryPoints(series.valuesKwh, points, spd, days) : null;
    const all = history ? points.concat(history.extra) : points;
    const { p10, p50, p90 } = this.blend(series, calendar, all, scale, options.horizonTemperature);
    if (history) {
      const shifts = errorCorrectionShifts(series.valuesKwh, points, p50, history, spd, corrections);
      for (let r = 0; r < points.length; r++) {
        p10[r] += shifts[r];
        p50[r] += shifts[r];
        p90[r] += shifts[r];
      }
    }
    // calibrated bands (issue 19): the band rescaled around the median by the factors fitted on
    // the calibration window; the median is left as it is
    const cal = this.artifact.bandCalibration;
    if (cal) {
      for (let r = 0; r < points.length; r++) {
        p10[r] = p50[r] - cal.lowerFactor * (p50[r] - p10[r]);
        p90[r] = p50[r] + cal.upperFactor * (p90[r] - p50[r]);
      }
    }
    // load is non-negative: clip the band at 0
    const clip = (q: number[]): number[] => q.slice(0, points.length).map((v) => Math.max(0, v));
    return { p10: clip(p10), p50: clip(p50), p90: clip(p90) };
  }

  /** Networks' quantiles with the median blended with the linear and tree members (not clipped). */
  private blend(
    series: MeterSeries,
    calendar: CalendarInfo,
    points: readonly ForecastPoint[],
    scale: number,
    horizonTemperature: HorizonTemperature | undefined,
  ): { p10: number[]; p50: number[]; p90: number[] } {
    const useTemperature = this.artifact.useTemperature;
    // the model's own temperature columns (an artifact of an older feature set has fewer)
    const temperature = { temperatureFeatures: this.artifact.featureNames, horizonTemperature };
    const p10 = new Array<number>(points.length).fill(0);
    const p50 = new Array<number>(points.length).fill(0);
    const p90 = new Array<number>(points.length).fill(0);
    const members = this.artifact.hyperParameters.members;
    let recentLevelFeatures: LoadFeatureMatrix | null = null;
    members.forEach((normaliseBy, k) => {
      const m = buildLoadFeatures(series, calendar, points, {
        useTemperature,
        fallbackLevelKwh: scale,
        normaliseBy,
        ...temperature,
      });
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
          recentLevelFeatures ??
          buildLoadFeatures(series, calendar, points, {
            useTemperature,
            fallbackLevelKwh: scale,
            normaliseBy: 'recentLevel',
            ...temperature,
          });
        trees = predictGbm(this.treeMember!, m.x, m.rows);
        for (let r = 0; r < m.rows; r++) trees[r] *= m.levelKwh[r];
      }
      for (let r = 0; r < points.length; r++) {
        const blended =
          (1 - wLinear - wTrees) * p50[r] +
          (linear ? wLinear * linear[r] : 0) +
          (trees ? wTrees * trees[r] : 0);
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
   * those intervals when the model uses temperature; an interval without one (NaN, or none
   * given) takes yesterday's temperature at the same time (horizonTemperatures in
   * temperature-features.ts tells how many).
   */
  forecast(series: MeterSeries, horizonSteps: number, temperatureC?: readonly number[]): QuantilePoints {
    const spd = stepsPerDay(series.intervalMinutes);
    if (horizonSteps < 1 || horizonSteps > 7 * spd)
      throw new RangeError(`horizon must be 1..${7 * spd} intervals`);
    const n = series.valuesKwh.length;
    const extended: MeterSeries = {
      ...series,
      valuesKwh: series.valuesKwh.concat(new Array<number>(horizonSteps).fill(Number.NaN)),
      temperatureC: series.temperatureC
        ? series.temperatureC.concat(
            Array.from({ length: horizonSteps }, (_, i) => temperatureC?.[i] ?? Number.NaN),
          )
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

/** The settings of one training: hyper-parameters, temperature use, the training values; checks them. */
function resolveTraining(series: MeterSeries, options: TrainLoadOptions) {
  const n = series.valuesKwh.length;
  const trainEnd = Math.min(options.trainEnd ?? n, n);
  const hp: LoadModelHyperParameters = {
    ...DEFAULT_LOAD_HYPER_PARAMETERS,
    ...(options.initialArtifact ? FINE_TUNE_HYPER_PARAMETERS : {}),
    ...options.hyperParameters,
  };
  const hasTemperature =
    !!series.temperatureC && series.temperatureC.slice(0, trainEnd).some(Number.isFinite);
  const useTemperature = options.initialArtifact
    ? options.initialArtifact.useTemperature
    : (options.useTemperature ?? true) && hasTemperature;
  const trainValues = series.valuesKwh.slice(0, trainEnd);
  if (!trainValues.some(Number.isFinite))
    throw new Error('trainLoadModel: the meter has no readings to train on');
  const initial = options.initialArtifact;
  if (initial && initial.hyperParameters.members.join() !== hp.members.join()) {
    throw new Error('trainLoadModel: the initial artifact has different ensemble members');
  }
  return { trainEnd, hp, useTemperature, trainValues, initial };
}

/** Trains a load model on one meter (optionally fine-tuning a generic artifact). */
export async function trainLoadModel(
  series: MeterSeries,
  options: TrainLoadOptions = {},
): Promise<{ model: LoadModel; artifact: LoadModelArtifact; metrics: LoadTrainingMetrics }> {
  const backend = await initTfBackend();
  const n = series.valuesKwh.length;
  const { trainEnd, hp, useTemperature, trainValues, initial } = resolveTraining(series, options);
  const networks: tf.LayersModel[] = [];
  let set: TrainingSet | null = null;
  const calendar = calendarInfo(series, n);
  const calStart = calibrationWindowStart(series, calendar, trainEnd, hp.calibrationDays ?? 0);
  const sets = new Map<LoadNormalisation, TrainingSet>();
  const trainingSet = (normaliseBy: LoadNormalisation): TrainingSet => {
    let cached = sets.get(normaliseBy);
    if (!cached)
      sets.set(
        normaliseBy,
        (cached = buildTrainingSet(series, calendar, trainEnd, useTemperature, hp, normaliseBy, calStart)),
      );
    return cached;
  };
  // the tree member first: it is quick, and the networks get what is left of the budget
  const trees = hp.treeWeight > 0 ? fitTreeMember(() => trainingSet('recentLevel'), hp) : null;
  const stats: MemberStats = {
    validationPinball: 0,
    epochsRun: 0,
    bestEpoch: 0,
    trainSeconds: trees?.seconds ?? 0,
  };
  const networkBudget = Math.max(1, hp.timeBudgetSeconds - stats.trainSeconds);
  for (let k = 0; k < hp.members.length; k++) {
    set = trainingSet(hp.members[k]);
    if (set.rows === 0) throw new Error('trainLoadModel: not enough history to build training points');
    const network = await memberNetwork(set, hp, k, initial);
    trainMember(network, set, hp, k, stats, networkBudget / hp.members.length);
    networks.push(network);
  }
  if (!set) throw new Error('trainLoadModel: no ensemble members configured');
  // the linear member, like the others, leaves the calibration window out (until the refit)
  const linearMember = (end: number): number[] =>
    fitRecentLoadRegression(
      series,
      calendar,
      dayAheadPoints(calendar, 0, trainEnd, n).filter((p) => p.target < end),
      meterScale(trainValues),
    );
  const linearCoefficients = hp.linearWeight > 0 ? linearMember(calStart) : undefined;
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
    trainSeconds: stats.trainSeconds,
    ...(linearCoefficients ? { linearCoefficients } : {}),
    ...(trees ? { trees: trees.packed } : {}),
  };
  const bandCalibration = calibrateBands(
    LoadModel.wrap(meta, networks),
    series,
    calendar,
    calStart,
    trainEnd,
  );
  const final = bandCalibration ? { ...meta, bandCalibration } : meta;
  if (bandCalibration && hp.refitEpochs !== undefined) {
    // the calibration window joins the training data of every member
    const memberSets = hp.members.map(trainingSet);
    const treeSet = trees ? trainingSet('recentLevel') : null;
    const refitted = refitOnAllRows(memberSets, treeSet, trees?.kept ?? 0, networks, hp, stats);
    if (refitted) final.trees = refitted.packed;
    if (linearCoefficients) final.linearCoefficients = linearMember(trainEnd);
    final.trainSeconds = stats.trainSeconds;
  }
  const model = LoadModel.wrap(final, networks);
  const artifact = await model.toArtifact();
  return { model, artifact, metrics: { ...stats, trainingRows: set.rows, trees: trees?.kept ?? 0 } };
}

/** First target of the calibration window (calibration.ts); `trainEnd` when there is none. */
function calibrationWindowStart(
  series: MeterSeries,
  calendar: CalendarInfo,
  trainEnd: number,
  days: number,
): number {
  if (days <= 0) return trainEnd;
  const first = series.valuesKwh.findIndex(Number.isFinite);
  return first < 0 ? trainEnd : calibrationStart(calendar, series.intervalMinutes, first, trainEnd, days);
}

/** The P10–P90 factors from the model's day-ahead forecasts of the calibration window (null: none). */
function calibrateBands(
  model: LoadModel,
  series: MeterSeries,
  calendar: CalendarInfo,
  calStart: number,
  trainEnd: number,
): BandCalibration | null {
  if (calStart >= trainEnd) return null;
  const points = dayAheadPoints(calendar, calStart, trainEnd, series.valuesKwh.length).filter(
    (p) => p.target < trainEnd && Number.isFinite(series.valuesKwh[p.target]),
  );
  if (points.length < MIN_CALIBRATION_POINTS) return null;
  return fitBandCalibration(
    points.map((p) => series.valuesKwh[p.target]),
    model.predictPoints(series, calendar, points),
  );
}

/**
 * Trains the generic (cold-start) load model on several meters pooled: features and
 * targets are ratios to each meter's recent level, so one network serves any meter size.
 * All series must share the interval; `trainEnds` limits each one's training data.
 */
export async function trainGenericLoadModel(
  seriesList: readonly MeterSeries[],
  options: {
    trainEnds?: number[];
    useTemperature?: boolean;
    hyperParameters?: Partial<LoadModelHyperParameters>;
  } = {},
): Promise<{ model: LoadModel; artifact: LoadModelArtifact; metrics: LoadTrainingMetrics }> {
  const backend = await initTfBackend();
  if (seriesList.length === 0) throw new Error('trainGenericLoadModel: no series');
  const interval = seriesList[0].intervalMinutes;
  if (seriesList.some((s) => s.intervalMinutes !== interval))
    throw new Error('trainGenericLoadModel: mixed intervals');
  const hp: LoadModelHyperParameters = {
    ...DEFAULT_LOAD_HYPER_PARAMETERS,
    ...GENERIC_LOAD_HYPER_PARAMETERS,
    timeBudgetSeconds: 900,
    ...options.hyperParameters,
  };
  const useTemperature = options.useTemperature ?? false;
  const calendars = seriesList.map((s) => calendarInfo(s, s.valuesKwh.length));
  return trainPooledLoadModel(hp, interval, useTemperature, backend, (member) =>
    pooledTrainingSet(
      seriesList.map((s, i) => {
        const end = Math.min(options.trainEnds?.[i] ?? s.valuesKwh.length, s.valuesKwh.length);
        return buildTrainingSet(s, calendars[i], end, useTemperature, hp, member);
      }),
    ),
  );
}

/**
 * Trains a network per ensemble member on the pooled set `setFor` builds for it, wrapped as a generic
 * model (no meter scale or training span): shared by the generic and the cold-start trainers.
 */
export async function trainPooledLoadModel(
  hp: LoadModelHyperParameters,
  intervalMinutes: number,
  useTemperature: boolean,
  backend: TfBackendName,
  setFor: (member: LoadNormalisation) => TrainingSet,
): Promise<{ model: LoadModel; artifact: LoadModelArtifact; metrics: LoadTrainingMetrics }> {
  const networks: tf.LayersModel[] = [];
  let names: string[] = [];
  let rows = 0;
  const stats: MemberStats = { validationPinball: 0, epochsRun: 0, bestEpoch: 0, trainSeconds: 0 };
  const levels = LOAD_QUANTILE_LEVELS.length;
  for (let k = 0; k < hp.members.length; k++) {
    const set = setFor(hp.members[k]);
    names = set.names;
    const network = createQuantileNetwork(set.columns, levels, hp.hiddenUnits, hp.seed + k);
    trainMember(network, set, hp, k, stats);
    networks.push(network);
    rows = set.rows;
  }
  const meta: Omit<LoadModelArtifact, 'networks'> = {
    format: 'halve-load-model/1',
    featureNames: names,
    useTemperature,
    quantileLevels: [...LOAD_QUANTILE_LEVELS],
    intervalMinutes,
    scaleKwh: null,
    trainedFrom: null,
    trainedTo: null,
    hyperParameters: hp,
    backend: currentBackend() ?? backend,
    trainSeconds: stats.trainSeconds,
  };
  const model = LoadModel.wrap(meta, networks);
  return { model, artifact: await model.toArtifact(), metrics: { ...stats, trainingRows: rows, trees: 0 } };
}
