import { DateTime } from 'luxon';
import { BadInputError } from '@halve/platform';
import type { PushReadingsDto } from './dto/metering.dto';
import type { ImportEntity, MeterEntity } from './entities/metering.entities';
import type { ImportEvent } from './import/import-types';
import { SeriesValidator } from './import/series-validator';
import { createZoneResolver } from './import/zone-resolver';
import type { MergeResult } from './readings.repository';
import type { TallySummary } from './import-encoder';
import { UnitConversionError, resolveConversion } from './units/units';

function parsePushTime(text: string): { wallMs: number; offsetMinutes: number | null } | null {
  const explicit = /(Z|[+-]\d\d:?\d\d)$/i.test(text);
  const dt = explicit ? DateTime.fromISO(text, { setZone: true }) : DateTime.fromISO(text, { zone: 'utc' });
  if (!dt.isValid) return null;
  return explicit
    ? { wallMs: dt.toMillis() + dt.offset * 60_000, offsetMinutes: dt.offset }
    : { wallMs: dt.toMillis(), offsetMinutes: null };
}

/** The validator of a push to `meter`: the rules of a file import, the pushed unit converted (WRONG_UNIT is a 400). */
export function pushValidator(
  meter: MeterEntity,
  timezone: string,
  unit: string | undefined,
): SeriesValidator {
  let factor: number;
  try {
    factor = resolveConversion({
      meterKind: meter.kind,
      meterUnit: meter.unit,
      fileUnit: unit,
      intervalMinutes: meter.intervalMinutes,
      gasCalorificValueKwhPerM3: meter.gasCalorificValueKwhPerM3 ?? undefined,
    }).factor;
  } catch (err) {
    if (err instanceof UnitConversionError)
      throw new BadInputError(`unit: ${err.message}`, [{ field: 'unit', message: err.message }]);
    throw err;
  }
  return new SeriesValidator({
    zone: createZoneResolver(timezone),
    intervalMinutes: meter.intervalMinutes,
    register: meter.register,
    meterKind: meter.kind,
    factor,
    now: new Date(),
    valueLabel: 'in field "value"',
  });
}

/** The events of a push: each reading through the validator, a time that is not ISO 8601 an error of its line. */
export function pushEvents(dto: PushReadingsDto, validator: SeriesValidator): ImportEvent[] {
  const events: ImportEvent[] = [];
  const timeError = (line: number, message: string) =>
    events.push({ kind: 'error', error: { line, message } });
  dto.readings.forEach((r, i) => {
    const line = i + 1;
    const parsed = parsePushTime(r.ts);
    if (!parsed) {
      timeError(line, `line ${line}: readings[${i}].ts "${r.ts}" is not an ISO 8601 date-time`);
      return;
    }
    const end = r.periodEnd !== undefined ? parsePushTime(r.periodEnd) : null;
    if (r.periodEnd !== undefined && !end) {
      timeError(line, `line ${line}: readings[${i}].periodEnd "${r.periodEnd}" is not an ISO 8601 date-time`);
      return;
    }
    validator.push(
      {
        line,
        wallMs: parsed.wallMs,
        offsetMinutes: parsed.offsetMinutes,
        value: r.value ?? null,
        text: r.ts,
        ...(end ? { periodEndWallMs: end.wallMs, periodEndOffsetMinutes: end.offsetMinutes } : {}),
        quality: r.quality,
      },
      events,
    );
  });
  validator.finish(events);
  return events;
}

/** The `imports` row that records a push (it ran at once: succeeded). */
export function pushImportRow(
  target: { tenantId: string; id: string; meterId: string; createdBy: string | null },
  tally: TallySummary,
  merged: MergeResult | undefined,
) {
  return {
    tenantId: target.tenantId,
    id: target.id,
    kind: 'push' as const,
    meterId: target.meterId,
    siteId: null,
    status: 'succeeded' as const,
    filename: null,
    format: 'json',
    sizeBytes: null,
    sha256: null,
    options: {},
    rowsRead: tally.rowsRead,
    rowsStored: merged?.stored ?? 0,
    rowsUpdated: merged?.updated ?? 0,
    rowsUnchanged: tally.readings - (merged?.stored ?? 0) - (merged?.updated ?? 0),
    rowsMissing: tally.rowsMissing,
    rowsRejected: tally.rowsRejected,
    rowsDuplicate: tally.rowsDuplicate,
    errors: tally.errors,
    warnings: tally.warnings,
    error: null,
    errorCode: null,
    firstTs: merged?.firstTs ?? null,
    lastTs: merged?.lastTs ?? null,
    jobId: null,
    createdBy: target.createdBy,
    finishedAt: new Date(),
  } satisfies Omit<ImportEntity, 'createdAt'>;
}
