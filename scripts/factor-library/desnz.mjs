// UK DESNZ 2024 v1.1 conversion factors (OGL v3). Part of scripts/build-factor-library.mjs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { sharedDir, dec, slug, add } from './common.mjs';

// ---------------------------------------------------------------- UK DESNZ 2024 v1.1
export const DESNZ = {
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

export const DESNZ_UNITS = {
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

export const FUEL_NAMES = {
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

export const CAR_FUEL = (text) =>
  slug(text.replace('Plug-in Hybrid Electric Vehicle', 'phev').replace('Battery Electric Vehicle', 'bev'));

export function vehicleVariant(l2, l3, l4, col) {
  const parts = [];
  if (/market segment/i.test(l2)) parts.push(`segment_${slug(l3)}`);
  else parts.push(slug(l3));
  if (l4) parts.push(slug(l4));
  if (col) parts.push(/laden/i.test(col) ? slug(col) : CAR_FUEL(col));
  return parts.join('.');
}

/** Maps a DESNZ row group to the controlled vocabulary; null = not an emission factor we ship. */
export function desnzActivity(scope, l1, l2, l3, l4, col) {
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

export const HOTEL_COUNTRY = {
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

export function buildDesnz() {
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
