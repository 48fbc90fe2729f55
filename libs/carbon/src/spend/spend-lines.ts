import { toDecimal } from '../factors/decimal';
import type { LedgerLine } from './ledger-parse';
import { adjustSpend, type PriceTables } from './price-adjust';
import { CATEGORY_BY_KEY, type Coverage, type SpendCategory } from './spend-categories';
import type { SpendFactor, SpendFactorTables } from './spend-factors';
import { matchSpendCategory, type OrgSpendRule, type RuleMatch } from './spend-rules';

/** Which factor table a ledger uses: EPA NAICS (USD 2022) or EXIOBASE for a region (EUR 2019). */
export type FactorSet = { set: 'epa' } | { set: 'exiobase'; region: string };

export interface SpendContext {
  currency: string;
  factorSet: FactorSet;
  /** Activity data already in the ledger's period, by kind (fuel, electricity, air, rail, road, hotel). */
  coverage: Map<Coverage, string>;
  orgRules: OrgSpendRule[];
  factors: SpendFactorTables;
  prices: PriceTables;
}

export interface SpendLineResult extends LedgerLine {
  category: string | null;
  categoryLabel: string | null;
  rule: RuleMatch['rule'] | 'none';
  ruleId?: string;
  scope3Category: number | null;
  factorId: string | null;
  factorValue: string | null;
  /** e.g. "kg CO2e/USD (2022)". */
  factorUnit: string | null;
  factorSource: string | null;
  /** Spend in the factor's currency and base year (exact decimal). */
  adjustedAmount: string | null;
  /** Index and exchange rate used. */
  adjustment: string | null;
  /** index[factor base year] / index[spend year] (exact decimal). */
  indexRatio?: string | null;
  /** Units of the factor currency per unit of the ledger currency (1 when the same). */
  exchangeRate?: string | null;
  kgCo2e: string | null;
  excludedReason: string | null;
}

const none = {
  category: null,
  categoryLabel: null,
  rule: 'none' as const,
  scope3Category: null,
  factorId: null,
  factorValue: null,
  factorUnit: null,
  factorSource: null,
  adjustedAmount: null,
  adjustment: null,
  indexRatio: null,
  exchangeRate: null,
  kgCo2e: null,
};

function factorFor(c: SpendCategory, ctx: SpendContext): SpendFactor | undefined {
  if (ctx.factorSet.set === 'epa') return c.naics ? ctx.factors.naics.get(c.naics) : undefined;
  return c.exiobase ? ctx.factors.exiobase.get(`${c.exiobase}:${ctx.factorSet.region}`) : undefined;
}

const lineKey = (l: LedgerLine) =>
  [
    l.date,
    l.account.toLowerCase(),
    l.description.toLowerCase(),
    l.reference ?? '',
    toDecimal(l.amount).toFixed(),
  ].join('|');

/** Why a categorised line is not counted, or null. */
function exclusion(c: SpendCategory, ctx: SpendContext): string | null {
  const covering = c.covered ? ctx.coverage.get(c.covered) : undefined;
  if (covering)
    return `covered by activity data in the same period (${covering}): excluded to avoid double counting`;
  return c.excluded ?? null;
}

/**
 * One ledger line → its category, factor and kg CO2e (pure):
 *   kg = amount × (index[factorYear] / index[spendYear]) × fx × factor
 * Lines with no rule, lines whose category is covered by activity data, electricity, non-purchases
 * and repeated lines are kept with their reason and never counted.
 */
function priceLine(line: LedgerLine, ctx: SpendContext, seen: Map<string, number>): SpendLineResult {
  const key = lineKey(line);
  const first = seen.get(key);
  if (first !== undefined)
    return {
      ...line,
      ...none,
      excludedReason: `duplicate of line ${first} (same date, account, description, reference and amount)`,
    };
  seen.set(key, line.lineNo);
  const manual = line.manualCategory ? CATEGORY_BY_KEY.get(line.manualCategory) : undefined;
  const m: RuleMatch | null = manual
    ? { category: manual, rule: 'manual' }
    : matchSpendCategory(line, ctx.orgRules);
  if (!m)
    return { ...line, ...none, excludedReason: 'no rule matched the account: review and choose a category' };
  const c = m.category;
  const base = {
    ...line,
    ...none,
    category: c.key,
    categoryLabel: c.label,
    rule: m.rule,
    ruleId: m.ruleId,
    scope3Category: c.scope3Category,
  };
  const why = exclusion(c, ctx);
  if (why) return { ...base, excludedReason: why };
  const f = factorFor(c, ctx);
  if (!f) return { ...base, excludedReason: `no ${ctx.factorSet.set} factor for category ${c.key}` };
  const adj = adjustSpend(ctx.prices, toDecimal(line.amount), ctx.currency, Number(line.date.slice(0, 4)), f);
  const kg = adj.adjusted.times(f.kgCo2ePerUnit);
  return {
    ...base,
    factorId: f.id,
    factorValue: f.kgCo2ePerUnit,
    factorUnit: `kg CO2e/${f.currency} (${f.baseYear})`,
    factorSource: `${f.source}; ${f.code} ${f.title}; ${f.licence}`,
    adjustedAmount: adj.adjusted.toFixed(),
    adjustment: [adj.basis, ...adj.notes].join('; '),
    indexRatio: adj.indexRatio.toFixed(),
    exchangeRate: adj.fx.toFixed(),
    kgCo2e: kg.toFixed(),
    excludedReason: null,
  };
}

export function priceLedgerLines(lines: LedgerLine[], ctx: SpendContext): SpendLineResult[] {
  const seen = new Map<string, number>();
  return lines.map((l) => priceLine(l, ctx, seen));
}

/** The default factor set for a ledger currency: EPA for USD, EXIOBASE GB for GBP, EXIOBASE DE (EU proxy) otherwise. */
export function defaultFactorSet(currency: string): FactorSet {
  if (currency === 'USD') return { set: 'epa' };
  return { set: 'exiobase', region: currency === 'GBP' ? 'GB' : 'DE' };
}

/** Which activity names cover which spend categories. */
export function coverageOf(activities: string[]): Map<Coverage, string> {
  const tests: [Coverage, RegExp][] = [
    [
      'fuel',
      /^(natural_gas|diesel|petrol|burning_oil|lpg|propane|fuel_oil|processed_fuel_oil|gas_oil|coal|biomass|biogas|biofuel|company_)/,
    ],
    ['electricity', /^electricity/],
    ['air', /^business_travel_air/],
    ['rail', /^business_travel_rail/],
    ['road', /^business_travel_(car|bus|taxi|motorbike)/],
    ['hotel', /^hotel_stay/],
  ];
  const out = new Map<Coverage, string>();
  for (const [kind, re] of tests) {
    const hit = [...new Set(activities.filter((a) => re.test(a)))];
    if (hit.length) out.set(kind, hit.join(', '));
  }
  return out;
}
