import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { LockoutPolicy, PAIR_POLICY, lockAfterFailure, lockoutCutoffs, secondsLocked } from './login-lockout';

/** The share of failures that also forget rows of addresses nobody has failed on for a day. */
const FORGET_STALE_SHARE = 0.01;

/**
 * The `login_lockouts` counters (rules: login-lockout.ts). A platform table: every method takes the manager
 * of a `Db.system` transaction. Keys are an e-mail (the account counter) or a pairKey.
 */
@Injectable()
export class LoginLockoutsRepository {
  /** Seconds the key stays locked, or 0. */
  async lockedForSeconds(em: EntityManager, key: string, now = new Date()): Promise<number> {
    const rows: { locked_until: Date | string | null }[] = await em.query(
      'SELECT locked_until FROM login_lockouts WHERE email = $1',
      [key],
    );
    return secondsLocked(rows[0]?.locked_until ? new Date(rows[0].locked_until) : null, now);
  }

  /**
   * Counts a failed log-in (atomically, so parallel attempts all count) and locks the key once it reaches the
   * threshold within the window. Answers the lock's length in seconds when this failure locked it.
   */
  async recordFailure(
    em: EntityManager,
    key: string,
    policy: LockoutPolicy = PAIR_POLICY,
    now = new Date(),
  ): Promise<number> {
    const { windowStart, decay } = lockoutCutoffs(now);
    // A lock still running (a parallel attempt set it) is kept; a new window starts when the old one is over or
    // a lock has ended.
    const active = 'l.locked_until > $2';
    const fresh = 'l.window_started_at <= $3 OR l.locked_until IS NOT NULL';
    const rows: { failures: number; lockouts: number }[] = await em.query(
      `INSERT INTO login_lockouts AS l (email, failures, window_started_at, locked_until, lockouts, last_failure_at)
     VALUES ($1, 1, $2, NULL, 0, $2)
     ON CONFLICT (email) DO UPDATE SET
       failures = CASE WHEN ${active} THEN l.failures WHEN ${fresh} THEN 1 ELSE l.failures + 1 END,
       window_started_at = CASE WHEN ${active} THEN l.window_started_at WHEN ${fresh} THEN $2 ELSE l.window_started_at END,
       locked_until = CASE WHEN ${active} THEN l.locked_until ELSE NULL END,
       lockouts = CASE WHEN l.last_failure_at <= $4 THEN 0 ELSE l.lockouts END,
       last_failure_at = $2
     RETURNING failures, lockouts`,
      [key, now, windowStart, decay],
    );
    // Rows of addresses nobody has failed on for a day are forgotten now and then (unknown addresses count too).
    if (Math.random() < FORGET_STALE_SHARE) {
      await em.query(
        'DELETE FROM login_lockouts WHERE last_failure_at <= $1 AND (locked_until IS NULL OR locked_until <= $2)',
        [decay, now],
      );
    }
    const ms = lockAfterFailure(rows[0], policy);
    if (!ms) return 0;
    await em.query(
      'UPDATE login_lockouts SET locked_until = $2, lockouts = lockouts + 1, failures = 0, window_started_at = $3 WHERE email = $1',
      [key, new Date(now.getTime() + ms), now],
    );
    return Math.ceil(ms / 1000);
  }

  /** A successful log-in forgets the pair's failures and locks. */
  async clear(em: EntityManager, key: string): Promise<void> {
    await em.query('DELETE FROM login_lockouts WHERE email = $1', [key]);
  }
}
