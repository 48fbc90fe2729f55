import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EmissionFactor, FactorPurpose, GwpSetName, Scope } from './factors/emission-factor';
import { EMISSION_FACTOR_COLUMNS } from './factors/factor-library';
import {
  ActivityEntity,
  InstrumentEntity,
  InventorySnapshotEntity,
  TargetEntity,
  TenantEmissionFactorEntity,
} from './entities/carbon.entities';

/** The organisation fields the inventory needs. */
export interface OrgProfile {
  id: string;
  name: string;
  country: string;
  gridRegion: string | null;
  timezone: string;
  currency: string;
  baseYear: number | null;
  fiscalYearStartMonth: number;
  employees: number | null;
  annualRevenue: string | null;
}

const snake = (s: string): string => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
const FACTOR_SQL_COLUMNS = EMISSION_FACTOR_COLUMNS.map(snake);

type FactorRow = Record<string, string | number | null>;

/** A library or tenant row → the pure lib's EmissionFactor (numbers stay exact decimal strings). */
export function rowToFactor(r: FactorRow & { tenant_id?: string; evidence?: string }): EmissionFactor {
  const s = (k: string) => (r[k] === null || r[k] === undefined ? null : String(r[k]));
  return {
    id: String(r.id),
    source: String(r.source),
    edition: String(r.edition),
    publishedYear: Number(r.published_year),
    year: Number(r.year),
    region: String(r.region),
    activity: String(r.activity),
    variant: String(r.variant ?? ''),
    scope: Number(r.scope) as Scope,
    scope3Category:
      r.scope3_category === null || r.scope3_category === undefined ? null : Number(r.scope3_category),
    unit: String(r.unit),
    basis: (s('basis') ?? '') as EmissionFactor['basis'],
    kgCo2ePerUnit: String(r.kg_co2e_per_unit),
    kgCo2PerUnit: s('kg_co2_per_unit'),
    kgCh4PerUnit: s('kg_ch4_per_unit'),
    kgN2oPerUnit: s('kg_n2o_per_unit'),
    kgCo2eCh4PerUnit: s('kg_co2e_ch4_per_unit'),
    kgCo2eN2oPerUnit: s('kg_co2e_n2o_per_unit'),
    gwpSet: (s('gwp_set') ?? '') as GwpSetName | '',
    purpose: (s('purpose') ?? 'corporate_inventory') as FactorPurpose,
    verification: s('verification') ?? '',
    licence: s('licence') ?? '',
    url: s('url') ?? '',
    sourceRef: s('source_ref') ?? '',
    label: s('label') ?? '',
    ...(r.tenant_id ? { tenantId: String(r.tenant_id), evidence: s('evidence') ?? '' } : {}),
  };
}

/**
 * Every database read and write of the carbon module. Tenant-scoped methods take the manager of a
 * `Db.tenant` transaction (RLS on) and the tenant id, so a forgotten filter is still caught by RLS.
 */
@Injectable()
export class CarbonRepository {
  // ---- shared library (owner transaction for writes) ----

  async libraryVersions(em: EntityManager): Promise<{ version: string; rows: number; loaded_at: Date }[]> {
    return em.query('SELECT version, rows, loaded_at FROM emission_factor_library ORDER BY loaded_at DESC');
  }

