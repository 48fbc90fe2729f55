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
