import { DateTime } from 'luxon';

export interface WeatherRow {
  ts: Date;
  temperatureC: number | null;
  ghiWM2: number | null;
  cloudCoverPct: number | null;
  windSpeedMS: number | null;
}

export interface WeatherParse {
  rows: WeatherRow[];
  rowsRead: number;
  rowsRejected: number;
  rowsMissing: number;
  errors: { line: number; message: string }[];
  columns: Record<string, string>;
}

export class WeatherFileError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const PATTERNS: [keyof Omit<WeatherRow, 'ts'>, RegExp][] = [
  ['temperatureC', /temp|t2m|dry.?bulb|air_?temperature/i],
  ['ghiWM2', /ghi|irradiance|global.?horizontal|solar.?rad/i],
  ['cloudCoverPct', /cloud/i],
  ['windSpeedMS', /wind.?speed|^wind$|ws/i],
];
const TIMESTAMP = /^(timestamp|datetime|date.?time|time|date|ts|measured_on|start)$/i;

function splitLine(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

/**
 * Hourly (or finer) site weather from a CSV: a timestamp column and any of temperature, irradiance
 * (GHI), cloud cover and wind speed, found by their header names. Local times are the site's zone;
 * a time that does not exist there, or a value outside physical limits, rejects that row alone.
 * Fahrenheit headers (`°F`, `_f`, `(F)`) are converted; km/h wind speeds too.
 */
export function parseWeatherCsv(text: string, timezone: string): WeatherParse {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerIndex = lines.findIndex((l) => l.trim() !== '');
  if (headerIndex < 0) throw new WeatherFileError('EMPTY_FILE', 'The file is empty.');
  const delimiter = [',', ';', '\t'].map((d) => [d, lines[headerIndex].split(d).length] as const).sort((a, b) => b[1] - a[1])[0][0];
  const header = splitLine(lines[headerIndex], delimiter);
  const tsCol = header.findIndex((h) => TIMESTAMP.test(h));
  if (tsCol < 0) throw new WeatherFileError('NO_TIMESTAMP_COLUMN', `No timestamp column: the header is ${header.join(', ')}.`);
  const columns: Record<string, string> = {};
  const idx: Partial<Record<keyof Omit<WeatherRow, 'ts'>, number>> = {};
  for (const [field, re] of PATTERNS) {
    const i = header.findIndex((h, j) => j !== tsCol && re.test(h) && !Object.values(idx).includes(j));
    if (i >= 0) {
      idx[field] = i;
      columns[field] = header[i];
    }
  }
  if (!Object.keys(idx).length) {
    throw new WeatherFileError('NO_VALUE_COLUMN', `No weather column (temperature, GHI/irradiance, cloud cover, wind speed) in: ${header.join(', ')}.`);
  }
  const fahrenheit = idx.temperatureC !== undefined && /°f|\(f\)|_f$|fahrenheit/i.test(header[idx.temperatureC]);
  const kmh = idx.windSpeedMS !== undefined && /km\/?h|kmh/i.test(header[idx.windSpeedMS]);
  const result: WeatherParse = { rows: [], rowsRead: 0, rowsRejected: 0, rowsMissing: 0, errors: [], columns };
  const seen = new Set<number>();
  const reject = (line: number, message: string) => {
    result.rowsRejected++;
    if (result.errors.length < 100) result.errors.push({ line, message: `line ${line}: ${message}` });
  };
  for (let i = headerIndex + 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const line = i + 1;
    result.rowsRead++;
    const cells = splitLine(lines[i], delimiter);
    const raw = cells[tsCol] ?? '';
    const hasOffset = /(Z|[+-]\d\d:?\d\d)$/.test(raw);
    const iso = raw.replace(' ', 'T');
    const dt = hasOffset ? DateTime.fromISO(iso, { setZone: true }) : DateTime.fromISO(iso, { zone: timezone });
    if (!dt.isValid) {
      reject(line, `"${raw}" is not a date and time`);
      continue;
    }
    if (!hasOffset) {
      const back = dt.toFormat("yyyy-MM-dd'T'HH:mm");
      if (!iso.startsWith(back.slice(0, 16))) {
        reject(line, `${raw} does not exist in ${timezone} (clock change)`);
        continue;
      }
    }
    const ms = dt.toMillis();
    if (seen.has(ms)) {
      reject(line, `${raw} appears twice`);
      continue;
    }
    const row: WeatherRow = { ts: new Date(ms), temperatureC: null, ghiWM2: null, cloudCoverPct: null, windSpeedMS: null };
    let bad: string | null = null;
    let any = false;
    for (const [field] of PATTERNS) {
      const j = idx[field];
      if (j === undefined) continue;
      const cell = (cells[j] ?? '').replace(',', '.');
      if (cell === '' || /^(na|nan|null|-)$/i.test(cell)) continue;
      let v = Number(cell);
      if (!Number.isFinite(v)) {
        bad = `"${cells[j]}" in column "${header[j]}" is not a number`;
        break;
      }
      if (field === 'temperatureC' && fahrenheit) v = ((v - 32) * 5) / 9;
      if (field === 'windSpeedMS' && kmh) v = v / 3.6;
      const limits: Record<string, [number, number]> = { temperatureC: [-90, 60], ghiWM2: [0, 1500], cloudCoverPct: [0, 100], windSpeedMS: [0, 120] };
      const [lo, hi] = limits[field];
      if (v < lo || v > hi) {
        bad = `${cells[j]} in column "${header[j]}" is outside ${lo}…${hi}`;
        break;
      }
      row[field] = v;
      any = true;
    }
    if (bad) {
      reject(line, bad);
      continue;
    }
    if (!any) {
      result.rowsMissing++;
      continue;
    }
    seen.add(ms);
    result.rows.push(row);
  }
  if (result.rowsRead === 0) throw new WeatherFileError('HEADER_ONLY', 'The file has a header but no rows.');
  return result;
}
