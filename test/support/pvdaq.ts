import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/*
 * NREL PVDAQ system 50 (Golden CO, 15-minute AC power in W, the demo's 2012 file) and the NSRDB PSM3
 * irradiance and temperature of the same site, May–early July 2012 (test/fixtures/SOURCE.md).
 */
const root = join(__dirname, '..', '..');
/** The PVDAQ file's lines, header first. */
export const pvdaq = readFileSync(join(root, 'libs', 'metering', 'demo', 'pvdaq-system50-2012.csv'), 'utf8')
  .trim()
  .split('\n');
/** The site's weather CSV (PSM3), as uploaded to a site's weather route. */
export const psm3 = readFileSync(
  join(root, 'test', 'fixtures', 'forecasting', 'pvdaq-system50-psm3-2012-05-01_07-03.csv'),
  'utf8',
);
/** PVDAQ rows whose local timestamp text lies in [from, to). */
export const pvRows = (from: string, to: string) => pvdaq.slice(1).filter((l) => l >= from && l < to);
/** A PVDAQ CSV (header and the rows in [from, to)), in W. */
export const pvCsv = (from: string, to: string) => [pvdaq[0], ...pvRows(from, to)].join('\n');
/**
 * The same rows as an hourly file: each hour's mean W (the hours whose four quarters are all in the
 * file), stamped with the hour's start in the file's own offset.
 */
export const pvHourlyCsv = (from: string, to: string) => {
  const byHour = new Map<string, number[]>();
  for (const line of pvRows(from, to)) {
    const [ts, w] = line.split(',');
    const hour = `${ts.slice(0, 14)}00:00${ts.slice(19)}`;
    byHour.set(hour, [...(byHour.get(hour) ?? []), Number(w)]);
  }
  const rows = [...byHour]
    .filter(([, ws]) => ws.length === 4 && ws.every(Number.isFinite))
    .map(([hour, ws]) => `${hour},${(ws.reduce((a, v) => a + v, 0) / 4).toFixed(4)}`);
  return [pvdaq[0], ...rows].join('\n');
};
/** Where the array stands: a site body's fields but its name. */
export const GOLDEN_SITE = {
  country: 'US',
  timezone: 'America/Denver',
  latitude: 39.7406,
  longitude: -105.1775,
} as const;
/** The array as a meter: a meter body's fields but its site and name. */
export const PV_METER = {
  kind: 'pv_generation',
  intervalMinutes: 15,
  capacityKw: 3.5,
  tiltDeg: 45,
  azimuthDeg: 158,
} as const;
