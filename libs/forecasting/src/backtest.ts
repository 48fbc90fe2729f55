/**
 * Rolling-origin day-ahead backtests and the cold-start choice of forecasting method.
 * Each test day's forecast is issued at its local midnight and reads only values before
 * it; the model and the baselines are fitted once on the data before the test window.
 */
import { BASELINE_NAMES, BaselineName, FittedBaseline, QuantileForecast, fitBaselines } from './baselines';
import { CalendarInfo, ForecastPoint, calendarInfo, dayAheadPoints } from './features';
import {
  LoadModel,
  LoadModelArtifact,
  LoadModelHyperParameters,
  QuantilePoints,
  trainLoadModel,
} from './load-model';
import { coverage, cvRmse, mape, meanPinball, nmbe } from './metrics';
import {
  ROLLING_CALIBRATION_MIN_DAYS,
  ROLLING_CALIBRATION_MODEL_MIN_DAYS,
  RollingCalibrationOptions,
  rollingCalibratedForecast,
} from './rolling-calibration';
import { MeterSeries, stepsPerDay, timeAt } from './series';

export interface ForecastScores {
  /** Fractions (0.13 = 13 %). */
  cvRmse: number;
  nmbe: number;
  /** null when an actual value is 0 (MAPE undefined). */
  mape: number | null;
  mase: number;
  /** Mean pinball loss over P10/P50/P90, kWh. */
  pinball: number;
  coverageP10P90: number;
  points: number;
}

export interface BacktestResult {
  from: string;
  to: string;
  days: number;
  model: ForecastScores | null;
  baselines: Record<BaselineName, ForecastScores>;
  bestBaseline: BaselineName;
}

/** Seasonal-naive MAE on the training values (MASE denominator), skipping missing pairs. */
export function seasonalMaeScale(values: readonly number[], seasonLag: number): number {
  let sum = 0;
  let n = 0;
  for (let t = seasonLag; t < values.length; t++) {
    const a = values[t];
    const b = values[t - seasonLag];
    if (Number.isFinite(a) && Number.isFinite(b)) {
      sum += Math.abs(a - b);
      n++;
    }
  }
  return n > 0 && sum > 0 ? sum / n : Number.NaN;
}

/** Scores a quantile forecast against actual values (residual = actual − predicted). */
export function scoreForecast(
  actual: number[],
  forecast: QuantileForecast,
  maseScaleKwh: number,
): ForecastScores {
  const levels = [0.1, 0.5, 0.9];
  let absError = 0;
  for (let i = 0; i < actual.length; i++) absError += Math.abs(actual[i] - forecast.p50[i]);
  return {
    cvRmse: cvRmse(actual, forecast.p50),
    nmbe: nmbe(actual, forecast.p50),
    mape: mape(actual, forecast.p50),
    mase: absError / actual.length / maseScaleKwh,
    pinball: meanPinball(
      actual,
      actual.map((_, i) => [forecast.p10[i], forecast.p50[i], forecast.p90[i]]),
      levels,
    ),
    coverageP10P90: coverage(actual, forecast.p10, forecast.p90),
    points: actual.length,
  };
}

export interface BacktestOptions {
  /** First index of the test window (must be a local midnight or is moved to the next). */
  testStart: number;
  /** End of the test window (exclusive; default the end of the series). */
  testEnd?: number;
  /** A trained model to score; when absent only the baselines are scored. */
  model?: LoadModel;
  /**
   * Every method's band recalibrated at each test day on its own day-ahead errors since `testStart`
   * (rolling-calibration.ts; default on, with its defaults); `false`: the static bands only.
   */
  rollingCalibration?: RollingCalibrationOptions | false;
}

/** Day-ahead points of the test window that have a measured value. */
export function testPoints(
  series: MeterSeries,
  calendar: CalendarInfo,
  testStart: number,
  testEnd: number,
): ForecastPoint[] {
  return dayAheadPoints(calendar, testStart, testEnd, series.valuesKwh.length).filter(
    (p) => p.target < testEnd && Number.isFinite(series.valuesKwh[p.target]),
  );
}

