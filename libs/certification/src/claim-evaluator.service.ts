import { Injectable } from '@nestjs/common';
import { CarbonDataService, InventoryService, instrumentDetail, type InventoryView } from '@halve/carbon';
import { VerifiedSavingsReader, type VerifiedMeasureReport } from '@halve/recommendations';
import {
  ClaimInputs,
  InstrumentDetail,
  RuleInput,
  RuleResult,
  basePeriodOf,
  checklistFor,
  evaluateClaim,
  type ChecklistItem,
} from './claim-rules';
import type { ClaimType, EvidenceKind } from './entities/certification.entities';

export interface Evaluation {
  rule: RuleInput;
  result: RuleResult;
  checklist: ChecklistItem[];
}

/** The inventory summary a snapshot locks: totals, factor versions, lines, instruments, generation. */
export function inventorySummary(inv: InventoryView) {
  return {
    period: inv.period,
    factorLibraryVersion: inv.factorLibraryVersion,
    dataHash: inv.dataHash,
    scope1KgCo2e: inv.scope1KgCo2e,
    scope2LocationKgCo2e: inv.scope2LocationKgCo2e,
    scope2MarketKgCo2e: inv.scope2MarketKgCo2e,
    scope3KgCo2e: inv.scope3KgCo2e,
    totalLocationKgCo2e: inv.totalLocationKgCo2e,
    totalMarketKgCo2e: inv.totalMarketKgCo2e,
    purchasedElectricityKwh: inv.purchasedElectricityKwh,
    exportedElectricityKwh: inv.exportedElectricityKwh,
    onSiteGeneration: inv.onSiteGeneration,
    instruments: inv.instruments,
    denominators: inv.denominators,
    sites: inv.sites,
    factorsUsed: inv.factorsUsed.map((f) => ({
      id: f.id,
      value: f.value,
      unit: f.unit,
      source: f.source,
      edition: f.edition,
      year: f.year,
      region: f.region,
    })),
    lines: inv.lines.map((l) => ({
      lineId: l.lineId ?? null,
      scope: l.scope,
      method: l.method ?? null,
      category: l.category,
      source: l.source,
      siteId: l.siteId ?? null,
      meterId: l.meterId ?? null,
      month: l.month ?? null,
      quantity: l.quantity,
      unit: l.unit,
      factorId: l.factor?.id ?? null,
      kgCo2e: l.kgCo2e,
      dataQuality: l.dataQuality ?? null,
      flag: l.flag ?? null,
    })),
    warnings: inv.warnings.map((w) => ({ code: w.code, message: w.message })),
  };
}

/**
 * Gathers a claim's numbers from the carbon module (inventory of the period and of the base year,
 * instruments) and, for verified savings, the recommendations module's M&V reports of the period.
 */
@Injectable()
export class ClaimEvaluator {
  constructor(
    private readonly inventories: InventoryService,
    private readonly carbonData: CarbonDataService,
    private readonly verifiedSavings: VerifiedSavingsReader,
  ) {}

  /** Runs outside any open transaction: the carbon module opens its own. */
  async evaluate(
    tenantId: string,
    claim: { type: ClaimType; periodFrom: string; periodTo: string; inputs: ClaimInputs },
    evidenceKinds: EvidenceKind[],
  ): Promise<Evaluation & { inventory: InventoryView; baseInventory: InventoryView | null }> {
    const period = { from: claim.periodFrom, to: claim.periodTo };
    const inventory = await this.inventories.inventory(tenantId, period.from, period.to);
    let baseInventory: InventoryView | null = null;
    let basePeriod: RuleInput['basePeriod'] = null;
    if (claim.type === 'emission_reduction' || claim.type === 'carbon_neutral') {
      const baseYear = claim.inputs.baseYear ?? inventory.organization.baseYear;
      if (baseYear !== null && baseYear !== undefined) {
        basePeriod = basePeriodOf(period, baseYear);
        baseInventory = await this.inventories.inventory(tenantId, basePeriod.from, basePeriod.to);
      }
    }
    const instruments: InstrumentDetail[] = inventory.instruments.length
      ? (await this.carbonData.instruments(tenantId))
          .filter((i) => inventory.instruments.some((x) => x.id === i.id))
          .map((i) => instrumentDetail(i))
      : [];
    const mvReports: VerifiedMeasureReport[] =
      claim.type === 'verified_savings'
        ? await this.verifiedSavings.reports(
            tenantId,
            new Date(inventory.period.fromUtc),
            new Date(inventory.period.toUtc),
          )
        : [];
    const rule: RuleInput = {
      type: claim.type,
      period,
      inputs: claim.inputs,
      inventory,
      baseInventory,
      basePeriod,
      instruments,
      evidenceKinds,
      ...(claim.type === 'verified_savings' ? { mvReports } : {}),
    };
    const result = evaluateClaim(rule);
    return { rule, result, checklist: checklistFor(rule, result.figures), inventory, baseInventory };
  }
}
