import Decimal from 'decimal.js';
import type { EmissionFactor } from '../factors/emission-factor';
import type { ApiInventoryLine, InventoryView } from '../inventory/inventory-view.types';
import { intensityPerMillion, vsmeReport, type VsmeDatapoint, type VsmeInput } from './vsme';
import { vsmeEnergy } from './vsme-energy';

/**
 * VSME B3 numbers worked out here from the inputs (DESNZ 2024 v1.1 diesel: 2.51279 kg CO2e per litre,
 * 0.23902 kg CO2e per kWh gross CV, as in libs/carbon/data/emission-factors.csv).
 */
const D = (v: string | number) => new Decimal(v);

function factor(id: string, unit: string, value: string): EmissionFactor {
  return {
    id,
    source: 'UK DESNZ GHG conversion factors for company reporting',
    edition: '2024 v1.1',
    publishedYear: 2024,
    year: 2024,
    region: 'GB',
    activity: 'diesel',
    variant: '',
    scope: 1,
    scope3Category: null,
    unit,
    basis: unit === 'kWh' ? 'gross' : '',
    kgCo2ePerUnit: value,
    kgCo2PerUnit: null,
    kgCh4PerUnit: null,
    kgN2oPerUnit: null,
    kgCo2eCh4PerUnit: null,
    kgCo2eN2oPerUnit: null,
    gwpSet: 'AR5',
    purpose: 'corporate_inventory',
    verification: '✔',
    licence: 'OGL v3',
    url: '',
    sourceRef: '',
    label: 'diesel',
  };
}
const FACTORS = [
  factor('desnz-2024:diesel:GB:2024:litre', 'litre', '2.51279'),
  factor('desnz-2024:diesel:GB:2024:kwh-gross', 'kWh', '0.23902'),
];

const ref = (id: string, unit: string, value: string) => ({
  id,
  value,
  unit,
  source: 'DESNZ',
  edition: '2024 v1.1',
  year: 2024,
  region: 'GB',
});
const line = (l: Partial<ApiInventoryLine>): ApiInventoryLine => ({
  scope: 1,
  category: 'stationary_combustion',
  source: 'x',
  quantity: 0,
  unit: 'kWh',
  factor: null,
  kgCo2e: 0,
  ...l,
});

function inventory(lines: ApiInventoryLine[]): InventoryView {
  return {
    organization: { id: 'o', name: 'Small Works Ltd', timezone: 'Europe/London', baseYear: 2022 },
    period: { from: '2024-01-01', to: '2025-01-01', timezone: 'Europe/London', fromUtc: '', toUtc: '' },
    scope1KgCo2e: 4342.1,
    scope2LocationKgCo2e: 10350,
    scope2MarketKgCo2e: 6210,
    scope3KgCo2e: 2217.619,
    totalLocationKgCo2e: 16909.719,
    totalMarketKgCo2e: 12769.719,
    scope3ByCategoryKgCo2e: { business_travel: 2217.619 },
    bySite: [],
    byMonth: [],
    intensities: null,
    denominators: { floorAreaM2: null, employees: null, revenue: null, currency: 'EUR' },
    purchasedElectricityKwh: 50000,
    exportedElectricityKwh: 1000,
    onSiteGeneration: [
      {
        siteId: 's',
        generationKwh: 6000,
        exportedKwh: 1000,
        selfConsumedKwh: 5000,
        certificatesSold: false,
        generationSources: ['solar'],
      },
    ],
    instruments: [],
    sites: [],
    lines,
    factorsUsed: [],
    factorLibraryVersion: 'v',
    dataHash: 'h',
    warnings: [],
  };
}

