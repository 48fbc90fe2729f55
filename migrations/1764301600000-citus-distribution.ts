import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE, CITUS_COLOCATION_ANCHOR, LOADER_ROLE, SYSTEM_ROLE, hasCitus } from './sql-helpers';

/**
 * Scale-out on Citus (issue 20, docs/adr/0011-citus-scale-out.md). A no-op on plain PostgreSQL and PGlite.
 * On a Citus coordinator every table is placed by a rule, so tables added by earlier migrations are covered
 * without a list (later migrations call `distributeOnCitus` from sql-helpers):
 * - `organizations` is distributed by `id`, and every table with a `tenant_id` column by `tenant_id`,
 *   co-located with it: a tenant's rows of all tables live in one shard, joins and foreign keys stay local;
 * - a tenant table with a key that is unique across tenants (the instrument and offset-credit registries:
 *   their point is to stop two organisations claiming the same certificate) is a reference table, copied
 *   to every node, so the key is still enforced;
 * - every other table (users, certification bodies, emission factors, …) is a reference table, except the
 *   per-user authentication bookkeeping, which stays on the coordinator (COORDINATOR_ONLY).
 * Three keys that were unique across tenants only by accident of randomness are re-keyed with `tenant_id`
 * first (REKEYED), so their tables can be distributed.
 */
export class CitusDistribution1764301600000 implements MigrationInterface {
  name = 'CitusDistribution1764301600000';

  async up(q: QueryRunner): Promise<void> {
    if (!(await hasCitus(q))) return;
    // DDL on shards after a reference table was touched in this transaction must not run in parallel; and the
    // later migrations of this run (same connection) too: a migration that alters a distributed table in
    // parallel cannot then distribute a new one ("cannot distribute … in sequential mode because a parallel
    // query was executed"). Sessions opened later get it from the database (below).
    await q.query(`SET citus.multi_shard_modify_mode TO 'sequential'`);
    // claim_evidence_locked reads the claim of the same tenant: a co-located, single-shard read (ADR 0011)
    await q.query(`SET LOCAL citus.enable_unsafe_triggers TO on`);
    // `SET LOCAL halve.tenant_id` reaches the workers only with this (new sessions; ADR 0011 for the server default)
    await q.query(`DO $$ BEGIN
      EXECUTE format('ALTER DATABASE %I SET citus.propagate_set_commands = %L', current_database(), 'local');
      -- a transaction that wrote to a tenant's shard may then write a reference table (a new user on an
      -- invitation's acceptance): Citus allows that only over one connection per node
      EXECUTE format('ALTER DATABASE %I SET citus.multi_shard_modify_mode = %L', current_database(), 'sequential');
    END $$`);
    // Citus opens its connections to the workers as the current role: after SET LOCAL ROLE, as halve_app
    // (or halve_system, halve_loader), which must therefore be allowed to log in (pg_hba restricts where from)
    await q.query(`DO $$ BEGIN
      ALTER ROLE ${APP_ROLE} LOGIN; ALTER ROLE ${SYSTEM_ROLE} LOGIN; ALTER ROLE ${LOADER_ROLE} LOGIN;
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE WARNING 'the migration role may not ALTER ROLE: run ALTER ROLE % LOGIN (and % and %) as a role administrator',
        '${APP_ROLE}', '${SYSTEM_ROLE}', '${LOADER_ROLE}';
    END $$`);
    for (const r of REKEYED) for (const sql of r.statements) await q.query(sql);
    for (const sql of POLICIES_WITHOUT_SUBQUERIES) await q.query(sql);
    // run after every migration run (ADR 0010): its GRANTs and policies touch reference and distributed tables
    await q.query(`ALTER FUNCTION halve_grant_system() SET citus.multi_shard_modify_mode = 'sequential'`);
    const plan = await placement(q);
    // A reference table's creation pulls every local table in its foreign-key graph into Citus as a local
    // table, after which those can no longer be distributed: the tenant tables are distributed first, with
    // their keys to would-be reference tables (users, certification bodies) detached, then put back.
    const detached = await detachKeysToOthers(q, plan.distributed);
    // …and the keys from reference tables to distributed ones, which Citus cannot keep
    await detachKeysToOthers(q, plan.reference, plan.distributed);
    // and the reference tenant tables' keys to users: a write to memberships would lock users on every node,
    // which halve_app may not (users are never deleted, so the cascade never ran)
    await detachKeysToOthers(q, REFERENCE_TENANT_TABLES, ['users']);
    if (plan.distributed.includes(CITUS_COLOCATION_ANCHOR))
      await q.query(`SELECT create_distributed_table($1, 'id')`, [CITUS_COLOCATION_ANCHOR]);
    for (const t of plan.distributed.filter((d) => d !== CITUS_COLOCATION_ANCHOR))
      await q.query(`SELECT create_distributed_table($1, 'tenant_id', colocate_with => $2)`, [
        t,
        CITUS_COLOCATION_ANCHOR,
      ]);
    // the coordinator-only tables that reference one of these become Citus local tables on the way
    for (const t of plan.reference) await q.query(`SELECT create_reference_table($1)`, [t]);
    for (const k of detached.filter((d) => !plan.coordinator.includes(d.parent)))
      await q.query(`ALTER TABLE ${k.child} ADD CONSTRAINT ${k.name} ${k.definition}`);
  }

