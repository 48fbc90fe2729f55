import { ImportEntity, MeterEntity, SiteEntity } from './entities/metering.entities';
import { FileRejectedError } from './import/file-rejected-error';
import type { ImportOptions } from './import/import-types';
import type { WideImportOptions } from './import/parse-wide-csv';
import type { MergeResult } from './readings.repository';
import type { TallySummary } from './import-encoder';
import { UnitConversionError } from './units/units';
import { WeatherFileError, WeatherSummary } from './weather';

export interface UploadedFileRef {
  path: string;
  originalname: string;
  size: number;
}

export interface ImportRequestOptions {
  format?: ImportOptions['format'];
  timestampColumn?: string;
  timeColumn?: string;
  valueColumn?: string;
  timezone?: string;
  unit?: string;
  sheet?: string;
  dateOrder?: 'dmy' | 'mdy';
  timestampPosition?: 'start' | 'end';
  seriesId?: string;
  /** wide uploads: column name → meter id */
  columns?: Record<string, string>;
}

/** The import report the API shows. */
export function importView(i: ImportEntity) {
  return {
    id: i.id,
    importId: i.id,
    kind: i.kind,
    meterId: i.meterId,
    siteId: i.siteId,
    status: i.status,
    filename: i.filename,
    format: i.format,
    sizeBytes: i.sizeBytes === null ? null : Number(i.sizeBytes),
    rowsRead: i.rowsRead,
    rowsStored: i.rowsStored,
    rowsUpdated: i.rowsUpdated,
    rowsUnchanged: i.rowsUnchanged,
    rowsMissing: i.rowsMissing,
    rowsRejected: i.rowsRejected,
    rowsDuplicate: i.rowsDuplicate,
    errors: i.errors,
    warnings: i.warnings,
    ...(i.error ? { error: i.error, errorCode: i.errorCode } : {}),
    firstTs: i.firstTs,
    lastTs: i.lastTs,
    jobId: i.jobId,
    createdAt: i.createdAt,
    finishedAt: i.finishedAt,
  };
}

