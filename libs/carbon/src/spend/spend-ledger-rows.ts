import { randomUUID } from 'node:crypto';
import { BadInputError } from '@halve/platform';
import { TenantEmissionFactorEntity } from '../entities/carbon.entities';
import type { LedgerLine, LedgerProblem } from './ledger-parse';
import type { SpendActivity } from './spend-activities';
import type { SpendLineResult } from './spend-lines';
import { SPEND_ACTIVITY } from './spend.repository';
import type { SpendRuleEntity } from './spend.entities';
import type { SpendRuleView } from './spend.responses';

/** Pure helpers of SpendLedgerService: error reporting, periods, stored lines → ledger lines, tenant factors. */
const MAX_PROBLEMS = 20;
const DAY_MS = 86_400_000;

export function problemsError(problems: LedgerProblem[]): BadInputError {
  const shown = problems.slice(0, MAX_PROBLEMS);
  const more = problems.length > shown.length ? ` (first ${shown.length} of ${problems.length} shown)` : '';
  return new BadInputError(
    `The ledger has ${problems.length} line(s) that cannot be read${more}.`,
    shown.map((p) => ({
      field: `line ${p.lineNo}`,
      message: p.excerpt ? `${p.message}: ${p.excerpt}` : p.message,
    })),
  );
}

/** [first date, day after the last date). */
export function periodOf(lines: LedgerLine[]): { from: string; to: string } {
  const dates = lines.map((l) => l.date).sort();
  const last = new Date(Date.parse(dates[dates.length - 1]) + DAY_MS).toISOString().slice(0, 10);
  return { from: dates[0], to: last };
}

export const linesOf = (rows: SpendLineResult[]): LedgerLine[] =>
  rows.map((r) => ({
    lineNo: r.lineNo,
    date: r.date,
    description: r.description,
    account: r.account,
    accountCode: r.accountCode,
    supplier: r.supplier,
    reference: r.reference,
    amount: r.amount,
    ...(r.manualCategory ? { manualCategory: r.manualCategory } : {}),
  }));

/** The tenant factor that carries an EEIO factor into the inventory unchanged (one per factor and category). */
export function tenantFactorRow(tenantId: string, a: SpendActivity): TenantEmissionFactorEntity {
  const f = a.factor;
  return Object.assign(new TenantEmissionFactorEntity(), {
    tenantId,
    id: randomUUID(),
    source:
      f.set === 'epa-useeio-v1.3' ? 'US EPA USEEIO supply-chain factors' : 'EXIOBASE 3 via OEFDB (Climatiq)',
    edition: f.set === 'epa-useeio-v1.3' ? 'v1.3.0 (USD 2022)' : '3.8, EUR 2019 (OEFDB 2022-05-12)',
    publishedYear: f.set === 'epa-useeio-v1.3' ? 2024 : 2021,
    // The activity's year, not the factor's: the quantity is already in money of the factor's base year, so
    // the pair describes that year's spend (a base-year factor would be flagged as a year proxy on every line).
    year: Number(a.periodFrom.slice(0, 4)),
    region: f.region,
    activity: SPEND_ACTIVITY,
    variant: a.variant,
    scope: 3,
    scope3Category: a.scope3Category,
    unit: f.currency,
    basis: '',
    kgCo2ePerUnit: f.kgCo2ePerUnit,
    kgCo2PerUnit: null,
    kgCh4PerUnit: null,
    kgN2oPerUnit: null,
    kgCo2eCh4PerUnit: null,
    kgCo2eN2oPerUnit: null,
    gwpSet: 'AR5',
    purpose: 'corporate_inventory',
    label: `${f.code} ${f.title}`.slice(0, 200),
    evidence: `${f.source}; ${f.licence}; quantity = spend in ${f.currency} of ${f.baseYear} (index- and currency-adjusted, libs/carbon/data/spend)`,
    createdBy: null,
  });
}

export const ruleView = (r: SpendRuleEntity): SpendRuleView => ({
  id: r.id,
  account: r.account,
  accountCode: r.accountCode,
  supplier: r.supplier,
  keyword: r.keyword,
  category: r.category,
  createdAt: new Date(r.createdAt).toISOString(),
});

/** Two rules with the same conditions (compared as the matching does: trimmed, any case). */
export function sameConditions(a: SpendRuleEntity, b: SpendRuleEntity): boolean {
  const k = (v: string | null) => (v ?? '').trim().toLowerCase();
  return (['account', 'accountCode', 'supplier', 'keyword'] as const).every((f) => k(a[f]) === k(b[f]));
}
