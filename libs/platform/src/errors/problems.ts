import { HttpStatus } from '@nestjs/common';

/** One field or line at fault in a bad request. */
export interface ProblemField {
  field?: string;
  line?: number;
  message: string;
}

/**
 * A typed application error with a stable code, mapped once to an HTTP status and rendered as
 * `application/problem+json` (RFC 9457) by the ProblemFilter.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: ProblemField[],
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, id?: string) {
    super(HttpStatus.NOT_FOUND, 'not_found', id ? `${what} ${id} was not found.` : `${what} was not found.`);
  }
}

export class BadInputError extends AppError {
  constructor(message: string, fields?: ProblemField[], extra?: Record<string, unknown>) {
    super(HttpStatus.BAD_REQUEST, 'bad_input', message, fields, extra);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, code = 'conflict', extra?: Record<string, unknown>) {
    super(HttpStatus.CONFLICT, code, message, undefined, extra);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Your role does not allow this action.') {
    super(HttpStatus.FORBIDDEN, 'forbidden', message);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Authentication is required.') {
    super(HttpStatus.UNAUTHORIZED, 'unauthorized', message);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number, what = 'The request body') {
    super(
      HttpStatus.PAYLOAD_TOO_LARGE,
      'payload_too_large',
      `${what} is larger than the limit of ${limitBytes} bytes.`,
      undefined,
      {
        limitBytes,
      },
    );
  }
}

export class UnprocessableError extends AppError {
  constructor(message: string, fields?: ProblemField[], extra?: Record<string, unknown>) {
    super(HttpStatus.UNPROCESSABLE_ENTITY, 'unprocessable', message, fields, extra);
  }
}
