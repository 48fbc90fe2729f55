import { AppError, BadInputError, ConflictError, UnprocessableError } from '@halve/platform';
import type { ChecklistItem } from './claim-rules';
import { defaultValidUntil } from './claim-rules';
import type { CertifierTransitionDto } from './dto/certification.dto';
import {
  CertificateRegistryEntity,
  type ClaimEntity,
  type ClaimReviewEntity,
  type ClaimStatus,
} from './entities/certification.entities';
import type { NotificationInput } from './notifications.service';
import { snapshotSha256 } from './snapshot';
import { CERTIFIER_TARGETS } from './workflow';

/**
 * The certifier's side of the claim workflow as a table: for each status a certifier moves a claim
 * to, what must hold, what is recorded on the review and the claim, and whom the organisation is
 * told. Who may make the move from which status is ./workflow.ts's TRANSITIONS; CertifierService
 * loads the claim, consults both tables and persists what they say.
 */

export type CertifierTarget = 'in_review' | 'changes_requested' | 'approved' | 'rejected';
type Finding = NonNullable<CertifierTransitionDto['findings']>[number];

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

/** One certifier move being made: the claim as loaded (locked), the request, and the reviewed checklist. */
export interface CertifierMove {
  claim: ClaimEntity;
  dto: CertifierTransitionDto;
  userId: string;
  now: Date;
  findings: Finding[];
  checklist: ReviewedChecklistItem[];
}

/** A move after its certificate (approved) was issued. */
export interface RecordedMove extends CertifierMove {
  certificate: CertificateRegistryEntity | null;
}

/** A condition of a move: the refusal when it does not hold, null when it does. */
type Requirement = (m: CertifierMove) => AppError | null;

export interface CertifierStep {
  /** in_review opens a new review round; the decisions close the open one (refused without one). */
  review: 'open' | 'decide';
  /** What must hold, checked in order; the first refusal is the answer. */
  requires: readonly Requirement[];
  /** A certificate is issued into the public registry (approved). */
  issuesCertificate: boolean;
  /** The claim's offset serials are released for other claims (it will never be certified). */
  releasesOffsetSerials: boolean;
  /** What is recorded on the review round and on the claim. */
  record(m: RecordedMove): { review: Partial<ClaimReviewEntity>; claim: Partial<ClaimEntity> };
  /** What the organisation's admins are told, once the move committed. */
  notice?(
    m: RecordedMove,
    bodyName: string,
    label: string,
  ): Pick<NotificationInput, 'kind' | 'title' | 'body'>;
}

const statementOfSnapshot = (c: ClaimEntity) => (c.snapshot?.claim as { statement: string }).statement;

const needsFindings: Requirement = (m) =>
  m.findings.length
    ? null
    : new BadInputError('Requesting changes needs at least one finding (severity and text).', [
        { field: 'findings', message: 'at least one finding is required' },
      ]);

const needsStatement: Requirement = (m) =>
  m.dto.statement
    ? null
    : new BadInputError('A rejection needs a statement saying why.', [
        { field: 'statement', message: 'required when rejecting' },
      ]);

const needsAssuranceLevel: Requirement = (m) =>
  m.dto.assuranceLevel
    ? null
    : new BadInputError('An approval states the assurance level (limited or reasonable).', [
        { field: 'assuranceLevel', message: 'required when approving' },
      ]);

/** A validity the certifier states ends on or after the day of issue (UTC). */
const validityFromIssue: Requirement = (m) =>
  !m.dto.validUntil || m.dto.validUntil >= m.now.toISOString().slice(0, 10)
    ? null
    : new BadInputError(`validUntil ${m.dto.validUntil} is before the day of issue.`, [
        { field: 'validUntil', message: 'before the day of issue' },
      ]);

const checklistPasses: Requirement = (m) => {
  const failing = m.checklist.filter((i) => i.result === 'fail');
  return failing.length
    ? new UnprocessableError(
        `The checklist does not pass: ${failing.map((i) => `${i.key} (${i.detail})`).join('; ')}. Confirm an item explicitly only if the review shows it is met.`,
        failing.map((i) => ({ field: `checklist.${i.key}`, message: i.detail })),
      )
    : null;
};

const noMajorFinding: Requirement = (m) =>
  m.findings.some((f) => f.severity === 'major')
    ? new UnprocessableError(
        'A claim with a major finding cannot be approved; request changes or reject it.',
        [{ field: 'findings', message: 'major finding' }],
      )
    : null;

/** The snapshot must still be the one submitted before a certificate carries its hash. */
const snapshotIntact: Requirement = (m) => {
  const sha = m.claim.snapshot ? snapshotSha256(m.claim.snapshot) : null;
  return sha && sha === m.claim.evidenceSha256
    ? null
    : new ConflictError(
        'The evidence snapshot no longer matches its recorded SHA-256: it was altered after submission; no certificate can be issued.',
        'evidence_altered',
      );
};

