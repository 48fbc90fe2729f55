import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTable } from './sql-helpers';

/**
 * Spend-based Scope 3 from accounting exports (issue 18): an uploaded ledger with its priced lines
 * (category, factor, source, kg, excluded reason; kept as one jsonb document per upload) and the
 * organisation's own mapping rules, which corrections create and which win over the shipped defaults.
 */
export class SpendLedgers1764301500000 implements MigrationInterface {
  name = 'SpendLedgers1764301500000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE spend_ledgers (
         tenant_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
         id uuid NOT NULL,
         file_name text NOT NULL,
         format text NOT NULL CHECK (format IN ('xero', 'quickbooks', 'generic')),
         currency text NOT NULL,
         factor_set text NOT NULL CHECK (factor_set IN ('epa', 'exiobase')),
         factor_region text NOT NULL,
         period_from date NOT NULL,
         period_to date NOT NULL,
         lines jsonb NOT NULL,
         activity_ids uuid[] NOT NULL DEFAULT '{}',
         created_by uuid,
         created_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, id),
         CHECK (period_to > period_from)
       )`,
      ...tenantTable('spend_ledgers'),
      `CREATE TABLE spend_rules (
         tenant_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
         id uuid NOT NULL,
         account text,
         account_code text,
         supplier text,
         keyword text,
         category text NOT NULL,
         created_by uuid,
         created_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, id),
         CHECK (account IS NOT NULL OR account_code IS NOT NULL OR supplier IS NOT NULL OR keyword IS NOT NULL)
       )`,
      ...tenantTable('spend_rules'),
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS spend_rules');
    await q.query('DROP TABLE IF EXISTS spend_ledgers');
  }
}
