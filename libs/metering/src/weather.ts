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
  ['ghiWM2', /ghi|irradiance|global.?horizontal|solar.?rad|shortwave/i],
  ['cloudCoverPct', /cloud/i],
  ['windSpeedMS', /wind.?speed|^wind$|ws/i],
];
/**
 * An irradiance column whose header names an energy per m² (Wh, kWh, kJ, MJ or J per m²: irradiation, as daily or
 * hourly sums are published) rather than a power (W/m²).
 */
const IRRADIATION_UNIT = /(?<![a-z])(k?wh|[km]?j)[\s_]*(\/|per|_)?[\s_]*(m\^?2|m²|m-2|sq\.?\s*m)/i;
/** A file whose GHI never exceeds this (W/m²) over this many rows holds kWh/m² (a sunny hour is 0.5–1 kWh/m²). */
const GHI_KWH_SUSPECT_MAX = 1.5;
const GHI_KWH_SUSPECT_ROWS = 48;
/** Lines above the header a file may have (Open-Meteo: 2 and a blank one). */
const MAX_METADATA_LINES = 5;
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

const LIMITS: Record<keyof Omit<WeatherRow, 'ts'>, [number, number]> = {
  temperatureC: [-90, 60],
  ghiWM2: [0, 1500],
  cloudCoverPct: [0, 100],
  windSpeedMS: [0, 120],
};

/**
 * The timestamp column: one whose name says so, else an unnamed first column (a data frame's index written
 * with it, as pandas and pvlib save NSRDB PSM3 files); -1 when there is neither.
 */
function timestampColumn(header: string[]): number {
  const named = header.findIndex((h) => TIMESTAMP.test(h));
  return named >= 0 ? named : header.length > 1 && header[0] === '' ? 0 : -1;
}

/** Year, Month, Day, Hour (and Minute, when there is one) columns, as NSRDB downloads have them; null without all four. */
function dateParts(header: string[]): number[] | null {
  const at = (name: string) => header.findIndex((h) => h.toLowerCase() === name);
  const cols = ['year', 'month', 'day', 'hour'].map(at);
  if (cols.some((c) => c < 0)) return null;
  const minute = at('minute');
  return minute >= 0 ? [...cols, minute] : cols;
}

/** "YYYY-MM-DDTHH:mm" from year, month, day, hour [and minute] cells; the cells as given when one is not a whole number. */
function partsTimestamp(cells: string[]): string {
  const n = cells.map((c) => (/^\d{1,4}$/.test(c.trim()) ? c.trim() : null));
  if (n.some((c) => c === null)) return cells.join(' ');
  const [y, mo, d, h, mi = '0'] = n as string[];
  const two = (v: string) => v.padStart(2, '0');
  return `${y.padStart(4, '0')}-${two(mo)}-${two(d)} ${two(h)}:${two(mi)}`;
}

/** The most characters of a cell quoted in a message. */
const quote = (s: string): string =>
  s.length <= 200 ? s : `${s.slice(0, 200)}… (${s.length.toLocaleString('en')} characters)`;

/**
 * Hourly (or finer) site weather from a CSV: a timestamp column (or an unnamed first column, or Year, Month, Day,
 * Hour [, Minute] columns as NSRDB has them) and any of temperature, irradiance (GHI), cloud cover and wind speed,
 * found by their header names. Local times are the site's zone;
 * a time that does not exist there, a value outside physical limits or not a finite number, rejects
 * that row alone. Fahrenheit headers (`°F`, `_f`, `(F)`) are converted; km/h wind speeds too. An irradiance column in
 * energy per m² (by its header, or by values that never pass 1.5 over 48 rows: kWh/m²) refuses the file (WRONG_UNIT).
 * Line by line: `header()` once, then `row()` per line; the summary fills as it goes.
 */
export class WeatherLineParser {
  readonly summary: WeatherSummary = {
    rowsRead: 0,
    rowsRejected: 0,
    rowsMissing: 0,
    errors: [],
    columns: {},
    firstTs: null,
    lastTs: null,
  };
  private header: string[] = [];
  private delimiter = ',';
  private tsCol = -1;
  /** Year, month, day, hour and minute columns (NSRDB/PSM3 layout) when there is no timestamp column. */
  private parts: number[] | null = null;
  private readonly idx: Partial<Record<keyof Omit<WeatherRow, 'ts'>, number>> = {};
  private fahrenheit = false;
  private kmh = false;
  /** rows with GHI, and the largest */
  private ghiRows = 0;
  private ghiMax = 0;
  private readonly seen = new Set<number>();

  /** The first line that was not a header (metadata lines above the header), thrown if no header follows. */
  private notHeader: WeatherFileError | null = null;
  private metadataLines = 0;
  /** Open-Meteo's metadata block: the column its `timezone` is in, then the zone its times are written in. */
  private metaZoneCol = -1;

