import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Db, NotFoundError, RequestContext } from '@halve/platform';
import { CarbonRepository, type OrgProfile } from './carbon.repository';
import { METER_USAGE, type MeterUsageSource } from './dto/meter-usage';
import { EmissionFactorLibraryService, type LoadedLibrary } from './emission-factor-library.service';
import { InventorySnapshotEntity } from './entities/carbon.entities';
import { toDecimal } from './factors/decimal';
import { loadGridIntensityProfile, type HourlyIntensity } from './factors/grid-intensity';
import { selectGridProfile } from './factors/grid-profiles';
import type { BaseYearChangeKind } from './ghg/base-year';
import {
  electricityMetersBySite,
  hourlyScope2View,
  hourlySite,
  hourYears,
  siteHours,
} from './inventory/hourly-scope2-view';
import { inventoryRegion, resolveInventoryPeriod } from './inventory/inventory-input';
import { buildInventoryView } from './inventory/inventory-view';
import type { GatheredInventory, InventoryView, InventoryWarning } from './inventory/inventory-view.types';
import { baseYearRecalculation, snapshotDiff, snapshotFactors } from './inventory/snapshot-diff';
import type { BaseYearSummary, ReportInput } from './reports/inventory-report';

export type {
  ApiInventoryLine,
  FactorUsed,
  GatheredInventory,
  InventoryView,
  InventoryWarning,
} from './inventory/inventory-view.types';

const pick = (v: InventoryView) => ({
  scope1KgCo2e: v.scope1KgCo2e,
  scope2LocationKgCo2e: v.scope2LocationKgCo2e,
  scope2MarketKgCo2e: v.scope2MarketKgCo2e,
  scope3KgCo2e: v.scope3KgCo2e,
  totalLocationKgCo2e: v.totalLocationKgCo2e,
  totalMarketKgCo2e: v.totalMarketKgCo2e,
});

/**
 * The organisation's inventory: meter months from the metering module (monthly rollups, never the
 * hourly readings), activity data, instruments and factors → the pure computeInventory. The hourly
 * path is kept for the hourly-Scope-2 / CFE endpoint only. The rules live in inventory/ (pure):
 * this service loads and orchestrates.
 */
@Injectable()
export class InventoryService {
  private readonly profiles = new Map<string, HourlyIntensity[] | null>();

  constructor(
    private readonly db: Db,
    private readonly repo: CarbonRepository,
    private readonly library: EmissionFactorLibraryService,
    @Inject(METER_USAGE) private readonly usage: MeterUsageSource,
  ) {}

  // ---- period ----

  /** Dates (`to` exclusive) at midnight in the organisation's zone. */
  resolvePeriod(org: OrgProfile, from: string, to: string): { fromUtc: Date; toUtc: Date } {
    return resolveInventoryPeriod(org, from, to);
  }

  regionOf(org: OrgProfile, site?: { gridRegion: string | null; country: string }): string {
    return inventoryRegion(org, site);
  }

  private async gather(tenantId: string, from: string, to: string): Promise<GatheredInventory> {
    const base = await this.db.tenant(async (em) => {
      const org = await this.repo.org(em, tenantId);
      if (!org) throw new NotFoundError('Organization', tenantId);
      const { fromUtc, toUtc } = this.resolvePeriod(org, from, to);
      const range = { from, to };
      return {
        org,
        period: range,
        fromUtc,
        toUtc,
        activities: await this.repo.activities(em, tenantId, range),
        instruments: await this.repo.instruments(em, tenantId, range),
        tenantFactors: await this.repo.tenantFactors(em, tenantId),
      };
    }, tenantId);
    const [sites, monthly, bills] = await Promise.all([
      this.usage.sites(tenantId),
      this.usage.monthlyUsage(tenantId, { from: base.fromUtc, to: base.toUtc }),
      this.usage.bills ? this.usage.bills(tenantId, { from, to }) : [],
    ]);
    return { ...base, sites, monthly, bills };
  }

  // ---- inventory ----

  async inventory(tenantId: string, from: string, to: string): Promise<InventoryView> {
    const [library, g] = await Promise.all([this.library.library(), this.gather(tenantId, from, to)]);
    return this.compute(library, g);
  }

  /** Pure part: gathered data → the inventory view (exposed for the benchmark and unit tests). */
  compute(library: LoadedLibrary, g: GatheredInventory): InventoryView {
    return buildInventoryView(library, g);
  }

  /** The inventory with its base-year figures, for the PDF/XLSX reports. */
  async reportInput(tenantId: string, from: string, to: string): Promise<ReportInput> {
    const inventory = await this.inventory(tenantId, from, to);
    const by = inventory.organization.baseYear;
    let baseYear: BaseYearSummary | null = null;
    if (by !== null) {
      const org = await this.db.tenant((em) => this.repo.org(em, tenantId), tenantId);
      const m = String(org?.fiscalYearStartMonth ?? 1).padStart(2, '0');
      const period = { from: `${by}-${m}-01`, to: `${by + 1}-${m}-01` };
      const b =
        period.from === from && period.to === to
          ? inventory
          : await this.inventory(tenantId, period.from, period.to);
      baseYear = { year: by, ...period, ...pick(b) };
    }
    return { inventory, baseYear, generatedAt: new Date() };
  }

