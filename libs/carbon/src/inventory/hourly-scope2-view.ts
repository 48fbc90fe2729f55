import type { HourlyUsageRow, MonthlyUsageRow } from '../dto/meter-usage';
import { CarbonDecimal, roundKg } from '../factors/decimal';
import type { EmissionFactor } from '../factors/emission-factor';
import type { HourlyIntensity } from '../factors/grid-intensity';
import { selectGridProfile, type GridProfileChoice } from '../factors/grid-profiles';
import { selectGridFactor } from '../factors/select-factor';
import { hourlyScope2, type HourlyEnergy, type HourlyScope2Result } from '../ghg/cfe';
import type { InventoryWarning } from './inventory-view.types';

/**
 * The hourly Scope 2 / CFE view (pure): a site's hourly electricity meters → load per hour →
 * hourlyScope2 priced at the hourly grid profile (the annual factor where there is none).
 */

/** A site's electricity meters by role: imports, on-site generation, exports. */
export interface ElectricityMeters {
  imp: Set<string>;
  gen: Set<string>;
  exp: Set<string>;
}

type Role = keyof ElectricityMeters;

function roleOf(kind: MonthlyUsageRow['kind']): Role | null {
  if (kind === 'electricity_import') return 'imp';
  if (kind === 'electricity_export') return 'exp';
  if (kind === 'pv_generation' || kind === 'wind_generation') return 'gen';
  return null;
}

/** The electricity meters with data in the period, per site (one site only when `siteId` is given). */
export function electricityMetersBySite(
  monthly: MonthlyUsageRow[],
  siteId?: string,
): Map<string, ElectricityMeters> {
  const bySite = new Map<string, ElectricityMeters>();
  for (const row of monthly) {
    if (siteId && row.siteId !== siteId) continue;
    const role = roleOf(row.kind);
    if (!role) continue;
    const s = bySite.get(row.siteId) ?? {
      imp: new Set<string>(),
      gen: new Set<string>(),
      exp: new Set<string>(),
    };
    s[role].add(row.meterId);
    bySite.set(row.siteId, s);
  }
  return bySite;
}

export type SiteHour = [time: number, kwh: { imp: number; gen: number; exp: number }];

/** The meters' readings summed per hour and role, in time order. */
export function siteHours(rows: HourlyUsageRow[], meters: ElectricityMeters): SiteHour[] {
  const hours = new Map<number, { imp: number; gen: number; exp: number }>();
  for (const r of rows) {
    const t = r.hourStart.getTime();
    const h = hours.get(t) ?? { imp: 0, gen: 0, exp: 0 };
    const kwh = Number(r.quantity);
    if (meters.imp.has(r.meterId)) h.imp += kwh;
    else if (meters.gen.has(r.meterId)) h.gen += kwh;
    else if (meters.exp.has(r.meterId)) h.exp += kwh;
    hours.set(t, h);
  }
  return [...hours.entries()].sort((a, b) => a[0] - b[0]);
}

/** The UTC years the hours fall in (a grid profile is loaded for each). */
export function hourYears(hours: SiteHour[]): Set<number> {
  return new Set(hours.map(([t]) => new Date(t).getUTCFullYear()));
}

/** Load = import + generation − export per hour; an hour exporting more is taken as 0 and counted. */
function hourlyLoads(hours: SiteHour[]): { energy: HourlyEnergy[]; negative: number } {
  let negative = 0;
  const energy: HourlyEnergy[] = hours.map(([t, h]) => {
    let load = h.imp + h.gen - h.exp;
    if (load < 0) {
      negative++;
      load = 0;
    }
    return {
      hourUtc: new Date(t).toISOString().replace('.000Z', 'Z'),
      loadKwh: load,
      onSiteGenerationKwh: h.gen,
    };
  });
  return { energy, negative };
}

export interface HourlySiteInput {
  siteId: string;
  region: string;
  hours: SiteHour[];
  /** The grid profile of every year of the hours (empty where there is none). */
  profile: HourlyIntensity[];
  factors: EmissionFactor[];
  tenantFactors: EmissionFactor[];
  /** The year of the period's start, for the annual factor when there are no hours. */
  periodYear: number;
  includeHours?: boolean;
}

