import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { MeterEntity, SiteEntity } from './entities/metering.entities';

/**
 * Sites and meters in the database. Every method runs in the caller's transaction (`Db.tenant`, so
 * under RLS with the request's tenant): the service decides the transaction, this only queries.
 */
@Injectable()
export class SitesRepository {
  async insertSite(em: EntityManager, fields: Partial<SiteEntity>): Promise<SiteEntity> {
    const site = em.create(SiteEntity, fields);
    await em.insert(SiteEntity, site);
    return site;
  }

  findSite(em: EntityManager, tenantId: string, id: string): Promise<SiteEntity | null> {
    return em.findOneBy(SiteEntity, { tenantId, id });
  }

  getSite(em: EntityManager, tenantId: string, id: string): Promise<SiteEntity> {
    return em.findOneByOrFail(SiteEntity, { tenantId, id });
  }

  listSites(em: EntityManager, tenantId: string): Promise<SiteEntity[]> {
    return em.find(SiteEntity, { where: { tenantId }, order: { name: 'ASC' } });
  }

  /** Every site of the tenant, in no particular order. */
  allSites(em: EntityManager, tenantId: string): Promise<SiteEntity[]> {
    return em.findBy(SiteEntity, { tenantId });
  }

  async updateSite(
    em: EntityManager,
    tenantId: string,
    id: string,
    patch: Partial<SiteEntity>,
  ): Promise<void> {
    await em.update(SiteEntity, { tenantId, id }, { ...patch, updatedAt: new Date() });
  }

  async deleteSite(em: EntityManager, tenantId: string, id: string): Promise<void> {
    await em.delete(SiteEntity, { tenantId, id });
  }

  async insertMeter(em: EntityManager, fields: Partial<MeterEntity>): Promise<MeterEntity> {
    const meter = em.create(MeterEntity, fields);
    await em.insert(MeterEntity, meter);
    return meter;
  }

  findMeter(em: EntityManager, tenantId: string, id: string): Promise<MeterEntity | null> {
    return em.findOneBy(MeterEntity, { tenantId, id });
  }

  getMeter(em: EntityManager, tenantId: string, id: string): Promise<MeterEntity> {
    return em.findOneByOrFail(MeterEntity, { tenantId, id });
  }

  listMeters(em: EntityManager, tenantId: string, siteId?: string): Promise<MeterEntity[]> {
    return em.find(MeterEntity, {
      where: siteId ? { tenantId, siteId } : { tenantId },
      order: { name: 'ASC' },
    });
  }

  /** The meters of one site, or every meter of the tenant, in no particular order. */
  allMeters(em: EntityManager, tenantId: string, siteId?: string): Promise<MeterEntity[]> {
    return em.findBy(MeterEntity, siteId ? { tenantId, siteId } : { tenantId });
  }

  /** A meter and its site; null when the meter does not exist (its site always does: foreign key). */
  async meterWithSite(
    em: EntityManager,
    tenantId: string,
    id: string,
  ): Promise<{ meter: MeterEntity; site: SiteEntity } | null> {
    const meter = await this.findMeter(em, tenantId, id);
    if (!meter) return null;
    const site = await this.getSite(em, tenantId, meter.siteId);
    return { meter, site };
  }

  async updateMeter(
    em: EntityManager,
    tenantId: string,
    id: string,
    patch: Partial<MeterEntity>,
  ): Promise<void> {
    await em.update(MeterEntity, { tenantId, id }, { ...patch, updatedAt: new Date() });
  }

  async deleteMeter(em: EntityManager, tenantId: string, id: string): Promise<void> {
    await em.delete(MeterEntity, { tenantId, id });
  }

  /** Deletes the site's weather rows with from ≤ ts < to; answers how many there were. */
  async deleteWeather(
    em: EntityManager,
    tenantId: string,
    siteId: string,
    from: Date,
    to: Date,
  ): Promise<number> {
    const [row]: { n: string | number }[] = await em.query(
      `WITH d AS (DELETE FROM site_weather WHERE tenant_id = $1 AND site_id = $2 AND ts >= $3 AND ts < $4 RETURNING 1)
       SELECT count(*) AS n FROM d`,
      [tenantId, siteId, from, to],
    );
    return Number(row.n);
  }

  /** readings and rollups carry no foreign key (ADR 0005): they go with their meter. */
  async deleteMeterData(em: EntityManager, tenantId: string, meterId: string): Promise<void> {
    await em.query('DELETE FROM reading_rollups WHERE tenant_id = $1 AND meter_id = $2', [tenantId, meterId]);
    await em.query('DELETE FROM readings WHERE tenant_id = $1 AND meter_id = $2', [tenantId, meterId]);
  }
}
