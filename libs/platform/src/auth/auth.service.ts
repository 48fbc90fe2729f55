import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { APP_CONFIG, AppConfig } from '../config/config';
import { OrgRole } from '../context/request-context';
import { Db } from '../database/tenant-db';
import { InvitationEntity, OrganizationEntity, UserEntity } from '../entities/platform.entities';
import { BadInputError, UnauthorizedError } from '../errors/problems';
import { MAILER, Mailer } from '../notifications/mailer';
import { InvitationsRepository } from '../orgs/invitations.repository';
import { invitationRefusal } from '../orgs/invitations';
import { NewOrganization, newOrganizationRow } from '../orgs/org-rules';
import { OrgsRepository } from '../orgs/orgs.repository';
import {
  EmailUnverifiedError,
  addressOf,
  isUnclaimed,
  normalizeEmail,
  publicUser,
  resetPasswordError,
  signupFieldsError,
  storedEmail,
} from './accounts';
import { addressTakenMail, passwordResetMail, verificationMail } from './auth-mail';
import { SignupDto } from './auth.dto';
import { hashPassword, randomToken, sha256, verifyPassword } from './crypto';
import {
  EmailTokenPurpose,
  emailTokenClaimsFor,
  emailTokenFits,
  readEmailToken,
  signEmailToken,
} from './email-token';
import { ACCOUNT_POLICY, AccountLockedError, PAIR_POLICY, lockScope, pairKey } from './login-lockout';
import { LoginLockoutsRepository } from './login-lockouts.repository';
import { isDeviceOf } from './session-cookie';
import { SessionTokens, TokenPair } from './session-tokens.service';
import { SessionsRepository } from './sessions.repository';
import { UsersRepository } from './users.repository';

// Moved to accounts.ts, orgs/org-rules.ts and session-tokens.service.ts; still exported from here (the
// library's index exports this file), where they were first.
export { EmailUnverifiedError, UNCLAIMED_MARK, addressOf, isUnclaimed, publicUser } from './accounts';
export type { NewOrganization } from '../orgs/org-rules';
export type { TokenPair } from './session-tokens.service';

/** What accepting an invitation made the user: a member of an organisation or of a certification body. */
type InvitationAccepted =
  | { kind: 'organization'; organizationId: string; role: OrgRole }
  | { kind: 'certification_body'; bodyId: string; role: string };

/**
 * Sign-up, log-in, refresh-token rotation and log-out. Passwords are hashed with Argon2id. Every transaction
 * here is a `Db.system` one (users, sessions and lockouts are looked up across organisations, ADR 0010);
 * the repositories run their queries in it.
 */
