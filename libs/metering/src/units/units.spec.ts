import {
  DEFAULT_GAS_CALORIFIC_VALUE_KWH_PER_M3,
  findUnit,
  resolveConversion,
  UnitConversionError,
} from './units';

describe('units', () => {
  it('finds units by any spelling', () => {
    expect(findUnit('KWH')?.unit).toBe('kWh');
    expect(findUnit('m³')?.unit).toBe('m3');
    expect(findUnit('Therms')?.unit).toBe('therm');
    expect(findUnit('cubic feet')?.unit).toBe('ft3');
    expect(findUnit('furlong')).toBeUndefined();
  });

  it('converts energy units with one factor', () => {
    const f = (from: string, to = 'kWh'): number =>
      resolveConversion({ meterKind: 'electricity_import', meterUnit: to, fileUnit: from }).factor;
    expect(f('Wh')).toBeCloseTo(0.001, 12);
    expect(f('MWh')).toBe(1000);
    expect(f('GJ')).toBeCloseTo(277.7778, 4);
    expect(f('kWh', 'Wh')).toBe(1000);
    expect(
      resolveConversion({ meterKind: 'natural_gas', meterUnit: 'kWh', fileUnit: 'therm' }).factor,
    ).toBeCloseTo(29.3071, 4);
    expect(
      resolveConversion({ meterKind: 'district_heat', meterUnit: 'kWh', fileUnit: 'MMBtu' }).factor,
    ).toBeCloseTo(293.071, 3);
  });

  it('converts gas volume to energy with the stated calorific value (default from DESNZ 2024)', () => {
    expect(DEFAULT_GAS_CALORIFIC_VALUE_KWH_PER_M3).toBeCloseTo(11.183, 3);
    expect(
      resolveConversion({
        meterKind: 'natural_gas',
        meterUnit: 'kWh',
        fileUnit: 'm3',
        gasCalorificValueKwhPerM3: 10,
      }).factor,
    ).toBe(10);
    // 100 ft³ = 2.8316846592 m³
    expect(
      resolveConversion({ meterKind: 'natural_gas', meterUnit: 'm3', fileUnit: 'ccf' }).factor,
    ).toBeCloseTo(2.8316846592, 10);
    expect(
      resolveConversion({
        meterKind: 'natural_gas',
        meterUnit: 'kWh',
        fileUnit: 'ft3',
        gasCalorificValueKwhPerM3: 11,
      }).factor,
    ).toBeCloseTo(0.028316846592 * 11, 10);
    expect(
      resolveConversion({
        meterKind: 'natural_gas',
        meterUnit: 'm3',
        fileUnit: 'kWh',
        gasCalorificValueKwhPerM3: 11,
      }).factor,
    ).toBeCloseTo(1 / 11, 12);
  });

  it('turns mean power into energy for interval meters', () => {
    expect(
      resolveConversion({
        meterKind: 'electricity_import',
        meterUnit: 'kWh',
        fileUnit: 'kW',
        intervalMinutes: 15,
      }).factor,
    ).toBe(0.25);
    expect(() =>
      resolveConversion({
        meterKind: 'electricity_import',
        meterUnit: 'kWh',
        fileUnit: 'kW',
        intervalMinutes: null,
      }),
    ).toThrow(UnitConversionError);
  });

  it('refuses impossible conversions naming both units', () => {
    const err = (r: Parameters<typeof resolveConversion>[0]): UnitConversionError => {
      try {
        resolveConversion(r);
      } catch (e) {
        return e as UnitConversionError;
      }
      throw new Error('no error');
    };
    const e1 = err({ meterKind: 'electricity_import', meterUnit: 'kWh', fileUnit: 'm3' });
    expect(e1.message).toMatch(/m3.*kWh/);
    expect([e1.fromUnit, e1.toUnit]).toEqual(['m3', 'kWh']);
    expect(err({ meterKind: 'water', meterUnit: 'm3', fileUnit: 'kWh' }).message).toMatch(/kWh.*water.*m3/);
    expect(err({ meterKind: 'electricity_import', meterUnit: 'm3' }).message).toMatch(
      /cannot be declared in m3/,
    );
    expect(err({ meterKind: 'fuel_oil', meterUnit: 'kWh', fileUnit: 'L' }).message).toMatch(/L.*kWh/);
  });
});
