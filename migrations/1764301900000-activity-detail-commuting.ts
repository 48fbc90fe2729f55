import { MigrationInterface, QueryRunner } from 'typeorm';
import { distributeOnCitus, tenantTable } from './sql-helpers';

/**
 * Footprint data entry (issue 18): an activity keeps what it was entered as (`detail`: a flight's airports,
 * class, trips and passengers; a fuel bought by money with its price and the litres worked out), and the
 * commuting survey an organisation shares by link: the survey (its link's secret kept as a SHA-256 only)
 * and the anonymous answers of employees.
 */
export class ActivityDetailCommuting1764301900000 implements MigrationInterface {
  name = 'ActivityDetailCommuting1764301900000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `ALTER TABLE activities ADD COLUMN detail jsonb`,
      `CREATE TABLE commuting_surveys (
         tenant_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
         id uuid NOT NULL,
         year int NOT NULL CHECK (year BETWEEN 1990 AND 2100),
         title text NOT NULL,
         employees int NOT NULL CHECK (employees > 0),
         secret_sha256 text NOT NULL,
         closed boolean NOT NULL DEFAULT false,
         activity_ids uuid[] NOT NULL DEFAULT '{}',
         created_by uuid,
         created_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, id)
       )`,
      ...tenantTable('commuting_surveys'),
      `CREATE TABLE commuting_responses (
         tenant_id uuid NOT NULL,
         id uuid NOT NULL,
         survey_id uuid NOT NULL,
         mode text NOT NULL,
         distance_km numeric NOT NULL CHECK (distance_km >= 0),
         days_per_week numeric NOT NULL CHECK (days_per_week >= 0 AND days_per_week <= 7),
         weeks_per_year numeric NOT NULL CHECK (weeks_per_year >= 0 AND weeks_per_year <= 52),
         created_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, id),
         FOREIGN KEY (tenant_id, survey_id) REFERENCES commuting_surveys (tenant_id, id) ON DELETE CASCADE
       )`,
      `CREATE INDEX commuting_responses_survey_idx ON commuting_responses (tenant_id, survey_id)`,
      ...tenantTable('commuting_responses', 'tenant_id', 'SELECT, INSERT, DELETE'),
    ];
    for (const sql of statements) await q.query(sql);
    await distributeOnCitus(q, 'commuting_surveys');
    await distributeOnCitus(q, 'commuting_responses');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS commuting_responses');
    await q.query('DROP TABLE IF EXISTS commuting_surveys');
    await q.query('ALTER TABLE activities DROP COLUMN IF EXISTS detail');
  }
}
