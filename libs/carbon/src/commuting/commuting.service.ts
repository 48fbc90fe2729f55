import { Injectable } from '@nestjs/common';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import {
  AuditService,
  BadInputError,
  ConflictError,
  Db,
  NotFoundError,
  RequestContext,
} from '@halve/platform';
import { CarbonDataService } from '../carbon-data.service';
import { CarbonRepository } from '../carbon.repository';
import { toDecimal } from '../factors/decimal';
import {
  COMMUTE_MODE_KEYS,
  COMMUTE_MODES,
  commutingTotals,
  newSurveyToken,
  parseSurveyToken,
} from './commuting';
import type { CommutingAnswerDto, CreateCommutingSurveyDto, UpdateCommutingSurveyDto } from './commuting.dto';
import { CommutingResponseEntity, CommutingSurveyEntity } from './commuting.entities';
import type { CommutingSurveyDetailView, CommutingSurveyView } from './commuting.responses';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function surveyView(s: CommutingSurveyEntity, respondents: number): CommutingSurveyView {
  return {
    id: s.id,
    year: s.year,
    title: s.title,
    employees: s.employees,
    closed: s.closed,
    respondents,
    activityIds: s.activityIds ?? [],
    createdAt: s.createdAt,
  };
}

/** Bounds the decimal validators cannot state, with the field named. */
function checkAnswer(a: CommutingAnswerDto) {
  const bad = (field: string, message: string) =>
    new BadInputError(`${field} ${message}.`, [{ field, message }]);
  if (toDecimal(a.daysPerWeek).gt(7)) throw bad('daysPerWeek', 'must be at most 7');
  if (toDecimal(a.weeksPerYear).gt(52)) throw bad('weeksPerYear', 'must be at most 52');
  if (toDecimal(a.distanceKm).gt(1000)) throw bad('distanceKm', 'must be at most 1000 km one way');
}

/**
 * Commuting surveys (Scope 3 category 7): the organisation creates one for a year and shares its link;
 * employees answer without logging in; the organisation sees the answers and the total extrapolated to
 * all employees, which it records as activities (one per mode, category 7, audited as activities are).
 */
