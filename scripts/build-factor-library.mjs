#!/usr/bin/env node
/**
 * Builds the shipped emission-factor library and hourly grid-intensity profiles from the
 * source files in the shared data folder, so the committed data is reproducible.
 *
 *   node scripts/build-factor-library.mjs [sharedDataDir] [outDir]
 *
 * Defaults: sharedDataDir = ../shared/data (relative to the repository root),
 *           outDir        = libs/carbon/data.
 *
 * Outputs
 *   libs/carbon/data/emission-factors.csv            one row per factor (see SOURCE.md)
 *   libs/carbon/data/grid-intensity/<region>-<year>.csv  hourly profiles (EIA-930 only)
 *
 * Licences are respected here, not later: only sources whose terms allow redistribution in a
 * commercial product are read (DESNZ OGL v3, EPA public domain, China MEE/NBS facts,
 * residual mixes CC BY-SA 4.0, EIA-930 public domain + MIT derivation). Electricity Maps
 * profiles are never read by this script.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import Decimal from 'decimal.js';
import ExcelJS from 'exceljs';

Decimal.set({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sharedDir = resolve(process.argv[2] ?? join(repoRoot, '..', 'shared', 'data'));
const outDir = resolve(process.argv[3] ?? join(repoRoot, 'libs', 'carbon', 'data'));

export const COLUMNS = [
  'id',
  'source',
  'edition',
  'publishedYear',
  'year',
  'region',
  'activity',
  'variant',
  'scope',
  'scope3Category',
  'unit',
  'basis',
  'kgCo2ePerUnit',
  'kgCo2PerUnit',
  'kgCh4PerUnit',
  'kgN2oPerUnit',
  'kgCo2eCh4PerUnit',
  'kgCo2eN2oPerUnit',
  'gwpSet',
  'purpose',
  'verification',
  'licence',
  'url',
  'sourceRef',
  'label',
];

const LB_KG = new Decimal('0.45359237');
const AR5 = { ch4: new Decimal(28), n2o: new Decimal(265) };

/** Plain decimal string without exponent and without trailing zeros. */
function dec(value) {
  if (value === null || value === undefined || value === '') return '';
  const d = new Decimal(typeof value === 'number' ? String(value) : String(value).trim());
  return d.toFixed();
}

/** Decimal from a spreadsheet cell (numbers or strings such as '0 '). */
function num(value) {
  const s = String(value ?? '').trim();
  return new Decimal(s === '' ? '0' : s);
}

function slug(text) {
  return String(text)
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/%/g, 'pct')
    .replace(/\+/g, 'plus')
    .replace(/[–—]/g, '-')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

const UNIT_SLUG = (unit) => slug(unit.replace(/\./g, '-'));

const rows = [];
const ids = new Set();
function add(row) {
  const unitPart = UNIT_SLUG(row.unit) + (row.basis ? `-${row.basis}` : '');
  const activityPart = row.activity + (row.variant ? `.${row.variant}` : '');
  const purposePart = row.purpose && row.purpose !== 'corporate_inventory' ? `:${row.purpose}` : '';
  row.id = `${row.sourceKey}:${activityPart}:${row.region}:${row.year}:${unitPart}${purposePart}`;
  if (ids.has(row.id)) throw new Error(`duplicate factor id ${row.id}`);
  ids.add(row.id);
  rows.push(row);
}

// ---------------------------------------------------------------- UK DESNZ 2024 v1.1
const DESNZ = {
  sourceKey: 'desnz-2024',
  source: 'UK DESNZ GHG conversion factors for company reporting',
  edition: '2024 v1.1',
  publishedYear: 2024,
  year: 2024,
  region: 'GB',
  gwpSet: 'AR5',
  licence: 'OGL-3.0 (Crown copyright)',
  url: 'https://www.gov.uk/government/publications/greenhouse-gas-reporting-conversion-factors-2024',
  verification: '✔ extracted from the DESNZ 2024 v1.1 flat file',
};

