import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { OrgRole } from '../context/request-context';

/** A person who can log in. Global: one user may belong to several organisations and bodies. */
@Entity('users')
export class UserEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text') email: string;
  @Column('text') name: string;
  @Column('text') passwordHash: string;
  @Column('boolean', { default: false }) isPlatformAdmin: boolean;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
  /** When the user proved they receive mail at `email` (a verification or reset token); null: holds only what it created. */
  @Column('timestamptz', { nullable: true }) emailVerifiedAt: Date | null;
}

/** An organisation is a tenant: its id is the tenant id of everything it owns. */
@Entity('organizations')
export class OrganizationEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('char', { length: 2 }) country: string;
  @Column('text', { nullable: true }) gridRegion: string | null;
  @Column('text') timezone: string;
  @Column('char', { length: 3 }) currency: string;
  @Column('text', { nullable: true }) sector: string | null;
  @Column('int', { nullable: true }) baseYear: number | null;
  @Column('int', { default: 1 }) fiscalYearStartMonth: number;
  @Column('int', { nullable: true }) employees: number | null;
  @Column('numeric', { nullable: true }) annualRevenue: string | null;
  @Column('uuid', { nullable: true }) certificationBodyId: string | null;
  @Column('boolean', { default: false }) isDemo: boolean;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
}

@Entity('memberships')
export class MembershipEntity {
  @PrimaryColumn('uuid') tenantId: string;
  @PrimaryColumn('uuid') userId: string;
  @Column('text') role: OrgRole;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
}

@Entity('invitations')
export class InvitationEntity {
  @PrimaryColumn('uuid') tenantId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('text') email: string;
  @Column('text') role: OrgRole;
  @Column('text') tokenHash: string;
  @Column('uuid') invitedBy: string;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz') expiresAt: Date;
  @Column('timestamptz', { nullable: true }) acceptedAt: Date | null;
  @Column('uuid', { nullable: true }) acceptedBy: string | null;
  @Column('timestamptz', { nullable: true }) revokedAt: Date | null;
}

@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryColumn('uuid') tenantId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text') prefix: string;
  @Column('text') keyHash: string;
  @Column('text', { array: true }) scopes: string[];
  @Column('uuid') createdBy: string;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { nullable: true }) revokedAt: Date | null;
  @Column('timestamptz', { nullable: true }) lastUsedAt: Date | null;
}

/** A log-in: the refresh token's hash, rotated on every refresh; revoked at log-out. */
@Entity('sessions')
export class SessionEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') userId: string;
  @Column('text') refreshTokenHash: string;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz') expiresAt: Date;
  @Column('timestamptz', { nullable: true }) revokedAt: Date | null;
}

/** The hash of a refresh-token secret rotated away: presenting it again is reuse (migration 1764300800000). */
@Entity('spent_refresh_tokens')
export class SpentRefreshTokenEntity {
  @PrimaryColumn('text') tokenHash: string;
  @Column('uuid') sessionId: string;
  @Column('timestamptz', { default: () => 'now()' }) spentAt: Date;
}

/** Failed log-ins of one e-mail address and its lockout (migration 1764300800000, auth/login-lockout.ts). */
@Entity('login_lockouts')
export class LoginLockoutEntity {
  @PrimaryColumn('text') email: string;
  @Column('integer') failures: number;
  @Column('timestamptz') windowStartedAt: Date;
  @Column('timestamptz', { nullable: true }) lockedUntil: Date | null;
  @Column('integer', { default: 0 }) lockouts: number;
  @Column('timestamptz') lastFailureAt: Date;
}

@Entity('audit_events')
export class AuditEventEntity {
  @PrimaryColumn('uuid') tenantId: string;
  @PrimaryColumn('bigint') seq: string;
  @Column('uuid') id: string;
  @Column('uuid', { nullable: true }) actorUserId: string | null;
  @Column('uuid', { nullable: true }) actorApiKeyId: string | null;
  @Column('text') action: string;
  @Column('text') entityType: string;
  @Column('text', { nullable: true }) entityId: string | null;
  @Column('timestamptz') at: Date;
  @Column('jsonb', { default: () => "'{}'::jsonb" }) summary: Record<string, unknown>;
  @Column('text') prevHash: string;
  @Column('text') hash: string;
}

@Entity('jobs')
export class JobEntity {
  @PrimaryColumn('uuid') tenantId: string;
  @PrimaryColumn('text') id: string;
  @Column('text') type: string;
  @Column('text') status: 'queued' | 'running' | 'succeeded' | 'failed';
  @Column('int', { default: 0 }) progress: number;
  @Column('int', { default: 0 }) attempts: number;
  @Column('int', { default: 1 }) maxAttempts: number;
  @Column('jsonb', { default: () => "'{}'::jsonb" }) payload: Record<string, unknown>;
  @Column('jsonb', { nullable: true }) result: unknown;
  @Column('text', { nullable: true }) error: string | null;
  @Column('uuid', { nullable: true }) requestedBy: string | null;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { default: () => 'now()' }) updatedAt: Date;
  @Column('timestamptz', { nullable: true }) startedAt: Date | null;
  @Column('timestamptz', { nullable: true }) finishedAt: Date | null;
  /** A queued job may run from then on (a retry's backoff). */
  @Column('timestamptz', { default: () => 'now()' }) availableAt: Date;
  /** When a dispatcher last handed it to a queue. */
  @Column('timestamptz', { nullable: true }) dispatchedAt: Date | null;
  /** The process running it, and until when its heartbeat holds it. */
  @Column('text', { nullable: true }) leaseOwner: string | null;
  @Column('timestamptz', { nullable: true }) leaseUntil: Date | null;
}

@Entity('certification_bodies')
export class CertificationBodyEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text', { array: true }) claimTypes: string[];
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
}

@Entity('certification_body_members')
export class CertificationBodyMemberEntity {
  @PrimaryColumn('uuid') bodyId: string;
  @PrimaryColumn('uuid') userId: string;
  @Column('text') role: 'certifier' | 'lead_certifier';
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
}

/** A certifier invited by e-mail; accepted only with the e-mailed token, by a verified account of that address. */
@Entity('certification_body_invitations')
export class CertificationBodyInvitationEntity {
  @PrimaryColumn('uuid') bodyId: string;
  @PrimaryColumn('text') email: string;
  @Column('text') role: 'certifier' | 'lead_certifier';
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { nullable: true }) acceptedAt: Date | null;
  /** SHA-256 of the e-mailed token (null: an invitation from before tokens, which cannot be accepted). */
  @Column('text', { nullable: true }) tokenHash: string | null;
  @Column('timestamptz', { nullable: true }) expiresAt: Date | null;
  @Column('uuid', { nullable: true }) acceptedBy: string | null;
}

export const PLATFORM_ENTITIES = [
  UserEntity,
  OrganizationEntity,
  MembershipEntity,
  InvitationEntity,
  ApiKeyEntity,
  SessionEntity,
  SpentRefreshTokenEntity,
  LoginLockoutEntity,
  AuditEventEntity,
  JobEntity,
  CertificationBodyEntity,
  CertificationBodyMemberEntity,
  CertificationBodyInvitationEntity,
];
