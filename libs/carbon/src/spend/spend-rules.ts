import { CATEGORY_BY_KEY, DEFAULT_RULES, type SpendCategory } from './spend-categories';
import type { LedgerLine } from './ledger-parse';

/** An organisation's own rule (a correction): every condition given must match; it wins over the defaults. */
export interface OrgSpendRule {
  id: string;
  /** Account name, matched whole and case-insensitively. */
  account?: string | null;
  accountCode?: string | null;
  /** Supplier (contact), matched whole and case-insensitively. */
  supplier?: string | null;
  /** Matched anywhere in the description, case-insensitively. */
  keyword?: string | null;
  category: string;
}

export interface RuleMatch {
  category: SpendCategory;
  /** manual: chosen by hand for that line only; organisation: one of the organisation's rules. */
  rule: 'manual' | 'organisation' | 'default';
  ruleId?: string;
}

const same = (a: string | null | undefined, b: string | undefined) =>
  !a || (b !== undefined && a.trim().toLowerCase() === b.trim().toLowerCase());

function orgMatches(r: OrgSpendRule, line: LedgerLine): boolean {
  if (!r.account && !r.accountCode && !r.supplier && !r.keyword) return false;
  return (
    same(r.account, line.account) &&
    same(r.accountCode, line.accountCode) &&
    same(r.supplier, line.supplier) &&
    (!r.keyword || line.description.toLowerCase().includes(r.keyword.toLowerCase()))
  );
}

const specificity = (r: OrgSpendRule) =>
  [r.account, r.accountCode, r.supplier, r.keyword].filter((v) => v).length;

/** Orders an organisation's rules: most conditions first, then the latest (callers pass them oldest first). */
export function orderOrgRules(rules: OrgSpendRule[]): OrgSpendRule[] {
  return rules
    .map((r, i) => ({ r, i }))
    .sort((a, b) => specificity(b.r) - specificity(a.r) || b.i - a.i)
    .map((x) => x.r);
}

/**
 * The category of a ledger line: the organisation's rules (ordered by orderOrgRules) first, then the
 * default rules on the account name (the description and supplier refine travel), else none.
 */
export function matchSpendCategory(line: LedgerLine, orgRules: OrgSpendRule[]): RuleMatch | null {
  for (const r of orgRules) {
    const category = CATEGORY_BY_KEY.get(r.category);
    if (category && orgMatches(r, line)) return { category, rule: 'organisation', ruleId: r.id };
  }
  const text = `${line.supplier ?? ''} ${line.description}`;
  for (const d of DEFAULT_RULES) {
    if (d.account.test(line.account) && (!d.text || d.text.test(text)))
      return { category: CATEGORY_BY_KEY.get(d.category) as SpendCategory, rule: 'default' };
  }
  return null;
}

/** The rule a correction becomes: the supplier with the account when the line names one, else the account and description. */
export function ruleFromCorrection(line: LedgerLine, category: string): Omit<OrgSpendRule, 'id'> {
  if (line.supplier) return { account: line.account, supplier: line.supplier, category };
  return { account: line.account, keyword: line.description || null, category };
}
