import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  APP_CONFIG,
  AppConfig,
  AuditService,
  Db,
  JobContext,
  JobsService,
  NotFoundError,
  UnprocessableError,
  jobId,
  nextRunId,
} from '@halve/platform';
import { MeterUsageService, SitesService } from '@halve/metering';
import { NoReadingsError } from './backtest';
import { currentBackend } from './backend';
import { ForecastingRepository } from './forecasting.repository';
import { DAY_MS, MAX_HORIZON_DAYS, forecastWindow } from './forecast-window';
import { FORECAST_TRAIN_JOB } from './jobs/job-types';
import { forecastLoad, pointsInWindow, temperaturesAfter } from './load-forecast';
import type { LoadModelArtifact } from './load-model-types';
import { loadTrainedVersion, modelView, promotes, versionRow } from './model-registry';
import { TrainedVersion } from './renewables-training';
import { RenewableForecastingService, isRenewable, requireForecastable } from './renewables.service';
import { trainInThread } from './training-runner';
import { packSeries } from './training-task';
import { DEFAULT_RECENT_ERROR_CORRECTION, historyDays } from './error-correction';
import { ROLLING_CALIBRATION_DAYS } from './rolling-calibration';
import { seriesFromRows } from './series';

/** Days of readings a training reads: the meter's trailing year. */
export const TRAINING_DAYS = 365;
/**
 * History read for a forecast, so the product forecasts from the same inputs as the backtest
 * (bench:forecast): the rolling band calibration re-forecasts the last 56 days day-ahead
 * (rolling-calibration.ts), each of those forecasts is corrected by the model's errors on the 42 days
 * before it (error-correction.ts), and each of those reads the 4 weeks before its own start.
 * Baselines fit on the same window.
 */
export const FORECAST_HISTORY_DAYS =
  ROLLING_CALIBRATION_DAYS + historyDays(0, DEFAULT_RECENT_ERROR_CORRECTION) + 28;

type Bounds = { first: Date; last: Date; count: number };
type MeterWithSite = Awaited<ReturnType<SitesService['meterWithSite']>>;

export interface ForecastView {
  meterId: string;
  method: 'model' | 'generic' | 'baseline';
  modelVersion?: number;
  baseline?: string;
  reason: string;
  unit: string;
  issuedAt: Date;
  points: { ts: Date; p10: number; p50: number; p90: number }[];
}

/**
 * Forecasting's orchestration: a meter's series from metering, training (the work of a
 * `forecast-train` job, ForecastTrainJob) with versioned models (artifact in the database, promoted
 * atomically only when their backtest beats the current model and the baselines), forecasts with the
 * cold-start order (no readings → error; under 4 weeks → the generic model; then the per-meter model
 * or the best baseline). Reads and writes go through ForecastingRepository; the rules are pure
 * functions (model-registry.ts, load-forecast.ts). PV and wind meters train and forecast through
 * RenewableForecastingService into the same registry.
 */
@Injectable()
export class ForecastingService {
  private readonly logger = new Logger('Forecasting');

