import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import {
  APP_CONFIG,
  AppConfig,
  AppError,
  AuditService,
  BadInputError,
  ConflictError,
  Db,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  ProblemField,
  RequestContext,
  UnprocessableError,
} from '@halve/platform';
import { ClaimEvaluator, inventorySummary } from './claim-evaluator.service';
import { ClaimInputs, defaultScopes } from './claim-rules';
import { batchesProblems, serialRange } from './iso14068-offsets';
import { CertificationRepository, EvidenceMeta } from './certification.repository';
import { claimIntegrity } from './claim-integrity';
import { certificatePdf } from './certificate-pdf';
import type { ClaimFieldsDto, CreateClaimDto, UpdateClaimDto } from './dto/certification.dto';
import { ACCEPTED_EVIDENCE, detectEvidenceType, safeFilename } from './evidence-file';
import {
  CertificateRegistryEntity,
  ClaimEntity,
  ClaimEvidenceEntity,
  ClaimReviewEntity,
  ClaimStatus,
  ClaimTransitionEntity,
  EvidenceKind,
} from './entities/certification.entities';
import { NotificationsService } from './notifications.service';
import { certificateStatus, snapshotSha256 } from './snapshot';
import { EDITABLE, checkTransition } from './workflow';

export const SNAPSHOT_SCHEMA = 'halve.claim-snapshot/1';

export interface UploadedEvidence {
  buffer: Buffer;
  originalname: string;
  size: number;
}

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

/** The inputs of a claim that apply to its type; anything else is refused naming the field. */
export function claimInputs(
  type: ClaimEntity['type'],
  dto: ClaimFieldsDto,
  previous: ClaimInputs = {},
): ClaimInputs {
  const fields: ProblemField[] = [];
  const only = (field: keyof ClaimFieldsDto, types: ClaimEntity['type'][]) => {
    if (dto[field] !== undefined && !types.includes(type))
      fields.push({ field, message: `${field} applies only to ${types.join(' and ')} claims` });
  };
  only('scopes', ['emission_reduction', 'carbon_neutral']);
  only('scope2Method', ['emission_reduction', 'carbon_neutral']);
  only('baseYear', ['emission_reduction', 'carbon_neutral']);
  only('basis', ['emission_reduction']);
  only('intensityDenominator', ['emission_reduction']);
  only('savings', ['verified_savings']);
  only('offsets', ['carbon_neutral']);
  only('managementPlan', ['carbon_neutral']);
  only('scope3Screening', ['carbon_neutral']);
  if (dto.scopes && !(dto.scopes.includes(1) && dto.scopes.includes(2)))
    fields.push({ field: 'scopes', message: 'scopes must include 1 and 2 (3 is optional)' });
  if (dto.offsets) {
    // A bad range, the same credit in two batches, or too many credits is refused here; across
    // claims, the serials are registered one by one at submission.
    dto.offsets.forEach((o, i) => {
      if (!o.serialFrom || !o.serialTo) return;
      const range = serialRange(o.serialFrom, o.serialTo);
      if (!range.ok) fields.push({ field: `offsets[${i}].serialTo`, message: range.reason });
    });
    for (const p of batchesProblems(dto.offsets))
      fields.push({ field: p.index >= 0 ? `offsets[${p.index}].serialFrom` : 'offsets', message: p.message });
  }
  if (dto.scope3Screening) {
    const cats = dto.scope3Screening.map((x) => x.category);
    const dup = cats.find((c, i) => cats.indexOf(c) !== i);
    if (dup !== undefined)
      fields.push({ field: 'scope3Screening', message: `category ${dup} is screened twice` });
  }
  if (fields.length)
    throw new BadInputError(`Invalid claim: ${fields.map((f) => f.message).join('; ')}.`, fields);
  const next: ClaimInputs = { ...previous };
  for (const key of [
    'scopes',
    'scope2Method',
    'baseYear',
    'basis',
    'intensityDenominator',
    'savings',
    'offsets',
    'managementPlan',
    'scope3Screening',
  ] as const) {
    if (dto[key] !== undefined) (next as Record<string, unknown>)[key] = JSON.parse(JSON.stringify(dto[key]));
  }
  if ((type === 'emission_reduction' || type === 'carbon_neutral') && !next.scopes)
    next.scopes = defaultScopes(type);
  return next;
}