@Injectable()
export class AuthService {
  // A real hash to compare against when the e-mail is unknown, so timing does not reveal accounts.
  private readonly dummyHash = hashPassword(randomToken());

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MAILER) private readonly mailer: Mailer,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly tokens: SessionTokens,
    private readonly lockouts: LoginLockoutsRepository,
    private readonly orgs: OrgsRepository,
    private readonly invitations: InvitationsRepository,
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
    const email = normalizeEmail(dto.email);
    const passwordHash = await hashPassword(dto.password);
    const missing = signupFieldsError(dto);
    if (missing) throw missing;
    const outcome = await this.db.system(async (em) => {
      // The invitation is checked (valid, addressed to this e-mail) before the address is looked up, so the
      // answer to a bad invitation does not depend on whether the address has an account.
      const invitation = dto.invitationToken
        ? await this.invitationFor(em, dto.invitationToken, email)
        : null;
      const { user, taken } = await this.createUserIn(em, email, dto.name.trim(), passwordHash);
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
    if (outcome.taken) await this.mailer.send(addressTakenMail(email, this.config.publicUrl));
    else await this.sendVerification(outcome.user);
    return {
      user: publicUser(outcome.user),
      organization: outcome.organization,
      role: outcome.organization ? ('owner' as OrgRole) : null,
      ...pending,
      ...outcome.tokens,
    };
  }

  /** Inserts a sign-up's user: unclaimed when the address already has an account (see signup). Audited. */
  private async createUserIn(em: EntityManager, email: string, name: string, passwordHash: string) {
    const existing = await this.users.holdersOf(em, email);
    const taken = existing.length > 0;
    const id = randomUUID();
    const user = await this.users.insert(em, {
      id,
      email: storedEmail(email, id, taken),
      name,
      passwordHash,
      isPlatformAdmin: false,
      emailVerifiedAt: null,
    });
    await this.audit.record(
      em,
      null,
      taken
        ? {
            action: 'user.signup_address_taken',
            entityType: 'user',
            entityId: existing[0].id,
            actorUserId: null,
            summary: { unclaimedUserId: id },
          }
        : {
            action: 'user.signed_up',
            entityType: 'user',
            entityId: user.id,
            actorUserId: user.id,
            summary: { email },
          },
    );
    return { user, taken };
  }

  /** Creates an organisation with `ownerId` as its owner, in the caller's (system) transaction. */
  async createOrganizationIn(
    em: EntityManager,
    ownerId: string,
    input: NewOrganization,
  ): Promise<OrganizationEntity> {
    const organization = await this.orgs.insert(em, newOrganizationRow(randomUUID(), input));
    await this.orgs.addMember(em, organization.id, ownerId, 'owner');
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
    const invitation = await this.invitations.byTokenHash(em, sha256(token));
    const refusal = invitationRefusal(invitation, email, 'invitationToken', new Date());
    if (refusal) throw refusal;
    return invitation!;
  }

  /**
   * Accepts an organisation invitation or a certification-body invitation by its e-mailed token, for a
   * user whose verified address is the one it was sent to.
   */
  async acceptInvitationIn(em: EntityManager, token: string, user: UserEntity): Promise<InvitationAccepted> {
    const bodyInvitation = await this.invitations.bodyInvitationByTokenHash(em, sha256(token));
    if (bodyInvitation) {
      const refusal = invitationRefusal(bodyInvitation, addressOf(user), 'token', new Date());
      if (refusal) throw refusal;
      if (!user.emailVerifiedAt) throw new EmailUnverifiedError();
      await this.invitations.joinBody(em, bodyInvitation, user.id);
      await this.invitations.markBodyInvitationAccepted(em, bodyInvitation, user.id);
      await this.audit.record(em, null, {
        action: 'certification_body.member_joined',
        entityType: 'certification_body',
        entityId: bodyInvitation.bodyId,
        actorUserId: user.id,
        summary: { userId: user.id, role: bodyInvitation.role },
      });
      return { kind: 'certification_body', bodyId: bodyInvitation.bodyId, role: bodyInvitation.role };
    }
    const invitation = await this.invitationFor(em, token, addressOf(user));
    if (!user.emailVerifiedAt) throw new EmailUnverifiedError();
    const member = await this.orgs.membership(em, invitation.tenantId, user.id);
    if (!member) await this.orgs.addMember(em, invitation.tenantId, user.id, invitation.role);
    await this.invitations.markAccepted(em, invitation, user.id);
    const role = member?.role ?? invitation.role;
    await this.audit.record(em, invitation.tenantId, {
      action: 'invitation.accepted',
      entityType: 'membership',
      entityId: user.id,
      actorUserId: user.id,
      summary: { invitationId: invitation.id, after: { role } },
    });
    return { kind: 'organization', organizationId: invitation.tenantId, role };
  }

  // ---- e-mail verification and password reset (tokens e-mailed to the address; email-token.ts) ----

  private emailToken(purpose: EmailTokenPurpose, user: UserEntity): string {
    return signEmailToken(this.config.jwtSecret, emailTokenClaimsFor(purpose, user, Date.now()));
  }

  /** E-mails a verification token to an unverified user (after the user is committed). */
  async sendVerification(user: UserEntity): Promise<void> {
    // An unclaimed account's address belongs to someone else: nothing is sent (the answer stays "sent").
    if (user.emailVerifiedAt || isUnclaimed(user)) return;
    const token = this.emailToken('verify_email', user);
    await this.mailer.send(verificationMail(user.email, token, this.config.publicUrl));
  }

  async resendVerification(userId: string): Promise<{ status: 'sent' | 'already_verified' }> {
    const user = await this.db.system((em) => this.users.byId(em, userId));
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
    const user = await this.users.byIdForUpdate(em, read.claims.u);
    if (!user || !emailTokenFits(read.claims, user)) {
      throw refuse('the link was already used or is no longer valid; ask for a new one');
    }
    return user;
  }

  async verifyEmail(token: string): Promise<{ email: string; emailVerified: true }> {
    return this.db.system(async (em) => {
      const user = await this.tokenUserIn(em, token, 'verify_email');
      await this.users.update(em, user.id, { emailVerifiedAt: new Date() });
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
    const email = normalizeEmail(emailRaw);
    const user = await this.db.system(async (em) => {
      const found = await this.users.byEmail(em, email);
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
      await this.mailer.send(passwordResetMail(user.email, token, this.config.publicUrl));
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
      const refusal = resetPasswordError(password, user.email);
      if (refusal) throw refusal;
      await this.users.update(em, user.id, {
        passwordHash,
        emailVerifiedAt: user.emailVerifiedAt ?? new Date(),
      });
      await this.sessions.endAll(em, user.id);
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
    const email = normalizeEmail(emailRaw);
    const pair = pairKey(email, client.address);
    const trustedDevice = isDeviceOf(this.config, email, client.deviceCookie ?? null);
    const outcome = await this.db.system(async (em) => {
      const locked = Math.max(
        await this.lockouts.lockedForSeconds(em, pair),
        trustedDevice ? 0 : await this.lockouts.lockedForSeconds(em, email),
      );
      if (locked) return { locked };
      const user = await this.users.byEmail(em, email);
      const ok = user
        ? await verifyPassword(user.passwordHash, password)
        : (await verifyPassword(await this.dummyHash, password), false);
      if (!user || !ok) {
        await this.recordLoginFailureIn(em, email, pair, user);
        return null;
      }
      await this.lockouts.clear(em, pair);
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

  /** Counts a failed log-in against the pair and the account, and audits it (and the lock it caused). */
  private async recordLoginFailureIn(
    em: EntityManager,
    email: string,
    pair: string,
    user: UserEntity | null,
  ): Promise<void> {
    const pairLock = await this.lockouts.recordFailure(em, pair, PAIR_POLICY);
    const accountLock = await this.lockouts.recordFailure(em, email, ACCOUNT_POLICY);
    await this.audit.record(em, null, {
      action: 'auth.login_failed',
      entityType: 'user',
      entityId: user?.id ?? null,
      actorUserId: null,
      summary: { email },
    });
    if (!pairLock && !accountLock) return;
    await this.audit.record(em, null, {
      action: 'auth.login_locked',
      entityType: 'user',
      entityId: user?.id ?? null,
      actorUserId: null,
      summary: { email, seconds: Math.max(pairLock, accountLock), scope: lockScope(accountLock) },
    });
  }

  /** Begins a session for the user in the caller's (system) transaction: see SessionTokens. */
  async issueTokensIn(em: EntityManager, userId: string): Promise<TokenPair> {
    return this.tokens.issueIn(em, userId);
  }

  /** Forgets spent refresh secrets whose sessions have ended: see SessionTokens.pruneSpent. */
  async pruneSpentRefreshTokens(em?: EntityManager): Promise<number> {
    return this.tokens.pruneSpent(em);
  }

  /** Rotates the refresh token (a spent one ends its session): see SessionTokens.refresh. */
  async refresh(refreshToken: string): Promise<TokenPair> {
    return this.tokens.refresh(refreshToken);
  }

  /** Ends the session of the refresh token or of the access token: see SessionTokens.logout. */
  async logout(userId: string, refreshToken?: string, sessionId?: string): Promise<void> {
    return this.tokens.logout(userId, refreshToken, sessionId);
  }

  async me(userId: string) {
    return this.db.system(async (em) => {
      const user = await this.users.byId(em, userId);
      const organizations = await this.users.organizationsOf(em, userId);
      const bodies = await this.users.certificationBodiesOf(em, userId);
      return { ...publicUser(user), organizations, certificationBodies: bodies };
    });
  }

  /** Creates or promotes the platform administrator named by HALVE_ADMIN_EMAIL / HALVE_ADMIN_PASSWORD. */
  async ensurePlatformAdmin(email: string, password: string): Promise<void> {
    const passwordHash = await hashPassword(password);
    await this.db.system(async (em) => {
      const user = await this.users.byEmail(em, email.toLowerCase());
      if (user) {
        if (!user.isPlatformAdmin || !(await verifyPassword(user.passwordHash, password))) {
          // Whoever held the account before (e.g. someone who signed up with this address) loses its sessions.
          await this.users.update(em, user.id, {
            isPlatformAdmin: true,
            passwordHash,
            emailVerifiedAt: user.emailVerifiedAt ?? new Date(),
          });
          await this.sessions.endAll(em, user.id);
          await this.auditAdmin(em, user.id);
        }
        return;
      }
      const id = randomUUID();
      // The operator configured this address: verified.
      await this.users.insert(em, {
        id,
        email: email.toLowerCase(),
        name: 'Platform administrator',
        passwordHash,
        isPlatformAdmin: true,
        emailVerifiedAt: new Date(),
      });
      await this.auditAdmin(em, id);
    });
  }

  private async auditAdmin(em: EntityManager, userId: string): Promise<void> {
    await this.audit.record(em, null, {
      action: 'user.made_platform_admin',
      entityType: 'user',
      entityId: userId,
      actorUserId: null,
    });
  }
}