  constructor(private timezone: string) {}

  get hasHeader(): boolean {
    return this.tsCol >= 0 || this.parts !== null;
  }

  /**
   * A line before the data: the header, or one of up to {@link MAX_METADATA_LINES} metadata lines above it (an
   * Open-Meteo download starts with `latitude,longitude,…,timezone,…` and its values). A line without a timestamp
   * column is taken as metadata while a header may still follow; Open-Meteo's `timezone` there is the zone the
   * file's times are written in (GMT unless the download asked for another), and wins over the site's.
   */
  setHeader(line: string): void {
    try {
      this.readHeader(line);
    } catch (e) {
      if (!(e instanceof WeatherFileError) || e.code !== 'NO_TIMESTAMP_COLUMN') throw e;
      this.notHeader ??= e;
      if (++this.metadataLines > MAX_METADATA_LINES) throw this.notHeader;
      this.readMetadata(splitLine(line, this.delimiter));
    }
  }

  private readMetadata(cells: string[]): void {
    if (this.metaZoneCol >= 0) {
      const zone = cells[this.metaZoneCol]?.trim() ?? '';
      const iana = zone === 'GMT' ? 'UTC' : zone;
      if (!DateTime.now().setZone(iana).isValid)
        throw new WeatherFileError(
          'BAD_TIMEZONE',
          `The file says its times are in "${quote(zone)}", which is not a time zone.`,
        );
      this.timezone = iana;
      this.summary.fileTimezone = iana;
      this.metaZoneCol = -1;
      return;
    }
    if (cells.some((c) => c.trim() === 'utc_offset_seconds'))
      this.metaZoneCol = cells.findIndex((c) => c.trim() === 'timezone');
  }

  private readHeader(line: string): void {
    this.delimiter = [',', ';', '\t']
      .map((d) => [d, line.split(d).length] as const)
      .sort((a, b) => b[1] - a[1])[0][0];
    const header = splitLine(line, this.delimiter);
    this.header = header;
    const list = header
      .slice(0, 30)
      .map((h) => quote(h))
      .join(', ');
    if (header.some((h) => /^date \(mm\/dd\/yyyy\)$/i.test(h.trim())))
      throw new WeatherFileError(
        'TYPICAL_YEAR',
        'This is a TMY3 typical meteorological year: its months come from different years, so it is not the weather ' +
          "of your meters' period. Upload measured weather for those dates (an NSRDB PSM3 or Open-Meteo download).",
      );
    this.tsCol = timestampColumn(header);
    if (this.tsCol < 0) this.parts = dateParts(header);
    if (this.tsCol < 0 && !this.parts)
      throw new WeatherFileError(
        'NO_TIMESTAMP_COLUMN',
        `No timestamp column (or Year, Month, Day and Hour columns): the header is ${list}.`,
      );
    const taken = this.parts ?? [this.tsCol];
    for (const [field, re] of PATTERNS) {
      const i = header.findIndex(
        (h, j) => !taken.includes(j) && re.test(h) && !Object.values(this.idx).includes(j),
      );
      if (i >= 0) {
        this.idx[field] = i;
        this.summary.columns[field] = header[i];
      }
    }
    if (!Object.keys(this.idx).length) {
      throw new WeatherFileError(
        'NO_VALUE_COLUMN',
        `No weather column (temperature, GHI/irradiance, cloud cover, wind speed) in: ${list}.`,
      );
    }
    this.fahrenheit =
      this.idx.temperatureC !== undefined && /°f|\(f\)|_f$|fahrenheit/i.test(header[this.idx.temperatureC]);
    this.kmh = this.idx.windSpeedMS !== undefined && /km\/?h|kmh/i.test(header[this.idx.windSpeedMS]);
    const ghi = this.idx.ghiWM2 !== undefined ? header[this.idx.ghiWM2] : '';
    if (IRRADIATION_UNIT.test(ghi))
      throw new WeatherFileError(
        'WRONG_UNIT',
        `Column "${quote(ghi)}" holds irradiation (energy per m²); Halve reads irradiance in W/m², the mean power over ` +
          `each row's period. For hourly rows: Wh/m² is the same number, kWh/m² × 1,000, MJ/m² × 277.8, J/m² ÷ 3,600.`,
      );
  }

  private reject(line: number, message: string): null {
    this.summary.rowsRejected++;
    if (this.summary.errors.length < 100)
      this.summary.errors.push({ line, message: `line ${line}: ${message}` });
    return null;
  }

