/**
 * GEFCom2014 solar data of bench:pv: the three farms' hourly output and ECMWF predictors,
 * accumulated fields differenced (see pv.ts for the quirks).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { PvSeries, deaccumulate, shiftedSeries } from '@halve/forecasting';

export const HOUR = 3_600_000;
export const FARMS = [
  { zone: 1, latitudeDeg: -37.5, longitudeDeg: 145, altitudeM: 595 },
  { zone: 2, latitudeDeg: -37.5, longitudeDeg: 145, altitudeM: 602 },
  { zone: 3, latitudeDeg: -37.5, longitudeDeg: 145, altitudeM: 951 },
];

function parseLabel(label: string): number {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})[ T](\d{1,2}):(\d{2})/.exec(label.trim());
  if (!m) throw new Error(`bad timestamp ${label}`);
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
}

function readCsv(file: string): string[][] {
  const raw = fs.readFileSync(file);
  const text = file.endsWith('.gz') ? zlib.gunzipSync(raw).toString('utf8') : raw.toString('utf8');
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split(','));
}

export interface Zone {
  startMs: number;
  length: number;
  power: number[];
  predictors: Record<string, number[]>;
}

export function loadZones(dir: string): Map<number, Zone> {
  const power = readCsv(path.join(dir, 'power_2012-04_2014-07_train16.csv'));
  const preds = readCsv(path.join(dir, 'predictors_2012-04_2014-07_MERGED_DERIVED.csv.gz'));
  const header = preds[0];
  const col = (name: string): number => header.indexOf(name);
  const zones = new Map<number, Zone>();
  const startMs = Date.UTC(2012, 3, 1, 0); // first label 2012-04-01 01:00 = interval starting 00:00
  const length = Math.round((Date.UTC(2014, 6, 1, 0) - startMs) / HOUR);
  for (const f of FARMS) {
    const empty = (): number[] => new Array<number>(length).fill(Number.NaN);
    zones.set(f.zone, { startMs, length, power: empty(), predictors: {} });
  }
  for (const row of power.slice(1)) {
    const z = zones.get(Number(row[0]));
    const i = Math.round((parseLabel(row[1]) - HOUR - startMs) / HOUR);
    if (z && i >= 0 && i < length) z.power[i] = Number(row[2]);
  }
  const raw: Record<number, Record<string, number[]>> = {};
  const vars = [
    'VAR78',
    'VAR79',
    'VAR134',
    'VAR157',
    'VAR164',
    'VAR165',
    'VAR166',
    'VAR167',
    'VAR169',
    'VAR175',
    'VAR178',
    'VAR228',
  ];
  for (const f of FARMS)
    raw[f.zone] = Object.fromEntries(vars.map((v) => [v, new Array<number>(length).fill(Number.NaN)]));
  for (const row of preds.slice(1)) {
    const zone = Number(row[col('ZONEID')]);
    const i = Math.round((parseLabel(row[col('TIMESTAMP')]) - HOUR - startMs) / HOUR);
    if (!raw[zone] || i < 0 || i >= length) continue;
    for (const v of vars) raw[zone][v][i] = Number(row[col(v)]);
  }
  for (const f of FARMS) {
    const r = raw[f.zone];
    // run start: the interval starting 00 UTC (label 01:00)
    const runStart = (i: number): boolean => new Date(startMs + i * HOUR).getUTCHours() === 0;
    const flux = (name: string): number[] => deaccumulate(r[name], runStart).map((v) => v / 3600);
    const ssrd = flux('VAR169');
    zones.get(f.zone)!.predictors = {
      ssrdWm2: ssrd,
      ssrdPrevWm2: shiftedSeries(ssrd, -1),
      ssrdNextWm2: shiftedSeries(ssrd, 1),
      strdWm2: flux('VAR175'),
      tsrWm2: flux('VAR178'),
      precipitationMm: deaccumulate(r.VAR228, runStart).map((v) => v * 1000),
      cloudCover: r.VAR164,
      cloudCoverPrev: shiftedSeries(r.VAR164, -1),
      cloudCoverNext: shiftedSeries(r.VAR164, 1),
      liquidWaterKgM2: r.VAR78,
      iceWaterKgM2: r.VAR79,
      pressurePa: r.VAR134,
      humidityPercent: r.VAR157,
      temperatureC: r.VAR167.map((k) => k - 273.15),
      windSpeedMs: r.VAR165.map((u, i) => Math.hypot(u, r.VAR166[i])),
    };
  }
  return zones;
}

/**
 * A task's month (task 1 = April 2013) as hour indices [from, to) of the zones' series, and the three
 * farms as PvSeries over the whole data (output after `from` is there: callers train on hours before it).
 */
export function gefcomTask(zones: Map<number, Zone>, task: number) {
  const monthStart = Date.UTC(2013, 3 + task - 1, 1);
  const monthEnd = Date.UTC(2013, 3 + task, 1);
  const z0 = zones.get(FARMS[0].zone)!;
  const from = Math.round((monthStart - z0.startMs) / HOUR);
  const to = Math.round((monthEnd - z0.startMs) / HOUR);
  const sites: PvSeries[] = FARMS.map((farm) => {
    const z = zones.get(farm.zone)!;
    return {
      startMs: z.startMs,
      intervalMinutes: 60,
      generationFraction: z.power,
      latitudeDeg: farm.latitudeDeg,
      longitudeDeg: farm.longitudeDeg,
      altitudeM: farm.altitudeM,
      predictors: z.predictors,
      length: z.length,
      siteKey: `zone${farm.zone}`,
    };
  });
  return {
    monthStart,
    monthEnd,
    from,
    to,
    sites,
    startMs: z0.startMs,
    hours: measuredHours(sites, from, to),
  };
}

/** The scored hours of [from, to): each farm's hours with measured output, by farm and offset from `from`. */
function measuredHours(sites: readonly PvSeries[], from: number, to: number) {
  const hours: { site: number; offset: number; actual: number }[] = [];
  sites.forEach((s, k) => {
    for (let i = from; i < to; i++)
      if (Number.isFinite(s.generationFraction![i]))
        hours.push({ site: k, offset: i - from, actual: s.generationFraction![i] });
  });
  return hours;
}
