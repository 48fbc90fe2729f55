import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  AuditService,
  BadInputError,
  ConflictError,
  Db,
  NotFoundError,
  RequestContext,
  UnprocessableError,
} from '@halve/platform';
import { CarbonRepository, type OrgProfile } from './carbon.repository';
import type { CreateActivityDto, CreateInstrumentDto, CreateTenantFactorDto } from './dto/carbon.dto';
import { METER_USAGE, type MeterUsageSource } from './dto/meter-usage';
import { EmissionFactorLibraryService } from './emission-factor-library.service';
import { ActivityEntity, InstrumentEntity, TenantEmissionFactorEntity } from './entities/carbon.entities';
import { toDecimal } from './factors/decimal';
import { factorRef, type EmissionFactor, type FactorRef } from './factors/emission-factor';
import { FactorNotFoundError, UnitConversionError } from './factors/errors';
import { normaliseRegion } from './factors/regions';
import { selectFactor } from './factors/select-factor';
import { canConvertUnit, normaliseUnit } from './factors/units';
import type { InventoryWarning } from './inventory.service';
import { instrumentView } from './instrument-view';

const CERTIFICATE_TYPES = new Set(['REC', 'GO', 'REGO', 'I-REC']);

const knownUnit = (u: string) => canConvertUnit(u, u);

/** Tenants' own emission factors, activity data and contractual instruments. */
@Injectable()
export class CarbonDataService {
  constructor(
    private readonly db: Db,
    private readonly repo: CarbonRepository,
    private readonly audit: AuditService,
    private readonly library: EmissionFactorLibraryService,
    @Inject(METER_USAGE) private readonly usage: MeterUsageSource,
  ) {}

  // ---- tenant factors ----

  private tenantFactorView(f: EmissionFactor) {
    return {
      id: f.id,
      activity: f.activity,
      variant: f.variant,
      region: f.region,
      year: f.year,
      unit: f.unit,
      basis: f.basis || null,
      kgCo2ePerUnit: f.kgCo2ePerUnit,
      kgCo2PerUnit: f.kgCo2PerUnit,
      scope: f.scope,
      scope3Category: f.scope3Category,
      source: f.source,
      edition: f.edition,
      gwpSet: f.gwpSet || null,
      label: f.label,
      evidence: f.evidence ?? '',
    };
  }

  async createTenantFactor(tenantId: string, dto: CreateTenantFactorDto) {
    const unit = normaliseUnit(dto.unit);
    if (!knownUnit(unit))
      throw new BadInputError(`Unknown unit '${dto.unit}'.`, [
        { field: 'unit', message: `unknown unit '${dto.unit}'` },
      ]);
    if (dto.scope3Category !== undefined && dto.scope !== 3) {
      throw new BadInputError('scope3Category is only for Scope 3 factors.', [
        { field: 'scope3Category', message: 'only for scope 3' },
      ]);
    }
    const id = randomUUID();
    await this.db.tenant(async (em) => {
      const row = Object.assign(new TenantEmissionFactorEntity(), {
        tenantId,
        id,
        source: dto.source,
        edition: dto.edition ?? String(dto.year),
        publishedYear: dto.year,
        year: dto.year,
        region: normaliseRegion(dto.region),
        activity: dto.activity,
        variant: dto.variant ?? '',
        scope: dto.scope,
        scope3Category: dto.scope3Category ?? null,
        unit,
        basis: dto.basis ?? '',
        kgCo2ePerUnit: toDecimal(dto.kgCo2ePerUnit).toFixed(),
        kgCo2PerUnit: dto.kgCo2PerUnit === undefined ? null : toDecimal(dto.kgCo2PerUnit).toFixed(),
        kgCh4PerUnit: null,
        kgN2oPerUnit: null,
        kgCo2eCh4PerUnit: null,
        kgCo2eN2oPerUnit: null,
        gwpSet: dto.gwpSet ?? '',
        purpose: 'corporate_inventory',
        label: dto.label ?? `${dto.activity}${dto.variant ? `.${dto.variant}` : ''} (${dto.source})`,
        evidence: dto.evidence,
        createdBy: RequestContext.maybe()?.userId ?? null,
      });
      await this.repo.insertTenantFactor(em, row);
      await this.audit.record(em, tenantId, {
        action: 'emission_factor.created',
        entityType: 'tenant_emission_factor',
        entityId: id,
        summary: {
          after: {
            activity: dto.activity,
            region: row.region,
            year: dto.year,
            unit,
            kgCo2ePerUnit: row.kgCo2ePerUnit,
            source: dto.source,
          },
        },
      });
    }, tenantId);
    const all = await this.db.tenant((em) => this.repo.tenantFactors(em, tenantId), tenantId);
    return this.tenantFactorView(all.find((f) => f.id === `tenant:${id}`) as EmissionFactor);
  }

