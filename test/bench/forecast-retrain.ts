/**
 * `--retrain-days K` of the load-forecast benchmark (forecast.ts, issue 19): the model evaluated as the
 * product runs it. The static protocol trains once on the first year and forecasts the whole test
 * year; the product retrains every meter nightly on its trailing 365 days, warm-started from the
 * active model (forecasting.service.ts, chooseMethod's previousArtifact). Here the test year is cut
 * into K-day blocks (libs/forecasting/src/retraining-backtest.ts); the first block is forecast by the
 * static model, and before each later block a model is trained on the 365 days before its start,
 * warm-started from the previous block's model. Each block is forecast the way the product forecasts
 * after a retraining: LoadModel.predictPoints with its recent-error correction re-computed from the
 * new model's own forecasts of the past, and the band recalibrated on the new model's errors since its
 * training data ended (rollingCalibratedForecast with notBefore = the block start). The blocks'
 * forecasts are concatenated and scored over the same test points as the static model.
 *
 * Reported next to it, as a diagnostic (`modelRetrainedIssued`): the same models with the error
 * correction reading the errors of the forecasts actually issued before the block (the previous
 * models', uncorrected as the correction reads them) instead of the new model's in-sample ones.
 * The chooseMethod gate (a retrained model that no longer beats every baseline is replaced by the
 * best baseline) is not modelled: every block is forecast by its model.
 */
import {
  ForecastPoint,
  ForecastScores,
  LoadModel,
  LoadModelArtifact,
  LoadModelHyperParameters,
  QuantileForecast,
  ROLLING_CALIBRATION_MODEL_MIN_DAYS,
  SquaredErrors,
  TRAINING_DAYS,
  calendarInfo,
  dayAheadPoints,
  errorsByBlockAge,
  issuedCorrectedForecast,
  retrainingBlocks,
  rollingCalibratedForecast,
  scoreForecast,
  seasonalMaeScale,
  sliceSeries,
  stepsPerDay,
  testPoints,
  trailingWindowStart,
  trainLoadModel,
} from '@halve/forecasting';
import type { MeterSeries } from '@halve/forecasting';
import { median } from './stats';

/** The product's training window. */
export const PRODUCT_TRAINING_DAYS = TRAINING_DAYS;
/** Days after a retraining whose errors and coverage are reported apart (the first week). */
const FIRST_DAYS = 7;

export const STATIC_PROTOCOL = 'static: trained once on the first year, forecasts the whole test year';

export const RETRAINED_METHODS = ['modelRetrained', 'modelRetrainedIssued'] as const;

export interface RetrainedBacktest {
  blockDays: number;
  windowDays: number;
  blocks: number;
  retrained: ForecastScores;
  issued: ForecastScores;
  /** Trainings after the static model's (one per block after the first) and their cost. */
  trainings: number;
  trainSeconds: number;
  trainCpuSeconds: number;
  /** Squared median errors in the first FIRST_DAYS days of blocks 2.. and in the rest of them. */
  byBlockAge: Record<'static' | 'retrained' | 'issued', { firstDays: SquaredErrors; rest: SquaredErrors }>;
}

/** The model with the error correction turned off: its forecasts are the uncorrected ones the correction reads. */
function uncorrected(artifact: LoadModelArtifact): Promise<LoadModel> {
  const hp = { ...artifact.hyperParameters, residualCorrection: 0, recentErrorCorrection: undefined };
  return LoadModel.fromArtifact({ ...artifact, hyperParameters: hp });
}

