import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE, LOADER_ROLE, SYSTEM_ROLE } from './sql-helpers';

/**
 * Least privilege (issue 15, docs/adr/0010-least-privilege-roles.md). The app no longer needs to log in as
 * the owner of its tables: it logs in as a login role that holds no rights of its own (NOINHERIT) and
 * switches, per transaction, to one of three NOLOGIN roles:
 * - `halve_app` (exists): a tenant's or a certification body's work, bound by row-level security;
 * - `halve_system`: the few cross-tenant reads and writes (authentication, job bookkeeping, the factor
 *   library), through a `system_access` policy on every table with RLS (`halve_grant_system()` keeps them
 *   complete after every migration run);
 * - `halve_loader`: INSERT only, on `readings` and `reading_rollups`, for the binary COPY of a meter's first
 *   import (PostgreSQL refuses COPY FROM under row-level security: ADR 0006). It bypasses RLS when the
 *   migration runs as a superuser; otherwise it cannot, and imports take the staged path instead.
 * `users` gets row-level security: a tenant (or body) transaction sees the users who are members of that
 * organisation (or body), no one else.
 */
export class LeastPrivilege1764300900000 implements MigrationInterface {
  name = 'LeastPrivilege1764300900000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `DO $$ BEGIN
         IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${SYSTEM_ROLE}') THEN
           CREATE ROLE ${SYSTEM_ROLE} NOLOGIN;
         END IF;
       EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
       END $$`,
      `DO $$ BEGIN
         IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${LOADER_ROLE}') THEN
           IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
             CREATE ROLE ${LOADER_ROLE} NOLOGIN BYPASSRLS;
           ELSE
             CREATE ROLE ${LOADER_ROLE} NOLOGIN;
           END IF;
         END IF;
       EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
       END $$`,
      // the owner (when it is not a superuser) switches to them too, when it is also the app's login
      `DO $$ BEGIN
         EXECUTE format('GRANT ${SYSTEM_ROLE}, ${LOADER_ROLE} TO %I', current_user);
       EXCEPTION WHEN OTHERS THEN NULL;
       END $$`,
      `GRANT USAGE ON SCHEMA public TO ${SYSTEM_ROLE}, ${LOADER_ROLE}`,
      `GRANT INSERT ON readings, reading_rollups TO ${LOADER_ROLE}`,

      // users: a tenant or body transaction sees its members only
      `CREATE OR REPLACE FUNCTION halve_visible_user(p_user uuid) RETURNS boolean
         LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
         SELECT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = p_user AND m.tenant_id = halve_tenant())
             OR EXISTS (SELECT 1 FROM certification_body_members b WHERE b.user_id = p_user AND b.body_id = halve_body())
       $$`,
      `REVOKE ALL ON FUNCTION halve_visible_user(uuid) FROM PUBLIC`,
      `GRANT EXECUTE ON FUNCTION halve_visible_user(uuid) TO ${APP_ROLE}`,
      `ALTER TABLE users ENABLE ROW LEVEL SECURITY`,
      `CREATE POLICY members_read ON users FOR SELECT TO ${APP_ROLE} USING (halve_visible_user(id))`,

      // system_access on every RLS table, and the system role's table rights; re-run after every migration run
      `CREATE OR REPLACE FUNCTION halve_grant_system() RETURNS integer LANGUAGE plpgsql AS $$
         DECLARE t record; added integer := 0;
         BEGIN
           FOR t IN SELECT c.relname, c.relrowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> 'migrations' LOOP
             EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO ${SYSTEM_ROLE}', t.relname);
             IF t.relrowsecurity AND NOT EXISTS (
                  SELECT 1 FROM pg_policy p WHERE p.polrelid = format('public.%I', t.relname)::regclass AND p.polname = 'system_access') THEN
               EXECUTE format('CREATE POLICY system_access ON %I TO ${SYSTEM_ROLE} USING (true) WITH CHECK (true)', t.relname);
               added := added + 1;
             END IF;
           END LOOP;
           GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${SYSTEM_ROLE};
           RETURN added;
         END $$`,
      `REVOKE ALL ON FUNCTION halve_grant_system() FROM PUBLIC`,
      `SELECT halve_grant_system()`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP POLICY IF EXISTS members_read ON users`);
    await q.query(`ALTER TABLE users DISABLE ROW LEVEL SECURITY`);
    await q.query(`DROP FUNCTION IF EXISTS halve_visible_user(uuid)`);
    const tables: { relname: string }[] = await q.query(
      `SELECT c.relname FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid WHERE p.polname = 'system_access'`,
    );
    for (const t of tables) await q.query(`DROP POLICY system_access ON "${t.relname}"`);
    await q.query(`DROP FUNCTION IF EXISTS halve_grant_system()`);
  }
}
