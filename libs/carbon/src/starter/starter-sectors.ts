import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { CarbonDataError } from '../factors/errors';
import { findCarbonDataDir } from '../factors/factor-library';

/** The sector code systems a profile may name: NACE Rev.2, UK SIC 2007 (NACE-based divisions) or NAICS 2017. */
export const SECTOR_SCHEMES = ['nace', 'uk_sic', 'naics'] as const;
export type SectorScheme = (typeof SECTOR_SCHEMES)[number];

/** One row of the internal sector list (libs/carbon/data/starter/sectors.csv). */
export interface StarterSector {
  sector: string;
  label: string;
  /** BDG2 primary use whose median electricity intensity the sector's premises take. */
  buildingUse: string;
  heatingKwhPerM2: string;
  heatingBasis: string;
  heatingVerification: string;
  /** The NAICS-6 code of the EPA v1.3 spend factor used for the sector's purchases. */
  naics: string;
  /** The EXIOBASE product (OEFDB activity id) used instead for GBP and EUR profiles, as the ledger does. */
  exiobase: string;
  /** Share of revenue spent on purchased goods and services (a stated assumption). */
  purchaseShare: string;
  purchaseShareVerification: string;
}

/** Median electricity use per m² and year of one BDG2 primary use (electricity-eui-bdg2.csv). */
export interface BuildingEui {
  primaryUse: string;
  buildings: number;
  medianKwhPerM2Year: string;
  minKwhPerM2Year: string;
  maxKwhPerM2Year: string;
}

interface CodeRange {
  scheme: 'nace' | 'naics';
  from: string;
  to: string;
  sector: string;
}

export interface StarterTables {
  sectors: Map<string, StarterSector>;
  eui: Map<string, BuildingEui>;
  codes: CodeRange[];
}

const rows = (text: string) =>
  parse(text, { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];

/** Parses the three shipped starter tables and checks that every sector's building use and code range resolves. */
export function parseStarterTables(sectorsCsv: string, euiCsv: string, codesCsv: string): StarterTables {
  const eui = new Map<string, BuildingEui>(
    rows(euiCsv).map((r) => [
      r.primaryUse,
      {
        primaryUse: r.primaryUse,
        buildings: Number(r.buildings),
        medianKwhPerM2Year: r.medianKwhPerM2Year,
        minKwhPerM2Year: r.minKwhPerM2Year,
        maxKwhPerM2Year: r.maxKwhPerM2Year,
      },
    ]),
  );
  const sectors = new Map<string, StarterSector>();
  for (const r of rows(sectorsCsv)) {
    if (!eui.has(r.buildingUse))
      throw new CarbonDataError(`starter sector ${r.sector}: no BDG2 intensity for '${r.buildingUse}'`);
    sectors.set(r.sector, r as unknown as StarterSector);
  }
  const codes = rows(codesCsv).map((r) => {
    if (!sectors.has(r.sector))
      throw new CarbonDataError(`starter sector code range: unknown sector ${r.sector}`);
    return r as unknown as CodeRange;
  });
  return { sectors, eui, codes };
}

let cached: StarterTables | undefined;

export function loadStarterTables(dataDir: string = findCarbonDataDir()): StarterTables {
  const read = (f: string) => readFileSync(join(dataDir, 'starter', f), 'utf8');
  cached ??= parseStarterTables(
    read('sectors.csv'),
    read('electricity-eui-bdg2.csv'),
    read('sector-codes.csv'),
  );
  return cached;
}

/**
 * The digits of a sector code: NACE "62.01" or "J62.01" → "6201", UK SIC "62012" → "62012", NAICS
 * "541511" → "541511"; null when it is not a code of that scheme.
 */
export function codeDigits(scheme: SectorScheme, code: string): string | null {
  const c = code.trim().toUpperCase();
  if (scheme === 'naics') return /^\d{2,6}$/.test(c) ? c : null;
  if (scheme === 'uk_sic') {
    const d = c.replace(/\.|\/\d$/g, '');
    return /^\d{2,5}$/.test(d) ? d : null;
  }
  const m = /^[A-U]?(\d{2})(?:\.(\d{1,2}))?$/.exec(c);
  return m ? `${m[1]}${m[2] ?? ''}` : null;
}

/**
 * The internal sector of a code: NACE and UK SIC 2007 by their division (first two digits; UK SIC 2007
 * follows NACE Rev.2 to the class), NAICS by its longest listed prefix. Null when the code is not one of the
 * scheme's or its division/prefix is not covered (agriculture, mining, utilities).
 */
export function sectorOf(t: StarterTables, scheme: SectorScheme, code: string): StarterSector | null {
  const digits = codeDigits(scheme, code);
  if (!digits) return null;
  const table = scheme === 'naics' ? 'naics' : 'nace';
  let best: CodeRange | undefined;
  for (const r of t.codes) {
    if (r.scheme !== table) continue;
    const prefix = digits.slice(0, r.from.length);
    if (prefix.length !== r.from.length || prefix < r.from || prefix > r.to) continue;
    if (!best || r.from.length > best.from.length) best = r;
  }
  return best ? (t.sectors.get(best.sector) ?? null) : null;
}
