import Decimal from 'decimal.js';
import type { InventoryView } from '@halve/carbon';

/**
 * Carbon neutrality in the manner of ISO 14068-1:2023 (Climate change management — Transition to net
 * zero — Part 1: Carbon neutrality). PAS 2060 (BSI) was withdrawn when ISO 14068-1 replaced it; Halve
 * does not offer PAS 2060 claims.
 *
 * Pure rules, each with a stable id that a refusal names (422 `errors[].rule`):
 * - boundary: Scope 3 in the boundary by a stated materiality rule (below);
 * - management plan: targets and dated reduction measures; the claim's reduction is checked against
 *   the plan's trajectory;
 * - offsets: structured credits (registry from a list, project, type, removal or avoidance, standard,
 *   vintage, serial range, retirement date, beneficiary) — ./iso14068-offsets.ts.
 */

const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
type Dec = InstanceType<typeof D>;
const r4 = (v: Dec) => v.toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toNumber();
const r3 = (v: Dec) => v.toDecimalPlaces(3, Decimal.ROUND_HALF_UP).toNumber();

export const RULES = {
  scope3Boundary: 'iso14068.boundary.scope3_materiality',
  plan: 'iso14068.plan.required',
  planTargets: 'iso14068.plan.targets',
  planMeasures: 'iso14068.plan.measures',
  planTrajectory: 'iso14068.plan.trajectory',
  planDocument: 'iso14068.plan.document',
  reduction: 'iso14068.reduction.shown',
  baseYear: 'iso14068.base_year',
  offsetsRequired: 'iso14068.offsets.required',
  offsetFields: 'iso14068.offsets.fields',
  offsetSerialRange: 'iso14068.offsets.serial_range',
  offsetCreditType: 'iso14068.offsets.credit_type',
  offsetVintage: 'iso14068.offsets.vintage',
  offsetRetirement: 'iso14068.offsets.retirement_window',
  offsetBeneficiary: 'iso14068.offsets.beneficiary',
  offsetCoverage: 'iso14068.offsets.coverage',
  offsetReceipt: 'iso14068.offsets.receipt',
} as const;

/**
 * The materiality rule of the boundary: a Scope 3 category is significant when it is ≥ 1 % of the
 * footprint (Scopes 1 + 2 + every Scope 3 category, quantified or screened); every significant
 * category must be quantified in the inventory and inside the claim's boundary, and the categories
 * left out together must stay below 5 % of the footprint.
 */
export const SIGNIFICANT_CATEGORY_PCT = 1;
export const EXCLUDED_TOTAL_MAX_PCT = 5;
export const MATERIALITY_RULE = `a Scope 3 category is significant at ≥ ${SIGNIFICANT_CATEGORY_PCT} % of the footprint (Scopes 1 + 2 + all 15 Scope 3 categories, quantified or screened); significant categories must be quantified in the inventory and inside the boundary, and excluded categories together must be < ${EXCLUDED_TOTAL_MAX_PCT} %`;

export const SCOPE3_CATEGORIES: Record<number, string> = {
  1: 'purchased goods and services',
  2: 'capital goods',
  3: 'fuel- and energy-related activities',
  4: 'upstream transportation and distribution',
  5: 'waste generated in operations',
  6: 'business travel',
  7: 'employee commuting',
  8: 'upstream leased assets',
  9: 'downstream transportation and distribution',
  10: 'processing of sold products',
  11: 'use of sold products',
  12: 'end-of-life treatment of sold products',
  13: 'downstream leased assets',
  14: 'franchises',
  15: 'investments',
};

export interface ManagementPlanInput {
  adoptedOn?: string;
  reference?: string;
  /** Reduction targets against the claim's base year, for the claim's scopes. */
  targets?: { targetYear: number; reductionPct: string }[];
  /** Reduction measures with dates (planned or done). */
  measures?: {
    description: string;
    startOn?: string;
    completeBy: string;
    expectedReductionKgCo2e?: string;
  }[];
}

export interface Scope3ScreeningInput {
  category: number;
  /** Screening estimate (kg CO2e) of a category not quantified in the inventory; "0" when not relevant. */
  kgCo2e: string;
  /** How it was estimated, or why it does not apply. */
  basis: string;
}

export interface RuleMiss {
  rule: string;
  field: string;
  message: string;
}

// ---- boundary ----

