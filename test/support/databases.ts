import { createClusterDatabase, dropClusterDatabase, run } from '../citus/cluster';

/**
 * Databases of a suite's own on DATABASE_URL's server (kept apart from harness.ts, which loads the whole app, so the
 * per-worker setup in worker-database.setup.ts stays light).
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
  else await run(owner, `CREATE DATABASE ${name}`);
  return () => dropServerDatabase(name, owner);
}

/** Drops the database `name` (on every node of a Citus cluster), if it exists. */
export async function dropServerDatabase(name: string, owner = ownerDatabaseUrl()): Promise<void> {
  if (process.env.CITUS_E2E === '1') await dropClusterDatabase(owner, name);
  else await run(owner, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
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

/** DATABASE_URL's database name; throws unless it is a plain name (it is spliced into SQL below). */
function baseDatabase(url: string): string {
  const base = decodeURIComponent(new URL(url).pathname.slice(1)) || 'postgres';
  if (!/^[a-z_][a-z0-9_]*$/.test(base)) throw new Error(`database "${base}": not a plain PostgreSQL name`);
  return base;
}

/** `<base>_w<worker>_<run>`; throws unless it is a plain name of at most 63 characters. */
function workerDatabase(url: string, testRun: string, worker: string): string {
  const name = `${baseDatabase(url)}_w${worker}_${testRun}`;
  if (!/^[a-z_][a-z0-9_]*$/.test(name) || name.length > 63)
    throw new Error(`worker database "${name}": not a plain PostgreSQL name of at most 63 characters`);
  return name;
}

/**
 * Points this test file's DATABASE_URL (and DATABASE_MIGRATION_URL) at its worker's database for this `npm test` run
 * (HALVE_TEST_RUN, set by global-setup.ts), `<DATABASE_URL's database>_w<worker>_<run>`, creating it on the worker's
 * first file: two workers never share tenants, jobs or migrations and a later run never sees an earlier one's rows.
 * Without DATABASE_URL (the embedded path) or outside a run with HALVE_TEST_RUN, nothing changes.
 */
export async function useWorkerDatabase(): Promise<void> {
  const testRun = process.env.HALVE_TEST_RUN;
  if (!process.env.DATABASE_URL || !testRun) return;
  const name = workerDatabase(process.env.DATABASE_URL, testRun, process.env.JEST_WORKER_ID ?? '1');
  const [found] = await run(ownerDatabaseUrl(), `SELECT 1 FROM pg_database WHERE datname = '${name}'`);
  if (found.length === 0) await createServerDatabase(name);
  Object.assign(process.env, databaseEnv(name));
}

/** Drops every worker database of the run (global-teardown.ts); returns their names. */
export async function dropWorkerDatabases(testRun: string): Promise<string[]> {
  if (!/^[a-z0-9]+$/.test(testRun)) throw new Error(`HALVE_TEST_RUN "${testRun}": letters and digits only`);
  const literal = (part: string) => part.replace(/_/g, '\\_');
  const like = `${literal(baseDatabase(process.env.DATABASE_URL!))}\\_w%\\_${testRun}`;
  const [rows] = (await run(
    ownerDatabaseUrl(),
    `SELECT datname FROM pg_database WHERE datname LIKE '${like}'`,
  )) as { datname: string }[][];
  for (const r of rows) await dropServerDatabase(r.datname);
  return rows.map((r) => r.datname);
}
