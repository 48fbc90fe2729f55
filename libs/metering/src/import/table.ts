import { findUnit } from '../units/units';
import { FileRejectedError } from './file-rejected-error';
import { clip, listColumns } from './parse-limits';
import { classifyTimestamp, detectDateOrder, type DateOrder } from './timestamp-parser';
import { looksDecimalComma, looksDecimalPoint, parseValue } from './value-parser';

/** A cell as the readers give it: CSV gives strings; XLSX numbers, dates (wall clock as UTC) and strings. */
export type Cell = string | number | Date | null | undefined;

export interface TableRow {
  line: number;
  cells: Cell[];
}

export interface TableSource {
  kind: 'csv' | 'xlsx';
  header: string[];
  headerLine: number;
  /** the header as written (CSV) for messages */
  headerText?: string;
  /** the detected delimiter (CSV), null when none of , ; tab occurs in the header */
  delimiter?: string | null;
  /** the first data rows, used to detect columns and formats */
  sample: TableRow[];
  /** the remaining data rows */
  rest: AsyncIterable<TableRow[]>;
  /** releases what the reader holds (an XLSX's open file) when the rows are not read to the end */
  close?: () => Promise<void>;
}

export interface ColumnChoice {
  timestampColumn?: string;
  timeColumn?: string;
  endColumn?: string;
  dateOrder?: 'dmy' | 'mdy';
  decimalSeparator?: '.' | ',';
}

export interface TablePlan {
  timestampIndex: number;
  /** separate time-of-day column */
  timeIndex: number | null;
  /** bill-period end column */
  endIndex: number | null;
  dateOrder: DateOrder;
  decimalComma: boolean;
  warnings: string[];
}

const TIMESTAMP_NAMES = [
  'timestamp',
  'datetime',
  'date_time',
  'date/time',
  'date time',
  'time stamp',
  'interval start',
  'interval_start',
  'start',
  'start time',
  'start date',
  'start_time',
  'from',
  'period start',
  'reading date',
  'read date',
  'date',
  'time',
  'ts',
  'zeitstempel',
  'datum',
  'fecha',
  'horodatage',
  'local time',
  'interval',
];
const TIME_NAMES = ['time', 'zeit', 'hour', 'hora', 'heure', 'start time', 'interval time', 'time of day'];
const END_NAMES = [
  'end',
  'to',
  'until',
  'period end',
  'end date',
  'end time',
  'bis',
  'interval end',
  'read end',
  'end_date',
];
const VALUE_WORDS = new Set([
  'value',
  'consumption',
  'usage',
  'reading',
  'energy',
  'import',
  'delivered',
  'volume',
  'quantity',
  'amount',
  'verbrauch',
  'verbruik',
  'consommation',
  'consumo',
  'load',
  'use',
  'used',
  'kwh',
  'total',
]);
/** unit spellings too short to trust inside a header word */
const SHORT_UNIT_TOKENS = new Set(['l', 'w', 'cf', 'mj', 'kj', 'gal']);
const TIME_OF_DAY = /^\s*\d{1,2}:\d{2}(?::\d{2})?\s*([AaPp]\.?[Mm]\.?)?\s*$/;

const norm = (s: string): string =>
  s
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase();
const tokens = (s: string): string[] =>
  norm(s)
    .split(/[^a-z0-9³]+/)
    .filter((t) => t.length > 0);

export function cellText(c: Cell): string {
  if (c === null || c === undefined) return '';
  if (c instanceof Date) return c.toISOString();
  return String(c);
}

/** The column a user named: exact, then case- and space-insensitive. */
function findColumn(header: string[], name: string): number {
  const exact = header.indexOf(name);
  if (exact !== -1) return exact;
  const n = norm(name);
  return header.findIndex((h) => norm(h) === n);
}

function isTimestampCell(c: Cell): boolean {
  if (c instanceof Date) return true;
  if (typeof c === 'number') return c > 20000 && c < 80000; // Excel serial 1954..2119
  return typeof c === 'string' && classifyTimestamp(c) !== null;
}

function nonEmpty(sample: TableRow[], i: number): Cell[] {
  const out: Cell[] = [];
  for (const r of sample) {
    const c = r.cells[i];
    if (c !== null && c !== undefined && !(typeof c === 'string' && c.trim() === '')) out.push(c);
  }
  return out;
}

const share = (cells: Cell[], test: (c: Cell) => boolean): number =>
  cells.length === 0 ? 0 : cells.filter(test).length / cells.length;

