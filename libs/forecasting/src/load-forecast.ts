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
import { MeterSeries } from './series';

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

async function withModel(
  artifact: LoadModelArtifact,
  use: (model: LoadModel) => QuantilePoints,
): Promise<QuantilePoints> {
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
 * `steps` intervals from the end of `series` (the issue time `originMs`) by the cold-start order;
 * `historyDays` = days from the first reading to the issue time. A missing generic model (under 4
 * weeks, no active version) is `null`: the caller says so.
 */
export async function forecastLoad(input: {
  series: MeterSeries;
  steps: number;
  originMs: number;
  historyDays: number;
  active: ForecastModelEntity | null;
  generic: () => LoadModelArtifact | null;
}): Promise<{ result: QuantilePoints; view: LoadForecastView } | null> {
  const { series, steps, active, historyDays } = input;
  if (active?.method === 'model' && active.artifact) {
    const result = await withModel(active.artifact as LoadModelArtifact, (model) =>
      model.forecast(series, steps),
    );
    return { result, view: { method: 'model', modelVersion: active.version, reason: active.reason } };
  }
  if (active?.method === 'baseline' && active.baselineName) {
    const result = forecastWithBaseline(series, active.baselineName as BaselineName, steps);
    return {
      result,
      view: {
        method: 'baseline',
        modelVersion: active.version,
        baseline: active.baselineName,
        reason: active.reason,
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
  const result = forecastWithBaseline(series, name, steps);
  const reason = 'no trained model yet (train one with POST …/models): the hour-of-week regression baseline';
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
