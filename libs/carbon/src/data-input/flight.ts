import { BadInputError } from '@halve/platform';
import { CarbonDecimal, toDecimal, type DecimalLike } from '../factors/decimal';
import type { Airport } from './airports';

/**
 * A flight as DESNZ prices it (UK Government GHG Conversion Factors for Company Reporting 2024,
 * methodology paper, business travel – air): the great-circle distance between the airports, plus
 * 8 % for indirect routes and stacking, per passenger and leg, at the factor of its haul and class
 * (passenger.km, with radiative forcing by default as DESNZ recommends). Pure.
 *
 * Haul, as DESNZ's factor categories define it: domestic (both airports in the UK), short haul (to or
 * from the UK, up to 3,700 km), long haul (to or from the UK, over 3,700 km), international (between
 * two countries other than the UK). The band is judged on the great-circle distance, before the uplift.
 */
export const EARTH_RADIUS_KM = 6371;
export const DESNZ_UPLIFT = '1.08';
export const SHORT_HAUL_MAX_KM = 3700;

export const CABIN_CLASSES = ['economy', 'premium_economy', 'business', 'first', 'average'] as const;
export type CabinClass = (typeof CABIN_CLASSES)[number];
export const HAULS = ['domestic', 'short_haul', 'long_haul', 'international'] as const;
export type Haul = (typeof HAULS)[number];

/** The classes DESNZ 2024 has a factor for, by haul (the others take the average passenger). */
const CLASSES_BY_HAUL: Record<Haul, CabinClass[]> = {
  domestic: ['average'],
  short_haul: ['average', 'economy', 'business'],
  long_haul: ['average', 'economy', 'premium_economy', 'business', 'first'],
  international: ['average', 'economy', 'premium_economy', 'business', 'first'],
};

/** Great-circle distance in km by the haversine formula on a sphere of radius 6371 km. */
export function greatCircleKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(h));
}

export function haulOf(greatCircle: number, fromCountry?: string, toCountry?: string): Haul {
  const uk = (c?: string) => c === 'GB';
  if (fromCountry && toCountry) {
    if (uk(fromCountry) && uk(toCountry)) return 'domestic';
    if (!uk(fromCountry) && !uk(toCountry)) return 'international';
  }
  return greatCircle <= SHORT_HAUL_MAX_KM ? 'short_haul' : 'long_haul';
}

export interface FlightInput {
  /** IATA codes of the shipped airports, or a great-circle distance (one way) instead. */
  from?: string;
  to?: string;
  distanceKm?: DecimalLike;
  /** Only with distanceKm (airports decide it otherwise); default short or long haul by distance. */
  haul?: Haul;
  cabinClass: CabinClass;
  returnTrip: boolean;
  passengers: number;
  /** With radiative forcing (DESNZ's recommendation, default) or without. */
  radiativeForcing?: boolean;
}

export interface FlightDetail {
  from: string | null;
  to: string | null;
  greatCircleKm: string;
  upliftedKm: string;
  uplift: string;
  haul: Haul;
  cabinClass: CabinClass;
  /** The class whose factor is used (average passenger when DESNZ has none for the class and haul). */
  factorClass: CabinClass;
  returnTrip: boolean;
  passengers: number;
  radiativeForcing: boolean;
  passengerKm: string;
  variant: string;
  note: string | null;
}

const variantClass = (c: CabinClass) => (c === 'average' ? 'average_passenger' : `${c}_class`);

function airportOf(code: string | undefined, field: string, table: Map<string, Airport>): Airport {
  const a = table.get((code ?? '').trim().toUpperCase());
  if (!a)
    throw new BadInputError(`Unknown airport '${code ?? ''}': pick one of the list, or enter the distance.`, [
      { field, message: `unknown airport '${code ?? ''}'` },
    ]);
  return a;
}

/** The great-circle km (3 decimals) and the haul, from the airports or the distance given. */
function route(f: FlightInput, table: Map<string, Airport>) {
  if (f.from !== undefined || f.to !== undefined) {
    if (f.distanceKm !== undefined)
      throw new BadInputError('Give the airports or the distance, not both.', [
        { field: 'flight.distanceKm', message: 'not with airports' },
      ]);
    const a = airportOf(f.from, 'flight.from', table);
    const b = airportOf(f.to, 'flight.to', table);
    if (a.iata === b.iata)
      throw new BadInputError('The flight starts and ends at the same airport.', [
        { field: 'flight.to', message: 'same as from' },
      ]);
    const km = new CarbonDecimal(greatCircleKm(a, b).toFixed(3));
    return { from: a.iata, to: b.iata, km, haul: haulOf(km.toNumber(), a.country, b.country) };
  }
  if (f.distanceKm === undefined)
    throw new BadInputError('Give the airports (from and to) or the distance one way.', [
      { field: 'flight.distanceKm', message: 'airports or distance required' },
    ]);
  const km = toDecimal(f.distanceKm).toDecimalPlaces(3);
  if (km.lte(0))
    throw new BadInputError('The distance must be more than 0 km.', [
      { field: 'flight.distanceKm', message: 'must be > 0' },
    ]);
  return { from: null, to: null, km, haul: f.haul ?? haulOf(km.toNumber()) };
}

/** The flight's passenger.km and the variant of its DESNZ factor. */
export function flightDetail(f: FlightInput, table: Map<string, Airport>): FlightDetail {
  const { from, to, km, haul } = route(f, table);
  const factorClass = CLASSES_BY_HAUL[haul].includes(f.cabinClass) ? f.cabinClass : 'average';
  const rf = f.radiativeForcing ?? true;
  const uplifted = km.times(DESNZ_UPLIFT);
  const passengerKm = uplifted.times(f.returnTrip ? 2 : 1).times(f.passengers);
  const note =
    factorClass === f.cabinClass
      ? null
      : `DESNZ 2024 has no ${f.cabinClass.replace('_', ' ')} factor for ${haul.replace('_', '-')} flights: the average passenger factor is used.`;
  return {
    from,
    to,
    greatCircleKm: km.toFixed(),
    upliftedKm: uplifted.toFixed(),
    uplift: DESNZ_UPLIFT,
    haul,
    cabinClass: f.cabinClass,
    factorClass,
    returnTrip: f.returnTrip,
    passengers: f.passengers,
    radiativeForcing: rf,
    passengerKm: passengerKm.toFixed(),
    variant: `${haul}.${variantClass(factorClass)}.${rf ? 'with_rf' : 'without_rf'}`,
    note,
  };
}
