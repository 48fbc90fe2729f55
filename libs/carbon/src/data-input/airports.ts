import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findCarbonDataDir } from '../factors/factor-library';

/**
 * The airports a flight can be entered by (libs/carbon/data/airports/airports.csv, SOURCE.md there):
 * the largest airports, each placed at the mean of its runway ends in OurAirports (public domain).
 */
export interface Airport {
  iata: string;
  icao: string;
  name: string;
  city: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  lat: number;
  lon: number;
}

/** One CSV line with double-quoted fields (quotes doubled inside). */
export function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

export function parseAirportsCsv(text: string): Airport[] {
  const [head, ...rows] = text.trim().split(/\r?\n/);
  const cols = csvFields(head);
  const at = (r: string[], name: string) => r[cols.indexOf(name)];
  return rows.map((line) => {
    const r = csvFields(line);
    return {
      iata: at(r, 'iata'),
      icao: at(r, 'icao'),
      name: at(r, 'name'),
      city: at(r, 'city'),
      country: at(r, 'country'),
      lat: Number(at(r, 'lat')),
      lon: Number(at(r, 'lon')),
    };
  });
}

let cached: Map<string, Airport> | undefined;

/** The shipped airports by IATA code (read once). */
export function airports(dataDir?: string): Map<string, Airport> {
  if (cached && !dataDir) return cached;
  const dir = dataDir ?? findCarbonDataDir();
  const list = parseAirportsCsv(readFileSync(join(dir, 'airports', 'airports.csv'), 'utf8'));
  const byCode = new Map(list.map((a) => [a.iata, a]));
  if (!dataDir) cached = byCode;
  return byCode;
}
