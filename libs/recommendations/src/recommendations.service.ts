import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import {
  AuditService,
  BadInputError,
  ConflictError,
  Db,
  NotFoundError,
  RequestContext,
} from '@halve/platform';
import { SitesService } from '@halve/metering';
import type {
  AssigneeDto,
  CommentDto,
  DecisionTarget,
  NonRoutineEventDto,
  SiteAnalysisSettingsDto,
  TransitionDto,
} from './dto/recommendations.dto';
import type {
  NonRoutineEventEntity,
  RecommendationCommentEntity,
  RecommendationEntity,
  RecommendationStatus,
  RecommendationTransitionEntity,
  VerificationEntity,
} from './entities/recommendation.entities';
import { combinedOpenSavings, totalsByStatus, verifiedSavings } from './savings-report';
import { type ListFilter, RecommendationsRepository } from './recommendations.repository';

/** Suggestions that move or re-price energy rather than save it: their kWh saving is zero, so whole-facility M&V cannot verify them. */
export const ZERO_KWH_TYPES = new Set(['peak_demand', 'tariff', 'load_shifting']);

/** The review workflow: which status may follow which. */
export const ALLOWED_TRANSITIONS: Readonly<Record<RecommendationStatus, readonly RecommendationStatus[]>> = {
  new: ['accepted', 'rejected'],
  accepted: ['implemented', 'rejected'],
  rejected: ['accepted'],
  implemented: ['verified', 'not_achieved'],
  not_achieved: ['verified'],
  verified: [],
};

export type TransitionCheck =
  { ok: true } | { ok: false; kind: 'conflict' | 'bad_input'; message: string; field?: string };

/**
 * Pure rules of one transition (the verification check is the caller's): the step must be allowed,
 * a rejection needs a reason, an implementation its date.
 */
export function checkTransition(
  from: RecommendationStatus,
  to: DecisionTarget,
  input: { reason?: string; implementedOn?: string },
): TransitionCheck {
  if (from === to) return { ok: false, kind: 'conflict', message: `The recommendation is already ${from}.` };
  if (!ALLOWED_TRANSITIONS[from].includes(to)) {
    const allowed = ALLOWED_TRANSITIONS[from];
    const hint =
      to === 'verified' || to === 'not_achieved'
        ? ' Savings are verified only after the measure is implemented: record it as implemented (with its date) first.'
        : to === 'implemented'
          ? ' Accept it first.'
          : '';
    return {
      ok: false,
      kind: 'conflict',
      message: `A recommendation that is ${from} cannot become ${to}.${hint} Allowed from ${from}: ${allowed.length ? allowed.join(', ') : 'nothing (final)'}.`,
    };
  }
  if (to === 'rejected' && !input.reason?.trim())
    return { ok: false, kind: 'bad_input', field: 'reason', message: 'A rejection needs a reason.' };
  if (to === 'implemented') {
    if (!input.implementedOn)
      return {
        ok: false,
        kind: 'bad_input',
        field: 'implementedOn',
        message: 'Recording an implementation needs implementedOn (YYYY-MM-DD).',
      };
    if (!DateTime.fromISO(input.implementedOn).isValid)
      return {
        ok: false,
        kind: 'bad_input',
        field: 'implementedOn',
        message: `implementedOn ${input.implementedOn} is not a date.`,
      };
  }
  return { ok: true };
}

export function listView(r: RecommendationEntity) {
  return {
    id: r.id,
    type: r.type,
    status: r.status,
    siteId: r.siteId,
    ...(r.meterId ? { meterId: r.meterId } : {}),
    title: r.title,
    annualSavingKwh: r.annualSavingKwh,
    annualSavingKgCo2e: r.annualSavingKgCo2e,
    annualSavingMoney: r.annualSavingMoney,
    currency: r.currency,
    range: r.rangeLow === null || r.rangeHigh === null ? null : { low: r.rangeLow, high: r.rangeHigh },
    ...(r.costMoney !== null ? { costMoney: r.costMoney } : {}),
    ...(r.paybackYears !== null ? { paybackYears: r.paybackYears } : {}),
    confidence: r.confidence,
    assigneeUserId: r.assigneeUserId,
    stale: r.stale,
    analysedAt: r.analysedAt,
  };
}

