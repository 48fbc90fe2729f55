import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { METER_IMPORT_JOB } from './jobs/job-types';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import type { EntityManager } from 'typeorm';
import { join } from 'node:path';
import {
  APP_CONFIG,
  AppConfig,
  AuditService,
  BadInputError,
  Db,
  JobContext,
  JobProcessor,
  JobsService,
  NotFoundError,
  jobId,
} from '@halve/platform';
import { ImportEntity, MeterEntity, SiteEntity } from './entities/metering.entities';
import { FileRejectedError } from './import/file-rejected-error';
import { sniffHead } from './import/byte-source';
import { ImportOptions } from './import/import-types';
import type { WideImportOptions } from './import/parse-wide-csv';
import { ReadingsRepository, StageWriter } from './readings.repository';
import { HourRollups, MeterRange, TallySummary } from './import-encoder';
import { ParseJob, ParseMessage } from './parse-job';
import { importParseLimits, runParseJob, xlsxDeclaredBytes } from './parse-runner';
import { UnitConversionError } from './units/units';
import { WeatherFileError, WeatherLineParser, readWeatherCsv } from './weather';
import { uploadDirs } from './upload-dirs';

export interface UploadedFileRef {
  path: string;
  originalname: string;
  size: number;
}

export interface ImportRequestOptions {
  format?: ImportOptions['format'];
  timestampColumn?: string;
  timeColumn?: string;
  valueColumn?: string;
  timezone?: string;
  unit?: string;
  sheet?: string;
  dateOrder?: 'dmy' | 'mdy';
  timestampPosition?: 'start' | 'end';
  seriesId?: string;
  /** wide uploads: column name → meter id */
  columns?: Record<string, string>;
}

/** The import report the API shows. */
export function importView(i: ImportEntity) {
  return {
    id: i.id,
    importId: i.id,
    kind: i.kind,
    meterId: i.meterId,
    siteId: i.siteId,
    status: i.status,
    filename: i.filename,
    format: i.format,
    sizeBytes: i.sizeBytes === null ? null : Number(i.sizeBytes),
    rowsRead: i.rowsRead,
    rowsStored: i.rowsStored,
    rowsUpdated: i.rowsUpdated,
    rowsUnchanged: i.rowsUnchanged,
    rowsMissing: i.rowsMissing,
    rowsRejected: i.rowsRejected,
    rowsDuplicate: i.rowsDuplicate,
    errors: i.errors,
    warnings: i.warnings,
    ...(i.error ? { error: i.error, errorCode: i.errorCode } : {}),
    firstTs: i.firstTs,
    lastTs: i.lastTs,
    jobId: i.jobId,
    createdAt: i.createdAt,
    finishedAt: i.finishedAt,
  };
}

export class NonRetryableImportError extends Error {
  readonly retryable = false;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Imports run as jobs: the upload is saved to the upload folder, an `imports` row and a job are
 * created, and the job parses, validates, stages and merges the readings and rebuilds the rollups in
 * one transaction. `succeeded` is written only in that same transaction.
 */
@Injectable()
@JobProcessor(METER_IMPORT_JOB, { retry: 'patient', timeLimitSeconds: 30 * 60 })
export class ImportsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Imports');
  private sweepTimer?: NodeJS.Timeout;

