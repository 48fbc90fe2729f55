import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { DataSource, QueryFailedError } from 'typeorm';
import { EmbeddedDatabaseUnavailableError, PglitePool, pgliteDriver } from './pglite-driver';

/**
 * The embedded database's driver against a real PGlite in its own thread: PostgreSQL errors keep
 * their fields through TypeORM, leased transactions stay isolated, the lease-free ping, parameters
 * of every kind, a data folder that survives a close, a thread that dies, a database that cannot open.
 */

/** A statement that keeps the database thread busy for a while (seconds on a loaded machine). */
const LONG = 'SELECT count(*) AS n FROM generate_series(1, 3000000)';

/** The pool's thread, for tests that stop it behind the pool's back. */
function threadOf(pool: PglitePool): Worker {
  return (pool as unknown as { thread: { worker: Worker } }).thread.worker;
}

async function rejection(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await p;
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

describe('embedded database driver (PGlite in a worker thread)', () => {
  let ds: DataSource;
  let pool: PglitePool;
  const dirs: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'halve-pglite-'));
    dirs.push(d);
    return d;
  };

  beforeAll(async () => {
    const driver = pgliteDriver({ dataDir: 'memory://', leaseTimeoutMs: 30_000 });
    ds = await new DataSource({
      type: 'postgres',
      driver,
      database: 'postgres',
      synchronize: false,
      logging: false,
    }).initialize();
    pool = driver.pools[0];
    await ds.query(
      'CREATE TABLE t (id int PRIMARY KEY, label text NOT NULL, doc jsonb, data bytea, amount numeric, at timestamptz, tags int[])',
    );
  });
  afterAll(async () => {
    await ds?.destroy();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('hands PostgreSQL errors to TypeORM with their SQLSTATE and fields', async () => {
    await ds.query(`INSERT INTO t (id, label) VALUES (1, 'one')`);
    const dup = await rejection(ds.query(`INSERT INTO t (id, label) VALUES (1, 'again')`));
    expect(dup).toBeInstanceOf(QueryFailedError);
    expect(dup).toEqual(
      expect.objectContaining({ code: '23505', constraint: 't_pkey', severity: 'ERROR', table: 't' }),
    );
    expect(dup.message).toMatch(/duplicate key value violates unique constraint "t_pkey"/);
    expect(dup.detail).toBe('Key (id)=(1) already exists.');
    const driverError = dup.driverError as Error & { code: string };
    expect(driverError).toBeInstanceOf(Error);
    expect(driverError.code).toBe('23505');

    const notNull = await rejection(ds.query('INSERT INTO t (id) VALUES ($1)', [2]));
    expect(notNull).toEqual(expect.objectContaining({ code: '23502', column: 'label' }));
    const syntax = await rejection(ds.query('SELEC 1'));
    expect(syntax).toEqual(expect.objectContaining({ code: '42601' }));
    // the error's stack leads to the caller, then to the database thread
    expect(String(driverError.stack)).toContain('in the embedded database thread');
    await ds.query('DELETE FROM t');
  });

  it('keeps a transaction isolated: a second one waits for the lease, then sees only committed rows', async () => {
    const a = ds.createQueryRunner();
    await a.connect();
    await a.startTransaction();
    await a.query(`INSERT INTO t (id, label) VALUES (10, 'from a')`);
    const order: string[] = [];
    const b = ds.transaction(async (em) => {
      order.push('b has the connection');
      return (await em.query('SELECT label FROM t WHERE id = 10')) as { label: string }[];
    });
    await new Promise((r) => setTimeout(r, 200));
    order.push('a commits');
    await a.query(`UPDATE t SET label = 'committed by a' WHERE id = 10`);
    await a.commitTransaction();
    await a.release();
    expect(await b).toEqual([{ label: 'committed by a' }]);
    expect(order).toEqual(['a commits', 'b has the connection']);
    await ds.query('DELETE FROM t');
  });

  it('answers a ping without the lease, between the statements of an open transaction, and leaves it intact', async () => {
    const a = ds.createQueryRunner();
    await a.connect();
    await a.startTransaction();
    await a.query(`INSERT INTO t (id, label) VALUES (20, 'inside')`);
    const ping = await pool.ping();
    expect(ping).toEqual(expect.objectContaining({ busyMs: null, leased: true, waiting: 0 }));
    await a.query(`INSERT INTO t (id, label) VALUES (21, 'still inside')`);
    await a.rollbackTransaction();
    await a.release();
    // the rollback took both rows: the ping neither committed nor ended the transaction
    expect(await ds.query('SELECT count(*)::int AS n FROM t WHERE id IN (20, 21)')).toEqual([{ n: 0 }]);
  });

  it('answers a ping in a failed transaction (the database answered, even if with 25P02)', async () => {
    const a = ds.createQueryRunner();
    await a.connect();
    await a.startTransaction();
    await expect(a.query('SELECT 1/0')).rejects.toMatchObject({ code: '22012' });
    await expect(pool.ping()).resolves.toEqual(expect.objectContaining({ busyMs: null, leased: true }));
    await a.rollbackTransaction();
    await a.release();
  });

  it('does not wait for a long statement: the ping says busy (alive), or stuck past the limit', async () => {
    const long = pool.query(LONG);
    let longDone = false;
    void long.then(() => (longDone = true));
    // the statement has been posted first; let the thread start it
    await new Promise((r) => setTimeout(r, 50));
    const busy = await pool.ping({ answerWithinMs: 50 });
    expect(longDone).toBe(false);
    expect(busy.busyMs).toEqual(expect.any(Number));
    expect(busy.leased).toBe(true);
    const stuck = await rejection(pool.ping({ answerWithinMs: 50, statementLimitMs: 1 }));
    expect(longDone).toBe(false);
    expect(stuck).toBeInstanceOf(EmbeddedDatabaseUnavailableError);
    expect(stuck).toEqual(expect.objectContaining({ reason: 'EMBEDDED_DB_STUCK', code: '08006' }));
    expect((await long).rows).toEqual([{ n: 3000000 }]);
    await expect(pool.ping()).resolves.toEqual(expect.objectContaining({ busyMs: null, leased: false }));
  });

  it('passes parameters as PGlite would in this thread: objects by toJSON/toString, dates, bytes, bigints, arrays', async () => {
    class Money {
      constructor(private readonly v: string) {}
      toString() {
        return this.v;
      }
      toJSON() {
        return `€${this.v}`;
      }
    }
    const at = new Date('2024-03-31T01:30:00.000Z');
    await ds.query(
      'INSERT INTO t (id, label, doc, data, amount, at, tags) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [
        30n,
        new Money('label'),
        { price: new Money('12.50'), when: at, big: 2n ** 60n, list: [1, null] },
        Buffer.from([0, 1, 254, 255]),
        new Money('12.50'),
        at,
        [1, 2, 3],
      ],
    );
    const [row] = (await ds.query('SELECT * FROM t WHERE id = 30')) as Record<string, unknown>[];
    expect(row.label).toBe('label');
    expect(row.doc).toEqual({
      price: '€12.50',
      when: '2024-03-31T01:30:00.000Z',
      big: '1152921504606846976',
      list: [1, null],
    });
    expect(Buffer.from(row.data as Uint8Array)).toEqual(Buffer.from([0, 1, 254, 255]));
    expect(row.amount).toBe('12.50');
    expect(row.at).toEqual(at);
    // built with this realm's builtins even where the thread's messages arrive in another (jest's VM)
    expect(row.at).toBeInstanceOf(Date);
    expect(row.doc).toBeInstanceOf(Object);
    expect(row.tags).toBeInstanceOf(Array);
    expect(row.tags).toEqual([1, 2, 3]);
    await expect(pool.query('SELECT $1::text AS x', [() => 1])).rejects.toThrow(/cannot be a function/);
  });

  it('keeps a data folder across a close and a new thread', async () => {
    const dir = tempDir();
    const first = new PglitePool({ dataDir: dir });
    await first.query(`CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')`);
    await first.end();
    await expect(first.query('SELECT 1')).rejects.toMatchObject({
      code: '08003',
      reason: 'EMBEDDED_DB_CLOSED',
    });
    await expect(first.ping()).rejects.toMatchObject({ reason: 'EMBEDDED_DB_CLOSED' });
    const second = new PglitePool({ dataDir: dir });
    try {
      expect((await second.query('SELECT v FROM kept')).rows).toEqual([{ v: 'still here' }]);
    } finally {
      await second.end();
    }
  });

  it('dumps a database between transactions and starts a new in-memory one from the dump', async () => {
    const dump = join(tempDir(), 'template.tar');
    await pool.query(`CREATE TABLE kept (v text); INSERT INTO kept VALUES ('in the dump')`);
    // a transaction open when the dump is asked for: the dump waits for it, and holds its commit
    const tx = await pool.connect();
    await tx.query('BEGIN');
    await tx.query(`INSERT INTO kept VALUES ('committed before the dump')`);
    const dumped = pool.dumpTo(dump);
    await tx.query('COMMIT');
    tx.release();
    await dumped;
    await pool.query(`INSERT INTO kept VALUES ('after the dump')`);
    const loaded = new PglitePool({ dataDir: 'memory://', loadFrom: dump });
    const again = new PglitePool({ dataDir: 'memory://', loadFrom: dump });
    try {
      expect((await loaded.query('SELECT v FROM kept ORDER BY v')).rows).toEqual([
        { v: 'committed before the dump' },
        { v: 'in the dump' },
      ]);
      // each database from the dump is its own
      await loaded.query('DELETE FROM kept');
      expect((await again.query('SELECT count(*)::int AS n FROM kept')).rows).toEqual([{ n: 2 }]);
    } finally {
      await loaded.end();
      await again.end();
    }
    expect(() => new PglitePool({ dataDir: tempDir(), loadFrom: dump })).toThrow(/only .* in-memory/);
    const missing = new PglitePool({ dataDir: 'memory://', loadFrom: join(tempDir(), 'none.tar') });
    await expect(missing.query('SELECT 1')).rejects.toThrow(/ENOENT/);
    await missing.end();
  });

  it('times a lease wait out through the callback (no unhandled rejection); refuses the waiters when the pool ends, and ends its thread', async () => {
    const own = new PglitePool({ dataDir: 'memory://', leaseTimeoutMs: 300 });
    const holder = await own.connect();
    // TypeORM's way: a callback, the returned promise ignored
    const timedOut = await new Promise<Error | null>((resolve) => void own.connect((err) => resolve(err)));
    expect(timedOut?.message).toMatch(/The embedded database was busy for 300 ms/);
    const waiting = expect(own.connect()).rejects.toMatchObject({ reason: 'EMBEDDED_DB_CLOSED' });
    const exited = new Promise<number>((resolve) => threadOf(own).once('exit', resolve));
    await own.end();
    await waiting;
    await exited;
    holder.release();
  });

  it('fails what is outstanding when the thread dies, and says so after', async () => {
    const own = new PglitePool({ dataDir: 'memory://' });
    await own.query('SELECT 1');
    const long = own.query(LONG);
    await new Promise((r) => setTimeout(r, 50));
    await threadOf(own).terminate();
    await expect(long).rejects.toMatchObject({ code: '08006', reason: 'EMBEDDED_DB_THREAD_EXITED' });
    await expect(own.ping()).rejects.toMatchObject({ reason: 'EMBEDDED_DB_THREAD_EXITED' });
    await expect(own.query('SELECT 1')).rejects.toThrow(/embedded database thread stopped/);
    await own.end();
  });

  it('reports a database that cannot be opened instead of hanging', async () => {
    const file = join(tempDir(), 'not-a-folder');
    writeFileSync(file, 'x');
    const own = new PglitePool({ dataDir: file });
    await expect(own.query('SELECT 1')).rejects.toThrow(Error);
    await own.end();
  });
});
