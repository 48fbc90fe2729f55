import { loadEmissionFactors } from '../factors/factor-library';
import { loadGridIntensityProfile } from '../factors/grid-intensity';
import { UnitConversionError, InvalidActivityError } from '../factors/errors';
import { hourlyScope2 } from '../ghg/cfe';
import type { ContractualInstrument } from '../ghg/scope2';
import { computeInventory } from './compute-inventory';
import type { InventoryInput } from './inventory.types';

const factors = loadEmissionFactors();
const year2024 = { from: '2024-01-01', to: '2025-01-01' };
const run = (over: Partial<InventoryInput>) =>
  computeInventory({ period: year2024, lines: [], factors, ...over });

describe('computeInventory golden cases (hand-computed from the published factors)', () => {
  it('1,000 kWh UK grid electricity 2024 = 207.05 kg CO2e location-based (DESNZ 0.20705 kg/kWh)', () => {
    const r = run({
      lines: [
        { activity: 'electricity', quantity: 1000, unit: 'kWh', region: 'GB', periodStart: '2024-03-01' },
      ],
    });
    expect(r.scope2LocationKgCo2e).toBe(207.05); // 1000 × 0.20705
    const line = r.lines.find((l) => l.method === 'location');
    expect(line?.factor).toMatchObject({
      id: 'desnz-2024:electricity_grid:GB:2024:kwh',
      value: '0.20705',
      source: 'UK DESNZ GHG conversion factors for company reporting',
      edition: '2024 v1.1',
      year: 2024,
      region: 'GB',
    });
    expect(line?.gases).toEqual({ co2Kg: 204.93, co2eCh4Kg: 0.9, co2eN2oKg: 1.22 }); // 1000 × (0.20493, 0.00090, 0.00122)
    // T&D losses, Scope 3 cat 3: 1000 × 0.01830 = 18.3
    expect(r.scope3KgCo2e).toBe(18.3);
    // market-based without instruments: GB residual mix (AIB 2018, 0.38096) used as a year proxy, named in a warning
    expect(r.scope2MarketKgCo2e).toBe(380.96);
    expect(r.warnings.some((w) => w.code === 'FACTOR_YEAR_PROXY' && w.message.includes('2018'))).toBe(true);
  });

  it('1,000 kWh UK natural gas (gross CV) = 182.90 kg CO2e (DESNZ 0.18290 kg/kWh)', () => {
    const r = run({
      lines: [
        {
          activity: 'natural_gas',
          quantity: '1000',
          unit: 'kWh',
          basis: 'gross',
          region: 'GB',
          periodStart: '2024-01-01',
        },
      ],
    });
    expect(r.scope1KgCo2e).toBe(182.9); // 1000 × 0.18290
    expect(r.lines[0]).toMatchObject({ scope: 1, category: 'stationary_combustion', kgCo2e: 182.9 });
    expect(r.warnings).toEqual([]);
  });

  it('eGRID2022 CAMX: 1 MWh = (497.443 + 28×0.030 + 265×0.004) lb × 0.45359237 kg/lb = 226.498 kg', () => {
    // 497.443 + 0.84 + 1.06 = 499.343 lb CO2e/MWh; × 0.45359237 = 226.49817481291 kg
    const r = computeInventory({
      period: { from: '2022-01-01', to: '2023-01-01' },
      sites: [{ id: 'sf', gridRegion: 'CAMX' }],
      lines: [{ activity: 'electricity', quantity: 1, unit: 'MWh', siteId: 'sf', periodStart: '2022-05-01' }],
      factors,
    });
    expect(r.scope2LocationKgCo2e).toBe(226.498);
    expect(r.lines[0].gases?.co2Kg).toBe(225.636); // 497.443 × 0.45359237 = 225.63634930991
    // market-based: Green-e 2018 CAMX residual mix 0.240140873 kg/kWh × 1000 kWh
    expect(r.scope2MarketKgCo2e).toBe(240.141);
    expect(r.warnings.map((w) => w.code)).toContain('TD_FACTOR_UNAVAILABLE');
  });

  it('China East grid 2022: 10,000 kWh × 0.5617 kg/kWh (MEE/NBS) = 5,617 kg; not the 0.5703 carbon-market factor', () => {
    const r = computeInventory({
      period: { from: '2022-01-01', to: '2023-01-01' },
      sites: [{ id: 'sh', gridRegion: 'CN-East' }],
      lines: [
        { activity: 'electricity', quantity: 10000, unit: 'kWh', siteId: 'sh', periodStart: '2022-01-01' },
      ],
      factors,
    });
    expect(r.scope2LocationKgCo2e).toBe(5617);
    // no residual mix for China: market-based at MEE/NBS's national factor excluding market-traded
    // non-fossil electricity (2022: 0.5856 kg/kWh) → 10,000 × 0.5856 = 5,856 kg, not the grid average
    expect(r.scope2MarketKgCo2e).toBe(5856);
    const market = r.lines.find((l) => l.method === 'market');
    expect(market?.factor?.id).toBe('cn-mee-nbs:electricity_grid.excl_market_traded_non_fossil:CN:2022:kwh');
    expect(market?.marketTier).toBe('residual_mix');
    expect(r.warnings.map((w) => w.code)).toContain('RESIDUAL_MIX_PROXY');
    expect(r.warnings.map((w) => w.code)).not.toContain('RESIDUAL_MIX_UNAVAILABLE');
  });

  it('market-based with certificates covering part of the load', () => {
    const rego: ContractualInstrument = {
      id: 'rego-2024',
      type: 'REGO',
      volumeKwh: 30000,
      vintageFrom: '2024-04-01',
      vintageTo: '2024-10-01',
      region: 'GB',
      retired: true,
      certificateIds: ['R-1'],
    };
    const r = run({
      sites: [{ id: 'leeds', gridRegion: 'GB' }],
      lines: [
        {
          activity: 'electricity',
          quantity: 100000,
          unit: 'kWh',
          siteId: 'leeds',
          periodStart: '2024-01-01',
        },
      ],
      instruments: [rego],
      options: { includeTransmissionLosses: false },
    });
    expect(r.scope2LocationKgCo2e).toBe(20705); // 100 000 × 0.20705
    expect(r.scope2MarketKgCo2e).toBe(26667.2); // 30 000 × 0 + 70 000 × 0.38096
    expect(r.instruments).toEqual([
      { id: 'rego-2024', type: 'REGO', accepted: true, issues: [], allocatedKwh: 30000 },
    ]);
    expect(r.lines.filter((l) => l.method === 'market').map((l) => l.marketTier)).toEqual([
      'certificate',
      'residual_mix',
    ]);
  });

  it('on-site PV: self-consumption reported, never subtracted from imports; exports reported separately', () => {
    const r = run({
      sites: [{ id: 'leeds', gridRegion: 'GB' }],
      lines: [
        {
          activity: 'electricity',
          quantity: 80000,
          unit: 'kWh',
          siteId: 'leeds',
          meterId: 'imp',
          periodStart: '2024-01-01',
        },
        {
          activity: 'electricity',
          quantity: 30000,
          unit: 'kWh',
          siteId: 'leeds',
          meterId: 'pv',
          meterRole: 'generation',
          generationSource: 'solar',
          periodStart: '2024-01-01',
        },
        {
          activity: 'electricity',
          quantity: 10000,
          unit: 'kWh',
          siteId: 'leeds',
          meterId: 'exp',
          meterRole: 'export',
          periodStart: '2024-01-01',
        },
      ],
      options: { includeTransmissionLosses: false },
    });
    expect(r.scope2LocationKgCo2e).toBe(16564); // 80 000 × 0.20705
    expect(r.scope2MarketKgCo2e).toBe(30476.8); // 80 000 × 0.38096
    expect(r.onSiteGeneration).toEqual([
      {
        siteId: 'leeds',
        generationKwh: 30000,
        exportedKwh: 10000,
        selfConsumedKwh: 20000,
        certificatesSold: false,
        generationSources: ['solar'],
      },
    ]);
    expect(r.purchasedElectricityKwh).toBe(80000);
    expect(r.exportedElectricityKwh).toBe(10000);
  });

  it('hourly case with PV against the shipped EIA-930 CISO profile', () => {
    const profile = loadGridIntensityProfile('US-CISO', 2022).hours;
    const r = hourlyScope2({
      hours: [
        { hourUtc: '2022-01-01T00:00:00Z', loadKwh: 50, onSiteGenerationKwh: 0 },
        { hourUtc: '2022-01-01T01:00:00Z', loadKwh: 50, onSiteGenerationKwh: 20 },
        { hourUtc: '2022-01-01T02:00:00Z', loadKwh: 50, onSiteGenerationKwh: 70 },
      ],
      profile,
      annualKgCo2ePerKwh: '0.22649817481291',
    });
    // profile rows: 222.2959, 260.9176, 271.8909 g/kWh; imports 50, 30, 0 kWh
    // 50 × 0.2222959 + 30 × 0.2609176 + 0 = 11.114795 + 7.827528 = 18.942323 kg
    expect(r.kgCo2e.toFixed()).toBe('18.942323');
    expect(r.exportKwh.toFixed()).toBe('20');
    expect(r.fallbackHours).toBe(0);
    // CFE: (0 + 50·0.563736) + (20 + 30·0.448889) + (50 + 0) = 28.1868 + 33.46667 + 50 = 111.65347 of 150
    expect(r.cfe.cfeKwh.toFixed()).toBe('111.65347');
  });
});
describe('GWP sets', () => {
  it('says so when AR4 EPA waste factors are summed with AR5 fuel factors', () => {
    // 10 mmBtu of gas × 53.1145 (EPA Hub 2024, AR5) = 531.145 kg; 1 short ton of aluminium cans
    // landfilled × 20 kg (EPA Hub Table 9, AR4) = 20 kg.
    const r = run({
      sites: [{ id: 'ny', gridRegion: 'NYUP' }],
      lines: [
        {
          activity: 'natural_gas',
          quantity: 10,
          unit: 'mmBtu',
          basis: 'gross',
          siteId: 'ny',
          region: 'US',
          periodStart: '2024-01-01',
        },
        {
          activity: 'waste',
          variant: 'aluminum_cans.landfilled',
          quantity: 1,
          unit: 'short_ton',
          siteId: 'ny',
          region: 'US',
          periodStart: '2024-01-01',
        },
      ],
      options: { includeTransmissionLosses: false },
    });
    const w = r.warnings.find((x) => x.code === 'GWP_SET_MIXED');
    expect(w?.message).toContain('AR4: 1 line(s), 20 kg CO2e');
    expect(w?.message).toContain('AR5: 1 line(s), 531.145 kg CO2e');
    // One set only: no note.
    const gas = run({
      lines: [
        {
          activity: 'natural_gas',
          quantity: 10,
          unit: 'mmBtu',
          basis: 'gross',
          region: 'US',
          periodStart: '2024-01-01',
        },
      ],
    });
    expect(gas.warnings.map((x) => x.code)).not.toContain('GWP_SET_MIXED');
  });
});

