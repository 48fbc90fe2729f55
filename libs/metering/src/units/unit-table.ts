/**
 * The one unit table of Halve (issue 17): every physical unit a lib converts, its dimension and the
 * size of one unit in the dimension's base unit. Metering's float table (units.ts, factors per kWh,
 * m³ and kW) and carbon's exact table (factors/units.ts, CarbonDecimal per J, m³, kg, km...) both
 * derive from it; neither states a factor of its own.
 *
 * Why it lives in metering: carbon depends on metering, never the reverse, so only here can both
 * read it. Why exact decimal strings: carbon prices emissions with exact decimals (what certifiers
 * sign), metering converts readings with floats; a string gives carbon its Decimal unchanged and
 * metering a correctly rounded Number. Why these bases: every factor is then a finite decimal
 * (1 kJ is 1/3600 kWh, which no decimal writes exactly; it is 1000 J). Metering's factor per kWh is
 * Number(toBase) / Number(kWh's toBase).
 *
 * The spellings a user may type (aliases) are each consumer's vocabulary, kept beside its lookup:
 * the two libs accept different spellings and name some units differently (carbon's 'litre' is 'L'
 * here), and those answers are part of their APIs.
 */

export type BaseDimension =
  | 'energy'
  | 'volume'
  | 'power'
  | 'mass'
  | 'distance'
  | 'passenger_distance'
  | 'freight_distance'
  | 'room_night'
  | 'fte_hour';

export interface UnitRow {
  /** the table's name of the unit (consumers map their own spellings onto it) */
  unit: string;
  dimension: BaseDimension;
  /** one unit in the dimension's base unit (BASE_UNITS), as an exact decimal */
  toBase: string;
}

/** The base unit of each dimension: a row of the table whose toBase is '1'. */
export const BASE_UNITS: Readonly<Record<BaseDimension, string>> = {
  energy: 'J',
  volume: 'm3',
  power: 'W',
  mass: 'kg',
  distance: 'km',
  passenger_distance: 'passenger.km',
  freight_distance: 'tonne.km',
  room_night: 'room.night',
  fte_hour: 'fte.hour',
};

// International Table Btu = 1055.05585262 J; 1 ft = 0.3048 m; 1 mile = 1.609344 km;
// 1 lb = 0.45359237 kg and 1 short ton = 2000 lb; US gallon 3.785411784 L; imperial gallon 4.54609 L.
export const UNIT_ROWS: readonly UnitRow[] = [
  { unit: 'J', dimension: 'energy', toBase: '1' },
  { unit: 'kJ', dimension: 'energy', toBase: '1000' },
  { unit: 'MJ', dimension: 'energy', toBase: '1000000' },
  { unit: 'GJ', dimension: 'energy', toBase: '1000000000' },
  { unit: 'TJ', dimension: 'energy', toBase: '1000000000000' },
  { unit: 'Wh', dimension: 'energy', toBase: '3600' },
  { unit: 'kWh', dimension: 'energy', toBase: '3600000' },
  { unit: 'MWh', dimension: 'energy', toBase: '3600000000' },
  { unit: 'GWh', dimension: 'energy', toBase: '3600000000000' },
  { unit: 'Btu', dimension: 'energy', toBase: '1055.05585262' },
  { unit: 'kBtu', dimension: 'energy', toBase: '1055055.85262' },
  // US therm = 100 000 Btu; dekatherm = 10 therms = 1 MMBtu
  { unit: 'therm', dimension: 'energy', toBase: '105505585.262' },
  { unit: 'MMBtu', dimension: 'energy', toBase: '1055055852.62' },
  { unit: 'Dth', dimension: 'energy', toBase: '1055055852.62' },
  { unit: 'm3', dimension: 'volume', toBase: '1' },
  { unit: 'L', dimension: 'volume', toBase: '0.001' },
  { unit: 'million_litres', dimension: 'volume', toBase: '1000' },
  { unit: 'gal', dimension: 'volume', toBase: '0.003785411784' },
  { unit: 'imp_gal', dimension: 'volume', toBase: '0.00454609' },
  // 0.3048³, 100 and 1000 cubic feet
  { unit: 'ft3', dimension: 'volume', toBase: '0.028316846592' },
  { unit: 'ccf', dimension: 'volume', toBase: '2.8316846592' },
  { unit: 'Mcf', dimension: 'volume', toBase: '28.316846592' },
  { unit: 'W', dimension: 'power', toBase: '1' },
  { unit: 'kW', dimension: 'power', toBase: '1000' },
  { unit: 'MW', dimension: 'power', toBase: '1000000' },
  { unit: 'g', dimension: 'mass', toBase: '0.001' },
  { unit: 'kg', dimension: 'mass', toBase: '1' },
  { unit: 'tonne', dimension: 'mass', toBase: '1000' },
  { unit: 'lb', dimension: 'mass', toBase: '0.45359237' },
  { unit: 'short_ton', dimension: 'mass', toBase: '907.18474' },
  { unit: 'km', dimension: 'distance', toBase: '1' },
  { unit: 'mile', dimension: 'distance', toBase: '1.609344' },
  { unit: 'passenger.km', dimension: 'passenger_distance', toBase: '1' },
  { unit: 'passenger.mile', dimension: 'passenger_distance', toBase: '1.609344' },
  { unit: 'tonne.km', dimension: 'freight_distance', toBase: '1' },
  // 0.90718474 tonne × 1.609344 km
  { unit: 'short_ton.mile', dimension: 'freight_distance', toBase: '1.45997231821056' },
  { unit: 'room.night', dimension: 'room_night', toBase: '1' },
  { unit: 'fte.hour', dimension: 'fte_hour', toBase: '1' },
];

const rowByUnit = new Map(UNIT_ROWS.map((r) => [r.unit, r]));

/** The table's row of a unit named exactly as in the table; throws for a name the table lacks (a programming error). */
export function unitRow(unit: string): UnitRow {
  const row = rowByUnit.get(unit);
  if (!row) throw new Error(`unit '${unit}' is not in the unit table`);
  return row;
}