  constructor(
    private readonly db: Db,
    private readonly repo: ForecastingRepository,
    private readonly usage: MeterUsageService,
    private readonly sites: SitesService,
    private readonly audit: AuditService,
    private readonly jobs: JobsService,
    private readonly renewables: RenewableForecastingService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The meter's regular series in [until − days, until), with temperature where the site has weather. */
  async loadSeries(
    tenantId: string,
    meterId: string,
    options: { until?: Date; days: number; known?: MeterWithSite & { bounds: Bounds } },
  ) {
    const { meter, site } = options.known ?? (await this.sites.meterWithSite(tenantId, meterId));
    if (meter.intervalMinutes === null || meter.intervalMinutes > 60) {
      throw new UnprocessableError(
        `Forecasts need interval data of an hour or less; meter ${meter.name} reports ${meter.intervalMinutes === null ? 'bill periods' : 'daily values'}.`,
      );
    }
    const stepMs = meter.intervalMinutes * 60_000;
    const bounds = options.known ? options.known.bounds : await this.usage.bounds(tenantId, meterId);
    if (!bounds)
      throw new NoReadingsError(
        `Meter ${meter.name} has no readings yet: import data before asking for a forecast.`,
      );
    const lastEnd = bounds.last.getTime() + stepMs;
    const untilMs = Math.min(
      options.until ? Math.floor(options.until.getTime() / stepMs) * stepMs : lastEnd,
      lastEnd,
    );
    const startMs = Math.max(bounds.first.getTime(), untilMs - options.days * DAY_MS);
    if (untilMs <= bounds.first.getTime())
      throw new NoReadingsError(
        `Meter ${meter.name} has no readings before ${new Date(untilMs).toISOString()}.`,
      );
    const rows = await this.usage.series(tenantId, meterId, {
      from: new Date(startMs),
      to: new Date(untilMs),
    });
    const weather = await this.usage.weather(tenantId, site.id, {
      from: new Date(startMs),
      to: new Date(untilMs + MAX_HORIZON_DAYS * DAY_MS),
    });
    const grid = {
      startMs,
      n: Math.round((untilMs - startMs) / stepMs),
      intervalMinutes: meter.intervalMinutes,
      timeZone: site.timezone,
      countryCode: site.country,
    };
    // a load meter's stuck runs are missing; an inverter at its limit is flat for hours (markMissing)
    const series = seriesFromRows(grid, rows, weather, { stuckRuns: !isRenewable(meter.kind) });
    return { series, meter, site, bounds, weather };
  }

  /**
   * Enqueues a training job for the meter. Its id is the meter and a fingerprint of what the training
   * would read and write on (its readings, its site's weather, the registry's latest version): asking
   * again before anything changed returns the same job, and a new request after a failed one gets a
   * numbered retry id of its own.
   */
  async requestTraining(tenantId: string, meterId: string) {
    const { meter, site } = await this.sites.meterWithSite(tenantId, meterId);
    if (isRenewable(meter.kind)) requireForecastable(meter, site);
    // refused now rather than by a job that could only fail
    if (!(await this.usage.bounds(tenantId, meterId))) throw noReadings(meter.name, 'training a model');
    const fingerprint = await this.db.tenant(
      (em) => this.repo.trainingFingerprint(em, tenantId, meterId, site.id),
      tenantId,
    );
    const key = `${meterId}-${fingerprint}`;
    const id = await nextRunId(
      (candidate) => this.jobs.find(tenantId, candidate),
      jobId(FORECAST_TRAIN_JOB, key),
      (status) => status === 'failed',
    );
    const job = await this.jobs.enqueue(FORECAST_TRAIN_JOB, { meterId }, { tenantId, jobId: id });
    return { jobId: job.id };
  }

  /** A training job's work (ForecastTrainJob). Training happens before any write; the new version and its promotion commit together. */
  async handle(ctx: JobContext<{ meterId: string }>) {
    const { tenantId } = ctx;
    const { meterId } = ctx.payload;
    const { meter, site } = await this.sites.meterWithSite(tenantId, meterId);
    if (isRenewable(meter.kind)) {
      await ctx.progress(5);
      const { outcome, backend } = await this.renewables.train(tenantId, meter, site, ctx);
      await ctx.progress(90);
      if (outcome.method === 'generic') return outcome;
      return this.saveVersion(ctx, outcome, backend);
    }
    const { series } = await this.loadSeries(tenantId, meterId, { days: TRAINING_DAYS });
    await ctx.progress(10);
    // Trained in a thread of its own (training-runner.ts): the event loop stays free; ctx.signal stops it.
    const generic = this.repo.genericLoadArtifact();
    // retraining (at night, after an import) warm-starts from the active model when it is one
    const active = await this.db.tenant((em) => this.repo.activeVersion(em, tenantId, meterId), tenantId);
    const previous = active?.method === 'model' ? (active.artifact as LoadModelArtifact | null) : null;
    const trained = await trainInThread(
      {
        kind: 'load',
        series: packSeries(series),
        ...(generic ? { genericArtifact: generic } : {}),
        ...(previous ? { previousArtifact: previous } : {}),
        hyperParameters: { timeBudgetSeconds: this.config.forecastTrainSeconds },
      },
      { signal: ctx.signal, progress: (p) => ctx.progress(p), describe: `meter ${meter.name}` },
    );
    if (trained.kind !== 'load') throw new Error('a load training thread answered with a renewable model');
    const { choice, trainSeconds, backend } = trained;
    await ctx.progress(90);
    if (choice.method === 'generic') {
      return { method: 'generic', reason: choice.reason, historyDays: choice.historyDays };
    }
    return this.saveVersion(
      ctx,
      loadTrainedVersion({ ...choice, method: choice.method }, series, trainSeconds),
      backend,
    );
  }

  /**
   * Writes a trained version and, when it is better (promotes), makes it the active one, in one
   * transaction under the meter's lock; last, the job's fence (an attempt that lost its job rolls back).
   */
  private async saveVersion(ctx: JobContext<{ meterId: string }>, v: TrainedVersion, backend: string) {
    const { tenantId, jobId: job } = ctx;
    const { meterId } = ctx.payload;
    // A job stopped meanwhile (time limit, lost lease, shutdown) writes no version.
    ctx.signal.throwIfAborted();
    return this.db.tenant(async (em) => {
      await this.repo.lockMeter(em, tenantId, meterId);
      ctx.signal.throwIfAborted();
      const version = await this.repo.nextVersion(em, tenantId, meterId);
      const active = await this.repo.activeVersion(em, tenantId, meterId);
      const promote = promotes(v, active);
      if (promote && active) await this.repo.retire(em, tenantId, meterId, active.version);
      const row = versionRow(
        { tenantId, meterId, version, jobId: job, backend, now: new Date() },
        v,
        active,
        promote,
      );
      await this.repo.insertVersion(em, row);
      await this.audit.record(em, tenantId, {
        action: promote ? 'forecast_model.promoted' : 'forecast_model.trained',
        entityType: 'meter',
        entityId: meterId,
        summary: {
          version,
          method: row.method,
          cvRmse: v.metrics?.cvRmse ?? null,
          previous: active?.version ?? null,
        },
      });
      await ctx.fence(em);
      this.logger.log(
        `meter ${meterId}: version ${version} (${row.method}${promote ? ', active' : ''}) in ${v.trainSeconds.toFixed(1)} s`,
      );
      return {
        version,
        status: row.status,
        method: row.method,
        metrics: v.metrics,
        baselines: v.baselines,
        trainSeconds: v.trainSeconds,
        backend,
      };
    }, tenantId);
  }

  async list(tenantId: string, meterId: string) {
    await this.sites.getMeter(tenantId, meterId);
    const rows = await this.db.tenant((em) => this.repo.versions(em, tenantId, meterId), tenantId);
    return rows.map(modelView);
  }

  /** The active model version of each of these meters that has one (meter id → version). */
  async activeVersions(tenantId: string, meterIds: string[]): Promise<Map<string, number>> {
    return this.db.tenant((em) => this.repo.activeVersions(em, tenantId, meterIds), tenantId);
  }

  async backtest(tenantId: string, meterId: string, version: number) {
    const row = await this.db.tenant(
      (em) => this.repo.versionBacktest(em, tenantId, meterId, version),
      tenantId,
    );
    if (!row) throw new NotFoundError('Model version', String(version));
    return { version: row.version, metrics: row.metrics, baselines: row.baselines, backtest: row.backtest };
  }

  /** Makes a version the active one (a rollback), atomically. */
  async activate(tenantId: string, meterId: string, version: number) {
    return this.db.tenant(async (em) => {
      const target = await this.repo.versionStatus(em, tenantId, meterId, version);
      if (!target) throw new NotFoundError('Model version', String(version));
      await this.repo.retireActive(em, tenantId, meterId);
      await this.repo.markActive(em, tenantId, meterId, version, new Date());
      await this.audit.record(em, tenantId, {
        action: 'forecast_model.activated',
        entityType: 'meter',
        entityId: meterId,
        summary: { version },
      });
      return { version, status: 'active' };
    }, tenantId);
  }

  /** A forecast of [from, to) (at most 7 days), issued at `from` or at the end of the data, whichever is earlier. */
  async forecast(
    tenantId: string,
    meterId: string,
    q: { from?: string; to?: string },
  ): Promise<ForecastView> {
    const { meter, site } = await this.sites.meterWithSite(tenantId, meterId);
    // A PV or wind meter without what its forecast needs (capacity, location) says so before anything else.
    if (isRenewable(meter.kind)) requireForecastable(meter, site);
    const bounds = await this.usage.bounds(tenantId, meterId);
    if (!bounds) throw noReadings(meter.name, 'asking for a forecast');
    const active = await this.db.tenant((em) => this.repo.activeVersion(em, tenantId, meterId), tenantId);
    if (isRenewable(meter.kind)) {
      const r =
        meter.kind === 'pv_generation'
          ? await this.renewables.forecastPv(tenantId, meter, site, bounds, q, active)
          : await this.renewables.forecastWind(tenantId, meter, site, bounds, q, active);
      await this.store(tenantId, meterId, r.issuedAt, r.view, r.points);
      return { meterId, ...r.view, unit: meter.unit, issuedAt: r.issuedAt, points: r.points };
    }
    const { stepMs, fromMs, originMs, toMs } = forecastWindow(meter, site, bounds, q);
    let loaded;
    try {
      loaded = await this.loadSeries(tenantId, meterId, {
        until: new Date(originMs),
        days: FORECAST_HISTORY_DAYS,
        known: { meter, site, bounds },
      });
    } catch (err) {
      if (err instanceof NoReadingsError)
        throw new UnprocessableError(err.message, [{ field: 'from', message: 'no readings before it' }], {
          code: err.code,
        });
      throw err;
    }
    const steps = Math.ceil((toMs - originMs) / stepMs);
    const historyDays = (originMs - bounds.first.getTime()) / DAY_MS;
    const made = await forecastLoad({
      series: loaded.series,
      steps,
      originMs,
      historyDays,
      active,
      generic: () => this.repo.genericLoadArtifact(),
      // the site's temperature forecast for the horizon where stored (missing hours: yesterday's persisted)
      horizonTemperatureC: temperaturesAfter(loaded.weather, originMs, steps, stepMs / 60_000),
    });
    if (!made)
      throw new UnprocessableError(
        'The generic load model (models/generic-load.json) is missing from this installation.',
      );
    const points = pointsInWindow(made.result, fromMs, toMs);
    await this.store(tenantId, meterId, new Date(originMs), made.view, points);
    return { meterId, ...made.view, unit: meter.unit, issuedAt: new Date(originMs), points };
  }

  private async store(
    tenantId: string,
    meterId: string,
    issuedAt: Date,
    view: { method: string; modelVersion?: number },
    points: ForecastView['points'],
  ) {
    if (!points.length) return;
    await this.db.tenant(
      (em) => this.repo.storeForecast(em, tenantId, meterId, issuedAt, view, points),
      tenantId,
    );
  }

  backendName(): string | null {
    return currentBackend();
  }
}

/** 422 for a meter without a single reading: nothing to train on or forecast from. */
function noReadings(meterName: string, doing: string): UnprocessableError {
  return new UnprocessableError(
    `Meter ${meterName} has no readings: import data before ${doing}.`,
    [{ field: 'meterId', message: 'no readings' }],
    {
      code: 'FORECAST_NO_READINGS',
    },
  );
}
