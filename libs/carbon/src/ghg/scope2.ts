import { CarbonDecimal, toDecimal, type DecimalLike } from '../factors/decimal';
import type { CarbonWarning } from '../factors/emission-factor';
import { InvalidActivityError } from '../factors/errors';
import { marketBoundary } from '../factors/regions';

const ZERO = new CarbonDecimal(0);

/** Contractual instrument types for market-based Scope 2. */
export type InstrumentType = 'REC' | 'GO' | 'REGO' | 'I-REC' | 'PPA' | 'green_tariff' | 'supplier_specific';

/**
 * Market-based hierarchy (Scope 2 Guidance Table 6.3, ◐): 1 energy attribute certificates,
 * 2 direct contracts (PPAs, green tariffs), 3 supplier-specific rates, then 4 residual mix,
 * 5 grid average (only when no residual mix is known, disclosed).
 */
export const INSTRUMENT_TIER: Record<InstrumentType, 1 | 2 | 3> = {
  REC: 1,
  GO: 1,
  REGO: 1,
  'I-REC': 1,
  PPA: 2,
  green_tariff: 2,
  supplier_specific: 3,
};

export type MarketTier = 'certificate' | 'contract' | 'supplier' | 'residual_mix' | 'grid_average';
const TIER_NAME: Record<1 | 2 | 3, MarketTier> = { 1: 'certificate', 2: 'contract', 3: 'supplier' };

export interface ContractualInstrument {
  id: string;
  type: InstrumentType;
  volumeKwh: DecimalLike;
  /** Emission rate of the attributes claimed (kg CO2e/kWh); 0 for renewable certificates. Default 0. */
  kgCo2ePerKwh?: DecimalLike;
  /** Generation (vintage) period covered, ISO dates, end exclusive. */
  vintageFrom: string;
  vintageTo: string;
  /** Grid region or country of generation / of the supply contract (GB, CAMX, DE, CN-East...). */
  region: string;
  certificateIds?: string[];
  retired: boolean;
  /** Organisation the certificates were retired for (checked when given). */
  retiredForOrganisationId?: string;
  /** Restrict the instrument to these sites (default: any site in the same market). */
  siteIds?: string[];
  evidence?: string;
}

export type InstrumentIssueCode =
  'MARKET_BOUNDARY' | 'VINTAGE' | 'NOT_RETIRED' | 'RETIRED_FOR_OTHER' | 'DOUBLE_CLAIMED' | 'INVALID_VOLUME';

export interface InstrumentIssue {
  code: InstrumentIssueCode;
  message: string;
}

export interface InstrumentCheckContext {
  /** Reporting period, ISO dates, `to` exclusive. */
  period: { from: string; to: string };
  /** Grid region of the consumption the instrument would cover. */
  consumptionRegion: string;
  organisationId?: string;
  /** Looks a certificate id up in the cross-organisation registry: true when another organisation claimed it. */
  isClaimedElsewhere?: (certificateId: string, instrument: ContractualInstrument) => boolean;
  /** Days the vintage may lie outside the period (default 0: vintage within the period). */
  vintageToleranceDays?: number;
}

const DAY_MS = 86_400_000;

/**
 * GHG Protocol Scope 2 Quality Criteria for one instrument: same market as the consumption,
 * vintage within the reporting period, tracked and retired (certificates and contracts), retired
 * for this organisation, not claimed by another organisation. Returns the issues found; an
 * instrument with any issue must not be applied.
 */
