/**
 * Helpers shared by the benchmarks that run a real server (import.bench.ts, responsiveness.bench.ts):
 * start the built API as `npm start` runs it, read its memory, call its JSON API, sign up an
 * organisation with a meter, and import a file through HTTP.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export async function startServer(env: Record<string, string>, port: number): Promise<ChildProcess> {
  // The server runs as `npm start` runs it: --max-semi-space-size=8 (8 MB semi-spaces: scavenges
  // come often enough to free the parse worker's transferred buffers, ≈ 45 MB less peak RSS, measured)
  // and MALLOC_ARENA_MAX=2 (glibc's per-thread arenas otherwise keep the worker's freed memory).
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_NODE_FLAGS ?? '--max-semi-space-size=8').split(' ').filter(Boolean),
      'dist/apps/api/src/main.js',
    ],
    {
      env: {
        MALLOC_ARENA_MAX: '2',
        ...process.env,
        PORT: String(port),
        HALVE_DEMO: 'off',
        LOG_LEVEL: 'warn',
        HALVE_AUTH_RATE_LIMIT: '100000',
        HALVE_JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
        ...env,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null)
      throw new Error(`the server exited (code ${child.exitCode}) before it answered`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
      if (res.ok) return child;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not start');
}

/** A TCP port nobody listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** A process's resident memory from /proc: the peak so far (VmHWM) or the current figure (VmRSS), MB. */
export function rssMb(pid: number, field: 'VmHWM' | 'VmRSS' = 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return kb / 1024;
}

export async function json(
  url: string,
  init: RequestInit & { token?: string } = {},
): Promise<Record<string, unknown>> {
  // A fresh connection each time: a pooled socket may have been closed by the server while idle.
  const res = await fetch(url, {
    keepalive: false,
    ...init,
    headers: {
      connection: 'close',
      'content-type': 'application/json',
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.headers ?? {}),
    },
  });
  const body = (await res.json()) as Record<string, unknown>;
  if (!res.ok)
    throw Object.assign(new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${JSON.stringify(body)}`), {
      status: res.status,
    });
  return body;
}

export interface BenchOrg {
  base: string;
  token: string;
  orgId: string;
}

/** A new user and organisation (timezone UTC) on the server at `port`. */
export async function signupBench(port: number): Promise<BenchOrg> {
  const base = `http://127.0.0.1:${port}/api/v1`;
  const signup = await json(`${base}/auth/signup`, {
    method: 'POST',
    body: JSON.stringify({
      email: `bench-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`,
      password: 'benchmark password',
      name: 'Bench',
      organizationName: 'Bench Ltd',
      country: 'GB',
      timezone: 'UTC',
    }),
  });
  return { base, token: signup.accessToken as string, orgId: (signup.organization as { id: string }).id };
}

/** A site and an electricity meter on it; returns the meter's id. */
export async function createMeter(
  org: BenchOrg,
  options: { name: string; siteName?: string; timezone?: string; intervalMinutes?: number },
): Promise<string> {
  const { base, token, orgId } = org;
  const site = await json(`${base}/orgs/${orgId}/sites`, {
    method: 'POST',
    token,
    body: JSON.stringify({
      name: options.siteName ?? options.name,
      country: 'GB',
      timezone: options.timezone ?? 'UTC',
    }),
  });
  const meter = await json(`${base}/orgs/${orgId}/meters`, {
    method: 'POST',
    token,
    body: JSON.stringify({
      siteId: site.id,
      name: options.name,
      kind: 'electricity_import',
      unit: 'kWh',
      intervalMinutes: options.intervalMinutes ?? 15,
    }),
  });
  return meter.id as string;
}

/**
 * Uploads a file to a meter and waits for its import to end. curl streams the file from disk
 * (multipart), as a browser or a script would; it runs as a child process, so this process's event
 * loop stays free (a benchmark may measure something else meanwhile).
 */
export async function importFile(
  org: BenchOrg,
  meterId: string,
  file: string,
): Promise<{ seconds: number; report: Record<string, unknown>; job: Record<string, unknown> }> {
  const { base, token, orgId } = org;
  const started = process.hrtime.bigint();
  const out = await new Promise<string>((resolve, reject) =>
    execFile(
      'curl',
      [
        '-sS',
        '-H',
        `authorization: Bearer ${token}`,
        '-F',
        `file=@${file}`,
        `${base}/orgs/${orgId}/meters/${meterId}/imports`,
      ],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
      (err, stdout) => (err ? reject(err) : resolve(stdout)),
    ),
  );
  const { importId } = JSON.parse(out) as { importId?: string };
  if (!importId) throw new Error(`the upload was refused: ${out}`);
  let report: Record<string, unknown>;
  for (;;) {
    try {
      report = await json(`${base}/orgs/${orgId}/imports/${importId}`, { token });
    } catch (err) {
      // the embedded database serves one transaction at a time: a read may wait out the import's and
      // be told to retry (503)
      if ((err as { status?: number }).status === 503) continue;
      throw err;
    }
    if (report.status === 'succeeded' || report.status === 'failed') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (report.status !== 'succeeded') throw new Error(`import failed: ${JSON.stringify(report)}`);
  const job = await json(`${base}/orgs/${orgId}/jobs/${report.jobId}`, { token });
  return { seconds, report, job };
}

/** A new organisation and 15-minute meter, then the file's import through the API, timed from the upload's first byte to `succeeded`. */
export async function importThroughApi(
  port: number,
  csv: string,
): Promise<{ seconds: number; report: Record<string, unknown>; token: string; orgId: string }> {
  const org = await signupBench(port);
  const meterId = await createMeter(org, { name: 'Bench meter', siteName: 'Bench' });
  const { seconds, report, job } = await importFile(org, meterId, csv);
  console.log(
    `    phases (ms): ${JSON.stringify((job.result as { timingsMs?: unknown })?.timingsMs)}; rows read ${report.rowsRead}, stored ${report.rowsStored}, rejected ${report.rowsRejected}`,
  );
  return { seconds, report, token: org.token, orgId: org.orgId };
}
