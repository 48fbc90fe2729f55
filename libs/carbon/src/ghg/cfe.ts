import Decimal from 'decimal.js';
import { CarbonDecimal, toDecimal, type DecimalLike } from '../factors/decimal';
import type { CarbonWarning } from '../factors/emission-factor';
import { InvalidActivityError, InvalidInputError } from '../factors/errors';
import type { HourlyIntensity } from '../factors/grid-intensity';

const ZERO = new CarbonDecimal(0);
const min = (a: CarbonDecimal, b: CarbonDecimal) => (a.lte(b) ? a : b);

export interface CfeScore {
  /** 24/7 CFE score: Σ_h [min(L,C) + (L − min(L,C))·g] / Σ_h L. */
  cfeShare: CarbonDecimal;
  /** Clean supply matched hour by hour, without the grid's carbon-free share. */
  hourlyMatchShare: CarbonDecimal;
  /** Annual volume matching: min(ΣC, ΣL)/ΣL — what annual certificates claim. */
  annualVolumeShare: CarbonDecimal;
  loadKwh: CarbonDecimal;
  cfeKwh: CarbonDecimal;
}

/**
 * 24/7 carbon-free energy score (DOMAIN.md §5, ◐ GoogleCloudPlatform/region-carbon-info,
 * PyPSA/247-cfe): surplus clean supply in one hour never counts in another.
 */
export function cfeScore(loadKwh: DecimalLike[], cleanSupplyKwh: DecimalLike[], gridCarbonFreeShare: DecimalLike[]): CfeScore {
  if (loadKwh.length !== cleanSupplyKwh.length || loadKwh.length !== gridCarbonFreeShare.length) {
    throw new InvalidInputError('load, clean supply and grid share must have one value per hour');
  }
  let load = ZERO;
  let clean = ZERO;
  let matched = ZERO;
  let cfe = ZERO;
  for (let h = 0; h < loadKwh.length; h++) {
    const l = toDecimal(loadKwh[h]);
    const c = toDecimal(cleanSupplyKwh[h]);
    const g = toDecimal(gridCarbonFreeShare[h]);
    if (l.isNegative() || c.isNegative()) throw new InvalidActivityError(`negative energy in hour ${h}`);
    if (g.isNegative() || g.gt(1)) throw new InvalidInputError(`grid carbon-free share ${g.toFixed()} outside [0, 1] in hour ${h}`);
    const m = min(l, c);
    load = load.plus(l);
    clean = clean.plus(c);
    matched = matched.plus(m);
    cfe = cfe.plus(m).plus(l.minus(m).times(g));
  }
  const share = (x: CarbonDecimal) => (load.isZero() ? ZERO : x.div(load));
  return { cfeShare: share(cfe), hourlyMatchShare: share(matched), annualVolumeShare: share(min(clean, load)), loadKwh: load, cfeKwh: cfe };
}

export interface HourlyEnergy {
  /** ISO UTC start of the hour. */
  hourUtc: string;
  /** Site consumption in the hour (imports + self-consumed on-site generation). */
  loadKwh: DecimalLike;
  onSiteGenerationKwh?: DecimalLike;
  /** Hour-matched contracted clean supply (e.g. a 24/7 PPA), counted for CFE only. */
  contractedCleanKwh?: DecimalLike;
}

export interface HourlyScope2Input {
  hours: HourlyEnergy[];
  /** Hourly grid intensity; hours missing or null fall back to the annual factor. */
  profile?: HourlyIntensity[];
  /** Annual location-based factor (kg CO2e per kWh) for hours without a profile value. */
  annualKgCo2ePerKwh: DecimalLike;
  /** Grid carbon-free share for hours without one in the profile (default 0: nothing assumed clean). */
  annualCarbonFreeShare?: DecimalLike;
}

