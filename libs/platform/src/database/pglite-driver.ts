import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DataSource } from 'typeorm';
import {
  EmbeddedDatabaseError,
  PgResult,
  PgliteThreadData,
  PingAnswer,
  STATUS_SLOTS,
  STATUS_STARTED_AT,
  ThreadEvent,
  ThreadReply,
  ThreadRequest,
  encodeParam,
} from './pglite-protocol';
import { ownRealm, startWorkerThread } from '../threads/worker-task';

/**
 * A `pg`-compatible driver for TypeORM over an embedded PGlite.
 *
 * PGlite (PostgreSQL compiled to WASM) runs each statement synchronously on the thread that owns it,
 * so it lives in its own worker thread (`pglite-thread.ts`): a long statement there leaves the API's
 * event loop free. This side forwards each statement as a message and rebuilds the answer, or the
 * error with its fields (`code`, `detail`, `constraint`, …). See docs/adr/0009-embedded-database-thread.md.
 *
 * PGlite is one connection. `typeorm-pglite` hands that one connection to every query runner at once,
 * so two concurrent transactions interleave their statements. This pool leases the connection to one
 * query runner at a time (FIFO), which gives each transaction the isolation PostgreSQL would.
 * See docs/adr/0001-postgres-everywhere.md.
 */
export interface PgliteDriverOptions {
  /** A folder for the database files, or `memory://` for a throw-away database. */
  dataDir: string;
  /** How long a caller may wait for the connection before the wait is reported as an error. */
  leaseTimeoutMs?: number;
  /** With `memory://`: start from this dump (`PglitePool.dumpTo`) instead of an empty cluster. */
  loadFrom?: string;
}

export interface PglitePing {
  /** How long the answer took (ms). */
  latencyMs: number;
  /**
   * Null when the database ran the ping's `SELECT 1`. Otherwise it was running one statement for
   * this long (ms) and the ping did not wait for it: the thread is alive and working.
   */
  busyMs: number | null;
  /** Whether a transaction holds the connection (its statements run; others wait for the lease). */
  leased: boolean;
  /** Callers waiting for the connection. */
  waiting: number;
}

export interface PglitePingOptions {
  /** Give up (an error) when the thread answers nothing within this time and runs no statement. Default 2000 ms. */
  timeoutMs?: number;
  /** How long to wait for the `SELECT 1` before looking whether a statement runs. Default 50 ms. */
  answerWithinMs?: number;
  /** A statement running longer than this counts as stuck (an error). Default: the lease timeout. */
  statementLimitMs?: number;
}

export type EmbeddedDatabaseFailure =
  'EMBEDDED_DB_CLOSED' | 'EMBEDDED_DB_THREAD_EXITED' | 'EMBEDDED_DB_TIMEOUT' | 'EMBEDDED_DB_STUCK';

/**
 * The embedded database cannot serve (it is not a PostgreSQL error from a statement). `code` is the
 * SQLSTATE a PostgreSQL client would see — 08003 connection_does_not_exist once the pool is closed,
 * 08006 connection_failure otherwise — so code that classifies database errors treats both databases
 * alike; `reason` says which case it is.
 */
export class EmbeddedDatabaseUnavailableError extends Error {
  readonly code: '08003' | '08006';
  constructor(
    message: string,
    readonly reason: EmbeddedDatabaseFailure,
  ) {
    super(message);
    this.name = 'EmbeddedDatabaseUnavailableError';
    this.code = reason === 'EMBEDDED_DB_CLOSED' ? '08003' : '08006';
  }
}

/** A request before it gets its id (Omit over each member of the union). */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

type Pending = { resolve: (v: unknown) => void; reject: (err: Error) => void };

/** The thread that owns the PGlite instance, and its messages. */
class PgliteThread {
  readonly ready: Promise<void>;
  private readonly worker: Worker;
  private readonly status: BigInt64Array;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private starting = true;
  private failure: Error | null = null;

  constructor(dataDir: string, loadFrom: string | undefined) {
    const statusBuffer = new SharedArrayBuffer(STATUS_SLOTS * BigInt64Array.BYTES_PER_ELEMENT);
    this.status = new BigInt64Array(statusBuffer);
    const data: PgliteThreadData = { dataDir, loadFrom, status: statusBuffer };
    // from the TypeScript sources (jest, scripts) the thread loads scripts/swc-register.js first
    this.worker = startWorkerThread(join(__dirname, 'pglite-thread'), __filename, { workerData: data });
    let opened: () => void;
    let refused: (err: Error) => void;
    this.ready = new Promise<void>((resolve, reject) => {
      opened = resolve;
      refused = reject;
    });
    // nobody may be waiting for `ready` yet: a refusal is also handed to every request
    this.ready.catch(() => undefined);
    this.worker.on('message', (m: ThreadReply | ThreadEvent) => {
      if ('t' in m) {
        this.starting = false;
        if (m.t === 'ready') opened();
        else refused(new EmbeddedDatabaseError(m.error));
        this.updateRef();
        return;
      }
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      this.updateRef();
      // Messages are deserialised in node's main context; under jest the driver runs in a VM context
      // whose builtins differ (a Date there is not `instanceof Date`, and TypeORM then leaves a `date`
      // column a Date instead of its text): ownRealm rebuilds such a result, and leaves any other as it is.
      if (m.ok) p.resolve(ownRealm(m.result));
      else p.reject(new EmbeddedDatabaseError(m.error));
    });
    this.worker.on('error', (err) => this.fail(`the embedded database thread failed: ${err.message}`));
    this.worker.on('exit', (code) => {
      this.fail(`the embedded database thread stopped (exit code ${code})`);
      refused(this.failure!);
    });
  }

