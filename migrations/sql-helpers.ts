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

export function tenantTable(table: string, column = 'tenant_id', privileges = 'SELECT, INSERT, UPDATE, DELETE'): string[] {
  return [
    `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`,
    `CREATE POLICY tenant_isolation ON ${table} USING (${column} = halve_tenant()) WITH CHECK (${column} = halve_tenant())`,
    `GRANT ${privileges} ON ${table} TO ${APP_ROLE}`,
  ];
}
