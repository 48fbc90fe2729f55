import { join } from 'node:path';
import { Client } from 'pg';
import { TcpProxy } from '../support/tcp-proxy';
import { makeMeterCsv } from '../bench/make-meter-csv';
import {
  Account,
  Expected,
  JobRow,
  Outcome,
  Sql,
  Upload,
  allEnded,
  createMeter,
  midImport,
  outcome,
  signupWithSite,
  takenBack,
  timedGet,
  upload,
  uploadFilesLeft,
} from './halve';
import {
  JOB_TIMINGS,
  OwnDatabase,
  Proc,
  RedisServer,
  cleanup,
  halveEnv,
  startApi,
  startWorker,
  tempDir,
  until,
} from './processes';

/**
 * Issue 14's fault-injection suite on the servers: a real API and real worker processes (started from
 * their sources) on a PostgreSQL database and a Redis server of the suite's own, killed with SIGKILL,
 * their database connections terminated or refused, their Redis killed and replaced. The API and the
 * workers reach PostgreSQL through a TcpProxy (passing bytes through except while a test refuses
 * connections). Job timings are short (lease 3 s, reaper 1 s, dispatcher 0.5 s, backoff 1 s doubling).
 *
 * Each scenario imports a generated 15-minute CSV into a fresh meter and ends with: every job and
 * import `succeeded` or `failed`; on success readings exactly the file's (count, and sum in thousandths
 * of a kWh), on failure none; no duplicate; hour, day and month rollups equal to the readings bucket by
 * bucket; no upload file left. Only when DATABASE_URL and REDIS_URL are set (jest.config.js).
 */

