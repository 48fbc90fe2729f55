/**
 * Spreadsheet (CSV/XLSX) injection: a cell whose text starts with `=`, `+`, `-`, `@`, tab or carriage return
 * may be read by Excel or LibreOffice as a formula (`=HYPERLINK(…)`, `+cmd|' /C calc'!A0`, `@SUM(…)`).
 * Following OWASP's CSV-injection rules, such a string is prefixed with a single quote, which both programs
 * show as text. Only strings are neutralised: a number (e.g. -4.5 written as a number) is not a formula and
 * stays a number. Every CSV and XLSX writer of the application goes through these functions.
 */

const FORMULA_LEADING = /^[=+\-@\t\r]/;
/** A plain decimal number (`-4.5`, `+12`, `-1e-3`): what a spreadsheet reads as a number, never as a formula. */
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The text a spreadsheet shows as text: formula-leading strings get a leading `'`. A string that is a plain
 * decimal number (exact decimals are carried as strings, e.g. a factor of `-0.25`) is left as it is.
 */
export function spreadsheetSafeText(s: string): string {
  return FORMULA_LEADING.test(s) && !PLAIN_NUMBER.test(s) ? `'${s}` : s;
}

/** A cell value for an XLSX writer: strings neutralised, numbers, booleans, dates and empty cells unchanged. */
export function spreadsheetSafeValue<T>(v: T): T | string {
  return typeof v === 'string' ? spreadsheetSafeText(v) : v;
}

/**
 * One CSV field (RFC 4180): empty for null/undefined; numbers, bigints and booleans as they are; strings
 * neutralised, and quoted when they contain a quote, comma, CR or LF or were neutralised.
 */
export function csvField(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  const raw = v instanceof Date ? v.toISOString() : String(v);
  const s = spreadsheetSafeText(raw);
  return s !== raw || /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line (without its line ending). */
export function csvLine(values: readonly unknown[]): string {
  return values.map(csvField).join(',');
}

/** The parts of an exceljs workbook this module touches (structural, so the platform does not load exceljs). */
interface CellLike {
  value: unknown;
}
interface WorkbookLike {
  eachSheet(
    cb: (sheet: {
      eachRow(cb: (row: { eachCell(cb: (cell: CellLike) => void): void }) => void): void;
    }) => void,
  ): void;
}

/**
 * Makes every string cell of a workbook safe, whichever sheet or row wrote it: the last step before an
 * XLSX is written. (exceljs stores a string starting with `=` as text, not as a formula — a formula is
 * only written from `{ formula }` — but a user who edits such a cell, or saves the sheet as CSV, turns it
 * into one; the rule is applied to XLSX as to CSV.)
 */
export function spreadsheetSafeWorkbook(wb: WorkbookLike): void {
  wb.eachSheet((sheet) =>
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        if (typeof cell.value === 'string') cell.value = spreadsheetSafeText(cell.value);
      }),
    ),
  );
}
