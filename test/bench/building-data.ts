/**
 * Readers for the benchmark data folders (never used by the product):
 * - BDG2-style folders: `<building>.csv` files with `timestamp,kwh` plus `metadata.csv`
 *   (at least `building`, `tz`; optional `use`, `lat`, `lng`);
 * - BDG1 files with merged weather (`buildings-weather`: `timestamp,energy,…,TemperatureC`).
 *
 * Time base: BDG2 files hold exactly 24 rows per calendar day (no clock-change gap or
 * duplicate), so their wall-clock labels are read as a regular hourly grid with the
 * calendar taken from the labels themselves (timeZone 'UTC' as a floating local clock);
 * the site's zone only picks the holiday country.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { CalendarInfo, MeterSeries, countryFromTimeZone, markMissing } from '@halve/forecasting';

export interface BuildingMeta {
  building: string;
  tz: string;
  use: string;
}

export interface BuildingData {
  name: string;
  type: string;
  series: MeterSeries;
}

function parseLabelMs(label: string): number {
  // 'YYYY-MM-DD HH:MM:SS' (or with T / without seconds), read as a floating wall clock
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})/.exec(label.trim());
  if (!m) throw new Error(`unparseable timestamp ${label}`);
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
}

export function readMetadata(dir: string): BuildingMeta[] {
  const rows = parse(fs.readFileSync(path.join(dir, 'metadata.csv'), 'utf8'), {
    columns: true,
    skip_empty_lines: true,
  }) as Record<string, string>[];
  return rows.map((r) => ({
    building: r.building,
    tz: r.tz,
    use: r.use ?? r.primaryspaceusage ?? 'unknown',
  }));
}

/**
 * How the benches clean a building's hourly kWh (markMissing, as the product cleans a load meter): zero runs of
 * 6 h and more are missing, and so are stuck runs (`stuckRuns`, default on; `--keep-stuck-runs` in
 * bench:forecast scores on them as before session 20).
 */
export interface Cleaning {
  stuckRuns?: boolean;
}

const clean = (kwh: readonly number[], cleaning: Cleaning): number[] =>
  markMissing(kwh, 6, cleaning.stuckRuns === false ? undefined : 6);

/** Reads one `timestamp,kwh` file onto a regular hourly grid (gaps → NaN) and cleans it. */
export function readKwhFile(file: string, meta: BuildingMeta, cleaning: Cleaning = {}): BuildingData {
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split(/\r?\n/);
  const times: number[] = [];
  const values: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const comma = line.indexOf(',');
    times.push(parseLabelMs(line.slice(0, comma)));
    const raw = line.slice(comma + 1).trim();
    values.push(raw === '' ? Number.NaN : Number(raw));
  }
  const startMs = times[0];
  const hour = 3_600_000;
  const n = Math.round((times[times.length - 1] - startMs) / hour) + 1;
  const grid = new Array<number>(n).fill(Number.NaN);
  times.forEach((t, i) => {
    const k = Math.round((t - startMs) / hour);
    if (k >= 0 && k < n) grid[k] = values[i];
  });
  return {
    name: meta.building,
    type: meta.use,
    series: {
      startMs,
      intervalMinutes: 60,
      valuesKwh: clean(grid, cleaning),
      timeZone: 'UTC',
      countryCode: countryFromTimeZone(meta.tz),
    },
  };
}

/** Index of the series' first local midnight in its second calendar year (a BDG2 folder's test year), if any. */
export function secondYearStart(s: MeterSeries, calendar: CalendarInfo): number | undefined {
  const firstYear = new Date(s.startMs).getUTCFullYear();
  return calendar.dayStarts.find(
    (i) => new Date(s.startMs + i * s.intervalMinutes * 60_000).getUTCFullYear() > firstYear,
  );
}

/** All buildings of a BDG2-style folder, in metadata order. */
export function readBuildingsFolder(dir: string, cleaning: Cleaning = {}): BuildingData[] {
  return readMetadata(dir)
    .filter((m) => fs.existsSync(path.join(dir, `${m.building}.csv`)))
    .map((m) => readKwhFile(path.join(dir, `${m.building}.csv`), m, cleaning));
}