/** Refuse a single-column CSV header (the "wrong delimiter" case) with an explanation. */
function checkShape(source: TableSource): void {
  if (source.kind !== 'csv') return;
  const text = source.headerText ?? source.header.join(',');
  if (source.header.length === 1) {
    const other = /[|:^~#]/.exec(text)?.[0] ?? (/\S\s+\S/.test(text.trim()) ? 'spaces' : null);
    if (other) {
      throw new FileRejectedError(
        'WRONG_DELIMITER',
        `the header "${clip(text)}" is a single column: the file is not separated by comma, semicolon or tab (it seems to use ${other === 'spaces' ? 'spaces' : `"${other}"`}); save it as CSV with , or ; or tab between columns`,
        { header: text },
      );
    }
    throw new FileRejectedError(
      'NO_VALUE_COLUMN',
      `the header "${clip(text)}" has a single column: a meter file needs a timestamp column and a value column`,
      { header: text },
    );
  }
  if (source.sample.length === 0) return;
  const oneField = source.sample.filter((r) => r.cells.length === 1).length;
  if (oneField >= source.sample.length * 0.8) {
    const d = source.delimiter === '\t' ? 'tab' : `"${source.delimiter}"`;
    throw new FileRejectedError(
      'WRONG_DELIMITER',
      `the header has ${source.header.length} columns separated by ${d} but the rows (e.g. line ${source.sample[0].line}: "${clip(cellText(source.sample[0].cells[0]))}") have a single column: the rows use another separator`,
      { header: text },
    );
  }
}

/** The timestamp column: the one the caller named, else the best-named column whose sample cells are ≥ 80 % dates. */
function findTimestampIndex(header: string[], sample: TableRow[], choice: ColumnChoice): number {
  if (choice.timestampColumn !== undefined) {
    const i = findColumn(header, choice.timestampColumn);
    if (i === -1) {
      throw new FileRejectedError(
        'NO_TIMESTAMP_COLUMN',
        `there is no column "${clip(choice.timestampColumn, 80)}"; the header has: ${listColumns(header)}`,
        { columns: header },
      );
    }
    return i;
  }
  const candidates = header
    .map((h, i) => ({
      i,
      score: share(nonEmpty(sample, i), isTimestampCell),
      named: TIMESTAMP_NAMES.indexOf(norm(h)),
    }))
    .filter((c) => c.score >= 0.8);
  if (candidates.length === 0) {
    const named = header.findIndex((h) => TIMESTAMP_NAMES.includes(norm(h)));
    const example = named === -1 ? '' : nonEmpty(sample, named)[0];
    throw new FileRejectedError(
      'NO_TIMESTAMP_COLUMN',
      named === -1
        ? `no column holds dates and times; the header has: ${listColumns(header)}`
        : `column "${clip(header[named], 80)}" holds values like "${clip(cellText(example))}", which are not dates in a supported format (ISO 8601, dd/mm/yyyy hh:mm, mm/dd/yyyy hh:mm, dd.mm.yyyy hh:mm)`,
      { columns: header },
    );
  }
  candidates.sort((a, b) => (a.named === -1 ? 99 : a.named) - (b.named === -1 ? 99 : b.named) || a.i - b.i);
  return candidates[0].i;
}

/** A separate time-of-day column: the one the caller named, else one next to a date-only timestamp column. */
function findTimeIndex(
  header: string[],
  sample: TableRow[],
  choice: ColumnChoice,
  timestampIndex: number,
): number | null {
  if (choice.timeColumn !== undefined) {
    const i = findColumn(header, choice.timeColumn);
    if (i === -1)
      throw new FileRejectedError(
        'NO_TIMESTAMP_COLUMN',
        `there is no column "${clip(choice.timeColumn, 80)}"; the header has: ${listColumns(header)}`,
        { columns: header },
      );
    return i;
  }
  // a date-only column next to a time-of-day column: combine them
  const dates = nonEmpty(sample, timestampIndex);
  const dateOnly =
    share(dates, (c) => typeof c === 'string' && !/\d:\d/.test(c)) >= 0.8 ||
    share(dates, (c) => c instanceof Date && c.getTime() % 86_400_000 === 0) >= 0.99;
  if (!dateOnly) return null;
  const t = header.findIndex(
    (h, i) =>
      i !== timestampIndex &&
      (TIME_NAMES.includes(norm(h)) ||
        share(nonEmpty(sample, i), (c) => typeof c === 'string' && TIME_OF_DAY.test(c)) >= 0.8),
  );
  if (
    t !== -1 &&
    share(
      nonEmpty(sample, t),
      (c) =>
        (typeof c === 'string' && TIME_OF_DAY.test(c)) ||
        c instanceof Date ||
        (typeof c === 'number' && c >= 0 && c < 1),
    ) >= 0.8
  )
    return t;
  return null;
}

/** The bill-period end column (bill-period meters only): named by the caller, else found by its header. */
function findEndIndex(
  header: string[],
  sample: TableRow[],
  choice: ColumnChoice,
  timestampIndex: number,
): number | null {
  if (choice.endColumn !== undefined) {
    const i = findColumn(header, choice.endColumn);
    if (i === -1)
      throw new FileRejectedError(
        'NO_TIMESTAMP_COLUMN',
        `there is no column "${clip(choice.endColumn, 80)}"; the header has: ${listColumns(header)}`,
        { columns: header },
      );
    return i;
  }
  const e = header.findIndex(
    (h, i) =>
      i !== timestampIndex &&
      END_NAMES.includes(norm(h)) &&
      share(nonEmpty(sample, i), isTimestampCell) >= 0.8,
  );
  return e === -1 ? null : e;
}

/** The date order: the caller's, else detected from the sample's texts (an assumption adds a warning). */
function tableDateOrder(
  sample: TableRow[],
  timestampIndex: number,
  choice: ColumnChoice,
  warnings: string[],
): DateOrder {
  if (choice.dateOrder) return choice.dateOrder;
  const texts: string[] = [];
  for (const r of sample) {
    const c = r.cells[timestampIndex];
    if (typeof c === 'string') texts.push(c);
  }
  if (texts.length === 0) return 'ymd';
  const d = detectDateOrder(texts);
  if (d.assumed)
    warnings.push(
      `dates like "${texts[0]}" could be dd/mm or mm/dd: no day above 12 in the first ${sample.length} rows, so dd/mm/yyyy was assumed`,
    );
  return d.order ?? 'ymd';
}

/** Decimal comma: only with ';' or tab between columns, when numbers are written 12,5 and never 12.5. */
function tableDecimalComma(
  source: TableSource,
  choice: ColumnChoice,
  timestampIndex: number,
  timeIndex: number | null,
): boolean {
  if (choice.decimalSeparator) return choice.decimalSeparator === ',';
  if (source.kind !== 'csv' || source.delimiter === ',') return false;
  let commas = 0;
  let points = 0;
  for (const r of source.sample) {
    for (let i = 0; i < r.cells.length; i++) {
      if (i === timestampIndex || i === timeIndex) continue;
      const c = r.cells[i];
      if (typeof c !== 'string') continue;
      if (looksDecimalComma(c)) commas++;
      else if (looksDecimalPoint(c)) points++;
    }
  }
  return commas > 0 && commas >= points * 4;
}

/**
 * Decide which columns hold the timestamp (or date + time), the bill-period end, and how
 * dates and decimals are written, from the header and the sample. Value columns are
 * chosen by the caller (one meter: detected or named; wide files: named).
 */
export function planTable(source: TableSource, choice: ColumnChoice, billPeriods: boolean): TablePlan {
  if (source.header.every((h) => h === ''))
    throw new FileRejectedError('EMPTY_FILE', 'the file has no header row');
  checkShape(source);
  if (source.sample.length === 0) {
    throw new FileRejectedError(
      'HEADER_ONLY',
      `the file has a header (${listColumns(source.header)}) but no data rows`,
      { columns: source.header },
    );
  }
  const { header, sample } = source;
  const warnings: string[] = [];
  const timestampIndex = findTimestampIndex(header, sample, choice);
  const timeIndex = findTimeIndex(header, sample, choice, timestampIndex);
  const endIndex = billPeriods ? findEndIndex(header, sample, choice, timestampIndex) : null;
  const dateOrder = tableDateOrder(sample, timestampIndex, choice, warnings);
  const decimalComma = tableDecimalComma(source, choice, timestampIndex, timeIndex);
  return { timestampIndex, timeIndex, endIndex, dateOrder, decimalComma, warnings };
}

/**
 * Does the header name the meter's value? Every word of it is a value word (`consumption`,
 * `usage`, `kwh`, …) or a unit of the meter's dimension: `kWh`, `Consumption (kWh)`,
 * `Usage_kWh`, `value`. A column the header names this way holds the values however few of
 * its cells parse: the cells that do not are bad lines, reported by number.
 */
function namesValue(h: string, meterUnitDef: ReturnType<typeof findUnit>): boolean {
  const ts = tokens(h);
  return (
    ts.length > 0 &&
    ts.every((t) => {
      if (VALUE_WORDS.has(t)) return true;
      const u = SHORT_UNIT_TOKENS.has(t) ? undefined : findUnit(t);
      return u !== undefined && meterUnitDef !== undefined && u.dimension === meterUnitDef.dimension;
    })
  );
}

/**
 * The value column. Named by the caller (`valueColumn`, or the meter's `sourceColumn`): that
 * column, whatever its cells hold. Else a column whose header names the value (see
 * {@link namesValue}), whatever share of its cells parse. Else, among the unnamed columns,
 * those with ≥ 80 % numbers in the sample, the best-scored header winning.
 */
export function chooseValueColumn(
  source: TableSource,
  plan: TablePlan,
  meterUnit: string,
  valueColumn?: string,
): number {
  const { header, sample } = source;
  if (valueColumn !== undefined) {
    const i = findColumn(header, valueColumn);
    if (i === -1)
      throw new FileRejectedError(
        'NO_VALUE_COLUMN',
        `there is no column "${clip(valueColumn, 80)}"; the header has: ${listColumns(header)}`,
        { columns: header },
      );
    return i;
  }
  const isNumber = (c: Cell): boolean =>
    typeof c === 'number' ||
    (typeof c === 'string' && !Number.isNaN(parseValue(c, plan.decimalComma) ?? Number.NaN));
  const meterUnitDef = findUnit(meterUnit);
  const scoreOf = (h: string): number => {
    let score = 0;
    for (const t of tokens(h)) {
      if (VALUE_WORDS.has(t)) score += 2;
      const u = SHORT_UNIT_TOKENS.has(t) ? undefined : findUnit(t);
      if (u && meterUnitDef && u.unit === meterUnitDef.unit) score += 3;
      else if (u && meterUnitDef && u.dimension === meterUnitDef.dimension) score += 2;
      if (t === 'id' || t === 'nsm' || t === 'no' || t === 'number') score -= 3;
    }
    return score;
  };
  const valueColumns = header
    .map((_, i) => i)
    .filter((i) => i !== plan.timestampIndex && i !== plan.timeIndex && i !== plan.endIndex);
  const numeric = (i: number): boolean => {
    const cells = nonEmpty(sample, i);
    return cells.length > 0 && share(cells, isNumber) >= 0.8;
  };
  let named = valueColumns.filter((i) => namesValue(header[i], meterUnitDef));
  // Several named columns: the numeric ones among them, when there are any.
  if (named.length > 1 && named.some(numeric)) named = named.filter(numeric);
  const candidates = (
    named.length > 0
      ? named.map((i) => ({ i, score: scoreOf(header[i]) }))
      : valueColumns.map((i) => (numeric(i) ? { i, score: scoreOf(header[i]) } : null))
  ).filter((c): c is { i: number; score: number } => c !== null);
  if (candidates.length === 0) {
    const others = header.filter((_, i) => i !== plan.timestampIndex && i !== plan.timeIndex);
    throw new FileRejectedError(
      'NO_VALUE_COLUMN',
      others.length === 0
        ? `the file has only a timestamp column (${listColumns(header)}): there is no value column`
        : `no column holds numbers; the other columns are: ${listColumns(others)}`,
      { columns: header },
    );
  }
  if (candidates.length === 1) return candidates[0].i;
  candidates.sort((a, b) => b.score - a.score);
  if (candidates[0].score > candidates[1].score) return candidates[0].i;
  throw new FileRejectedError(
    'NO_VALUE_COLUMN',
    `several columns could hold the meter's values (${listColumns(candidates.filter((c) => c.score === candidates[0].score).map((c) => header[c.i]))}): choose one with valueColumn`,
    { columns: header },
  );
}

/** The unit a header names, e.g. "Usage_kWh" → kWh, "Gas (m³)" → m3. */
export function unitFromHeader(name: string): string | undefined {
  for (const t of tokens(name)) {
    if (SHORT_UNIT_TOKENS.has(t)) continue;
    const u = findUnit(t);
    if (u) return u.unit;
  }
  return undefined;
}