@Injectable()
export class CommutingService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly repo: CarbonRepository,
    private readonly data: CarbonDataService,
  ) {}

  async create(tenantId: string, dto: CreateCommutingSurveyDto) {
    const id = randomUUID();
    const { token, secret } = newSurveyToken(tenantId, id);
    const row = Object.assign(new CommutingSurveyEntity(), {
      tenantId,
      id,
      year: dto.year,
      title: dto.title.trim(),
      employees: dto.employees,
      secretSha256: sha256(secret),
      closed: false,
      activityIds: [],
      createdBy: RequestContext.maybe()?.userId ?? null,
      createdAt: new Date(),
    });
    await this.db.tenant(async (em) => {
      await em.insert(CommutingSurveyEntity, row);
      await this.audit.record(em, tenantId, {
        action: 'commuting_survey.created',
        entityType: 'commuting_survey',
        entityId: id,
        summary: { year: dto.year, title: row.title, employees: dto.employees },
      });
    }, tenantId);
    return { ...surveyView(row, 0), token, link: `/survey/${token}` };
  }

  private async survey(em: EntityManager, tenantId: string, id: string) {
    const s = await em.findOneBy(CommutingSurveyEntity, { tenantId, id });
    if (!s) throw new NotFoundError('Commuting survey', id);
    return s;
  }

  async list(tenantId: string): Promise<CommutingSurveyView[]> {
    return this.db.tenant(async (em) => {
      const surveys = await em.find(CommutingSurveyEntity, {
        where: { tenantId },
        order: { createdAt: 'DESC' },
      });
      const counts: { survey_id: string; n: string }[] = await em.query(
        `SELECT survey_id, count(*)::text AS n FROM commuting_responses WHERE tenant_id = $1 GROUP BY survey_id`,
        [tenantId],
      );
      const n = new Map(counts.map((c) => [c.survey_id, Number(c.n)]));
      return surveys.map((s) => surveyView(s, n.get(s.id) ?? 0));
    }, tenantId);
  }

  /** The survey, its answers and the extrapolated total by mode, each priced as its activity would be. */
  async get(tenantId: string, id: string): Promise<CommutingSurveyDetailView> {
    const { s, responses } = await this.db.tenant(async (em) => {
      const survey = await this.survey(em, tenantId, id);
      const rows = await em.find(CommutingResponseEntity, {
        where: { tenantId, surveyId: id },
        order: { createdAt: 'ASC' },
      });
      return { s: survey, responses: rows };
    }, tenantId);
    const totals = commutingTotals(responses, s.employees);
    const modes = [];
    for (const m of totals.modes) {
      const dto = this.activityDto(s, m);
      const priced = dto ? await this.data.previewActivity(tenantId, dto) : null;
      modes.push({ ...m, kgCo2e: priced ? priced.kgCo2e : 0, factorId: priced?.factor?.id ?? null });
    }
    const totalKgCo2e = Math.round(modes.reduce((sum, m) => sum + (m.kgCo2e ?? 0), 0) * 1000) / 1000;
    return {
      ...surveyView(s, responses.length),
      responses: responses.map((r) => ({
        id: r.id,
        mode: r.mode,
        distanceKm: r.distanceKm,
        daysPerWeek: r.daysPerWeek,
        weeksPerYear: r.weeksPerYear,
        createdAt: r.createdAt,
      })),
      scale: totals.scale,
      method: totals.method,
      modes,
      totalKgCo2e,
    };
  }

  private activityDto(s: CommutingSurveyEntity, m: ReturnType<typeof commutingTotals>['modes'][number]) {
    if (!m.activity || toDecimal(m.extrapolatedKm).isZero()) return null;
    return {
      activity: m.activity,
      variant: m.variant ?? undefined,
      scope: 3 as const,
      scope3Category: 7,
      quantity: m.extrapolatedKm,
      unit: m.unit,
      periodFrom: `${s.year}-01-01`,
      periodTo: `${s.year + 1}-01-01`,
      dataQuality: 4,
      description:
        `Commuting survey "${s.title}": ${m.label}, ${m.respondents} answer(s), ${m.surveyedKm} km a year ` +
        `× ${s.employees} employees ÷ respondents`,
    };
  }

  async update(tenantId: string, id: string, dto: UpdateCommutingSurveyDto): Promise<CommutingSurveyView> {
    await this.db.tenant(async (em) => {
      const s = await this.survey(em, tenantId, id);
      await em.update(CommutingSurveyEntity, { tenantId, id }, dto);
      await this.audit.record(em, tenantId, {
        action: 'commuting_survey.updated',
        entityType: 'commuting_survey',
        entityId: id,
        summary: { before: { employees: s.employees, closed: s.closed }, after: dto },
      });
    }, tenantId);
    return (await this.list(tenantId)).find((s) => s.id === id) as CommutingSurveyView;
  }

  /** Records the extrapolated total as activities (one per mode), replacing those made before. */
  async record(tenantId: string, id: string): Promise<CommutingSurveyDetailView> {
    const detail = await this.get(tenantId, id);
    if (!detail.respondents)
      throw new ConflictError(
        'Nobody has answered the survey yet: there is nothing to record.',
        'no_responses',
      );
    const s = await this.db.tenant((em) => this.survey(em, tenantId, id), tenantId);
    for (const old of s.activityIds ?? []) {
      await this.data.deleteActivity(tenantId, old).catch((e: unknown) => {
        if (!(e instanceof NotFoundError)) throw e; // deleted by hand meanwhile
      });
    }
    const ids: string[] = [];
    for (const m of detail.modes) {
      const dto = this.activityDto(s, m);
      if (dto) ids.push((await this.data.createActivity(tenantId, dto)).id);
    }
    await this.db.tenant(
      (em) => em.update(CommutingSurveyEntity, { tenantId, id }, { activityIds: ids }),
      tenantId,
    );
    return { ...detail, activityIds: ids };
  }

  // ---- public, by the link's token ----

  private async byToken(em: EntityManager, token: string) {
    const t = parseSurveyToken(token);
    const s = t && (await em.findOneBy(CommutingSurveyEntity, { tenantId: t.tenantId, id: t.surveyId }));
    const ok = t && s && timingSafeEqual(Buffer.from(sha256(t.secret)), Buffer.from(s.secretSha256));
    if (!ok) throw new NotFoundError('Commuting survey', 'of this link');
    return s;
  }

  private tenantOf(token: string): string {
    const t = parseSurveyToken(token);
    if (!t) throw new NotFoundError('Commuting survey', 'of this link');
    return t.tenantId;
  }

  async publicSurvey(token: string) {
    const tenantId = this.tenantOf(token);
    return this.db.tenant(async (em) => {
      const s = await this.byToken(em, token);
      const org = await this.repo.org(em, tenantId);
      return {
        organisation: org?.name ?? '',
        title: s.title,
        year: s.year,
        closed: s.closed,
        modes: COMMUTE_MODE_KEYS.map((mode) => ({ mode, label: COMMUTE_MODES[mode].label })),
      };
    }, tenantId);
  }

  async answer(token: string, dto: CommutingAnswerDto) {
    checkAnswer(dto);
    const tenantId = this.tenantOf(token);
    await this.db.tenant(async (em) => {
      const s = await this.byToken(em, token);
      if (s.closed)
        throw new ConflictError('This survey is closed and takes no more answers.', 'survey_closed');
      await em.insert(CommutingResponseEntity, {
        tenantId,
        id: randomUUID(),
        surveyId: s.id,
        mode: dto.mode,
        distanceKm: toDecimal(dto.distanceKm).toFixed(),
        daysPerWeek: toDecimal(dto.daysPerWeek).toFixed(),
        weeksPerYear: toDecimal(dto.weeksPerYear).toFixed(),
        createdAt: new Date(),
      });
    }, tenantId);
    return { received: true };
  }
}