/** Rolling-origin day-ahead backtest of a model and the three baselines. */
export function backtestDayAhead(series: MeterSeries, options: BacktestOptions): BacktestResult {
  const n = series.valuesKwh.length;
  const testEnd = Math.min(options.testEnd ?? n, n);
  const calendar = calendarInfo(series, n);
  const spd = stepsPerDay(series.intervalMinutes);
  const trainPoints = dayAheadPoints(calendar, 0, options.testStart, n).filter(
    (p) => p.target < options.testStart,
  );
  const points = testPoints(series, calendar, options.testStart, testEnd);
  if (points.length === 0) throw new Error('backtest: no measured values in the test window');
  const actual = points.map((p) => series.valuesKwh[p.target]);
  const scale = seasonalMaeScale(series.valuesKwh.slice(0, options.testStart), 7 * spd);
  const fitted = fitBaselines(series, calendar, trainPoints);
  const rolling = options.rollingCalibration;
  // the model starts its rolling band later than the baselines (ROLLING_CALIBRATION_MODEL_MIN_DAYS)
  const calibrated = (
    predict: (pts: readonly ForecastPoint[]) => QuantileForecast,
    minDays = ROLLING_CALIBRATION_MIN_DAYS,
  ): QuantileForecast =>
    rolling === false
      ? predict(points)
      : rollingCalibratedForecast(series, calendar, points, predict, {
          notBefore: options.testStart,
          minDays,
          ...rolling,
        }).forecast;
  const baselines = {} as Record<BaselineName, ForecastScores>;
  for (const b of fitted)
    baselines[b.name] = scoreForecast(
      actual,
      calibrated((pts) => b.forecast(series, calendar, pts)),
      scale,
    );
  const model = options.model;
  const modelScores = model
    ? scoreForecast(
        actual,
        calibrated((pts) => model.predictPoints(series, calendar, pts), ROLLING_CALIBRATION_MODEL_MIN_DAYS),
        scale,
      )
    : null;
  const bestBaseline = BASELINE_NAMES.reduce(
    (best, name) => (baselines[name].cvRmse < baselines[best].cvRmse ? name : best),
    BASELINE_NAMES[0],
  );
  const origins = new Set(points.map((p) => p.origin));
  return {
    from: new Date(timeAt(series, options.testStart)).toISOString(),
    to: new Date(timeAt(series, testEnd)).toISOString(),
    days: origins.size,
    model: modelScores,
    baselines,
    bestBaseline,
  };
}

/** True when the model's CV(RMSE) and pinball loss are both below every baseline's. */
export function beatsBaselines(result: BacktestResult): boolean {
  if (!result.model) return false;
  const m = result.model;
  return BASELINE_NAMES.every(
    (name) => m.cvRmse < result.baselines[name].cvRmse && m.pinball < result.baselines[name].pinball,
  );
}

export type ForecastMethod = 'generic' | 'model' | 'baseline';

export class NoReadingsError extends Error {
  readonly code = 'FORECAST_NO_READINGS';
  /** A retry cannot fix it: a training job that meets it fails at once (jobs.service). */
  readonly retryable = false;
  constructor(message = 'The meter has no readings: a forecast needs at least one day of data.') {
    super(message);
    this.name = 'NoReadingsError';
  }
}

export interface MethodChoice {
  method: ForecastMethod;
  reason: string;
  /** Days between the first and the last reading. */
  historyDays: number;
  /** The per-meter model (method 'model'), trained on all the data. */
  artifact?: LoadModelArtifact;
  /** The baseline to use (method 'baseline'). */
  baseline?: BaselineName;
  backtest?: BacktestResult;
}

export interface ChooseMethodOptions {
  /** The shipped generic load model (models/generic-load.json). */
  genericArtifact?: LoadModelArtifact;
  /** History needed for a per-meter model (default 28 days). */
  minHistoryDays?: number;
  /** Length of the backtest window at the end of the history (default 28 days, at most a quarter of it). */
  backtestDays?: number;
  /** Overrides of the load model's hyper-parameters (e.g. a smaller time budget). */
  hyperParameters?: Partial<LoadModelHyperParameters>;
  /**
   * The meter's active model (retraining, e.g. at night): its networks are the warm start, in place
   * of the generic model's, when its features and members match (else the generic start is used).
   */
  previousArtifact?: LoadModelArtifact;
}

function historySpanDays(series: MeterSeries): { first: number; last: number; days: number } {
  const v = series.valuesKwh;
  let first = -1;
  let last = -1;
  for (let i = 0; i < v.length; i++) {
    if (Number.isFinite(v[i])) {
      if (first < 0) first = i;
      last = i;
    }
  }
  if (first < 0) return { first, last, days: 0 };
  return { first, last, days: ((last - first + 1) * series.intervalMinutes) / 1440 };
}