const BDG1_ZONES: Record<string, string> = {
  Office_Abigail: 'America/Phoenix',
  UnivClass_Abby: 'America/Phoenix',
  UnivDorm_Prince: 'America/New_York',
  UnivLab_Christy: 'America/New_York',
  PrimClass_Jaden: 'Europe/London',
};

/** Interpolates temperature gaps ≤ 6 h in place (CalTRACK), leaving longer gaps missing. */
function interpolateShortGaps(temp: number[]): void {
  const n = temp.length;
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(temp[i])) continue;
    let j = i;
    while (j < n && !Number.isFinite(temp[j])) j++;
    if (i > 0 && j < n && j - i <= 6) {
      for (let k = i; k < j; k++)
        temp[k] = temp[i - 1] + ((temp[j] - temp[i - 1]) * (k - i + 1)) / (j - i + 1);
    }
    i = j;
  }
}

/**
 * The demo organisation's Phoenix office (libs/metering/demo: `bdg1-office-abigail-2015.csv`,
 * `timestamp,kwh`, and `…-weather.csv`, `timestamp,temperature_c` with −9999 sentinels), as the
 * weather folders are read.
 */
export function readDemoOffice(dir: string, cleaning: Cleaning = {}): BuildingData {
  const office = readKwhFile(
    path.join(dir, 'bdg1-office-abigail-2015.csv'),
    { building: 'demo Phoenix office', tz: 'America/Phoenix', use: 'Office' },
    cleaning,
  );
  const { startMs, valuesKwh } = office.series;
  const temp = new Array<number>(valuesKwh.length).fill(Number.NaN);
  const lines = fs
    .readFileSync(path.join(dir, 'bdg1-office-abigail-2015-weather.csv'), 'utf8')
    .split(/\r?\n/);
  for (const line of lines.slice(1)) {
    if (!line) continue;
    const [label, raw] = line.split(',');
    const k = Math.round((parseLabelMs(label) - startMs) / 3_600_000);
    const t = Number(raw);
    if (k >= 0 && k < temp.length && raw !== '' && Number.isFinite(t) && t > -50) temp[k] = t;
  }
  interpolateShortGaps(temp);
  return { ...office, series: { ...office.series, temperatureC: temp } };
}

/** BDG1 files with merged weather: energy + TemperatureC (−9999 sentinels → missing). */
export function readWeatherFolder(dir: string, cleaning: Cleaning = {}): BuildingData[] {
  const files = fs
    .readdirSync(dir)
    .filter((f) => /^[A-Za-z]+_[A-Za-z]+\.csv$/.test(f) && !f.startsWith('meta'));
  return files.map((f) => {
    const name = f.replace(/\.csv$/, '');
    const rows = parse(fs.readFileSync(path.join(dir, f), 'utf8'), {
      columns: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as Record<string, string>[];
    const times = rows.map((r) => parseLabelMs(r.timestamp));
    const startMs = Math.min(...times);
    const n = Math.round((Math.max(...times) - startMs) / 3_600_000) + 1;
    const kwh = new Array<number>(n).fill(Number.NaN);
    const temp = new Array<number>(n).fill(Number.NaN);
    rows.forEach((r, i) => {
      const k = Math.round((times[i] - startMs) / 3_600_000);
      const e = Number(r.energy);
      const t = Number(r.TemperatureC);
      kwh[k] = Number.isFinite(e) ? e : Number.NaN;
      temp[k] = Number.isFinite(t) && t > -50 ? t : Number.NaN;
    });
    interpolateShortGaps(temp);
    const zone = BDG1_ZONES[name] ?? 'UTC';
    return {
      name,
      type: name.split('_')[0],
      series: {
        startMs,
        intervalMinutes: 60,
        valuesKwh: clean(kwh, cleaning),
        timeZone: 'UTC',
        countryCode: countryFromTimeZone(zone),
        temperatureC: temp,
      },
    };
  });
}
