/**
 * The messages between the embedded database's driver (the API thread, `pglite-driver.ts`) and the
 * thread that owns the PGlite instance (`pglite-thread.ts`). Both sides import this file, so it must
 * stay free of anything heavy (no NestJS, no TypeORM, no PGlite).
 *
 * Values cross the thread boundary by structured clone: strings, numbers, booleans, bigints, null,
 * Dates, typed arrays and arrays of those arrive as they were. Any other object (a plain object for a
 * json column, a Decimal, …) would lose its prototype on the way — `toString` and `toJSON` with it — so
 * a parameter object travels as its two renderings, and the thread rebuilds an object that renders
 * the same way: PGlite serialises a parameter with `JSON.stringify` (json, jsonb) or `toString` (text,
 * numeric, …), so the database receives exactly what it would have received in this thread.
 */

/** What TypeORM's postgres driver reads from a result (`pg`'s shape). */
export interface PgResult {
  rows: unknown[];
  rowCount: number;
  command: string;
  fields: { name: string; dataTypeID: number }[];
}

export type ThreadRequest =
  | { id: number; op: 'query'; sql: string; params: unknown[] }
  | { id: number; op: 'exec'; sql: string }
  | { id: number; op: 'ping' }
  /** Writes the whole database (PGlite's dumpDataDir tarball) to `path`: whole or not at all. */
  | { id: number; op: 'dump'; path: string }
  | { id: number; op: 'close' };

/** A ping's answer: the database ran `SELECT 1`; `inTransaction` says whether a transaction block was open around it. */
export interface PingAnswer {
  inTransaction: boolean;
}

export type ThreadReply =
  | { id: number; ok: true; result: PgResult | PingAnswer | null }
  | { id: number; ok: false; error: ErrorData };

/** Sent once by the thread: the database is open, or it could not be opened. */
export type ThreadEvent = { t: 'ready' } | { t: 'failed'; error: ErrorData };

export interface PgliteThreadData {
  dataDir: string;
  /** A dump (`op: 'dump'`) an in-memory database starts from instead of an empty cluster. */
  loadFrom?: string;
  /**
   * A BigInt64Array over this buffer: [0] = when the statement now running started (ms since the
   * epoch; 0 when none runs). The thread writes it around each statement; the driver reads it to tell
   * a thread that is busy with a long statement from one that does not answer.
   */
  status: SharedArrayBuffer;
}

export const STATUS_STARTED_AT = 0;
export const STATUS_SLOTS = 2;

/** An error as data: name, message, stack, and every primitive field (PostgreSQL's `code`, `detail`, `constraint`, …). */
export interface ErrorData {
  name: string;
  message: string;
  stack?: string;
  fields: Record<string, string | number | boolean | null>;
}

export function errorData(err: unknown): ErrorData {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err), fields: {} };
  const fields: ErrorData['fields'] = {};
  const source = err as unknown as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    if (key === 'name' || key === 'message' || key === 'stack') continue;
    const v = source[key];
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
      fields[key] = v;
  }
  return { name: err.name, message: err.message, stack: err.stack, fields };
}

/**
 * An error raised in the database thread, rebuilt in the caller's thread: an `Error` (its stack is
 * the caller's, the thread's stack follows it) carrying the same `name` (PGlite's database errors
 * are named `error`, as `pg`'s are) and fields (`code`, `severity`, `detail`, `constraint`, …),
 * which TypeORM's `QueryFailedError` copies.
 */
export class EmbeddedDatabaseError extends Error {
  [field: string]: unknown;
  constructor(data: ErrorData) {
    super(data.message);
    Object.assign(this, data.fields);
    Object.defineProperty(this, 'name', {
      value: data.name,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    if (data.stack)
      this.stack = `${this.stack}\n    --- in the embedded database thread ---\n${data.stack.split('\n').slice(1).join('\n')}`;
  }
}

const WRAPPED = '__halvePgParam';

interface WrappedParam {
  [WRAPPED]: 1;
  text: string | null;
  json: string | null;
}

const bigintAsString = (_key: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);

/** A query parameter made safe to clone (see the file's comment). */
export function encodeParam(v: unknown): unknown {
  if (v === null || v === undefined) return v;
  const type = typeof v;
  if (type === 'function' || type === 'symbol') throw new TypeError(`A query parameter cannot be a ${type}.`);
  if (type !== 'object') return v;
  // a Date from another realm (a result cloned back from the thread, read under jest's VM) is no `instanceof Date` here
  if (v instanceof Date || Object.prototype.toString.call(v) === '[object Date]' || ArrayBuffer.isView(v))
    return v;
  if (Array.isArray(v)) return v.map(encodeParam);
  let text: string | null = null;
  try {
    text = String(v);
  } catch {
    // an object without toString (null prototype): PGlite would fail on it too, and says so in the thread
  }
  const json = JSON.stringify(v, bigintAsString) as string | undefined;
  const wrapped: WrappedParam = { [WRAPPED]: 1, text, json: json ?? null };
  return wrapped;
}

class RenderedParam {
  constructor(
    private readonly text: string | null,
    private readonly json: string | null,
  ) {}
  toString(): string {
    if (this.text === null) throw new TypeError('A query parameter object has no string form (toString).');
    return this.text;
  }
  toJSON(): unknown {
    return this.json === null ? undefined : JSON.parse(this.json);
  }
}

/** The thread's side of `encodeParam`. */
export function decodeParam(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(decodeParam);
  const w = v as Partial<WrappedParam>;
  if (w[WRAPPED] === 1) return new RenderedParam(w.text ?? null, w.json ?? null);
  return v;
}
