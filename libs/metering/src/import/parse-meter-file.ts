import { resolveConversion, UnitConversionError, type MeterKind } from '../units/units';
import { decodeText, sniffInput, type ByteInput, type SniffedFormat } from './byte-source';
import { csvTable } from './csv-table';
import { feedOffsetSecondsAt } from './espi';
import { FileRejectedError } from './file-rejected-error';
import {
  describeSeries,
  parseGreenButton,
  type GreenButtonFeed,
  type GreenButtonReading,
  type GreenButtonSeries,
} from './green-button';
import type { ImportEvent, ImportOptions, MeterImportOptions } from './import-types';
import { clip, formatBytes, parseLimits, type ParseLimits } from './parse-limits';
import { SeriesValidator } from './series-validator';
import { makeSeries, runTable } from './run-table';
import { chooseValueColumn, planTable, type TableSource } from './table';
import { xlsxTable } from './xlsx-table';
import { createZoneResolver, isValidZone, type ZoneResolver } from './zone-resolver';

export const SUPPORTED_INTERVAL_MINUTES: readonly number[] = [5, 10, 15, 30, 60, 1440];
// small batches keep few events alive at once (less promotion to the old generation); the encoder
// still hands out ~256 KB chunks
const DEFAULT_BATCH = 1000;

/** Check the meter description before reading a byte; bad options are the caller's bug, not the file's. */
export function checkMeterOptions(o: MeterImportOptions): ZoneResolver {
  if (!isValidZone(o.timezone))
    throw new FileRejectedError('INVALID_OPTIONS', `"${o.timezone}" is not an IANA time zone`);
  if (o.intervalMinutes !== null && !SUPPORTED_INTERVAL_MINUTES.includes(o.intervalMinutes)) {
    throw new FileRejectedError(
      'INVALID_OPTIONS',
      `interval ${o.intervalMinutes} minutes is not supported (use ${SUPPORTED_INTERVAL_MINUTES.join(', ')} or null for bill periods)`,
    );
  }
  try {
    resolveConversion({ ...o, fileUnit: o.meterUnit });
  } catch (e) {
    if (e instanceof UnitConversionError)
      throw new FileRejectedError('WRONG_UNIT', e.message, { meterUnit: o.meterUnit });
    throw e;
  }
  return createZoneResolver(o.timezone);
}