  async tenantFactors(tenantId: string) {
    const rows = await this.db.tenant((em) => this.repo.tenantFactors(em, tenantId), tenantId);
    return rows.map((f) => this.tenantFactorView(f));
  }

  // ---- activities ----

  private activityView(a: ActivityEntity) {
    return {
      id: a.id,
      activity: a.activity,
      variant: a.variant || null,
      scope: a.scope,
      scope3Category: a.scope3Category,
      quantity: a.quantity,
      unit: a.unit,
      basis: a.basis,
      gwp: a.gwp,
      periodFrom: a.periodFrom,
      periodTo: a.periodTo,
      dataQuality: a.dataQuality,
      siteId: a.siteId,
      region: a.region,
      description: a.description,
      createdAt: a.createdAt,
    };
  }

  private async siteRegion(
    tenantId: string,
    org: OrgProfile,
    siteId: string | undefined,
    field: string,
  ): Promise<string> {
    if (!siteId) return normaliseRegion(org.gridRegion ?? org.country);
    const site = (await this.usage.sites(tenantId)).find((s) => s.id === siteId);
    if (!site)
      throw new BadInputError(`Site ${siteId} does not exist in this organisation.`, [
        { field, message: 'no such site' },
      ]);
    return normaliseRegion(site.gridRegion ?? site.country);
  }

  private async org(tenantId: string): Promise<OrgProfile> {
    const org = await this.db.tenant((em) => this.repo.org(em, tenantId), tenantId);
    if (!org) throw new NotFoundError('Organization', tenantId);
    return org;
  }