const DESNZ_UNITS = {
  tonnes: ['tonne', ''],
  litres: ['litre', ''],
  'kWh (Gross CV)': ['kWh', 'gross'],
  'kWh (Net CV)': ['kWh', 'net'],
  'cubic metres': ['m3', ''],
  kg: ['kg', ''],
  GJ: ['GJ', ''],
  km: ['km', ''],
  miles: ['mile', ''],
  'passenger.km': ['passenger.km', ''],
  'tonne.km': ['tonne.km', ''],
  kWh: ['kWh', ''],
  'million litres': ['million_litres', ''],
  'Room per night': ['room.night', ''],
  'per FTE Working Hour': ['fte.hour', ''],
};

const FUEL_NAMES = {
  'Natural gas': ['natural_gas', ''],
  'Natural gas (100% mineral blend)': ['natural_gas', 'mineral_100'],
  'Diesel (average biofuel blend)': ['diesel', ''],
  'Diesel (100% mineral diesel)': ['diesel', 'mineral_100'],
  'Petrol (average biofuel blend)': ['petrol', ''],
  'Petrol (100% mineral petrol)': ['petrol', 'mineral_100'],
  'Coal (industrial)': ['coal', ''],
  'Coal (domestic)': ['coal', 'domestic'],
  'Coal (electricity generation)': ['coal', 'electricity_generation'],
  'Coal (electricity generation - home produced coal only)': ['coal', 'electricity_generation_home_produced'],
  'Processed fuel oils - distillate oil': ['processed_fuel_oil', 'distillate'],
  'Processed fuel oils - residual oil': ['processed_fuel_oil', 'residual'],
};

const CAR_FUEL = (text) =>
  slug(text.replace('Plug-in Hybrid Electric Vehicle', 'phev').replace('Battery Electric Vehicle', 'bev'));

function vehicleVariant(l2, l3, l4, col) {
  const parts = [];
  if (/market segment/i.test(l2)) parts.push(`segment_${slug(l3)}`);
  else parts.push(slug(l3));
  if (l4) parts.push(slug(l4));
  if (col) parts.push(/laden/i.test(col) ? slug(col) : CAR_FUEL(col));
  return parts.join('.');
}

