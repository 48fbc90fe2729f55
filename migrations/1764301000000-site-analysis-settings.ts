import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTable } from './sql-helpers';

/**
 * What the analysers need to know about a site that metering does not hold (issue 16): its building type (the
 * baseload night/day ratio and the peer benchmarks are chosen by it) and its usable roof area (the PV size
 * limit; without it PV assumes a share of the floor area). One row per site, owned by recommendations.
 */
export class SiteAnalysisSettings1764301000000 implements MigrationInterface {
  name = 'SiteAnalysisSettings1764301000000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE site_analysis_settings (
         tenant_id uuid NOT NULL,
         site_id uuid NOT NULL,
         building_type text,
         roof_area_m2 double precision CHECK (roof_area_m2 > 0),
         updated_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, site_id),
         FOREIGN KEY (tenant_id, site_id) REFERENCES sites (tenant_id, id) ON DELETE CASCADE
       )`,
      ...tenantTable('site_analysis_settings'),
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS site_analysis_settings');
  }
}
