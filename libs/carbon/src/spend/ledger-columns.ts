/**
 * Column-named ledgers: the generic CSV and Sage exports (pure). The header row is found by the names a
 * column goes by (synonyms below), so a transaction list with date, description, account (name or code)
 * and amount (or debit and credit) columns is read whatever the package calls them.
 *
 * Sage (◐ unverified: no Sage export or column documentation was reachable, LAYOUTS.md): Sage 50 Accounts
 * (UK) audit trail / nominal activity and Sage Accounting transaction exports are understood to carry
 * `No, Type, Date, Account, Nominal (N/C or Nominal Code), Dept, Ref, Details, Net, Tax, T/C` (Sage 50) or
 * `Date, Reference, Contact, Description, Ledger Account, Debit, Credit` (Sage Accounting), dates
 * `DD/MM/YYYY`. In Sage 50 the `Account` column is the customer/supplier account reference and the
 * nominal code names the expense: when a nominal or ledger-account column is present, `Account` is read as
 * the supplier. A nominal code without a name takes the name of Sage 50's default UK chart of accounts
 * (SAGE_NOMINAL_NAMES, also unverified) so that the default rules can map it.
 */
export type ColumnFormat = 'sage' | 'generic';

export const normHeader = (h: string) =>
  h
    .trim()
    .toLowerCase()
    .replace(/[.\s/_-]+/g, ' ')
    .trim();

/** Canonical column → the header names it goes by (normalised), most specific first. */
const SYNONYMS: Record<string, string[]> = {
  date: ['date', 'transaction date', 'posting date', 'txn date', 'invoice date'],
  description: [
    'description',
    'details',
    'memo description',
    'memo',
    'narrative',
    'narration',
    'particulars',
  ],
  account: [
    'account name',
    'ledger account',
    'nominal name',
    'nominal account name',
    'nominal account',
    'nominal description',
    'expense account',
    'gl account',
    'category',
    'account',
  ],
  'account code': ['account code', 'nominal code', 'nominal a c', 'nominal', 'n c', 'gl code', 'ledger code'],
  supplier: ['supplier', 'supplier name', 'contact', 'contact name', 'payee', 'vendor', 'name'],
  reference: ['reference', 'ref', 'invoice number', 'invoice no', 'num'],
  amount: ['amount', 'net', 'net amount', 'value', 'amount net'],
  debit: ['debit', 'dr'],
  credit: ['credit', 'cr'],
};

/** Headers that only Sage's exports are known to use. */
const SAGE_MARKS = [
  'nominal code',
  'nominal a c',
  'nominal',
  'n c',
  'nominal name',
  'ledger account',
  't c',
  'ex ref',
];

export interface ResolvedColumns {
  at: number;
  cols: Map<string, number>;
  format: ColumnFormat;
}

function resolveRow(row: string[]): Omit<ResolvedColumns, 'at'> | null {
  const names = row.map(normHeader);
  const cols = new Map<string, number>();
  const taken = new Set<number>();
  for (const [canonical, synonyms] of Object.entries(SYNONYMS))
    for (const s of synonyms) {
      const j = names.indexOf(s);
      if (j >= 0 && !taken.has(j)) {
        cols.set(canonical, j);
        taken.add(j);
        break;
      }
    }
  // Sage 50: with a nominal column, "Account" is the supplier's account reference
  const accountAt = names.indexOf('account');
  if (accountAt >= 0 && cols.get('account') !== accountAt && !cols.has('supplier'))
    cols.set('supplier', accountAt);
  if (
    accountAt >= 0 &&
    cols.get('account') === accountAt &&
    cols.has('account code') &&
    !cols.has('supplier')
  ) {
    const code = names[cols.get('account code') as number];
    if (code !== 'account code') {
      cols.delete('account');
      cols.set('supplier', accountAt);
    }
  }
  const amount = cols.has('amount') || (cols.has('debit') && cols.has('credit'));
  const account = cols.has('account') || cols.has('account code');
  if (!cols.has('date') || !cols.has('description') || !account || !amount) return null;
  return { cols, format: names.some((n) => SAGE_MARKS.includes(n)) ? 'sage' : 'generic' };
}

/** The first of the first 15 rows that names a date, description, account (or code) and amount (or debit and credit). */
export function resolveColumns(rows: string[][]): ResolvedColumns | null {
  for (let i = 0; i < Math.min(rows.length, 15); i++) {
    const r = resolveRow(rows[i]);
    if (r) return { at: i, ...r };
  }
  return null;
}

/** Sage 50 Accounts' default UK nominal codes (◐ unverified), for exports that give a code without its name. */
export const SAGE_NOMINAL_NAMES: Record<string, string> = {
  '4000': 'Sales',
  '5000': 'Materials purchased',
  '6201': 'Advertising',
  '7000': 'Gross wages',
  '7100': 'Rent',
  '7102': 'Water rates',
  '7103': 'General rates',
  '7200': 'Electricity',
  '7201': 'Gas',
  '7300': 'Fuel and oil',
  '7301': 'Repairs and servicing',
  '7400': 'Travelling',
  '7401': 'Car hire',
  '7402': 'Hotels',
  '7500': 'Printing',
  '7501': 'Postage and carriage',
  '7502': 'Telephone',
  '7504': 'Office stationery',
  '7600': 'Legal fees',
  '7601': 'Audit and accountancy fees',
  '7602': 'Consultancy fees',
  '7603': 'Professional fees',
  '7800': 'Repairs and renewals',
  '7801': 'Cleaning',
  '7900': 'Bank interest paid',
  '7901': 'Bank charges',
  '8000': 'Depreciation',
  '8204': 'Insurance',
  '8205': 'Refreshments',
};