const LINES = [
  line({ source: 'natural_gas', quantity: 10000, unit: 'kWh', kgCo2e: 1829 }),
  line({
    source: 'diesel',
    category: 'mobile_combustion',
    quantity: 1000,
    unit: 'litre',
    factor: ref('desnz-2024:diesel:GB:2024:litre', 'litre', '2.51279'),
    kgCo2e: 2512.79,
  }),
  line({ source: 'biomass.wood_pellets', quantity: 2, unit: 'MWh', kgCo2e: 0.3 }),
  // a fuel by mass without any factor: listed, not counted
  line({ source: 'coal', quantity: 3, unit: 'tonne', kgCo2e: null, flag: 'NO_FACTOR' }),
  // refrigerant: not energy
  line({ source: 'refrigerant.r410a', category: 'fugitive', quantity: 1, unit: 'kg', kgCo2e: 2088 }),
  // Scope 2: the location-based import and the market-based split (20 MWh under certificates at 0)
  line({ scope: 2, category: 'purchased_electricity', method: 'location', quantity: 50000, kgCo2e: 10350 }),
  line({
    scope: 2,
    category: 'purchased_electricity',
    method: 'market',
    marketTier: 'certificate',
    quantity: 20000,
    kgCo2e: 0,
  }),
  line({
    scope: 2,
    category: 'purchased_electricity',
    method: 'market',
    marketTier: 'residual_mix',
    quantity: 30000,
    kgCo2e: 6210,
  }),
];

describe('VSME B3 energy', () => {
  const energy = vsmeEnergy(inventory(LINES), FACTORS);
  const row = (k: string) => energy.rows.find((r) => r.row === k);
  // diesel: 1000 litres × (2.51279 kg/litre ÷ 0.23902 kg/kWh) = 10,512.92 kWh → 10.513 MWh
  const dieselMwh = D(1000).times('2.51279').div('0.23902').div(1000).toDecimalPlaces(3).toNumber();

  it('splits fuels into renewable (biomass) and non-renewable (gas, diesel by its implied calorific value)', () => {
    expect(dieselMwh).toBe(10.513);
    expect(row('fuels')).toMatchObject({
      renewableMwh: 2,
      nonRenewableMwh: D(10).plus(dieselMwh).toNumber(),
    });
    expect(energy.unconverted).toEqual([
      expect.objectContaining({ source: 'coal', quantity: 3, unit: 'tonne' }),
    ]);
  });

  it('counts purchased kWh under zero-rate certificates as renewable electricity and self-consumed solar as renewable', () => {
    expect(row('electricity')).toEqual(
      expect.objectContaining({ renewableMwh: 20, nonRenewableMwh: 30, totalMwh: 50 }),
    );
    expect(row('self_generated')).toEqual(expect.objectContaining({ renewableMwh: 5, nonRenewableMwh: 0 }));
  });

  it('totals renewable and non-renewable MWh over the rows', () => {
    const ren = 2 + 20 + 5;
    const non = D(10).plus(dieselMwh).plus(30).toNumber();
    expect(row('total')).toEqual(
      expect.objectContaining({
        renewableMwh: ren,
        nonRenewableMwh: non,
        totalMwh: D(ren).plus(non).toNumber(),
      }),
    );
  });

  it('converts US gallons of diesel with the EPA factors per gallon and per mmBtu (gross)', () => {
    const epa = (id: string, unit: string, value: string) => ({ ...factor(id, unit, value), region: 'US' });
    const factors = [
      epa('epa-hub-2024:diesel:US:2024:gallon_us', 'gallon_us', '10.24268'),
      epa('epa-hub-2024:diesel:US:2024:mmbtu-gross', 'mmBtu', '74.203'),
    ];
    const diesel = line({
      source: 'diesel',
      category: 'mobile_combustion',
      quantity: 840,
      unit: 'gallon_us',
      factor: { ...ref('epa-hub-2024:diesel:US:2024:gallon_us', 'gallon_us', '10.24268'), region: 'US' },
    });
    const r = vsmeEnergy(inventory([diesel]), factors).rows.find((x) => x.row === 'fuels');
    // 840 gal × (10.24268 / 74.203) mmBtu/gal × 1,055,055,852.62 J/mmBtu ÷ 3,600,000 J/kWh ÷ 1000 → MWh
    const mwh = D(840).times('10.24268').div('74.203').times('1055055852.62').div(3.6e6).div(1000);
    expect(r?.nonRenewableMwh).toBe(mwh.toDecimalPlaces(3).toNumber());
    expect(r?.nonRenewableMwh).toBe(33.982); // ≈ 0.138 mmBtu (40.5 kWh) a gallon
  });

  it('counts self-consumption whose certificates were sold as non-renewable', () => {
    const inv = inventory([]);
    inv.onSiteGeneration[0].certificatesSold = true;
    const r = vsmeEnergy(inv, []).rows.find((x) => x.row === 'self_generated');
    expect(r).toMatchObject({ renewableMwh: 0, nonRenewableMwh: 5 });
  });
});

