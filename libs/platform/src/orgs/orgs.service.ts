import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { AuthService } from '../auth/auth.service';
import { randomToken, sha256 } from '../auth/crypto';
import { APP_CONFIG, AppConfig } from '../config/config';
import { OrgRole, RequestContext } from '../context/request-context';
import { Db } from '../database/tenant-db';
import { BadInputError, ConflictError, NotFoundError } from '../errors/problems';
import { MAILER, Mailer } from '../notifications/mailer';
import { UsersRepository } from '../auth/users.repository';
import { UpdateOrganizationDto } from '../auth/auth.dto';
import { ApiKeysRepository } from './api-keys.repository';
import { InvitationsRepository } from './invitations.repository';
import { invitationExpiresAt, invitationMail, invitationView } from './invitations';
import {
  apiKeyOf,
  apiKeyPrefix,
  apiKeyView,
  changeSummary,
  inviteRefusal,
  isEmptyUpdate,
  lastOwnerRefusal,
  removalRefusal,
  removesAnOwner,
  roleChangeRefusal,
} from './org-rules';
import { CreateOrganizationDto } from './orgs.dto';
import { OrgsRepository } from './orgs.repository';

/**
 * Organisations, their members, invitations and API keys. Tenant data is read under RLS (`Db.tenant`); the
 * caller's own memberships across organisations, a new organisation and accepting an invitation (the invitee
 * is not yet a member) use `Db.system`. The rules are org-rules.ts and invitations.ts; the queries, the
 * repositories.
 */
