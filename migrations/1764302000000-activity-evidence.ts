import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE, distributeOnCitus, hasCitus, tenantTable } from './sql-helpers';

/**
 * Evidence of footprint data (issue 18): the invoices and receipts behind an activity (PDF, PNG, JPEG,
 * judged by their bytes, SHA-256 hashed). The organisation reads and adds them; a certification body
 * reads those of an activity whose period overlaps a claim submitted to it (`halve_body_sees_activity`,
 * SECURITY DEFINER: the body has no policy on activities or claims of its own to read them with).
 */
export class ActivityEvidence1764302000000 implements MigrationInterface {
  name = 'ActivityEvidence1764302000000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE activity_evidence (
         tenant_id uuid NOT NULL,
         id uuid NOT NULL,
         activity_id uuid NOT NULL,
         filename text NOT NULL,
         content_type text NOT NULL,
         size_bytes bigint NOT NULL,
         content bytea NOT NULL,
         sha256 text NOT NULL,
         uploaded_by uuid,
         created_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, id),
         FOREIGN KEY (tenant_id, activity_id) REFERENCES activities (tenant_id, id) ON DELETE CASCADE
       )`,
      `CREATE INDEX activity_evidence_activity_idx ON activity_evidence (tenant_id, activity_id)`,
      ...tenantTable('activity_evidence', 'tenant_id', 'SELECT, INSERT, DELETE'),
      `CREATE OR REPLACE FUNCTION halve_body_sees_activity(p_tenant uuid, p_activity uuid) RETURNS boolean
         LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
         BEGIN
           IF halve_body() IS NULL THEN RETURN false; END IF;
           RETURN EXISTS (SELECT 1 FROM activities a JOIN claims c ON c.tenant_id = a.tenant_id
                           WHERE a.tenant_id = p_tenant AND a.id = p_activity
                             AND c.certification_body_id = halve_body() AND c.submitted_at IS NOT NULL
                             AND a.period_from < c.period_to AND a.period_to > c.period_from);
         END $$`,
      `GRANT EXECUTE ON FUNCTION halve_body_sees_activity(uuid, uuid) TO ${APP_ROLE}`,
      // whether an activity the caller may see (its tenant's, or through a claim) overlaps a period: a body
      // lists the evidence of one claim's period with it, without a policy to read activities
      `CREATE OR REPLACE FUNCTION halve_activity_in_period(p_tenant uuid, p_activity uuid, p_from date, p_to date)
         RETURNS boolean LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
         BEGIN
           IF p_tenant IS DISTINCT FROM halve_tenant() AND NOT halve_body_sees_activity(p_tenant, p_activity) THEN
             RETURN false;
           END IF;
           RETURN EXISTS (SELECT 1 FROM activities a WHERE a.tenant_id = p_tenant AND a.id = p_activity
                             AND a.period_from < p_to AND a.period_to > p_from);
         END $$`,
      `GRANT EXECUTE ON FUNCTION halve_activity_in_period(uuid, uuid, date, date) TO ${APP_ROLE}`,
      `CREATE POLICY body_read ON activity_evidence FOR SELECT USING (halve_body_sees_activity(tenant_id, activity_id))`,
    ];
    for (const sql of statements) await q.query(sql);
    await distributeOnCitus(q, 'activity_evidence');
    if (await hasCitus(q)) {
      await q.query(
        `ALTER FUNCTION halve_body_sees_activity(uuid, uuid) SET citus.allow_nested_distributed_execution = on`,
      );
      await q.query(
        `ALTER FUNCTION halve_activity_in_period(uuid, uuid, date, date) SET citus.allow_nested_distributed_execution = on`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS activity_evidence');
    await q.query('DROP FUNCTION IF EXISTS halve_activity_in_period(uuid, uuid, date, date)');
    await q.query('DROP FUNCTION IF EXISTS halve_body_sees_activity(uuid, uuid)');
  }
}