  /** One data line (1-based `line`): a row to store, or null (rejected, missing or blank). */
  row(text: string, line: number): WeatherRow | null {
    if (text.trim() === '') return null;
    const timezone = this.timezone;
    this.summary.rowsRead++;
    const cells = splitLine(text, this.delimiter);
    const raw = this.parts
      ? partsTimestamp(this.parts.map((j) => cells[j] ?? ''))
      : (cells[this.tsCol] ?? '');
    const hasOffset = /(Z|[+-]\d\d:?\d\d)$/.test(raw);
    const iso = raw.replace(' ', 'T');
    const dt = hasOffset
      ? DateTime.fromISO(iso, { setZone: true })
      : DateTime.fromISO(iso, { zone: timezone });
    if (!dt.isValid) return this.reject(line, `"${quote(raw)}" is not a date and time`);
    if (!hasOffset) {
      const back = dt.toFormat("yyyy-MM-dd'T'HH:mm");
      if (!iso.startsWith(back.slice(0, 16)))
        return this.reject(line, `${quote(raw)} does not exist in ${timezone} (clock change)`);
    }
    const ms = dt.toMillis();
    if (this.seen.has(ms)) return this.reject(line, `${quote(raw)} appears twice`);
    const row: WeatherRow = {
      ts: new Date(ms),
      temperatureC: null,
      ghiWM2: null,
      cloudCoverPct: null,
      windSpeedMS: null,
    };
    let any = false;
    for (const [field] of PATTERNS) {
      const j = this.idx[field];
      if (j === undefined) continue;
      const cell = (cells[j] ?? '').replace(',', '.');
      if (cell === '' || /^(na|nan|null|-)$/i.test(cell)) continue;
      let v = Number(cell);
      if (!Number.isFinite(v)) {
        const what =
          /^[+-]?(inf|infinity|∞)$/i.test(cell) || /^[+-]?\d/.test(cell)
            ? 'is not a finite number'
            : 'is not a number';
        return this.reject(line, `"${quote(cells[j])}" in column "${quote(this.header[j])}" ${what}`);
      }
      if (field === 'temperatureC' && this.fahrenheit) v = ((v - 32) * 5) / 9;
      if (field === 'windSpeedMS' && this.kmh) v = v / 3.6;
      const [lo, hi] = LIMITS[field];
      if (v < lo || v > hi)
        return this.reject(
          line,
          `${quote(cells[j])} in column "${quote(this.header[j])}" is outside ${lo}…${hi}`,
        );
      row[field] = v;
      if (field === 'ghiWM2') {
        this.ghiRows++;
        this.ghiMax = Math.max(this.ghiMax, v);
      }
      any = true;
    }
    if (!any) {
      this.summary.rowsMissing++;
      return null;
    }
    this.seen.add(ms);
    if (!this.summary.firstTs || row.ts < this.summary.firstTs) this.summary.firstTs = row.ts;
    if (!this.summary.lastTs || row.ts > this.summary.lastTs) this.summary.lastTs = row.ts;
    return row;
  }

  /** After the last line: a file with a header and no rows is refused. */
  finish(): WeatherSummary {
    if (!this.hasHeader) throw this.notHeader ?? new WeatherFileError('EMPTY_FILE', 'The file is empty.');
    if (this.summary.rowsRead === 0)
      throw new WeatherFileError('HEADER_ONLY', 'The file has a header but no rows.');
    if (this.ghiRows >= GHI_KWH_SUSPECT_ROWS && this.ghiMax > 0 && this.ghiMax <= GHI_KWH_SUSPECT_MAX)
      throw new WeatherFileError(
        'WRONG_UNIT',
        `Column "${quote(this.summary.columns.ghiWM2 ?? '')}" never exceeds ${this.ghiMax} in ${this.ghiRows.toLocaleString('en')} rows: ` +
          `that is kWh/m² (irradiation), not W/m² (irradiance, up to about 1,000 in sunshine). Multiply hourly kWh/m² by 1,000.`,
      );
    return this.summary;
  }
}

export interface WeatherSummary {
  rowsRead: number;
  rowsRejected: number;
  rowsMissing: number;
  errors: { line: number; message: string }[];
  columns: Record<string, string>;
  firstTs: Date | null;
  lastTs: Date | null;
  /** the zone the file's own metadata says its times are in (Open-Meteo), when it says one */
  fileTimezone?: string;
}

/** Whole text (small files, tests): the rows and the summary. */
export function parseWeatherCsv(text: string, timezone: string): WeatherParse {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const p = new WeatherLineParser(timezone);
  const rows: WeatherRow[] = [];
  lines.forEach((l, i) => {
    if (!p.hasHeader) {
      if (l.trim() !== '') p.setHeader(l);
      return;
    }
    const r = p.row(l, i + 1);
    if (r) rows.push(r);
  });
  const { rowsRead, rowsRejected, rowsMissing, errors, columns } = p.finish();
  return { rows, rowsRead, rowsRejected, rowsMissing, errors, columns };
}

