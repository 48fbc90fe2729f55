import { Column, Entity, PrimaryColumn } from 'typeorm';

export const CLAIM_STATUSES = [
  'draft',
  'submitted',
  'in_review',
  'changes_requested',
  'approved',
  'rejected',
  'withdrawn',
] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];
export const CLAIM_TYPES = [
  'renewable_share',
  'emission_reduction',
  'verified_savings',
  'carbon_neutral',
] as const;
export type ClaimType = (typeof CLAIM_TYPES)[number];
export const EVIDENCE_KINDS = [
  'bill',
  'meter_export',
  'certificate',
  'retirement_receipt',
  'management_plan',
  'other',
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];
export type AssuranceLevel = 'limited' | 'reasonable';

/** A low-carbon claim of an organisation, submitted to one certification body. */
@Entity('claims')
export class ClaimEntity {
  @PrimaryColumn('uuid') tenantId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('text') type: ClaimType;
  @Column('text') status: ClaimStatus;
  @Column('date') periodFrom: string;
  @Column('date') periodTo: string;
  @Column('uuid') certificationBodyId: string;
  /** What the organisation entered: scopes, basis, savings, offset credits... */
  @Column('jsonb', { default: () => "'{}'::jsonb" }) inputs: Record<string, unknown>;
  /** The claim's figures, locked at submission (live while editable). */
  @Column('jsonb', { default: () => "'{}'::jsonb" }) figures: Record<string, unknown>;
  @Column('text', { nullable: true }) statement: string | null;
  /** The evidence snapshot locked at the last submission, and the SHA-256 of its canonical JSON. */
  @Column('jsonb', { nullable: true }) snapshot: Record<string, unknown> | null;
  @Column('text', { nullable: true }) evidenceSha256: string | null;
  @Column('int', { default: 0 }) submissionCount: number;
  @Column('timestamptz', { nullable: true }) submittedAt: Date | null;
  @Column('uuid', { nullable: true }) reviewerId: string | null;
  @Column('text', { nullable: true }) assuranceLevel: AssuranceLevel | null;
  @Column('text', { nullable: true }) decisionStatement: string | null;
  @Column('timestamptz', { nullable: true }) decidedAt: Date | null;
  @Column('uuid', { nullable: true }) decidedBy: string | null;
  @Column('text', { nullable: true }) certificateNumber: string | null;
  @Column('uuid', { nullable: true }) createdBy: string | null;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { default: () => 'now()' }) updatedAt: Date;
}

/** An uploaded document (bill, certificate, retirement receipt...), immutable once the claim is submitted. */
@Entity('claim_evidence')
export class ClaimEvidenceEntity {
  @PrimaryColumn('uuid') tenantId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') claimId: string;
  @Column('text') kind: EvidenceKind;
  @Column('text') filename: string;
  @Column('text') contentType: string;
  @Column('bigint') sizeBytes: string;
  @Column('bytea', { select: false }) content: Buffer;
  @Column('text') sha256: string;
  @Column('text', { nullable: true }) description: string | null;
  @Column('uuid', { nullable: true }) uploadedBy: string | null;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
}

/** Every status change of a claim: who, when, why. */
@Entity('claim_transitions')
export class ClaimTransitionEntity {
  @PrimaryColumn('uuid') tenantId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') claimId: string;
  @Column('text') fromStatus: ClaimStatus;
  @Column('text') toStatus: ClaimStatus;
  @Column('uuid', { nullable: true }) actorUserId: string | null;
  @Column('text') actorKind: 'organization' | 'certifier';
  @Column('uuid') bodyId: string;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('jsonb', { default: () => "'[]'::jsonb" }) findings: unknown[];
  @Column('text', { nullable: true }) evidenceSha256: string | null;
  @Column('timestamptz', { default: () => 'now()' }) at: Date;
}

/** One review round of a submission: checklist, findings and the decision. */
@Entity('claim_reviews')
export class ClaimReviewEntity {
  @PrimaryColumn('uuid') tenantId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') claimId: string;
  @Column('uuid') bodyId: string;
  @Column('uuid') reviewerId: string;
  @Column('int') submission: number;
  @Column('jsonb', { default: () => "'[]'::jsonb" }) checklist: unknown[];
  @Column('jsonb', { default: () => "'[]'::jsonb" }) findings: unknown[];
  @Column('text', { nullable: true }) decision: 'changes_requested' | 'approved' | 'rejected' | null;
  @Column('text', { nullable: true }) assuranceLevel: AssuranceLevel | null;
  @Column('text', { nullable: true }) statement: string | null;
  @Column('timestamptz', { default: () => 'now()' }) startedAt: Date;
  @Column('timestamptz', { nullable: true }) decidedAt: Date | null;
}

/** Global: what public verification of a certificate needs, and nothing else of the organisation. */
@Entity('certificate_registry')
export class CertificateRegistryEntity {
  @PrimaryColumn('text') number: string;
  @Column('uuid') bodyId: string;
  @Column('text') bodyName: string;
  @Column('text') claimType: ClaimType;
  @Column('text') statement: string;
  @Column('date') periodFrom: string;
  @Column('date') periodTo: string;
  @Column('text') assuranceLevel: AssuranceLevel;
  @Column('timestamptz') issuedAt: Date;
  @Column('date') validUntil: string;
  @Column('text') evidenceSha256: string;
  @Column('timestamptz', { nullable: true }) revokedAt: Date | null;
  @Column('text', { nullable: true }) revocationReason: string | null;
}

/** Global: offset-credit serials claimed for carbon neutrality, unique across organisations. */
@Entity('offset_credit_registry')
export class OffsetCreditRegistryEntity {
  @PrimaryColumn('text') registry: string;
  @PrimaryColumn('text') serial: string;
  @Column('uuid') tenantId: string;
  @Column('uuid') claimId: string;
}

/** In-portal notification of one user. */
@Entity('user_notifications')
export class UserNotificationEntity {
  @PrimaryColumn('uuid') userId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('text') kind: string;
  @Column('text') title: string;
  @Column('text') body: string;
  @Column('uuid', { nullable: true }) organizationId: string | null;
  @Column('uuid', { nullable: true }) certificationBodyId: string | null;
  @Column('uuid', { nullable: true }) claimId: string | null;
  @Column('text', { nullable: true }) link: string | null;
  @Column('timestamptz', { nullable: true }) readAt: Date | null;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
}

export const CERTIFICATION_ENTITIES = [
  ClaimEntity,
  ClaimEvidenceEntity,
  ClaimTransitionEntity,
  ClaimReviewEntity,
  CertificateRegistryEntity,
  OffsetCreditRegistryEntity,
  UserNotificationEntity,
];
