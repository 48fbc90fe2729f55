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
export function cfeScore(
  loadKwh: DecimalLike[],
  cleanSupplyKwh: DecimalLike[],
  gridCarbonFreeShare: DecimalLike[],
): CfeScore {
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
    if (g.isNegative() || g.gt(1))
      throw new InvalidInputError(`grid carbon-free share ${g.toFixed()} outside [0, 1] in hour ${h}`);
    const m = min(l, c);
    load = load.plus(l);
    clean = clean.plus(c);
    matched = matched.plus(m);
    cfe = cfe.plus(m).plus(l.minus(m).times(g));
  }
  const share = (x: CarbonDecimal) => (load.isZero() ? ZERO : x.div(load));
  return {
    cfeShare: share(cfe),
    hourlyMatchShare: share(matched),
    annualVolumeShare: share(min(clean, load)),
    loadKwh: load,
    cfeKwh: cfe,
  };
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
  /** Per-hour detail, only with options.includeHourly. */
  hourly: {
    hourUtc: string;
    importKwh: CarbonDecimal;
    exportKwh: CarbonDecimal;
    kgCo2ePerKwh: CarbonDecimal;
    kgCo2e: CarbonDecimal;
    fallback: boolean;
  }[];
  warnings: CarbonWarning[];
}

const CANONICAL_HOUR = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

function hourKey(iso: string): string {
  if (CANONICAL_HOUR.test(iso)) return iso;
  const t = Date.parse(/Z|[+-]\d\d:\d\d$/.test(iso) ? iso : `${iso}Z`);
  if (Number.isNaN(t)) throw new InvalidInputError(`bad hour timestamp '${iso}'`);
  return new Date(t).toISOString().replace('.000Z', 'Z');
}

interface PreparedHour {
  kgPerKwh: CarbonDecimal | null;
  share: CarbonDecimal | null;
}
const preparedProfiles = new WeakMap<HourlyIntensity[], Map<string, PreparedHour>>();

/** Profile indexed by hour with g/kWh already turned into kg/kWh (cached per profile array). */
function prepareProfile(profile: HourlyIntensity[]): Map<string, PreparedHour> {
  let map = preparedProfiles.get(profile);
  if (!map) {
    map = new Map();
    for (const h of profile) {
      map.set(hourKey(h.hourUtc), {
        kgPerKwh: h.gCo2PerKwh === null ? null : h.gCo2PerKwh.div(1000),
        share:
          h.carbonFreeShare === null
            ? null
            : (Decimal.min(1, Decimal.max(0, h.carbonFreeShare)) as CarbonDecimal),
      });
    }
    preparedProfiles.set(profile, map);
  }
  return map;
}

/** Running sums of hourlyScope2, exact. */
interface HourlyTally {
  selfKwh: CarbonDecimal;
  genKwh: CarbonDecimal;
  loadKwh: CarbonDecimal;
  cleanKwh: CarbonDecimal;
  matchedKwh: CarbonDecimal;
  cfeKwh: CarbonDecimal;
  kg: CarbonDecimal;
  fallbackHours: number;
  hourly: HourlyScope2Result['hourly'];
}