  async createActivity(tenantId: string, dto: CreateActivityDto) {
    if (dto.periodTo <= dto.periodFrom) {
      throw new BadInputError(
        `periodTo (${dto.periodTo}, exclusive) must be after periodFrom (${dto.periodFrom}).`,
        [{ field: 'periodTo', message: 'must be after periodFrom' }],
      );
    }
    if (dto.scope3Category !== undefined && dto.scope !== undefined && dto.scope !== 3) {
      throw new BadInputError('scope3Category is only for Scope 3 activities.', [
        { field: 'scope3Category', message: 'only for scope 3' },
      ]);
    }
    const unit = normaliseUnit(dto.unit);
    if (!knownUnit(unit))
      throw new BadInputError(`Unknown unit '${dto.unit}'.`, [
        { field: 'unit', message: `unknown unit '${dto.unit}'` },
      ]);
    const org = await this.org(tenantId);
    const region = dto.region
      ? normaliseRegion(dto.region)
      : await this.siteRegion(tenantId, org, dto.siteId, 'siteId');
    if (dto.region && dto.siteId) await this.siteRegion(tenantId, org, dto.siteId, 'siteId');
    const year = Number(dto.periodFrom.slice(0, 4));
    const warnings: InventoryWarning[] = [];
    let factor: FactorRef | null = null;
    let scope = dto.scope ?? null;
    let scope3Category = dto.scope3Category ?? null;

    if (dto.activity === 'electricity') {
      if (!canConvertUnit(unit, 'kWh'))
        throw new UnprocessableError(`Electricity is priced per kWh: '${dto.unit}' is not an energy unit.`, [
          { field: 'unit', message: 'not an energy unit' },
        ]);
      if (scope !== null && scope !== 2)
        throw new UnprocessableError(`Purchased electricity is Scope 2, not Scope ${scope}.`, [
          { field: 'scope', message: 'electricity is scope 2' },
        ]);
      scope = 2;
      const lib = await this.library.library();
      try {
        const tenantFactors = await this.db.tenant((em) => this.repo.tenantFactors(em, tenantId), tenantId);
        const sel = selectFactor(lib.factors, {
          activity: 'electricity_grid',
          region,
          year,
          unit,
          tenantFactors,
        });
        factor = factorRef(sel.factor);
        warnings.push(...sel.warnings);
      } catch (e) {
        if (!(e instanceof FactorNotFoundError)) throw e;
        warnings.push({
          code: 'NO_FACTOR',
          message: `${e.message}: the activity is stored and its line flagged until a factor exists (add one under /emission-factors)`,
        });
      }
    } else if (dto.activity === 'refrigerant' && dto.gwp !== undefined) {
      if (!canConvertUnit(unit, 'kg'))
        throw new UnprocessableError(
          `A refrigerant with a GWP is priced per kg released: '${dto.unit}' is not a mass.`,
          [{ field: 'unit', message: 'not a mass unit' }],
        );
      if (scope !== null && scope !== 1)
        throw new UnprocessableError(`Refrigerant leaks are Scope 1, not Scope ${scope}.`, [
          { field: 'scope', message: 'refrigerants are scope 1' },
        ]);
      scope = 1;
    } else {
      const lib = await this.library.library();
      const tenantFactors = await this.db.tenant((em) => this.repo.tenantFactors(em, tenantId), tenantId);
      try {
        const sel = selectFactor(lib.factors, {
          activity: dto.activity,
          variant: dto.variant,
          region,
          year,
          unit,
          basis: dto.basis,
          tenantFactors,
        });
        factor = factorRef(sel.factor);
        warnings.push(...sel.warnings);
        if (scope !== null && scope !== sel.factor.scope) {
          throw new UnprocessableError(
            `${dto.activity} is Scope ${sel.factor.scope} by its factor ${sel.factor.id}, not Scope ${scope}.`,
            [{ field: 'scope', message: `scope ${sel.factor.scope} by its factor` }],
          );
        }
        if (
          scope3Category !== null &&
          sel.factor.scope3Category !== null &&
          scope3Category !== sel.factor.scope3Category
        ) {
          throw new UnprocessableError(
            `${dto.activity} is Scope 3 category ${sel.factor.scope3Category} by its factor ${sel.factor.id}, not category ${scope3Category}.`,
            [{ field: 'scope3Category', message: `category ${sel.factor.scope3Category} by its factor` }],
          );
        }
        scope = sel.factor.scope;
        scope3Category = sel.factor.scope3Category ?? scope3Category;
      } catch (e) {
        if (e instanceof UnitConversionError) {
          throw new UnprocessableError(
            `The factor cannot take this unit: ${e.message}.`,
            [{ field: 'unit', message: e.message }],
            { available: e.details.available },
          );
        }
        if (!(e instanceof FactorNotFoundError)) throw e;
        warnings.push({
          code: 'NO_FACTOR',
          message: `${e.message}: the activity is stored and its line flagged until a factor exists (add one under /emission-factors)`,
        });
      }
    }

    const row = Object.assign(new ActivityEntity(), {
      tenantId,
      id: randomUUID(),
      activity: dto.activity,
      variant: dto.variant ?? '',
      scope,
      scope3Category,
      quantity: toDecimal(dto.quantity).toFixed(),
      unit,
      basis: dto.basis ?? null,
      gwp: dto.gwp === undefined ? null : toDecimal(dto.gwp).toFixed(),
      periodFrom: dto.periodFrom,
      periodTo: dto.periodTo,
      dataQuality: dto.dataQuality,
      siteId: dto.siteId ?? null,
      region: dto.region ? region : null,
      description: dto.description ?? null,
      createdBy: RequestContext.maybe()?.userId ?? null,
    });
    const saved = await this.db.tenant(async (em) => {
      await this.repo.insertActivity(em, row);
      await this.audit.record(em, tenantId, {
        action: 'activity.created',
        entityType: 'activity',
        entityId: row.id,
        summary: {
          after: {
            activity: row.activity,
            variant: row.variant,
            quantity: row.quantity,
            unit,
            periodFrom: row.periodFrom,
            periodTo: row.periodTo,
          },
        },
      });
      return (await this.repo.activity(em, tenantId, row.id)) as ActivityEntity;
    }, tenantId);
    return { ...this.activityView(saved), factor, warnings };
  }

  async activities(tenantId: string, range?: { from: string; to: string }) {
    const rows = await this.db.tenant((em) => this.repo.activities(em, tenantId, range), tenantId);
    return rows.map((a) => this.activityView(a));
  }

  async activity(tenantId: string, id: string) {
    const a = await this.db.tenant((em) => this.repo.activity(em, tenantId, id), tenantId);
    if (!a) throw new NotFoundError('Activity', id);
    return this.activityView(a);
  }

  async deleteActivity(tenantId: string, id: string): Promise<void> {
    await this.db.tenant(async (em) => {
      const a = await this.repo.activity(em, tenantId, id);
      if (!a) throw new NotFoundError('Activity', id);
      await this.repo.deleteActivity(em, tenantId, id);
      await this.audit.record(em, tenantId, {
        action: 'activity.deleted',
        entityType: 'activity',
        entityId: id,
        summary: { before: { activity: a.activity, quantity: a.quantity, unit: a.unit } },
      });
    }, tenantId);
  }

  // ---- instruments ----

