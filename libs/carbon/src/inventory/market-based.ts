import { toDecimal, type CarbonDecimal } from '../factors/decimal';
import { factorRef, type EmissionFactor } from '../factors/emission-factor';
import { CarbonError, FactorNotFoundError, InvalidActivityError } from '../factors/errors';
import { marketBoundary, normaliseRegion, regionFallbackChain } from '../factors/regions';
import { selectFactor } from '../factors/select-factor';
import {
  allocateInstruments,
  checkInstrumentQuality,
  type ContractualInstrument,
  type MarketConsumer,
} from '../ghg/scope2';
import type { InstrumentReport, OnSiteGenerationReport } from './inventory.types';
import { ZERO, type Consumer, type InventoryWork, type WorkLine } from './inventory-work';

/**
 * The steps of computeInventory after the lines: on-site generation (self-consumed = generation −
 * export, never netted against imports), then Scope 2 market-based per consumer (site and year):
 * instruments checked and allocated in hierarchy order, the rest at the residual mix (China: the
 * MEE/NBS factor excluding market-traded non-fossil power; else the grid average, flagged).
 */

export function onSiteGeneration(work: InventoryWork): OnSiteGenerationReport[] {
  const onSite: OnSiteGenerationReport[] = [];
  for (const [key, g] of work.generation) {
    if (!g.hasGen) {
      work.warnings.push({
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
      const c = [...work.consumers.values()].find((x) => (x.siteId ?? `region:${x.region}`) === key);
      if (c) c.kwh = toDecimal(c.kwh).plus(self);
      work.warnings.push({
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
  return onSite;
}

/** Quality checks of every instrument (a report each); the accepted ones, in input order. */
function checkInstruments(work: InventoryWork, consumerList: Consumer[]) {
  const { input } = work;
  const options = input.options ?? {};
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
      period: input.period,
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
      work.warnings.push({
        code: 'INSTRUMENT_REJECTED',
        instrumentId: inst.id,
        message: `instrument ${inst.id} not applied: ${issue.message}`,
      });
    }
    if (!issues.length) accepted.push(inst);
    reports.push({ id: inst.id, type: inst.type, accepted: !issues.length, issues, allocatedKwh: 0 });
  }
  return { reports, accepted };
}

/** Scope 2 market-based lines: instruments first, then the uncovered kWh of each consumer. Returns the instrument reports. */
export function addMarketBasedLines(work: InventoryWork): InstrumentReport[] {
  const consumerList = [...work.consumers.values()];
  const { reports, accepted } = checkInstruments(work, consumerList);
  const { allocations, uncoveredKwh, unusedKwh } = allocateInstruments(consumerList, accepted);
  for (const [id, kwh] of unusedKwh)
    work.warnings.push({
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
    work.lines.push({
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
    addUncoveredLine(work, c, uncovered);
  }
  return reports;
}

type UncoveredBase = Pick<WorkLine, 'siteId' | 'quantity' | 'unit'> & {
  scope: 2;
  category: string;
  method: 'market';
};

/** Uncovered electricity at the residual mix; without one, the Chinese proxy or the grid average (both disclosed). */
function addUncoveredLine(work: InventoryWork, c: Consumer, uncovered: CarbonDecimal): void {
  const { factors, tenantFactors } = work.input;
  const base: UncoveredBase = {
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
    for (const w of f.warnings) work.warnings.push({ ...w, siteId: c.siteId });
    work.lines.push({
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
      work.warnings.push({
        code: 'RESIDUAL_MIX_PROXY',
        siteId: c.siteId,
        factorId: cn.factor.id,
        message: `no residual mix for ${c.region}: ${uncovered.toFixed()} kWh market-based at the MEE/NBS national factor excluding market-traded non-fossil electricity, ${cn.factor.kgCo2ePerUnit} kg/kWh (${cn.factor.year}; national, not the regional grid)`,
      });
      for (const w of cn.warnings) work.warnings.push({ ...w, siteId: c.siteId });
      work.lines.push({
        ...base,
        marketTier: 'residual_mix',
        source:
          'electricity not covered by instruments (China: national factor excluding market-traded non-fossil electricity)',
        factor: factorRef(cn.factor),
        kg: uncovered.times(toDecimal(cn.factor.kgCo2ePerUnit)),
      });
      return;
    }
    addGridAverageLine(work, c, uncovered, base);
  }
}

function addGridAverageLine(
  work: InventoryWork,
  c: Consumer,
  uncovered: CarbonDecimal,
  base: UncoveredBase,
): void {
  const { factors, tenantFactors } = work.input;
  try {
    const f = selectFactor(factors, {
      activity: 'electricity_grid',
      region: c.region,
      year: c.year,
      unit: 'kWh',
      tenantFactors,
    });
    work.warnings.push({
      code: 'RESIDUAL_MIX_UNAVAILABLE',
      siteId: c.siteId,
      factorId: f.factor.id,
      message: `no residual mix for ${c.region}: ${uncovered.toFixed()} kWh market-based at the grid average ${f.factor.kgCo2ePerUnit} kg/kWh (disclosed; double counting of renewable attributes possible)`,
    });
    work.lines.push({
      ...base,
      marketTier: 'grid_average',
      source: 'electricity not covered by instruments (grid average, no residual mix)',
      factor: factorRef(f.factor),
      kg: uncovered.times(toDecimal(f.factor.kgCo2ePerUnit)),
    });
  } catch (e2) {
    if (!(e2 instanceof CarbonError)) throw e2;
    work.warnings.push({
      code: 'NO_FACTOR',
      siteId: c.siteId,
      message: `no residual mix or grid factor for ${c.region}: market-based line flagged, not counted`,
    });
    work.lines.push({
      ...base,
      marketTier: 'grid_average',
      source: 'electricity not covered by instruments',
      factor: null,
      kg: null,
      flag: 'NO_FACTOR',
    });
  }
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
