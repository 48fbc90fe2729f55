import type { MeterKind } from '../units/units';
import type { ParseLimits } from './parse-limits';

export type ImportFormat = 'csv' | 'xlsx' | 'green_button' | 'auto';
export type RegisterKind = 'interval' | 'cumulative';
export type ReadingQuality = 'measured' | 'estimated' | 'filled';

/** What the parser must know about the meter and the file. */
export interface MeterImportOptions {
  /** the site's IANA zone: local timestamps are read in it */
  timezone: string;
  /** 5, 15, 30, 60, 1440, or null for bill-period meters (readings carry periodEnd) */
  intervalMinutes: number | null;
  register: RegisterKind;
  meterKind: MeterKind;
  /** the meter's declared unit: every value is converted to it */
  meterUnit: string;
  /** unit of the file's values when it differs from meterUnit (else read from the header, else meterUnit) */
  fileUnit?: string;
  /** stated gross calorific value for gas volume ↔ energy; default DEFAULT_GAS_CALORIFIC_VALUE_KWH_PER_M3 */
  gasCalorificValueKwhPerM3?: number;
}

export interface ImportOptions extends MeterImportOptions {
  format?: ImportFormat;
  /** header name of the timestamp column (or of the date column when time is separate) */
  timestampColumn?: string;
  /** header name of the time-of-day column when date and time are separate */
  timeColumn?: string;
  valueColumn?: string;
  /** XLSX sheet name; default the first sheet */
  sheet?: string;
  /** 'start' (default): a row's time is the start of its interval; 'end': the end */
  timestampPosition?: 'start' | 'end';
  /** force the order of day and month in dd/mm vs mm/dd dates; default detected */
  dateOrder?: 'dmy' | 'mdy';
  /** force the decimal separator; default detected (comma only with ';' or tab delimiters) */
  decimalSeparator?: '.' | ',';
  /** Green Button: the series id to import when the feed holds several that fit the meter */
  seriesId?: string;
  /** reference time for the 'future timestamp' check; default new Date() */
  now?: Date;
  /** events per yielded batch; default 5000 */
  batchSize?: number;
  /** bounds on the work a file may cost (sizes, cells, line length); defaults DEFAULT_PARSE_LIMITS */
  limits?: Partial<ParseLimits>;
  /** the input's file, when it is one: an XLSX is then read by random access (its zip directory) instead of buffered */
  filePath?: string;
}

export interface ParsedReading {
  /** physical line of the file (1 = header) or, for Green Button, the reading's ordinal */
  line: number;
  /** UTC start of the interval the value covers */
  ts: Date;
  /** in the meter's unit */
  value: number;
  /** end of a bill period (only for intervalMinutes null, or Green Button periods) */
  periodEnd?: Date;
  quality: ReadingQuality;
  /** cost in the feed's currency (Green Button <cost> / 100 000) */
  cost?: number;
}

export interface RowError {
  line: number;
  /** starts with 'line N: ' so it reads well on its own */
  message: string;
}

export type ImportEvent =
  | { kind: 'reading'; reading: ParsedReading }
  | { kind: 'error'; error: RowError }
  /** an empty value: a gap, counted as missing, not stored */
  | { kind: 'missing'; line: number; ts: Date }
  /** the same timestamp and the same value again: ignored */
  | { kind: 'duplicate'; line: number; ofLine: number; ts: Date }
  /** something the user should know that did not reject a row (assumed date order, shifted midnights, rollovers) */
  | { kind: 'warning'; line?: number; message: string };
