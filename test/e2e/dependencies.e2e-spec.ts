import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ChildProcess, spawn } from 'node:child_process';
import { AddressInfo, connect, createServer } from 'node:net';
import request from 'supertest';
import { DataSource } from 'typeorm';
import {
  RequestContext,
  StartupService,
  configureApp,
  requestWorkContext,
  unavailableDependency,
  withSessionTimeouts,
} from '@halve/platform';
import { ApiModule } from '../../apps/api/src/app.module';
import { SignedUp, TestApp, serverMode, signup, startApp, testConfig } from '../support/harness';
import { TcpProxy } from '../support/tcp-proxy';

/**
 * Dependencies down → fast, honest answers (issue 14, item 2). PostgreSQL behind a TCP proxy that
 * refuses, cuts and holds connections; a Redis of our own that we kill. Requests that need a missing
 * dependency answer 503 problem+json with Retry-After, quickly; health answers 503 naming it; once it
 * is back the same requests answer 200 without restarting the app.
 *
 * The bounds on elapsed time (< 3 s where the hang was > 15 s) check a behaviour, not a speed.
 */

type Res = request.Response;

/** Answer times by case; printed after the suite with HALVE_PRINT_TIMINGS=1 (figures for the README, not assertions). */
const timings: Record<string, number[]> = {};

async function timed(send: () => PromiseLike<Res>, label?: string): Promise<{ res: Res; ms: number }> {
  const started = Date.now();
  const res = await send();
  const ms = Date.now() - started;
  if (label) (timings[label] ??= []).push(ms);
  return { res, ms };
}

afterAll(() => {
  if (process.env.HALVE_PRINT_TIMINGS !== '1') return;
  const lines = Object.entries(timings).map(
    ([label, ms]) => `${label}: n=${ms.length} min ${Math.min(...ms)} ms, max ${Math.max(...ms)} ms`,
  );
  console.log(`answer times:\n${lines.join('\n')}`);
});

