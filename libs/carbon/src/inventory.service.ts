import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { BadInputError, Db, NotFoundError, RequestContext } from '@halve/platform';
import { CarbonRepository, type OrgProfile } from './carbon.repository';
import { METER_USAGE, type MeterUsageSource, type MonthlyUsageRow, type UsageSite } from './dto/meter-usage';
import { EmissionFactorLibraryService, type LoadedLibrary } from './emission-factor-library.service';
import {
  InventorySnapshotEntity,
  type ActivityEntity,
  type InstrumentEntity,
} from './entities/carbon.entities';
import { CarbonDecimal, roundKg, toDecimal } from './factors/decimal';
import type { EmissionFactor, FactorRef } from './factors/emission-factor';
import { FactorNotFoundError, UnitConversionError } from './factors/errors';
import { loadGridIntensityProfile, type HourlyIntensity } from './factors/grid-intensity';
import { selectGridProfile } from './factors/grid-profiles';
import { normaliseRegion, regionFallbackChain } from './factors/regions';
import { selectFactor, selectGridFactor } from './factors/select-factor';
import { canConvertUnit, normaliseUnit } from './factors/units';
import { checkBaseYearRecalculation, type BaseYearChangeKind } from './ghg/base-year';
import { hourlyScope2, type HourlyEnergy } from './ghg/cfe';
import type { ContractualInstrument } from './ghg/scope2';
import { computeInventory } from './inventory/compute-inventory';
import type {
  ActivityLine,
  InventoryLine,
  InventoryResult,
  InventorySite,
} from './inventory/inventory.types';
import type { BaseYearSummary, ReportInput } from './reports/inventory-report';

const pick = (v: InventoryView) => ({
  scope1KgCo2e: v.scope1KgCo2e,
  scope2LocationKgCo2e: v.scope2LocationKgCo2e,
  scope2MarketKgCo2e: v.scope2MarketKgCo2e,
  scope3KgCo2e: v.scope3KgCo2e,
  totalLocationKgCo2e: v.totalLocationKgCo2e,
  totalMarketKgCo2e: v.totalMarketKgCo2e,
});

/** A warning of the API: the pure lib's codes plus the service's own (ACTIVITY_PRORATED, UNIT_NOT_CONVERTIBLE...). */
export interface InventoryWarning {
  code: string;
  message: string;
  lineId?: string;
  factorId?: string;
  instrumentId?: string;
  siteId?: string;
}

export interface ApiInventoryLine extends Omit<InventoryLine, 'flag'> {
  flag?: 'NO_FACTOR' | 'UNIT_NOT_CONVERTIBLE';
  /** 'YYYY-MM' of the line's period (meter months, activity starts); absent on market-based allocations. */
  month?: string;
}

export interface FactorUsed extends FactorRef {
  label: string;
  licence: string;
  gwpSet: string;
  verification: string;
  url: string;
  tenantFactor: boolean;
}

export interface InventoryView {
  organization: { id: string; name: string; timezone: string; baseYear: number | null };
  period: { from: string; to: string; timezone: string; fromUtc: string; toUtc: string };
  scope1KgCo2e: number;
  scope2LocationKgCo2e: number;
  scope2MarketKgCo2e: number;
  scope3KgCo2e: number;
  totalLocationKgCo2e: number;
  totalMarketKgCo2e: number;
  scope3ByCategoryKgCo2e: Record<string, number>;
  bySite: InventoryResult['bySite'];
  byMonth: { month: string; scope1KgCo2e: number; scope2LocationKgCo2e: number; scope3KgCo2e: number }[];
  intensities: InventoryResult['intensities'] | null;
  denominators: {
    floorAreaM2: number | null;
    employees: number | null;
    revenue: number | null;
    currency: string;
  };
  purchasedElectricityKwh: number;
  exportedElectricityKwh: number;
  onSiteGeneration: InventoryResult['onSiteGeneration'];
  instruments: InventoryResult['instruments'];
  sites: { id: string; name: string; gridRegion: string }[];
  lines: ApiInventoryLine[];
  factorsUsed: FactorUsed[];
  factorLibraryVersion: string;
  dataHash: string;
  warnings: InventoryWarning[];
}