/**
 * Cold-start order: no readings → NoReadingsError; under `minHistoryDays` → 'generic'
 * (the generic model, scaled to the meter by its recent level); otherwise a per-meter
 * model fine-tuned from the generic one is backtested on the last weeks and used
 * ('model') only when it beats every baseline, else the best baseline ('baseline').
 */
export async function chooseMethod(
  series: MeterSeries,
  options: ChooseMethodOptions = {},
): Promise<MethodChoice> {
  const span = historySpanDays(series);
  if (span.first < 0) throw new NoReadingsError();
  const minDays = options.minHistoryDays ?? 28;
  if (span.days < minDays) {
    return {
      method: 'generic',
      reason: `${span.days.toFixed(1)} days of readings (< ${minDays}): generic model scaled to the meter`,
      historyDays: span.days,
    };
  }
  const n = series.valuesKwh.length;
  const calendar = calendarInfo(series, n);
  const spd = stepsPerDay(series.intervalMinutes);
  const testDays = Math.max(7, Math.min(options.backtestDays ?? 28, Math.floor(span.days / 4)));
  const wanted = span.last + 1 - testDays * spd;
  const testStart = calendar.dayStarts.find((i) => i >= wanted) ?? wanted;
  const generic = compatibleGeneric(series, options.genericArtifact);
  const previous = compatibleGeneric(series, options.previousArtifact);
  let initialArtifact = previous ?? generic;
  const train = (trainEnd?: number) =>
    trainLoadModel(series, { trainEnd, initialArtifact, hyperParameters: options.hyperParameters });
  const trained = await train(testStart).catch((error: unknown) => {
    // a previous model on other features (an older feature set): start from the generic one
    if (!previous || !/different (features|ensemble members)/.test(String(error))) throw error;
    initialArtifact = generic;
    return train(testStart);
  });
  let backtest: BacktestResult;
  try {
    backtest = backtestDayAhead(series, { testStart, testEnd: span.last + 1, model: trained.model });
  } finally {
    trained.model.dispose();
  }
  if (beatsBaselines(backtest)) {
    const final = await train();
    final.model.dispose();
    return {
      method: 'model',
      reason: `per-meter model beats every baseline over ${backtest.days} backtest days`,
      historyDays: span.days,
      artifact: final.artifact,
      backtest,
    };
  }
  return {
    method: 'baseline',
    reason: `per-meter model did not beat every baseline; using ${backtest.bestBaseline}`,
    historyDays: span.days,
    baseline: backtest.bestBaseline,
    backtest,
  };
}

function compatibleGeneric(series: MeterSeries, generic?: LoadModelArtifact): LoadModelArtifact | undefined {
  if (!generic) return undefined;
  const hasTemperature = !!series.temperatureC && series.temperatureC.some(Number.isFinite);
  return generic.useTemperature === hasTemperature && generic.intervalMinutes === series.intervalMinutes
    ? generic
    : undefined;
}

/** Forecasts `horizonSteps` after the series end with a fitted baseline (method 'baseline'). */
export function forecastWithBaseline(
  series: MeterSeries,
  name: BaselineName,
  horizonSteps: number,
  temperatureC?: readonly number[],
): QuantilePoints {
  const n = series.valuesKwh.length;
  const calendarTrain = calendarInfo(series, n);
  const trainPoints = dayAheadPoints(calendarTrain, 0, n, n);
  const fitted: FittedBaseline | undefined = fitBaselines(series, calendarTrain, trainPoints).find(
    (b) => b.name === name,
  );
  if (!fitted) throw new Error(`unknown baseline ${name}`);
  const extended: MeterSeries = {
    ...series,
    valuesKwh: series.valuesKwh.concat(new Array<number>(horizonSteps).fill(Number.NaN)),
    temperatureC: series.temperatureC?.concat(
      Array.from({ length: horizonSteps }, (_, i) => temperatureC?.[i] ?? Number.NaN),
    ),
  };
  const calendar = calendarInfo(extended, n + horizonSteps);
  const points = Array.from({ length: horizonSteps }, (_, i) => ({ target: n + i, origin: n }));
  const q = fitted.forecast(extended, calendar, points);
  return {
    timesMs: points.map((p) => timeAt(series, p.target)),
    p10: q.p10.map((v) => Math.max(0, v)),
    p50: q.p50,
    p90: q.p90,
  };
}
