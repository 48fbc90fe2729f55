import { resolveConversion, UnitConversionError } from '../units/units';
import { FileRejectedError } from './file-rejected-error';
import type { ImportEvent, MeterImportOptions } from './import-types';
import { clip } from './parse-limits';
import { SeriesValidator, type SeriesRow } from './series-validator';
import {
  cellText,
  unitFromHeader,
  type Cell,
  type TablePlan,
  type TableRow,
  type TableSource,
} from './table';
import { excelSerialToWallMs, parseTimestamp, type DateOrder, type TimestampValue } from './timestamp-parser';
import { parseValue } from './value-parser';
import type { ZoneResolver } from './zone-resolver';

export interface TableSeries {
  valueIndex: number;
  validator: SeriesValidator;
  label: string;
}

/** Build the validator for one value column, resolving its unit (WRONG_UNIT refuses the file). */
export function makeSeries(
  source: TableSource,
  valueIndex: number,
  meter: MeterImportOptions,
  zone: ZoneResolver,
  now: Date,
  timestampPosition: 'start' | 'end' | undefined,
): TableSeries {
  const columnName = source.header[valueIndex];
  const headerUnit = unitFromHeader(columnName);
  const fileUnit = meter.fileUnit ?? headerUnit ?? meter.meterUnit;
  let factor: number;
  try {
    factor = resolveConversion({ ...meter, fileUnit }).factor;
  } catch (e) {
    if (e instanceof UnitConversionError) {
      const why =
        meter.fileUnit === undefined && headerUnit !== undefined
          ? ` (column "${columnName}" names ${headerUnit})`
          : '';
      throw new FileRejectedError('WRONG_UNIT', `wrong unit${why}: ${e.message}`, {
        fileUnit: e.fromUnit,
        meterUnit: e.toUnit,
      });
    }
    throw e;
  }
  const label = `in column "${clip(columnName, 80)}"`;
  return {
    valueIndex,
    label,
    validator: new SeriesValidator({
      zone,
      intervalMinutes: meter.intervalMinutes,
      register: meter.register,
      meterKind: meter.meterKind,
      factor,
      now,
      timestampPosition,
      valueLabel: label,
    }),
  };
}

/** infinity as tools write it: Infinity, -inf, +INF, ∞ */
const INFINITE = /^\s*[+-]?(inf|infinity|∞)\s*$/i;

const timeOfDayMs = (c: Cell): number => {
  if (c instanceof Date) return c.getTime() % 86_400_000;
  if (typeof c === 'number') return Math.round(c * 86_400_000);
  const m = /^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp])?/.exec(String(c ?? ''));
  if (!m) return Number.NaN;
  let h = +m[1];
  if (m[4]) h = (h % 12) + (m[4] === 'p' || m[4] === 'P' ? 12 : 0);
  if (h > 24 || +m[2] > 59) return Number.NaN;
  return ((h * 60 + +m[2]) * 60 + (m[3] ? +m[3] : 0)) * 1000;
};

/**
 * A row's timestamp and bill-period end, read into reused fields: the hot loop makes no object per
 * row for them (only the text of a timestamp that is not already a string).
 */
class RowTime {
  readonly ts: TimestampValue = { wallMs: 0, offsetMinutes: null };
  private readonly end: TimestampValue = { wallMs: 0, offsetMinutes: null };
  private readonly ti: number;
  private readonly timeIndex: number | null;
  private readonly endIndex: number | null;
  private readonly dateOrder: DateOrder;
  /** the timestamp as written (date and time joined), for messages */
  text = '';
  endWallMs: number | undefined = undefined;
  endOffset: number | null = null;

  constructor(plan: TablePlan) {
    this.ti = plan.timestampIndex;
    this.timeIndex = plan.timeIndex;
    this.endIndex = plan.endIndex;
    this.dateOrder = plan.dateOrder;
  }

  /** Reads the row's timestamp into `ts` and `text`: null, or why it is not a time. */
  read(cells: Cell[]): string | null {
    const ts = this.ts;
    const timeIndex = this.timeIndex;
    const c = cells[this.ti];
    let err: string | null = null;
    if (typeof c === 'string') {
      this.text = timeIndex !== null ? `${c} ${cellText(cells[timeIndex])}` : c;
      err = parseTimestamp(this.text, this.dateOrder, ts);
    } else if (c instanceof Date) {
      ts.wallMs = c.getTime();
      ts.offsetMinutes = null;
      if (timeIndex !== null) ts.wallMs += timeOfDayMs(cells[timeIndex]);
      this.text = new Date(ts.wallMs).toISOString().slice(0, 16).replace('T', ' ');
      if (Number.isNaN(ts.wallMs)) err = 'is not a date';
    } else if (typeof c === 'number' && c > 0 && c < 2958466) {
      ts.wallMs = excelSerialToWallMs(c);
      ts.offsetMinutes = null;
      if (timeIndex !== null) ts.wallMs += timeOfDayMs(cells[timeIndex]);
      this.text = new Date(ts.wallMs).toISOString().slice(0, 16).replace('T', ' ');
    } else {
      this.text = cellText(c);
      err = this.text === '' ? 'is empty' : 'is not a date';
    }
    if (err === null && Number.isNaN(ts.wallMs)) err = 'has no valid time of day';
    return err;
  }

