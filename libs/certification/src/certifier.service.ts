import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import {
  AuditService,
  ConflictError,
  Db,
  ForbiddenError,
  NotFoundError,
  RequestContext,
} from '@halve/platform';
import type { ChecklistItem } from './claim-rules';
import {
  type RecordedMove,
  certificateOf,
  certifierStep,
  checkRequirements,
  reviewChecklist,
} from './certifier-transitions';
import { CertificationRepository } from './certification.repository';
import { claimIntegrity } from './claim-integrity';
import { certificateView, evidenceView, reviewView, transitionView } from './claim-views';
import type { CertifierTransitionDto } from './dto/certification.dto';
import {
  ClaimEntity,
  ClaimReviewEntity,
  ClaimStatus,
  ClaimTransitionEntity,
} from './entities/certification.entities';
import { NotificationsService } from './notifications.service';
import { CERTIFICATE_NUMBER, certificateNumber } from './snapshot';
import { checkTransition } from './workflow';

export { reviewChecklist, type ReviewedChecklistItem } from './certifier-transitions';

/**
 * Certification-body side: the body's claims (read through the body-scoped policy), review decisions
 * and certificates. Each action is one transaction: the claim is found through the body scope first;
 * only then does the transaction also act on the claim's organisation (its tenant scope), so the
 * change, its transition row and its audit event land in that organisation's records together.
 */
@Injectable()
export class CertifierService {
  constructor(
    private readonly db: Db,
    private readonly repo: CertificationRepository,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
  ) {}

  private async find(em: EntityManager, bodyId: string, claimId: string): Promise<ClaimEntity> {
    const claim = await this.repo.bodyClaim(em, bodyId, claimId);
    if (!claim) throw new NotFoundError('Claim', claimId);
    return claim;
  }

  private summary(c: ClaimEntity) {
    const org = c.snapshot?.organization as { name?: string } | undefined;
    return {
      id: c.id,
      type: c.type,
      status: c.status,
      periodFrom: c.periodFrom,
      periodTo: c.periodTo,
      organizationName: org?.name ?? null,
      statement: (c.snapshot?.claim as { statement?: string } | undefined)?.statement ?? null,
      figures: c.figures,
      evidenceSha256: c.evidenceSha256,
      submissionCount: c.submissionCount,
      submittedAt: c.submittedAt,
      reviewerId: c.reviewerId,
      certificateNumber: c.certificateNumber ?? undefined,
    };
  }

  async list(bodyId: string, status?: ClaimStatus) {
    const claims = await this.db.body(bodyId, (em) => this.repo.bodyClaims(em, bodyId, status));
    return claims.map((c) => this.summary(c));
  }

  async get(bodyId: string, claimId: string) {
    return this.db.body(bodyId, async (em) => {
      const c = await this.find(em, bodyId, claimId);
      const [evidence, transitions, reviews] = [
        await this.repo.evidence(em, c.tenantId, c.id),
        await this.repo.transitions(em, c.tenantId, c.id),
        await this.repo.reviews(em, c.tenantId, c.id),
      ];
      const certificate = c.certificateNumber ? await this.repo.certificate(em, c.certificateNumber) : null;
      return {
        ...this.summary(c),
        snapshot: c.snapshot,
        assuranceLevel: c.assuranceLevel,
        decisionStatement: c.decisionStatement,
        decidedAt: c.decidedAt,
        evidence: evidence.map(evidenceView),
        transitions: transitions.map(transitionView),
        reviews: reviews.map(reviewView),
        checklist: (c.snapshot?.checklist as ChecklistItem[] | undefined) ?? [],
        certificate: certificate ? certificateView(certificate) : undefined,
      };
    });
  }

  async evidenceFile(bodyId: string, claimId: string, evidenceId: string) {
    const row = await this.db.body(bodyId, async (em) => {
      const c = await this.find(em, bodyId, claimId);
      return this.repo.evidenceContent(em, c.tenantId, c.id, evidenceId);
    });
    if (!row) throw new NotFoundError('Evidence', evidenceId);
    return row;
  }

  async verification(bodyId: string, claimId: string) {
    return this.db.body(bodyId, async (em) =>
      claimIntegrity(em, this.repo, await this.find(em, bodyId, claimId)),
    );
  }

