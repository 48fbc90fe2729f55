// Response schemas of the certification operations (claims, certifier review, public verification,
// notifications). Controllers declare these as their handlers' return types, so tsc checks the
// services' values against the document. Timestamps are Date in the services and ISO strings on the
// wire. Values kept in jsonb columns that the entities type as `unknown[]` or
// `Record<string, unknown>` (findings, checklists, figures, inputs, the snapshot) keep that TypeScript
// type here; the document gives the shape the services write.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AuditChainVerification } from '@halve/platform';
import {
  CLAIM_STATUSES,
  CLAIM_TYPES,
  EVIDENCE_KINDS,
  type AssuranceLevel,
  type ClaimStatus,
  type ClaimType,
  type EvidenceKind,
} from '../entities/certification.entities';
import { ClaimSnapshotView } from './claim-snapshot.responses';

const dateTime = { type: String, format: 'date-time' } as const;
const nullableDateTime = { type: String, format: 'date-time', nullable: true } as const;
const date = { type: String, format: 'date' } as const;
const claimStatus = { enum: [...CLAIM_STATUSES], enumName: 'ClaimStatus' } as const;
const claimType = { enum: [...CLAIM_TYPES], enumName: 'ClaimType' } as const;
const assurance = { enum: ['limited', 'reasonable'], enumName: 'AssuranceLevel' } as const;
const certificateStatus = { enum: ['valid', 'expired', 'revoked'], enumName: 'CertificateStatus' } as const;
const checkResult = { enum: ['pass', 'fail', 'n/a'], enumName: 'ChecklistResult' } as const;
const anyObject = { type: 'object', additionalProperties: true } as const;

/** A certificate's public facts: what the claim, the body's list and revocation show. */
export class CertificateView {
  @ApiProperty() number: string;
  @ApiProperty(certificateStatus) status: 'valid' | 'expired' | 'revoked';
  @ApiProperty() statement: string;
  @ApiProperty(date) periodFrom: string;
  @ApiProperty(date) periodTo: string;
  @ApiProperty({ description: 'the certification body’s name' }) certificationBody: string;
  @ApiProperty(claimType) claimType: ClaimType;
  @ApiProperty(assurance) assuranceLevel: AssuranceLevel;
  @ApiProperty(dateTime) issuedAt: Date;
  @ApiProperty(date) validUntil: string;
  @ApiProperty() evidenceSha256: string;
  @ApiProperty(nullableDateTime) revokedAt: Date | null;
  @ApiProperty({ type: String, nullable: true }) revocationReason: string | null;
}

/** GET /verify/:number: only the certificate's own facts; revokedAt and revocationReason only when revoked. */
export class CertificateVerification {
  @ApiProperty() number: string;
  @ApiProperty(certificateStatus) status: 'valid' | 'expired' | 'revoked';
  @ApiProperty() statement: string;
  @ApiProperty(claimType) claimType: ClaimType;
  @ApiProperty(date) periodFrom: string;
  @ApiProperty(date) periodTo: string;
  @ApiProperty({ description: 'the certification body’s name' }) certificationBody: string;
  @ApiProperty(assurance) assuranceLevel: AssuranceLevel;
  @ApiProperty(dateTime) issuedAt: Date;
  @ApiProperty(date) validUntil: string;
  @ApiProperty() evidenceSha256: string;
  @ApiPropertyOptional(dateTime) revokedAt?: Date;
  @ApiPropertyOptional({ type: String, nullable: true }) revocationReason?: string | null;
}

/** The certificate as the organisation's claim shows it. */
export class ClaimCertificateRef {
  @ApiProperty() number: string;
  @ApiProperty(certificateStatus) status: 'valid' | 'expired' | 'revoked';
  @ApiProperty(date) validUntil: string;
  @ApiProperty(dateTime) issuedAt: Date;
  @ApiProperty(nullableDateTime) revokedAt: Date | null;
}

export class EvidenceDocumentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: [...EVIDENCE_KINDS], enumName: 'EvidenceKind' }) kind: EvidenceKind;
  @ApiProperty() filename: string;
  @ApiProperty({ example: 'application/pdf' }) contentType: string;
  @ApiProperty() sizeBytes: number;
  @ApiProperty() sha256: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) uploadedBy: string | null;
  @ApiProperty(dateTime) createdAt: Date;
}

export class ClaimFindingView {
  @ApiProperty({ enum: ['major', 'minor', 'observation'], enumName: 'FindingSeverity' }) severity: string;
  @ApiProperty() text: string;
  @ApiPropertyOptional({ description: 'the checklist item it concerns' }) item?: string;
}