  /** Reads the row's bill-period end, when the table has that column, into `endWallMs` and `endOffset`. */
  readEnd(cells: Cell[]): void {
    this.endWallMs = undefined;
    this.endOffset = null;
    if (this.endIndex === null) return;
    const e = cells[this.endIndex];
    if (typeof e === 'string' && parseTimestamp(e, this.dateOrder, this.end) === null) {
      this.endWallMs = this.end.wallMs;
      this.endOffset = this.end.offsetMinutes;
    } else if (e instanceof Date) this.endWallMs = e.getTime();
    else if (typeof e === 'number') this.endWallMs = excelSerialToWallMs(e);
  }
}

/** A value cell as a number: null when empty, NaN when it is not a number. */
function cellValue(raw: Cell, decimalComma: boolean): number | null {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string') return parseValue(raw, decimalComma);
  if (raw === null || raw === undefined) return null;
  return Number.NaN;
}

function badValue(line: number, raw: Cell, value: number, label: string): ImportEvent {
  const why = Number.isNaN(value)
    ? INFINITE.test(cellText(raw))
      ? 'is not a finite number'
      : 'is not a number'
    : 'is not a finite number (too large to store)';
  return {
    kind: 'error',
    error: { line, message: `line ${line}: "${clip(cellText(raw))}" ${label} ${why}` },
  };
}

function seriesRow(line: number, time: RowTime, value: number | null): SeriesRow {
  const srow: SeriesRow = {
    line,
    wallMs: time.ts.wallMs,
    offsetMinutes: time.ts.offsetMinutes,
    value,
    text: clip(time.text),
  };
  if (time.endWallMs !== undefined) {
    srow.periodEndWallMs = time.endWallMs;
    srow.periodEndOffsetMinutes = time.endOffset;
  }
  return srow;
}

function shortRowMessage(source: TableSource, line: number, fields: number, minCells: number): string {
  const fieldsWord = source.kind === 'csv' ? 'fields' : 'cells';
  const separator =
    source.kind === 'csv'
      ? ` (separated by ${source.delimiter === '\t' ? 'tab' : `"${source.delimiter ?? ','}"`})`
      : '';
  return `line ${line}: has ${fields} ${fieldsWord}, expected at least ${minCells}${separator}`;
}

/** Refuses the file when the sample shows readings at another interval than the meter's (INTERVAL_MISMATCH). */
function refuseIntervalMismatch(series: TableSeries[]): void {
  for (const sr of series) {
    const mismatch = sr.validator.intervalMismatch();
    if (mismatch) {
      const every = (m: number) =>
        m % 1440 === 0 ? `${m / 1440}-day` : m % 60 === 0 ? `${m / 60}-hour` : `${m}-minute`;
      throw new FileRejectedError(
        'INTERVAL_MISMATCH',
        `the readings ${sr.label} are every ${mismatch.fileMinutes} minutes, but the meter records ${every(mismatch.meterMinutes)} intervals, so most rows are off its grid: import the file into a meter with a ${mismatch.fileMinutes}-minute interval (or change this meter's interval)`,
        { fileIntervalMinutes: mismatch.fileMinutes, meterIntervalMinutes: mismatch.meterMinutes },
      );
    }
  }
}

/**
 * Read the table's rows through each series' validator. Yields, per batch of input rows,
 * the events of every series (index-aligned with `series`).
 */
export async function* runTable(
  source: TableSource,
  plan: TablePlan,
  series: TableSeries[],
): AsyncGenerator<ImportEvent[][]> {
  const { timestampIndex: ti, timeIndex, decimalComma } = plan;
  const tsColumn = clip(source.header[ti], 80);
  const time = new RowTime(plan);
  const minCells = Math.max(ti, timeIndex ?? 0, ...series.map((s) => s.valueIndex)) + 1;

  const first: ImportEvent[][] = series.map(() =>
    plan.warnings.map((message): ImportEvent => ({ kind: 'warning', message })),
  );
  let pendingFirst = true;

  const processBatch = (rows: TableRow[]): ImportEvent[][] => {
    const outs: ImportEvent[][] = pendingFirst ? first : series.map(() => []);
    pendingFirst = false;
    for (const row of rows) {
      const cells = row.cells;
      const line = row.line;
      if (cells.length < minCells) {
        if (cells.length === 1 && (cells[0] === '' || cells[0] === null || cells[0] === undefined)) continue;
        const msg = shortRowMessage(source, line, cells.length, minCells);
        for (const o of outs) o.push({ kind: 'error', error: { line, message: msg } });
        continue;
      }
      const err = time.read(cells);
      if (err !== null) {
        const msg =
          time.text === ''
            ? `line ${line}: the timestamp in column "${tsColumn}" is empty`
            : `line ${line}: "${clip(time.text)}" in column "${tsColumn}" ${err}`;
        for (const o of outs) o.push({ kind: 'error', error: { line, message: msg } });
        continue;
      }
      time.readEnd(cells);
      for (let s = 0; s < series.length; s++) {
        const sr = series[s];
        const raw = cells[sr.valueIndex];
        const value = cellValue(raw, decimalComma);
        if (value !== null && !Number.isFinite(value)) {
          outs[s].push(badValue(line, raw, value, sr.label));
          continue;
        }
        sr.validator.push(seriesRow(line, time, value), outs[s]);
      }
    }
    return outs;
  };

  const sampled = processBatch(source.sample);
  refuseIntervalMismatch(series);
  yield sampled;
  for await (const rows of source.rest) yield processBatch(rows);
  const tail = series.map(() => [] as ImportEvent[]);
  series.forEach((s, i) => s.validator.finish(tail[i]));
  yield tail;
}
