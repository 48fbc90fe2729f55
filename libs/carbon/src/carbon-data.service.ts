import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  AuditService,
  BadInputError,
  Db,
  NotFoundError,
  RequestContext,
  UnprocessableError,
} from '@halve/platform';
import { CarbonRepository, type OrgProfile } from './carbon.repository';
import {
  activityPricing,
  activityRow,
  checkActivityInput,
  type ActivityContext,
  classifyActivity,
  knownUnit,
} from './data-input/activity-input';
import { activityAsInput, activityKgCo2e, mergeActivityEdit } from './data-input/activity-estimate';
import { auditedActivity, updateActivityRow } from './data-input/activity-store';
import { airports } from './data-input/airports';
import { deriveEntry } from './data-input/entry-detail';
import {
  checkInstrumentInput,
  instrumentRow,
  instrumentWarnings,
  serialsAlreadyClaimed,
} from './data-input/instrument-input';
import type {
  CreateActivityDto,
  CreateInstrumentDto,
  CreateTenantFactorDto,
  UpdateActivityDto,
} from './dto/carbon.dto';
import { METER_USAGE, type MeterUsageSource } from './dto/meter-usage';
import { EmissionFactorLibraryService } from './emission-factor-library.service';
import { ActivityEntity, InstrumentEntity, TenantEmissionFactorEntity } from './entities/carbon.entities';
import { toDecimal } from './factors/decimal';
import type { EmissionFactor } from './factors/emission-factor';
import { normaliseRegion } from './factors/regions';
import { normaliseUnit } from './factors/units';
import { instrumentView } from './instrument-view';

