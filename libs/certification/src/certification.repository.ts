import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { CertificationBodyEntity, scopeSql } from '@halve/platform';
import {
  CertificateRegistryEntity,
  ClaimEntity,
  ClaimEvidenceEntity,
  ClaimReviewEntity,
  ClaimStatus,
  ClaimTransitionEntity,
  UserNotificationEntity,
} from './entities/certification.entities';

/** jsonb columns typed as unknown defeat TypeORM's deep-partial typing; the values are plain JSON. */
const partial = <T>(value: unknown) => value as QueryDeepPartialEntity<T>;

/** Evidence metadata (never the bytes). */
export type EvidenceMeta = Omit<ClaimEvidenceEntity, 'content'>;

/** Every database read and write of certification. The caller's transaction (and its scope) applies. */
@Injectable()
export class CertificationRepository {
  // ---- scope ----

  /** Inside a body-scoped transaction, after the claim was found through the body policy: act on its organisation too. */
  async joinTenant(em: EntityManager, tenantId: string): Promise<void> {
    // SET LOCAL, not set_config(…, true): the form Citus forwards to its workers (ADR 0011)
    await em.query(scopeSql('halve.tenant_id', tenantId));
  }

  // ---- bodies ----

  async body(em: EntityManager, bodyId: string): Promise<CertificationBodyEntity | null> {
    return em.findOneBy(CertificationBodyEntity, { id: bodyId });
  }

  // ---- claims ----

  async insertClaim(em: EntityManager, claim: ClaimEntity): Promise<void> {
    await em.insert(ClaimEntity, partial<ClaimEntity>(claim));
  }

