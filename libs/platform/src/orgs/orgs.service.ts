import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { IsNull } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AuthService } from '../auth/auth.service';
import { randomToken, sha256 } from '../auth/crypto';
import { APP_CONFIG, AppConfig } from '../config/config';
import { OrgRole, RequestContext } from '../context/request-context';
import { Db } from '../database/tenant-db';
import {
  ApiKeyEntity,
  InvitationEntity,
  MembershipEntity,
  OrganizationEntity,
  UserEntity,
} from '../entities/platform.entities';
import { BadInputError, ConflictError, ForbiddenError, NotFoundError } from '../errors/problems';
import { MAILER, Mailer } from '../notifications/mailer';
import { UpdateOrganizationDto } from '../auth/auth.dto';
import { CreateOrganizationDto } from './orgs.dto';

const INVITATION_DAYS = 14;

/** Organisations, their members, invitations and API keys. Tenant data is read under RLS. */
@Injectable()
export class OrgsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly auth: AuthService,
    @Inject(MAILER) private readonly mailer: Mailer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The caller's organisations with their role: a cross-tenant read of the caller's own memberships. */
  async listMine(userId: string) {
    return this.db.system((em) =>
      em.query(
        `SELECT o.id, o.name, o.country, o.timezone, o.currency, o.grid_region AS "gridRegion", o.is_demo AS "isDemo", m.role
           FROM memberships m JOIN organizations o ON o.id = m.tenant_id
          WHERE m.user_id = $1 ORDER BY o.name, o.id`,
        [userId],
      ),
    );
  }

  async create(userId: string, dto: CreateOrganizationDto) {
    const org = await this.db.system((em) => this.auth.createOrganizationIn(em, userId, dto));
    return { ...org, role: 'owner' as OrgRole };
  }

  async get(orgId: string) {
    return this.db.tenant(async (em) => {
      const org = await em.findOneBy(OrganizationEntity, { id: orgId });
      if (!org) throw new NotFoundError('Organization', orgId);
      return { ...org, role: RequestContext.current().role };
    });
  }

  async update(orgId: string, dto: UpdateOrganizationDto) {
    // an empty (or non-object) body: nothing to write, and the database layer refuses an empty update
    if (Object.values(dto ?? {}).every((v) => v === undefined)) {
      throw new BadInputError('Nothing to update: give at least one field.', [
        { field: 'body', message: 'no field given' },
      ]);
    }
    return this.db.tenant(async (em) => {
      const before = await em.findOneBy(OrganizationEntity, { id: orgId });
      if (!before) throw new NotFoundError('Organization', orgId);
      await em.update(OrganizationEntity, { id: orgId }, dto);
      const after = await em.findOneByOrFail(OrganizationEntity, { id: orgId });
      const changed = Object.keys(dto) as (keyof UpdateOrganizationDto)[];
      await this.audit.record(em, orgId, {
        action: 'organization.updated',
        entityType: 'organization',
        entityId: orgId,
        summary: {
          before: Object.fromEntries(changed.map((k) => [k, before[k]])),
          after: Object.fromEntries(changed.map((k) => [k, after[k]])),
        },
      });
      return after;
    });
  }

  // ---- members ----

  async members(orgId: string) {
    return this.db.tenant((em) =>
      em.query(
        // An unclaimed account (auth.service.ts: UNCLAIMED_MARK) shows the address it was signed up with.
        `SELECT m.user_id AS "userId", regexp_replace(u.email, '#unclaimed-[0-9a-f-]{36}$', '') AS email, u.name, m.role, m.created_at AS "createdAt"
           FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.tenant_id = $1 ORDER BY u.name, u.email`,
        [orgId],
      ),
    );
  }

  async changeRole(orgId: string, userId: string, role: OrgRole) {
    const ctx = RequestContext.current();
    return this.db.tenant(async (em) => {
      const member = await em.findOneBy(MembershipEntity, { tenantId: orgId, userId });
      if (!member) throw new NotFoundError('Member', userId);
      if ((role === 'owner' || member.role === 'owner') && ctx.role !== 'owner')
        throw new ForbiddenError('Only an owner can make or unmake owners.');
      if (member.role === 'owner' && role !== 'owner') await this.assertAnotherOwner(orgId, userId);
      await em.update(MembershipEntity, { tenantId: orgId, userId }, { role });
      await this.audit.record(em, orgId, {
        action: 'membership.role_changed',
        entityType: 'membership',
        entityId: userId,
        summary: { before: { role: member.role }, after: { role } },
      });
      return { userId, role };
    });
  }

  async removeMember(orgId: string, userId: string) {
    const ctx = RequestContext.current();
    await this.db.tenant(async (em) => {
      const member = await em.findOneBy(MembershipEntity, { tenantId: orgId, userId });
      if (!member) throw new NotFoundError('Member', userId);
      if (member.role === 'owner' && ctx.role !== 'owner')
        throw new ForbiddenError('Only an owner can remove an owner.');
      if (member.role === 'owner') await this.assertAnotherOwner(orgId, userId);
      await em.delete(MembershipEntity, { tenantId: orgId, userId });
      await this.audit.record(em, orgId, {
        action: 'membership.removed',
        entityType: 'membership',
        entityId: userId,
        summary: { before: { role: member.role } },
      });
    });
  }

  private async assertAnotherOwner(orgId: string, userId: string): Promise<void> {
    const owners = await this.db.tenant((em) =>
      em.countBy(MembershipEntity, { tenantId: orgId, role: 'owner' }),
    );
    if (owners <= 1)
      throw new ConflictError(
        `User ${userId} is the last owner; make someone else an owner first.`,
        'last_owner',
      );
  }

  // ---- invitations ----

  async invite(orgId: string, email: string, role: OrgRole) {
    const ctx = RequestContext.current();
    if (role === 'owner' && ctx.role !== 'owner')
      throw new ForbiddenError('Only an owner can invite another owner.');
    const token = randomToken();
    const normalized = email.trim().toLowerCase();
    const invitation = await this.db.tenant(async (em) => {
      const existing: unknown[] = await em.query(
        `SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id WHERE lower(u.email) = $1`,
        [normalized],
      );
      if (existing.length)
        throw new ConflictError(`${normalized} is already a member of this organisation.`, 'already_member');
      const row = em.create(InvitationEntity, {
        tenantId: orgId,
        id: randomUUID(),
        email: normalized,
        role,
        tokenHash: sha256(token),
        invitedBy: ctx.userId!,
        expiresAt: new Date(Date.now() + INVITATION_DAYS * 86400_000),
        acceptedAt: null,
        acceptedBy: null,
        revokedAt: null,
      });
      await em.insert(InvitationEntity, row);
      await this.audit.record(em, orgId, {
        action: 'invitation.created',
        entityType: 'invitation',
        entityId: row.id,
        summary: { after: { email: normalized, role } },
      });
      return row;
    });
    const org = await this.get(orgId);
    await this.mailer.send({
      to: normalized,
      subject: `You are invited to ${org.name} on Halve`,
      text: `Accept at ${this.config.publicUrl}/invitations/accept?token=${token} (valid ${INVITATION_DAYS} days), logged in with ${normalized} and with the address confirmed; new to Halve? Sign up at ${this.config.publicUrl}/signup?invitation=${token} first.`,
    });
    return { ...this.invitationView(invitation), token };
  }

  private invitationView(i: InvitationEntity) {
    const status = i.acceptedAt
      ? 'accepted'
      : i.revokedAt
        ? 'revoked'
        : i.expiresAt < new Date()
          ? 'expired'
          : 'pending';
    return { id: i.id, email: i.email, role: i.role, status, createdAt: i.createdAt, expiresAt: i.expiresAt };
  }

  async invitations(orgId: string) {
    const rows = await this.db.tenant((em) =>
      em.find(InvitationEntity, { where: { tenantId: orgId }, order: { createdAt: 'DESC' } }),
    );
    return rows.map((r) => this.invitationView(r));
  }

  async revokeInvitation(orgId: string, id: string) {
    await this.db.tenant(async (em) => {
      const inv = await em.findOneBy(InvitationEntity, { tenantId: orgId, id });
      if (!inv) throw new NotFoundError('Invitation', id);
      if (inv.acceptedAt)
        throw new ConflictError('The invitation was already accepted; remove the member instead.');
      await em.update(InvitationEntity, { tenantId: orgId, id }, { revokedAt: new Date() });
      await this.audit.record(em, orgId, {
        action: 'invitation.revoked',
        entityType: 'invitation',
        entityId: id,
      });
    });
  }

  async acceptInvitation(userId: string, token: string) {
    return this.db.system(async (em) => {
      const user = await em.findOneByOrFail(UserEntity, { id: userId });
      // An organisation's or a certification body's invitation, by the token e-mailed to a verified address.
      return this.auth.acceptInvitationIn(em, token, user);
    });
  }

  // ---- API keys ----

  async createApiKey(orgId: string, name: string, scopes: string[]) {
    const prefix = randomToken(12)
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(0, 12)
      .padEnd(12, '0');
    const key = `hlv_${prefix}_${randomToken(32)}`;
    const row = await this.db.tenant(async (em) => {
      const entity = em.create(ApiKeyEntity, {
        tenantId: orgId,
        id: randomUUID(),
        name,
        prefix,
        keyHash: sha256(key),
        scopes,
        createdBy: RequestContext.userId(),
        revokedAt: null,
        lastUsedAt: null,
      });
      await em.insert(ApiKeyEntity, entity);
      await this.audit.record(em, orgId, {
        action: 'api_key.created',
        entityType: 'api_key',
        entityId: entity.id,
        summary: { after: { name, scopes, prefix } },
      });
      return entity;
    });
    return { ...this.keyView(row), key };
  }

  private keyView(k: ApiKeyEntity) {
    return {
      id: k.id,
      name: k.name,
      prefix: k.prefix,
      scopes: k.scopes,
      createdAt: k.createdAt,
      lastUsedAt: k.lastUsedAt,
      revokedAt: k.revokedAt,
    };
  }

  async apiKeys(orgId: string) {
    const rows = await this.db.tenant((em) =>
      em.find(ApiKeyEntity, { where: { tenantId: orgId }, order: { createdAt: 'DESC' } }),
    );
    return rows.map((k) => this.keyView(k));
  }

  async revokeApiKey(orgId: string, id: string) {
    await this.db.tenant(async (em) => {
      const key = await em.findOneBy(ApiKeyEntity, { tenantId: orgId, id, revokedAt: IsNull() });
      if (!key) throw new NotFoundError('API key', id);
      await em.update(ApiKeyEntity, { tenantId: orgId, id }, { revokedAt: new Date() });
      await this.audit.record(em, orgId, {
        action: 'api_key.revoked',
        entityType: 'api_key',
        entityId: id,
        summary: { before: { name: key.name } },
      });
    });
  }
}
