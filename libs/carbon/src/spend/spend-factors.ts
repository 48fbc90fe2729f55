import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { CarbonDataError } from '../factors/errors';
import { findCarbonDataDir } from '../factors/factor-library';

/** A spend-based (EEIO) factor: kg CO2e per unit of currency of its base year. */
export interface SpendFactor {
  /** `naics:541511` or `exiobase:<activity_id>:<region>`. */
  id: string;
  set: 'epa-useeio-v1.3' | 'exiobase-3';
  /** NAICS code or EXIOBASE product id (the key mapping rules name). */
  code: string;
  title: string;
  region: string;
  currency: 'USD' | 'EUR';
  /** The year of the currency the factor is expressed in. */
  baseYear: number;
  /** The factor used for purchaser-price spend (EPA: with margins; EXIOBASE: AR5). */
  kgCo2ePerUnit: string;
  /** EPA only: cradle to factory gate (producer price). */
  withoutMargins?: string;
  /** EPA only: the margins part. */
  margins?: string;
  source: string;
  licence: string;
}

export const EPA_FILE = join(
  'spend',
  'epa-useeio-v1.3',
  'SupplyChainGHGEmissionFactors_v1.3.0_NAICS_CO2e_USD2022.csv',
);
export const EXIOBASE_FILE = join('spend', 'exiobase-oefdb', 'OpenEmissionFactorsDB_EXIOBASE_EUR_rows.csv');

const EPA_SOURCE =
  'US EPA Supply Chain GHG Emission Factors v1.3 (NAICS-6, USD 2022 purchaser price, with margins)';
const EXIOBASE_SOURCE = 'EXIOBASE 3 (2019) via Open Emission Factors Database (Climatiq)';

const rows = (text: string) =>
  parse(text, { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];

const decimal = (v: string | undefined, where: string): string => {
  if (v === undefined || !/^\d+(\.\d+)?$/.test(v.trim()))
    throw new CarbonDataError(`${where}: factor '${v}'`);
  return v.trim();
};

/** Parses the EPA v1.3 NAICS CO2e file (its original columns). */
export function parseEpaNaicsCsv(text: string): SpendFactor[] {
  return rows(text).map((r, i) => {
    const code = r['2017 NAICS Code'];
    const where = `EPA NAICS row ${i + 2} (${code})`;
    if (!/^\d{6}$/.test(code ?? '')) throw new CarbonDataError(`${where}: NAICS code`);
    if (!String(r.Unit).startsWith('kg CO2e/2022 USD')) throw new CarbonDataError(`${where}: unit ${r.Unit}`);
    return {
      id: `naics:${code}`,
      set: 'epa-useeio-v1.3',
      code,
      title: r['2017 NAICS Title'],
      region: 'US',
      currency: 'USD',
      baseYear: 2022,
      kgCo2ePerUnit: decimal(r['Supply Chain Emission Factors with Margins'], where),
      withoutMargins: decimal(r['Supply Chain Emission Factors without Margins'], where),
      margins: decimal(r['Margins of Supply Chain Emission Factors'], where),
      source: EPA_SOURCE,
      licence: 'US public domain',
    };
  });
}

/** Parses the OEFDB EXIOBASE EUR rows (kgCO2e-AR5 per EUR of the data year). */
export function parseExiobaseCsv(text: string): SpendFactor[] {
  return rows(text).map((r, i) => {
    const where = `EXIOBASE row ${i + 2} (${r.activity_id} ${r.region})`;
    if (r.activity_unit !== 'EUR') throw new CarbonDataError(`${where}: unit ${r.activity_unit}`);
    const year = Number(r.years_calculated_from);
    if (!Number.isInteger(year)) throw new CarbonDataError(`${where}: year '${r.years_calculated_from}'`);
    return {
      id: `exiobase:${r.activity_id}:${r.region}`,
      set: 'exiobase-3',
      code: r.activity_id,
      title: r.name,
      region: r.region,
      currency: 'EUR',
      baseYear: year,
      kgCo2ePerUnit: decimal(r['kgCO2e-AR5'], where),
      source: `${EXIOBASE_SOURCE}, ${r.region}, AR5`,
      licence: 'CC BY-SA 4.0',
    };
  });
}

export interface SpendFactorTables {
  naics: Map<string, SpendFactor>;
  /** key `${activity_id}:${region}` */
  exiobase: Map<string, SpendFactor>;
}

let cached: SpendFactorTables | undefined;

/** Both tables, read once from libs/carbon/data/spend. */
export function loadSpendFactors(dataDir: string = findCarbonDataDir()): SpendFactorTables {
  if (cached) return cached;
  const naics = parseEpaNaicsCsv(readFileSync(join(dataDir, EPA_FILE), 'utf8'));
  const exio = parseExiobaseCsv(readFileSync(join(dataDir, EXIOBASE_FILE), 'utf8'));
  cached = {
    naics: new Map(naics.map((f) => [f.code, f])),
    exiobase: new Map(exio.map((f) => [`${f.code}:${f.region}`, f])),
  };
  return cached;
}
