import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import { AuditService, BadInputError, Db, NotFoundError } from '@halve/platform';
import { PushReadingsDto } from './dto/metering.dto';
import { ImportEntity, MeterEntity, SiteEntity } from './entities/metering.entities';
import { ImportEvent } from './import/import-types';
import { SeriesValidator } from './import/series-validator';
import { createZoneResolver } from './import/zone-resolver';
import { importView } from './imports.service';
import { QUALITY_NAMES, ReadingsRepository } from './readings.repository';
import { ReadingEncoder } from './import-encoder';
import { UnitConversionError, resolveConversion } from './units/units';

export type Resolution = 'raw' | 'hour' | 'day' | 'month';
const ROLLUP: Record<Exclude<Resolution, 'raw'>, 'h' | 'd' | 'm'> = { hour: 'h', day: 'd', month: 'm' };
const MAX_RAW_POINTS = 200_000;

/**
 * Parses a query bound: an ISO date (midnight in `zone`), an ISO date-time with an offset, or a local
 * date-time in `zone`. Ranges are half-open [from, to).
 */
export function parseBound(value: string | undefined, zone: string, field: string): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const hasOffset = /(Z|[+-]\d\d:?\d\d)$/.test(value);
  const dt = /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? DateTime.fromISO(value, { zone }).startOf('day')
    : DateTime.fromISO(value, hasOffset ? { setZone: true } : { zone });
  if (!dt.isValid)
    throw new BadInputError(`${field} must be a date (2024-01-31) or an ISO date-time, got "${value}".`, [
      { field, message: 'not a date' },
    ]);
  return dt.toJSDate();
}

export function parseRange(
  from: string | undefined,
  to: string | undefined,
  zone: string,
  defaults: { from: Date; to: Date },
): { from: Date; to: Date } {
  const range = {
    from: parseBound(from, zone, 'from') ?? defaults.from,
    to: parseBound(to, zone, 'to') ?? defaults.to,
  };
  if (range.to <= range.from)
    throw new BadInputError('"to" must be after "from" (ranges are half-open: [from, to)).', [
      { field: 'to', message: 'not after from' },
    ]);
  return range;
}

export interface QualityReport {
  meterId: string;
  from: Date;
  to: Date;
  intervalMinutes: number | null;
  expected: number | null;
  present: number;
  coverage: number | null;
  gaps: { start: Date; end: Date; intervals: number }[];
  gapCount: number;
  flatLines: { start: Date; end: Date; value: number; intervals: number }[];
  spikes: { ts: Date; value: number; median: number }[];
  negatives: { count: number; first: { ts: Date; value: number }[] };
  qualityCounts: Record<'measured' | 'estimated' | 'filled', number>;
}

/** Pure: coverage, gaps, flat-lines, spikes and negatives of one meter's readings in [from, to). */
export function assessQuality(
  meterId: string,
  rows: { ts: Date; value: number; quality: number }[],
  intervalMinutes: number | null,
  from: Date,
  to: Date,
  allowNegative: boolean,
): QualityReport {
  const stepMs = intervalMinutes ? intervalMinutes * 60_000 : null;
  const qualityCounts = { measured: 0, estimated: 0, filled: 0 };
  for (const r of rows) qualityCounts[QUALITY_NAMES[r.quality] ?? 'measured']++;
  const gaps: QualityReport['gaps'] = [];
  let gapCount = 0;
  let expected: number | null = null;
  if (stepMs) {
    const first = Math.ceil(from.getTime() / stepMs) * stepMs;
    expected = Math.max(0, Math.ceil((to.getTime() - first) / stepMs));
    let cursor = first;
    const pushGap = (start: number, end: number) => {
      if (end <= start) return;
      gapCount++;
      if (gaps.length < 200)
        gaps.push({
          start: new Date(start),
          end: new Date(end),
          intervals: Math.round((end - start) / stepMs),
        });
    };
    for (const r of rows) {
      const t = r.ts.getTime();
      if (t > cursor) pushGap(cursor, t);
      cursor = Math.max(cursor, t + stepMs);
    }
    pushGap(
      cursor,
      Math.ceil(to.getTime() / stepMs) * stepMs > to.getTime()
        ? to.getTime()
        : Math.ceil(to.getTime() / stepMs) * stepMs,
    );
  }
  // Flat lines: at least 6 hours (and 6 readings) of exactly the same non-zero value.
  const minRun = Math.max(6, stepMs ? Math.ceil((6 * 3_600_000) / stepMs) : 6);
  const flatLines: QualityReport['flatLines'] = [];
  for (let i = 0; i < rows.length;) {
    let j = i + 1;
    while (
      j < rows.length &&
      rows[j].value === rows[i].value &&
      (!stepMs || rows[j].ts.getTime() - rows[j - 1].ts.getTime() === stepMs)
    )
      j++;
    if (j - i >= minRun && rows[i].value !== 0 && flatLines.length < 100) {
      flatLines.push({
        start: rows[i].ts,
        end: new Date(rows[j - 1].ts.getTime() + (stepMs ?? 0)),
        value: rows[i].value,
        intervals: j - i,
      });
    }
    i = j;
  }
  // Spikes: far above a robust level (median + 10 MAD and more than 3× the median) of the period.
  const spikes: QualityReport['spikes'] = [];
  if (rows.length >= 24) {
    const sorted = rows.map((r) => r.value).sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    const mad = rows.map((r) => Math.abs(r.value - median)).sort((a, b) => a - b)[
      Math.floor(rows.length / 2)
    ];
    const limit = Math.max(median + 10 * Math.max(mad, 1e-9), 3 * median);
    for (const r of rows)
      if (r.value > limit && median > 0 && spikes.length < 100)
        spikes.push({ ts: r.ts, value: r.value, median });
  }
  const negativesAll = allowNegative ? [] : rows.filter((r) => r.value < 0);
  return {
    meterId,
    from,
    to,
    intervalMinutes,
    expected,
    present: rows.length,
    coverage: expected ? Math.min(1, rows.length / expected) : null,
    gaps,
    gapCount,
    flatLines,
    spikes,
    negatives: {
      count: negativesAll.length,
      first: negativesAll.slice(0, 20).map((r) => ({ ts: r.ts, value: r.value })),
    },
    qualityCounts,
  };
}

