import { EventEmitter } from 'node:events';
import { PGlite, types } from '@electric-sql/pglite';

/**
 * A `pg`-compatible driver for TypeORM over an embedded PGlite.
 *
 * PGlite is one connection. `typeorm-pglite` hands that one connection to every query runner at once,
 * so two concurrent transactions interleave their statements. This pool leases the connection to one
 * query runner at a time (FIFO), which gives each transaction the isolation PostgreSQL would.
 * See docs/adr/0002-embedded-postgres.md.
 */
export interface PgliteDriverOptions {
  /** A folder for the database files, or `memory://` for a throw-away database. */
  dataDir: string;
  /** How long a caller may wait for the connection before the wait is reported as an error. */
  leaseTimeoutMs?: number;
}

interface PgResult {
  rows: unknown[];
  rowCount: number;
  command: string;
  fields: { name: string; dataTypeID: number }[];
}

type Callback = (err: Error | null, result?: PgResult) => void;

class PgliteClient extends EventEmitter {
  constructor(private readonly db: PGlite) {
    super();
  }

  async query(text: string | { text: string; values?: unknown[] }, values?: unknown[] | Callback, cb?: Callback): Promise<PgResult> {
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
    const command = (/^\s*(\w+)/.exec(sql)?.[1] ?? '').toUpperCase();
    if (params && params.length > 0) {
      const r = await this.db.query(sql, params);
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length, command, fields: r.fields };
    }
    const results = await this.db.exec(sql);
    const last = results[results.length - 1];
    if (!last) return { rows: [], rowCount: 0, command, fields: [] };
    return { rows: last.rows, rowCount: last.affectedRows ?? last.rows.length, command, fields: last.fields };
  }

  release(): void {
    /* replaced per lease */
  }
}

type Waiter = { grant: () => void; timer: NodeJS.Timeout };

export class PglitePool extends EventEmitter {
  private readonly db: Promise<PGlite>;
  private readonly waiters: Waiter[] = [];
  private busy = false;
  private readonly leaseTimeoutMs: number;

  constructor(options: PgliteDriverOptions) {
    super();
    this.leaseTimeoutMs = options.leaseTimeoutMs ?? 60_000;
    this.db = PGlite.create({
      dataDir: options.dataDir,
      serializers: {
        [types.BOOL]: (v: unknown) => (v === true || v === 'true' || v === 1 ? 'TRUE' : v === false || v === 'false' || v === 0 ? 'FALSE' : String(v)),
      },
    });
  }

  get totalCount(): number {
    return 1;
  }

  get waitingCount(): number {
    return this.waiters.length;
  }

  instance(): Promise<PGlite> {
    return this.db;
  }

  private acquire(): Promise<void> {
    if (!this.busy) {
      this.busy = true;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          clearTimeout(waiter.timer);
          resolve();
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

  connect(callback?: (err: Error | null, client?: PgliteClient, release?: (err?: unknown) => void) => void): Promise<PgliteClient> {
    const leased = (async () => {
      const db = await this.db;
      await this.acquire();
      let released = false;
      const client = new PgliteClient(db);
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
    return leased.then(({ client }) => client);
  }

  async query(text: string, values?: unknown[]): Promise<PgResult> {
    const client = await this.connect();
    try {
      return await client.query(text, values);
    } finally {
      client.release();
    }
  }

  end(callback?: (err?: Error | null) => void): Promise<void> {
    const done = this.db.then((db) => db.close());
    done.then(
      () => callback?.(null),
      (err: Error) => callback?.(err),
    );
    return done;
  }
}

/** The module object TypeORM's postgres driver expects in place of `pg`. */
export function pgliteDriver(options: PgliteDriverOptions): { Pool: new () => PglitePool; pools: PglitePool[] } {
  const pools: PglitePool[] = [];
  class Pool extends PglitePool {
    constructor() {
      super(options);
      pools.push(this);
    }
  }
  return { Pool, pools };
}
