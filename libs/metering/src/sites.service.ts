import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditService, BadInputError, Db, NotFoundError } from '@halve/platform';
import { CreateMeterDto, CreateSiteDto, UpdateMeterDto, UpdateSiteDto } from './dto/metering.dto';
import { MeterEntity, SiteEntity } from './entities/metering.entities';
import { newMeterFields, newSiteFields, validateNewMeter, validateTariff } from './site-rules';
import { anyTimeRange } from './readings.service';
import { SitesRepository } from './sites.repository';

/** Sites and meters of the organisation in the request context (RLS-scoped). */
@Injectable()
export class SitesService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly repo: SitesRepository,
  ) {}

  async createSite(tenantId: string, dto: CreateSiteDto): Promise<SiteEntity> {
    validateTariff(dto.tariff);
    return this.db.tenant(async (em) => {
      const site = await this.repo.insertSite(em, newSiteFields(tenantId, randomUUID(), dto));
      await this.audit.record(em, tenantId, {
        action: 'site.created',
        entityType: 'site',
        entityId: site.id,
        summary: { after: { name: site.name, timezone: site.timezone } },
      });
      return this.repo.getSite(em, tenantId, site.id);
    }, tenantId);
  }

  listSites(tenantId: string): Promise<SiteEntity[]> {
    return this.db.tenant((em) => this.repo.listSites(em, tenantId), tenantId);
  }

  async getSite(tenantId: string, id: string): Promise<SiteEntity> {
    const site = await this.db.tenant((em) => this.repo.findSite(em, tenantId, id), tenantId);
    if (!site) throw new NotFoundError('Site', id);
    return site;
  }

  async updateSite(tenantId: string, id: string, dto: UpdateSiteDto): Promise<SiteEntity> {
    validateTariff(dto.tariff);
    return this.db.tenant(async (em) => {
      const before = await this.repo.findSite(em, tenantId, id);
      if (!before) throw new NotFoundError('Site', id);
      await this.repo.updateSite(em, tenantId, id, dto as Partial<SiteEntity>);
      await this.audit.record(em, tenantId, {
        action: 'site.updated',
        entityType: 'site',
        entityId: id,
        summary: { changed: Object.keys(dto) },
      });
      return this.repo.getSite(em, tenantId, id);
    }, tenantId);
  }

  async deleteSite(tenantId: string, id: string): Promise<void> {
    await this.db.tenant(async (em) => {
      const site = await this.repo.findSite(em, tenantId, id);
      if (!site) throw new NotFoundError('Site', id);
      const meters = await this.repo.allMeters(em, tenantId, id);
      for (const m of meters) await this.repo.deleteMeterData(em, tenantId, m.id);
      await this.repo.deleteSite(em, tenantId, id);
      await this.audit.record(em, tenantId, {
        action: 'site.deleted',
        entityType: 'site',
        entityId: id,
        summary: { before: { name: site.name } },
      });
    }, tenantId);
  }

  /**
   * Deletes the site's weather rows with from ≤ ts < to (timestamps as imported; `from`/`to` read in the site's
   * zone, all time without them); answers the range and how many rows. Forecast training, M&V and the analysis
   * fingerprint the weather they read, so their next run reads what is left.
   */
  async deleteWeather(
    tenantId: string,
    siteId: string,
    q: { from?: string; to?: string },
  ): Promise<{ from: Date; to: Date; deleted: number }> {
    return this.db.tenant(async (em) => {
      const site = await this.repo.findSite(em, tenantId, siteId);
      if (!site) throw new NotFoundError('Site', siteId);
      const range = anyTimeRange(q, site.timezone);
      const rows = await this.repo.deleteWeather(em, tenantId, siteId, range.from, range.to);
      await this.audit.record(em, tenantId, {
        action: 'site.weather_deleted',
        entityType: 'site',
        entityId: siteId,
        summary: { from: range.from.toISOString(), to: range.to.toISOString(), rows },
      });
      return { ...range, deleted: rows };
    }, tenantId);
  }

  async createMeter(tenantId: string, dto: CreateMeterDto): Promise<MeterEntity> {
    validateNewMeter(dto);
    return this.db.tenant(async (em) => {
      const site = await this.repo.findSite(em, tenantId, dto.siteId);
      if (!site)
        throw new BadInputError(`Site ${dto.siteId} does not exist in this organisation.`, [
          { field: 'siteId', message: 'no such site' },
        ]);
      const meter = await this.repo.insertMeter(em, newMeterFields(tenantId, randomUUID(), dto));
      await this.audit.record(em, tenantId, {
        action: 'meter.created',
        entityType: 'meter',
        entityId: meter.id,
        summary: { after: { name: meter.name, kind: meter.kind, unit: meter.unit } },
      });
      return this.repo.getMeter(em, tenantId, meter.id);
    }, tenantId);
  }

  listMeters(tenantId: string, siteId?: string): Promise<MeterEntity[]> {
    return this.db.tenant((em) => this.repo.listMeters(em, tenantId, siteId), tenantId);
  }

  async getMeter(tenantId: string, id: string): Promise<MeterEntity> {
    const meter = await this.db.tenant((em) => this.repo.findMeter(em, tenantId, id), tenantId);
    if (!meter) throw new NotFoundError('Meter', id);
    return meter;
  }

  async meterWithSite(tenantId: string, id: string): Promise<{ meter: MeterEntity; site: SiteEntity }> {
    return this.db.tenant(async (em) => {
      const found = await this.repo.meterWithSite(em, tenantId, id);
      if (!found) throw new NotFoundError('Meter', id);
      return found;
    }, tenantId);
  }

  async updateMeter(tenantId: string, id: string, dto: UpdateMeterDto): Promise<MeterEntity> {
    return this.db.tenant(async (em) => {
      const before = await this.repo.findMeter(em, tenantId, id);
      if (!before) throw new NotFoundError('Meter', id);
      await this.repo.updateMeter(em, tenantId, id, dto as Partial<MeterEntity>);
      await this.audit.record(em, tenantId, {
        action: 'meter.updated',
        entityType: 'meter',
        entityId: id,
        summary: { changed: Object.keys(dto) },
      });
      return this.repo.getMeter(em, tenantId, id);
    }, tenantId);
  }

  async deleteMeter(tenantId: string, id: string): Promise<void> {
    await this.db.tenant(async (em) => {
      const meter = await this.repo.findMeter(em, tenantId, id);
      if (!meter) throw new NotFoundError('Meter', id);
      await this.repo.deleteMeterData(em, tenantId, id);
      await this.repo.deleteMeter(em, tenantId, id);
      await this.audit.record(em, tenantId, {
        action: 'meter.deleted',
        entityType: 'meter',
        entityId: id,
        summary: { before: { name: meter.name, kind: meter.kind } },
      });
    }, tenantId);
  }
}