/** Reading meter data back: raw or rolled up, data quality, and the JSON push. */
@Injectable()
export class ReadingsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly repo: ReadingsRepository,
  ) {}

  private async meterAndSite(tenantId: string, meterId: string) {
    return this.db.tenant(async (em) => {
      const meter = await em.findOneBy(MeterEntity, { tenantId, id: meterId });
      if (!meter) throw new NotFoundError('Meter', meterId);
      const site = await em.findOneByOrFail(SiteEntity, { tenantId, id: meter.siteId });
      return { meter, site };
    }, tenantId);
  }

  async readings(tenantId: string, meterId: string, q: { from?: string; to?: string; resolution?: string }) {
    const { meter, site } = await this.meterAndSite(tenantId, meterId);
    const resolution = (q.resolution ?? 'raw') as Resolution;
    if (!['raw', 'hour', 'day', 'month'].includes(resolution)) {
      throw new BadInputError(`resolution must be raw, hour, day or month, got "${q.resolution}".`, [
        { field: 'resolution', message: 'unknown resolution' },
      ]);
    }
    const range = parseRange(q.from, q.to, site.timezone, {
      from: new Date(0),
      to: new Date(Date.UTC(3000, 0, 1)),
    });
    const points = await this.db.tenant(async (em) => {
      if (resolution === 'raw') {
        const rows: { ts: Date; value: number; period_end: Date | null; quality: number }[] = await em.query(
          `SELECT ts, value, period_end, quality FROM readings WHERE tenant_id = $1 AND meter_id = $2 AND ts >= $3 AND ts < $4 ORDER BY ts LIMIT ${MAX_RAW_POINTS + 1}`,
          [tenantId, meterId, range.from, range.to],
        );
        if (rows.length > MAX_RAW_POINTS) {
          throw new BadInputError(
            `More than ${MAX_RAW_POINTS} readings in that range: ask for resolution=hour, day or month, or a shorter range.`,
            [{ field: 'resolution', message: 'too many raw points' }],
          );
        }
        return rows.map((r) => ({
          ts: r.ts,
          value: r.value,
          ...(r.period_end ? { periodEnd: r.period_end } : {}),
          quality: QUALITY_NAMES[r.quality],
        }));
      }
      const rows: { bucket: Date; value: number; count: number }[] = await em.query(
        `SELECT bucket, value, count FROM reading_rollups WHERE tenant_id = $1 AND meter_id = $2 AND resolution = $3 AND bucket >= $4 AND bucket < $5 ORDER BY bucket`,
        [tenantId, meterId, ROLLUP[resolution], range.from, range.to],
      );
      return rows.map((r) => ({ ts: r.bucket, value: r.value, count: r.count }));
    }, tenantId);
    return {
      meterId,
      unit: meter.unit,
      resolution,
      timezone: site.timezone,
      from: range.from,
      to: range.to,
      points,
    };
  }

  async quality(
    tenantId: string,
    meterId: string,
    q: { from?: string; to?: string },
  ): Promise<QualityReport> {
    const { meter, site } = await this.meterAndSite(tenantId, meterId);
    const bounds: { min: Date | null; max: Date | null }[] = await this.db.tenant(
      (em) =>
        em.query(
          'SELECT min(ts) AS min, max(ts) AS max FROM readings WHERE tenant_id = $1 AND meter_id = $2',
          [tenantId, meterId],
        ),
      tenantId,
    );
    const lastEnd = bounds[0].max
      ? new Date(bounds[0].max.getTime() + (meter.intervalMinutes ?? 1440) * 60_000)
      : new Date();
    const range = parseRange(q.from, q.to, site.timezone, {
      from: bounds[0].min ?? new Date(Date.now() - 86400_000),
      to: lastEnd,
    });
    if (range.to.getTime() - range.from.getTime() > 3 * 366 * 86400_000) {
      throw new BadInputError('The quality report covers at most three years at a time.', [
        { field: 'to', message: 'range too long' },
      ]);
    }
    const rows: { ts: Date; value: number; quality: number }[] = await this.db.tenant(
      (em) =>
        em.query(
          'SELECT ts, value, quality FROM readings WHERE tenant_id = $1 AND meter_id = $2 AND ts >= $3 AND ts < $4 ORDER BY ts',
          [tenantId, meterId, range.from, range.to],
        ),
      tenantId,
    );
    const allowNegative = meter.kind === 'pv_generation' || meter.kind === 'wind_generation';
    return assessQuality(meterId, rows, meter.intervalMinutes, range.from, range.to, allowNegative);
  }

  /** The JSON push (bearer or API key): validated by the same rules as a file, stored at once. */
  async push(
    tenantId: string,
    meterId: string,
    dto: PushReadingsDto,
    actor: { userId?: string; apiKeyId?: string },
  ) {
    const { meter, site } = await this.meterAndSite(tenantId, meterId);
    let factor: number;
    try {
      factor = resolveConversion({
        meterKind: meter.kind,
        meterUnit: meter.unit,
        fileUnit: dto.unit,
        intervalMinutes: meter.intervalMinutes,
        gasCalorificValueKwhPerM3: meter.gasCalorificValueKwhPerM3 ?? undefined,
      }).factor;
    } catch (err) {
      if (err instanceof UnitConversionError)
        throw new BadInputError(`unit: ${err.message}`, [{ field: 'unit', message: err.message }]);
      throw err;
    }
    const validator = new SeriesValidator({
      zone: createZoneResolver(site.timezone),
      intervalMinutes: meter.intervalMinutes,
      register: meter.register,
      meterKind: meter.kind,
      factor,
      now: new Date(),
      valueLabel: 'in field "value"',
    });
    const events: ImportEvent[] = [];
    dto.readings.forEach((r, i) => {
      const line = i + 1;
      const parsed = parsePushTime(r.ts);
      if (!parsed) {
        events.push({
          kind: 'error',
          error: { line, message: `line ${line}: readings[${i}].ts "${r.ts}" is not an ISO 8601 date-time` },
        });
        return;
      }
      const end = r.periodEnd !== undefined ? parsePushTime(r.periodEnd) : null;
      if (r.periodEnd !== undefined && !end) {
        events.push({
          kind: 'error',
          error: {
            line,
            message: `line ${line}: readings[${i}].periodEnd "${r.periodEnd}" is not an ISO 8601 date-time`,
          },
        });
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
    const id = randomUUID();
    return this.db.tenant(async (em) => {
      const writer = await this.repo.openStage(em, { tenantId, importId: id, meterIds: [meter.id] });
      const encoder = new ReadingEncoder({
        mode: writer.mode,
        tenantId,
        importId: id,
        meterIds: [meter.id],
        hourRollups: false,
      });
      encoder.take(events, meter.id);
      let closed = false;
      try {
        for (const chunk of encoder.drain()) await writer.write(chunk);
        await writer.close(encoder.trailer());
        closed = true;
      } finally {
        if (!closed) await writer.close(null).catch(() => undefined);
      }
      const tally = encoder.tally;
      const [merged] = await this.repo.complete(em, tenantId, id, writer, encoder.ranges);
      if (merged)
        await this.repo.refreshRollups(em, tenantId, meter, site.timezone, merged.firstTs, merged.lastTs);
      const row = {
        tenantId,
        id,
        kind: 'push' as const,
        meterId,
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
        createdBy: actor.userId ?? null,
        finishedAt: new Date(),
      };
      await em.insert(ImportEntity, row);
      await this.audit.record(em, tenantId, {
        action: 'readings.pushed',
        entityType: 'meter',
        entityId: meterId,
        summary: {
          importId: id,
          rowsStored: row.rowsStored,
          rowsUpdated: row.rowsUpdated,
          rowsRejected: row.rowsRejected,
        },
      });
      return importView({ ...row, createdAt: new Date() });
    }, tenantId);
  }
}

function parsePushTime(text: string): { wallMs: number; offsetMinutes: number | null } | null {
  const explicit = /(Z|[+-]\d\d:?\d\d)$/i.test(text);
  const dt = explicit ? DateTime.fromISO(text, { setZone: true }) : DateTime.fromISO(text, { zone: 'utc' });
  if (!dt.isValid) return null;
  return explicit
    ? { wallMs: dt.toMillis() + dt.offset * 60_000, offsetMinutes: dt.offset }
    : { wallMs: dt.toMillis(), offsetMinutes: null };
}
