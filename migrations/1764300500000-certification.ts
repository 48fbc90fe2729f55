import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE, tenantTable } from './sql-helpers';

/**
 * Certification: claims with their locked evidence snapshot, uploaded evidence, the transition log,
 * reviews, the global certificate registry (only what public verification needs), offset-credit
 * serials (global, for the double-claim check) and per-user notifications.
 *
 * Certification-body scope: besides the tenant policy, the claim tables have a SELECT policy keyed on
 * `halve.body_id` (set by `Db.body`) that shows a body's members what was submitted to it, across
 * organisations, and nothing else of those organisations.
 */
export class Certification1764300500000 implements MigrationInterface {
  name = 'Certification1764300500000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE claims (
         tenant_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
         id uuid NOT NULL,
         type text NOT NULL CHECK (type IN ('renewable_share', 'emission_reduction', 'verified_savings', 'carbon_neutral')),
         status text NOT NULL CHECK (status IN ('draft', 'submitted', 'in_review', 'changes_requested', 'approved', 'rejected', 'withdrawn')),
         period_from date NOT NULL,
         period_to date NOT NULL,
         certification_body_id uuid NOT NULL REFERENCES certification_bodies (id),
         inputs jsonb NOT NULL DEFAULT '{}'::jsonb,
         figures jsonb NOT NULL DEFAULT '{}'::jsonb,
         statement text,
         snapshot jsonb,
         evidence_sha256 text,
         submission_count int NOT NULL DEFAULT 0,
         submitted_at timestamptz,
         reviewer_id uuid,
         assurance_level text CHECK (assurance_level IN ('limited', 'reasonable')),
         decision_statement text,
         decided_at timestamptz,
         decided_by uuid,
         certificate_number text,
         created_by uuid,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, id),
         CHECK (period_to > period_from)
       )`,
      `CREATE INDEX claims_body_idx ON claims (certification_body_id, status)`,
      `CREATE UNIQUE INDEX claims_certificate_key ON claims (certificate_number) WHERE certificate_number IS NOT NULL`,
      ...tenantTable('claims'),
      `CREATE POLICY body_read ON claims FOR SELECT USING (certification_body_id = halve_body() AND submitted_at IS NOT NULL)`,

      `CREATE TABLE claim_evidence (
         tenant_id uuid NOT NULL,
         id uuid NOT NULL,
         claim_id uuid NOT NULL,
         kind text NOT NULL CHECK (kind IN ('bill', 'meter_export', 'certificate', 'retirement_receipt', 'management_plan', 'other')),
         filename text NOT NULL,
         content_type text NOT NULL,
         size_bytes bigint NOT NULL,
         content bytea NOT NULL,
         sha256 text NOT NULL,
         description text,
         uploaded_by uuid,
         created_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, id),
         FOREIGN KEY (tenant_id, claim_id) REFERENCES claims (tenant_id, id) ON DELETE CASCADE
       )`,
      `CREATE INDEX claim_evidence_claim_idx ON claim_evidence (tenant_id, claim_id)`,
      ...tenantTable('claim_evidence', 'tenant_id', 'SELECT, INSERT, DELETE'),
      `CREATE POLICY body_read ON claim_evidence FOR SELECT USING (EXISTS (
         SELECT 1 FROM claims c WHERE c.tenant_id = claim_evidence.tenant_id AND c.id = claim_evidence.claim_id
            AND c.certification_body_id = halve_body() AND c.submitted_at IS NOT NULL))`,
      // Evidence is never updated; it is added only while the claim is editable and removed only in draft.
      `CREATE OR REPLACE FUNCTION claim_evidence_locked() RETURNS trigger LANGUAGE plpgsql AS $$
       DECLARE s text;
       BEGIN
         IF TG_OP = 'UPDATE' THEN RAISE EXCEPTION 'claim evidence is immutable' USING ERRCODE = 'check_violation'; END IF;
         SELECT status INTO s FROM claims WHERE tenant_id = COALESCE(NEW.tenant_id, OLD.tenant_id) AND id = COALESCE(NEW.claim_id, OLD.claim_id);
         IF s IS NULL THEN RETURN COALESCE(NEW, OLD); END IF;
         IF TG_OP = 'INSERT' AND s NOT IN ('draft', 'changes_requested') THEN
           RAISE EXCEPTION 'the evidence of a % claim is locked', s USING ERRCODE = 'check_violation';
         END IF;
         IF TG_OP = 'DELETE' AND s <> 'draft' THEN
           RAISE EXCEPTION 'the evidence of a % claim is locked', s USING ERRCODE = 'check_violation';
         END IF;
         RETURN COALESCE(NEW, OLD);
       END $$`,
      `CREATE TRIGGER claim_evidence_locked BEFORE INSERT OR UPDATE OR DELETE ON claim_evidence FOR EACH ROW EXECUTE FUNCTION claim_evidence_locked()`,

      `CREATE TABLE claim_transitions (
         tenant_id uuid NOT NULL,
         id uuid NOT NULL,
         claim_id uuid NOT NULL,
         from_status text NOT NULL,
         to_status text NOT NULL,
         actor_user_id uuid,
         actor_kind text NOT NULL CHECK (actor_kind IN ('organization', 'certifier')),
         body_id uuid NOT NULL,
         reason text,
         findings jsonb NOT NULL DEFAULT '[]'::jsonb,
         evidence_sha256 text,
         at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, id),
         FOREIGN KEY (tenant_id, claim_id) REFERENCES claims (tenant_id, id) ON DELETE CASCADE
       )`,
      `CREATE INDEX claim_transitions_claim_idx ON claim_transitions (tenant_id, claim_id, at)`,
      ...tenantTable('claim_transitions', 'tenant_id', 'SELECT, INSERT'),
      `CREATE POLICY body_read ON claim_transitions FOR SELECT USING (body_id = halve_body() AND EXISTS (
         SELECT 1 FROM claims c WHERE c.tenant_id = claim_transitions.tenant_id AND c.id = claim_transitions.claim_id
            AND c.certification_body_id = halve_body() AND c.submitted_at IS NOT NULL))`,

      `CREATE TABLE claim_reviews (
         tenant_id uuid NOT NULL,
         id uuid NOT NULL,
         claim_id uuid NOT NULL,
         body_id uuid NOT NULL,
         reviewer_id uuid NOT NULL,
         submission int NOT NULL,
         checklist jsonb NOT NULL DEFAULT '[]'::jsonb,
         findings jsonb NOT NULL DEFAULT '[]'::jsonb,
         decision text CHECK (decision IN ('changes_requested', 'approved', 'rejected')),
         assurance_level text CHECK (assurance_level IN ('limited', 'reasonable')),
         statement text,
         started_at timestamptz NOT NULL DEFAULT now(),
         decided_at timestamptz,
         PRIMARY KEY (tenant_id, id),
         FOREIGN KEY (tenant_id, claim_id) REFERENCES claims (tenant_id, id) ON DELETE CASCADE
       )`,
      `CREATE INDEX claim_reviews_claim_idx ON claim_reviews (tenant_id, claim_id)`,
      ...tenantTable('claim_reviews', 'tenant_id', 'SELECT, INSERT, UPDATE'),
      `CREATE POLICY body_read ON claim_reviews FOR SELECT USING (body_id = halve_body())`,

      // Global: public verification reads only this. A body inserts and revokes only its own certificates.
      `CREATE TABLE certificate_registry (
         number text PRIMARY KEY,
         body_id uuid NOT NULL REFERENCES certification_bodies (id),
         body_name text NOT NULL,
         claim_type text NOT NULL,
         statement text NOT NULL,
         period_from date NOT NULL,
         period_to date NOT NULL,
         assurance_level text NOT NULL CHECK (assurance_level IN ('limited', 'reasonable')),
         issued_at timestamptz NOT NULL,
         valid_until date NOT NULL,
         evidence_sha256 text NOT NULL,
         revoked_at timestamptz,
         revocation_reason text
       )`,
      `CREATE INDEX certificate_registry_body_idx ON certificate_registry (body_id)`,
      `ALTER TABLE certificate_registry ENABLE ROW LEVEL SECURITY`,
      `CREATE POLICY public_read ON certificate_registry FOR SELECT USING (true)`,
      `CREATE POLICY body_issue ON certificate_registry FOR INSERT WITH CHECK (body_id = halve_body())`,
      `CREATE POLICY body_revoke ON certificate_registry FOR UPDATE USING (body_id = halve_body()) WITH CHECK (body_id = halve_body())`,
      `GRANT SELECT, INSERT ON certificate_registry TO ${APP_ROLE}`,
      `GRANT UPDATE (revoked_at, revocation_reason) ON certificate_registry TO ${APP_ROLE}`,

      // Global registry of offset-credit serials claimed for carbon neutrality: unique across organisations.
      `CREATE TABLE offset_credit_registry (
         registry text NOT NULL,
         serial text NOT NULL,
         tenant_id uuid NOT NULL,
         claim_id uuid NOT NULL,
         PRIMARY KEY (registry, serial)
       )`,
      `CREATE INDEX offset_credit_registry_claim_idx ON offset_credit_registry (tenant_id, claim_id)`,
      ...tenantTable('offset_credit_registry', 'tenant_id', 'SELECT, DELETE'),
      `CREATE OR REPLACE FUNCTION certification_claim_offsets(p_claim uuid, p_registry text, p_serials text[])
         RETURNS TABLE (taken_serial text) LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
       DECLARE t uuid := halve_tenant();
       BEGIN
         IF t IS NULL THEN RAISE EXCEPTION 'certification_claim_offsets needs a tenant'; END IF;
         INSERT INTO offset_credit_registry AS r (registry, serial, tenant_id, claim_id)
           SELECT p_registry, s, t, p_claim FROM unnest(p_serials) AS s ON CONFLICT ON CONSTRAINT offset_credit_registry_pkey DO NOTHING;
         -- Serials held by another claim (of this or another organisation), without saying whose.
         RETURN QUERY SELECT r.serial FROM offset_credit_registry r
           WHERE r.registry = p_registry AND r.serial = ANY (p_serials) AND NOT (r.claim_id = p_claim AND r.tenant_id = t) ORDER BY r.serial;
       END $$`,
      `REVOKE ALL ON FUNCTION certification_claim_offsets(uuid, text, text[]) FROM PUBLIC`,
      `GRANT EXECUTE ON FUNCTION certification_claim_offsets(uuid, text, text[]) TO ${APP_ROLE}`,

      // In-portal notifications of a user (global: a certifier belongs to no organisation). Written and
      // read as the owner, always filtered by the user.
      `CREATE TABLE user_notifications (
         user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
         id uuid NOT NULL,
         kind text NOT NULL,
         title text NOT NULL,
         body text NOT NULL,
         organization_id uuid,
         certification_body_id uuid,
         claim_id uuid,
         link text,
         read_at timestamptz,
         created_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (user_id, id)
       )`,
      `CREATE INDEX user_notifications_recent_idx ON user_notifications (user_id, created_at DESC)`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION IF EXISTS certification_claim_offsets(uuid, text, text[])');
    for (const t of [
      'user_notifications',
      'offset_credit_registry',
      'certificate_registry',
      'claim_reviews',
      'claim_transitions',
      'claim_evidence',
      'claims',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
    await q.query('DROP FUNCTION IF EXISTS claim_evidence_locked()');
  }
}
