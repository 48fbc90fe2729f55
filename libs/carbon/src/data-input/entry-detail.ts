import { BadInputError, UnprocessableError } from '@halve/platform';
import type { CreateActivityDto } from '../dto/carbon.dto';
import type { Airport } from './airports';
import { flightDetail, type FlightDetail } from './flight';
import { fuelSpendDetail, type FuelSpendDetail } from './fuel-spend';

/** What an activity was entered as, kept with it: a flight's route, a fuel's money and price. */
export interface ActivityDetail {
  flight?: FlightDetail;
  fuelSpend?: FuelSpendDetail;
}

/**
 * The activity as priced and stored (pure): a flight becomes business_travel_air in passenger.km of its
 * haul and class; a fuel bought by money becomes litres. Otherwise the quantity and unit are required.
 */
export function deriveEntry(
  dto: CreateActivityDto,
  table: () => Map<string, Airport>,
): { dto: CreateActivityDto; detail: ActivityDetail | null } {
  if (dto.flight && dto.fuelSpend)
    throw new BadInputError('An entry is a flight or a fuel bought by money, not both.', [
      { field: 'fuelSpend', message: 'not with flight' },
    ]);
  if (dto.flight) {
    if (dto.activity !== 'business_travel_air')
      throw new UnprocessableError(`A flight is activity business_travel_air, not '${dto.activity}'.`, [
        { field: 'activity', message: 'must be business_travel_air with flight' },
      ]);
    const flight = flightDetail(dto.flight, table());
    const derived = { ...dto, variant: flight.variant, quantity: flight.passengerKm, unit: 'passenger.km' };
    return { dto: derived, detail: { flight } };
  }
  if (dto.fuelSpend) {
    const fuelSpend = fuelSpendDetail(dto.activity, dto.fuelSpend);
    return { dto: { ...dto, quantity: fuelSpend.litres, unit: 'litre' }, detail: { fuelSpend } };
  }
  if (dto.quantity === undefined || dto.quantity === null)
    throw new BadInputError('quantity is required (or a flight, or a fuel bought by money).', [
      { field: 'quantity', message: 'required' },
    ]);
  if (!dto.unit) throw new BadInputError('unit is required.', [{ field: 'unit', message: 'required' }]);
  return { dto, detail: null };
}
