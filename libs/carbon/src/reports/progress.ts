import { CarbonDecimal, toDecimal } from '../factors/decimal';
import type { InventoryTotals } from '../inventory/inventory.types';

/**
 * SME Climate Hub commitment (◐ as the task brief states it: halve emissions before 2030, net zero
 * before 2050): the reporting year against the base year by scope, and the straight line from the
 * base year to −50 % in 2030 (then to zero in 2050) with an on-track verdict on Scope 1 + 2.
 */
export const HALVE_BY = 2030;
export const NET_ZERO_BY = 2050;

export interface ProgressInput {
  baseYear: number;
  year: number;
  base: InventoryTotals;
  current: InventoryTotals;
  scope2Method: 'location' | 'market';
}

const t = (kg: CarbonDecimal | number) => toDecimal(kg).div(1000).toDecimalPlaces(3).toNumber();

/** Change in % of the base value (null for a zero base). */
export function changePct(base: number | CarbonDecimal, current: number | CarbonDecimal): number | null {
  const b = toDecimal(base);
  if (b.isZero()) return null;
  return toDecimal(current).minus(b).div(b).times(100).toDecimalPlaces(2).toNumber();
}

/**
 * The straight-line path value in `year` as a share of the base-year value: 1 at the base year,
 * 0.5 in 2030, then linear to 0 in 2050; constant before the base year.
 */
export function pathShare(baseYear: number, year: number): CarbonDecimal {
  if (year <= baseYear) return new CarbonDecimal(1);
  if (year <= HALVE_BY)
    return new CarbonDecimal(1).minus(new CarbonDecimal(0.5).times(year - baseYear).div(HALVE_BY - baseYear));
  if (year >= NET_ZERO_BY) return new CarbonDecimal(0);
  return new CarbonDecimal(0.5).times(NET_ZERO_BY - year).div(NET_ZERO_BY - HALVE_BY);
}

function byScope(base: InventoryTotals, current: InventoryTotals, s2: 'location' | 'market') {
  const s12 = (v: InventoryTotals) =>
    toDecimal(v.scope1KgCo2e).plus(s2 === 'location' ? v.scope2LocationKgCo2e : v.scope2MarketKgCo2e);
  const row = (scope: string, b: CarbonDecimal | number, c: CarbonDecimal | number) => ({
    scope,
    baseTco2e: t(b),
    currentTco2e: t(c),
    changePct: changePct(b, c),
  });
  return [
    row('Scope 1', base.scope1KgCo2e, current.scope1KgCo2e),
    row('Scope 2 (location-based)', base.scope2LocationKgCo2e, current.scope2LocationKgCo2e),
    row('Scope 2 (market-based)', base.scope2MarketKgCo2e, current.scope2MarketKgCo2e),
    row('Scope 3', base.scope3KgCo2e, current.scope3KgCo2e),
    row(`Scope 1 + 2 (${s2}-based)`, s12(base), s12(current)),
  ];
}

/** The yearly progress summary against the halve-by-2030 commitment. */
export function progressSummary(input: ProgressInput) {
  const { baseYear, year, base, current, scope2Method } = input;
  const scopes = byScope(base, current, scope2Method);
  const s12 = scopes[scopes.length - 1];
  const baseS12 = toDecimal(s12.baseTco2e);
  const path = [];
  for (let y = baseYear; y <= HALVE_BY; y += 1)
    path.push({ year: y, expectedTco2e: t(baseS12.times(1000).times(pathShare(baseYear, y))) });
  const expected = baseS12.times(pathShare(baseYear, year)).toDecimalPlaces(3).toNumber();
  const onTrack = baseS12.isZero() ? null : toDecimal(s12.currentTco2e).lte(expected);
  const verdict =
    onTrack === null
      ? `No Scope 1 + 2 emissions in the base year ${baseYear}: no path to measure against.`
      : onTrack
        ? `On track: ${s12.currentTco2e} tCO2e in ${year}, at or below the ${expected} tCO2e of the straight line to −50 % by ${HALVE_BY}.`
        : `Off track: ${s12.currentTco2e} tCO2e in ${year}, above the ${expected} tCO2e of the straight line to −50 % by ${HALVE_BY}.`;
  return {
    commitment: `SME Climate Hub: halve emissions before ${HALVE_BY} and reach net zero before ${NET_ZERO_BY} (◐ as stated in the task brief).`,
    baseYear,
    year,
    scope2Method,
    scopes,
    target2030Tco2e: baseS12.times(0.5).toDecimalPlaces(3).toNumber(),
    expectedTco2e: expected,
    actualTco2e: s12.currentTco2e,
    onTrack,
    verdict,
    yearsTo2030: Math.max(0, HALVE_BY - year),
    yearsTo2050: Math.max(0, NET_ZERO_BY - year),
    path,
  };
}

export type ProgressSummary = ReturnType<typeof progressSummary>;
