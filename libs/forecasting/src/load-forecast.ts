/**
 * A load meter's forecast from its recent series, without I/O: the active version's model or
 * baseline, else (under 4 weeks of history) the generic model scaled to the meter, else the
 * hour-of-week regression baseline. The service reads the series and the active version and stores
 * what this returns.
 */
import { BaselineName } from './baselines';
import { forecastWithBaseline } from './backtest';
import { ForecastModelEntity } from './entities/forecasting.entities';
import { LoadModel, LoadModelArtifact, QuantilePoints } from './load-model';
import {
  ROLLING_CALIBRATION_MODEL_MIN_DAYS,
  bandNote,
  indexAtOrAfter,
  rollingCalibratedHorizon,
} from './rolling-calibration';
import { MeterSeries, stepsPerDay } from './series';
import { horizonTemperatures } from './temperature-features';

export interface LoadForecastView {
  method: 'model' | 'generic' | 'baseline';
  modelVersion?: number;
  baseline?: string;
  reason: string;
}

/** Sums a sub-hourly series into hours (forecasting with an hourly model), NaN when an hour is incomplete. */
export function toHourly(series: MeterSeries): { hourly: MeterSeries; perHour: number } {
  const perHour = 60 / series.intervalMinutes;
  const values: number[] = [];
  const temps: number[] | undefined = series.temperatureC ? [] : undefined;
  for (let i = 0; i + perHour <= series.valuesKwh.length; i += perHour) {
    let sum = 0;
    for (let j = 0; j < perHour; j++) sum += series.valuesKwh[i + j];
    values.push(sum);
    temps?.push(series.temperatureC![i]);
  }
  return { hourly: { ...series, intervalMinutes: 60, valuesKwh: values, temperatureC: temps }, perHour };
}

async function withModel<T>(artifact: LoadModelArtifact, use: (model: LoadModel) => T): Promise<T> {
  const model = await LoadModel.fromArtifact(artifact);
  try {
    return use(model);
  } finally {
    model.dispose();
  }
}

/** The generic (hourly) model on a series of any interval, each hour's quantiles spread evenly over its intervals. */
async function genericForecast(
  generic: LoadModelArtifact,
  series: MeterSeries,
  steps: number,
  originMs: number,
): Promise<QuantilePoints> {
  const stepMs = series.intervalMinutes * 60_000;
  const { hourly, perHour } =
    series.intervalMinutes === generic.intervalMinutes ? { hourly: series, perHour: 1 } : toHourly(series);
  const h = await withModel(generic, (model) => model.forecast(hourly, Math.ceil(steps / perHour)));
  const spread = (q: number[]) =>
    Array.from({ length: steps }, (_, i) => q[Math.floor(i / perHour)] / perHour);
  return {
    timesMs: Array.from({ length: steps }, (_, i) => originMs + i * stepMs),
    p10: spread(h.p10),
    p50: spread(h.p50),
    p90: spread(h.p90),
  };
}

/**
 * The site's stored temperature (weather rows, hourly, e.g. a forecast fetched ahead) for the `steps`
 * intervals from `originMs`, by UTC hour; null where there is none.
 */
export function temperaturesAfter(
  weather: readonly { ts: Date; temperatureC: number | null }[],
  originMs: number,
  steps: number,
  intervalMinutes: number,
): (number | null)[] {
  const hourMs = 3_600_000;
  const byHour = new Map<number, number>();
  for (const w of weather)
    if (w.temperatureC !== null) byHour.set(Math.floor(w.ts.getTime() / hourMs), w.temperatureC);
  return Array.from(
    { length: steps },
    (_, i) => byHour.get(Math.floor((originMs + i * intervalMinutes * 60_000) / hourMs)) ?? null,
  );
}

/** The site's temperature over a horizon: the forecast where there is one, else yesterday's persisted, and what to say of it. */
function horizonWeather(
  series: MeterSeries,
  steps: number,
  forecastC: readonly (number | null)[] | undefined,
): { temperatureC?: number[]; note: string } {
  const h = horizonTemperatures(series.temperatureC, steps, stepsPerDay(series.intervalMinutes), forecastC);
  if (!h) return { note: '' };
  const { temperatureC, forecastSteps, persistedSteps } = h;
  if (persistedSteps === 0) return { temperatureC, note: "; temperature: the site's weather forecast" };
  const persisted =
    forecastSteps === 0
      ? 'no temperature forecast for the horizon'
      : `a temperature forecast for ${forecastSteps} of ${steps} intervals`;
  return {
    temperatureC,
    note: `; ${persisted}: yesterday's temperature at the same hour persisted for ${persistedSteps}`,
  };
}

