import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService, BadInputError, Db, NotFoundError, RequestContext } from '@halve/platform';
import { toDecimal } from '../factors/decimal';
import { loadStarterTables, sectorOf, type SectorScheme } from './starter-sectors';
import type { StarterProfileDto } from './starter.dto';
import type { StarterProfileView } from './starter.responses';

/** A stored profile (starter_profiles, migration 1764301700000); numbers as exact decimal strings. */
export interface StarterProfile {
  sectorScheme: SectorScheme;
  sectorCode: string;
  sector: string;
  employees: number;
  annualRevenue: string;
  currency: string;
  floorAreaM2: string;
  country: string;
  year: number;
  updatedAt: Date;
}

const SELECT = `SELECT sector_scheme AS "sectorScheme", sector_code AS "sectorCode", sector, employees,
                       annual_revenue::text AS "annualRevenue", currency, floor_area_m2::text AS "floorAreaM2",
                       country, year, updated_at AS "updatedAt"
                  FROM starter_profiles WHERE tenant_id = $1`;

/**
 * The organisation profile of the starter footprint (issue 18 item 4): sector (NACE, UK SIC or NAICS, mapped
 * to the internal sector list), employees, revenue, floor area, country and year. Other features (the VSME
 * report) read it through `profile()`.
 */
@Injectable()
export class StarterProfileService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  /** The stored profile, or null when the organisation has none. */
  async profile(tenantId: string): Promise<StarterProfile | null> {
    return this.db.tenant((em) => this.read(em, tenantId), tenantId);
  }

  async view(tenantId: string): Promise<StarterProfileView> {
    const p = await this.profile(tenantId);
    if (!p) throw new NotFoundError('Starter profile', tenantId);
    return starterProfileView(p);
  }

  async put(tenantId: string, dto: StarterProfileDto): Promise<StarterProfileView> {
    const sector = sectorOf(loadStarterTables(), dto.sectorScheme, dto.sectorCode);
    if (!sector)
      throw new BadInputError(`No starter sector for ${dto.sectorScheme} code '${dto.sectorCode}'.`, [
        {
          field: 'sectorCode',
          message: `'${dto.sectorCode}' is not a ${dto.sectorScheme} code of a covered sector (agriculture, mining and utilities are not covered)`,
        },
      ]);
    const row = [
      tenantId,
      dto.sectorScheme,
      dto.sectorCode.trim().toUpperCase(),
      sector.sector,
      dto.employees,
      toDecimal(dto.annualRevenue).toFixed(),
      dto.currency,
      toDecimal(dto.floorAreaM2).toFixed(),
      dto.country.toUpperCase(),
      dto.year,
      RequestContext.maybe()?.userId ?? null,
    ];
    const saved = await this.db.tenant(async (em) => {
      await em.query(
        `INSERT INTO starter_profiles (tenant_id, sector_scheme, sector_code, sector, employees, annual_revenue,
                                       currency, floor_area_m2, country, year, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now())
         ON CONFLICT (tenant_id) DO UPDATE SET sector_scheme = $2, sector_code = $3, sector = $4, employees = $5,
           annual_revenue = $6, currency = $7, floor_area_m2 = $8, country = $9, year = $10, updated_by = $11,
           updated_at = EXCLUDED.updated_at`,
        row,
      );
      const p = (await this.read(em, tenantId)) as StarterProfile;
      await this.audit.record(em, tenantId, {
        action: 'starter_profile.saved',
        entityType: 'starter_profile',
        entityId: tenantId,
        summary: { after: { ...starterProfileView(p), updatedAt: undefined } },
      });
      return p;
    }, tenantId);
    return starterProfileView(saved);
  }

  private async read(em: EntityManager, tenantId: string): Promise<StarterProfile | null> {
    const rows: StarterProfile[] = await em.query(SELECT, [tenantId]);
    return rows[0] ?? null;
  }
}

export function starterProfileView(p: StarterProfile): StarterProfileView {
  return {
    sectorScheme: p.sectorScheme,
    sectorCode: p.sectorCode,
    sector: p.sector,
    sectorLabel: loadStarterTables().sectors.get(p.sector)?.label ?? p.sector,
    employees: p.employees,
    annualRevenue: p.annualRevenue,
    currency: p.currency,
    floorAreaM2: p.floorAreaM2,
    country: p.country,
    year: p.year,
    updatedAt: new Date(p.updatedAt).toISOString(),
  };
}