describe('VSME report datapoints', () => {
  const input = (over: Partial<VsmeInput> = {}): VsmeInput => ({
    year: 2024,
    inventory: inventory(LINES),
    factors: FACTORS,
    org: { country: 'IE', currency: 'EUR', employees: 35, annualRevenue: '2500000' },
    sites: [{ name: 'Works', address: '1 Quay St, Galway', country: 'IE', latitude: null, longitude: null }],
    certifications: [],
    params: {},
    ...over,
  });
  const get = (ps: VsmeDatapoint[], id: string) => ps.find((p) => p.id === id);

  it('gives Scope 1, both Scope 2 figures and Scope 3 in tCO2e from the inventory', () => {
    const r = vsmeReport(input());
    expect(get(r.b3, 'B3.scope1')).toMatchObject({ number: 4.342, unit: 'tCO2e', origin: 'inventory' });
    expect(get(r.b3, 'B3.scope2Location')).toMatchObject({ number: 10.35 });
    expect(get(r.b3, 'B3.scope2Market')).toMatchObject({ number: 6.21 });
    expect(get(r.b3, 'B3.scope3')).toMatchObject({ number: 2.218 });
  });

  it('works out the GHG intensity per EUR million of turnover from the organisation’s revenue', () => {
    const r = vsmeReport(input());
    // (4,342.1 + 10,350) kg = 14.6921 t over EUR 2.5 million → 5.87684 t per EUR million
    const expected = D('4342.1').plus(10350).div(1000).div(D(2500000).div(1e6)).toDecimalPlaces(6).toNumber();
    expect(expected).toBe(5.87684);
    expect(get(r.b3, 'B3.intensityLocation')).toMatchObject({
      number: expected,
      unit: 'tCO2e / EUR million',
    });
    expect(get(r.b3, 'B3.intensityMarket')?.number).toBe(
      D('4342.1').plus(6210).div(1000).div(2.5).toDecimalPlaces(6).toNumber(),
    );
    expect(get(r.b1, 'B1.turnover')).toMatchObject({ number: 2500000, origin: 'organisation' });
  });

  it('prefers request parameters, and shows what nobody gave as not provided', () => {
    const r = vsmeReport(input({ params: { turnover: 5000000, legalForm: 'DAC' } }));
    expect(get(r.b1, 'B1.turnover')).toMatchObject({ number: 5000000, origin: 'request' });
    expect(get(r.b1, 'B1.legalForm')).toMatchObject({ value: 'DAC', origin: 'request' });
    expect(get(r.b1, 'B1.nace')).toMatchObject({ value: null, origin: 'not provided' });
    expect(get(r.b1, 'B1.balanceSheet')).toMatchObject({ value: null, origin: 'not provided' });
    expect(get(r.b3, 'B3.intensityLocation')?.number).toBe(D('14.6921').div(5).toDecimalPlaces(6).toNumber());
  });

  it('falls back on the starter profile after the request and the organisation settings', () => {
    const starter = { naceCode: 'C25.62', employees: 18, annualRevenue: 1_200_000 };
    const r = vsmeReport(
      input({ org: { country: 'IE', currency: 'EUR', employees: 35, annualRevenue: null }, starter }),
    );
    expect(get(r.b1, 'B1.nace')).toMatchObject({ value: 'C25.62', origin: 'starter profile' });
    expect(get(r.b1, 'B1.employees')).toMatchObject({ number: 35, origin: 'organisation' });
    expect(get(r.b1, 'B1.turnover')).toMatchObject({ number: 1_200_000, origin: 'starter profile' });
    expect(get(r.b3, 'B3.intensityLocation')?.number).toBe(
      D('14.6921').div('1.2').toDecimalPlaces(6).toNumber(),
    );
  });

  it('has no intensity without a turnover', () => {
    const r = vsmeReport(
      input({ org: { country: 'IE', currency: 'EUR', employees: null, annualRevenue: null } }),
    );
    expect(get(r.b3, 'B3.intensityLocation')).toMatchObject({ value: null, origin: 'not provided' });
    expect(get(r.b1, 'B1.employees')).toMatchObject({ origin: 'not provided' });
    expect(intensityPerMillion(1000, 0)).toBeNull();
  });
});
