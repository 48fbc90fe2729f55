import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTable } from './sql-helpers';

/**
 * Recommendations: quantified suggestions from the analysers (unique per tenant by their stable
 * key), their review trail (transitions, comments), non-routine events a site's M&V leaves out,
 * and the stored M&V result per recommendation.
 */
export class Recommendations1764300400000 implements MigrationInterface {
  name = 'Recommendations1764300400000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE recommendations (
         tenant_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
         id uuid NOT NULL,
         site_id uuid NOT NULL,
         meter_id uuid,
         key text NOT NULL,
         type text NOT NULL CHECK (type IN ('baseload', 'after_hours', 'peak_demand', 'load_shifting', 'pv_sizing', 'weather_sensitivity', 'anomaly', 'tariff')),
         status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'accepted', 'rejected', 'implemented', 'verified', 'not_achieved')),
         title text NOT NULL,
         explanation text NOT NULL,
         annual_saving_kwh double precision NOT NULL CHECK (annual_saving_kwh >= 0),
         annual_saving_kg_co2e double precision NOT NULL,
         annual_saving_money double precision,
         currency char(3) NOT NULL,
         range_low double precision,
         range_high double precision,
         cost_money double precision,
         payback_years double precision,
         confidence text NOT NULL CHECK (confidence IN ('low', 'medium', 'high')),
         evidence jsonb NOT NULL,
         basis jsonb NOT NULL,
         stale boolean NOT NULL DEFAULT false,
         assignee_user_id uuid,
         implemented_on date,
         actual_cost_money double precision CHECK (actual_cost_money >= 0),
         notes text,
         reason text,
         decided_by uuid,
         decided_at timestamptz,
         analysis_job_id text,
         analysed_at timestamptz NOT NULL DEFAULT now(),
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, id),
         UNIQUE (tenant_id, key),
         FOREIGN KEY (tenant_id, site_id) REFERENCES sites (tenant_id, id) ON DELETE CASCADE
       )`,
      `CREATE INDEX recommendations_site_idx ON recommendations (tenant_id, site_id, status)`,
      ...tenantTable('recommendations'),

      `CREATE TABLE recommendation_comments (
         tenant_id uuid NOT NULL,
         id uuid NOT NULL,
         recommendation_id uuid NOT NULL,
         author_user_id uuid,
         body text NOT NULL CHECK (length(body) > 0),
         created_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, id),
         FOREIGN KEY (tenant_id, recommendation_id) REFERENCES recommendations (tenant_id, id) ON DELETE CASCADE
       )`,
      `CREATE INDEX recommendation_comments_rec_idx ON recommendation_comments (tenant_id, recommendation_id, created_at)`,
      ...tenantTable('recommendation_comments'),

      `CREATE TABLE recommendation_transitions (
         tenant_id uuid NOT NULL,
         id uuid NOT NULL,
         recommendation_id uuid NOT NULL,
         from_status text NOT NULL,
         to_status text NOT NULL,
         reason text,
         details jsonb NOT NULL DEFAULT '{}'::jsonb,
         actor_user_id uuid,
         at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, id),
         FOREIGN KEY (tenant_id, recommendation_id) REFERENCES recommendations (tenant_id, id) ON DELETE CASCADE
       )`,
      `CREATE INDEX recommendation_transitions_rec_idx ON recommendation_transitions (tenant_id, recommendation_id, at)`,
      ...tenantTable('recommendation_transitions', 'tenant_id', 'SELECT, INSERT'),

      `CREATE TABLE non_routine_events (
         tenant_id uuid NOT NULL,
         id uuid NOT NULL,
         site_id uuid NOT NULL,
         from_ts timestamptz NOT NULL,
         to_ts timestamptz NOT NULL,
         description text NOT NULL,
         created_by uuid,
         created_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, id),
         FOREIGN KEY (tenant_id, site_id) REFERENCES sites (tenant_id, id) ON DELETE CASCADE,
         CHECK (to_ts > from_ts)
       )`,
      `CREATE INDEX non_routine_events_site_idx ON non_routine_events (tenant_id, site_id, from_ts)`,
      ...tenantTable('non_routine_events'),

      `CREATE TABLE verifications (
         tenant_id uuid NOT NULL,
         recommendation_id uuid NOT NULL,
         status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
         input_hash text NOT NULL,
         job_id text,
         baseline_from timestamptz,
         baseline_to timestamptz,
         reporting_from timestamptz,
         reporting_to timestamptz,
         baseline_cv_rmse double precision,
         baseline_nmbe double precision,
         counterfactual_kwh double precision,
         actual_kwh double precision,
         verified_saving_kwh double precision,
         fractional_savings_uncertainty double precision,
         meets_guideline14 boolean,
         result jsonb,
         error text,
         computed_at timestamptz,
         updated_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, recommendation_id),
         FOREIGN KEY (tenant_id, recommendation_id) REFERENCES recommendations (tenant_id, id) ON DELETE CASCADE
       )`,
      ...tenantTable('verifications'),
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'verifications',
      'non_routine_events',
      'recommendation_transitions',
      'recommendation_comments',
      'recommendations',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
