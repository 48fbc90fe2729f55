/**
 * Baselines every model is judged against. Each fits on training history and forecasts
 * forecast points (target, origin) reading only values before the origin. P10/P90 are the point
 * forecast plus split-conformal offsets from a calibration window at the end of the training data
 * (fitBaselines; without one, the empirical quantiles of the training residuals).
 */
import { Matrix, solve } from 'ml-matrix';
import { quantileSorted } from 'simple-statistics';
import {
  BASELINE_CALIBRATION_DAYS,
  MIN_CALIBRATION_POINTS,
  calibrationStart,
  conformalOffsets,
  splitAtCalibration,
} from './calibration';
import { CalendarInfo, ForecastPoint, hourOfWeek, recentLoad } from './features';
import { MeterSeries, lagBeforeOrigin, meterScale, stepsPerDay } from './series';

export type BaselineName = 'seasonalNaive' | 'hourOfWeekTemperature' | 'hourOfWeekRecentLoad';
export const BASELINE_NAMES: readonly BaselineName[] = [
  'seasonalNaive',
  'hourOfWeekTemperature',
  'hourOfWeekRecentLoad',
];

export interface QuantileForecast {
  p10: number[];
  p50: number[];
  p90: number[];
}

export interface FittedBaseline {
  name: BaselineName;
  forecast(series: MeterSeries, calendar: CalendarInfo, points: readonly ForecastPoint[]): QuantileForecast;
  /** The bands' split-conformal offsets, kWh (absent: the training residuals' quantiles). */
  calibration?: { lower: number; upper: number; points: number };
}

/** CalTRACK temperature bin edges, °C (30, 45, 55, 65, 75, 90 °F). */
export const CALTRACK_BIN_EDGES_C = [-1.11, 7.22, 12.78, 18.33, 23.89, 32.22];

/**
 * CalTRACK piecewise-linear temperature features: Tc₁ = min(T, B₁); Tcₙ the part of T
 * inside (Bₙ₋₁, Bₙ]; Tc_{N+1} = max(T − B_N, 0). They sum to T.
 */
export function caltrackTemperatureFeatures(temperature: number, edges: readonly number[]): number[] {
  const out: number[] = [Math.min(temperature, edges[0])];
  for (let n = 1; n < edges.length; n++) {
    const lo = edges[n - 1];
    const hi = edges[n];
    out.push(temperature > hi ? hi - lo : temperature > lo ? temperature - lo : 0);
  }
  out.push(Math.max(temperature - edges[edges.length - 1], 0));
  return out;
}

/** Drops bin edges until every segment holds at least `minCount` of the temperatures (CalTRACK: < 20 h merges). */
export function mergeSparseBins(
  temperatures: readonly number[],
  edges: readonly number[],
  minCount = 20,
): number[] {
  let current = [...edges];
  for (;;) {
    const counts = new Array<number>(current.length + 1).fill(0);
    for (const t of temperatures) {
      let k = 0;
      while (k < current.length && t > current[k]) k++;
      counts[k]++;
    }
    const sparse = counts.findIndex((c) => c < minCount);
    if (sparse < 0 || current.length === 0) return current;
    // merge the sparse segment with a neighbour by removing the edge between them
    const edge =
      sparse === 0
        ? 0
        : sparse === current.length
          ? current.length - 1
          : counts[sparse - 1] <= counts[sparse + 1]
            ? sparse - 1
            : sparse;
    current = current.filter((_, i) => i !== edge);
  }
}

/** Ordinary least squares via ridge-stabilised normal equations (ml-matrix). */
export function leastSquares(x: Float64Array, y: readonly number[], columns: number, ridge = 1e-6): number[] {
  const rows = y.length;
  const xtx = new Float64Array(columns * columns);
  const xty = new Float64Array(columns);
  const nz: number[] = [];
  for (let r = 0; r < rows; r++) {
    const base = r * columns;
    nz.length = 0;
    for (let c = 0; c < columns; c++) if (x[base + c] !== 0) nz.push(c);
    for (const a of nz) {
      const va = x[base + a];
      xty[a] += va * y[r];
      for (const b of nz) xtx[a * columns + b] += va * x[base + b];
    }
  }
  const a = new Matrix(columns, columns);
  for (let i = 0; i < columns; i++) {
    for (let j = 0; j < columns; j++)
      a.set(i, j, xtx[i * columns + j] + (i === j ? ridge * (1 + xtx[i * columns + i]) : 0));
  }
  const beta = solve(a, Matrix.columnVector(Array.from(xty)));
  return beta.to1DArray();
}