  /** Upserts the library rows in chunks (multi-row INSERT, under the 65,535-parameter limit). */
  async upsertLibrary(
    em: EntityManager,
    factors: EmissionFactor[],
    version: string,
    file: string,
  ): Promise<void> {
    const cols = [...FACTOR_SQL_COLUMNS, 'library_version'];
    const perRow = cols.length;
    const chunk = Math.floor(60_000 / perRow);
    const updates = cols
      .filter((c) => c !== 'id')
      .map((c) => `${c} = EXCLUDED.${c}`)
      .join(', ');
    for (let i = 0; i < factors.length; i += chunk) {
      const slice = factors.slice(i, i + chunk);
      const params: unknown[] = [];
      const values = slice.map((f, j) => {
        const rec = f as unknown as Record<string, unknown>;
        for (const k of EMISSION_FACTOR_COLUMNS) {
          const v = rec[k];
          params.push(
            v === undefined || v === ''
              ? k === 'variant' || k === 'basis' || k === 'gwpSet'
                ? ''
                : null
              : v,
          );
        }
        params.push(version);
        return `(${cols.map((_, c) => `$${j * perRow + c + 1}`).join(', ')})`;
      });
      await em.query(
        `INSERT INTO emission_factors (${cols.join(', ')}) VALUES ${values.join(', ')} ON CONFLICT (id) DO UPDATE SET ${updates}`,
        params,
      );
    }
    await em.query(
      'INSERT INTO emission_factor_library (version, file, rows) VALUES ($1, $2, $3) ON CONFLICT (version) DO NOTHING',
      [version, file, factors.length],
    );
  }

  async allLibraryFactors(em: EntityManager): Promise<EmissionFactor[]> {
    const rows: FactorRow[] = await em.query(
      `SELECT ${FACTOR_SQL_COLUMNS.join(', ')} FROM emission_factors ORDER BY id`,
    );
    return rows.map((r) => rowToFactor(r));
  }

  // ---- organisation ----

  async org(em: EntityManager, tenantId: string): Promise<OrgProfile | undefined> {
    const rows: OrgProfile[] = await em.query(
      `SELECT id, name, country, grid_region AS "gridRegion", timezone, currency, base_year AS "baseYear",
              fiscal_year_start_month AS "fiscalYearStartMonth", employees, annual_revenue::text AS "annualRevenue"
         FROM organizations WHERE id = $1`,
      [tenantId],
    );
    return rows[0];
  }

  // ---- tenant factors ----

  async tenantFactors(em: EntityManager, tenantId: string): Promise<EmissionFactor[]> {
    const rows: FactorRow[] = await em.query(
      `SELECT 'tenant:' || id AS id, tenant_id, evidence, ${FACTOR_SQL_COLUMNS.filter((c) => !['id', 'verification', 'licence', 'url', 'source_ref'].includes(c)).join(', ')}
         FROM tenant_emission_factors WHERE tenant_id = $1 ORDER BY created_at, id`,
      [tenantId],
    );
    return rows.map((r) =>
      rowToFactor({
        ...r,
        verification: 'tenant-supplied',
        licence: 'tenant data',
        url: '',
        source_ref: String(r.evidence ?? ''),
      } as FactorRow),
    );
  }

  async insertTenantFactor(em: EntityManager, row: TenantEmissionFactorEntity): Promise<void> {
    await em.insert(TenantEmissionFactorEntity, row);
  }

  // ---- activities ----

  async insertActivity(em: EntityManager, row: ActivityEntity): Promise<void> {
    await em.insert(ActivityEntity, row);
  }