  /** The process may exit while no statement is outstanding (as with PGlite in this thread), not while one is. */
  private updateRef(): void {
    if (this.starting || this.pending.size > 0) this.worker.ref();
    else this.worker.unref();
  }

  private fail(message: string): void {
    this.failure ??= new EmbeddedDatabaseUnavailableError(message, 'EMBEDDED_DB_THREAD_EXITED');
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
    this.starting = false;
    this.updateRef();
  }

  get failed(): Error | null {
    return this.failure;
  }

  /** When the statement now running in the thread started (ms since the epoch), or null. */
  runningSince(): number | null {
    const t = Number(Atomics.load(this.status, STATUS_STARTED_AT));
    return t === 0 ? null : t;
  }

  request(message: WithoutId<ThreadRequest>): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.updateRef();
      try {
        this.worker.postMessage({ ...message, id });
      } catch (err) {
        // a parameter that cannot be cloned
        this.pending.delete(id);
        this.updateRef();
        reject(err as Error);
      }
    });
  }

  async close(): Promise<void> {
    if (!this.failure) await this.request({ op: 'close' }).catch(() => undefined);
    await this.worker.terminate();
  }
}

type Callback = (err: Error | null, result?: PgResult) => void;

class PgliteClient extends EventEmitter {
  constructor(private readonly thread: PgliteThread) {
    super();
  }

  async query(
    text: string | { text: string; values?: unknown[] },
    values?: unknown[] | Callback,
    cb?: Callback,
  ): Promise<PgResult> {
    const sql = typeof text === 'string' ? text : text.text;
    let params = typeof text === 'string' ? values : text.values;
    let callback = cb;
    if (typeof values === 'function') {
      callback = values;
      params = undefined;
    }
    try {
      const result = await this.run(sql, params as unknown[] | undefined);
      callback?.(null, result);
      return result;
    } catch (err) {
      callback?.(err as Error);
      throw err;
    }
  }

  private async run(sql: string, params: unknown[] | undefined): Promise<PgResult> {
    if (params && params.length > 0) {
      return (await this.thread.request({ op: 'query', sql, params: params.map(encodeParam) })) as PgResult;
    }
    return (await this.thread.request({ op: 'exec', sql })) as PgResult;
  }

  release(): void {
    /* replaced per lease */
  }
}

type Waiter = { grant: () => void; refuse: (err: Error) => void; timer: NodeJS.Timeout };

export class PglitePool extends EventEmitter {
  private readonly thread: PgliteThread;
  private readonly waiters: Waiter[] = [];
  private busy = false;
  private leasedAt = 0;
  private ended: Promise<void> | null = null;
  private readonly leaseTimeoutMs: number;

  constructor(options: PgliteDriverOptions) {
    super();
    this.leaseTimeoutMs = options.leaseTimeoutMs ?? 60_000;
    if (options.loadFrom && !options.dataDir.startsWith('memory://'))
      throw new Error('A PGlite dump can only be loaded into an in-memory database (memory://).');
    this.thread = new PgliteThread(options.dataDir, options.loadFrom);
  }

  get totalCount(): number {
    return 1;
  }

  get waitingCount(): number {
    return this.waiters.length;
  }