function residualQuantiles(residuals: number[]): { q10: number; q90: number } {
  const finite = residuals.filter(Number.isFinite).sort((p, q) => p - q);
  if (finite.length === 0) return { q10: 0, q90: 0 };
  return { q10: quantileSorted(finite, 0.1), q90: quantileSorted(finite, 0.9) };
}

function withBands(p50: number[], q: { q10: number; q90: number }): QuantileForecast {
  return { p10: p50.map((v) => v + q.q10), p50, p90: p50.map((v) => v + q.q90) };
}

/**
 * The meter's level (fallback when nothing before an origin is valid) from the training
 * period only: the values up to the last training target, never the test period's.
 */
export function trainingScale(series: MeterSeries, trainPoints: readonly ForecastPoint[]): number {
  let end = 0;
  for (const p of trainPoints) if (p.target + 1 > end) end = p.target + 1;
  return meterScale(series.valuesKwh.slice(0, end));
}

function trainingPointsWithTarget(series: MeterSeries, points: readonly ForecastPoint[]): ForecastPoint[] {
  return points.filter((p) => Number.isFinite(series.valuesKwh[p.target]));
}

/** Seasonal naive: the value at the same time of week in the latest week before the origin. */
export function fitSeasonalNaive(
  series: MeterSeries,
  calendar: CalendarInfo,
  trainPoints: readonly ForecastPoint[],
): FittedBaseline {
  const spd = stepsPerDay(series.intervalMinutes);
  const scale = trainingScale(series, trainPoints);
  const predictOne = (s: MeterSeries, p: ForecastPoint): number =>
    recentLoad(s.valuesKwh, p.target, p.origin, spd, scale).sameTimeLastWeekKwh;
  const residuals = trainingPointsWithTarget(series, trainPoints).map(
    (p) => series.valuesKwh[p.target] - predictOne(series, p),
  );
  const q = residualQuantiles(residuals);
  return {
    name: 'seasonalNaive',
    forecast: (s, _c, points) =>
      withBands(
        points.map((p) => predictOne(s, p)),
        q,
      ),
  };
}

/** The raw seasonal-naive lag (NaN when missing), for tests and MASE scales. */
export function seasonalNaiveValue(
  values: readonly number[],
  target: number,
  origin: number,
  spd: number,
): number {
  const i = lagBeforeOrigin(target, origin, 7 * spd);
  return i >= 0 ? values[i] : Number.NaN;
}

/**
 * CalTRACK-style hourly TOWT: 168 hour-of-week terms (Monday 00:00 = 0, no intercept) plus
 * piecewise-linear temperature terms for occupied and unoccupied hours of week. Single
 * annual model, unweighted (CalTRACK's monthly weighting is left out). Without temperature
 * it reduces to the hour-of-week means.
 */
