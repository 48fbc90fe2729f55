import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
  Optional,
} from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { Queue, Worker } from 'bullmq';
import { Delivery, addDeliveries, pingQueue, queueConnection, queueWorker } from './bullmq';
import { LocalQueue } from './local-queue';
import IORedis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { APP_CONFIG, AppConfig } from '../config/config';
import { RequestContext } from '../context/request-context';
import { Db } from '../database/tenant-db';
import { isEmbedded } from '../database/database.module';
import { NotFoundError } from '../errors/problems';
import {
  DueJob,
  claim,
  dueJobs,
  findJob,
  insertJob,
  jobKey,
  markAttemptEnded,
  markDispatched,
  markSucceeded,
  recentJobs,
  renewLeases,
} from './job-rows';
import { DailyTasks } from './daily-tasks';
import {
  attemptContext,
  discoverHandlers,
  endExpiredAttempts,
  bookkeeping,
  failedAttempt,
  rejectOnAbort,
  timeLimit,
} from './job-attempt';
import { JobFailedError, backoffMs, toView } from './job-view';
import { Loops } from './loops';
import {
  JobHandler,
  JobHandlerMeta,
  JobStoppedError,
  JobView,
  QUEUE_NAME,
  RETRY_POLICIES,
} from './jobs.types';

export { nextDailyRunMs } from './daily-tasks';
export { JobFailedError, backoffMs, toView } from './job-view';

export const JOBS_OPTIONS = Symbol('JOBS_OPTIONS');
export interface JobsOptions {
  /** Process jobs in this process: always true without Redis; with Redis only in apps/worker. */
  processJobs: boolean;
}

interface Registered {
  meta: JobHandlerMeta;
  handler: JobHandler;
}

/** How long a Redis command (an enqueue, a ping) may take before we answer without it. */
const REDIS_TIMEOUT_MS = 1500;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

interface RunningHere {
  tenantId: string;
  id: string;
  abort: AbortController;
}

/**
 * One job interface. With REDIS_URL: a BullMQ queue, processed by apps/worker. Without: the same
 * handlers run in this process. Either way the row in `jobs` is the truth and the queue only delivers
 * (docs/adr/0004-jobs.md):
 * - outbox: `enqueue` commits the row; a dispatcher in every process hands due queued rows to the
 *   queue (at once, then every HALVE_JOB_POLL_MS, again when one was handed over a lease ago and is
 *   still queued — Redis lost or emptied, a process restarted). Delivery is idempotent: a process
 *   runs a job only after claiming its row (queued → running) in one statement.
 * - lease: a running job holds a lease renewed by its process's heartbeat; a reaper in every process
 *   re-queues (attempts left) or fails (naming why) every job whose lease expired.
 * - every attempt ends in the row: succeeded, failed, or queued again with the time of the next
 *   attempt; the writes are retried through a database outage, and the reaper covers the rest.
 * - an attempt has a time limit; past it, it is aborted (ctx.signal) and the job fails.
 */
