import { CarbonDecimal, roundKg, toDecimal } from '../factors/decimal';
import type { CarbonWarning, EmissionFactor, Scope } from '../factors/emission-factor';
import { InvalidActivityError } from '../factors/errors';
import { convertQuantity } from '../factors/units';
import type { MarketConsumer } from '../ghg/scope2';
import type {
  ActivityLine,
  InventoryInput,
  InventoryLine,
  InventorySite,
  LineGases,
} from './inventory.types';

/**
 * What the steps of computeInventory share: the inputs they read and the tallies they add to, in
 * line order (the order of the warnings and lines is the order of the result). Exact decimals only.
 */

export const ZERO = new CarbonDecimal(0);

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

/** An inventory line before rounding: kg exact, null on a flagged line. */
export interface WorkLine extends Omit<InventoryLine, 'kgCo2e'> {
  kg: CarbonDecimal | null;
}

/** Electricity to be covered market-based, per site (or region) and year. */
export type Consumer = MarketConsumer & { year: number; siteIdOrNull?: string };

/** On-site generation and exports of a site (or region). */
export interface GenerationTally {
  gen: CarbonDecimal;
  exp: CarbonDecimal;
  hasGen: boolean;
  sold: boolean;
  sources: Set<string>;
}

export interface InventoryWork {
  readonly input: InventoryInput;
  readonly sites: Map<string, InventorySite>;
  readonly includeTd: boolean;
  readonly warnings: CarbonWarning[];
  readonly lines: WorkLine[];
  readonly consumers: Map<string, Consumer>;
  readonly generation: Map<string, GenerationTally>;
  /** Regions without a T&D loss factor. */
  readonly tdMissing: Set<string>;
  /** Scope 1/3 kg per GWP set of the factors used, to disclose a mix. */
  readonly gwpSets: Map<string, { lines: number; kg: CarbonDecimal; sources: Set<string> }>;
  purchasedKwh: CarbonDecimal;
  exportedKwh: CarbonDecimal;
}

export function newInventoryWork(input: InventoryInput): InventoryWork {
  return {
    input,
    sites: new Map((input.sites ?? []).map((s) => [s.id, s])),
    includeTd: input.options?.includeTransmissionLosses ?? true,
    warnings: [],
    lines: [],
    consumers: new Map(),
    generation: new Map(),
    tdMissing: new Set(),
    gwpSets: new Map(),
    purchasedKwh: ZERO,
    exportedKwh: ZERO,
  };
}

export function categoryOf(scope: Scope, activity: string, scope3Category: number | null): string {
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

export function yearOf(iso: string, where: string): number {
  const y = Number(iso.slice(0, 4));
  if (!/^\d{4}-\d{2}/.test(iso) || !Number.isInteger(y))
    throw new InvalidActivityError(`${where}: periodStart '${iso}' is not an ISO date`);
  return y;
}

export interface Priced {
  kg: CarbonDecimal;
  qtyInFactorUnit: CarbonDecimal;
  gases?: LineGases;
}

/** The quantity in the factor's unit times the factor; the gases each rounded to 0.001 kg. */
export function price(q: CarbonDecimal, unit: string, line: ActivityLine, f: EmissionFactor): Priced {
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
