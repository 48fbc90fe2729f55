import { HttpStatus } from '@nestjs/common';
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
 * key is `<e-mail>\n<client address>` (a newline cannot occur in a valid e-mail). The counters are stored by
 * LoginLockoutsRepository (login-lockouts.repository.ts); the rules below are pure.
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

/** The cut-offs of a failure at `now`: the counting window's start, and the decay before which locks are forgotten. */
export interface LockoutCutoffs {
  windowStart: Date;
  decay: Date;
}

export function lockoutCutoffs(now: Date): LockoutCutoffs {
  return {
    windowStart: new Date(now.getTime() - LOCKOUT_WINDOW_MS),
    decay: new Date(now.getTime() - LOCKOUT_DECAY_MS),
  };
}

/** Seconds left of a lock running until `lockedUntil` (rounded up), or 0 when there is none or it has ended. */
export function secondsLocked(lockedUntil: Date | null, now: Date): number {
  return lockedUntil && lockedUntil > now ? Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000) : 0;
}

/**
 * How long the lock that this failure starts lasts (ms), or 0 when the key stays unlocked: `failures` (this one
 * included) within the window reached the policy's threshold; `lockouts` earlier locks (since the decay) make
 * it longer.
 */
export function lockAfterFailure(
  counter: { failures: number; lockouts: number } | undefined,
  policy: LockoutPolicy,
): number {
  if (!counter || counter.failures < policy.threshold) return 0;
  return policy.durationMs(counter.lockouts);
}

/** Which lock a failure that locked something reports: the account's, when it locked the account too. */
export function lockScope(accountLockSeconds: number): 'account' | 'address' {
  return accountLockSeconds ? 'account' : 'address';
}
