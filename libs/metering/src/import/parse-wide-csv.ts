import { FileRejectedError } from './file-rejected-error';
import type { ImportEvent, ImportOptions, MeterImportOptions } from './import-types';
import { checkMeterOptions, openTable, sniffWithFormat } from './parse-meter-file';
import { clip, listColumns, parseLimits } from './parse-limits';
import { makeSeries, runTable, type TableSeries } from './run-table';
import { planTable, type TableSource } from './table';
import type { ZoneResolver } from './zone-resolver';

/** One column of a wide file → one meter; meter fields not given here come from the upload's options. */
export interface WideColumnMeter extends Partial<MeterImportOptions> {
  meterId: string;
}

export interface WideImportOptions extends Omit<ImportOptions, 'valueColumn' | 'fileUnit' | 'seriesId'> {
  /** column name → meter id, or → the meter's own description when meters differ (unit, interval, kind) */
  columns: Record<string, string | WideColumnMeter>;
}

export interface MeterEvents {
  meterId: string;
  events: ImportEvent[];
}

/**
 * A wide table (one timestamp column, one column per meter — the BDG2 layout) uploaded once
 * for several meters. Every named column must exist (else NO_VALUE_COLUMN naming it);
 * unnamed columns are ignored. Yields, per batch of rows, each meter's events.
 */
export async function* parseWideCsv(
  input: Parameters<typeof sniffWithFormat>[0],
  options: WideImportOptions,
): AsyncGenerator<MeterEvents[]> {
  const entries = Object.entries(options.columns);
  if (entries.length === 0)
    throw new FileRejectedError('INVALID_OPTIONS', 'no columns were mapped to meters');
  const now = options.now ?? new Date();
  const metas = entries.map(([column, m]) => {
    const meter: MeterImportOptions & { meterId: string } =
      typeof m === 'string' ? { ...options, meterId: m } : { ...options, ...m };
    return { column, meter, zone: checkMeterOptions(meter) };
  });
  const billPeriods = metas.some((m) => m.meter.intervalMinutes === null);
  const sniffed = await sniffWithFormat(input, options.format);
  if (sniffed.format === 'green_button')
    throw new FileRejectedError(
      'UNSUPPORTED_FORMAT',
      'a Green Button feed is not a wide table: import it meter by meter',
    );
  const table = await openTable(
    sniffed.format,
    sniffed.chunks,
    sniffed.encoding,
    options.sheet,
    parseLimits(options.limits),
    options.filePath,
  );
  try {
    yield* wideRows(table, options, metas, billPeriods, now);
  } finally {
    await table.close?.();
  }
}

async function* wideRows(
  table: TableSource,
  options: WideImportOptions,
  metas: { column: string; meter: MeterImportOptions & { meterId: string }; zone: ZoneResolver }[],
  billPeriods: boolean,
  now: Date,
): AsyncGenerator<MeterEvents[]> {
  const plan = planTable(table, options, billPeriods);
  const lower = table.header.map((h) => h.trim().toLowerCase());
  const missing = metas.filter(
    (m) => table.header.indexOf(m.column) === -1 && lower.indexOf(m.column.trim().toLowerCase()) === -1,
  );
  if (missing.length > 0) {
    throw new FileRejectedError(
      'NO_VALUE_COLUMN',
      `the file has no column ${missing.map((m) => `"${clip(m.column, 80)}"`).join(', ')}; its columns are: ${listColumns(table.header)}`,
      {
        columns: table.header,
      },
    );
  }
  const series: TableSeries[] = metas.map((m) => {
    let i = table.header.indexOf(m.column);
    if (i === -1) i = lower.indexOf(m.column.trim().toLowerCase());
    return makeSeries(table, i, m.meter, m.zone, now, options.timestampPosition);
  });
  for await (const perSeries of runTable(table, plan, series)) {
    const batch: MeterEvents[] = [];
    perSeries.forEach((events, i) => {
      if (events.length > 0) batch.push({ meterId: metas[i].meter.meterId, events });
    });
    if (batch.length > 0) yield batch;
  }
}
