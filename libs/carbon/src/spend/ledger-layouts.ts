import { toDecimal } from '../factors/decimal';
import { resolveColumns, SAGE_NOMINAL_NAMES } from './ledger-columns';
import {
  detectLedgerFormat,
  excerptOf,
  findHeader,
  parseLedgerAmount,
  parseLedgerDate,
  readRows,
  type LedgerFormat,
  type LedgerLine,
  type LedgerProblem,
  type ParsedLedger,
} from './ledger-parse';

/** What each layout calls its columns (normalised header names). */
const LAYOUTS: Record<LedgerFormat, { required: string[]; optional: Record<string, string> }> = {
  xero: {
    required: ['date', 'source', 'description', 'debit', 'credit'],
    optional: {
      reference: 'reference',
      accountCode: 'account code',
      supplier: 'contact',
      account: 'account',
    },
  },
  quickbooks: {
    required: ['date', 'transaction type', 'name', 'memo description', 'amount'],
    optional: { reference: 'num', account: 'account' },
  },
  // column-named layouts: the header is found by synonyms (ledger-columns.ts), under these canonical names
  sage: {
    required: ['date', 'details', 'nominal code or name', 'net (or debit and credit)'],
    optional: { supplier: 'supplier', accountCode: 'account code', reference: 'reference' },
  },
  generic: {
    required: ['date', 'description', 'account', 'amount'],
    optional: { supplier: 'supplier', accountCode: 'account code', reference: 'reference' },
  },
};

const columnNamed = (f: LedgerFormat) => f === 'generic' || f === 'sage';

const DATE_FORMS: Record<LedgerFormat, string> = {
  xero: 'YYYY-MM-DD or DD Mon YYYY',
  quickbooks: 'MM/DD/YYYY',
  sage: 'DD/MM/YYYY',
  generic: 'YYYY-MM-DD or DD Mon YYYY',
};

/** Rows that are headings, totals or balances in the Xero/QuickBooks layouts, not transactions. */
const NOT_A_TRANSACTION = /^(opening balance|closing balance|beginning balance|total\b|total for\b)/i;

interface RowContext {
  format: LedgerFormat;
  cols: Map<string, number>;
  lineNo: number;
  group: string;
}

const cell = (row: string[], cols: Map<string, number>, name: string): string | undefined => {
  const j = cols.get(name);
  return j === undefined ? undefined : row[j]?.trim();
};

function amountOf(row: string[], c: RowContext): string | null {
  if (c.format !== 'xero' && c.cols.has('amount')) return parseLedgerAmount(cell(row, c.cols, 'amount'));
  const debit = parseLedgerAmount(cell(row, c.cols, 'debit'));
  const credit = parseLedgerAmount(cell(row, c.cols, 'credit'));
  return debit === null || credit === null ? null : toDecimal(debit).minus(credit).toFixed();
}

/** Xero's description reads "<contact> - <description>": the contact is the supplier. */
function supplierOf(row: string[], c: RowContext, description: string): string | undefined {
  const named = cell(row, c.cols, LAYOUTS[c.format].optional.supplier ?? '') || undefined;
  if (named) return named;
  if (c.format === 'quickbooks') return cell(row, c.cols, 'name') || undefined;
  if (c.format === 'xero' && description.includes(' - ')) return description.split(' - ')[0].trim();
  return undefined;
}

function lineOf(row: string[], c: RowContext): LedgerLine | LedgerProblem {
  const problem = (message: string): LedgerProblem => ({
    lineNo: c.lineNo,
    message,
    excerpt: excerptOf(row),
  });
  const rawDate = cell(row, c.cols, 'date') ?? '';
  const date = parseLedgerDate(rawDate, c.format);
  if (!date) return problem(`date '${rawDate}' is not a date (${DATE_FORMS[c.format]})`);
  const amount = amountOf(row, c);
  if (amount === null) return problem('amount is not a number');
  const description = cell(row, c.cols, c.format === 'quickbooks' ? 'memo description' : 'description') ?? '';
  const opt = LAYOUTS[c.format].optional;
  const accountCode = cell(row, c.cols, opt.accountCode ?? '') || undefined;
  const named = (cell(row, c.cols, opt.account ?? 'account') || c.group).trim();
  const account = named || (accountCode ? (SAGE_NOMINAL_NAMES[accountCode] ?? `Nominal ${accountCode}`) : '');
  if (!account) return problem('no account (no account column and no account heading above the line)');
  return {
    lineNo: c.lineNo,
    date,
    description,
    account,
    accountCode,
    supplier: supplierOf(row, c, description),
    reference: cell(row, c.cols, opt.reference ?? '') || undefined,
    amount,
  };
}

/** A heading row names the account of the lines below it (first cell only, or the QuickBooks label cell). */
function headingOf(row: string[]): string | null {
  const filled = row.filter((v) => v !== '');
  return filled.length === 1 && row[0] !== '' ? row[0] : null;
}

/** Parses an export; `format` is detected from the header row when not given. */
export function parseLedger(text: string, format?: LedgerFormat): ParsedLedger | LedgerProblem {
  if (!text.trim()) return { lineNo: 0, message: 'the file is empty', excerpt: '' };
  const fmt = format ?? detectLedgerFormat(text);
  if (!fmt)
    return {
      lineNo: 0,
      message:
        'no header row found: expected a Xero Account Transactions, QuickBooks Transaction Detail, Sage audit trail or a CSV with date, description, account, amount columns',
      excerpt: excerptOf(text.split(/\r?\n/, 1)),
    };
  const rows = readRows(text);
  const header = columnNamed(fmt) ? resolveColumns(rows) : findHeader(rows, LAYOUTS[fmt].required);
  if (!header)
    return { lineNo: 0, message: `no ${fmt} header row (${LAYOUTS[fmt].required.join(', ')})`, excerpt: '' };
  const out: ParsedLedger = { format: fmt, lines: [], problems: [] };
  const c: RowContext = { format: fmt, cols: header.cols, lineNo: 0, group: '' };
  for (let i = header.at + 1; i < rows.length; i++) {
    const row = rows[i];
    c.lineNo = i + 1;
    if (row.every((v) => v === '')) continue;
    const label = row[0] ?? '';
    if (NOT_A_TRANSACTION.test(label) || NOT_A_TRANSACTION.test(row[1] ?? '')) continue;
    const heading = columnNamed(fmt) ? null : headingOf(row);
    if (heading !== null) {
      c.group = heading;
      continue;
    }
    // QuickBooks detail rows leave the first cell empty: anything else there is a total or the footer
    if (fmt === 'quickbooks' && label !== '') continue;
    if (!columnNamed(fmt) && !cell(row, c.cols, 'date')) continue; // footer (basis, timestamp) or a split's continuation
    const r = lineOf(row, c);
    if ('message' in r) out.problems.push(r);
    else out.lines.push(r);
  }
  if (!out.lines.length && !out.problems.length)
    out.problems.push({
      lineNo: header.at + 1,
      message: 'the file has a header but no transaction lines',
      excerpt: '',
    });
  return out;
}