/** Maps a DESNZ row group to the controlled vocabulary; null = not an emission factor we ship. */
function desnzActivity(scope, l1, l2, l3, l4, col) {
  const fuel = () => FUEL_NAMES[l3] ?? [slug(l3), ''];
  switch (l1) {
    case 'Fuels': {
      const [a, v] = fuel();
      return { activity: a, variant: v, scope: 1 };
    }
    case 'Bioenergy':
      return { activity: slug(l2), variant: slug(l3), scope: 1 };
    case 'Refrigerant & other': {
      const kind = /only Kyoto/i.test(col)
        ? 'kyoto_only'
        : /only non-Kyoto/i.test(col)
          ? 'non_kyoto_only'
          : '';
      return { activity: 'refrigerant', variant: [slug(l3), kind].filter(Boolean).join('.'), scope: 1 };
    }
    case 'Passenger vehicles':
      return {
        activity: /motorbike/i.test(l2) ? 'company_motorbike' : 'company_car',
        variant: vehicleVariant(l2, l3, l4, col),
        scope: 1,
      };
    case 'Delivery vehicles':
      return {
        activity: /HGV/i.test(l2)
          ? /refrig/i.test(l2)
            ? 'company_hgv_refrigerated'
            : 'company_hgv'
          : 'company_van',
        variant: vehicleVariant(l2, l3, l4, col),
        scope: 1,
      };
    case 'UK electricity':
      return { activity: 'electricity_grid', variant: '', scope: 2 };
    case 'Heat and steam':
      return { activity: 'heat_steam', variant: slug(l3.replace(' and steam', '')), scope: 2 };
    case 'UK electricity for EVs':
      return {
        activity: /Vans/.test(l2) ? 'ev_van_electricity' : 'ev_car_electricity',
        variant: vehicleVariant(l2, l3, l4, col),
        scope: 2,
      };
    case 'UK electricity T&D for EVs':
      return {
        activity: /Vans/.test(l2) ? 'ev_van_electricity_td_losses' : 'ev_car_electricity_td_losses',
        variant: vehicleVariant(l2, l3, l4, col),
        scope: 3,
        cat: 3,
      };
    case 'Transmission and distribution':
      return /electricity/i.test(l2)
        ? { activity: 'electricity_td_losses', variant: '', scope: 3, cat: 3 }
        : { activity: 'heat_steam_distribution_losses', variant: '', scope: 3, cat: 3 };
    case 'WTT- UK electricity':
      return {
        activity: /T&D/.test(l2) ? 'wtt_electricity_td_losses' : 'wtt_electricity_grid',
        variant: '',
        scope: 3,
        cat: 3,
      };
    case 'WTT- fuels': {
      const [a, v] = fuel();
      return { activity: `wtt_${a}`, variant: v, scope: 3, cat: 3 };
    }
    case 'WTT- bioenergy':
      return { activity: `wtt_${slug(l2.replace('WTT- ', ''))}`, variant: slug(l3), scope: 3, cat: 3 };
    case 'WTT- heat and steam':
      return /distribution/i.test(l2)
        ? { activity: 'wtt_heat_steam_distribution_losses', variant: '', scope: 3, cat: 3 }
        : { activity: 'wtt_heat_steam', variant: slug(l3.replace(' and steam', '')), scope: 3, cat: 3 };
    case 'Business travel- air':
      return {
        activity: 'business_travel_air',
        variant: [slug(l3.split(',')[0]), slug(l4), slug(col)].join('.'),
        scope: 3,
        cat: 6,
      };
    case 'WTT- business travel- air':
      return {
        activity: 'wtt_business_travel_air',
        variant: [slug(l3.split(',')[0]), slug(l4), slug(col)].join('.'),
        scope: 3,
        cat: 6,
      };
    case 'Business travel- sea':
      return { activity: 'business_travel_ferry', variant: slug(l3), scope: 3, cat: 6 };
    case 'WTT- business travel- sea':
      return { activity: 'wtt_business_travel_ferry', variant: slug(l3), scope: 3, cat: 6 };
    case 'Business travel- land':
    case 'WTT- pass vehs & travel- land': {
      const wtt = l1.startsWith('WTT') ? 'wtt_' : '';
      const kind = slug(l2.replace('WTT- ', ''));
      const base = kind.startsWith('cars')
        ? 'car'
        : kind === 'motorbike'
          ? 'motorbike'
          : kind === 'taxis'
            ? 'taxi'
            : kind;
      const variant = base === 'car' || base === 'motorbike' ? vehicleVariant(l2, l3, l4, col) : slug(l3);
      return { activity: `${wtt}business_travel_${base}`, variant, scope: 3, cat: 6 };
    }
    case 'Freighting goods':
    case 'WTT- delivery vehs & freight': {
      const wtt = l1.startsWith('WTT') ? 'wtt_' : '';
      const kind = slug(l2.replace('WTT- ', ''));
      const base = /^hgv_refrig/.test(kind)
        ? 'hgv_refrigerated'
        : /^hgv/.test(kind)
          ? 'hgv'
          : kind === 'vans'
            ? 'van'
            : kind === 'freight_flights'
              ? 'air'
              : kind;
      const variant = ['hgv', 'hgv_refrigerated', 'van'].includes(base)
        ? vehicleVariant(l2, l3, l4, col)
        : [slug(l3), slug(l4), slug(col)].filter(Boolean).join('.');
      return { activity: `${wtt}freight_${base}`, variant, scope: 3, cat: 4 };
    }
    case 'Hotel stay':
      return { activity: 'hotel_stay', variant: '', scope: 3, cat: 6, hotelCountry: l3 };
    case 'Material use':
      return { activity: 'purchased_material', variant: [slug(l3), slug(col)].join('.'), scope: 3, cat: 1 };
    case 'Waste disposal':
      return { activity: 'waste', variant: [slug(l3), slug(col)].join('.'), scope: 3, cat: 5 };
    case 'Water supply':
      return { activity: 'water_supply', variant: '', scope: 3, cat: 1 };
    case 'Water treatment':
      return { activity: 'water_treatment', variant: '', scope: 3, cat: 5 };
    case 'Homeworking':
      return {
        activity: 'homeworking',
        variant: slug(l2.replace(' (office equipment + heating)', '_total')),
        scope: 3,
        cat: 7,
      };
    default:
      // Managed assets (downstream leased, cat 13), SECR kWh-per-km conversions (not emission
      // factors), and outside-of-scopes biogenic CO2 are not shipped in this version.
      return null;
  }
}

