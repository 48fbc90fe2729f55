import { Client } from 'pg';

/**
 * A database of its own on a Citus cluster (issue 20, docs/adr/0011-citus-scale-out.md). CREATE DATABASE is not
 * propagated: the database and the extension are made on every node, then the workers are registered in it.
 * `admin` is the coordinator's superuser on any database that lists the workers (`.ci/citus` prints one).
 */

export function urlFor(base: string, database: string, user?: string): string {
  const u = new URL(base);
  u.pathname = `/${database}`;
  if (user) {
    u.username = user;
    u.password = '';
  }
  return u.toString();
}

export async function run(url: string, ...statements: string[]): Promise<unknown[][]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const out: unknown[][] = [];
    for (const sql of statements) out.push((await c.query(sql)).rows);
    return out;
  } finally {
    await c.end();
  }
}

/** The worker URLs registered in the admin URL's database, reached with the same login as the coordinator. */
export async function workerUrls(admin: string): Promise<string[]> {
  const [rows] = (await run(
    admin,
    `SELECT nodename, nodeport FROM pg_dist_node WHERE groupid <> 0 AND noderole = 'primary' ORDER BY nodeport`,
  )) as { nodename: string; nodeport: number }[][];
  return rows.map((r) => {
    const u = new URL(admin);
    u.hostname = r.nodename;
    u.port = String(r.nodeport);
    return u.toString();
  });
}

/** Is the admin URL a Citus coordinator (the extension in its database)? */
export async function isCitus(admin: string): Promise<boolean> {
  const [rows] = await run(admin, `SELECT 1 FROM pg_extension WHERE extname = 'citus'`);
  return rows.length > 0;
}

/**
 * Runs `fn` holding a cluster-wide advisory lock (on the coordinator's `postgres` database), so two processes never
 * make or drop databases at once. That alone does not let two jest workers share a cluster (session 14): roles are
 * cluster-wide, and `citus_add_node` in one new database re-creates them on the workers
 * (`worker_create_or_alter_role`) while the other worker's migrations `ALTER ROLE` them — "tuple concurrently
 * updated" on the worker, "failure on connection marked as essential" here. scripts/citus/e2e.sh stays in band.
 */
async function clusterTurn<T>(admin: string, fn: () => Promise<T>): Promise<T> {
  const lock = new Client({ connectionString: urlFor(admin, 'postgres') });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock(727275)');
    return await fn();
  } finally {
    // ending the session releases the lock
    await lock.end();
  }
}

/**
 * Creates `name` on the coordinator and every worker with the extension, registers the workers, and creates the
 * app's login (NOINHERIT, no rights: ADR 0010) when given. A database that fails part-way is
 * dropped on every node. `shardCount` is per database (production: 32).
 */
export async function createClusterDatabase(
  admin: string,
  name: string,
  options: { shardCount?: number; appLogin?: string } = {},
): Promise<void> {
  await clusterTurn(admin, async () => {
    try {
      await makeClusterDatabase(admin, name, options);
    } catch (err) {
      // nothing half-made is left behind
      await dropOnEveryNode(admin, name);
      throw err;
    }
  });
}

async function makeClusterDatabase(
  admin: string,
  name: string,
  options: { shardCount?: number; appLogin?: string },
): Promise<void> {
  const workers = await workerUrls(admin);
  for (const node of [admin, ...workers]) {
    await run(node, `CREATE DATABASE ${name}`);
    await run(urlFor(node, name), 'CREATE EXTENSION citus');
  }
  const coordinator = new URL(admin);
  await run(
    urlFor(admin, name),
    `SELECT citus_set_coordinator_host('${coordinator.hostname}', ${coordinator.port || 5432})`,
    ...(options.shardCount ? [`ALTER DATABASE ${name} SET citus.shard_count = ${options.shardCount}`] : []),
    ...workers.map((w) => `SELECT citus_add_node('${new URL(w).hostname}', ${new URL(w).port})`),
  );
  if (options.appLogin)
    await run(
      urlFor(admin, name),
      `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${options.appLogin}') THEN
         CREATE ROLE ${options.appLogin} LOGIN NOINHERIT; END IF; END $$`,
    );
}

/** Drops `name` on every node (workers as listed in the admin URL's database). */
export async function dropClusterDatabase(admin: string, name: string): Promise<void> {
  await clusterTurn(admin, () => dropOnEveryNode(admin, name));
}

/**
 * DROP DATABASE on every node. Citus's maintenance daemon of a database (a background worker, which FORCE cannot
 * end) may be just starting when a new database is dropped: "being accessed by other users" (55006, seen in CI
 * right after a failed creation), so that answer is retried; any other failure, or the last one, is thrown.
 */
async function dropOnEveryNode(admin: string, name: string): Promise<void> {
  const workers = await workerUrls(admin);
  for (const node of [admin, ...workers]) {
    for (let attempt = 1; ; attempt++) {
      try {
        await run(node, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        break;
      } catch (err) {
        if ((err as { code?: string }).code !== '55006' || attempt >= 5) throw err;
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
      }
    }
  }
}
