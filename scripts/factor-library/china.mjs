// China MEE / NBS grid factors. Part of scripts/build-factor-library.mjs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { sharedDir, dec, add } from './common.mjs';

// ---------------------------------------------------------------- China MEE / NBS
export const CN_REGIONS = {
  'North China': 'CN-North',
  Northeast: 'CN-Northeast',
  'East China': 'CN-East',
  'Central China': 'CN-Central',
  Northwest: 'CN-Northwest',
  South: 'CN-South',
  Southwest: 'CN-Southwest',
};
export const CN_PROVINCES = {
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

export function buildChina() {
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