@Injectable()
export class JobsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Jobs');
  private readonly handlers = new Map<string, Registered>();
  /** This process, as a lease owner. */
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private connection?: IORedis;
  private queue?: Queue;
  private worker?: Worker;
  private workerConnection?: IORedis;
  private redisReady = false;
  /** In-process queue (no Redis). */
  private readonly local = new LocalQueue(
    () => this.config.jobConcurrency,
    (tenantId, id) => this.run(tenantId, id),
    this.logger,
    () => this.stopped,
  );
  private readonly runningHere = new Map<string, RunningHere>();
  private stopped = false;
  private readonly listeners = new Map<
    string,
    ((tenantId: string, payload: Record<string, unknown>, result: unknown) => Promise<void> | void)[]
  >();
  private readonly daily = new DailyTasks(
    this.logger,
    REDIS_TIMEOUT_MS,
    () => this.queue,
    () => this.stopped,
  );
  private readonly loops = new Loops(this.logger, () => this.stopped);
  private lastDeliveryWarning = 0;
  /** BullMQ's own reports (a delivery failed or stalled), for the health endpoint. */
  private readonly queueEvents = { failed: 0, stalled: 0 };

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
    for (const [type, registered] of discoverHandlers(this.discovery, this.reflector))
      this.handlers.set(type, registered);
    if (this.config.redisUrl) this.connectQueue(this.config.redisUrl);
    this.logger.log(
      `jobs: ${this.mode}${this.options.processJobs ? ', processing here' : ''}; owner ${this.owner}; handlers: ${[...this.handlers.keys()].join(', ') || 'none'}`,
    );
    this.daily.start();
    // The embedded database belongs to this one process: whatever it finds running was left by a
    // process that is gone, so the first reap takes it all back at once.
    const embedded = isEmbedded(this.db.dataSource);
    this.loops.add('dispatch', this.config.jobPollMs, () => this.dispatchDue());
    this.loops.add('reap', this.config.jobReaperMs, (first) => this.reap(first && embedded));
    if (this.options.processJobs)
      this.loops.add(
        'heartbeat',
        Math.max(250, Math.floor(this.config.jobLeaseMs / 4)),
        () => this.heartbeat(),
        false,
      );
  }

  private connectQueue(url: string): void {
    this.connection = queueConnection(url, REDIS_TIMEOUT_MS, {
      ready: () => {
        if (!this.redisReady) this.logger.log('queue: Redis is ready');
        this.redisReady = true;
        // Redis may be a new, empty one: hand over what waits in the database now.
        void this.loops.tick('dispatch');
      },
      close: () => {
        if (this.redisReady)
          this.logger.warn('queue: lost the connection to Redis; jobs wait in the database until it is back');
        this.redisReady = false;
      },
    });
    this.queue = new Queue(QUEUE_NAME, { connection: this.connection, prefix: this.config.queuePrefix });
    this.queue.on('error', () => undefined);
    if (!this.options.processJobs) return;
    const settings = { prefix: this.config.queuePrefix, concurrency: this.config.jobConcurrency };
    const deliver = (data: Delivery) =>
      data.daily ? this.runDaily(data.daily) : this.run(data.tenantId, data.jobId);
    ({ worker: this.worker, connection: this.workerConnection } = queueWorker(
      url,
      settings,
      deliver,
      this.logger,
      this.queueEvents,
    ));
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.loops.stop();
    this.local.stop();
    this.daily.stop();
    // Attempts still running here are stopped and given back (queued, the attempt not counted).
    for (const r of this.runningHere.values())
      r.abort.abort(new JobStoppedError('SHUTDOWN', 'the process shut down during the attempt', true));
    const deadline = Date.now() + 5000;
    while (this.runningHere.size && Date.now() < deadline) await sleep(20);
    await this.worker?.close(true).catch(() => undefined);
    await this.queue?.close().catch(() => undefined);
    this.workerConnection?.disconnect();
    this.connection?.disconnect();
  }

  /**
   * Runs `listener` after each job of `type` succeeds, in the process that ran it (a later module
   * reacting to an earlier one's work, e.g. training after an import, without the earlier module
   * knowing about it).
   */
  onSucceeded(
    type: string,
    listener: (tenantId: string, payload: Record<string, unknown>, result: unknown) => Promise<void> | void,
  ): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  /**
   * A task run once a day at `hourUtc`:00 UTC (null = off), in either job mode: with Redis a BullMQ
   * job scheduler (one repeatable job however many processes register it, run by a worker; turned
   * off, it is removed), in-process a timer. The task is not a tenant's job: it enqueues those.
   */
  async scheduleDaily(name: string, hourUtc: number | null, run: () => Promise<unknown>): Promise<void> {
    await this.daily.schedule(name, hourUtc, run);
  }

  /** When a daily task runs next (BullMQ: as Redis has it), or null when it is off. */
  async dailySchedule(
    name: string,
  ): Promise<{ mode: 'bullmq' | 'in-process'; pattern?: string; nextRunAt: Date | null }> {
    return this.daily.nextRun(name);
  }

  /** Runs a daily task now (its timer, its BullMQ job, or a caller that wants it at once). */
  async runDaily(name: string): Promise<unknown> {
    return this.daily.run(name);
  }

  /** Redis round trip (BullMQ, at most 1.5 s) or the in-process queue's state, for the health endpoint. */
  async health(): Promise<{ status: 'up' | 'down'; mode: string; detail?: string; [k: string]: unknown }> {
    const extra = {
      running: this.runningHere.size,
      ...(this.queue ? { bullmq: { ...this.queueEvents } } : {}),
    };
    if (!this.connection) return { status: 'up', mode: this.mode, ...extra };
    const ping = await pingQueue(this.connection, REDIS_TIMEOUT_MS);
    return {
      status: ping.status,
      mode: this.mode,
      ...(ping.detail ? { detail: ping.detail } : {}),
      ...extra,
    };
  }

  /**
   * Enqueues a job for the tenant in the request context (or the one given): commits its row, then
   * hands it to the queue. If the queue is unavailable the job waits, queued, in the database and the
   * dispatcher hands it over when the queue is back. Enqueueing an id that exists already returns
   * that job and runs nothing twice.
   */
  async enqueue(
    type: string,
    payload: Record<string, unknown>,
    options: { jobId?: string; tenantId?: string } = {},
  ): Promise<JobView> {
    const registered = this.handlers.get(type);
    if (!registered && this.options.processJobs) throw new Error(`No handler for job type "${type}"`);
    const tenantId = options.tenantId ?? RequestContext.tenantId();
    const id = options.jobId ?? `${type}-${randomUUID()}`;
    const policy = RETRY_POLICIES[registered?.meta.retry ?? 'standard'];
    const requestedBy = RequestContext.maybe()?.userId ?? null;
    const row = { tenantId, id, type, maxAttempts: policy.attempts, payload, requestedBy };
    const created = await this.db.tenant((em) => insertJob(em, row), tenantId);
    // Inside a caller's open transaction the row is not committed yet: the dispatcher hands it over.
    if (created && !RequestContext.maybe()?.transaction)
      await this.deliver([{ tenantId, id, type, attempts: 0 }]);
    return this.get(tenantId, id);
  }

  /** Hands due queued jobs to the queue now: after a transaction that enqueued jobs has committed. */
  kick(): void {
    void this.loops.tick('dispatch');
  }

  /** Hands jobs to the queue; never throws (what could not be handed over waits in the database). */
  private async deliver(jobs: DueJob[], delayMs = 0): Promise<void> {
    if (!jobs.length || this.stopped) return;
    if (!this.queue) {
      this.local.offer(jobs, (key) => this.runningHere.has(key));
      return;
    }
    if (!this.redisReady) return this.deliveryWarning(jobs.length, 'Redis is not connected');
    const { delivered, failure } = await addDeliveries(this.queue, jobs, delayMs, REDIS_TIMEOUT_MS);
    if (failure) this.deliveryWarning(jobs.length - delivered.length, failure);
    if (delivered.length && !delayMs) {
      await this.db
        .system((em) => markDispatched(em, delivered))
        .catch((err: Error) =>
          this.logger.warn(`dispatch: could not mark ${delivered.length} job(s) handed over: ${err.message}`),
        );
    }
  }

  private deliveryWarning(count: number, why: string): void {
    if (Date.now() - this.lastDeliveryWarning < 30_000) return;
    this.lastDeliveryWarning = Date.now();
    this.logger.warn(
      `queue unavailable (${why}): ${count} job(s) wait in the database and are handed over when it is back`,
    );
  }

  /** The outbox dispatcher: due queued rows not handed over (or handed over a lease ago and still queued). */
  private async dispatchDue(): Promise<void> {
    if (this.queue && !this.redisReady) return;
    // In-process, this process's own queue knows what it holds, so every due row is offered again.
    const redeliverMs = this.queue ? this.config.jobLeaseMs : 0;
    const due = await this.db.system((em) => dueJobs(em, redeliverMs, 500));
    await this.deliver(due);
  }

  /** Renews the leases of the jobs this process runs; a job whose lease was taken is aborted here. */
  private async heartbeat(): Promise<void> {
    if (!this.runningHere.size) return;
    const held = await this.db.system((em) => renewLeases(em, this.owner, this.config.jobLeaseMs));
    const lost = 'this attempt lost its lease (it was taken over or ended elsewhere)';
    for (const [key, r] of this.runningHere) {
      if (!held.has(key)) r.abort.abort(new JobStoppedError('LEASE_LOST', lost, false));
    }
  }

  /**
   * The reaper: running jobs whose lease expired go back to queued (attempts left, after the
   * backoff) or to failed, naming why; failed ones get their handler's `onFailed`.
   */
  async reap(all = false): Promise<number> {
    const keep = [...this.runningHere.keys()];
    const ended = await this.db.system((em) => endExpiredAttempts(em, keep, all, this.config.jobBackoffMs));
    for (const e of ended) {
      this.logger.warn(
        `reaper: job ${e.job.id} (${e.job.type}) of tenant ${e.job.tenantId}: ${e.final ? 'failed' : 're-queued'} — ${e.error}`,
      );
      if (e.final) await this.failed(e.job.tenantId, e.job.type, e.job.payload, e.error);
      else this.wakeAt(e.job, e.job.attempts);
    }
    if (this.queue && this.daily.size) await this.daily.reapply();
    return ended.length;
  }

  /** A retry's fast path: hand it over when its backoff ends (the dispatcher is the backstop). */
  private wakeAt(
    job: { tenantId: string; id: string; type: string },
    attempts: number,
    delayMs = backoffMs(this.config.jobBackoffMs, attempts),
  ): void {
    if (this.stopped) return;
    const due: DueJob = { tenantId: job.tenantId, id: job.id, type: job.type, attempts };
    if (this.queue) {
      void this.deliver([due], delayMs);
      return;
    }
    this.local.after(delayMs, () => void this.deliver([due]));
  }

  /** Resolves when the in-process queue has nothing queued, running or waiting to retry. */
  whenIdle(): Promise<void> {
    return this.local.whenIdle();
  }

  /**
   * Runs one attempt of a job if this process can claim it (queued and due): calls its handler in the
   * tenant's context under a lease and a time limit, and records the outcome in its row. Returns
   * without running when another process has it or it has ended.
   */
  async run(tenantId: string, id: string): Promise<void> {
    const claimed = await this.db.system((em) => claim(em, tenantId, id, this.owner, this.config.jobLeaseMs));
    if (!claimed) return;
    const key = jobKey(tenantId, id);
    const abort = new AbortController();
    this.runningHere.set(key, { tenantId, id, abort });
    const registered = this.handlers.get(claimed.type);
    const limit = timeLimit(abort, registered?.meta.timeLimitSeconds ?? this.config.jobTimeLimitSeconds);
    const ctx = attemptContext(this.db, this.owner, { ...claimed, tenantId, id }, abort);
    try {
      if (!registered) throw new JobFailedError(`No handler for job type "${claimed.type}"`);
      const work = RequestContext.run(
        { requestId: `job:${id}`, tenantId, userId: claimed.requestedBy ?? undefined },
        () => registered.handler.handle(ctx),
      );
      // A handler that ignores its signal is left behind (its commit is fenced); the attempt ends now.
      work.catch(() => undefined);
      const result = await Promise.race([work, rejectOnAbort(abort.signal)]);
      clearTimeout(limit);
      const recorded = await this.bookkeeping(`recording job ${id} succeeded`, () =>
        this.db.system((em) => markSucceeded(em, tenantId, id, this.owner, result)),
      );
      this.runningHere.delete(key);
      if (recorded === false) {
        this.logger.warn(
          `job ${id} (${claimed.type}) finished after losing its lease; the row's other outcome stands`,
        );
        return;
      }
      await this.succeeded(tenantId, id, claimed, result);
    } catch (err) {
      clearTimeout(limit);
      await this.attemptFailed({ ...claimed, tenantId, id }, err);
      this.runningHere.delete(key);
    }
  }

  /** The listeners of the job's type (onSucceeded), each in its own context; their failures are logged. */
  private async succeeded(
    tenantId: string,
    id: string,
    job: { type: string; payload: Record<string, unknown> },
    result: unknown,
  ) {
    for (const listener of this.listeners.get(job.type) ?? []) {
      try {
        await RequestContext.run({ requestId: `job:${id}:after`, tenantId }, () =>
          listener(tenantId, job.payload, result),
        );
      } catch (err) {
        this.logger.warn(`after ${job.type} ${id}: ${(err as Error).message}`);
      }
    }
  }

  private async attemptFailed(
    job: {
      tenantId: string;
      id: string;
      type: string;
      payload: Record<string, unknown>;
      attempt: number;
      maxAttempts: number;
    },
    err: unknown,
  ): Promise<void> {
    const outcome = failedAttempt(job, err, this.config.jobBackoffMs, Date.now());
    if (outcome.leaseLost) {
      this.logger.warn(`job ${job.id} (${job.type}) attempt ${job.attempt}: ${outcome.message}`);
      return;
    }
    const { final, shutdown, error, availableAt } = outcome;
    this.logger.warn(
      `job ${job.id} (${job.type}) attempt ${job.attempt}/${job.maxAttempts} ${final ? 'failed for good' : 'failed'}: ${outcome.message}`,
    );
    const recorded = await this.bookkeeping(`recording job ${job.id}'s failed attempt`, () =>
      this.db.system((em) =>
        markAttemptEnded(
          em,
          { tenantId: job.tenantId, id: job.id, owner: this.owner },
          { final, error, availableAt, refund: shutdown },
        ),
      ),
    );
    if (recorded !== true) return; // the lease was lost, or the database stayed down: the reaper decides
    if (final) await this.failed(job.tenantId, job.type, job.payload, error);
    else if (!shutdown) this.wakeAt(job, job.attempt, outcome.delayMs);
  }

  /** The handler's own end state for a failed job (its rows, its files), retried through an outage. */
  private async failed(
    tenantId: string,
    type: string,
    payload: Record<string, unknown>,
    error: string,
  ): Promise<void> {
    const handler = this.handlers.get(type)?.handler;
    if (!handler?.onFailed) return;
    await this.bookkeeping(`ending a failed ${type} job's own records`, () =>
      RequestContext.run({ requestId: `job:${type}:failed`, tenantId }, () =>
        handler.onFailed!(tenantId, payload, error),
      ),
    );
  }

  /** A bookkeeping write, retried through a database outage (job-attempt.ts); undefined when it gave up. */
  private bookkeeping<T>(what: string, write: () => Promise<T>): Promise<T | undefined> {
    return bookkeeping(what, write, this.logger, () => this.stopped);
  }

  async get(tenantId: string, id: string): Promise<JobView> {
    const job = await this.find(tenantId, id);
    if (!job) throw new NotFoundError('Job', id);
    return job;
  }

  /** A job, or null when the tenant has none with that id. */
  async find(tenantId: string, id: string): Promise<JobView | null> {
    const job = await this.db.tenant((em) => findJob(em, tenantId, id), tenantId);
    return job ? toView(job) : null;
  }

  async list(tenantId: string, limit = 50): Promise<JobView[]> {
    return (await this.db.tenant((em) => recentJobs(em, tenantId, limit), tenantId)).map(toView);
  }
}
