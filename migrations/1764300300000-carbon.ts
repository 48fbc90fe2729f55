import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE, tenantTable } from './sql-helpers';

/**
 * Carbon accounting: the shared emission-factor library (reference data, read-only for tenants,
 * filled at start-up from libs/carbon/data/emission-factors.csv by EmissionFactorLibraryService),
 * tenants' own factors, activity data, contractual instruments with the global serial registry,
 * targets and inventory snapshots (recalculations).
 */
export class Carbon1764300300000 implements MigrationInterface {
  name = 'Carbon1764300300000';

  async up(q: QueryRunner): Promise<void> {
    const factorValueColumns = `
         source text NOT NULL,
         edition text NOT NULL,
         published_year int NOT NULL,
         year int NOT NULL,
         region text NOT NULL,
         activity text NOT NULL,
         variant text NOT NULL DEFAULT '',
         scope smallint NOT NULL CHECK (scope IN (1, 2, 3)),
         scope3_category smallint CHECK (scope3_category BETWEEN 1 AND 15),
         unit text NOT NULL,
         basis text NOT NULL DEFAULT '' CHECK (basis IN ('', 'gross', 'net')),
         kg_co2e_per_unit numeric NOT NULL CHECK (kg_co2e_per_unit >= 0),
         kg_co2_per_unit numeric,
         kg_ch4_per_unit numeric,
         kg_n2o_per_unit numeric,
         kg_co2e_ch4_per_unit numeric,
         kg_co2e_n2o_per_unit numeric,
         gwp_set text NOT NULL DEFAULT '',
         purpose text NOT NULL DEFAULT 'corporate_inventory' CHECK (purpose IN ('corporate_inventory', 'carbon_market', 'avoided_emissions', 'reference')),`;
    const statements = [
      // Which version (sha-256 of the shipped CSV) of the library is loaded.
      `CREATE TABLE emission_factor_library (
         version text PRIMARY KEY,
         file text NOT NULL,
         rows int NOT NULL,
         loaded_at timestamptz NOT NULL DEFAULT now()
       )`,
      `GRANT SELECT ON emission_factor_library TO ${APP_ROLE}`,

      // Shared reference data: no tenant_id, read-only for the app role.
      `CREATE TABLE emission_factors (
         id text PRIMARY KEY,
         ${factorValueColumns}
         verification text NOT NULL DEFAULT '',
         licence text NOT NULL DEFAULT '',
         url text NOT NULL DEFAULT '',
         source_ref text NOT NULL DEFAULT '',
         label text NOT NULL DEFAULT '',
         library_version text NOT NULL
       )`,
      `CREATE INDEX emission_factors_lookup_idx ON emission_factors (activity, region, year)`,
      `GRANT SELECT ON emission_factors TO ${APP_ROLE}`,

      `CREATE TABLE tenant_emission_factors (
         tenant_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
         id uuid NOT NULL,
         ${factorValueColumns}
         label text NOT NULL DEFAULT '',
         evidence text NOT NULL,
         created_by uuid,
         created_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, id)
       )`,
      ...tenantTable('tenant_emission_factors'),

      `CREATE TABLE activities (
         tenant_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
         id uuid NOT NULL,
         activity text NOT NULL,
         variant text NOT NULL DEFAULT '',
         scope smallint CHECK (scope IN (1, 2, 3)),
         scope3_category smallint CHECK (scope3_category BETWEEN 1 AND 15),
         quantity numeric NOT NULL CHECK (quantity >= 0),
         unit text NOT NULL,
         basis text CHECK (basis IN ('gross', 'net')),
         gwp numeric CHECK (gwp >= 0),
         period_from date NOT NULL,
         period_to date NOT NULL,
         data_quality smallint NOT NULL CHECK (data_quality BETWEEN 1 AND 5),
         site_id uuid,
         region text,
         description text,
         created_by uuid,
         created_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, id),
         CHECK (period_to > period_from)
       )`,
      `CREATE INDEX activities_period_idx ON activities (tenant_id, period_from, period_to)`,
      ...tenantTable('activities'),

      `CREATE TABLE instruments (
         tenant_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
         id uuid NOT NULL,
         type text NOT NULL CHECK (type IN ('REC', 'GO', 'REGO', 'I-REC', 'PPA', 'green_tariff', 'supplier_specific')),
         scheme text NOT NULL,
         volume_mwh numeric NOT NULL CHECK (volume_mwh > 0),
         kg_co2e_per_kwh numeric NOT NULL DEFAULT 0 CHECK (kg_co2e_per_kwh >= 0),
         vintage_from date NOT NULL,
         vintage_to date NOT NULL,
         region text NOT NULL,
         certificate_ids text[] NOT NULL DEFAULT '{}',
         retired boolean NOT NULL,
         site_id uuid,
         evidence text,
         created_by uuid,
         created_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, id),
         CHECK (vintage_to > vintage_from)
       )`,
      ...tenantTable('instruments'),

      // Global registry of claimed certificate serials: only what the double-claim check needs.
      // Tenants read and delete their own rows (RLS); claims go through carbon_claim_serials, which
      // runs as the owner so it can see that a serial is taken without revealing by whom.
      `CREATE TABLE instrument_registry (
         scheme text NOT NULL,
         serial text NOT NULL,
         tenant_id uuid NOT NULL,
         instrument_id uuid NOT NULL,
         PRIMARY KEY (scheme, serial)
       )`,
      `CREATE INDEX instrument_registry_tenant_idx ON instrument_registry (tenant_id, instrument_id)`,
      ...tenantTable('instrument_registry', 'tenant_id', 'SELECT, DELETE'),
      `CREATE OR REPLACE FUNCTION carbon_claim_serials(p_instrument uuid, p_scheme text, p_serials text[])
         RETURNS TABLE (taken_serial text, same_tenant boolean) LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
       DECLARE t uuid := halve_tenant();
       BEGIN
         IF t IS NULL THEN RAISE EXCEPTION 'carbon_claim_serials needs a tenant'; END IF;
         INSERT INTO instrument_registry AS r (scheme, serial, tenant_id, instrument_id)
           SELECT p_scheme, s, t, p_instrument FROM unnest(p_serials) AS s ON CONFLICT ON CONSTRAINT instrument_registry_pkey DO NOTHING;
         -- Serials held by another instrument (of this or another organisation): the caller rolls back.
         RETURN QUERY SELECT r.serial, r.tenant_id = t FROM instrument_registry r
           WHERE r.scheme = p_scheme AND r.serial = ANY (p_serials) AND NOT (r.instrument_id = p_instrument AND r.tenant_id = t) ORDER BY r.serial;
       END $$`,
      `REVOKE ALL ON FUNCTION carbon_claim_serials(uuid, text, text[]) FROM PUBLIC`,
      `GRANT EXECUTE ON FUNCTION carbon_claim_serials(uuid, text, text[]) TO ${APP_ROLE}`,

      `CREATE TABLE targets (
         tenant_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
         id uuid NOT NULL,
         name text NOT NULL,
         kind text NOT NULL CHECK (kind IN ('absolute', 'intensity')),
         scopes smallint[] NOT NULL,
         scope2_method text NOT NULL DEFAULT 'market' CHECK (scope2_method IN ('location', 'market')),
         base_year int NOT NULL,
         base_value numeric CHECK (base_value >= 0),
         target_year int NOT NULL,
         annual_rate numeric NOT NULL CHECK (annual_rate > 0 AND annual_rate < 1),
         reduction_pct numeric NOT NULL CHECK (reduction_pct > 0 AND reduction_pct <= 100),
         intensity_denominator text CHECK (intensity_denominator IN ('floor_area_m2', 'employees', 'revenue')),
         created_by uuid,
         created_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, id),
         CHECK (target_year > base_year)
       )`,
      ...tenantTable('targets'),

      `CREATE TABLE inventory_snapshots (
         tenant_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
         id uuid NOT NULL,
         period_from date NOT NULL,
         period_to date NOT NULL,
         reason text,
         factor_library_version text NOT NULL,
         factors_used jsonb NOT NULL,
         data_hash text NOT NULL,
         scope1_kg_co2e numeric NOT NULL,
         scope2_location_kg_co2e numeric NOT NULL,
         scope2_market_kg_co2e numeric NOT NULL,
         scope3_kg_co2e numeric NOT NULL,
         result jsonb NOT NULL,
         previous_id uuid,
         diff jsonb,
         created_by uuid,
         created_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, id)
       )`,
      `CREATE INDEX inventory_snapshots_period_idx ON inventory_snapshots (tenant_id, period_from, period_to, created_at)`,
      ...tenantTable('inventory_snapshots', 'tenant_id', 'SELECT, INSERT'),
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION IF EXISTS carbon_claim_serials(uuid, text, text[])');
    for (const t of [
      'inventory_snapshots',
      'targets',
      'instrument_registry',
      'instruments',
      'activities',
      'tenant_emission_factors',
      'emission_factors',
      'emission_factor_library',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
