/**
 * 7-day forecast latency for bench:forecast, two ways: the model alone (LoadModel.forecast on 60 days
 * of history), and the product's path for a meter with an active model (forecastLoad on the
 * FORECAST_HISTORY_DAYS a forecast request reads, 60 days after the model's training data ended, so
 * the recent-error correction and the rolling band recalibration re-forecast their past days too).
 */
import {
  FORECAST_HISTORY_DAYS,
  ForecastModelEntity,
  LoadModel,
  MeterSeries,
  forecastLoad,
  sliceSeries,
  stepsPerDay,
} from '@halve/forecasting';

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

async function medianMs(run: () => unknown): Promise<number> {
  await run(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  return median(times);
}

export async function forecastLatencyMs(
  model: LoadModel,
  series: MeterSeries,
  testStart: number,
): Promise<{ model: number; product: number }> {
  const spd = stepsPerDay(series.intervalMinutes);
  const alone = sliceSeries(series, 0, 60 * spd);
  const end = Math.min(series.valuesKwh.length, testStart + 60 * spd);
  const history = sliceSeries(series, Math.max(0, end - FORECAST_HISTORY_DAYS * spd), end);
  // as stored in the registry: the serialised artifact, deserialised at every request as the service does
  const artifact = await model.toArtifact();
  const active = { method: 'model', version: 1, reason: 'bench', artifact } as ForecastModelEntity;
  const product = () =>
    forecastLoad({
      series: history,
      steps: 7 * spd,
      originMs: history.startMs + history.valuesKwh.length * series.intervalMinutes * 60_000,
      historyDays: FORECAST_HISTORY_DAYS,
      active,
      generic: () => null,
    });
  return {
    model: await medianMs(() => model.forecast(alone, 7 * spd)),
    product: await medianMs(product),
  };
}
