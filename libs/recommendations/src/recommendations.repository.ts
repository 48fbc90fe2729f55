import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import type { SavingOverlap, Suggestion } from './analysers/types';

/** What the analysers know of a site beyond metering (migration 1764301000000). */
export interface SiteAnalysisSettings {
  buildingType: string | null;
  roofAreaM2: number | null;
  updatedAt: Date;
}
import {
  NonRoutineEventEntity,
  RecommendationBasis,
  RecommendationCommentEntity,
  RecommendationEntity,
  RecommendationStatus,
  RecommendationTransitionEntity,
  VerificationEntity,
} from './entities/recommendation.entities';

export interface ListFilter {
  status?: RecommendationStatus;
  siteId?: string;
  sort?: 'money' | 'kwh' | 'co2';
  includeStale?: 'true' | 'false';
}

export interface UpsertOutcome {
  created: number;
  updated: number;
  /** decided suggestions the run produced again: left as decided */
  keptDecided: number;
  /** open suggestions of the site the run no longer produced */
  markedStale: number;
}

const SORT_COLUMN = {
  money: 'annual_saving_money',
  kwh: 'annual_saving_kwh',
  co2: 'annual_saving_kg_co2e',
} as const;

/** All database access of the recommendations lib; every method takes the caller's (tenant) EntityManager. */
@Injectable()
export class RecommendationsRepository {
  list(em: EntityManager, tenantId: string, filter: ListFilter): Promise<RecommendationEntity[]> {
    const qb = em
      .getRepository(RecommendationEntity)
      .createQueryBuilder('r')
      .where('r.tenant_id = :tenantId', { tenantId });
    if (filter.status) qb.andWhere('r.status = :status', { status: filter.status });
    if (filter.siteId) qb.andWhere('r.site_id = :siteId', { siteId: filter.siteId });
    if (filter.includeStale !== 'true') qb.andWhere('NOT r.stale');
    const column = SORT_COLUMN[filter.sort ?? 'money'];
    return qb
      .orderBy(`r.${column}`, 'DESC', 'NULLS LAST')
      .addOrderBy('r.annual_saving_kg_co2e', 'DESC')
      .addOrderBy('r.id', 'ASC')
      .getMany();
  }

  find(em: EntityManager, tenantId: string, id: string): Promise<RecommendationEntity | null> {
    return em.findOneBy(RecommendationEntity, { tenantId, id });
  }

  /** Locks the row for a decision (no two decisions interleave). */
  async findForUpdate(em: EntityManager, tenantId: string, id: string): Promise<RecommendationEntity | null> {
    return em
      .getRepository(RecommendationEntity)
      .createQueryBuilder('r')
      .setLock('pessimistic_write')
      .where('r.tenant_id = :tenantId AND r.id = :id', { tenantId, id })
      .getOne();
  }

  async update(
    em: EntityManager,
    tenantId: string,
    id: string,
    fields: Partial<RecommendationEntity>,
  ): Promise<void> {
    await em.update(RecommendationEntity, { tenantId, id }, { ...fields, updatedAt: new Date() });
  }

  /**
   * Stores one analysis run of a site: a new key is inserted as `new`; an open (`new`) suggestion
   * with the same key is updated in place; a decided one is left as decided; open suggestions of
   * the site the run did not produce again are marked stale.
   */
  async upsertSuggestions(
    em: EntityManager,
    tenantId: string,
    siteId: string,
    suggestions: readonly Suggestion[],
    basis: RecommendationBasis,
    jobId: string | null,
  ): Promise<UpsertOutcome> {
    const existing = await em.find(RecommendationEntity, { where: { tenantId, siteId } });
    const byKey = new Map(existing.map((r) => [r.key, r]));
    const now = new Date();
    const outcome: UpsertOutcome = { created: 0, updated: 0, keptDecided: 0, markedStale: 0 };
    const seen = new Set<string>();
    for (const s of suggestions) {
      seen.add(s.key);
      const fields = {
        meterId: s.meterId ?? null,
        type: s.type,
        title: s.title,
        explanation: s.explanation,
        annualSavingKwh: s.annualSavingKwh,
        annualSavingKgCo2e: s.annualSavingKgCo2e,
        annualSavingMoney: s.annualSavingMoney,
        currency: s.currency,
        rangeLow: s.range?.low ?? null,
        rangeHigh: s.range?.high ?? null,
        costMoney: s.costMoney ?? null,
        paybackYears: s.paybackYears ?? null,
        confidence: s.confidence,
        evidence: s.evidence,
        basis,
        stale: false,
        analysisJobId: jobId,
        analysedAt: now,
        updatedAt: now,
      };
      const current = byKey.get(s.key);
      if (!current) {
        await em.insert(RecommendationEntity, {
          tenantId,
          id: randomUUID(),
          siteId,
          key: s.key,
          status: 'new',
          ...fields,
        });
        outcome.created++;
      } else if (current.status === 'new') {
        await em.update(RecommendationEntity, { tenantId, id: current.id }, fields);
        outcome.updated++;
      } else {
        outcome.keptDecided++;
      }
    }
    for (const r of existing) {
      if (r.status === 'new' && !seen.has(r.key) && !r.stale) {
        await em.update(RecommendationEntity, { tenantId, id: r.id }, { stale: true, updatedAt: now });
        outcome.markedStale++;
      }
    }
    return outcome;
  }

