import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import {
  AuditService,
  BadInputError,
  ConflictError,
  Db,
  ForbiddenError,
  NotFoundError,
  RequestContext,
  UnprocessableError,
} from '@halve/platform';
import type { ChecklistItem } from './claim-rules';
import { defaultValidUntil } from './claim-rules';
import { CertificationRepository } from './certification.repository';
import { claimIntegrity } from './claim-integrity';
import { certificateView, evidenceView, reviewView, transitionView } from './claims.service';
import type { CertifierTransitionDto } from './dto/certification.dto';
import {
  CertificateRegistryEntity,
  ClaimEntity,
  ClaimReviewEntity,
  ClaimStatus,
  ClaimTransitionEntity,
} from './entities/certification.entities';
import { NotificationsService } from './notifications.service';
import { CERTIFICATE_NUMBER, certificateNumber, snapshotSha256 } from './snapshot';
import { checkTransition } from './workflow';

export interface ReviewedChecklistItem extends ChecklistItem {
  confirmed: boolean | null;
  result: 'pass' | 'fail' | 'n/a';
}

/** Merges the certifier's confirmations into the automatic checklist; an item not confirmed keeps its automatic result. */
export function reviewChecklist(
  auto: ChecklistItem[],
  confirmations: Record<string, boolean> = {},
): ReviewedChecklistItem[] {
  const unknown = Object.keys(confirmations).filter((k) => !auto.some((i) => i.key === k));
  if (unknown.length)
    throw new BadInputError(
      `Unknown checklist item(s): ${unknown.join(', ')}; this claim's checklist has ${auto.map((i) => i.key).join(', ')}.`,
      unknown.map((k) => ({ field: `checklist.${k}`, message: 'not an item of this claim type' })),
    );
  const bad = Object.entries(confirmations).filter(([, v]) => typeof v !== 'boolean');
  if (bad.length)
    throw new BadInputError(
      'Checklist confirmations must be true or false.',
      bad.map(([k]) => ({ field: `checklist.${k}`, message: 'must be a boolean' })),
    );
  return auto.map((i) => {
    const confirmed = confirmations[i.key] ?? null;
    return { ...i, confirmed, result: confirmed === null ? i.auto : confirmed ? 'pass' : 'fail' };
  });
}

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

  async transition(bodyId: string, claimId: string, dto: CertifierTransitionDto) {
    const userId = RequestContext.userId();
    const to = dto.to;
    const outcome = await this.db.body(bodyId, async (em) => {
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
      const body = await this.repo.body(em, bodyId);
      const from = claim.status;
      const now = new Date();
      const findings = dto.findings ?? [];
      let certificate: CertificateRegistryEntity | null = null;
      let review: ClaimReviewEntity | null = null;
      const auto = (claim.snapshot?.checklist as ChecklistItem[] | undefined) ?? [];

      if (to === 'in_review') {
        review = Object.assign(new ClaimReviewEntity(), {
          tenantId: claim.tenantId,
          id: randomUUID(),
          claimId: claim.id,
          bodyId,
          reviewerId: userId,
          submission: claim.submissionCount,
          checklist: reviewChecklist(auto),
          findings: [],
          decision: null,
          assuranceLevel: null,
          statement: null,
          startedAt: now,
          decidedAt: null,
        });
        await this.repo.insertReview(em, review);
        await this.repo.updateClaim(em, claim, { status: 'in_review', reviewerId: userId });
      } else {
        review = await this.repo.openReview(em, claim.tenantId, claim.id);
        if (!review)
          throw new ConflictError(
            'The claim has no open review; take it into review first.',
            'no_open_review',
          );
        const checklist = reviewChecklist(auto, dto.checklist);
        if (to === 'changes_requested') {
          if (!findings.length)
            throw new BadInputError('Requesting changes needs at least one finding (severity and text).', [
              { field: 'findings', message: 'at least one finding is required' },
            ]);
          await this.repo.updateReview(em, review, {
            checklist,
            findings,
            decision: 'changes_requested',
            statement: dto.statement ?? null,
            decidedAt: now,
          });
          await this.repo.updateClaim(em, claim, { status: 'changes_requested' });
        } else if (to === 'rejected') {
          if (!dto.statement)
            throw new BadInputError('A rejection needs a statement saying why.', [
              { field: 'statement', message: 'required when rejecting' },
            ]);
          await this.repo.updateReview(em, review, {
            checklist,
            findings,
            decision: 'rejected',
            statement: dto.statement,
            assuranceLevel: dto.assuranceLevel ?? null,
            decidedAt: now,
          });
          await this.repo.updateClaim(em, claim, {
            status: 'rejected',
            decisionStatement: dto.statement,
            decidedAt: now,
            decidedBy: userId,
          });
          await this.repo.releaseOffsetSerials(em, claim.tenantId, claim.id);
        } else {
          // approved
          if (!dto.assuranceLevel)
            throw new BadInputError('An approval states the assurance level (limited or reasonable).', [
              { field: 'assuranceLevel', message: 'required when approving' },
            ]);
          const failing = checklist.filter((i) => i.result === 'fail');
          if (failing.length) {
            throw new UnprocessableError(
              `The checklist does not pass: ${failing.map((i) => `${i.key} (${i.detail})`).join('; ')}. Confirm an item explicitly only if the review shows it is met.`,
              failing.map((i) => ({ field: `checklist.${i.key}`, message: i.detail })),
            );
          }
          if (findings.some((f) => f.severity === 'major'))
            throw new UnprocessableError(
              'A claim with a major finding cannot be approved; request changes or reject it.',
              [{ field: 'findings', message: 'major finding' }],
            );
          // The snapshot must still be the one submitted before a certificate carries its hash.
          const sha = claim.snapshot ? snapshotSha256(claim.snapshot) : null;
          if (!sha || sha !== claim.evidenceSha256)
            throw new ConflictError(
              'The evidence snapshot no longer matches its recorded SHA-256: it was altered after submission; no certificate can be issued.',
              'evidence_altered',
            );
          const statement = dto.statement ?? (claim.snapshot?.claim as { statement: string }).statement;
          let number = certificateNumber(now);
          while (await this.repo.certificate(em, number)) number = certificateNumber(now);
          certificate = Object.assign(new CertificateRegistryEntity(), {
            number,
            bodyId,
            bodyName: body?.name ?? '',
            claimType: claim.type,
            statement,
            periodFrom: claim.periodFrom,
            periodTo: claim.periodTo,
            assuranceLevel: dto.assuranceLevel,
            issuedAt: now,
            validUntil: defaultValidUntil(claim.periodTo),
            evidenceSha256: sha,
            revokedAt: null,
            revocationReason: null,
          });
          await this.repo.insertCertificate(em, certificate);
          await this.repo.updateReview(em, review, {
            checklist,
            findings,
            decision: 'approved',
            statement,
            assuranceLevel: dto.assuranceLevel,
            decidedAt: now,
          });
          await this.repo.updateClaim(em, claim, {
            status: 'approved',
            assuranceLevel: dto.assuranceLevel,
            decisionStatement: statement,
            decidedAt: now,
            decidedBy: userId,
            certificateNumber: number,
          });
        }
      }

      await this.repo.insertTransition(
        em,
        Object.assign(new ClaimTransitionEntity(), {
          tenantId: claim.tenantId,
          id: randomUUID(),
          claimId: claim.id,
          fromStatus: from,
          toStatus: to,
          actorUserId: userId,
          actorKind: 'certifier',
          bodyId,
          reason: dto.statement ?? dto.reason ?? null,
          findings,
          evidenceSha256: claim.evidenceSha256,
          at: now,
        }),
      );
      await this.audit.record(em, claim.tenantId, {
        action: `claim.${to}`,
        entityType: 'claim',
        entityId: claim.id,
        summary: {
          from,
          to,
          certificationBodyId: bodyId,
          actorRole: RequestContext.current().bodyRole ?? 'certifier',
          reason: dto.reason ?? null,
          statement: dto.statement ?? certificate?.statement ?? null,
          findings: findings.map((f) => ({ severity: f.severity, item: f.item ?? null })),
          assuranceLevel: dto.assuranceLevel ?? null,
          evidenceSha256: claim.evidenceSha256,
          ...(certificate
            ? { certificateNumber: certificate.number, validUntil: certificate.validUntil }
            : {}),
        },
      });
      return { claim, certificate, bodyName: body?.name ?? '' };
    });

    const { claim, certificate, bodyName } = outcome;
    const label = claim.type.replace(/_/g, ' ');
    if (to === 'changes_requested') {
      await this.notifications.toOrgAdmins(claim.tenantId, {
        kind: 'claim_changes_requested',
        title: `Changes requested on your ${label} claim`,
        body: `${bodyName} requested changes to the ${label} claim for ${claim.periodFrom} to ${claim.periodTo}: ${(dto.findings ?? []).map((f) => `[${f.severity}] ${f.text}`).join(' ')}`,
        claimId: claim.id,
        organizationId: claim.tenantId,
        link: `/orgs/${claim.tenantId}/claims/${claim.id}`,
      });
    } else if (to === 'approved' || to === 'rejected') {
      await this.notifications.toOrgAdmins(claim.tenantId, {
        kind: 'claim_decided',
        title: `Your ${label} claim was ${to}`,
        body:
          to === 'approved'
            ? `${bodyName} approved the ${label} claim for ${claim.periodFrom} to ${claim.periodTo}: certificate ${certificate?.number}, valid until ${certificate?.validUntil}.`
            : `${bodyName} rejected the ${label} claim for ${claim.periodFrom} to ${claim.periodTo}: ${dto.statement}`,
        claimId: claim.id,
        organizationId: claim.tenantId,
        link: `/orgs/${claim.tenantId}/claims/${claim.id}`,
      });
    }
    return { ...(await this.get(bodyId, claimId)) };
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
