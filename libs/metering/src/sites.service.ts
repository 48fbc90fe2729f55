import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditService, BadInputError, Db, NotFoundError, countryDefaults } from '@halve/platform';
import { CreateMeterDto, CreateSiteDto, UpdateMeterDto, UpdateSiteDto } from './dto/metering.dto';
import { MeterEntity, SiteEntity } from './entities/metering.entities';
import { Tariff } from './entities/tariff';
import { UnitConversionError, resolveConversion } from './units/units';

function validateTariff(tariff: Tariff | undefined): void {
  if (!tariff) return;
  if (tariff.type === 'flat' && tariff.pricePerKwh === undefined) {
    throw new BadInputError('A flat tariff needs pricePerKwh.', [
      { field: 'tariff.pricePerKwh', message: 'is required for a flat tariff' },
    ]);
  }
  if (tariff.type === 'time_of_use' && !tariff.bands?.length) {
    throw new BadInputError('A time-of-use tariff needs at least one band.', [
      { field: 'tariff.bands', message: 'is required for a time-of-use tariff' },
    ]);
  }
}

/** Sites and meters of the organisation in the request context (RLS-scoped). */
@Injectable()
export class SitesService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  async createSite(tenantId: string, dto: CreateSiteDto): Promise<SiteEntity> {
    validateTariff(dto.tariff);
    return this.db.tenant(async (em) => {
      const site = em.create(SiteEntity, {
        tenantId,
        id: randomUUID(),
        name: dto.name,
        country: dto.country.toUpperCase(),
        timezone: dto.timezone,
        address: dto.address ?? null,
        latitude: dto.latitude ?? null,
        longitude: dto.longitude ?? null,
        floorAreaM2: dto.floorAreaM2 ?? null,
        gridRegion: dto.gridRegion ?? countryDefaults(dto.country).gridRegion,
        tariff: (dto.tariff as Tariff | undefined) ?? null,
      });
      await em.insert(SiteEntity, site);
      await this.audit.record(em, tenantId, {
        action: 'site.created',
        entityType: 'site',
        entityId: site.id,
        summary: { after: { name: site.name, timezone: site.timezone } },
      });
      return em.findOneByOrFail(SiteEntity, { tenantId, id: site.id });
    }, tenantId);
  }

  listSites(tenantId: string): Promise<SiteEntity[]> {
    return this.db.tenant(
      (em) => em.find(SiteEntity, { where: { tenantId }, order: { name: 'ASC' } }),
      tenantId,
    );
  }

  async getSite(tenantId: string, id: string): Promise<SiteEntity> {
    const site = await this.db.tenant((em) => em.findOneBy(SiteEntity, { tenantId, id }), tenantId);
    if (!site) throw new NotFoundError('Site', id);
    return site;
  }

  async updateSite(tenantId: string, id: string, dto: UpdateSiteDto): Promise<SiteEntity> {
    validateTariff(dto.tariff);
    return this.db.tenant(async (em) => {
      const before = await em.findOneBy(SiteEntity, { tenantId, id });
      if (!before) throw new NotFoundError('Site', id);
      await em.update(
        SiteEntity,
        { tenantId, id },
        { ...(dto as Partial<SiteEntity>), updatedAt: new Date() },
      );
      await this.audit.record(em, tenantId, {
        action: 'site.updated',
        entityType: 'site',
        entityId: id,
        summary: { changed: Object.keys(dto) },
      });
      return em.findOneByOrFail(SiteEntity, { tenantId, id });
    }, tenantId);
  }

  async deleteSite(tenantId: string, id: string): Promise<void> {
    await this.db.tenant(async (em) => {
      const site = await em.findOneBy(SiteEntity, { tenantId, id });
      if (!site) throw new NotFoundError('Site', id);
      const meters = await em.findBy(MeterEntity, { tenantId, siteId: id });
      for (const m of meters) await this.deleteMeterData(em, tenantId, m.id);
      await em.delete(SiteEntity, { tenantId, id });
      await this.audit.record(em, tenantId, {
        action: 'site.deleted',
        entityType: 'site',
        entityId: id,
        summary: { before: { name: site.name } },
      });
    }, tenantId);
  }

  async createMeter(tenantId: string, dto: CreateMeterDto): Promise<MeterEntity> {
    if (dto.intervalMinutes === undefined) {
      throw new BadInputError(
        'intervalMinutes is required: 5, 15, 30, 60, 1440, or null for bill-period meters.',
        [{ field: 'intervalMinutes', message: 'is required' }],
      );
    }
    try {
      resolveConversion({ meterKind: dto.kind, meterUnit: dto.unit, intervalMinutes: dto.intervalMinutes });
    } catch (err) {
      if (err instanceof UnitConversionError)
        throw new BadInputError(`unit: ${err.message}`, [{ field: 'unit', message: err.message }]);
      throw err;
    }
    const generation = dto.kind === 'pv_generation' || dto.kind === 'wind_generation';
    if (
      !generation &&
      (dto.capacityKw !== undefined || dto.tiltDeg !== undefined || dto.azimuthDeg !== undefined)
    ) {
      throw new BadInputError('capacityKw, tiltDeg and azimuthDeg are for PV and wind generation meters.', [
        { field: 'capacityKw', message: 'only for generation meters' },
      ]);
    }
    return this.db.tenant(async (em) => {
      const site = await em.findOneBy(SiteEntity, { tenantId, id: dto.siteId });
      if (!site)
        throw new BadInputError(`Site ${dto.siteId} does not exist in this organisation.`, [
          { field: 'siteId', message: 'no such site' },
        ]);
      const meter = em.create(MeterEntity, {
        tenantId,
        id: randomUUID(),
        siteId: dto.siteId,
        name: dto.name,
        kind: dto.kind,
        unit: dto.unit,
        intervalMinutes: dto.intervalMinutes,
        register: dto.register ?? 'interval',
        capacityKw: dto.capacityKw ?? null,
        tiltDeg: dto.tiltDeg ?? null,
        azimuthDeg: dto.azimuthDeg ?? null,
        gasCalorificValueKwhPerM3: dto.gasCalorificValueKwhPerM3 ?? null,
        sourceColumn: dto.sourceColumn ?? null,
      });
      await em.insert(MeterEntity, meter);
      await this.audit.record(em, tenantId, {
        action: 'meter.created',
        entityType: 'meter',
        entityId: meter.id,
        summary: { after: { name: meter.name, kind: meter.kind, unit: meter.unit } },
      });
      return em.findOneByOrFail(MeterEntity, { tenantId, id: meter.id });
    }, tenantId);
  }

  listMeters(tenantId: string, siteId?: string): Promise<MeterEntity[]> {
    return this.db.tenant(
      (em) =>
        em.find(MeterEntity, { where: siteId ? { tenantId, siteId } : { tenantId }, order: { name: 'ASC' } }),
      tenantId,
    );
  }

  async getMeter(tenantId: string, id: string): Promise<MeterEntity> {
    const meter = await this.db.tenant((em) => em.findOneBy(MeterEntity, { tenantId, id }), tenantId);
    if (!meter) throw new NotFoundError('Meter', id);
    return meter;
  }

  async meterWithSite(tenantId: string, id: string): Promise<{ meter: MeterEntity; site: SiteEntity }> {
    return this.db.tenant(async (em) => {
      const meter = await em.findOneBy(MeterEntity, { tenantId, id });
      if (!meter) throw new NotFoundError('Meter', id);
      const site = await em.findOneByOrFail(SiteEntity, { tenantId, id: meter.siteId });
      return { meter, site };
    }, tenantId);
  }

  /** readings and rollups carry no foreign key (ADR 0005): they go with their meter here. */
  private async deleteMeterData(
    em: import('typeorm').EntityManager,
    tenantId: string,
    meterId: string,
  ): Promise<void> {
    await em.query('DELETE FROM reading_rollups WHERE tenant_id = $1 AND meter_id = $2', [tenantId, meterId]);
    await em.query('DELETE FROM readings WHERE tenant_id = $1 AND meter_id = $2', [tenantId, meterId]);
  }

  async updateMeter(tenantId: string, id: string, dto: UpdateMeterDto): Promise<MeterEntity> {
    return this.db.tenant(async (em) => {
      const before = await em.findOneBy(MeterEntity, { tenantId, id });
      if (!before) throw new NotFoundError('Meter', id);
      await em.update(MeterEntity, { tenantId, id }, { ...dto, updatedAt: new Date() });
      await this.audit.record(em, tenantId, {
        action: 'meter.updated',
        entityType: 'meter',
        entityId: id,
        summary: { changed: Object.keys(dto) },
      });
      return em.findOneByOrFail(MeterEntity, { tenantId, id });
    }, tenantId);
  }

  async deleteMeter(tenantId: string, id: string): Promise<void> {
    await this.db.tenant(async (em) => {
      const meter = await em.findOneBy(MeterEntity, { tenantId, id });
      if (!meter) throw new NotFoundError('Meter', id);
      await this.deleteMeterData(em, tenantId, id);
      await em.delete(MeterEntity, { tenantId, id });
      await this.audit.record(em, tenantId, {
        action: 'meter.deleted',
        entityType: 'meter',
        entityId: id,
        summary: { before: { name: meter.name, kind: meter.kind } },
      });
    }, tenantId);
  }
}
