/**
 * SQL snippets shared by migrations. A tenant-owned table gets row-level security keyed on the
 * per-transaction setting `halve.tenant_id` and is granted to the non-owner role `halve_app`.
 * Do not change what these emit once a migration using them has shipped: add a new helper instead.
 */
export const APP_ROLE = 'halve_app';
/** Cross-tenant work (authentication, job bookkeeping): a `system_access` policy on every RLS table (ADR 0010). */
export const SYSTEM_ROLE = 'halve_system';
/** INSERT only on readings and rollups, bypassing RLS, for the binary COPY of a first import (ADR 0006, 0010). */
export const LOADER_ROLE = 'halve_loader';

export function tenantTable(
  table: string,
  column = 'tenant_id',
  privileges = 'SELECT, INSERT, UPDATE, DELETE',
): string[] {
  return [
    `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`,
    `CREATE POLICY tenant_isolation ON ${table} USING (${column} = halve_tenant()) WITH CHECK (${column} = halve_tenant())`,
    `GRANT ${privileges} ON ${table} TO ${APP_ROLE}`,
  ];
}

/** The subset of TypeORM's QueryRunner the Citus helpers use (keeps this file free of runtime imports). */
interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** Is this database a Citus coordinator? False on plain PostgreSQL and PGlite. */
export async function hasCitus(q: Queryable): Promise<boolean> {
  const rows = (await q.query(`SELECT 1 FROM pg_extension WHERE extname = 'citus'`)) as unknown[];
  return rows.length > 0;
}

/** The table every tenant table is co-located with (docs/adr/0011-citus-scale-out.md). */
export const CITUS_COLOCATION_ANCHOR = 'organizations';

/**
 * For a migration that creates a table after 1764301600000: on Citus, distributes a new tenant table by
 * `tenant_id`, co-located with the other tenant tables (`'distributed'`), or replicates a platform-wide
 * table to every node (`'reference'`); a no-op on plain PostgreSQL and PGlite. Call it after the table and
 * its policies exist and after the tables it references are distributed. Its unique keys must lead with
 * tenant_id (Citus cannot enforce a key across shards), otherwise make it a reference table.
 */
export async function distributeOnCitus(
  q: Queryable,
  table: string,
  kind: 'distributed' | 'reference' = 'distributed',
): Promise<void> {
  if (!(await hasCitus(q))) return;
  // DDL on shards after a reference table was touched in this transaction must not run in parallel
  await q.query(`SET LOCAL citus.multi_shard_modify_mode TO 'sequential'`);
  if (kind === 'reference') await q.query(`SELECT create_reference_table($1)`, [table]);
  else
    await q.query(`SELECT create_distributed_table($1, 'tenant_id', colocate_with => $2)`, [
      table,
      CITUS_COLOCATION_ANCHOR,
    ]);
}