  /**
   * A certifier's move: the claim is loaded and locked, the workflow says whether a certifier may
   * make the move from its status, and the certifier table (./certifier-transitions.ts) what must
   * hold and what is recorded; the organisation is told once the transaction committed.
   */
  async transition(bodyId: string, claimId: string, dto: CertifierTransitionDto) {
    const userId = RequestContext.userId();
    const { move, step, bodyName } = await this.db.body(bodyId, async (em) => {
      const claim = await this.loadForMove(em, bodyId, claimId, dto.to, userId);
      return this.makeMove(em, bodyId, claim, dto, userId);
    });
    const { claim } = move;
    const notice = step.notice?.(move, bodyName, claim.type.replace(/_/g, ' '));
    if (notice)
      await this.notifications.toOrgAdmins(claim.tenantId, {
        ...notice,
        claimId: claim.id,
        organizationId: claim.tenantId,
        link: `/orgs/${claim.tenantId}/claims/${claim.id}`,
      });
    return { ...(await this.get(bodyId, claimId)) };
  }

  /** The claim, locked in its organisation's scope, if the workflow lets this certifier move it to `to`. */
  private async loadForMove(
    em: EntityManager,
    bodyId: string,
    claimId: string,
    to: ClaimStatus,
    userId: string,
  ): Promise<ClaimEntity> {
    const found = await this.find(em, bodyId, claimId);
    await this.repo.joinTenant(em, found.tenantId);
    const claim = await this.repo.claim(em, found.tenantId, found.id, true);
    if (!claim || claim.certificationBodyId !== bodyId) throw new NotFoundError('Claim', claimId);
    const check = checkTransition(claim.status, to, 'certifier');
    if (!check.ok) {
      if (check.reason === 'wrong_actor') throw new ForbiddenError(check.message);
      throw new ConflictError(check.message, 'illegal_transition', { from: claim.status, to });
    }
    if (await this.repo.isOrgMember(em, claim.tenantId, userId)) {
      throw new ForbiddenError(
        'You are a member of the organisation that made this claim: a certifier cannot review a claim of their own organisation.',
      );
    }
    return claim;
  }

  /** Checks the step's requirements and persists what it records: review, certificate, claim, log and audit. */
  private async makeMove(
    em: EntityManager,
    bodyId: string,
    claim: ClaimEntity,
    dto: CertifierTransitionDto,
    userId: string,
  ) {
    const bodyName = (await this.repo.body(em, bodyId))?.name ?? '';
    const step = certifierStep(dto.to);
    const from = claim.status;
    const review = step.review === 'decide' ? await this.openReview(em, claim) : null;
    const auto = (claim.snapshot?.checklist as ChecklistItem[] | undefined) ?? [];
    const move: RecordedMove = {
      claim,
      dto,
      userId,
      now: new Date(),
      findings: dto.findings ?? [],
      checklist: reviewChecklist(auto, review ? dto.checklist : undefined),
      certificate: null,
    };
    checkRequirements(step, move);
    if (step.issuesCertificate) move.certificate = await this.issueCertificate(em, move, bodyId, bodyName);
    const recorded = step.record(move);
    if (review) await this.repo.updateReview(em, review, recorded.review);
    else
      await this.repo.insertReview(
        em,
        Object.assign(new ClaimReviewEntity(), {
          tenantId: claim.tenantId,
          id: randomUUID(),
          claimId: claim.id,
          bodyId,
          reviewerId: userId,
          submission: claim.submissionCount,
          ...recorded.review,
          startedAt: move.now,
          decidedAt: null,
        }),
      );
    await this.repo.updateClaim(em, claim, recorded.claim);
    if (step.releasesOffsetSerials) await this.repo.releaseOffsetSerials(em, claim.tenantId, claim.id);
    await this.recordMove(em, move, from, bodyId);
    return { move, step, bodyName };
  }

  private async openReview(em: EntityManager, claim: ClaimEntity): Promise<ClaimReviewEntity> {
    const review = await this.repo.openReview(em, claim.tenantId, claim.id);
    if (!review)
      throw new ConflictError('The claim has no open review; take it into review first.', 'no_open_review');
    return review;
  }

