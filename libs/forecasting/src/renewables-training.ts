/**
 * PV and wind training without the database: the pure half of RenewableForecastingService's training,
 * so that it can run in a worker thread (training-thread.ts) on the plain data the service read on
 * the main thread. Nothing here imports NestJS, TypeORM or another lib: a refusal is a
 * TrainingRefusedError (the service turns it into a 422 UnprocessableError, not retried).
 */
import { solarFeatures } from './features';
import { PvModel, PvModelArtifact, PvSeries, trainPvModel } from './pv-model';
import {
  ArrayGeometry,
  WeatherRowLike,
  alignWeather,
  clearSkyPoaShape,
  ghiFromCloudCover,
  hourlyMeans,
  nextLocalMidnight,
} from './renewables';
import { PvBacktest, backtestPv, backtestWind } from './renewables-backtest';
import { WindPowerCurve, fitWindPowerCurve } from './wind-model';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** History a per-meter PV model needs, like the load models (4 weeks). */
const MIN_PV_HISTORY_DAYS = 28;
/** Daylight hours with both measured output and irradiance a per-meter PV model needs. */
const MIN_PV_PAIRED_HOURS = 200;
/** Hours with both output and wind speed a power curve needs (a week). */
export const MIN_WIND_PAIRED_HOURS = 168;
const PV_LEVELS = [0.1, 0.5, 0.9];

/**
 * The generic PV model predicts output as a share of its reference system's peak hourly AC output;
 * a meter's capacityKw is the array's DC rating. 0.825 = (1 − 0.140757) × 0.96: PVWatts v5 default
 * losses and nominal inverter efficiency (DOMAIN.md §4). ✘ Assumption: a system's peak hourly AC
 * output is about its DC rating after those losses.
 */
export const GENERIC_PV_AC_PER_DC = (1 - 0.140757) * 0.96;
/** The generic PV model's reference array (PVDAQ system 50, see models/README.md). */
const GENERIC_PV_REFERENCE = { tiltDeg: 45, azimuthDeg: 158 };

/** A version to write to the registry (the model registry's row without its bookkeeping). */
export interface TrainedVersion {
  method: 'model' | 'baseline';
  baselineName: string | null;
  artifact: object | null;
  hyperParameters: object;
  /** Scores of what the version forecasts with; `cvRmse` decides promotion. */
  metrics: { cvRmse: number } & Record<string, unknown>;
  baselines: Record<string, unknown>;
  backtest: object;
  reason: string;
  trainedFrom: Date;
  trainedTo: Date;
  trainSeconds: number;
}

export type TrainOutcome = TrainedVersion | { method: 'generic'; reason: string; historyDays: number };

/** Training cannot succeed on this data (a retry would not help): a 422 when it reaches the service. */
export class TrainingRefusedError extends Error {
  readonly retryable = false;
  constructor(
    message: string,
    readonly errors?: { field: string; message: string }[],
    extra?: { code?: string },
  ) {
    super(message);
    this.name = 'TrainingRefusedError';
    if (extra?.code) this.code = extra.code;
  }
  code?: string;
}

/** What training needs to know of a PV or wind meter and its site (checked by requireForecastable). */
export interface RenewableSubject {
  meterName: string;
  intervalMinutes: number;
  capacityKw: number;
  tiltDeg: number | null;
  azimuthDeg: number | null;
  siteId: string;
  latitudeDeg: number | null;
  longitudeDeg: number | null;
  timeZone: string;
}

/** A meter's training history, read by the service: output ÷ capacity on the meter's grid (NaN = missing) and the site's weather. */
export interface RenewableTrainingData {
  subject: RenewableSubject;
  startMs: number;
  fractions: number[];
  weather: WeatherRowLike[];
  /** End of the last reading's interval (UTC ms). */
  lastEnd: number;
  /** The installed generic PV model (PV only), fine-tuned from and scored against. */
  genericPv?: PvModelArtifact | null;
}

export type TrainingProgress = (percent: number) => Promise<void> | void;

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;

export function geometry(s: RenewableSubject): ArrayGeometry {
  return {
    latitudeDeg: s.latitudeDeg!,
    longitudeDeg: s.longitudeDeg!,
    altitudeM: 0,
    tiltDeg: s.tiltDeg ?? 0,
    azimuthDeg: s.azimuthDeg ?? 180,
  };
}

