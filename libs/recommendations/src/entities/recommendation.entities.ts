import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Confidence, EvidenceSeries, SuggestionType } from '../analysers/types';

export const RECOMMENDATION_STATUSES = [
  'new',
  'accepted',
  'rejected',
  'implemented',
  'verified',
  'not_achieved',
] as const;
export type RecommendationStatus = (typeof RECOMMENDATION_STATUSES)[number];

/** What an analysis run priced the suggestion with (kept so every number can be re-derived). */
export interface RecommendationBasis {
  emissionFactor: { kgCo2ePerKwh: number; source: string; factorId: string; region: string; year: number };
  /** the current tariff's flat price, when it has one */
  pricePerKwh: number | null;
  dataFrom: string;
  dataTo: string;
  gridIntensity: string | null;
  warnings: string[];
}

/**
 * A quantified suggestion for a site, from the analysers, and its review state. `key` (unique per
 * tenant) is the analyser's stable dedupe key: a re-run updates the open (status new) suggestion
 * with the same key; decided ones keep what was decided on.
 */
@Entity('recommendations')
export class RecommendationEntity {
  @PrimaryColumn('uuid') tenantId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') siteId: string;
  @Column('uuid', { nullable: true }) meterId: string | null;
  @Column('text') key: string;
  @Column('text') type: SuggestionType;
  @Column('text', { default: 'new' }) status: RecommendationStatus;
  @Column('text') title: string;
  @Column('text') explanation: string;
  @Column('double precision') annualSavingKwh: number;
  @Column('double precision') annualSavingKgCo2e: number;
  @Column('double precision', { nullable: true }) annualSavingMoney: number | null;
  @Column('char', { length: 3 }) currency: string;
  @Column('double precision', { nullable: true }) rangeLow: number | null;
  @Column('double precision', { nullable: true }) rangeHigh: number | null;
  @Column('double precision', { nullable: true }) costMoney: number | null;
  @Column('double precision', { nullable: true }) paybackYears: number | null;
  @Column('text') confidence: Confidence;
  @Column('jsonb') evidence: { series: EvidenceSeries[]; numbers: Record<string, number | string> };
  @Column('jsonb') basis: RecommendationBasis;
  /** true when the latest analysis of the site no longer produced this (open) suggestion */
  @Column('boolean', { default: false }) stale: boolean;
  @Column('uuid', { nullable: true }) assigneeUserId: string | null;
  /** local date in the site's zone */
  @Column('date', { nullable: true }) implementedOn: string | null;
  @Column('double precision', { nullable: true }) actualCostMoney: number | null;
  @Column('text', { nullable: true }) notes: string | null;
  /** reason given with the latest decision (always for a rejection) */
  @Column('text', { nullable: true }) reason: string | null;
  @Column('uuid', { nullable: true }) decidedBy: string | null;
  @Column('timestamptz', { nullable: true }) decidedAt: Date | null;
  @Column('text', { nullable: true }) analysisJobId: string | null;
  @Column('timestamptz', { default: () => 'now()' }) analysedAt: Date;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { default: () => 'now()' }) updatedAt: Date;
}

@Entity('recommendation_comments')
export class RecommendationCommentEntity {
  @PrimaryColumn('uuid') tenantId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') recommendationId: string;
  @Column('uuid', { nullable: true }) authorUserId: string | null;
  @Column('text') body: string;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
}

/** Every status change: who, when, from, to, why (also in the audit trail). */
@Entity('recommendation_transitions')
export class RecommendationTransitionEntity {
  @PrimaryColumn('uuid') tenantId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') recommendationId: string;
  @Column('text') fromStatus: RecommendationStatus;
  @Column('text') toStatus: RecommendationStatus;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('jsonb', { default: () => "'{}'::jsonb" }) details: object;
  @Column('uuid', { nullable: true }) actorUserId: string | null;
  @Column('timestamptz', { default: () => 'now()' }) at: Date;
}

/** A period of a site that measurement and verification leaves out (half-open [from, to)). */
@Entity('non_routine_events')
export class NonRoutineEventEntity {
  @PrimaryColumn('uuid') tenantId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') siteId: string;
  @Column('timestamptz') fromTs: Date;
  @Column('timestamptz') toTs: Date;
  @Column('text') description: string;
  @Column('uuid', { nullable: true }) createdBy: string | null;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
}

export type VerificationStatus = 'pending' | 'succeeded' | 'failed';

/**
 * The stored M&V result of a recommendation (one per recommendation: the latest). `inputHash` names
 * the inputs it was computed from (implementation date, the site's data extents, non-routine
 * events): a different hash means it is out of date and is computed again.
 */
@Entity('verifications')
export class VerificationEntity {
  @PrimaryColumn('uuid') tenantId: string;
  @PrimaryColumn('uuid') recommendationId: string;
  @Column('text') status: VerificationStatus;
  @Column('text') inputHash: string;
  @Column('text', { nullable: true }) jobId: string | null;
  @Column('timestamptz', { nullable: true }) baselineFrom: Date | null;
  @Column('timestamptz', { nullable: true }) baselineTo: Date | null;
  @Column('timestamptz', { nullable: true }) reportingFrom: Date | null;
  @Column('timestamptz', { nullable: true }) reportingTo: Date | null;
  @Column('double precision', { nullable: true }) baselineCvRmse: number | null;
  @Column('double precision', { nullable: true }) baselineNmbe: number | null;
  @Column('double precision', { nullable: true }) counterfactualKwh: number | null;
  @Column('double precision', { nullable: true }) actualKwh: number | null;
  @Column('double precision', { nullable: true }) verifiedSavingKwh: number | null;
  @Column('double precision', { nullable: true }) fractionalSavingsUncertainty: number | null;
  @Column('boolean', { nullable: true }) meetsGuideline14: boolean | null;
  /** the whole verifySavings result (method, G14 detail, daily counterfactual series, warnings) */
  @Column('jsonb', { nullable: true }) result: object | null;
  @Column('text', { nullable: true }) error: string | null;
  @Column('timestamptz', { nullable: true }) computedAt: Date | null;
  @Column('timestamptz', { default: () => 'now()' }) updatedAt: Date;
}

/** A site's building type and usable roof area, as the analysers need them (migration 1764301000000). */
@Entity('site_analysis_settings')
export class SiteAnalysisSettingsEntity {
  @PrimaryColumn('uuid') tenantId: string;
  @PrimaryColumn('uuid') siteId: string;
  @Column('text', { nullable: true }) buildingType: string | null;
  @Column('double precision', { nullable: true, name: 'roof_area_m2' }) roofAreaM2: number | null;
  @Column('timestamptz', { default: () => 'now()' }) updatedAt: Date;
}

export const RECOMMENDATION_ENTITIES = [
  RecommendationEntity,
  SiteAnalysisSettingsEntity,
  RecommendationCommentEntity,
  RecommendationTransitionEntity,
  NonRoutineEventEntity,
  VerificationEntity,
];
