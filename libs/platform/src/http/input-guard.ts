import type { NextFunction, Request, Response } from 'express';
import type { IncomingMessage } from 'node:http';

/** The deepest nesting of objects and arrays a JSON body may have (deeper bodies overflow validation's recursion). */
export const MAX_JSON_DEPTH = 32;

type Req = Request & { id?: string; [SUSPECT_ESCAPES]?: boolean };
const SUSPECT_ESCAPES = Symbol('halve.suspectEscapes');

/** A refusal found while reading the body; bodyErrorMiddleware renders it (status, code, field). */
export class BodyRefusedError extends Error {
  readonly status = 400;
  readonly expose = true;
  constructor(
    readonly type: string,
    readonly code: string,
    message: string,
    readonly field = 'body',
  ) {
    super(message);
  }
}

const isHex = (b: number) => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);

/**
 * The JSON parser's `verify` step: one pass over the raw bytes, before anything is parsed. Refuses a body
 * nested deeper than `maxDepth` (brackets outside strings), and notes whether a string holds a `\u0000` or a
 * `\uD800`–`\uDFFF` escape — only then is the parsed body walked for NULs and lone surrogates (a raw NUL
 * cannot be in valid JSON, and invalid UTF-8 decodes to U+FFFD, never to a surrogate).
 */
export function jsonBodyVerifier(maxDepth = MAX_JSON_DEPTH) {
  return (req: IncomingMessage, _res: unknown, buf: Buffer): void => {
    let depth = 0;
    let inString = false;
    let suspect = false;
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i];
      if (inString) {
        if (b === 0x5c /* \ */) {
          if (buf[i + 1] === 0x75 /* u */ && i + 5 < buf.length) {
            const h0 = buf[i + 2] | 0x20;
            const h1 = buf[i + 3] | 0x20;
            // \u0000, or \uD800–\uDFFF (d then 8–f)
            if (
              (h0 === 0x30 && h1 === 0x30 && buf[i + 4] === 0x30 && buf[i + 5] === 0x30) ||
              (h0 === 0x64 && ((h1 >= 0x38 && h1 <= 0x39) || (h1 >= 0x61 && h1 <= 0x66)) && isHex(buf[i + 4]))
            ) {
              suspect = true;
            }
          }
          i++;
        } else if (b === 0x22 /* " */) inString = false;
      } else if (b === 0x22) inString = true;
      else if (b === 0x7b || b === 0x5b) {
        if (++depth > maxDepth) {
          throw new BodyRefusedError(
            'entity.too.deep',
            'body_too_deep',
            `The request body is nested deeper than ${maxDepth} levels of objects and arrays.`,
          );
        }
      } else if (b === 0x7d || b === 0x5d) depth--;
    }
    if (suspect) (req as Req)[SUSPECT_ESCAPES] = true;
  };
}

/** A string holds a NUL or a UTF-16 surrogate without its pair. */
function badChar(s: string): string | null {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) return 'a NUL character (U+0000)';
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return `a lone surrogate (U+${c.toString(16).toUpperCase()})`;
    } else if (c >= 0xdc00 && c <= 0xdfff) return `a lone surrogate (U+${c.toString(16).toUpperCase()})`;
  }
  return null;
}

/** The first string (value or key) in `root` holding a NUL or lone surrogate, with its path (`items.0.name`). */
export function findBadString(root: unknown, rootPath: string): { field: string; what: string } | null {
  const stack: [unknown, string][] = [[root, rootPath]];
  while (stack.length) {
    const [v, path] = stack.pop() as [unknown, string];
    if (typeof v === 'string') {
      const what = badChar(v);
      if (what) return { field: path, what };
    } else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        const field = path ? `${path}.${k}` : k;
        const what = badChar(k);
        if (what) return { field, what: `${what} in its name` };
        stack.push([child, field]);
      }
    }
  }
  return null;
}

/** Bodies the middleware has already cleared (JSON bodies, whose bytes were scanned), so the pipe skips them. */
const CLEARED = new WeakSet<object>();

/**
 * For the validation pipe: a value that did not come through the JSON/form parsers (multipart fields, parsed
 * by multer inside the route) is checked there; a body the middleware cleared is not walked again.
 */
export function badStringOutsideClearedBody(value: unknown): { field: string; what: string } | null {
  if (value && typeof value === 'object' && CLEARED.has(value)) return null;
  return findBadString(value, '');
}

/**
 * After the body parsers: refuses with 400 a query or body string holding a NUL or a lone surrogate
 * (PostgreSQL cannot store either), naming the field. A JSON body is walked only when its bytes held such an
 * escape; form bodies and the query (small, flat) always.
 */
export function stringGuardMiddleware(req: Req, res: Response, next: NextFunction): void {
  const inQuery = findBadString(req.query, '');
  const inBody =
    inQuery ??
    (req[SUSPECT_ESCAPES] || req.is('application/x-www-form-urlencoded')
      ? findBadString(req.body, '')
      : null);
  if (!inBody) {
    if (req.body && typeof req.body === 'object') CLEARED.add(req.body);
    return next();
  }
  const detail = `${inQuery ? 'Query parameter' : 'Field'} "${inBody.field}" contains ${inBody.what}, which is not accepted.`;
  sendBadRequest(req, res, 'invalid_characters', detail, inBody.field);
}

/** A 400 problem+json naming one field, for the middlewares that answer before Nest's filters. */
export function sendBadRequest(req: Req, res: Response, code: string, detail: string, field: string): void {
  res
    .status(400)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: `https://halve.dev/problems/${code}`,
        title: 'Bad request',
        status: 400,
        detail,
        code,
        errors: [{ field, message: detail }],
        instance: req.originalUrl,
        requestId: req.id,
      }),
    );
}
