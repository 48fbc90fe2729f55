import { loadEmissionFactors, findCarbonDataDir } from './factor-library';
import { selectFactor } from './select-factor';
import { convertQuantity } from './units';
import { FactorNotFoundError, UnitConversionError } from './errors';
import { regionFallbackChain } from './regions';
import { loadGridIntensityProfile, parseHourlyIntensityCsv } from './grid-intensity';
import type { EmissionFactor } from './emission-factor';

const factors = loadEmissionFactors();

describe('factor library', () => {
  it('is found from the source tree and loads with unique ids', () => {
    expect(findCarbonDataDir()).toMatch(/libs[/\\]carbon[/\\]data$/);
    expect(factors.length).toBeGreaterThan(2500);
    expect(new Set(factors.map((f) => f.id)).size).toBe(factors.length);
  });
  it('holds the published check values', () => {
    const byId = (id: string) => factors.find((f) => f.id === id);
    expect(byId('desnz-2024:electricity_grid:GB:2024:kwh')?.kgCo2ePerUnit).toBe('0.20705');
    expect(byId('desnz-2024:natural_gas:GB:2024:kwh-gross')?.kgCo2ePerUnit).toBe('0.1829');
    expect(byId('cn-mee-nbs:electricity_grid:CN:2022:kwh:carbon_market')?.kgCo2ePerUnit).toBe('0.5703');
    // EPA US average: 823.149 lb CO2/MWh × 0.45359237 / 1000 = 0.37337410577313... kg/kWh
    expect(byId('epa-hub-2024:electricity_grid:US:2022:kwh')?.kgCo2PerUnit).toBe('0.37337410577313');
  });
  it('never ships Electricity Maps data', () => {
    expect(factors.some((f) => /electricity ?maps/i.test(`${f.source} ${f.url}`))).toBe(false);
  });
});

describe('selectFactor', () => {
  it('exact year, else nearest earlier year, named in a warning', () => {
    expect(
      selectFactor(factors, { activity: 'electricity_grid', region: 'GB', year: 2024 }).warnings,
    ).toEqual([]);
    const later = selectFactor(factors, { activity: 'electricity_grid', region: 'GB', year: 2026 });
    expect(later.factor.year).toBe(2024);
    expect(later.warnings[0].code).toBe('FACTOR_YEAR_PROXY');
    const cn = selectFactor(factors, { activity: 'electricity_grid', region: 'CN', year: 2025 });
    expect(cn.factor.kgCo2ePerUnit).toBe('0.5306'); // 2023 is the nearest earlier year
  });
  it('nearest later year when nothing earlier exists', () => {
    const s = selectFactor(factors, { activity: 'electricity_grid', region: 'CN', year: 2019 });
    expect(s.factor.year).toBe(2021);
    expect(s.warnings[0].message).toContain('2021');
  });
  it('the carbon-market factor is never picked for an inventory by default', () => {
    expect(
      selectFactor(factors, { activity: 'electricity_grid', region: 'CN', year: 2022 }).factor.kgCo2ePerUnit,
    ).toBe('0.5366');
    expect(
      selectFactor(factors, {
        activity: 'electricity_grid',
        region: 'CN',
        year: 2022,
        purpose: 'carbon_market',
      }).factor.kgCo2ePerUnit,
    ).toBe('0.5703');
  });
  it('region chain: province → regional grid → CN; eGRID subregion → US → GLOBAL (IPCC) for fuels', () => {
    expect(regionFallbackChain('CN-SD')).toEqual(['CN-SD', 'CN-North', 'CN', 'GLOBAL']);
    const sd = selectFactor(factors, { activity: 'electricity_grid', region: 'CN-SD', year: 2022 });
    expect(sd.factor.region).toBe('CN-North');
    expect(sd.warnings.map((w) => w.code)).toEqual(['FACTOR_REGION_PROXY']);
    const gas = selectFactor(factors, { activity: 'natural_gas', region: 'CAMX', year: 2024, unit: 'mmBtu' });
    expect(gas.factor.id).toBe('epa-hub-2024:natural_gas:US:2024:mmbtu-gross');
    const de = selectFactor(factors, {
      activity: 'natural_gas',
      region: 'DE',
      year: 2024,
      unit: 'GJ',
      basis: 'net',
    });
    expect(de.factor.source).toMatch(/IPCC 2006/);
  });
  it('tenant factors come first', () => {
    const gb = factors.find((f) => f.id === 'desnz-2024:electricity_grid:GB:2024:kwh') as EmissionFactor;
    const own: EmissionFactor = {
      ...gb,
      id: 'tenant:supplier-x',
      kgCo2ePerUnit: '0.1',
      tenantId: 't1',
      source: 'Supplier X disclosure',
    };
    expect(
      selectFactor(factors, { activity: 'electricity_grid', region: 'GB', year: 2024, tenantFactors: [own] })
        .factor.id,
    ).toBe('tenant:supplier-x');
  });
  it('typed errors: nothing fits, or the unit cannot be converted', () => {
    expect(() => selectFactor(factors, { activity: 'electricity_grid', region: 'ZZ', year: 2024 })).toThrow(
      FactorNotFoundError,
    );
    expect(() =>
      selectFactor(factors, { activity: 'electricity_grid', region: 'GB', year: 2024, unit: 'litre' }),
    ).toThrow(UnitConversionError);
    // only net-CV IPCC factors exist for Germany: a gross-CV quantity is refused, not guessed
    expect(() =>
      selectFactor(factors, {
        activity: 'natural_gas',
        region: 'DE',
        year: 2024,
        unit: 'kWh',
        basis: 'gross',
      }),
    ).toThrow(UnitConversionError);
  });
});