  /** Draws a certificate number not yet in the registry and registers the approval's certificate. */
  private async issueCertificate(em: EntityManager, move: RecordedMove, bodyId: string, bodyName: string) {
    let number = certificateNumber(move.now);
    while (await this.repo.certificate(em, number)) number = certificateNumber(move.now);
    const certificate = certificateOf(move, number, bodyId, bodyName);
    await this.repo.insertCertificate(em, certificate);
    return certificate;
  }

  /** The transition log row and the audit event of a certifier move. */
  private async recordMove(em: EntityManager, move: RecordedMove, from: ClaimStatus, bodyId: string) {
    const { claim, dto, findings, certificate } = move;
    await this.repo.insertTransition(
      em,
      Object.assign(new ClaimTransitionEntity(), {
        tenantId: claim.tenantId,
        id: randomUUID(),
        claimId: claim.id,
        fromStatus: from,
        toStatus: dto.to,
        actorUserId: move.userId,
        actorKind: 'certifier',
        bodyId,
        reason: dto.statement ?? dto.reason ?? null,
        findings,
        evidenceSha256: claim.evidenceSha256,
        at: move.now,
      }),
    );
    await this.audit.record(em, claim.tenantId, {
      action: `claim.${dto.to}`,
      entityType: 'claim',
      entityId: claim.id,
      summary: {
        from,
        to: dto.to,
        certificationBodyId: bodyId,
        actorRole: RequestContext.current().bodyRole ?? 'certifier',
        reason: dto.reason ?? null,
        statement: dto.statement ?? certificate?.statement ?? null,
        findings: findings.map((f) => ({ severity: f.severity, item: f.item ?? null })),
        assuranceLevel: dto.assuranceLevel ?? null,
        evidenceSha256: claim.evidenceSha256,
        ...(certificate ? { certificateNumber: certificate.number, validUntil: certificate.validUntil } : {}),
      },
    });
  }

  // ---- certificates ----

  async certificates(bodyId: string) {
    const rows = await this.db.body(bodyId, (em) => this.repo.bodyCertificates(em, bodyId));
    return rows.map((r) => certificateView(r));
  }

  async revoke(bodyId: string, number: string, reason: string) {
    if (!CERTIFICATE_NUMBER.test(number)) throw new NotFoundError('Certificate', number);
    const { claim, cert } = await this.db.body(bodyId, async (em) => {
      const cert = await this.repo.certificate(em, number);
      if (!cert || cert.bodyId !== bodyId) throw new NotFoundError('Certificate', number);
      if (cert.revokedAt)
        throw new ConflictError(
          `Certificate ${number} was already revoked on ${cert.revokedAt.toISOString()}.`,
          'already_revoked',
        );
      const claim = await this.repo.claimByCertificate(em, number);
      if (!claim) throw new NotFoundError('Certificate', number);
      await this.repo.joinTenant(em, claim.tenantId);
      const now = new Date();
      await this.repo.revokeCertificate(em, number, reason, now);
      cert.revokedAt = now;
      cert.revocationReason = reason;
      await this.repo.insertTransition(
        em,
        Object.assign(new ClaimTransitionEntity(), {
          tenantId: claim.tenantId,
          id: randomUUID(),
          claimId: claim.id,
          fromStatus: claim.status,
          toStatus: claim.status,
          actorUserId: RequestContext.userId(),
          actorKind: 'certifier',
          bodyId,
          reason: `certificate ${number} revoked: ${reason}`,
          findings: [],
          evidenceSha256: claim.evidenceSha256,
          at: now,
        }),
      );
      await this.audit.record(em, claim.tenantId, {
        action: 'certificate.revoked',
        entityType: 'certificate',
        entityId: number,
        summary: { claimId: claim.id, certificationBodyId: bodyId, reason },
      });
      return { claim, cert };
    });
    await this.notifications.toOrgAdmins(claim.tenantId, {
      kind: 'certificate_revoked',
      title: `Certificate ${number} was revoked`,
      body: `${cert.bodyName} revoked certificate ${number} (${claim.type.replace(/_/g, ' ')}, ${claim.periodFrom} to ${claim.periodTo}): ${reason}`,
      claimId: claim.id,
      organizationId: claim.tenantId,
      link: `/orgs/${claim.tenantId}/claims/${claim.id}`,
    });
    return certificateView(cert);
  }
}
