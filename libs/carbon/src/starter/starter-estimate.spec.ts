import Decimal from 'decimal.js';
import { loadEmissionFactors } from '../factors/factor-library';
import { loadPriceTables } from '../spend/price-adjust';
import { loadSpendFactors } from '../spend/spend-factors';
import {
  electricityLine,
  heatingLine,
  purchasesLine,
  starterEstimate,
  type StarterEstimateContext,
  type StarterInputs,
} from './starter-estimate';
import { replaceLines, starterTotals, type MeasuredLine } from './starter-replace';
import { codeDigits, loadStarterTables, parseStarterTables, sectorOf } from './starter-sectors';

/** Rounded as the estimate prints kg: 0.001, half up. */
const kg = (d: Decimal) => d.toDecimalPlaces(3, Decimal.ROUND_HALF_UP).toNumber();

const tables = loadStarterTables();
const ctx = (year = 2024): StarterEstimateContext => ({
  tables,
  factors: loadEmissionFactors(),
  prices: loadPriceTables(),
  spend: loadSpendFactors(),
  year,
});

const gbOffice: StarterInputs = {
  sector: 'professional',
  employees: 12,
  annualRevenue: '1500000',
  currency: 'GBP',
  floorAreaM2: '350',
  country: 'GB',
  year: 2024,
};

describe('starter sectors', () => {
  it('maps NACE, UK SIC and NAICS codes to one internal sector list', () => {
    expect(sectorOf(tables, 'nace', '62.01')?.sector).toBe('it_media');
    expect(sectorOf(tables, 'nace', 'J62.01')?.sector).toBe('it_media');
    expect(sectorOf(tables, 'uk_sic', '62012')?.sector).toBe('it_media');
    expect(sectorOf(tables, 'uk_sic', '56.10/1')?.sector).toBe('food_service');
    // the longest listed prefix wins: 5415 computer systems design is IT, the rest of 54 professional
    expect(sectorOf(tables, 'naics', '541511')?.sector).toBe('it_media');
    expect(sectorOf(tables, 'naics', '541611')?.sector).toBe('professional');
    expect(sectorOf(tables, 'naics', '722511')?.sector).toBe('food_service');
    expect(sectorOf(tables, 'naics', '721110')?.sector).toBe('accommodation');
    expect(sectorOf(tables, 'nace', '47.11')?.sector).toBe('retail');
  });

  it('refuses codes of uncovered sectors and malformed codes', () => {
    expect(sectorOf(tables, 'nace', '01.11')).toBeNull(); // agriculture
    expect(sectorOf(tables, 'naics', '221111')).toBeNull(); // utilities
    expect(sectorOf(tables, 'nace', 'banana')).toBeNull();
    expect(codeDigits('naics', '5415111')).toBeNull();
  });

  it('refuses a sector table naming a building use without an intensity', () => {
    const sectors = 'sector,label,buildingUse,heatingKwhPerM2,naics,purchaseShare\nx,X,Castle,1,541511,0.1\n';
    const eui = 'primaryUse,buildings,medianKwhPerM2Year,minKwhPerM2Year,maxKwhPerM2Year\nOffice,1,1,1,1\n';
    expect(() => parseStarterTables(sectors, eui, 'scheme,from,to,sector\n')).toThrow(/Castle/);
  });
});

describe('starter estimate', () => {
  it('Scope 2: floor area × BDG2 office median × DESNZ 2024 grid factor', () => {
    const l = electricityLine(gbOffice, ctx());
    // BDG2 Office median 165.2 kWh/m²/yr (derive-eui.mjs), DESNZ 2024 UK electricity 0.20705 kg CO2e/kWh
    expect(l.kgCo2e).toBe(kg(new Decimal(350).times('165.2').times('0.20705')));
    expect(l.kgCo2e).toBe(11971.631);
    expect(l).toMatchObject({ estimate: true, scope: 2, category: 'purchased_electricity' });
    expect(l.inputs.map((i) => i.value)).toEqual(['350', '165.2', '0.20705']);
  });

  it('Scope 1: floor area × TM46 office heating × DESNZ 2024 natural gas (gross CV)', () => {
    const l = heatingLine(gbOffice, ctx());
    expect(l.kgCo2e).toBe(kg(new Decimal(350).times(120).times('0.18290')));
    expect(l.kgCo2e).toBe(7681.8);
    expect(l.inputs[1].verification).toMatch(/^◐/);
  });

  it('Scope 1 in the US: kWh converted to the EPA factor per mmBtu', () => {
    const l = heatingLine({ ...gbOffice, country: 'US', currency: 'USD' }, ctx());
    // EPA Hub 2024 natural gas 53.1145 kg CO2e/mmBtu (gross, AR5); 1 mmBtu = 1 055 055 852.62 J / 3.6 MJ per kWh
    const mmbtu = new Decimal(350).times(120).div(new Decimal('1055055852.62').div(3600000));
    expect(l.kgCo2e).toBe(kg(mmbtu.times('53.1145')));
    expect(l.kgCo2e).toBe(7611.836);
  });

  it('Scope 3 in GBP: revenue × assumed share × EXIOBASE GB factor, brought to EUR 2019 by rates and HICP', () => {
    const l = purchasesLine(gbOffice, ctx());
    // professional → EXIOBASE GB "other business services" 0.0858 kg CO2e/EUR 2019 (OEFDB row); share 0.30
    // (assumption); GBP 2024 1.2781 USD, EUR 2024 1.0824 USD; euro-area HICP 2019 104.80 / 2024 126.07
    const eur2019 = new Decimal(1500000)
      .times('0.30')
      .times(new Decimal('1.2781').div('1.0824'))
      .times(new Decimal('104.80').div('126.07'));
    expect(l.kgCo2e).toBe(kg(eur2019.times('0.0858')));
    expect(l.kgCo2e).toBe(37898.881);
    expect(l.scope3Category).toBe(1);
    const share = l.inputs.find((i) => i.name.startsWith('share'));
    expect(share).toMatchObject({ value: '0.30' });
    expect(share?.verification).toMatch(/^✘ assumption/);
    expect(l.inputs[3].name).toMatch(/exiobase:professional_services-type_other_business_services:GB/);
  });

  it('Scope 3 in USD: revenue × assumed share × EPA v1.3 NAICS factor, brought to USD 2022 by CPI-U', () => {
    const l = purchasesLine({ ...gbOffice, currency: 'USD', country: 'US' }, ctx());
    // professional → NAICS 541611 0.078 kg CO2e/USD 2022 (with margins); CPI-U 2022 292.655 / 2024 313.689
    const usd2022 = new Decimal(1500000).times('0.30').times(new Decimal('292.655').div('313.689'));
    expect(l.kgCo2e).toBe(kg(usd2022.times('0.078')));
    expect(l.inputs[3].name).toMatch(/naics:541611/);
  });

  it('a country without a grid factor gives a null line with the reason, never a zero', () => {
    const l = electricityLine({ ...gbOffice, country: 'DE' }, ctx());
    expect(l.kgCo2e).toBeNull();
    expect(l.notes.join()).toMatch(/no electricity_grid factor/);
  });
});