export class NonRetryableImportError extends Error {
  readonly retryable = false;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Pure: whether a failed attempt is a refusal (no retry) and the code the import reports. */
export function classifyImportFailure(err: unknown): { refused: boolean; code: string; message: string } {
  const coded =
    err instanceof FileRejectedError ||
    err instanceof NonRetryableImportError ||
    err instanceof WeatherFileError;
  const refused = coded || err instanceof UnitConversionError;
  const code = coded ? err.code : err instanceof UnitConversionError ? 'WRONG_UNIT' : 'IMPORT_FAILED';
  return { refused, code, message: err instanceof Error ? err.message : String(err) };
}

/** Pure: a failed job's reason ("CODE: message", or a bare message) as the import's code and message. */
export function splitJobError(error: string): { code: string; message: string } {
  const m = /^([A-Z][A-Z0-9_]+): ([\s\S]*)$/.exec(error);
  return m ? { code: m[1], message: m[2] } : { code: 'IMPORT_FAILED', message: error };
}

/** Pure: the parser options of a one-meter import, the meter's settings filling what the upload left out. */
export function meterImportOptions(
  opts: ImportRequestOptions,
  meter: MeterEntity,
  site: SiteEntity,
): ImportOptions {
  return {
    format: opts.format ?? 'auto',
    timestampColumn: opts.timestampColumn,
    timeColumn: opts.timeColumn,
    valueColumn: opts.valueColumn ?? meter.sourceColumn ?? undefined,
    sheet: opts.sheet,
    dateOrder: opts.dateOrder,
    timestampPosition: opts.timestampPosition,
    seriesId: opts.seriesId,
    timezone: opts.timezone ?? site.timezone,
    intervalMinutes: meter.intervalMinutes,
    register: meter.register,
    meterKind: meter.kind,
    meterUnit: meter.unit,
    fileUnit: opts.unit,
    gasCalorificValueKwhPerM3: meter.gasCalorificValueKwhPerM3 ?? undefined,
  };
}

export interface WideTarget {
  column: string;
  meter: MeterEntity;
  site: SiteEntity;
}

/** Pure: which meter each column of a wide upload fills (the upload's mapping, else the meters' sourceColumn). */
export function wideTargets(
  opts: ImportRequestOptions,
  meters: MeterEntity[],
  sites: SiteEntity[],
): WideTarget[] {
  const columns =
    opts.columns ??
    Object.fromEntries(meters.filter((m) => m.sourceColumn).map((m) => [m.sourceColumn!, m.id]));
  if (!Object.keys(columns).length) {
    throw new NonRetryableImportError(
      'NO_COLUMNS',
      'Say which column holds which meter: the field "columns" ({"column": "meterId"}), or set each meter\'s sourceColumn.',
    );
  }
  return Object.entries(columns).map(([column, meterId]) => {
    const meter = meters.find((m) => m.id === meterId);
    if (!meter)
      throw new NonRetryableImportError(
        'UNKNOWN_METER',
        `Column "${column}" is mapped to meter ${meterId}, which does not exist in this organisation.`,
      );
    const site = sites.find((s) => s.id === meter.siteId)!;
    return { column, meter, site };
  });
}

/** Pure: the parser options of a wide upload; the first column's meter sets the file-wide defaults. */
export function wideImportOptions(opts: ImportRequestOptions, targets: WideTarget[]): WideImportOptions {
  const first = targets[0];
  return {
    format: opts.format ?? 'auto',
    timestampColumn: opts.timestampColumn,
    timeColumn: opts.timeColumn,
    sheet: opts.sheet,
    dateOrder: opts.dateOrder,
    timestampPosition: opts.timestampPosition,
    timezone: opts.timezone ?? first.site.timezone,
    intervalMinutes: first.meter.intervalMinutes,
    register: first.meter.register,
    meterKind: first.meter.kind,
    meterUnit: first.meter.unit,
    columns: Object.fromEntries(
      targets.map((t) => [
        t.column,
        {
          meterId: t.meter.id,
          meterKind: t.meter.kind,
          meterUnit: t.meter.unit,
          intervalMinutes: t.meter.intervalMinutes,
          register: t.meter.register,
          timezone: opts.timezone ?? t.site.timezone,
        },
      ]),
    ),
  };
}

/** Pure: the report fields of a meter or wide import that succeeded. */
export function succeededFields(tally: TallySummary, merged: MergeResult[]) {
  const rowsStored = merged.reduce((s, m) => s + m.stored, 0);
  const rowsUpdated = merged.reduce((s, m) => s + m.updated, 0);
  const firstTs = merged.length ? new Date(Math.min(...merged.map((m) => m.firstTs.getTime()))) : null;
  const lastTs = merged.length ? new Date(Math.max(...merged.map((m) => m.lastTs.getTime()))) : null;
  return {
    status: 'succeeded' as const,
    rowsRead: tally.rowsRead,
    rowsStored,
    rowsUpdated,
    rowsUnchanged: tally.readings - rowsStored - rowsUpdated,
    rowsMissing: tally.rowsMissing,
    rowsRejected: tally.rowsRejected,
    rowsDuplicate: tally.rowsDuplicate,
    errors: tally.errors,
    warnings: tally.warnings,
    error: null,
    errorCode: null,
    firstTs,
    lastTs,
    finishedAt: new Date(),
  };
}

/** Pure: the report fields of a weather import that succeeded; its warning says which column fed what. */
export function weatherSucceededFields(parsed: WeatherSummary, stored: number, updated: number) {
  return {
    status: 'succeeded' as const,
    rowsRead: parsed.rowsRead,
    rowsStored: stored,
    rowsUpdated: updated,
    rowsUnchanged: 0,
    rowsMissing: parsed.rowsMissing,
    rowsRejected: parsed.rowsRejected,
    rowsDuplicate: 0,
    errors: parsed.errors,
    warnings: [
      {
        message: `columns used: ${Object.entries(parsed.columns)
          .map(([k, v]) => `${v} → ${k}`)
          .join(', ')}`,
      },
      ...(parsed.fileTimezone
        ? [{ message: `times read in ${parsed.fileTimezone}, the zone the file's own metadata names` }]
        : []),
    ],
    error: null,
    errorCode: null,
    firstTs: parsed.firstTs,
    lastTs: parsed.lastTs,
    finishedAt: new Date(),
  };
}
