import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE, tenantTable } from './sql-helpers';

/** Platform: users, organisations (tenants), memberships, invitations, API keys, sessions, audit trail, jobs, certification bodies. */
export class Platform1764300000000 implements MigrationInterface {
  name = 'Platform1764300000000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      // The non-owner role requests run under. Cluster-wide, so create it only once.
      `DO $$ BEGIN
         IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
           CREATE ROLE ${APP_ROLE} NOLOGIN;
         END IF;
       EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
       END $$`,
      `DO $$ BEGIN
         EXECUTE format('GRANT ${APP_ROLE} TO %I', current_user);
       EXCEPTION WHEN OTHERS THEN NULL;
       END $$`,
      `GRANT USAGE ON SCHEMA public TO ${APP_ROLE}`,
      `CREATE OR REPLACE FUNCTION halve_tenant() RETURNS uuid LANGUAGE sql STABLE AS
         $$ SELECT nullif(current_setting('halve.tenant_id', true), '')::uuid $$`,
      `CREATE OR REPLACE FUNCTION halve_body() RETURNS uuid LANGUAGE sql STABLE AS
         $$ SELECT nullif(current_setting('halve.body_id', true), '')::uuid $$`,
      `GRANT EXECUTE ON FUNCTION halve_tenant() TO ${APP_ROLE}`,
      `GRANT EXECUTE ON FUNCTION halve_body() TO ${APP_ROLE}`,

      `CREATE TABLE users (
         id uuid PRIMARY KEY,
         email text NOT NULL,
         name text NOT NULL,
         password_hash text NOT NULL,
         is_platform_admin boolean NOT NULL DEFAULT false,
         created_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE UNIQUE INDEX users_email_key ON users (lower(email))`,
      `GRANT SELECT (id, email, name) ON users TO ${APP_ROLE}`,

      `CREATE TABLE organizations (
         id uuid PRIMARY KEY,
         name text NOT NULL,
         country char(2) NOT NULL,
         grid_region text,
         timezone text NOT NULL,
         currency char(3) NOT NULL,
         sector text,
         base_year int,
         fiscal_year_start_month int NOT NULL DEFAULT 1 CHECK (fiscal_year_start_month BETWEEN 1 AND 12),
         employees int,
         annual_revenue numeric,
         certification_body_id uuid,
         is_demo boolean NOT NULL DEFAULT false,
         created_at timestamptz NOT NULL DEFAULT now()
       )`,
      ...tenantTable('organizations', 'id', 'SELECT, UPDATE'),

      `CREATE TABLE memberships (
         tenant_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
         user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
         role text NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'energy_manager', 'viewer')),
         created_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, user_id)
       )`,
      `CREATE INDEX memberships_user_idx ON memberships (user_id)`,
      ...tenantTable('memberships'),

      `CREATE TABLE invitations (
         tenant_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
         id uuid NOT NULL,
         email text NOT NULL,
         role text NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'energy_manager', 'viewer')),
         token_hash text NOT NULL,
         invited_by uuid NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now(),
         expires_at timestamptz NOT NULL,
         accepted_at timestamptz,
         accepted_by uuid,
         revoked_at timestamptz,
         PRIMARY KEY (tenant_id, id)
       )`,
      `CREATE UNIQUE INDEX invitations_token_key ON invitations (token_hash)`,
      ...tenantTable('invitations'),

      `CREATE TABLE api_keys (
         tenant_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
         id uuid NOT NULL,
         name text NOT NULL,
         prefix text NOT NULL,
         key_hash text NOT NULL,
         scopes text[] NOT NULL,
         created_by uuid NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now(),
         revoked_at timestamptz,
         last_used_at timestamptz,
         PRIMARY KEY (tenant_id, id)
       )`,
      `CREATE UNIQUE INDEX api_keys_prefix_key ON api_keys (prefix)`,
      ...tenantTable('api_keys'),

      `CREATE TABLE sessions (
         id uuid PRIMARY KEY,
         user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
         refresh_token_hash text NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now(),
         expires_at timestamptz NOT NULL,
         revoked_at timestamptz
       )`,
      `CREATE INDEX sessions_user_idx ON sessions (user_id)`,

      // Append-only: the app role may insert and read, never update or delete.
      `CREATE TABLE audit_events (
         tenant_id uuid NOT NULL,
         seq bigint NOT NULL,
         id uuid NOT NULL,
         actor_user_id uuid,
         actor_api_key_id uuid,
         action text NOT NULL,
         entity_type text NOT NULL,
         entity_id text,
         at timestamptz NOT NULL,
         summary jsonb NOT NULL DEFAULT '{}'::jsonb,
         prev_hash text NOT NULL,
         hash text NOT NULL,
         PRIMARY KEY (tenant_id, seq)
       )`,
      ...tenantTable('audit_events', 'tenant_id', 'SELECT, INSERT'),

      `CREATE TABLE jobs (
         tenant_id uuid NOT NULL,
         id text NOT NULL,
         type text NOT NULL,
         status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
         progress int NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
         attempts int NOT NULL DEFAULT 0,
         max_attempts int NOT NULL DEFAULT 1,
         payload jsonb NOT NULL DEFAULT '{}'::jsonb,
         result jsonb,
         error text,
         requested_by uuid,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now(),
         started_at timestamptz,
         finished_at timestamptz,
         PRIMARY KEY (tenant_id, id)
       )`,
      ...tenantTable('jobs'),

      `CREATE TABLE certification_bodies (
         id uuid PRIMARY KEY,
         name text NOT NULL,
         claim_types text[] NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now()
       )`,
      `GRANT SELECT ON certification_bodies TO ${APP_ROLE}`,
      `CREATE TABLE certification_body_members (
         body_id uuid NOT NULL REFERENCES certification_bodies (id) ON DELETE CASCADE,
         user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
         role text NOT NULL CHECK (role IN ('certifier', 'lead_certifier')),
         created_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (body_id, user_id)
       )`,
      `CREATE INDEX certification_body_members_user_idx ON certification_body_members (user_id)`,
      `CREATE TABLE certification_body_invitations (
         body_id uuid NOT NULL REFERENCES certification_bodies (id) ON DELETE CASCADE,
         email text NOT NULL,
         role text NOT NULL CHECK (role IN ('certifier', 'lead_certifier')),
         created_at timestamptz NOT NULL DEFAULT now(),
         accepted_at timestamptz,
         PRIMARY KEY (body_id, email)
       )`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'certification_body_invitations',
      'certification_body_members',
      'certification_bodies',
      'jobs',
      'audit_events',
      'sessions',
      'api_keys',
      'invitations',
      'memberships',
      'organizations',
      'users',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
