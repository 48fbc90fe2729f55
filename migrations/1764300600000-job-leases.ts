import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Jobs that always reach an end state (docs/adr/0004-jobs.md, addendum): the row is the outbox and
 * the lease.
 * - `available_at`: a queued job may run from then on (now, or after a retry's backoff).
 * - `dispatched_at`: when a dispatcher last handed it to a queue (BullMQ or in-process); a queued row
 *   not picked up long after that is handed over again (Redis lost, a process restarted).
 * - `lease_owner`, `lease_until`: the process running it and until when its heartbeat holds it; a
 *   reaper re-queues or fails a running job whose lease expired.
 * The partial index serves the dispatchers' and the reaper's cross-tenant scans of unfinished jobs.
 */
export class JobLeases1764300600000 implements MigrationInterface {
  name = 'JobLeases1764300600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE jobs
         ADD COLUMN available_at timestamptz NOT NULL DEFAULT now(),
         ADD COLUMN dispatched_at timestamptz,
         ADD COLUMN lease_owner text,
         ADD COLUMN lease_until timestamptz`,
    );
    await q.query(`CREATE INDEX jobs_unfinished ON jobs (status, available_at) WHERE status IN ('queued', 'running')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS jobs_unfinished');
    await q.query('ALTER TABLE jobs DROP COLUMN available_at, DROP COLUMN dispatched_at, DROP COLUMN lease_owner, DROP COLUMN lease_until');
  }
}
