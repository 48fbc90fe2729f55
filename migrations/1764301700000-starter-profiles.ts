import { MigrationInterface, QueryRunner } from 'typeorm';
import { distributeOnCitus, tenantTable } from './sql-helpers';

/**
 * The starter footprint (issue 18 item 4): an organisation's profile for an estimate from industry averages
 * before any data is uploaded — its sector code as entered (NACE Rev.2, UK SIC 2007 or NAICS 2017) with the
 * internal sector it maps to, employees, annual revenue and currency, floor area, country and year. One row
 * per organisation; the estimate itself is computed on read and never stored.
 */
export class StarterProfiles1764301700000 implements MigrationInterface {
  name = 'StarterProfiles1764301700000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE starter_profiles (
         tenant_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
         sector_scheme text NOT NULL CHECK (sector_scheme IN ('nace', 'uk_sic', 'naics')),
         sector_code text NOT NULL,
         sector text NOT NULL,
         employees integer NOT NULL CHECK (employees >= 0),
         annual_revenue numeric NOT NULL CHECK (annual_revenue >= 0),
         currency text NOT NULL,
         floor_area_m2 numeric NOT NULL CHECK (floor_area_m2 >= 0),
         country text NOT NULL,
         year integer NOT NULL CHECK (year BETWEEN 1990 AND 2100),
         updated_by uuid,
         updated_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id)
       )`,
      ...tenantTable('starter_profiles'),
    ];
    for (const sql of statements) await q.query(sql);
    await distributeOnCitus(q, 'starter_profiles');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS starter_profiles');
  }
}