export function checkInstrumentQuality(
  instrument: ContractualInstrument,
  ctx: InstrumentCheckContext,
): InstrumentIssue[] {
  const issues: InstrumentIssue[] = [];
  const volume = toDecimal(instrument.volumeKwh);
  if (volume.isNegative() || volume.isZero())
    issues.push({ code: 'INVALID_VOLUME', message: `volume ${volume.toFixed()} kWh must be positive` });
  const siteMarket = marketBoundary(ctx.consumptionRegion);
  const instrumentMarket = marketBoundary(instrument.region);
  if (siteMarket !== instrumentMarket) {
    issues.push({
      code: 'MARKET_BOUNDARY',
      message: `instrument from ${instrument.region} (market ${instrumentMarket}) cannot cover consumption in ${ctx.consumptionRegion} (market ${siteMarket})`,
    });
  }
  const tol = (ctx.vintageToleranceDays ?? 0) * DAY_MS;
  const vFrom = Date.parse(instrument.vintageFrom);
  const vTo = Date.parse(instrument.vintageTo);
  const pFrom = Date.parse(ctx.period.from);
  const pTo = Date.parse(ctx.period.to);
  if ([vFrom, vTo, pFrom, pTo].some(Number.isNaN) || vFrom < pFrom - tol || vTo > pTo + tol || vTo <= vFrom) {
    issues.push({
      code: 'VINTAGE',
      message: `vintage ${instrument.vintageFrom}..${instrument.vintageTo} is not within the reporting period ${ctx.period.from}..${ctx.period.to}`,
    });
  }
  const tier = INSTRUMENT_TIER[instrument.type];
  if (tier <= 2 && !instrument.retired) {
    issues.push({
      code: 'NOT_RETIRED',
      message: `${instrument.type} ${instrument.id} is not retired/cancelled in a tracking system`,
    });
  }
  if (
    instrument.retiredForOrganisationId &&
    ctx.organisationId &&
    instrument.retiredForOrganisationId !== ctx.organisationId
  ) {
    issues.push({
      code: 'RETIRED_FOR_OTHER',
      message: `${instrument.id} was retired for another organisation`,
    });
  }
  if (ctx.isClaimedElsewhere) {
    const taken = (instrument.certificateIds ?? []).filter((c) => ctx.isClaimedElsewhere?.(c, instrument));
    if (taken.length)
      issues.push({
        code: 'DOUBLE_CLAIMED',
        message: `certificates already claimed by another organisation: ${taken.join(', ')}`,
      });
  }
  return issues;
}

/** A consumer of purchased electricity for market-based allocation (one site, usually). */
export interface MarketConsumer {
  key: string;
  siteId?: string;
  region: string;
  /** Electricity to be covered market-based (purchased kWh, plus self-consumed on-site output whose certificates were sold). */
  kwh: DecimalLike;
}

export interface MarketAllocation {
  consumerKey: string;
  tier: MarketTier;
  instrumentId?: string;
  kwh: CarbonDecimal;
  kgCo2ePerKwh: CarbonDecimal;
}

/**
 * Allocates valid instruments to consumers in hierarchy order (certificates → contracts →
 * supplier), within the instrument's market boundary and site list. Returns the allocations and
 * the uncovered kWh per consumer (to be priced at the residual mix, else the grid average).
 * Volume never covers more than the consumption; unused volume is reported, not carried.
 */
export function allocateInstruments(
  consumers: MarketConsumer[],
  instruments: ContractualInstrument[],
): {
  allocations: MarketAllocation[];
  uncoveredKwh: Map<string, CarbonDecimal>;
  unusedKwh: Map<string, CarbonDecimal>;
} {
  const remaining = new Map<string, CarbonDecimal>();
  for (const c of consumers) {
    const kwh = toDecimal(c.kwh);
    if (kwh.isNegative()) throw new InvalidActivityError(`negative consumption for ${c.key}`);
    remaining.set(c.key, (remaining.get(c.key) ?? ZERO).plus(kwh));
  }
  const ordered = [...instruments].sort((a, b) => INSTRUMENT_TIER[a.type] - INSTRUMENT_TIER[b.type]);
  const allocations: MarketAllocation[] = [];
  const unused = new Map<string, CarbonDecimal>();
  for (const inst of ordered) {
    let left = toDecimal(inst.volumeKwh);
    const rate = toDecimal(inst.kgCo2ePerKwh ?? 0);
    const market = marketBoundary(inst.region);
    for (const c of consumers) {
      if (left.lte(0)) break;
      if (marketBoundary(c.region) !== market) continue;
      if (inst.siteIds?.length && (!c.siteId || !inst.siteIds.includes(c.siteId))) continue;
      const need = remaining.get(c.key) ?? ZERO;
      if (need.lte(0)) continue;
      const take = need.lte(left) ? need : left;
      allocations.push({
        consumerKey: c.key,
        tier: TIER_NAME[INSTRUMENT_TIER[inst.type]],
        instrumentId: inst.id,
        kwh: take,
        kgCo2ePerKwh: rate,
      });
      remaining.set(c.key, need.minus(take));
      left = left.minus(take);
    }
    if (left.gt(0)) unused.set(inst.id, left);
  }
  return { allocations, uncoveredKwh: remaining, unusedKwh: unused };
}