  async claim(em: EntityManager, tenantId: string, id: string, lock = false): Promise<ClaimEntity | null> {
    const qb = em
      .getRepository(ClaimEntity)
      .createQueryBuilder('c')
      .where('c.tenant_id = :tenantId AND c.id = :id', { tenantId, id });
    if (lock) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  /** A claim as the body scope sees it (RLS: submitted to this body). */
  async bodyClaim(em: EntityManager, bodyId: string, id: string): Promise<ClaimEntity | null> {
    return em
      .getRepository(ClaimEntity)
      .createQueryBuilder('c')
      .where('c.id = :id AND c.certification_body_id = :bodyId', { id, bodyId })
      .getOne();
  }

  async claims(em: EntityManager, tenantId: string): Promise<ClaimEntity[]> {
    return em
      .getRepository(ClaimEntity)
      .createQueryBuilder('c')
      .where('c.tenant_id = :tenantId', { tenantId })
      .orderBy('c.createdAt', 'DESC')
      .getMany();
  }

  async bodyClaims(em: EntityManager, bodyId: string, status?: ClaimStatus): Promise<ClaimEntity[]> {
    const qb = em
      .getRepository(ClaimEntity)
      .createQueryBuilder('c')
      .where('c.certification_body_id = :bodyId', { bodyId });
    if (status) qb.andWhere('c.status = :status', { status });
    return qb.orderBy('c.submittedAt', 'DESC').getMany();
  }

  async claimByCertificate(em: EntityManager, number: string): Promise<ClaimEntity | null> {
    return em
      .getRepository(ClaimEntity)
      .createQueryBuilder('c')
      .where('c.certificate_number = :number', { number })
      .getOne();
  }

  async updateClaim(em: EntityManager, claim: ClaimEntity, changes: Partial<ClaimEntity>): Promise<void> {
    await em.update(
      ClaimEntity,
      { tenantId: claim.tenantId, id: claim.id },
      partial<ClaimEntity>({ ...changes, updatedAt: new Date() }),
    );
    Object.assign(claim, changes);
  }

  // ---- evidence ----

  async insertEvidence(em: EntityManager, row: ClaimEvidenceEntity): Promise<void> {
    await em.insert(ClaimEvidenceEntity, row);
  }

  async evidence(em: EntityManager, tenantId: string, claimId: string): Promise<EvidenceMeta[]> {
    return em
      .getRepository(ClaimEvidenceEntity)
      .createQueryBuilder('e')
      .where('e.tenant_id = :tenantId AND e.claim_id = :claimId', { tenantId, claimId })
      .orderBy('e.createdAt', 'ASC')
      .getMany();
  }

  async evidenceContent(
    em: EntityManager,
    tenantId: string,
    claimId: string,
    id: string,
  ): Promise<(EvidenceMeta & { content: Buffer }) | null> {
    return em
      .getRepository(ClaimEvidenceEntity)
      .createQueryBuilder('e')
      .addSelect('e.content')
      .where('e.tenant_id = :tenantId AND e.claim_id = :claimId AND e.id = :id', { tenantId, claimId, id })
      .getOne() as Promise<(EvidenceMeta & { content: Buffer }) | null>;
  }

  async deleteEvidence(em: EntityManager, tenantId: string, claimId: string, id: string): Promise<boolean> {
    const res = await em.delete(ClaimEvidenceEntity, { tenantId, claimId, id });
    return (res.affected ?? 0) > 0;
  }

  /** The SHA-256 of every stored document of a claim, recomputed from the bytes by the database. */
  async documentHashes(em: EntityManager, tenantId: string, claimId: string): Promise<Map<string, string>> {
    const rows: { id: string; sha: string }[] = await em.query(
      `SELECT id, encode(sha256(content), 'hex') AS sha FROM claim_evidence WHERE tenant_id = $1 AND claim_id = $2`,
      [tenantId, claimId],
    );
    return new Map(rows.map((r) => [r.id, r.sha]));
  }

  // ---- meter data ----

  /**
   * A fingerprint of the meter data a claim rests on: per meter, the SHA-256 (computed in SQL) over its
   * hourly rollups in [from, to), with the count and sum of the hours.
   */
  async meterDataHashes(
    em: EntityManager,
    tenantId: string,
    from: Date,
    to: Date,
  ): Promise<
    { meterId: string; kind: string; unit: string; hours: number; totalValue: number; sha256: string }[]
  > {
    const rows: {
      meter_id: string;
      kind: string;
      unit: string;
      hours: number;
      total: number;
      sha: string;
    }[] = await em.query(
      `SELECT m.id AS meter_id, m.kind, m.unit, count(*)::int AS hours, sum(r.value)::float8 AS total,
              encode(sha256(convert_to(string_agg(to_char(r.bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || '=' || r.value::text || '/' || r.count::text, E'\\n' ORDER BY r.bucket), 'UTF8')), 'hex') AS sha
         FROM reading_rollups r JOIN meters m ON m.tenant_id = r.tenant_id AND m.id = r.meter_id
        WHERE r.tenant_id = $1 AND r.resolution = 'h' AND r.bucket >= $2 AND r.bucket < $3
        GROUP BY m.id, m.kind, m.unit ORDER BY m.id`,
      [tenantId, from, to],
    );
    return rows.map((r) => ({
      meterId: r.meter_id,
      kind: r.kind,
      unit: r.unit,
      hours: r.hours,
      totalValue: r.total,
      sha256: r.sha,
    }));
  }

  // ---- transitions and reviews ----

  async insertTransition(em: EntityManager, row: ClaimTransitionEntity): Promise<void> {
    await em.insert(ClaimTransitionEntity, partial<ClaimTransitionEntity>(row));
  }

  async transitions(em: EntityManager, tenantId: string, claimId: string): Promise<ClaimTransitionEntity[]> {
    return em
      .getRepository(ClaimTransitionEntity)
      .createQueryBuilder('t')
      .where('t.tenant_id = :tenantId AND t.claim_id = :claimId', { tenantId, claimId })
      .orderBy('t.at', 'ASC')
      .getMany();
  }

  async insertReview(em: EntityManager, row: ClaimReviewEntity): Promise<void> {
    await em.insert(ClaimReviewEntity, partial<ClaimReviewEntity>(row));
  }

  async reviews(em: EntityManager, tenantId: string, claimId: string): Promise<ClaimReviewEntity[]> {
    return em
      .getRepository(ClaimReviewEntity)
      .createQueryBuilder('r')
      .where('r.tenant_id = :tenantId AND r.claim_id = :claimId', { tenantId, claimId })
      .orderBy('r.startedAt', 'ASC')
      .getMany();
  }

  async openReview(em: EntityManager, tenantId: string, claimId: string): Promise<ClaimReviewEntity | null> {
    return em
      .getRepository(ClaimReviewEntity)
      .createQueryBuilder('r')
      .where('r.tenant_id = :tenantId AND r.claim_id = :claimId AND r.decision IS NULL', {
        tenantId,
        claimId,
      })
      .orderBy('r.startedAt', 'DESC')
      .getOne();
  }

  async updateReview(
    em: EntityManager,
    review: ClaimReviewEntity,
    changes: Partial<ClaimReviewEntity>,
  ): Promise<void> {
    await em.update(
      ClaimReviewEntity,
      { tenantId: review.tenantId, id: review.id },
      partial<ClaimReviewEntity>(changes),
    );
  }

  // ---- memberships ----

  async isOrgMember(em: EntityManager, tenantId: string, userId: string): Promise<boolean> {
    const rows: unknown[] = await em.query(
      'SELECT 1 FROM memberships WHERE tenant_id = $1 AND user_id = $2',
      [tenantId, userId],
    );
    return rows.length > 0;
  }

  // ---- offsets ----

  /** Registers offset serials for a claim; returns those already claimed elsewhere (the caller rolls back). */
  async claimOffsetSerials(
    em: EntityManager,
    claimId: string,
    registry: string,
    serials: string[],
  ): Promise<string[]> {
    const rows: { taken_serial: string }[] = await em.query(
      'SELECT taken_serial FROM certification_claim_offsets($1, $2, $3)',
      [claimId, registry, serials],
    );
    return rows.map((r) => r.taken_serial);
  }

  /**
   * Registers a claim's offset serials afresh (its earlier registration is released first); returns
   * the serials, as "registry serial", another claim already holds (the caller rolls back).
   */
  async registerOffsetSerials(
    em: EntityManager,
    tenantId: string,
    claimId: string,
    batches: { registry: string; serials: string[] }[],
  ): Promise<string[]> {
    await this.releaseOffsetSerials(em, tenantId, claimId);
    const taken: string[] = [];
    for (const b of batches)
      taken.push(
        ...(await this.claimOffsetSerials(em, claimId, b.registry, b.serials)).map(
          (s) => `${b.registry} ${s}`,
        ),
      );
    return taken;
  }

  async releaseOffsetSerials(em: EntityManager, tenantId: string, claimId: string): Promise<void> {
    await em.query('DELETE FROM offset_credit_registry WHERE tenant_id = $1 AND claim_id = $2', [
      tenantId,
      claimId,
    ]);
  }

  // ---- certificates ----

  async certificate(em: EntityManager, number: string): Promise<CertificateRegistryEntity | null> {
    return em.findOneBy(CertificateRegistryEntity, { number });
  }

  async bodyCertificates(em: EntityManager, bodyId: string): Promise<CertificateRegistryEntity[]> {
    return em.find(CertificateRegistryEntity, { where: { bodyId }, order: { issuedAt: 'DESC' } });
  }

  async insertCertificate(em: EntityManager, row: CertificateRegistryEntity): Promise<void> {
    await em.insert(CertificateRegistryEntity, row);
  }

  async revokeCertificate(em: EntityManager, number: string, reason: string, at: Date): Promise<boolean> {
    const res = await em.update(
      CertificateRegistryEntity,
      { number },
      { revokedAt: at, revocationReason: reason },
    );
    return (res.affected ?? 0) > 0;
  }

  // ---- notifications (owner transaction, always filtered by user) ----

  async bodyMembers(em: EntityManager, bodyId: string): Promise<{ id: string; email: string }[]> {
    return em.query(
      'SELECT u.id, u.email FROM certification_body_members m JOIN users u ON u.id = m.user_id WHERE m.body_id = $1 ORDER BY u.email',
      [bodyId],
    );
  }

  async orgAdmins(em: EntityManager, tenantId: string): Promise<{ id: string; email: string }[]> {
    return em.query(
      `SELECT u.id, u.email FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.tenant_id = $1 AND m.role IN ('owner', 'admin') ORDER BY u.email`,
      [tenantId],
    );
  }

  async insertNotifications(em: EntityManager, rows: UserNotificationEntity[]): Promise<void> {
    if (rows.length) await em.insert(UserNotificationEntity, rows);
  }

  async notifications(
    em: EntityManager,
    userId: string,
    unreadOnly: boolean,
  ): Promise<UserNotificationEntity[]> {
    const qb = em
      .getRepository(UserNotificationEntity)
      .createQueryBuilder('n')
      .where('n.user_id = :userId', { userId });
    if (unreadOnly) qb.andWhere('n.read_at IS NULL');
    return qb.orderBy('n.createdAt', 'DESC').limit(200).getMany();
  }

  async markRead(em: EntityManager, userId: string, id: string): Promise<boolean> {
    const res = await em.update(UserNotificationEntity, { userId, id }, { readAt: new Date() });
    return (res.affected ?? 0) > 0;
  }
}