export interface HourlyScope2Result {
  importKwh: CarbonDecimal;
  exportKwh: CarbonDecimal;
  selfConsumedKwh: CarbonDecimal;
  generationKwh: CarbonDecimal;
  loadKwh: CarbonDecimal;
  /** Σ import_h × intensity_h (kg CO2e), hourly location-based. */
  kgCo2e: CarbonDecimal;
  /** Same imports at the annual factor, for comparison. */
  annualMethodKgCo2e: CarbonDecimal;
  fallbackHours: number;
  cfe: CfeScore;
  hourly: { hourUtc: string; importKwh: CarbonDecimal; exportKwh: CarbonDecimal; kgCo2ePerKwh: CarbonDecimal; kgCo2e: CarbonDecimal; fallback: boolean }[];
  warnings: CarbonWarning[];
}

function hourKey(iso: string): string {
  const t = Date.parse(/Z|[+-]\d\d:\d\d$/.test(iso) ? iso : `${iso}Z`);
  if (Number.isNaN(t)) throw new InvalidInputError(`bad hour timestamp '${iso}'`);
  return new Date(t).toISOString();
}

/**
 * Hourly Scope 2: on-site generation is matched hour by hour against the load (self-consumed =
 * min(load, generation), never netted across hours), imports are priced with the hour's grid
 * intensity (gCO2/kWh ÷ 1000), falling back to the annual factor for missing hours; exports are
 * reported, never subtracted. Also returns the 24/7 CFE score.
 */
export function hourlyScope2(input: HourlyScope2Input): HourlyScope2Result {
  const profile = new Map<string, HourlyIntensity>();
  for (const h of input.profile ?? []) profile.set(hourKey(h.hourUtc), h);
  const annual = toDecimal(input.annualKgCo2ePerKwh);
  const annualShare = toDecimal(input.annualCarbonFreeShare ?? 0);
  let importKwh = ZERO;
  let exportKwh = ZERO;
  let selfKwh = ZERO;
  let genKwh = ZERO;
  let loadKwh = ZERO;
  let kg = ZERO;
  let fallbackHours = 0;
  const loads: CarbonDecimal[] = [];
  const cleans: CarbonDecimal[] = [];
  const shares: CarbonDecimal[] = [];
  const hourly: HourlyScope2Result['hourly'] = [];
  for (const h of input.hours) {
    const load = toDecimal(h.loadKwh);
    const gen = toDecimal(h.onSiteGenerationKwh ?? 0);
    const contracted = toDecimal(h.contractedCleanKwh ?? 0);
    if (load.isNegative() || gen.isNegative() || contracted.isNegative()) throw new InvalidActivityError(`negative energy at ${h.hourUtc}`);
    const self = min(load, gen);
    const imp = load.minus(self);
    const exp = gen.minus(self);
    const p = profile.get(hourKey(h.hourUtc));
    const fallback = !p || p.gCo2PerKwh === null;
    if (fallback) fallbackHours++;
    const rate = fallback ? annual : (p.gCo2PerKwh as CarbonDecimal).div(1000);
    const hourKg = imp.times(rate);
    importKwh = importKwh.plus(imp);
    exportKwh = exportKwh.plus(exp);
    selfKwh = selfKwh.plus(self);
    genKwh = genKwh.plus(gen);
    loadKwh = loadKwh.plus(load);
    kg = kg.plus(hourKg);
    loads.push(load);
    cleans.push(gen.plus(contracted));
    shares.push(p?.carbonFreeShare ?? annualShare);
    hourly.push({ hourUtc: h.hourUtc, importKwh: imp, exportKwh: exp, kgCo2ePerKwh: rate, kgCo2e: hourKg, fallback });
  }
  const warnings: CarbonWarning[] = [];
  if (fallbackHours > 0) {
    warnings.push({
      code: 'HOURLY_INTENSITY_FALLBACK',
      message: `${fallbackHours} of ${input.hours.length} hours had no hourly grid intensity; the annual factor ${annual.toFixed()} kg/kWh was used for them`,
    });
  }
  return {
    importKwh,
    exportKwh,
    selfConsumedKwh: selfKwh,
    generationKwh: genKwh,
    loadKwh,
    kgCo2e: kg,
    annualMethodKgCo2e: importKwh.times(annual),
    fallbackHours,
    cfe: cfeScore(loads, cleans, shares.map((s) => Decimal.min(1, Decimal.max(0, s)) as CarbonDecimal)),
    hourly,
    warnings,
  };
}
