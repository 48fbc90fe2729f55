import { createHash } from 'node:crypto';
import type { OrgProfile } from '../carbon.repository';
import type { UsageSite } from '../dto/meter-usage';
import type { LoadedLibrary } from '../emission-factor-library.service';
import { CarbonDecimal, roundKg, toDecimal } from '../factors/decimal';
import type { EmissionFactor } from '../factors/emission-factor';
import type { ContractualInstrument } from '../ghg/scope2';
import { computeInventory } from './compute-inventory';
import type { ActivityLine, InventoryResult, InventorySite } from './inventory.types';
import { contractualInstruments, inventoryLines, inventoryRegion } from './inventory-input';
import type { ApiInventoryLine, FactorUsed, GatheredInventory, InventoryView } from './inventory-view.types';

/**
 * The API's inventory view from what the service loaded (pure): the lines → computeInventory, then
 * what the view adds (months, the factors used with their provenance, the data hash).
 */

/** Floor area, employees and revenue the intensities divide by; each only when positive. */
function inventoryDenominators(org: OrgProfile, sites: UsageSite[]) {
  const floorArea = sites.reduce(
    (s, x) => (x.floorAreaM2 ? s.plus(toDecimal(x.floorAreaM2)) : s),
    new CarbonDecimal(0),
  );
  const revenue =
    org.annualRevenue !== null && toDecimal(org.annualRevenue).gt(0) ? org.annualRevenue : undefined;
  return {
    floorAreaM2: floorArea.gt(0) ? floorArea : undefined,
    employees: org.employees && org.employees > 0 ? org.employees : undefined,
    revenue,
  };
}

/** Scope 1, Scope 2 location-based and Scope 3 per month of the lines that have one, exact then rounded. */
function monthlyTotals(apiLines: ApiInventoryLine[]): InventoryView['byMonth'] {
  const byMonth = new Map<string, { s1: CarbonDecimal; s2l: CarbonDecimal; s3: CarbonDecimal }>();
  for (const l of apiLines) {
    if (!l.month || l.kgCo2e === null) continue;
    const m = byMonth.get(l.month) ?? {
      s1: new CarbonDecimal(0),
      s2l: new CarbonDecimal(0),
      s3: new CarbonDecimal(0),
    };
    if (l.scope === 1) m.s1 = m.s1.plus(l.kgCo2e);
    else if (l.scope === 2 && l.method !== 'market') m.s2l = m.s2l.plus(l.kgCo2e);
    else if (l.scope === 3) m.s3 = m.s3.plus(l.kgCo2e);
    byMonth.set(l.month, m);
  }
  return [...byMonth]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, v]) => ({
      month,
      scope1KgCo2e: roundKg(v.s1),
      scope2LocationKgCo2e: roundKg(v.s2l),
      scope3KgCo2e: roundKg(v.s3),
    }));
}

/** Each factor the lines used once, with its library (or tenant) provenance, sorted by id. */
function factorsUsed(
  factors: EmissionFactor[],
  tenantFactors: EmissionFactor[],
  apiLines: ApiInventoryLine[],
) {
  const byId = new Map<string, EmissionFactor>([...factors, ...tenantFactors].map((f) => [f.id, f]));
  const used = new Map<string, FactorUsed>();
  for (const l of apiLines) {
    if (!l.factor || used.has(l.factor.id)) continue;
    const f = byId.get(l.factor.id);
    used.set(l.factor.id, {
      ...l.factor,
      label: f?.label ?? l.factor.source,
      licence: f?.licence ?? '',
      gwpSet: f?.gwpSet ?? '',
      verification: f?.verification ?? '',
      url: f?.url ?? '',
      tenantFactor: !!f?.tenantId,
    });
  }
  return [...used.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** sha-256 of the inventory's input (lines, instruments, sites): a recalculation tells data changes apart by it. */
function inventoryDataHash(
  lines: ActivityLine[],
  instruments: ContractualInstrument[],
  sites: InventorySite[],
) {
  return createHash('sha256')
    .update(
      JSON.stringify({
        lines: lines.map((l) => ({ ...l, quantity: toDecimal(l.quantity).toFixed() })),
        instruments: instruments.map((i) => ({ ...i, volumeKwh: toDecimal(i.volumeKwh).toFixed() })),
        sites,
      }),
    )
    .digest('hex');
}

/** Gathered data → the inventory view. The lib's errors are AppErrors: the ProblemFilter answers them. */
export function buildInventoryView(library: LoadedLibrary, g: GatheredInventory): InventoryView {
  const { org, period } = g;
  const invSites: InventorySite[] = g.sites.map((s) => ({
    id: s.id,
    gridRegion: inventoryRegion(org, s),
    floorAreaM2: s.floorAreaM2 ?? undefined,
  }));
  const { lines, flagged, warnings, lineMonth } = inventoryLines(library.factors, g);
  const instruments = contractualInstruments(g.instruments);
  const denominators = inventoryDenominators(org, g.sites);
  const result: InventoryResult = computeInventory({
    period,
    organisationId: org.id,
    sites: invSites,
    lines,
    instruments,
    factors: library.factors,
    tenantFactors: g.tenantFactors,
    options: {
      denominators:
        denominators.floorAreaM2 || denominators.employees || denominators.revenue ? denominators : undefined,
    },
  });
  const apiLines: ApiInventoryLine[] = [
    ...result.lines.map((l) => ({ ...l, month: l.lineId ? lineMonth.get(l.lineId) : undefined })),
    ...flagged,
  ];
  return {
    organization: { id: org.id, name: org.name, timezone: org.timezone, baseYear: org.baseYear },
    period: {
      from: period.from,
      to: period.to,
      timezone: org.timezone,
      fromUtc: g.fromUtc.toISOString(),
      toUtc: g.toUtc.toISOString(),
    },
    scope1KgCo2e: result.scope1KgCo2e,
    scope2LocationKgCo2e: result.scope2LocationKgCo2e,
    scope2MarketKgCo2e: result.scope2MarketKgCo2e,
    scope3KgCo2e: result.scope3KgCo2e,
    totalLocationKgCo2e: result.totalLocationKgCo2e,
    totalMarketKgCo2e: result.totalMarketKgCo2e,
    scope3ByCategoryKgCo2e: result.scope3ByCategoryKgCo2e,
    bySite: result.bySite,
    byMonth: monthlyTotals(apiLines),
    intensities: result.intensities ?? null,
    denominators: {
      floorAreaM2: denominators.floorAreaM2 ? denominators.floorAreaM2.toNumber() : null,
      employees: denominators.employees ?? null,
      revenue: denominators.revenue ? Number(denominators.revenue) : null,
      currency: org.currency,
    },
    purchasedElectricityKwh: result.purchasedElectricityKwh,
    exportedElectricityKwh: result.exportedElectricityKwh,
    onSiteGeneration: result.onSiteGeneration,
    instruments: result.instruments,
    sites: g.sites.map((s) => ({ id: s.id, name: s.name, gridRegion: inventoryRegion(org, s) })),
    lines: apiLines,
    factorsUsed: factorsUsed(library.factors, g.tenantFactors, apiLines),
    factorLibraryVersion: library.version,
    dataHash: inventoryDataHash(lines, instruments, invSites),
    warnings: [...warnings, ...result.warnings],
  };
}
