import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  AuditService,
  BadInputError,
  Db,
  NotFoundError,
  RequestContext,
  UnprocessableError,
} from '@halve/platform';
import { CarbonRepository } from './carbon.repository';
import type { CreateTargetDto } from './dto/carbon.dto';
import { TargetEntity } from './entities/carbon.entities';
import { CarbonDecimal, roundKg, toDecimal } from './factors/decimal';
import {
  SBTI_1_5C_ANNUAL_RATE,
  intensityTargetProgress,
  sbti15cCheck,
  targetProgress,
  targetTrajectory,
  type LinearTarget,
} from './ghg/targets';
import { InventoryService, type InventoryView } from './inventory.service';

const pad = (n: number) => String(n).padStart(2, '0');

/** Reduction targets (absolute or intensity; SBTi 1.5 °C linear 4.2 %/yr by default) and progress. */
@Injectable()
export class TargetsService {
  constructor(
    private readonly db: Db,
    private readonly repo: CarbonRepository,
    private readonly audit: AuditService,
    private readonly inventory: InventoryService,
  ) {}

  private view(t: TargetEntity) {
    const rate = toDecimal(t.annualRate);
    const sbti = sbti15cCheck({ kind: t.kind, scopes: t.scopes, annualRate: t.annualRate });
    return {
      id: t.id,
      name: t.name,
      kind: t.kind,
      scopes: t.scopes,
      scope2Method: t.scope2Method,
      baseYear: t.baseYear,
      baseValue: t.baseValue,
      targetYear: t.targetYear,
      reductionPct: Number(t.reductionPct),
      annualRatePct: rate.times(100).toNumber(),
      intensityDenominator: t.intensityDenominator,
      pathway: 'linear',
      // Only absolute Scope 1+2 targets at ≥ 4.2 %/yr (SBTi Corporate Near-Term Criteria v5.2; see sbti15cCheck).
      sbti15cAligned: sbti.aligned,
      sbti15c: { criteria: sbti.criteria, reason: sbti.reason },
      createdAt: t.createdAt,
    };
  }

  async create(tenantId: string, dto: CreateTargetDto) {
    if (dto.targetYear <= dto.baseYear)
      throw new BadInputError('targetYear must be after baseYear.', [
        { field: 'targetYear', message: 'must be after baseYear' },
      ]);
    const kind = dto.kind ?? 'absolute';
    if (kind === 'intensity' && !dto.intensityDenominator) {
      throw new BadInputError(
        'An intensity target needs intensityDenominator (floor_area_m2, employees or revenue).',
        [{ field: 'intensityDenominator', message: 'required for intensity targets' }],
      );
    }
    if (kind === 'absolute' && dto.intensityDenominator) {
      throw new BadInputError('intensityDenominator is only for intensity targets.', [
        { field: 'intensityDenominator', message: 'only for intensity targets' },
      ]);
    }
    const years = dto.targetYear - dto.baseYear;
    let rate: CarbonDecimal;
    let pct: CarbonDecimal;
    if (dto.reductionPct !== undefined) {
      pct = toDecimal(dto.reductionPct);
      if (pct.gt(100))
        throw new BadInputError('reductionPct cannot exceed 100.', [
          { field: 'reductionPct', message: 'at most 100' },
        ]);
      rate = pct.div(100).div(years);
    } else {
      rate = toDecimal(SBTI_1_5C_ANNUAL_RATE);
      pct = CarbonDecimal.min(100, rate.times(100).times(years)) as CarbonDecimal;
      if (rate.times(years).gt(1)) rate = new CarbonDecimal(1).div(years);
    }
    if (rate.gte(1))
      throw new BadInputError('The annual reduction rate must be below 100 %.', [
        { field: 'reductionPct', message: 'annual rate ≥ 100 %' },
      ]);
    const row = Object.assign(new TargetEntity(), {
      tenantId,
      id: randomUUID(),
      name: dto.name,
      kind,
      scopes: [...(dto.scopes ?? [1, 2])].sort(),
      scope2Method: dto.scope2Method ?? 'market',
      baseYear: dto.baseYear,
      baseValue: dto.baseValue === undefined ? null : toDecimal(dto.baseValue).toFixed(),
      targetYear: dto.targetYear,
      annualRate: rate.toSignificantDigits(20).toFixed(),
      reductionPct: pct.toSignificantDigits(20).toFixed(),
      intensityDenominator: dto.intensityDenominator ?? null,
      createdBy: RequestContext.maybe()?.userId ?? null,
    });
    const saved = await this.db.tenant(async (em) => {
      await this.repo.insertTarget(em, row);
      await this.audit.record(em, tenantId, {
        action: 'target.created',
        entityType: 'target',
        entityId: row.id,
        summary: {
          after: {
            name: row.name,
            kind,
            scopes: row.scopes,
            baseYear: row.baseYear,
            targetYear: row.targetYear,
            reductionPct: row.reductionPct,
          },
        },
      });
      return (await this.repo.target(em, tenantId, row.id)) as TargetEntity;
    }, tenantId);
    return this.view(saved);
  }

