import { Client } from 'pg';
import { Db, RequestContext } from '@halve/platform';
import {
  SignedUp,
  TestApp,
  ownDatabase,
  ownerDatabaseUrl,
  serverMode,
  signup,
  startApp,
} from '../support/harness';

/**
 * Issue 15, least privilege in the database (ADR 0010). On PostgreSQL the app logs in as a role of its own
 * (DATABASE_URL) that is not a superuser, owns nothing and inherits nothing: this suite connects with those
 * very credentials and shows what an attacker holding them (a SQL injection) can and cannot do. When the run
 * has no separate migration role (a developer's DATABASE_URL=postgres://postgres@…), the suite creates a login
 * of its own the way an operator would and starts the app with it, so the same checks run.
 * On both databases: the app's own transactions run as halve_app (tenant) and halve_system, and `users`
 * shows a tenant its own members only.
 */
const mode = serverMode();

describe(`least privilege in the database (${mode.database})`, () => {
  let t: TestApp;
  let a: SignedUp;
  let b: SignedUp;
  let appUrl = '';
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    const env: Record<string, string> = {
      HALVE_DB_LEAST_PRIVILEGE: mode.database === 'postgres' ? 'require' : 'warn',
    };
    if (mode.database === 'postgres') {
      if (process.env.DATABASE_MIGRATION_URL) {
        appUrl = process.env.DATABASE_URL!;
      } else {
        // no separate roles in this run: make a login the way the README tells an operator to
        const login = `halve_lp_${process.pid}`;
        const admin = new Client({ connectionString: ownerDatabaseUrl() });
        await admin.connect();
        await admin.query(`DROP ROLE IF EXISTS ${login}`);
        await admin.query(`CREATE ROLE ${login} LOGIN NOINHERIT`);
        await admin.end();
        const own = await ownDatabase('lp');
        const u = new URL(own.env.DATABASE_URL);
        u.username = login;
        appUrl = u.toString();
        Object.assign(env, { DATABASE_URL: appUrl, DATABASE_MIGRATION_URL: own.env.DATABASE_URL });
        cleanups.push(own.drop, async () => {
          const c = new Client({ connectionString: ownerDatabaseUrl() });
          await c.connect();
          await c.query(`DROP OWNED BY ${login}`).catch(() => undefined);
          await c.query(`DROP ROLE IF EXISTS ${login}`);
          await c.end();
        });
      }
    }
    t = await startApp({ env });
    a = await signup(t, 'lp-a');
    b = await signup(t, 'lp-b');
  });

  afterAll(async () => {
    await t?.close();
    for (const c of cleanups) await c();
  });

  const asTenant = <T>(orgId: string, sql: string) =>
    RequestContext.run({ requestId: 'lp-test', tenantId: orgId }, () =>
      t.app.get(Db).tenant((em) => em.query(sql) as Promise<T>),
    );

  it("runs a tenant's transaction as halve_app and sees only that organisation's members in users", async () => {
    const who = await asTenant<{ role: string }[]>(a.orgId, 'SELECT current_user AS role');
    expect(who).toEqual([{ role: 'halve_app' }]);
    const users = await asTenant<{ email: string }[]>(a.orgId, 'SELECT email FROM users');
    expect(users.map((u) => u.email)).toEqual([a.email]);
    const usersB = await asTenant<{ email: string }[]>(b.orgId, 'SELECT email FROM users');
    expect(usersB.map((u) => u.email)).toEqual([b.email]);
    // shared tables that no tenant needs are not granted at all
    for (const table of [
      'sessions',
      'login_lockouts',
      'spent_refresh_tokens',
      'certification_body_members',
    ]) {
      await expect(asTenant(a.orgId, `SELECT 1 FROM ${table} LIMIT 1`)).rejects.toThrow(/permission denied/);
    }
  });

  it('runs system work as halve_system, which can read across tenants but not change the schema', async () => {
    const db = t.app.get(Db);
    expect(await db.system((em) => em.query('SELECT current_user AS role'))).toEqual([
      { role: 'halve_system' },
    ]);
    const both: unknown[] = await db.system((em) =>
      em.query('SELECT id FROM users WHERE id = ANY($1)', [[a.userId, b.userId]]),
    );
    expect(both).toHaveLength(2);
    await expect(db.system((em) => em.query('ALTER TABLE users DISABLE ROW LEVEL SECURITY'))).rejects.toThrow(
      /must be owner/,
    );
  });

  it('gives halve_system every table, those of later migrations included (halve_grant_system after each run)', async () => {
    const missing: { relname: string }[] = await t.app.get(Db).system((em) =>
      em.query(
        `SELECT c.relname FROM pg_class c
          WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND c.relname <> 'migrations'
            AND (NOT (has_table_privilege('halve_system', c.oid, 'SELECT') AND has_table_privilege('halve_system', c.oid, 'INSERT')
                      AND has_table_privilege('halve_system', c.oid, 'UPDATE') AND has_table_privilege('halve_system', c.oid, 'DELETE'))
                 OR (c.relrowsecurity AND NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'system_access')))
          ORDER BY 1`,
      ),
    );
    expect(missing).toEqual([]);
  });

  if (mode.database === 'postgres') {
    describe("with the app's own credentials (what a SQL injection would hold)", () => {
      let c: Client;
      beforeAll(async () => {
        c = new Client({ connectionString: appUrl });
        await c.connect();
      });
      afterAll(() => c?.end());
      const refused = (sql: string, params: unknown[] = []) =>
        expect(c.query(sql, params)).rejects.toThrow(
          /permission denied|must be owner|must be superuser|only superuser|not allowed/,
        );

      it('is neither a superuser nor the owner of anything, and holds no rights of its own', async () => {
        const { rows } = await c.query<{
          rolsuper: boolean;
          rolbypassrls: boolean;
          rolinherit: boolean;
          owns: number;
        }>(
          `SELECT r.rolsuper, r.rolbypassrls, r.rolinherit,
                  (SELECT count(*)::int FROM pg_class k WHERE k.relowner = r.oid AND k.relnamespace = 'public'::regnamespace) AS owns
             FROM pg_roles r WHERE r.rolname = session_user`,
        );
        expect(rows).toEqual([{ rolsuper: false, rolbypassrls: false, rolinherit: false, owns: 0 }]);
        await refused('SELECT count(*) FROM users');
        await refused('SELECT count(*) FROM readings');
        await refused('SELECT count(*) FROM sessions');
      });

      it('cannot become the owner or a superuser: SET ROLE, SET SESSION AUTHORIZATION are refused', async () => {
        const owner =
          new URL(process.env.DATABASE_MIGRATION_URL ?? ownerDatabaseUrl()).username || 'postgres';
        await expect(c.query(`SET ROLE ${owner}`)).rejects.toThrow(/permission denied to set role/);
        await expect(c.query('SET ROLE postgres')).rejects.toThrow(/permission denied to set role/);
        await expect(c.query('SET SESSION AUTHORIZATION postgres')).rejects.toThrow(/permission denied/);
        await expect(c.query(`SELECT set_config('role', 'postgres', false)`)).rejects.toThrow(
          /permission denied/,
        );
      });

      it('RESET ROLE inside a tenant transaction gives back no rights, only fewer', async () => {
        await c.query('BEGIN');
        try {
          await c.query('SET LOCAL ROLE halve_app');
          await c.query(`SELECT set_config('halve.tenant_id', $1, true)`, [a.orgId]);
          const { rows } = await c.query<{ email: string }>('SELECT email FROM users');
          expect(rows.map((r) => r.email)).toEqual([a.email]);
          await c.query('RESET ROLE');
          await c.query('SAVEPOINT s');
          await expect(c.query('SELECT email FROM users')).rejects.toThrow(/permission denied/);
          await c.query('ROLLBACK TO SAVEPOINT s');
          await expect(c.query(`SELECT email FROM users WHERE id = $1`, [b.userId])).rejects.toThrow(
            /permission denied/,
          );
        } finally {
          await c.query('ROLLBACK');
        }
      });

      it("as halve_app with tenant A set, cannot read tenant B's users, change the schema, lift RLS or run programs", async () => {
        await c.query('BEGIN');
        try {
          await c.query('SET LOCAL ROLE halve_app');
          await c.query(`SELECT set_config('halve.tenant_id', $1, true)`, [a.orgId]);
          const { rows } = await c.query('SELECT id FROM users WHERE id = $1', [b.userId]);
          expect(rows).toEqual([]);
          for (const sql of [
            'ALTER TABLE users DISABLE ROW LEVEL SECURITY',
            'DROP TABLE readings',
            'CREATE TABLE public.x (y int)',
            `COPY (SELECT 1) TO PROGRAM 'true'`,
            'SELECT count(*) FROM pg_authid',
          ]) {
            await c.query('SAVEPOINT s');
            await refused(sql);
            await c.query('ROLLBACK TO SAVEPOINT s');
          }
        } finally {
          await c.query('ROLLBACK');
        }
      });
    });
  }
});