/** An item of the automatic checklist; a review adds the certifier's confirmation and the result. */
export class ClaimChecklistItemView {
  @ApiProperty() key: string;
  @ApiProperty() label: string;
  @ApiProperty(checkResult) auto: 'pass' | 'fail' | 'n/a';
  @ApiProperty() detail: string;
  @ApiPropertyOptional({ type: Boolean, nullable: true, description: 'in a review' }) confirmed?:
    boolean | null;
  @ApiPropertyOptional({ ...checkResult, description: 'in a review' }) result?: 'pass' | 'fail' | 'n/a';
}

export class ClaimReviewView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'which submission (1, 2…) the round reviews' }) submission: number;
  @ApiProperty({ format: 'uuid' }) reviewerId: string;
  @ApiProperty({ type: () => ClaimChecklistItemView, isArray: true }) checklist: unknown[];
  @ApiProperty({ type: () => ClaimFindingView, isArray: true }) findings: unknown[];
  @ApiProperty({ enum: ['changes_requested', 'approved', 'rejected'], nullable: true })
  decision: 'changes_requested' | 'approved' | 'rejected' | null;
  @ApiProperty({ ...assurance, nullable: true }) assuranceLevel: AssuranceLevel | null;
  @ApiProperty({ type: String, nullable: true }) statement: string | null;
  @ApiProperty(dateTime) startedAt: Date;
  @ApiProperty(nullableDateTime) decidedAt: Date | null;
}

export class ClaimTransitionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty(claimStatus) from: ClaimStatus;
  @ApiProperty(claimStatus) to: ClaimStatus;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) actorUserId: string | null;
  @ApiProperty({ enum: ['organization', 'certifier'] }) actorKind: 'organization' | 'certifier';
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ type: () => ClaimFindingView, isArray: true }) findings: unknown[];
  @ApiProperty({ type: String, nullable: true }) evidenceSha256: string | null;
  @ApiProperty(dateTime) at: Date;
}

/** GET …/claims (one row). */
export class ClaimListItemView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty(claimType) type: ClaimType;
  @ApiProperty(claimStatus) status: ClaimStatus;
  @ApiProperty(date) periodFrom: string;
  @ApiProperty(date) periodTo: string;
  @ApiProperty({ format: 'uuid' }) certificationBodyId: string;
  @ApiPropertyOptional({ description: 'once submitted' }) evidenceSha256?: string;
  @ApiPropertyOptional({ description: 'once approved' }) certificateNumber?: string;
  @ApiProperty(nullableDateTime) submittedAt: Date | null;
  @ApiProperty(dateTime) updatedAt: Date;
}

export class CertificationBodyRef {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

/** What a claim still needs before it can be submitted. */
export class MissingItemView {
  @ApiProperty() field: string;
  @ApiProperty() message: string;
  @ApiPropertyOptional({ description: 'carbon_neutral: the ISO 14068-1 rule refused' }) rule?: string;
}

/** GET …/claims/:claimId: figures are live (with what is missing) while editable, locked once submitted. */
export class ClaimView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty(claimType) type: ClaimType;
  @ApiProperty(claimStatus) status: ClaimStatus;
  @ApiProperty(date) periodFrom: string;
  @ApiProperty(date) periodTo: string;
  @ApiProperty({ format: 'uuid' }) certificationBodyId: string;
  @ApiProperty({ type: () => CertificationBodyRef, nullable: true })
  certificationBody: CertificationBodyRef | null;
  @ApiProperty({ type: String, nullable: true }) statement: string | null;
  @ApiProperty({ ...anyObject, description: 'what the organisation entered (by claim type)' })
  inputs: Record<string, unknown>;
  @ApiProperty({ ...anyObject, description: 'the claim’s figures (by claim type)' }) figures: Record<
    string,
    unknown
  >;
  @ApiPropertyOptional({ type: () => MissingItemView, isArray: true, description: 'while editable' })
  missing?: MissingItemView[];
  @ApiPropertyOptional({ description: 'once submitted' }) evidenceSha256?: string;
  @ApiProperty() submissionCount: number;
  @ApiProperty(nullableDateTime) submittedAt: Date | null;
  @ApiProperty({ ...assurance, nullable: true }) assuranceLevel: AssuranceLevel | null;
  @ApiProperty({ type: String, nullable: true }) decisionStatement: string | null;
  @ApiProperty(nullableDateTime) decidedAt: Date | null;
  @ApiProperty({ type: () => EvidenceDocumentView, isArray: true }) evidence: EvidenceDocumentView[];
  @ApiProperty({ type: () => ClaimReviewView, isArray: true }) reviews: ClaimReviewView[];
  @ApiPropertyOptional({ type: () => ClaimCertificateRef, description: 'once approved' })
  certificate?: ClaimCertificateRef;
  @ApiProperty(dateTime) createdAt: Date;
  @ApiProperty(dateTime) updatedAt: Date;
}

