import { Injectable } from '@nestjs/common';
import { Db } from '@halve/platform';
import type { VerificationSeriesPoint } from './mv/verification';
import { RecommendationsRepository } from './recommendations.repository';

/** One measured-and-verified measure: the recommendation (status verified) and its stored M&V report. */
export interface VerifiedMeasureReport {
  recommendationId: string;
  siteId: string;
  type: string;
  title: string;
  /** local date in the site's zone */
  implementedOn: string | null;
  /** the recommendation's own emission factor (from its analysis) */
  emissionFactor: { kgCo2ePerKwh: number; source: string; factorId: string; region: string; year: number };
  baselineFrom: string;
  baselineTo: string;
  reportingFrom: string;
  /** exclusive */
  reportingTo: string;
  baselineCvRmse: number | null;
  baselineNmbe: number | null;
  counterfactualKwh: number;
  actualKwh: number;
  verifiedSavingKwh: number;
  fractionalSavingsUncertainty: number | null;
  fsuAt68: number | null;
  confidence: number | null;
  meetsGuideline14: boolean;
  computedAt: string | null;
  /** names the inputs the report was computed from (implementation date, data extents, non-routine events) */
  inputHash: string;
  /** avoided energy per local day of the reporting period (start of the day, ISO with offset) */
  dailySavings: { ts: string; savingKwh: number }[];
}

/**
 * Read side of measurement and verification for other modules (certification): the verified
 * measures whose stored M&V report succeeded, meets ASHRAE Guideline 14 and whose reporting period
 * overlaps [from, to). Provided by the module that reads it (it needs only the global Db), so
 * RecommendationsModule's own wiring is unchanged.
 */
@Injectable()
export class VerifiedSavingsReader {
  /** Stateless; held here so that a module providing the reader needs only the (global) Db. */
  private readonly repo = new RecommendationsRepository();

  constructor(private readonly db: Db) {}

  async reports(tenantId: string, from: Date, to: Date): Promise<VerifiedMeasureReport[]> {
    const rows = await this.db.tenant((em) => this.repo.verifiedWithResults(em, tenantId), tenantId);
    const out: VerifiedMeasureReport[] = [];
    for (const { recommendation: r, verification: v } of rows) {
      if (!v || v.status !== 'succeeded' || v.meetsGuideline14 !== true) continue;
      if (!v.baselineFrom || !v.baselineTo || !v.reportingFrom || !v.reportingTo) continue;
      if (!Number.isFinite(v.verifiedSavingKwh)) continue;
      if (!(v.reportingFrom < to && v.reportingTo > from)) continue;
      const result = (v.result ?? {}) as {
        counterfactualSeries?: VerificationSeriesPoint[];
        fsuAt68?: number | null;
        confidence?: number;
      };
      out.push({
        recommendationId: r.id,
        siteId: r.siteId,
        type: r.type,
        title: r.title,
        implementedOn: r.implementedOn,
        emissionFactor: { ...r.basis.emissionFactor },
        baselineFrom: v.baselineFrom.toISOString(),
        baselineTo: v.baselineTo.toISOString(),
        reportingFrom: v.reportingFrom.toISOString(),
        reportingTo: v.reportingTo.toISOString(),
        baselineCvRmse: v.baselineCvRmse,
        baselineNmbe: v.baselineNmbe,
        counterfactualKwh: Number(v.counterfactualKwh),
        actualKwh: Number(v.actualKwh),
        verifiedSavingKwh: Number(v.verifiedSavingKwh),
        fractionalSavingsUncertainty: v.fractionalSavingsUncertainty,
        fsuAt68: result.fsuAt68 ?? null,
        confidence: result.confidence ?? null,
        meetsGuideline14: true,
        computedAt: v.computedAt ? v.computedAt.toISOString() : null,
        inputHash: v.inputHash,
        dailySavings: (result.counterfactualSeries ?? []).map((p) => ({
          ts: p.ts,
          savingKwh: p.counterfactualKwh - p.actualKwh,
        })),
      });
    }
    return out;
  }
}