  async createInstrument(tenantId: string, dto: CreateInstrumentDto) {
    if (dto.vintageTo <= dto.vintageFrom) {
      throw new BadInputError(
        `vintageTo (${dto.vintageTo}, exclusive) must be after vintageFrom (${dto.vintageFrom}).`,
        [{ field: 'vintageTo', message: 'must be after vintageFrom' }],
      );
    }
    const serials = (dto.certificateIds ?? []).map((s) => s.trim());
    if (CERTIFICATE_TYPES.has(dto.type) && !serials.length) {
      throw new BadInputError(
        `A ${dto.type} must list its certificate ids (serials) so it can be tracked and checked for double claims.`,
        [{ field: 'certificateIds', message: 'required for certificates' }],
      );
    }
    const org = await this.org(tenantId);
    if (dto.siteId) await this.siteRegion(tenantId, org, dto.siteId, 'siteId');
    const scheme = dto.scheme ?? dto.type;
    const row = Object.assign(new InstrumentEntity(), {
      tenantId,
      id: randomUUID(),
      type: dto.type,
      scheme,
      volumeMwh: toDecimal(dto.volumeMwh).toFixed(),
      kgCo2ePerKwh: toDecimal(dto.kgCo2ePerKwh ?? 0).toFixed(),
      technology: dto.technology ?? null,
      vintageFrom: dto.vintageFrom,
      vintageTo: dto.vintageTo,
      region: normaliseRegion(dto.region),
      certificateIds: serials,
      retired: dto.retired,
      siteId: dto.siteId ?? null,
      evidence: dto.evidence ?? null,
      createdBy: RequestContext.maybe()?.userId ?? null,
    });
    const saved = await this.db.tenant(async (em) => {
      await this.repo.insertInstrument(em, row);
      const taken = await this.repo.claimSerials(em, row.id, scheme, serials);
      if (taken.length) {
        const other = taken.filter((t) => !t.sameTenant).map((t) => t.serial);
        const own = taken.filter((t) => t.sameTenant).map((t) => t.serial);
        const parts = [];
        if (other.length)
          parts.push(
            `certificate serial${other.length > 1 ? 's' : ''} ${other.join(', ')} (${scheme}) ${other.length > 1 ? 'are' : 'is'} already claimed by another organisation`,
          );
        if (own.length)
          parts.push(
            `certificate serial${own.length > 1 ? 's' : ''} ${own.join(', ')} (${scheme}) ${own.length > 1 ? 'are' : 'is'} already claimed by another instrument of this organisation`,
          );
        throw new ConflictError(
          `Not recorded: ${parts.join('; ')}. A certificate can be claimed once.`,
          'certificate_already_claimed',
          { serials: taken.map((t) => t.serial), scheme },
        );
      }
      await this.audit.record(em, tenantId, {
        action: 'instrument.created',
        entityType: 'instrument',
        entityId: row.id,
        summary: {
          after: {
            type: row.type,
            scheme,
            volumeMwh: row.volumeMwh,
            vintageFrom: row.vintageFrom,
            vintageTo: row.vintageTo,
            region: row.region,
            certificates: serials.length,
          },
        },
      });
      return (await this.repo.instrument(em, tenantId, row.id)) as InstrumentEntity;
    }, tenantId);
    const warnings: InventoryWarning[] = [];
    if (!dto.retired && CERTIFICATE_TYPES.has(dto.type)) {
      warnings.push({
        code: 'INSTRUMENT_NOT_RETIRED',
        instrumentId: row.id,
        message: `${dto.type} ${row.id} is not retired: it will not be applied to market-based Scope 2 until it is retired for this organisation`,
      });
    }
    return { ...instrumentView(saved), warnings };
  }

  async instruments(tenantId: string) {
    const rows = await this.db.tenant((em) => this.repo.instruments(em, tenantId), tenantId);
    return rows.map((i) => instrumentView(i));
  }

  async instrument(tenantId: string, id: string) {
    const i = await this.db.tenant((em) => this.repo.instrument(em, tenantId, id), tenantId);
    if (!i) throw new NotFoundError('Instrument', id);
    return instrumentView(i);
  }

  async deleteInstrument(tenantId: string, id: string): Promise<void> {
    await this.db.tenant(async (em) => {
      const i = await this.repo.instrument(em, tenantId, id);
      if (!i) throw new NotFoundError('Instrument', id);
      await this.repo.releaseSerials(em, tenantId, id);
      await this.repo.deleteInstrument(em, tenantId, id);
      await this.audit.record(em, tenantId, {
        action: 'instrument.deleted',
        entityType: 'instrument',
        entityId: id,
        summary: { before: { type: i.type, volumeMwh: i.volumeMwh, certificates: i.certificateIds.length } },
      });
    }, tenantId);
  }
}
