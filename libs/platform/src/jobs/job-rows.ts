import type { EntityManager } from 'typeorm';
import { JobEntity } from '../entities/platform.entities';

/**
 * The SQL of the job rows' life cycle (docs/adr/0004-jobs.md): the row is the outbox and the lease.
 * Every statement is keyed on the job's (tenant_id, id) and, once running, on its lease owner, so a
 * process that lost a job (its lease expired and another took it) can no longer change it.
 * These run as the table owner (`Db.system`): dispatchers and reapers work across tenants.
 */

export interface DueJob {
  tenantId: string;
  id: string;
  type: string;
  /** attempts made so far; the delivery is for attempt `attempts + 1` */
  attempts: number;
}

export interface ClaimedJob {
  type: string;
  payload: Record<string, unknown>;
  attempt: number;
  maxAttempts: number;
  requestedBy: string | null;
}

export interface ExpiredJob {
  tenantId: string;
  id: string;
  type: string;
  attempts: number;
  maxAttempts: number;
  payload: Record<string, unknown>;
  leaseOwner: string | null;
}

const seconds = (ms: number) => ms / 1000;

/** The rows of an `UPDATE … RETURNING` (TypeORM's postgres driver answers `[rows, count]` for UPDATE). */
async function updated<T>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const res: unknown = await em.query(sql, params);
  if (Array.isArray(res) && res.length === 2 && Array.isArray(res[0]) && typeof res[1] === 'number')
    return res[0] as T[];
  return res as T[];
}

/** Queued jobs that are due and not handed to a queue within `redeliverMs` (or never). */
export async function dueJobs(em: EntityManager, redeliverMs: number, limit: number): Promise<DueJob[]> {
  const rows: { tenant_id: string; id: string; type: string; attempts: number }[] = await em.query(
    `SELECT tenant_id, id, type, attempts FROM jobs
      WHERE status = 'queued' AND available_at <= now()
        AND (dispatched_at IS NULL OR dispatched_at < now() - make_interval(secs => $1))
      ORDER BY available_at LIMIT $2`,
    [seconds(redeliverMs), limit],
  );
  return rows.map((r) => ({ tenantId: r.tenant_id, id: r.id, type: r.type, attempts: r.attempts }));
}

export async function markDispatched(
  em: EntityManager,
  jobs: { tenantId: string; id: string }[],
): Promise<void> {
  if (!jobs.length) return;
  await em.query(
    `UPDATE jobs SET dispatched_at = now()
       FROM unnest($1::uuid[], $2::text[]) AS d(tenant_id, id)
      WHERE jobs.tenant_id = d.tenant_id AND jobs.id = d.id AND jobs.status = 'queued'`,
    [jobs.map((j) => j.tenantId), jobs.map((j) => j.id)],
  );
}

/** Takes a queued, due job for `owner` with a fresh lease: one process wins, the others get null. */
export async function claim(
  em: EntityManager,
  tenantId: string,
  id: string,
  owner: string,
  leaseMs: number,
): Promise<ClaimedJob | null> {
  const rows = await updated<{
    type: string;
    payload: Record<string, unknown>;
    attempts: number;
    max_attempts: number;
    requested_by: string | null;
  }>(
    em,
    `UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_owner = $3,
            lease_until = now() + make_interval(secs => $4), started_at = now(), updated_at = now()
      WHERE tenant_id = $1 AND id = $2 AND status = 'queued' AND available_at <= now() + interval '1 second'
      RETURNING type, payload, attempts, max_attempts, requested_by`,
    [tenantId, id, owner, seconds(leaseMs)],
  );
  const r = rows[0];
  return r
    ? {
        type: r.type,
        payload: r.payload,
        attempt: r.attempts,
        maxAttempts: r.max_attempts,
        requestedBy: r.requested_by,
      }
    : null;
}

/** Renews the leases of the jobs `owner` runs; returns the keys (`tenant/id`) it still holds. */
export async function renewLeases(em: EntityManager, owner: string, leaseMs: number): Promise<Set<string>> {
  const rows = await updated<{ tenant_id: string; id: string }>(
    em,
    `UPDATE jobs SET lease_until = now() + make_interval(secs => $2)
      WHERE lease_owner = $1 AND status = 'running' RETURNING tenant_id, id`,
    [owner, seconds(leaseMs)],
  );
  return new Set(rows.map((r) => jobKey(r.tenant_id, r.id)));
}

/** Fencing, inside the transaction that commits a job's work: locks the row and checks it is still ours. */
export async function holdsLease(
  em: EntityManager,
  tenantId: string,
  id: string,
  owner: string,
): Promise<boolean> {
  const rows: unknown[] = await em.query(
    `SELECT 1 FROM jobs WHERE tenant_id = $1 AND id = $2 AND status = 'running' AND lease_owner = $3 FOR UPDATE`,
    [tenantId, id, owner],
  );
  return rows.length > 0;
}

