import { SetMetadata } from '@nestjs/common';

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
}

export interface JobHandler<P = Record<string, unknown>, R = unknown> {
  handle(ctx: JobContext<P>): Promise<R>;
}

export const JOB_HANDLER = 'halve:job-handler';
export interface JobHandlerMeta {
  type: string;
  retry: RetryPolicy;
}

/** Declares a provider class as the handler of one job type. */
export const JobProcessor = (type: string, options: { retry?: RetryPolicy } = {}) =>
  SetMetadata(JOB_HANDLER, { type, retry: options.retry ?? 'standard' } satisfies JobHandlerMeta);

/** The one queue every job goes through. */
export const QUEUE_NAME = 'halve-jobs';

/** Job ids are deterministic (type + key), so a retry or a duplicate enqueue is harmless. */
export function jobId(type: string, key: string): string {
  return `${type}-${key}`.replace(/[^A-Za-z0-9_.-]/g, '_');
}