export function detailView(r: RecommendationEntity, transitions: RecommendationTransitionEntity[]) {
  return {
    ...listView(r),
    key: r.key,
    explanation: r.explanation,
    evidence: r.evidence,
    basis: r.basis,
    implementedOn: r.implementedOn,
    actualCostMoney: r.actualCostMoney,
    notes: r.notes,
    reason: r.reason,
    decidedBy: r.decidedBy,
    decidedAt: r.decidedAt,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    transitions: transitions.map(transitionView),
  };
}

function transitionView(t: RecommendationTransitionEntity) {
  return {
    id: t.id,
    from: t.fromStatus,
    to: t.toStatus,
    reason: t.reason,
    details: t.details,
    actorUserId: t.actorUserId,
    at: t.at,
  };
}

function commentView(c: RecommendationCommentEntity) {
  return { id: c.id, authorUserId: c.authorUserId, body: c.body, createdAt: c.createdAt };
}

function eventView(e: NonRoutineEventEntity) {
  return {
    id: e.id,
    siteId: e.siteId,
    from: e.fromTs,
    to: e.toTs,
    description: e.description,
    createdBy: e.createdBy,
    createdAt: e.createdAt,
  };
}

/** A date-time, or a date read as midnight in the site's zone. */
function instant(value: string, zone: string, field: string): Date {
  const dt = /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? DateTime.fromISO(value, { zone })
    : DateTime.fromISO(value, { setZone: true });
  if (!dt.isValid)
    throw new BadInputError(`${field} is not a valid date or date-time.`, [{ field, message: 'not a date' }]);
  return dt.toJSDate();
}

/** Throws the HTTP error for a transition {@link checkTransition} refuses. */
function assertTransition(current: RecommendationEntity, dto: TransitionDto): void {
  const check = checkTransition(current.status, dto.to, dto);
  if (check.ok) return;
  if (check.kind === 'bad_input')
    throw new BadInputError(check.message, [{ field: check.field, message: check.message }]);
  throw new ConflictError(check.message, 'illegal_transition', {
    from: current.status,
    to: dto.to,
    allowed: ALLOWED_TRANSITIONS[current.status],
  });
}

/**
 * For `verified`: a zero-kWh measure needs the reason it was verified; an energy-saving one a
 * succeeded M&V result that meets Guideline 14 with a positive saving, summarised for the
 * transition's details. Undefined for every other target (and for zero-kWh measures).
 */
async function verificationForDecision(
  current: RecommendationEntity,
  dto: TransitionDto,
  verification: (r: RecommendationEntity) => Promise<VerificationEntity | null>,
): Promise<Record<string, unknown> | undefined> {
  if (dto.to !== 'verified') return undefined;
  if (ZERO_KWH_TYPES.has(current.type)) {
    if (!dto.reason?.trim())
      throw new BadInputError(
        `A ${current.type} measure saves money or CO2, not kWh: say how it was verified (reason).`,
        [{ field: 'reason', message: 'required' }],
      );
    return undefined;
  }
  const v = await verification(current);
  if (!v || v.status !== 'succeeded') {
    throw new ConflictError(
      'The savings have not been measured yet: read GET …/verification until it is computed, then verify.',
      'verification_missing',
    );
  }
  if (!v.meetsGuideline14 || !(Number(v.verifiedSavingKwh) > 0)) {
    throw new ConflictError(
      `The measured savings do not meet ASHRAE Guideline 14 (CV(RMSE) ${(Number(v.baselineCvRmse) * 100).toFixed(1)} %, NMBE ${(Number(v.baselineNmbe) * 100).toFixed(1)} %, saving ${Number(v.verifiedSavingKwh).toFixed(0)} kWh): they are shown but cannot be called verified. Record not_achieved, or wait for more data.`,
      'not_verifiable',
    );
  }
  return {
    verifiedSavingKwh: v.verifiedSavingKwh,
    fractionalSavingsUncertainty: v.fractionalSavingsUncertainty,
    meetsGuideline14: v.meetsGuideline14,
  };
}

/** The recommendation's fields after a transition: the decision, and for an implementation its date, cost and notes. */
function transitionFields(dto: TransitionDto, userId: string | null): Partial<RecommendationEntity> {
  const fields: Partial<RecommendationEntity> = {
    status: dto.to,
    decidedBy: userId,
    decidedAt: new Date(),
    reason: dto.reason?.trim() || null,
    stale: false,
  };
  if (dto.to === 'implemented') {
    fields.implementedOn = dto.implementedOn!;
    fields.actualCostMoney = dto.costMoney ?? null;
    fields.notes = dto.notes ?? null;
  } else if (dto.notes !== undefined) {
    fields.notes = dto.notes;
  }
  return fields;
}

