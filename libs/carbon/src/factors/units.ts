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

const d = (v: string) => new CarbonDecimal(v);
const BTU_J = d('1055.05585262'); // International Table Btu
const SHORT_TON_KG = d('907.18474');
const MILE_KM = d('1.609344');

const UNITS: Record<string, UnitDef> = {
  J: { dimension: 'energy', toBase: d('1') },
  kJ: { dimension: 'energy', toBase: d('1e3') },
  MJ: { dimension: 'energy', toBase: d('1e6') },
  GJ: { dimension: 'energy', toBase: d('1e9') },
  TJ: { dimension: 'energy', toBase: d('1e12') },
  Wh: { dimension: 'energy', toBase: d('3600') },
  kWh: { dimension: 'energy', toBase: d('3.6e6') },
  MWh: { dimension: 'energy', toBase: d('3.6e9') },
  GWh: { dimension: 'energy', toBase: d('3.6e12') },
  Btu: { dimension: 'energy', toBase: BTU_J },
  therm: { dimension: 'energy', toBase: BTU_J.times('1e5') },
  mmBtu: { dimension: 'energy', toBase: BTU_J.times('1e6') },
  m3: { dimension: 'volume', toBase: d('1') },
  litre: { dimension: 'volume', toBase: d('0.001') },
  million_litres: { dimension: 'volume', toBase: d('1000') },
  gallon_us: { dimension: 'volume', toBase: d('0.003785411784') },
  gallon_uk: { dimension: 'volume', toBase: d('0.00454609') },
  scf: { dimension: 'volume', toBase: d('0.3048').pow(3) },
  ccf: { dimension: 'volume', toBase: d('0.3048').pow(3).times(100) },
  mcf: { dimension: 'volume', toBase: d('0.3048').pow(3).times(1000) },
  g: { dimension: 'mass', toBase: d('0.001') },
  kg: { dimension: 'mass', toBase: d('1') },
  tonne: { dimension: 'mass', toBase: d('1000') },
  lb: { dimension: 'mass', toBase: d('0.45359237') },
  short_ton: { dimension: 'mass', toBase: SHORT_TON_KG },
  km: { dimension: 'distance', toBase: d('1') },
  mile: { dimension: 'distance', toBase: MILE_KM },
  'passenger.km': { dimension: 'passenger_distance', toBase: d('1') },
  'passenger.mile': { dimension: 'passenger_distance', toBase: MILE_KM },
  'tonne.km': { dimension: 'freight_distance', toBase: d('1') },
  'short_ton.mile': { dimension: 'freight_distance', toBase: SHORT_TON_KG.div(1000).times(MILE_KM) },
  'room.night': { dimension: 'room_night', toBase: d('1') },
  'fte.hour': { dimension: 'fte_hour', toBase: d('1') },
};

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
