/**
 * Bulk bills: one row per bill in a CSV or XLSX file, columns named by the header (any case; spaces,
 * underscores and hyphens ignored): meterId, periodFrom, periodTo, quantity, unit (required);
 * supplier, account, cost, currency, tariffName, renewableCertificate (optional). Read with the
 * import's own readers (encoding sniffing, bounded parsing); rows keep the file's line numbers.
 */
import { createReadStream } from 'node:fs';
import { decodeText, sniffInput } from './import/byte-source';
import { csvTable } from './import/csv-table';
import { FileRejectedError } from './import/file-rejected-error';
import { DEFAULT_PARSE_LIMITS } from './import/parse-limits';
import type { Cell, TableRow } from './import/table';
import { xlsxTable } from './import/xlsx-table';
import type { CreateBillDto } from './dto/bills.dto';
import { BillRuleError } from './bill-rules';

/** At most this many bills per file: a bulk entry, not a meter-data import. */
export const MAX_BILL_ROWS = 5000;

const FIELDS = {
  meterid: 'meterId',
  periodfrom: 'periodFrom',
  periodto: 'periodTo',
  quantity: 'quantity',
  unit: 'unit',
  supplier: 'supplier',
  account: 'account',
  cost: 'cost',
  currency: 'currency',
  tariffname: 'tariffName',
  renewablecertificate: 'renewableCertificate',
} as const;
type Field = (typeof FIELDS)[keyof typeof FIELDS];
const REQUIRED: readonly Field[] = ['meterId', 'periodFrom', 'periodTo', 'quantity', 'unit'];
const NUMBER = /^\d+(\.\d+)?$|^\d{1,3}(,\d{3})+(\.\d+)?$/;

export interface BillFileRows {
  header: string[];
  rows: TableRow[];
}

/** Reads every row of a bills file (CSV or XLSX by its first bytes); refuses Green Button XML and empty files. */
export async function readBillFile(path: string): Promise<BillFileRows> {
  const { format, encoding, chunks } = await sniffInput(createReadStream(path));
  if (format === 'green_button')
    throw new FileRejectedError('UNSUPPORTED_FORMAT', 'a bills file is CSV or XLSX with one row per bill');
  const table =
    format === 'xlsx'
      ? await xlsxTable({ path, chunks }, undefined, DEFAULT_PARSE_LIMITS)
      : await csvTable(decodeText(chunks, encoding), DEFAULT_PARSE_LIMITS.maxLineChars);
  const rows = [...table.sample];
  for await (const batch of table.rest) {
    rows.push(...batch);
    if (rows.length > MAX_BILL_ROWS) break;
  }
  await table.close?.();
  if (rows.length > MAX_BILL_ROWS)
    throw new FileRejectedError('TOO_LARGE', `a bills file holds at most ${MAX_BILL_ROWS} bills`);
  return { header: table.header, rows };
}

/** Column index of each known field; refuses a header without the required columns. */
export function billColumns(header: readonly string[]): Map<Field, number> {
  const columns = new Map<Field, number>();
  header.forEach((name, i) => {
    const key = name.toLowerCase().replace(/[\s_-]+/g, '') as keyof typeof FIELDS;
    if (key in FIELDS && !columns.has(FIELDS[key])) columns.set(FIELDS[key], i);
  });
  const missing = REQUIRED.filter((f) => !columns.has(f));
  if (missing.length)
    throw new BillRuleError('file', `the header lacks ${missing.join(', ')} (found: ${header.join(', ')})`);
  return columns;
}

function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  // XLSX dates hold the wall-clock date as UTC
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  return String(cell).trim();
}

function cellNumber(cell: Cell, field: string): number {
  if (typeof cell === 'number') return cell;
  const text = cellText(cell);
  if (!NUMBER.test(text))
    throw new BillRuleError(field, `${field} must be a number such as 3100.5, got "${text}"`);
  return Number(text.replace(/,/g, ''));
}

/** One row → a bill's fields (the same as a single bill's body); a BillRuleError names the bad column. */
export function billFromRow(columns: Map<Field, number>, cells: readonly Cell[]): CreateBillDto {
  const cell = (f: Field): Cell => {
    const i = columns.get(f);
    return i === undefined ? undefined : cells[i];
  };
  const text = (f: Field): string | undefined => cellText(cell(f)) || undefined;
  for (const f of REQUIRED) if (!text(f)) throw new BillRuleError(f, `${f} is empty`);
  const cost = text('cost');
  return {
    meterId: text('meterId') ?? '',
    periodFrom: text('periodFrom') ?? '',
    periodTo: text('periodTo') ?? '',
    quantity: cellNumber(cell('quantity'), 'quantity'),
    unit: text('unit') ?? '',
    supplier: text('supplier'),
    account: text('account'),
    cost: cost === undefined ? undefined : cellNumber(cell('cost'), 'cost'),
    currency: text('currency')?.toUpperCase(),
    tariffName: text('tariffName'),
    renewableCertificate: text('renewableCertificate'),
  };
}