export function fitHourOfWeekTemperature(
  series: MeterSeries,
  calendar: CalendarInfo,
  trainPoints: readonly ForecastPoint[],
): FittedBaseline {
  const points = trainingPointsWithTarget(series, trainPoints);
  const temps = series.temperatureC;
  const hasTemperature =
    !!temps && points.filter((p) => Number.isFinite(temps[p.target])).length > points.length * 0.5;
  const y = points.map((p) => series.valuesKwh[p.target]);
  const howOf = (c: CalendarInfo, i: number): number => hourOfWeek(c, i);
  let edges: number[] = [];
  const occupied = new Uint8Array(168).fill(1);
  let fallbackTemperature = 15;
  if (hasTemperature && temps) {
    const trainTemps = points.map((p) => temps[p.target]).filter(Number.isFinite);
    fallbackTemperature = trainTemps.reduce((a, b) => a + b, 0) / trainTemps.length;
    edges = mergeSparseBins(trainTemps, CALTRACK_BIN_EDGES_C);
    // occupancy: UPH = μ + βH·HDH50 + βC·CDH65; occupied when actual > fit in > 65 % of its hours
    const design = new Float64Array(points.length * 3);
    points.forEach((p, r) => {
      const t = Number.isFinite(temps[p.target]) ? temps[p.target] : fallbackTemperature;
      design[r * 3] = 1;
      design[r * 3 + 1] = Math.max(10 - t, 0);
      design[r * 3 + 2] = Math.max(t - 18.33, 0);
    });
    const beta = leastSquares(design, y, 3);
    const above = new Float64Array(168);
    const total = new Float64Array(168);
    points.forEach((p, r) => {
      const fit = beta[0] * design[r * 3] + beta[1] * design[r * 3 + 1] + beta[2] * design[r * 3 + 2];
      const h = howOf(calendar, p.target);
      total[h]++;
      if (y[r] > fit) above[h]++;
    });
    for (let h = 0; h < 168; h++) occupied[h] = total[h] > 0 && above[h] / total[h] > 0.65 ? 1 : 0;
  }
  const nTemp = hasTemperature ? edges.length + 1 : 0;
  const columns = 168 + 2 * nTemp;
  const row = (s: MeterSeries, c: CalendarInfo, i: number, out: Float64Array, base: number): void => {
    const h = howOf(c, i);
    out[base + h] = 1;
    if (nTemp > 0) {
      const t =
        s.temperatureC && Number.isFinite(s.temperatureC[i]) ? s.temperatureC[i] : fallbackTemperature;
      const f = caltrackTemperatureFeatures(t, edges);
      const shift = 168 + (occupied[h] ? 0 : nTemp);
      for (let k = 0; k < nTemp; k++) out[base + shift + k] = f[k];
    }
  };
  const x = new Float64Array(points.length * columns);
  points.forEach((p, r) => row(series, calendar, p.target, x, r * columns));
  const beta = leastSquares(x, y, columns);
  const predictMany = (s: MeterSeries, c: CalendarInfo, pts: readonly ForecastPoint[]): number[] => {
    const buf = new Float64Array(columns);
    return pts.map((p) => {
      buf.fill(0);
      row(s, c, p.target, buf, 0);
      let v = 0;
      for (let k = 0; k < columns; k++) if (buf[k] !== 0) v += buf[k] * beta[k];
      return v;
    });
  };
  const fitted = predictMany(series, calendar, points);
  const q = residualQuantiles(y.map((v, i) => v - fitted[i]));
  return { name: 'hourOfWeekTemperature', forecast: (s, c, pts) => withBands(predictMany(s, c, pts), q) };
}

/** Columns of the hour-of-week + recent-load regression: 168 hour-of-week terms, then three recent-load terms. */
export const RECENT_LOAD_REGRESSION_COLUMNS = 168 + 3;

/** Writes one point's regression row (hour-of-week one-hot, mean of the day before the origin, same time last day and last week). */
export function recentLoadRegressionRow(
  values: readonly number[],
  calendar: CalendarInfo,
  p: ForecastPoint,
  spd: number,
  scaleKwh: number,
  out: Float64Array,
  base: number,
): void {
  out[base + hourOfWeek(calendar, p.target)] = 1;
  const recent = recentLoad(values, p.target, p.origin, spd, scaleKwh);
  out[base + 168] = recent.lastDayMeanKwh;
  out[base + 169] = recent.sameTimeLastDayKwh;
  out[base + 170] = recent.sameTimeLastWeekKwh;
}

/** Least-squares coefficients of the hour-of-week + recent-load regression on the points with a measured target. */
export function fitRecentLoadRegression(
  series: MeterSeries,
  calendar: CalendarInfo,
  trainPoints: readonly ForecastPoint[],
  scaleKwh: number,
): number[] {
  const spd = stepsPerDay(series.intervalMinutes);
  const points = trainingPointsWithTarget(series, trainPoints);
  const columns = RECENT_LOAD_REGRESSION_COLUMNS;
  const x = new Float64Array(points.length * columns);
  points.forEach((p, r) =>
    recentLoadRegressionRow(series.valuesKwh, calendar, p, spd, scaleKwh, x, r * columns),
  );
  return leastSquares(
    x,
    points.map((p) => series.valuesKwh[p.target]),
    columns,
  );
}