/** Organisation side of certification: drafting claims, evidence, submission and withdrawal. */
@Injectable()
export class ClaimsService {
  constructor(
    private readonly db: Db,
    private readonly repo: CertificationRepository,
    private readonly evaluator: ClaimEvaluator,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  // ---- views ----

  private async load(
    em: EntityManager,
    tenantId: string,
    claimId: string,
    lock = false,
  ): Promise<ClaimEntity> {
    const claim = await this.repo.claim(em, tenantId, claimId, lock);
    if (!claim) throw new NotFoundError('Claim', claimId);
    return claim;
  }

  /** The claim as the API shows it; figures are live while editable, locked afterwards. */
  private async view(tenantId: string, claim: ClaimEntity) {
    const { evidence, reviews, certificate, body } = await this.db.tenant(
      async (em) => ({
        evidence: await this.repo.evidence(em, tenantId, claim.id),
        reviews: await this.repo.reviews(em, tenantId, claim.id),
        certificate: claim.certificateNumber
          ? await this.repo.certificate(em, claim.certificateNumber)
          : null,
        body: await this.repo.body(em, claim.certificationBodyId),
      }),
      tenantId,
    );
    let figures = claim.figures;
    let statement =
      claim.statement ?? (claim.snapshot?.claim as { statement?: string } | undefined)?.statement ?? null;
    let missing: { field: string; message: string }[] | undefined;
    if (EDITABLE.includes(claim.status)) {
      const live = await this.evaluator.evaluate(
        tenantId,
        { ...claim, inputs: claim.inputs as ClaimInputs },
        evidence.map((e) => e.kind),
      );
      figures = live.result.figures;
      missing = live.result.missing;
      statement = claim.statement ?? live.result.statement;
    }
    return {
      id: claim.id,
      type: claim.type,
      status: claim.status,
      periodFrom: claim.periodFrom,
      periodTo: claim.periodTo,
      certificationBodyId: claim.certificationBodyId,
      certificationBody: body ? { id: body.id, name: body.name } : null,
      statement,
      inputs: claim.inputs,
      figures,
      ...(missing ? { missing } : {}),
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

  async list(tenantId: string) {
    const claims = await this.db.tenant((em) => this.repo.claims(em, tenantId), tenantId);
    return claims.map((c) => ({
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
    }));
  }

  async get(tenantId: string, claimId: string) {
    const claim = await this.db.tenant((em) => this.load(em, tenantId, claimId), tenantId);
    return this.view(tenantId, claim);
  }

  // ---- drafting ----

  private async checkBody(em: EntityManager, bodyId: string, type: ClaimEntity['type']) {
    const body = await this.repo.body(em, bodyId);
    if (!body)
      throw new BadInputError(`There is no certification body ${bodyId}.`, [
        { field: 'certificationBodyId', message: 'no such certification body' },
      ]);
    if (!body.claimTypes.includes(type)) {
      throw new UnprocessableError(
        `${body.name} does not certify ${type} claims; it accepts ${body.claimTypes.join(', ')}.`,
        [{ field: 'certificationBodyId', message: `does not accept ${type}` }],
      );
    }
    return body;
  }

  private checkPeriod(from: string, to: string) {
    if (to <= from)
      throw new BadInputError(
        `The period is empty: periodTo (${to}, exclusive) must be after periodFrom (${from}).`,
        [{ field: 'periodTo', message: 'must be after periodFrom' }],
      );
  }

  async create(tenantId: string, dto: CreateClaimDto) {
    this.checkPeriod(dto.periodFrom, dto.periodTo);
    const inputs = claimInputs(dto.type, dto);
    await this.db.tenant((em) => this.checkBody(em, dto.certificationBodyId, dto.type), tenantId);
    // Computing the figures once validates the period against the organisation's zone and data.
    const evaluation = await this.evaluator.evaluate(
      tenantId,
      { type: dto.type, periodFrom: dto.periodFrom, periodTo: dto.periodTo, inputs },
      [],
    );
    const now = new Date();
    const claim = Object.assign(new ClaimEntity(), {
      tenantId,
      id: randomUUID(),
      type: dto.type,
      status: 'draft' as ClaimStatus,
      periodFrom: dto.periodFrom,
      periodTo: dto.periodTo,
      certificationBodyId: dto.certificationBodyId,
      inputs: inputs as Record<string, unknown>,
      figures: evaluation.result.figures,
      statement: dto.statement ?? null,
      snapshot: null,
      evidenceSha256: null,
      submissionCount: 0,
      submittedAt: null,
      reviewerId: null,
      assuranceLevel: null,
      decisionStatement: null,
      decidedAt: null,
      decidedBy: null,
      certificateNumber: null,
      createdBy: RequestContext.maybe()?.userId ?? null,
      createdAt: now,
      updatedAt: now,
    });
    await this.db.tenant(async (em) => {
      await this.repo.insertClaim(em, claim);
      await this.audit.record(em, tenantId, {
        action: 'claim.created',
        entityType: 'claim',
        entityId: claim.id,
        summary: {
          after: {
            type: claim.type,
            periodFrom: claim.periodFrom,
            periodTo: claim.periodTo,
            certificationBodyId: claim.certificationBodyId,
          },
        },
      });
    }, tenantId);
    return this.view(tenantId, claim);
  }

  async update(tenantId: string, claimId: string, dto: UpdateClaimDto) {
    const claim = await this.db.tenant(async (em) => {
      const c = await this.load(em, tenantId, claimId, true);
      if (!EDITABLE.includes(c.status))
        throw new ConflictError(
          `A ${c.status} claim cannot be edited; only a draft or a claim with changes requested can.`,
          'claim_locked',
        );
      const periodFrom = dto.periodFrom ?? c.periodFrom;
      const periodTo = dto.periodTo ?? c.periodTo;
      this.checkPeriod(periodFrom, periodTo);
      if (dto.certificationBodyId && dto.certificationBodyId !== c.certificationBodyId) {
        if (c.submissionCount > 0)
          throw new ConflictError(
            'The certification body cannot change once the claim has been submitted to it.',
            'claim_locked',
          );
        await this.checkBody(em, dto.certificationBodyId, c.type);
      }
      const inputs = claimInputs(c.type, dto, c.inputs as ClaimInputs);
      const changes: Partial<ClaimEntity> = {
        periodFrom,
        periodTo,
        inputs: inputs as Record<string, unknown>,
        certificationBodyId: dto.certificationBodyId ?? c.certificationBodyId,
        statement: dto.statement ?? c.statement,
      };
      await this.repo.updateClaim(em, c, changes);
      await this.audit.record(em, tenantId, {
        action: 'claim.updated',
        entityType: 'claim',
        entityId: c.id,
        summary: { fields: Object.keys(dto) },
      });
      return c;
    }, tenantId);
    return this.view(tenantId, claim);
  }

  // ---- evidence ----

  async addEvidence(
    tenantId: string,
    claimId: string,
    file: UploadedEvidence | undefined,
    kind: EvidenceKind,
    description?: string,
  ) {
    if (!file)
      throw new BadInputError('Send the document as the multipart field "file".', [
        { field: 'file', message: 'required' },
      ]);
    if (file.size === 0)
      throw new BadInputError('The file is empty.', [{ field: 'file', message: 'empty file' }]);
    if (file.size > this.config.evidenceLimitBytes)
      throw new PayloadTooLargeError(this.config.evidenceLimitBytes, 'The evidence file');
    const detected = detectEvidenceType(file.buffer);
    if (!detected) {
      throw new AppError(
        415,
        'unsupported_media_type',
        `The file's content is not ${ACCEPTED_EVIDENCE} (judged by its bytes, not its name "${file.originalname}").`,
        [{ field: 'file', message: `must be ${ACCEPTED_EVIDENCE}` }],
      );
    }
    return this.db.tenant(async (em) => {
      const claim = await this.load(em, tenantId, claimId, true);
      if (!EDITABLE.includes(claim.status)) {
        throw new ConflictError(
          `The evidence of a ${claim.status} claim is locked: documents can be added only to a draft or a claim with changes requested.`,
          'evidence_locked',
        );
      }
      const row = Object.assign(new ClaimEvidenceEntity(), {
        tenantId,
        id: randomUUID(),
        claimId,
        kind,
        filename: safeFilename(file.originalname, detected.type),
        contentType: detected.contentType,
        sizeBytes: String(file.size),
        content: file.buffer,
        sha256: createHash('sha256').update(file.buffer).digest('hex'),
        description: description ?? null,
        uploadedBy: RequestContext.maybe()?.userId ?? null,
        createdAt: new Date(),
      });
      await this.repo.insertEvidence(em, row);
      await this.repo.updateClaim(em, claim, {});
      await this.audit.record(em, tenantId, {
        action: 'claim.evidence_added',
        entityType: 'claim',
        entityId: claimId,
        summary: {
          evidenceId: row.id,
          kind,
          filename: row.filename,
          sha256: row.sha256,
          sizeBytes: file.size,
        },
      });
      const { content: _content, ...meta } = row;
      return evidenceView(meta);
    }, tenantId);
  }

  async listEvidence(tenantId: string, claimId: string) {
    return this.db.tenant(async (em) => {
      await this.load(em, tenantId, claimId);
      return (await this.repo.evidence(em, tenantId, claimId)).map(evidenceView);
    }, tenantId);
  }

  async evidenceFile(tenantId: string, claimId: string, evidenceId: string) {
    const row = await this.db.tenant(
      (em) => this.repo.evidenceContent(em, tenantId, claimId, evidenceId),
      tenantId,
    );
    if (!row) throw new NotFoundError('Evidence', evidenceId);
    return row;
  }

  async deleteEvidence(tenantId: string, claimId: string, evidenceId: string): Promise<void> {
    await this.db.tenant(async (em) => {
      const claim = await this.load(em, tenantId, claimId, true);
      if (claim.status !== 'draft')
        throw new ConflictError(
          `The evidence of a ${claim.status} claim cannot be removed: it is part of a submitted snapshot.`,
          'evidence_locked',
        );
      if (!(await this.repo.deleteEvidence(em, tenantId, claimId, evidenceId)))
        throw new NotFoundError('Evidence', evidenceId);
      await this.repo.updateClaim(em, claim, {});
      await this.audit.record(em, tenantId, {
        action: 'claim.evidence_removed',
        entityType: 'claim',
        entityId: claimId,
        summary: { evidenceId },
      });
    }, tenantId);
  }

  // ---- transitions ----

  async transitions(tenantId: string, claimId: string) {
    return this.db.tenant(async (em) => {
      await this.load(em, tenantId, claimId);
      return (await this.repo.transitions(em, tenantId, claimId)).map(transitionView);
    }, tenantId);
  }

  async transition(tenantId: string, claimId: string, to: ClaimStatus, reason?: string) {
    const current = await this.db.tenant((em) => this.load(em, tenantId, claimId), tenantId);
    const check = checkTransition(current.status, to, 'organization');
    if (!check.ok) {
      if (check.reason === 'wrong_actor') throw new ForbiddenError(check.message);
      throw new ConflictError(check.message, 'illegal_transition', { from: current.status, to });
    }
    const claim =
      to === 'submitted'
        ? await this.submit(tenantId, current, reason)
        : await this.withdraw(tenantId, current, reason);
    return this.view(tenantId, claim);
  }

  private async withdraw(tenantId: string, current: ClaimEntity, reason?: string): Promise<ClaimEntity> {
    return this.db.tenant(async (em) => {
      const claim = await this.load(em, tenantId, current.id, true);
      const check = checkTransition(claim.status, 'withdrawn', 'organization');
      if (!check.ok)
        throw new ConflictError(check.message, 'illegal_transition', { from: claim.status, to: 'withdrawn' });
      const from = claim.status;
      await this.repo.updateClaim(em, claim, { status: 'withdrawn' });
      await this.repo.releaseOffsetSerials(em, tenantId, claim.id);
      await this.recordTransition(em, claim, from, 'withdrawn', reason ?? null);
      return claim;
    }, tenantId);
  }

  private async recordTransition(
    em: EntityManager,
    claim: ClaimEntity,
    from: ClaimStatus,
    to: ClaimStatus,
    reason: string | null,
  ) {
    const userId = RequestContext.maybe()?.userId ?? null;
    await this.repo.insertTransition(
      em,
      Object.assign(new ClaimTransitionEntity(), {
        tenantId: claim.tenantId,
        id: randomUUID(),
        claimId: claim.id,
        fromStatus: from,
        toStatus: to,
        actorUserId: userId,
        actorKind: 'organization',
        bodyId: claim.certificationBodyId,
        reason,
        findings: [],
        evidenceSha256: to === 'submitted' ? claim.evidenceSha256 : null,
        at: new Date(),
      }),
    );
    const action = to === 'submitted' && from === 'changes_requested' ? 'claim.resubmitted' : `claim.${to}`;
    await this.audit.record(em, claim.tenantId, {
      action,
      entityType: 'claim',
      entityId: claim.id,
      summary: {
        from,
        to,
        reason,
        certificationBodyId: claim.certificationBodyId,
        ...(to === 'submitted'
          ? { evidenceSha256: claim.evidenceSha256, submission: claim.submissionCount }
          : {}),
      },
    });
  }

  /** Registers every credit serial of the claim's batches; refuses credits another claim holds. */
  private async registerOffsetSerials(
    em: EntityManager,
    tenantId: string,
    claimId: string,
    inputs: ClaimInputs,
  ) {
    await this.repo.releaseOffsetSerials(em, tenantId, claimId);
    const taken: string[] = [];
    for (const o of inputs.offsets ?? []) {
      // Submission passed the rules: every batch has a registry and a valid serial range.
      const range = serialRange(o.serialFrom as string, o.serialTo as string);
      if (!range.ok || !o.registry) continue;
      taken.push(
        ...(await this.repo.claimOffsetSerials(em, claimId, o.registry, range.serials())).map(
          (s) => `${o.registry} ${s}`,
        ),
      );
    }
    if (taken.length)
      throw new ConflictError(
        `Offset credits already claimed by another claim: ${taken.slice(0, 10).join(', ')}${taken.length > 10 ? ` and ${taken.length - 10} more` : ''}.`,
        'offsets_already_claimed',
        { serials: taken.slice(0, 100), count: taken.length },
      );
  }

  /** Locks the evidence snapshot (canonical JSON and its SHA-256) and hands the claim to the body. */
  private async submit(tenantId: string, current: ClaimEntity, reason?: string): Promise<ClaimEntity> {
    const { evidence, body } = await this.db.tenant(
      async (em) => ({
        evidence: await this.repo.evidence(em, tenantId, current.id),
        body: await this.checkBody(em, current.certificationBodyId, current.type),
      }),
      tenantId,
    );
    const evaluation = await this.evaluator.evaluate(
      tenantId,
      { ...current, inputs: current.inputs as ClaimInputs },
      evidence.map((e) => e.kind),
    );
    const { result } = evaluation;
    if (result.missing.length) {
      throw new UnprocessableError(
        `The claim cannot be submitted; missing: ${result.missing.map((m) => m.message).join('; ')}.`,
        result.missing,
        { missing: result.missing },
      );
    }
    const inputs = current.inputs as ClaimInputs;
    const submittedAt = new Date();
    const fromUtc = new Date(evaluation.inventory.period.fromUtc);
    const toUtc = new Date(evaluation.inventory.period.toUtc);

    const claim = await this.db.tenant(async (em) => {
      const claim = await this.load(em, tenantId, current.id, true);
      if (claim.status !== current.status || claim.updatedAt.getTime() !== current.updatedAt.getTime()) {
        throw new ConflictError(
          'The claim changed while it was being submitted; submit it again.',
          'claim_changed',
        );
      }
      const docs = await this.repo.evidence(em, tenantId, claim.id);
      if (docs.map((d) => d.id).join() !== evidence.map((d) => d.id).join())
        throw new ConflictError(
          'Evidence was added while the claim was being submitted; submit it again.',
          'claim_changed',
        );

      if (claim.type === 'carbon_neutral') await this.registerOffsetSerials(em, tenantId, claim.id, inputs);

      const submission = claim.submissionCount + 1;
      const snapshot = {
        schema: SNAPSHOT_SCHEMA,
        claim: {
          id: claim.id,
          type: claim.type,
          periodFrom: claim.periodFrom,
          periodTo: claim.periodTo,
          certificationBodyId: claim.certificationBodyId,
          certificationBody: body.name,
          inputs,
          statement: claim.statement ?? result.statement,
        },
        organization: { id: tenantId, name: evaluation.inventory.organization.name },
        submission,
        submittedAt: submittedAt.toISOString(),
        submittedBy: RequestContext.maybe()?.userId ?? null,
        inventory: inventorySummary(evaluation.inventory),
        basePeriod: evaluation.rule.basePeriod ?? null,
        baseInventory: evaluation.baseInventory ? inventorySummary(evaluation.baseInventory) : null,
        instruments: evaluation.rule.instruments,
        meterData: await this.repo.meterDataHashes(em, tenantId, fromUtc, toUtc),
        // verified_savings: the M&V reports of Halve's verified measures (ids, periods, CV(RMSE), NMBE,
        // FSU, G14, daily avoided energy behind a partial-period figure); entered savings are the fallback.
        mvReports: evaluation.rule.mvReports ?? null,
        verifiedSavings: inputs.savings ?? null,
        offsets: inputs.offsets ?? null,
        documents: docs.map((d) => ({
          id: d.id,
          kind: d.kind,
          filename: d.filename,
          contentType: d.contentType,
          sizeBytes: Number(d.sizeBytes),
          sha256: d.sha256,
          description: d.description,
        })),
        figures: result.figures,
        checklist: evaluation.checklist,
      };
      const stored = JSON.parse(JSON.stringify(snapshot)) as Record<string, unknown>;
      const sha = snapshotSha256(stored);
      const from = claim.status;
      await this.repo.updateClaim(em, claim, {
        status: 'submitted',
        figures: result.figures,
        snapshot: stored,
        evidenceSha256: sha,
        submissionCount: submission,
        submittedAt,
        reviewerId: null,
      });
      await this.recordTransition(em, claim, from, 'submitted', reason ?? null);
      return claim;
    }, tenantId);

    await this.notifications.toBody(claim.certificationBodyId, {
      kind: 'claim_submitted',
      title: `Claim ${claim.submissionCount > 1 ? 'resubmitted' : 'submitted'} for certification: ${claim.type.replace(/_/g, ' ')}`,
      body: `A ${claim.type.replace(/_/g, ' ')} claim for ${claim.periodFrom} to ${claim.periodTo} was ${claim.submissionCount > 1 ? 'resubmitted' : 'submitted'} to ${body.name} (evidence SHA-256 ${claim.evidenceSha256}).`,
      claimId: claim.id,
      certificationBodyId: claim.certificationBodyId,
      link: `/certification-bodies/${claim.certificationBodyId}/claims/${claim.id}`,
    });
    return claim;
  }

  // ---- verification and certificate ----

  /** Re-checks the stored snapshot, the documents and the certificate's hash, and the organisation's audit chain. */
  async verification(tenantId: string, claimId: string) {
    const integrity = await this.db.tenant(
      async (em) => claimIntegrity(em, this.repo, await this.load(em, tenantId, claimId)),
      tenantId,
    );
    const auditChain = await this.audit.verify(tenantId);
    return { ...integrity, ok: integrity.ok && auditChain.ok, auditChain };
  }

  async certificatePdf(tenantId: string, claimId: string): Promise<{ number: string; pdf: Buffer }> {
    const cert = await this.db.tenant(async (em) => {
      const claim = await this.load(em, tenantId, claimId);
      return claim.certificateNumber ? this.repo.certificate(em, claim.certificateNumber) : null;
    }, tenantId);
    if (!cert) throw new NotFoundError('Certificate of claim', claimId);
    const v = certificateView(cert);
    const pdf = await certificatePdf({ ...v, verifyUrl: `${this.config.publicUrl}/verify/${cert.number}` });
    return { number: cert.number, pdf };
  }
}