  // ---- hourly Scope 2 and CFE ----

  /** The profile for `year`; a profile of the nearest year re-dated to `year` (same month, day, hour UTC) as a named proxy. */
  private profile(
    region: string,
    year: number,
    warnings: InventoryWarning[],
    siteId: string,
  ): HourlyIntensity[] {
    const p = selectGridProfile(region, year);
    if (!p) return [];
    const useYear = p.year;
    if (useYear !== year) {
      warnings.push({
        code: 'HOURLY_PROFILE_YEAR_PROXY',
        siteId,
        message: `no hourly grid-intensity profile of ${p.region} for ${year}: the ${useYear} profile is used hour by hour (same month, day and UTC hour) as a proxy`,
      });
    }
    const key = `${p.region}:${useYear}:${year}`;
    let hours = this.profiles.get(key);
    if (hours === undefined) {
      const src = loadGridIntensityProfile(p.region, useYear).hours;
      hours = useYear === year ? src : src.map((h) => ({ ...h, hourUtc: `${year}${h.hourUtc.slice(4)}` }));
      this.profiles.set(key, hours);
    }
    return hours ?? [];
  }

  async hourlyScope2(
    tenantId: string,
    q: { from: string; to: string; siteId?: string; includeHours?: boolean },
  ) {
    const library = await this.library.library();
    const g = await this.gather(tenantId, q.from, q.to);
    if (q.siteId && !g.sites.some((s) => s.id === q.siteId)) throw new NotFoundError('Site', q.siteId);
    const warnings: InventoryWarning[] = [];
    const sites = [];
    for (const [siteId, meters] of electricityMetersBySite(g.monthly, q.siteId)) {
      const region = this.regionOf(
        g.org,
        g.sites.find((s) => s.id === siteId),
      );
      const ids = [...meters.imp, ...meters.gen, ...meters.exp];
      const rows = await this.usage.hourlyUsage(tenantId, ids, { from: g.fromUtc, to: g.toUtc });
      const hours = siteHours(rows, meters);
      const siteWarnings: InventoryWarning[] = [];
      const profile: HourlyIntensity[] = [];
      for (const y of hourYears(hours)) profile.push(...this.profile(region, y, siteWarnings, siteId));
      const site = hourlySite(
        {
          siteId,
          region,
          hours,
          profile,
          factors: library.factors,
          tenantFactors: g.tenantFactors,
          periodYear: Number(q.from.slice(0, 4)),
          includeHours: q.includeHours,
        },
        siteWarnings,
      );
      warnings.push(...siteWarnings);
      sites.push(site);
    }
    return hourlyScope2View(q, g.org.timezone, sites, warnings);
  }

  // ---- recalculation ----

  async recalculate(
    tenantId: string,
    dto: { from: string; to: string; reason?: string; changeKind?: BaseYearChangeKind },
  ) {
    const current = await this.inventory(tenantId, dto.from, dto.to);
    return this.db.tenant(async (em) => {
      const previous = await this.repo.latestSnapshot(em, tenantId, dto.from, dto.to);
      const factorsUsed = snapshotFactors(current);
      const diff = previous ? snapshotDiff(previous, current, factorsUsed) : null;
      const baseYear = baseYearRecalculation(previous, diff, current, dto);
      const exact = (n: number) => toDecimal(n).toFixed();
      const row: InventorySnapshotEntity = Object.assign(new InventorySnapshotEntity(), {
        tenantId,
        id: randomUUID(),
        periodFrom: dto.from,
        periodTo: dto.to,
        reason: dto.reason ?? null,
        factorLibraryVersion: current.factorLibraryVersion,
        factorsUsed,
        dataHash: current.dataHash,
        scope1KgCo2e: exact(current.scope1KgCo2e),
        scope2LocationKgCo2e: exact(current.scope2LocationKgCo2e),
        scope2MarketKgCo2e: exact(current.scope2MarketKgCo2e),
        scope3KgCo2e: exact(current.scope3KgCo2e),
        result: current,
        previousId: previous?.id ?? null,
        diff: diff ? { ...diff, baseYear } : null,
        createdBy: RequestContext.maybe()?.userId ?? null,
      });
      await this.repo.insertSnapshot(em, row);
      return {
        id: row.id,
        period: { from: dto.from, to: dto.to },
        reason: row.reason,
        previousId: row.previousId,
        factorLibraryVersion: row.factorLibraryVersion,
        dataHash: row.dataHash,
        scope1KgCo2e: current.scope1KgCo2e,
        scope2LocationKgCo2e: current.scope2LocationKgCo2e,
        scope2MarketKgCo2e: current.scope2MarketKgCo2e,
        scope3KgCo2e: current.scope3KgCo2e,
        totalLocationKgCo2e: current.totalLocationKgCo2e,
        totalMarketKgCo2e: current.totalMarketKgCo2e,
        diff: row.diff,
      };
    }, tenantId);
  }

  async snapshots(tenantId: string, range?: { from: string; to: string }) {
    return this.db.tenant((em) => this.repo.snapshots(em, tenantId, range), tenantId);
  }
}