/** Predictions of a fitted recent-load regression. */
export function predictRecentLoadRegression(
  beta: readonly number[],
  series: MeterSeries,
  calendar: CalendarInfo,
  points: readonly ForecastPoint[],
  scaleKwh: number,
): number[] {
  const spd = stepsPerDay(series.intervalMinutes);
  const columns = RECENT_LOAD_REGRESSION_COLUMNS;
  const buf = new Float64Array(columns);
  return points.map((p) => {
    buf.fill(0);
    recentLoadRegressionRow(series.valuesKwh, calendar, p, spd, scaleKwh, buf, 0);
    let v = 0;
    for (let k = 0; k < columns; k++) if (buf[k] !== 0) v += buf[k] * beta[k];
    return v;
  });
}

/**
 * Least squares on 168 hour-of-week terms plus recent load: the mean of the day before
 * the origin, the same time on the latest day before the origin and in the latest week.
 */
export function fitHourOfWeekRecentLoad(
  series: MeterSeries,
  calendar: CalendarInfo,
  trainPoints: readonly ForecastPoint[],
): FittedBaseline {
  const scale = trainingScale(series, trainPoints);
  const points = trainingPointsWithTarget(series, trainPoints);
  const beta = fitRecentLoadRegression(series, calendar, points, scale);
  const fitted = predictRecentLoadRegression(beta, series, calendar, points, scale);
  const q = residualQuantiles(points.map((p, i) => series.valuesKwh[p.target] - fitted[i]));
  return {
    name: 'hourOfWeekRecentLoad',
    forecast: (s, c, pts) => withBands(predictRecentLoadRegression(beta, s, c, pts, scale), q),
  };
}

const BASELINE_FITTERS = [fitSeasonalNaive, fitHourOfWeekTemperature, fitHourOfWeekRecentLoad] as const;

/**
 * Fits all three baselines on the same training points, with calibrated bands (issue 19): each is
 * also fitted on the points before the calibration window at the end of the training data
 * (BASELINE_CALIBRATION_DAYS, at most half of it; calibration.ts), and its P10/P90 are the fit on all points plus that earlier fit's split-conformal
 * offsets on the window (each tail misses 10 % there). With a calibration window of fewer than 48
 * measured points the bands are the training residuals' quantiles. `calibrationDays` 0 turns it off.
 */
export function fitBaselines(
  series: MeterSeries,
  calendar: CalendarInfo,
  trainPoints: readonly ForecastPoint[],
  options: { calibrationDays?: number } = {},
): FittedBaseline[] {
  let first = Number.POSITIVE_INFINITY;
  let end = 0;
  for (const p of trainPoints) {
    first = Math.min(first, p.target);
    end = Math.max(end, p.target + 1);
  }
  const days = options.calibrationDays ?? BASELINE_CALIBRATION_DAYS;
  const start =
    days > 0 && trainPoints.length
      ? calibrationStart(calendar, series.intervalMinutes, first, end, days, 0.5)
      : end;
  const { fit, calibration } = splitAtCalibration(trainingPointsWithTarget(series, trainPoints), start);
  const calibrate = fit.length > 0 && calibration.length >= MIN_CALIBRATION_POINTS;
  return BASELINE_FITTERS.map((fitter) => {
    const full = fitter(series, calendar, trainPoints);
    if (!calibrate) return full;
    const early = fitter(series, calendar, fit).forecast(series, calendar, calibration);
    const offsets = conformalOffsets(
      calibration.map((p) => series.valuesKwh[p.target]),
      early.p50,
    );
    return {
      name: full.name,
      calibration: offsets,
      forecast: (s, c, pts) =>
        withBands(full.forecast(s, c, pts).p50, { q10: offsets.lower, q90: offsets.upper }),
    };
  });
}
