// US EPA GHG Emission Factors Hub 2024 (public domain). Part of scripts/build-factor-library.mjs.
import { join } from 'node:path';
import Decimal from 'decimal.js';
import ExcelJS from 'exceljs';
import { sharedDir, LB_KG, AR5, dec, num, slug, add } from './common.mjs';

// ---------------------------------------------------------------- US EPA GHG Emission Factors Hub 2024
export const EPA = {
  sourceKey: 'epa-hub-2024',
  source: 'US EPA GHG Emission Factors Hub',
  edition: '2024',
  publishedYear: 2024,
  gwpSet: 'AR5',
  licence: 'Public domain (US federal government work)',
  url: 'https://www.epa.gov/climateleadership/ghg-emission-factors-hub',
  verification: '✔ extracted from ghg-emission-factors-hub-2024.xlsx',
  purpose: 'corporate_inventory',
};

export function cellValue(cell) {
  const v = cell.value;
  if (v === null || v === undefined) return null;
  if (typeof v === 'object') {
    if ('result' in v) return v.result;
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    return null;
  }
  return v;
}

export function rowValues(ws, i) {
  const row = ws.getRow(i);
  const out = [];
  for (let c = 1; c <= 12; c++) out.push(cellValue(row.getCell(c)));
  return out;
}

/** kg CO2e from gas masses (kg) with the AR5 GWPs the Hub 2024 prescribes (CH4 28, N2O 265). */
export function co2eAr5(co2Kg, ch4Kg, n2oKg) {
  return co2Kg.plus(ch4Kg.times(AR5.ch4)).plus(n2oKg.times(AR5.n2o));
}

export function epaRow(
  base,
  { activity, variant, region, year, scope, cat, unit, basis, co2Kg, ch4Kg, n2oKg, sourceRef, label, gwpSet },
) {
  add({
    ...EPA,
    ...base,
    region,
    year,
    activity,
    variant: variant ?? '',
    scope,
    scope3Category: cat ?? '',
    unit,
    basis: basis ?? '',
    kgCo2ePerUnit: co2eAr5(co2Kg, ch4Kg, n2oKg).toFixed(),
    kgCo2PerUnit: co2Kg.toFixed(),
    kgCh4PerUnit: ch4Kg.toFixed(),
    kgN2oPerUnit: n2oKg.toFixed(),
    kgCo2eCh4PerUnit: ch4Kg.times(AR5.ch4).toFixed(),
    kgCo2eN2oPerUnit: n2oKg.times(AR5.n2o).toFixed(),
    gwpSet: gwpSet ?? 'AR5',
    sourceRef,
    label,
  });
}

export const EPA_STATIONARY = {
  Anthracite: ['coal', 'anthracite'],
  Bituminous: ['coal', 'bituminous'],
  'Sub-bituminous': ['coal', 'sub_bituminous'],
  Lignite: ['coal', 'lignite'],
  'Mixed (Commercial Sector)': ['coal', ''],
  'Natural Gas': ['natural_gas', ''],
  'Propane Gas': ['propane', 'gas'],
  'Distillate Fuel Oil No. 2': ['diesel', ''],
  'Distillate Fuel Oil No. 1': ['diesel', 'distillate_no1'],
  'Distillate Fuel Oil No. 4': ['diesel', 'distillate_no4'],
  'Residual Fuel Oil No. 6': ['fuel_oil', ''],
  'Residual Fuel Oil No. 5': ['fuel_oil', 'residual_no5'],
  'Motor Gasoline': ['petrol', ''],
  'Liquefied Petroleum Gases (LPG)': ['lpg', ''],
  Propane: ['propane', ''],
  Kerosene: ['burning_oil', ''],
  'Kerosene-Type Jet Fuel': ['aviation_turbine_fuel', ''],
  'Aviation Gasoline': ['aviation_spirit', ''],
  'Wood and Wood Residuals': ['biomass', 'wood_and_wood_residuals'],
  'Landfill Gas': ['biogas', 'landfill_gas'],
  'Biodiesel (100%)': ['biofuel', 'biodiesel_100'],
  'Ethanol (100%)': ['biofuel', 'ethanol_100'],
};

