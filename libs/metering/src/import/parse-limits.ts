/**
 * Bounds on what one meter file may cost to parse. A file over a bound is refused whole, with a code
 * (`TOO_LARGE_UNCOMPRESSED`, `TOO_MANY_CELLS`, `LINE_TOO_LONG`, `CELL_TOO_LONG`, `TOO_LARGE`), before
 * the work grows with it. The API sets them from HALVE_IMPORT_MAX_* (libs/platform config).
 */
export interface ParseLimits {
  /** XLSX: the most bytes the parts read (workbook, styles, shared strings, the sheet) may expand to */
  maxUncompressedBytes: number;
  /** XLSX: the most cells of the sheet (each row counted to its last cell) */
  maxCells: number;
  /** CSV and text: the longest line (or quoted record) in characters; also the longest XLSX cell text */
  maxLineChars: number;
  /** Green Button XML (parsed whole): the largest file, in bytes */
  maxXmlBytes: number;
}

export const DEFAULT_PARSE_LIMITS: Readonly<ParseLimits> = {
  maxUncompressedBytes: 256 * 1024 * 1024,
  maxCells: 20_000_000,
  maxLineChars: 1024 * 1024,
  maxXmlBytes: 32 * 1024 * 1024,
};

export function parseLimits(partial: Partial<ParseLimits> | undefined): ParseLimits {
  return { ...DEFAULT_PARSE_LIMITS, ...(partial ?? {}) };
}

/** Excel's own sheet bounds: a file beyond them was not written by a spreadsheet. */
export const EXCEL_MAX_ROWS = 1_048_576;
export const EXCEL_MAX_COLUMNS = 16_384;

/** The most characters of a cell or value quoted in a message (a 50 MB bad cell is not copied into the report). */
export const QUOTE_CHARS = 200;

/** `text`, cut to QUOTE_CHARS characters with the length said when cut. */
export function clip(text: string, max = QUOTE_CHARS): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length.toLocaleString('en')} characters)`;
}

/** A header for messages: each name clipped, at most 30 names. */
export function listColumns(header: readonly string[]): string {
  const shown = header.slice(0, 30).map((h) => clip(h, 60));
  return header.length > 30 ? `${shown.join(', ')}, … (${header.length} columns)` : shown.join(', ');
}

/** Sizes for messages: 600 MB, 1.8 MB, 512 KB. */
export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(n % 1024 ** 3 === 0 ? 0 : 1)} GB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(n % 1024 ** 2 === 0 ? 0 : 1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(n % 1024 === 0 ? 0 : 1)} KB`;
  return `${n} bytes`;
}
