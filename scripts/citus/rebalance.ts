/**
 * The node half of scripts/citus/rebalance.sh (read it first): a database of its own on the cluster, the API
 * serving it, tenants with readings imported through the API (one ten times larger), then a new worker
 * (NEW_NODE, started by the shell script), citus_rebalance_start() while the dashboard is read in a loop, and
 * isolate_tenant_to_new_shard for the large tenant. Prints placements before and after, and the reads' outcome.
 * REBALANCE_TENANTS (default 6) and REBALANCE_ROWS (15-minute readings a tenant, default 2,976 = 31 days).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeMeterCsv } from '../../test/bench/make-meter-csv';
import { createClusterDatabase, dropClusterDatabase, run, urlFor } from '../../test/citus/cluster';
import { Tenant, dashboardRead, importCsv, newTenant, percentile, startApi } from './cluster-app';

const admin = process.env.CITUS_URL as string;
const [newHost, newPort] = (process.env.NEW_NODE ?? '127.0.0.1:9703').split(':');
const name = `halve_rebalance_${process.pid}`;
const owner = urlFor(admin, name);
const tenantsWanted = Number(process.env.REBALANCE_TENANTS ?? 6);
const rows = Number(process.env.REBALANCE_ROWS ?? 2976);

async function q<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const { Client } = await import('pg');
  const c = new Client({ connectionString: owner });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

/** Shards, bytes and readings of each node (readings and every co-located table move together). */
async function placements(title: string): Promise<void> {
  const nodes = await q<{ node: string; shards: string; mb: string }>(
    `SELECT s.nodename || ':' || s.nodeport AS node, count(*) AS shards, round(sum(s.shard_size) / 1048576.0, 1) AS mb
       FROM citus_shards s WHERE s.colocation_id = (SELECT colocationid FROM pg_dist_partition
                                                      WHERE logicalrelid = 'organizations'::regclass)
      GROUP BY 1 ORDER BY 1`,
  );
  const readings = await q<{ node: string; n: string }>(
    `SELECT s.nodename || ':' || s.nodeport AS node, sum(r.result::bigint) AS n
       FROM run_command_on_shards('readings', 'SELECT count(*) FROM %s') r
       JOIN citus_shards s ON s.shardid = r.shardid GROUP BY 1 ORDER BY 1`,
  );
  console.log(`\n${title}`);
  for (const n of nodes)
    console.log(
      `  ${n.node}: ${n.shards} shards of the tenant tables, ${n.mb} MB, ${readings.find((r) => r.node === n.node)?.n ?? 0} readings`,
    );
}

async function tenantShard(t: Tenant): Promise<string> {
  const [r] = await q<{ shard: string; node: string; lo: string; hi: string }>(
    `SELECT s.shardid AS shard, s.nodename || ':' || s.nodeport AS node, d.shardminvalue AS lo, d.shardmaxvalue AS hi
       FROM citus_shards s JOIN pg_dist_shard d ON d.shardid = s.shardid
      WHERE s.shardid = get_shard_id_for_distribution_column('readings', $1::uuid)`,
    [t.orgId],
  );
  return `shard ${r.shard} (hash ${r.lo}…${r.hi}) on ${r.node}`;
}

/** Reads the dashboard of every tenant in turn until stopped; answers latencies and failures. */
function readLoop(tenants: Tenant[], year: number) {
  let stop = false;
  const ms: number[] = [];
  const errors: string[] = [];
  const done = (async () => {
    for (let i = 0; !stop; i++) {
      try {
        ms.push(await dashboardRead(tenants[i % tenants.length], year));
      } catch (e) {
        errors.push((e as Error).message.slice(0, 160));
      }
    }
  })();
  return {
    async end() {
      stop = true;
      await done;
      const s = [...ms].sort((a, b) => a - b);
      return {
        reads: ms.length,
        failed: errors.length,
        p50: percentile(s, 50),
        p99: percentile(s, 99),
        errors,
      };
    },
  };
}

function report(
  what: string,
  r: { reads: number; failed: number; p50: number; p99: number; errors: string[] },
) {
  console.log(
    `  dashboard reads during ${what}: ${r.reads} answered, ${r.failed} failed; p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms`,
  );
  for (const e of [...new Set(r.errors)].slice(0, 3)) console.log(`    failure: ${e}`);
}

async function main(): Promise<void> {
  const newNode = `postgres://${new URL(admin).username || 'postgres'}@${newHost}:${newPort}/postgres`;
  await createClusterDatabase(admin, name, { shardCount: 8, appLogin: 'halve_ci_app' });
  const api = await startApi(urlFor(admin, name, 'halve_ci_app'), owner);
  try {
    const dir = mkdtempSync(join(tmpdir(), 'halve-rebalance-'));
    const small = join(dir, 'small.csv');
    const large = join(dir, 'large.csv');
    await makeMeterCsv(small, { rows });
    await makeMeterCsv(large, { rows: rows * 10 });
    const tenants: Tenant[] = [];
    for (let i = 0; i < tenantsWanted; i++) {
      const t = await newTenant(api.port);
      const r = await importCsv(t, i === 0 ? large : small);
      tenants.push(t);
      console.log(
        `tenant ${i + 1} ${t.orgId}: ${r.rows} readings imported through the API in ${r.seconds.toFixed(1)} s`,
      );
    }
    const big = tenants[0];
    await placements('before: 2 workers');
    console.log(`  large tenant ${big.orgId}: ${await tenantShard(big)}`);

    await run(newNode, `CREATE DATABASE ${name}`);
    await run(urlFor(newNode, name), 'CREATE EXTENSION citus');
    await q(`SELECT citus_add_node($1, $2)`, [newHost, Number(newPort)]);
    console.log(`\nadded worker ${newHost}:${newPort}; citus_rebalance_start() while reading the dashboard`);
    const loop = readLoop(tenants, 2020);
    const started = Date.now();
    await q(`SELECT citus_rebalance_start(shard_transfer_mode => 'block_writes')`);
    await q(`SELECT citus_rebalance_wait()`);
    const [status] = await q<{ state: string }>(
      `SELECT state FROM citus_rebalance_status() ORDER BY job_id DESC LIMIT 1`,
    );
    console.log(`  rebalance ${status?.state ?? '?'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    report('the rebalance', await loop.end());
    await placements('after the rebalance: 3 workers');

    const loop2 = readLoop(tenants, 2020);
    const isolated = Date.now();
    const [iso] = await q<{ shard: string }>(
      `SELECT isolate_tenant_to_new_shard('organizations', $1::uuid, 'CASCADE', shard_transfer_mode => 'block_writes') AS shard`,
      [big.orgId],
    );
    console.log(
      `\nisolate_tenant_to_new_shard(large tenant, CASCADE): organizations shard ${iso.shard} (and one of each co-located table) in ${((Date.now() - isolated) / 1000).toFixed(1)} s`,
    );
    report('the isolation', await loop2.end());
    console.log(`  large tenant now: ${await tenantShard(big)}`);
    await placements('after the isolation');
    const check = await dashboardRead(big, 2020);
    console.log(`\nthe large tenant's dashboard after all moves: ${check.toFixed(0)} ms`);
  } finally {
    await api.stop();
    await dropClusterDatabase(admin, name);
    await run(newNode, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
  }
}

main().catch((e: Error) => {
  console.error(e);
  process.exit(1);
});
