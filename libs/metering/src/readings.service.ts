import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AuditService, BadInputError, Db, NotFoundError } from '@halve/platform';
import { PushReadingsDto } from './dto/metering.dto';
import { MeterEntity, SiteEntity } from './entities/metering.entities';
import { ImportEvent } from './import/import-types';
import { importView } from './import-rules';
import { ImportsRepository } from './imports.repository';
import { QUALITY_NAMES, ReadingsRepository } from './readings.repository';
import { ReadingEncoder } from './import-encoder';
import { pushEvents, pushImportRow, pushValidator } from './push-readings';
import { QualityReport, assessQuality } from './reading-quality';
import { SitesRepository } from './sites.repository';

export { assessQuality, type QualityReport } from './reading-quality';

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

/** A weather range: `from`/`to` as given (local dates in the site's zone, or instants), else all time. */
export function anyTimeRange(q: { from?: string; to?: string }, timezone: string): { from: Date; to: Date } {
  return parseRange(q.from, q.to, timezone, { from: new Date(0), to: new Date(Date.UTC(3000, 0, 1)) });
}

/** Reading meter data back: raw or rolled up, data quality, and the JSON push. */
@Injectable()
export class ReadingsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly repo: ReadingsRepository,
    private readonly sites: SitesRepository,
    private readonly imports: ImportsRepository,
  ) {}

  private async meterAndSite(tenantId: string, meterId: string) {
    return this.db.tenant(async (em) => {
      const found = await this.sites.meterWithSite(em, tenantId, meterId);
      if (!found) throw new NotFoundError('Meter', meterId);
      return found;
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
        const rows = await this.repo.rawReadings(em, tenantId, meterId, range, MAX_RAW_POINTS + 1);
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
      const rows = await this.repo.rollups(em, tenantId, meterId, ROLLUP[resolution], range);
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
    const bounds = await this.db.tenant((em) => this.repo.readingBounds(em, tenantId, meterId), tenantId);
    const lastEnd = bounds.max
      ? new Date(bounds.max.getTime() + (meter.intervalMinutes ?? 1440) * 60_000)
      : new Date();
    const range = parseRange(q.from, q.to, site.timezone, {
      from: bounds.min ?? new Date(Date.now() - 86400_000),
      to: lastEnd,
    });
    if (range.to.getTime() - range.from.getTime() > 3 * 366 * 86400_000) {
      throw new BadInputError('The quality report covers at most three years at a time.', [
        { field: 'to', message: 'range too long' },
      ]);
    }
    const rows = await this.db.tenant((em) => this.repo.qualityRows(em, tenantId, meterId, range), tenantId);
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
    const events = pushEvents(dto, pushValidator(meter, site.timezone, dto.unit));
    const id = randomUUID();
    return this.db.tenant(async (em) => {
      const { tally, merged } = await this.store(em, tenantId, id, meter, site, events);
      const row = pushImportRow({ tenantId, id, meterId, createdBy: actor.userId ?? null }, tally, merged);
      await this.imports.insert(em, row);
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

  /** Loads a push's readings in the caller's transaction (the path a file takes) and rebuilds their rollups. */
  private async store(
    em: EntityManager,
    tenantId: string,
    importId: string,
    meter: MeterEntity,
    site: SiteEntity,
    events: ImportEvent[],
  ) {
    const writer = await this.repo.openStage(em, { tenantId, importId, meterIds: [meter.id] });
    const encoder = new ReadingEncoder({
      mode: writer.mode,
      tenantId,
      importId,
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
    const [merged] = await this.repo.complete(em, tenantId, importId, writer, encoder.ranges);
    if (merged)
      await this.repo.refreshRollups(em, tenantId, meter, site.timezone, merged.firstTs, merged.lastTs);
    return { tally: encoder.tally, merged };
  }
}