/** Rows of the big file: an import that runs for seconds, so a fault lands mid-import. */
const ROWS = Number(process.env.HALVE_FAULT_ROWS ?? 300_000);
/** Before any clock's today (readings in the future are refused): 300k 15-minute rows end in 2020. */
const START_MS = Date.UTC(2011, 0, 1);
/** Generous bounds for waits (a loaded 2-core machine); no test asserts speed except the 2 s answers. */
const END_TIMEOUT_MS = 180_000;
const SCENARIO_TIMEOUT_MS = 420_000;
/** The processes' job timings (halveEnv): a dead process's job is taken back within lease + reaper… */
const { leaseMs: LEASE_MS, reaperMs: REAPER_MS } = JOB_TIMINGS;
/** …asserted with a generous margin (a loaded machine; the figure printed is the measured one). */
const TAKEN_BACK_BOUND_MS = 10 * (LEASE_MS + REAPER_MS);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('faults on PostgreSQL and Redis: real processes killed, connections cut, Redis lost', () => {
  let db: OwnDatabase;
  let pg: Client;
  let sql: Sql;
  let proxy: TcpProxy;
  let redis: RedisServer;
  let dataDir: string;
  let logDir: string;
  let env: NodeJS.ProcessEnv;
  let api: { proc: Proc; url: string };
  let worker: Proc | undefined;
  let account: Account;
  const big = { file: '', expected: { rows: 0, milli: 0 } as Expected };
  const small = { file: '', expected: { rows: 0, milli: 0 } as Expected };
  /** Measured figures, printed at the end. */
  const figures: string[] = [];

  const startNewWorker = async () => {
    worker = await startWorker(env, logDir);
    return worker;
  };

  /** Runs a scenario; on failure the message carries the processes' last log lines. */
  const scenario = (name: string, fn: () => Promise<void>) =>
    it(
      name,
      async () => {
        const started = Date.now();
        try {
          await fn();
        } catch (err) {
          const logs = [api?.proc, worker]
            .filter((p): p is Proc => !!p)
            .map((p) => `--- ${p.name} (pid ${p.pid}) ---\n${p.tail(30)}`);
          (err as Error).message += `\n${logs.join('\n')}`;
          throw err;
        }
        figures.push(`${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
      },
      SCENARIO_TIMEOUT_MS,
    );

  const expectExact = (o: Outcome, expected: Expected) => {
    expect(o).toEqual(
      expect.objectContaining({
        importStatus: 'succeeded',
        jobStatus: 'succeeded',
        rows: expected.rows,
        milli: expected.milli,
        duplicates: 0,
        rollupMismatches: [],
      }),
    );
  };

  /** kill -9 the worker during the attempt `during` shows; the dead process's lease is taken back in time. */
  const killWorker = async (label: string, up: Upload, during: JobRow) => {
    expect(during.lease_owner).toContain(`:${worker!.pid}:`);
    await worker!.kill9();
    worker = undefined;
    const ms = await takenBack(sql, up.jobId, during.lease_owner!, TAKEN_BACK_BOUND_MS);
    figures.push(
      `${label}: the dead worker's job taken back ${(ms / 1000).toFixed(1)} s after the kill (lease ${LEASE_MS / 1000} s + reaper ${REAPER_MS / 1000} s)`,
    );
  };

  /** Every job and import ended; no upload file left; returns how long the end took. */
  const expectAllEnded = async (label: string) => {
    const ms = await allEnded(sql, END_TIMEOUT_MS);
    figures.push(`${label}: all ended ${(ms / 1000).toFixed(1)} s after the fault ended`);
    expect(uploadFilesLeft(dataDir)).toEqual([]);
  };

  beforeAll(async () => {
    db = await OwnDatabase.create(process.env.DATABASE_URL!);
    pg = new Client({ connectionString: db.ownerUrl, application_name: 'halve-fault-suite' });
    await pg.connect();
    await pg.query(`SET TIME ZONE 'UTC'`);
    sql = pg;
    const target = new URL(db.url);
    proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    await proxy.start();
    redis = await RedisServer.create();
    dataDir = tempDir('data');
    logDir = tempDir('logs');
    const files = tempDir('files');
    for (const [f, rows] of [
      [big, ROWS],
      [small, 20_000],
    ] as const) {
      f.file = join(files, `${rows}.csv`);
      // The generator sums the values as it writes them: the expected figures do not come from the importer.
      const made = await makeMeterCsv(f.file, { rows, startMs: START_MS });
      f.expected = { rows: made.rows, milli: Math.round(made.sumKwh * 1000) };
    }
    env = halveEnv({
      dataDir,
      databaseUrl: db.via(proxy.port),
      migrationUrl: db.ownerUrl,
      redisUrl: redis.url,
      queuePrefix: `halve-fault-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    });
    api = await startApi(env, logDir);
    await startNewWorker();
    account = await signupWithSite(api.url);
  }, 300_000);

  afterAll(async () => {
    await pg?.end().catch(() => undefined);
    await cleanup();
    await proxy?.close();
    await db?.drop();
    if (figures.length) console.log(`fault suite (${ROWS} rows per big import):\n  ${figures.join('\n  ')}`);
  });

  scenario(
    'worker kill -9 once mid-import: a new worker finishes it, exact, on a later attempt',
    async () => {
      const meter = await createMeter(account, 'killed once');
      const up = await upload(account, meter, big.file);
      await killWorker('kill once', up, await midImport(sql, up));
      await startNewWorker();
      await expectAllEnded('kill once');
      const o = await outcome(sql, meter, up);
      expectExact(o, big.expected);
      expect(o.jobAttempts).toBeGreaterThanOrEqual(2);
    },
  );

  scenario(
    'worker killed twice during one import: it still ends (exact, or failed naming why, with nothing stored)',
    async () => {
      const meter = await createMeter(account, 'killed twice');
      const up = await upload(account, meter, big.file);
      await killWorker('kill twice (1st)', up, await midImport(sql, up, 1));
      await startNewWorker();
      await killWorker('kill twice (2nd)', up, await midImport(sql, up, 2));
      await startNewWorker();
      await expectAllEnded('kill twice');
      const o = await outcome(sql, meter, up);
      figures.push(`kill twice: the job ended ${o.jobStatus} after ${o.jobAttempts} attempts`);
      if (o.jobStatus === 'succeeded') {
        expectExact(o, big.expected);
        expect(o.jobAttempts).toBeGreaterThanOrEqual(3);
      } else {
        expect(o).toEqual(
          expect.objectContaining({
            importStatus: 'failed',
            jobStatus: 'failed',
            rows: 0,
            rollupMismatches: [],
          }),
        );
        expect(o.importError).toMatch(/killed|crashed|lease/);
      }
    },
  );

  scenario('database connections terminated mid-COPY: the import ends exact on a later attempt', async () => {
    const meter = await createMeter(account, 'terminated');
    const up = await upload(account, meter, big.file);
    await midImport(sql, up);
    // The readings' COPY is streaming now (the worker writes progress between its chunks).
    await until(
      'the import COPY running',
      async () => {
        const { rows } = await pg.query(
          `SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND application_name = 'halve' AND query LIKE 'COPY %'`,
          [db.name],
        );
        return rows.length ? true : undefined;
      },
      60_000,
      50,
    );
    const { rows } = await pg.query<{ t: boolean }>(
      `SELECT pg_terminate_backend(pid) AS t FROM pg_stat_activity WHERE datname = $1 AND application_name = 'halve' AND pid <> pg_backend_pid()`,
      [db.name],
    );
    expect(rows.filter((r) => r.t).length).toBeGreaterThan(0);
    await expectAllEnded('terminate backends');
    const o = await outcome(sql, meter, up);
    expectExact(o, big.expected);
    expect(o.jobAttempts).toBeGreaterThanOrEqual(2);
  });

  scenario(
    'database refusing connections for 15 s mid-import: health answers 503 meanwhile, then the import ends exact',
    async () => {
      const meter = await createMeter(account, 'refused');
      const up = await upload(account, meter, big.file);
      await midImport(sql, up);
      const cutAt = Date.now();
      await proxy.stop();
      proxy.cutAll();
      const health = await until(
        'GET /api/v1/health answering 503 during the outage',
        async () => {
          const res = await fetch(`${api.url}/api/v1/health`, { signal: AbortSignal.timeout(5000) });
          const body = (await res.json()) as { status: string; down?: string[] };
          return res.status === 503
            ? { status: res.status, body, retryAfter: res.headers.get('retry-after') }
            : undefined;
        },
        10_000,
        250,
      );
      expect(health.body.down).toContain('database');
      expect(health.retryAfter).toMatch(/^\d+$/);
      // A request that needs the database: a 503 problem with Retry-After within 2 s, not a 500 or a hang.
      const call = await timedGet(
        `${api.url}/api/v1/orgs/${account.orgId}/imports/${up.importId}`,
        account.auth,
      );
      figures.push(`database refused: GET import answered ${call.status} in ${call.ms} ms`);
      expect({ status: call.status, code: call.body.code, retryAfter: call.retryAfter }).toEqual({
        status: 503,
        code: 'SERVICE_UNAVAILABLE',
        retryAfter: expect.stringMatching(/^\d+$/),
      });
      expect(call.contentType).toMatch(/application\/problem\+json/);
      expect(call.ms).toBeLessThan(2000);
      await sleep(Math.max(0, 15_000 - (Date.now() - cutAt)));
      await proxy.start();
      await until(
        'GET /api/v1/health answering 200 again (no restart)',
        async () =>
          (await fetch(`${api.url}/api/v1/health`, { signal: AbortSignal.timeout(5000) })).status === 200
            ? true
            : undefined,
        60_000,
        250,
      );
      await expectAllEnded('database refused 15 s');
      const o = await outcome(sql, meter, up);
      expectExact(o, big.expected);
      expect(o.jobAttempts).toBeGreaterThanOrEqual(2);
    },
  );

  scenario(
    'Redis stopped and restarted with imports running and queued; uploads while it is down answer 202 at once and complete',
    async () => {
      const running = await createMeter(account, 'redis: running');
      const queued = await createMeter(account, 'redis: queued');
      const during = await createMeter(account, 'redis: uploaded while down');
      const upRunning = await upload(account, running, big.file);
      await midImport(sql, upRunning);
      // One job at a time per worker (HALVE_JOB_CONCURRENCY=1): this one waits in Redis.
      const upQueued = await upload(account, queued, big.file);
      await until(
        'the second import handed to Redis',
        async () =>
          (await pg.query(`SELECT 1 FROM jobs WHERE id = $1 AND dispatched_at IS NOT NULL`, [upQueued.jobId]))
            .rows.length
            ? true
            : undefined,
        30_000,
      );
      await redis.kill();
      const upDuring: Upload = await upload(account, during, small.file);
      figures.push(`upload while Redis is down answered 202 in ${upDuring.answeredInMs} ms`);
      expect(upDuring.answeredInMs).toBeLessThan(2000);
      // Health says the queue is down (503, naming it) within 2 s instead of hanging.
      const health = await timedGet(`${api.url}/api/v1/health`);
      figures.push(`Redis down: health answered ${health.status} in ${health.ms} ms`);
      expect({ status: health.status, down: health.body.down }).toEqual({ status: 503, down: ['queue'] });
      expect(health.ms).toBeLessThan(2000);
      await sleep(5000);
      await redis.start();
      await expectAllEnded('Redis restarted');
      expectExact(await outcome(sql, running, upRunning), big.expected);
      expectExact(await outcome(sql, queued, upQueued), big.expected);
      expectExact(await outcome(sql, during, upDuring), small.expected);
    },
  );

  scenario(
    'Redis replaced by an empty one after a 202, before a worker took the job: the dispatcher delivers it again',
    async () => {
      await worker!.kill9();
      worker = undefined;
      const meter = await createMeter(account, 'redis replaced');
      const up = await upload(account, meter, big.file);
      await until(
        'the import handed to Redis',
        async () =>
          (await pg.query(`SELECT 1 FROM jobs WHERE id = $1 AND dispatched_at IS NOT NULL`, [up.jobId])).rows
            .length
            ? true
            : undefined,
        30_000,
      );
      await redis.kill();
      await redis.start();
      await startNewWorker();
      await expectAllEnded('Redis replaced');
      const o = await outcome(sql, meter, up);
      expectExact(o, big.expected);
      expect(o.jobAttempts).toBe(1);
    },
  );
});