describe('unit conversion', () => {
  it('energy, volume, mass, distance', () => {
    expect(convertQuantity(1000, 'kWh', 'MWh').toFixed()).toBe('1');
    expect(convertQuantity(1, 'GJ', 'kWh').toDecimalPlaces(6).toFixed()).toBe('277.777778');
    // 1 mmBtu = 1 055 055 852.62 J ÷ 3 600 000 J/kWh = 293.0710701722… kWh
    expect(convertQuantity(1, 'mmBtu', 'kWh').toDecimalPlaces(10).toFixed()).toBe('293.0710701722');
    expect(convertQuantity(1, 'gallon_us', 'litre').toFixed()).toBe('3.785411784');
    expect(convertQuantity(1, 'short_ton', 'tonne').toFixed()).toBe('0.90718474');
    expect(convertQuantity(1, 'mile', 'km').toFixed()).toBe('1.609344');
  });
  it('refuses a dimension change or a CV-basis change', () => {
    expect(() => convertQuantity(1, 'litre', 'kWh')).toThrow(UnitConversionError);
    expect(() => convertQuantity(1, 'GBP', 'USD')).toThrow(UnitConversionError);
    expect(() => convertQuantity(1, 'kWh', 'GJ', { from: 'gross', to: 'net' })).toThrow(UnitConversionError);
  });
});

describe('grid intensity', () => {
  it('loads the shipped EIA-930 CISO 2022 profile (8760 h, 3 gaps)', () => {
    const p = loadGridIntensityProfile('US-CISO', 2022);
    expect(p.hours).toHaveLength(8760);
    expect(p.hours.filter((h) => h.gCo2PerKwh === null)).toHaveLength(3);
    expect(p.hours[0].hourUtc).toBe('2022-01-01T00:00:00Z');
  });
  it('parses the Electricity Maps layouts by meaning (benchmark use only, never shipped)', () => {
    const text =
      'Datetime (UTC),Country,Zone name,Zone id,Carbon intensity gCO₂eq/kWh (direct),Carbon intensity gCO₂eq/kWh (Life cycle),Carbon-free energy percentage (CFE%)\n2023-01-01 00:00:00,GB,GB,GB,62.4,100.1,80.5\n';
    const [h] = parseHourlyIntensityCsv(text);
    expect(h.gCo2PerKwh?.toFixed()).toBe('62.4');
    expect(h.carbonFreeShare?.toFixed()).toBe('0.805');
  });
});
