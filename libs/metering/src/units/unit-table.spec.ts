import { BASE_UNITS, UNIT_ROWS, unitRow } from './unit-table';
import { UNIT_TABLE } from './units';

describe('the one unit table', () => {
  it('names each unit once, with a finite positive decimal size', () => {
    expect(new Set(UNIT_ROWS.map((r) => r.unit)).size).toBe(UNIT_ROWS.length);
    for (const r of UNIT_ROWS) {
      expect(r.toBase).toMatch(/^\d+(\.\d+)?$/);
      expect(Number(r.toBase)).toBeGreaterThan(0);
    }
  });

  it('has each dimension’s base unit, of size 1', () => {
    for (const [dimension, unit] of Object.entries(BASE_UNITS)) {
      expect(unitRow(unit)).toEqual({ unit, dimension, toBase: '1' });
    }
  });

  it("gives metering's float factors per kWh, m³ and kW", () => {
    const f = (u: string) => UNIT_TABLE.find((d) => d.unit === u)?.toBase;
    expect(f('kWh')).toBe(1);
    expect(f('kJ')).toBe(1 / 3600);
    expect(f('ft3')).toBe(0.028316846592);
    expect(f('therm')).toBe(29.307107017222222);
    expect(f('kW')).toBe(1);
  });

  it('refuses a unit it does not have', () => {
    expect(() => unitRow('furlong')).toThrow("unit 'furlong' is not in the unit table");
  });
});
