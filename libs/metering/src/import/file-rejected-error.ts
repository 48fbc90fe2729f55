/** Why a whole file is refused (nothing from it may be stored). */
export type FileRejectionCode =
  | 'EMPTY_FILE'
  | 'HEADER_ONLY'
  | 'NO_TIMESTAMP_COLUMN'
  | 'NO_VALUE_COLUMN'
  | 'BINARY'
  | 'WRONG_UNIT'
  | 'WRONG_DELIMITER'
  | 'UNSUPPORTED_FORMAT'
  | 'UNKNOWN_DATE_FORMAT'
  | 'SHEET_NOT_FOUND'
  | 'INVALID_XML'
  | 'BROKEN_FEED'
  | 'NO_SERIES'
  | 'AMBIGUOUS_SERIES'
  | 'TOO_LARGE'
  /** an XLSX whose sheet or shared strings expand past HALVE_IMPORT_MAX_UNCOMPRESSED (declared or actual) */
  | 'TOO_LARGE_UNCOMPRESSED'
  /** an XLSX sheet over HALVE_IMPORT_MAX_CELLS cells, or beyond Excel's own rows and columns */
  | 'TOO_MANY_CELLS'
  /** a CSV/text line (or quoted record) over HALVE_IMPORT_MAX_LINE characters */
  | 'LINE_TOO_LONG'
  /** an XLSX cell text (or XML text/tag) over HALVE_IMPORT_MAX_LINE characters */
  | 'CELL_TOO_LONG'
  /** a zip (XLSX) cut short: its directory at the end is missing, or an entry's data ends early */
  | 'TRUNCATED_FILE'
  /** a zip (XLSX) whose structure is inconsistent (entry larger than declared, bad headers, encrypted) */
  | 'CORRUPT_FILE'
  | 'INVALID_OPTIONS'
  | 'INTERVAL_MISMATCH';

/**
 * A whole-file refusal: the file has the wrong shape, so none of it may be stored.
 * `message` names what is wrong and where, in words a user can act on.
 */
export class FileRejectedError extends Error {
  constructor(
    readonly code: FileRejectionCode,
    message: string,
    /** extra facts for the API's problem+json body (columns found, units, series...) */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'FileRejectedError';
  }
}
