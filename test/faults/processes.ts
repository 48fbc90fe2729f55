/**
 * Real processes for the fault-injection suites: the API and the worker started from their TypeScript
 * sources (`node -r ./scripts/swc-register.js`), a Redis server of the suite's own, and a PostgreSQL
 * database of its own. Everything started here is registered, and `cleanup()` (afterAll) kills it and
 * removes its folders; a process exit kills the children too, so a crashed run leaves nothing behind.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { AddressInfo, Socket, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';

export const ROOT = resolve(__dirname, '..', '..');

const children = new Set<ChildProcess>();
const folders = new Set<string>();
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

process.on('exit', () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** A fresh temporary folder, removed by cleanup(). */
export function tempDir(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), `halve-fault-${tag}-`));
  folders.add(dir);
  return dir;
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** Thrown by a probe of `until` to stop waiting at once (the awaited state can no longer come). */
export class GiveUp extends Error {}

/** Polls `probe` until it returns a value (not undefined), or throws naming `what` after `timeoutMs`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      if (err instanceof GiveUp) throw err;
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(
        `${what}: not reached within ${timeoutMs} ms${last ? ` (last error: ${(last as Error).message})` : ''}`,
      );
    await sleep(everyMs);
  }
}

/** A child process with its output in a log file (shown when a test fails). */
export class Proc {
  readonly exited: Promise<void>;
  private readonly logFile: string;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
    logFile: string,
  ) {
    this.logFile = logFile;
    this.exited = new Promise((r) => child.once('exit', () => r()));
    child.once('exit', () => children.delete(child));
  }

  get pid(): number {
    return this.child.pid!;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** kill -9, and waits until it is gone. */
  async kill9(): Promise<void> {
    if (this.alive) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM (a clean shutdown), then SIGKILL if it has not ended within `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (!this.alive) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** The last lines of its output (start-up chatter left out). */
  tail(lines = 40): string {
    try {
      const chatter = /Mapped \{|RoutesResolver|RouterExplorer|InstanceLoader/;
      return readFileSync(this.logFile, 'utf8')
        .split('\n')
        .filter((l) => !chatter.test(l))
        .slice(-lines)
        .join('\n');
    } catch {
      return '';
    }
  }

  log(): string {
    try {
      return readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }
}

function start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, logDir: string): Proc {
  const logFile = join(logDir, `${name}-${Date.now()}.log`);
  const out = createWriteStream(logFile);
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  return new Proc(name, child, logFile);
}

/** Short job timings for the suites' processes: a dead process's job is taken back within lease + reaper. */
export const JOB_TIMINGS = { leaseMs: 3000, reaperMs: 1000, pollMs: 500, backoffMs: 1000 };

/** The environment every Halve process of a suite shares: short job timings, nothing automatic. */
export function halveEnv(
  settings: {
    dataDir: string;
    databaseUrl?: string;
    migrationUrl?: string;
    redisUrl?: string;
    queuePrefix: string;
  },
  overrides: Record<string, string> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HALVE_DATA_DIR: settings.dataDir,
    HALVE_DEMO: 'off',
    HALVE_JOB_LEASE_MS: String(JOB_TIMINGS.leaseMs),
    HALVE_JOB_REAPER_MS: String(JOB_TIMINGS.reaperMs),
    HALVE_JOB_POLL_MS: String(JOB_TIMINGS.pollMs),
    HALVE_JOB_BACKOFF_MS: String(JOB_TIMINGS.backoffMs),
    HALVE_JOB_CONCURRENCY: '1',
    HALVE_AUTO_TRAIN: 'off',
    HALVE_AUTO_ANALYSE: 'off',
    HALVE_NIGHTLY_TRAIN: 'off',
    HALVE_QUEUE_PREFIX: settings.queuePrefix,
    HALVE_JWT_SECRET: 'fault-suite-secret-that-is-long-enough-for-hs256-0123456789',
    HALVE_ACCESS_TOKEN_TTL: '3600',
    HALVE_AUTH_RATE_LIMIT: '100000',
    LOG_LEVEL: process.env.HALVE_FAULT_LOG_LEVEL ?? 'info',
    ...overrides,
  };
  delete env.DATABASE_URL;
  delete env.DATABASE_MIGRATION_URL;
  delete env.REDIS_URL;
  delete env.PORT;
  if (settings.databaseUrl) env.DATABASE_URL = settings.databaseUrl;
  if (settings.migrationUrl) env.DATABASE_MIGRATION_URL = settings.migrationUrl;
  if (settings.redisUrl) env.REDIS_URL = settings.redisUrl;
  return env;
}

/** The same server and login, another database. */
export function withDatabaseName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

const NODE_ARGS = ['-r', './scripts/swc-register.js'];

/** The API from its sources on a free port; resolves once GET /api/v1/health answers 200. */
export async function startApi(
  env: NodeJS.ProcessEnv,
  logDir: string,
  port?: number,
): Promise<{ proc: Proc; url: string; port: number }> {
  const p = port ?? (await freePort());
  const proc = start(
    'api',
    process.execPath,
    [...NODE_ARGS, 'apps/api/src/main.ts'],
    { ...env, PORT: String(p) },
    logDir,
  );
  const url = `http://127.0.0.1:${p}`;
  try {
    await until(
      'the API answering GET /api/v1/health with 200',
      async () => {
        if (!proc.alive)
          throw new GiveUp(
            `the API exited (${proc.child.exitCode ?? proc.child.signalCode}):\n${proc.tail()}`,
          );
        const res = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(3000) });
        return res.status === 200 ? true : undefined;
      },
      120_000,
      250,
    );
  } catch (err) {
    await proc.kill9();
    throw new Error(`${(err as Error).message}\n--- api log ---\n${proc.tail()}`);
  }
  return { proc, url, port: p };
}

