import { HttpStatus } from '@nestjs/common';
import { AppError } from './problems';

/** A service this process depends on: PostgreSQL (or the embedded database), or Redis (the BullMQ queue). */
export type Dependency = 'database' | 'queue';

/** What a client is told to wait before retrying, when a dependency is down (the `Retry-After` header). */
export const RETRY_AFTER_SECONDS = 5;

/**
 * A dependency did not answer: the request may succeed later, so it is a 503 with `Retry-After`,
 * never a 500. Code `SERVICE_UNAVAILABLE`; the body names the dependency (`database` or `queue`).
 */
export class ServiceUnavailableError extends AppError {
  constructor(
    readonly dependency: Dependency,
    message = dependency === 'database'
      ? 'The database is not answering.'
      : 'The job queue (Redis) is not answering.',
    readonly retryAfterSeconds = RETRY_AFTER_SECONDS,
    options?: { cause?: unknown },
  ) {
    super(
      HttpStatus.SERVICE_UNAVAILABLE,
      'SERVICE_UNAVAILABLE',
      `${message} Retry in ${retryAfterSeconds} s.`,
      undefined,
      {
        dependency,
        retryAfterSeconds,
      },
    );
    this.name = 'ServiceUnavailableError';
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

/** Socket-level failures: the peer refused, reset, timed out or cannot be resolved. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL SQLSTATEs that mean "the server cannot serve you now": class 08 (connection exception),
 * 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now (starting up, recovering),
 * 53300 too many connections.
 */
function isUnavailableSqlState(code: string): boolean {
  return (
    code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300'
  );
}

/** node-postgres / pg-pool / the embedded driver: failures that carry no SQLSTATE, known by their message. */
const DATABASE_MESSAGES = [
  /^Connection terminated/, // "… unexpectedly", "… due to connection timeout" (pg Client)
  /^timeout exceeded when trying to connect/, // pg-pool: no connection within connectionTimeoutMillis
  /is not queryable/, // pg Client after a connection error or close
  /^Query read timeout/, // pg query_timeout
  /^Cannot use a pool after calling end on the pool/, // shutting down
  /embedded database was busy/i, // the embedded driver's lease timeout (pglite-driver.ts)
];

/** 57014 is also a cancel by request: only the statement_timeout one says "took too long, retry". */
const STATEMENT_TIMEOUT = /statement timeout/;

/** ioredis / BullMQ: the command could not reach Redis, or Redis cannot serve it now. */
const QUEUE_MESSAGES = [
  /^Connection is closed\.?$/,
  /^Reached the max retries per request limit/,
  /Stream isn't writeable and enableOfflineQueue options is false/,
  /^Command timed out/,
  /^(LOADING|MASTERDOWN|CLUSTERDOWN|TRYAGAIN)\b/,
  /^None of the sentinels are available/,
  /^All sentinels are unreachable/,
];

/** Where the queue lives, to tell a raw socket error from Redis apart from one from PostgreSQL. */
export interface DependencyEndpoints {
  queue?: { host: string; port: number } | null;
}

/** Redis's host and port from REDIS_URL (port 6379 when it names none), for `unavailableDependency`. */
export function queueEndpoint(redisUrl: string | null | undefined): DependencyEndpoints['queue'] {
  if (!redisUrl) return null;
  try {
    const url = new URL(redisUrl);
    return { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port ? Number(url.port) : 6379 };
  } catch {
    return null;
  }
}

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  port?: unknown;
  address?: unknown;
  stack?: unknown;
  cause?: unknown;
  driverError?: unknown;
  errors?: unknown;
}

/** The error and the ones it wraps: TypeORM's `driverError`, `cause`, an AggregateError's `errors` (Happy Eyeballs connects). */
function* chain(err: unknown, depth = 0): Generator<ErrorLike> {
  if (!err || typeof err !== 'object' || depth > 5) return;
  const e = err as ErrorLike;
  yield e;
  if (e.driverError && e.driverError !== err) yield* chain(e.driverError, depth + 1);
  if (e.cause && e.cause !== err) yield* chain(e.cause, depth + 1);
  if (Array.isArray(e.errors)) for (const inner of e.errors.slice(0, 4)) yield* chain(inner, depth + 1);
}

function isLocalhost(host: string): boolean {
  return host === 'localhost' || host === '127.0.0.1' || host === '::1' || host === '::ffff:127.0.0.1';
}

function classifyOne(e: ErrorLike, endpoints: DependencyEndpoints): Dependency | null {
  if (e instanceof ServiceUnavailableError) return e.dependency;
  const message = typeof e.message === 'string' ? e.message : '';
  const code = typeof e.code === 'string' ? e.code : '';
  const name = typeof e.name === 'string' ? e.name : '';
  if (name === 'MaxRetriesPerRequestError' || QUEUE_MESSAGES.some((re) => re.test(message))) return 'queue';
  if (DATABASE_MESSAGES.some((re) => re.test(message))) return 'database';
  // A SQLSTATE is five characters of digits and capitals; node's socket codes start with E and are longer.
  if (/^[0-9A-Z]{5}$/.test(code) && isUnavailableSqlState(code)) return 'database';
  if (code === '57014' && STATEMENT_TIMEOUT.test(message)) return 'database';
  if (SOCKET_CODES.has(code)) {
    // A raw socket error names the peer it failed to reach: Redis when that is REDIS_URL's host and port.
    const q = endpoints.queue;
    if (q && typeof e.port === 'number' && e.port === q.port) {
      const address = typeof e.address === 'string' ? e.address : '';
      if (!address || address === q.host || (isLocalhost(address) && isLocalhost(q.host))) return 'queue';
    }
    if (typeof e.stack === 'string' && /[\\/]node_modules[\\/](ioredis|bullmq)[\\/]/.test(e.stack))
      return 'queue';
    // a timeout of our own making (no socket behind it) that says it was Redis
    if (typeof e.port !== 'number' && /\bredis\b|\bbullmq\b/i.test(message)) return 'queue';
    return 'database';
  }
  return null;
}

/**
 * Which dependency an error says is unavailable (refused, reset, timed out, shutting down, too many
 * connections, a statement past its statement_timeout, the embedded database busy past its lease
 * timeout), or null for any other error.
 * The one place that decides it: the HTTP problem filter maps it to 503 + Retry-After, the job
 * runner retries instead of failing.
 */
export function unavailableDependency(err: unknown, endpoints: DependencyEndpoints = {}): Dependency | null {
  for (const e of chain(err)) {
    const dependency = classifyOne(e, endpoints);
    if (dependency) return dependency;
  }
  return null;
}

/** True when the error means a dependency (database or queue) is unavailable: retry later, not a bug. */
export function isUnavailableError(err: unknown, endpoints: DependencyEndpoints = {}): boolean {
  return unavailableDependency(err, endpoints) !== null;
}

/** The error as a ServiceUnavailableError when it is one of those failures, else null. */
export function toServiceUnavailable(
  err: unknown,
  endpoints: DependencyEndpoints = {},
): ServiceUnavailableError | null {
  if (err instanceof ServiceUnavailableError) return err;
  const dependency = unavailableDependency(err, endpoints);
  if (!dependency) return null;
  const what =
    dependency === 'database' ? 'The database is not answering' : 'The job queue (Redis) is not answering';
  // not `instanceof Error`: node's own errors may come from another realm (jest's VM)
  const message = (err as { message?: unknown } | null)?.message;
  const reason = typeof message === 'string' ? message : String(err);
  return new ServiceUnavailableError(dependency, `${what} (${reason}).`, RETRY_AFTER_SECONDS, { cause: err });
}

/** Resolves or rejects as `work` does, or rejects with `onTimeout()` after `ms` (the work itself is not cancelled). */
export function raceTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  // A late rejection of the abandoned work must not become an unhandled rejection.
  work.catch(() => undefined);
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Bounds a call to a dependency: as `work`, or a ServiceUnavailableError naming the dependency after
 * `ms` ("Redis did not answer within 1000 ms."), which the problem filter answers with 503.
 */
export function withDeadline<T>(
  work: Promise<T>,
  ms: number,
  dependency: Dependency,
  what: string,
): Promise<T> {
  return raceTimeout(
    work,
    ms,
    () => new ServiceUnavailableError(dependency, `${what} did not answer within ${ms} ms.`),
  );
}