describe('demo organisation: inventory equals an independent sum of readings × factors', () => {
  it('two sites, fuels, refrigerant, travel, waste, certificates', () => {
    const months = ['2024-01-01', '2024-02-01', '2024-03-01'];
    const leedsKwh = [12000, 11000, 9500];
    const sfKwh = [8000, 7600, 8100];
    const input: InventoryInput = {
      period: year2024,
      organisationId: 'org-demo',
      sites: [
        { id: 'leeds', gridRegion: 'GB' },
        { id: 'sf', gridRegion: 'CAMX' },
      ],
      lines: [
        ...months.map((m, i) => ({
          activity: 'electricity',
          quantity: leedsKwh[i],
          unit: 'kWh',
          siteId: 'leeds',
          meterId: 'l-imp',
          periodStart: m,
        })),
        ...months.map((m, i) => ({
          activity: 'electricity',
          quantity: sfKwh[i],
          unit: 'kWh',
          siteId: 'sf',
          meterId: 's-imp',
          periodStart: m,
        })),
        {
          activity: 'natural_gas',
          quantity: 25000,
          unit: 'kWh',
          basis: 'gross',
          siteId: 'leeds',
          periodStart: '2024-01-01',
        },
        {
          activity: 'diesel',
          quantity: 400,
          unit: 'litre',
          siteId: 'leeds',
          periodStart: '2024-02-01',
          category: 'mobile_combustion',
        },
        {
          activity: 'refrigerant',
          variant: 'hfc_134a',
          quantity: 2,
          unit: 'kg',
          siteId: 'leeds',
          periodStart: '2024-03-01',
        },
        {
          activity: 'business_travel_air',
          variant: 'long_haul.economy_class.with_rf',
          quantity: 12000,
          unit: 'passenger.km',
          region: 'GB',
          periodStart: '2024-02-01',
        },
        {
          activity: 'waste',
          variant: 'commercial_and_industrial_waste.landfill',
          quantity: '1.5',
          unit: 'tonne',
          siteId: 'leeds',
          periodStart: '2024-03-01',
        },
        { activity: 'hotel_stay', quantity: 4, unit: 'room.night', region: 'GB', periodStart: '2024-02-01' },
      ],
      instruments: [
        {
          id: 'rec-sf',
          type: 'REC',
          volumeKwh: 10000,
          vintageFrom: '2024-01-01',
          vintageTo: '2025-01-01',
          region: 'CAMX',
          retired: true,
          certificateIds: ['G-9'],
        },
      ],
      factors,
      options: { includeTransmissionLosses: false },
    };
    const r = computeInventory(input);
    // Independent sums with the published factors (kg CO2e per unit):
    const gbGrid = 0.20705; // DESNZ 2024
    const camx = 0.22649817481291; // eGRID2022 CAMX, AR5
    const gbResidual = 0.38096; // AIB 2018
    const camxResidual = 0.240140873; // Green-e 2018
    const leeds = 12000 + 11000 + 9500; // 32 500 kWh
    const sf = 8000 + 7600 + 8100; // 23 700 kWh
    const scope1 = 25000 * 0.1829 + 400 * 2.51279 + 2 * 1300; // gas + diesel + HFC-134a (GWP 1300) = 4572.5 + 1005.116 + 2600
    const scope3 = 12000 * 0.20011 + 1.5 * 520.3342 + 4 * 10.4; // flight + landfill + hotel = 2401.32 + 780.5013 + 41.6
    expect(r.scope1KgCo2e).toBeCloseTo(scope1, 3);
    expect(r.scope1KgCo2e).toBe(8177.616);
    expect(r.scope2LocationKgCo2e).toBe(Number((leeds * gbGrid + sf * camx).toFixed(3))); // 6729.125 + 5368.006...
    expect(r.scope2MarketKgCo2e).toBe(Number((leeds * gbResidual + (sf - 10000) * camxResidual).toFixed(3)));
    expect(r.scope3KgCo2e).toBe(3223.421);
    expect(r.scope3KgCo2e).toBeCloseTo(scope3, 3);
    expect(r.totalLocationKgCo2e).toBeCloseTo(r.scope1KgCo2e + r.scope2LocationKgCo2e + r.scope3KgCo2e, 3);
    expect(r.scope3ByCategoryKgCo2e).toEqual({
      cat6_business_travel: 2442.92,
      cat5_waste_generated_in_operations: 780.501,
    });
    expect(r.lines.find((l) => l.source === 'diesel')?.category).toBe('mobile_combustion');
    expect(r.lines.find((l) => l.source === 'refrigerant.hfc_134a')?.category).toBe('fugitive');
    expect(r.bySite.find((s) => s.siteId === 'leeds')?.scope1KgCo2e).toBe(8177.616);
  });
});