export interface BoundaryResult {
  materialityRule: string;
  footprintKgCo2e: number;
  categories: {
    category: number;
    name: string;
    kgCo2e: number;
    sharePct: number;
    quantified: boolean;
    inBoundary: boolean;
    significant: boolean;
    basis: string | null;
  }[];
  uncategorisedScope3KgCo2e: number;
  excludedKgCo2e: number;
  excludedPct: number;
}

/**
 * Scope 3 in the boundary: each of the 15 categories is quantified in the inventory (lines with that
 * category) or screened (`scope3Screening`); the footprint is Scopes 1 + 2 + all of them; see
 * MATERIALITY_RULE. With scopes not including 3, every category counts as excluded.
 */
/** The inventory's Scope 3 kg by category (1–15), and the Scope 3 kg without a category. */
function scope3ByCategory(inv: InventoryView): { quantified: Map<number, Dec>; uncategorised: Dec } {
  const quantified = new Map<number, Dec>();
  let uncategorised = new D(0);
  for (const l of inv.lines) {
    if (l.scope !== 3 || l.kgCo2e === null) continue;
    const c = (l as { scope3Category?: number }).scope3Category;
    if (c && SCOPE3_CATEGORIES[c]) quantified.set(c, (quantified.get(c) ?? new D(0)).plus(l.kgCo2e));
    else uncategorised = uncategorised.plus(l.kgCo2e);
  }
  return { quantified, uncategorised };
}

export function checkScope3Boundary(
  inv: InventoryView,
  scope1And2: Dec,
  scopes: number[],
  screening: Scope3ScreeningInput[] | undefined,
): { result: BoundaryResult; missing: RuleMiss[] } {
  const missing: RuleMiss[] = [];
  const { quantified, uncategorised } = scope3ByCategory(inv);
  const screened = new Map((screening ?? []).map((s, i) => [s.category, { ...s, index: i }]));
  const inScope3 = scopes.includes(3);
  const rows: {
    category: number;
    kg: Dec;
    quantified: boolean;
    basis: string | null;
    index: number | null;
  }[] = [];
  const unaccounted: number[] = [];
  for (let c = 1; c <= 15; c++) {
    const q = quantified.get(c);
    const s = screened.get(c);
    if (q) rows.push({ category: c, kg: q, quantified: true, basis: 'inventory', index: null });
    else if (s)
      rows.push({ category: c, kg: new D(s.kgCo2e), quantified: false, basis: s.basis, index: s.index });
    else unaccounted.push(c);
  }
  const footprint = rows.reduce((sum, r) => sum.plus(r.kg), scope1And2.plus(uncategorised));
  const share = (kg: Dec) => (footprint.isZero() ? new D(0) : kg.div(footprint).times(100));
  if (unaccounted.length)
    missing.push({
      rule: RULES.scope3Boundary,
      field: 'scope3Screening',
      message: `Scope 3 ${unaccounted.length > 1 ? 'categories' : 'category'} ${unaccounted.join(', ')} ${unaccounted.length > 1 ? 'are' : 'is'} neither quantified in the inventory nor screened: give each a screening estimate in kg CO2e ("0" with the reason when it does not apply) (rule: ${MATERIALITY_RULE})`,
    });
  const categories: BoundaryResult['categories'] = [];
  let excluded = inScope3 ? new D(0) : uncategorised;
  for (const r of rows) {
    const pct = share(r.kg);
    const significant = pct.gte(SIGNIFICANT_CATEGORY_PCT);
    const inBoundary = inScope3 && r.quantified;
    if (!inBoundary) excluded = excluded.plus(r.kg);
    categories.push({
      category: r.category,
      name: SCOPE3_CATEGORIES[r.category],
      kgCo2e: r3(r.kg),
      sharePct: r4(pct),
      quantified: r.quantified,
      inBoundary,
      significant,
      basis: r.basis,
    });
    if (significant && !inBoundary) {
      missing.push({
        rule: RULES.scope3Boundary,
        field: !inScope3 ? 'scopes' : `scope3Screening[${r.index}]`,
        message: `Scope 3 category ${r.category} (${SCOPE3_CATEGORIES[r.category]}) is ${r3(r.kg)} kg CO2e, ${r4(pct)} % of the ${r3(footprint)} kg footprint: significant (≥ ${SIGNIFICANT_CATEGORY_PCT} %), so it must be ${inScope3 ? 'quantified in the inventory' : 'inside the boundary (add Scope 3 to scopes)'} (rule: ${MATERIALITY_RULE})`,
      });
    }
  }
  const excludedPct = share(excluded);
  if (excludedPct.gte(EXCLUDED_TOTAL_MAX_PCT))
    missing.push({
      rule: RULES.scope3Boundary,
      field: inScope3 ? 'scope3Screening' : 'scopes',
      message: `Scope 3 emissions left out of the boundary total ${r3(excluded)} kg CO2e, ${r4(excludedPct)} % of the footprint: at most ${EXCLUDED_TOTAL_MAX_PCT} % together may be excluded (rule: ${MATERIALITY_RULE})`,
    });
  return {
    result: {
      materialityRule: MATERIALITY_RULE,
      footprintKgCo2e: r3(footprint),
      categories,
      uncategorisedScope3KgCo2e: r3(uncategorised),
      excludedKgCo2e: r3(excluded),
      excludedPct: r4(excludedPct),
    },
    missing,
  };
}

