import { ArgumentsHost } from '@nestjs/common';
import IORedis from 'ioredis';
import { AddressInfo, Server, Socket, createServer } from 'node:net';
import { Client, Pool } from 'pg';
import { QueryFailedError } from 'typeorm';
import { PglitePool } from '../database/pglite-driver';
import { ProblemFilter } from './problem.filter';
import { NotFoundError } from './problems';
import {
  ServiceUnavailableError,
  isUnavailableError,
  queueEndpoint,
  toServiceUnavailable,
  unavailableDependency,
  withDeadline,
} from './unavailable';

/** A port nothing listens on (bound, read, closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** A server that accepts connections and never says a word (a hung database). */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

async function caught(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (err) {
    return err;
  }
  throw new Error('expected the work to fail');
}

/** Runs the filter on an error and returns what it wrote. */
function render(filter: ProblemFilter, err: unknown) {
  const out: {
    status?: number;
    headers: Record<string, string>;
    body?: Record<string, unknown>;
    type?: string;
  } = { headers: {} };
  const res = {
    headersSent: false,
    setHeader: (k: string, v: string) => (out.headers[k.toLowerCase()] = v),
    status(code: number) {
      out.status = code;
      return res;
    },
    type(t: string) {
      out.type = t;
      return res;
    },
    send(body: string) {
      out.body = JSON.parse(body) as Record<string, unknown>;
      return res;
    },
  };
  const req = { originalUrl: '/api/v1/orgs/x/sites', method: 'GET', id: 'req-1' };
  const host = {
    switchToHttp: () => ({ getResponse: () => res, getRequest: () => req }),
  } as unknown as ArgumentsHost;
  filter.catch(err, host);
  return out;
}

