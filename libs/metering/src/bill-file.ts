/**
 * Bulk bills: one row per bill in a CSV or XLSX file, columns named by the header (any case; spaces,
 * underscores and hyphens ignored): meterId, periodFrom, periodTo, quantity, unit (required);
 * supplier, account, cost, currency, tariffName, renewableCertificate (optional). Or a Green Button
 * billing feed (bill-green-button.ts). Read with the import's own readers (encoding sniffing, bounded
 * parsing); rows keep the file's line numbers.
 */
import { createReadStream } from 'node:fs';
import { decodeText, sniffInput } from './import/byte-source';
import { csvTable } from './import/csv-table';
import { FileRejectedError } from './import/file-rejected-error';
import { type GreenButtonFeed, parseGreenButton } from './import/green-button';
import { DEFAULT_PARSE_LIMITS } from './import/parse-limits';
import type { Cell, TableRow } from './import/table';
import { xlsxTable } from './import/xlsx-table';
import type { CreateBillDto } from './dto/bills.dto';
import { BillRuleError } from './bill-rules';

/** At most this many bills per file: a bulk entry, not a meter-data import. */
export const MAX_BILL_ROWS = 5000;

const FIELDS = {
  meterid: 'meterId',
  commodity: 'commodity',
  siteid: 'siteId',
  supplyaddress: 'supplyAddress',
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
const REQUIRED: readonly Field[] = ['periodFrom', 'periodTo', 'quantity', 'unit'];
const NUMBER = /^\d+(\.\d+)?$|^\d{1,3}(,\d{3})+(\.\d+)?$/;

export type BillFile =
  { kind: 'table'; header: string[]; rows: TableRow[] } | { kind: 'green_button'; feed: GreenButtonFeed };

/** A Green Button feed is parsed whole (as by a meter import), within the same byte cap. */
async function readFeed(
  chunks: AsyncIterable<Buffer>,
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be',
): Promise<GreenButtonFeed> {
  const parts: Buffer[] = [];
  let length = 0;
  for await (const c of chunks) {
    length += c.length;
    if (length > DEFAULT_PARSE_LIMITS.maxXmlBytes)
      throw new FileRejectedError(
        'TOO_LARGE',
        `a Green Button feed of bills is at most ${DEFAULT_PARSE_LIMITS.maxXmlBytes} bytes`,
      );
    parts.push(c);
  }
  return parseGreenButton(new TextDecoder(encoding).decode(Buffer.concat(parts)));
}

/** Reads a bills file whole: every row of a CSV or XLSX, or a Green Button feed (by its first bytes). */
export async function readBillFile(path: string): Promise<BillFile> {
  const { format, encoding, chunks } = await sniffInput(createReadStream(path));
  if (format === 'green_button') return { kind: 'green_button', feed: await readFeed(chunks, encoding) };
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
  return { kind: 'table', header: table.header, rows };
}

/** Column index of each known field; refuses a header without the required columns. */
export function billColumns(header: readonly string[]): Map<Field, number> {
  const columns = new Map<Field, number>();
  header.forEach((name, i) => {
    const key = name.toLowerCase().replace(/[\s_-]+/g, '') as keyof typeof FIELDS;
    if (key in FIELDS && !columns.has(FIELDS[key])) columns.set(FIELDS[key], i);
  });
  const missing: string[] = REQUIRED.filter((f) => !columns.has(f));
  // a business without a meter names the commodity (and site or supply address) instead
  if (!columns.has('meterId') && !columns.has('commodity')) missing.unshift('meterId (or commodity)');
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
  if (!text('meterId') && !text('commodity'))
    throw new BillRuleError('meterId', 'meterId is empty (a bill without a meter names its commodity)');
  const cost = text('cost');
  return {
    meterId: text('meterId'),
    commodity: text('commodity')?.toLowerCase() as CreateBillDto['commodity'],
    siteId: text('siteId'),
    supplyAddress: text('supplyAddress'),
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