/** GHI per interval from the site's weather: measured/forecast GHI, else cloud cover through Kasten–Czeplak, else NaN. */
export function irradiance(
  weather: readonly WeatherRowLike[],
  startMs: number,
  intervalMinutes: number,
  clearSkyGhi: ArrayLike<number>,
) {
  const n = clearSkyGhi.length;
  const ghi = alignWeather(weather, 'ghiWM2', startMs, intervalMinutes, n);
  const cloud = alignWeather(weather, 'cloudCoverPct', startMs, intervalMinutes, n);
  let fromCloud = 0;
  const values = ghi.map((g, i) => {
    if (Number.isFinite(g)) return g;
    if (Number.isFinite(cloud[i])) {
      fromCloud++;
      return ghiFromCloudCover(clearSkyGhi[i], cloud[i]);
    }
    return Number.NaN;
  });
  return {
    values,
    fromCloud,
    temperatureC: alignWeather(weather, 'temperatureC', startMs, intervalMinutes, n),
  };
}

/** Generic-model output ÷ capacity → this meter: AC/DC derate × clear-sky POA of its orientation ÷ the reference array's (when its orientation is known). */
export function genericPvScale(
  s: Pick<RenewableSubject, 'tiltDeg' | 'azimuthDeg'>,
  g: ArrayGeometry,
  starts: number[],
  intervalMinutes: number,
): number[] {
  if (s.tiltDeg === null || s.azimuthDeg === null) return starts.map(() => GENERIC_PV_AC_PER_DC);
  const own = clearSkyPoaShape(starts, intervalMinutes, g);
  const reference = clearSkyPoaShape(starts, intervalMinutes, { ...g, ...GENERIC_PV_REFERENCE });
  return own.map((o, i) => GENERIC_PV_AC_PER_DC * (reference[i] > 0.01 ? Math.min(3, o / reference[i]) : 1));
}

/** Why a power curve cannot be fitted: too few hours with output and wind speed. */
export function noWindHistory(
  s: Pick<RenewableSubject, 'meterName' | 'siteId'>,
  hours: number,
): TrainingRefusedError {
  return new TrainingRefusedError(
    `Meter ${s.meterName} has ${hours} hours of readings with a wind speed at its site; a power curve needs at least ${MIN_WIND_PAIRED_HOURS} (a week). Import the site's wind speed for the meter's history (POST /api/v1/orgs/{orgId}/sites/${s.siteId}/weather with a wind_speed column).`,
    [{ field: 'windSpeedMS', message: `${hours} hours with readings` }],
    { code: 'FORECAST_NO_WIND_HISTORY' },
  );
}

/** A PV training's inputs on the hourly grid, or why there is no per-meter model to train ('generic'). */
function pvTrainingInputs(data: RenewableTrainingData) {
  const s = data.subject;
  const hourly = hourlyMeans(data.fractions, data.startMs, s.intervalMinutes);
  const n = hourly.values.length;
  const starts = Array.from({ length: n }, (_, i) => hourly.startMs + i * HOUR_MS);
  const g = geometry(s);
  const sun = solarFeatures(starts, 60, g.latitudeDeg, g.longitudeDeg, 0);
  const input = irradiance(data.weather, hourly.startMs, 60, sun.clearSkyGhiWm2);
  const paired = starts
    .map((_, i) => i)
    .filter(
      (i) => sun.cosZenith[i] > 0 && Number.isFinite(hourly.values[i]) && Number.isFinite(input.values[i]),
    );
  const historyDays = (n * HOUR_MS) / DAY_MS;
  if (historyDays < MIN_PV_HISTORY_DAYS) {
    const reason = `${historyDays.toFixed(1)} days of readings (< ${MIN_PV_HISTORY_DAYS}): no per-meter PV model yet; forecasts use the generic PV model scaled by capacityKw`;
    return { method: 'generic' as const, historyDays, reason };
  }
  if (paired.length < MIN_PV_PAIRED_HOURS) {
    const reason = `only ${paired.length} daylight hours of readings have irradiance or cloud cover in the site's weather (< ${MIN_PV_PAIRED_HOURS}): import the site's past GHI or cloud cover (POST …/sites/${s.siteId}/weather) to train a per-meter PV model; forecasts use the generic PV model scaled by capacityKw`;
    return { method: 'generic' as const, historyDays, reason };
  }
  // Train on output only where the irradiance input is known (a missing predictor would read as the mean).
  const generationFraction = hourly.values.map((y, i) => (Number.isFinite(input.values[i]) ? y : Number.NaN));
  const withTemperature =
    paired.filter((i) => Number.isFinite(input.temperatureC[i])).length >= 0.5 * paired.length;
  // Fine-tuned from the generic model when it is installed (its predictors and levels), else trained from scratch.
  const generic = data.genericPv ?? null;
  const trainOptions = generic
    ? { initialArtifact: generic }
    : {
        predictorNames: withTemperature ? ['ghiWm2', 'temperatureC'] : ['ghiWm2'],
        quantileLevels: PV_LEVELS,
        hyperParameters: { batchSize: 64 },
      };
  const series: PvSeries = {
    startMs: hourly.startMs,
    intervalMinutes: 60,
    generationFraction,
    latitudeDeg: g.latitudeDeg,
    longitudeDeg: g.longitudeDeg,
    altitudeM: 0,
    predictors: { ghiWm2: input.values, temperatureC: input.temperatureC },
  };
  const testDays = Math.max(7, Math.min(28, Math.floor(historyDays / 4)));
  const testStart = nextLocalMidnight(hourly.startMs, Math.max(0, n - testDays * 24), n, s.timeZone);
  return { s, hourly, n, starts, g, input, paired, generic, trainOptions, series, testDays, testStart };
}

