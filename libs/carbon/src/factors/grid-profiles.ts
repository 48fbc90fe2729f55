import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { findCarbonDataDir } from './factor-library';
import { normaliseRegion } from './regions';

/** One row of the shipped `grid-intensity/index.csv`: a region's hourly profile of one year. */
export interface GridProfileIndexRow {
  /** The profile's region (a balancing authority, e.g. US-CISO). */
  region: string;
  year: number;
  file: string;
  /** The grid regions (eGRID subregions) the balancing authority approximately covers. */
  subregions: string[];
  /** What the numbers mean, e.g. "production-based life-cycle (IPCC AR5 median per fuel)". */
  basis: string;
  licence: string;
}

/** The hourly grid-intensity profile chosen for a grid region and a year. */
export interface GridProfileChoice {
  /** The profile's region (a site's eGRID subregion maps to the balancing authority that covers it). */
  region: string;
  /** The profile's year: the requested year when shipped, else the latest earlier year, else the earliest. */
  year: number;
  /** The year asked for; `year !== requestedYear` makes the profile a named proxy. */
  requestedYear: number;
  /** Every shipped year of the region's profile, ascending. */
  years: number[];
  file: string;
  basis: string;
  licence: string;
  /** Average or marginal intensity, read from the basis. */
  intensityKind: 'average' | 'marginal';
}

let index: GridProfileIndexRow[] | null = null;

/** The shipped profiles (read once). */
export function gridProfileIndex(): GridProfileIndexRow[] {
  if (!index) {
    const rows = parse(readFileSync(join(findCarbonDataDir(), 'grid-intensity', 'index.csv'), 'utf8'), {
      columns: true,
      skip_empty_lines: true,
    }) as Record<string, string>[];
    index = rows.map((r) => ({
      region: r.region,
      year: Number(r.year),
      file: r.file,
      subregions: (r.approxEgridSubregions ?? '').split(/\s+/).filter(Boolean),
      basis: r.basis,
      licence: r.licence,
    }));
  }
  return index;
}

/**
 * The one rule for which hourly grid-intensity profile prices a grid region's electricity in a
 * year (hourly Scope 2, site analysis): the region's own profile or the one of the balancing
 * authority covering its eGRID subregion; that year's, else the latest earlier year's, else the
 * earliest. Null when no profile covers the region (the caller uses the annual factor).
 */
export function selectGridProfile(
  region: string,
  year: number,
  rows: GridProfileIndexRow[] = gridProfileIndex(),
): GridProfileChoice | null {
  const r = normaliseRegion(region);
  const matches = rows.filter((p) => p.region === r || p.subregions.includes(r));
  if (!matches.length) return null;
  const years = matches.map((m) => m.year).sort((a, b) => a - b);
  const earlier = years.filter((y) => y <= year);
  const use = earlier.length ? Math.max(...earlier) : Math.min(...years);
  const row = matches.find((m) => m.year === use) as GridProfileIndexRow;
  return {
    region: row.region,
    year: use,
    requestedYear: year,
    years,
    file: row.file,
    basis: row.basis,
    licence: row.licence,
    intensityKind: /marginal/i.test(row.basis) ? 'marginal' : 'average',
  };
}
