/* global process, console */
// Builds airports.csv: the airports listed in airports.list.csv (IATA, ICAO, name, city, country, all
// stated there), each placed at the mean of its open runways' end coordinates in OurAirports'
// runways.csv (public domain, https://github.com/davidmegginson/ourairports-data).
// Usage: node libs/carbon/data/airports/build-from-runways.mjs <path to runways.csv>
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const runwaysPath = process.argv[2];
if (!runwaysPath) throw new Error('usage: build-from-runways.mjs <runways.csv>');

/** One CSV line: quoted fields with doubled quotes (OurAirports' quoting). */
function fields(line) {
  const out = [];
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

const list = readFileSync(join(here, 'airports.list.csv'), 'utf8').trim().split('\n').slice(1).map(fields);
const wanted = new Set(list.map((r) => r[1]));
const ends = new Map();
const lines = readFileSync(runwaysPath, 'utf8').split('\n');
const head = fields(lines[0]);
const col = (n) => head.indexOf(n);
for (const line of lines.slice(1)) {
  if (!line) continue;
  const r = fields(line);
  const ident = r[col('airport_ident')];
  if (!wanted.has(ident) || r[col('closed')] === '1') continue;
  for (const p of ['le', 'he']) {
    const lat = r[col(`${p}_latitude_deg`)];
    const lon = r[col(`${p}_longitude_deg`)];
    if (lat && lon) (ends.get(ident) ?? ends.set(ident, []).get(ident)).push([Number(lat), Number(lon)]);
  }
}
const q = (s) => (/[",]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const out = ['iata,icao,name,city,country,lat,lon,runwayEnds'];
for (const [iata, icao, name, city, country] of list) {
  const pts = ends.get(icao);
  if (!pts?.length) throw new Error(`${icao}: no runway ends in ${runwaysPath}`);
  const lat = pts.reduce((s, p) => s + p[0], 0) / pts.length;
  const lon = pts.reduce((s, p) => s + p[1], 0) / pts.length;
  out.push([iata, icao, q(name), q(city), country, lat.toFixed(4), lon.toFixed(4), pts.length].join(','));
}
writeFileSync(join(here, 'airports.csv'), out.join('\n') + '\n');
console.log(`${list.length} airports written`);