/**
 * A weather file streamed: decoded and split into lines as it is read, never held whole; a line over
 * `maxLineChars` refuses the file (LINE_TOO_LONG, naming it) without being buffered whole, NUL bytes
 * refuse it as binary. Yields batches of rows to store; `parser.finish()` then gives the summary.
 */
export async function* readWeatherCsv(
  input: AsyncIterable<Buffer | string>,
  parser: WeatherLineParser,
  options: { maxLineChars: number; batchRows?: number },
): AsyncGenerator<WeatherRow[]> {
  const decoder = new TextDecoder('utf-8');
  const batchRows = options.batchRows ?? 5000;
  let rest = '';
  let line = 0;
  let batch: WeatherRow[] = [];
  const take = (text: string) => {
    line++;
    const t = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (!parser.hasHeader) {
      if (t.trim() !== '') parser.setHeader(line === 1 ? t.replace(/^\uFEFF/, '') : t);
      return;
    }
    const r = parser.row(t, line);
    if (r) batch.push(r);
  };
  const tooLong = () =>
    new WeatherFileError(
      'LINE_TOO_LONG',
      `Line ${line + 1} is longer than ${options.maxLineChars.toLocaleString('en')} characters (HALVE_IMPORT_MAX_LINE): the file is not a CSV table, or its line breaks are missing.`,
    );
  const feed = (s: string) => {
    if (s.includes('\u0000')) throw new WeatherFileError('BINARY', 'The file is binary, not a CSV.');
    let text = rest + s;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      if (nl - start > options.maxLineChars) throw tooLong();
      take(text.slice(start, nl));
      start = nl + 1;
    }
    text = text.slice(start);
    if (text.length > options.maxLineChars) throw tooLong();
    rest = text;
  };
  for await (const chunk of input) {
    feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    if (batch.length >= batchRows) {
      yield batch;
      batch = [];
    }
  }
  feed(decoder.decode());
  if (rest.length > 0) take(rest);
  if (batch.length > 0) yield batch;
}

/** What a weather row's timestamp means (a site setting, `weatherTimestamps`). */
export const WEATHER_TIMESTAMPS = ['start', 'end', 'instant'] as const;
export type WeatherTimestamps = (typeof WEATHER_TIMESTAMPS)[number];

/** The longest period one weather row stands for (hourly data; a larger gap is a gap). */
const MAX_ROW_PERIOD_MS = 3_600_000;

const WEATHER_FIELDS = ['temperatureC', 'ghiWM2', 'cloudCoverPct', 'windSpeedMS'] as const;

/**
 * Rows (sorted by time) as Halve reads weather: each row's values the mean over the period that
 * starts at its timestamp and runs to the next row (at most an hour).
 * - `start` (hour-beginning, the default): unchanged.
 * - `end` (hour-ending, e.g. Open-Meteo's and TMY3's irradiance, the mean of the preceding hour): a row at t
 *   covers (t − Δ, t], Δ the gap to the previous row (the first row: to the next one; at most an hour), so it
 *   moves to t − Δ.
 * - `instant` (a sample at that moment, e.g. NSRDB PSM3): the period [t, t + Δ) to the next row is the
 *   trapezoid of its two ends, so each value becomes the mean of its own and the next row's (a field the next
 *   row lacks, or a row without a next one within an hour, keeps its own value).
 * Read with the wrong setting, hourly irradiance is off by half an hour or a whole hour: a PV forecast then
 * comes early or late against the sun (measured in the README, *PV meters*).
 */
export function periodStartRows<T extends WeatherRow>(
  rows: readonly T[],
  timestamps: WeatherTimestamps,
): T[] {
  if (timestamps === 'start') return [...rows];
  const gap = (i: number, j: number): number | null => {
    if (j < 0 || j >= rows.length) return null;
    const d = Math.abs(rows[j].ts.getTime() - rows[i].ts.getTime());
    return d > 0 && d <= MAX_ROW_PERIOD_MS ? d : null;
  };
  if (timestamps === 'end')
    return rows.map((r, i) => {
      const d = gap(i, i - 1) ?? gap(i, i + 1) ?? MAX_ROW_PERIOD_MS;
      return { ...r, ts: new Date(r.ts.getTime() - d) };
    });
  return rows.map((r, i) => {
    if (gap(i, i + 1) === null) return { ...r };
    const next = rows[i + 1];
    const out = { ...r };
    for (const f of WEATHER_FIELDS) {
      const [a, b] = [r[f], next[f]];
      if (a !== null && b !== null) out[f] = (a + b) / 2;
    }
    return out;
  });
}
