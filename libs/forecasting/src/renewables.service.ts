import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { quantileSorted } from 'simple-statistics';
import { JobContext, UnprocessableError, findRepoPath } from '@halve/platform';
import { MeterEntity, MeterUsageService, SiteEntity, findUnit } from '@halve/metering';
import { NoReadingsError } from './backtest';
import { ForecastModelEntity } from './entities/forecasting.entities';
import { solarFeatures } from './features';
import { DAY_MS, forecastWindow } from './forecast-window';
import { PvModel, PvModelArtifact, PvSeries, trainPvModel } from './pv-model';
import {
  ArrayGeometry,
  FractionQuantiles,
  RenewableScores,
  WeatherRowLike,
  alignWeather,
  clearSkyPoaShape,
  dailyClearness,
  ghiFromCloudCover,
  hourlyMeans,
  levelIndex,
  nextLocalMidnight,
  scoreRenewable,
  smartPersistence,
} from './renewables';
import { WindPowerCurve, fitWindPowerCurve, predictWindPower } from './wind-model';

const HOUR_MS = 3_600_000;
const TRAINING_DAYS = 365;
/** History a per-meter PV model needs, like the load models (4 weeks). */
const MIN_PV_HISTORY_DAYS = 28;
/** Daylight hours with both measured output and irradiance a per-meter PV model needs. */
const MIN_PV_PAIRED_HOURS = 200;
/** Hours with both output and wind speed a power curve needs (a week). */
const MIN_WIND_PAIRED_HOURS = 168;
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

export type RenewableKind = 'pv_generation' | 'wind_generation';
export function isRenewable(kind: string): kind is RenewableKind {
  return kind === 'pv_generation' || kind === 'wind_generation';
}

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

export interface RenewableForecast {
  view: {
    method: 'model' | 'generic' | 'baseline';
    modelVersion?: number;
    baseline?: string;
    reason: string;
  };
  issuedAt: Date;
  points: { ts: Date; p10: number; p50: number; p90: number }[];
}

let genericPv: PvModelArtifact | null | undefined;
export function genericPvArtifact(): PvModelArtifact | null {
  if (genericPv === undefined) {
    const file = findRepoPath(join('models', 'generic-pv.json'));
    genericPv = file ? (JSON.parse(readFileSync(file, 'utf8')) as PvModelArtifact) : null;
  }
  return genericPv;
}

function nonRetryable<E extends Error>(err: E): E {
  return Object.assign(err, { retryable: false });
}

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;

/**
 * What a PV or wind forecast needs from the meter and its site, as a 422 naming the field to set:
 * interval data, `capacityKw` (PV: DC kWp; wind: rated kW) and, for PV, the site's coordinates.
 */
export function requireForecastable(meter: MeterEntity, site: SiteEntity): void {
  if (meter.intervalMinutes === null || meter.intervalMinutes > 60) {
    throw new UnprocessableError(
      `Forecasts need interval data of an hour or less; meter ${meter.name} reports ${meter.intervalMinutes === null ? 'bill periods' : 'daily values'}.`,
      [{ field: 'intervalMinutes', message: 'over an hour' }],
    );
  }
  if (meter.capacityKw === null) {
    const what =
      meter.kind === 'pv_generation' ? "the array's DC peak power in kWp" : "the turbines' rated power in kW";
    throw new UnprocessableError(
      `Meter ${meter.name} has no capacityKw: set it to ${what} (PUT /api/v1/orgs/{orgId}/meters/${meter.id} {"capacityKw": …}); generation is forecast as a share of it.`,
      [{ field: 'capacityKw', message: 'not set' }],
      { code: 'FORECAST_NO_CAPACITY' },
    );
  }
  if (meter.kind === 'pv_generation' && (site.latitude === null || site.longitude === null)) {
    throw new UnprocessableError(
      `Site ${site.name} has no latitude and longitude: set them (PUT /api/v1/orgs/{orgId}/sites/${site.id}); a PV forecast follows the sun at the site.`,
      [{ field: site.latitude === null ? 'latitude' : 'longitude', message: 'not set' }],
      { code: 'FORECAST_NO_LOCATION' },
    );
  }
}

