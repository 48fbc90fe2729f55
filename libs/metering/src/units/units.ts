/**
 * Unit conversion of meter data, on the units of the one unit table (unit-table.ts). Every
 * conversion is a single multiplicative factor, so a whole file converts with one number chosen
 * before its first row.
 *
 * Dimensions: energy (base kWh), volume (base m³), power (base kW). Volume → energy is
 * allowed only for natural gas, through a stated calorific value; power → energy only
 * for interval meters (mean power × interval length).
 */

import { unitRow } from './unit-table';

export type UnitDimension = 'energy' | 'volume' | 'power';

export type MeterKind =
  | 'electricity_import'
  | 'electricity_export'
  | 'pv_generation'
  | 'wind_generation'
  | 'natural_gas'
  | 'fuel_oil'
  | 'district_heat'
  | 'water';

export interface UnitDefinition {
  /** canonical spelling */
  unit: string;
  dimension: UnitDimension;
  /** multiply a value in this unit by this to get the dimension's base unit (kWh, m³, kW) */
  toBase: number;
  aliases: readonly string[];
}

/** Metering's spellings of the table's units (unit-table.ts), in lookup order, with the aliases a file may use. */
const METERING_UNITS: readonly (readonly [unit: string, aliases: readonly string[]])[] = [
  ['Wh', ['wh', 'watt-hour', 'watt hours']],
  ['kWh', ['kwh', 'kw.h', 'kw h', 'kilowatt-hour', 'kilowatt hours']],
  ['MWh', ['mwh', 'megawatt-hour']],
  ['GWh', ['gwh']],
  ['kJ', ['kj']],
  ['MJ', ['mj']],
  ['GJ', ['gj']],
  ['Btu', ['btu']],
  ['kBtu', ['kbtu', 'mbtu_thousand']],
  ['MMBtu', ['mmbtu']],
  ['therm', ['therm', 'therms', 'thm']],
  ['Dth', ['dth', 'dekatherm', 'dekatherms']],
  ['m3', ['m3', 'm³', 'm^3', 'cubic metre', 'cubic metres', 'cubic meter', 'cubic meters', 'cbm']],
  ['L', ['l', 'litre', 'litres', 'liter', 'liters', 'ltr']],
  ['ft3', ['ft3', 'ft³', 'ft^3', 'cf', 'cubic feet', 'cubic foot', 'scf']],
  ['ccf', ['ccf', 'hcf']],
  ['Mcf', ['mcf']],
  ['gal', ['gal', 'gallon', 'gallons', 'us gal', 'usgal']],
  ['imp_gal', ['imp gal', 'imp_gal', 'imperial gallon', 'imperial gallons']],
  ['W', ['w', 'watt', 'watts']],
  ['kW', ['kw', 'kilowatt', 'kilowatts']],
  ['MW', ['mw', 'megawatt']],
];

/** Metering's base unit of each of its dimensions (the table's bases are J, m³ and W). */
const METERING_BASE: Readonly<Record<UnitDimension, string>> = { energy: 'kWh', volume: 'm3', power: 'kW' };

/** The float factors derive from the exact table: toBase(unit) ÷ toBase(metering base), each a Number of its decimal. */
export const UNIT_TABLE: readonly UnitDefinition[] = METERING_UNITS.map(([unit, aliases]) => {
  const row = unitRow(unit);
  const dimension = row.dimension as UnitDimension;
  return {
    unit,
    dimension,
    toBase: Number(row.toBase) / Number(unitRow(METERING_BASE[dimension]).toBase),
    aliases,
  };
});

/**
 * Default gross calorific value of natural gas, kWh per m³: the ratio of the UK DESNZ 2024
 * GHG conversion factors for natural gas, 2.04542 kg CO2e per m³ ÷ 0.18290 kg CO2e per kWh
 * (gross CV) = 11.18 kWh/m³ (≈ 40.3 MJ/m³). Pass the supplier's stated value when known.
 */
export const DEFAULT_GAS_CALORIFIC_VALUE_KWH_PER_M3 = 2.04542 / 0.1829;

const byAlias = new Map<string, UnitDefinition>();
for (const def of UNIT_TABLE) {
  byAlias.set(def.unit.toLowerCase(), def);
  for (const alias of def.aliases) byAlias.set(alias, def);
}

/** Look a unit up by any spelling ('KWH', 'm³', 'Therms', 'cubic feet'); undefined if unknown. */
export function findUnit(name: string): UnitDefinition | undefined {
  const key = name.trim().toLowerCase().replace(/\s+/g, ' ');
  return byAlias.get(key);
}

