import { isUuid } from './access.guard';

/*
 * Refresh tokens and sessions. A refresh token is `<session id>.<secret>`; the session stores the secret's
 * SHA-256 and rotates it on every refresh; rotated-away secrets are kept (spent) until the refresh-token
 * lifetime has passed, so presenting one again is recognised as reuse.
 */

const DAY_MS = 86_400_000;

/** How often (at most) token issue prunes spent refresh secrets. */
export const SPENT_PRUNE_INTERVAL_MS = 3600_000;

/** The refresh token handed out for a session and its current secret. */
export function refreshTokenOf(sessionId: string, secret: string): string {
  return `${sessionId}.${secret}`;
}

/** The session id and secret of a refresh token, or null when it is not `<uuid>.<secret>`. */
export function parseRefreshToken(token: string): { sessionId: string; secret: string } | null {
  const [sessionId, secret] = token.split('.');
  return isUuid(sessionId) && secret ? { sessionId, secret } : null;
}

/** When a session begun at `nowMs` ends: the refresh-token lifetime later. */
export function sessionExpiresAt(nowMs: number, refreshTokenTtlDays: number): Date {
  return new Date(nowMs + refreshTokenTtlDays * DAY_MS);
}

/** Spent secrets older than this can go: their sessions have ended (expired) since. */
export function spentPruneCutoff(nowMs: number, refreshTokenTtlDays: number): Date {
  return new Date(nowMs - refreshTokenTtlDays * DAY_MS);
}

/** Whether token issue prunes spent secrets now (hourly at most; `prunedAtMs` 0: not yet in this process). */
export function spentPruneDue(prunedAtMs: number, nowMs: number): boolean {
  return nowMs - prunedAtMs >= SPENT_PRUNE_INTERVAL_MS;
}

/** A session a refresh token can still rotate: it exists, was not revoked and has not expired. */
export function sessionLive<S extends { revokedAt: Date | null; expiresAt: Date }>(
  session: S | null,
  now: Date,
): session is S {
  return !!session && !session.revokedAt && !(session.expiresAt < now);
}
