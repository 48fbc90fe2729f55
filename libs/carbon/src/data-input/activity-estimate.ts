import type { CreateActivityDto, UpdateActivityDto } from '../dto/carbon.dto';
import type { ActivityEntity } from '../entities/carbon.entities';
import { roundKg, toDecimal } from '../factors/decimal';
import { convertQuantity } from '../factors/units';
import { price } from '../inventory/inventory-work';
import type { ActivityClassification } from './activity-input';

/**
 * What an activity produces, priced as the inventory prices its line (pure): the quantity in the
 * factor's unit times the factor (`price`, as activity-lines.ts does), or kg of refrigerant times
 * the GWP given with it. Null while no factor exists (the line is flagged, never a silent zero).
 * The whole activity is priced: the inventory of a period counts the days of it that fall inside.
 */
export function activityKgCo2e(
  dto: CreateActivityDto,
  unit: string,
  c: ActivityClassification,
): number | null {
  const q = toDecimal(dto.quantity);
  if (c.selected) {
    const line = { activity: dto.activity, quantity: q, unit, basis: dto.basis, periodStart: dto.periodFrom };
    return roundKg(price(q, unit, line, c.selected).kg);
  }
  if (dto.activity === 'refrigerant' && dto.gwp !== undefined)
    return roundKg(convertQuantity(q, unit, 'kg').times(toDecimal(dto.gwp)));
  return null;
}

/** A stored activity as the body that would create it. */
export function activityAsInput(a: ActivityEntity): CreateActivityDto {
  const dto: CreateActivityDto = {
    activity: a.activity,
    quantity: a.quantity,
    unit: a.unit,
    periodFrom: a.periodFrom,
    periodTo: a.periodTo,
    dataQuality: a.dataQuality,
  };
  if (a.variant) dto.variant = a.variant;
  if (a.scope !== null) dto.scope = a.scope as 1 | 2 | 3;
  if (a.scope3Category !== null) dto.scope3Category = a.scope3Category;
  if (a.basis) dto.basis = a.basis;
  if (a.gwp !== null) dto.gwp = a.gwp;
  if (a.siteId) dto.siteId = a.siteId;
  if (a.region) dto.region = a.region;
  if (a.description !== null) dto.description = a.description;
  const { flight, fuelSpend } = a.detail ?? {};
  if (flight) {
    const route = flight.from && flight.to ? { from: flight.from, to: flight.to } : null;
    dto.flight = {
      ...(route ?? { distanceKm: flight.greatCircleKm, haul: flight.haul }),
      cabinClass: flight.cabinClass,
      returnTrip: flight.returnTrip,
      passengers: flight.passengers,
      radiativeForcing: flight.radiativeForcing,
    };
  }
  if (fuelSpend) {
    dto.fuelSpend = { amount: fuelSpend.amount, currency: fuelSpend.currency };
    if (fuelSpend.priceEntered)
      Object.assign(dto.fuelSpend, {
        pricePerLitre: fuelSpend.pricePerLitre,
        priceSource: fuelSpend.priceSource,
      });
  }
  return dto;
}

const CLEARABLE = [
  'variant',
  'basis',
  'gwp',
  'siteId',
  'region',
  'description',
  'scope',
  'scope3Category',
  'flight',
  'fuelSpend',
] as const;

/**
 * The activity after an edit: the fields given replace the stored ones, null clears an optional one.
 * The stored scope and category were derived from the old factor: they are kept only while the
 * activity and variant stay, so a changed activity takes the scope of its new factor. A flight or a
 * fuel bought by money is worked out again from what it was entered as, unless the edit states the
 * quantity, unit or kind directly.
 */
export function mergeActivityEdit(a: ActivityEntity, patch: UpdateActivityDto): CreateActivityDto {
  const before = activityAsInput(a);
  const newActivity = (patch.activity ?? a.activity) !== a.activity;
  const newVariant = patch.variant !== undefined && (patch.variant ?? '') !== a.variant;
  if (newActivity || newVariant) {
    delete before.scope;
    delete before.scope3Category;
  }
  // a quantity, unit or kind stated directly replaces what the entry was worked out from
  const restated = ['quantity', 'unit', 'activity', 'variant'].some(
    (k) => patch[k as keyof UpdateActivityDto] !== undefined,
  );
  if (restated && patch.flight === undefined) delete before.flight;
  if (restated && patch.fuelSpend === undefined) delete before.fuelSpend;
  const merged: Record<string, unknown> = { ...before };
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) merged[k] = v;
  for (const k of CLEARABLE) if (merged[k] === null) delete merged[k];
  return merged as unknown as CreateActivityDto;
}