const HOTEL_COUNTRY = {
  UK: 'GB',
  'UK (London)': 'GB-LND',
  Argentina: 'AR',
  Australia: 'AU',
  Austria: 'AT',
  Belgium: 'BE',
  Brazil: 'BR',
  Canada: 'CA',
  Chile: 'CL',
  China: 'CN',
  Colombia: 'CO',
  'Costa Rica': 'CR',
  'Czech Republic': 'CZ',
  Egypt: 'EG',
  Fiji: 'FJ',
  Finland: 'FI',
  France: 'FR',
  Germany: 'DE',
  Greece: 'GR',
  'Hong Kong, China': 'HK',
  India: 'IN',
  Indonesia: 'ID',
  Ireland: 'IE',
  Israel: 'IL',
  Italy: 'IT',
  Japan: 'JP',
  Jordan: 'JO',
  Kazakhstan: 'KZ',
  Korea: 'KR',
  'Macau, China': 'MO',
  Malaysia: 'MY',
  Maldives: 'MV',
  Mexico: 'MX',
  Netherlands: 'NL',
  'New Zealand': 'NZ',
  Oman: 'OM',
  Panama: 'PA',
  Peru: 'PE',
  Philippines: 'PH',
  Poland: 'PL',
  Portugal: 'PT',
  Qatar: 'QA',
  Romania: 'RO',
  'Russian Federation': 'RU',
  'Saudi Arabia': 'SA',
  Singapore: 'SG',
  'South Africa': 'ZA',
  Spain: 'ES',
  Switzerland: 'CH',
  'Taiwan, China': 'TW',
  Thailand: 'TH',
  Turkey: 'TR',
  'United Arab Emirates': 'AE',
  'United States': 'US',
  Vietnam: 'VN',
};

function buildDesnz() {
  const file = join(sharedDir, 'emission-factors/uk-desnz-2024/factors_by_category_2024_v1_1.csv');
  const records = parse(readFileSync(file), { columns: true, skip_empty_lines: true, relax_quotes: true });
  const groups = new Map();
  for (const r of records) {
    if (!/^Scope [123]$/.test(r.Scope)) continue;
    const m = /^(.*)_(\d)$/.exec(r.ID);
    if (!m) continue;
    const key = m[1];
    if (!groups.has(key)) groups.set(key, { rec: r, values: {} });
    const g = groups.get(key);
    const kind = r['GHG/Unit'];
    const value = r['GHG Conversion Factor 2024'];
    if (kind === 'kg CO2e') g.values.total = value;
    else if (kind === 'kg CO2e of CO2 per unit') g.values.co2 = value;
    else if (kind === 'kg CO2e of CH4 per unit') g.values.ch4 = value;
    else if (kind === 'kg CO2e of N2O per unit') g.values.n2o = value;
    else g.values.other = kind; // SECR kWh-per-km conversions
  }
  let shipped = 0;
  let skippedBlank = 0;
  for (const [key, { rec, values }] of groups) {
    if (values.other || values.total === undefined) continue;
    if (values.total === '') {
      skippedBlank++;
      continue;
    }
    const map = desnzActivity(
      rec.Scope,
      rec['Level 1'],
      rec['Level 2'],
      rec['Level 3'].trim(),
      rec['Level 4'].trim(),
      rec['Column Text'].trim(),
    );
    if (!map) continue;
    const unitMap = DESNZ_UNITS[rec.UOM];
    if (!unitMap) throw new Error(`DESNZ unit not mapped: ${rec.UOM}`);
    let region = DESNZ.region;
    if (map.hotelCountry) {
      region = HOTEL_COUNTRY[map.hotelCountry.trim()];
      if (!region) throw new Error(`hotel country not mapped: ${map.hotelCountry}`);
    }
    add({
      ...DESNZ,
      region,
      activity: map.activity,
      variant: map.variant,
      scope: map.scope,
      scope3Category: map.cat ?? '',
      unit: unitMap[0],
      basis: unitMap[1],
      kgCo2ePerUnit: dec(values.total),
      kgCo2PerUnit: dec(values.co2),
      kgCh4PerUnit: '',
      kgN2oPerUnit: '',
      kgCo2eCh4PerUnit: dec(values.ch4),
      kgCo2eN2oPerUnit: dec(values.n2o),
      purpose: 'corporate_inventory',
      sourceRef: `DESNZ ID ${key}_1`,
      label: [
        rec.Scope,
        rec['Level 1'],
        rec['Level 2'],
        rec['Level 3'],
        rec['Level 4'],
        rec['Column Text'],
        rec.UOM,
      ]
        .map((s) => s.trim())
        .filter(Boolean)
        .join(' | '),
    });
    shipped++;
  }
  return { shipped, skippedBlank };
}

