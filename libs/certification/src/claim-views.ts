import type { CertificationBodyEntity } from '@halve/platform';
import type { EvidenceMeta } from './certification.repository';
import type { MissingItem } from './claim-rules';
import type {
  CertificateRegistryEntity,
  ClaimEntity,
  ClaimReviewEntity,
  ClaimTransitionEntity,
} from './entities/certification.entities';
import { certificateStatus } from './snapshot';

/** How the API shows claims, their evidence, review rounds, transitions and certificates. */

/** Public part of a certificate, as the claim and the verification show it. */
export function certificateView(c: CertificateRegistryEntity, now = new Date()) {
  return {
    number: c.number,
    status: certificateStatus(c, now),
    statement: c.statement,
    periodFrom: c.periodFrom,
    periodTo: c.periodTo,
    certificationBody: c.bodyName,
    claimType: c.claimType,
    assuranceLevel: c.assuranceLevel,
    issuedAt: c.issuedAt,
    validUntil: c.validUntil,
    evidenceSha256: c.evidenceSha256,
    revokedAt: c.revokedAt,
    revocationReason: c.revocationReason,
  };
}

export function evidenceView(e: EvidenceMeta) {
  return {
    id: e.id,
    kind: e.kind,
    filename: e.filename,
    contentType: e.contentType,
    sizeBytes: Number(e.sizeBytes),
    sha256: e.sha256,
    description: e.description,
    uploadedBy: e.uploadedBy,
    createdAt: e.createdAt,
  };
}

export function transitionView(t: ClaimTransitionEntity) {
  return {
    id: t.id,
    from: t.fromStatus,
    to: t.toStatus,
    actorUserId: t.actorUserId,
    actorKind: t.actorKind,
    reason: t.reason,
    findings: t.findings,
    evidenceSha256: t.evidenceSha256,
    at: t.at,
  };
}

export function reviewView(r: ClaimReviewEntity) {
  return {
    id: r.id,
    submission: r.submission,
    reviewerId: r.reviewerId,
    checklist: r.checklist,
    findings: r.findings,
    decision: r.decision,
    assuranceLevel: r.assuranceLevel,
    statement: r.statement,
    startedAt: r.startedAt,
    decidedAt: r.decidedAt,
  };
}

/** What the organisation's view of a claim is built from. */
export interface ClaimViewParts {
  evidence: EvidenceMeta[];
  reviews: ClaimReviewEntity[];
  certificate: CertificateRegistryEntity | null;
  body: CertificationBodyEntity | null;
}

/** The figures, statement and missing items shown: live while editable, else those locked at submission. */
export interface ClaimFiguresShown {
  figures: Record<string, unknown>;
  statement: string | null;
  missing?: MissingItem[];
}

/** The claim as the organisation sees it. */
export function claimView(claim: ClaimEntity, parts: ClaimViewParts, shown: ClaimFiguresShown) {
  const { evidence, reviews, certificate, body } = parts;
  return {
    id: claim.id,
    type: claim.type,
    status: claim.status,
    periodFrom: claim.periodFrom,
    periodTo: claim.periodTo,
    certificationBodyId: claim.certificationBodyId,
    certificationBody: body ? { id: body.id, name: body.name } : null,
    statement: shown.statement,
    inputs: claim.inputs,
    figures: shown.figures,
    ...(shown.missing ? { missing: shown.missing } : {}),
    evidenceSha256: claim.evidenceSha256 ?? undefined,
    submissionCount: claim.submissionCount,
    submittedAt: claim.submittedAt,
    assuranceLevel: claim.assuranceLevel,
    decisionStatement: claim.decisionStatement,
    decidedAt: claim.decidedAt,
    evidence: evidence.map(evidenceView),
    reviews: reviews.map(reviewView),
    certificate: certificate
      ? {
          number: certificate.number,
          status: certificateStatus(certificate, new Date()),
          validUntil: certificate.validUntil,
          issuedAt: certificate.issuedAt,
          revokedAt: certificate.revokedAt,
        }
      : undefined,
    createdAt: claim.createdAt,
    updatedAt: claim.updatedAt,
  };
}

/** A claim in the organisation's list. */
export function claimListItem(c: ClaimEntity) {
  return {
    id: c.id,
    type: c.type,
    status: c.status,
    periodFrom: c.periodFrom,
    periodTo: c.periodTo,
    certificationBodyId: c.certificationBodyId,
    evidenceSha256: c.evidenceSha256 ?? undefined,
    certificateNumber: c.certificateNumber ?? undefined,
    submittedAt: c.submittedAt,
    updatedAt: c.updatedAt,
  };
}