/** What pricing activities loads once for a whole list. */
interface PricingInputs {
  org: OrgProfile;
  factors: NonNullable<ActivityContext['factors']>;
}

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
      flight: a.detail?.flight ?? null,
      fuelSpend: a.detail?.fuelSpend ?? null,
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

  /**
   * The pure steps of recording an activity, shared by create, preview and edit so that a preview
   * answers exactly what create stores: input checked, region resolved, factor selected, priced.
   */
  private async priceActivity(tenantId: string, entered: CreateActivityDto, loaded?: PricingInputs) {
    const { dto, detail } = deriveEntry(entered, () => airports());
    const unit = checkActivityInput(dto);
    const org = loaded?.org ?? (await this.org(tenantId));
    const region = dto.region
      ? normaliseRegion(dto.region)
      : await this.siteRegion(tenantId, org, dto.siteId, 'siteId');
    if (dto.region && dto.siteId) await this.siteRegion(tenantId, org, dto.siteId, 'siteId');
    const pricing = activityPricing(dto, unit);
    const factors =
      pricing.kind === 'refrigerant_gwp' ? undefined : (loaded?.factors ?? (await this.factors(tenantId)));
    const year = Number(dto.periodFrom.slice(0, 4));
    const c = classifyActivity(dto, pricing, { unit, region, year, factors });
    return { dto, detail, unit, region, c, kgCo2e: activityKgCo2e(dto, unit, c) };
  }

  /** What create would select and compute for `dto`, storing nothing. */
  async previewActivity(tenantId: string, dto: CreateActivityDto) {
    const { dto: priced, detail, unit, region, c, kgCo2e } = await this.priceActivity(tenantId, dto);
    const { scope, scope3Category, factor, warnings } = c;
    const quantity = toDecimal(priced.quantity).toFixed();
    const { flight = null, fuelSpend = null } = detail ?? {};
    return { scope, scope3Category, quantity, unit, region, factor, kgCo2e, warnings, flight, fuelSpend };
  }

  async createActivity(tenantId: string, entered: CreateActivityDto) {
    const { dto, detail, unit, region, c, kgCo2e } = await this.priceActivity(tenantId, entered);
    const createdBy = RequestContext.maybe()?.userId ?? null;
    const row = activityRow(tenantId, randomUUID(), dto, { unit, region, createdBy }, c, detail);
    const saved = await this.db.tenant(async (em) => {
      await this.repo.insertActivity(em, row);
      await this.audit.record(em, tenantId, {
        action: 'activity.created',
        entityType: 'activity',
        entityId: row.id,
        summary: { after: auditedActivity(row) },
      });
      return (await this.repo.activity(em, tenantId, row.id)) as ActivityEntity;
    }, tenantId);
    return { ...this.activityView(saved), factor: c.factor, kgCo2e, warnings: c.warnings };
  }

  /** An edit: the merged activity checked and priced again (its factor re-selected), stored and audited. */
  async updateActivity(tenantId: string, id: string, patch: UpdateActivityDto) {
    const existing = await this.db.tenant((em) => this.repo.activity(em, tenantId, id), tenantId);
    if (!existing) throw new NotFoundError('Activity', id);
    const merged = mergeActivityEdit(existing, patch);
    const { dto, detail, unit, region, c, kgCo2e } = await this.priceActivity(tenantId, merged);
    const row = activityRow(tenantId, id, dto, { unit, region, createdBy: existing.createdBy }, c, detail);
    const saved = await this.db.tenant(async (em) => {
      const before = await this.repo.activity(em, tenantId, id);
      if (!before) throw new NotFoundError('Activity', id);
      await updateActivityRow(em, row);
      await this.audit.record(em, tenantId, {
        action: 'activity.updated',
        entityType: 'activity',
        entityId: id,
        summary: { before: auditedActivity(before), after: auditedActivity(row) },
      });
      return (await this.repo.activity(em, tenantId, id)) as ActivityEntity;
    }, tenantId);
    return { ...this.activityView(saved), factor: c.factor, kgCo2e, warnings: c.warnings };
  }

  /** The activities (optionally of a period) each with the factor it takes now and its kg CO2e. */
  async pricedActivities(tenantId: string, range?: { from: string; to: string }) {
    const rows = await this.db.tenant((em) => this.repo.activities(em, tenantId, range), tenantId);
    const loaded: PricingInputs = { org: await this.org(tenantId), factors: await this.factors(tenantId) };
    const priced = [];
    for (const a of rows) {
      try {
        const { c, kgCo2e } = await this.priceActivity(tenantId, activityAsInput(a), loaded);
        priced.push({ ...this.activityView(a), factor: c.factor, kgCo2e, warnings: c.warnings });
      } catch (e) {
        // One line that no longer prices (its site removed, its factor now of another scope) must not
        // hide the others: it is shown flagged with the reason.
        if (!(e instanceof BadInputError || e instanceof UnprocessableError)) throw e;
        const warnings = [{ code: 'NOT_PRICED', message: e.message }];
        priced.push({ ...this.activityView(a), factor: null, kgCo2e: null, warnings });
      }
    }
    return priced;
  }

  /** The library's factors and the tenant's own, for selecting an activity's factor. */
  private async factors(tenantId: string) {
    const lib = await this.library.library();
    return { library: lib.factors, tenantFactors: await this.selectionFactors(tenantId) };
  }

  /**
   * The tenant's own factors in the form factor selection takes (`selectFactor`, `selectGridFactor`):
   * what other modules use to choose a factor as the inventory does, without reading carbon's tables.
   */
  async selectionFactors(tenantId: string): Promise<EmissionFactor[]> {
    return this.db.tenant((em) => this.repo.tenantFactors(em, tenantId), tenantId);
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
    const serials = checkInstrumentInput(dto);
    const org = await this.org(tenantId);
    if (dto.siteId) await this.siteRegion(tenantId, org, dto.siteId, 'siteId');
    const createdBy = RequestContext.maybe()?.userId ?? null;
    const row = instrumentRow(tenantId, randomUUID(), dto, serials, createdBy);
    const scheme = row.scheme;
    const saved = await this.db.tenant(async (em) => {
      await this.repo.insertInstrument(em, row);
      const taken = await this.repo.claimSerials(em, row.id, scheme, serials);
      if (taken.length) throw serialsAlreadyClaimed(taken, scheme);
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
    return { ...instrumentView(saved), warnings: instrumentWarnings(dto, row.id) };
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