/** Adds one hour: self-consumption, import priced at the hour's intensity (else the annual factor), CFE. */
function addHour(
  t: HourlyTally,
  h: HourlyEnergy,
  profile: Map<string, PreparedHour>,
  annual: CarbonDecimal,
  annualShare: CarbonDecimal,
  includeHourly: boolean | undefined,
): void {
  const load = toDecimal(h.loadKwh);
  const gen = h.onSiteGenerationKwh === undefined ? ZERO : toDecimal(h.onSiteGenerationKwh);
  const contracted = h.contractedCleanKwh === undefined ? ZERO : toDecimal(h.contractedCleanKwh);
  if (load.isNegative() || gen.isNegative() || contracted.isNegative())
    throw new InvalidActivityError(`negative energy at ${h.hourUtc}`);
  const self = min(load, gen);
  const imp = load.minus(self);
  const p = profile.get(hourKey(h.hourUtc));
  const fallback = !p || p.kgPerKwh === null;
  if (fallback) t.fallbackHours++;
  const rate = fallback ? annual : (p.kgPerKwh as CarbonDecimal);
  const hourKg = imp.isZero() ? ZERO : imp.times(rate);
  t.selfKwh = t.selfKwh.plus(self);
  t.genKwh = t.genKwh.plus(gen);
  t.loadKwh = t.loadKwh.plus(load);
  t.kg = t.kg.plus(hourKg);
  // CFE_h = min(L, C) + (L − min(L, C))·g
  const clean = contracted.isZero() ? gen : gen.plus(contracted);
  const matched = min(load, clean);
  const g = p?.share ?? annualShare;
  t.cleanKwh = t.cleanKwh.plus(clean);
  t.matchedKwh = t.matchedKwh.plus(matched);
  t.cfeKwh = t.cfeKwh.plus(matched).plus(g.isZero() ? ZERO : load.minus(matched).times(g));
  if (includeHourly) {
    t.hourly.push({
      hourUtc: h.hourUtc,
      importKwh: imp,
      exportKwh: gen.minus(self),
      kgCo2ePerKwh: rate,
      kgCo2e: hourKg,
      fallback,
    });
  }
}

/**
 * Hourly Scope 2: on-site generation is matched hour by hour against the load (self-consumed =
 * min(load, generation), never netted across hours), imports are priced with the hour's grid
 * intensity (gCO2/kWh ÷ 1000), falling back to the annual factor for missing hours; exports are
 * reported, never subtracted. Also returns the 24/7 CFE score (clean supply = on-site generation
 * + hour-matched contracted clean energy). Exact decimals throughout.
 */
export function hourlyScope2(
  input: HourlyScope2Input,
  options: { includeHourly?: boolean } = {},
): HourlyScope2Result {
  const profile = prepareProfile(input.profile ?? []);
  const annual = toDecimal(input.annualKgCo2ePerKwh);
  const annualShare = toDecimal(input.annualCarbonFreeShare ?? 0);
  if (annualShare.isNegative() || annualShare.gt(1))
    throw new InvalidInputError('annual carbon-free share outside [0, 1]');
  const t: HourlyTally = {
    selfKwh: ZERO,
    genKwh: ZERO,
    loadKwh: ZERO,
    cleanKwh: ZERO,
    matchedKwh: ZERO,
    cfeKwh: ZERO,
    kg: ZERO,
    fallbackHours: 0,
    hourly: [],
  };
  for (const h of input.hours) addHour(t, h, profile, annual, annualShare, options.includeHourly);
  const { selfKwh, genKwh, loadKwh, fallbackHours } = t;
  const warnings: CarbonWarning[] = [];
  if (fallbackHours > 0) {
    warnings.push({
      code: 'HOURLY_INTENSITY_FALLBACK',
      message: `${fallbackHours} of ${input.hours.length} hours had no hourly grid intensity; the annual factor ${annual.toFixed()} kg/kWh was used for them`,
    });
  }
  const importKwh = loadKwh.minus(selfKwh);
  const share = (x: CarbonDecimal) => (loadKwh.isZero() ? ZERO : x.div(loadKwh));
  return {
    importKwh,
    exportKwh: genKwh.minus(selfKwh),
    selfConsumedKwh: selfKwh,
    generationKwh: genKwh,
    loadKwh,
    kgCo2e: t.kg,
    annualMethodKgCo2e: importKwh.times(annual),
    fallbackHours,
    cfe: {
      cfeShare: share(t.cfeKwh),
      hourlyMatchShare: share(t.matchedKwh),
      annualVolumeShare: share(min(t.cleanKwh, loadKwh)),
      loadKwh,
      cfeKwh: t.cfeKwh,
    },
    hourly: t.hourly,
    warnings,
  };
}
