import type { CertifierTransitionDto } from './dto/certification.dto';
import type { ClaimEntity } from './entities/certification.entities';
import {
  CERTIFIER_STEPS,
  type CertifierMove,
  certificateOf,
  certifierStep,
  checkRequirements,
  reviewChecklist,
} from './certifier-transitions';
import { snapshotSha256 } from './snapshot';
import { CERTIFIER_TARGETS, TRANSITIONS } from './workflow';

const snapshot = { claim: { statement: 'Acme: 80 % renewable.' }, checklist: [] };
const claim = {
  tenantId: 'org',
  id: 'claim',
  type: 'renewable_share',
  status: 'in_review',
  periodFrom: '2024-01-01',
  periodTo: '2025-01-01',
  snapshot,
  evidenceSha256: snapshotSha256(snapshot),
} as unknown as ClaimEntity;
const auto = [{ key: 'boundary_complete', label: 'Boundary', auto: 'fail' as const, detail: 'flagged' }];

function move(dto: CertifierTransitionDto, over: Partial<CertifierMove> = {}): CertifierMove {
  return {
    claim,
    dto,
    userId: 'certifier',
    now: new Date('2025-03-01T00:00:00Z'),
    findings: dto.findings ?? [],
    checklist: reviewChecklist(auto, dto.checklist),
    ...over,
  };
}

const refusal = (dto: CertifierTransitionDto, over: Partial<CertifierMove> = {}) => {
  try {
    checkRequirements(certifierStep(dto.to), move(dto, over));
    return null;
  } catch (e) {
    return e as { status: number; message: string };
  }
};

describe('certifier transition table', () => {
  it('has a step for every status a certifier moves a claim to, and only those', () => {
    expect(Object.keys(CERTIFIER_STEPS).sort()).toEqual([...CERTIFIER_TARGETS].sort());
    for (const next of Object.values(TRANSITIONS))
      for (const [to, actor] of Object.entries(next))
        if (actor === 'certifier') expect(CERTIFIER_STEPS).toHaveProperty(to);
    expect(() => certifierStep('submitted')).toThrow();
  });

  it('opens a review on in_review and decides it otherwise; only an approval issues a certificate', () => {
    expect(CERTIFIER_STEPS.in_review.review).toBe('open');
    for (const to of ['changes_requested', 'approved', 'rejected'] as const)
      expect(CERTIFIER_STEPS[to].review).toBe('decide');
    expect(
      Object.entries(CERTIFIER_STEPS)
        .filter(([, s]) => s.issuesCertificate)
        .map(([k]) => k),
    ).toEqual(['approved']);
    expect(
      Object.entries(CERTIFIER_STEPS)
        .filter(([, s]) => s.releasesOffsetSerials)
        .map(([k]) => k),
    ).toEqual(['rejected']);
  });

  it('refuses changes without findings and a rejection without a statement (400)', () => {
    expect(refusal({ to: 'changes_requested' })).toMatchObject({ status: 400 });
    expect(refusal({ to: 'changes_requested', findings: [{ severity: 'minor', text: 'x' }] })).toBeNull();
    expect(refusal({ to: 'rejected' })).toMatchObject({ status: 400 });
    expect(refusal({ to: 'rejected', statement: 'No bills.' })).toBeNull();
  });

  it('checks an approval in order: assurance level, checklist, major findings, intact snapshot', () => {
    expect(refusal({ to: 'approved' })).toMatchObject({ status: 400 });
    expect(refusal({ to: 'approved', assuranceLevel: 'limited' })).toMatchObject({ status: 422 });
    const confirmed = { boundary_complete: true };
    expect(
      refusal({
        to: 'approved',
        assuranceLevel: 'limited',
        checklist: confirmed,
        findings: [{ severity: 'major', text: 'x' }],
      }),
    ).toMatchObject({ status: 422, message: expect.stringMatching(/major finding/) });
    const altered = { ...claim, snapshot: { ...snapshot, extra: 1 } } as ClaimEntity;
    expect(
      refusal({ to: 'approved', assuranceLevel: 'limited', checklist: confirmed }, { claim: altered }),
    ).toMatchObject({ status: 409 });
    expect(refusal({ to: 'approved', assuranceLevel: 'limited', checklist: confirmed })).toBeNull();
  });

  it('records an approval with its certificate, and the statement of the snapshot by default', () => {
    const m = move({ to: 'approved', assuranceLevel: 'reasonable', checklist: { boundary_complete: true } });
    const certificate = certificateOf(m, 'HLV-2025-X', 'body', 'GreenMark');
    expect(certificate).toMatchObject({
      statement: 'Acme: 80 % renewable.',
      validUntil: '2025-12-31',
      evidenceSha256: claim.evidenceSha256,
      assuranceLevel: 'reasonable',
    });
    const recorded = CERTIFIER_STEPS.approved.record({ ...m, certificate });
    expect(recorded.claim).toMatchObject({
      status: 'approved',
      certificateNumber: 'HLV-2025-X',
      decisionStatement: 'Acme: 80 % renewable.',
      decidedBy: 'certifier',
    });
    expect(recorded.review).toMatchObject({ decision: 'approved', assuranceLevel: 'reasonable' });
    expect(
      CERTIFIER_STEPS.approved.notice?.({ ...m, certificate }, 'GreenMark', 'renewable share'),
    ).toMatchObject({ kind: 'claim_decided', title: 'Your renewable share claim was approved' });
  });

  it('issues a certificate to the validity the certifier states, never ending before the day of issue', () => {
    const approve = {
      to: 'approved' as const,
      assuranceLevel: 'limited' as const,
      checklist: { boundary_complete: true },
    };
    // now = 1 March 2025 (move()): the last day of February is before the day of issue
    expect(refusal({ ...approve, validUntil: '2025-02-28' })).toMatchObject({
      status: 400,
      message: expect.stringMatching(/validUntil 2025-02-28 is before the day of issue/),
    });
    expect(refusal({ ...approve, validUntil: '2025-03-01' })).toBeNull();
    const certificate = certificateOf(
      move({ ...approve, validUntil: '2026-02-28' }),
      'HLV-2025-Y',
      'body',
      'GreenMark',
    );
    expect(certificate.validUntil).toBe('2026-02-28');
  });
});