/**
 * PV and wind generation forecasts: capacity-normalised models over the site's weather
 * (irradiance, cloud cover, temperature, wind speed; its future rows are forecasts), with smart
 * persistence as the PV reference and fallback. Training returns a version for the registry; the
 * registry itself (versions, promotion) stays in ForecastingService.
 */
@Injectable()
export class RenewableForecastingService {
  constructor(private readonly usage: MeterUsageService) {}

  private geometry(meter: MeterEntity, site: SiteEntity): ArrayGeometry {
    return {
      latitudeDeg: site.latitude!,
      longitudeDeg: site.longitude!,
      altitudeM: 0,
      tiltDeg: meter.tiltDeg ?? 0,
      azimuthDeg: meter.azimuthDeg ?? 180,
    };
  }

  /** kWh in one unit of the meter (readings are stored in the meter's unit). */
  private kwhPerUnit(meter: MeterEntity): number {
    const unit = findUnit(meter.unit);
    if (!unit || unit.dimension !== 'energy')
      throw new UnprocessableError(`Meter ${meter.name} is in ${meter.unit}, not an energy unit.`, [
        { field: 'unit', message: 'not energy' },
      ]);
    return unit.toBase;
  }

  /** Readings in [fromMs, untilMs) on the meter's grid (NaN = missing), converted to output ÷ capacity, and the site's weather. */
  private async history(
    tenantId: string,
    meter: MeterEntity,
    site: SiteEntity,
    fromMs: number,
    untilMs: number,
  ) {
    const stepMs = meter.intervalMinutes! * 60_000;
    const startMs = Math.floor(fromMs / stepMs) * stepMs;
    const n = Math.max(0, Math.round((untilMs - startMs) / stepMs));
    const rows = n
      ? await this.usage.series(tenantId, meter.id, { from: new Date(startMs), to: new Date(untilMs) })
      : [];
    const perCapacity = this.kwhPerUnit(meter) / (meter.capacityKw! * (meter.intervalMinutes! / 60));
    const fractions = new Array<number>(n).fill(Number.NaN);
    for (const r of rows) {
      const i = Math.round((r.ts.getTime() - startMs) / stepMs);
      if (i >= 0 && i < n && Number.isFinite(r.value)) fractions[i] = r.value * perCapacity;
    }
    const weather: WeatherRowLike[] = n
      ? await this.usage.weather(tenantId, site.id, { from: new Date(startMs), to: new Date(untilMs) })
      : [];
    return { startMs, stepMs, fractions, weather };
  }

  private async trainingHistory(tenantId: string, meter: MeterEntity, site: SiteEntity) {
    // A missing capacity or location is not something a retry fixes.
    try {
      requireForecastable(meter, site);
    } catch (err) {
      throw nonRetryable(err as Error);
    }
    const bounds = await this.usage.bounds(tenantId, meter.id);
    if (!bounds)
      throw nonRetryable(
        new NoReadingsError(`Meter ${meter.name} has no readings yet: import data before training.`),
      );
    const lastEnd = bounds.last.getTime() + meter.intervalMinutes! * 60_000;
    const h = await this.history(
      tenantId,
      meter,
      site,
      Math.max(bounds.first.getTime(), lastEnd - TRAINING_DAYS * DAY_MS),
      lastEnd,
    );
    return { ...h, lastEnd };
  }