/** Trains the model of a block: the `windowDays` days before `start`, warm-started from `previous`. */
async function trainBlockModel(
  series: MeterSeries,
  dayStarts: readonly number[],
  start: number,
  options: { windowDays: number; previous: LoadModelArtifact; hp?: Partial<LoadModelHyperParameters> },
): Promise<{ model: LoadModel; artifact: LoadModelArtifact; seconds: number; cpuSeconds: number }> {
  const from = trailingWindowStart(dayStarts, start, options.windowDays);
  const t0 = Date.now();
  const cpu0 = process.cpuUsage();
  const trained = await trainLoadModel(sliceSeries(series, from, start), {
    initialArtifact: options.previous,
    hyperParameters: options.hp,
  });
  const cpu = process.cpuUsage(cpu0);
  return {
    model: trained.model,
    artifact: trained.artifact,
    seconds: (Date.now() - t0) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

/** Days of errors before an origin the model's corrections read (error-correction.ts historyDays). */
function historyDaysOf(artifact: LoadModelArtifact): number {
  const recent = artifact.hyperParameters.recentErrorCorrection;
  return Math.max(1, recent ? Math.max(7 * recent.weeks, recent.days) : 0);
}

const concat = (into: QuantileForecast, q: QuantileForecast): void => {
  into.p10.push(...q.p10);
  into.p50.push(...q.p50);
  into.p90.push(...q.p90);
};

/** The retraining protocol's scores over [testStart, end of series); `first` is the static model (not disposed). */
export async function retrainedBacktest(
  series: MeterSeries,
  options: {
    testStart: number;
    blockDays: number;
    first: { model: LoadModel; artifact: LoadModelArtifact };
    windowDays?: number;
    hp?: Partial<LoadModelHyperParameters>;
  },
): Promise<RetrainedBacktest> {
  const values = series.valuesKwh;
  const n = values.length;
  const windowDays = options.windowDays ?? PRODUCT_TRAINING_DAYS;
  const calendar = calendarInfo(series, n);
  const spd = stepsPerDay(series.intervalMinutes);
  const { dayStarts } = calendar;
  const blocks = retrainingBlocks(dayStarts, options.testStart, n, options.blockDays);
  // the uncorrected medians of the forecasts issued (by the model active at their origin), by target
  const issuedP50 = new Float64Array(n).fill(Number.NaN);
  const retrained: QuantileForecast = { p10: [], p50: [], p90: [] };
  const issued: QuantileForecast = { p10: [], p50: [], p90: [] };
  const points: ForecastPoint[] = [];
  const cost = { trainings: 0, trainSeconds: 0, trainCpuSeconds: 0 };
  let previous = options.first.artifact;
  for (const [k, block] of blocks.entries()) {
    const trained =
      k === 0
        ? { ...options.first, seconds: 0, cpuSeconds: 0 }
        : await trainBlockModel(series, dayStarts, block.start, { windowDays, previous, hp: options.hp });
    const raw = await uncorrected(trained.artifact);
    try {
      if (k > 0) {
        cost.trainings++;
        cost.trainSeconds += trained.seconds;
        cost.trainCpuSeconds += trained.cpuSeconds;
      }
      // the first block's history (before the test window) was forecast by the static model
      const from =
        k === 0 ? trailingWindowStart(dayStarts, block.start, historyDaysOf(previous)) : block.start;
      const own = dayAheadPoints(calendar, from, block.end, n).filter((p) => p.target < block.end);
      raw.predictPoints(series, calendar, own).p50.forEach((v, i) => (issuedP50[own[i].target] = v));
      const pts = testPoints(series, calendar, block.start, block.end);
      const hp = trained.artifact.hyperParameters;
      const corrections = {
        residualCorrection: hp.residualCorrection ?? 0,
        recent: hp.recentErrorCorrection,
      };
      const forecast = (predict: (p: readonly ForecastPoint[]) => QuantileForecast): QuantileForecast =>
        rollingCalibratedForecast(series, calendar, pts, predict, {
          notBefore: block.start,
          minDays: ROLLING_CALIBRATION_MODEL_MIN_DAYS,
        }).forecast;
      concat(
        retrained,
        forecast((p) => trained.model.predictPoints(series, calendar, p)),
      );
      concat(
        issued,
        forecast((p) =>
          issuedCorrectedForecast(
            values,
            p,
            (q) => raw.predictPoints(series, calendar, q),
            issuedP50,
            block.start,
            spd,
            corrections,
          ),
        ),
      );
      points.push(...pts);
    } finally {
      raw.dispose();
      if (k > 0) trained.model.dispose();
    }
    previous = trained.artifact;
  }
  return score(series, options, { blocks, points, retrained, issued, cost, windowDays });
}

/** retrainedBacktest with K-day blocks, or null when no K was asked for. */
export function ifAsked(
  blockDays: number | undefined,
  series: MeterSeries,
  options: Omit<Parameters<typeof retrainedBacktest>[1], 'blockDays'>,
): Promise<RetrainedBacktest | null> {
  return blockDays ? retrainedBacktest(series, { ...options, blockDays }) : Promise.resolve(null);
}

/** Scores the concatenated forecasts over the static backtest's test points (checked to be the same). */
function score(
  series: MeterSeries,
  options: { testStart: number; blockDays: number; first: { model: LoadModel } },
  r: {
    blocks: ReturnType<typeof retrainingBlocks>;
    points: ForecastPoint[];
    retrained: QuantileForecast;
    issued: QuantileForecast;
    cost: { trainings: number; trainSeconds: number; trainCpuSeconds: number };
    windowDays: number;
  },
): RetrainedBacktest {
  const values = series.valuesKwh;
  const calendar = calendarInfo(series, values.length);
  const spd = stepsPerDay(series.intervalMinutes);
  const all = testPoints(series, calendar, options.testStart, values.length);
  if (all.length !== r.points.length || all.some((p, i) => p.target !== r.points[i].target))
    throw new Error('retrainedBacktest: the blocks do not cover the static test points');
  const actual = all.map((p) => values[p.target]);
  const scale = seasonalMaeScale(values.slice(0, options.testStart), 7 * spd);
  // the static model's band: recalibrated on its errors since the test start, as backtestDayAhead does
  const staticForecast = rollingCalibratedForecast(
    series,
    calendar,
    all,
    (pts) => options.first.model.predictPoints(series, calendar, pts),
    { notBefore: options.testStart, minDays: ROLLING_CALIBRATION_MODEL_MIN_DAYS },
  ).forecast;
  const age = (q: QuantileForecast) => errorsByBlockAge(all, actual, q, r.blocks, FIRST_DAYS, spd);
  return {
    blockDays: options.blockDays,
    windowDays: r.windowDays,
    blocks: r.blocks.length,
    retrained: scoreForecast(actual, r.retrained, scale),
    issued: scoreForecast(actual, r.issued, scale),
    ...r.cost,
    byBlockAge: { static: age(staticForecast), retrained: age(r.retrained), issued: age(r.issued) },
  };
}

type Protocol = 'static' | 'retrained' | 'issued';
const PROTOCOLS: readonly Protocol[] = ['static', 'retrained', 'issued'];
/** RMSE (kWh) and P10–P90 coverage by protocol over one part of the blocks after the first. */
interface AgeScores {
  rmse: Record<Protocol, number>;
  coverage: Record<Protocol, number>;
}

/** Per building: the retraining's cost, and scores just after a retraining (`firstDays`) and later (`rest`). */
export interface RetrainRow {
  blocks: number;
  trainings: number;
  trainSeconds: number;
  trainCpuSeconds: number;
  firstDays: AgeScores;
  rest: AgeScores;
}

interface ScoredRow {
  cvRmse: Record<string, number>;
  pinball: Record<string, number>;
  relativeCrps: Record<string, number>;
  coverage: Record<string, number>;
  trainCpuSeconds: number;
  retrain?: RetrainRow;
}

/** Adds the retrained methods' scores to a forecast.ts row; `meanLoad` divides the CRPS. */
export function addRetrainedScores(row: ScoredRow, r: RetrainedBacktest, meanLoad: number): void {
  for (const [name, s] of [
    ['modelRetrained', r.retrained],
    ['modelRetrainedIssued', r.issued],
  ] as const) {
    row.cvRmse[name] = s.cvRmse;
    row.pinball[name] = s.pinball;
    row.relativeCrps[name] = (2 * s.pinball) / meanLoad;
    row.coverage[name] = s.coverageP10P90;
  }
  const part = (age: 'firstDays' | 'rest'): AgeScores => {
    const by = (f: (e: SquaredErrors) => number) =>
      Object.fromEntries(PROTOCOLS.map((p) => [p, f(r.byBlockAge[p][age])])) as Record<Protocol, number>;
    return {
      rmse: by((e) => (e.n > 0 ? Math.sqrt(e.sse / e.n) : Number.NaN)),
      coverage: by((e) => (e.n > 0 ? e.covered / e.n : Number.NaN)),
    };
  };
  const { blocks, trainings, trainSeconds, trainCpuSeconds } = r;
  row.retrain = {
    blocks,
    trainings,
    trainSeconds,
    trainCpuSeconds,
    firstDays: part('firstDays'),
    rest: part('rest'),
  };
}

/** The protocol's summary (printed and returned for the JSON); `best` = a row's best baseline CV(RMSE). */
export function retrainSummary<R extends ScoredRow>(
  rows: R[],
  blockDays: number,
  best: (row: R) => number,
  windowDays = PRODUCT_TRAINING_DAYS,
) {
  const withRetrain = rows.filter((r) => r.retrain);
  const sum = (f: (r: ScoredRow) => number) => withRetrain.reduce((a, r) => a + f(r), 0);
  const ratio = (age: 'firstDays' | 'rest', num: Protocol, den: Protocol) =>
    median(withRetrain.map((r) => r.retrain![age].rmse[num] / r.retrain![age].rmse[den]));
  const coverage = (age: 'firstDays' | 'rest') =>
    Object.fromEntries(
      PROTOCOLS.map((p) => [p, median(withRetrain.map((r) => r.retrain![age].coverage[p]))]),
    );
  const summary = {
    protocol: {
      model: STATIC_PROTOCOL,
      modelRetrained: `retrained every ${blockDays} days on the ${windowDays} days before, warm-started from the previous model; correction and rolling band from the new model's own forecasts (the product)`,
      modelRetrainedIssued:
        'the same models, the error correction reading the errors of the forecasts issued before each retraining',
    },
    retrainDays: blockDays,
    windowDays,
    winsRetrained: rows.filter((r) => r.cvRmse.modelRetrained < best(r)).length,
    winsRetrainedIssued: rows.filter((r) => r.cvRmse.modelRetrainedIssued < best(r)).length,
    betterThanStatic: rows.filter((r) => r.cvRmse.modelRetrained < r.cvRmse.model).length,
    trainings: sum((r) => r.retrain!.trainings),
    trainCpuSecondsStatic: sum((r) => r.trainCpuSeconds),
    trainCpuSecondsRetraining: sum((r) => r.retrain!.trainCpuSeconds),
    medianRetrainingCpuSeconds: median(
      withRetrain.map((r) => r.retrain!.trainCpuSeconds / r.retrain!.trainings),
    ),
    /** Medians over buildings, in the first 7 days after a retraining and in the rest of the blocks 2.. */
    rmseRatioRetrainedOverStatic: {
      firstDays: ratio('firstDays', 'retrained', 'static'),
      rest: ratio('rest', 'retrained', 'static'),
    },
    rmseRatioIssuedOverRetrained: {
      firstDays: ratio('firstDays', 'issued', 'retrained'),
      rest: ratio('rest', 'issued', 'retrained'),
    },
    coverageByBlockAge: { firstDays: coverage('firstDays'), rest: coverage('rest') },
  };
  const f = (v: number) => v.toFixed(3);
  console.log(
    `\nretraining every ${blockDays} days (${windowDays}-day window, warm start): modelRetrained beats the best baseline on ${summary.winsRetrained}/${rows.length} ` +
      `(issued-error correction ${summary.winsRetrainedIssued}/${rows.length}), better than the static model on ${summary.betterThanStatic}/${rows.length}; ` +
      `${summary.trainings} retrainings, ${summary.trainCpuSecondsRetraining.toFixed(0)} CPU s (median ${summary.medianRetrainingCpuSeconds.toFixed(1)} s each) ` +
      `+ ${summary.trainCpuSecondsStatic.toFixed(0)} CPU s static`,
  );
  console.log(
    `RMSE ratio (median over buildings) retrained/static: first ${FIRST_DAYS} days after a retraining ${f(summary.rmseRatioRetrainedOverStatic.firstDays)}, rest ${f(summary.rmseRatioRetrainedOverStatic.rest)}; ` +
      `issued-error correction/own: first ${FIRST_DAYS} days ${f(summary.rmseRatioIssuedOverRetrained.firstDays)}, rest ${f(summary.rmseRatioIssuedOverRetrained.rest)}`,
  );
  const cov = (age: 'firstDays' | 'rest') =>
    PROTOCOLS.map((p) => f(summary.coverageByBlockAge[age][p])).join(' / ');
  console.log(
    `P10–P90 coverage (median) static / retrained / issued: first ${FIRST_DAYS} days after a retraining (training-time band) ${cov('firstDays')}, rest ${cov('rest')}`,
  );
  return summary;
}

/** The retrained methods' CV(RMSE) in a building's printed line ('' without them). */
export function logPart(row: ScoredRow): string {
  const pct = (v: number) => (100 * v).toFixed(1).padStart(6);
  return row.retrain
    ? `retrained ${pct(row.cvRmse.modelRetrained)} issued ${pct(row.cvRmse.modelRetrainedIssued)} `
    : '';
}
