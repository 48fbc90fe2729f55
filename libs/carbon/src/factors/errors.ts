import { HttpStatus } from '@nestjs/common';
import { AppError } from '@halve/platform';

/** Typed errors of the carbon lib; each has a stable `carbonCode`, and is an AppError the ProblemFilter answers with. */
export type CarbonErrorCode =
  | 'FACTOR_NOT_FOUND'
  | 'UNIT_NOT_CONVERTIBLE'
  | 'INVALID_ACTIVITY'
  | 'INVALID_INSTRUMENT'
  | 'FACTOR_DATA_INVALID'
  | 'INVALID_INPUT';

/**
 * A calculation the data cannot support (no factor, unconvertible unit, bad activity): 422
 * `unprocessable`, the carbon code and details in the problem (`carbonCode`, e.g. `from`/`to`).
 */
export class CarbonError extends AppError {
  constructor(
    readonly carbonCode: CarbonErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(...CarbonError.problem(carbonCode, message, details));
    this.name = new.target.name;
  }

  private static problem(
    carbonCode: CarbonErrorCode,
    message: string,
    details: Record<string, unknown>,
  ): ConstructorParameters<typeof AppError> {
    // Bad request parameters (an empty period, a base year after the year): a plain 400 bad_input.
    if (carbonCode === 'INVALID_INPUT') return [HttpStatus.BAD_REQUEST, 'bad_input', message];
    return [HttpStatus.UNPROCESSABLE_ENTITY, 'unprocessable', message, undefined, { carbonCode, ...details }];
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

/** Bad request parameters: 400 `bad_input`. */
export class InvalidInputError extends CarbonError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('INVALID_INPUT', message, details);
  }
}

/**
 * A shipped data file (emission factors, grid-intensity profiles) is missing or malformed: a fault
 * on our side, not the request's, so not an AppError: the ProblemFilter answers 500 without the
 * file's path and logs the message.
 */
export class CarbonDataError extends Error {
  readonly carbonCode = 'FACTOR_DATA_INVALID' as const;

  constructor(message: string) {
    super(message);
    this.name = 'CarbonDataError';
  }
}
