import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  CertificationBodyInvitationEntity,
  CertificationBodyMemberEntity,
  InvitationEntity,
} from '../entities/platform.entities';

/**
 * Invitations by e-mail. An organisation's are managed in its `Db.tenant` transactions (OrgsService) and
 * accepted, by token, in a `Db.system` one (AuthService: the invitee is not yet a member); a certification
 * body's (and its members) only in `Db.system` ones (platform tables `halve_app` is not granted, ADR 0010).
 */
@Injectable()
export class InvitationsRepository {
  async insert(em: EntityManager, row: Omit<InvitationEntity, 'createdAt'>): Promise<InvitationEntity> {
    const invitation = em.create(InvitationEntity, row);
    await em.insert(InvitationEntity, invitation);
    return invitation;
  }

  /** The organisation's invitations, newest first. */
  async ofOrganization(em: EntityManager, tenantId: string): Promise<InvitationEntity[]> {
    return em.find(InvitationEntity, { where: { tenantId }, order: { createdAt: 'DESC' } });
  }

  async byId(em: EntityManager, tenantId: string, id: string): Promise<InvitationEntity | null> {
    return em.findOneBy(InvitationEntity, { tenantId, id });
  }

  async revoke(em: EntityManager, tenantId: string, id: string): Promise<void> {
    await em.update(InvitationEntity, { tenantId, id }, { revokedAt: new Date() });
  }

  /** System: an organisation's invitation by the SHA-256 of its token. */
  async byTokenHash(em: EntityManager, tokenHash: string): Promise<InvitationEntity | null> {
    return em.findOneBy(InvitationEntity, { tokenHash });
  }

  async markAccepted(em: EntityManager, invitation: InvitationEntity, userId: string): Promise<void> {
    await em.update(
      InvitationEntity,
      { tenantId: invitation.tenantId, id: invitation.id },
      { acceptedAt: new Date(), acceptedBy: userId },
    );
  }

  // ---- certification bodies (system) ----

  async bodyInvitationByTokenHash(
    em: EntityManager,
    tokenHash: string,
  ): Promise<CertificationBodyInvitationEntity | null> {
    return em.findOneBy(CertificationBodyInvitationEntity, { tokenHash });
  }

  /** Makes the user a member of the body with the invitation's role (a member already: the role changes). */
  async joinBody(
    em: EntityManager,
    invitation: CertificationBodyInvitationEntity,
    userId: string,
  ): Promise<void> {
    const where = { bodyId: invitation.bodyId, userId };
    const member = await em.findOneBy(CertificationBodyMemberEntity, where);
    if (member) await em.update(CertificationBodyMemberEntity, where, { role: invitation.role });
    else await em.insert(CertificationBodyMemberEntity, { ...where, role: invitation.role });
  }

  async markBodyInvitationAccepted(
    em: EntityManager,
    invitation: CertificationBodyInvitationEntity,
    userId: string,
  ): Promise<void> {
    await em.update(
      CertificationBodyInvitationEntity,
      { bodyId: invitation.bodyId, email: invitation.email },
      { acceptedAt: new Date(), acceptedBy: userId },
    );
  }
}
