import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { METER_IMPORT_JOB } from './jobs/job-types';
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import type { EntityManager } from 'typeorm';
import { join } from 'node:path';
import {
  APP_CONFIG,
  AppConfig,
  AuditService,
  Db,
  JobContext,
  JobProcessor,
  JobsService,
  NotFoundError,
  jobId,
} from '@halve/platform';
import { ImportEntity, MeterEntity } from './entities/metering.entities';
import {
  ImportRequestOptions,
  NonRetryableImportError,
  UploadedFileRef,
  classifyImportFailure,
  importView,
  meterImportOptions,
  splitJobError,
  succeededFields,
  weatherSucceededFields,
  wideImportOptions,
  wideTargets,
} from './import-rules';
import { ImportsRepository } from './imports.repository';
import { ReadingsRepository, StageWriter } from './readings.repository';
import { HourRollups, MeterRange, TallySummary } from './import-encoder';
import { ParseJob, ParseMessage } from './parse-job';
import { importParseLimits, runParseJob, xlsxDeclaredBytes } from './parse-runner';
import { SitesRepository } from './sites.repository';
import { WeatherLineParser, readWeatherCsv } from './weather';
import { uploadDirs } from './upload-dirs';
import { fileSha256, filesOlderThan, requireUpload, streamsInWorker } from './upload-files';

export {
  importView,
  NonRetryableImportError,
  type ImportRequestOptions,
  type UploadedFileRef,
} from './import-rules';

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
    private readonly repo: ImportsRepository,
    private readonly sites: SitesRepository,
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
    const removed: string[] = [];
    for (const name of await filesOlderThan(receiving, cutoff)) {
      await rm(join(receiving, name), { force: true });
      removed.push(join(receiving, name));
    }
    const candidates = (await filesOlderThan(stored, cutoff))
      .map((name) => ({ name, m: /^([0-9a-f-]{36})-([0-9a-f-]{36})$/.exec(name) }))
      .filter((c) => c.m);
    if (candidates.length) {
      const unfinished = await this.db.system((em) =>
        this.repo.unfinishedUploads(
          em,
          candidates.map((c) => c.m![1]),
          candidates.map((c) => c.m![2]),
        ),
      );
      const keep = new Set(unfinished);
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
    file = requireUpload(file);
    const id = randomUUID();
    const dir = await this.ensureUploadDir();
    const stored = join(dir, `${tenantId}-${id}`);
    try {
      await rename(file.path, stored);
      const sha256 = await fileSha256(stored);
      const job = jobId(METER_IMPORT_JOB, id);
      await this.db.tenant(async (em) => {
        if (target.kind === 'meter' && !(await this.sites.findMeter(em, tenantId, target.meterId)))
          throw new NotFoundError('Meter', target.meterId);
        if (target.kind === 'weather' && !(await this.sites.findSite(em, tenantId, target.siteId)))
          throw new NotFoundError('Site', target.siteId);
        await this.repo.insert(em, {
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
    const { code, message } = splitJobError(error);
    await this.db.tenant(
      (em) => this.repo.markFailed(em, tenantId, payload.importId, code, message),
      tenantId,
    );
    await rm(join(this.uploadDir(), `${tenantId}-${payload.importId}`), { force: true });
  }

  async get(tenantId: string, id: string) {
    const row = await this.db.tenant((em) => this.repo.find(em, tenantId, id), tenantId);
    if (!row) throw new NotFoundError('Import', id);
    // A retry waiting for its backoff: say when its next attempt runs (the job row knows).
    const job =
      row.status === 'queued' && row.jobId
        ? await this.jobs.get(tenantId, row.jobId).catch(() => null)
        : null;
    return { ...importView(row), ...(job?.nextAttemptAt ? { nextAttemptAt: job.nextAttemptAt } : {}) };
  }

  async list(tenantId: string, meterId?: string) {
    const rows = await this.db.tenant((em) => this.repo.list(em, tenantId, meterId), tenantId);
    return rows.map(importView);
  }

  /** The job: one attempt of one import. */
  async handle(ctx: JobContext<{ importId: string }>): Promise<unknown> {
    const { tenantId } = ctx;
    const importId = ctx.payload.importId;
    const imp = await this.db.tenant((em) => this.repo.find(em, tenantId, importId), tenantId);
    if (!imp) throw new NonRetryableImportError('NOT_FOUND', `Import ${importId} does not exist`);
    const file = join(this.uploadDir(), `${tenantId}-${importId}`);
    if (imp.status === 'succeeded') {
      // an earlier attempt committed, then its process stopped before it could tidy up
      await rm(file, { force: true });
      return importView(imp);
    }
    await this.db.tenant((em) => this.repo.update(em, tenantId, importId, { status: 'running' }), tenantId);
    try {
      return await this.runAttempt(ctx, imp, file);
    } catch (err) {
      const { refused, code, message } = classifyImportFailure(err);
      // A refusal ends the job at once; the job runner then calls onFailed, which ends the import.
      if (refused || ctx.signal.aborted)
        throw Object.assign(new Error(`${code}: ${message}`), { retryable: false });
      if (ctx.attempt < ctx.maxAttempts) {
        // Best effort (the database may be what failed): the import shows that it will be retried.
        await this.db
          .tenant(
            (em) =>
              this.repo.requeue(
                em,
                tenantId,
                importId,
                `attempt ${ctx.attempt} failed, retrying: ${message}`,
              ),
            tenantId,
          )
          .catch(() => undefined);
      }
      throw err;
    }
  }

  /** Parses and stores the upload of a running import, then removes its file. */
  private async runAttempt(ctx: JobContext<{ importId: string }>, imp: ImportEntity, file: string) {
    const { tenantId } = ctx;
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
      `import ${imp.id}: ${result.rowsStored} stored, ${result.rowsUpdated} updated, ${result.rowsRejected} rejected`,
    );
    return result;
  }

  private async runMeter(tenantId: string, imp: ImportEntity, parse: ParseInput) {
    const opts = imp.options as ImportRequestOptions;
    return this.db.tenant(async (em) => {
      const found = await this.sites.meterWithSite(em, tenantId, imp.meterId!);
      if (!found)
        throw new NonRetryableImportError('METER_DELETED', 'The meter was deleted before its import ran.');
      const { meter, site } = found;
      const options = meterImportOptions(opts, meter, site);
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
      const site = await this.sites.findSite(em, tenantId, imp.siteId!);
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
        const c = await this.repo.upsertWeather(em, tenantId, site.id, chunk);
        stored += c.stored;
        updated += c.updated;
      }
      const fields = weatherSucceededFields(parser.finish(), stored, updated);
      await fence(em);
      await this.repo.update(em, tenantId, imp.id, fields);
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
      const meters = await this.sites.allMeters(em, tenantId);
      const sites = await this.sites.allSites(em, tenantId);
      const targets = wideTargets(opts, meters, sites);
      const options = wideImportOptions(opts, targets);
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
    const fields = succeededFields(tally, merged);
    await this.repo.update(em, tenantId, imp.id, fields);
    await this.audit.record(em, tenantId, {
      action: 'import.succeeded',
      entityType: 'import',
      entityId: imp.id,
      summary: {
        rowsStored: fields.rowsStored,
        rowsUpdated: fields.rowsUpdated,
        rowsRejected: tally.rowsRejected,
        sha256: imp.sha256,
      },
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
