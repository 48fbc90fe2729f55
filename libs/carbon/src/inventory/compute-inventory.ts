import { CarbonDecimal, roundKg, toDecimal } from '../factors/decimal';
import {
  factorRef,
  type CarbonWarning,
  type EmissionFactor,
  type FactorRef,
  type Scope,
} from '../factors/emission-factor';
import { CarbonError, FactorNotFoundError, InvalidActivityError, InvalidInputError } from '../factors/errors';
import { selectFactor, type FactorQuery } from '../factors/select-factor';
import { convertQuantity, normaliseUnit } from '../factors/units';
import { marketBoundary, normaliseRegion, regionFallbackChain } from '../factors/regions';
import {
  allocateInstruments,
  checkInstrumentQuality,
  type ContractualInstrument,
  type MarketConsumer,
} from '../ghg/scope2';
import type {
  ActivityLine,
  InstrumentReport,
  InventoryInput,
  InventoryLine,
  InventoryResult,
  LineGases,
  OnSiteGenerationReport,
} from './inventory.types';

const ZERO = new CarbonDecimal(0);

/** GHG Protocol Scope 3 categories. */
export const SCOPE3_CATEGORY_NAMES: Record<number, string> = {
  1: 'cat1_purchased_goods_and_services',
  2: 'cat2_capital_goods',
  3: 'cat3_fuel_and_energy_related',
  4: 'cat4_upstream_transportation',
  5: 'cat5_waste_generated_in_operations',
  6: 'cat6_business_travel',
  7: 'cat7_employee_commuting',
  8: 'cat8_upstream_leased_assets',
  9: 'cat9_downstream_transportation',
  10: 'cat10_processing_of_sold_products',
  11: 'cat11_use_of_sold_products',
  12: 'cat12_end_of_life_of_sold_products',
  13: 'cat13_downstream_leased_assets',
  14: 'cat14_franchises',
  15: 'cat15_investments',
};

function categoryOf(scope: Scope, activity: string, scope3Category: number | null): string {
  if (scope === 1) {
    if (activity === 'refrigerant') return 'fugitive';
    if (/^(company_|vehicle_fuel_)/.test(activity)) return 'mobile_combustion';
    return 'stationary_combustion';
  }
  if (scope === 2) {
    if (activity.startsWith('heat_steam')) return 'purchased_heat_steam';
    if (activity.startsWith('ev_')) return 'purchased_electricity_ev';
    return 'purchased_electricity';
  }
  return scope3Category ? SCOPE3_CATEGORY_NAMES[scope3Category] : 'scope3_uncategorised';
}

function yearOf(iso: string, where: string): number {
  const y = Number(iso.slice(0, 4));
  if (!/^\d{4}-\d{2}/.test(iso) || !Number.isInteger(y))
    throw new InvalidActivityError(`${where}: periodStart '${iso}' is not an ISO date`);
  return y;
}

interface Priced {
  kg: CarbonDecimal;
  qtyInFactorUnit: CarbonDecimal;
  gases?: LineGases;
}

function price(q: CarbonDecimal, unit: string, line: ActivityLine, f: EmissionFactor): Priced {
  const qf = convertQuantity(q, unit, f.unit, { from: line.basis, to: f.basis });
  const g = (v: string | null) => (v === null ? undefined : roundKg(qf.times(toDecimal(v))));
  const gases: LineGases = {};
  for (const [k, v] of [
    ['co2Kg', f.kgCo2PerUnit],
    ['ch4Kg', f.kgCh4PerUnit],
    ['n2oKg', f.kgN2oPerUnit],
    ['co2eCh4Kg', f.kgCo2eCh4PerUnit],
    ['co2eN2oKg', f.kgCo2eN2oPerUnit],
  ] as const) {
    const x = g(v);
    if (x !== undefined) gases[k] = x;
  }
  return {
    kg: qf.times(toDecimal(f.kgCo2ePerUnit)),
    qtyInFactorUnit: qf,
    gases: Object.keys(gases).length ? gases : undefined,
  };
}

interface WorkLine extends Omit<InventoryLine, 'kgCo2e'> {
  kg: CarbonDecimal | null;
}

