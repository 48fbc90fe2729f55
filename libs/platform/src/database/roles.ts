import { Logger } from '@nestjs/common';
import { DataSource, DataSourceOptions, EntityManager } from 'typeorm';

/**
 * The database roles the app's work runs under (docs/adr/0010-least-privilege-roles.md). The app logs in as
 * a role that holds no rights of its own (NOINHERIT) and is a member of these three; every transaction
 * starts with `SET LOCAL ROLE` to one of them, so a `RESET ROLE` only gives rights back to that login:
 * none. The owner of the tables (DATABASE_MIGRATION_URL) runs migrations and nothing else.
 */
export const APP_DB_ROLE = 'halve_app';
/** Cross-tenant work: a `system_access` policy on every table with row-level security. */
export const SYSTEM_DB_ROLE = 'halve_system';
/** INSERT on readings and rollups, bypassing row-level security, for a first import's binary COPY. */
export const LOADER_DB_ROLE = 'halve_loader';

const GROUP_ROLES = [APP_DB_ROLE, SYSTEM_DB_ROLE, LOADER_DB_ROLE];

/** What the app's database login can do beyond what it needs; empty when it holds least privilege. */
export interface LoginPosture {
  login: string;
  problems: string[];
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Reads the current login's attributes: superuser, BYPASSRLS, owner of tables, inherited group rights. */
export async function loginPosture(ds: DataSource): Promise<LoginPosture> {
  const [row]: {
    login: string;
    rolsuper: boolean;
    rolbypassrls: boolean;
    rolinherit: boolean;
    owns: boolean;
    member_of: string[];
    can_create: boolean;
  }[] = await ds.query(
    `SELECT r.rolname AS login, r.rolsuper, r.rolbypassrls, r.rolinherit,
            EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = 'public' AND c.relowner = r.oid) AS owns,
            ARRAY(SELECT g.rolname::text FROM pg_roles g WHERE g.rolname = ANY($1::text[])
                   AND pg_has_role(r.oid, g.oid, 'MEMBER') ORDER BY 1) AS member_of,
            has_schema_privilege(r.oid, 'public', 'CREATE') AS can_create
       FROM pg_roles r WHERE r.rolname = session_user`,
    [GROUP_ROLES],
  );
  const problems: string[] = [];
  if (row.rolsuper) problems.push('is a superuser');
  else {
    if (row.rolbypassrls) problems.push('has BYPASSRLS');
    if (row.owns) problems.push('owns tables of the schema (it is the migration role)');
    if (row.can_create) problems.push('may create objects in schema public');
    const missing = GROUP_ROLES.filter((g) => !row.member_of.includes(g));
    if (missing.length) problems.push(`is not a member of ${missing.join(', ')}`);
    if (row.rolinherit && row.member_of.length)
      problems.push(
        `inherits the rights of ${row.member_of.join(', ')} (so RESET ROLE would keep them): ALTER ROLE ${quoteIdent(row.login)} NOINHERIT`,
      );
  }
  return { login: row.login, problems };
}

/**
 * Run by the owner after migrations: makes DATABASE_URL's login a member of the three group roles, holding
 * none of their rights until it switches to one (NOINHERIT). Both are idempotent. A failure (the owner may
 * not manage roles) is reported, not fatal: an operator can run the same two statements by hand.
 */
export async function grantAppLogin(owner: DataSource, appLogin: string, logger: Logger): Promise<void> {
  const statements = [
    `GRANT ${GROUP_ROLES.join(', ')} TO ${quoteIdent(appLogin)}`,
    `ALTER ROLE ${quoteIdent(appLogin)} NOINHERIT`,
  ];
  for (const sql of statements) {
    try {
      await owner.query(sql);
    } catch (err) {
      logger.warn(
        `could not run "${sql}" as the migration role: ${(err as Error).message}; run it as a role administrator`,
      );
    }
  }
}

/** The user name a PostgreSQL URL logs in as (libpq's default: the OS user). */
export function loginOf(url: string): string {
  const u = new URL(url);
  return decodeURIComponent(u.username) || process.env.PGUSER || process.env.USER || 'postgres';
}

/** A short-lived data source for migrations, on the login of `migrationUrl` (the owner's, or the app's when it owns). */
export function ownerDataSource(options: DataSourceOptions, migrationUrl: string): DataSource {
  if (options.type !== 'postgres') throw new Error('the migration role is a PostgreSQL setting');
  return new DataSource({
    ...options,
    url: migrationUrl,
    // migrate() holds one connection for its advisory lock while the migrations run on another
    poolSize: 2,
    entities: [],
    applicationName: 'halve-migrate',
    // a migration may take long (it runs once, at start-up, under an advisory lock)
    extra: { ...(options.extra as object), statement_timeout: 0 },
  });
}

const loaderCache = new WeakMap<DataSource, Promise<boolean>>();

/**
 * May a first import COPY into `readings` as `halve_loader` here? The loader must have BYPASSRLS (a migration role
 * that was not a superuser could not give it), and on Citus the tenant role must be a member of the loader
 * (migration 1764302500000) and the coordinator must hold no shards (its own shards would be written in the
 * coordinator's backend, where the role stays `halve_app`: see enterLoaderRole). Asked once per data source.
 */
export function loaderCopyAllowed(em: EntityManager): Promise<boolean> {
  const ds = em.connection;
  let known = loaderCache.get(ds);
  if (!known) {
    known = (async () => {
      const rows: { rolbypassrls: boolean }[] = await em.query(
        `SELECT rolbypassrls FROM pg_roles WHERE rolname = $1`,
        [LOADER_DB_ROLE],
      );
      if (rows[0]?.rolbypassrls !== true) return false;
      if (!(await onCitus(em))) return true;
      const [citus]: { ok: boolean }[] = await em.query(
        `SELECT pg_has_role($1, $2, 'MEMBER')
                AND NOT EXISTS (SELECT 1 FROM pg_dist_node WHERE groupid = 0 AND shouldhaveshards) AS ok`,
        [APP_DB_ROLE, LOADER_DB_ROLE],
      );
      return citus?.ok === true;
    })();
    known.catch(() => loaderCache.delete(ds));
    loaderCache.set(ds, known);
  }
  return known;
}

/**
 * Switches a tenant transaction to `halve_loader` for one COPY into `readings` or `reading_rollups` (ADR 0006);
 * nothing else may run until leaveLoaderRole. On PostgreSQL: `SET LOCAL ROLE halve_loader`. On Citus the
 * worker connections must take the loader's role but the coordinator must not: Citus picks (and opens) its
 * connection to a shard by the coordinator's current role, and refuses a second role on shards this transaction
 * has written ("cannot perform query on placements that were modified in this transaction by a different
 * user"). So the switch to the loader is propagated to the workers, then the coordinator alone goes back to
 * `halve_app` (`citus.propagate_set_commands` is never itself propagated), and Citus sends the COPY over the
 * transaction's own connection, where the worker runs it as the loader (docs/adr/0011-citus-scale-out.md).
 */
export async function enterLoaderRole(em: EntityManager): Promise<void> {
  await em.query(`SET LOCAL ROLE ${LOADER_DB_ROLE}`);
  if (await onCitus(em))
    await em.query(
      `SET LOCAL citus.propagate_set_commands = 'none'; SET LOCAL ROLE ${APP_DB_ROLE}; SET LOCAL citus.propagate_set_commands = 'local'`,
    );
}

/** Back to the tenant role after enterLoaderRole's COPY, on the coordinator and (Citus) every worker connection. */
export async function leaveLoaderRole(em: EntityManager): Promise<void> {
  await em.query(`SET LOCAL ROLE ${APP_DB_ROLE}`);
}

const citusCache = new WeakMap<DataSource, Promise<boolean>>();

/**
 * Is the database a Citus coordinator (the `citus` extension in it)? Asked once per data source. A few write
 * paths differ there (docs/adr/0011-citus-scale-out.md): Citus runs an `INSERT … SELECT` from the coordinator
 * as a COPY into the shards, which row-level security refuses, and the loader's COPY takes its role on the
 * workers only (enterLoaderRole).
 */
export function onCitus(em: EntityManager): Promise<boolean> {
  const ds = em.connection;
  let known = citusCache.get(ds);
  if (!known) {
    known = em
      .query(`SELECT 1 FROM pg_extension WHERE extname = 'citus'`)
      .then((rows: unknown[]) => rows.length > 0);
    known.catch(() => citusCache.delete(ds));
    citusCache.set(ds, known);
  }
  return known;
}