/** What the transition record and the audit keep besides the statuses. */
function transitionDetails(
  dto: TransitionDto,
  verificationSummary: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const details: Record<string, unknown> = {};
  if (dto.implementedOn) details.implementedOn = dto.implementedOn;
  if (dto.costMoney !== undefined) details.costMoney = dto.costMoney;
  if (verificationSummary) details.verification = verificationSummary;
  return details;
}

/** Suggestions, their review workflow, comments, assignment, non-routine events and the savings report. */
@Injectable()
export class RecommendationsService {
  constructor(
    private readonly db: Db,
    private readonly repo: RecommendationsRepository,
    private readonly audit: AuditService,
    private readonly sites: SitesService,
  ) {}

  async list(tenantId: string, filter: ListFilter) {
    const rows = await this.db.tenant((em) => this.repo.list(em, tenantId, filter), tenantId);
    return rows.map(listView);
  }

  async get(tenantId: string, id: string) {
    return this.db.tenant(async (em) => {
      const r = await this.repo.find(em, tenantId, id);
      if (!r) throw new NotFoundError('Recommendation', id);
      return detailView(r, await this.repo.transitions(em, tenantId, id));
    }, tenantId);
  }

  async entity(tenantId: string, id: string): Promise<RecommendationEntity> {
    const r = await this.db.tenant((em) => this.repo.find(em, tenantId, id), tenantId);
    if (!r) throw new NotFoundError('Recommendation', id);
    return r;
  }

  /**
   * Moves a recommendation along the workflow (DECIDE_ROLES only, enforced by the route). `verified`
   * of an energy-saving measure needs a current M&V result that meets ASHRAE Guideline 14 with a
   * positive saving; a measure that saves no kWh (peak shaving, tariff, load shifting) is verified
   * on the energy manager's word, which must give its reason (e.g. the bills checked).
   */
  async transition(
    tenantId: string,
    id: string,
    dto: TransitionDto,
    verification: (r: RecommendationEntity) => Promise<VerificationEntity | null>,
  ) {
    const userId = RequestContext.maybe()?.userId ?? null;
    const current = await this.entity(tenantId, id);
    assertTransition(current, dto);
    const verificationSummary = await verificationForDecision(current, dto, verification);
    return this.db.tenant(async (em) => {
      const r = await this.repo.findForUpdate(em, tenantId, id);
      if (!r) throw new NotFoundError('Recommendation', id);
      if (r.status !== current.status)
        throw new ConflictError(
          `The recommendation changed to ${r.status} meanwhile; reload and try again.`,
          'illegal_transition',
        );
      const fields = transitionFields(dto, userId);
      await this.repo.update(em, tenantId, id, fields);
      const details = transitionDetails(dto, verificationSummary);
      await this.repo.addTransition(em, {
        tenantId,
        recommendationId: id,
        fromStatus: r.status,
        toStatus: dto.to,
        reason: fields.reason ?? null,
        details,
        actorUserId: userId,
      });
      await this.audit.record(em, tenantId, {
        action: `recommendation.${dto.to}`,
        entityType: 'recommendation',
        entityId: id,
        summary: { from: r.status, to: dto.to, reason: fields.reason ?? null, ...details },
      });
      const updated = (await this.repo.find(em, tenantId, id))!;
      return detailView(updated, await this.repo.transitions(em, tenantId, id));
    }, tenantId);
  }

  async addComment(tenantId: string, id: string, dto: CommentDto) {
    return this.db.tenant(async (em) => {
      if (!(await this.repo.find(em, tenantId, id))) throw new NotFoundError('Recommendation', id);
      const c = await this.repo.addComment(em, {
        tenantId,
        recommendationId: id,
        authorUserId: RequestContext.maybe()?.userId ?? null,
        body: dto.body,
      });
      await this.audit.record(em, tenantId, {
        action: 'recommendation.commented',
        entityType: 'recommendation',
        entityId: id,
        summary: { commentId: c.id, length: dto.body.length },
      });
      return commentView(c);
    }, tenantId);
  }

  async comments(tenantId: string, id: string) {
    return this.db.tenant(async (em) => {
      if (!(await this.repo.find(em, tenantId, id))) throw new NotFoundError('Recommendation', id);
      return (await this.repo.comments(em, tenantId, id)).map(commentView);
    }, tenantId);
  }

