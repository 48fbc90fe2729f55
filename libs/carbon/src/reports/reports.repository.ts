import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { VsmeCertification, VsmeSite } from './vsme';

/** The starter-footprint profile's facts a report can use (migration 1764301700000, starter_profiles). */
export interface StarterRow {
  sectorScheme: 'nace' | 'uk_sic' | 'naics';
  sectorCode: string;
  employees: number;
  annualRevenue: string;
  currency: string;
}

/**
 * What the SME reports read beyond the inventory (inside Db.tenant): the organisation's sector, its
 * sites with addresses (metering's table) and the certificates Halve certification bodies issued to it
 * (claims joined to the public registry; revoked ones left out), and the starter-footprint profile. Read-only SQL: the carbon lib does not
 * import the metering or certification entities.
 */
@Injectable()
export class ReportsRepository {
  async sector(em: EntityManager, tenantId: string): Promise<string | null> {
    const rows: { sector: string | null }[] = await em.query(
      `SELECT sector FROM organizations WHERE id = $1`,
      [tenantId],
    );
    return rows[0]?.sector ?? null;
  }

  sites(em: EntityManager, tenantId: string): Promise<VsmeSite[]> {
    return em.query(
      `SELECT name, address, country, latitude, longitude FROM sites WHERE tenant_id = $1 ORDER BY name, id`,
      [tenantId],
    );
  }

  async certifications(em: EntityManager, tenantId: string): Promise<VsmeCertification[]> {
    const rows: {
      number: string;
      claimType: string;
      bodyName: string;
      issuedAt: Date;
      validUntil: string | Date;
    }[] = await em.query(
      `SELECT r.number, r.claim_type AS "claimType", r.body_name AS "bodyName", r.issued_at AS "issuedAt",
                r.valid_until AS "validUntil"
           FROM claims c JOIN certificate_registry r ON r.number = c.certificate_number
          WHERE c.tenant_id = $1 AND r.revoked_at IS NULL
          ORDER BY r.issued_at, r.number`,
      [tenantId],
    );
    const day = (d: Date | string) =>
      d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10);
    return rows.map((r) => ({ ...r, issuedAt: day(r.issuedAt), validUntil: day(r.validUntil) }));
  }

  async starter(em: EntityManager, tenantId: string): Promise<StarterRow | null> {
    const rows: StarterRow[] = await em.query(
      `SELECT sector_scheme AS "sectorScheme", sector_code AS "sectorCode", employees,
              annual_revenue::text AS "annualRevenue", currency
         FROM starter_profiles WHERE tenant_id = $1`,
      [tenantId],
    );
    return rows[0] ?? null;
  }
}
