/**
 * The load model's outdoor-temperature features, pure functions (issue 19):
 * - `temp`, `cooling`, `heating`: the temperature at the target and its degrees above 20 °C / below
 *   12 °C (÷ 10);
 * - `tempVsLastDay`: the change from the same time on the latest day before the origin;
 * - `tempLag3h`: the temperature 3 hours before the target (the building's thermal lag);
 * - `coolingDegreeHours24h`, `heatingDegreeHours24h`: degree-hours above 20 °C / below 12 °C over the
 *   24 hours ending at the target, ÷ 24 h (mean degrees) ÷ 10.
 * Models trained before the last three were added store only the first four names in their
 * artifact (`featureNames`); the feature matrix is built from the names, so they still forecast.
 *
 * At or after the origin a temperature is a forecast. Where none is given (NaN), or when the horizon
 * is asked to use `persistence`, the temperature of the same time on the latest day before the origin
 * stands in for it (yesterday's temperature persisted), never a constant. A gap in the history is
 * filled from the same time on an earlier day (up to a week), last by the mean temperature.
 */
import { finiteMean, lagBeforeOrigin } from './series';

/** Balance points of the degree features, °C. */
export const COOLING_BASE_C = 20;
export const HEATING_BASE_C = 12;

/** The temperature feature set of models trained before issue 19 (still read from old artifacts). */
export const LEGACY_TEMPERATURE_FEATURES = ['temp', 'cooling', 'heating', 'tempVsLastDay'] as const;
export const TEMPERATURE_FEATURES = [
  ...LEGACY_TEMPERATURE_FEATURES,
  'tempLag3h',
  'coolingDegreeHours24h',
  'heatingDegreeHours24h',
] as const;
export type TemperatureFeature = (typeof TEMPERATURE_FEATURES)[number];

export function isTemperatureFeature(name: string): name is TemperatureFeature {
  return (TEMPERATURE_FEATURES as readonly string[]).includes(name);
}

/**
 * Where the temperatures at and after the origin come from: the series' values (a weather forecast in
 * production, the observation in a backtest: a perfect forecast), or yesterday's persisted.
 */
export type HorizonTemperature = 'forecast' | 'persistence';

/** Degree-hours of a run of hourly temperatures: Σ max(T − base, 0) (cooling) or Σ max(base − T, 0) (heating). */
export function degreeHours(
  temperaturesC: readonly number[],
  baseC: number,
  kind: 'cooling' | 'heating',
): number {
  let sum = 0;
  for (const t of temperaturesC) sum += Math.max(kind === 'cooling' ? t - baseC : baseC - t, 0);
  return sum;
}

/**
 * The temperature at index i as seen from `origin`: before it the measured value (a gap: the same
 * time on an earlier day, up to a week back, else `fallbackC`); at or after it the forecast in
 * `temps` (mode 'forecast') or, when there is none or the mode is 'persistence', the same time on
 * the latest day before the origin.
 */
export function temperatureSeenFrom(
  temps: readonly number[],
  i: number,
  origin: number,
  stepsPerDay: number,
  mode: HorizonTemperature,
  fallbackC: number,
): number {
  const v = i >= 0 ? temps[i] : Number.NaN;
  if (Number.isFinite(v) && (i < origin || mode === 'forecast')) return v;
  let j = i >= origin ? lagBeforeOrigin(i, origin, stepsPerDay) : i - stepsPerDay;
  for (let k = 0; k < 7 && j >= 0; k++, j -= stepsPerDay) if (Number.isFinite(temps[j])) return temps[j];
  return fallbackC;
}

/**
 * Writes the named temperature features of target t (origin o) into `out` at `offset`; returns the
 * next offset. `lastDayIndex` is the same time on the latest day before the origin (recentLoad).
 */
export function writeTemperatureFeatures(
  names: readonly TemperatureFeature[],
  temps: readonly number[],
  point: { target: number; origin: number; lastDayIndex: number },
  stepsPerDay: number,
  mode: HorizonTemperature,
  fallbackC: number,
  out: Float32Array,
  offset: number,
): number {
  const { target, origin } = point;
  const at = (i: number): number => temperatureSeenFrom(temps, i, origin, stepsPerDay, mode, fallbackC);
  const t = at(target);
  let o = offset;
  let window: number[] | null = null;
  const last24h = (): number[] => (window ??= Array.from({ length: stepsPerDay }, (_, k) => at(target - k)));
  for (const name of names) {
    switch (name) {
      case 'temp':
        out[o++] = (t - 15) / 10;
        break;
      case 'cooling':
        out[o++] = Math.max(t - COOLING_BASE_C, 0) / 10;
        break;
      case 'heating':
        out[o++] = Math.max(HEATING_BASE_C - t, 0) / 10;
        break;
      case 'tempVsLastDay':
        out[o++] = (t - (point.lastDayIndex >= 0 ? at(point.lastDayIndex) : t)) / 10;
        break;
      case 'tempLag3h':
        out[o++] = (at(target - Math.max(1, Math.round(stepsPerDay / 8))) - 15) / 10;
        break;
      case 'coolingDegreeHours24h':
        out[o++] = degreeHours(last24h(), COOLING_BASE_C, 'cooling') / stepsPerDay / 10;
        break;
      case 'heatingDegreeHours24h':
        out[o++] = degreeHours(last24h(), HEATING_BASE_C, 'heating') / stepsPerDay / 10;
        break;
    }
  }
  return o;
}

/**
 * The temperatures of the `steps` intervals after a series (issued at its end): the forecast where
 * `forecastC` has one, else yesterday's temperature at the same time persisted; with how many of
 * each. Null when the series has no temperature at all.
 */
export function horizonTemperatures(
  temps: readonly number[] | undefined,
  steps: number,
  stepsPerDay: number,
  forecastC?: readonly (number | null | undefined)[],
): { temperatureC: number[]; forecastSteps: number; persistedSteps: number } | null {
  if (!temps || !temps.some(Number.isFinite)) return null;
  const n = temps.length;
  const extended = temps.concat(Array.from({ length: steps }, (_, i) => forecastC?.[i] ?? Number.NaN));
  const fallback = finiteMean(temps, 0, n);
  const temperatureC: number[] = [];
  let forecastSteps = 0;
  for (let i = 0; i < steps; i++) {
    if (Number.isFinite(extended[n + i])) forecastSteps++;
    temperatureC.push(temperatureSeenFrom(extended, n + i, n, stepsPerDay, 'forecast', fallback));
  }
  return { temperatureC, forecastSteps, persistedSteps: steps - forecastSteps };
}
