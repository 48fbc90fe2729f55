import { renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { PGlite, types } from '@electric-sql/pglite';
import {
  PgResult,
  PgliteThreadData,
  PingAnswer,
  STATUS_STARTED_AT,
  ThreadEvent,
  ThreadReply,
  ThreadRequest,
  decodeParam,
  errorData,
} from './pglite-protocol';

/**
 * The embedded database's thread: owns the PGlite instance (PostgreSQL in WASM: a statement runs
 * synchronously and holds whatever thread runs it) and answers the driver's messages one statement at
 * a time, in the order they came. Pings go before the statements that wait, and run between two
 * statements (see `PglitePool.ping`). Around each statement the thread writes its start time into the
 * shared status, so the driver can tell a long statement from a thread that does not answer.
 */
const port = parentPort!;
const { dataDir, loadFrom, status: statusBuffer } = workerData as PgliteThreadData;
const status = new BigInt64Array(statusBuffer);

function post(message: ThreadReply | ThreadEvent, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

const BYTEA = 17;

/** bytea values come out of PGlite as fresh Uint8Arrays: hand their memory over instead of copying it. */
function transferables(result: PgResult): ArrayBuffer[] {
  if (!result.fields.some((f) => f.dataTypeID === BYTEA)) return [];
  const out = new Set<ArrayBuffer>();
  for (const row of result.rows as Record<string, unknown>[]) {
    for (const v of Object.values(row)) {
      if (
        v instanceof Uint8Array &&
        v.buffer instanceof ArrayBuffer &&
        v.byteOffset === 0 &&
        v.byteLength === v.buffer.byteLength
      ) {
        out.add(v.buffer);
      }
    }
  }
  return [...out];
}

status[STATUS_STARTED_AT] = BigInt(Date.now());
/** The database: empty (a new cluster, or the files under dataDir), or what a dump held (`loadFrom`). */
async function open(): Promise<PGlite> {
  return PGlite.create({
    dataDir,
    loadDataDir: loadFrom ? new Blob([await readFile(loadFrom)]) : undefined,
    serializers: {
      [types.BOOL]: (v: unknown) =>
        v === true || v === 'true' || v === 1
          ? 'TRUE'
          : v === false || v === 'false' || v === 0
            ? 'FALSE'
            : String(v),
    },
  });
}
const opened = open();
opened.then(
  () => {
    status[STATUS_STARTED_AT] = 0n;
    post({ t: 'ready' });
  },
  (err: unknown) => {
    status[STATUS_STARTED_AT] = 0n;
    post({ t: 'failed', error: errorData(err) });
  },
);

async function run(db: PGlite, sql: string, params: unknown[] | null): Promise<PgResult> {
  const command = (/^\s*(\w+)/.exec(sql)?.[1] ?? '').toUpperCase();
  if (params && params.length > 0) {
    const r = await db.query(sql, params.map(decodeParam));
    return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length, command, fields: r.fields };
  }
  const results = await db.exec(sql);
  const last = results[results.length - 1];
  if (!last) return { rows: [], rowCount: 0, command, fields: [] };
  return { rows: last.rows, rowCount: last.affectedRows ?? last.rows.length, command, fields: last.fields };
}

async function handle(db: PGlite, m: ThreadRequest): Promise<void> {
  status[STATUS_STARTED_AT] = BigInt(Date.now());
  try {
    if (m.op === 'close') {
      await db.close();
      post({ id: m.id, ok: true, result: null });
      return;
    }
    if (m.op === 'dump') {
      const dump = await db.dumpDataDir('none');
      // a reader never sees half a file: written beside it, then renamed over it
      const partial = `${m.path}.${process.pid}.${threadId}.partial`;
      writeFileSync(partial, new Uint8Array(await dump.arrayBuffer()));
      renameSync(partial, m.path);
      post({ id: m.id, ok: true, result: null });
      return;
    }
    if (m.op === 'ping') {
      // A statement of its own between two of a transaction's: reads nothing, writes nothing, takes no
      // lock. In a failed transaction PostgreSQL refuses it (25P02): the database answered all the same.
      let inTransaction = db.isInTransaction();
      try {
        await db.exec('SELECT 1');
      } catch (err) {
        if ((err as { code?: unknown }).code !== '25P02') throw err;
        inTransaction = true;
      }
      const answer: PingAnswer = { inTransaction };
      post({ id: m.id, ok: true, result: answer });
      return;
    }
    const result = await run(db, m.sql, m.op === 'query' ? m.params : null);
    post({ id: m.id, ok: true, result }, transferables(result));
  } catch (err) {
    post({ id: m.id, ok: false, error: errorData(err) });
  } finally {
    status[STATUS_STARTED_AT] = 0n;
  }
}

const pings: ThreadRequest[] = [];
const statements: ThreadRequest[] = [];
let pumping = false;

async function pump(): Promise<void> {
  if (pumping) return;
  pumping = true;
  try {
    let db: PGlite;
    try {
      db = await opened;
    } catch (err) {
      // the database could not be opened: every request gets that reason
      for (const m of pings.splice(0).concat(statements.splice(0))) {
        if (m.op === 'close') post({ id: m.id, ok: true, result: null });
        else post({ id: m.id, ok: false, error: errorData(err) });
      }
      return;
    }
    while (pings.length || statements.length) {
      if (pings.length) {
        // one SELECT 1 answers every ping that waited
        const waiting = pings.splice(0);
        await handle(db, waiting[0]);
        for (const m of waiting.slice(1))
          post({ id: m.id, ok: true, result: { inTransaction: db.isInTransaction() } });
        continue;
      }
      const m = statements.shift()!;
      await handle(db, m);
      if (m.op === 'close') {
        port.close();
        return;
      }
      // let messages that arrived during the statement (pings) in before the next one
      if (statements.length) await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    pumping = false;
  }
}

port.on('message', (m: ThreadRequest) => {
  if (m.op === 'ping') pings.push(m);
  else statements.push(m);
  void pump();
});
