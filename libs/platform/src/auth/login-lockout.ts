import { HttpStatus } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppError } from '../errors/problems';

/*
 * Two counters, so that a stranger cannot lock the real user out (OWASP Authentication Cheat Sheet, "Account
 * Lockout", and its "device cookies" proposal):
 * - per (account, client address) pair: LOCKOUT_THRESHOLD failures within the window lock that pair for a
 *   growing time (1, 2, 4, 8, at most 15 minutes). A guesser at one address locks only themselves out.
 * - per account, across all addresses: ACCOUNT_LOCKOUT_THRESHOLD failures within the window (a distributed
 *   guess) lock the account for a short fixed ACCOUNT_LOCK_MS. A browser holding a device cookie of the account
 *   (set by an earlier successful log-in) is exempt from it: only its own pair counter applies.
 * Both are keyed by the lower-cased e-mail as typed (unknown addresses too, so a lock reveals nothing); the pair
 * key is `<e-mail>\n<client address>` (a newline cannot occur in a valid e-mail).
 */

/** Failures of one (account, address) pair within the window that lock the pair. */
export const LOCKOUT_THRESHOLD = 10;
/** Failures of one account, from any addresses, within the window that lock the account (not device-cookie holders). */
export const ACCOUNT_LOCKOUT_THRESHOLD = 50;
/** The account-wide lock: short and fixed, so keeping a user locked out costs an attacker 50 guesses a minute. */
export const ACCOUNT_LOCK_MS = 60_000;
export const LOCKOUT_WINDOW_MS = 15 * 60_000;
/** The first lock lasts this long; each later one twice the one before, up to the maximum. */
export const LOCKOUT_BASE_MS = 60_000;
export const LOCKOUT_MAX_MS = 15 * 60_000;
/** A day without failures forgets earlier locks (the next lock is short again). */
export const LOCKOUT_DECAY_MS = 24 * 3600_000;

/** The lockout key of an (account, client address) pair. */
export function pairKey(email: string, clientAddress: string): string {
  return `${email}\n${clientAddress}`;
}

export interface LockoutPolicy {
  threshold: number;
  /** How long the lock after `previousLocks` earlier ones lasts. */
  durationMs: (previousLocks: number) => number;
}

export const PAIR_POLICY: LockoutPolicy = {
  threshold: LOCKOUT_THRESHOLD,
  durationMs: (n) => lockDurationMs(n),
};
export const ACCOUNT_POLICY: LockoutPolicy = {
  threshold: ACCOUNT_LOCKOUT_THRESHOLD,
  durationMs: () => ACCOUNT_LOCK_MS,
};

/** 429: the account is locked after repeated failed log-ins; `Retry-After` says for how long. */
export class AccountLockedError extends AppError {
  constructor(retryAfterSeconds: number) {
    super(
      HttpStatus.TOO_MANY_REQUESTS,
      'account_locked',
      `Too many failed log-ins for this account; try again in ${retryAfterSeconds} s.`,
      undefined,
      { retryAfterSeconds },
    );
  }
}

/** How long the n-th lock (0-based) lasts: 1, 2, 4, 8, then at most 15 minutes. */
export function lockDurationMs(previousLocks: number): number {
  return Math.min(LOCKOUT_MAX_MS, LOCKOUT_BASE_MS * 2 ** Math.min(previousLocks, 20));
}

/** Seconds the key (an e-mail or a pairKey) stays locked, or 0. */
export async function lockedForSeconds(em: EntityManager, email: string, now = new Date()): Promise<number> {
  const rows: { locked_until: Date | string | null }[] = await em.query(
    'SELECT locked_until FROM login_lockouts WHERE email = $1',
    [email],
  );
  const until = rows[0]?.locked_until ? new Date(rows[0].locked_until) : null;
  return until && until > now ? Math.ceil((until.getTime() - now.getTime()) / 1000) : 0;
}

/**
 * Counts a failed log-in (atomically, so parallel attempts all count) and locks the address once it
 * reaches the threshold within the window. Answers the lock's length in seconds when this failure locked it.
 */
export async function recordLoginFailure(
  em: EntityManager,
  email: string,
  policy: LockoutPolicy = PAIR_POLICY,
  now = new Date(),
): Promise<number> {
  const windowStart = new Date(now.getTime() - LOCKOUT_WINDOW_MS);
  const decay = new Date(now.getTime() - LOCKOUT_DECAY_MS);
  // A lock still running (a parallel attempt set it) is kept; a new window starts when the old one is over or a
  // lock has ended.
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
    [email, now, windowStart, decay],
  );
  // Rows of addresses nobody has failed on for a day are forgotten now and then (unknown addresses count too).
  if (Math.random() < 0.01) {
    await em.query(
      'DELETE FROM login_lockouts WHERE last_failure_at <= $1 AND (locked_until IS NULL OR locked_until <= $2)',
      [decay, now],
    );
  }
  const row = rows[0];
  if (!row || row.failures < policy.threshold) return 0;
  const ms = policy.durationMs(row.lockouts);
  await em.query(
    'UPDATE login_lockouts SET locked_until = $2, lockouts = lockouts + 1, failures = 0, window_started_at = $3 WHERE email = $1',
    [email, new Date(now.getTime() + ms), now],
  );
  return Math.ceil(ms / 1000);
}

/** A successful log-in forgets the pair's failures and locks. */
export async function clearLoginFailures(em: EntityManager, email: string): Promise<void> {
  await em.query('DELETE FROM login_lockouts WHERE email = $1', [email]);
}