  /** GHI per interval from the site's weather: measured/forecast GHI, else cloud cover through Kasten–Czeplak, else NaN. */
  private irradiance(
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

  /**
   * Per-meter PV model: hourly output ÷ capacity learned on the clear-sky shape and the site's
   * irradiance (GHI, or cloud cover converted) and temperature, backtested on the last weeks against
   * smart persistence; kept ('model') only when it beats it on MAE and pinball loss, else the
   * version forecasts with smart persistence ('baseline'). Without 4 weeks of readings with irradiance
   * → 'generic' (no version: forecasts use the generic model scaled by capacity).
   */
  async trainPv(
    tenantId: string,
    meter: MeterEntity,
    site: SiteEntity,
    ctx: JobContext,
  ): Promise<TrainOutcome> {
    const h = await this.trainingHistory(tenantId, meter, site);
    const capacityKwh = meter.capacityKw!; // one hour at capacity
    const hourly = hourlyMeans(h.fractions, h.startMs, meter.intervalMinutes!);
    const n = hourly.values.length;
    const starts = Array.from({ length: n }, (_, i) => hourly.startMs + i * HOUR_MS);
    const g = this.geometry(meter, site);
    const sun = solarFeatures(starts, 60, g.latitudeDeg, g.longitudeDeg, 0);
    const input = this.irradiance(h.weather, hourly.startMs, 60, sun.clearSkyGhiWm2);
    const paired = starts
      .map((_, i) => i)
      .filter(
        (i) => sun.cosZenith[i] > 0 && Number.isFinite(hourly.values[i]) && Number.isFinite(input.values[i]),
      );
    const historyDays = (n * HOUR_MS) / DAY_MS;
    if (historyDays < MIN_PV_HISTORY_DAYS) {
      return {
        method: 'generic',
        historyDays,
        reason: `${historyDays.toFixed(1)} days of readings (< ${MIN_PV_HISTORY_DAYS}): no per-meter PV model yet; forecasts use the generic PV model scaled by capacityKw`,
      };
    }
    if (paired.length < MIN_PV_PAIRED_HOURS) {
      return {
        method: 'generic',
        historyDays,
        reason: `only ${paired.length} daylight hours of readings have irradiance or cloud cover in the site's weather (< ${MIN_PV_PAIRED_HOURS}): import the site's past GHI or cloud cover (POST …/sites/${site.id}/weather) to train a per-meter PV model; forecasts use the generic PV model scaled by capacityKw`,
      };
    }
    await ctx.progress(20);
    // Train on output only where the irradiance input is known (a missing predictor would read as the mean).
    const generationFraction = hourly.values.map((y, i) =>
      Number.isFinite(input.values[i]) ? y : Number.NaN,
    );
    const withTemperature =
      paired.filter((i) => Number.isFinite(input.temperatureC[i])).length >= 0.5 * paired.length;
    // Fine-tuned from the generic model when it is installed (its predictors and levels), else trained from scratch.
    const generic = genericPvArtifact();
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
    const testStart = nextLocalMidnight(hourly.startMs, Math.max(0, n - testDays * 24), n, site.timezone);
    const started = Date.now();
    let trial: Awaited<ReturnType<typeof trainPvModel>>;
    try {
      trial = await trainPvModel(series, { trainEnd: testStart, ...trainOptions });
    } catch (err) {
      throw nonRetryable(
        new UnprocessableError(
          `Meter ${meter.name}: ${(err as Error).message} before the last ${testDays} days (the backtest window).`,
        ),
      );
    }
    const predictorNames = trial.artifact.predictorNames;
    const [m10, m50, m90] = [0.1, 0.5, 0.9].map((l) => levelIndex(trial.artifact.quantileLevels, l));
    let q: number[][];
    try {
      q = trial.model.predict(series, testStart, n);
    } finally {
      trial.model.dispose();
    }
    await ctx.progress(50);

    // Smart persistence, day-ahead from each test day's local midnight.
    const shape = clearSkyPoaShape(starts, 60, g);
    const days = dailyClearness(hourly.values, shape, hourly.startMs, 60, site.timezone);
    const persistence: (FractionQuantiles | null)[] = new Array(n).fill(null);
    for (let d = testStart; d < n;) {
      const end = nextLocalMidnight(hourly.startMs, d + 1, n, site.timezone);
      const sp = smartPersistence(days, starts[d], shape.slice(d, end));
      if (sp)
        for (let i = d; i < end; i++)
          persistence[i] = { p10: [sp.p10[i - d]], p50: [sp.p50[i - d]], p90: [sp.p90[i - d]] };
      d = end;
    }
    // The generic model on the same hours (a second reference).
    let genericQ: number[][] | null = null;
    let genericScale: number[] = [];
    if (generic) {
      const model = await PvModel.fromArtifact(generic);
      try {
        genericQ = model.predict(series, testStart, n);
      } finally {
        model.dispose();
      }
      genericScale = this.genericScale(meter, g, starts.slice(testStart), 60);
    }

    const idx = paired.filter((i) => i >= testStart && persistence[i] !== null);
    if (idx.length < 24)
      throw nonRetryable(
        new UnprocessableError(
          `Meter ${meter.name}: too few measured daylight hours with irradiance in the last ${testDays} days to backtest a PV model.`,
        ),
      );
    const actual = idx.map((i) => hourly.values[i] * capacityKwh);
    const toKwh = (f: (i: number) => [number, number, number]): FractionQuantiles => {
      const rows = idx.map(f);
      return {
        p10: rows.map((r) => r[0] * capacityKwh),
        p50: rows.map((r) => r[1] * capacityKwh),
        p90: rows.map((r) => Math.max(r[1], r[2]) * capacityKwh),
      };
    };
    const modelScores = scoreRenewable(
      actual,
      toKwh((i) => [q[i - testStart][m10], q[i - testStart][m50], q[i - testStart][m90]]),
      capacityKwh,
    );
    const spScores = scoreRenewable(
      actual,
      toKwh((i) => [persistence[i]!.p10[0], persistence[i]!.p50[0], persistence[i]!.p90[0]]),
      capacityKwh,
    );
    const baselines: Record<string, RenewableScores> = { smartPersistence: spScores };
    if (generic && genericQ) {
      const [a, b, c] = [0.1, 0.5, 0.9].map((l) => levelIndex(generic.quantileLevels, l));
      const rowsOf = (i: number): [number, number, number] => {
        const r = genericQ![i - testStart];
        const s = genericScale[i - testStart];
        return [r[a] * s, r[b] * s, r[c] * s];
      };
      baselines.generic = scoreRenewable(actual, toKwh(rowsOf), capacityKwh);
    }
    const skillMae = (spScores.mae - modelScores.mae) / spScores.mae;
    const skillPinball = (spScores.pinball - modelScores.pinball) / spScores.pinball;
    const beats = Object.values(baselines).every(
      (ref) => modelScores.mae < ref.mae && modelScores.pinball < ref.pinball,
    );
    const testDaysScored = new Set(idx.map((i) => Math.floor((starts[i] - starts[testStart]) / DAY_MS))).size;
    const backtest = {
      from: new Date(starts[testStart]).toISOString(),
      to: new Date(starts[n - 1] + HOUR_MS).toISOString(),
      days: testDaysScored,
      resolution: 'hourly',
      model: modelScores,
      baselines,
      note: "scored on daylight hours; the site's recorded irradiance stands in for its forecast (a perfect-forecast setting: real forecasts widen the error)",
    };
    let artifact: PvModelArtifact | null = null;
    if (beats) {
      await ctx.progress(60);
      const final = await trainPvModel(series, trainOptions);
      final.model.dispose();
      artifact = final.artifact;
    }
    const trainSeconds = (Date.now() - started) / 1000;
    const base = {
      baselines,
      backtest,
      trainedFrom: new Date(hourly.startMs),
      trainedTo: new Date(h.lastEnd),
      trainSeconds,
      hyperParameters: {
        ...trial.artifact.hyperParameters,
        predictorNames,
        quantileLevels: trial.artifact.quantileLevels.length,
        fineTunedFrom: generic ? 'models/generic-pv.json' : null,
        resolution: 'hourly',
        irradianceFromCloudCoverHours: input.fromCloud,
      },
    };
    if (beats) {
      return {
        ...base,
        method: 'model',
        baselineName: null,
        artifact,
        metrics: {
          ...modelScores,
          skillMaeVsSmartPersistence: skillMae,
          skillPinballVsSmartPersistence: skillPinball,
        },
        reason: `per-meter PV model beats smart persistence${baselines.generic ? ' and the generic model' : ''} over ${testDaysScored} backtest days (MAE skill vs smart persistence ${pct(skillMae)}, pinball ${pct(skillPinball)})`,
      };
    }
    const best = baselines.generic && baselines.generic.mae < spScores.mae ? 'generic' : 'smartPersistence';
    return {
      ...base,
      method: 'baseline',
      baselineName: best,
      artifact: null,
      metrics: { ...baselines[best] },
      reason: `per-meter PV model did not beat every reference over ${testDaysScored} backtest days (MAE ${modelScores.mae.toFixed(3)} kWh; smart persistence ${spScores.mae.toFixed(3)}${baselines.generic ? `, generic ${baselines.generic.mae.toFixed(3)}` : ''}); using ${best === 'generic' ? 'the generic model' : 'smart persistence'}`,
    };
  }

  /** Generic-model output ÷ capacity → this meter: AC/DC derate × clear-sky POA of its orientation ÷ the reference array's (when its orientation is known). */
  private genericScale(
    meter: MeterEntity,
    g: ArrayGeometry,
    starts: number[],
    intervalMinutes: number,
  ): number[] {
    if (meter.tiltDeg === null || meter.azimuthDeg === null) return starts.map(() => GENERIC_PV_AC_PER_DC);
    const own = clearSkyPoaShape(starts, intervalMinutes, g);
    const reference = clearSkyPoaShape(starts, intervalMinutes, { ...g, ...GENERIC_PV_REFERENCE });
    return own.map(
      (o, i) => GENERIC_PV_AC_PER_DC * (reference[i] > 0.01 ? Math.min(3, o / reference[i]) : 1),
    );
  }

  /**
   * Wind power curve (binned P10/P50/P90 of output ÷ rated capacity against the site's wind speed),
   * backtested on the last weeks against climatology (the training output's own quantiles, whatever
   * the wind), then refitted on all the data.
   */
  async trainWind(
    tenantId: string,
    meter: MeterEntity,
    site: SiteEntity,
    ctx: JobContext,
  ): Promise<TrainOutcome> {
    const h = await this.trainingHistory(tenantId, meter, site);
    const hourly = hourlyMeans(h.fractions, h.startMs, meter.intervalMinutes!);
    const n = hourly.values.length;
    const speeds = alignWeather(h.weather, 'windSpeedMS', hourly.startMs, 60, n);
    const paired = hourly.values
      .map((_, i) => i)
      .filter((i) => Number.isFinite(hourly.values[i]) && Number.isFinite(speeds[i]));
    if (paired.length < MIN_WIND_PAIRED_HOURS)
      throw nonRetryable(this.noWindHistory(meter, site, paired.length));
    await ctx.progress(20);
    const started = Date.now();
    const capacityKwh = meter.capacityKw!;
    const historyDays = (n * HOUR_MS) / DAY_MS;
    const testDays = Math.max(7, Math.min(28, Math.floor(historyDays / 4)));
    const testStart = nextLocalMidnight(hourly.startMs, Math.max(0, n - testDays * 24), n, site.timezone);
    const train = paired.filter((i) => i < testStart);
    const test = paired.filter((i) => i >= testStart);
    if (test.length < 24) {
      throw nonRetryable(
        new UnprocessableError(
          `Meter ${meter.name}: ${test.length} hours with output and wind speed in the last ${testDays} days, too few to backtest a power curve (24 needed); import the site's recent wind speed.`,
          [{ field: 'windSpeedMS', message: `${test.length} recent hours` }],
        ),
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
      throw nonRetryable(
        new UnprocessableError(
          `Meter ${meter.name}: ${(err as Error).message} (${train.length} hours before the backtest window).`,
        ),
      );
    }
    const predicted = predictWindPower(
      trialCurve,
      test.map((i) => speeds[i]),
    );
    const actual = test.map((i) => hourly.values[i] * capacityKwh);
    const scale = (f: FractionQuantiles): FractionQuantiles => ({
      p10: f.p10.map((v) => v * capacityKwh),
      p50: f.p50.map((v) => v * capacityKwh),
      p90: f.p90.map((v) => v * capacityKwh),
    });
    const modelScores = scoreRenewable(actual, scale(predicted), capacityKwh);
    const trainOutput = train.map((i) => Math.max(0, hourly.values[i])).sort((a, b) => a - b);
    const climate = [0.1, 0.5, 0.9].map((l) => quantileSorted(trainOutput, l));
    const climatology = scoreRenewable(
      actual,
      scale({
        p10: test.map(() => climate[0]),
        p50: test.map(() => climate[1]),
        p90: test.map(() => climate[2]),
      }),
      capacityKwh,
    );
    const curve = fit(paired);
    await ctx.progress(80);
    const skill = (climatology.mae - modelScores.mae) / climatology.mae;
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
      metrics: { ...modelScores, skillMaeVsClimatology: skill },
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
      reason: `power curve from ${paired.length} hours of output and wind speed; over the last ${testDays} days MAE ${modelScores.mae.toFixed(2)} kWh against ${climatology.mae.toFixed(2)} kWh for climatology (skill ${pct(skill)})`,
      trainedFrom: new Date(hourly.startMs),
      trainedTo: new Date(h.lastEnd),
      trainSeconds: (Date.now() - started) / 1000,
    };
  }

  private noWindHistory(meter: MeterEntity, site: SiteEntity, hours: number): UnprocessableError {
    return new UnprocessableError(
      `Meter ${meter.name} has ${hours} hours of readings with a wind speed at its site; a power curve needs at least ${MIN_WIND_PAIRED_HOURS} (a week). Import the site's wind speed for the meter's history (POST /api/v1/orgs/{orgId}/sites/${site.id}/weather with a wind_speed column).`,
      [{ field: 'windSpeedMS', message: `${hours} hours with readings` }],
      { code: 'FORECAST_NO_WIND_HISTORY' },
    );
  }

  /** What every renewable forecast starts from: the window, its interval starts and the site's weather around it. */
  private async forecastInputs(tenantId: string, meter: MeterEntity, site: SiteEntity, bounds: { last: Date }, q: { from?: string; to?: string }) {
    requireForecastable(meter, site);
    const w = forecastWindow(meter, site, bounds, q);
    const interval = meter.intervalMinutes!;
    const n = Math.ceil((w.toMs - w.fromMs) / w.stepMs);
    const starts = Array.from({ length: n }, (_, i) => w.fromMs + i * w.stepMs);
    const weather = await this.usage.weather(tenantId, site.id, { from: new Date(w.fromMs - HOUR_MS), to: new Date(w.toMs + HOUR_MS) });
    return { w, interval, n, starts, weather };
  }

  /**
   * PV forecast of [from, to): the active per-meter model, else the generic model scaled by capacity,
   * on the site's irradiance (or cloud-cover) forecast; smart persistence for daylight intervals
   * without one, or for all of them when none has one, or when the active version says so. Night is 0.
   */
  async forecastPv(
    tenantId: string,
    meter: MeterEntity,
    site: SiteEntity,
    bounds: { last: Date },
    q: { from?: string; to?: string },
    active: ForecastModelEntity | null,
  ): Promise<RenewableForecast> {
    const { w, interval, n, starts, weather } = await this.forecastInputs(tenantId, meter, site, bounds, q);
    const g = this.geometry(meter, site);
    const shape = clearSkyPoaShape(starts, interval, g);
    const sun = solarFeatures(starts, interval, g.latitudeDeg, g.longitudeDeg, 0);
    const input = this.irradiance(weather, w.fromMs, interval, sun.clearSkyGhiWm2);
    const daylight = starts.map((_, i) => i).filter((i) => sun.cosZenith[i] > 0 || shape[i] > 0);
    const covered = daylight.filter((i) => Number.isFinite(input.values[i]));

    // Smart persistence from the complete days of the two weeks before the issue time.
    const past = await this.history(tenantId, meter, site, w.originMs - 15 * DAY_MS, w.originMs);
    const pastShape = clearSkyPoaShape(
      past.fractions.map((_, i) => past.startMs + i * past.stepMs),
      interval,
      g,
    );
    const days = dailyClearness(past.fractions, pastShape, past.startMs, interval, site.timezone);
    const sp = smartPersistence(days, w.originMs, shape);
    const orientation =
      meter.tiltDeg === null || meter.azimuthDeg === null
        ? 'a horizontal array (set tiltDeg and azimuthDeg for the real one)'
        : `a ${meter.tiltDeg}°-tilt, ${meter.azimuthDeg}°-azimuth array`;
    const spReason = sp
      ? `smart persistence: the clear-sky output of ${orientation} × the clearness index ${sp.index.toFixed(3)} of ${new Date(sp.dayStartMs).toISOString().slice(0, 10)} (the last complete day), P10/P90 from the last ${sp.bandDays} days' indices`
      : '';
    const noPersistence = () =>
      new UnprocessableError(
        `No irradiance or cloud-cover forecast covers ${daylight.length - covered.length} daylight intervals of the range, and there is no complete day of readings in the two weeks before ${new Date(w.originMs).toISOString()} to persist: import GHI or cloud cover for those hours (POST /api/v1/orgs/{orgId}/sites/${site.id}/weather; future hours are forecasts).`,
        [{ field: 'ghiWM2', message: 'no irradiance forecast' }],
        { code: 'FORECAST_NO_IRRADIANCE' },
      );

    const activeModel =
      active?.method === 'model' &&
      (active.artifact as { format?: string } | null)?.format === 'halve-pv-model/1'
        ? active
        : null;
    const activePersistence =
      active?.method === 'baseline' && active.baselineName === 'smartPersistence' ? active : null;
    const activeGeneric = active?.method === 'baseline' && active.baselineName === 'generic' ? active : null;
    const generic = genericPvArtifact();
    const f: FractionQuantiles = {
      p10: new Array<number>(n).fill(0),
      p50: new Array<number>(n).fill(0),
      p90: new Array<number>(n).fill(0),
    };
    let view: RenewableForecast['view'];
    if (!activePersistence && covered.length > 0 && (activeModel || generic)) {
      const artifact = activeModel ? (activeModel.artifact as PvModelArtifact) : generic!;
      const model = await PvModel.fromArtifact(artifact);
      let out: number[][];
      try {
        out = model.predict(
          {
            startMs: w.fromMs,
            intervalMinutes: interval,
            latitudeDeg: g.latitudeDeg,
            longitudeDeg: g.longitudeDeg,
            altitudeM: 0,
            predictors: { ghiWm2: input.values, temperatureC: input.temperatureC },
            length: n,
          },
          0,
          n,
        );
      } finally {
        model.dispose();
      }
      const [a, b, c] = [0.1, 0.5, 0.9].map((l) => levelIndex(artifact.quantileLevels, l));
      const scale = activeModel ? starts.map(() => 1) : this.genericScale(meter, g, starts, interval);
      const missing = daylight.length - covered.length;
      if (missing > 0 && !sp) throw noPersistence();
      for (let i = 0; i < n; i++) {
        if (Number.isFinite(input.values[i])) {
          f.p10[i] = out[i][a] * scale[i];
          f.p50[i] = out[i][b] * scale[i];
          f.p90[i] = out[i][c] * scale[i];
        } else if (sp) {
          f.p10[i] = sp.p10[i];
          f.p50[i] = sp.p50[i];
          f.p90[i] = sp.p90[i];
        }
      }
      const inputs = `${input.fromCloud ? 'irradiance (partly from cloud cover, Kasten–Czeplak)' : 'irradiance'}${artifact.predictorNames.includes('temperatureC') ? ' and temperature' : ''} forecasts from the site's weather`;
      const gaps =
        missing > 0
          ? `; ${missing} of ${daylight.length} daylight intervals have no irradiance or cloud-cover forecast: ${spReason} there`
          : '';
      view = activeModel
        ? {
            method: 'model',
            modelVersion: activeModel.version,
            reason: `per-meter PV model on ${inputs} (${activeModel.reason})${gaps}`,
          }
        : {
            method: 'generic',
            ...(activeGeneric ? { modelVersion: activeGeneric.version } : {}),
            reason: `${activeGeneric ? `version ${activeGeneric.version}: ${activeGeneric.reason}` : 'no per-meter PV model yet (train one with POST …/models once the site has irradiance history)'}: the generic PV model (PVDAQ system 50) on ${inputs}, × capacityKw ${meter.capacityKw} kWp × ${GENERIC_PV_AC_PER_DC.toFixed(3)} (PVWatts default losses and inverter efficiency)${meter.tiltDeg === null || meter.azimuthDeg === null ? '' : ', adjusted from the reference 45°/158° array to this orientation by clear-sky plane-of-array irradiance'}${gaps}`,
          };
    } else {
      if (!sp) throw noPersistence();
      f.p10 = sp.p10;
      f.p50 = sp.p50;
      f.p90 = sp.p90;
      const why = activePersistence
        ? `version ${activePersistence.version}: ${activePersistence.reason}`
        : `no irradiance or cloud-cover forecast for these hours (import GHI or cloud cover with POST …/sites/${site.id}/weather; future hours are forecasts)${activeModel ? `, which the PV model version ${activeModel.version} needs` : ''}`;
      view = {
        method: 'baseline',
        baseline: 'smartPersistence',
        ...(activePersistence ? { modelVersion: activePersistence.version } : {}),
        reason: `${why}: ${spReason}`,
      };
    }
    const toUnit = (meter.capacityKw! * (interval / 60)) / this.kwhPerUnit(meter);
    return {
      view,
      issuedAt: new Date(w.originMs),
      points: starts.map((t, i) => ({
        ts: new Date(t),
        p10: f.p10[i] * toUnit,
        p50: f.p50[i] * toUnit,
        p90: Math.max(f.p90[i], f.p50[i]) * toUnit,
      })),
    };
  }

  /**
   * Wind forecast of [from, to): the active power curve (else one fitted now from the meter's history)
   * at the site's wind-speed forecast; a 422 naming what to import when the forecast hours lack one.
   */
  async forecastWind(
    tenantId: string,
    meter: MeterEntity,
    site: SiteEntity,
    bounds: { last: Date },
    q: { from?: string; to?: string },
    active: ForecastModelEntity | null,
  ): Promise<RenewableForecast> {
    const { w, interval, n, starts, weather } = await this.forecastInputs(tenantId, meter, site, bounds, q);
    const speeds = alignWeather(weather, 'windSpeedMS', w.fromMs, interval, n);
    const missing = speeds.filter((s) => !Number.isFinite(s)).length;
    if (missing > 0) {
      const first = starts[speeds.findIndex((s) => !Number.isFinite(s))];
      throw new UnprocessableError(
        `No wind-speed forecast for ${missing} of ${n} intervals of ${new Date(w.fromMs).toISOString()} – ${new Date(w.toMs).toISOString()} (the first at ${new Date(first).toISOString()}): import the site's wind speed for those hours (POST /api/v1/orgs/{orgId}/sites/${site.id}/weather with a wind_speed column; future hours are forecasts).`,
        [{ field: 'windSpeedMS', message: `no forecast for ${missing} intervals` }],
        { code: 'FORECAST_NO_WIND_SPEED' },
      );
    }
    let curve: WindPowerCurve;
    let view: RenewableForecast['view'];
    const activeCurve =
      active?.method === 'model' &&
      (active.artifact as { format?: string } | null)?.format === 'halve-wind-curve/1'
        ? active
        : null;
    if (activeCurve) {
      curve = activeCurve.artifact as WindPowerCurve;
      view = {
        method: 'model',
        modelVersion: activeCurve.version,
        reason: `power curve version ${activeCurve.version} at the site's wind-speed forecast (${activeCurve.reason})`,
      };
    } else {
      const past = await this.history(tenantId, meter, site, w.originMs - TRAINING_DAYS * DAY_MS, w.originMs);
      const hourly = hourlyMeans(past.fractions, past.startMs, interval);
      const pastSpeeds = alignWeather(past.weather, 'windSpeedMS', hourly.startMs, 60, hourly.values.length);
      const idx = hourly.values
        .map((_, i) => i)
        .filter((i) => Number.isFinite(hourly.values[i]) && Number.isFinite(pastSpeeds[i]));
      if (idx.length < MIN_WIND_PAIRED_HOURS) throw this.noWindHistory(meter, site, idx.length);
      try {
        curve = fitWindPowerCurve(
          idx.map((i) => pastSpeeds[i]),
          idx.map((i) => hourly.values[i]),
        );
      } catch (err) {
        throw new UnprocessableError(`Meter ${meter.name}: ${(err as Error).message}.`, [
          { field: 'windSpeedMS', message: 'too narrow a range of wind speeds' },
        ]);
      }
      view = {
        method: 'model',
        reason: `power curve fitted now from ${idx.length} hours of this meter's output and the site's wind speed (not stored: train with POST …/models to keep a version), at the site's wind-speed forecast`,
      };
    }
    const out = predictWindPower(curve, speeds);
    const toUnit = (meter.capacityKw! * (interval / 60)) / this.kwhPerUnit(meter);
    return {
      view,
      issuedAt: new Date(w.originMs),
      points: starts.map((t, i) => ({
        ts: new Date(t),
        p10: out.p10[i] * toUnit,
        p50: out.p50[i] * toUnit,
        p90: out.p90[i] * toUnit,
      })),
    };
  }
}
