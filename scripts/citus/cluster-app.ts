/**
 * The API as a real process against a database, for the Citus scripts (scripts/citus/rebalance.ts) and
 * `bench:citus` (test/bench/citus.bench.ts): started from the TypeScript sources (no build), in-process jobs,
 * with helpers to make tenants, import readings through the API and read what the dashboard reads.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BenchOrg,
  createMeter,
  freePort,
  importFile,
  json,
  signupBench,
} from '../../test/bench/bench-server';

export interface RunningApi {
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts apps/api/src/main.ts with the app's login (`url`) and the owner (`ownerUrl`, migrations). */
export async function startApi(
  url: string,
  ownerUrl: string,
  env: Record<string, string> = {},
): Promise<RunningApi> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', './scripts/swc-register.js', 'apps/api/src/main.ts'], {
    env: {
      ...process.env,
      MALLOC_ARENA_MAX: '2',
      PORT: String(port),
      DATABASE_URL: url,
      DATABASE_MIGRATION_URL: ownerUrl,
      HALVE_DB_LEAST_PRIVILEGE: 'require',
      REDIS_URL: '',
      HALVE_DEMO: 'off',
      HALVE_AUTO_TRAIN: 'off',
      HALVE_NIGHTLY_TRAIN: 'off',
      HALVE_AUTO_ANALYSE: 'off',
      LOG_LEVEL: 'error',
      HALVE_AUTH_RATE_LIMIT: '100000',
      // a large run imports for longer than the 15-minute default lifetime of the tenants' access tokens
      HALVE_ACCESS_TOKEN_TTL: '86400',
      HALVE_JWT_SECRET: 'citus-script-secret-citus-script-secret-0123',
      HALVE_DATA_DIR: mkdtempSync(join(tmpdir(), 'halve-citus-')),
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  };
  for (let i = 0; i < 900; i++) {
    if (child.exitCode !== null)
      throw new Error(`the API exited (code ${child.exitCode}) before it answered`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/v1/health`)).ok) return { port, child, stop };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error('the API did not start within 180 s');
}

export interface Tenant extends BenchOrg {
  meterId: string;
}

/** A new organisation with a site and a 15-minute electricity meter (UTC). */
export async function newTenant(port: number): Promise<Tenant> {
  const org = await signupBench(port);
  const meterId = await createMeter(org, { name: 'Main', siteName: 'Site', intervalMinutes: 15 });
  return { ...org, meterId };
}

/** Imports a meter CSV through the API's upload; answers the rows stored and the seconds from upload to done. */
export async function importCsv(t: Tenant, file: string): Promise<{ seconds: number; rows: number }> {
  const { seconds, report } = await importFile(t, t.meterId, file);
  return { seconds, rows: Number(report.rowsStored) };
}

/**
 * What the dashboard reads for a year: the inventory of the year and the meter's days. Answers the
 * milliseconds, or throws with the status.
 */
export async function dashboardRead(t: Tenant, year: number): Promise<number> {
  const started = process.hrtime.bigint();
  const from = `${year}-01-01`;
  const to = `${year + 1}-01-01`;
  await json(`${t.base}/orgs/${t.orgId}/inventory?from=${from}&to=${to}`, { token: t.token });
  await json(`${t.base}/orgs/${t.orgId}/meters/${t.meterId}/readings?from=${from}&to=${to}&resolution=day`, {
    token: t.token,
  });
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
