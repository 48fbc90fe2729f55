import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTable } from './sql-helpers';

/**
 * Utility bills (issue 18): one row per bill of an electricity or gas meter. A bill of a meter without
 * interval data also writes that meter's readings (period_end set, import_id = the bill's id), which is
 * how it reaches the inventory; a bill of an interval meter is kept for reconciliation only.
 * halve_system's grant and policy come from halve_grant_system(), run after every migration run (ADR 0010).
 */
export class UtilityBills1764301400000 implements MigrationInterface {
  name = 'UtilityBills1764301400000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE utility_bills (
         tenant_id uuid NOT NULL,
         id uuid NOT NULL,
         meter_id uuid NOT NULL,
         supplier text,
         account text,
         period_from date NOT NULL,
         period_to date NOT NULL,
         starts_at timestamptz NOT NULL,
         ends_at timestamptz NOT NULL,
         quantity double precision NOT NULL CHECK (quantity >= 0),
         unit text NOT NULL,
         meter_quantity double precision NOT NULL CHECK (meter_quantity >= 0),
         cost double precision CHECK (cost >= 0),
         currency char(3),
         tariff_name text,
         renewable_certificate text,
         source text NOT NULL CHECK (source IN ('manual', 'file', 'green_button')),
         counted_as_readings boolean NOT NULL,
         created_by uuid,
         created_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, id),
         CHECK (period_to >= period_from AND ends_at > starts_at),
         FOREIGN KEY (tenant_id, meter_id) REFERENCES meters (tenant_id, id) ON DELETE CASCADE
       )`,
      `CREATE INDEX utility_bills_meter_idx ON utility_bills (tenant_id, meter_id, period_from)`,
      ...tenantTable('utility_bills'),
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS utility_bills');
  }
}
