import { Readable } from 'node:stream';
import type ExcelJSModule from 'exceljs';
import { FileRejectedError } from './file-rejected-error';
import type { Cell, TableRow, TableSource } from './table';

const SAMPLE_ROWS = 5000;

/** exceljs cell values: plain, rich text, formula results, hyperlinks, errors. */
function toCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || v instanceof Date) return v;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'object') {
    const o = v as { result?: unknown; richText?: { text: string }[]; text?: unknown; error?: unknown };
    if ('result' in o) return toCell(o.result);
    if (Array.isArray(o.richText)) return o.richText.map((r) => r.text).join('');
    if ('text' in o) return toCell(o.text);
    if ('error' in o) return String(o.error);
  }
  return String(v);
}

function rowCells(values: unknown): Cell[] {
  // exceljs row.values is 1-based and sparse
  const arr = Array.isArray(values) ? values : [];
  const out: Cell[] = [];
  for (let i = 1; i < arr.length; i++) out.push(toCell(arr[i]));
  return out;
}

const isEmptyRow = (cells: Cell[]): boolean => cells.every((c) => c === null || c === undefined || (typeof c === 'string' && c.trim() === ''));

interface RowLike {
  number: number;
  values: unknown;
}

/**
 * Stream an XLSX workbook (exceljs streaming reader; sheets that come before the shared
 * strings are spooled to temp files by exceljs): the first sheet, or the named one. Date
 * cells arrive as Date objects holding the wall-clock time as UTC; numbers in a timestamp
 * column are read as Excel serial dates.
 */
export async function xlsxTable(chunks: AsyncIterable<Buffer>, sheet?: string): Promise<TableSource> {
  // loaded on first use: exceljs takes ≈ 0.5 s to load, and most imports are CSV
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ExcelJS = require('exceljs') as typeof ExcelJSModule;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(chunks), {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  const sheets = reader[Symbol.asyncIterator]();
  const seen: string[] = [];
  let ws: AsyncIterable<RowLike> | null = null;
  try {
    for (;;) {
      const r = await sheets.next();
      if (r.done) break;
      const name = (r.value as unknown as { name?: string }).name ?? `Sheet${seen.length + 1}`;
      seen.push(name);
      if (sheet === undefined || name === sheet || name.trim().toLowerCase() === sheet.trim().toLowerCase()) {
        ws = r.value as unknown as AsyncIterable<RowLike>;
        break;
      }
    }
  } catch (e) {
    throw new FileRejectedError('UNSUPPORTED_FORMAT', `the file starts like a zip/XLSX file but could not be read as a workbook: ${(e as Error).message}`);
  }
  if (ws === null) {
    if (sheet !== undefined) throw new FileRejectedError('SHEET_NOT_FOUND', `the workbook has no sheet "${sheet}"; its sheets are: ${seen.join(', ') || '(none)'}`, { sheets: seen });
    throw new FileRejectedError('EMPTY_FILE', 'the workbook has no worksheet');
  }
  const rows = ws[Symbol.asyncIterator]();
  let header: TableRow | null = null;
  const sample: TableRow[] = [];
  let eof = false;
  while (sample.length < SAMPLE_ROWS) {
    const r = await rows.next();
    if (r.done) {
      eof = true;
      break;
    }
    const cells = rowCells(r.value.values);
    if (isEmptyRow(cells)) continue;
    if (header === null) header = { line: r.value.number, cells };
    else sample.push({ line: r.value.number, cells });
  }
  if (header === null) throw new FileRejectedError('EMPTY_FILE', `sheet "${seen[seen.length - 1]}" is empty`);
  async function* rest(): AsyncGenerator<TableRow[]> {
    if (eof) return;
    let out: TableRow[] = [];
    for (;;) {
      const r = await rows.next();
      if (r.done) break;
      const cells = rowCells(r.value.values);
      if (isEmptyRow(cells)) continue;
      out.push({ line: r.value.number, cells });
      if (out.length >= 2048) {
        yield out;
        out = [];
      }
    }
    if (out.length > 0) yield out;
    // let exceljs finish the archive (and clean its temp files)
    for (;;) {
      const r = await sheets.next();
      if (r.done) break;
    }
  }
  return {
    kind: 'xlsx',
    header: header.cells.map((c) => (c instanceof Date ? c.toISOString() : String(c ?? '').trim())),
    headerLine: header.line,
    sample,
    rest: rest(),
  };
}