export interface DualScope2Input {
  /** Electricity bought from the grid (import meters), kWh. */
  purchasedKwh: DecimalLike;
  /** Location-based grid-average factor, kg CO2e/kWh. */
  locationKgCo2ePerKwh: DecimalLike;
  /** Residual mix, kg CO2e/kWh; null/undefined = unknown → uncovered load at the grid average, flagged. */
  residualMixKgCo2ePerKwh?: DecimalLike | null;
  /** Instruments already checked with checkInstrumentQuality (region = the consumption's market). */
  instruments?: ContractualInstrument[];
  region?: string;
  /** Self-consumed on-site generation (generation − export), kWh: not purchased, 0 for solar/wind. */
  selfConsumedKwh?: DecimalLike;
  /** Certificates of the self-consumed output were sold: that consumption takes the residual mix market-based. */
  selfConsumedCertificatesSold?: boolean;
}

export interface DualScope2Result {
  locationKgCo2e: CarbonDecimal;
  marketKgCo2e: CarbonDecimal;
  allocations: (MarketAllocation & { kgCo2e: CarbonDecimal })[];
  warnings: CarbonWarning[];
}

/**
 * Dual Scope 2 for one consumption point (DOMAIN.md §5, vectors 39 and 40). Location-based:
 * purchased kWh × grid average. Market-based: instruments first, the rest at the residual mix
 * (grid average only when no residual mix is known, with a warning). Self-consumed on-site
 * output is never subtracted from the imports and adds nothing (solar), unless its certificates
 * were sold: then it is priced at the residual mix market-based. ✘ Location-based treatment when
 * certificates are sold is not settled: we keep it at 0 and say so.
 */
export function dualScope2(input: DualScope2Input): DualScope2Result {
  const purchased = toDecimal(input.purchasedKwh);
  const self = toDecimal(input.selfConsumedKwh ?? 0);
  if (purchased.isNegative() || self.isNegative())
    throw new InvalidActivityError('electricity quantities must not be negative');
  const location = toDecimal(input.locationKgCo2ePerKwh);
  const warnings: CarbonWarning[] = [];
  const region = input.region ?? 'GLOBAL';
  const marketKwh = input.selfConsumedCertificatesSold ? purchased.plus(self) : purchased;
  if (input.selfConsumedCertificatesSold && self.gt(0)) {
    warnings.push({
      code: 'CERTIFICATES_SOLD_LOCATION_ASSUMPTION',
      message:
        'certificates of self-consumed on-site output were sold: market-based prices that consumption at the residual mix; location-based keeps it at 0 (✘ unsettled in the guidance)',
    });
  }
  const { allocations, uncoveredKwh, unusedKwh } = allocateInstruments(
    [{ key: 'site', region, kwh: marketKwh }],
    input.instruments ?? [],
  );
  for (const [id, kwh] of unusedKwh)
    warnings.push({
      code: 'INSTRUMENT_VOLUME_UNUSED',
      instrumentId: id,
      message: `${kwh.toFixed()} kWh of ${id} exceed the consumption and were not used`,
    });
  const uncovered = uncoveredKwh.get('site') ?? ZERO;
  const all: DualScope2Result['allocations'] = allocations.map((a) => ({
    ...a,
    kgCo2e: a.kwh.times(a.kgCo2ePerKwh),
  }));
  if (uncovered.gt(0)) {
    if (input.residualMixKgCo2ePerKwh !== undefined && input.residualMixKgCo2ePerKwh !== null) {
      const r = toDecimal(input.residualMixKgCo2ePerKwh);
      all.push({
        consumerKey: 'site',
        tier: 'residual_mix',
        kwh: uncovered,
        kgCo2ePerKwh: r,
        kgCo2e: uncovered.times(r),
      });
    } else {
      warnings.push({
        code: 'RESIDUAL_MIX_UNAVAILABLE',
        message: `no residual mix for ${region}: ${uncovered.toFixed()} kWh priced at the grid average (disclose: market-based figure overstates renewable share)`,
      });
      all.push({
        consumerKey: 'site',
        tier: 'grid_average',
        kwh: uncovered,
        kgCo2ePerKwh: location,
        kgCo2e: uncovered.times(location),
      });
    }
  }
  return {
    locationKgCo2e: purchased.times(location),
    marketKgCo2e: all.reduce((s, a) => s.plus(a.kgCo2e), ZERO),
    allocations: all,
    warnings,
  };
}