/** Quantile rows of a PV model artifact on [from, to) of the series (the model is disposed). */
async function predictPv(model: PvModel, series: PvSeries, from: number, to: number): Promise<number[][]> {
  try {
    return model.predict(series, from, to);
  } finally {
    model.dispose();
  }
}

/** The version a PV training makes from its backtest: the model when it beats every reference, else the best reference. */
function pvVersion(
  bt: PvBacktest,
  artifact: PvModelArtifact | null,
  base: Omit<TrainedVersion, 'method' | 'baselineName' | 'artifact' | 'metrics' | 'reason'>,
): TrainedVersion {
  const { baselines, daysScored } = bt;
  const sp = baselines.smartPersistence;
  if (bt.beats) {
    return {
      ...base,
      method: 'model',
      baselineName: null,
      artifact,
      metrics: {
        ...bt.model,
        skillMaeVsSmartPersistence: bt.skillMae,
        skillPinballVsSmartPersistence: bt.skillPinball,
      },
      reason: `per-meter PV model beats smart persistence${baselines.generic ? ' and the generic model' : ''} over ${daysScored} backtest days (MAE skill vs smart persistence ${pct(bt.skillMae)}, pinball ${pct(bt.skillPinball)})`,
    };
  }
  const best = baselines.generic && baselines.generic.mae < sp.mae ? 'generic' : 'smartPersistence';
  return {
    ...base,
    method: 'baseline',
    baselineName: best,
    artifact: null,
    metrics: { ...baselines[best] },
    reason: `per-meter PV model did not beat every reference over ${daysScored} backtest days (MAE ${bt.model.mae.toFixed(3)} kWh; smart persistence ${sp.mae.toFixed(3)}${baselines.generic ? `, generic ${baselines.generic.mae.toFixed(3)}` : ''}); using ${best === 'generic' ? 'the generic model' : 'smart persistence'}`,
  };
}

/**
 * Per-meter PV model: hourly output ÷ capacity learned on the clear-sky shape and the site's
 * irradiance (GHI, or cloud cover converted) and temperature, backtested on the last weeks against
 * smart persistence (renewables-backtest.ts); kept ('model') only when it beats it on MAE and pinball
 * loss, else the version forecasts with smart persistence ('baseline'). Without 4 weeks of readings
 * with irradiance → 'generic' (no version: forecasts use the generic model scaled by capacity).
 */
export async function trainPvVersion(
  data: RenewableTrainingData,
  progress: TrainingProgress,
): Promise<TrainOutcome> {
  const prep = pvTrainingInputs(data);
  if (prep.method === 'generic')
    return { method: 'generic', reason: prep.reason, historyDays: prep.historyDays };
  const { s, hourly, n, starts, g, input, paired, generic, trainOptions, series, testDays, testStart } = prep;
  await progress(20);
  const started = Date.now();
  let trial: Awaited<ReturnType<typeof trainPvModel>>;
  try {
    trial = await trainPvModel(series, { trainEnd: testStart, ...trainOptions });
  } catch (err) {
    throw new TrainingRefusedError(
      `Meter ${s.meterName}: ${(err as Error).message} before the last ${testDays} days (the backtest window).`,
    );
  }
  const q = await predictPv(trial.model, series, testStart, n);
  await progress(50);
  // The generic model on the same hours (a second reference).
  const genericRows = generic
    ? {
        rows: await predictPv(await PvModel.fromArtifact(generic), series, testStart, n),
        levels: generic.quantileLevels,
        scale: genericPvScale(s, g, starts.slice(testStart), 60),
      }
    : null;
  const bt = backtestPv({
    hourly,
    shape: clearSkyPoaShape(starts, 60, g),
    timeZone: s.timeZone,
    testStart,
    paired,
    capacityKwh: s.capacityKw, // one hour at capacity
    model: { rows: q, levels: trial.artifact.quantileLevels },
    generic: genericRows,
  });
  if (!bt)
    throw new TrainingRefusedError(
      `Meter ${s.meterName}: too few measured daylight hours with irradiance in the last ${testDays} days to backtest a PV model.`,
    );
  let artifact: PvModelArtifact | null = null;
  if (bt.beats) {
    await progress(60);
    const final = await trainPvModel(series, trainOptions);
    final.model.dispose();
    artifact = final.artifact;
  }
  return pvVersion(bt, artifact, {
    baselines: bt.baselines,
    backtest: bt.summary,
    trainedFrom: new Date(hourly.startMs),
    trainedTo: new Date(data.lastEnd),
    trainSeconds: (Date.now() - started) / 1000,
    hyperParameters: {
      ...trial.artifact.hyperParameters,
      predictorNames: trial.artifact.predictorNames,
      quantileLevels: trial.artifact.quantileLevels.length,
      fineTunedFrom: generic ? 'models/generic-pv.json' : null,
      resolution: 'hourly',
      irradianceFromCloudCoverHours: input.fromCloud,
    },
  });
}