describe('unavailable dependencies: one classification for HTTP and jobs', () => {
  it('a refused PostgreSQL connection (pg, ECONNREFUSED) is the database, unavailable', async () => {
    const port = await closedPort();
    const client = new Client({ host: '127.0.0.1', port, user: 'postgres', database: 'x' });
    const err = await caught(() => client.connect());
    expect((err as { code?: string }).code).toBe('ECONNREFUSED');
    expect(unavailableDependency(err)).toBe('database');
    expect(isUnavailableError(err)).toBe(true);
  });

  it('a server that does not answer: the pool gives up at connectionTimeoutMillis, unavailable', async () => {
    const silent = await silentServer();
    const pool = new Pool({
      host: '127.0.0.1',
      port: silent.port,
      user: 'postgres',
      database: 'x',
      connectionTimeoutMillis: 200,
    });
    pool.on('error', () => undefined);
    try {
      const started = Date.now();
      const err = await caught(() => pool.query('SELECT 1'));
      expect(Date.now() - started).toBeLessThan(2000);
      expect((err as Error).message).toMatch(/timeout/i);
      expect(unavailableDependency(err)).toBe('database');
    } finally {
      await pool.end();
      await silent.close();
    }
  });

  it('a connection cut mid-query ("Connection terminated unexpectedly") is unavailable, also inside TypeORM’s QueryFailedError', async () => {
    const silent = await silentServer();
    // the silent server accepts; pg waits for its answer to the startup message until we cut it
    const client = new Client({ host: '127.0.0.1', port: silent.port, user: 'postgres', database: 'x' });
    client.on('error', () => undefined);
    const connecting = caught(() => client.connect());
    await new Promise((r) => setTimeout(r, 100));
    await silent.close();
    const err = (await connecting) as Error;
    expect(err.message).toMatch(/^Connection terminated/);
    expect(unavailableDependency(err)).toBe('database');
    const wrapped = new QueryFailedError('SELECT 1', [], err);
    expect(unavailableDependency(wrapped)).toBe('database');
  });

  it('PostgreSQL SQLSTATEs: class 08, 57P01–57P03, 53300, a statement timeout; not a constraint violation', () => {
    const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });
    for (const code of ['08000', '08003', '08006', '08001', '57P01', '57P02', '57P03', '53300']) {
      expect([code, unavailableDependency(pgError(code))]).toEqual([code, 'database']);
    }
    expect(unavailableDependency(pgError('57014', 'canceling statement due to statement timeout'))).toBe(
      'database',
    );
    expect(unavailableDependency(pgError('57014', 'canceling statement due to user request'))).toBeNull();
    expect(
      unavailableDependency(pgError('23505', 'duplicate key value violates unique constraint')),
    ).toBeNull();
    expect(unavailableDependency(new NotFoundError('Site'))).toBeNull();
    expect(unavailableDependency(new Error('boom'))).toBeNull();
    expect(unavailableDependency(undefined)).toBeNull();
  });

  it('the embedded database busy past its lease timeout is the database, unavailable', async () => {
    const pool = new PglitePool({ dataDir: 'memory://', leaseTimeoutMs: 100 });
    try {
      const first = await pool.connect();
      const err = await caught(() => pool.connect());
      expect((err as Error).message).toMatch(/embedded database was busy for 100 ms/);
      expect(unavailableDependency(err)).toBe('database');
      first.release();
    } finally {
      await pool.end();
    }
  });

  it('Redis down (ioredis): a command that cannot reach it is the queue, unavailable', async () => {
    const port = await closedPort();
    const redis = new IORedis({
      host: '127.0.0.1',
      port,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      lazyConnect: true,
    });
    redis.on('error', () => undefined);
    try {
      const err = await caught(() => redis.connect().then(() => redis.ping()));
      expect(unavailableDependency(err, { queue: queueEndpoint(`redis://127.0.0.1:${port}`) })).toBe('queue');
      const offline = new IORedis({ host: '127.0.0.1', port, enableOfflineQueue: false, lazyConnect: true });
      const err2 = await caught(() => offline.ping());
      offline.disconnect();
      expect(unavailableDependency(err2)).toBe('queue');
    } finally {
      redis.disconnect();
    }
  });

  it('a raw refused connection to REDIS_URL’s port is the queue; to another port the database', async () => {
    const port = await closedPort();
    const err = await caught(() => new Client({ host: '127.0.0.1', port }).connect());
    expect(unavailableDependency(err, { queue: queueEndpoint(`redis://localhost:${port}/0`) })).toBe('queue');
    expect(unavailableDependency(err, { queue: queueEndpoint('redis://127.0.0.1:6379') })).toBe('database');
    // a timeout made in our code, no socket behind it, that names Redis
    const ping = Object.assign(new Error('Redis PING timed out after 1500 ms'), { code: 'ETIMEDOUT' });
    expect(unavailableDependency(ping)).toBe('queue');
    expect(queueEndpoint('redis://cache.internal')).toEqual({ host: 'cache.internal', port: 6379 });
    expect(queueEndpoint(null)).toBeNull();
  });

  it('withDeadline: a call that does not answer in time is a ServiceUnavailableError naming the dependency', async () => {
    const never = new Promise<never>(() => undefined);
    const started = Date.now();
    const err = await caught(() => withDeadline(never, 50, 'queue', 'Redis'));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(err).toBeInstanceOf(ServiceUnavailableError);
    expect((err as ServiceUnavailableError).dependency).toBe('queue');
    expect((err as Error).message).toBe('Redis did not answer within 50 ms. Retry in 5 s.');
    await expect(withDeadline(Promise.resolve(7), 50, 'database', 'The database')).resolves.toBe(7);
    await expect(
      withDeadline(Promise.reject(new Error('no')), 50, 'database', 'The database'),
    ).rejects.toThrow('no');
  });

  it('the problem filter answers them 503 problem+json with Retry-After, naming the dependency; other errors as before', async () => {
    const filter = new ProblemFilter({ redisUrl: null } as never);
    const port = await closedPort();
    const refused = await caught(() => new Client({ host: '127.0.0.1', port }).connect());
    const out = render(filter, refused);
    expect(out.status).toBe(503);
    expect(out.type).toBe('application/problem+json');
    expect(out.headers['retry-after']).toBe('5');
    expect(out.body).toEqual(
      expect.objectContaining({
        status: 503,
        code: 'SERVICE_UNAVAILABLE',
        dependency: 'database',
        retryAfterSeconds: 5,
        title: 'Service unavailable',
        type: 'https://halve.dev/problems/SERVICE_UNAVAILABLE',
        instance: '/api/v1/orgs/x/sites',
        requestId: 'req-1',
      }),
    );
    expect(String(out.body?.detail)).toMatch(
      /^The database is not answering \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)\. Retry in 5 s\.$/,
    );
    expect(toServiceUnavailable(refused)?.cause).toBe(refused);

    const queue = render(filter, new ServiceUnavailableError('queue'));
    expect([queue.status, queue.headers['retry-after'], queue.body?.dependency]).toEqual([503, '5', 'queue']);
    const bug = render(filter, new TypeError('x is undefined'));
    expect([bug.status, bug.headers['retry-after'], bug.body?.code]).toEqual([500, undefined, 'internal']);
    const missing = render(filter, new NotFoundError('Site', 'abc'));
    expect([missing.status, missing.body?.code]).toEqual([404, 'not_found']);
  });
});
