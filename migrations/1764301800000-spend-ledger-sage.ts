import { MigrationInterface, QueryRunner } from 'typeorm';

/** Spend ledgers (issue 18): a ledger's layout may be Sage's (audit trail / nominal activity exports). */
export class SpendLedgerSage1764301800000 implements MigrationInterface {
  name = 'SpendLedgerSage1764301800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE spend_ledgers DROP CONSTRAINT spend_ledgers_format_check`);
    await q.query(
      `ALTER TABLE spend_ledgers ADD CONSTRAINT spend_ledgers_format_check
         CHECK (format IN ('xero', 'quickbooks', 'sage', 'generic'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    // Sage uploads cannot stay under the old constraint: they are removed with the activities they fed
    await q.query(
      `DELETE FROM activities a USING spend_ledgers l
        WHERE l.format = 'sage' AND a.tenant_id = l.tenant_id AND a.id = ANY (l.activity_ids)`,
    );
    await q.query(`DELETE FROM spend_ledgers WHERE format = 'sage'`);
    await q.query(`ALTER TABLE spend_ledgers DROP CONSTRAINT spend_ledgers_format_check`);
    await q.query(
      `ALTER TABLE spend_ledgers ADD CONSTRAINT spend_ledgers_format_check
         CHECK (format IN ('xero', 'quickbooks', 'generic'))`,
    );
  }
}
