import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { APP_CONFIG, AppConfig } from '../config/config';
import { OrgRole } from '../context/request-context';
import { Db } from '../database/tenant-db';
import {
  CertificationBodyInvitationEntity,
  CertificationBodyMemberEntity,
  InvitationEntity,
  MembershipEntity,
  OrganizationEntity,
  SessionEntity,
  SpentRefreshTokenEntity,
  UserEntity,
} from '../entities/platform.entities';
import { AppError, BadInputError, UnauthorizedError } from '../errors/problems';
import { MAILER, Mailer } from '../notifications/mailer';
import { AccessTokenClaims, isUuid } from './access.guard';
import { SignupDto } from './auth.dto';
import { countryDefaults } from './countries';
import { hashPassword, randomToken, sameHash, sha256, verifyPassword } from './crypto';
import { passwordProblems } from './password-policy';
import {
  ACCOUNT_POLICY,
  AccountLockedError,
  PAIR_POLICY,
  clearLoginFailures,
  lockedForSeconds,
  pairKey,
  recordLoginFailure,
} from './login-lockout';
import { isDeviceOf } from './session-cookie';
import {
  EMAIL_TOKEN_TTL_SECONDS,
  EmailTokenPurpose,
  emailTokenStamp,
  readEmailToken,
  signEmailToken,
} from './email-token';

/** How often (at most) token issue prunes spent refresh secrets. */
const SPENT_PRUNE_INTERVAL_MS = 3600_000;

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export interface NewOrganization {
  name: string;
  country: string;
  timezone?: string;
  currency?: string;
  gridRegion?: string | null;
  sector?: string | null;
  isDemo?: boolean;
}

/**
 * An unclaimed account: made by a sign-up with an address that already has an account, so that answer behaves
 * like any new sign-up's (see AuthService.signup). Its stored e-mail is `<address>#unclaimed-<uuid>`: unique, not
 * deliverable, never matched by log-in, reset or invitations (they compare the whole address).
 */
export const UNCLAIMED_MARK = '#unclaimed-';
const UNCLAIMED = /#unclaimed-[0-9a-f-]{36}$/;

export function isUnclaimed(u: { email: string }): boolean {
  return UNCLAIMED.test(u.email);
}

/** The address the user typed (an unclaimed account's without its mark). */
export function addressOf(u: { email: string }): string {
  return u.email.replace(UNCLAIMED, '');
}

export function publicUser(u: UserEntity): {
  id: string;
  email: string;
  name: string;
  isPlatformAdmin: boolean;
  emailVerified: boolean;
} {
  return {
    id: u.id,
    email: addressOf(u),
    name: u.name,
    isPlatformAdmin: u.isPlatformAdmin,
    emailVerified: !!u.emailVerifiedAt,
  };
}

/** 403 `email_unverified`: what needs a proved address (accepting an invitation) before the address is proved. */
export class EmailUnverifiedError extends AppError {
  constructor() {
    super(
      403,
      'email_unverified',
      'Confirm your e-mail address first (the link in the verification e-mail; POST /auth/verify-email/resend sends a new one).',
    );
  }
}

/** Sign-up, log-in, refresh-token rotation and log-out. Passwords are hashed with Argon2id. */
@Injectable()
export class AuthService {
  // A real hash to compare against when the e-mail is unknown, so timing does not reveal accounts.
  private readonly dummyHash = hashPassword(randomToken());
  /** When spent refresh secrets were last pruned (0: not yet in this process). */
  private prunedAt = 0;

