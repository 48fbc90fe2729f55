import type { InventoryView } from '@halve/carbon';
import {
  type ClaimInputs,
  type Dec,
  type RuleContext,
  type RuleResult,
  type Scope,
  defaultScopes,
  kg,
  pct,
  sum,
} from './common';

/**
 * emission_reduction, and the comparison with the base year it shares with carbon_neutral: the
 * claimed scopes' emissions now and in the base year, and the reduction between them.
 */

function emissionsOf(inv: InventoryView, scopes: Scope[], method: 'location' | 'market') {
  const s2 = method === 'market' ? inv.scope2MarketKgCo2e : inv.scope2LocationKgCo2e;
  const parts = { scope1KgCo2e: inv.scope1KgCo2e, scope2KgCo2e: s2, scope3KgCo2e: inv.scope3KgCo2e };
  const total = sum([
    scopes.includes(1) ? parts.scope1KgCo2e : 0,
    scopes.includes(2) ? parts.scope2KgCo2e : 0,
    scopes.includes(3) ? parts.scope3KgCo2e : 0,
  ]);
  return { ...parts, totalKgCo2e: kg(total), total };
}

type Emissions = ReturnType<typeof emissionsOf>;

const parts = (e: Emissions) => ({
  scope1KgCo2e: e.scope1KgCo2e,
  scope2KgCo2e: e.scope2KgCo2e,
  scope3KgCo2e: e.scope3KgCo2e,
  totalKgCo2e: e.totalKgCo2e,
});

export interface BaseYearComparison {
  scopes: Scope[];
  method: 'location' | 'market';
  current: Emissions;
  base: Emissions | null;
  reduction: Dec | null;
  reductionPct: Dec | null;
  figures: Record<string, unknown>;
}

/** The claimed scopes now and in the base year; a missing base year or empty base inventory is missing. */
export function compareWithBaseYear(ctx: RuleContext): BaseYearComparison {
  const { r, inv, missing } = ctx;
  const scopes = [...new Set(r.inputs.scopes ?? defaultScopes(r.type))].sort() as Scope[];
  const method = r.inputs.scope2Method ?? 'market';
  const current = emissionsOf(inv, scopes, method);
  const base = r.baseInventory ? emissionsOf(r.baseInventory, scopes, method) : null;
  const reduction = base ? base.total.minus(current.total) : null;
  const reductionPct =
    base && !base.total.isZero() && reduction ? reduction.div(base.total).times(100) : null;
  if (!r.basePeriod)
    missing.push({
      field: 'baseYear',
      message: 'a base year is required (set the organisation’s base year or give baseYear)',
    });
  else if (!base || base.total.isZero())
    missing.push({
      field: 'baseInventory',
      message: `the base year ${r.basePeriod.year} (${r.basePeriod.from}..${r.basePeriod.to}) has no emissions recorded for scopes ${scopes.join('+')}`,
    });
  const figures: Record<string, unknown> = {
    scopes,
    scope2Method: method,
    baseYear: r.basePeriod?.year ?? null,
    basePeriod: r.basePeriod ? { from: r.basePeriod.from, to: r.basePeriod.to } : null,
    current: parts(current),
    base: base ? parts(base) : null,
    scope2LocationKgCo2e: inv.scope2LocationKgCo2e,
    scope2MarketKgCo2e: inv.scope2MarketKgCo2e,
    reductionKgCo2e: reduction ? kg(reduction) : null,
    reductionPct: reductionPct ? pct(reductionPct) : null,
  };
  return { scopes, method, current, base, reduction, reductionPct, figures };
}

const DENOMINATOR_UNITS = {
  floor_area_m2: 'm²',
  employees: 'employee',
  revenue: 'currency unit of revenue',
} as const;

function denominatorOf(
  inv: InventoryView,
  which: NonNullable<ClaimInputs['intensityDenominator']>,
): number | null {
  if (which === 'floor_area_m2') return inv.denominators.floorAreaM2;
  if (which === 'employees') return inv.denominators.employees;
  return inv.denominators.revenue;
}

/** The reduction of emissions per unit of the chosen denominator (or `fallback` when it cannot be computed). */
function intensityReduction(ctx: RuleContext, cmp: BaseYearComparison, fallback: Dec | null) {
  const { r, inv, missing } = ctx;
  const which = r.inputs.intensityDenominator;
  const denNow = which ? denominatorOf(inv, which) : null;
  const denBase = which && r.baseInventory ? denominatorOf(r.baseInventory, which) : null;
  if (!which)
    missing.push({
      field: 'intensityDenominator',
      message: 'an intensity claim needs intensityDenominator (floor_area_m2, employees or revenue)',
    });
  else if (!denNow || !denBase)
    missing.push({
      field: 'intensityDenominator',
      message: `no ${which} is recorded for the organisation`,
    });
  if (!(which && denNow && denBase && cmp.base)) return { shown: fallback, intensity: undefined };
  const ib = cmp.base.total.div(denBase);
  const ic = cmp.current.total.div(denNow);
  const shown = ib.isZero() ? null : ib.minus(ic).div(ib).times(100);
  const intensity = {
    denominator: which,
    unit: `kg CO2e per ${DENOMINATOR_UNITS[which]}`,
    baseDenominator: denBase,
    currentDenominator: denNow,
    baseKgCo2ePerUnit: ib.toDecimalPlaces(6).toNumber(),
    currentKgCo2ePerUnit: ic.toDecimalPlaces(6).toNumber(),
    reductionPct: shown ? pct(shown) : null,
  };
  return { shown, intensity };
}

export function emissionReduction(ctx: RuleContext, cmp: BaseYearComparison): RuleResult {
  const { r, missing } = ctx;
  const { figures, base, scopes, method } = cmp;
  const basis = r.inputs.basis ?? 'absolute';
  figures.basis = basis;
  let shown = cmp.reductionPct;
  if (basis === 'intensity') {
    const result = intensityReduction(ctx, cmp, shown);
    shown = result.shown;
    if (result.intensity) figures.intensity = result.intensity;
  }
  if (base && !base.total.isZero() && (!shown || shown.lte(0))) {
    missing.push({
      field: 'figures.reductionPct',
      message: `emissions did not fall against the base year ${r.basePeriod?.year}: nothing to claim`,
    });
  }
  const what =
    basis === 'intensity'
      ? `emission intensity (${DENOMINATOR_UNITS[r.inputs.intensityDenominator ?? 'floor_area_m2']})`
      : 'emissions';
  return {
    figures,
    missing,
    statement: `${ctx.org}: Scope ${scopes.join('+')} ${what} from ${ctx.span} were ${shown ? pct(shown) : 0} % lower than in the base year ${r.basePeriod?.year ?? '—'} (${method}-based Scope 2).`,
  };
}
