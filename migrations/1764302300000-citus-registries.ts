import { MigrationInterface, QueryRunner } from 'typeorm';
import { hasCitus } from './sql-helpers';

/**
 * Citus (issue 20, docs/adr/0011-citus-scale-out.md), the registries. A no-op on plain PostgreSQL and PGlite.
 *
 * The instrument and offset-credit registries move from reference tables to plain tables on the coordinator.
 * Their writes go through SECURITY DEFINER functions (`carbon_claim_serials`, `certification_claim_offsets`)
 * so that a tenant sees that a serial is taken without seeing by whom. On a reference table the function's
 * INSERT also runs on every worker, over connections to which Citus replays the transaction's
 * `SET LOCAL ROLE halve_app`: there it is the tenant role writing, without the INSERT privilege ("permission
 * denied for table instrument_registry_<shard>"), and each claim is a write on every node. On the coordinator
 * the function runs as its owner, in the backend, as on PostgreSQL; nothing joins the registries with tenant
 * tables (they are written and deleted by key only), and the coordinator still enforces the key across
 * organisations.
 */
export class CitusRegistries1764302300000 implements MigrationInterface {
  name = 'CitusRegistries1764302300000';

  async up(q: QueryRunner): Promise<void> {
    if (!(await hasCitus(q))) return;
    await q.query(`SET LOCAL citus.multi_shard_modify_mode TO 'sequential'`);
    for (const table of REGISTRIES) {
      const placed: unknown[] = await q.query(
        `SELECT 1 FROM pg_dist_partition WHERE logicalrelid = to_regclass($1)`,
        [table],
      );
      if (placed.length) await q.query(`SELECT undistribute_table($1)`, [table]);
    }
    // certificate_registry stays a reference table (the public verification reads it anywhere), without its key
    // to certification_bodies: a write to a reference table locks the reference tables it references on every
    // node, which halve_app, issuing a certificate, may not ("permission denied for table
    // certification_bodies"). Bodies are never deleted; the body comes from the certifier's own scope.
    await q.query(
      `ALTER TABLE certificate_registry DROP CONSTRAINT IF EXISTS certificate_registry_body_id_fkey`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    if (!(await hasCitus(q))) return;
    await q.query(`SET LOCAL citus.multi_shard_modify_mode TO 'sequential'`);
    await q.query(
      `ALTER TABLE certificate_registry ADD CONSTRAINT certificate_registry_body_id_fkey FOREIGN KEY (body_id) REFERENCES certification_bodies (id)`,
    );
    for (const table of REGISTRIES) await q.query(`SELECT create_reference_table($1)`, [table]);
  }
}

export const REGISTRIES = ['instrument_registry', 'offset_credit_registry'];
