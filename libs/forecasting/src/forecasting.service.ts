import { Inject, Injectable, Logger } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_CONFIG, AppConfig, AuditService, Db, JobContext, JobProcessor, JobsService, NotFoundError, UnprocessableError, findRepoPath, jobId } from '@halve/platform';
import { MeterUsageService, SitesService } from '@halve/metering';
import { BASELINE_NAMES, BaselineName } from './baselines';
import { BacktestResult, ForecastScores, NoReadingsError, forecastWithBaseline } from './backtest';
import { currentBackend } from './backend';
import { ForecastModelEntity } from './entities/forecasting.entities';
import { DAY_MS, MAX_HORIZON_DAYS, forecastWindow } from './forecast-window';
import { LoadModel, LoadModelArtifact, QuantilePoints } from './load-model';
import { TrainedVersion } from './renewables-training';
import { RenewableForecastingService, isRenewable, requireForecastable } from './renewables.service';
import { trainInThread } from './training-runner';
import { packSeries } from './training-task';
import { MeterSeries, markMissing } from './series';

const TRAINING_DAYS = 365;
const FORECAST_HISTORY_DAYS = 56;

/** A file of the repository's `models/` folder (shipped artifacts), or null. */
export function findModelFile(name: string): string | null {
  return findRepoPath(join('models', name));
}

type Bounds = { first: Date; last: Date; count: number };

let genericLoad: LoadModelArtifact | null | undefined;
export function genericLoadArtifact(): LoadModelArtifact | null {
  if (genericLoad === undefined) {
    const file = findModelFile('generic-load.json');
    genericLoad = file ? (JSON.parse(readFileSync(file, 'utf8')) as LoadModelArtifact) : null;
  }
  return genericLoad;
}

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

function scoresView(s: ForecastScores | null | undefined) {
  return s ? { cvRmse: s.cvRmse, nmbe: s.nmbe, mape: s.mape, mase: s.mase, pinball: s.pinball, coverageP10P90: s.coverageP10P90 } : null;
}

export function modelView(m: ForecastModelEntity) {
  return {
    version: m.version,
    status: m.status,
    method: m.method,
    baseline: m.baselineName,
    backend: m.backend,
    trainedFrom: m.trainedFrom,
    trainedTo: m.trainedTo,
    hyperParameters: m.hyperParameters,
    metrics: m.metrics,
    baselines: m.baselines,
    reason: m.reason,
    trainSeconds: m.trainSeconds,
    createdAt: m.createdAt,
    activatedAt: m.activatedAt,
  };
}

