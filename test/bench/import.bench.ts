/**
 * Import benchmark (issue 3): a 1,000,000-row CSV through the API into PostgreSQL, timed from the
 * upload's first byte to the import's `succeeded`, against `psql \copy` of the same rows into an
 * equivalent bare table in the same run; peak RSS of the server process; the same import on the
 * embedded database (PGlite). Then the read benchmark: a year of hourly data at day resolution with
 * 10 million readings stored across 100 tenants.
 *
 *   npm run bench:import -- [--rows 1000000] [--database-url postgres://…] [--skip-embedded] [--skip-read] [--json FILE]
 *
 * Needs a built app (`npm run build`; the npm script does it), `psql` and a PostgreSQL server.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importThroughApi, json, rssMb, startServer } from './bench-server';
import { makeMeterCsv } from './make-meter-csv';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const ROWS = Number(opt('rows', '1000000'));
const ADMIN_URL = opt(
  'database-url',
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
);
const DB = `halve_bench_${process.pid}`;
const dbUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${DB}`);
const work = mkdtempSync(join(tmpdir(), 'halve-bench-'));

function psql(url: string, sql: string): string {
  return execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qAtc', sql], { encoding: 'utf8' }).trim();
}

async function readBenchmark(
  port: number,
  token: string,
  orgId: string,
): Promise<{ tenants: number; readings: number; medianMs: number; p95Ms: number; points: number }> {
  const tenants = 100;
  const perTenant = 100_000; // hourly readings: ~11.4 years each → 10,000,000 in all
  const owner = dbUrl;
  // The first tenant is the benchmark user's organisation; 99 others are created directly.
  psql(
    owner,
    `INSERT INTO organizations (id, name, country, timezone, currency)
     SELECT gen_random_uuid(), 'Tenant ' || g, 'GB', 'UTC', 'GBP' FROM generate_series(2, ${tenants}) g`,
  );
  psql(
    owner,
    `INSERT INTO sites (tenant_id, id, name, country, timezone)
       SELECT id, gen_random_uuid(), 'Read site', 'GB', 'Europe/London' FROM organizations WHERE name LIKE 'Tenant %' OR id = '${orgId}';
     INSERT INTO meters (tenant_id, id, site_id, name, kind, unit, interval_minutes)
       SELECT s.tenant_id, gen_random_uuid(), s.id, 'Read meter', 'electricity_import', 'kWh', 60 FROM sites s WHERE s.name = 'Read site';`,
  );
  const started = Date.now();
  psql(
    owner,
    `INSERT INTO readings (tenant_id, meter_id, ts, value)
     SELECT m.tenant_id, m.id, timestamptz '2015-01-01 00:00+00' + (g * interval '1 hour'), 10 + (g % 24)
       FROM meters m CROSS JOIN generate_series(0, ${perTenant - 1}) g WHERE m.name = 'Read meter'`,
  );
  // Day rollups are what a day-resolution read uses.
  for (const res of [
    ['d', `date_trunc('day', ts AT TIME ZONE 'Europe/London') AT TIME ZONE 'Europe/London'`],
  ]) {
    psql(
      owner,
      `INSERT INTO reading_rollups (tenant_id, meter_id, resolution, bucket, value, count)
       SELECT r.tenant_id, r.meter_id, '${res[0]}', ${res[1]}, sum(value), count(*) FROM readings r JOIN meters m ON m.tenant_id = r.tenant_id AND m.id = r.meter_id
        WHERE m.name = 'Read meter' GROUP BY 1, 2, 4`,
    );
  }
  psql(owner, 'ANALYZE');
  const total = Number(
    psql(
      owner,
      `SELECT count(*) FROM readings r JOIN meters m ON m.tenant_id = r.tenant_id AND m.id = r.meter_id WHERE m.name = 'Read meter'`,
    ),
  );
  console.log(
    `  loaded ${total.toLocaleString()} readings for ${tenants} tenants in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  const meterId = psql(owner, `SELECT id FROM meters WHERE tenant_id = '${orgId}' AND name = 'Read meter'`);
  const url = `http://127.0.0.1:${port}/api/v1/orgs/${orgId}/meters/${meterId}/readings?from=2020-01-01&to=2021-01-01&resolution=day`;
  const times: number[] = [];
  let points = 0;
  for (let i = 0; i < 30; i++) {
    const t0 = process.hrtime.bigint();
    const body = await json(url, { token });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    points = (body.points as unknown[]).length;
  }
  times.sort((a, b) => a - b);
  return {
    tenants,
    readings: total,
    medianMs: times[Math.floor(times.length / 2)],
    p95Ms: times[Math.floor(times.length * 0.95)],
    points,
  };
}

async function main(): Promise<void> {
  console.log(`Import benchmark: ${ROWS.toLocaleString()} rows, PostgreSQL ${DB}`);
  const csv = join(work, 'meter.csv');
  // Ends before today (no future timestamps): 1,000,000 quarter-hours are about 28.5 years.
  const made = await makeMeterCsv(csv, { rows: ROWS, startMs: Date.UTC(1996, 0, 1) });
  console.log(`  file: ${(made.bytes / 1e6).toFixed(1)} MB`);
  psql(ADMIN_URL, `CREATE DATABASE ${DB}`);
  const results: Record<string, unknown> = { rows: ROWS, fileBytes: made.bytes };
  try {
    // Reference: psql \copy of the same rows into a bare table of the same shape.
    // The equivalent table: the readings table's columns and primary key (no RLS, no triggers).
    psql(
      dbUrl,
      `CREATE TABLE bench_copy (tenant_id uuid NOT NULL DEFAULT '00000000-0000-4000-8000-000000000001', meter_id uuid NOT NULL DEFAULT '00000000-0000-4000-8000-000000000002',
         ts timestamptz NOT NULL, value double precision NOT NULL, period_end timestamptz, quality smallint NOT NULL DEFAULT 0, import_id uuid,
         PRIMARY KEY (tenant_id, meter_id, ts))`,
    );
    const t0 = process.hrtime.bigint();
    execFileSync(
      'psql',
      [
        dbUrl,
        '-v',
        'ON_ERROR_STOP=1',
        '-qc',
        `\\copy bench_copy (ts, value) FROM '${csv}' WITH (FORMAT csv, HEADER true)`,
      ],
      { env: { ...process.env, PGOPTIONS: '-c timezone=UTC' } },
    );
    const copySeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const copyRate = ROWS / copySeconds;
    console.log(
      `  psql \\copy: ${copySeconds.toFixed(2)} s, ${Math.round(copyRate).toLocaleString()} rows/s`,
    );

    const port = 3700 + (process.pid % 200);
    const server = await startServer({ DATABASE_URL: dbUrl, HALVE_DATA_DIR: join(work, 'pg-data') }, port);
    try {
      const idleRss = rssMb(server.pid!, 'VmRSS');
      console.log(`  server RSS after start-up: ${idleRss.toFixed(0)} MB`);
      const api = await importThroughApi(port, csv);
      const apiRate = ROWS / api.seconds;
      const rss = rssMb(server.pid!);
      const stored = Number(psql(dbUrl, `SELECT count(*) FROM readings`));
      const sum = Number(psql(dbUrl, `SELECT round(sum(value)::numeric, 3) FROM readings`));
      console.log(
        `  API → PostgreSQL: ${api.seconds.toFixed(2)} s, ${Math.round(apiRate).toLocaleString()} rows/s = ${(apiRate / copyRate).toFixed(2)}× psql \\copy; peak server RSS ${rss.toFixed(0)} MB; stored ${stored.toLocaleString()} rows, sum ${sum} (file ${made.sumKwh.toFixed(3)})`,
      );
      results.postgres = {
        copySeconds,
        copyRowsPerSecond: copyRate,
        apiSeconds: api.seconds,
        apiRowsPerSecond: apiRate,
        ratioToCopy: apiRate / copyRate,
        idleRssMb: idleRss,
        peakRssMb: rss,
        stored,
        sumMatches: Math.abs(sum - made.sumKwh) < 0.01,
      };
      if (!flag('skip-read')) {
        const read = await readBenchmark(port, api.token, api.orgId);
        console.log(
          `  read a year at day resolution (${read.points} points) with ${read.readings.toLocaleString()} readings in ${read.tenants} tenants: median ${read.medianMs.toFixed(1)} ms, p95 ${read.p95Ms.toFixed(1)} ms (HTTP round trip on loopback)`,
        );
        results.read = read;
      }
    } finally {
      server.kill('SIGTERM');
    }
    if (!flag('skip-embedded')) {
      const port2 = port + 1;
      const embedded = await startServer(
        { DATABASE_URL: '', REDIS_URL: '', HALVE_DATA_DIR: join(work, 'pglite-data') },
        port2,
      );
      try {
        const api = await importThroughApi(port2, csv);
        const rss = rssMb(embedded.pid!);
        console.log(
          `  API → embedded PGlite: ${api.seconds.toFixed(2)} s, ${Math.round(ROWS / api.seconds).toLocaleString()} rows/s; peak server RSS ${rss.toFixed(0)} MB`,
        );
        results.embedded = { apiSeconds: api.seconds, apiRowsPerSecond: ROWS / api.seconds, peakRssMb: rss };
      } finally {
        embedded.kill('SIGTERM');
      }
    }
  } finally {
    await new Promise((r) => setTimeout(r, 500));
    psql(ADMIN_URL, `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  }
  const out = opt('json', '');
  if (out) writeFileSync(out, JSON.stringify(results, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
