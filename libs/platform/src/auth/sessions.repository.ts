import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SessionEntity, SpentRefreshTokenEntity } from '../entities/platform.entities';

/**
 * `sessions` and `spent_refresh_tokens`: platform tables that `halve_app` is not granted (ADR 0010), so every
 * method takes the manager of a `Db.system` transaction. Secrets are stored as their SHA-256 only.
 */
@Injectable()
export class SessionsRepository {
  async insert(
    em: EntityManager,
    session: { id: string; userId: string; refreshTokenHash: string; expiresAt: Date },
  ): Promise<void> {
    await em.insert(SessionEntity, { ...session, revokedAt: null });
  }

  /** The session, locked until the transaction ends (so parallel refreshes rotate it one at a time). */
  async byIdForUpdate(em: EntityManager, id: string): Promise<SessionEntity | null> {
    return em.findOne(SessionEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** The session `id` if it is `userId`'s. */
  async ofUser(em: EntityManager, id: string, userId: string): Promise<SessionEntity | null> {
    return em.findOneBy(SessionEntity, { id, userId });
  }

  async rotate(em: EntityManager, id: string, refreshTokenHash: string): Promise<void> {
    await em.update(SessionEntity, { id }, { refreshTokenHash });
  }

  /** Ends the session `id` (only if it is `userId`'s, when given). */
  async revoke(em: EntityManager, where: { id: string; userId?: string }): Promise<void> {
    await em.update(SessionEntity, where, { revokedAt: new Date() });
  }

  /** Ends every live session of a user (a new password, a changed role). */
  async endAll(em: EntityManager, userId: string): Promise<void> {
    await em
      .createQueryBuilder()
      .update(SessionEntity)
      .set({ revokedAt: new Date() })
      .where('user_id = :id AND revoked_at IS NULL', { id: userId })
      .execute();
  }

  /** Keeps a rotated-away secret's hash, so presenting it again is recognised as reuse. */
  async spend(em: EntityManager, tokenHash: string, sessionId: string): Promise<void> {
    await em.insert(SpentRefreshTokenEntity, { tokenHash, sessionId, spentAt: new Date() });
  }

  /** Whether `tokenHash` is a secret of `sessionId` rotated away before. */
  async isSpent(em: EntityManager, tokenHash: string, sessionId: string): Promise<boolean> {
    return em.existsBy(SpentRefreshTokenEntity, { tokenHash, sessionId });
  }

  /** Forgets spent secrets older than `before`; answers how many. */
  async pruneSpent(em: EntityManager, before: Date): Promise<number> {
    const rows: { n: number }[] = await em.query(
      'WITH gone AS (DELETE FROM spent_refresh_tokens WHERE spent_at < $1 RETURNING 1) SELECT count(*)::int AS n FROM gone',
      [before],
    );
    return rows[0]?.n ?? 0;
  }
}
