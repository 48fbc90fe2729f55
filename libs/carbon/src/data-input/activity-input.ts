import { BadInputError, UnprocessableError } from '@halve/platform';
import type { CreateActivityDto } from '../dto/carbon.dto';
import { ActivityEntity } from '../entities/carbon.entities';
import { toDecimal } from '../factors/decimal';
import { factorRef, type EmissionFactor, type FactorRef } from '../factors/emission-factor';
import { FactorNotFoundError, UnitConversionError } from '../factors/errors';
import { selectFactor } from '../factors/select-factor';
import { canConvertUnit, normaliseUnit } from '../factors/units';
import type { InventoryWarning } from '../inventory/inventory-view.types';
import type { ActivityDetail } from './entry-detail';

/**
 * The rules of recording an activity (pure): its period, unit and scope checked, its factor
 * selected (or its line flagged until one exists), the row to store. The service loads and saves.
 */

/** Whether the factors know a unit at all (a unit converts to itself only when known). */
export const knownUnit = (u: string) => canConvertUnit(u, u);

/** Checks what needs nothing loaded; the canonical unit. */
export function checkActivityInput(dto: CreateActivityDto): string {
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
  return unit;
}

/**
 * How an activity is priced: electricity (Scope 2, per kWh), a refrigerant with its own GWP
 * (Scope 1, per kg, no factor needed) or by the factor of its activity. Throws when the unit or a
 * stated scope contradicts the first two.
 */
export type ActivityPricing = { kind: 'electricity' | 'refrigerant_gwp' | 'factor' };

export function activityPricing(dto: CreateActivityDto, unit: string): ActivityPricing {
  const scope = dto.scope ?? null;
  if (dto.activity === 'electricity') {
    if (!canConvertUnit(unit, 'kWh'))
      throw new UnprocessableError(`Electricity is priced per kWh: '${dto.unit}' is not an energy unit.`, [
        { field: 'unit', message: 'not an energy unit' },
      ]);
    if (scope !== null && scope !== 2)
      throw new UnprocessableError(`Purchased electricity is Scope 2, not Scope ${scope}.`, [
        { field: 'scope', message: 'electricity is scope 2' },
      ]);
    return { kind: 'electricity' };
  }
  if (dto.activity === 'refrigerant' && dto.gwp !== undefined) {
    if (!canConvertUnit(unit, 'kg'))
      throw new UnprocessableError(
        `A refrigerant with a GWP is priced per kg released: '${dto.unit}' is not a mass.`,
        [{ field: 'unit', message: 'not a mass unit' }],
      );
    if (scope !== null && scope !== 1)
      throw new UnprocessableError(`Refrigerant leaks are Scope 1, not Scope ${scope}.`, [
        { field: 'scope', message: 'refrigerants are scope 1' },
      ]);
    return { kind: 'refrigerant_gwp' };
  }
  return { kind: 'factor' };
}

export interface ActivityClassification {
  scope: number | null;
  scope3Category: number | null;
  factor: FactorRef | null;
  /** The whole factor behind `factor` (null with it), for pricing the quantity. */
  selected: EmissionFactor | null;
  warnings: InventoryWarning[];
}

export interface ActivityContext {
  unit: string;
  region: string;
  year: number;
  /** The library's and the tenant's factors; not needed for a refrigerant with its GWP. */
  factors?: { library: EmissionFactor[]; tenantFactors: EmissionFactor[] };
}

const noFactor = (e: FactorNotFoundError): InventoryWarning => ({
  code: 'NO_FACTOR',
  message: `${e.message}: the activity is stored and its line flagged until a factor exists (add one under /emission-factors)`,
});