  async assign(tenantId: string, id: string, dto: AssigneeDto) {
    return this.db.tenant(async (em) => {
      const r = await this.repo.find(em, tenantId, id);
      if (!r) throw new NotFoundError('Recommendation', id);
      if (dto.userId !== null && !(await this.repo.isMember(em, tenantId, dto.userId))) {
        throw new BadInputError('The assignee must be a member of the organisation.', [
          { field: 'userId', message: 'not a member' },
        ]);
      }
      await this.repo.update(em, tenantId, id, { assigneeUserId: dto.userId });
      await this.audit.record(em, tenantId, {
        action: 'recommendation.assigned',
        entityType: 'recommendation',
        entityId: id,
        summary: { before: r.assigneeUserId, after: dto.userId },
      });
      const updated = (await this.repo.find(em, tenantId, id))!;
      return detailView(updated, await this.repo.transitions(em, tenantId, id));
    }, tenantId);
  }

  async addNonRoutineEvent(tenantId: string, siteId: string, dto: NonRoutineEventDto) {
    const site = await this.sites.getSite(tenantId, siteId);
    const from = instant(dto.from, site.timezone, 'from');
    const to = instant(dto.to, site.timezone, 'to');
    if (!(to > from))
      throw new BadInputError('to must be after from.', [{ field: 'to', message: 'must be after from' }]);
    return this.db.tenant(async (em) => {
      const e = await this.repo.addNonRoutineEvent(em, {
        tenantId,
        siteId,
        fromTs: from,
        toTs: to,
        description: dto.description,
        createdBy: RequestContext.maybe()?.userId ?? null,
      });
      await this.audit.record(em, tenantId, {
        action: 'non_routine_event.created',
        entityType: 'site',
        entityId: siteId,
        summary: { eventId: e.id, from, to, description: dto.description },
      });
      return eventView(e);
    }, tenantId);
  }

  async nonRoutineEvents(tenantId: string, siteId: string) {
    await this.sites.getSite(tenantId, siteId);
    const rows = await this.db.tenant((em) => this.repo.nonRoutineEvents(em, tenantId, siteId), tenantId);
    return rows.map(eventView);
  }

  /** The site's analysis settings (building type, roof area): nulls when none were entered. */
  async siteSettings(tenantId: string, siteId: string) {
    await this.sites.getSite(tenantId, siteId);
    const s = await this.db.tenant((em) => this.repo.siteSettings(em, tenantId, siteId), tenantId);
    return {
      siteId,
      buildingType: s?.buildingType ?? null,
      roofAreaM2: s?.roofAreaM2 ?? null,
      updatedAt: s?.updatedAt ?? null,
    };
  }

  /** Sets the site's analysis settings; a field left out keeps its value, null clears it. The next analysis uses them. */
  async setSiteSettings(tenantId: string, siteId: string, dto: SiteAnalysisSettingsDto) {
    await this.sites.getSite(tenantId, siteId);
    return this.db.tenant(async (em) => {
      const before = await this.repo.siteSettings(em, tenantId, siteId);
      const next = {
        buildingType: dto.buildingType === undefined ? (before?.buildingType ?? null) : dto.buildingType,
        roofAreaM2: dto.roofAreaM2 === undefined ? (before?.roofAreaM2 ?? null) : dto.roofAreaM2,
      };
      const saved = await this.repo.upsertSiteSettings(em, tenantId, siteId, next);
      await this.audit.record(em, tenantId, {
        action: 'site.analysis_settings_updated',
        entityType: 'site',
        entityId: siteId,
        summary: {
          before: before ? { buildingType: before.buildingType, roofAreaM2: before.roofAreaM2 } : null,
          after: next,
        },
      });
      return { siteId, ...next, updatedAt: saved.updatedAt };
    }, tenantId);
  }

  /**
   * Savings per organisation: estimated (open suggestions: new, accepted; with `combined`, what
   * implementing all of them would save, overlaps counted once: analysers/combined.ts), implemented (implemented,
   * verified, not achieved; their estimates) and verified (measured: the M&V avoided energy over the
   * reporting period, priced with the suggestion's own factor and price per kWh).
   */
  async savingsReport(tenantId: string) {
    return this.db.tenant(async (em) => {
      const { estimated, implemented, rejected } = totalsByStatus(
        await this.repo.totalsByStatus(em, tenantId),
      );
      const combined = combinedOpenSavings(await this.repo.openForCombination(em, tenantId));
      const verified = verifiedSavings(await this.repo.verifiedWithResults(em, tenantId));
      return { estimated: { ...estimated, combined }, implemented, verified, rejected };
    }, tenantId);
  }
}
