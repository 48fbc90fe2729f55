/**
 * Baselines of the cold-start benchmark (BuildingsBench protocol: a window of history in, the next
 * day out), fitted on the window only:
 * - previous-day persistence: the value 24 h earlier (the last day of the window), else the same
 *   hour of an earlier day of the window, else the window's mean;
 * - previous-week persistence: the value 168 h earlier (with one week of history, the hour-of-week
 *   regression fitted on the window IS this: 168 indicators, 168 points);
 * - the hour-of-day × day-type regression: least squares of the load on 24 hour-of-day indicators
 *   and 24 hour-of-day × off-day (weekend or public holiday) indicators, fitted on the window. Its
 *   solution is the mean of each (hour, day type) cell; a cell with no reading falls back to the
 *   hour's mean over all days, then to the window's mean.
 * All read only the window; `history` is the window's values (NaN = missing), `target*` describe the
 * forecast intervals.
 */
export interface WindowCalendar {
  /** Local hour 0–23 of each history value and each target. */
  historyHour: ArrayLike<number>;
  historyOffDay: ArrayLike<number>;
  targetHour: ArrayLike<number>;
  targetOffDay: ArrayLike<number>;
}

function windowMean(history: readonly number[]): number {
  let sum = 0;
  let n = 0;
  for (const v of history) {
    if (Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  return n ? sum / n : Number.NaN;
}

/** The value `period` steps before each target (targets follow the window directly), with fallbacks. */
export function persistenceForecast(history: readonly number[], horizon: number, period: number): number[] {
  const n = history.length;
  const mean = windowMean(history);
  const at = (i: number): number => (i >= 0 && i < n ? history[i] : Number.NaN);
  return Array.from({ length: horizon }, (_, h) => {
    // the latest value at a multiple of `period` before the target, inside the window
    let i = n + h - period * (Math.floor(h / period) + 1);
    let v = at(i);
    while (!Number.isFinite(v) && i - period >= 0) {
      i -= period;
      v = at(i);
    }
    return Number.isFinite(v) ? v : mean;
  });
}

/** The hour-of-day × day-type least-squares fit on the window, evaluated at the targets. */
export function dayTypeProfileForecast(history: readonly number[], calendar: WindowCalendar): number[] {
  const sum = new Float64Array(48);
  const count = new Float64Array(48);
  const hourSum = new Float64Array(24);
  const hourCount = new Float64Array(24);
  history.forEach((v, i) => {
    if (!Number.isFinite(v)) return;
    const h = calendar.historyHour[i];
    const cell = h + 24 * (calendar.historyOffDay[i] ? 1 : 0);
    sum[cell] += v;
    count[cell]++;
    hourSum[h] += v;
    hourCount[h]++;
  });
  const mean = windowMean(history);
  return Array.from({ length: calendar.targetHour.length }, (_, t) => {
    const h = calendar.targetHour[t];
    const cell = h + 24 * (calendar.targetOffDay[t] ? 1 : 0);
    if (count[cell] > 0) return sum[cell] / count[cell];
    return hourCount[h] > 0 ? hourSum[h] / hourCount[h] : mean;
  });
}
