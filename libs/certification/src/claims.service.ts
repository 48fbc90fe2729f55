import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import {
  APP_CONFIG,
  AppConfig,
  AuditService,
  BadInputError,
  ConflictError,
  Db,
  ForbiddenError,
  NotFoundError,
  RequestContext,
  UnprocessableError,
} from '@halve/platform';
import { ClaimEvaluator } from './claim-evaluator.service';
import type { ClaimInputs } from './claim-rules';
import { checkPeriod, claimInputs, draftClaim, offsetSerialBatches } from './claim-inputs';
import { submissionSnapshot } from './claim-submission';
import {
  type ClaimFiguresShown,
  type ClaimViewParts,
  certificateView,
  claimListItem,
  claimView,
  evidenceView,
  transitionView,
} from './claim-views';
import { CertificationRepository } from './certification.repository';
import { claimIntegrity } from './claim-integrity';
import { certificatePdf } from './certificate-pdf';
import type { CreateClaimDto, UpdateClaimDto } from './dto/certification.dto';
import { type UploadedEvidence, checkEvidenceUpload, safeFilename } from './evidence-file';
import {
  ClaimEntity,
  ClaimEvidenceEntity,
  ClaimStatus,
  ClaimTransitionEntity,
  EvidenceKind,
} from './entities/certification.entities';
import { NotificationsService } from './notifications.service';
import { snapshotSha256 } from './snapshot';
import { EDITABLE, checkTransition } from './workflow';

// The views, the input rules and the snapshot were split out of this service; exported from here as before.
export { certificateView, evidenceView, reviewView, transitionView } from './claim-views';
export { claimInputs } from './claim-inputs';
export { SNAPSHOT_SCHEMA } from './claim-submission';

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
    const parts: ClaimViewParts = await this.db.tenant(
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
    const locked: ClaimFiguresShown = {
      figures: claim.figures,
      statement:
        claim.statement ?? (claim.snapshot?.claim as { statement?: string } | undefined)?.statement ?? null,
    };
    if (!EDITABLE.includes(claim.status)) return claimView(claim, parts, locked);
    const live = await this.evaluator.evaluate(
      tenantId,
      { ...claim, inputs: claim.inputs as ClaimInputs },
      parts.evidence.map((e) => e.kind),
    );
    return claimView(claim, parts, {
      figures: live.result.figures,
      missing: live.result.missing,
      statement: claim.statement ?? live.result.statement,
    });
  }

  async list(tenantId: string) {
    const claims = await this.db.tenant((em) => this.repo.claims(em, tenantId), tenantId);
    return claims.map(claimListItem);
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

  async create(tenantId: string, dto: CreateClaimDto) {
    checkPeriod(dto.periodFrom, dto.periodTo);
    const inputs = claimInputs(dto.type, dto);
    await this.db.tenant((em) => this.checkBody(em, dto.certificationBodyId, dto.type), tenantId);
    // Computing the figures once validates the period against the organisation's zone and data.
    const evaluation = await this.evaluator.evaluate(
      tenantId,
      { type: dto.type, periodFrom: dto.periodFrom, periodTo: dto.periodTo, inputs },
      [],
    );
    const claim = draftClaim(
      tenantId,
      dto,
      inputs,
      evaluation.result.figures,
      RequestContext.maybe()?.userId ?? null,
    );
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
      checkPeriod(periodFrom, periodTo);
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
    upload: UploadedEvidence | undefined,
    kind: EvidenceKind,
    description?: string,
  ) {
    const { file, detected } = checkEvidenceUpload(upload, this.config.evidenceLimitBytes);
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
    const taken = await this.repo.registerOffsetSerials(em, tenantId, claimId, offsetSerialBatches(inputs));
    if (taken.length)
      throw new ConflictError(
        `Offset credits already claimed by another claim: ${taken.slice(0, 10).join(', ')}${taken.length > 10 ? ` and ${taken.length - 10} more` : ''}.`,
        'offsets_already_claimed',
        { serials: taken.slice(0, 100), count: taken.length },
      );
  }

  /** Locks the evidence snapshot (canonical JSON and its SHA-256) and hands the claim to the body. */
  private async submit(tenantId: string, current: ClaimEntity, reason?: string): Promise<ClaimEntity> {
    const { evidence, body, evaluation } = await this.evaluateForSubmission(tenantId, current);
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
      const inputs = current.inputs as ClaimInputs;
      if (claim.type === 'carbon_neutral') await this.registerOffsetSerials(em, tenantId, claim.id, inputs);
      const submittedAt = new Date();
      const { fromUtc, toUtc } = evaluation.inventory.period;
      const snapshot = submissionSnapshot(claim, {
        evaluation,
        inputs,
        bodyName: body.name,
        submission: claim.submissionCount + 1,
        submittedAt,
        submittedBy: RequestContext.maybe()?.userId ?? null,
        meterData: await this.repo.meterDataHashes(em, tenantId, new Date(fromUtc), new Date(toUtc)),
        documents: docs,
      });
      const from = claim.status;
      await this.repo.updateClaim(em, claim, {
        status: 'submitted',
        figures: evaluation.result.figures,
        snapshot,
        evidenceSha256: snapshotSha256(snapshot),
        submissionCount: claim.submissionCount + 1,
        submittedAt,
        reviewerId: null,
      });
      await this.recordTransition(em, claim, from, 'submitted', reason ?? null);
      return claim;
    }, tenantId);
    await this.notifySubmitted(claim, body.name);
    return claim;
  }

  /** The claim's figures as submitted now; refused, naming what is missing, unless it may be submitted. */
  private async evaluateForSubmission(tenantId: string, current: ClaimEntity) {
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
    const { missing } = evaluation.result;
    if (missing.length) {
      throw new UnprocessableError(
        `The claim cannot be submitted; missing: ${missing.map((m) => m.message).join('; ')}.`,
        missing,
        { missing },
      );
    }
    return { evidence, body, evaluation };
  }

  private async notifySubmitted(claim: ClaimEntity, bodyName: string) {
    const again = claim.submissionCount > 1 ? 'resubmitted' : 'submitted';
    const label = claim.type.replace(/_/g, ' ');
    await this.notifications.toBody(claim.certificationBodyId, {
      kind: 'claim_submitted',
      title: `Claim ${again} for certification: ${label}`,
      body: `A ${label} claim for ${claim.periodFrom} to ${claim.periodTo} was ${again} to ${bodyName} (evidence SHA-256 ${claim.evidenceSha256}).`,
      claimId: claim.id,
      certificationBodyId: claim.certificationBodyId,
      link: `/certification-bodies/${claim.certificationBodyId}/claims/${claim.id}`,
    });
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
