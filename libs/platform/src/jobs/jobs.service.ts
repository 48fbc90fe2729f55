import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, Optional } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/config';
import { RequestContext } from '../context/request-context';
import { Db } from '../database/tenant-db';
import { isEmbedded } from '../database/database.module';
import { JobEntity } from '../entities/platform.entities';
import { NotFoundError } from '../errors/problems';
import { JOB_HANDLER, JobContext, JobHandler, JobHandlerMeta, JobView, QUEUE_NAME, RETRY_POLICIES } from './jobs.types';

export const JOBS_OPTIONS = Symbol('JOBS_OPTIONS');
export interface JobsOptions {
  /** Process jobs in this process: always true without Redis; with Redis only in apps/worker. */
  processJobs: boolean;
}

interface Registered {
  meta: JobHandlerMeta;
  handler: JobHandler;
}

interface DailyTask {
  /** UTC hour it runs at; null = off (and removed from Redis). */
  hourUtc: number | null;
  run: () => Promise<unknown>;
  timer?: NodeJS.Timeout;
  nextRunAt?: Date;
}

/** The next instant at `hourUtc`:00 UTC strictly after `nowMs`. */
export function nextDailyRunMs(nowMs: number, hourUtc: number): number {
  const day = 86_400_000;
  const today = Math.floor(nowMs / day) * day + hourUtc * 3_600_000;
  return today > nowMs ? today : today + day;
}

export class JobFailedError extends Error {}

/**
 * One job interface. With REDIS_URL: a BullMQ queue, processed by apps/worker. Without: the same
 * handlers run in this process. Either way the job's status, progress, result and error are rows in
 * `jobs`, readable through the API.
 */
