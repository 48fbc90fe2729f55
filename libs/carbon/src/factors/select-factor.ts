import type { CarbonWarning, EmissionFactor, FactorPurpose } from './emission-factor';
import { FactorNotFoundError, UnitConversionError } from './errors';
import { regionFallbackChain, normaliseRegion } from './regions';
import { basisCompatible, canConvertUnit, normaliseUnit, type CalorificBasis } from './units';

export interface FactorQuery {
  activity: string;
  region: string;
  /** The activity data year; the factor describing that year is preferred. */
  year: number;
  /** Activity unit: only factors whose unit can take it are eligible. */
  unit?: string;
  /** '' (default) = the activity's default variant. */
  variant?: string;
  /** Calorific basis of an energy quantity of fuel (default: prefer gross, as UK/US energy bills are). */
  basis?: CalorificBasis;
  /** Default 'corporate_inventory': a carbon-market or avoided-emission factor is never picked by accident. */
  purpose?: FactorPurpose;
  /** A tenant's own factors, tried before the shared library for every region of the chain. */
  tenantFactors?: EmissionFactor[];
  /** Override the region fallback chain (default regionFallbackChain(region)). */
  regionChain?: string[];
}

export interface FactorSelection {
  factor: EmissionFactor;
  warnings: CarbonWarning[];
  /** True when the factor's year or region is not the one asked for. */
  isProxy: boolean;
}

type Index = Map<string, EmissionFactor[]>;
const indexCache = new WeakMap<EmissionFactor[], Index>();

function indexOf(factors: EmissionFactor[]): Index {
  let index = indexCache.get(factors);
  if (!index) {
    index = new Map();
    for (const f of factors) {
      const key = `${f.activity}|${f.variant}|${normaliseRegion(f.region)}`;
      const list = index.get(key);
      if (list) list.push(f);
      else index.set(key, [f]);
    }
    indexCache.set(factors, index);
  }
  return index;
}

/** Exact year, else the nearest earlier year, else the nearest later year. */
function pickYear(candidates: EmissionFactor[], year: number): number {
  const years = [...new Set(candidates.map((f) => f.year))];
  if (years.includes(year)) return year;
  const earlier = years.filter((y) => y < year);
  if (earlier.length) return Math.max(...earlier);
  return Math.min(...years.filter((y) => y > year));
}

function rank(f: EmissionFactor, unit: string | undefined, basis: CalorificBasis | undefined): number[] {
  return [
    unit && f.unit === unit ? 0 : 1,
    f.basis === (basis ?? 'gross') ? 0 : f.basis === '' ? 1 : 2,
    -f.publishedYear,
  ];
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/**
 * Selects the emission factor for an activity: tenant factors first, then the shared library,
 * walking the region chain (e.g. CAMX → US → GLOBAL); within a region the factor for the data
 * year, else the nearest earlier, else the nearest later year, named in a warning. Never returns a
 * zero for want of data: throws FactorNotFoundError when nothing fits, UnitConversionError when
 * factors exist but none can take the activity's unit.
 */
export function selectFactor(factors: EmissionFactor[], query: FactorQuery): FactorSelection {
  const variant = query.variant ?? '';
  const purpose = query.purpose ?? 'corporate_inventory';
  const unit = query.unit === undefined ? undefined : normaliseUnit(query.unit);
  const chain = (query.regionChain ?? regionFallbackChain(query.region)).map(normaliseRegion);
  const requested = normaliseRegion(query.region);
  const unitRejected = new Set<string>();

  const sets: EmissionFactor[][] = query.tenantFactors?.length ? [query.tenantFactors, factors] : [factors];
  for (const region of chain) {
    for (const set of sets) {
      const all = (indexOf(set).get(`${query.activity}|${variant}|${region}`) ?? []).filter(
        (f) => f.purpose === purpose,
      );
      if (!all.length) continue;
      const eligible = all.filter((f) => {
        const ok = !unit || (canConvertUnit(unit, f.unit) && basisCompatible(query.basis, f.basis));
        if (!ok) unitRejected.add(`${f.unit}${f.basis ? ` (${f.basis} CV)` : ''}`);
        return ok;
      });
      if (!eligible.length) continue;
      const year = pickYear(eligible, query.year);
      const best = eligible
        .filter((f) => f.year === year)
        .sort((a, b) => compareRanks(rank(a, unit, query.basis), rank(b, unit, query.basis)))[0];
      const warnings: CarbonWarning[] = [];
      const what = `${query.activity}${variant ? `.${variant}` : ''}`;
      if (best.year !== query.year) {
        warnings.push({
          code: 'FACTOR_YEAR_PROXY',
          factorId: best.id,
          message: `no ${what} factor for ${region} describing ${query.year}; used ${best.year} (${best.source} ${best.edition}) as a proxy`,
        });
      }
      if (region !== requested) {
        warnings.push({
          code: 'FACTOR_REGION_PROXY',
          factorId: best.id,
          message: `no ${what} factor for region ${requested}; used the ${region} factor (${best.source} ${best.edition}) as a proxy`,
        });
      }
      if (unit && !query.basis && best.basis && canConvertUnit(unit, 'kWh')) {
        warnings.push({
          code: 'FACTOR_BASIS_ASSUMED',
          factorId: best.id,
          message: `energy quantity of ${what} without a calorific basis: taken as ${best.basis} CV to match ${best.id}`,
        });
      }
      return { factor: best, warnings, isProxy: warnings.some((w) => w.code !== 'FACTOR_BASIS_ASSUMED') };
    }
  }
  if (unitRejected.size) {
    throw new UnitConversionError(
      `no ${query.activity} factor for ${requested} can take ${unit}${query.basis ? ` (${query.basis} CV)` : ''}; factors exist per ${[...unitRejected].join(', ')}`,
      { activity: query.activity, region: requested, unit, available: [...unitRejected] },
    );
  }
  throw new FactorNotFoundError(
    `no ${query.activity}${variant ? `.${variant}` : ''} factor (${purpose}) for region ${requested} or its fallbacks ${chain.slice(1).join(' → ') || '(none)'}`,
    { activity: query.activity, variant, region: requested, year: query.year, chain },
  );
}

/**
 * The location-based grid electricity factor (per kWh) of a grid region for a year, the tenant's
 * own factors first: the inventory's choice for a site's electricity, used wherever else a site's
 * grid kWh is priced (hourly Scope 2's annual fallback, site analysis).
 */
export function selectGridFactor(
  factors: EmissionFactor[],
  query: { region: string; year: number; tenantFactors?: EmissionFactor[] },
): FactorSelection {
  return selectFactor(factors, {
    activity: 'electricity_grid',
    region: query.region,
    year: query.year,
    unit: 'kWh',
    tenantFactors: query.tenantFactors,
  });
}
