/** Typed errors of the carbon lib; each has a stable `code` for the HTTP problem mapping. */
export type CarbonErrorCode =
  | 'FACTOR_NOT_FOUND'
  | 'UNIT_NOT_CONVERTIBLE'
  | 'INVALID_ACTIVITY'
  | 'INVALID_INSTRUMENT'
  | 'FACTOR_DATA_INVALID'
  | 'INVALID_INPUT';

export class CarbonError extends Error {
  constructor(
    readonly code: CarbonErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** No factor at all for the activity in the region chain (any year). */
export class FactorNotFoundError extends CarbonError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('FACTOR_NOT_FOUND', message, details);
  }
}

/** The activity's unit cannot be converted to the factor's unit (dimension or CV basis differs). */
export class UnitConversionError extends CarbonError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('UNIT_NOT_CONVERTIBLE', message, details);
  }
}

/** Bad activity data: negative quantity, generation below export, unknown meter role... */
export class InvalidActivityError extends CarbonError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('INVALID_ACTIVITY', message, details);
  }
}

export class InvalidInputError extends CarbonError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('INVALID_INPUT', message, details);
  }
}
