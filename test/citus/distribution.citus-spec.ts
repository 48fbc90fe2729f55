import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { Db, dataSourceOptions, loadConfig, migrateAndCheck } from '@halve/platform';
import { MIGRATIONS } from '../../migrations';

/**
 * Halve on a Citus cluster (issue 20, docs/adr/0011-citus-scale-out.md). Runs only when CITUS_URL names the
 * coordinator's superuser (`.ci/citus` prints it): a fresh database on every node, the app's migrations
 * through the owner, then the app's NOINHERIT login with its per-transaction roles.
 */
const CITUS_URL = process.env.CITUS_URL as string;
const APP_LOGIN = 'halve_ci_app';
const name = `halve_citus_${process.pid}_${Date.now().toString(36)}`;

function urlFor(base: string, database: string, user?: string): string {
  const u = new URL(base);
  u.pathname = `/${database}`;
  if (user) {
    u.username = user;
    u.password = '';
  }
  return u.toString();
}

async function run(url: string, ...statements: string[]): Promise<unknown[][]> {
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

/** The worker URLs registered on the cluster's `postgres` database, reached like the coordinator. */
async function workerUrls(): Promise<string[]> {
  const [rows] = (await run(
    CITUS_URL,
    `SELECT nodename, nodeport FROM pg_dist_node WHERE groupid <> 0 ORDER BY nodeport`,
  )) as { nodename: string; nodeport: number }[][];
  return rows.map((r) => {
    const u = new URL(CITUS_URL);
    u.hostname = r.nodename;
    u.port = String(r.nodeport);
    return u.toString();
  });
}

/** CREATE DATABASE is not propagated: the database and the extension on every node, then the workers registered. */
async function createClusterDatabase(workers: string[]): Promise<void> {
  const coordinator = new URL(CITUS_URL);
  for (const node of [CITUS_URL, ...workers]) {
    await run(node, `CREATE DATABASE ${name}`);
    await run(urlFor(node, name), 'CREATE EXTENSION citus');
  }
  await run(
    urlFor(CITUS_URL, name),
    `SELECT citus_set_coordinator_host('${coordinator.hostname}', ${coordinator.port || 5432})`,
    // a few shards keep the suite quick; production keeps the default (32)
    `ALTER DATABASE ${name} SET citus.shard_count = 4`,
    ...workers.map((w) => `SELECT citus_add_node('${new URL(w).hostname}', ${new URL(w).port})`),
  );
  await run(
    CITUS_URL,
    `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_LOGIN}') THEN
       CREATE ROLE ${APP_LOGIN} LOGIN NOINHERIT; END IF; END $$`,
  );
}

async function dropClusterDatabase(workers: string[]): Promise<void> {
  for (const node of [CITUS_URL, ...workers])
    await run(node, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
}

describe('Halve on Citus', () => {
  let workers: string[];
  let app: DataSource;
  let db: Db;
  let migrateMs = 0;
  const owner = () => urlFor(CITUS_URL, name);
  const [a, b] = [randomUUID(), randomUUID()];
  const meter = randomUUID();

  beforeAll(async () => {
    workers = await workerUrls();
    await createClusterDatabase(workers);
    const config = loadConfig({
      ...process.env,
      DATABASE_URL: urlFor(CITUS_URL, name, APP_LOGIN),
      DATABASE_MIGRATION_URL: owner(),
      HALVE_DB_LEAST_PRIVILEGE: 'require',
      HALVE_DEMO: 'off',
      LOG_LEVEL: 'error',
    });
    app = await new DataSource(dataSourceOptions(config, [], MIGRATIONS)).initialize();
    const started = Date.now();
    await migrateAndCheck(app, config);
    migrateMs = Date.now() - started;
    db = new Db(app);
  });

  afterAll(async () => {
    await app?.destroy();
    if (workers) await dropClusterDatabase(workers);
  });

  it('applies every migration on a fresh cluster database', async () => {
    const [[row]] = (await run(owner(), 'SELECT count(*)::int AS n FROM migrations')) as { n: number }[][];
    expect(row.n).toBe(MIGRATIONS.length);
    process.stdout.write(`citus: ${MIGRATIONS.length} migrations in ${migrateMs} ms\n`);
  });

  it('distributes every tenant table by tenant_id, co-located with organizations', async () => {
    const [rows] = (await run(
      owner(),
      `SELECT c.relname AS name, p.partmethod AS method, column_to_column_name(p.logicalrelid, p.partkey) AS key,
              p.colocationid = (SELECT colocationid FROM pg_dist_partition WHERE logicalrelid = 'organizations'::regclass) AS colocated
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_dist_partition p ON p.logicalrelid = c.oid
        WHERE n.nspname = 'public' AND c.relkind = 'r'
          AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id')`,
    )) as { name: string; method: string | null; key: string | null; colocated: boolean | null }[][];
    // memberships is read across organisations: a reference table by design; the registries keep a key unique
    // across organisations, written by their owner's functions: plain tables on the coordinator (migration 1764302300000)
    const placedBy: Record<string, string | null> = {
      memberships: 'n',
      instrument_registry: null,
      offset_credit_registry: null,
    };
    const wrong = rows.filter((r) =>
      r.name in placedBy
        ? r.method !== placedBy[r.name]
        : r.method !== 'h' || r.key !== 'tenant_id' || !r.colocated,
    );
    expect(wrong).toEqual([]);
    expect(rows.length).toBeGreaterThan(25);
  });

  it('keeps platform tables on every node (reference) or on the coordinator', async () => {
    const [rows] = (await run(
      owner(),
      `SELECT logicalrelid::regclass::text AS name, partmethod AS method, repmodel FROM pg_dist_partition
        WHERE logicalrelid::regclass::text IN ('users', 'certification_bodies', 'emission_factors', 'sessions', 'memberships')
        ORDER BY 1`,
    )) as { name: string; method: string; repmodel: string }[][];
    expect(rows.map((r) => `${r.name}:${r.method}:${r.repmodel}`)).toEqual([
      'certification_bodies:n:t',
      'emission_factors:n:t',
      'memberships:n:t',
      'sessions:n:s',
      'users:n:t',
    ]);
  });

  it("hides another tenant's rows on distributed tables through the app's login", async () => {
    const site = (t: string) =>
      `INSERT INTO sites (tenant_id, id, name, country, timezone) VALUES ('${t}', '${randomUUID()}', 's', 'GB', 'UTC')`;
    await run(
      owner(),
      `INSERT INTO organizations (id, name, country, timezone, currency) VALUES ('${a}', 'A', 'GB', 'UTC', 'GBP'), ('${b}', 'B', 'GB', 'UTC', 'GBP')`,
      site(a),
      site(b),
      `INSERT INTO meters (tenant_id, id, site_id, name, kind, unit) SELECT '${a}', '${meter}', id, 'm', 'electricity_import', 'kWh' FROM sites WHERE tenant_id = '${a}'`,
      `INSERT INTO readings (tenant_id, meter_id, ts, value) SELECT '${a}', '${meter}', now() - i * interval '1 hour', i FROM generate_series(1, 48) i`,
    );
    const seen = await db.tenant(async (em) => {
      const rows: { tenant_id: string }[] = await em.query('SELECT tenant_id FROM sites');
      const readings: { n: number }[] = await em.query('SELECT count(*)::int AS n FROM readings');
      return { tenants: rows.map((r) => r.tenant_id), readings: readings[0].n };
    }, b);
    expect(seen).toEqual({ tenants: [b], readings: 0 });
    const own = await db.tenant(async (em) => em.query('SELECT count(*)::int AS n FROM readings'), a);
    expect(own).toEqual([{ n: 48 }]);
  });

  it('shows a certification body what was submitted to it, across organisations (a multi-shard read)', async () => {
    const body = randomUUID();
    const claim = (t: string, submitted: boolean) => {
      const id = randomUUID();
      return [
        `INSERT INTO claims (tenant_id, id, type, status, period_from, period_to, certification_body_id, submitted_at)
           VALUES ('${t}', '${id}', 'renewable_share', '${submitted ? 'submitted' : 'draft'}', '2025-01-01', '2026-01-01', '${body}', ${submitted ? 'now()' : 'NULL'})`,
        `INSERT INTO claim_transitions (tenant_id, id, claim_id, from_status, to_status, actor_kind, body_id)
           VALUES ('${t}', '${randomUUID()}', '${id}', 'draft', 'submitted', 'organization', '${body}')`,
      ];
    };
    await run(
      owner(),
      `INSERT INTO certification_bodies (id, name, claim_types) VALUES ('${body}', 'Body', '{renewable_share}')`,
      ...claim(a, true),
      ...claim(b, true),
      ...claim(b, false),
    );
    const seen = await db.body(body, async (em) => {
      const [claims]: { n: number }[] = await em.query('SELECT count(*)::int AS n FROM claims');
      const [transitions]: { n: number }[] = await em.query(
        'SELECT count(*)::int AS n FROM claim_transitions',
      );
      return { claims: claims.n, transitions: transitions.n };
    });
    expect(seen).toEqual({ claims: 2, transitions: 2 });
  });

  it('keeps a certificate serial to one organisation across the cluster (the registry on the coordinator)', async () => {
    const claim = (tenant: string) =>
      db.tenant(async (em) => {
        await em.query('SELECT count(*) FROM sites'); // a tenant transaction that has been to its shard
        return em.query(`SELECT * FROM carbon_claim_serials($1, 'GO', ARRAY['GO-1', 'GO-2'])`, [
          randomUUID(),
        ]);
      }, tenant);
    const first: unknown[] = await claim(a);
    const second: unknown[] = await claim(b);
    expect({ first, second }).toEqual({
      first: [],
      second: [
        { taken_serial: 'GO-1', same_tenant: false },
        { taken_serial: 'GO-2', same_tenant: false },
      ],
    });
  });

  it('routes the main tenant reads to one shard (EXPLAIN through Db.tenant)', async () => {
    const reads: [string, string, unknown[]][] = [
      [
        'readings of a meter',
        'SELECT ts, value FROM readings WHERE tenant_id = $1 AND meter_id = $2 AND ts >= $3 ORDER BY ts',
        [a, meter, '2020-01-01'],
      ],
      [
        'inventory activities',
        'SELECT * FROM activities WHERE tenant_id = $1 AND period_from < $2 AND period_to > $3',
        [a, '2030-01-01', '2020-01-01'],
      ],
      [
        'recommendations list',
        'SELECT r.*, s.name FROM recommendations r JOIN sites s ON s.tenant_id = r.tenant_id AND s.id = r.site_id WHERE r.tenant_id = $1 ORDER BY r.created_at DESC',
        [a],
      ],
      ['claims list', 'SELECT * FROM claims WHERE tenant_id = $1 ORDER BY created_at DESC', [a]],
    ];
    for (const [what, sql, params] of reads) {
      const plan: { 'QUERY PLAN': string }[] = await db.tenant((em) => em.query(`EXPLAIN ${sql}`, params), a);
      const text = plan.map((p) => p['QUERY PLAN']).join('\n');
      expect({ what, router: /Task Count: 1\b/.test(text) }).toEqual({ what, router: true });
    }
  });
});
