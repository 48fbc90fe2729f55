import { JobEntity } from '../entities/platform.entities';
import { JobView } from './jobs.types';

/** A job cannot run (no handler for its type, no such daily task). */
export class JobFailedError extends Error {}

/** Retry delay after failed attempt `attempt` (1-based): the base, doubling, capped at an hour. */
export function backoffMs(baseMs: number, attempt: number): number {
  return Math.min(3_600_000, baseMs * 2 ** Math.max(0, attempt - 1));
}

export function formatSeconds(s: number): string {
  return s >= 120 ? `${Math.round(s / 60)} min` : `${s} s`;
}

export function toView(job: JobEntity): JobView {
  return {
    id: job.id,
    type: job.type,
    status: job.status,
    progress: job.progress,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    ...(job.status === 'queued' && job.attempts > 0 && job.availableAt
      ? { nextAttemptAt: job.availableAt }
      : {}),
    ...(job.result !== null && job.result !== undefined ? { result: job.result } : {}),
    ...(job.error ? { error: job.error } : {}),
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
  };
}