const period = (c: ClaimEntity) => `${c.periodFrom} to ${c.periodTo}`;

export const CERTIFIER_STEPS: Record<CertifierTarget, CertifierStep> = {
  in_review: {
    review: 'open',
    requires: [],
    issuesCertificate: false,
    releasesOffsetSerials: false,
    record: (m) => ({
      review: { checklist: m.checklist, findings: [], decision: null, assuranceLevel: null, statement: null },
      claim: { status: 'in_review', reviewerId: m.userId },
    }),
  },
  changes_requested: {
    review: 'decide',
    requires: [needsFindings],
    issuesCertificate: false,
    releasesOffsetSerials: false,
    record: (m) => ({
      review: {
        checklist: m.checklist,
        findings: m.findings,
        decision: 'changes_requested',
        statement: m.dto.statement ?? null,
        decidedAt: m.now,
      },
      claim: { status: 'changes_requested' },
    }),
    notice: (m, bodyName, label) => ({
      kind: 'claim_changes_requested',
      title: `Changes requested on your ${label} claim`,
      body: `${bodyName} requested changes to the ${label} claim for ${period(m.claim)}: ${m.findings.map((f) => `[${f.severity}] ${f.text}`).join(' ')}`,
    }),
  },
  rejected: {
    review: 'decide',
    requires: [needsStatement],
    issuesCertificate: false,
    releasesOffsetSerials: true,
    record: (m) => ({
      review: {
        checklist: m.checklist,
        findings: m.findings,
        decision: 'rejected',
        statement: m.dto.statement,
        assuranceLevel: m.dto.assuranceLevel ?? null,
        decidedAt: m.now,
      },
      claim: {
        status: 'rejected',
        decisionStatement: m.dto.statement,
        decidedAt: m.now,
        decidedBy: m.userId,
      },
    }),
    notice: (m, bodyName, label) => ({
      kind: 'claim_decided',
      title: `Your ${label} claim was rejected`,
      body: `${bodyName} rejected the ${label} claim for ${period(m.claim)}: ${m.dto.statement}`,
    }),
  },
  approved: {
    review: 'decide',
    requires: [needsAssuranceLevel, validityFromIssue, checklistPasses, noMajorFinding, snapshotIntact],
    issuesCertificate: true,
    releasesOffsetSerials: false,
    record: (m) => {
      const statement = m.dto.statement ?? statementOfSnapshot(m.claim);
      return {
        review: {
          checklist: m.checklist,
          findings: m.findings,
          decision: 'approved',
          statement,
          assuranceLevel: m.dto.assuranceLevel,
          decidedAt: m.now,
        },
        claim: {
          status: 'approved',
          assuranceLevel: m.dto.assuranceLevel,
          decisionStatement: statement,
          decidedAt: m.now,
          decidedBy: m.userId,
          certificateNumber: m.certificate?.number ?? null,
        },
      };
    },
    notice: (m, bodyName, label) => ({
      kind: 'claim_decided',
      title: `Your ${label} claim was approved`,
      body: `${bodyName} approved the ${label} claim for ${period(m.claim)}: certificate ${m.certificate?.number}, valid until ${m.certificate?.validUntil}.`,
    }),
  },
};

/** The step of a certifier move; `to` passed checkTransition for the certifier, so it is a certifier target. */
export function certifierStep(to: ClaimStatus): CertifierStep {
  if (!(CERTIFIER_TARGETS as readonly string[]).includes(to))
    throw new Error(`${to} is not a certifier target`);
  return CERTIFIER_STEPS[to as CertifierTarget];
}

/** The first requirement of `step` the move does not meet (thrown), else nothing. */
export function checkRequirements(step: CertifierStep, m: CertifierMove): void {
  for (const requirement of step.requires) {
    const refusal = requirement(m);
    if (refusal) throw refusal;
  }
}

/** The registry entry an approval issues under `number` (unique, drawn by the caller). */
export function certificateOf(
  m: CertifierMove,
  number: string,
  bodyId: string,
  bodyName: string,
): CertificateRegistryEntity {
  return Object.assign(new CertificateRegistryEntity(), {
    number,
    bodyId,
    bodyName,
    claimType: m.claim.type,
    statement: m.dto.statement ?? statementOfSnapshot(m.claim),
    periodFrom: m.claim.periodFrom,
    periodTo: m.claim.periodTo,
    assuranceLevel: m.dto.assuranceLevel,
    issuedAt: m.now,
    validUntil: m.dto.validUntil ?? defaultValidUntil(m.claim.periodTo),
    evidenceSha256: snapshotSha256(m.claim.snapshot as Record<string, unknown>),
    revokedAt: null,
    revocationReason: null,
  });
}