interface Gathered {
  org: OrgProfile;
  period: { from: string; to: string };
  fromUtc: Date;
  toUtc: Date;
  sites: UsageSite[];
  activities: ActivityEntity[];
  instruments: InstrumentEntity[];
  tenantFactors: EmissionFactor[];
}

const MAX_PERIOD_DAYS = 366 * 10 + 3;
const DAY_MS = 86_400_000;

/** Maps a meter kind onto the line the pure inventory understands. */
function meterLine(
  row: MonthlyUsageRow,
  region: string,
): Omit<ActivityLine, 'quantity' | 'periodStart'> | null {
  const common = { siteId: row.siteId, meterId: row.meterId, unit: row.unit, region, dataQuality: 1 };
  switch (row.kind) {
    case 'electricity_import':
      return { ...common, activity: 'electricity', meterRole: 'import' };
    case 'electricity_export':
      return { ...common, activity: 'electricity', meterRole: 'export' };
    case 'pv_generation':
      return { ...common, activity: 'electricity', meterRole: 'generation', generationSource: 'solar' };
    case 'wind_generation':
      return { ...common, activity: 'electricity', meterRole: 'generation', generationSource: 'wind' };
    case 'natural_gas':
      // Metered and billed gas kWh are gross CV (UK and US bills), stated in the report's methods.
      return {
        ...common,
        activity: 'natural_gas',
        basis: canConvertUnit(row.unit, 'kWh') ? 'gross' : undefined,
      };
    case 'fuel_oil':
      // Heating oil: kerosene (DESNZ "burning oil") in the UK, distillate No. 2 (EPA "diesel") elsewhere.
      return {
        ...common,
        activity: regionFallbackChain(region).includes('GB') ? 'burning_oil' : 'diesel',
        basis: canConvertUnit(row.unit, 'kWh') ? 'gross' : undefined,
      };
    case 'district_heat':
      return {
        ...common,
        activity: 'heat_steam',
        variant: regionFallbackChain(region).includes('US') ? 'district' : 'district_heat',
      };
    case 'water':
      return { ...common, activity: 'water_supply' };
    default:
      return null;
  }
}