  private acquire(): Promise<void> {
    if (this.ended)
      return Promise.reject(
        new EmbeddedDatabaseUnavailableError('The embedded database is closed.', 'EMBEDDED_DB_CLOSED'),
      );
    if (!this.busy) {
      this.busy = true;
      this.leasedAt = Date.now();
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          clearTimeout(waiter.timer);
          this.leasedAt = Date.now();
          resolve();
        },
        refuse: (err) => {
          clearTimeout(waiter.timer);
          reject(err);
        },
        timer: setTimeout(() => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(
            new Error(
              `The embedded database was busy for ${this.leaseTimeoutMs} ms: a transaction is still open ` +
                '(or a query ran outside the transaction that holds the connection).',
            ),
          );
        }, this.leaseTimeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  private releaseLease(): void {
    const next = this.waiters.shift();
    if (next) next.grant();
    else this.busy = false;
  }

  connect(
    callback?: (err: Error | null, client?: PgliteClient, release?: (err?: unknown) => void) => void,
  ): Promise<PgliteClient> {
    const leased = (async () => {
      await this.thread.ready;
      await this.acquire();
      let released = false;
      const client = new PgliteClient(this.thread);
      const release = () => {
        if (released) return;
        released = true;
        this.releaseLease();
      };
      client.release = release;
      return { client, release };
    })();
    leased.then(
      ({ client, release }) => callback?.(null, client, release),
      (err: Error) => callback?.(err),
    );
    const client = leased.then(({ client }) => client);
    // With a callback (TypeORM's way, as pg's) the error went to it; nobody awaits this promise, and an
    // unhandled rejection (a lease timeout) would end the process.
    if (callback) client.catch(() => undefined);
    return client;
  }

  /**
   * Writes the whole database to `path` (PGlite's dumpDataDir tarball; a new in-memory database can start
   * from it: `loadFrom`), between transactions: it takes the connection like one. Tests start each suite's
   * app from a migrated template this way instead of creating and migrating a cluster each time.
   */
  async dumpTo(path: string): Promise<void> {
    const client = await this.connect();
    try {
      await this.thread.request({ op: 'dump', path });
    } finally {
      client.release();
    }
  }

  async query(text: string, values?: unknown[]): Promise<PgResult> {
    const client = await this.connect();
    try {
      return await client.query(text, values);
    } finally {
      client.release();
    }
  }

  /**
   * Is the embedded database alive? Without the lease: a transaction that holds the connection (an
   * import's, for minutes) does not delay the answer. The thread runs the ping's `SELECT 1` before any
   * statement that waits, between two statements of whatever transaction is open — it reads and
   * writes nothing and takes no lock, so it cannot change what that transaction sees or does.
   *
   * One statement runs at a time, and the ping does not interrupt one. If no answer comes within
   * `answerWithinMs` while the thread is running a statement, the answer is "busy for N ms" (alive:
   * the thread exists and works) unless the statement has run longer than `statementLimitMs`. The
   * other answers are EmbeddedDatabaseUnavailableErrors, by `reason`: EMBEDDED_DB_STUCK (that
   * statement), EMBEDDED_DB_THREAD_EXITED (the thread has stopped), EMBEDDED_DB_CLOSED (the pool is
   * closed), EMBEDDED_DB_TIMEOUT (nothing answered within `timeoutMs` while no statement ran).
   */
  async ping(options: PglitePingOptions = {}): Promise<PglitePing> {
    const { timeoutMs = 2000, answerWithinMs = 50, statementLimitMs = this.leaseTimeoutMs } = options;
    if (this.ended)
      throw new EmbeddedDatabaseUnavailableError('The embedded database is closed.', 'EMBEDDED_DB_CLOSED');
    const started = Date.now();
    const state = () => ({ leased: this.busy, waiting: this.waiters.length });
    let answered = false;
    const answer = this.thread.request({ op: 'ping' }).then((a) => {
      answered = true;
      return a as PingAnswer;
    });
    answer.catch(() => undefined); // a late failure after a "busy" answer is nobody's to handle
    for (;;) {
      const waitMs = Math.max(1, Math.min(answerWithinMs, started + timeoutMs - Date.now()));
      let timer: NodeJS.Timeout | undefined;
      const tick = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), waitMs)));
      try {
        await Promise.race([answer, tick]);
      } finally {
        clearTimeout(timer);
      }
      if (answered) return { latencyMs: Date.now() - started, busyMs: null, ...state() };
      const since = this.thread.runningSince();
      if (since !== null) {
        const busyMs = Date.now() - since;
        if (busyMs > statementLimitMs) {
          throw new EmbeddedDatabaseUnavailableError(
            `The embedded database has been running one statement for ${Math.round(busyMs / 1000)} s (limit ${Math.round(statementLimitMs / 1000)} s).`,
            'EMBEDDED_DB_STUCK',
          );
        }
        return { latencyMs: Date.now() - started, busyMs, ...state() };
      }
      if (Date.now() - started >= timeoutMs) {
        throw new EmbeddedDatabaseUnavailableError(
          `The embedded database did not answer within ${timeoutMs} ms.`,
          'EMBEDDED_DB_TIMEOUT',
        );
      }
    }
  }

  /** How long the current transaction has held the connection (ms), or null when it is free. */
  leaseHeldMs(): number | null {
    return this.busy ? Date.now() - this.leasedAt : null;
  }

  end(callback?: (err?: Error | null) => void): Promise<void> {
    if (!this.ended) {
      const closed = new EmbeddedDatabaseUnavailableError(
        'The embedded database is closed.',
        'EMBEDDED_DB_CLOSED',
      );
      for (const w of this.waiters.splice(0)) w.refuse(closed);
      this.ended = this.thread.close();
    }
    this.ended.then(
      () => callback?.(null),
      (err: Error) => callback?.(err),
    );
    return this.ended;
  }
}

/** The module object TypeORM's postgres driver expects in place of `pg`. */
export function pgliteDriver(options: PgliteDriverOptions): {
  Pool: new () => PglitePool;
  pools: PglitePool[];
} {
  const pools: PglitePool[] = [];
  class Pool extends PglitePool {
    constructor() {
      super(options);
      pools.push(this);
    }
  }
  return { Pool, pools };
}

/** The embedded database's pool behind a TypeORM data source, or null on PostgreSQL. */
export function embeddedPool(dataSource: DataSource): PglitePool | null {
  const pool = (dataSource.driver as unknown as { master?: unknown }).master;
  return pool instanceof PglitePool ? pool : null;
}