export async function markSucceeded(
  em: EntityManager,
  tenantId: string,
  id: string,
  owner: string,
  result: unknown,
): Promise<boolean> {
  const rows = await updated<unknown>(
    em,
    `UPDATE jobs SET status = 'succeeded', progress = 100, result = $4::jsonb, error = NULL, finished_at = now(),
            updated_at = now(), lease_owner = NULL, lease_until = NULL
      WHERE tenant_id = $1 AND id = $2 AND status = 'running' AND lease_owner = $3 RETURNING id`,
    [tenantId, id, owner, JSON.stringify(result ?? null)],
  );
  return rows.length > 0;
}

/**
 * Ends an attempt that did not succeed: `failed` for good, or back to `queued` from `availableAt`.
 * `refund` gives the attempt back (a shutdown stopped it, not the job's fault).
 */
export async function markAttemptEnded(
  em: EntityManager,
  job: { tenantId: string; id: string; owner: string | null },
  outcome: { final: boolean; error: string; availableAt: Date; refund?: boolean },
): Promise<boolean> {
  // `now()` stays outside the CASE (NULL when not final): Citus refuses a non-immutable function inside a CASE
  // of an UPDATE on a distributed table (ADR 0011)
  const rows = await updated<unknown>(
    em,
    `UPDATE jobs SET status = CASE WHEN $4 THEN 'failed' ELSE 'queued' END, error = $5,
            finished_at = now() + CASE WHEN $4 THEN interval '0' END, available_at = $6, dispatched_at = NULL,
            attempts = CASE WHEN $7 THEN greatest(attempts - 1, 0) ELSE attempts END,
            updated_at = now(), lease_owner = NULL, lease_until = NULL
      WHERE tenant_id = $1 AND id = $2 AND status = 'running' AND lease_owner IS NOT DISTINCT FROM $3 RETURNING id`,
    [
      job.tenantId,
      job.id,
      job.owner,
      outcome.final,
      outcome.error,
      outcome.availableAt,
      outcome.refund ?? false,
    ],
  );
  return rows.length > 0;
}

/**
 * Running jobs whose lease expired (their process crashed, was killed or stalled), locked for this
 * reaper; `all` takes every running job (the embedded database at start-up: its one process is this
 * one, so whatever it finds running was left by a process that is gone). Jobs in `keep` (this
 * process runs them) are left alone. Two steps: the candidates across tenants without a lock, then each
 * row locked by its key (`FOR UPDATE SKIP LOCKED`, its conditions checked again): Citus refuses a row lock
 * in a query over many shards, and a lock by (tenant_id, id) goes to one shard (ADR 0011). A row another
 * reaper or the job's own commit holds is skipped, as before.
 */
export async function expiredLeases(
  em: EntityManager,
  keep: string[],
  all: boolean,
  limit: number,
): Promise<ExpiredJob[]> {
  const candidates: { tenant_id: string; id: string }[] = await em.query(
    `SELECT tenant_id, id FROM jobs
        WHERE status = 'running' AND ($2 OR lease_until IS NULL OR lease_until < now())
          AND NOT ((tenant_id::text || '/' || id) = ANY($1::text[]))
        ORDER BY lease_until NULLS FIRST LIMIT $3`,
    [keep, all, limit],
  );
  const out: ExpiredJob[] = [];
  for (const c of candidates) {
    const rows: {
      type: string;
      attempts: number;
      max_attempts: number;
      payload: Record<string, unknown>;
      lease_owner: string | null;
    }[] = await em.query(
      `SELECT type, attempts, max_attempts, payload, lease_owner FROM jobs
        WHERE tenant_id = $1 AND id = $2 AND status = 'running' AND ($3 OR lease_until IS NULL OR lease_until < now())
        FOR UPDATE SKIP LOCKED`,
      [c.tenant_id, c.id, all],
    );
    const r = rows[0];
    if (r)
      out.push({
        tenantId: c.tenant_id,
        id: c.id,
        type: r.type,
        attempts: r.attempts,
        maxAttempts: r.max_attempts,
        payload: r.payload,
        leaseOwner: r.lease_owner,
      });
  }
  return out;
}

export function jobKey(tenantId: string, id: string): string {
  return `${tenantId}/${id}`;
}

/** Inserts a queued job; false when the tenant has a job with that id already (nothing is changed). */
export async function insertJob(
  em: EntityManager,
  job: {
    tenantId: string;
    id: string;
    type: string;
    maxAttempts: number;
    payload: Record<string, unknown>;
    requestedBy: string | null;
  },
): Promise<boolean> {
  const res: unknown[] = await em.query(
    `INSERT INTO jobs (tenant_id, id, type, status, max_attempts, payload, requested_by)
     VALUES ($1, $2, $3, 'queued', $4, $5, $6) ON CONFLICT (tenant_id, id) DO NOTHING RETURNING id`,
    [job.tenantId, job.id, job.type, job.maxAttempts, JSON.stringify(job.payload), job.requestedBy],
  );
  return res.length > 0;
}

export function findJob(em: EntityManager, tenantId: string, id: string): Promise<JobEntity | null> {
  return em.findOneBy(JobEntity, { tenantId, id });
}

/** The tenant's latest jobs, newest first. */
export function recentJobs(em: EntityManager, tenantId: string, limit: number): Promise<JobEntity[]> {
  return em.find(JobEntity, { where: { tenantId }, order: { createdAt: 'DESC' }, take: limit });
}
