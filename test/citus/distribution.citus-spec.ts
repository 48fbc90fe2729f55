import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Db, dataSourceOptions, loadConfig, openMigrated } from '@halve/platform';
import { type ImportEvent, ReadingEncoder, ReadingsRepository } from '@halve/metering';
import { MIGRATIONS } from '../../migrations';
import { createClusterDatabase, dropClusterDatabase, run, urlFor, workerUrls } from './cluster';

/**
 * Halve on a Citus cluster (issue 20, docs/adr/0011-citus-scale-out.md). Runs only when CITUS_URL names the
 * coordinator's superuser (`.ci/citus` prints it): a fresh database on every node, the app's migrations
 * through the owner, then the app's NOINHERIT login with its per-transaction roles.
 */
const CITUS_URL = process.env.CITUS_URL as string;
const APP_LOGIN = 'halve_ci_app';
const name = `halve_citus_${process.pid}_${Date.now().toString(36)}`;

describe('Halve on Citus', () => {
  let creating = false;
  let app: DataSource;
  let db: Db;
  let migrateMs = 0;
  const owner = () => urlFor(CITUS_URL, name);
  const [a, b] = [randomUUID(), randomUUID()];
  const meter = randomUUID();

  beforeAll(async () => {
    // a few shards keep the suite quick; production keeps the default (32)
    creating = true; // a half-made database is dropped too
    await createClusterDatabase(CITUS_URL, name, { shardCount: 4, appLogin: APP_LOGIN });
    const config = loadConfig({
      ...process.env,
      DATABASE_URL: urlFor(CITUS_URL, name, APP_LOGIN),
      DATABASE_MIGRATION_URL: owner(),
      HALVE_DB_LEAST_PRIVILEGE: 'require',
      HALVE_DEMO: 'off',
      LOG_LEVEL: 'error',
    });
    const started = Date.now();
    app = await openMigrated(dataSourceOptions(config, [], MIGRATIONS), config);
    migrateMs = Date.now() - started;
    db = new Db(app);
  });

  afterAll(async () => {
    await app?.destroy();
    if (creating) await dropClusterDatabase(CITUS_URL, name);
  });

  it('applies every migration on a fresh cluster database', async () => {
    const [[row]] = (await run(owner(), 'SELECT count(*)::int AS n FROM migrations')) as { n: number }[][];
    expect(row.n).toBe(MIGRATIONS.length);
    process.stdout.write(`citus: ${MIGRATIONS.length} migrations in ${migrateMs} ms\n`);
  });

  it("runs multi-shard work of every pool connection over one connection per node (the migration's database setting)", async () => {
    // the app's pool opens after the migrations: a session opened before kept `parallel`, and a transaction that
    // read invitations across shards could then not write users (a sign-up with an invitation: a 500)
    const modes = await Promise.all(
      [1, 2, 3, 4].map(() =>
        app.query(
          `SELECT current_setting('citus.multi_shard_modify_mode') AS mode, pg_backend_pid() AS pid, pg_sleep(0.05)`,
        ),
      ),
    );
    expect(new Set(modes.map(([r]) => r.pid)).size).toBe(4);
    expect(modes.map(([r]) => r.mode)).toEqual(['sequential', 'sequential', 'sequential', 'sequential']);
  });

  it('leaves no half-made database on any node when making one fails part-way', async () => {
    const broken = `${name}_broken`;
    // created with the extension on every node, then refused: a shard count must be positive
    await expect(createClusterDatabase(CITUS_URL, broken, { shardCount: -1 })).rejects.toThrow(/shard_count/);
    for (const node of [CITUS_URL, ...(await workerUrls(CITUS_URL))]) {
      const [rows] = await run(node, `SELECT 1 FROM pg_database WHERE datname = '${broken}'`);
      expect(rows).toEqual([]);
    }
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

  it("loads a meter's first import by COPY as halve_loader inside the tenant's transaction (ADR 0006, 0011)", async () => {
    const fresh = randomUUID();
    await run(
      owner(),
      `INSERT INTO meters (tenant_id, id, site_id, name, kind, unit, interval_minutes)
         SELECT '${a}', '${fresh}', id, 'fresh', 'electricity_import', 'kWh', 15 FROM sites WHERE tenant_id = '${a}'`,
    );
    const start = Date.UTC(2025, 0, 1);
    const events: ImportEvent[] = Array.from({ length: 96 }, (_, i) => ({
      kind: 'reading',
      reading: { line: i + 2, ts: new Date(start + i * 900_000), value: (i % 7) + 0.5, quality: 'measured' },
    }));
    let total = 0;
    for (let i = 0; i < 96; i++) total += (i % 7) + 0.5;
    const repo = new ReadingsRepository();
    const importId = randomUUID();
    const stored = await db.tenant(async (em) => {
      // the tenant's shards written as halve_app first, as an import's transaction does before its COPY
      await em.query(`UPDATE meters SET name = 'loading' WHERE tenant_id = $1 AND id = $2`, [a, fresh]);
      const writer = await repo.openStage(em, { tenantId: a, importId, meterIds: [fresh] });
      const encoder = new ReadingEncoder({
        mode: writer.mode,
        tenantId: a,
        importId,
        meterIds: [fresh],
        hourRollups: writer.direct,
      });
      encoder.take(events, fresh);
      for (const chunk of encoder.drain()) await writer.write(chunk);
      await writer.close(encoder.trailer());
      for (const hours of encoder.hourRollups()) await repo.copyHourRollups(em, a, hours);
      // the tenant role again, on the coordinator and on the worker: a write and reads under row-level security
      await em.query(`UPDATE meters SET name = 'fresh' WHERE tenant_id = $1 AND id = $2`, [a, fresh]);
      const [role]: { role: string }[] = await em.query('SELECT current_user AS role');
      const [readings]: { n: number; total: number }[] = await em.query(
        'SELECT count(*)::int AS n, sum(value) AS total FROM readings WHERE tenant_id = $1 AND meter_id = $2 AND import_id = $3',
        [a, fresh, importId],
      );
      const [hours]: { n: number; total: number }[] = await em.query(
        `SELECT count(*)::int AS n, sum(value) AS total FROM reading_rollups WHERE tenant_id = $1 AND meter_id = $2 AND resolution = 'h'`,
        [a, fresh],
      );
      return { direct: writer.direct, role: role.role, readings, hours };
    }, a);
    expect(stored).toEqual({
      direct: true,
      role: 'halve_app',
      readings: { n: 96, total },
      hours: { n: 24, total },
    });
    const other = await db.tenant(
      (em) => em.query('SELECT count(*)::int AS n FROM readings WHERE meter_id = $1', [fresh]),
      b,
    );
    expect(other).toEqual([{ n: 0 }]);
  });

  it('refuses the loader on shards the transaction wrote as halve_app (why the switch is on the workers only)', async () => {
    const attempt = db.tenant(async (em) => {
      await em.query(`UPDATE meters SET name = name WHERE tenant_id = $1 AND id = $2`, [a, meter]);
      await em.query('SET LOCAL ROLE halve_loader');
      await em.query(
        `INSERT INTO readings (tenant_id, meter_id, ts, value) VALUES ($1, $2, '2019-01-01', 1)`,
        [a, meter],
      );
    }, a);
    await expect(attempt).rejects.toThrow(/modified in this transaction by a different user/);
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
