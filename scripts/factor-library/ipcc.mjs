// IPCC 2006 defaults (global fallback) and AIB residual mixes (OEFDB, CC BY-SA 4.0). Part of scripts/build-factor-library.mjs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import Decimal from 'decimal.js';
import { sharedDir, AR5, dec, add } from './common.mjs';
import { co2eAr5 } from './epa.mjs';

// ---------------------------------------------------------------- IPCC 2006 defaults (GLOBAL fallback)
/**
 * IPCC 2006 Guidelines Vol. 2 Ch. 2, Table 2.2 (CO2, kg/TJ NCV) with CH4/N2O for the
 * commercial/institutional sector (Table 2.4). CO2 values are as recorded in the shared China
 * file (not re-read from the PDF); CH4/N2O recorded from knowledge. All ✘.
 */
export const IPCC = [
  ['natural_gas', '', 'Natural gas', 56100, 5, 0.1],
  ['diesel', '', 'Gas/diesel oil', 74100, 10, 0.6],
  ['gas_oil', '', 'Gas/diesel oil', 74100, 10, 0.6],
  ['petrol', '', 'Motor gasoline', 69300, 10, 0.6],
  ['fuel_oil', '', 'Residual fuel oil', 77400, 10, 0.6],
  ['lpg', '', 'Liquefied petroleum gases', 63100, 5, 0.1],
  ['coal', '', 'Other bituminous coal', 94600, 10, 1.5],
  ['coal', 'anthracite', 'Anthracite', 98300, 10, 1.5],
];

export function buildIpcc() {
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
export function buildResidualMix() {
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