function expectUnavailable(res: Res, dependency: 'database' | 'queue'): void {
  expect([res.status, res.body.code, res.body.dependency]).toEqual([503, 'SERVICE_UNAVAILABLE', dependency]);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (serverMode().database === 'postgres') {
  describe(`dependencies: PostgreSQL behind a proxy that refuses, cuts and holds connections (${serverMode().queue})`, () => {
    // read in beforeAll: the worker's database (test/support/databases.ts) is set by then
    const target = () => new URL(process.env.DATABASE_URL!);
    const proxy = new TcpProxy({ host: target().hostname, port: Number(target().port || 5432) });
    let t: TestApp;
    let a: SignedUp;
    const sites = () => t.http.get(`/api/v1/orgs/${a.orgId}/sites`).set(a.auth);
    const health = () => t.http.get('/api/v1/health');

    beforeAll(async () => {
      // Start-up (migrations) needs the database: the proxy passes traffic through from the start.
      await proxy.start();
      const viaProxy = target();
      viaProxy.hostname = '127.0.0.1';
      viaProxy.port = String(proxy.port);
      // A short request statement timeout, so the hung-server case ends soon (no request here needs 1.5 s).
      t = await startApp({
        env: { DATABASE_URL: viaProxy.toString(), HALVE_DB_STATEMENT_TIMEOUT_MS: '1500' },
      });
      a = await signup(t, 'deps');
      await t.http
        .post(`/api/v1/orgs/${a.orgId}/sites`)
        .set(a.auth)
        .send({ name: 'Depot', country: 'GB', timezone: 'Europe/London' })
        .expect(201);
    });
    afterAll(async () => {
      proxy.release();
      await proxy.start();
      await t?.close();
      await proxy.close();
    });

    it('refused for a few seconds: tenant requests answer 503 problem+json with Retry-After at once, health 503 naming the database; then 200 again without a restart', async () => {
      await sites().expect(200);
      // a database that restarts: live connections end, new ones are refused
      await proxy.stop();
      proxy.cutAll();
      const until = Date.now() + 3000;
      let answers = 0;
      while (Date.now() < until) {
        const { res, ms } = await timed(() => sites(), 'database refused: GET sites → 503');
        expectUnavailable(res, 'database');
        expect(ms).toBeLessThan(3000);
        answers++;
      }
      expect(answers).toBeGreaterThan(1);
      // a route without a tenant (the sign-up's system transaction) fails the same way
      const signupTry = await t.http.post('/api/v1/auth/signup').send({
        email: `deps-${Date.now()}@example.com`,
        password: 'correct horse battery staple',
        name: 'x',
        organizationName: 'x',
        country: 'GB',
        timezone: 'Europe/London',
      });
      expectUnavailable(signupTry, 'database');
      const h = await timed(() => health(), 'database refused: health → 503');
      expect(h.res.status).toBe(503);
      expect(h.ms).toBeLessThan(3000);
      expect(h.res.headers['retry-after']).toBeDefined();
      expect(h.res.body).toEqual(
        expect.objectContaining({
          status: 'unavailable',
          down: ['database'],
          database: expect.objectContaining({ status: 'down' }),
        }),
      );

      await proxy.start();
      const back = await sites().expect(200);
      expect(back.body).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Depot' })]));
      const healthy = await health().expect(200);
      expect(healthy.body).toEqual(
        expect.objectContaining({ status: 'ok', database: expect.objectContaining({ status: 'up' }) }),
      );
      expect(healthy.body.down).toBeUndefined();
    });

    it('connections cut mid-request: 503, not 500; the next request answers 200', async () => {
      await sites().expect(200);
      // the request's statements reach the proxy and get no answer…
      proxy.hold();
      const pending = timed(
        () => sites(),
        'connections cut mid-request (after 300 ms held): GET sites → 503',
      );
      await sleep(300);
      // …then every connection dies under it
      expect(proxy.cutAll()).toBeGreaterThan(0);
      proxy.release();
      const { res } = await pending;
      expectUnavailable(res, 'database');
      await sites().expect(200);
    });

    it('a connection that dies between two statements of a transaction fails that transaction, not the process', async () => {
      const ds = t.app.get(DataSource);
      // TypeORM listens to a leased client between statements: the death fails the transaction's next statement
      const outcome = await ds
        .transaction(async (em) => {
          await em.query('SELECT 1');
          expect(proxy.cutAll()).toBeGreaterThan(0);
          await sleep(300); // the socket closes while no statement runs on it
          await em.query('SELECT 1');
        })
        .then(
          () => 'committed',
          (e: Error) => e.message,
        );
      expect(outcome).not.toBe('committed');
      await sites().expect(200);
    });

    it('a connection that dies while it is being switched to the job timeout (before TypeORM listens to it) fails that work, not the process', async () => {
      // One pooled connection, first used by request work; job work then makes the pool wrapper send
      // `SET statement_timeout` before TypeORM has its error listener on the client. The connection dies
      // during that SET: an 'error' event nobody listens to would be thrown from the socket's callback.
      const viaProxy = target();
      viaProxy.hostname = '127.0.0.1';
      viaProxy.port = String(proxy.port);
      const ds = await new DataSource({
        type: 'postgres',
        url: viaProxy.toString(),
        poolSize: 1,
      }).initialize();
      withSessionTimeouts(ds, {
        connectMs: 2000,
        requestStatementMs: 1500,
        jobStatementMs: 60_000,
        idleInTransactionMs: 0,
      });
      const uncaught: unknown[] = [];
      const onUncaught = (err: unknown) => uncaught.push(err);
      process.on('uncaughtException', onUncaught);
      try {
        await RequestContext.run(requestWorkContext('deps-window'), () => ds.query('SELECT 1'));
        proxy.hold();
        const outcome = RequestContext.run({ requestId: 'job:deps-window' }, () => ds.query('SELECT 1')).then(
          () => 'answered',
          (e: Error) => e.message,
        );
        await sleep(300);
        expect(proxy.cutAll()).toBeGreaterThan(0);
        proxy.release();
        expect(await outcome).not.toBe('answered');
        await sleep(100);
        expect(uncaught).toEqual([]);
        // the pool gave the dead connection up: the next work gets a new one
        expect(
          await RequestContext.run({ requestId: 'job:deps-window-2' }, () => ds.query('SELECT 1 AS one')),
        ).toEqual([{ one: 1 }]);
      } finally {
        proxy.release();
        process.off('uncaughtException', onUncaught);
        await ds.destroy();
      }
    });

    it('a server that stops answering: the request ends 503 after the statement timeout (+2 s client margin), not never', async () => {
      await sites().expect(200);
      proxy.hold();
      try {
        const { res, ms } = await timed(
          () => sites(),
          'server silent (1.5 s statement timeout): GET sites → 503',
        );
        expectUnavailable(res, 'database');
        // 1.5 s statement timeout + 2 s read margin, or the 2 s connect timeout for a new connection
        expect(ms).toBeLessThan(6000);
      } finally {
        proxy.release();
      }
      await sites().expect(200);
    });

    it('request work runs under the request statement timeout, other work (jobs) under the job one, on the same pooled connections', async () => {
      const ds = t.app.get(DataSource);
      const show = async (asRequest: boolean) => {
        const run = () =>
          ds.transaction((em) => em.query('SHOW statement_timeout')) as Promise<
            { statement_timeout: string }[]
          >;
        const rows = asRequest
          ? await RequestContext.run(requestWorkContext('deps-test'), run)
          : await RequestContext.run({ requestId: 'job:deps-test' }, run);
        return rows[0].statement_timeout;
      };
      expect(await show(true)).toBe('1500ms');
      expect(await show(false)).toBe('1h');
      expect(await show(true)).toBe('1500ms');
      // a request statement past the timeout is cancelled by PostgreSQL: a 503-class error (retry later)
      const err = await RequestContext.run(requestWorkContext('deps-sleep'), () =>
        ds.transaction((em) => em.query('SELECT pg_sleep(3)')),
      ).then(
        () => null,
        (e: unknown) => e,
      );
      expect((err as { code?: string }).code).toBe('57014');
      expect(unavailableDependency(err)).toBe('database');
      // the same statement as job work completes
      await RequestContext.run({ requestId: 'job:deps-sleep' }, () =>
        ds.transaction((em) => em.query('SELECT pg_sleep(2)')),
      );
    });
  });
}

describe(`dependencies: Redis of our own, killed and restarted (${serverMode().database})`, () => {
  let port: number;
  let redis: ChildProcess | null = null;
  let app: INestApplication;
  let http: ReturnType<typeof request>;

  const startRedis = async () => {
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    redis = child;
    for (let i = 0; i < 100; i++) {
      const ok = await new Promise<boolean>((resolve) => {
        const s = connect(port, '127.0.0.1', () => {
          s.destroy();
          resolve(true);
        }).on('error', () => resolve(false));
      });
      if (ok) return;
      if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode})`);
      await sleep(50);
    }
    throw new Error('redis-server did not start');
  };
  const killRedis = async () => {
    const child = redis;
    redis = null;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  };

  const healthyWithin = async (ms: number): Promise<Res> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const res = await http.get('/api/v1/health');
      if (res.status === 200 || Date.now() > deadline) {
        expect([res.status, res.body.down]).toEqual([200, undefined]);
        return res;
      }
      await sleep(100);
    }
  };

  beforeAll(async () => {
    port = await freePort();
    await startRedis();
    // An API process (no worker: it only enqueues), as in production; its database as the suite's.
    const config = testConfig({ REDIS_URL: `redis://127.0.0.1:${port}` });
    const moduleRef = await Test.createTestingModule({ imports: [ApiModule.forRoot(config)] }).compile();
    const nest = moduleRef.createNestApplication<NestExpressApplication>({
      bodyParser: false,
      logger: ['error'],
    });
    configureApp(nest, config);
    await nest.init();
    await nest.get(StartupService).run();
    app = nest;
    http = request(app.getHttpServer());
  });
  afterAll(async () => {
    // BullMQ closes cleanly only with its Redis there
    if (!redis) await startRedis();
    await app?.close();
    await killRedis();
  });

  it('Redis killed: health answers 503 naming the queue at once; reads and uploads go on (the job waits, queued); restarted: 200 again', async () => {
    // just started: the queue is up once the Redis connection is ready
    const up = await healthyWithin(15_000);
    expect(up.body.queue).toEqual(expect.objectContaining({ status: 'up', mode: 'bullmq' }));
    const a = await signup({ http } as TestApp, 'deps-redis');
    const site = await http
      .post(`/api/v1/orgs/${a.orgId}/sites`)
      .set(a.auth)
      .send({ name: 'Yard', country: 'GB', timezone: 'Europe/London' })
      .expect(201);
    const meter = await http
      .post(`/api/v1/orgs/${a.orgId}/meters`)
      .set(a.auth)
      .send({
        siteId: site.body.id,
        name: 'Main',
        unit: 'kWh',
        kind: 'electricity_import',
        intervalMinutes: 60,
      })
      .expect(201);

    await killRedis();
    const h = await timed(() => http.get('/api/v1/health'), 'Redis killed: health → 503');
    expect(h.res.status).toBe(503);
    expect(h.ms).toBeLessThan(3000);
    expect(h.res.headers['retry-after']).toBeDefined();
    expect(h.res.body).toEqual(
      expect.objectContaining({
        status: 'unavailable',
        down: ['queue'],
        queue: expect.objectContaining({ status: 'down' }),
      }),
    );
    expect(h.res.body.database).toEqual(expect.objectContaining({ status: 'up' }));
    // a request that needs only the database still answers
    const sites = await timed(() => http.get(`/api/v1/orgs/${a.orgId}/sites`).set(a.auth));
    expect(sites.res.status).toBe(200);
    // an upload (it enqueues a job) is accepted at once: the job row waits in the database for the queue
    const csv = 'timestamp,kWh\n2024-01-01T00:00:00Z,1.5\n2024-01-01T01:00:00Z,2.5\n';
    const upload = await timed(
      () =>
        http
          .post(`/api/v1/orgs/${a.orgId}/meters/${meter.body.id}/imports`)
          .set(a.auth)
          .attach('file', Buffer.from(csv), 'm.csv'),
      'Redis killed: upload → 202',
    );
    expect(upload.res.status).toBe(202);
    expect(upload.ms).toBeLessThan(3000);
    const job = await http
      .get(`/api/v1/orgs/${a.orgId}/jobs/${upload.res.body.jobId}`)
      .set(a.auth)
      .expect(200);
    expect(job.body.status).toBe('queued');

    // the same process reconnects by itself
    await startRedis();
    const again = await healthyWithin(15_000);
    expect(again.body.queue).toEqual(expect.objectContaining({ status: 'up' }));
  });
});
