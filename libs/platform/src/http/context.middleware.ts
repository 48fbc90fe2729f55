import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { RequestContext } from '../context/request-context';
import { requestWorkContext } from '../database/database.module';
import { BodyRefusedError, sendBadRequest } from './input-guard';

type Req = Request & { id?: string };

/** Gives the request an id (or keeps the caller's `X-Request-Id`) and echoes it. Runs before the body parsers. */
export function requestIdMiddleware(req: Req, res: Response, next: NextFunction): void {
  const incoming = req.header('x-request-id');
  req.id = incoming && /^[\w.:-]{1,100}$/.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', req.id);
  next();
}

/**
 * Opens the request context (AsyncLocalStorage). Runs after the body parsers, whose callbacks would lose it.
 * The context is marked as request work: its database statements run under the request statement timeout.
 */
export function contextMiddleware(req: Req, _res: Response, next: NextFunction): void {
  RequestContext.run(requestWorkContext(req.id ?? randomUUID()), next);
}

/** Body-parser failures (malformed JSON, too large) as problem+json, before they reach any route. */
export function bodyErrorMiddleware(err: unknown, req: Req, res: Response, next: NextFunction): void {
  const e = err as { type?: string; status?: number; limit?: number; message?: string };
  if (!e || typeof e.type !== 'string' || !e.status) return next(err);
  if (err instanceof BodyRefusedError) return sendBadRequest(req, res, err.code, err.message, err.field);
  const tooLarge = e.type === 'entity.too.large';
  const status = tooLarge ? 413 : e.status;
  const code = tooLarge
    ? 'payload_too_large'
    : e.type === 'entity.parse.failed'
      ? 'malformed_json'
      : e.type.replace(/\W+/g, '_');
  const detail = tooLarge
    ? `The request body is larger than the limit of ${e.limit} bytes.`
    : e.type === 'entity.parse.failed'
      ? `The request body is not valid JSON: ${e.message}`
      : (e.message ?? 'Bad request');
  res
    .status(status)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: `https://halve.dev/problems/${code}`,
        title: tooLarge ? 'Payload too large' : 'Bad request',
        status,
        detail,
        code,
        ...(tooLarge ? { limitBytes: e.limit } : { errors: [{ field: 'body', message: detail }] }),
        instance: req.originalUrl,
        requestId: req.id,
      }),
    );
}