  async addTransition(
    em: EntityManager,
    row: Omit<RecommendationTransitionEntity, 'id' | 'at'>,
  ): Promise<RecommendationTransitionEntity> {
    const entity = em.create(RecommendationTransitionEntity, { ...row, id: randomUUID(), at: new Date() });
    await em.insert(RecommendationTransitionEntity, entity);
    return entity;
  }

  transitions(
    em: EntityManager,
    tenantId: string,
    recommendationId: string,
  ): Promise<RecommendationTransitionEntity[]> {
    return em.find(RecommendationTransitionEntity, {
      where: { tenantId, recommendationId },
      order: { at: 'ASC' },
    });
  }

  async addComment(
    em: EntityManager,
    row: Omit<RecommendationCommentEntity, 'id' | 'createdAt'>,
  ): Promise<RecommendationCommentEntity> {
    const entity = em.create(RecommendationCommentEntity, {
      ...row,
      id: randomUUID(),
      createdAt: new Date(),
    });
    await em.insert(RecommendationCommentEntity, entity);
    return entity;
  }

  comments(
    em: EntityManager,
    tenantId: string,
    recommendationId: string,
  ): Promise<RecommendationCommentEntity[]> {
    return em.find(RecommendationCommentEntity, {
      where: { tenantId, recommendationId },
      order: { createdAt: 'ASC' },
    });
  }

  async isMember(em: EntityManager, tenantId: string, userId: string): Promise<boolean> {
    const rows: unknown[] = await em.query(
      'SELECT 1 FROM memberships WHERE tenant_id = $1 AND user_id = $2',
      [tenantId, userId],
    );
    return rows.length > 0;
  }

  /** How much weather a site has (part of the data version an analysis is keyed by). */
  /**
   * What the site's imported weather holds: its rows and an MD5 of every value, so that a re-import of the same
   * hours with other values (irradiance added to rows that had only temperature, a corrected file) is new data
   * for the analysis (until session 20 the count and the last hour alone: such a re-import kept the old run).
   */
  async weatherSignature(em: EntityManager, tenantId: string, siteId: string): Promise<string> {
    const rows: { n: string; digest: string | null }[] = await em.query(
      `SELECT count(*)::text AS n,
              md5(string_agg(concat_ws('|', floor(extract(epoch FROM ts))::bigint, coalesce(temperature_c::text, '-'),
                                       coalesce(ghi_w_m2::text, '-'), coalesce(cloud_cover_pct::text, '-'),
                                       coalesce(wind_speed_m_s::text, '-')), ',' ORDER BY ts)) AS digest
         FROM site_weather WHERE tenant_id = $1 AND site_id = $2`,
      [tenantId, siteId],
    );
    return `${rows[0].n}:${rows[0].digest ?? ''}`;
  }

  async addNonRoutineEvent(
    em: EntityManager,
    row: Omit<NonRoutineEventEntity, 'id' | 'createdAt'>,
  ): Promise<NonRoutineEventEntity> {
    const entity = em.create(NonRoutineEventEntity, { ...row, id: randomUUID(), createdAt: new Date() });
    await em.insert(NonRoutineEventEntity, entity);
    return entity;
  }

  nonRoutineEvents(em: EntityManager, tenantId: string, siteId: string): Promise<NonRoutineEventEntity[]> {
    return em.find(NonRoutineEventEntity, { where: { tenantId, siteId }, order: { fromTs: 'ASC' } });
  }

  verification(
    em: EntityManager,
    tenantId: string,
    recommendationId: string,
  ): Promise<VerificationEntity | null> {
    return em.findOneBy(VerificationEntity, { tenantId, recommendationId });
  }

  /** Replaces the stored verification of a recommendation. */
  async saveVerification(
    em: EntityManager,
    row: Partial<VerificationEntity> &
      Pick<VerificationEntity, 'tenantId' | 'recommendationId' | 'status' | 'inputHash'>,
  ): Promise<void> {
    const empty = {
      jobId: null,
      baselineFrom: null,
      baselineTo: null,
      reportingFrom: null,
      reportingTo: null,
      baselineCvRmse: null,
      baselineNmbe: null,
      counterfactualKwh: null,
      actualKwh: null,
      verifiedSavingKwh: null,
      fractionalSavingsUncertainty: null,
      meetsGuideline14: null,
      result: null,
      error: null,
      computedAt: null,
    };
    await em.upsert(VerificationEntity, { ...empty, ...row, updatedAt: new Date() }, [
      'tenantId',
      'recommendationId',
    ]);
  }