/**
 * `steps` intervals from the end of `series` (the issue time `originMs`) by the cold-start order;
 * `historyDays` = days from the first reading to the issue time. A missing generic model (under 4
 * weeks, no active version) is `null`: the caller says so. `horizonTemperatureC`: the site's
 * temperature forecast for the `steps` intervals (null/NaN where none); a model or baseline that uses
 * temperature takes yesterday's at the same hour where it is missing, and the reason says so.
 */
export async function forecastLoad(input: {
  series: MeterSeries;
  steps: number;
  originMs: number;
  historyDays: number;
  active: ForecastModelEntity | null;
  generic: () => LoadModelArtifact | null;
  horizonTemperatureC?: readonly (number | null)[];
}): Promise<{ result: QuantilePoints; view: LoadForecastView } | null> {
  const { series, steps, active, historyDays } = input;
  const weather = horizonWeather(series, steps, input.horizonTemperatureC);
  if (active?.method === 'model' && active.artifact) {
    const artifact = active.artifact as LoadModelArtifact;
    // the band recalibrated on the model's own day-ahead errors since its training data ended
    const notBefore = indexAtOrAfter(series, artifact.trainedTo, series.valuesKwh.length);
    const { result, note } = await withModel(artifact, (model) => {
      const horizon = model.forecast(series, steps, weather.temperatureC);
      const calibrated = rollingCalibratedHorizon(
        series,
        horizon,
        (calendar, pts) => model.predictPoints(series, calendar, pts),
        { notBefore, minDays: ROLLING_CALIBRATION_MODEL_MIN_DAYS },
      );
      const daysSinceFit = Math.floor(
        (series.valuesKwh.length - notBefore) / stepsPerDay(series.intervalMinutes),
      );
      return {
        result: { ...horizon, ...calibrated.forecast },
        note: bandNote(calibrated, { minDays: ROLLING_CALIBRATION_MODEL_MIN_DAYS, daysSinceFit }),
      };
    });
    const reason = active.reason + (artifact.useTemperature ? weather.note : '') + note;
    return { result, view: { method: 'model', modelVersion: active.version, reason } };
  }
  if (active?.method === 'baseline' && active.baselineName) {
    const name = active.baselineName as BaselineName;
    const result = forecastWithBaseline(series, name, steps, weather.temperatureC);
    return {
      result,
      view: {
        method: 'baseline',
        modelVersion: active.version,
        baseline: active.baselineName,
        reason: active.reason + (name === 'hourOfWeekTemperature' ? weather.note : ''),
      },
    };
  }
  if (historyDays < 28) {
    const generic = input.generic();
    if (!generic) return null;
    const result = await genericForecast(generic, series, steps, input.originMs);
    const reason = `${historyDays.toFixed(1)} days of readings (under 4 weeks): the generic model scaled to this meter's level`;
    return { result, view: { method: 'generic', reason } };
  }
  const name: BaselineName = series.temperatureC ? 'hourOfWeekTemperature' : 'hourOfWeekRecentLoad';
  const result = forecastWithBaseline(series, name, steps, weather.temperatureC);
  const reason =
    'no trained model yet (train one with POST …/models): the hour-of-week regression baseline' +
    (series.temperatureC ? weather.note : '');
  return { result, view: { method: 'baseline', baseline: name, reason } };
}

/** The forecast's points in [fromMs, toMs), P90 never below P50. */
export function pointsInWindow(result: QuantilePoints, fromMs: number, toMs: number) {
  return result.timesMs
    .map((t, i) => ({
      ts: new Date(t),
      p10: result.p10[i],
      p50: result.p50[i],
      p90: Math.max(result.p90[i], result.p50[i]),
    }))
    .filter((p) => p.ts.getTime() >= fromMs && p.ts.getTime() < toMs);
}