/**
 * Computes an organisation's GHG inventory for a period from activity data, contractual
 * instruments and emission factors — pure: no I/O, factors passed in.
 *
 * - Import meters are purchased electricity: Scope 2 location-based per line, market-based per
 *   site after instruments (certificates → contracts → supplier → residual mix → grid average,
 *   flagged). Self-consumed on-site generation (generation − export) is reported as renewable
 *   consumption and never subtracted from the imports; exports are reported separately.
 * - Negative quantities and units a factor cannot take throw; an activity without any factor
 *   for its region gives a flagged line (kgCo2e null) and a warning, never a silent zero.
 * - Exact decimals inside; kg rounded to 0.001 only in the result.
 */
export function computeInventory(input: InventoryInput): InventoryResult {
  const { period, factors, tenantFactors } = input;
  const options = input.options ?? {};
  if (!(Date.parse(period.from) < Date.parse(period.to)))
    throw new InvalidInputError(`period ${period.from}..${period.to} is empty or invalid`);
  const sites = new Map((input.sites ?? []).map((s) => [s.id, s]));
  const warnings: CarbonWarning[] = [];
  const lines: WorkLine[] = [];
  const includeTd = options.includeTransmissionLosses ?? true;
  const tdMissing = new Set<string>();
  const gwpSets = new Map<string, { lines: number; kg: CarbonDecimal; sources: Set<string> }>();

  const select = (q: FactorQuery, lineId?: string) => {
    const sel = selectFactor(factors, { ...q, tenantFactors });
    for (const w of sel.warnings) warnings.push({ ...w, lineId });
    return sel.factor;
  };

  const consumers = new Map<string, MarketConsumer & { year: number; siteIdOrNull?: string }>();
  const generation = new Map<
    string,
    { gen: CarbonDecimal; exp: CarbonDecimal; hasGen: boolean; sold: boolean; sources: Set<string> }
  >();
  let purchasedKwh = ZERO;
  let exportedKwh = ZERO;

  input.lines.forEach((line, index) => {
    const where = `line ${line.id ?? index}`;
    let q: CarbonDecimal;
    try {
      q = toDecimal(line.quantity);
    } catch {
      throw new InvalidActivityError(`${where}: quantity '${String(line.quantity)}' is not a number`, {
        lineId: line.id,
        index,
      });
    }
    if (q.isNegative())
      throw new InvalidActivityError(`${where}: negative quantity ${q.toFixed()} ${line.unit}`, {
        lineId: line.id,
        index,
      });
    const site = line.siteId ? sites.get(line.siteId) : undefined;
    const region = line.region ?? site?.gridRegion;
    if (!region)
      throw new InvalidActivityError(`${where}: no region (set line.region or the site's gridRegion)`, {
        lineId: line.id,
        index,
      });
    const year = yearOf(line.periodStart, where);
    const unit = normaliseUnit(line.unit);
    const base = {
      lineId: line.id,
      siteId: line.siteId,
      meterId: line.meterId,
      quantity: q.toNumber(),
      unit,
      dataQuality: line.dataQuality,
    };

    if (line.activity === 'electricity') {
      const role = line.meterRole ?? 'import';
      const kwh = convertQuantity(q, unit, 'kWh');
      if (role === 'generation' || role === 'export') {
        const key = line.siteId ?? `region:${region}`;
        const g = generation.get(key) ?? {
          gen: ZERO,
          exp: ZERO,
          hasGen: false,
          sold: false,
          sources: new Set<string>(),
        };
        if (role === 'generation') {
          g.gen = g.gen.plus(kwh);
          g.hasGen = true;
          g.sold = g.sold || !!line.certificatesSold;
          g.sources.add(line.generationSource ?? 'solar');
        } else {
          g.exp = g.exp.plus(kwh);
          exportedKwh = exportedKwh.plus(kwh);
        }
        generation.set(key, g);
        if (!consumers.has(`${key}|${region}|${year}`)) {
          consumers.set(`${key}|${region}|${year}`, {
            key: `${key}|${region}|${year}`,
            siteId: line.siteId,
            region,
            kwh: ZERO,
            year,
          });
        }
        return;
      }
      if (role !== 'import') throw new InvalidActivityError(`${where}: unknown meterRole '${String(role)}'`);
      purchasedKwh = purchasedKwh.plus(kwh);
      const ckey = `${line.siteId ?? `region:${region}`}|${region}|${year}`;
      const c = consumers.get(ckey) ?? { key: ckey, siteId: line.siteId, region, kwh: ZERO, year };
      c.kwh = toDecimal(c.kwh).plus(kwh);
      consumers.set(ckey, c);
      try {
        const f = select({ activity: 'electricity_grid', region, year, unit }, line.id);
        const p = price(q, unit, line, f);
        lines.push({
          ...base,
          scope: 2,
          category: 'purchased_electricity',
          method: 'location',
          source: 'electricity (import)',
          factor: factorRef(f),
          kg: p.kg,
          gases: p.gases,
        });
      } catch (e) {
        if (!(e instanceof FactorNotFoundError)) throw e;
        warnings.push({
          code: 'NO_FACTOR',
          lineId: line.id,
          siteId: line.siteId,
          message: `${where}: ${e.message}; line flagged, not counted`,
        });
        lines.push({
          ...base,
          scope: 2,
          category: 'purchased_electricity',
          method: 'location',
          source: 'electricity (import)',
          factor: null,
          kg: null,
          flag: 'NO_FACTOR',
        });
      }
      if (includeTd) {
        try {
          const f = selectFactor(factors, {
            activity: 'electricity_td_losses',
            region,
            year,
            unit,
            tenantFactors,
          });
          const p = price(q, unit, line, f.factor);
          for (const w of f.warnings) warnings.push({ ...w, lineId: line.id });
          lines.push({
            ...base,
            scope: 3,
            scope3Category: 3,
            category: SCOPE3_CATEGORY_NAMES[3],
            source: 'electricity T&D losses',
            factor: factorRef(f.factor),
            kg: p.kg,
            gases: p.gases,
          });
        } catch (e) {
          if (!(e instanceof FactorNotFoundError)) throw e;
          tdMissing.add(region);
        }
      }
      return;
    }

    const source = `${line.activity}${line.variant ? `.${line.variant}` : ''}`;
    if (line.activity === 'refrigerant' && line.gwp !== undefined) {
      const gwp = toDecimal(line.gwp);
      if (gwp.isNegative()) throw new InvalidActivityError(`${where}: negative GWP`);
      const kgGas = convertQuantity(q, unit, 'kg');
      const ref: FactorRef = {
        id: `line-gwp:${line.variant ?? 'refrigerant'}`,
        value: gwp.toFixed(),
        unit: 'kg',
        source: 'GWP given with the activity',
        edition: '',
        year,
        region,
      };
      warnings.push({
        code: 'GWP_FROM_LINE',
        lineId: line.id,
        message: `${where}: GWP ${gwp.toFixed()} taken from the activity line, not the factor library`,
      });
      lines.push({
        ...base,
        scope: 1,
        category: line.category ?? 'fugitive',
        source,
        factor: ref,
        kg: kgGas.times(gwp),
      });
      return;
    }
    try {
      const f = select(
        { activity: line.activity, variant: line.variant, region, year, unit, basis: line.basis },
        line.id,
      );
      const p = price(q, unit, line, f);
      if (f.gwpSet) {
        const g = gwpSets.get(f.gwpSet) ?? { lines: 0, kg: ZERO, sources: new Set<string>() };
        g.lines += 1;
        g.kg = g.kg.plus(p.kg);
        g.sources.add(f.source);
        gwpSets.set(f.gwpSet, g);
      }
      lines.push({
        ...base,
        scope: f.scope,
        scope3Category: f.scope3Category ?? undefined,
        category: line.category ?? categoryOf(f.scope, f.activity, f.scope3Category),
        source,
        factor: factorRef(f),
        kg: p.kg,
        gases: p.gases,
      });
    } catch (e) {
      if (!(e instanceof FactorNotFoundError)) throw e;
      warnings.push({
        code: 'NO_FACTOR',
        lineId: line.id,
        siteId: line.siteId,
        message: `${where}: ${e.message}; line flagged, not counted`,
      });
      lines.push({
        ...base,
        scope: line.scope ?? null,
        category: line.category ?? 'unknown',
        source,
        factor: null,
        kg: null,
        flag: 'NO_FACTOR',
      });
    }
  });

  // GWP sets: EPA's waste factors (Hub Table 9, from WARM) are published as CO2e on AR4 only and cannot
  // be restated on AR5 without their gas split; an inventory mixing them with AR5 factors says so.
  if (gwpSets.size > 1) {
    const parts = [...gwpSets]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([set, g]) => `${set}: ${g.lines} line(s), ${roundKg(g.kg)} kg CO2e (${[...g.sources].join('; ')})`,
      );
    warnings.push({
      code: 'GWP_SET_MIXED',
      message: `factors on different GWP sets are summed — ${parts.join(' · ')}. EPA's waste factors are published as CO2e on AR4 (CH4 25, N2O 298) only and are not restated; on AR5 their CH4 part would be 12 % higher (28 / 25).`,
    });
  }

  for (const region of tdMissing) {
    warnings.push({
      code: 'TD_FACTOR_UNAVAILABLE',
      message: `no electricity T&D loss factor for ${region}: Scope 3 category 3 T&D losses not computed for it (supply a tenant factor)`,
    });
  }

  // On-site generation: self-consumed = generation − export; never netted against imports.
  const onSite: OnSiteGenerationReport[] = [];
  for (const [key, g] of generation) {
    if (!g.hasGen) {
      warnings.push({
        code: 'ONSITE_GENERATION_INCOMPLETE',
        siteId: key,
        message: `site ${key}: exports of ${g.exp.toFixed()} kWh without a generation meter; self-consumption unknown`,
      });
    } else if (g.exp.gt(g.gen)) {
      throw new InvalidActivityError(
        `site ${key}: exports ${g.exp.toFixed()} kWh exceed generation ${g.gen.toFixed()} kWh`,
      );
    }
    const self = g.hasGen ? g.gen.minus(g.exp) : ZERO;
    if (g.sold && self.gt(0)) {
      // Certificates of the self-consumed output were sold: it takes the residual mix market-based.
      const c = [...consumers.values()].find((x) => (x.siteId ?? `region:${x.region}`) === key);
      if (c) c.kwh = toDecimal(c.kwh).plus(self);
      warnings.push({
        code: 'CERTIFICATES_SOLD_LOCATION_ASSUMPTION',
        siteId: key,
        message: `site ${key}: certificates of ${self.toFixed()} kWh self-consumed output were sold; market-based prices it at the residual mix, location-based keeps it at 0 (✘)`,
      });
    }
    onSite.push({
      siteId: key,
      generationKwh: g.gen.toNumber(),
      exportedKwh: g.exp.toNumber(),
      selfConsumedKwh: self.toNumber(),
      certificatesSold: g.sold,
      generationSources: [...g.sources],
    });
  }

  // Instruments: quality checks, then allocation in hierarchy order.
  const consumerList = [...consumers.values()];
  const reports: InstrumentReport[] = [];
  const accepted: ContractualInstrument[] = [];
  const seenCertificates = new Set<string>();
  for (const inst of input.instruments ?? []) {
    // The consumption the instrument would cover: its sites, else any consumer in its market
    // (else the first consumer, so the market-boundary check reports the mismatch).
    const market =
      consumerList.find((c) =>
        inst.siteIds?.length
          ? !!c.siteId && inst.siteIds.includes(c.siteId)
          : marketBoundary(c.region) === marketBoundary(inst.region),
      ) ?? consumerList[0];
    const issues = checkInstrumentQuality(inst, {
      period,
      consumptionRegion: market?.region ?? inst.region,
      organisationId: input.organisationId,
      isClaimedElsewhere: options.isCertificateClaimedElsewhere,
      vintageToleranceDays: options.vintageToleranceDays,
    });
    const dup = (inst.certificateIds ?? []).filter((c) => seenCertificates.has(c));
    if (dup.length)
      issues.push({
        code: 'DOUBLE_CLAIMED',
        message: `certificates listed twice in this inventory: ${dup.join(', ')}`,
      });
    for (const c of inst.certificateIds ?? []) seenCertificates.add(c);
    for (const issue of issues) {
      warnings.push({
        code: 'INSTRUMENT_REJECTED',
        instrumentId: inst.id,
        message: `instrument ${inst.id} not applied: ${issue.message}`,
      });
    }
    if (!issues.length) accepted.push(inst);
    reports.push({ id: inst.id, type: inst.type, accepted: !issues.length, issues, allocatedKwh: 0 });
  }
  const { allocations, uncoveredKwh, unusedKwh } = allocateInstruments(consumerList, accepted);
  for (const [id, kwh] of unusedKwh)
    warnings.push({
      code: 'INSTRUMENT_VOLUME_UNUSED',
      instrumentId: id,
      message: `${kwh.toFixed()} kWh of instrument ${id} exceed the covered consumption and were not used`,
    });
  const instById = new Map(accepted.map((i) => [i.id, i]));
  const consumerByKey = new Map(consumerList.map((c) => [c.key, c]));
  for (const a of allocations) {
    const inst = instById.get(a.instrumentId ?? '') as ContractualInstrument;
    const c = consumerByKey.get(a.consumerKey) as MarketConsumer & { year: number };
    const report = reports.find((r) => r.id === inst.id);
    if (report) report.allocatedKwh = toDecimal(report.allocatedKwh).plus(a.kwh).toNumber();
    lines.push({
      scope: 2,
      category: 'purchased_electricity',
      method: 'market',
      marketTier: a.tier,
      siteId: c.siteId,
      source: `electricity covered by ${inst.type} ${inst.id}`,
      quantity: a.kwh.toNumber(),
      unit: 'kWh',
      factor: {
        id: `instrument:${inst.id}`,
        value: a.kgCo2ePerKwh.toFixed(),
        unit: 'kWh',
        source: `${inst.type}${inst.certificateIds?.length ? ` ${inst.certificateIds.join(' ')}` : ''}`,
        edition: `vintage ${inst.vintageFrom}..${inst.vintageTo}`,
        year: Number(inst.vintageFrom.slice(0, 4)),
        region: inst.region,
      },
      kg: a.kwh.times(a.kgCo2ePerKwh),
    });
  }
  for (const c of consumerList) {
    const uncovered = uncoveredKwh.get(c.key) ?? ZERO;
    if (uncovered.lte(0)) continue;
    const base = {
      scope: 2 as const,
      category: 'purchased_electricity',
      method: 'market' as const,
      siteId: c.siteId,
      quantity: uncovered.toNumber(),
      unit: 'kWh',
    };
    try {
      const f = selectFactor(factors, {
        activity: 'electricity_residual_mix',
        region: c.region,
        year: c.year,
        unit: 'kWh',
        tenantFactors,
      });
      for (const w of f.warnings) warnings.push({ ...w, siteId: c.siteId });
      lines.push({
        ...base,
        marketTier: 'residual_mix',
        source: 'electricity not covered by instruments (residual mix)',
        factor: factorRef(f.factor),
        kg: uncovered.times(toDecimal(f.factor.kgCo2ePerUnit)),
      });
    } catch (e) {
      if (!(e instanceof FactorNotFoundError)) throw e;
      // China has no residual mix; MEE/NBS publish a national factor excluding market-traded non-fossil
      // electricity (green-power trades and certificates), the residual-mix equivalent for market-based.
      const cn = regionFallbackChain(c.region).map(normaliseRegion).includes('CN')
        ? chinaResidual(factors, c.year, tenantFactors)
        : null;
      if (cn) {
        warnings.push({
          code: 'RESIDUAL_MIX_PROXY',
          siteId: c.siteId,
          factorId: cn.factor.id,
          message: `no residual mix for ${c.region}: ${uncovered.toFixed()} kWh market-based at the MEE/NBS national factor excluding market-traded non-fossil electricity, ${cn.factor.kgCo2ePerUnit} kg/kWh (${cn.factor.year}; national, not the regional grid)`,
        });
        for (const w of cn.warnings) warnings.push({ ...w, siteId: c.siteId });
        lines.push({
          ...base,
          marketTier: 'residual_mix',
          source:
            'electricity not covered by instruments (China: national factor excluding market-traded non-fossil electricity)',
          factor: factorRef(cn.factor),
          kg: uncovered.times(toDecimal(cn.factor.kgCo2ePerUnit)),
        });
        continue;
      }
      try {
        const f = selectFactor(factors, {
          activity: 'electricity_grid',
          region: c.region,
          year: c.year,
          unit: 'kWh',
          tenantFactors,
        });
        warnings.push({
          code: 'RESIDUAL_MIX_UNAVAILABLE',
          siteId: c.siteId,
          factorId: f.factor.id,
          message: `no residual mix for ${c.region}: ${uncovered.toFixed()} kWh market-based at the grid average ${f.factor.kgCo2ePerUnit} kg/kWh (disclosed; double counting of renewable attributes possible)`,
        });
        lines.push({
          ...base,
          marketTier: 'grid_average',
          source: 'electricity not covered by instruments (grid average, no residual mix)',
          factor: factorRef(f.factor),
          kg: uncovered.times(toDecimal(f.factor.kgCo2ePerUnit)),
        });
      } catch (e2) {
        if (!(e2 instanceof CarbonError)) throw e2;
        warnings.push({
          code: 'NO_FACTOR',
          siteId: c.siteId,
          message: `no residual mix or grid factor for ${c.region}: market-based line flagged, not counted`,
        });
        lines.push({
          ...base,
          marketTier: 'grid_average',
          source: 'electricity not covered by instruments',
          factor: null,
          kg: null,
          flag: 'NO_FACTOR',
        });
      }
    }
  }

  // Totals (exact), rounded once at the output.
  let s1 = ZERO;
  let s2l = ZERO;
  let s2m = ZERO;
  let s3 = ZERO;
  const byCat = new Map<string, CarbonDecimal>();
  const bySite = new Map<
    string,
    { s1: CarbonDecimal; s2l: CarbonDecimal; s2m: CarbonDecimal; s3: CarbonDecimal }
  >();
  for (const l of lines) {
    if (l.kg === null) continue;
    const s = l.siteId ? (bySite.get(l.siteId) ?? { s1: ZERO, s2l: ZERO, s2m: ZERO, s3: ZERO }) : undefined;
    if (l.scope === 1) {
      s1 = s1.plus(l.kg);
      if (s) s.s1 = s.s1.plus(l.kg);
    } else if (l.scope === 2) {
      if (l.method !== 'market') {
        s2l = s2l.plus(l.kg);
        if (s) s.s2l = s.s2l.plus(l.kg);
      }
      if (l.method !== 'location') {
        s2m = s2m.plus(l.kg);
        if (s) s.s2m = s.s2m.plus(l.kg);
      }
    } else if (l.scope === 3) {
      s3 = s3.plus(l.kg);
      if (s) s.s3 = s.s3.plus(l.kg);
      byCat.set(l.category, (byCat.get(l.category) ?? ZERO).plus(l.kg));
    }
    if (s && l.siteId) bySite.set(l.siteId, s);
  }
  const totalL = s1.plus(s2l).plus(s3);
  const totalM = s1.plus(s2m).plus(s3);
  const den = options.denominators;
  const per = (d: unknown) => {
    if (d === undefined || d === null) return undefined;
    const x = toDecimal(d as string);
    if (x.lte(0)) throw new InvalidInputError('intensity denominators must be positive');
    return { location: roundKg(totalL.div(x)), market: roundKg(totalM.div(x)) };
  };
  return {
    period,
    scope1KgCo2e: roundKg(s1),
    scope2LocationKgCo2e: roundKg(s2l),
    scope2MarketKgCo2e: roundKg(s2m),
    scope3KgCo2e: roundKg(s3),
    totalLocationKgCo2e: roundKg(totalL),
    totalMarketKgCo2e: roundKg(totalM),
    scope3ByCategoryKgCo2e: Object.fromEntries([...byCat].map(([k, v]) => [k, roundKg(v)])),
    bySite: [...bySite].map(([siteId, v]) => ({
      siteId,
      scope1KgCo2e: roundKg(v.s1),
      scope2LocationKgCo2e: roundKg(v.s2l),
      scope2MarketKgCo2e: roundKg(v.s2m),
      scope3KgCo2e: roundKg(v.s3),
    })),
    intensities: den
      ? { perM2: per(den.floorAreaM2), perEmployee: per(den.employees), perRevenue: per(den.revenue) }
      : undefined,
    purchasedElectricityKwh: purchasedKwh.toNumber(),
    exportedElectricityKwh: exportedKwh.toNumber(),
    onSiteGeneration: onSite,
    instruments: reports,
    lines: lines.map(({ kg, ...l }) => ({ ...l, kgCo2e: kg === null ? null : roundKg(kg) })),
    warnings,
  };
}

/** MEE/NBS national electricity factor excluding market-traded non-fossil power, or null when the library has none. */
function chinaResidual(factors: EmissionFactor[], year: number, tenantFactors: EmissionFactor[] | undefined) {
  try {
    return selectFactor(factors, {
      activity: 'electricity_grid',
      variant: 'excl_market_traded_non_fossil',
      region: 'CN',
      regionChain: ['CN'],
      year,
      unit: 'kWh',
      tenantFactors,
    });
  } catch (e) {
    if (e instanceof FactorNotFoundError) return null;
    throw e;
  }
}
