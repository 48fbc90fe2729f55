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
 *   vintage, serial range, retirement date, beneficiary).
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

/** Registries whose retirements a certifier can look up (id → name). */
export const OFFSET_REGISTRIES = {
  verra: 'Verra (Verified Carbon Standard registry)',
  gold_standard: 'Gold Standard Impact Registry',
  acr: 'ACR (American Carbon Registry)',
  car: 'Climate Action Reserve',
  art_trees: 'ART (Architecture for REDD+ Transactions) registry',
  puro_earth: 'Puro.earth registry',
  isometric: 'Isometric registry',
  plan_vivo: 'Plan Vivo registry',
  global_carbon_council: 'Global Carbon Council registry',
  cdm: 'UNFCCC CDM registry',
  uk_land_carbon: 'UK Land Carbon Registry (Woodland and Peatland Codes)',
} as const;
export type OffsetRegistry = keyof typeof OFFSET_REGISTRIES;

/** Project types; those in AVOIDANCE_ONLY cannot issue removal credits. */
export const PROJECT_TYPES = [
  'afforestation_reforestation',
  'improved_forest_management',
  'redd_plus',
  'soil_carbon',
  'blue_carbon',
  'biochar',
  'direct_air_capture',
  'beccs',
  'enhanced_weathering',
  'renewable_energy',
  'cookstoves',
  'landfill_methane',
  'energy_efficiency',
  'industrial_gases',
  'other',
] as const;
export type ProjectType = (typeof PROJECT_TYPES)[number];
export const AVOIDANCE_ONLY: ProjectType[] = [
  'redd_plus',
  'renewable_energy',
  'cookstoves',
  'landfill_methane',
  'energy_efficiency',
  'industrial_gases',
];

export interface OffsetInput {
  registry?: OffsetRegistry;
  projectId?: string;
  projectName?: string;
  projectType?: ProjectType;
  creditType?: 'removal' | 'avoidance';
  /** The programme / methodology the credits were issued under, e.g. "VCS v4.5, VM0042". */
  standard?: string;
  vintage?: number;
  /** First and last credit serial of the retired block: the same text up to a trailing number. */
  serialFrom?: string;
  serialTo?: string;
  /** One credit = 1 t CO2e: must equal the number of serials in the range. */
  tonnesCo2e?: string;
  retiredOn?: string;
  /** Who the retirement was made on behalf of, as the registry shows it: must name the organisation. */
  beneficiary?: string;
}

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

/** Maximum credits in one batch and in one claim (the serials are registered one by one against double claiming). */
export const MAX_CREDITS_PER_BATCH = 100_000;
export const MAX_CREDITS_PER_CLAIM = 100_000;

/** The credit serials of a range "…0101".."…0150" (same text up to a trailing number), or why not. */
export function serialRange(
  from: string,
  to: string,
):
  | {
      ok: true;
      count: number;
      prefix: string;
      width: number;
      lo: bigint;
      hi: bigint;
      serials: () => string[];
    }
  | { ok: false; reason: string } {
  const a = /^(.*?)(\d+)$/.exec(from);
  const b = /^(.*?)(\d+)$/.exec(to);
  if (!a || !b) return { ok: false, reason: 'serialFrom and serialTo must each end in a number' };
  if (a[1] !== b[1])
    return {
      ok: false,
      reason: `serialFrom and serialTo differ before their trailing number ("${a[1]}" vs "${b[1]}")`,
    };
  const padded = a[2].length > 1 && a[2].startsWith('0');
  if (padded && a[2].length !== b[2].length)
    return { ok: false, reason: 'zero-padded serial numbers must have the same number of digits' };
  const lo = BigInt(a[2]);
  const hi = BigInt(b[2]);
  if (hi < lo) return { ok: false, reason: 'serialTo comes before serialFrom' };
  const n = hi - lo + 1n;
  if (n > BigInt(MAX_CREDITS_PER_BATCH))
    return { ok: false, reason: `more than ${MAX_CREDITS_PER_BATCH} credits in one batch: split it` };
  const count = Number(n);
  const width = padded ? a[2].length : 0;
  return {
    ok: true,
    count,
    prefix: a[1],
    width,
    lo,
    hi,
    serials: () => {
      const out: string[] = [];
      for (let i = 0n; i < n; i++) out.push(`${a[1]}${(lo + i).toString().padStart(width, '0')}`);
      return out;
    },
  };
}

/**
 * Problems of a claim's batches taken together: a credit in two batches (overlapping ranges of one
 * registry) or more than MAX_CREDITS_PER_CLAIM credits. Works on the intervals, without expanding them.
 */
export function batchesProblems(
  offsets: { registry?: string; serialFrom?: string; serialTo?: string }[],
): { index: number; message: string }[] {
  const problems: { index: number; message: string }[] = [];
  const spans: { index: number; key: string; lo: bigint; hi: bigint }[] = [];
  let total = 0;
  offsets.forEach((o, index) => {
    if (!o.registry || !o.serialFrom || !o.serialTo) return;
    const r = serialRange(o.serialFrom, o.serialTo);
    if (!r.ok) return;
    total += r.count;
    spans.push({ index, key: `${o.registry}\u0000${r.prefix}\u0000${r.width}`, lo: r.lo, hi: r.hi });
  });
  spans.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  for (let i = 1; i < spans.length; i++) {
    const [p, q] = [spans[i - 1], spans[i]];
    if (p.key === q.key && q.lo <= p.hi)
      problems.push({
        index: Math.max(p.index, q.index),
        message: `offset batches ${Math.min(p.index, q.index) + 1} and ${Math.max(p.index, q.index) + 1} list the same credits`,
      });
  }
  if (total > MAX_CREDITS_PER_CLAIM)
    problems.push({ index: -1, message: `${total} credits in one claim: at most ${MAX_CREDITS_PER_CLAIM}` });
  return problems;
}