/**
 * The organisation's inventory: meter months from the metering module (monthly rollups, never the
 * hourly readings), activity data, instruments and factors → the pure computeInventory. The hourly
 * path is kept for the hourly-Scope-2 / CFE endpoint only.
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
    const f = DateTime.fromISO(from, { zone: org.timezone });
    const t = DateTime.fromISO(to, { zone: org.timezone });
    const fields = [];
    if (!f.isValid) fields.push({ field: 'from', message: `'${from}' is not a valid date` });
    if (!t.isValid) fields.push({ field: 'to', message: `'${to}' is not a valid date` });
    if (fields.length) throw new BadInputError('Invalid period.', fields);
    if (t <= f)
      throw new BadInputError(
        `The period is empty: 'to' (${to}, exclusive) must be after 'from' (${from}).`,
        [{ field: 'to', message: 'must be after from' }],
      );
    if (t.diff(f, 'days').days > MAX_PERIOD_DAYS)
      throw new BadInputError('The period is longer than 10 years.', [
        { field: 'to', message: 'period longer than 10 years' },
      ]);
    return { fromUtc: f.toJSDate(), toUtc: t.toJSDate() };
  }

  regionOf(org: OrgProfile, site?: { gridRegion: string | null; country: string }): string {
    return normaliseRegion(site?.gridRegion ?? site?.country ?? org.gridRegion ?? org.country);
  }

  private async gather(
    tenantId: string,
    from: string,
    to: string,
  ): Promise<Gathered & { monthly: MonthlyUsageRow[] }> {
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
    const [sites, monthly] = await Promise.all([
      this.usage.sites(tenantId),
      this.usage.monthlyUsage(tenantId, { from: base.fromUtc, to: base.toUtc }),
    ]);
    return { ...base, sites, monthly };
  }

  // ---- inventory ----

  async inventory(tenantId: string, from: string, to: string): Promise<InventoryView> {
    const [library, g] = await Promise.all([this.library.library(), this.gather(tenantId, from, to)]);
    return this.compute(library, g);
  }

  /** Pure part: gathered data → the inventory view (exposed for the benchmark and unit tests). */
  compute(library: LoadedLibrary, g: Gathered & { monthly: MonthlyUsageRow[] }): InventoryView {
    const { org, period } = g;
    const warnings: InventoryWarning[] = [];
    const flagged: ApiInventoryLine[] = [];
    const lineMonth = new Map<string, string>();
    const siteById = new Map(g.sites.map((s) => [s.id, s]));
    const invSites: InventorySite[] = g.sites.map((s) => ({
      id: s.id,
      gridRegion: this.regionOf(org, s),
      floorAreaM2: s.floorAreaM2 ?? undefined,
    }));
    const lines: ActivityLine[] = [];

    const check = (line: ActivityLine): boolean => {
      // A unit the factor cannot take is flagged on its line, never silently zero, never fatal to the whole inventory.
      const unit = normaliseUnit(line.unit);
      let problem: string | null = null;
      if (line.activity === 'electricity') {
        if (!canConvertUnit(unit, 'kWh')) problem = `electricity in '${line.unit}' cannot be priced per kWh`;
      } else if (!(line.activity === 'refrigerant' && line.gwp !== undefined)) {
        try {
          selectFactor(library.factors, {
            activity: line.activity,
            variant: line.variant,
            region: line.region as string,
            year: Number(line.periodStart.slice(0, 4)),
            unit,
            basis: line.basis,
            tenantFactors: g.tenantFactors,
          });
        } catch (e) {
          if (e instanceof UnitConversionError) problem = e.message;
          else if (!(e instanceof FactorNotFoundError)) throw e;
        }
      }
      if (!problem) return true;
      warnings.push({
        code: 'UNIT_NOT_CONVERTIBLE',
        lineId: line.id,
        siteId: line.siteId,
        message: `line ${line.id}: ${problem}; line flagged, not counted`,
      });
      flagged.push({
        lineId: line.id,
        scope: line.scope ?? null,
        category: 'unknown',
        siteId: line.siteId,
        meterId: line.meterId,
        source: `${line.activity}${line.variant ? `.${line.variant}` : ''}`,
        quantity: toDecimal(line.quantity).toNumber(),
        unit,
        factor: null,
        kgCo2e: null,
        flag: 'UNIT_NOT_CONVERTIBLE',
        dataQuality: line.dataQuality,
        month: line.periodStart.slice(0, 7),
      });
      return false;
    };

    // Meter months (rollups): one line per meter per local month.
    for (const row of g.monthly) {
      const site = siteById.get(row.siteId);
      const region = this.regionOf(org, site ?? { gridRegion: row.gridRegion, country: row.country });
      const base = meterLine(row, region);
      if (!base) continue;
      const id = `meter:${row.meterId}:${row.month}`;
      const start = `${row.month}-01` < period.from ? period.from : `${row.month}-01`;
      const line: ActivityLine = { ...base, id, quantity: row.quantity, periodStart: start };
      lineMonth.set(id, row.month);
      if (check(line)) lines.push(line);
    }

    // Activity data, prorated by days when its period reaches outside the inventory's.
    const pFrom = Date.parse(period.from);
    const pTo = Date.parse(period.to);
    for (const a of g.activities) {
      const aFrom = Date.parse(a.periodFrom);
      const aTo = Date.parse(a.periodTo);
      const overlap = Math.min(aTo, pTo) - Math.max(aFrom, pFrom);
      if (overlap <= 0) continue;
      let quantity = toDecimal(a.quantity);
      if (overlap < aTo - aFrom) {
        quantity = quantity.times(overlap / DAY_MS).div((aTo - aFrom) / DAY_MS);
        warnings.push({
          code: 'ACTIVITY_PRORATED',
          lineId: `activity:${a.id}`,
          message: `activity ${a.id} (${a.periodFrom}..${a.periodTo}) reaches outside the period: ${overlap / DAY_MS} of ${(aTo - aFrom) / DAY_MS} days counted (${quantity.toSignificantDigits(12).toFixed()} of ${a.quantity} ${a.unit})`,
        });
      }
      const site = a.siteId ? siteById.get(a.siteId) : undefined;
      const start = a.periodFrom < period.from ? period.from : a.periodFrom;
      const id = `activity:${a.id}`;
      const line: ActivityLine = {
        id,
        activity: a.activity,
        variant: a.variant || undefined,
        quantity,
        unit: a.unit,
        basis: a.basis ?? undefined,
        siteId: a.siteId ?? undefined,
        region: normaliseRegion(a.region ?? this.regionOf(org, site)),
        periodStart: start,
        gwp: a.gwp ?? undefined,
        scope: (a.scope ?? undefined) as ActivityLine['scope'],
        dataQuality: a.dataQuality,
        description: a.description ?? undefined,
      };
      lineMonth.set(id, start.slice(0, 7));
      if (check(line)) lines.push(line);
    }

    const instruments: ContractualInstrument[] = g.instruments.map((i) => ({
      id: i.id,
      type: i.type,
      volumeKwh: toDecimal(i.volumeMwh).times(1000),
      kgCo2ePerKwh: i.kgCo2ePerKwh,
      vintageFrom: i.vintageFrom,
      vintageTo: i.vintageTo,
      region: i.region,
      certificateIds: i.certificateIds,
      retired: i.retired,
      siteIds: i.siteId ? [i.siteId] : undefined,
      evidence: i.evidence ?? undefined,
    }));

    const floorArea = g.sites.reduce(
      (s, x) => (x.floorAreaM2 ? s.plus(toDecimal(x.floorAreaM2)) : s),
      new CarbonDecimal(0),
    );
    const revenue =
      org.annualRevenue !== null && toDecimal(org.annualRevenue).gt(0) ? org.annualRevenue : undefined;
    const denominators = {
      floorAreaM2: floorArea.gt(0) ? floorArea : undefined,
      employees: org.employees && org.employees > 0 ? org.employees : undefined,
      revenue,
    };
    // The lib's errors are AppErrors: the ProblemFilter answers them (400 bad_input or 422 with carbonCode).
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
          denominators.floorAreaM2 || denominators.employees || denominators.revenue
            ? denominators
            : undefined,
      },
    });

    const apiLines: ApiInventoryLine[] = [
      ...result.lines.map((l) => ({ ...l, month: l.lineId ? lineMonth.get(l.lineId) : undefined })),
      ...flagged,
    ];
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

    const byId = new Map<string, EmissionFactor>(
      [...library.factors, ...g.tenantFactors].map((f) => [f.id, f]),
    );
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

    const dataHash = createHash('sha256')
      .update(
        JSON.stringify({
          lines: lines.map((l) => ({ ...l, quantity: toDecimal(l.quantity).toFixed() })),
          instruments: instruments.map((i) => ({ ...i, volumeKwh: toDecimal(i.volumeKwh).toFixed() })),
          sites: invSites,
        }),
      )
      .digest('hex');

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
      byMonth: [...byMonth]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([month, v]) => ({
          month,
          scope1KgCo2e: roundKg(v.s1),
          scope2LocationKgCo2e: roundKg(v.s2l),
          scope3KgCo2e: roundKg(v.s3),
        })),
      intensities: result.intensities ?? null,
      denominators: {
        floorAreaM2: denominators.floorAreaM2 ? denominators.floorAreaM2.toNumber() : null,
        employees: denominators.employees ?? null,
        revenue: revenue ? Number(revenue) : null,
        currency: org.currency,
      },
      purchasedElectricityKwh: result.purchasedElectricityKwh,
      exportedElectricityKwh: result.exportedElectricityKwh,
      onSiteGeneration: result.onSiteGeneration,
      instruments: result.instruments,
      sites: g.sites.map((s) => ({ id: s.id, name: s.name, gridRegion: this.regionOf(org, s) })),
      lines: apiLines,
      factorsUsed: [...used.values()].sort((a, b) => a.id.localeCompare(b.id)),
      factorLibraryVersion: library.version,
      dataHash,
      warnings: [...warnings, ...result.warnings],
    };
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
    const bySite = new Map<string, { imp: Set<string>; gen: Set<string>; exp: Set<string> }>();
    for (const row of g.monthly) {
      if (q.siteId && row.siteId !== q.siteId) continue;
      const role =
        row.kind === 'electricity_import'
          ? 'imp'
          : row.kind === 'electricity_export'
            ? 'exp'
            : row.kind === 'pv_generation' || row.kind === 'wind_generation'
              ? 'gen'
              : null;
      if (!role) continue;
      const s = bySite.get(row.siteId) ?? {
        imp: new Set<string>(),
        gen: new Set<string>(),
        exp: new Set<string>(),
      };
      s[role].add(row.meterId);
      bySite.set(row.siteId, s);
    }
    const sites = [];
    let totalImport = new CarbonDecimal(0);
    let totalKg = new CarbonDecimal(0);
    let totalAnnualKg = new CarbonDecimal(0);
    let totalLoad = new CarbonDecimal(0);
    let totalCfe = new CarbonDecimal(0);
    for (const [siteId, meters] of bySite) {
      const site = g.sites.find((s) => s.id === siteId);
      const region = this.regionOf(g.org, site);
      const ids = [...meters.imp, ...meters.gen, ...meters.exp];
      const rows = await this.usage.hourlyUsage(tenantId, ids, { from: g.fromUtc, to: g.toUtc });
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
      const siteWarnings: InventoryWarning[] = [];
      const sorted = [...hours.entries()].sort((a, b) => a[0] - b[0]);
      const years = new Set(sorted.map(([t]) => new Date(t).getUTCFullYear()));
      const profile: HourlyIntensity[] = [];
      for (const y of years) profile.push(...this.profile(region, y, siteWarnings, siteId));
      const firstYear = sorted.length ? new Date(sorted[0][0]).getUTCFullYear() : Number(q.from.slice(0, 4));
      const sel = selectGridFactor(library.factors, {
        region,
        year: firstYear,
        tenantFactors: g.tenantFactors,
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
      let negative = 0;
      const energy: HourlyEnergy[] = sorted.map(([t, h]) => {
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
      if (negative)
        siteWarnings.push({
          code: 'HOURLY_EXPORT_EXCEEDS_SUPPLY',
          siteId,
          message: `${negative} hours export more than import + generation; their load is taken as 0`,
        });
      const r = hourlyScope2(
        { hours: energy, profile, annualKgCo2ePerKwh: annual.kgCo2ePerUnit },
        { includeHourly: q.includeHours },
      );
      for (const w of r.warnings) siteWarnings.push({ ...w, siteId });
      warnings.push(...siteWarnings);
      totalImport = totalImport.plus(r.importKwh);
      totalKg = totalKg.plus(r.kgCo2e);
      totalAnnualKg = totalAnnualKg.plus(r.annualMethodKgCo2e);
      totalLoad = totalLoad.plus(r.loadKwh);
      totalCfe = totalCfe.plus(r.cfe.cfeKwh);
      sites.push({
        siteId,
        gridRegion: region,
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
        hours: energy.length,
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
        ...(q.includeHours
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
      });
    }
    return {
      period: { from: q.from, to: q.to, timezone: g.org.timezone },
      basis:
        'Hourly location-based Scope 2: imports priced with the hour’s grid intensity (EIA-930 production-based life-cycle intensity where a profile exists; the annual factor otherwise). Not a substitute for the annual inventory figures.',
      importKwh: totalImport.toNumber(),
      hourlyLocationKgCo2e: roundKg(totalKg),
      annualMethodKgCo2e: roundKg(totalAnnualKg),
      cfeShare: totalLoad.isZero() ? 0 : totalCfe.div(totalLoad).toDecimalPlaces(6).toNumber(),
      sites,
      warnings,
    };
  }

  // ---- recalculation ----

  async recalculate(
    tenantId: string,
    dto: { from: string; to: string; reason?: string; changeKind?: BaseYearChangeKind },
  ) {
    const current = await this.inventory(tenantId, dto.from, dto.to);
    return this.db.tenant(async (em) => {
      const previous = await this.repo.latestSnapshot(em, tenantId, dto.from, dto.to);
      const factorsUsed = current.factorsUsed.map((f) => ({
        id: f.id,
        value: f.value,
        unit: f.unit,
        source: f.source,
        edition: f.edition,
        year: f.year,
        region: f.region,
      }));
      const diff = previous ? this.diff(previous, current, factorsUsed) : null;
      let baseYear = null;
      if (
        previous &&
        diff &&
        current.organization.baseYear !== null &&
        dto.from.slice(0, 4) === String(current.organization.baseYear)
      ) {
        const prevTotal = toDecimal(previous.scope1KgCo2e)
          .plus(previous.scope2MarketKgCo2e)
          .plus(previous.scope3KgCo2e);
        if (prevTotal.gt(0)) {
          const check = checkBaseYearRecalculation(prevTotal, [
            {
              kind: dto.changeKind ?? 'factor_correction',
              deltaKgCo2e: diff.totalMarketKgCo2e,
              description: dto.reason,
            },
          ]);
          baseYear = {
            year: current.organization.baseYear,
            required: check.required,
            share: check.cumulativeShare.toDecimalPlaces(6).toNumber(),
            threshold: check.threshold.toNumber(),
          };
        }
      }
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

  private diff(previous: InventorySnapshotEntity, current: InventoryView, factorsUsed: FactorRef[]) {
    const d = (a: string, b: number) => roundKg(toDecimal(b).minus(a));
    const prevTotalL = toDecimal(previous.scope1KgCo2e)
      .plus(previous.scope2LocationKgCo2e)
      .plus(previous.scope3KgCo2e);
    const prevTotalM = toDecimal(previous.scope1KgCo2e)
      .plus(previous.scope2MarketKgCo2e)
      .plus(previous.scope3KgCo2e);
    const before = new Map((previous.factorsUsed as unknown as FactorRef[]).map((f) => [f.id, f]));
    const after = new Map(factorsUsed.map((f) => [f.id, f]));
    const factorChanges: { id: string; before: string | null; after: string | null }[] = [];
    for (const [id, f] of after) {
      const b = before.get(id);
      if (!b || !toDecimal(b.value).eq(toDecimal(f.value)))
        factorChanges.push({ id, before: b?.value ?? null, after: f.value });
    }
    for (const [id, b] of before)
      if (!after.has(id)) factorChanges.push({ id, before: b.value, after: null });
    const prevLines = new Map<string, number>();
    const key = (l: ApiInventoryLine) => `${l.lineId ?? ''}|${l.method ?? ''}|${l.source}|${l.siteId ?? ''}`;
    for (const l of (previous.result as unknown as InventoryView).lines)
      prevLines.set(key(l), (prevLines.get(key(l)) ?? 0) + (l.kgCo2e ?? 0));
    const curLines = new Map<string, number>();
    for (const l of current.lines) curLines.set(key(l), (curLines.get(key(l)) ?? 0) + (l.kgCo2e ?? 0));
    const lineChanges = [];
    for (const k of new Set([...prevLines.keys(), ...curLines.keys()])) {
      const b = prevLines.get(k);
      const a = curLines.get(k);
      if (b === a) continue;
      const [lineId, method, source, siteId] = k.split('|');
      lineChanges.push({
        lineId: lineId || undefined,
        method: method || undefined,
        source,
        siteId: siteId || undefined,
        beforeKgCo2e: b ?? null,
        afterKgCo2e: a ?? null,
        deltaKgCo2e: roundKg(toDecimal(a ?? 0).minus(b ?? 0)),
      });
    }
    return {
      previousId: previous.id,
      previousCreatedAt: previous.createdAt,
      scope1KgCo2e: d(previous.scope1KgCo2e, current.scope1KgCo2e),
      scope2LocationKgCo2e: d(previous.scope2LocationKgCo2e, current.scope2LocationKgCo2e),
      scope2MarketKgCo2e: d(previous.scope2MarketKgCo2e, current.scope2MarketKgCo2e),
      scope3KgCo2e: d(previous.scope3KgCo2e, current.scope3KgCo2e),
      totalLocationKgCo2e: roundKg(toDecimal(current.totalLocationKgCo2e).minus(prevTotalL)),
      totalMarketKgCo2e: roundKg(toDecimal(current.totalMarketKgCo2e).minus(prevTotalM)),
      dataChanged: previous.dataHash !== current.dataHash,
      factorLibraryChanged: previous.factorLibraryVersion !== current.factorLibraryVersion,
      factorChanges,
      lineChanges,
    };
  }

  async snapshots(tenantId: string, range?: { from: string; to: string }) {
    return this.db.tenant((em) => this.repo.snapshots(em, tenantId, range), tenantId);
  }
}
