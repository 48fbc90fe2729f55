import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OrgRole } from '../context/request-context';
import { MembershipEntity, OrganizationEntity } from '../entities/platform.entities';
import { UpdateOrganizationDto } from '../auth/auth.dto';

/** An organisation as the caller's list shows it, with the caller's role. */
export interface OwnOrganizationRow {
  id: string;
  name: string;
  country: string;
  timezone: string;
  currency: string;
  gridRegion: string | null;
  isDemo: boolean;
  role: OrgRole;
}

/** A member as the organisation's list shows it. */
export interface MemberRow {
  userId: string;
  email: string;
  name: string;
  role: OrgRole;
  createdAt: Date;
}

/**
 * `organizations` and `memberships`. Each method runs in the transaction whose manager it is given, and the
 * caller picks the context as before this repository existed: the caller's own memberships across
 * organisations and a new organisation in a `Db.system` transaction; the rest in `Db.tenant` (RLS on:
 * `halve_app` sees one organisation's rows and the users who are its members).
 */
@Injectable()
export class OrgsRepository {
  /** System: the organisations of `userId` with the role, by name. */
  async mine(em: EntityManager, userId: string): Promise<OwnOrganizationRow[]> {
    return em.query(
      `SELECT o.id, o.name, o.country, o.timezone, o.currency, o.grid_region AS "gridRegion", o.is_demo AS "isDemo", m.role
           FROM memberships m JOIN organizations o ON o.id = m.tenant_id
          WHERE m.user_id = $1 ORDER BY o.name, o.id`,
      [userId],
    );
  }

  async insert(em: EntityManager, row: Omit<OrganizationEntity, 'createdAt'>): Promise<OrganizationEntity> {
    const organization = em.create(OrganizationEntity, row);
    await em.insert(OrganizationEntity, organization);
    return organization;
  }

  async byId(em: EntityManager, id: string): Promise<OrganizationEntity | null> {
    return em.findOneBy(OrganizationEntity, { id });
  }

  /** Writes the fields given and answers the organisation as stored afterwards. */
  async update(em: EntityManager, id: string, dto: UpdateOrganizationDto): Promise<OrganizationEntity> {
    await em.update(OrganizationEntity, { id }, dto);
    return em.findOneByOrFail(OrganizationEntity, { id });
  }

  // ---- memberships ----

  async membership(em: EntityManager, tenantId: string, userId: string): Promise<MembershipEntity | null> {
    return em.findOneBy(MembershipEntity, { tenantId, userId });
  }

  async addMember(em: EntityManager, tenantId: string, userId: string, role: OrgRole): Promise<void> {
    await em.insert(MembershipEntity, { tenantId, userId, role });
  }

  async setRole(em: EntityManager, tenantId: string, userId: string, role: OrgRole): Promise<void> {
    await em.update(MembershipEntity, { tenantId, userId }, { role });
  }

  async removeMember(em: EntityManager, tenantId: string, userId: string): Promise<void> {
    await em.delete(MembershipEntity, { tenantId, userId });
  }

  async countOwners(em: EntityManager, tenantId: string): Promise<number> {
    return em.countBy(MembershipEntity, { tenantId, role: 'owner' });
  }

  /** Tenant: the members with their addresses (an unclaimed account's without its mark: auth/accounts.ts). */
  async members(em: EntityManager, tenantId: string): Promise<MemberRow[]> {
    return em.query(
      `SELECT m.user_id AS "userId", regexp_replace(u.email, '#unclaimed-[0-9a-f-]{36}$', '') AS email, u.name, m.role, m.created_at AS "createdAt"
           FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.tenant_id = $1 ORDER BY u.name, u.email`,
      [tenantId],
    );
  }

  /**
   * Tenant: whether a member of the current organisation has the address. The query has no tenant filter of
   * its own: row-level security limits `memberships` (and `users`) to the organisation of the transaction.
   */
  async hasMemberWithEmail(em: EntityManager, email: string): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id WHERE lower(u.email) = $1`,
      [email],
    );
    return rows.length > 0;
  }
}