@Injectable()
export class OrgsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly auth: AuthService,
    @Inject(MAILER) private readonly mailer: Mailer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly orgs: OrgsRepository,
    private readonly invitationRows: InvitationsRepository,
    private readonly keys: ApiKeysRepository,
    private readonly users: UsersRepository,
  ) {}

  /** The caller's organisations with their role: a cross-tenant read of the caller's own memberships. */
  async listMine(userId: string) {
    return this.db.system((em) => this.orgs.mine(em, userId));
  }

  async create(userId: string, dto: CreateOrganizationDto) {
    const org = await this.db.system((em) => this.auth.createOrganizationIn(em, userId, dto));
    return { ...org, role: 'owner' as OrgRole };
  }

  async get(orgId: string) {
    return this.db.tenant(async (em) => {
      const org = await this.orgs.byId(em, orgId);
      if (!org) throw new NotFoundError('Organization', orgId);
      return { ...org, role: RequestContext.current().role };
    });
  }

  async update(orgId: string, dto: UpdateOrganizationDto) {
    // an empty (or non-object) body: nothing to write, and the database layer refuses an empty update
    if (isEmptyUpdate(dto)) {
      throw new BadInputError('Nothing to update: give at least one field.', [
        { field: 'body', message: 'no field given' },
      ]);
    }
    return this.db.tenant(async (em) => {
      const before = await this.orgs.byId(em, orgId);
      if (!before) throw new NotFoundError('Organization', orgId);
      const after = await this.orgs.update(em, orgId, dto);
      const changed = Object.keys(dto) as (keyof UpdateOrganizationDto)[];
      await this.audit.record(em, orgId, {
        action: 'organization.updated',
        entityType: 'organization',
        entityId: orgId,
        summary: changeSummary(before, after, changed),
      });
      return after;
    });
  }

  // ---- members ----

  async members(orgId: string) {
    return this.db.tenant((em) => this.orgs.members(em, orgId));
  }

  async changeRole(orgId: string, userId: string, role: OrgRole) {
    const ctx = RequestContext.current();
    return this.db.tenant(async (em) => {
      const member = await this.orgs.membership(em, orgId, userId);
      if (!member) throw new NotFoundError('Member', userId);
      const refusal = roleChangeRefusal(ctx.role, member.role, role);
      if (refusal) throw refusal;
      if (removesAnOwner(member.role, role)) await this.assertAnotherOwner(orgId, userId);
      await this.orgs.setRole(em, orgId, userId, role);
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
      const member = await this.orgs.membership(em, orgId, userId);
      if (!member) throw new NotFoundError('Member', userId);
      const refusal = removalRefusal(ctx.role, member.role);
      if (refusal) throw refusal;
      if (removesAnOwner(member.role, null)) await this.assertAnotherOwner(orgId, userId);
      await this.orgs.removeMember(em, orgId, userId);
      await this.audit.record(em, orgId, {
        action: 'membership.removed',
        entityType: 'membership',
        entityId: userId,
        summary: { before: { role: member.role } },
      });
    });
  }

  /** Inside the caller's tenant transaction (Db.tenant joins it). */
  private async assertAnotherOwner(orgId: string, userId: string): Promise<void> {
    const owners = await this.db.tenant((em) => this.orgs.countOwners(em, orgId));
    const refusal = lastOwnerRefusal(owners, userId);
    if (refusal) throw refusal;
  }

  // ---- invitations ----

  async invite(orgId: string, email: string, role: OrgRole) {
    const ctx = RequestContext.current();
    const refusal = inviteRefusal(ctx.role, role);
    if (refusal) throw refusal;
    const token = randomToken();
    const normalized = email.trim().toLowerCase();
    const invitation = await this.db.tenant(async (em) => {
      if (await this.orgs.hasMemberWithEmail(em, normalized))
        throw new ConflictError(`${normalized} is already a member of this organisation.`, 'already_member');
      const row = await this.invitationRows.insert(em, {
        tenantId: orgId,
        id: randomUUID(),
        email: normalized,
        role,
        tokenHash: sha256(token),
        invitedBy: ctx.userId!,
        expiresAt: invitationExpiresAt(Date.now()),
        acceptedAt: null,
        acceptedBy: null,
        revokedAt: null,
      });
      await this.audit.record(em, orgId, {
        action: 'invitation.created',
        entityType: 'invitation',
        entityId: row.id,
        summary: { after: { email: normalized, role } },
      });
      return row;
    });
    const org = await this.get(orgId);
    await this.mailer.send(invitationMail(normalized, org.name, token, this.config.publicUrl));
    return { ...invitationView(invitation, new Date()), token };
  }

  async invitations(orgId: string) {
    const rows = await this.db.tenant((em) => this.invitationRows.ofOrganization(em, orgId));
    const now = new Date();
    return rows.map((r) => invitationView(r, now));
  }

  async revokeInvitation(orgId: string, id: string) {
    await this.db.tenant(async (em) => {
      const inv = await this.invitationRows.byId(em, orgId, id);
      if (!inv) throw new NotFoundError('Invitation', id);
      if (inv.acceptedAt)
        throw new ConflictError('The invitation was already accepted; remove the member instead.');
      await this.invitationRows.revoke(em, orgId, id);
      await this.audit.record(em, orgId, {
        action: 'invitation.revoked',
        entityType: 'invitation',
        entityId: id,
      });
    });
  }

  async acceptInvitation(userId: string, token: string) {
    return this.db.system(async (em) => {
      const user = await this.users.byId(em, userId);
      // An organisation's or a certification body's invitation, by the token e-mailed to a verified address.
      return this.auth.acceptInvitationIn(em, token, user);
    });
  }

  // ---- API keys ----

  async createApiKey(orgId: string, name: string, scopes: string[]) {
    const prefix = apiKeyPrefix(randomToken(12));
    const key = apiKeyOf(prefix, randomToken(32));
    const row = await this.db.tenant(async (em) => {
      const entity = await this.keys.insert(em, {
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
      await this.audit.record(em, orgId, {
        action: 'api_key.created',
        entityType: 'api_key',
        entityId: entity.id,
        summary: { after: { name, scopes, prefix } },
      });
      return entity;
    });
    return { ...apiKeyView(row), key };
  }

  async apiKeys(orgId: string) {
    const rows = await this.db.tenant((em) => this.keys.ofOrganization(em, orgId));
    return rows.map((k) => apiKeyView(k));
  }

  async revokeApiKey(orgId: string, id: string) {
    await this.db.tenant(async (em) => {
      const key = await this.keys.liveById(em, orgId, id);
      if (!key) throw new NotFoundError('API key', id);
      await this.keys.revoke(em, orgId, id);
      await this.audit.record(em, orgId, {
        action: 'api_key.revoked',
        entityType: 'api_key',
        entityId: id,
        summary: { before: { name: key.name } },
      });
    });
  }
}