describe('bad input: a clear error or a flagged line, never a silent zero', () => {
  it('a unit the factor cannot take', () => {
    expect(() =>
      run({
        lines: [
          { activity: 'electricity', quantity: 10, unit: 'litre', region: 'GB', periodStart: '2024-01-01' },
        ],
      }),
    ).toThrow(UnitConversionError);
    expect(() =>
      run({
        lines: [
          { activity: 'natural_gas', quantity: 10, unit: 'km', region: 'GB', periodStart: '2024-01-01' },
        ],
      }),
    ).toThrow(UnitConversionError);
  });
  it('no factor for the region: flagged line and warning', () => {
    const r = run({
      lines: [
        { activity: 'electricity', quantity: 500, unit: 'kWh', region: 'ZZ', periodStart: '2024-01-01' },
      ],
    });
    expect(r.lines[0]).toMatchObject({ flag: 'NO_FACTOR', kgCo2e: null, factor: null });
    expect(r.scope2LocationKgCo2e).toBe(0);
    expect(r.warnings.filter((w) => w.code === 'NO_FACTOR').length).toBeGreaterThanOrEqual(1);
  });
  it('an instrument outside its vintage is rejected with a warning', () => {
    const r = run({
      lines: [
        {
          activity: 'electricity',
          quantity: 1000,
          unit: 'kWh',
          region: 'GB',
          siteId: 's',
          periodStart: '2024-01-01',
        },
      ],
      instruments: [
        {
          id: 'old',
          type: 'REGO',
          volumeKwh: 1000,
          vintageFrom: '2021-01-01',
          vintageTo: '2022-01-01',
          region: 'GB',
          retired: true,
        },
      ],
      options: { includeTransmissionLosses: false },
    });
    expect(r.instruments[0]).toMatchObject({ accepted: false, allocatedKwh: 0 });
    expect(r.instruments[0].issues.map((i) => i.code)).toEqual(['VINTAGE']);
    expect(r.warnings.some((w) => w.code === 'INSTRUMENT_REJECTED' && w.instrumentId === 'old')).toBe(true);
    expect(r.scope2MarketKgCo2e).toBe(380.96); // all at the residual mix
  });
  it('negative quantities and exports above generation', () => {
    expect(() =>
      run({
        lines: [{ activity: 'diesel', quantity: -5, unit: 'litre', region: 'GB', periodStart: '2024-01-01' }],
      }),
    ).toThrow(InvalidActivityError);
    expect(() =>
      run({
        lines: [
          {
            activity: 'electricity',
            quantity: 5,
            unit: 'kWh',
            siteId: 's',
            region: 'GB',
            meterRole: 'generation',
            periodStart: '2024-01-01',
          },
          {
            activity: 'electricity',
            quantity: 6,
            unit: 'kWh',
            siteId: 's',
            region: 'GB',
            meterRole: 'export',
            periodStart: '2024-01-01',
          },
        ],
      }),
    ).toThrow(InvalidActivityError);
  });
});