describe('replacement by measured data', () => {
  const estimate = starterEstimate(gbOffice, ctx());
  const gas: MeasuredLine = { scope: 1, category: 'stationary_combustion', kgCo2e: 182.9 };
  const meter: MeasuredLine = {
    scope: 2,
    category: 'purchased_electricity',
    method: 'location',
    kgCo2e: 1000,
  };
  const market: MeasuredLine = { scope: 2, category: 'purchased_electricity', method: 'market', kgCo2e: 5 };
  const spend: MeasuredLine = {
    scope: 3,
    category: 'purchased_goods_services',
    scope3Category: 1,
    kgCo2e: 40,
  };
  const fugitive: MeasuredLine = { scope: 1, category: 'fugitive', kgCo2e: 300 };

  it('replaces only the line whose kind is measured', () => {
    const lines = replaceLines(estimate, [gas, fugitive, market]);
    const status = Object.fromEntries(lines.map((l) => [l.key, l.status]));
    expect(status).toEqual({
      scope2_electricity: 'estimated',
      scope1_heating: 'replaced by measured data',
      scope3_purchases: 'estimated',
    });
    expect(lines.find((l) => l.key === 'scope1_heating')?.measuredKgCo2e).toBe(182.9);
  });

  it('combined totals: the inventory where measured plus the lines still estimated', () => {
    const lines = replaceLines(estimate, [gas, fugitive, meter, spend]);
    expect(lines.every((l) => l.status === 'replaced by measured data')).toBe(true);
    const m = { scope1KgCo2e: 482.9, scope2LocationKgCo2e: 1000, scope3KgCo2e: 40 };
    expect(starterTotals(lines, m).combined).toEqual({
      scope1KgCo2e: 482.9,
      scope2KgCo2e: 1000,
      scope3KgCo2e: 40,
      totalKgCo2e: 1522.9,
    });
    const partly = replaceLines(estimate, [gas]);
    const e = Object.fromEntries(estimate.map((l) => [l.key, l.kgCo2e as number]));
    const t = starterTotals(partly, { scope1KgCo2e: 182.9, scope2LocationKgCo2e: 0, scope3KgCo2e: 0 });
    expect(t.combined.scope1KgCo2e).toBe(182.9);
    expect(t.combined.scope2KgCo2e).toBe(e.scope2_electricity);
    expect(t.combined.scope3KgCo2e).toBe(e.scope3_purchases);
    expect(t.estimated.scope1KgCo2e).toBe(e.scope1_heating);
    expect(t.combined.totalKgCo2e).toBe(
      kg(new Decimal(182.9).plus(e.scope2_electricity).plus(e.scope3_purchases)),
    );
  });

  it('district heat (Scope 2 purchased heat) replaces the heating line, not the electricity line', () => {
    const heat: MeasuredLine = {
      scope: 2,
      category: 'purchased_heat_steam',
      method: 'location',
      kgCo2e: 900,
    };
    const lines = replaceLines(estimate, [heat]);
    const byKey = Object.fromEntries(lines.map((l) => [l.key, l]));
    expect(byKey.scope1_heating).toMatchObject({ status: 'replaced by measured data', measuredKgCo2e: 900 });
    expect(byKey.scope2_electricity.status).toBe('estimated');
    const t = starterTotals(lines, { scope1KgCo2e: 0, scope2LocationKgCo2e: 900, scope3KgCo2e: 0 });
    expect(t.combined.scope1KgCo2e).toBe(0);
    expect(t.combined.scope2KgCo2e).toBe(
      kg(new Decimal(900).plus(byKey.scope2_electricity.kgCo2e as number)),
    );
  });

  it('a line without a factor is "not estimated" and adds nothing', () => {
    const de = starterEstimate({ ...gbOffice, country: 'DE', currency: 'EUR' }, ctx());
    const lines = replaceLines(de, []);
    expect(lines.find((l) => l.key === 'scope2_electricity')?.status).toBe('not estimated');
    const t = starterTotals(lines, { scope1KgCo2e: 0, scope2LocationKgCo2e: 0, scope3KgCo2e: 0 });
    expect(t.combined.scope2KgCo2e).toBe(0);
  });
});
