import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTable } from './sql-helpers';

/** Forecasting: versioned models per meter (artifact in the database) and stored forecasts. */
export class Forecasting1764300200000 implements MigrationInterface {
  name = 'Forecasting1764300200000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE forecast_models (
         tenant_id uuid NOT NULL,
         meter_id uuid NOT NULL,
         version int NOT NULL,
         status text NOT NULL CHECK (status IN ('candidate', 'active', 'retired')),
         method text NOT NULL CHECK (method IN ('model', 'baseline')),
         baseline_name text,
         backend text NOT NULL,
         trained_from timestamptz,
         trained_to timestamptz,
         hyper_parameters jsonb NOT NULL DEFAULT '{}'::jsonb,
         metrics jsonb,
         baselines jsonb NOT NULL DEFAULT '{}'::jsonb,
         backtest jsonb,
         reason text NOT NULL,
         artifact jsonb,
         train_seconds double precision,
         job_id text,
         created_at timestamptz NOT NULL DEFAULT now(),
         activated_at timestamptz,
         PRIMARY KEY (tenant_id, meter_id, version),
         FOREIGN KEY (tenant_id, meter_id) REFERENCES meters (tenant_id, id) ON DELETE CASCADE
       )`,
      `CREATE UNIQUE INDEX forecast_models_one_active ON forecast_models (tenant_id, meter_id) WHERE status = 'active'`,
      ...tenantTable('forecast_models'),
      `CREATE TABLE forecasts (
         tenant_id uuid NOT NULL,
         meter_id uuid NOT NULL,
         issued_at timestamptz NOT NULL,
         ts timestamptz NOT NULL,
         method text NOT NULL,
         model_version int,
         p10 double precision NOT NULL,
         p50 double precision NOT NULL,
         p90 double precision NOT NULL,
         PRIMARY KEY (tenant_id, meter_id, issued_at, ts),
         FOREIGN KEY (tenant_id, meter_id) REFERENCES meters (tenant_id, id) ON DELETE CASCADE
       )`,
      ...tenantTable('forecasts'),
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS forecasts');
    await q.query('DROP TABLE IF EXISTS forecast_models');
  }
}