/** Sums a sub-hourly series into hours (forecasting with an hourly model), NaN when an hour is incomplete. */
function toHourly(series: MeterSeries): { hourly: MeterSeries; perHour: number } {
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

/**
 * The forecasting module's database side: a meter's series from metering, training jobs with
 * versioned models (artifact in the database, promoted atomically only when their backtest beats the
 * current model and the baselines), forecasts with the cold-start order (no readings → error;
 * under 4 weeks → the generic model; then the per-meter model or the best baseline). PV and wind
 * meters train and forecast through RenewableForecastingService into the same registry.
 */
@Injectable()
@JobProcessor('forecast-train', { retry: 'standard' })
export class ForecastingService {
  private readonly logger = new Logger('Forecasting');

  constructor(
    private readonly db: Db,
    private readonly usage: MeterUsageService,
    private readonly sites: SitesService,
    private readonly audit: AuditService,
    private readonly jobs: JobsService,
    private readonly renewables: RenewableForecastingService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The meter's regular series in [until − days, until), with temperature where the site has weather. */
  async loadSeries(tenantId: string, meterId: string, options: { until?: Date; days: number; known?: Awaited<ReturnType<SitesService['meterWithSite']>> & { bounds: Bounds } }) {
    const { meter, site } = options.known ?? (await this.sites.meterWithSite(tenantId, meterId));
    if (meter.intervalMinutes === null || meter.intervalMinutes > 60) {
      throw new UnprocessableError(`Forecasts need interval data of an hour or less; meter ${meter.name} reports ${meter.intervalMinutes === null ? 'bill periods' : 'daily values'}.`);
    }
    const stepMs = meter.intervalMinutes * 60_000;
    const bounds = options.known ? options.known.bounds : await this.usage.bounds(tenantId, meterId);
    if (!bounds) throw new NoReadingsError(`Meter ${meter.name} has no readings yet: import data before asking for a forecast.`);
    const lastEnd = bounds.last.getTime() + stepMs;
    const untilMs = Math.min(options.until ? Math.floor(options.until.getTime() / stepMs) * stepMs : lastEnd, lastEnd);
    const startMs = Math.max(bounds.first.getTime(), untilMs - options.days * DAY_MS);
    if (untilMs <= bounds.first.getTime()) throw new NoReadingsError(`Meter ${meter.name} has no readings before ${new Date(untilMs).toISOString()}.`);
    const rows = await this.usage.series(tenantId, meterId, { from: new Date(startMs), to: new Date(untilMs) });
    const n = Math.round((untilMs - startMs) / stepMs);
    const values = new Array<number>(n).fill(Number.NaN);
    for (const r of rows) {
      const i = Math.round((r.ts.getTime() - startMs) / stepMs);
      if (i >= 0 && i < n) values[i] = r.value;
    }
    const weather = await this.usage.weather(tenantId, site.id, { from: new Date(startMs), to: new Date(untilMs + MAX_HORIZON_DAYS * DAY_MS) });
    let temperatureC: number[] | undefined;
    if (weather.some((w) => w.temperatureC !== null)) {
      const byHour = new Map(weather.filter((w) => w.temperatureC !== null).map((w) => [Math.floor(w.ts.getTime() / 3_600_000), w.temperatureC!]));
      temperatureC = Array.from({ length: n }, (_, i) => byHour.get(Math.floor((startMs + i * stepMs) / 3_600_000)) ?? Number.NaN);
    }
    const series: MeterSeries = {
      startMs,
      intervalMinutes: meter.intervalMinutes,
      valuesKwh: markMissing(values),
      timeZone: site.timezone,
      countryCode: site.country,
      ...(temperatureC ? { temperatureC } : {}),
    };
    return { series, meter, site, bounds };
  }

  async requestTraining(tenantId: string, meterId: string, key?: string) {
    const { meter, site } = await this.sites.meterWithSite(tenantId, meterId);
    if (isRenewable(meter.kind)) requireForecastable(meter, site);
    // refused now rather than by a job that could only fail
    if (!(await this.usage.bounds(tenantId, meterId))) throw noReadings(meter.name, 'training a model');
    const job = await this.jobs.enqueue('forecast-train', { meterId }, { tenantId, jobId: jobId('forecast-train', `${meterId}-${key ?? Date.now()}`) });
    return { jobId: job.id };
  }

  /** The training job. Training happens before any write; the new version and its promotion commit together. */
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
    const generic = genericLoadArtifact();
    const trained = await trainInThread(
      { kind: 'load', series: packSeries(series), ...(generic ? { genericArtifact: generic } : {}), hyperParameters: { timeBudgetSeconds: this.config.forecastTrainSeconds } },
      { signal: ctx.signal, progress: (p) => ctx.progress(p), describe: `meter ${meter.name}` },
    );
    if (trained.kind !== 'load') throw new Error('a load training thread answered with a renewable model');
    const { choice, trainSeconds, backend } = trained;
    await ctx.progress(90);
    if (choice.method === 'generic') {
      return { method: 'generic', reason: choice.reason, historyDays: choice.historyDays };
    }
    const backtest = choice.backtest as BacktestResult;
    const metrics = choice.method === 'model' ? scoresView(backtest.model) : scoresView(backtest.baselines[choice.baseline as BaselineName]);
    const baselines = Object.fromEntries(BASELINE_NAMES.map((b) => [b, scoresView(backtest.baselines[b])]));
    const trainedFrom = new Date(series.startMs);
    const trainedTo = new Date(series.startMs + series.valuesKwh.length * series.intervalMinutes * 60_000);
    return this.saveVersion(
      ctx,
      {
        method: choice.method as 'model' | 'baseline',
        baselineName: choice.baseline ?? null,
        artifact: (choice.artifact as unknown as object) ?? null,
        hyperParameters: choice.artifact?.hyperParameters ?? {},
        metrics: metrics as TrainedVersion['metrics'],
        baselines,
        backtest: backtest as unknown as object,
        reason: choice.reason,
        trainedFrom,
        trainedTo,
        trainSeconds,
      },
      backend,
    );
  }

  /**
   * Writes a trained version and, when it is better, makes it the active one, in one transaction:
   * promoted when there is no active version, or when it is a model that scores a lower CV(RMSE)
   * than the active one (or replaces an active baseline).
   */
  private async saveVersion(ctx: JobContext<{ meterId: string }>, v: TrainedVersion, backend: string) {
    const { tenantId } = ctx;
    const { meterId } = ctx.payload;
    const { metrics, trainSeconds } = v;
    // A job stopped meanwhile (time limit, lost lease, shutdown) writes no version.
    ctx.signal.throwIfAborted();
    return this.db.tenant(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`forecast:${tenantId}:${meterId}`]);
      ctx.signal.throwIfAborted();
      const [{ next }]: { next: number }[] = await em.query('SELECT coalesce(max(version), 0) + 1 AS next FROM forecast_models WHERE tenant_id = $1 AND meter_id = $2', [tenantId, meterId]);
      const active = await em.findOneBy(ForecastModelEntity, { tenantId, meterId, status: 'active' });
      const activeCv = (active?.metrics as { cvRmse?: number } | null)?.cvRmse;
      const newCv = metrics?.cvRmse ?? Number.POSITIVE_INFINITY;
      const promote = !active || (v.method === 'model' && (activeCv === undefined || newCv < activeCv || active.method === 'baseline'));
      if (promote && active) await em.update(ForecastModelEntity, { tenantId, meterId, version: active.version }, { status: 'retired' });
      const row: Partial<ForecastModelEntity> = {
        tenantId,
        meterId,
        version: Number(next),
        status: promote ? 'active' : 'candidate',
        method: v.method,
        baselineName: v.baselineName,
        backend,
        trainedFrom: v.trainedFrom,
        trainedTo: v.trainedTo,
        hyperParameters: v.hyperParameters,
        metrics,
        baselines: v.baselines,
        backtest: v.backtest,
        reason: promote ? v.reason : `${v.reason}; not promoted: the active version ${active!.version} scores better`,
        artifact: v.artifact,
        trainSeconds,
        jobId: ctx.jobId,
        activatedAt: promote ? new Date() : null,
      };
      await em.insert(ForecastModelEntity, row);
      await this.audit.record(em, tenantId, {
        action: promote ? 'forecast_model.promoted' : 'forecast_model.trained',
        entityType: 'meter',
        entityId: meterId,
        summary: { version: row.version, method: row.method, cvRmse: metrics?.cvRmse ?? null, previous: active?.version ?? null },
      });
      // last in the transaction: an attempt that lost its job (timed out, taken over) rolls back
      await ctx.fence(em);
      this.logger.log(`meter ${meterId}: version ${row.version} (${row.method}${promote ? ', active' : ''}) in ${trainSeconds.toFixed(1)} s`);
      return { version: row.version, status: row.status, method: row.method, metrics, baselines: v.baselines, trainSeconds, backend };
    }, tenantId);
  }

  async list(tenantId: string, meterId: string) {
    await this.sites.getMeter(tenantId, meterId);
    const rows = await this.db.tenant(
      (em) =>
        em.getRepository(ForecastModelEntity).find({
          where: { tenantId, meterId },
          order: { version: 'DESC' },
          select: ['tenantId', 'meterId', 'version', 'status', 'method', 'baselineName', 'backend', 'trainedFrom', 'trainedTo', 'hyperParameters', 'metrics', 'baselines', 'reason', 'trainSeconds', 'createdAt', 'activatedAt'],
        }),
      tenantId,
    );
    return rows.map(modelView);
  }

  async backtest(tenantId: string, meterId: string, version: number) {
    const row = await this.db.tenant((em) => em.findOne(ForecastModelEntity, { where: { tenantId, meterId, version }, select: ['version', 'backtest', 'metrics', 'baselines'] }), tenantId);
    if (!row) throw new NotFoundError('Model version', String(version));
    return { version: row.version, metrics: row.metrics, baselines: row.baselines, backtest: row.backtest };
  }

  /** Makes a version the active one (a rollback), atomically. */
  async activate(tenantId: string, meterId: string, version: number) {
    return this.db.tenant(async (em) => {
      const target = await em.findOne(ForecastModelEntity, { where: { tenantId, meterId, version }, select: ['version', 'status'] });
      if (!target) throw new NotFoundError('Model version', String(version));
      await em.query(`UPDATE forecast_models SET status = 'retired' WHERE tenant_id = $1 AND meter_id = $2 AND status = 'active'`, [tenantId, meterId]);
      await em.update(ForecastModelEntity, { tenantId, meterId, version }, { status: 'active', activatedAt: new Date() });
      await this.audit.record(em, tenantId, { action: 'forecast_model.activated', entityType: 'meter', entityId: meterId, summary: { version } });
      return { version, status: 'active' };
    }, tenantId);
  }

  /** A forecast of [from, to) (at most 7 days), issued at `from` or at the end of the data, whichever is earlier. */
  async forecast(tenantId: string, meterId: string, q: { from?: string; to?: string }): Promise<ForecastView> {
    const { meter, site } = await this.sites.meterWithSite(tenantId, meterId);
    // A PV or wind meter without what its forecast needs (capacity, location) says so before anything else.
    if (isRenewable(meter.kind)) requireForecastable(meter, site);
    const bounds = await this.usage.bounds(tenantId, meterId);
    if (!bounds) throw noReadings(meter.name, 'asking for a forecast');
    if (isRenewable(meter.kind)) {
      const active = await this.db.tenant((em) => em.findOneBy(ForecastModelEntity, { tenantId, meterId, status: 'active' }), tenantId);
      const r =
        meter.kind === 'pv_generation'
          ? await this.renewables.forecastPv(tenantId, meter, site, bounds, q, active)
          : await this.renewables.forecastWind(tenantId, meter, site, bounds, q, active);
      await this.store(tenantId, meterId, r.issuedAt, r.view, r.points);
      return { meterId, ...r.view, unit: meter.unit, issuedAt: r.issuedAt, points: r.points };
    }
    const { stepMs, fromMs, originMs, toMs } = forecastWindow(meter, site, bounds, q);
    const horizonMs = toMs - originMs;
    let loaded;
    try {
      loaded = await this.loadSeries(tenantId, meterId, { until: new Date(originMs), days: FORECAST_HISTORY_DAYS, known: { meter, site, bounds } });
    } catch (err) {
      if (err instanceof NoReadingsError) throw new UnprocessableError(err.message, [{ field: 'from', message: 'no readings before it' }], { code: err.code });
      throw err;
    }
    const { series } = loaded;
    const steps = Math.ceil(horizonMs / stepMs);
    const historyDays = (originMs - bounds.first.getTime()) / DAY_MS;
    const active = await this.db.tenant((em) => em.findOneBy(ForecastModelEntity, { tenantId, meterId, status: 'active' }), tenantId);
    let result: QuantilePoints;
    let view: Omit<ForecastView, 'points' | 'unit' | 'issuedAt' | 'meterId'>;
    if (active?.method === 'model' && active.artifact) {
      const model = await LoadModel.fromArtifact(active.artifact as LoadModelArtifact);
      try {
        result = model.forecast(series, steps);
      } finally {
        model.dispose();
      }
      view = { method: 'model', modelVersion: active.version, reason: active.reason };
    } else if (active?.method === 'baseline' && active.baselineName) {
      result = forecastWithBaseline(series, active.baselineName as BaselineName, steps);
      view = { method: 'baseline', modelVersion: active.version, baseline: active.baselineName, reason: active.reason };
    } else if (historyDays < 28) {
      const generic = genericLoadArtifact();
      if (!generic) throw new UnprocessableError('The generic load model (models/generic-load.json) is missing from this installation.');
      const { hourly, perHour } = series.intervalMinutes === generic.intervalMinutes ? { hourly: series, perHour: 1 } : toHourly(series);
      const model = await LoadModel.fromArtifact(generic);
      try {
        const h = model.forecast(hourly, Math.ceil(steps / perHour));
        result = {
          timesMs: Array.from({ length: steps }, (_, i) => originMs + i * stepMs),
          p10: Array.from({ length: steps }, (_, i) => h.p10[Math.floor(i / perHour)] / perHour),
          p50: Array.from({ length: steps }, (_, i) => h.p50[Math.floor(i / perHour)] / perHour),
          p90: Array.from({ length: steps }, (_, i) => h.p90[Math.floor(i / perHour)] / perHour),
        };
      } finally {
        model.dispose();
      }
      view = { method: 'generic', reason: `${historyDays.toFixed(1)} days of readings (under 4 weeks): the generic model scaled to this meter's level` };
    } else {
      const name: BaselineName = series.temperatureC ? 'hourOfWeekTemperature' : 'hourOfWeekRecentLoad';
      result = forecastWithBaseline(series, name, steps);
      view = { method: 'baseline', baseline: name, reason: 'no trained model yet (train one with POST …/models): the hour-of-week regression baseline' };
    }
    const points = result.timesMs
      .map((t, i) => ({ ts: new Date(t), p10: result.p10[i], p50: result.p50[i], p90: Math.max(result.p90[i], result.p50[i]) }))
      .filter((p) => p.ts.getTime() >= fromMs && p.ts.getTime() < toMs);
    await this.store(tenantId, meterId, new Date(originMs), view, points);
    return { meterId, ...view, unit: meter.unit, issuedAt: new Date(originMs), points };
  }

  private async store(tenantId: string, meterId: string, issuedAt: Date, view: { method: string; modelVersion?: number }, points: ForecastView['points']) {
    if (!points.length) return;
    await this.db.tenant(
      (em) =>
        em.query(
          `INSERT INTO forecasts (tenant_id, meter_id, issued_at, ts, method, model_version, p10, p50, p90)
           SELECT $1, $2, $3, to_timestamp(t::float8 / 1000), $4, $5, a::float8, b::float8, c::float8
             FROM unnest(string_to_array($6, ','), string_to_array($7, ','), string_to_array($8, ','), string_to_array($9, ',')) AS s(t, a, b, c)
           ON CONFLICT (tenant_id, meter_id, issued_at, ts) DO UPDATE SET method = EXCLUDED.method, model_version = EXCLUDED.model_version, p10 = EXCLUDED.p10, p50 = EXCLUDED.p50, p90 = EXCLUDED.p90`,
          [
            tenantId,
            meterId,
            issuedAt,
            view.method,
            view.modelVersion ?? null,
            points.map((p) => p.ts.getTime()).join(','),
            points.map((p) => p.p10).join(','),
            points.map((p) => p.p50).join(','),
            points.map((p) => p.p90).join(','),
          ],
        ),
      tenantId,
    );
  }

  backendName(): string | null {
    return currentBackend();
  }
}

/** 422 for a meter without a single reading: nothing to train on or forecast from. */
function noReadings(meterName: string, doing: string): UnprocessableError {
  return new UnprocessableError(`Meter ${meterName} has no readings: import data before ${doing}.`, [{ field: 'meterId', message: 'no readings' }], {
    code: 'FORECAST_NO_READINGS',
  });
}
