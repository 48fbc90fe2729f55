import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTable } from './sql-helpers';

/**
 * Hourly temperatures fetched from a weather source by a site's coordinates (issue 16: M&V without an imported
 * weather file), kept per site so each hour is asked for once. Apart from `site_weather` (the user's imports):
 * a result says which it used. Coordinates are stored with each hour; when the site moves, its old rows no
 * longer match and are fetched again.
 */
export class WeatherSourceCache1764301300000 implements MigrationInterface {
  name = 'WeatherSourceCache1764301300000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE site_weather_fetched (
         tenant_id uuid NOT NULL,
         site_id uuid NOT NULL,
         source text NOT NULL CHECK (source IN ('open-meteo')),
         ts timestamptz NOT NULL,
         latitude double precision NOT NULL,
         longitude double precision NOT NULL,
         temperature_c double precision,
         fetched_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, site_id, source, ts),
         FOREIGN KEY (tenant_id, site_id) REFERENCES sites (tenant_id, id) ON DELETE CASCADE
       )`,
      ...tenantTable('site_weather_fetched'),
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS site_weather_fetched');
  }
}
