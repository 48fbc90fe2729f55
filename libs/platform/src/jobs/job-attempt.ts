/**
 * One attempt of a job, the parts that need no JobsService state: its context (progress, fence),
 * its time limit, what a failure or an expired lease means for the row, and bookkeeping writes
 * retried through a database outage.
 */
import { Logger } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import { RequestContext } from '../context/request-context';
import { isEmbedded } from '../database/database.module';
import { Db } from '../database/tenant-db';
import { JobEntity } from '../entities/platform.entities';
import { ClaimedJob, ExpiredJob, expiredLeases, holdsLease, markAttemptEnded } from './job-rows';
import { backoffMs, formatSeconds } from './job-view';
import { JOB_HANDLER, JobContext, JobHandler, JobHandlerMeta, JobStoppedError } from './jobs.types';

/** Bookkeeping writes retried through a database outage: ≈ 30 s in all, then the reaper is the backstop. */
const BOOKKEEPING_DELAYS_MS = [250, 500, 1000, 2000, 4000, 8000, 15_000];

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** What a handler gets for one attempt of a claimed job, run by `owner` under `abort`. */
export function attemptContext(
  db: Db,
  owner: string,
  job: ClaimedJob & { tenantId: string; id: string },
  abort: AbortController,
): JobContext {
  const { tenantId, id } = job;
  return {
    signal: abort.signal,
    tenantId,
    jobId: id,
    type: job.type,
    payload: job.payload,
    attempt: job.attempt,
    maxAttempts: job.maxAttempts,
    progress: async (percent) => {
      const p = Math.max(0, Math.min(100, Math.round(percent)));
      // Progress is written in its own transaction so it shows while the job's own transaction is open.
      // The embedded database has one connection, held by that transaction: there progress shows at the end.
      if (isEmbedded(db.dataSource) && RequestContext.maybe()?.transaction) return;
      await RequestContext.run({ requestId: `job:${id}:progress` }, () =>
        db.tenant(
          (em) =>
            em.update(JobEntity, { tenantId, id, leaseOwner: owner }, { progress: p, updatedAt: new Date() }),
          tenantId,
        ),
      );
    },
    fence: async (em) => {
      if (abort.signal.aborted) throw abort.signal.reason;
      if (!(await holdsLease(em, tenantId, id, owner))) {
        throw new JobStoppedError(
          'LEASE_LOST',
          'this attempt lost its lease before it could commit (it was taken over or ended elsewhere)',
          false,
        );
      }
    },
  };
}

/** Aborts the attempt when its time limit passes (the timer never keeps the process alive). */
export function timeLimit(abort: AbortController, limitSeconds: number): NodeJS.Timeout {
  const limit = setTimeout(
    () =>
      abort.abort(
        new JobStoppedError(
          'TIME_LIMIT',
          `the attempt ran longer than the job's time limit of ${formatSeconds(limitSeconds)}`,
          false,
        ),
      ),
    limitSeconds * 1000,
  );
  limit.unref();
  return limit;
}

/** Rejects when the signal aborts (at once if it has). */
export function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

export type FailedAttempt =
  | { leaseLost: true; message: string }
  | {
      leaseLost: false;
      message: string;
      final: boolean;
      shutdown: boolean;
      delayMs: number;
      availableAt: Date;
      error: string;
    };

/**
 * What a failed attempt means: a lost lease leaves the row to its new holder; a shutdown gives the
 * attempt back (not counted); a failure a retry cannot fix (retryable: false) or the last attempt
 * ends the job; else it is retried after the backoff.
 */
export function failedAttempt(
  job: { attempt: number; maxAttempts: number },
  err: unknown,
  backoffBaseMs: number,
  nowMs: number,
): FailedAttempt {
  const message =
    err instanceof JobStoppedError
      ? `${err.code}: ${err.message}`
      : err instanceof Error
        ? err.message
        : String(err);
  if (err instanceof JobStoppedError && err.code === 'LEASE_LOST') return { leaseLost: true, message };
  const shutdown = err instanceof JobStoppedError && err.code === 'SHUTDOWN';
  const retryable = (err as { retryable?: boolean }).retryable !== false;
  const final = !shutdown && (job.attempt >= job.maxAttempts || !retryable);
  const delayMs = shutdown ? 0 : backoffMs(backoffBaseMs, job.attempt);
  const availableAt = new Date(nowMs + delayMs);
  const error = shutdown
    ? `attempt ${job.attempt} was stopped by a shutdown; it runs again (not counted)`
    : final
      ? message
      : `attempt ${job.attempt} of ${job.maxAttempts} failed: ${message}; next attempt at ${availableAt.toISOString()}`;
  return { leaseLost: false, message, final, shutdown, delayMs, availableAt, error };
}

/** What the reaper writes for a job whose lease expired: failed on its last attempt, else queued after the backoff. */
export function expiredAttempt(job: ExpiredJob, backoffBaseMs: number, nowMs: number) {
  const final = job.attempts >= job.maxAttempts;
  const availableAt = new Date(nowMs + (final ? 0 : backoffMs(backoffBaseMs, job.attempts)));
  const why = `attempt ${job.attempts} of ${job.maxAttempts} stopped without finishing: its process (${job.leaseOwner ?? 'unknown'}) crashed, was killed or stopped renewing its lease`;
  return { final, availableAt, error: final ? why : `${why}; next attempt at ${availableAt.toISOString()}` };
}

/** Runs a bookkeeping write, retrying it with backoff through a database outage; undefined when it gave up. */
export async function bookkeeping<T>(
  what: string,
  write: () => Promise<T>,
  logger: Logger,
  stopped: () => boolean,
): Promise<T | undefined> {
  for (let i = 0; ; i++) {
    try {
      return await write();
    } catch (err) {
      if (i >= BOOKKEEPING_DELAYS_MS.length || stopped()) {
        logger.error(
          `${what}: gave up after ${i + 1} tries (${(err as Error).message}); the reaper ends the job when its lease expires`,
        );
        return undefined;
      }
      await sleep(BOOKKEEPING_DELAYS_MS[i]);
    }
  }
}

/**
 * The reaper's write: every running job whose lease expired (all of them with `all`, but never one in
 * `keep`) is failed on its last attempt, else queued again after the backoff; returns what it ended.
 */
export async function endExpiredAttempts(
  em: EntityManager,
  keep: string[],
  all: boolean,
  backoffBaseMs: number,
): Promise<{ job: ExpiredJob; final: boolean; error: string }[]> {
  const out: { job: ExpiredJob; final: boolean; error: string }[] = [];
  for (const job of await expiredLeases(em, keep, all, 100)) {
    const { final, availableAt, error } = expiredAttempt(job, backoffBaseMs, Date.now());
    await markAttemptEnded(
      em,
      { tenantId: job.tenantId, id: job.id, owner: job.leaseOwner },
      { final, error, availableAt },
    );
    out.push({ job, final, error });
  }
  return out;
}

/** The providers declared as job handlers (@JobProcessor), by job type. */
export function discoverHandlers(discovery: DiscoveryService, reflector: Reflector) {
  const handlers = new Map<string, { meta: JobHandlerMeta; handler: JobHandler }>();
  for (const wrapper of discovery.getProviders()) {
    const instance = wrapper.instance as JobHandler | undefined;
    if (!instance || !wrapper.metatype) continue;
    const meta = reflector.get<JobHandlerMeta | undefined>(
      JOB_HANDLER,
      wrapper.metatype as object as new () => unknown,
    );
    if (meta) handlers.set(meta.type, { meta, handler: instance });
  }
  return handlers;
}