  async list(tenantId: string) {
    const rows = await this.db.tenant((em) => this.repo.targets(em, tenantId), tenantId);
    return rows.map((t) => this.view(t));
  }

  async get(tenantId: string, id: string) {
    const t = await this.db.tenant((em) => this.repo.target(em, tenantId, id), tenantId);
    if (!t) throw new NotFoundError('Target', id);
    return this.view(t);
  }

  /** The reporting year `year` (calendar, or fiscal from the organisation's start month) as inventory dates. */
  private async reportingYear(tenantId: string, year: number): Promise<{ from: string; to: string }> {
    const org = await this.db.tenant((em) => this.repo.org(em, tenantId), tenantId);
    const m = org?.fiscalYearStartMonth ?? 1;
    return { from: `${year}-${pad(m)}-01`, to: `${year + 1}-${pad(m)}-01` };
  }

  private covered(t: TargetEntity, inv: InventoryView): CarbonDecimal {
    let sum = new CarbonDecimal(0);
    if (t.scopes.includes(1)) sum = sum.plus(inv.scope1KgCo2e);
    if (t.scopes.includes(2))
      sum = sum.plus(t.scope2Method === 'location' ? inv.scope2LocationKgCo2e : inv.scope2MarketKgCo2e);
    if (t.scopes.includes(3)) sum = sum.plus(inv.scope3KgCo2e);
    return sum;
  }

  private denominator(t: TargetEntity, inv: InventoryView): CarbonDecimal | null {
    const d = inv.denominators;
    const v =
      t.intensityDenominator === 'floor_area_m2'
        ? d.floorAreaM2
        : t.intensityDenominator === 'employees'
          ? d.employees
          : d.revenue;
    return v && v > 0 ? toDecimal(v) : null;
  }

  async progress(tenantId: string, id: string, yearParam?: string) {
    const t = await this.db.tenant((em) => this.repo.target(em, tenantId, id), tenantId);
    if (!t) throw new NotFoundError('Target', id);
    const year = yearParam ? Number(yearParam) : new Date().getUTCFullYear() - 1;
    if (year < t.baseYear)
      throw new BadInputError(`year ${year} is before the base year ${t.baseYear}.`, [
        { field: 'year', message: 'before the base year' },
      ]);
    const period = await this.reportingYear(tenantId, year);
    const actualInv = await this.inventory.inventory(tenantId, period.from, period.to);
    const notes: string[] = [];
    let baseValue: CarbonDecimal;
    if (t.baseValue !== null) {
      baseValue = toDecimal(t.baseValue);
    } else {
      const basePeriod = await this.reportingYear(tenantId, t.baseYear);
      const baseInv = await this.inventory.inventory(tenantId, basePeriod.from, basePeriod.to);
      baseValue = this.covered(t, baseInv);
      if (t.kind === 'intensity') {
        const den = this.denominator(t, baseInv);
        if (!den)
          throw new UnprocessableError(
            `No ${t.intensityDenominator} is recorded, so the base-year intensity cannot be computed; give the target a baseValue.`,
          );
        baseValue = baseValue.div(den);
        notes.push(
          `base-year intensity uses today's ${t.intensityDenominator}; give baseValue when it has changed`,
        );
      }
      notes.push(
        `base value computed from the ${t.baseYear} inventory (${basePeriod.from}..${basePeriod.to})`,
      );
      if (baseValue.isZero())
        throw new UnprocessableError(
          `The ${t.baseYear} inventory covered by this target is empty; give the target a baseValue.`,
        );
    }
    const linear: LinearTarget = {
      baseYear: t.baseYear,
      baseValue,
      targetYear: t.targetYear,
      annualRate: t.annualRate,
    };
    const actual = this.covered(t, actualInv);
    let p;
    if (t.kind === 'intensity') {
      const den = this.denominator(t, actualInv);
      if (!den)
        throw new UnprocessableError(
          `No ${t.intensityDenominator} is recorded for the organisation: intensity progress cannot be computed.`,
        );
      p = intensityTargetProgress(linear, year, actual, den);
    } else {
      p = targetProgress(linear, year, actual);
    }
    const value = (x: CarbonDecimal) =>
      t.kind === 'absolute' ? roundKg(x) : x.toSignificantDigits(10).toNumber();
    return {
      target: this.view(t),
      year,
      period,
      unit: t.kind === 'absolute' ? 'kg CO2e' : `kg CO2e per ${t.intensityDenominator}`,
      baseValue: value(baseValue),
      actual: value(p.actual),
      expected: value(p.expected),
      targetValue: value(p.targetValue),
      gap: value(p.gap),
      onTrack: p.onTrack,
      reductionAchievedPct: p.reductionAchieved.times(100).toDecimalPlaces(3).toNumber(),
      reductionRequiredPct: p.reductionRequired.times(100).toDecimalPlaces(3).toNumber(),
      trajectory: targetTrajectory(linear).map((x) => ({ year: x.year, value: value(x.value) })),
      warnings: actualInv.warnings.filter((w) => w.code === 'NO_FACTOR' || w.code === 'UNIT_NOT_CONVERTIBLE'),
      notes,
    };
  }
}
