import { SetMetadata } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** Named retry policies: attempts in all, with exponential backoff from HALVE_JOB_BACKOFF_MS. */
export const RETRY_POLICIES = {
  none: { attempts: 1 },
  standard: { attempts: 3 },
  patient: { attempts: 5 },
} as const;
export type RetryPolicy = keyof typeof RETRY_POLICIES;

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface JobView {
  id: string;
  type: string;
  status: JobStatus;
  progress: number;
  attempts: number;
  maxAttempts: number;
  /** A queued retry: when its next attempt may start. */
  nextAttemptAt?: Date;
  result?: unknown;
  error?: string;
  createdAt: Date;
  updatedAt: Date;
}

/** What a handler gets: ids and the payload (ids only, by convention); state lives in the database. */
export interface JobContext<P = Record<string, unknown>> {
  tenantId: string;
  jobId: string;
  type: string;
  payload: P;
  attempt: number;
  maxAttempts: number;
  /** 0–100; stored so the API can show it. */
  progress(percent: number): Promise<void>;
  /**
   * Aborted when the attempt must stop: its time limit passed, its lease was lost (another process
   * took the job over), or the process is shutting down. Long work (a parse worker, a training
   * thread) listens to it and stops; `signal.reason` is an Error saying why.
   */
  signal: AbortSignal;
  /**
   * Fencing: throws unless this attempt still holds the job (running, its lease its own). Call it in
   * the transaction that commits the job's work, last, so the work of an attempt that was timed out
   * or taken over (its process stalled past the lease) rolls back instead of landing twice.
   */
  fence(em: EntityManager): Promise<void>;
}

export interface JobHandler<P = Record<string, unknown>, R = unknown> {
  handle(ctx: JobContext<P>): Promise<R>;
  /**
   * Called once when the job ends `failed`, whoever ended it: its last attempt, a refusal, its time
   * limit, or the reaper after a crash. Puts the handler's own rows in an end state and frees what the
   * job held (an import's upload file). Must be idempotent; it is retried while the database is down.
   */
  onFailed?(tenantId: string, payload: P, error: string): Promise<void>;
}

export const JOB_HANDLER = 'halve:job-handler';
export interface JobHandlerMeta {
  type: string;
  retry: RetryPolicy;
  /** Time limit of one attempt; past it the attempt is aborted and the job fails. Default: HALVE_JOB_TIME_LIMIT. */
  timeLimitSeconds?: number;
}

/** Declares a provider class as the handler of one job type. */
export const JobProcessor = (
  type: string,
  options: { retry?: RetryPolicy; timeLimitSeconds?: number } = {},
) =>
  SetMetadata(JOB_HANDLER, {
    type,
    retry: options.retry ?? 'standard',
    timeLimitSeconds: options.timeLimitSeconds,
  } satisfies JobHandlerMeta);

/** Why an attempt was stopped from outside (ctx.signal.reason), and never retried when final. */
export class JobStoppedError extends Error {
  constructor(
    readonly code: 'TIME_LIMIT' | 'LEASE_LOST' | 'SHUTDOWN',
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'JobStoppedError';
  }
}

/** The one queue every job goes through. */
export const QUEUE_NAME = 'halve-jobs';

/** Job ids are deterministic (type + key), so a retry or a duplicate enqueue is harmless. */
export function jobId(type: string, key: string): string {
  return `${type}-${key}`.replace(/[^A-Za-z0-9_.-]/g, '_');
}
