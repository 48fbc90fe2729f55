import { Client } from 'pg';
import { createClusterDatabase, dropClusterDatabase } from '../citus/cluster';

/**
 * Databases of a suite's own on DATABASE_URL's server (kept apart from harness.ts, which loads the whole app, so the
 * per-worker setup in worker-database.ts stays light).
 */

/** The owner's login (migrations, creating databases, checks that need more than the app may do). */
export function ownerDatabaseUrl(): string {
  const url = process.env.DATABASE_MIGRATION_URL || process.env.DATABASE_URL;
  if (!url) throw new Error('ownerDatabaseUrl: no DATABASE_URL');
  return url;
}

function renameDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Creates the database `name` on DATABASE_URL's server with the owner's login (on a Citus cluster, scripts/citus/e2e.sh:
 * on every node, with the extension, ADR 0011) and returns how to drop it again.
 */
export async function createServerDatabase(name: string): Promise<() => Promise<void>> {
  const owner = ownerDatabaseUrl();
  if (process.env.CITUS_E2E === '1') await createClusterDatabase(owner, name);
  else await ownerQuery(owner, `CREATE DATABASE ${name}`);
  return () => dropServerDatabase(name, owner);
}

/** Drops the database `name` (on every node of a Citus cluster), if it exists. */
export async function dropServerDatabase(name: string, owner = ownerDatabaseUrl()): Promise<void> {
  if (process.env.CITUS_E2E === '1') await dropClusterDatabase(owner, name);
  else await ownerQuery(owner, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

async function ownerQuery(owner: string, sql: string): Promise<void> {
  const c = new Client({ connectionString: owner });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/**
 * A PostgreSQL database of the test's own on DATABASE_URL's server, created and dropped by the owner's login;
 * `env` points the app (DATABASE_URL, DATABASE_MIGRATION_URL) at it. On the embedded path: `{}`, nothing to drop.
 */
export async function ownDatabase(
  tag: string,
): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  if (!process.env.DATABASE_URL) return { env: {}, drop: async () => undefined };
  const name = `halve_${tag}_${process.pid}_${Date.now().toString(36)}`;
  return { env: databaseEnv(name), drop: await createServerDatabase(name) };
}

/** DATABASE_URL (and DATABASE_MIGRATION_URL when set) renamed to the database `name`. */
export function databaseEnv(name: string): Record<string, string> {
  const env: Record<string, string> = { DATABASE_URL: renameDatabase(process.env.DATABASE_URL!, name) };
  if (process.env.DATABASE_MIGRATION_URL)
    env.DATABASE_MIGRATION_URL = renameDatabase(process.env.DATABASE_MIGRATION_URL, name);
  return env;
}

/**
 * The database a jest worker runs its suites in during one `npm test` run (HALVE_TEST_RUN, set by global-setup.ts):
 * `<DATABASE_URL's database>_w<worker>_<run>`, so two workers never share tenants, jobs or migrations and a later
 * run never sees an earlier one's rows.
 */
export function workerDatabaseName(baseUrl: string, run: string, worker: string): string {
  const base = decodeURIComponent(new URL(baseUrl).pathname.slice(1)) || 'postgres';
  if (!/^[a-z0-9_]+$/.test(run) || !/^[0-9]+$/.test(worker))
    throw new Error(`workerDatabaseName: run "${run}" and worker "${worker}" must be [a-z0-9_] and digits`);
  const name = `${base}_w${worker}_${run}`;
  if (!/^[a-z_][a-z0-9_]*$/.test(name) || name.length > 63)
    throw new Error(`workerDatabaseName: "${name}" is not a plain PostgreSQL name of at most 63 characters`);
  return name;
}

/** Is `name` a database on the owner's server? */
async function databaseExists(name: string): Promise<boolean> {
  const c = new Client({ connectionString: ownerDatabaseUrl() });
  await c.connect();
  try {
    return (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  } finally {
    await c.end();
  }
}

/**
 * Points this test file's DATABASE_URL (and DATABASE_MIGRATION_URL) at its worker's database, creating it on the
 * worker's first file. Without DATABASE_URL (the embedded path) or outside a run with HALVE_TEST_RUN, nothing changes.
 */
export async function useWorkerDatabase(): Promise<void> {
  const run = process.env.HALVE_TEST_RUN;
  if (!process.env.DATABASE_URL || !run) return;
  const name = workerDatabaseName(process.env.DATABASE_URL, run, process.env.JEST_WORKER_ID ?? '1');
  if (!(await databaseExists(name))) await createServerDatabase(name);
  Object.assign(process.env, databaseEnv(name));
}

/** Drops every worker database of the run (global-teardown.ts); returns their names. */
export async function dropWorkerDatabases(run: string): Promise<string[]> {
  const sample = workerDatabaseName(process.env.DATABASE_URL!, run, '0');
  const base = sample.slice(0, sample.length - `_w0_${run}`.length);
  const c = new Client({ connectionString: ownerDatabaseUrl() });
  await c.connect();
  let names: string[];
  try {
    const rows = await c.query<{ datname: string }>('SELECT datname FROM pg_database');
    names = rows.rows.map((r) => r.datname).filter((n) => isWorkerDatabase(n, base, run));
  } finally {
    await c.end();
  }
  for (const name of names) await dropServerDatabase(name);
  return names;
}

/** Is `name` one of `base`'s worker databases in `run`? */
export function isWorkerDatabase(name: string, base: string, run: string): boolean {
  const prefix = `${base}_w`;
  const suffix = `_${run}`;
  if (!name.startsWith(prefix) || !name.endsWith(suffix)) return false;
  return /^[0-9]+$/.test(name.slice(prefix.length, name.length - suffix.length));
}
