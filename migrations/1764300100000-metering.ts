import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTable } from './sql-helpers';

/** Metering: sites, meters, readings (UTC interval starts), local-calendar rollups, imports, weather. */
export class Metering1764300100000 implements MigrationInterface {
  name = 'Metering1764300100000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE sites (
         tenant_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
         id uuid NOT NULL,
         name text NOT NULL,
         country char(2) NOT NULL,
         timezone text NOT NULL,
         address text,
         latitude double precision CHECK (latitude BETWEEN -90 AND 90),
         longitude double precision CHECK (longitude BETWEEN -180 AND 180),
         floor_area_m2 double precision CHECK (floor_area_m2 > 0),
         grid_region text,
         tariff jsonb,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, id)
       )`,
      ...tenantTable('sites'),

      `CREATE TABLE meters (
         tenant_id uuid NOT NULL,
         id uuid NOT NULL,
         site_id uuid NOT NULL,
         name text NOT NULL,
         kind text NOT NULL CHECK (kind IN ('electricity_import', 'electricity_export', 'pv_generation', 'wind_generation', 'natural_gas', 'fuel_oil', 'district_heat', 'water')),
         unit text NOT NULL,
         interval_minutes int CHECK (interval_minutes IN (5, 10, 15, 30, 60, 1440)),
         register text NOT NULL DEFAULT 'interval' CHECK (register IN ('interval', 'cumulative')),
         capacity_kw double precision CHECK (capacity_kw > 0),
         tilt_deg double precision CHECK (tilt_deg BETWEEN 0 AND 90),
         azimuth_deg double precision CHECK (azimuth_deg BETWEEN 0 AND 360),
         gas_calorific_value_kwh_per_m3 double precision CHECK (gas_calorific_value_kwh_per_m3 > 0),
         source_column text,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, id),
         FOREIGN KEY (tenant_id, site_id) REFERENCES sites (tenant_id, id) ON DELETE CASCADE
       )`,
      `CREATE INDEX meters_site_idx ON meters (tenant_id, site_id)`,
      ...tenantTable('meters'),

      // value in the meter's unit; quality 0 measured, 1 estimated, 2 filled.
      // No foreign key to meters: on this hot table the per-row check cost 3× the insert itself
      // (docs/adr/0005-readings-without-foreign-key.md); the metering service deletes a meter's readings with it.
      `CREATE TABLE readings (
         tenant_id uuid NOT NULL,
         meter_id uuid NOT NULL,
         ts timestamptz NOT NULL,
         value double precision NOT NULL,
         period_end timestamptz,
         quality smallint NOT NULL DEFAULT 0 CHECK (quality IN (0, 1, 2)),
         import_id uuid,
         PRIMARY KEY (tenant_id, meter_id, ts)
       )`,
      ...tenantTable('readings'),

      // h = local hour, d = local day, m = local month; bucket = the UTC instant the local bucket starts.
      `CREATE TABLE reading_rollups (
         tenant_id uuid NOT NULL,
         meter_id uuid NOT NULL,
         resolution char(1) NOT NULL CHECK (resolution IN ('h', 'd', 'm')),
         bucket timestamptz NOT NULL,
         value double precision NOT NULL,
         count int NOT NULL,
         PRIMARY KEY (tenant_id, meter_id, resolution, bucket)
       )`,
      ...tenantTable('reading_rollups'),

      `CREATE TABLE imports (
         tenant_id uuid NOT NULL,
         id uuid NOT NULL,
         kind text NOT NULL CHECK (kind IN ('meter', 'wide', 'weather', 'push')),
         meter_id uuid,
         site_id uuid,
         status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
         filename text,
         format text,
         size_bytes bigint,
         sha256 text,
         options jsonb NOT NULL DEFAULT '{}'::jsonb,
         rows_read int NOT NULL DEFAULT 0,
         rows_stored int NOT NULL DEFAULT 0,
         rows_updated int NOT NULL DEFAULT 0,
         rows_unchanged int NOT NULL DEFAULT 0,
         rows_missing int NOT NULL DEFAULT 0,
         rows_rejected int NOT NULL DEFAULT 0,
         rows_duplicate int NOT NULL DEFAULT 0,
         errors jsonb NOT NULL DEFAULT '[]'::jsonb,
         warnings jsonb NOT NULL DEFAULT '[]'::jsonb,
         error text,
         error_code text,
         first_ts timestamptz,
         last_ts timestamptz,
         job_id text,
         created_by uuid,
         created_at timestamptz NOT NULL DEFAULT now(),
         finished_at timestamptz,
         PRIMARY KEY (tenant_id, id)
       )`,
      `CREATE INDEX imports_meter_idx ON imports (tenant_id, meter_id, created_at DESC)`,
      ...tenantTable('imports'),

      `CREATE TABLE site_weather (
         tenant_id uuid NOT NULL,
         site_id uuid NOT NULL,
         ts timestamptz NOT NULL,
         temperature_c double precision,
         ghi_w_m2 double precision,
         cloud_cover_pct double precision,
         wind_speed_m_s double precision,
         PRIMARY KEY (tenant_id, site_id, ts),
         FOREIGN KEY (tenant_id, site_id) REFERENCES sites (tenant_id, id) ON DELETE CASCADE
       )`,
      ...tenantTable('site_weather'),
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['site_weather', 'imports', 'reading_rollups', 'readings', 'meters', 'sites']) await q.query(`DROP TABLE IF EXISTS ${t}`);
  }
}
