import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Db } from '../database/tenant-db';
import { UnauthorizedError } from '../errors/problems';
import { AccessTokenClaims } from './access.guard';
import { randomToken, sameHash, sha256 } from './crypto';
import {
  parseRefreshToken,
  refreshTokenOf,
  sessionExpiresAt,
  sessionLive,
  spentPruneCutoff,
  spentPruneDue,
} from './session-rules';
import { SessionsRepository } from './sessions.repository';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/**
 * Sessions and their tokens: a short-lived access JWT and a refresh token rotated on every use (rules:
 * session-rules.ts). AuthService issues them at sign-up and log-in and answers the refresh and log-out
 * routes through here. Sessions are platform tables: every transaction is a `Db.system` one (ADR 0010).
 */
@Injectable()
export class SessionTokens {
  /** When spent refresh secrets were last pruned (0: not yet in this process). */
  private prunedAt = 0;

  constructor(
    private readonly db: Db,
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: SessionsRepository,
  ) {}

  /** Begins a session for `userId` in the caller's (system) transaction and answers its tokens. */
  async issueIn(em: EntityManager, userId: string): Promise<TokenPair> {
    if (spentPruneDue(this.prunedAt, Date.now())) await this.pruneSpent(em);
    const sessionId = randomUUID();
    const secret = randomToken();
    await this.sessions.insert(em, {
      id: sessionId,
      userId,
      refreshTokenHash: sha256(secret),
      expiresAt: sessionExpiresAt(Date.now(), this.config.refreshTokenTtlDays),
    });
    return this.pair(userId, sessionId, secret);
  }

  /** Forgets spent refresh secrets older than the refresh-token lifetime (their sessions have ended); hourly at most, at token issue. */
  async pruneSpent(em?: EntityManager): Promise<number> {
    this.prunedAt = Date.now();
    const before = spentPruneCutoff(Date.now(), this.config.refreshTokenTtlDays);
    const run = (m: EntityManager) => this.sessions.pruneSpent(m, before);
    return em ? run(em) : this.db.system(run);
  }

  private async pair(userId: string, sessionId: string, secret: string): Promise<TokenPair> {
    const claims: AccessTokenClaims = { sub: userId, sid: sessionId, typ: 'access' };
    const accessToken = await this.jwt.signAsync(claims, {
      secret: this.config.jwtSecret,
      expiresIn: this.config.accessTokenTtlSeconds,
    });
    return {
      accessToken,
      refreshToken: refreshTokenOf(sessionId, secret),
      tokenType: 'Bearer',
      expiresIn: this.config.accessTokenTtlSeconds,
    };
  }

  private parseRefresh(token: string): { sessionId: string; secret: string } {
    const parsed = parseRefreshToken(token);
    if (!parsed) throw new UnauthorizedError('The refresh token is invalid.');
    return parsed;
  }

  /**
   * Rotates the refresh token. Only the session's current secret rotates it; a secret rotated away before
   * (kept in spent_refresh_tokens) ends the session (token theft); any other secret is refused and changes nothing.
   */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const { sessionId, secret } = this.parseRefresh(refreshToken);
    const outcome = await this.db.system(async (em) => {
      const session = await this.sessions.byIdForUpdate(em, sessionId);
      if (!sessionLive(session, new Date())) return 'ended' as const;
      const hash = sha256(secret);
      if (!sameHash(session.refreshTokenHash, hash)) {
        if (!(await this.sessions.isSpent(em, hash, sessionId))) return 'invalid' as const;
        // A spent token presented again: someone else may hold the session. End it (committed, then refuse).
        await this.sessions.revoke(em, { id: sessionId });
        await this.audit.record(em, null, {
          action: 'auth.refresh_reuse_detected',
          entityType: 'session',
          entityId: sessionId,
          actorUserId: session.userId,
        });
        return 'reused' as const;
      }
      const next = randomToken();
      await this.sessions.spend(em, hash, sessionId);
      await this.sessions.rotate(em, sessionId, sha256(next));
      return this.pair(session.userId, sessionId, next);
    });
    if (outcome === 'ended') throw new UnauthorizedError('The session has ended; log in again.');
    if (outcome === 'invalid') throw new UnauthorizedError('The refresh token is invalid.');
    if (outcome === 'reused')
      throw new UnauthorizedError(
        'This refresh token was already used; the session has been ended for safety. Log in again.',
      );
    return outcome;
  }

  /** Ends the session of the refresh token (its current or a spent secret, the caller's own session) or of the access token. */
  async logout(userId: string, refreshToken?: string, sessionId?: string): Promise<void> {
    const presented = refreshToken ? this.parseRefresh(refreshToken) : null;
    const id = presented ? presented.sessionId : sessionId;
    const ended = await this.db.system(async (em) => {
      if (presented) {
        const hash = sha256(presented.secret);
        const session = await this.sessions.ofUser(em, presented.sessionId, userId);
        const known =
          session &&
          (sameHash(session.refreshTokenHash, hash) || (await this.sessions.isSpent(em, hash, session.id)));
        if (!known) return false;
      }
      if (id) await this.sessions.revoke(em, { id, userId });
      await this.audit.record(em, null, {
        action: 'auth.logged_out',
        entityType: 'session',
        entityId: id ?? null,
        actorUserId: userId,
      });
      return true;
    });
    if (!ended) throw new UnauthorizedError('The refresh token is invalid.');
  }
}
