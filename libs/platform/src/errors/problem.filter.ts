import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Inject,
  Logger,
  Optional,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '../config/config';
import { AppError, ProblemField } from './problems';
import {
  DependencyEndpoints,
  ServiceUnavailableError,
  queueEndpoint,
  toServiceUnavailable,
} from './unavailable';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code?: string;
  errors?: ProblemField[];
  requestId?: string;
  [k: string]: unknown;
}

/** Every error leaves as application/problem+json, with the fields or lines at fault for bad input. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');
  private readonly endpoints: DependencyEndpoints;

  constructor(@Optional() @Inject(APP_CONFIG) config?: AppConfig) {
    this.endpoints = { queue: queueEndpoint(config?.redisUrl) };
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request & { id?: string }>();
    // A database or Redis that refuses, resets or times out is a 503 to retry later, never a 500.
    const unavailable = toServiceUnavailable(exception, this.endpoints);
    const problem = this.toProblem(unavailable ?? exception);
    problem.instance = req.originalUrl ?? req.url;
    if (req.id) problem.requestId = String(req.id);
    if (unavailable)
      this.logger.warn(
        `${req.method} ${problem.instance}: ${unavailable.dependency} unavailable: ${describe(exception)}`,
      );
    else if (problem.status >= 500)
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    if (res.headersSent) return;
    if (unavailable) res.setHeader('Retry-After', String(unavailable.retryAfterSeconds));
    else if (typeof problem.retryAfterSeconds === 'number')
      res.setHeader('Retry-After', String(problem.retryAfterSeconds));
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown): Problem {
    if (exception instanceof AppError) {
      return {
        type: `https://halve.dev/problems/${exception.code}`,
        title: TITLES[exception.status] ?? 'Error',
        status: exception.status,
        detail: exception.message,
        code: exception.code,
        ...(exception.fields ? { errors: exception.fields } : {}),
        ...(exception.extra ?? {}),
      };
    }
    const bodyParser = exception as { type?: string; status?: number; limit?: number; message?: string };
    if (
      bodyParser &&
      typeof bodyParser === 'object' &&
      typeof bodyParser.type === 'string' &&
      bodyParser.status
    ) {
      if (bodyParser.type === 'entity.too.large') {
        return this.simple(
          413,
          'payload_too_large',
          `The request body is larger than the limit of ${bodyParser.limit} bytes.`,
        );
      }
      if (bodyParser.type === 'entity.parse.failed') {
        return {
          ...this.simple(400, 'malformed_json', `The request body is not valid JSON: ${bodyParser.message}`),
          errors: [{ field: 'body', message: 'not valid JSON' }],
        };
      }
      return this.simple(
        bodyParser.status,
        bodyParser.type.replace(/\W+/g, '_'),
        bodyParser.message ?? 'Bad request',
      );
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse() as
        string | { message?: string | string[]; errors?: ProblemField[] };
      if (typeof response === 'object' && response.errors) {
        return {
          ...this.simple(status, 'bad_input', String(response.message ?? 'Invalid input')),
          errors: response.errors,
        };
      }
      const message =
        typeof response === 'string'
          ? response
          : Array.isArray(response.message)
            ? response.message.join('; ')
            : (response.message ?? exception.message);
      const code =
        status === HttpStatus.TOO_MANY_REQUESTS
          ? 'rate_limited'
          : status === 404
            ? 'not_found'
            : `http_${status}`;
      return this.simple(status, code, message);
    }
    return this.simple(
      500,
      'internal',
      'Something went wrong on our side. The request id identifies it in the logs.',
    );
  }

  private simple(status: number, code: string, detail: string): Problem {
    return {
      type: `https://halve.dev/problems/${code}`,
      title: TITLES[status] ?? 'Error',
      status,
      detail,
      code,
    };
  }
}

function describe(err: unknown): string {
  if (err instanceof ServiceUnavailableError) return err.message;
  const e = err as { name?: unknown; message?: unknown; code?: unknown } | null;
  if (typeof e?.message !== 'string') return String(err);
  return `${String(e.name ?? 'Error')}: ${e.message}${e.code ? ` (${String(e.code)})` : ''}`;
}