  async down(q: QueryRunner): Promise<void> {
    if (!(await hasCitus(q))) return;
    const tables: { name: string }[] = await q.query(
      `SELECT logicalrelid::regclass::text AS name FROM pg_dist_partition
        WHERE logicalrelid::regclass::text NOT LIKE 'pg\\_%'`,
    );
    for (const t of tables)
      await q.query(`SELECT undistribute_table($1, cascade_via_foreign_keys => true)`, [t.name]);
  }
}

/**
 * Authentication bookkeeping per user or e-mail, written on every sign-in and refresh and never joined with a
 * tenant's data: on the coordinator (a reference table would make every write a transaction on all nodes).
 * Those referencing a reference table (sessions → users) become Citus local tables on the way.
 */
const COORDINATOR_ONLY = [
  'migrations',
  'login_lockouts',
  'sessions',
  'spent_refresh_tokens',
  'user_notifications',
];

/**
 * Tenant tables that are reference tables by decision. memberships: who belongs to which organisation is read
 * across organisations (a user's organisations at sign-in) and by users' row-level security, which runs on
 * whichever node reads users; a worker may not start a distributed query from a shard ("cannot execute a
 * distributed query from a query on a shard", or "the backend has already been assigned a transaction id"),
 * but it reads a reference table locally. Its key to organizations (distributed) is dropped: a reference
 * table cannot reference a distributed one (organisations are never deleted, so its cascade never ran), and
 * its key to users goes too (see up()).
 */
const REFERENCE_TENANT_TABLES = ['memberships'];

/** Keys unique across tenants only by randomness (a key prefix, a token hash, a certificate number also held in the registry). */
const REKEYED: { table: string; statements: string[] }[] = [
  {
    table: 'api_keys',
    statements: [
      `DROP INDEX api_keys_prefix_key`,
      `CREATE UNIQUE INDEX api_keys_prefix_key ON api_keys (tenant_id, prefix)`,
      // authentication looks a key up by its prefix before it knows the tenant
      `CREATE INDEX api_keys_prefix_idx ON api_keys (prefix)`,
    ],
  },
  {
    table: 'invitations',
    statements: [
      `DROP INDEX invitations_token_key`,
      `CREATE UNIQUE INDEX invitations_token_key ON invitations (tenant_id, token_hash)`,
      `CREATE INDEX invitations_token_idx ON invitations (token_hash)`,
    ],
  },
  {
    table: 'claims',
    statements: [
      // certificate_registry (a reference table) keeps the number unique across organisations
      `DROP INDEX claims_certificate_key`,
      `CREATE UNIQUE INDEX claims_certificate_key ON claims (tenant_id, certificate_number) WHERE certificate_number IS NOT NULL`,
    ],
  },
];

/**
 * Citus refuses policies with subqueries on its tables. The certification body's read policies on evidence
 * and transitions asked "is the claim submitted to this body?" in a subquery; a function asks the same.
 */