/**
 * Wind power curve (binned P10/P50/P90 of output ÷ rated capacity against the site's wind speed),
 * backtested on the last weeks against climatology (renewables-backtest.ts), then refitted on all
 * the data.
 */
export async function trainWindVersion(
  data: RenewableTrainingData,
  progress: TrainingProgress,
): Promise<TrainOutcome> {
  const s = data.subject;
  const hourly = hourlyMeans(data.fractions, data.startMs, s.intervalMinutes);
  const n = hourly.values.length;
  const speeds = alignWeather(data.weather, 'windSpeedMS', hourly.startMs, 60, n);
  const paired = hourly.values
    .map((_, i) => i)
    .filter((i) => Number.isFinite(hourly.values[i]) && Number.isFinite(speeds[i]));
  if (paired.length < MIN_WIND_PAIRED_HOURS) throw noWindHistory(s, paired.length);
  await progress(20);
  const started = Date.now();
  const historyDays = (n * HOUR_MS) / DAY_MS;
  const testDays = Math.max(7, Math.min(28, Math.floor(historyDays / 4)));
  const testStart = nextLocalMidnight(hourly.startMs, Math.max(0, n - testDays * 24), n, s.timeZone);
  const train = paired.filter((i) => i < testStart);
  const test = paired.filter((i) => i >= testStart);
  if (test.length < 24) {
    throw new TrainingRefusedError(
      `Meter ${s.meterName}: ${test.length} hours with output and wind speed in the last ${testDays} days, too few to backtest a power curve (24 needed); import the site's recent wind speed.`,
      [{ field: 'windSpeedMS', message: `${test.length} recent hours` }],
    );
  }
  const fit = (idx: number[]) =>
    fitWindPowerCurve(
      idx.map((i) => speeds[i]),
      idx.map((i) => hourly.values[i]),
    );
  let trialCurve: WindPowerCurve;
  try {
    trialCurve = fit(train);
  } catch (err) {
    throw new TrainingRefusedError(
      `Meter ${s.meterName}: ${(err as Error).message} (${train.length} hours before the backtest window).`,
    );
  }
  const bt = backtestWind(trialCurve, hourly.values, speeds, { train, test }, s.capacityKw);
  const { model: modelScores, climatology } = bt;
  const curve = fit(paired);
  await progress(80);
  return {
    method: 'model',
    baselineName: null,
    artifact: curve,
    hyperParameters: {
      binWidthMs: curve.binWidthMs,
      minCount: 5,
      pairedHours: paired.length,
      resolution: 'hourly',
    },
    metrics: { ...modelScores, skillMaeVsClimatology: bt.skill },
    baselines: { climatology },
    backtest: {
      from: new Date(hourly.startMs + testStart * HOUR_MS).toISOString(),
      to: new Date(hourly.startMs + n * HOUR_MS).toISOString(),
      days: testDays,
      resolution: 'hourly',
      model: modelScores,
      baselines: { climatology },
      note: "the site's recorded wind speed stands in for its forecast (a perfect-forecast setting)",
    },
    reason: `power curve from ${paired.length} hours of output and wind speed; over the last ${testDays} days MAE ${modelScores.mae.toFixed(2)} kWh against ${climatology.mae.toFixed(2)} kWh for climatology (skill ${pct(bt.skill)})`,
    trainedFrom: new Date(hourly.startMs),
    trainedTo: new Date(data.lastEnd),
    trainSeconds: (Date.now() - started) / 1000,
  };
}