// ---------------------------------------------------------------- US EPA GHG Emission Factors Hub 2024
const EPA = {
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

function cellValue(cell) {
  const v = cell.value;
  if (v === null || v === undefined) return null;
  if (typeof v === 'object') {
    if ('result' in v) return v.result;
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    return null;
  }
  return v;
}

function rowValues(ws, i) {
  const row = ws.getRow(i);
  const out = [];
  for (let c = 1; c <= 12; c++) out.push(cellValue(row.getCell(c)));
  return out;
}

/** kg CO2e from gas masses (kg) with the AR5 GWPs the Hub 2024 prescribes (CH4 28, N2O 265). */
function co2eAr5(co2Kg, ch4Kg, n2oKg) {
  return co2Kg.plus(ch4Kg.times(AR5.ch4)).plus(n2oKg.times(AR5.n2o));
}

function epaRow(
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

const EPA_STATIONARY = {
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

async function buildEpa() {
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

// ---------------------------------------------------------------- China MEE / NBS
const CN_REGIONS = {
  'North China': 'CN-North',
  Northeast: 'CN-Northeast',
  'East China': 'CN-East',
  'Central China': 'CN-Central',
  Northwest: 'CN-Northwest',
  South: 'CN-South',
  Southwest: 'CN-Southwest',
};
const CN_PROVINCES = {
  Hebei: 'CN-HE',
  Shanxi: 'CN-SX',
  Tianjin: 'CN-TJ',
  'Inner Mongolia': 'CN-NM',
  Anhui: 'CN-AH',
  Fujian: 'CN-FJ',
  Guangxi: 'CN-GX',
  Qinghai: 'CN-QH',
  Sichuan: 'CN-SC',
  Yunnan: 'CN-YN',
};

function buildChina() {
  const file = join(sharedDir, 'emission-factors/china/recorded_emission_factors.csv');
  // The IPCC rows of this hand-recorded file have one column fewer; only China rows are read.
  const records = parse(readFileSync(file), {
    columns: true,
    skip_empty_lines: true,
    relax_column_count: true,
  });
  const base = {
    sourceKey: 'cn-mee-nbs',
    source: 'China MEE & NBS electricity CO2 emission factors',
    gwpSet: '',
    licence: 'Official statistics (facts); cite MEE/NBS',
    scope: 2,
    scope3Category: '',
    basis: '',
    kgCh4PerUnit: '',
    kgN2oPerUnit: '',
    kgCo2eCh4PerUnit: '',
    kgCo2eN2oPerUnit: '',
  };
  let count = 0;
  const cnRow = (r, extra) => {
    const value = dec(extra.value);
    add({
      ...base,
      edition: extra.edition,
      publishedYear: extra.publishedYear,
      year: extra.year,
      region: extra.region,
      activity: 'electricity_grid',
      variant: extra.variant ?? '',
      unit: 'kWh',
      kgCo2ePerUnit: value,
      kgCo2PerUnit: value,
      purpose: extra.purpose ?? 'corporate_inventory',
      verification: `◐ secondary source (${r.verification_status}); primary MEE/NBS document not retrieved`,
      url: r.secondary_source_address.split(' ; ')[0],
      sourceRef: r.issuer_and_document,
      label: extra.label,
    });
    count++;
  };
  for (const r of records) {
    if (r.jurisdiction !== 'China') continue;
    const name = r.factor_name;
    const year = Number(r.year_of_data);
    if (/carbon-market/.test(name)) {
      // 0.5703 t CO2/MWh = 0.5703 kg CO2/kWh.
      cnRow(r, {
        value: r.value,
        year,
        region: 'CN',
        purpose: 'carbon_market',
        edition: 'MEE 2023 (环办气候函〔2023〕43号)',
        publishedYear: 2023,
        label: `${name} (${r.scope_or_basis}); for power-sector carbon-market (ETS) reporting, not corporate inventories`,
      });
      continue;
    }
    const publishedYear = year === 2021 ? 2024 : year === 2022 ? 2024 : 2025;
    const edition = `MEE/NBS ${year} electricity CO2 factors (published ${publishedYear})`;
    if (/^National electricity average CO2 emission factor/.test(name)) {
      cnRow(r, {
        value: r.value,
        year,
        region: 'CN',
        edition,
        publishedYear,
        label: `${name} (${r.scope_or_basis})`,
      });
      const m = /regional 2023: (.*)$/.exec(r.verification_status);
      if (m) {
        const codes = {
          N: 'CN-North',
          NE: 'CN-Northeast',
          E: 'CN-East',
          C: 'CN-Central',
          NW: 'CN-Northwest',
        };
        for (const part of m[1].split(/\s+(?=[A-Z]+ \d)/)) {
          const [k, v] = part.trim().split(/\s+/);
          cnRow(r, {
            value: v,
            year,
            region: codes[k],
            edition,
            publishedYear,
            label: `Regional grid factor ${codes[k]} ${year} (from the news digest quoting MEE)`,
          });
        }
      }
    } else if (/excluding market-traded non-fossil/.test(name)) {
      cnRow(r, {
        value: r.value,
        year,
        region: 'CN',
        variant: 'excl_market_traded_non_fossil',
        edition,
        publishedYear,
        label: name,
      });
    } else if (/fossil-fuel electricity/.test(name)) {
      cnRow(r, {
        value: r.value,
        year,
        region: 'CN',
        variant: 'fossil_only',
        purpose: 'reference',
        edition,
        publishedYear,
        label: name,
      });
    } else if (/^Regional grid factor/.test(name)) {
      const key = Object.keys(CN_REGIONS).find((k) => name.includes(`${k} (`));
      if (!key) throw new Error(`China region not mapped: ${name}`);
      cnRow(r, { value: r.value, year, region: CN_REGIONS[key], edition, publishedYear, label: name });
    } else if (/^Provincial factors/.test(name)) {
      const names = name.replace(/^.*\) /, '').split(/[;/]\s*/);
      const values = r.value.split(/[;/]\s*/);
      if (names.length !== values.length) throw new Error('China provincial list mismatch');
      names.forEach((p, k) => {
        cnRow(r, {
          value: values[k],
          year,
          region: CN_PROVINCES[p.trim()],
          edition,
          publishedYear,
          label: `Provincial average factor ${p.trim()} ${year}`,
        });
      });
    } else {
      throw new Error(`China row not mapped: ${name}`);
    }
  }
  return count;
}

// ---------------------------------------------------------------- IPCC 2006 defaults (GLOBAL fallback)
/**
 * IPCC 2006 Guidelines Vol. 2 Ch. 2, Table 2.2 (CO2, kg/TJ NCV) with CH4/N2O for the
 * commercial/institutional sector (Table 2.4). CO2 values are as recorded in the shared China
 * file (not re-read from the PDF); CH4/N2O recorded from knowledge. All ✘.
 */
const IPCC = [
  ['natural_gas', '', 'Natural gas', 56100, 5, 0.1],
  ['diesel', '', 'Gas/diesel oil', 74100, 10, 0.6],
  ['gas_oil', '', 'Gas/diesel oil', 74100, 10, 0.6],
  ['petrol', '', 'Motor gasoline', 69300, 10, 0.6],
  ['fuel_oil', '', 'Residual fuel oil', 77400, 10, 0.6],
  ['lpg', '', 'Liquefied petroleum gases', 63100, 5, 0.1],
  ['coal', '', 'Other bituminous coal', 94600, 10, 1.5],
  ['coal', 'anthracite', 'Anthracite', 98300, 10, 1.5],
];

function buildIpcc() {
  for (const [activity, variant, name, co2PerTj, ch4PerTj, n2oPerTj] of IPCC) {
    const perGj = (x) => new Decimal(x).div(1000);
    const co2 = perGj(co2PerTj);
    const ch4 = perGj(ch4PerTj);
    const n2o = perGj(n2oPerTj);
    add({
      sourceKey: 'ipcc-2006',
      source: 'IPCC 2006 Guidelines for National GHG Inventories, Vol. 2 Energy',
      edition: '2006',
      publishedYear: 2006,
      year: 2006,
      region: 'GLOBAL',
      activity,
      variant,
      scope: 1,
      scope3Category: '',
      unit: 'GJ',
      basis: 'net',
      kgCo2ePerUnit: co2eAr5(co2, ch4, n2o).toFixed(),
      kgCo2PerUnit: co2.toFixed(),
      kgCh4PerUnit: ch4.toFixed(),
      kgN2oPerUnit: n2o.toFixed(),
      kgCo2eCh4PerUnit: ch4.times(AR5.ch4).toFixed(),
      kgCo2eN2oPerUnit: n2o.times(AR5.n2o).toFixed(),
      gwpSet: 'AR5',
      purpose: 'corporate_inventory',
      verification:
        '✘ default values recorded from knowledge/secondary copy; not re-read from IPCC 2006 Vol.2 Tables 2.2/2.4',
      licence: 'IPCC default factors (facts); cite IPCC 2006 Guidelines',
      url: 'https://www.ipcc-nggip.iges.or.jp/public/2006gl/pdf/2_Volume2/V2_2_Ch2_Stationary_Combustion.pdf',
      sourceRef: `Table 2.2 CO2 ${co2PerTj} kg/TJ; Table 2.4 commercial CH4 ${ch4PerTj} kg/TJ, N2O ${n2oPerTj} kg/TJ`,
      label: `${name}, stationary combustion default (NCV); CO2e with AR5 GWPs (CH4 28, N2O 265)`,
    });
  }
  return IPCC.length;
}

// ---------------------------------------------------------------- Residual mixes (OEFDB, CC BY-SA 4.0)
function buildResidualMix() {
  const file = join(sharedDir, 'residual-mix/OpenEmissionFactorsDB_residual_mix_market_based_rows.csv');
  const records = parse(readFileSync(file), { columns: true, skip_empty_lines: true });
  let count = 0;
  for (const r of records) {
    const region = r.region.startsWith('US-') ? r.region.slice(3) : r.region;
    const isAib = /AIB|Association of Issuing Bodies/.test(r.description);
    add({
      sourceKey: isAib ? 'aib-2018-rm' : 'greene-2018-rm',
      source: isAib
        ? 'AIB European Residual Mixes 2018 v1.2 via GHG Protocol tool and Open Emission Factors Database (Climatiq)'
        : 'Green-e Energy Residual Mix Emissions Rates (2018) via GHG Protocol tool and Open Emission Factors Database (Climatiq)',
      edition: isAib ? 'AIB 2018 v1.2 (July 2019); OEFDB 2022-01-15' : 'Green-e 2018; OEFDB 2022-01-15',
      publishedYear: isAib ? 2019 : Number(r.year_released) || 2021,
      year: 2018,
      region,
      activity: 'electricity_residual_mix',
      variant: '',
      scope: 2,
      scope3Category: '',
      unit: r.activity_unit,
      basis: '',
      kgCo2ePerUnit: dec(r['kgCO2e-AR5']),
      kgCo2PerUnit: dec(r.kgCO2),
      kgCh4PerUnit: '',
      kgN2oPerUnit: '',
      kgCo2eCh4PerUnit: '',
      kgCo2eN2oPerUnit: '',
      gwpSet: '',
      purpose: 'corporate_inventory',
      verification:
        '◐ copied byte-for-byte from OEFDB rows; not re-checked against AIB/Green-e tables (CH checked)',
      licence: 'CC BY-SA 4.0 (Open Emission Factors Database, Climatiq); share-alike applies to these rows',
      url: r.source_link,
      sourceRef: `OEFDB ${r.activity_id} ${r.region}`,
      label: `${r.name} (${r.region}); direct CO2 only, data year 2018`,
    });
    count++;
  }
  return count;
}

// ---------------------------------------------------------------- Hourly grid intensity (EIA-930 only)
const EIA_BA = [
  { ba: 'CISO', region: 'US-CISO', egrid: 'CAMX' },
  { ba: 'ERCO', region: 'US-ERCO', egrid: 'ERCT' },
  { ba: 'PJM', region: 'US-PJM', egrid: 'RFCE RFCW RFCM SRVC' },
];

function buildGridIntensity() {
  const dir = join(outDir, 'grid-intensity');
  mkdirSync(dir, { recursive: true });
  const index = [
    'region,year,file,balancingAuthority,approxEgridSubregions,hours,gapHours,meanGCo2PerKwh,basis,licence',
  ];
  for (const { ba, region, egrid } of EIA_BA) {
    const file = join(sharedDir, `grid-intensity/us-eia930-2022/${ba}_NG_&_avgCI.csv`);
    const records = parse(readFileSync(file), { columns: true, skip_empty_lines: true });
    const out = ['hourUtc,gCo2PerKwh,carbonFreeShare'];
    let gaps = 0;
    let sum = new Decimal(0);
    let n = 0;
    for (const r of records) {
      const hour = r.timestamp.replace(' ', 'T').replace('+00:00', 'Z');
      if (r.avg_CI === '' || r.avg_CI === undefined) {
        out.push(`${hour},,`);
        gaps++;
        continue;
      }
      const g = (k) => Decimal.max(0, new Decimal(r[k] === '' ? 0 : r[k]));
      const clean = g('WND').plus(g('SUN')).plus(g('WAT')).plus(g('NUC'));
      const total = clean.plus(g('OIL')).plus(g('NG')).plus(g('COL')).plus(g('OTH'));
      const share = total.isZero() ? '' : clean.div(total).toDecimalPlaces(6).toFixed();
      const ci = new Decimal(r.avg_CI).toDecimalPlaces(4);
      sum = sum.plus(ci);
      n++;
      out.push(`${hour},${ci.toFixed()},${share}`);
    }
    const name = `${region}-2022.csv`;
    writeFileSync(join(dir, name), out.join('\n') + '\n');
    index.push(
      [
        region,
        2022,
        name,
        ba,
        egrid,
        records.length,
        gaps,
        sum.div(n).toDecimalPlaces(3).toFixed(),
        'production-based life-cycle (IPCC AR5 median per fuel)',
        'EIA-930 public domain; avg_CI derivation MIT (HPE dc-rl)',
      ].join(','),
    );
  }
  writeFileSync(join(dir, 'index.csv'), index.join('\n') + '\n');
}

function csvField(v) {
  const s = v === undefined || v === null ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

async function main() {
  const counts = {};
  const desnz = buildDesnz();
  counts.desnz = desnz.shipped;
  counts.epa = await buildEpa();
  counts.china = buildChina();
  counts.ipcc = buildIpcc();
  counts.residualMix = buildResidualMix();
  buildGridIntensity();
  rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const lines = [COLUMNS.join(',')];
  for (const r of rows) lines.push(COLUMNS.map((c) => csvField(r[c])).join(','));
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'emission-factors.csv'), lines.join('\n') + '\n');
  console.log(
    JSON.stringify({ rows: rows.length, ...counts, desnzBlankSkipped: desnz.skippedBlank }, null, 2),
  );
}

await main();
