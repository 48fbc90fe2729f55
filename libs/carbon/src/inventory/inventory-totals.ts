import { roundKg, toDecimal, type CarbonDecimal } from '../factors/decimal';
import { InvalidInputError } from '../factors/errors';
import type { InventoryOptions, InventoryResult } from './inventory.types';
import { ZERO, type WorkLine } from './inventory-work';

/**
 * The totals of computeInventory: scopes, Scope 3 categories and sites summed exactly from the
 * counted lines (a flagged line counts nothing), rounded to 0.001 kg once at the output.
 */

interface ScopeSums {
  s1: CarbonDecimal;
  s2l: CarbonDecimal;
  s2m: CarbonDecimal;
  s3: CarbonDecimal;
}

const zeroSums = (): ScopeSums => ({ s1: ZERO, s2l: ZERO, s2m: ZERO, s3: ZERO });

/** Adds a line's kg to the sums of its scope (Scope 2: location, market or both by its method). */
function addToSums(s: ScopeSums, l: WorkLine, kg: CarbonDecimal): void {
  if (l.scope === 1) {
    s.s1 = s.s1.plus(kg);
  } else if (l.scope === 2) {
    if (l.method !== 'market') s.s2l = s.s2l.plus(kg);
    if (l.method !== 'location') s.s2m = s.s2m.plus(kg);
  } else if (l.scope === 3) {
    s.s3 = s.s3.plus(kg);
  }
}

export interface InventoryTotals {
  total: ScopeSums;
  byCategory: Map<string, CarbonDecimal>;
  bySite: Map<string, ScopeSums>;
}

export function sumLines(lines: WorkLine[]): InventoryTotals {
  const total = zeroSums();
  const byCategory = new Map<string, CarbonDecimal>();
  const bySite = new Map<string, ScopeSums>();
  for (const l of lines) {
    if (l.kg === null) continue;
    addToSums(total, l, l.kg);
    if (l.siteId) {
      const s = bySite.get(l.siteId) ?? zeroSums();
      addToSums(s, l, l.kg);
      bySite.set(l.siteId, s);
    }
    if (l.scope === 3) byCategory.set(l.category, (byCategory.get(l.category) ?? ZERO).plus(l.kg));
  }
  return { total, byCategory, bySite };
}

/** The totals and intensities of the result, rounded once. */
export function totalsResult(
  t: InventoryTotals,
  denominators: InventoryOptions['denominators'],
): Pick<
  InventoryResult,
  | 'scope1KgCo2e'
  | 'scope2LocationKgCo2e'
  | 'scope2MarketKgCo2e'
  | 'scope3KgCo2e'
  | 'totalLocationKgCo2e'
  | 'totalMarketKgCo2e'
  | 'scope3ByCategoryKgCo2e'
  | 'bySite'
  | 'intensities'
> {
  const { s1, s2l, s2m, s3 } = t.total;
  const totalL = s1.plus(s2l).plus(s3);
  const totalM = s1.plus(s2m).plus(s3);
  const per = (d: unknown) => {
    if (d === undefined || d === null) return undefined;
    const x = toDecimal(d as string);
    if (x.lte(0)) throw new InvalidInputError('intensity denominators must be positive');
    return { location: roundKg(totalL.div(x)), market: roundKg(totalM.div(x)) };
  };
  const den = denominators;
  return {
    scope1KgCo2e: roundKg(s1),
    scope2LocationKgCo2e: roundKg(s2l),
    scope2MarketKgCo2e: roundKg(s2m),
    scope3KgCo2e: roundKg(s3),
    totalLocationKgCo2e: roundKg(totalL),
    totalMarketKgCo2e: roundKg(totalM),
    scope3ByCategoryKgCo2e: Object.fromEntries([...t.byCategory].map(([k, v]) => [k, roundKg(v)])),
    bySite: [...t.bySite].map(([siteId, v]) => ({
      siteId,
      scope1KgCo2e: roundKg(v.s1),
      scope2LocationKgCo2e: roundKg(v.s2l),
      scope2MarketKgCo2e: roundKg(v.s2m),
      scope3KgCo2e: roundKg(v.s3),
    })),
    intensities: den
      ? { perM2: per(den.floorAreaM2), perEmployee: per(den.employees), perRevenue: per(den.revenue) }
      : undefined,
  };
}
