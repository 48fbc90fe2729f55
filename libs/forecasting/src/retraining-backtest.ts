/**
 * The pieces of a day-ahead backtest that retrains the model as the product does (issue 19): the nightly
 * job retrains each meter on its trailing 365 days, warm-started from the active model, and every
 * forecast after that comes from the new model, its recent-error correction (error-correction.ts) and
 * rolling band (rolling-calibration.ts, from the end of its training data) recomputed from the new
 * model's own forecasts of the past. A backtest that trains once and forecasts a whole year ages the
 * model by up to a year; here the test window is cut into blocks of `blockDays` days, block k is
 * forecast by a model trained on the `windowDays` days before its start, and the blocks' per-interval
 * forecasts are concatenated before scoring (the same test points as the one-model backtest).
 * test/bench/forecast-retrain.ts drives it (`npm run bench:forecast -- --retrain-days 28`).
 */
import type { QuantileForecast } from './baselines';
import {
  ErrorHistory,
  RecentErrorCorrection,
  errorCorrectionShifts,
  errorHistoryPoints,
  historyDays,
} from './error-correction';
import { ForecastPoint } from './features';

/** A block of the test window, [start, end) in intervals, both day starts (or the series' end). */
export interface RetrainingBlock {
  start: number;
  end: number;
}

/**
 * The test window [testStart, testEnd) cut at every `blockDays`-th day start from `testStart` (itself a
 * day start of `dayStarts`); the last block ends at `testEnd` and may be shorter.
 */
export function retrainingBlocks(
  dayStarts: readonly number[],
  testStart: number,
  testEnd: number,
  blockDays: number,
): RetrainingBlock[] {
  if (!(blockDays >= 1) || !Number.isInteger(blockDays))
    throw new Error('blockDays must be a positive integer');
  const first = dayStarts.indexOf(testStart);
  if (first < 0) throw new Error('retrainingBlocks: testStart is not a day start');
  const starts: number[] = [];
  for (let d = first; d < dayStarts.length && dayStarts[d] < testEnd; d += blockDays)
    starts.push(dayStarts[d]);
  return starts.map((start, k) => ({ start, end: k + 1 < starts.length ? starts[k + 1] : testEnd }));
}

/** The first interval of the `days` calendar days before `blockStart` (a day start); 0 when the series is shorter. */
export function trailingWindowStart(dayStarts: readonly number[], blockStart: number, days: number): number {
  const d = dayStarts.indexOf(blockStart);
  if (d < 0) throw new Error('trailingWindowStart: blockStart is not a day start');
  return d - days >= 0 ? dayStarts[d - days] : 0;
}

/**
 * The correction shifts (error-correction.ts) of `points` when the errors of the intervals before
 * `blockStart` are those of the forecasts actually issued then (`issuedP50[target]`, the medians of the
 * models active at the time, before their correction) instead of the current model's re-computed,
 * in-sample ones. `ownP50` holds the current model's uncorrected medians of points ++ history.extra;
 * an interval without an issued forecast (NaN) keeps the current model's.
 */
export function issuedErrorShifts(
  values: readonly number[],
  points: readonly ForecastPoint[],
  ownP50: readonly number[],
  history: ErrorHistory,
  issuedP50: ArrayLike<number>,
  blockStart: number,
  spd: number,
  options: { residualCorrection: number; recent?: RecentErrorCorrection },
): number[] {
  const p50 = ownP50.slice();
  for (const [target, row] of history.dayAheadRow) {
    if (target < blockStart && Number.isFinite(issuedP50[target])) p50[row] = issuedP50[target];
  }
  return errorCorrectionShifts(values, points, p50, history, spd, options);
}

/**
 * The forecast of `points` (origins at or after `blockStart`) by a model whose uncorrected forecasts are
 * `predictRaw` (its band calibration applied, no error correction), corrected as LoadModel.predictPoints
 * corrects them but from the issued forecasts' errors before `blockStart` (issuedErrorShifts); the
 * corrected quantiles are clipped at 0 as the model's are.
 */
export function issuedCorrectedForecast(
  values: readonly number[],
  points: readonly ForecastPoint[],
  predictRaw: (points: readonly ForecastPoint[]) => QuantileForecast,
  issuedP50: ArrayLike<number>,
  blockStart: number,
  spd: number,
  options: { residualCorrection: number; recent?: RecentErrorCorrection },
): QuantileForecast {
  const days = historyDays(options.residualCorrection, options.recent);
  if (days === 0) return predictRaw(points);
  const history = errorHistoryPoints(values, points, spd, days);
  const raw = predictRaw(points.concat(history.extra));
  const shifts = issuedErrorShifts(values, points, raw.p50, history, issuedP50, blockStart, spd, options);
  const shifted = (q: number[]): number[] => points.map((_, r) => Math.max(0, q[r] + shifts[r]));
  return { p10: shifted(raw.p10), p50: shifted(raw.p50), p90: shifted(raw.p90) };
}

/** Sum of squared median errors, their count, and how many measured values the P10–P90 band held. */
export interface SquaredErrors {
  sse: number;
  n: number;
  covered: number;
}

/**
 * Squared median errors and P10–P90 hits (inclusive) of the points whose origin lies in the first
 * `firstDays` days of a block after the first (just after a retraining, before the rolling band has a
 * week of the new model's errors) and of those later in such blocks; the first block (the model every
 * protocol starts with) is left out of both.
 */
export function errorsByBlockAge(
  points: readonly ForecastPoint[],
  actual: readonly number[],
  forecast: QuantileForecast,
  blocks: readonly RetrainingBlock[],
  firstDays: number,
  spd: number,
): { firstDays: SquaredErrors; rest: SquaredErrors } {
  const firstDaysErrors = { sse: 0, n: 0, covered: 0 };
  const rest = { sse: 0, n: 0, covered: 0 };
  points.forEach((p, i) => {
    const k = blocks.findIndex((b) => p.origin >= b.start && p.origin < b.end);
    if (k <= 0) return;
    const into = p.origin < blocks[k].start + firstDays * spd ? firstDaysErrors : rest;
    const y = actual[i];
    into.sse += (forecast.p50[i] - y) ** 2;
    into.n++;
    if (forecast.p10[i] <= y && y <= forecast.p90[i]) into.covered++;
  });
  return { firstDays: firstDaysErrors, rest };
}