/** One site's hourly Scope 2: its result (exact) and its view; warnings added to `siteWarnings` in order. */
export function hourlySite(input: HourlySiteInput, siteWarnings: InventoryWarning[]) {
  const { siteId, region, hours } = input;
  const firstYear = hours.length ? new Date(hours[0][0]).getUTCFullYear() : input.periodYear;
  const sel = selectGridFactor(input.factors, {
    region,
    year: firstYear,
    tenantFactors: input.tenantFactors,
  });
  const annual: EmissionFactor = sel.factor;
  for (const w of sel.warnings) siteWarnings.push({ ...w, siteId });
  const chosen = selectGridProfile(region, firstYear);
  if (!chosen) {
    siteWarnings.push({
      code: 'HOURLY_INTENSITY_FALLBACK',
      siteId,
      message: `no hourly grid-intensity profile for ${region}: every hour priced at the annual factor ${annual.kgCo2ePerUnit} kg/kWh (${annual.id})`,
    });
  }
  const { energy, negative } = hourlyLoads(hours);
  if (negative)
    siteWarnings.push({
      code: 'HOURLY_EXPORT_EXCEEDS_SUPPLY',
      siteId,
      message: `${negative} hours export more than import + generation; their load is taken as 0`,
    });
  const r = hourlyScope2(
    { hours: energy, profile: input.profile, annualKgCo2ePerKwh: annual.kgCo2ePerUnit },
    { includeHourly: input.includeHours },
  );
  for (const w of r.warnings) siteWarnings.push({ ...w, siteId });
  return { result: r, view: hourlySiteView(input, chosen, annual, energy.length, r) };
}

function hourlySiteView(
  input: HourlySiteInput,
  chosen: GridProfileChoice | null,
  annual: EmissionFactor,
  hours: number,
  r: HourlyScope2Result,
) {
  return {
    siteId: input.siteId,
    gridRegion: input.region,
    profile: chosen
      ? { region: chosen.region, dataset: `${chosen.file}: ${chosen.basis}; ${chosen.licence}` }
      : null,
    annualFactor: {
      id: annual.id,
      value: annual.kgCo2ePerUnit,
      unit: annual.unit,
      source: annual.source,
      edition: annual.edition,
      year: annual.year,
      region: annual.region,
    },
    hours,
    fallbackHours: r.fallbackHours,
    importKwh: r.importKwh.toNumber(),
    exportKwh: r.exportKwh.toNumber(),
    generationKwh: r.generationKwh.toNumber(),
    selfConsumedKwh: r.selfConsumedKwh.toNumber(),
    loadKwh: r.loadKwh.toNumber(),
    hourlyLocationKgCo2e: roundKg(r.kgCo2e),
    annualMethodKgCo2e: roundKg(r.annualMethodKgCo2e),
    cfeShare: r.cfe.cfeShare.toDecimalPlaces(6).toNumber(),
    hourlyMatchShare: r.cfe.hourlyMatchShare.toDecimalPlaces(6).toNumber(),
    annualVolumeShare: r.cfe.annualVolumeShare.toDecimalPlaces(6).toNumber(),
    ...(input.includeHours
      ? {
          hourly: r.hourly.map((h) => ({
            hourUtc: h.hourUtc,
            importKwh: h.importKwh.toNumber(),
            exportKwh: h.exportKwh.toNumber(),
            kgCo2ePerKwh: h.kgCo2ePerKwh.toNumber(),
            kgCo2e: roundKg(h.kgCo2e),
            fallback: h.fallback,
          })),
        }
      : {}),
  };
}

export type HourlySiteView = ReturnType<typeof hourlySiteView>;

/** The organisation's hourly Scope 2: the sites' exact results summed, rounded once. */
export function hourlyScope2View(
  q: { from: string; to: string },
  timezone: string,
  sites: { result: HourlyScope2Result; view: HourlySiteView }[],
  warnings: InventoryWarning[],
) {
  let totalImport = new CarbonDecimal(0);
  let totalKg = new CarbonDecimal(0);
  let totalAnnualKg = new CarbonDecimal(0);
  let totalLoad = new CarbonDecimal(0);
  let totalCfe = new CarbonDecimal(0);
  for (const { result: r } of sites) {
    totalImport = totalImport.plus(r.importKwh);
    totalKg = totalKg.plus(r.kgCo2e);
    totalAnnualKg = totalAnnualKg.plus(r.annualMethodKgCo2e);
    totalLoad = totalLoad.plus(r.loadKwh);
    totalCfe = totalCfe.plus(r.cfe.cfeKwh);
  }
  return {
    period: { from: q.from, to: q.to, timezone },
    basis:
      'Hourly location-based Scope 2: imports priced with the hour’s grid intensity (EIA-930 production-based life-cycle intensity where a profile exists; the annual factor otherwise). Not a substitute for the annual inventory figures.',
    importKwh: totalImport.toNumber(),
    hourlyLocationKgCo2e: roundKg(totalKg),
    annualMethodKgCo2e: roundKg(totalAnnualKg),
    cfeShare: totalLoad.isZero() ? 0 : totalCfe.div(totalLoad).toDecimalPlaces(6).toNumber(),
    sites: sites.map((s) => s.view),
    warnings,
  };
}