export async function buildEpa() {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(
    join(sharedDir, 'emission-factors/us-epa-hub-2024/ghg-emission-factors-hub-2024.xlsx'),
  );
  const ws = wb.worksheets[0];
  const find = (re, from = 1) => {
    for (let i = from; i <= ws.rowCount; i++)
      if (rowValues(ws, i).some((v) => typeof v === 'string' && re.test(v))) return i;
    throw new Error(`EPA xlsx: ${re} not found`);
  };
  // GWPs printed in the Hub: verify they are AR5 (CH4 28, N2O 265).
  const gwpRow = find(/^100-Year GWP$/);
  const ch4Gwp = rowValues(ws, gwpRow + 1);
  const n2oGwp = rowValues(ws, gwpRow + 2);
  if (ch4Gwp[3] !== 28 || n2oGwp[3] !== 265) throw new Error('EPA Hub GWPs are not AR5 28/265');
  let count = 0;

  // Table 1 stationary combustion: per mmBtu (HHV) and per physical unit.
  const t1 = find(/^Table 1$/);
  const t2 = find(/^Table 2$/);
  let physicalUnit = 'short_ton';
  for (let i = t1 + 2; i < t2; i++) {
    const v = rowValues(ws, i);
    const head = v[3];
    if (typeof head === 'string') {
      if (/per short ton/.test(head)) physicalUnit = 'short_ton';
      else if (/per scf/.test(head)) physicalUnit = 'scf';
      else if (/per gallon/.test(head)) physicalUnit = 'gallon_us';
    }
    const name = typeof v[2] === 'string' ? v[2].trim() : '';
    const mapped = EPA_STATIONARY[name];
    if (!mapped || typeof v[4] !== 'number') continue;
    const [activity, variant] = mapped;
    const g = (x) => new Decimal(String(x)).div(1000);
    const common = {
      activity,
      variant,
      region: 'US',
      year: 2024,
      scope: 1,
      label: `Table 1 Stationary Combustion | ${name}`,
    };
    epaRow(
      {},
      {
        ...common,
        unit: 'mmBtu',
        basis: 'gross',
        co2Kg: new Decimal(String(v[4])),
        ch4Kg: g(v[5]),
        n2oKg: g(v[6]),
        sourceRef: `Table 1 row ${i} per mmBtu`,
      },
    );
    count++;
    if (typeof v[7] === 'number') {
      epaRow(
        {},
        {
          ...common,
          unit: physicalUnit,
          co2Kg: new Decimal(String(v[7])),
          ch4Kg: g(v[8]),
          n2oKg: g(v[9]),
          sourceRef: `Table 1 row ${i} per ${physicalUnit}`,
        },
      );
      count++;
    }
  }

  // Table 6 electricity: eGRID2022 subregion total-output rates (location-based) and
  // non-baseload rates (for avoided-emission estimates, not for inventories).
  const t6 = find(/^Table 6$/);
  const t7 = find(/^Table 7$/);
  for (let i = t6 + 1; i < t7; i++) {
    const v = rowValues(ws, i);
    if (typeof v[4] !== 'number' || typeof v[2] !== 'string') continue;
    const acronym = v[2].trim();
    const region = acronym === 'US Average' ? 'US' : acronym;
    const perKwh = (lbPerMwh) => new Decimal(String(lbPerMwh)).times(LB_KG).div(1000);
    const base = { edition: '2024 (eGRID2022, January 2024)' };
    epaRow(base, {
      activity: 'electricity_grid',
      region,
      year: 2022,
      scope: 2,
      unit: 'kWh',
      co2Kg: perKwh(v[4]),
      ch4Kg: perKwh(v[5]),
      n2oKg: perKwh(v[6]),
      sourceRef: `Table 6 ${acronym} total output (lb/MWh: CO2 ${v[4]}, CH4 ${v[5]}, N2O ${v[6]})`,
      label: `eGRID2022 subregion ${acronym}${v[3] ? ` (${v[3]})` : ''} total output emission rate`,
    });
    epaRow(
      { ...base, purpose: 'avoided_emissions' },
      {
        activity: 'electricity_grid',
        variant: 'non_baseload',
        region,
        year: 2022,
        scope: 2,
        unit: 'kWh',
        co2Kg: perKwh(v[7]),
        ch4Kg: perKwh(v[8]),
        n2oKg: perKwh(v[9]),
        sourceRef: `Table 6 ${acronym} non-baseload (lb/MWh: CO2 ${v[7]}, CH4 ${v[8]}, N2O ${v[9]})`,
        label: `eGRID2022 subregion ${acronym} non-baseload emission rate (marginal/avoided emissions, not for inventories)`,
      },
    );
    count += 2;
  }

  // Table 2 mobile combustion CO2 (per gallon / scf); CH4 and N2O for mobile sources depend on
  // vehicle type and model year (Tables 3-5) and are not shipped: CO2-only rows, labelled.
  const MOBILE = {
    'Diesel Fuel': ['vehicle_fuel_diesel', 'gallon_us'],
    'Motor Gasoline': ['vehicle_fuel_petrol', 'gallon_us'],
    'Liquefied Petroleum Gases (LPG)': ['vehicle_fuel_lpg', 'gallon_us'],
    'Compressed Natural Gas (CNG)': ['vehicle_fuel_cng', 'scf'],
    'Liquefied Natural Gas (LNG)': ['vehicle_fuel_lng', 'gallon_us'],
    'Kerosene-Type Jet Fuel': ['vehicle_fuel_jet_kerosene', 'gallon_us'],
    'Aviation Gasoline': ['vehicle_fuel_aviation_gasoline', 'gallon_us'],
    'Residual Fuel Oil': ['vehicle_fuel_residual_oil', 'gallon_us'],
    'Biodiesel (100%)': ['vehicle_fuel_biodiesel_100', 'gallon_us'],
    'Ethanol (100%)': ['vehicle_fuel_ethanol_100', 'gallon_us'],
  };
  const t3 = find(/^Table 3$/);
  for (let i = t2 + 1; i < t3; i++) {
    const v = rowValues(ws, i);
    const name = typeof v[2] === 'string' ? v[2].trim() : '';
    if (!MOBILE[name] || typeof v[3] !== 'number') continue;
    const [activity, unit] = MOBILE[name];
    const row = {
      ...EPA,
      region: 'US',
      year: 2024,
      activity,
      variant: 'co2_only',
      scope: 1,
      scope3Category: '',
      unit,
      basis: '',
      kgCo2ePerUnit: dec(v[3]),
      kgCo2PerUnit: dec(v[3]),
      kgCh4PerUnit: '',
      kgN2oPerUnit: '',
      kgCo2eCh4PerUnit: '',
      kgCo2eN2oPerUnit: '',
      sourceRef: `Table 2 row ${i}`,
      label: `Table 2 Mobile Combustion CO2 | ${name} (CO2 only: add CH4/N2O from Tables 3-5 by vehicle and model year)`,
    };
    add(row);
    count++;
  }

  // Table 7 steam and heat (purchased): per mmBtu.
  const t8 = find(/^Table 8$/);
  for (let i = t7 + 1; i < t8; i++) {
    const v = rowValues(ws, i);
    if (v[2] !== 'Steam and Heat' || typeof v[3] !== 'number') continue;
    epaRow(
      {},
      {
        activity: 'heat_steam',
        variant: 'district',
        region: 'US',
        year: 2024,
        scope: 2,
        unit: 'mmBtu',
        co2Kg: new Decimal(String(v[3])),
        ch4Kg: new Decimal(String(v[4])).div(1000),
        n2oKg: new Decimal(String(v[5])).div(1000),
        sourceRef: `Table 7 row ${i}`,
        label: 'Table 7 Steam and Heat (purchased)',
      },
    );
    count++;
  }

  // Tables 8 and 10: Scope 3 transport (distance-based).
  const t9 = find(/^Table 9$/);
  const t10 = find(/^Table 10$/);
  const TRANSPORT_UNITS = {
    'vehicle-mile': 'mile',
    'short ton-mile': 'short_ton.mile',
    'passenger-mile': 'passenger.mile',
  };
  const transport = (from, to, table, activityFor, cat) => {
    for (let i = from + 1; i < to; i++) {
      const v = rowValues(ws, i);
      const name = typeof v[2] === 'string' ? v[2].replace(/\s+/g, ' ').trim() : '';
      if (!name || typeof v[3] !== 'number' || typeof v[6] !== 'string') continue;
      const unit = TRANSPORT_UNITS[v[6].trim()];
      if (!unit) throw new Error(`EPA transport unit ${v[6]}`);
      const clean = name.replace(/ ?[A-E]$/, '').replace(/\s+[A-E]$/, '');
      const [activity, variant] = activityFor(clean, unit);
      epaRow(
        {},
        {
          activity,
          variant,
          region: 'US',
          year: 2024,
          scope: 3,
          cat,
          unit,
          co2Kg: num(v[3]),
          ch4Kg: num(v[4]).div(1000),
          n2oKg: num(v[5]).div(1000),
          sourceRef: `${table} row ${i}`,
          label: `${table} | ${name} | ${v[6].trim()}`,
        },
      );
      count++;
    }
  };
  transport(
    t8,
    t9,
    'Table 8',
    (name, unit) => [unit === 'mile' ? 'freight_vehicle' : 'freight', slug(name)],
    4,
  );
  const t10end = find(/^Notes:/, t10 + 2);
  transport(
    t10,
    t10end,
    'Table 10',
    (name) => {
      const s = slug(name);
      if (s.startsWith('air_travel'))
        return [
          'business_travel_air',
          s
            .replace('air_travel_', '')
            .replace(/_\d.*$/, '')
            .replace(/_lt.*$/, ''),
        ];
      if (s.includes('rail')) return ['business_travel_rail', s];
      if (s === 'bus') return ['business_travel_bus', ''];
      if (s === 'motorcycle') return ['business_travel_motorbike', ''];
      return ['business_travel_car', s];
    },
    6,
  );

  // Table 9 waste: metric tons CO2e per short ton (AR4 GWPs, per the Hub's note).
  const header = find(/^Material$/, t9);
  const methods = rowValues(ws, header)
    .slice(3, 9)
    .map((m) =>
      slug(
        String(m ?? '')
          .replace(/[A-E]$/, '')
          .replace(/\s*\(.*\)\s*[A-E]?$/, ''),
      ),
    );
  const methodNames = rowValues(ws, header)
    .slice(3, 9)
    .map((m) => String(m ?? ''));
  for (let i = header + 1; i < t10; i++) {
    const v = rowValues(ws, i);
    const name = typeof v[2] === 'string' ? v[2].trim() : '';
    if (!name || /^Notes/.test(name)) break;
    for (let m = 0; m < methods.length; m++) {
      const value = v[3 + m];
      if (typeof value !== 'number') continue;
      const method = methodNames[m].includes('Wet')
        ? 'anaerobic_digestion_wet'
        : methodNames[m].includes('Dry')
          ? 'anaerobic_digestion_dry'
          : methods[m];
      add({
        ...EPA,
        region: 'US',
        year: 2024,
        activity: 'waste',
        variant: `${slug(name)}.${method}`,
        scope: 3,
        scope3Category: 5,
        unit: 'short_ton',
        basis: '',
        kgCo2ePerUnit: new Decimal(String(value)).times(1000).toFixed(),
        kgCo2PerUnit: '',
        kgCh4PerUnit: '',
        kgN2oPerUnit: '',
        kgCo2eCh4PerUnit: '',
        kgCo2eN2oPerUnit: '',
        gwpSet: 'AR4',
        sourceRef: `Table 9 row ${i} (metric tons CO2e per short ton × 1000)`,
        label: `Table 9 Waste | ${name} | ${methodNames[m].replace(/\s+/g, ' ').trim()}`,
      });
      count++;
    }
  }
  return count;
}