  async activities(
    em: EntityManager,
    tenantId: string,
    range?: { from: string; to: string },
  ): Promise<ActivityEntity[]> {
    const qb = em
      .getRepository(ActivityEntity)
      .createQueryBuilder('a')
      .where('a.tenant_id = :tenantId', { tenantId });
    if (range) qb.andWhere('a.period_from < :to AND a.period_to > :from', range);
    return qb
      .orderBy('a.period_from', 'ASC')
      .addOrderBy('a.created_at', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .getMany();
  }

  async activity(em: EntityManager, tenantId: string, id: string): Promise<ActivityEntity | null> {
    return em.findOneBy(ActivityEntity, { tenantId, id });
  }

  async deleteActivity(em: EntityManager, tenantId: string, id: string): Promise<boolean> {
    const r = await em.delete(ActivityEntity, { tenantId, id });
    return (r.affected ?? 0) > 0;
  }

  // ---- instruments ----

  async insertInstrument(em: EntityManager, row: InstrumentEntity): Promise<void> {
    await em.insert(InstrumentEntity, row);
  }

  /** Claims serials in the global registry; returns the serials already held by another instrument. */
  async claimSerials(
    em: EntityManager,
    instrumentId: string,
    scheme: string,
    serials: string[],
  ): Promise<{ serial: string; sameTenant: boolean }[]> {
    if (!serials.length) return [];
    const rows: { taken_serial: string; same_tenant: boolean }[] = await em.query(
      'SELECT taken_serial, same_tenant FROM carbon_claim_serials($1, $2, $3)',
      [instrumentId, scheme, serials],
    );
    return rows.map((r) => ({ serial: r.taken_serial, sameTenant: r.same_tenant }));
  }

  async releaseSerials(em: EntityManager, tenantId: string, instrumentId: string): Promise<void> {
    await em.query('DELETE FROM instrument_registry WHERE tenant_id = $1 AND instrument_id = $2', [
      tenantId,
      instrumentId,
    ]);
  }

  async instruments(
    em: EntityManager,
    tenantId: string,
    range?: { from: string; to: string },
  ): Promise<InstrumentEntity[]> {
    const qb = em
      .getRepository(InstrumentEntity)
      .createQueryBuilder('i')
      .where('i.tenant_id = :tenantId', { tenantId });
    if (range) qb.andWhere('i.vintage_from < :to AND i.vintage_to > :from', range);
    return qb
      .orderBy('i.vintage_from', 'ASC')
      .addOrderBy('i.created_at', 'ASC')
      .addOrderBy('i.id', 'ASC')
      .getMany();
  }

  async instrument(em: EntityManager, tenantId: string, id: string): Promise<InstrumentEntity | null> {
    return em.findOneBy(InstrumentEntity, { tenantId, id });
  }

  async deleteInstrument(em: EntityManager, tenantId: string, id: string): Promise<boolean> {
    const r = await em.delete(InstrumentEntity, { tenantId, id });
    return (r.affected ?? 0) > 0;
  }

  // ---- targets ----

  async insertTarget(em: EntityManager, row: TargetEntity): Promise<void> {
    await em.insert(TargetEntity, row);
  }

  async targets(em: EntityManager, tenantId: string): Promise<TargetEntity[]> {
    return em.find(TargetEntity, { where: { tenantId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async target(em: EntityManager, tenantId: string, id: string): Promise<TargetEntity | null> {
    return em.findOneBy(TargetEntity, { tenantId, id });
  }

  // ---- snapshots ----

  async insertSnapshot(em: EntityManager, row: InventorySnapshotEntity): Promise<void> {
    await em.insert(InventorySnapshotEntity, row);
  }

  async latestSnapshot(
    em: EntityManager,
    tenantId: string,
    from: string,
    to: string,
  ): Promise<InventorySnapshotEntity | null> {
    return em
      .getRepository(InventorySnapshotEntity)
      .createQueryBuilder('s')
      .where('s.tenant_id = :tenantId AND s.period_from = :from AND s.period_to = :to', {
        tenantId,
        from,
        to,
      })
      .orderBy('s.created_at', 'DESC')
      .addOrderBy('s.id', 'DESC')
      .getOne();
  }

  async snapshots(
    em: EntityManager,
    tenantId: string,
    range?: { from: string; to: string },
  ): Promise<InventorySnapshotEntity[]> {
    const qb = em
      .getRepository(InventorySnapshotEntity)
      .createQueryBuilder('s')
      .select([
        's.tenantId',
        's.id',
        's.periodFrom',
        's.periodTo',
        's.reason',
        's.factorLibraryVersion',
        's.dataHash',
        's.scope1KgCo2e',
        's.scope2LocationKgCo2e',
        's.scope2MarketKgCo2e',
        's.scope3KgCo2e',
        's.previousId',
        's.diff',
        's.createdBy',
        's.createdAt',
      ])
      .where('s.tenant_id = :tenantId', { tenantId });
    if (range) qb.andWhere('s.period_from = :from AND s.period_to = :to', range);
    return qb.orderBy('s.created_at', 'DESC').addOrderBy('s.id', 'DESC').getMany();
  }
}