const POLICIES_WITHOUT_SUBQUERIES = [
  // PL/pgSQL: Citus cannot plan a parameterised query in an SQL function. It runs on the worker, inside the
  // query on an evidence or transition shard, and reads the co-located claim shard on the same node (local
  // execution): the one nested distributed read that is safe, so it is allowed for this function only.
  `CREATE OR REPLACE FUNCTION halve_body_sees_claim(p_tenant uuid, p_claim uuid) RETURNS boolean
     LANGUAGE plpgsql STABLE SET citus.allow_nested_distributed_execution = on AS $$
     BEGIN
       RETURN EXISTS (SELECT 1 FROM claims c WHERE c.tenant_id = p_tenant AND c.id = p_claim
                         AND c.certification_body_id = halve_body() AND c.submitted_at IS NOT NULL);
     END $$`,
  `GRANT EXECUTE ON FUNCTION halve_body_sees_claim(uuid, uuid) TO ${APP_ROLE}`,
  // users' policy asks memberships with a parameter: Citus plans that in PL/pgSQL only, not in an SQL function
  `CREATE OR REPLACE FUNCTION halve_visible_user(p_user uuid) RETURNS boolean
     LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
     BEGIN
       RETURN EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = p_user AND m.tenant_id = halve_tenant())
           OR EXISTS (SELECT 1 FROM certification_body_members b WHERE b.user_id = p_user AND b.body_id = halve_body());
     END $$`,
  `DROP POLICY body_read ON claim_evidence`,
  `CREATE POLICY body_read ON claim_evidence FOR SELECT USING (halve_body_sees_claim(tenant_id, claim_id))`,
  `DROP POLICY body_read ON claim_transitions`,
  `CREATE POLICY body_read ON claim_transitions FOR SELECT USING (body_id = halve_body() AND halve_body_sees_claim(tenant_id, claim_id))`,
];

/** Drops the foreign keys from the given tables to tables outside them (or to `targets`), and returns them. */
async function detachKeysToOthers(
  q: QueryRunner,
  tables: string[],
  targets?: string[],
): Promise<{ child: string; parent: string; name: string; definition: string }[]> {
  const keys: { child: string; parent: string; name: string; definition: string }[] = await q.query(
    `SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent, quote_ident(conname) AS name,
            pg_get_constraintdef(oid) AS definition
       FROM pg_constraint
      WHERE contype = 'f' AND connamespace = 'public'::regnamespace
        AND conrelid::regclass::text = ANY ($1::text[])
        AND CASE WHEN $2::text[] IS NULL THEN NOT confrelid::regclass::text = ANY ($1::text[])
                 ELSE confrelid::regclass::text = ANY ($2::text[]) END`,
    [tables, targets ?? null],
  );
  for (const k of keys) await q.query(`ALTER TABLE ${k.child} DROP CONSTRAINT ${k.name}`);
  return keys;
}

interface TableRow {
  name: string;
  tenant: boolean;
  global_key: boolean;
  coordinator: boolean;
  reference: boolean;
}

/** The rule, applied to the catalogue: which table goes where, each list ordered so referenced tables come first. */
async function placement(
  q: QueryRunner,
): Promise<{ distributed: string[]; reference: string[]; coordinator: string[] }> {
  const rows: TableRow[] = await q.query(
    `SELECT c.relname AS name,
            EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
              OR c.relname = $1 AS tenant,
            EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisunique AND NOT EXISTS (
                      SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum = ANY (i.indkey)
                         AND a.attname = CASE WHEN c.relname = $1 THEN 'id' ELSE 'tenant_id' END)) AS global_key,
            c.relname = ANY ($2::text[]) AS coordinator,
            c.relname = ANY ($3::text[]) AS reference
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND NOT EXISTS (SELECT 1 FROM pg_dist_partition p WHERE p.logicalrelid = c.oid)`,
    [CITUS_COLOCATION_ANCHOR, COORDINATOR_ONLY, REFERENCE_TENANT_TABLES],
  );
  const edges: { child: string; parent: string }[] = await q.query(
    `SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent
       FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace AND conrelid <> confrelid`,
  );
  const order = topological(
    rows.map((r) => r.name),
    edges,
  );
  const kind = new Map(
    rows.map((r) => [
      r.name,
      r.coordinator ? 'coordinator' : r.tenant && !r.global_key && !r.reference ? 'distributed' : 'reference',
    ]),
  );
  return {
    distributed: order.filter((t) => kind.get(t) === 'distributed'),
    reference: order.filter((t) => kind.get(t) === 'reference'),
    coordinator: order.filter((t) => kind.get(t) === 'coordinator'),
  };
}

/** Tables ordered so that each comes after the tables it references (cycles, if any, in name order). */
export function topological(tables: string[], edges: { child: string; parent: string }[]): string[] {
  const done = new Set<string>();
  const out: string[] = [];
  const visit = (t: string, path: Set<string>) => {
    if (done.has(t) || path.has(t)) return;
    path.add(t);
    for (const e of edges) if (e.child === t && tables.includes(e.parent)) visit(e.parent, path);
    done.add(t);
    out.push(t);
  };
  for (const t of [...tables].sort()) visit(t, new Set());
  return out;
}