/** The activity's scope, category and factor (null, with a NO_FACTOR warning, while none exists). */
export function classifyActivity(
  dto: CreateActivityDto,
  pricing: ActivityPricing,
  ctx: ActivityContext,
): ActivityClassification {
  const scope3Category = dto.scope3Category ?? null;
  if (pricing.kind === 'refrigerant_gwp')
    return { scope: 1, scope3Category, factor: null, selected: null, warnings: [] };
  const { library, tenantFactors } = ctx.factors as NonNullable<ActivityContext['factors']>;
  const { unit, region, year } = ctx;
  if (pricing.kind === 'electricity') {
    const warnings: InventoryWarning[] = [];
    let selected: EmissionFactor | null = null;
    try {
      const sel = selectFactor(library, { activity: 'electricity_grid', region, year, unit, tenantFactors });
      selected = sel.factor;
      warnings.push(...sel.warnings);
    } catch (e) {
      if (!(e instanceof FactorNotFoundError)) throw e;
      warnings.push(noFactor(e));
    }
    return { scope: 2, scope3Category, factor: selected && factorRef(selected), selected, warnings };
  }
  return classifyByFactor(dto, ctx);
}

/**
 * Categories whose factors another category may take: DESNZ's business-travel factors (category 6, per
 * km or passenger.km by mode) are the distance-based factors the GHG Protocol's Scope 3 guidance uses
 * for employee commuting (category 7) too.
 */
const COMMUTING_FACTORS: Record<number, number[]> = { 6: [7] };

/** Scope and category by the activity's factor; a stated scope or category must agree with it. */
function classifyByFactor(dto: CreateActivityDto, ctx: ActivityContext): ActivityClassification {
  const { library, tenantFactors } = ctx.factors as NonNullable<ActivityContext['factors']>;
  const { unit, region, year } = ctx;
  const scope = dto.scope ?? null;
  const scope3Category = dto.scope3Category ?? null;
  try {
    const sel = selectFactor(library, {
      activity: dto.activity,
      variant: dto.variant,
      region,
      year,
      unit,
      basis: dto.basis,
      tenantFactors,
    });
    const f = sel.factor;
    if (scope !== null && scope !== f.scope) {
      throw new UnprocessableError(
        `${dto.activity} is Scope ${f.scope} by its factor ${f.id}, not Scope ${scope}.`,
        [{ field: 'scope', message: `scope ${f.scope} by its factor` }],
      );
    }
    if (
      scope3Category !== null &&
      f.scope3Category !== null &&
      scope3Category !== f.scope3Category &&
      !(COMMUTING_FACTORS[f.scope3Category] ?? []).includes(scope3Category)
    ) {
      throw new UnprocessableError(
        `${dto.activity} is Scope 3 category ${f.scope3Category} by its factor ${f.id}, not category ${scope3Category}.`,
        [{ field: 'scope3Category', message: `category ${f.scope3Category} by its factor` }],
      );
    }
    return {
      scope: f.scope,
      scope3Category: scope3Category ?? f.scope3Category,
      factor: factorRef(f),
      selected: f,
      warnings: [...sel.warnings],
    };
  } catch (e) {
    if (e instanceof UnitConversionError) {
      throw new UnprocessableError(
        `The factor cannot take this unit: ${e.message}.`,
        [{ field: 'unit', message: e.message }],
        { available: e.details.available },
      );
    }
    if (!(e instanceof FactorNotFoundError)) throw e;
    return { scope, scope3Category, factor: null, selected: null, warnings: [noFactor(e)] };
  }
}

/** The row to store: exact decimals as strings, the region only when the activity states its own. */
export function activityRow(
  tenantId: string,
  id: string,
  dto: CreateActivityDto,
  ctx: { unit: string; region: string; createdBy: string | null },
  c: ActivityClassification,
  detail: ActivityDetail | null = null,
): ActivityEntity {
  return Object.assign(new ActivityEntity(), {
    tenantId,
    id,
    activity: dto.activity,
    variant: dto.variant ?? '',
    scope: c.scope,
    scope3Category: c.scope3Category,
    quantity: toDecimal(dto.quantity).toFixed(),
    unit: ctx.unit,
    basis: dto.basis ?? null,
    gwp: dto.gwp === undefined ? null : toDecimal(dto.gwp).toFixed(),
    periodFrom: dto.periodFrom,
    periodTo: dto.periodTo,
    dataQuality: dto.dataQuality,
    siteId: dto.siteId ?? null,
    region: dto.region ? ctx.region : null,
    description: dto.description ?? null,
    createdBy: ctx.createdBy,
    detail,
  });
}
