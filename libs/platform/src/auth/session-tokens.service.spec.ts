import { JwtService } from '@nestjs/jwt';
import type { EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import type { AppConfig } from '../config/config';
import type { Db } from '../database/tenant-db';
import { SessionEntity } from '../entities/platform.entities';
import { UnauthorizedError } from '../errors/problems';
import { sha256 } from './crypto';
import { SessionTokens } from './session-tokens.service';
import type { SessionsRepository } from './sessions.repository';

/*
 * Refresh-token rotation with the sessions repository replaced by an in-memory one: what is read and
 * written for a current, a spent and an unknown secret, without a database.
 */

const SESSION = '7d3c7d8e-9f7e-4d43-9a53-0d6f1f1f6b2a';
const USER = '0b7e4f5a-1c2d-4e3f-8a9b-0c1d2e3f4a5b';
const config = {
  jwtSecret: 'unit-secret-0123456789abcdef',
  accessTokenTtlSeconds: 900,
  refreshTokenTtlDays: 30,
};

function setup(session: Partial<SessionEntity> | null, spent: string[] = []) {
  const row: SessionEntity | null = session && {
    id: SESSION,
    userId: USER,
    refreshTokenHash: sha256('current'),
    createdAt: new Date(),
    expiresAt: new Date(Date.now() + 86_400_000),
    revokedAt: null,
    ...session,
  };
  const spentHashes = new Set(spent.map(sha256));
  const writes: string[] = [];
  const sessions = {
    byIdForUpdate: async () => row,
    isSpent: async (_em: EntityManager, hash: string) => spentHashes.has(hash),
    revoke: async (_em: EntityManager, where: { id: string }) => void writes.push(`revoke ${where.id}`),
    spend: async (_em: EntityManager, hash: string) => void writes.push(`spend ${hash}`),
    rotate: async (_em: EntityManager, _id: string, hash: string) => void writes.push(`rotate ${hash}`),
  } as unknown as SessionsRepository;
  const audited: string[] = [];
  const audit = {
    record: async (_em: EntityManager, _t: null, e: { action: string }) => void audited.push(e.action),
  } as unknown as AuditService;
  // The system transaction: the callback gets a manager the fake repository never uses.
  const db = { system: (fn: (em: EntityManager) => unknown) => fn({} as EntityManager) } as unknown as Db;
  const tokens = new SessionTokens(db, new JwtService(), audit, config as AppConfig, sessions);
  return { tokens, writes, audited };
}

describe('SessionTokens.refresh', () => {
  it('rotates the current secret: the old one is kept as spent, the new one stored', async () => {
    const { tokens, writes, audited } = setup({});
    const pair = await tokens.refresh(`${SESSION}.current`);
    const [sessionId, next] = pair.refreshToken.split('.');
    expect(sessionId).toBe(SESSION);
    expect(next).not.toBe('current');
    expect(writes).toEqual([`spend ${sha256('current')}`, `rotate ${sha256(next)}`]);
    expect(audited).toEqual([]);
    expect(pair).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
  });

  it('ends the session when a spent secret comes back, and refuses it', async () => {
    const { tokens, writes, audited } = setup({}, ['older']);
    await expect(tokens.refresh(`${SESSION}.older`)).rejects.toThrow(/already used/);
    expect(writes).toEqual([`revoke ${SESSION}`]);
    expect(audited).toEqual(['auth.refresh_reuse_detected']);
  });

  it('refuses an unknown secret and changes nothing', async () => {
    const { tokens, writes, audited } = setup({}, ['older']);
    await expect(tokens.refresh(`${SESSION}.guess`)).rejects.toThrow('The refresh token is invalid.');
    expect([...writes, ...audited]).toEqual([]);
  });

  it('refuses a revoked, expired or missing session as ended', async () => {
    for (const session of [{ revokedAt: new Date() }, { expiresAt: new Date(Date.now() - 1000) }, null]) {
      const { tokens, writes } = setup(session);
      await expect(tokens.refresh(`${SESSION}.current`)).rejects.toThrow(
        'The session has ended; log in again.',
      );
      expect(writes).toEqual([]);
    }
  });

  it('refuses a malformed token before any database work', async () => {
    const { tokens } = setup({});
    await expect(tokens.refresh('not-a-token')).rejects.toBeInstanceOf(UnauthorizedError);
  });
});
