import { unitRow } from '@halve/metering';
import { CarbonDecimal, toDecimal, type DecimalLike } from './decimal';
import { UnitConversionError } from './errors';

/** Calorific-value basis of an energy quantity of fuel: gross (HHV) or net (LHV). */
export type CalorificBasis = 'gross' | 'net';

type Dimension =
  'energy' | 'volume' | 'mass' | 'distance' | 'passenger_distance' | 'freight_distance' | string;

interface UnitDef {
  dimension: Dimension;
  /** Size of one unit in the dimension's base unit (J, m3, kg, km, passenger.km, tonne.km). */
  toBase: CarbonDecimal;
}

/**
 * Carbon's spellings of the units of the one unit table (@halve/metering's UNIT_ROWS), each with the
 * table's name where it differs: the sizes and dimensions are the table's, as exact decimals.
 */
const CARBON_UNITS: Record<string, string> = {
  J: 'J',
  kJ: 'kJ',
  MJ: 'MJ',
  GJ: 'GJ',
  TJ: 'TJ',
  Wh: 'Wh',
  kWh: 'kWh',
  MWh: 'MWh',
  GWh: 'GWh',
  Btu: 'Btu',
  therm: 'therm',
  mmBtu: 'MMBtu',
  m3: 'm3',
  litre: 'L',
  million_litres: 'million_litres',
  gallon_us: 'gal',
  gallon_uk: 'imp_gal',
  scf: 'ft3',
  ccf: 'ccf',
  mcf: 'Mcf',
  g: 'g',
  kg: 'kg',
  tonne: 'tonne',
  lb: 'lb',
  short_ton: 'short_ton',
  km: 'km',
  mile: 'mile',
  'passenger.km': 'passenger.km',
  'passenger.mile': 'passenger.mile',
  'tonne.km': 'tonne.km',
  'short_ton.mile': 'short_ton.mile',
  'room.night': 'room.night',
  'fte.hour': 'fte.hour',
};

const UNITS: Record<string, UnitDef> = Object.fromEntries(
  Object.entries(CARBON_UNITS).map(([unit, tableUnit]) => {
    const row = unitRow(tableUnit);
    return [unit, { dimension: row.dimension, toBase: new CarbonDecimal(row.toBase) }];
  }),
);

const ALIASES: Record<string, string> = {
  kwh: 'kWh',
  mwh: 'MWh',
  gwh: 'GWh',
  wh: 'Wh',
  gj: 'GJ',
  mj: 'MJ',
  tj: 'TJ',
  kj: 'kJ',
  mmbtu: 'mmBtu',
  btu: 'Btu',
  therms: 'therm',
  l: 'litre',
  litres: 'litre',
  liter: 'litre',
  liters: 'litre',
  'm³': 'm3',
  'cubic metres': 'm3',
  'cubic meters': 'm3',
  'million litres': 'million_litres',
  gallon: 'gallon_us',
  gallons: 'gallon_us',
  gal: 'gallon_us',
  'us gallon': 'gallon_us',
  'uk gallon': 'gallon_uk',
  t: 'tonne',
  tonnes: 'tonne',
  'metric ton': 'tonne',
  kgs: 'kg',
  lbs: 'lb',
  'short ton': 'short_ton',
  miles: 'mile',
  mi: 'mile',
  'vehicle.km': 'km',
  'vehicle-mile': 'mile',
  'vehicle.mile': 'mile',
  pkm: 'passenger.km',
  'passenger-km': 'passenger.km',
  'passenger-mile': 'passenger.mile',
  tkm: 'tonne.km',
  'tonne-km': 'tonne.km',
  'short ton-mile': 'short_ton.mile',
  'room per night': 'room.night',
  'room-night': 'room.night',
};

/** Canonical spelling of a unit (kWh, litre, m3, tonne, passenger.km, GBP...). Currencies pass through upper-cased. */
export function normaliseUnit(unit: string): string {
  const raw = unit.trim();
  if (UNITS[raw]) return raw;
  const alias = ALIASES[raw.toLowerCase()];
  if (alias) return alias;
  if (/^[A-Za-z]{3}$/.test(raw)) return raw.toUpperCase(); // ISO 4217 currency (GBP, USD, EUR...)
  return raw;
}

function defOf(unit: string): UnitDef | undefined {
  const u = normaliseUnit(unit);
  if (UNITS[u]) return UNITS[u];
  if (/^[A-Z]{3}$/.test(u)) return { dimension: `currency:${u}`, toBase: new CarbonDecimal(1) };
  return undefined;
}

/** Whether a quantity in `from` can be expressed in `to` (same dimension; currencies only to themselves). */
export function canConvertUnit(from: string, to: string): boolean {
  const a = defOf(from);
  const b = defOf(to);
  return !!a && !!b && a.dimension === b.dimension;
}

/** Calorific basis only matters for energy units of fuels; a mismatch cannot be converted without a fuel-specific ratio. */
export function basisCompatible(
  activityBasis: CalorificBasis | undefined,
  factorBasis: CalorificBasis | '' | undefined,
): boolean {
  return !activityBasis || !factorBasis || activityBasis === factorBasis;
}

/**
 * Converts an activity quantity into the factor's unit, exactly (40 significant digits).
 * Throws UnitConversionError for a dimension mismatch (e.g. litres → kWh needs a calorific value)
 * or an energy-basis mismatch (gross vs net CV).
 */
export function convertQuantity(
  quantity: DecimalLike,
  from: string,
  to: string,
  basis?: { from?: CalorificBasis; to?: CalorificBasis | '' },
): CarbonDecimal {
  const a = defOf(from);
  const b = defOf(to);
  if (!a) throw new UnitConversionError(`unknown unit '${from}'`, { from, to });
  if (!b) throw new UnitConversionError(`unknown unit '${to}'`, { from, to });
  if (a.dimension !== b.dimension) {
    throw new UnitConversionError(
      `cannot convert ${from} (${a.dimension}) to ${to} (${b.dimension}): a factor per ${to} cannot take an activity in ${from}`,
      { from, to },
    );
  }
  if (!basisCompatible(basis?.from, basis?.to)) {
    throw new UnitConversionError(
      `cannot convert ${basis?.from} CV ${from} to ${basis?.to} CV ${to} without a fuel-specific gross/net ratio`,
      { from, to, basis },
    );
  }
  const q = toDecimal(quantity);
  return a.toBase.eq(b.toBase) ? q : q.times(a.toBase).div(b.toBase);
}