/** Units a meter of this kind may be declared in (its canonical unit must be one of these dimensions). */
export const METER_KIND_DIMENSIONS: Readonly<Record<MeterKind, readonly UnitDimension[]>> = {
  electricity_import: ['energy'],
  electricity_export: ['energy'],
  pv_generation: ['energy'],
  wind_generation: ['energy'],
  district_heat: ['energy'],
  natural_gas: ['energy', 'volume'],
  fuel_oil: ['volume', 'energy'],
  water: ['volume'],
};

export class UnitConversionError extends Error {
  constructor(
    message: string,
    readonly fromUnit: string,
    readonly toUnit: string,
  ) {
    super(message);
    this.name = 'UnitConversionError';
  }
}

export interface ConversionRequest {
  meterKind: MeterKind;
  /** the meter's declared (canonical) unit */
  meterUnit: string;
  /** the unit of the values being imported; defaults to meterUnit */
  fileUnit?: string;
  /** needed to turn power (kW) into energy; null for bill-period meters */
  intervalMinutes?: number | null;
  gasCalorificValueKwhPerM3?: number;
}

export interface Conversion {
  /** value in meterUnit = value in fileUnit × factor */
  factor: number;
  fromUnit: string;
  toUnit: string;
  /** human-readable explanation, e.g. 'm3 → kWh at 11.18 kWh/m³ (gross CV)' */
  description: string;
}

/**
 * The factor that turns values in `fileUnit` into the meter's unit, or a
 * UnitConversionError naming both units when the conversion is impossible
 * (m³ into an electricity meter, kWh into a water meter, litres of oil into kWh...).
 */
export function resolveConversion(request: ConversionRequest): Conversion {
  const { meterKind, meterUnit } = request;
  const fileUnitName = request.fileUnit ?? meterUnit;
  const to = findUnit(meterUnit);
  const from = findUnit(fileUnitName);
  if (!to) throw new UnitConversionError(`unknown meter unit "${meterUnit}"`, fileUnitName, meterUnit);
  if (!from)
    throw new UnitConversionError(
      `unknown unit "${fileUnitName}" (meter unit ${to.unit})`,
      fileUnitName,
      meterUnit,
    );
  const allowed = METER_KIND_DIMENSIONS[meterKind];
  if (!allowed) throw new UnitConversionError(`unknown meter kind "${meterKind}"`, from.unit, to.unit);
  if (!allowed.includes(to.dimension)) {
    throw new UnitConversionError(
      `a ${meterKind} meter cannot be declared in ${to.unit} (${to.dimension}); use a unit of ${allowed.join(' or ')}`,
      from.unit,
      to.unit,
    );
  }
  const wrong = (why: string): UnitConversionError =>
    new UnitConversionError(
      `the file is in ${from.unit} but the ${meterKind} meter is in ${to.unit}: ${why}`,
      from.unit,
      to.unit,
    );

  if (from.dimension === to.dimension) {
    return {
      factor: from.toBase / to.toBase,
      fromUnit: from.unit,
      toUnit: to.unit,
      description: `${from.unit} → ${to.unit}`,
    };
  }
  if (from.dimension === 'power' && to.dimension === 'energy') {
    const minutes = request.intervalMinutes;
    if (minutes == null) throw wrong('power readings need an interval meter to become energy');
    return {
      factor: (from.toBase * (minutes / 60)) / to.toBase,
      fromUnit: from.unit,
      toUnit: to.unit,
      description: `${from.unit} mean power × ${minutes} min → ${to.unit}`,
    };
  }
  if (
    meterKind === 'natural_gas' &&
    (from.dimension === 'volume' || from.dimension === 'energy') &&
    from.dimension !== to.dimension
  ) {
    const cv = request.gasCalorificValueKwhPerM3 ?? DEFAULT_GAS_CALORIFIC_VALUE_KWH_PER_M3;
    if (!(cv > 0)) throw wrong(`calorific value ${cv} kWh/m³ is not positive`);
    const factor =
      from.dimension === 'volume' ? (from.toBase * cv) / to.toBase : from.toBase / cv / to.toBase;
    return {
      factor,
      fromUnit: from.unit,
      toUnit: to.unit,
      description: `${from.unit} → ${to.unit} at ${cv.toFixed(3)} kWh/m³ (gross calorific value)`,
    };
  }
  throw wrong(`${from.dimension} cannot be converted to ${to.dimension} for this meter`);
}