// ---- management plan ----

/**
 * The plan's expected reduction (% of base-year emissions) in `year`: linear from 0 % in the base year
 * to each target in its year, target to target; after the last target, that target's level.
 */
export function planExpectedReductionPct(
  baseYear: number,
  targets: { targetYear: number; reductionPct: string }[],
  year: number,
): Dec {
  const points = [...targets]
    .filter((t) => t.targetYear > baseYear)
    .sort((a, b) => a.targetYear - b.targetYear)
    .map((t) => ({ year: t.targetYear, pct: new D(t.reductionPct) }));
  let prev = { year: baseYear, pct: new D(0) };
  for (const p of points) {
    if (year <= p.year) {
      if (year <= prev.year) return prev.pct;
      return prev.pct.plus(
        p.pct
          .minus(prev.pct)
          .times(year - prev.year)
          .div(p.year - prev.year),
      );
    }
    prev = p;
  }
  return prev.pct;
}

export function checkManagementPlan(
  plan: ManagementPlanInput | undefined,
  ctx: { baseYear: number | null; claimYear: number; periodTo: string; reductionPct: Dec | null },
): { result: Record<string, unknown> | null; missing: RuleMiss[] } {
  const missing: RuleMiss[] = [];
  if (!plan) {
    missing.push({
      rule: RULES.plan,
      field: 'managementPlan',
      message:
        'a carbon-neutrality management plan is required: reduction targets (target year, % below the base year) and reduction measures with dates',
    });
    return { result: null, missing };
  }
  const targets = plan.targets ?? [];
  const measures = plan.measures ?? [];
  if (!targets.length)
    missing.push({
      rule: RULES.planTargets,
      field: 'managementPlan.targets',
      message:
        'the management plan needs at least one reduction target (target year and % below the base year)',
    });
  targets.forEach((t, i) => {
    if (ctx.baseYear !== null && t.targetYear <= ctx.baseYear)
      missing.push({
        rule: RULES.planTargets,
        field: `managementPlan.targets[${i}].targetYear`,
        message: `target year ${t.targetYear} is not after the base year ${ctx.baseYear}`,
      });
  });
  if (!measures.length)
    missing.push({
      rule: RULES.planMeasures,
      field: 'managementPlan.measures',
      message: 'the management plan needs reduction measures, each with a completion date',
    });
  else if (!measures.some((m) => m.completeBy < ctx.periodTo || (m.startOn ?? '9999') < ctx.periodTo))
    missing.push({
      rule: RULES.planMeasures,
      field: 'managementPlan.measures',
      message: `no measure of the plan started or was completed by the period end (${ctx.periodTo}): the claim's reductions are not backed by the plan`,
    });
  let expected: Dec | null = null;
  if (targets.length && ctx.baseYear !== null) {
    expected = planExpectedReductionPct(ctx.baseYear, targets, ctx.claimYear);
    if (ctx.reductionPct !== null && ctx.reductionPct.lt(expected))
      missing.push({
        rule: RULES.planTrajectory,
        field: 'managementPlan.targets',
        message: `the plan's trajectory requires ${r4(expected)} % below the base year ${ctx.baseYear} in ${ctx.claimYear}; the inventory shows ${r4(ctx.reductionPct)} %`,
      });
  }
  return {
    result: {
      adoptedOn: plan.adoptedOn ?? null,
      reference: plan.reference ?? null,
      targets,
      measures,
      claimYear: ctx.claimYear,
      expectedReductionPct: expected ? r4(expected) : null,
      achievedReductionPct: ctx.reductionPct ? r4(ctx.reductionPct) : null,
      onTrajectory: expected !== null && ctx.reductionPct !== null ? ctx.reductionPct.gte(expected) : null,
    },
    missing,
  };
}
