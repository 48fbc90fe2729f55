import { roundKg, sumDecimals } from '../factors/decimal';
import type { StarterEstimateLine, StarterLineKey } from './starter-estimate';

/** The fields of an inventory line the replacement reads (ApiInventoryLine). */
export interface MeasuredLine {
  scope: 1 | 2 | 3 | null;
  category: string;
  scope3Category?: number;
  method?: 'location' | 'market';
  kgCo2e: number | null;
}

/** The inventory's own totals of the year (measured data only; never changed here). */
export interface MeasuredTotals {
  scope1KgCo2e: number;
  scope2LocationKgCo2e: number;
  scope3KgCo2e: number;
}

export type StarterStatus = 'estimated' | 'replaced by measured data' | 'not estimated';

export interface StarterLineResult extends StarterEstimateLine {
  status: StarterStatus;
  measuredKgCo2e: number | null;
}

export interface ScopeTotals {
  scope1KgCo2e: number;
  scope2KgCo2e: number;
  scope3KgCo2e: number;
  totalKgCo2e: number;
}

/**
 * Which measured inventory lines replace an estimate line: electricity from meters or bills (location-based
 * Scope 2 purchased electricity) the electricity line; fuel burnt on site (Scope 1 stationary combustion: gas
 * activities, gas meters and bills, heating oil) or purchased heat (district heating, Scope 2) the heating
 * line; Scope 3 category 1 lines (spend ledgers,
 * purchased materials) the purchases line.
 */
export const REPLACED_BY: Record<StarterLineKey, (l: MeasuredLine) => boolean> = {
  scope2_electricity: (l) => l.scope === 2 && l.category === 'purchased_electricity' && l.method !== 'market',
  scope1_heating: (l) =>
    (l.scope === 1 && l.category === 'stationary_combustion') ||
    (l.scope === 2 && l.category === 'purchased_heat_steam'),
  scope3_purchases: (l) => l.scope === 3 && l.scope3Category === 1,
};

/** Each estimate line with its status: replaced as soon as any measured line of its kind has a figure. */
export function replaceLines(estimate: StarterEstimateLine[], measured: MeasuredLine[]): StarterLineResult[] {
  return estimate.map((e) => {
    const covering = measured.filter((l) => l.kgCo2e !== null && REPLACED_BY[e.key](l));
    if (covering.length)
      return {
        ...e,
        status: 'replaced by measured data' as const,
        measuredKgCo2e: roundKg(sumDecimals(covering.map((l) => l.kgCo2e as number))),
      };
    return {
      ...e,
      status: e.kgCo2e === null ? ('not estimated' as const) : ('estimated' as const),
      measuredKgCo2e: null,
    };
  });
}

function totals(s1: number[], s2: number[], s3: number[]): ScopeTotals {
  const [a, b, c] = [sumDecimals(s1), sumDecimals(s2), sumDecimals(s3)];
  return {
    scope1KgCo2e: roundKg(a),
    scope2KgCo2e: roundKg(b),
    scope3KgCo2e: roundKg(c),
    totalKgCo2e: roundKg(a.plus(b).plus(c)),
  };
}

const kgOf = (lines: StarterLineResult[], scope: number) =>
  lines.filter((l) => l.scope === scope && l.kgCo2e !== null).map((l) => l.kgCo2e as number);

/** The estimate alone; the inventory alone; and measured where measured plus the lines still estimated. */
export function starterTotals(
  lines: StarterLineResult[],
  m: MeasuredTotals,
): { estimated: ScopeTotals; measured: ScopeTotals; combined: ScopeTotals } {
  const open = lines.filter((l) => l.status === 'estimated');
  return {
    estimated: totals(kgOf(lines, 1), kgOf(lines, 2), kgOf(lines, 3)),
    measured: totals([m.scope1KgCo2e], [m.scope2LocationKgCo2e], [m.scope3KgCo2e]),
    combined: totals(
      [m.scope1KgCo2e, ...kgOf(open, 1)],
      [m.scope2LocationKgCo2e, ...kgOf(open, 2)],
      [m.scope3KgCo2e, ...kgOf(open, 3)],
    ),
  };
}
