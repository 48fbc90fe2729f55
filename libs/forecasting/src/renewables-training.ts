/**
 * PV and wind training without the database: the pure half of RenewableForecastingService's training,
 * so that it can run in a worker thread (training-thread.ts) on the plain data the service read on
 * the main thread. Nothing here imports NestJS, TypeORM or another lib: a refusal is a
 * TrainingRefusedError (the service turns it into a 422 UnprocessableError, not retried). This file
 * holds what PV and wind share and the wind power curve; the PV candidates are in pv-training.ts.
 */
import {
  ArrayGeometry,
  WeatherRowLike,
  alignWeather,
  clearSkyPoaShape,
  ghiFromCloudCover,
  hourlyMeans,
  nextLocalMidnight,
} from './renewables';
import type { PvModelArtifact } from './pv-model';
import { backtestWind } from './renewables-backtest';
import { WindPowerCurve, fitWindPowerCurve } from './wind-model';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Hours with both output and wind speed a power curve needs (a week). */
export const MIN_WIND_PAIRED_HOURS = 168;
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

export const pct = (v: number) => `${(v * 100).toFixed(1)} %`;

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