@Injectable()
export class JobsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Jobs');
  private readonly handlers = new Map<string, Registered>();
  private connection?: IORedis;
  private queue?: Queue;
  private worker?: Worker;
  private workerConnection?: IORedis;
  private readonly local: { tenantId: string; jobId: string; attempt: number }[] = [];
  private running = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly idleWaiters: (() => void)[] = [];
  private stopped = false;
  private readonly listeners = new Map<string, ((tenantId: string, payload: Record<string, unknown>, result: unknown) => Promise<void> | void)[]>();
  private readonly daily = new Map<string, DailyTask>();
  private bootstrapped = false;
  /** The daily tasks registered before bootstrap, being applied (not awaited at start: Redis may be down). */
  private dailyApplied: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(JOBS_OPTIONS) private readonly options: JobsOptions = { processJobs: true },
  ) {}

  get mode(): 'bullmq' | 'in-process' {
    return this.config.redisUrl ? 'bullmq' : 'in-process';
  }

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as JobHandler | undefined;
      if (!instance || !wrapper.metatype) continue;
      const meta = this.reflector.get<JobHandlerMeta | undefined>(JOB_HANDLER, wrapper.metatype as object as new () => unknown);
      if (meta) this.handlers.set(meta.type, { meta, handler: instance });
    }
    if (this.config.redisUrl) {
      this.connection = new IORedis(this.config.redisUrl, { maxRetriesPerRequest: null });
      this.queue = new Queue(QUEUE_NAME, { connection: this.connection, prefix: this.config.queuePrefix });
      if (this.options.processJobs) {
        this.workerConnection = this.connection.duplicate({ maxRetriesPerRequest: null });
        this.worker = new Worker(
          QUEUE_NAME,
          async (job) => {
            const data = job.data as { tenantId: string; jobId: string; daily?: string };
            if (data.daily) return this.runDaily(data.daily);
            await this.run(data.tenantId, data.jobId, job.attemptsMade + 1, job.opts.attempts ?? 1);
          },
          { connection: this.workerConnection, prefix: this.config.queuePrefix, concurrency: this.config.jobConcurrency },
        );
        this.worker.on('error', (err) => this.logger.error(`worker: ${err.message}`));
      }
    }
    this.logger.log(`jobs: ${this.mode}${this.options.processJobs ? ', processing here' : ''}; handlers: ${[...this.handlers.keys()].join(', ') || 'none'}`);
    this.bootstrapped = true;
    this.dailyApplied = Promise.all(
      [...this.daily.keys()].map((name) => this.applyDaily(name).catch((err: Error) => this.logger.error(`daily ${name}: not scheduled: ${err.message}`))),
    );
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    for (const task of this.daily.values()) if (task.timer) clearTimeout(task.timer);
    await this.worker?.close();
    await this.queue?.close();
    this.workerConnection?.disconnect();
    this.connection?.disconnect();
  }

  /**
   * Runs `listener` after each job of `type` succeeds, in the process that ran it (a later module
   * reacting to an earlier one's work, e.g. training after an import, without the earlier module
   * knowing about it).
   */
  onSucceeded(type: string, listener: (tenantId: string, payload: Record<string, unknown>, result: unknown) => Promise<void> | void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  /**
   * A task run once a day at `hourUtc`:00 UTC (null = off), in either job mode: with Redis a BullMQ
   * job scheduler (one repeatable job however many processes register it, run by a worker; turned
   * off, it is removed), in-process a timer. The task is not a tenant's job: it enqueues those.
   */
  async scheduleDaily(name: string, hourUtc: number | null, run: () => Promise<unknown>): Promise<void> {
    const previous = this.daily.get(name);
    if (previous?.timer) clearTimeout(previous.timer);
    this.daily.set(name, { hourUtc, run });
    if (this.bootstrapped) await this.applyDaily(name);
  }

  /** When a daily task runs next (BullMQ: as Redis has it), or null when it is off. */
  async dailySchedule(name: string): Promise<{ mode: 'bullmq' | 'in-process'; pattern?: string; nextRunAt: Date | null }> {
    await this.dailyApplied;
    if (this.queue) {
      const scheduler = await this.queue.getJobScheduler(name);
      return { mode: 'bullmq', pattern: scheduler?.pattern, nextRunAt: scheduler?.next ? new Date(scheduler.next) : null };
    }
    return { mode: 'in-process', nextRunAt: this.daily.get(name)?.nextRunAt ?? null };
  }

  private async applyDaily(name: string): Promise<void> {
    const task = this.daily.get(name)!;
    if (this.queue) {
      if (task.hourUtc === null) await this.queue.removeJobScheduler(name);
      else
        await this.queue.upsertJobScheduler(
          name,
          { pattern: `0 ${task.hourUtc} * * *`, tz: 'UTC' },
          { name, data: { daily: name }, opts: { removeOnComplete: 30, removeOnFail: 30 } },
        );
      return;
    }
    if (task.hourUtc !== null && !this.stopped) this.armDaily(name, task);
  }

  private armDaily(name: string, task: DailyTask): void {
    const next = nextDailyRunMs(Date.now(), task.hourUtc!);
    task.nextRunAt = new Date(next);
    task.timer = setTimeout(() => {
      task.timer = undefined;
      void this.runDaily(name)
        .catch(() => undefined)
        .finally(() => {
          if (!this.stopped && this.daily.get(name) === task) this.armDaily(name, task);
        });
    }, next - Date.now());
    // A daily timer never keeps the process alive on its own.
    task.timer.unref();
  }

  /** Runs a daily task now (its timer, its BullMQ job, or a caller that wants it at once). */
  async runDaily(name: string): Promise<unknown> {
    const task = this.daily.get(name);
    if (!task) throw new JobFailedError(`No daily task "${name}" in this process`);
    try {
      return await task.run();
    } catch (err) {
      this.logger.error(`daily ${name}: ${(err as Error).message}`);
      throw err;
    }
  }

  /** Redis round trip (BullMQ) or the in-process queue's state, for the health endpoint. */
  async health(): Promise<{ status: 'up' | 'down'; mode: string; detail?: string }> {
    if (!this.connection) return { status: 'up', mode: this.mode };
    try {
      await this.connection.ping();
      return { status: 'up', mode: this.mode };
    } catch (err) {
      return { status: 'down', mode: this.mode, detail: (err as Error).message };
    }
  }

  /**
   * Enqueues a job for the tenant in the request context (or the one given). Enqueueing an id that
   * exists already returns that job and runs nothing twice.
   */
  async enqueue(type: string, payload: Record<string, unknown>, options: { jobId?: string; tenantId?: string } = {}): Promise<JobView> {
    const registered = this.handlers.get(type);
    if (!registered && this.options.processJobs) throw new Error(`No handler for job type "${type}"`);
    const tenantId = options.tenantId ?? RequestContext.tenantId();
    const id = options.jobId ?? `${type}-${randomUUID()}`;
    const policy = RETRY_POLICIES[registered?.meta.retry ?? 'standard'];
    const created = await this.db.tenant(async (em) => {
      const res: unknown[] = await em.query(
        `INSERT INTO jobs (tenant_id, id, type, status, max_attempts, payload, requested_by)
         VALUES ($1, $2, $3, 'queued', $4, $5, $6) ON CONFLICT (tenant_id, id) DO NOTHING RETURNING id`,
        [tenantId, id, type, policy.attempts, JSON.stringify(payload), RequestContext.maybe()?.userId ?? null],
      );
      return res.length > 0;
    }, tenantId);
    if (created) await this.dispatch(tenantId, id, type, policy.attempts);
    return this.get(tenantId, id);
  }

  private async dispatch(tenantId: string, id: string, type: string, attempts: number): Promise<void> {
    if (this.queue) {
      await this.queue.add(type, { tenantId, jobId: id }, {
        jobId: `${tenantId}.${id}`,
        attempts,
        backoff: { type: 'exponential', delay: this.config.jobBackoffMs },
        removeOnComplete: 1000,
        removeOnFail: 5000,
      });
      return;
    }
    this.local.push({ tenantId, jobId: id, attempt: 1 });
    this.pump();
  }

  private pump(): void {
    while (!this.stopped && this.running < this.config.jobConcurrency && this.local.length) {
      const next = this.local.shift()!;
      this.running++;
      void this.runLocal(next).finally(() => {
        this.running--;
        this.pump();
        if (this.running === 0 && this.local.length === 0 && this.timers.size === 0) this.idleWaiters.splice(0).forEach((w) => w());
      });
    }
  }

  private async runLocal(item: { tenantId: string; jobId: string; attempt: number }): Promise<void> {
    const job = await this.db.tenant((em) => em.findOneBy(JobEntity, { tenantId: item.tenantId, id: item.jobId }), item.tenantId);
    if (!job) return;
    try {
      await this.run(item.tenantId, item.jobId, item.attempt, job.maxAttempts);
    } catch (err) {
      if (err instanceof UnrecoverableError) return;
      if (item.attempt < job.maxAttempts && !this.stopped) {
        const delay = this.config.jobBackoffMs * 2 ** (item.attempt - 1);
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.local.push({ ...item, attempt: item.attempt + 1 });
          this.pump();
        }, delay);
        this.timers.add(timer);
      }
    }
  }

  /** Resolves when the in-process queue has nothing queued, running or waiting to retry. */
  whenIdle(): Promise<void> {
    if (this.running === 0 && this.local.length === 0 && this.timers.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Runs one attempt of a job: marks it running, calls its handler in the tenant's context, records the outcome. */
  async run(tenantId: string, id: string, attempt: number, maxAttempts: number): Promise<unknown> {
    const job = await this.db.tenant(async (em) => {
      const row = await em.findOneBy(JobEntity, { tenantId, id });
      if (!row) return null;
      await em.update(JobEntity, { tenantId, id }, { status: 'running', attempts: attempt, startedAt: new Date(), updatedAt: new Date() });
      return row;
    }, tenantId);
    if (!job) throw new JobFailedError(`Job ${id} of tenant ${tenantId} does not exist`);
    const registered = this.handlers.get(job.type);
    const abort = new AbortController();
    const ctx: JobContext = {
      signal: abort.signal,
      tenantId,
      jobId: id,
      type: job.type,
      payload: job.payload,
      attempt,
      maxAttempts,
      progress: async (percent) => {
        const p = Math.max(0, Math.min(100, Math.round(percent)));
        // Progress is written in its own transaction so it shows while the job's own transaction is open.
        // The embedded database has one connection, held by that transaction: there progress shows at the end.
        if (isEmbedded(this.db.dataSource) && RequestContext.maybe()?.transaction) return;
        await RequestContext.run({ requestId: `job:${id}:progress` }, () =>
          this.db.tenant((em) => em.update(JobEntity, { tenantId, id }, { progress: p, updatedAt: new Date() }), tenantId),
        );
      },
    };
    try {
      if (!registered) throw new JobFailedError(`No handler for job type "${job.type}"`);
      const result = await RequestContext.run({ requestId: `job:${id}`, tenantId, userId: job.requestedBy ?? undefined }, () => registered.handler.handle(ctx));
      await this.db.tenant(
        (em) =>
          em.update(JobEntity, { tenantId, id }, { status: 'succeeded', progress: 100, result: (result ?? null) as object, error: null, finishedAt: new Date(), updatedAt: new Date() }),
        tenantId,
      );
      for (const listener of this.listeners.get(job.type) ?? []) {
        try {
          await RequestContext.run({ requestId: `job:${id}:after`, tenantId }, () => listener(tenantId, job.payload, result));
        } catch (err) {
          this.logger.warn(`after ${job.type} ${id}: ${(err as Error).message}`);
        }
      }
      return result;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // A failure a retry cannot fix (bad input, a refused file) ends the job at once.
      const retryable = (err as { retryable?: boolean }).retryable !== false;
      const final = attempt >= maxAttempts || !retryable;
      this.logger.warn(`job ${id} (${job.type}) attempt ${attempt}/${maxAttempts} failed: ${message}`);
      await this.db.tenant(
        (em) =>
          em.update(JobEntity, { tenantId, id }, {
            status: final ? 'failed' : 'queued',
            error: final ? message : `attempt ${attempt} failed, will retry: ${message}`,
            finishedAt: final ? new Date() : null,
            updatedAt: new Date(),
          }),
        tenantId,
      );
      if (!retryable) throw new UnrecoverableError(message);
      throw err;
    }
  }

  async get(tenantId: string, id: string): Promise<JobView> {
    const job = await this.db.tenant((em) => em.findOneBy(JobEntity, { tenantId, id }), tenantId);
    if (!job) throw new NotFoundError('Job', id);
    return toView(job);
  }

  async list(tenantId: string, limit = 50): Promise<JobView[]> {
    const jobs = await this.db.tenant((em) => em.find(JobEntity, { where: { tenantId }, order: { createdAt: 'DESC' }, take: limit }), tenantId);
    return jobs.map(toView);
  }
}

export function toView(job: JobEntity): JobView {
  return {
    id: job.id,
    type: job.type,
    status: job.status,
    progress: job.progress,
    attempts: job.attempts,
    ...(job.result !== null && job.result !== undefined ? { result: job.result } : {}),
    ...(job.error ? { error: job.error } : {}),
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
  };
}