  /** Totals per status group and currency for the savings report (estimated figures as stored). */
  /** The site's analysis settings (building type, roof area); null when none were entered. */
  async siteSettings(
    em: EntityManager,
    tenantId: string,
    siteId: string,
  ): Promise<SiteAnalysisSettings | null> {
    const rows: { building_type: string | null; roof_area_m2: number | null; updated_at: Date }[] =
      await em.query(
        'SELECT building_type, roof_area_m2, updated_at FROM site_analysis_settings WHERE tenant_id = $1 AND site_id = $2',
        [tenantId, siteId],
      );
    if (!rows.length) return null;
    const r = rows[0];
    return {
      buildingType: r.building_type,
      roofAreaM2: r.roof_area_m2 === null ? null : Number(r.roof_area_m2),
      updatedAt: r.updated_at,
    };
  }

  async upsertSiteSettings(
    em: EntityManager,
    tenantId: string,
    siteId: string,
    s: { buildingType: string | null; roofAreaM2: number | null },
  ): Promise<SiteAnalysisSettings> {
    const rows: { building_type: string | null; roof_area_m2: number | null; updated_at: Date }[] =
      await em.query(
        `INSERT INTO site_analysis_settings (tenant_id, site_id, building_type, roof_area_m2, updated_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (tenant_id, site_id) DO UPDATE SET building_type = EXCLUDED.building_type, roof_area_m2 = EXCLUDED.roof_area_m2, updated_at = EXCLUDED.updated_at
       RETURNING building_type, roof_area_m2, updated_at`,
        [tenantId, siteId, s.buildingType, s.roofAreaM2],
      );
    const r = rows[0];
    return {
      buildingType: r.building_type,
      roofAreaM2: r.roof_area_m2 === null ? null : Number(r.roof_area_m2),
      updatedAt: r.updated_at,
    };
  }

  /** Open suggestions (new, not stale, and accepted) with what the combined saving needs: key, savings and the overlaps recorded in their evidence. */
  async openForCombination(
    em: EntityManager,
    tenantId: string,
  ): Promise<
    {
      siteId: string;
      key: string;
      currency: string;
      annualSavingKwh: number;
      annualSavingKgCo2e: number;
      annualSavingMoney: number | null;
      evidence: { overlaps?: SavingOverlap[] } | null;
    }[]
  > {
    const rows: {
      site_id: string;
      key: string;
      currency: string;
      kwh: number;
      kg: number;
      money: number | null;
      overlaps: SavingOverlap[] | null;
    }[] = await em.query(
      `SELECT site_id, key, currency, annual_saving_kwh AS kwh, annual_saving_kg_co2e AS kg, annual_saving_money AS money, evidence -> 'overlaps' AS overlaps
         FROM recommendations WHERE tenant_id = $1 AND status IN ('new', 'accepted') AND NOT (status = 'new' AND stale)
        ORDER BY site_id, key`,
      [tenantId],
    );
    return rows.map((r) => ({
      siteId: r.site_id,
      key: r.key,
      currency: r.currency.trim(),
      annualSavingKwh: Number(r.kwh),
      annualSavingKgCo2e: Number(r.kg),
      annualSavingMoney: r.money === null ? null : Number(r.money),
      evidence: { overlaps: r.overlaps ?? undefined },
    }));
  }

  async totalsByStatus(
    em: EntityManager,
    tenantId: string,
  ): Promise<
    {
      status: RecommendationStatus;
      currency: string;
      count: number;
      kwh: number;
      kg: number;
      money: number | null;
    }[]
  > {
    const rows: {
      status: RecommendationStatus;
      currency: string;
      count: string;
      kwh: number;
      kg: number;
      money: number | null;
    }[] = await em.query(
      `SELECT status, currency, count(*)::text AS count, sum(annual_saving_kwh) AS kwh, sum(annual_saving_kg_co2e) AS kg, sum(annual_saving_money) AS money
         FROM recommendations WHERE tenant_id = $1 AND NOT (status = 'new' AND stale) GROUP BY status, currency`,
      [tenantId],
    );
    return rows.map((r) => ({
      ...r,
      count: Number(r.count),
      kwh: Number(r.kwh),
      kg: Number(r.kg),
      money: r.money === null ? null : Number(r.money),
    }));
  }

  /** Verified recommendations with their stored verification. */
  async verifiedWithResults(
    em: EntityManager,
    tenantId: string,
  ): Promise<{ recommendation: RecommendationEntity; verification: VerificationEntity | null }[]> {
    const out: { recommendation: RecommendationEntity; verification: VerificationEntity | null }[] = [];
    for (const recommendation of await em.find(RecommendationEntity, {
      where: { tenantId, status: 'verified' },
      order: { createdAt: 'ASC' },
    })) {
      out.push({ recommendation, verification: await this.verification(em, tenantId, recommendation.id) });
    }
    return out;
  }
}