  constructor(
    private readonly db: Db,
    private readonly jobs: JobsService,
    private readonly audit: AuditService,
    private readonly readings: ReadingsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const sweep = () =>
      void this.sweepUploads().catch((err: Error) => this.logger.warn(`upload sweep: ${err.message}`));
    sweep();
    this.sweepTimer = setInterval(sweep, 3_600_000);
    this.sweepTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweepTimer);
  }

  /**
   * Removes upload files older than `maxAgeMs` that no unfinished import needs: stored uploads whose
   * import ended or does not exist, and files left in the receiving folder by requests long gone.
   * Every end state of an import removes its file; this is the backstop (a crash between the two).
   */
  async sweepUploads(maxAgeMs = 86_400_000): Promise<{ removed: string[] }> {
    const { receiving, stored } = uploadDirs(this.config);
    const cutoff = Date.now() - maxAgeMs;
    const old = async (dir: string) => {
      const names = await readdir(dir).catch(() => [] as string[]);
      const out: string[] = [];
      for (const name of names) {
        const st = await stat(join(dir, name)).catch(() => null);
        if (st?.isFile() && st.mtimeMs < cutoff) out.push(name);
      }
      return out;
    };
    const removed: string[] = [];
    for (const name of await old(receiving)) {
      await rm(join(receiving, name), { force: true });
      removed.push(join(receiving, name));
    }
    const candidates = (await old(stored))
      .map((name) => ({ name, m: /^([0-9a-f-]{36})-([0-9a-f-]{36})$/.exec(name) }))
      .filter((c) => c.m);
    if (candidates.length) {
      const unfinished: { key: string }[] = await this.db.system((em) =>
        em.query(
          `SELECT tenant_id::text || '-' || id::text AS key FROM imports
            WHERE (tenant_id, id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[])) AND status IN ('queued', 'running')`,
          [candidates.map((c) => c.m![1]), candidates.map((c) => c.m![2])],
        ),
      );
      const keep = new Set(unfinished.map((u) => u.key));
      for (const c of candidates) {
        if (keep.has(c.name)) continue;
        await rm(join(stored, c.name), { force: true });
        removed.push(join(stored, c.name));
      }
    }
    if (removed.length) this.logger.log(`upload sweep: removed ${removed.length} orphan file(s)`);
    return { removed };
  }

  uploadDir(): string {
    return uploadDirs(this.config).stored;
  }

  async ensureUploadDir(): Promise<string> {
    const dir = this.uploadDir();
    await mkdir(dir, { recursive: true });
    return dir;
  }

  async create(
    tenantId: string,
    target: { kind: 'meter'; meterId: string } | { kind: 'wide' } | { kind: 'weather'; siteId: string },
    file: UploadedFileRef | undefined,
    options: ImportRequestOptions,
    userId: string | undefined,
  ) {
    if (!file)
      throw new BadInputError('Attach the file as the multipart field "file".', [
        { field: 'file', message: 'is required' },
      ]);
    const id = randomUUID();
    const dir = await this.ensureUploadDir();
    const stored = join(dir, `${tenantId}-${id}`);
    try {
      await rename(file.path, stored);
      const sha256 = await fileSha256(stored);
      const job = jobId(METER_IMPORT_JOB, id);
      await this.db.tenant(async (em) => {
        if (target.kind === 'meter' && !(await em.findOneBy(MeterEntity, { tenantId, id: target.meterId })))
          throw new NotFoundError('Meter', target.meterId);
        if (target.kind === 'weather' && !(await em.findOneBy(SiteEntity, { tenantId, id: target.siteId })))
          throw new NotFoundError('Site', target.siteId);
        await em.insert(ImportEntity, {
          tenantId,
          id,
          kind: target.kind,
          meterId: target.kind === 'meter' ? target.meterId : null,
          siteId: target.kind === 'weather' ? target.siteId : null,
          status: 'queued',
          filename: file.originalname.slice(0, 255),
          format: options.format ?? 'auto',
          sizeBytes: String(file.size),
          sha256,
          options: options as object,
          jobId: job,
          createdBy: userId ?? null,
        });
        await this.audit.record(em, tenantId, {
          action: 'import.created',
          entityType: 'import',
          entityId: id,
          summary: { target, filename: file.originalname, sizeBytes: file.size, sha256 },
        });
        // The job row commits with the import row (the outbox): no import without its job.
        await this.jobs.enqueue(METER_IMPORT_JOB, { importId: id }, { jobId: job, tenantId });
      }, tenantId);
      this.jobs.kick();
      return { importId: id, jobId: job };
    } catch (err) {
      await rm(stored, { force: true });
      await rm(file.path, { force: true });
      throw err;
    }
  }

  /**
   * The job ended `failed` (its last attempt, a refusal, its time limit, or the reaper after a crash):
   * the import ends `failed` with the job's reason, and its upload file is removed. Idempotent.
   */
  async onFailed(tenantId: string, payload: { importId: string }, error: string): Promise<void> {
    const m = /^([A-Z][A-Z0-9_]+): ([\s\S]*)$/.exec(error);
    const [code, message] = m ? [m[1], m[2]] : ['IMPORT_FAILED', error];
    await this.db.tenant(
      (em) =>
        em
          .createQueryBuilder()
          .update(ImportEntity)
          .set({ status: 'failed', error: message, errorCode: code, finishedAt: new Date() })
          .where('tenant_id = :tenantId AND id = :id AND status <> :done', {
            tenantId,
            id: payload.importId,
            done: 'succeeded',
          })
          .execute(),
      tenantId,
    );
    await rm(join(this.uploadDir(), `${tenantId}-${payload.importId}`), { force: true });
  }

  async get(tenantId: string, id: string) {
    const row = await this.db.tenant((em) => em.findOneBy(ImportEntity, { tenantId, id }), tenantId);
    if (!row) throw new NotFoundError('Import', id);
    // A retry waiting for its backoff: say when its next attempt runs (the job row knows).
    const job =
      row.status === 'queued' && row.jobId
        ? await this.jobs.get(tenantId, row.jobId).catch(() => null)
        : null;
    return { ...importView(row), ...(job?.nextAttemptAt ? { nextAttemptAt: job.nextAttemptAt } : {}) };
  }

  async list(tenantId: string, meterId?: string) {
    const rows = await this.db.tenant(
      (em) =>
        em.find(ImportEntity, {
          where: meterId ? { tenantId, meterId } : { tenantId },
          order: { createdAt: 'DESC' },
          take: 100,
        }),
      tenantId,
    );
    return rows.map(importView);
  }

  /** The job: one attempt of one import. */
  async handle(ctx: JobContext<{ importId: string }>): Promise<unknown> {
    const { tenantId } = ctx;
    const importId = ctx.payload.importId;
    const imp = await this.db.tenant(
      (em) => em.findOneBy(ImportEntity, { tenantId, id: importId }),
      tenantId,
    );
    if (!imp) throw new NonRetryableImportError('NOT_FOUND', `Import ${importId} does not exist`);
    const file = join(this.uploadDir(), `${tenantId}-${importId}`);
    if (imp.status === 'succeeded') {
      // an earlier attempt committed, then its process stopped before it could tidy up
      await rm(file, { force: true });
      return importView(imp);
    }
    await this.db.tenant(
      (em) => em.update(ImportEntity, { tenantId, id: importId }, { status: 'running' }),
      tenantId,
    );
    try {
      const size = Number(imp.sizeBytes ?? 0) || (await stat(file)).size;
      let lastProgress = 0;
      const progress = async (bytes: number) => {
        const pct = size ? Math.min(95, Math.floor((bytes / size) * 90)) : 0;
        if (pct >= lastProgress + 5) {
          lastProgress = pct;
          await ctx.progress(pct);
        }
      };
      if (imp.kind === 'weather') {
        const result = await this.runWeather(tenantId, imp, file, size, (em) => ctx.fence(em));
        await rm(file, { force: true });
        return result;
      }
      const parse = { file, size, progress, fence: (em: EntityManager) => ctx.fence(em), signal: ctx.signal };
      const result =
        imp.kind === 'wide'
          ? await this.runWide(tenantId, imp, parse)
          : await this.runMeter(tenantId, imp, parse);
      await rm(file, { force: true });
      this.logger.log(
        `import ${importId}: ${result.rowsStored} stored, ${result.rowsUpdated} updated, ${result.rowsRejected} rejected`,
      );
      return result;
    } catch (err) {
      const refused =
        err instanceof FileRejectedError ||
        err instanceof UnitConversionError ||
        err instanceof NonRetryableImportError ||
        err instanceof WeatherFileError;
      const code =
        err instanceof FileRejectedError ||
        err instanceof NonRetryableImportError ||
        err instanceof WeatherFileError
          ? err.code
          : err instanceof UnitConversionError
            ? 'WRONG_UNIT'
            : 'IMPORT_FAILED';
      const message = err instanceof Error ? err.message : String(err);
      // A refusal ends the job at once; the job runner then calls onFailed, which ends the import.
      if (refused || ctx.signal.aborted)
        throw Object.assign(new Error(`${code}: ${message}`), { retryable: false });
      if (ctx.attempt < ctx.maxAttempts) {
        // Best effort (the database may be what failed): the import shows that it will be retried.
        await this.db
          .tenant(
            (em) =>
              em.update(
                ImportEntity,
                { tenantId, id: importId, status: 'running' },
                { status: 'queued', error: `attempt ${ctx.attempt} failed, retrying: ${message}` },
              ),
            tenantId,
          )
          .catch(() => undefined);
      }
      throw err;
    }
  }

  private async runMeter(tenantId: string, imp: ImportEntity, parse: ParseInput) {
    const opts = imp.options as ImportRequestOptions;
    return this.db.tenant(async (em) => {
      const meter = await em.findOneBy(MeterEntity, { tenantId, id: imp.meterId! });
      if (!meter)
        throw new NonRetryableImportError('METER_DELETED', 'The meter was deleted before its import ran.');
      const site = await em.findOneByOrFail(SiteEntity, { tenantId, id: meter.siteId });
      const options: ImportOptions = {
        format: opts.format ?? 'auto',
        timestampColumn: opts.timestampColumn,
        timeColumn: opts.timeColumn,
        valueColumn: opts.valueColumn ?? meter.sourceColumn ?? undefined,
        sheet: opts.sheet,
        dateOrder: opts.dateOrder,
        timestampPosition: opts.timestampPosition,
        seriesId: opts.seriesId,
        timezone: opts.timezone ?? site.timezone,
        intervalMinutes: meter.intervalMinutes,
        register: meter.register,
        meterKind: meter.kind,
        meterUnit: meter.unit,
        fileUnit: opts.unit,
        gasCalorificValueKwhPerM3: meter.gasCalorificValueKwhPerM3 ?? undefined,
      };
      return this.load(em, tenantId, imp, parse, [{ meter, timezone: site.timezone }], (target) => ({
        kind: 'meter',
        meterId: meter.id,
        options,
        file: parse.file,
        target,
      }));
    }, tenantId);
  }

  /**
   * Parse (in a worker thread for large files) and load in one transaction: the parser's encoded
   * readings stream into the database as they come, so the server loads while the file is read.
   */
  private async load(
    em: EntityManager,
    tenantId: string,
    imp: ImportEntity,
    parse: ParseInput,
    meters: { meter: MeterEntity; timezone: string }[],
    job: (target: ParseJob['target']) => ParseJob,
  ) {
    const started = Date.now();
    const meterIds = meters.map((m) => m.meter.id);
    const stage = await this.readings.openStage(em, { tenantId, importId: imp.id, meterIds });
    // a first load of interval data: the parser sums the hour rollups on the way
    const hourRollups =
      stage.direct && meters.every((m) => m.meter.intervalMinutes !== null && m.meter.intervalMinutes < 1440);
    const request = job({ mode: stage.mode, tenantId, importId: imp.id, meterIds, hourRollups });
    // a small workbook can expand to far more XML than its size: its declared size decides then
    const min = this.config.importWorkerMinBytes;
    const inWorker =
      (parse.size >= min || ((await xlsxDeclaredBytes(parse.file)) ?? 0) >= min) &&
      (await streamsInWorker(parse.file));
    let done: Extract<ParseMessage, { t: 'done' }> | undefined;
    let closed = false;
    try {
      for await (const m of runParseJob(
        { ...request, limits: importParseLimits(this.config) },
        { worker: inWorker, signal: parse.signal },
      )) {
        if (m.t === 'chunk') {
          await stage.write(m.chunk);
          await parse.progress(m.bytesRead);
        } else done = m;
      }
      await stage.close(done?.trailer ?? null);
      closed = true;
    } finally {
      // a parse failure: end the COPY so the transaction can roll back cleanly
      if (!closed) await stage.close(null).catch(() => undefined);
    }
    if (!done) throw new Error('the parser ended without its summary');
    const result = await this.finish(
      em,
      tenantId,
      imp,
      done.tally,
      meters,
      started,
      stage,
      done.ranges,
      hourRollups ? done.hours : [],
    );
    // last in the transaction: an attempt that timed out or was taken over commits nothing
    await parse.fence(em);
    // for operators (the job's result): where the file was parsed
    return { ...result, parsedIn: inWorker ? ('worker' as const) : ('thread' as const) };
  }

  /** Site weather: small files (a year of hourly rows is ~9k lines), parsed whole and upserted in one statement per 5000 rows. */
  private async runWeather(
    tenantId: string,
    imp: ImportEntity,
    file: string,
    size: number,
    fence: (em: EntityManager) => Promise<void>,
  ) {
    if (size > 200 * 1024 * 1024)
      throw new NonRetryableImportError(
        'TOO_LARGE',
        'Weather files are limited to 200 MB; split the file by year.',
      );
    return this.db.tenant(async (em) => {
      const site = await em.findOneBy(SiteEntity, { tenantId, id: imp.siteId! });
      if (!site)
        throw new NonRetryableImportError(
          'SITE_DELETED',
          'The site was deleted before its weather import ran.',
        );
      // streamed (lines bounded by HALVE_IMPORT_MAX_LINE), upserted 5000 rows at a time: the file is never held whole
      const parser = new WeatherLineParser((imp.options as ImportRequestOptions).timezone ?? site.timezone);
      let stored = 0;
      let updated = 0;
      for await (const chunk of readWeatherCsv(createReadStream(file, { highWaterMark: 64 * 1024 }), parser, {
        maxLineChars: this.config.importMaxLineChars,
      })) {
        const col = (f: (r: (typeof chunk)[number]) => number | null) =>
          chunk.map((r) => (f(r) === null ? '' : String(f(r)))).join(',');
        const [c]: { stored: string; updated: string }[] = await em.query(
          `WITH up AS (
             INSERT INTO site_weather (tenant_id, site_id, ts, temperature_c, ghi_w_m2, cloud_cover_pct, wind_speed_m_s)
             SELECT $1, $2, to_timestamp(t::float8 / 1000), nullif(a, '')::float8, nullif(b, '')::float8, nullif(c, '')::float8, nullif(d, '')::float8
               FROM unnest(string_to_array($3, ','), string_to_array($4, ','), string_to_array($5, ','), string_to_array($6, ','), string_to_array($7, ',')) AS s(t, a, b, c, d)
             ON CONFLICT (tenant_id, site_id, ts) DO UPDATE SET
               temperature_c = coalesce(EXCLUDED.temperature_c, site_weather.temperature_c),
               ghi_w_m2 = coalesce(EXCLUDED.ghi_w_m2, site_weather.ghi_w_m2),
               cloud_cover_pct = coalesce(EXCLUDED.cloud_cover_pct, site_weather.cloud_cover_pct),
               wind_speed_m_s = coalesce(EXCLUDED.wind_speed_m_s, site_weather.wind_speed_m_s)
             RETURNING (xmax = 0) AS inserted)
           SELECT count(*) FILTER (WHERE inserted) AS stored, count(*) FILTER (WHERE NOT inserted) AS updated FROM up`,
          [
            tenantId,
            site.id,
            chunk.map((r) => String(r.ts.getTime())).join(','),
            col((r) => r.temperatureC),
            col((r) => r.ghiWM2),
            col((r) => r.cloudCoverPct),
            col((r) => r.windSpeedMS),
          ],
        );
        stored += Number(c.stored);
        updated += Number(c.updated);
      }
      const parsed = parser.finish();
      const fields = {
        status: 'succeeded' as const,
        rowsRead: parsed.rowsRead,
        rowsStored: stored,
        rowsUpdated: updated,
        rowsUnchanged: 0,
        rowsMissing: parsed.rowsMissing,
        rowsRejected: parsed.rowsRejected,
        rowsDuplicate: 0,
        errors: parsed.errors,
        warnings: [
          {
            message: `columns used: ${Object.entries(parsed.columns)
              .map(([k, v]) => `${v} → ${k}`)
              .join(', ')}`,
          },
        ],
        error: null,
        errorCode: null,
        firstTs: parsed.firstTs,
        lastTs: parsed.lastTs,
        finishedAt: new Date(),
      };
      await fence(em);
      await em.update(ImportEntity, { tenantId, id: imp.id }, fields);
      await this.audit.record(em, tenantId, {
        action: 'import.succeeded',
        entityType: 'import',
        entityId: imp.id,
        summary: { kind: 'weather', rowsStored: stored, sha256: imp.sha256 },
      });
      return importView({ ...imp, ...fields });
    }, tenantId);
  }

  private async runWide(tenantId: string, imp: ImportEntity, parse: ParseInput) {
    const opts = imp.options as ImportRequestOptions;
    return this.db.tenant(async (em) => {
      const meters = await em.findBy(MeterEntity, { tenantId });
      const sites = await em.findBy(SiteEntity, { tenantId });
      const columns =
        opts.columns ??
        Object.fromEntries(meters.filter((m) => m.sourceColumn).map((m) => [m.sourceColumn!, m.id]));
      if (!Object.keys(columns).length) {
        throw new NonRetryableImportError(
          'NO_COLUMNS',
          'Say which column holds which meter: the field "columns" ({"column": "meterId"}), or set each meter\'s sourceColumn.',
        );
      }
      const targets = Object.entries(columns).map(([column, meterId]) => {
        const meter = meters.find((m) => m.id === meterId);
        if (!meter)
          throw new NonRetryableImportError(
            'UNKNOWN_METER',
            `Column "${column}" is mapped to meter ${meterId}, which does not exist in this organisation.`,
          );
        const site = sites.find((s) => s.id === meter.siteId)!;
        return { column, meter, site };
      });
      const first = targets[0];
      const options: WideImportOptions = {
        format: opts.format ?? 'auto',
        timestampColumn: opts.timestampColumn,
        timeColumn: opts.timeColumn,
        sheet: opts.sheet,
        dateOrder: opts.dateOrder,
        timestampPosition: opts.timestampPosition,
        timezone: opts.timezone ?? first.site.timezone,
        intervalMinutes: first.meter.intervalMinutes,
        register: first.meter.register,
        meterKind: first.meter.kind,
        meterUnit: first.meter.unit,
        columns: Object.fromEntries(
          targets.map((t) => [
            t.column,
            {
              meterId: t.meter.id,
              meterKind: t.meter.kind,
              meterUnit: t.meter.unit,
              intervalMinutes: t.meter.intervalMinutes,
              register: t.meter.register,
              timezone: opts.timezone ?? t.site.timezone,
            },
          ]),
        ),
      };
      return this.load(
        em,
        tenantId,
        imp,
        parse,
        targets.map((t) => ({ meter: t.meter, timezone: t.site.timezone })),
        (target) => ({ kind: 'wide', options, file: parse.file, target }),
      );
    }, tenantId);
  }

  private async finish(
    em: EntityManager,
    tenantId: string,
    imp: ImportEntity,
    tally: TallySummary,
    meters: { meter: MeterEntity; timezone: string }[],
    started: number,
    stage: StageWriter,
    ranges: [string, MeterRange][],
    hours: HourRollups[],
  ) {
    const parsed = Date.now();
    const merged = await this.readings.complete(em, tenantId, imp.id, stage, ranges);
    const mergedAt = Date.now();
    for (const m of merged) {
      const target = meters.find((x) => x.meter.id === m.meterId)!;
      const h = hours.find((x) => x.meterId === m.meterId);
      if (h) await this.readings.copyHourRollups(em, tenantId, h);
      await this.readings.refreshRollups(em, tenantId, target.meter, target.timezone, m.firstTs, m.lastTs, {
        hoursStored: !!h,
      });
    }
    const timingsMs = {
      parseAndStage: parsed - started,
      merge: mergedAt - parsed,
      rollups: Date.now() - mergedAt,
    };
    const rowsStored = merged.reduce((s, m) => s + m.stored, 0);
    const rowsUpdated = merged.reduce((s, m) => s + m.updated, 0);
    const firstTs = merged.length ? new Date(Math.min(...merged.map((m) => m.firstTs.getTime()))) : null;
    const lastTs = merged.length ? new Date(Math.max(...merged.map((m) => m.lastTs.getTime()))) : null;
    const fields = {
      status: 'succeeded' as const,
      rowsRead: tally.rowsRead,
      rowsStored,
      rowsUpdated,
      rowsUnchanged: tally.readings - rowsStored - rowsUpdated,
      rowsMissing: tally.rowsMissing,
      rowsRejected: tally.rowsRejected,
      rowsDuplicate: tally.rowsDuplicate,
      errors: tally.errors,
      warnings: tally.warnings,
      error: null,
      errorCode: null,
      firstTs,
      lastTs,
      finishedAt: new Date(),
    };
    await em.update(ImportEntity, { tenantId, id: imp.id }, fields);
    await this.audit.record(em, tenantId, {
      action: 'import.succeeded',
      entityType: 'import',
      entityId: imp.id,
      summary: { rowsStored, rowsUpdated, rowsRejected: tally.rowsRejected, sha256: imp.sha256 },
    });
    return { ...importView({ ...imp, ...fields }), timingsMs };
  }
}

interface ParseInput {
  file: string;
  size: number;
  progress: (bytesRead: number) => Promise<void>;
  /** the job's fencing check (JobContext.fence), run in the import's transaction before it commits */
  fence: (em: EntityManager) => Promise<void>;
  /** the job's signal (time limit, lost lease, shutdown): stops the parse (its worker thread) */
  signal?: AbortSignal;
}

/**
 * Whether a file goes to the parse worker: large CSV/XLSX do; Green Button XML (parsed whole) stays in
 * this thread, and so does a file the sniffer refuses outright (the parser refuses it the same way).
 */
async function streamsInWorker(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(8192), 0, 8192, 0);
    return sniffHead(buffer.subarray(0, bytesRead)).format !== 'green_button';
  } catch {
    return false;
  } finally {
    await fh.close();
  }
}

async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