/** The worker from its sources; resolves once it says it is processing jobs. */
export async function startWorker(env: NodeJS.ProcessEnv, logDir: string): Promise<Proc> {
  const proc = start('worker', process.execPath, [...NODE_ARGS, 'apps/worker/src/main.ts'], env, logDir);
  try {
    await until(
      'the worker saying it is processing jobs',
      async () => {
        if (!proc.alive)
          throw new GiveUp(
            `the worker exited (${proc.child.exitCode ?? proc.child.signalCode}):\n${proc.tail()}`,
          );
        return proc.log().includes('Halve worker is processing jobs') ? true : undefined;
      },
      120_000,
      250,
    );
  } catch (err) {
    await proc.kill9();
    throw new Error(`${(err as Error).message}\n--- worker log ---\n${proc.tail()}`);
  }
  return proc;
}

/** Sends PING to a Redis server; true on +PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolveP) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolveP(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (d) => done(d.toString().startsWith('+PONG')));
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}

/** A redis-server of the suite's own (no persistence), on a fixed port across restarts. */
export class RedisServer {
  proc?: Proc;
  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async create(): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), tempDir('redis'));
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts a fresh, empty server on the same port. */
  async start(): Promise<void> {
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      this.dir,
    ];
    const proc = start('redis', 'redis-server', args, { ...process.env }, this.dir);
    this.proc = proc;
    await until(
      `redis-server answering PING on port ${this.port}`,
      async () => {
        if (!proc.alive) throw new GiveUp(`redis-server exited:\n${proc.tail()}`);
        return (await ping(this.port)) ? true : undefined;
      },
      20_000,
      100,
    );
  }

  /** kill -9: everything it held is gone. */
  async kill(): Promise<void> {
    await this.proc?.kill9();
  }
}

/**
 * A database of the suite's own on the server at DATABASE_URL (dropped by drop()): created by the owner's
 * login (DATABASE_MIGRATION_URL, else DATABASE_URL); `url` logs in as the app's login, `ownerUrl` as the owner.
 */
export class OwnDatabase {
  private constructor(
    readonly name: string,
    readonly url: string,
    readonly ownerUrl: string,
    private readonly adminUrl: string,
  ) {}

  static async create(
    appUrl: string,
    adminUrl = process.env.DATABASE_MIGRATION_URL || appUrl,
  ): Promise<OwnDatabase> {
    const name = `halve_fault_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.end();
    }
    return new OwnDatabase(name, withDatabaseName(appUrl, name), withDatabaseName(adminUrl, name), adminUrl);
  }

  /** The same database reached through another host:port (a TcpProxy). */
  via(port: number, host = '127.0.0.1'): string {
    const u = new URL(this.url);
    u.hostname = host;
    u.port = String(port);
    return u.toString();
  }

  async drop(): Promise<void> {
    const admin = new Client({ connectionString: this.adminUrl });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
}

/** Kills every process started here (kill -9) and removes every temporary folder. */
export async function cleanup(): Promise<void> {
  const running = [...children];
  for (const child of running)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(
    running.map((c) =>
      c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : undefined,
    ),
  );
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  folders.clear();
}
