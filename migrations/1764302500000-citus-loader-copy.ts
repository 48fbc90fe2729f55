import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE, LOADER_ROLE, hasCitus } from './sql-helpers';

/**
 * Citus (issue 20, docs/adr/0011-citus-scale-out.md): a first import's COPY as `halve_loader`, as on PostgreSQL
 * (ADR 0006). A no-op on plain PostgreSQL and PGlite.
 *
 * Citus opens its connections to the workers as the coordinator's current role (`halve_app` in a tenant
 * transaction) and replays the transaction's `SET LOCAL ROLE` on them; on a worker the session user is then
 * `halve_app`, and `SET ROLE halve_loader` needs it to be a member of the loader ("permission denied to set role
 * "halve_loader""). The membership gives no login anything it lacks: on the coordinator `SET ROLE` is checked
 * against the session user (the app's login, already a member of `halve_loader`); a session whose user is
 * `halve_app` exists only as Citus's connection from the coordinator (pg_hba: `halve_app` logs in on the workers
 * from the coordinator only). `halve_app` inherits nothing by it: the loader's only grants (INSERT on `readings`
 * and `reading_rollups`) are the tenant role's already, and BYPASSRLS is an attribute, never inherited. Citus
 * propagates the grant to every node, including nodes added later.
 */
export class CitusLoaderCopy1764302500000 implements MigrationInterface {
  name = 'CitusLoaderCopy1764302500000';

  async up(q: QueryRunner): Promise<void> {
    if (!(await hasCitus(q))) return;
    await q.query(`GRANT ${LOADER_ROLE} TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    if (!(await hasCitus(q))) return;
    await q.query(`REVOKE ${LOADER_ROLE} FROM ${APP_ROLE}`);
  }
}