/** GET certification-bodies/:bodyId/claims (one row): what the body sees of an organisation's claim. */
export class BodyClaimSummaryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty(claimType) type: ClaimType;
  @ApiProperty(claimStatus) status: ClaimStatus;
  @ApiProperty(date) periodFrom: string;
  @ApiProperty(date) periodTo: string;
  @ApiProperty({ type: String, nullable: true }) organizationName: string | null;
  @ApiProperty({ type: String, nullable: true }) statement: string | null;
  @ApiProperty(anyObject) figures: Record<string, unknown>;
  @ApiProperty({ type: String, nullable: true }) evidenceSha256: string | null;
  @ApiProperty() submissionCount: number;
  @ApiProperty(nullableDateTime) submittedAt: Date | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) reviewerId: string | null;
  @ApiPropertyOptional() certificateNumber?: string;
}

/** GET certification-bodies/:bodyId/claims/:claimId (also the answer of a certifier's transition). */
export class BodyClaimView extends BodyClaimSummaryView {
  // jsonb, typed Record<string, unknown> by the entity: the document gives its shape (claim-snapshot.responses.ts).
  @ApiProperty({
    type: () => ClaimSnapshotView,
    nullable: true,
    description: 'the evidence snapshot locked at the last submission (its SHA-256 is evidenceSha256)',
  })
  snapshot: Record<string, unknown> | null;
  @ApiProperty({ ...assurance, nullable: true }) assuranceLevel: AssuranceLevel | null;
  @ApiProperty({ type: String, nullable: true }) decisionStatement: string | null;
  @ApiProperty(nullableDateTime) decidedAt: Date | null;
  @ApiProperty({ type: () => EvidenceDocumentView, isArray: true }) evidence: EvidenceDocumentView[];
  @ApiProperty({ type: () => ClaimTransitionView, isArray: true }) transitions: ClaimTransitionView[];
  @ApiProperty({ type: () => ClaimReviewView, isArray: true }) reviews: ClaimReviewView[];
  @ApiProperty({ type: () => ClaimChecklistItemView, isArray: true, description: 'the automatic checklist' })
  checklist: ClaimChecklistItemView[];
  @ApiPropertyOptional({ type: () => CertificateView, description: 'once approved' })
  certificate?: CertificateView;
}

export class DocumentIntegrityView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() filename: string;
  @ApiProperty() ok: boolean;
}

/** The evidence re-hashed now and compared with the recorded and certified hashes. */
export class ClaimIntegrityView {
  @ApiProperty() ok: boolean;
  @ApiProperty({ type: String, nullable: true }) storedSha256: string | null;
  @ApiProperty({ type: String, nullable: true }) recomputedSha256: string | null;
  @ApiProperty() snapshotIntact: boolean;
  @ApiProperty({ type: Boolean, nullable: true, description: 'null without a certificate' })
  certificateMatches: boolean | null;
  @ApiProperty({ type: () => DocumentIntegrityView, isArray: true }) documents: DocumentIntegrityView[];
  @ApiProperty({ type: String, isArray: true }) problems: string[];
}

/** GET orgs/:orgId/claims/:claimId/verification: the integrity check and the organisation's audit chain. */
export class ClaimVerificationView extends ClaimIntegrityView {
  @ApiProperty({ type: () => AuditChainVerification }) auditChain: AuditChainVerification;
}

/** A row of GET /me/notifications. */
export class NotificationView {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({
    enum: ['claim_submitted', 'claim_changes_requested', 'claim_decided', 'certificate_revoked'],
  })
  kind: string;
  @ApiProperty() title: string;
  @ApiProperty() body: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) organizationId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) certificationBodyId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) claimId: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the API path of the subject' }) link:
    string | null;
  @ApiProperty(nullableDateTime) readAt: Date | null;
  @ApiProperty(dateTime) createdAt: Date;
}

/** A download's body: the same bytes under each media type it may be sent with. */
export const binaryContent = (types: readonly string[]) =>
  Object.fromEntries(types.map((t) => [t, { schema: { type: 'string', format: 'binary' } }]));

/** The media types an evidence document is stored and sent with (checked by content: evidence-file.ts). */
export const EVIDENCE_MEDIA_TYPES = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
] as const;
