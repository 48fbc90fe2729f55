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
  UserEntity,
} from '../entities/platform.entities';
import { BadInputError, ConflictError, UnauthorizedError } from '../errors/problems';
import { AccessTokenClaims, isUuid } from './access.guard';
import { SignupDto } from './auth.dto';
import { countryDefaults } from './countries';
import { hashPassword, randomToken, sameHash, sha256, verifyPassword } from './crypto';

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

export function publicUser(u: UserEntity): { id: string; email: string; name: string; isPlatformAdmin: boolean } {
  return { id: u.id, email: u.email, name: u.name, isPlatformAdmin: u.isPlatformAdmin };
}

/** Sign-up, log-in, refresh-token rotation and log-out. Passwords are hashed with Argon2id. */
@Injectable()
export class AuthService {
  // A real hash to compare against when the e-mail is unknown, so timing does not reveal accounts.
  private readonly dummyHash = hashPassword(randomToken());

  constructor(
    private readonly db: Db,
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async signup(dto: SignupDto) {
    const email = dto.email.trim().toLowerCase();
    const passwordHash = await hashPassword(dto.password);
    return this.db.system(async (em) => {
      const existing = await em.query('SELECT 1 FROM users WHERE lower(email) = $1', [email]);
      if (existing.length) throw new ConflictError('An account with this e-mail already exists; log in instead.', 'email_taken');
      const user = em.create(UserEntity, { id: randomUUID(), email, name: dto.name.trim(), passwordHash, isPlatformAdmin: false });
      await em.insert(UserEntity, user);
      await this.audit.record(em, null, { action: 'user.signed_up', entityType: 'user', entityId: user.id, actorUserId: user.id, summary: { email } });

      let organization: OrganizationEntity;
      let role: OrgRole = 'owner';
      if (dto.invitationToken) {
        const invitation = await this.acceptInvitationIn(em, dto.invitationToken, user);
        organization = await em.findOneByOrFail(OrganizationEntity, { id: invitation.tenantId });
        role = invitation.role;
      } else {
        const missing = (['organizationName', 'country', 'timezone'] as const).filter((f) => !dto[f]);
        if (missing.length) {
          throw new BadInputError(`Sign-up needs ${missing.join(', ')} (or an invitationToken).`, missing.map((field) => ({ field, message: 'is required' })));
        }
        organization = await this.createOrganizationIn(em, user.id, {
          name: dto.organizationName!,
          country: dto.country!,
          timezone: dto.timezone!,
        });
      }
      await this.acceptBodyInvitationsIn(em, user);
      const tokens = await this.issueTokensIn(em, user.id);
      return { user: publicUser(user), organization, role, ...tokens };
    });
  }

  /** Creates an organisation with `ownerId` as its owner, in the caller's (system) transaction. */
  async createOrganizationIn(em: EntityManager, ownerId: string, input: NewOrganization): Promise<OrganizationEntity> {
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

  async acceptInvitationIn(em: EntityManager, token: string, user: UserEntity): Promise<InvitationEntity> {
    const invitation = await em.findOneBy(InvitationEntity, { tokenHash: sha256(token) });
    if (!invitation || invitation.acceptedAt || invitation.revokedAt || invitation.expiresAt < new Date()) {
      throw new BadInputError('The invitation is invalid, used or expired; ask for a new one.', [{ field: 'invitationToken', message: 'invalid or expired' }]);
    }
    if (invitation.email.toLowerCase() !== user.email.toLowerCase()) {
      throw new BadInputError(`The invitation was sent to ${invitation.email}; log in with that address to accept it.`, [
        { field: 'invitationToken', message: 'addressed to another e-mail' },
      ]);
    }
    const member = await em.findOneBy(MembershipEntity, { tenantId: invitation.tenantId, userId: user.id });
    if (!member) await em.insert(MembershipEntity, { tenantId: invitation.tenantId, userId: user.id, role: invitation.role });
    await em.update(InvitationEntity, { tenantId: invitation.tenantId, id: invitation.id }, { acceptedAt: new Date(), acceptedBy: user.id });
    await this.audit.record(em, invitation.tenantId, {
      action: 'invitation.accepted',
      entityType: 'membership',
      entityId: user.id,
      actorUserId: user.id,
      summary: { invitationId: invitation.id, after: { role: member?.role ?? invitation.role } },
    });
    return invitation;
  }

  /** A new user whose e-mail a certification body invited becomes its member on sign-up. */
  private async acceptBodyInvitationsIn(em: EntityManager, user: UserEntity): Promise<void> {
    const invitations = await em
      .getRepository(CertificationBodyInvitationEntity)
      .createQueryBuilder('i')
      .where('lower(i.email) = :email AND i.accepted_at IS NULL', { email: user.email.toLowerCase() })
      .getMany();
    for (const inv of invitations) {
      await em.insert(CertificationBodyMemberEntity, { bodyId: inv.bodyId, userId: user.id, role: inv.role });
      await em.update(CertificationBodyInvitationEntity, { bodyId: inv.bodyId, email: inv.email }, { acceptedAt: new Date() });
      await this.audit.record(em, null, {
        action: 'certification_body.member_joined',
        entityType: 'certification_body',
        entityId: inv.bodyId,
        actorUserId: user.id,
        summary: { userId: user.id, role: inv.role },
      });
    }
  }

  async login(emailRaw: string, password: string): Promise<TokenPair> {
    const email = emailRaw.trim().toLowerCase();
    const outcome = await this.db.system(async (em) => {
      const user = await em.getRepository(UserEntity).createQueryBuilder('u').where('lower(u.email) = :email', { email }).getOne();
      const ok = user ? await verifyPassword(user.passwordHash, password) : (await verifyPassword(await this.dummyHash, password), false);
      if (!user || !ok) {
        await this.audit.record(em, null, { action: 'auth.login_failed', entityType: 'user', entityId: user?.id ?? null, actorUserId: null, summary: { email } });
        return null;
      }
      await this.audit.record(em, null, { action: 'auth.logged_in', entityType: 'user', entityId: user.id, actorUserId: user.id });
      return this.issueTokensIn(em, user.id);
    });
    // The failed attempt is audited (committed above); only then is the caller refused.
    if (!outcome) throw new UnauthorizedError('The e-mail or password is wrong.');
    return outcome;
  }

  async issueTokensIn(em: EntityManager, userId: string): Promise<TokenPair> {
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

  private async tokens(userId: string, sessionId: string, secret: string): Promise<TokenPair> {
    const claims: AccessTokenClaims = { sub: userId, sid: sessionId, typ: 'access' };
    const accessToken = await this.jwt.signAsync(claims, { secret: this.config.jwtSecret, expiresIn: this.config.accessTokenTtlSeconds });
    return { accessToken, refreshToken: `${sessionId}.${secret}`, tokenType: 'Bearer', expiresIn: this.config.accessTokenTtlSeconds };
  }

  private parseRefresh(token: string): { sessionId: string; secret: string } {
    const [sessionId, secret] = token.split('.');
    if (!isUuid(sessionId) || !secret) throw new UnauthorizedError('The refresh token is invalid.');
    return { sessionId, secret };
  }

  /** Rotates the refresh token. Presenting an already-rotated token ends the session (token theft). */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const { sessionId, secret } = this.parseRefresh(refreshToken);
    const outcome = await this.db.system(async (em) => {
      const session = await em.findOne(SessionEntity, { where: { id: sessionId }, lock: { mode: 'pessimistic_write' } });
      if (!session || session.revokedAt || session.expiresAt < new Date()) return 'ended' as const;
      if (!sameHash(session.refreshTokenHash, sha256(secret))) {
        // A spent token presented again: someone else may hold the session. End it (committed, then refuse).
        await em.update(SessionEntity, { id: sessionId }, { revokedAt: new Date() });
        await this.audit.record(em, null, { action: 'auth.refresh_reuse_detected', entityType: 'session', entityId: sessionId, actorUserId: session.userId });
        return 'reused' as const;
      }
      const next = randomToken();
      await em.update(SessionEntity, { id: sessionId }, { refreshTokenHash: sha256(next) });
      return this.tokens(session.userId, sessionId, next);
    });
    if (outcome === 'ended') throw new UnauthorizedError('The session has ended; log in again.');
    if (outcome === 'reused') throw new UnauthorizedError('This refresh token was already used; the session has been ended for safety. Log in again.');
    return outcome;
  }

  async logout(userId: string, refreshToken?: string, sessionId?: string): Promise<void> {
    const id = refreshToken ? this.parseRefresh(refreshToken).sessionId : sessionId;
    await this.db.system(async (em) => {
      if (id) await em.update(SessionEntity, { id, userId }, { revokedAt: new Date() });
      await this.audit.record(em, null, { action: 'auth.logged_out', entityType: 'session', entityId: id ?? null, actorUserId: userId });
    });
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
      const user = await em.getRepository(UserEntity).createQueryBuilder('u').where('lower(u.email) = :email', { email: email.toLowerCase() }).getOne();
      if (user) {
        if (!user.isPlatformAdmin || !(await verifyPassword(user.passwordHash, password))) {
          await em.update(UserEntity, { id: user.id }, { isPlatformAdmin: true, passwordHash });
          await this.audit.record(em, null, { action: 'user.made_platform_admin', entityType: 'user', entityId: user.id, actorUserId: null });
        }
        return;
      }
      const id = randomUUID();
      await em.insert(UserEntity, { id, email: email.toLowerCase(), name: 'Platform administrator', passwordHash, isPlatformAdmin: true });
      await this.audit.record(em, null, { action: 'user.made_platform_admin', entityType: 'user', entityId: id, actorUserId: null });
    });
  }
}
