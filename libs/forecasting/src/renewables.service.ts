import { Injectable } from '@nestjs/common';
import { JobContext, UnprocessableError } from '@halve/platform';
import { MeterEntity, MeterUsageService, SiteEntity, findUnit } from '@halve/metering';
import { NoReadingsError } from './backtest';
import { TfBackendName } from './backend';
import { ForecastModelEntity } from './entities/forecasting.entities';
import { DAY_MS, forecastWindow } from './forecast-window';
import { ForecastingRepository } from './forecasting.repository';
import { WeatherRowLike, alignWeather, hourlyMeans } from './renewables';
import { PV_CALIBRATION_DAYS } from './pv-band-calibration';
import { PV_TRAINING_DAYS } from './pv-training';
import { RenewableForecast, pvForecastFromData } from './renewables-forecast';
import {
  MIN_WIND_PAIRED_HOURS,
  RenewableSubject,
  TrainOutcome,
  TrainingRefusedError,
  noWindHistory,
} from './renewables-training';
import { trainInThread } from './training-runner';
import { TrainingResult } from './training-task';
import { WindPowerCurve, fitWindPowerCurve, predictWindPower } from './wind-model';

const HOUR_MS = 3_600_000;
/** Days of history a wind training reads (PV: PV_TRAINING_DAYS). */
const TRAINING_DAYS = 365;

export type RenewableKind = 'pv_generation' | 'wind_generation';
export function isRenewable(kind: string): kind is RenewableKind {
  return kind === 'pv_generation' || kind === 'wind_generation';
}

/** What training and the PV geometry need of a meter and its site, as plain data. */
export function renewableSubject(meter: MeterEntity, site: SiteEntity): RenewableSubject {
  return {
    meterName: meter.name,
    intervalMinutes: meter.intervalMinutes!,
    capacityKw: meter.capacityKw!,
    tiltDeg: meter.tiltDeg,
    azimuthDeg: meter.azimuthDeg,
    siteId: site.id,
    latitudeDeg: site.latitude,
    longitudeDeg: site.longitude,
    timeZone: site.timezone,
  };
}

function nonRetryable<E extends Error>(err: E): E {
  return Object.assign(err, { retryable: false });
}

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
  constructor(
    private readonly usage: MeterUsageService,
    private readonly repo: ForecastingRepository,
  ) {}

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
      Math.max(
        bounds.first.getTime(),
        lastEnd - (meter.kind === 'pv_generation' ? PV_TRAINING_DAYS : TRAINING_DAYS) * DAY_MS,
      ),
      lastEnd,
    );
    return { ...h, lastEnd };
  }

  /**
   * A PV or wind training job's work: the meter's history is read here (the main thread), the
   * model is trained in a training thread (renewables-training.ts, training-runner.ts) so the event
   * loop stays free; the job's signal stops the thread. Returns what to store and the thread's backend.
   */
  async train(
    tenantId: string,
    meter: MeterEntity,
    site: SiteEntity,
    ctx: JobContext,
  ): Promise<{ outcome: TrainOutcome; backend: TfBackendName }> {
    const h = await this.trainingHistory(tenantId, meter, site);
    const kind = meter.kind === 'pv_generation' ? 'pv' : 'wind';
    const data = {
      subject: renewableSubject(meter, site),
      startMs: h.startMs,
      fractions: Float64Array.from(h.fractions),
      weather: h.weather,
      lastEnd: h.lastEnd,
      ...(kind === 'pv' ? { genericPv: this.repo.genericPvArtifact() } : {}),
    };
    let result: TrainingResult;
    try {
      result = await trainInThread(
        { kind, data },
        { signal: ctx.signal, progress: (p) => ctx.progress(p), describe: `meter ${meter.name}` },
      );
    } catch (err) {
      if (err instanceof TrainingRefusedError)
        throw nonRetryable(
          new UnprocessableError(err.message, err.errors, err.code ? { code: err.code } : undefined),
        );
      throw err;
    }
    if (result.kind === 'load') throw new Error('a renewable training thread answered with a load model');
    return { outcome: result.outcome, backend: result.backend };
  }

  private noWindHistory(meter: MeterEntity, site: SiteEntity, hours: number): UnprocessableError {
    const refusal = noWindHistory({ meterName: meter.name, siteId: site.id }, hours);
    return new UnprocessableError(refusal.message, refusal.errors, { code: refusal.code });
  }

  /** What every renewable forecast starts from: the window, its interval starts and the site's weather around it. */
  private async forecastInputs(
    tenantId: string,
    meter: MeterEntity,
    site: SiteEntity,
    bounds: { last: Date },
    q: { from?: string; to?: string },
  ) {
    requireForecastable(meter, site);
    const w = forecastWindow(meter, site, bounds, q);
    const interval = meter.intervalMinutes!;
    const n = Math.ceil((w.toMs - w.fromMs) / w.stepMs);
    const starts = Array.from({ length: n }, (_, i) => w.fromMs + i * w.stepMs);
    const weather = await this.usage.weather(tenantId, site.id, {
      from: new Date(w.fromMs - HOUR_MS),
      to: new Date(w.toMs + HOUR_MS),
    });
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
    const { w, interval, starts, weather } = await this.forecastInputs(tenantId, meter, site, bounds, q);
    // Smart persistence from the complete days of the two weeks before the issue time (smartPersistence
    // keeps those); the model's band is calibrated on its forecasts of the last PV_CALIBRATION_DAYS.
    const pastDays = Math.max(15, PV_CALIBRATION_DAYS);
    const past = await this.history(tenantId, meter, site, w.originMs - pastDays * DAY_MS, w.originMs);
    const { f, view } = await pvForecastFromData({
      subject: renewableSubject(meter, site),
      timeZone: site.timezone,
      intervalMinutes: interval,
      fromMs: w.fromMs,
      originMs: w.originMs,
      starts,
      weather,
      past,
      active,
      generic: this.repo.genericPvArtifact(),
    });
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
