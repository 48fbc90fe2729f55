import { Worker } from 'node:worker_threads';
import { WeatherRowLike } from './renewables';
import { RenewableTrainingData } from './renewables-training';
import { activeTrainingThreads, trainInThread } from './training-runner';
import { packSeries, runTrainingTask } from './training-task';

const HOUR_MS = 3_600_000;
const start = Date.UTC(2024, 2, 1);

/** 60 days of hourly wind output ÷ capacity from a cubic curve with noise, and the site's wind speeds. */
function windData(): RenewableTrainingData {
  let seed = 11;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const n = 60 * 24;
  const weather: WeatherRowLike[] = [];
  const fractions: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = 14 * rand();
    weather.push({
      ts: new Date(start + i * HOUR_MS),
      windSpeedMS: v,
      temperatureC: null,
      ghiWM2: null,
      cloudCoverPct: null,
    });
    const curve = v < 3 ? 0 : v >= 12 ? 1 : ((v - 3) / 9) ** 3;
    fractions.push(i % 97 === 0 ? Number.NaN : Math.min(1, Math.max(0, curve + 0.04 * (rand() - 0.5))));
  }
  return {
    subject: {
      meterName: 'turbine',
      intervalMinutes: 60,
      capacityKw: 500,
      tiltDeg: null,
      azimuthDeg: null,
      siteId: 'site-1',
      latitudeDeg: 52,
      longitudeDeg: 4,
      timeZone: 'Europe/Amsterdam',
    },
    startMs: start,
    fractions,
    weather,
    lastEnd: start + n * HOUR_MS,
  };
}

/** 42 days of an hourly office-like load: a weekday/weekend pattern with noise. */
function loadSeries() {
  let seed = 5;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const values = Array.from({ length: 42 * 24 }, (_, i) => {
    const hour = i % 24;
    const weekday = Math.floor(i / 24) % 7 < 5;
    return 20 + (weekday && hour >= 8 && hour < 18 ? 30 : 0) + 3 * rand();
  });
  return {
    startMs: start,
    intervalMinutes: 60,
    valuesKwh: values,
    timeZone: 'Europe/London',
    countryCode: 'GB',
  };
}

describe('training in a worker thread', () => {
  it('gives the same power curve, scores and reason in a thread as in this thread (same code, data handed over)', async () => {
    const here = await runTrainingTask(
      { kind: 'wind', data: { ...windData(), fractions: Float64Array.from(windData().fractions) } },
      () => undefined,
    );
    const progress: number[] = [];
    const there = await trainInThread(
      { kind: 'wind', data: { ...windData(), fractions: Float64Array.from(windData().fractions) } },
      { describe: 'meter turbine', progress: (p) => void progress.push(p) },
    );
    const strip = (r: typeof here) =>
      r.kind === 'load' ? r : { ...r, outcome: { ...r.outcome, trainSeconds: 0 } };
    expect(strip(there)).toEqual(strip(here));
    expect(there.kind === 'wind' && there.outcome.method).toBe('model');
    expect(progress).toEqual([20, 80]);
  });

  it('turns a refusal in the thread into the same TrainingRefusedError (not retried)', async () => {
    const data = windData();
    const few = {
      ...data,
      fractions: Float64Array.from(data.fractions.map((v, i) => (i < 100 ? v : Number.NaN))),
    };
    const err = (await trainInThread({ kind: 'wind', data: few }, { describe: 'meter turbine' }).catch(
      (e: unknown) => e,
    )) as Error & { code?: string; retryable?: boolean; errors?: unknown };
    expect({ name: err.name, code: err.code, retryable: err.retryable, errors: err.errors }).toEqual({
      name: 'TrainingRefusedError',
      code: 'FORECAST_NO_WIND_HISTORY',
      retryable: false,
      errors: [{ field: 'windSpeedMS', message: '98 hours with readings' }],
    });
    expect(err.message).toMatch(
      /^Meter turbine has 98 hours of readings with a wind speed at its site; a power curve needs at least 168/,
    );
  });

  it('stops the training thread when the signal aborts, with the signal reason', async () => {
    const controller = new AbortController();
    let worker: Worker | undefined;
    const running = trainInThread(
      { kind: 'load', series: packSeries(loadSeries()), hyperParameters: { timeBudgetSeconds: 60 } },
      { describe: 'meter office', signal: controller.signal, onStart: (w) => (worker = w) },
    );
    const exit = new Promise<number>((resolve) => worker!.once('exit', resolve));
    // abort once the thread is up and training (a 60 s budget: it cannot have finished)
    worker!.once('online', () =>
      setTimeout(() => controller.abort(new Error('the job passed its time limit')), 300),
    );
    expect(activeTrainingThreads()).toBe(1);
    await expect(running).rejects.toThrow('the job passed its time limit');
    // the rejection comes once the thread has stopped
    expect(activeTrainingThreads()).toBe(0);
    await expect(exit).resolves.toBe(1);
  });
});
