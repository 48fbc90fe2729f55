/**
 * `npm run bench:citus` (issue 20): N tenants × M readings loaded through the API's import path (a CSV upload
 * per tenant, 15-minute readings), then the dashboard read (the year's inventory and the meter's days) of every
 * tenant in turn, on the Citus cluster and on the single PostgreSQL, in the same run. Prints import throughput,
 * dashboard p50/p99 and, on Citus, readings and tenants per worker.
 *
 *   npm run bench:citus -- [--tenants 4] [--rows 35040] [--reads 40] [--parallel 1] [--only citus|postgres]
 *   npm run bench:citus -- --tenants 100 --rows 1000000 --parallel 2 --reads 5   (the issue's size: 18 min here)
 *
 * CITUS_URL: the coordinator's superuser (`bash .ci/citus | tail -n1`); POSTGRES_URL: the single server's
 * (default postgres://postgres@127.0.0.1:5432/postgres). Each gets a database of its own, dropped at the end;
 * the app logs in as halve_ci_app (created when missing), the superuser migrates. Shards: the Citus default (32)
 * unless CITUS_SHARD_COUNT.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeMeterCsv } from './make-meter-csv';
import { createClusterDatabase, dropClusterDatabase, run, urlFor } from '../citus/cluster';
import {
  Tenant,
  dashboardRead,
  importCsv,
  newTenant,
  percentile,
  startApi,
} from '../../scripts/citus/cluster-app';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const tenantsWanted = Number(flag('tenants', '4'));
const rows = Number(flag('rows', '35040'));
const readsPerTenant = Number(flag('reads', '40'));
const parallel = Math.max(1, Number(flag('parallel', '1')));
const only = flag('only', '');
const APP = 'halve_ci_app';
const START_YEAR = 1996;

const elapsed = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e9;

interface Result {
  target: string;
  importSeconds: number;
  readingsPerSecond: number;
  p50: number;
  p99: number;
  perWorker?: { node: string; readings: number; tenants: number }[];
}

async function readingsPerWorker(owner: string, tenants: Tenant[]) {
  const byNode: { node: string; n: string }[] = (
    await run(
      owner,
      `SELECT s.nodename || ':' || s.nodeport AS node, sum(r.result::bigint) AS n
         FROM run_command_on_shards('readings', 'SELECT count(*) FROM %s') r
         JOIN citus_shards s ON s.shardid = r.shardid GROUP BY 1 ORDER BY 1`,
    )
  )[0] as { node: string; n: string }[];
  const homes = (
    await run(
      owner,
      `SELECT s.nodename || ':' || s.nodeport AS node FROM unnest(ARRAY[${tenants.map((t) => `'${t.orgId}'::uuid`).join(',')}]) AS t(id)
         JOIN citus_shards s ON s.shardid = get_shard_id_for_distribution_column('readings', t.id)`,
    )
  )[0] as { node: string }[];
  return byNode.map((r) => ({
    node: r.node,
    readings: Number(r.n),
    tenants: homes.filter((h) => h.node === r.node).length,
  }));
}

async function bench(target: 'citus' | 'postgres', admin: string, csv: string): Promise<Result> {
  const name = `halve_bench_${target}_${process.pid}`;
  const owner = urlFor(admin, name);
  if (target === 'citus') {
    const shardCount = process.env.CITUS_SHARD_COUNT ? Number(process.env.CITUS_SHARD_COUNT) : undefined;
    await createClusterDatabase(admin, name, { appLogin: APP, shardCount });
  } else {
    await run(admin, `CREATE DATABASE ${name}`);
    await run(
      admin,
      `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP}') THEN CREATE ROLE ${APP} LOGIN NOINHERIT; END IF; END $$`,
    );
  }
  const api = await startApi(urlFor(admin, name, APP), owner);
  try {
    const tenants: Tenant[] = [];
    for (let i = 0; i < tenantsWanted; i++) tenants.push(await newTenant(api.port));
    const started = process.hrtime.bigint();
    let next = 0;
    let stored = 0;
    let imported = 0;
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        while (next < tenants.length) {
          const t = tenants[next++];
          const r = await importCsv(t, csv);
          stored += r.rows;
          if (r.rows !== rows) throw new Error(`${target}: ${r.rows} readings stored of ${rows}`);
          const done = ++imported;
          if (done % 10 === 0 || done === tenants.length)
            console.log(
              `  ${target}: ${done}/${tenants.length} tenants imported, ${elapsed(started).toFixed(0)} s`,
            );
        }
      }),
    );
    const importSeconds = elapsed(started);
    const year = START_YEAR;
    for (const t of tenants) await dashboardRead(t, year); // warm: plans and caches, as a user's second look
    const ms: number[] = [];
    for (let k = 0; k < readsPerTenant; k++) for (const t of tenants) ms.push(await dashboardRead(t, year));
    ms.sort((a, b) => a - b);
    return {
      target,
      importSeconds,
      readingsPerSecond: stored / importSeconds,
      p50: percentile(ms, 50),
      p99: percentile(ms, 99),
      perWorker: target === 'citus' ? await readingsPerWorker(owner, tenants) : undefined,
    };
  } finally {
    await api.stop();
    if (target === 'citus') await dropClusterDatabase(admin, name);
    else await run(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'halve-bench-citus-'));
  const csv = join(dir, 'meter.csv');
  // 1996 on: a million 15-minute readings reach 2024, and readings after now are refused
  const made = await makeMeterCsv(csv, { rows, startMs: Date.UTC(START_YEAR, 0, 1) });
  console.log(
    `bench:citus — ${tenantsWanted} tenants × ${rows} readings (${(made.bytes / 1e6).toFixed(1)} MB CSV each), ${parallel} import(s) at a time, ${readsPerTenant} dashboard reads a tenant`,
  );
  const results: Result[] = [];
  try {
    if (only !== 'postgres') {
      const citus = process.env.CITUS_URL;
      if (!citus) throw new Error('CITUS_URL is not set: export CITUS_URL=$(bash .ci/citus | tail -n1)');
      results.push(await bench('citus', citus, csv));
    }
    if (only !== 'citus')
      results.push(
        await bench(
          'postgres',
          process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
          csv,
        ),
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('\ntarget      import (s)  readings/s  dashboard p50 (ms)  p99 (ms)');
  for (const r of results)
    console.log(
      `${r.target.padEnd(10)}  ${r.importSeconds.toFixed(1).padStart(10)}  ${Math.round(r.readingsPerSecond).toString().padStart(10)}  ${r.p50.toFixed(1).padStart(18)}  ${r.p99.toFixed(1).padStart(8)}`,
    );
  for (const r of results.filter((x) => x.perWorker)) {
    console.log(`\n${r.target}: readings and tenants per worker`);
    for (const w of r.perWorker!) console.log(`  ${w.node}: ${w.readings} readings, ${w.tenants} tenants`);
  }
}

main().catch((e: Error) => {
  console.error(e);
  process.exit(1);
});