/** Collect events into batches of `size`. */
export async function* rebatch(
  source: AsyncIterable<ImportEvent[]>,
  size: number,
): AsyncGenerator<ImportEvent[]> {
  let batch: ImportEvent[] = [];
  for await (const events of source) {
    for (const e of events) {
      batch.push(e);
      if (batch.length >= size) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}

export async function openTable(
  format: SniffedFormat,
  chunks: AsyncIterable<Buffer>,
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be',
  sheet: string | undefined,
  limits: ParseLimits,
  filePath?: string,
): Promise<TableSource> {
  if (format === 'xlsx') return xlsxTable({ path: filePath, chunks }, sheet, limits);
  return csvTable(decodeText(chunks, encoding), limits.maxLineChars);
}

export async function sniffWithFormat(
  input: ByteInput,
  declared: ImportOptions['format'],
): Promise<Awaited<ReturnType<typeof sniffInput>>> {
  const sniffed = await sniffInput(input);
  if (declared !== undefined && declared !== 'auto' && declared !== sniffed.format) {
    const names = { csv: 'CSV text', xlsx: 'an XLSX workbook', green_button: 'XML (Green Button)' };
    throw new FileRejectedError(
      'UNSUPPORTED_FORMAT',
      `the upload was declared ${declared} but the file is ${names[sniffed.format]}`,
    );
  }
  return sniffed;
}

/**
 * Parse one meter's file (CSV, XLSX or Green Button XML) into batches of import events,
 * streaming: memory stays bounded whatever the file's length (Green Button XML, parsed
 * whole, is capped at maxXmlBytes). Throws FileRejectedError for a whole-file refusal;
 * shape checks (format, header, columns, units, date format) all happen before the first
 * batch is yielded.
 */
export async function* parseMeterFile(
  input: ByteInput,
  options: ImportOptions,
): AsyncGenerator<ImportEvent[]> {
  const zone = checkMeterOptions(options);
  const now = options.now ?? new Date();
  const size = options.batchSize ?? DEFAULT_BATCH;
  const limits = parseLimits(options.limits);
  const sniffed = await sniffWithFormat(input, options.format);
  if (sniffed.format === 'green_button') {
    const xml = await readAll(sniffed.chunks, sniffed.encoding, limits.maxXmlBytes);
    yield* rebatch(greenButtonEvents(parseGreenButton(xml), options, zone, now), size);
    return;
  }
  const table = await openTable(
    sniffed.format,
    sniffed.chunks,
    sniffed.encoding,
    options.sheet,
    limits,
    options.filePath,
  );
  try {
    const plan = planTable(table, options, options.intervalMinutes === null);
    const valueIndex = chooseValueColumn(table, plan, options.meterUnit, options.valueColumn);
    const series = makeSeries(table, valueIndex, options, zone, now, options.timestampPosition);
    async function* flat(): AsyncGenerator<ImportEvent[]> {
      for await (const perSeries of runTable(table, plan, [series])) yield perSeries[0];
    }
    yield* rebatch(flat(), size);
  } finally {
    await table.close?.();
  }
}

/** Green Button XML is parsed whole: its bytes are counted before they are decoded, and refused past the cap. */
async function readAll(
  chunks: AsyncIterable<Buffer>,
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be',
  maxBytes: number,
): Promise<string> {
  const parts: Buffer[] = [];
  let length = 0;
  for await (const c of chunks) {
    length += c.length;
    if (length > maxBytes) {
      throw new FileRejectedError(
        'TOO_LARGE',
        `the XML file is over ${formatBytes(maxBytes)} (HALVE_IMPORT_MAX_XML), the limit for Green Button files, which are read whole: split the feed by period`,
        { limitBytes: maxBytes, bytesAtLeast: length },
      );
    }
    parts.push(c);
  }
  const texts: string[] = [];
  for await (const t of decodeText(
    (async function* () {
      yield* parts;
    })(),
    encoding,
  ))
    texts.push(t);
  return texts.join('');
}

const ELECTRICITY: ReadonlySet<MeterKind> = new Set<MeterKind>([
  'electricity_import',
  'electricity_export',
  'pv_generation',
  'wind_generation',
]);

/**
 * The series of a feed that fits the meter: service kind (electricity, gas 1, water 2,
 * heat 4) and flow direction (import: delivered 1; export: received 19; PV/wind: received
 * 19, else delivered 1). `seriesId` picks one explicitly. Several that fit equally →
 * AMBIGUOUS_SERIES listing them.
 */
export function selectGreenButtonSeries(
  feed: GreenButtonFeed,
  meterKind: MeterKind,
  seriesId?: string,
): GreenButtonSeries {
  const all = feed.series;
  const list = all.map(describeSeries).join('; ');
  if (seriesId !== undefined) {
    const s = all.find((x) => x.id === seriesId);
    if (!s)
      throw new FileRejectedError('NO_SERIES', `the feed has no series "${seriesId}"; it has: ${list}`, {
        series: all.map((x) => x.id),
      });
    return s;
  }
  const service = ELECTRICITY.has(meterKind)
    ? 0
    : meterKind === 'natural_gas'
      ? 1
      : meterKind === 'water'
        ? 2
        : meterKind === 'district_heat'
          ? 4
          : -1;
  const flows: (number | null)[][] =
    meterKind === 'electricity_export'
      ? [[19]]
      : meterKind === 'pv_generation' || meterKind === 'wind_generation'
        ? [[19], [1, null]]
        : [[1, null]];
  const byService = all.filter((s) => s.serviceKind === null || s.serviceKind === service);
  for (const accepted of flows) {
    const hits = byService.filter((s) => accepted.includes(s.flowDirection));
    if (hits.length === 1) return hits[0];
    if (hits.length > 1) {
      throw new FileRejectedError(
        'AMBIGUOUS_SERIES',
        `several series in the feed fit a ${meterKind} meter: ${hits.map(describeSeries).join('; ')}; choose one with seriesId`,
        {
          series: hits.map((x) => x.id),
        },
      );
    }
  }
  throw new FileRejectedError(
    'NO_SERIES',
    `no series in the feed fits a ${meterKind} meter; it has: ${list || 'none'}`,
    { series: all.map((x) => x.id) },
  );
}

const DAY_S = 86_400;

/** The factor from the series' unit to the meter's (WRONG_UNIT refuses the file). */
function greenButtonFactor(s: GreenButtonSeries, options: ImportOptions): number {
  if (s.unit === null) {
    throw new FileRejectedError(
      'WRONG_UNIT',
      `series ${s.id} is in ESPI unit code ${s.uom ?? '(none)'}, which is not an energy or volume unit Halve reads`,
      { uom: s.uom },
    );
  }
  try {
    return resolveConversion({ ...options, fileUnit: s.unit }).factor;
  } catch (e) {
    if (e instanceof UnitConversionError)
      throw new FileRejectedError('WRONG_UNIT', `wrong unit: ${e.message}`, {
        fileUnit: e.fromUnit,
        meterUnit: e.toUnit,
      });
    throw e;
  }
}

/** Warnings about the whole series: interval data read as register reads, a feed zone unlike the site's. */
function greenButtonWarnings(
  feed: GreenButtonFeed,
  s: GreenButtonSeries,
  options: ImportOptions,
  zone: ZoneResolver,
): ImportEvent[] {
  const out: ImportEvent[] = [];
  if (options.register === 'cumulative' && s.accumulationBehaviour === 4) {
    out.push({
      kind: 'warning',
      message: `series ${s.id} holds interval values (accumulationBehaviour 4, deltaData) but the meter is set to cumulative: the values were read as register reads`,
    });
  }
  const first = s.readings[0];
  if (feed.localTime && first && Number.isFinite(first.startSeconds)) {
    const feedOffsetS = feedOffsetSecondsAt(feed.localTime, first.startSeconds * 1000);
    const siteOffsetS = zone.offsetMinutesAt(first.startSeconds * 1000) * 60;
    if (feedOffsetS !== siteOffsetS) {
      out.push({
        kind: 'warning',
        message: `the feed's local time is UTC${feedOffsetS >= 0 ? '+' : '−'}${Math.abs(feedOffsetS / 3600)} but the site (${zone.zone}) is UTC${siteOffsetS >= 0 ? '+' : '−'}${Math.abs(siteOffsetS / 3600)} then: readings are placed by their UTC times; check the site's time zone`,
      });
    }
  }
  return out;
}

/** Why a reading cannot be read at all (no time period, a value that is not a number), or null. */
function unreadable(r: GreenButtonReading, seriesId: string): string | null {
  const line = r.ordinal;
  if (!Number.isFinite(r.startSeconds) || !Number.isFinite(r.durationSeconds))
    return `line ${line}: reading ${line} of ${seriesId} has no valid timePeriod start and duration`;
  if (r.valueText !== undefined)
    return `line ${line}: reading ${line} of ${seriesId} has the value "${clip(r.valueText)}", which is not a finite number`;
  return null;
}

/** Whether a reading lasts the meter's interval (a daily one: a day, give or take a clock change). */
function lastsInterval(durationSeconds: number, im: number | null): boolean {
  if (im === null) return true;
  return im === 1440
    ? durationSeconds >= DAY_S - 3600 && durationSeconds <= DAY_S + 3600
    : durationSeconds === im * 60;
}

/** Green Button readings → events, through the same validator as tables. */
export async function* greenButtonEvents(
  feed: GreenButtonFeed,
  options: ImportOptions,
  zone: ZoneResolver,
  now: Date,
): AsyncGenerator<ImportEvent[]> {
  const s = selectGreenButtonSeries(feed, options.meterKind, options.seriesId);
  const factor = greenButtonFactor(s, options);
  const out = greenButtonWarnings(feed, s, options, zone);
  const validator = new SeriesValidator({
    zone,
    intervalMinutes: options.intervalMinutes,
    register: options.register,
    meterKind: options.meterKind,
    factor,
    now,
    valueLabel: s.unit!,
  });
  const im = options.intervalMinutes;
  let snapped = 0;
  for (const r of s.readings) {
    const line = r.ordinal;
    const bad = unreadable(r, s.id);
    if (bad !== null) {
      out.push({ kind: 'error', error: { line, message: bad } });
      continue;
    }
    let start = r.startSeconds;
    const rounded = Math.round(start / 60) * 60;
    if (rounded !== start) {
      if (snapped++ === 0)
        out.push({
          kind: 'warning',
          line,
          message: `reading ${line} starts at ${new Date(start * 1000).toISOString()}, ${Math.abs(start - rounded).toFixed(0)} s off the minute: starts were rounded to the minute`,
        });
      start = rounded;
    }
    const text = new Date(start * 1000).toISOString();
    if (!lastsInterval(r.durationSeconds, im)) {
      out.push({
        kind: 'error',
        error: {
          line,
          message: `line ${line}: reading ${line} (${text}) lasts ${r.durationSeconds} s but the meter's interval is ${im} minutes`,
        },
      });
      continue;
    }
    validator.push(
      {
        line,
        wallMs: start * 1000,
        offsetMinutes: 0,
        value: Number.isNaN(r.value) ? null : r.value,
        text,
        quality: r.quality,
        ...(im === null ? { periodEndMs: (start + r.durationSeconds) * 1000 } : {}),
        ...(r.cost !== undefined ? { cost: r.cost } : {}),
      },
      out,
    );
    if (out.length >= 4096) yield out.splice(0, out.length);
  }
  validator.finish(out);
  if (out.length > 0) yield out;
}
