import { parse } from 'csv-parse/sync';
import { toDecimal } from '../factors/decimal';
import { resolveColumns } from './ledger-columns';

/**
 * Accounting exports → ledger lines (pure). Layouts: Xero "Account Transactions", QuickBooks Online
 * "Transaction Detail by Account" / "General Ledger" (../shared/data/spend-factors/ledger-samples/LAYOUTS.md),
 * and column-named CSVs (ledger-columns.ts): Sage audit trail / nominal activity exports (unverified) and a
 * generic CSV with date, description, account (or account code), amount (or debit and credit) columns under
 * any of their usual names. Positive amount = spend (a debit); credits and refunds are negative.
 */
export type LedgerFormat = 'xero' | 'quickbooks' | 'sage' | 'generic';

export interface LedgerLine {
  /** 1-based line number in the file. */
  lineNo: number;
  /** ISO date. */
  date: string;
  description: string;
  account: string;
  accountCode?: string;
  supplier?: string;
  reference?: string;
  /** Exact decimal string; positive = spend. */
  amount: string;
  /** A category chosen by hand for this line only (not a rule): it stays when rules are applied again. */
  manualCategory?: string;
}

export interface LedgerProblem {
  lineNo: number;
  message: string;
  excerpt: string;
}

export interface ParsedLedger {
  format: LedgerFormat;
  lines: LedgerLine[];
  problems: LedgerProblem[];
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const pad = (n: number) => String(n).padStart(2, '0');

function validIso(y: number, m: number, d: number): string | null {
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** ISO `YYYY-MM-DD`, Xero `DD Mon YYYY`, or `MM/DD/YYYY` (QuickBooks) / `DD/MM/YYYY` (Sage). */
export function parseLedgerDate(raw: string, format: LedgerFormat): string | null {
  const s = raw.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m) return validIso(+m[1], +m[2], +m[3]);
  m = /^(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{4})$/.exec(s);
  if (m) {
    const month = MONTHS.indexOf(m[2].toLowerCase()) + 1;
    return month ? validIso(+m[3], month, +m[1]) : null;
  }
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
  if (m && format === 'quickbooks') return validIso(+m[3], +m[1], +m[2]);
  if (m && format === 'sage') return validIso(+m[3], +m[2], +m[1]);
  return null;
}

/** `1,250.00`, `-12.5`, `(12.50)`, `£12.50` → exact decimal string, or null; '' → '0'. */
export function parseLedgerAmount(raw: string | undefined): string | null {
  let s = (raw ?? '').trim().replace(/[£$€\s]/g, '');
  if (s === '') return '0';
  let negative = false;
  if (/^\(.*\)$/.test(s)) {
    negative = true;
    s = s.slice(1, -1);
  }
  if (!/^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/.test(s)) return null;
  const v = toDecimal(s.replace(/,/g, ''));
  return (negative ? v.neg() : v).toFixed();
}

const excerptOf = (cells: string[]) => {
  const t = cells.join(',');
  return t.length > 80 ? `${t.slice(0, 77)}...` : t;
};

const readRows = (text: string): string[][] =>
  parse(text, { relax_column_count: true, skip_empty_lines: false, bom: true, trim: true }) as string[][];

const norm = (h: string) =>
  h
    .trim()
    .toLowerCase()
    .replace(/[\s/_-]+/g, ' ');

/** The first row holding all `required` header names (normalised), with its column positions. */
function findHeader(rows: string[][], required: string[]): { at: number; cols: Map<string, number> } | null {
  for (let i = 0; i < Math.min(rows.length, 15); i++) {
    const cols = new Map(rows[i].map((h, j) => [norm(h), j] as const));
    if (required.every((r) => cols.has(r))) return { at: i, cols };
  }
  return null;
}

/** Detects the layout from its header row. */
export function detectLedgerFormat(text: string): LedgerFormat | null {
  const rows = readRows(text);
  if (findHeader(rows, ['date', 'source', 'description', 'debit', 'credit'])) return 'xero';
  if (findHeader(rows, ['date', 'transaction type', 'name', 'memo description', 'amount']))
    return 'quickbooks';
  return resolveColumns(rows)?.format ?? null;
}

export { readRows, findHeader, excerptOf };