const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

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
export function checkScope3Boundary(
  inv: InventoryView,
  scope1And2: Dec,
  scopes: number[],
  screening: Scope3ScreeningInput[] | undefined,
): { result: BoundaryResult; missing: RuleMiss[] } {
  const missing: RuleMiss[] = [];
  const quantified = new Map<number, Dec>();
  let uncategorised = new D(0);
  for (const l of inv.lines) {
    if (l.scope !== 3 || l.kgCo2e === null) continue;
    const c = (l as { scope3Category?: number }).scope3Category;
    if (c && SCOPE3_CATEGORIES[c]) quantified.set(c, (quantified.get(c) ?? new D(0)).plus(l.kgCo2e));
    else uncategorised = uncategorised.plus(l.kgCo2e);
  }
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

// ---- offsets ----

export interface OffsetView extends OffsetInput {
  index: number;
  credits: number | null;
  retiredWithinWindow: boolean;
}

const REQUIRED_OFFSET_FIELDS: (keyof OffsetInput)[] = [
  'registry',
  'projectId',
  'projectName',
  'projectType',
  'creditType',
  'standard',
  'vintage',
  'serialFrom',
  'serialTo',
  'tonnesCo2e',
  'retiredOn',
  'beneficiary',
];

export function checkOffsets(
  offsets: OffsetInput[] | undefined,
  ctx: { periodFrom: string; deadline: string; organisation: string; residual: Dec },
): { offsets: OffsetView[]; creditedKg: Dec; removalsT: Dec; avoidanceT: Dec; missing: RuleMiss[] } {
  const missing: RuleMiss[] = [];
  const list = offsets ?? [];
  if (!list.length)
    missing.push({
      rule: RULES.offsetsRequired,
      field: 'offsets',
      message:
        'retired offset credits covering the residual emissions are required (registry, project, type, removal or avoidance, standard, vintage, serial range, retirement date, beneficiary)',
    });
  const views: OffsetView[] = list.map((o, i) => {
    const absent = REQUIRED_OFFSET_FIELDS.filter((f) => o[f] === undefined || o[f] === null || o[f] === '');
    for (const f of absent)
      missing.push({
        rule: RULES.offsetFields,
        field: `offsets[${i}].${f}`,
        message: `offset batch ${i + 1}: ${f} is required`,
      });
    let credits: number | null = null;
    if (o.serialFrom && o.serialTo) {
      const range = serialRange(o.serialFrom, o.serialTo);
      if (!range.ok)
        missing.push({
          rule: RULES.offsetSerialRange,
          field: `offsets[${i}].serialTo`,
          message: `offset batch ${i + 1}: ${range.reason}`,
        });
      else {
        credits = range.count;
        if (o.tonnesCo2e !== undefined && !new D(o.tonnesCo2e).eq(range.count))
          missing.push({
            rule: RULES.offsetSerialRange,
            field: `offsets[${i}].tonnesCo2e`,
            message: `offset batch ${i + 1}: ${o.tonnesCo2e} t but the serial range ${o.serialFrom}..${o.serialTo} holds ${range.count} credits (one credit = 1 t CO2e)`,
          });
      }
    }
    if (o.creditType === 'removal' && o.projectType && AVOIDANCE_ONLY.includes(o.projectType))
      missing.push({
        rule: RULES.offsetCreditType,
        field: `offsets[${i}].creditType`,
        message: `offset batch ${i + 1}: a ${o.projectType} project avoids or reduces emissions; its credits cannot be removals`,
      });
    if (o.vintage !== undefined && o.retiredOn && o.vintage > Number(o.retiredOn.slice(0, 4)))
      missing.push({
        rule: RULES.offsetVintage,
        field: `offsets[${i}].vintage`,
        message: `offset batch ${i + 1}: vintage ${o.vintage} is after the retirement on ${o.retiredOn}`,
      });
    const within = !!o.retiredOn && o.retiredOn >= ctx.periodFrom && o.retiredOn < ctx.deadline;
    if (o.retiredOn && !within)
      missing.push({
        rule: RULES.offsetRetirement,
        field: `offsets[${i}].retiredOn`,
        message: `offset batch ${i + 1} was retired on ${o.retiredOn}, outside ${ctx.periodFrom}..${ctx.deadline} (within 12 months of the period end)`,
      });
    if (o.beneficiary && !norm(o.beneficiary).includes(norm(ctx.organisation)))
      missing.push({
        rule: RULES.offsetBeneficiary,
        field: `offsets[${i}].beneficiary`,
        message: `offset batch ${i + 1} was retired on behalf of "${o.beneficiary}", which does not name ${ctx.organisation}`,
      });
    return { ...o, index: i, credits, retiredWithinWindow: within };
  });
  const counted = views.filter((v) => v.retiredWithinWindow && v.tonnesCo2e !== undefined);
  const tonnes = (xs: OffsetView[]) => xs.reduce((s, v) => s.plus(new D(v.tonnesCo2e ?? 0)), new D(0));
  const creditedKg = tonnes(counted).times(1000);
  if (list.length && creditedKg.lt(ctx.residual))
    missing.push({
      rule: RULES.offsetCoverage,
      field: 'offsets',
      message: `retired credits cover ${r3(creditedKg)} kg CO2e of the ${r3(ctx.residual)} kg CO2e residual emissions`,
    });
  return {
    offsets: views,
    creditedKg,
    removalsT: tonnes(counted.filter((v) => v.creditType === 'removal')),
    avoidanceT: tonnes(counted.filter((v) => v.creditType === 'avoidance')),
    missing,
  };
}