  constructor(
    private readonly db: Db,
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MAILER) private readonly mailer: Mailer,
  ) {}

  /**
   * Creates an unverified user with their own organisation (or, with `invitationToken`, checks the
   * invitation, which is accepted after the address is verified) and e-mails a verification token.
   *
   * An address that already has an account gets an unclaimed account instead (no enumeration): a real,
   * unverified user with the same name, password and new organisation, whose tokens work like any new
   * sign-up's, but whose stored address carries UNCLAIMED_MARK, so it never matches the address for log-in,
   * reset, invitations or verification. The address's owner is e-mailed that someone tried; no verification
   * e-mail goes out (the owner would get it). What still tells the two apart: logging in again with the
   * sign-up's password (401 for an unclaimed account), and verification never arriving.
   */
  async signup(dto: SignupDto) {
    const email = dto.email.trim().toLowerCase();
    const name = dto.name.trim();
    const passwordHash = await hashPassword(dto.password);
    if (!dto.invitationToken) {
      const missing = (['organizationName', 'country', 'timezone'] as const).filter((f) => !dto[f]);
      if (missing.length) {
        throw new BadInputError(
          `Sign-up needs ${missing.join(', ')} (or an invitationToken).`,
          missing.map((field) => ({ field, message: 'is required' })),
        );
      }
    }
    const outcome = await this.db.system(async (em) => {
      // The invitation is checked (valid, addressed to this e-mail) before the address is looked up, so the
      // answer to a bad invitation does not depend on whether the address has an account.
      const invitation = dto.invitationToken
        ? await this.invitationFor(em, dto.invitationToken, email)
        : null;
      const existing: { id: string; name: string }[] = await em.query(
        'SELECT id, name FROM users WHERE lower(email) = $1',
        [email],
      );
      const taken = existing.length > 0;
      const id = randomUUID();
      const stored = taken ? `${email}${UNCLAIMED_MARK}${id}` : email;
      const user = em.create(UserEntity, {
        id,
        email: stored,
        name,
        passwordHash,
        isPlatformAdmin: false,
        emailVerifiedAt: null,
      });
      await em.insert(UserEntity, user);
      if (taken) {
        await this.audit.record(em, null, {
          action: 'user.signup_address_taken',
          entityType: 'user',
          entityId: existing[0].id,
          actorUserId: null,
          summary: { unclaimedUserId: id },
        });
      } else {
        await this.audit.record(em, null, {
          action: 'user.signed_up',
          entityType: 'user',
          entityId: user.id,
          actorUserId: user.id,
          summary: { email },
        });
      }
      const organization = invitation
        ? null
        : await this.createOrganizationIn(em, user.id, {
            name: dto.organizationName!,
            country: dto.country!,
            timezone: dto.timezone!,
          });
      const tokens = await this.issueTokensIn(em, user.id);
      return { taken, user, organization, invitation, tokens };
    });
    const pending = outcome.invitation
      ? {
          invitation: {
            status: 'awaiting_verification',
            organizationId: outcome.invitation.tenantId,
            role: outcome.invitation.role,
          },
        }
      : {};
    if (outcome.taken) {
      await this.mailer.send({
        to: email,
        subject: 'Someone tried to sign up to Halve with your address',
        text:
          `Someone (perhaps you) tried to create a Halve account with ${email}, which already has one. Your account was not changed. ` +
          `If it was you, log in, or set a new password at ${this.config.publicUrl}/reset-password. If not, you can ignore this message.`,
      });
    } else {
      await this.sendVerification(outcome.user);
    }
    return {
      user: publicUser(outcome.user),
      organization: outcome.organization,
      role: outcome.organization ? ('owner' as OrgRole) : null,
      ...pending,
      ...outcome.tokens,
    };
  }

  /** Creates an organisation with `ownerId` as its owner, in the caller's (system) transaction. */
  async createOrganizationIn(
    em: EntityManager,
    ownerId: string,
    input: NewOrganization,
  ): Promise<OrganizationEntity> {
    const defaults = countryDefaults(input.country);
    const organization = em.create(OrganizationEntity, {
      id: randomUUID(),
      name: input.name.trim(),
      country: input.country.toUpperCase(),
      timezone: input.timezone ?? defaults.timezone,
      currency: input.currency ?? defaults.currency,
      gridRegion: input.gridRegion !== undefined ? input.gridRegion : defaults.gridRegion,
      sector: input.sector ?? null,
      baseYear: null,
      fiscalYearStartMonth: 1,
      employees: null,
      annualRevenue: null,
      certificationBodyId: null,
      isDemo: input.isDemo ?? false,
    });
    await em.insert(OrganizationEntity, organization);
    await em.insert(MembershipEntity, { tenantId: organization.id, userId: ownerId, role: 'owner' });
    await this.audit.record(em, organization.id, {
      action: 'organization.created',
      entityType: 'organization',
      entityId: organization.id,
      actorUserId: ownerId,
      summary: { after: { name: organization.name, country: organization.country } },
    });
    await this.audit.record(em, organization.id, {
      action: 'membership.created',
      entityType: 'membership',
      entityId: ownerId,
      actorUserId: ownerId,
      summary: { after: { role: 'owner' } },
    });
    return organization;
  }

  /** The open invitation of `token`, checked to be addressed to `email` (400 otherwise). */
  private async invitationFor(em: EntityManager, token: string, email: string): Promise<InvitationEntity> {
    const invitation = await em.findOneBy(InvitationEntity, { tokenHash: sha256(token) });
    if (!invitation || invitation.acceptedAt || invitation.revokedAt || invitation.expiresAt < new Date()) {
      throw new BadInputError('The invitation is invalid, used or expired; ask for a new one.', [
        { field: 'invitationToken', message: 'invalid or expired' },
      ]);
    }
    if (invitation.email.toLowerCase() !== email.toLowerCase()) {
      throw new BadInputError(
        `The invitation was sent to ${invitation.email}; log in with that address to accept it.`,
        [{ field: 'invitationToken', message: 'addressed to another e-mail' }],
      );
    }
    return invitation;
  }

  /**
   * Accepts an organisation invitation or a certification-body invitation by its e-mailed token, for a
   * user whose verified address is the one it was sent to.
   */
  async acceptInvitationIn(
    em: EntityManager,
    token: string,
    user: UserEntity,
  ): Promise<
    | { kind: 'organization'; organizationId: string; role: OrgRole }
    | { kind: 'certification_body'; bodyId: string; role: string }
  > {
    const bodyInvitation = await em.findOneBy(CertificationBodyInvitationEntity, {
      tokenHash: sha256(token),
    });
    if (bodyInvitation) return this.acceptBodyInvitationIn(em, bodyInvitation, user);
    const invitation = await this.invitationFor(em, token, addressOf(user));
    if (!user.emailVerifiedAt) throw new EmailUnverifiedError();
    const member = await em.findOneBy(MembershipEntity, { tenantId: invitation.tenantId, userId: user.id });
    if (!member)
      await em.insert(MembershipEntity, {
        tenantId: invitation.tenantId,
        userId: user.id,
        role: invitation.role,
      });
    await em.update(
      InvitationEntity,
      { tenantId: invitation.tenantId, id: invitation.id },
      { acceptedAt: new Date(), acceptedBy: user.id },
    );
    await this.audit.record(em, invitation.tenantId, {
      action: 'invitation.accepted',
      entityType: 'membership',
      entityId: user.id,
      actorUserId: user.id,
      summary: { invitationId: invitation.id, after: { role: member?.role ?? invitation.role } },
    });
    return {
      kind: 'organization',
      organizationId: invitation.tenantId,
      role: member?.role ?? invitation.role,
    };
  }

  private async acceptBodyInvitationIn(
    em: EntityManager,
    inv: CertificationBodyInvitationEntity,
    user: UserEntity,
  ) {
    if (inv.acceptedAt || !inv.expiresAt || inv.expiresAt < new Date()) {
      throw new BadInputError('The invitation is invalid, used or expired; ask for a new one.', [
        { field: 'token', message: 'invalid or expired' },
      ]);
    }
    if (inv.email.toLowerCase() !== addressOf(user).toLowerCase()) {
      throw new BadInputError(
        `The invitation was sent to ${inv.email}; log in with that address to accept it.`,
        [{ field: 'token', message: 'addressed to another e-mail' }],
      );
    }
    if (!user.emailVerifiedAt) throw new EmailUnverifiedError();
    const member = await em.findOneBy(CertificationBodyMemberEntity, { bodyId: inv.bodyId, userId: user.id });
    if (member)
      await em.update(
        CertificationBodyMemberEntity,
        { bodyId: inv.bodyId, userId: user.id },
        { role: inv.role },
      );
    else
      await em.insert(CertificationBodyMemberEntity, { bodyId: inv.bodyId, userId: user.id, role: inv.role });
    await em.update(
      CertificationBodyInvitationEntity,
      { bodyId: inv.bodyId, email: inv.email },
      { acceptedAt: new Date(), acceptedBy: user.id },
    );
    await this.audit.record(em, null, {
      action: 'certification_body.member_joined',
      entityType: 'certification_body',
      entityId: inv.bodyId,
      actorUserId: user.id,
      summary: { userId: user.id, role: inv.role },
    });
    return { kind: 'certification_body' as const, bodyId: inv.bodyId, role: inv.role };
  }

  // ---- e-mail verification and password reset (tokens e-mailed to the address; email-token.ts) ----

  private emailToken(purpose: EmailTokenPurpose, user: UserEntity): string {
    return signEmailToken(this.config.jwtSecret, {
      p: purpose,
      u: user.id,
      e: user.email.toLowerCase(),
      x: Math.floor(Date.now() / 1000) + EMAIL_TOKEN_TTL_SECONDS[purpose],
      s: emailTokenStamp(purpose, user),
    });
  }

  /** E-mails a verification token to an unverified user (after the user is committed). */
  async sendVerification(user: UserEntity): Promise<void> {
    // An unclaimed account's address belongs to someone else: nothing is sent (the answer stays "sent").
    if (user.emailVerifiedAt || isUnclaimed(user)) return;
    const token = this.emailToken('verify_email', user);
    await this.mailer.send({
      to: user.email,
      subject: 'Confirm your e-mail address for Halve',
      text: `Confirm that ${user.email} is yours: ${this.config.publicUrl}/verify-email?token=${token} (valid 48 hours). Until then you can use the organisation you created, but not join others.`,
    });
  }

  async resendVerification(userId: string): Promise<{ status: 'sent' | 'already_verified' }> {
    const user = await this.db.system((em) => em.findOneByOrFail(UserEntity, { id: userId }));
    if (user.emailVerifiedAt) return { status: 'already_verified' };
    await this.sendVerification(user);
    return { status: 'sent' };
  }

  /** The user a token names, locked, if the token is genuine, unexpired, for `purpose` and not yet spent. */
  private async tokenUserIn(
    em: EntityManager,
    token: string,
    purpose: EmailTokenPurpose,
  ): Promise<UserEntity> {
    const read = readEmailToken(this.config.jwtSecret, token, purpose);
    const refuse = (message: string) => new BadInputError(message, [{ field: 'token', message }]);
    if (!read.ok)
      throw refuse(
        read.reason === 'expired' ? 'the link has expired; ask for a new one' : 'the link is not valid',
      );
    const user = await em.findOne(UserEntity, {
      where: { id: read.claims.u },
      lock: { mode: 'pessimistic_write' },
    });
    if (
      !user ||
      user.email.toLowerCase() !== read.claims.e ||
      emailTokenStamp(purpose, user) !== read.claims.s
    ) {
      throw refuse('the link was already used or is no longer valid; ask for a new one');
    }
    return user;
  }

  async verifyEmail(token: string): Promise<{ email: string; emailVerified: true }> {
    return this.db.system(async (em) => {
      const user = await this.tokenUserIn(em, token, 'verify_email');
      await em.update(UserEntity, { id: user.id }, { emailVerifiedAt: new Date() });
      await this.audit.record(em, null, {
        action: 'user.email_verified',
        entityType: 'user',
        entityId: user.id,
        actorUserId: user.id,
      });
      return { email: user.email, emailVerified: true as const };
    });
  }

  /** Always the same answer; a reset token is e-mailed only when the address has an account. */
  async requestPasswordReset(emailRaw: string): Promise<{ status: 'accepted'; detail: string }> {
    const email = emailRaw.trim().toLowerCase();
    const user = await this.db.system(async (em) => {
      const found = await em
        .getRepository(UserEntity)
        .createQueryBuilder('u')
        .where('lower(u.email) = :email', { email })
        .getOne();
      if (found)
        await this.audit.record(em, null, {
          action: 'auth.password_reset_requested',
          entityType: 'user',
          entityId: found.id,
          actorUserId: null,
        });
      return found;
    });
    if (user) {
      const token = this.emailToken('password_reset', user);
      await this.mailer.send({
        to: user.email,
        subject: 'Set a new Halve password',
        text: `Set a new password at ${this.config.publicUrl}/reset-password?token=${token} (valid 1 hour, once). If you did not ask for this, ignore this message.`,
      });
    }
    return {
      status: 'accepted',
      detail: 'If the address has an account, a link to set a new password has been sent to it.',
    };
  }

  /** Sets the password, proves the address (the token was e-mailed to it) and ends every session of the user. */
  async confirmPasswordReset(token: string, password: string): Promise<void> {
    const passwordHash = await hashPassword(password);
    await this.db.system(async (em) => {
      const user = await this.tokenUserIn(em, token, 'password_reset');
      const problems = passwordProblems(password, { email: user.email });
      if (problems.length) {
        throw new BadInputError(
          `The password ${problems.map((p) => p.message).join('; ')}.`,
          problems.map((p) => ({ field: 'password', message: p.message })),
        );
      }
      await em.update(
        UserEntity,
        { id: user.id },
        { passwordHash, emailVerifiedAt: user.emailVerifiedAt ?? new Date() },
      );
      await endSessions(em, user.id);
      await this.audit.record(em, null, {
        action: 'auth.password_reset',
        entityType: 'user',
        entityId: user.id,
        actorUserId: user.id,
      });
    });
  }

  /**
   * Checks the password, unless the (account, client address) pair is locked (LOCKOUT_THRESHOLD failures: a
   * growing lock) or the account is (ACCOUNT_LOCKOUT_THRESHOLD failures from anywhere: a short lock that a
   * browser with the account's device cookie is exempt from). See login-lockout.ts. 429 with Retry-After.
   */
  async login(
    emailRaw: string,
    password: string,
    client: { address: string; deviceCookie?: string | null } = { address: 'unknown' },
  ): Promise<TokenPair> {
    const email = emailRaw.trim().toLowerCase();
    const pair = pairKey(email, client.address);
    const trustedDevice = isDeviceOf(this.config, email, client.deviceCookie ?? null);
    const outcome = await this.db.system(async (em) => {
      const locked = Math.max(
        await lockedForSeconds(em, pair),
        trustedDevice ? 0 : await lockedForSeconds(em, email),
      );
      if (locked) return { locked };
      const user = await em
        .getRepository(UserEntity)
        .createQueryBuilder('u')
        .where('lower(u.email) = :email', { email })
        .getOne();
      const ok = user
        ? await verifyPassword(user.passwordHash, password)
        : (await verifyPassword(await this.dummyHash, password), false);
      if (!user || !ok) {
        const pairLock = await recordLoginFailure(em, pair, PAIR_POLICY);
        const accountLock = await recordLoginFailure(em, email, ACCOUNT_POLICY);
        await this.audit.record(em, null, {
          action: 'auth.login_failed',
          entityType: 'user',
          entityId: user?.id ?? null,
          actorUserId: null,
          summary: { email },
        });
        if (pairLock || accountLock) {
          await this.audit.record(em, null, {
            action: 'auth.login_locked',
            entityType: 'user',
            entityId: user?.id ?? null,
            actorUserId: null,
            summary: {
              email,
              seconds: Math.max(pairLock, accountLock),
              scope: accountLock ? 'account' : 'address',
            },
          });
        }
        return null;
      }
      await clearLoginFailures(em, pair);
      await this.audit.record(em, null, {
        action: 'auth.logged_in',
        entityType: 'user',
        entityId: user.id,
        actorUserId: user.id,
      });
      return this.issueTokensIn(em, user.id);
    });
    // The failed attempt is audited (committed above); only then is the caller refused.
    if (!outcome) throw new UnauthorizedError('The e-mail or password is wrong.');
    if ('locked' in outcome) throw new AccountLockedError(outcome.locked);
    return outcome;
  }

  async issueTokensIn(em: EntityManager, userId: string): Promise<TokenPair> {
    if (Date.now() - this.prunedAt >= SPENT_PRUNE_INTERVAL_MS) await this.pruneSpentRefreshTokens(em);
    const sessionId = randomUUID();
    const secret = randomToken();
    await em.insert(SessionEntity, {
      id: sessionId,
      userId,
      refreshTokenHash: sha256(secret),
      expiresAt: new Date(Date.now() + this.config.refreshTokenTtlDays * 86400_000),
      revokedAt: null,
    });
    return this.tokens(userId, sessionId, secret);
  }

  /** Forgets spent refresh secrets older than the refresh-token lifetime (their sessions have ended); hourly at most, at token issue. */
  async pruneSpentRefreshTokens(em?: EntityManager): Promise<number> {
    this.prunedAt = Date.now();
    const before = new Date(Date.now() - this.config.refreshTokenTtlDays * 86_400_000);
    const run = async (m: EntityManager) => {
      const rows: { n: number }[] = await m.query(
        'WITH gone AS (DELETE FROM spent_refresh_tokens WHERE spent_at < $1 RETURNING 1) SELECT count(*)::int AS n FROM gone',
        [before],
      );
      return rows[0]?.n ?? 0;
    };
    return em ? run(em) : this.db.system(run);
  }

  private async tokens(userId: string, sessionId: string, secret: string): Promise<TokenPair> {
    const claims: AccessTokenClaims = { sub: userId, sid: sessionId, typ: 'access' };
    const accessToken = await this.jwt.signAsync(claims, {
      secret: this.config.jwtSecret,
      expiresIn: this.config.accessTokenTtlSeconds,
    });
    return {
      accessToken,
      refreshToken: `${sessionId}.${secret}`,
      tokenType: 'Bearer',
      expiresIn: this.config.accessTokenTtlSeconds,
    };
  }

  private parseRefresh(token: string): { sessionId: string; secret: string } {
    const [sessionId, secret] = token.split('.');
    if (!isUuid(sessionId) || !secret) throw new UnauthorizedError('The refresh token is invalid.');
    return { sessionId, secret };
  }

  /**
   * Rotates the refresh token. Only the session's current secret rotates it; a secret rotated away before
   * (kept in spent_refresh_tokens) ends the session (token theft); any other secret is refused and changes nothing.
   */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const { sessionId, secret } = this.parseRefresh(refreshToken);
    const outcome = await this.db.system(async (em) => {
      const session = await em.findOne(SessionEntity, {
        where: { id: sessionId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!session || session.revokedAt || session.expiresAt < new Date()) return 'ended' as const;
      const hash = sha256(secret);
      if (!sameHash(session.refreshTokenHash, hash)) {
        const spent = await em.findOneBy(SpentRefreshTokenEntity, { tokenHash: hash, sessionId });
        if (!spent) return 'invalid' as const;
        // A spent token presented again: someone else may hold the session. End it (committed, then refuse).
        await em.update(SessionEntity, { id: sessionId }, { revokedAt: new Date() });
        await this.audit.record(em, null, {
          action: 'auth.refresh_reuse_detected',
          entityType: 'session',
          entityId: sessionId,
          actorUserId: session.userId,
        });
        return 'reused' as const;
      }
      const next = randomToken();
      await em.insert(SpentRefreshTokenEntity, { tokenHash: hash, sessionId, spentAt: new Date() });
      await em.update(SessionEntity, { id: sessionId }, { refreshTokenHash: sha256(next) });
      return this.tokens(session.userId, sessionId, next);
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
        const session = await em.findOneBy(SessionEntity, { id: presented.sessionId, userId });
        const known =
          session &&
          (sameHash(session.refreshTokenHash, hash) ||
            (await em.existsBy(SpentRefreshTokenEntity, { tokenHash: hash, sessionId: session.id })));
        if (!known) return false;
      }
      if (id) await em.update(SessionEntity, { id, userId }, { revokedAt: new Date() });
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

  async me(userId: string) {
    return this.db.system(async (em) => {
      const user = await em.findOneByOrFail(UserEntity, { id: userId });
      const organizations: { id: string; name: string; role: OrgRole }[] = await em.query(
        `SELECT o.id, o.name, m.role FROM memberships m JOIN organizations o ON o.id = m.tenant_id WHERE m.user_id = $1 ORDER BY o.name`,
        [userId],
      );
      const bodies: { id: string; name: string; role: string }[] = await em.query(
        `SELECT b.id, b.name, m.role FROM certification_body_members m JOIN certification_bodies b ON b.id = m.body_id WHERE m.user_id = $1 ORDER BY b.name`,
        [userId],
      );
      return { ...publicUser(user), organizations, certificationBodies: bodies };
    });
  }

  /** Creates or promotes the platform administrator named by HALVE_ADMIN_EMAIL / HALVE_ADMIN_PASSWORD. */
  async ensurePlatformAdmin(email: string, password: string): Promise<void> {
    const passwordHash = await hashPassword(password);
    await this.db.system(async (em) => {
      const user = await em
        .getRepository(UserEntity)
        .createQueryBuilder('u')
        .where('lower(u.email) = :email', { email: email.toLowerCase() })
        .getOne();
      if (user) {
        if (!user.isPlatformAdmin || !(await verifyPassword(user.passwordHash, password))) {
          // Whoever held the account before (e.g. someone who signed up with this address) loses its sessions.
          await em.update(
            UserEntity,
            { id: user.id },
            { isPlatformAdmin: true, passwordHash, emailVerifiedAt: user.emailVerifiedAt ?? new Date() },
          );
          await endSessions(em, user.id);
          await this.audit.record(em, null, {
            action: 'user.made_platform_admin',
            entityType: 'user',
            entityId: user.id,
            actorUserId: null,
          });
        }
        return;
      }
      const id = randomUUID();
      // The operator configured this address: verified.
      await em.insert(UserEntity, {
        id,
        email: email.toLowerCase(),
        name: 'Platform administrator',
        passwordHash,
        isPlatformAdmin: true,
        emailVerifiedAt: new Date(),
      });
      await this.audit.record(em, null, {
        action: 'user.made_platform_admin',
        entityType: 'user',
        entityId: id,
        actorUserId: null,
      });
    });
  }
}

/** Ends every live session of a user (a new password, a changed role). */
async function endSessions(em: EntityManager, userId: string): Promise<void> {
  await em
    .createQueryBuilder()
    .update(SessionEntity)
    .set({ revokedAt: new Date() })
    .where('user_id = :id AND revoked_at IS NULL', { id: userId })
    .execute();
}
