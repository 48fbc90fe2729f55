import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { CarbonDecimal, toDecimal } from './decimal';
import { CarbonDataError } from './errors';
import { findCarbonDataDir } from './factor-library';

/** One hour of grid intensity; null values are gaps (the caller falls back to an annual factor). */
export interface HourlyIntensity {
  /** ISO UTC start of the hour, e.g. 2022-01-01T00:00:00Z. */
  hourUtc: string;
  gCo2PerKwh: CarbonDecimal | null;
  /** Share (0..1) of carbon-free generation in the hour, when derivable. */
  carbonFreeShare: CarbonDecimal | null;
}

export interface GridIntensityProfile {
  region: string;
  year: number;
  /** Where the numbers come from and what they mean (basis, dataset version). */
  dataset: string;
  hours: HourlyIntensity[];
}

function toIsoHour(raw: string): string {
  const s = raw.trim().replace(' ', 'T');
  const withZone = /Z|[+-]\d\d:\d\d$/.test(s) ? s : `${s}Z`;
  const t = Date.parse(withZone);
  if (Number.isNaN(t)) throw new CarbonDataError(`bad timestamp '${raw}' in grid-intensity file`);
  return new Date(t).toISOString().replace('.000Z', 'Z');
}

const dec = (v: string | undefined): CarbonDecimal | null =>
  v === undefined || v.trim() === '' ? null : toDecimal(v);

/**
 * Parses an hourly grid-intensity CSV in any of the layouts we know, mapping columns by meaning:
 *  - Halve's shipped layout: hourUtc,gCo2PerKwh,carbonFreeShare
 *  - Electricity Maps exports (old: "Carbon Intensity gCO₂eq/kWh (direct)", "Low Carbon Percentage";
 *    new: "Carbon intensity gCO₂eq/kWh (direct)", "Carbon-free energy percentage (CFE%)").
 *    These are never shipped (licence); use them from a data folder in benchmarks only.
 * `intensityColumn` picks 'direct' (default) or 'lifecycle' where both exist.
 */
export function parseHourlyIntensityCsv(
  text: string,
  options: { intensityColumn?: 'direct' | 'lifecycle' } = {},
): HourlyIntensity[] {
  const records = parse(text, { columns: true, skip_empty_lines: true, bom: true }) as Record<
    string,
    string
  >[];
  if (!records.length) return [];
  const cols = Object.keys(records[0]);
  const find = (re: RegExp) => cols.find((c) => re.test(c));
  const time = find(/^hourUtc$/) ?? find(/^Datetime \(UTC\)$/i) ?? find(/^timestamp$/i);
  const lifecycle = options.intensityColumn === 'lifecycle';
  const intensity =
    find(/^gCo2PerKwh$/) ??
    (lifecycle ? find(/intensity.*\((LCA|Life cycle)\)/i) : find(/intensity.*\(direct\)/i)) ??
    find(/^avg_CI$/);
  const cfe = find(/^carbonFreeShare$/);
  const cfePct = find(/Carbon-free energy percentage/i) ?? find(/Low Carbon Percentage/i);
  if (!time || !intensity)
    throw new CarbonDataError(`grid-intensity CSV: no time/intensity column in ${cols.join(',')}`);
  return records.map((r) => ({
    hourUtc: toIsoHour(r[time]),
    gCo2PerKwh: dec(r[intensity]),
    carbonFreeShare: cfe ? dec(r[cfe]) : cfePct ? (dec(r[cfePct])?.div(100) ?? null) : null,
  }));
}

/** Loads a shipped profile `libs/carbon/data/grid-intensity/<region>-<year>.csv` (or from `dataDir`). */
export function loadGridIntensityProfile(
  region: string,
  year: number,
  options: { dataDir?: string } = {},
): GridIntensityProfile {
  const dir = options.dataDir ?? join(findCarbonDataDir(), 'grid-intensity');
  const text = readFileSync(join(dir, `${region}-${year}.csv`), 'utf8');
  return {
    region,
    year,
    dataset: `${region}-${year}.csv (EIA-930 generation mix, life-cycle production-based intensity)`,
    hours: parseHourlyIntensityCsv(text),
  };
}
