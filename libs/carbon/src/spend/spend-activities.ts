import { toDecimal, type CarbonDecimal } from '../factors/decimal';
import type { SpendLineResult } from './spend-lines';
import type { SpendFactor, SpendFactorTables } from './spend-factors';

/**
 * Counted spend lines → activity data the inventory already prices (pure). Lines are summed per
 * factor, Scope 3 category and month: quantity = Σ adjusted spend (in the factor's currency of its
 * base year), priced by a tenant factor that carries the EEIO factor unchanged, so the inventory
 * computes Σ adjusted × factor = Σ of the lines' kg, exactly (decimal arithmetic).
 */
export interface SpendActivity {
  /** `naics:541511:c1`: factor and Scope 3 category. */
  variant: string;
  factor: SpendFactor;
  scope3Category: number;
  periodFrom: string;
  periodTo: string;
  quantity: CarbonDecimal;
  lineNos: number[];
}

export function spendFactorById(t: SpendFactorTables, id: string): SpendFactor | undefined {
  const [kind, code, region] = id.split(':');
  return kind === 'naics' ? t.naics.get(code) : t.exiobase.get(`${code}:${region}`);
}

const nextMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
};

/** Sums per (factor, category, month); a group whose credits outweigh its spend is not counted, its lines say why. */
export function spendActivities(
  lines: SpendLineResult[],
  tables: SpendFactorTables,
): { activities: SpendActivity[]; lines: SpendLineResult[] } {
  const groups = new Map<string, SpendActivity>();
  for (const l of lines) {
    if (l.excludedReason || !l.factorId || l.adjustedAmount === null || l.scope3Category === null) continue;
    const month = l.date.slice(0, 7);
    const variant = `${l.factorId}:c${l.scope3Category}`;
    const key = `${variant}|${month}`;
    let g = groups.get(key);
    if (!g) {
      const factor = spendFactorById(tables, l.factorId);
      if (!factor) continue;
      g = {
        variant,
        factor,
        scope3Category: l.scope3Category,
        periodFrom: `${month}-01`,
        periodTo: nextMonth(month),
        quantity: toDecimal(0),
        lineNos: [],
      };
      groups.set(key, g);
    }
    g.quantity = g.quantity.plus(l.adjustedAmount);
    g.lineNos.push(l.lineNo);
  }
  const activities: SpendActivity[] = [];
  const dropped = new Map<number, string>();
  for (const g of groups.values()) {
    if (!g.quantity.isNegative()) activities.push(g);
    else
      for (const n of g.lineNos)
        dropped.set(
          n,
          `credits exceed spend for ${g.variant} in ${g.periodFrom.slice(0, 7)}: the month's net is negative, not counted`,
        );
  }
  const out = lines.map((l) =>
    dropped.has(l.lineNo) ? { ...l, excludedReason: dropped.get(l.lineNo) as string } : l,
  );
  return { activities, lines: out };
}
