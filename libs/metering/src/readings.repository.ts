import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { enterLoaderRole, leaveLoaderRole, loaderCopyAllowed, onCitus } from '@halve/platform';
import { IANAZone } from 'luxon';
import {
  COPY_HEADER,
  COPY_TRAILER,
  EncodeMode,
  HourRollups,
  MeterRange,
  ReadingChunk,
  uuidBytes,
  writePgTimestamp,
} from './import-encoder';
import { openCopy, pgClient } from './pg-copy';

export interface MergeResult {
  meterId: string;
  stored: number;
  updated: number;
  firstTs: Date;
  lastTs: Date;
}

export interface StageWriter {
  /** true: rows go straight into `readings` (a first import on a PostgreSQL server) */
  direct: boolean;
  /** how the writer wants its readings encoded (ReadingEncoder) */
  mode: EncodeMode;
  write(chunk: ReadingChunk): Promise<void>;
  /** ends the load; `trailer` is the encoder's COPY trailer */
  close(trailer: Uint8Array | null): Promise<void>;
}

/** True when `zone`'s UTC offset is a whole number of hours at every month boundary and mid-month in [from, to). */
export function wholeHourOffsets(zone: string, from: Date, to: Date): boolean {
  const z = IANAZone.create(zone);
  if (!z.isValid) return false;
  for (let t = from.getTime(); t < to.getTime() + 86_400_000; t += 15 * 86_400_000) {
    if (z.offset(t) % 60 !== 0) return false;
  }
  return true;
}

export { QUALITY_CODES, QUALITY_NAMES } from './import-encoder';

/**
 * The hot path of imports: readings are staged into a transaction-local temp table in large
 * set-based batches (one statement per batch, five array parameters — no parameter limit), then
 * merged into `readings` with one upsert that counts inserted and changed rows, then the rollups of
 * the touched local months are rebuilt. Everything runs in the caller's transaction, so a failed
 * import leaves the stored readings as they were.
 */
@Injectable()
export class ReadingsRepository {
  async createStage(em: EntityManager): Promise<void> {
    await em.query(
      `CREATE TEMP TABLE IF NOT EXISTS import_stage (meter_id uuid NOT NULL, ts timestamptz NOT NULL, value float8 NOT NULL, period_end timestamptz, quality int2 NOT NULL) ON COMMIT DROP`,
    );
  }

  /**
   * A writer for an import's readings. On a PostgreSQL server it is one COPY stream for the whole
   * import, so the server loads rows while this process parses the next batch (two cores, both busy):
   * straight into `readings` when none of the import's meters has a reading yet (a first upload: no
   * conflict is possible, the parser has already refused duplicates), else into the stage for the
   * upsert. PostgreSQL refuses COPY FROM into a table with row-level security, so that one statement
   * runs as the table owner; every row carries the job's tenant id and a meter read under RLS in this
   * transaction (docs/adr/0006-bulk-copy-as-owner.md). On the embedded database, which has no COPY
   * FROM STDIN, each batch is one set-based INSERT into the stage.
   */
  async openStage(
    em: EntityManager,
    target: { tenantId: string; importId: string; meterIds: string[] },
  ): Promise<StageWriter> {
    await this.lockMeters(em, target.tenantId, target.meterIds);
    await this.createStage(em);
    const client = pgClient(em);
    if (!client) {
      return {
        direct: false,
        mode: 'columns',
        write: (chunk) => this.stageColumns(em, target.meterIds, chunk),
        close: async () => undefined,
      };
    }
    const existing: unknown[] = await em.query(
      'SELECT 1 FROM readings WHERE tenant_id = $1 AND meter_id = ANY($2::uuid[]) LIMIT 1',
      [target.tenantId, target.meterIds],
    );
    // without a loader that bypasses RLS (a migration role that was not a superuser) the stage is the only way;
    // on Citus the loader's role is taken on the workers only (enterLoaderRole, ADR 0011)
    const direct = existing.length === 0 && (await loaderCopyAllowed(em));
    if (direct) await enterLoaderRole(em);
    const copy = openCopy(
      client,
      direct
        ? `COPY readings (tenant_id, meter_id, ts, value, period_end, quality, import_id) FROM STDIN WITH (FORMAT binary)`
        : 'COPY import_stage (meter_id, ts, value, period_end, quality) FROM STDIN WITH (FORMAT binary)',
    );
    return {
      direct,
      mode: direct ? 'copy-direct' : 'copy-stage',
      write: async (chunk) => {
        if (chunk.bytes) await copy.send(chunk.bytes);
      },
      close: async (trailer) => {
        await copy.end(trailer);
        if (direct) await leaveLoaderRole(em);
      },
    };
  }

  /**
   * Serialises the loads of one meter: a transaction-scoped advisory lock per (tenant, meter), taken in
   * meter-id order (no deadlock between two wide imports) and held to commit or rollback. Two first
   * imports of a new meter would otherwise both see no readings, both COPY straight into `readings`,
   * and one would fail on the primary key; with the lock the second waits, then sees the first's
   * readings and merges. The same holds for two overlapping "fresh range" plain inserts in merge().
   */
  async lockMeters(em: EntityManager, tenantId: string, meterIds: readonly string[]): Promise<void> {
    for (const meterId of [...new Set(meterIds)].sort()) {
      await em.query(`SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))`, [
        `halve.readings:${tenantId}`,
        meterId,
      ]);
    }
  }

  /** What an import stored: from the direct COPY's own count (the encoder's ranges), or by merging the stage. */
  async complete(
    em: EntityManager,
    tenantId: string,
    importId: string | null,
    writer: StageWriter,
    ranges: Iterable<[string, MeterRange]>,
  ): Promise<MergeResult[]> {
    if (!writer.direct) return this.merge(em, tenantId, importId);
    return [...ranges]
      .filter(([, t]) => t.n > 0)
      .map(([meterId, t]) => ({
        meterId,
        stored: t.n,
        updated: 0,
        firstTs: new Date(t.first),
        lastTs: new Date(t.last),
      }));
  }

  /**
   * A meter's first import (a direct load): its hour rollups, summed by the encoder, go in by one binary COPY (as the
   * table owner, like the readings: ADR 0006) instead of a GROUP BY over the new readings.
   */
  async copyHourRollups(em: EntityManager, tenantId: string, hours: HourRollups): Promise<void> {
    if (hours.hourMs.length === 0) return;
    const client = pgClient(em);
    if (!client) throw new Error('copyHourRollups needs a PostgreSQL server connection');
    // only for a meter that had no readings before this import: any rollup of it is stale
    await em.query(
      `DELETE FROM reading_rollups WHERE tenant_id = $1 AND meter_id = $2 AND resolution = 'h'`,
      [tenantId, hours.meterId],
    );
    await enterLoaderRole(em);
    try {
      const copy = openCopy(
        client,
        'COPY reading_rollups (tenant_id, meter_id, resolution, bucket, value, count) FROM STDIN WITH (FORMAT binary)',
      );
      const n = hours.hourMs.length;
      // 2 + (4 + 16) × 2 + (4 + 1) + (4 + 8) × 2 + (4 + 4) bytes a row, sent 8192 rows at a time
      const rowBytes = 2 + 40 + 5 + 24 + 8;
      const tenant = uuidBytes(tenantId);
      const meter = uuidBytes(hours.meterId);
      for (let start = 0; start < n; start += 8192) {
        const end = Math.min(n, start + 8192);
        const head = start === 0 ? COPY_HEADER.length : 0;
        const buf = new Uint8Array(head + (end - start) * rowBytes);
        const v = new DataView(buf.buffer);
        if (head) buf.set(COPY_HEADER, 0);
        let o = head;
        for (let i = start; i < end; i++) {
          v.setInt16(o, 6);
          v.setInt32(o + 2, 16);
          buf.set(tenant, o + 6);
          v.setInt32(o + 22, 16);
          buf.set(meter, o + 26);
          v.setInt32(o + 42, 1);
          buf[o + 46] = 0x68; // 'h'
          v.setInt32(o + 47, 8);
          writePgTimestamp(v, o + 51, hours.hourMs[i]);
          v.setInt32(o + 59, 8);
          v.setFloat64(o + 63, hours.sum[i]);
          v.setInt32(o + 71, 4);
          v.setInt32(o + 75, hours.count[i]);
          o += rowBytes;
        }
        await copy.send(buf);
      }
      await copy.end(COPY_TRAILER);
    } finally {
      await leaveLoaderRole(em);
    }
  }

  /** Embedded database (no COPY FROM STDIN): one set-based INSERT into the stage per chunk. */
  async stageColumns(em: EntityManager, meterIds: string[], chunk: ReadingChunk): Promise<void> {
    const c = chunk.columns;
    if (!c || chunk.rows === 0) return;
    const n = chunk.rows;
    const meters = new Array<string>(n);
    const ts = new Array<string>(n);
    const values = new Array<string>(n);
    const ends = new Array<string>(n);
    const qualities = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      meters[i] = meterIds[c.meter[i]];
      ts[i] = String(c.ts[i]);
      values[i] = String(c.value[i]);
      ends[i] = Number.isNaN(c.periodEnd[i]) ? '' : String(c.periodEnd[i]);
      qualities[i] = String(c.quality[i]);
    }
    await em.query(
      `INSERT INTO import_stage (meter_id, ts, value, period_end, quality)
       SELECT m::uuid, to_timestamp(t::float8 / 1000), v::float8, to_timestamp(nullif(e, '')::float8 / 1000), q::int2
         FROM unnest(string_to_array($1, ','), string_to_array($2, ','), string_to_array($3, ','), string_to_array($4, ','), string_to_array($5, ',')) AS s(m, t, v, e, q)`,
      [meters.join(','), ts.join(','), values.join(','), ends.join(','), qualities.join(',')],
    );
  }

  /** Upserts the staged rows; identical rows are left alone (and counted as unchanged by the caller). */
  async merge(em: EntityManager, tenantId: string, importId: string | null): Promise<MergeResult[]> {
    const ranges: { meter_id: string; first_ts: Date; last_ts: Date; n: string }[] = await em.query(
      `SELECT meter_id, min(ts) AS first_ts, max(coalesce(period_end, ts)) AS last_ts, count(*) AS n FROM import_stage GROUP BY meter_id`,
    );
    if (!ranges.length) return [];
    // A range with no stored readings yet (the common case: new data) is a plain insert — no conflict handling to pay for.
    let fresh = true;
    for (const r of ranges) {
      const hit: unknown[] = await em.query(
        'SELECT 1 FROM readings WHERE tenant_id = $1 AND meter_id = $2 AND ts >= $3 AND ts <= $4 LIMIT 1',
        [tenantId, r.meter_id, r.first_ts, r.last_ts],
      );
      if (hit.length) fresh = false;
    }
    if (fresh) {
      // On Citus a plain INSERT … SELECT from the coordinator's stage is a COPY into the shards, which row-level
      // security refuses; with ON CONFLICT it goes as an intermediate result and an INSERT (ADR 0011). Nothing
      // conflicts here (the range is empty and the meters locked).
      const onConflict = (await onCitus(em)) ? ' ON CONFLICT DO NOTHING' : '';
      await em.query(
        `INSERT INTO readings (tenant_id, meter_id, ts, value, period_end, quality, import_id)
         SELECT $1, meter_id, ts, value, period_end, quality, $2 FROM import_stage${onConflict}`,
        [tenantId, importId],
      );
      await em.query('TRUNCATE import_stage');
      return ranges.map((r) => ({
        meterId: r.meter_id,
        stored: Number(r.n),
        updated: 0,
        firstTs: new Date(r.first_ts),
        lastTs: new Date(r.last_ts),
      }));
    }
    const counts: { meter_id: string; stored: string; updated: string }[] = await em.query(
      `WITH up AS (
         INSERT INTO readings (tenant_id, meter_id, ts, value, period_end, quality, import_id)
         SELECT $1, meter_id, ts, value, period_end, quality, $2 FROM import_stage
         ON CONFLICT (tenant_id, meter_id, ts) DO UPDATE
            SET value = EXCLUDED.value, period_end = EXCLUDED.period_end, quality = EXCLUDED.quality, import_id = EXCLUDED.import_id
          WHERE readings.value IS DISTINCT FROM EXCLUDED.value
             OR readings.period_end IS DISTINCT FROM EXCLUDED.period_end
             OR readings.quality IS DISTINCT FROM EXCLUDED.quality
         RETURNING (xmax = 0) AS inserted, meter_id)
       SELECT meter_id, count(*) FILTER (WHERE inserted) AS stored, count(*) FILTER (WHERE NOT inserted) AS updated FROM up GROUP BY meter_id`,
      [tenantId, importId],
    );
    await em.query('TRUNCATE import_stage');
    return ranges.map((r) => {
      const c = counts.find((x) => x.meter_id === r.meter_id);
      return {
        meterId: r.meter_id,
        stored: Number(c?.stored ?? 0),
        updated: Number(c?.updated ?? 0),
        firstTs: new Date(r.first_ts),
        lastTs: new Date(r.last_ts),
      };
    });
  }

  /**
   * Rebuilds the hour, day and month rollups of the local months that [from, to] touches. Hours are
   * UTC hours (a local hour except in zones with :30/:45 offsets); days and months are the site's
   * local calendar. Bill-period readings are spread over the local days they cover, pro rata. Each INSERT takes
   * tenant_id and meter_id from the rows it reads, not from the parameters: so Citus runs it on the tenant's shard
   * (an INSERT … SELECT it cannot push down goes as a COPY, which row-level security refuses; ADR 0011).
   */
  async refreshRollups(
    em: EntityManager,
    tenantId: string,
    meter: { id: string; intervalMinutes: number | null },
    timezone: string,
    from: Date,
    to: Date,
    options: { hoursStored?: boolean } = {},
  ): Promise<void> {
    const [{ lo, hi }]: { lo: Date; hi: Date }[] = await em.query(
      `SELECT (date_trunc('month', $1::timestamptz AT TIME ZONE $3) AT TIME ZONE $3) AS lo,
              ((date_trunc('month', $2::timestamptz AT TIME ZONE $3) + interval '1 month') AT TIME ZONE $3) AS hi`,
      [from, to, timezone],
    );
    const p = [tenantId, meter.id, lo, hi, timezone];
    // hoursStored: the import has just written this range's hour rollups (copyHourRollups)
    await em.query(
      `DELETE FROM reading_rollups WHERE tenant_id = $1 AND meter_id = $2 AND bucket >= $3 AND bucket < $4 AND $5::text IS NOT NULL${options.hoursStored ? ` AND resolution <> 'h'` : ''}`,
      p,
    );
    if (meter.intervalMinutes === null) {
      await em.query(
        `INSERT INTO reading_rollups (tenant_id, meter_id, resolution, bucket, value, count)
         SELECT tenant_id, meter_id, 'd', d_start, sum(value * extract(epoch FROM least(period_end, d_end) - greatest(ts, d_start)) / nullif(extract(epoch FROM period_end - ts), 0)), count(*)
           FROM (SELECT r.tenant_id, r.meter_id, r.value, r.ts, coalesce(r.period_end, r.ts + interval '1 day') AS period_end,
                        (g AT TIME ZONE $5) AS d_start, ((g + interval '1 day') AT TIME ZONE $5) AS d_end
                   FROM readings r
                   CROSS JOIN LATERAL generate_series(date_trunc('day', r.ts AT TIME ZONE $5),
                                                      (coalesce(r.period_end, r.ts + interval '1 day') AT TIME ZONE $5) - interval '1 microsecond',
                                                      interval '1 day') AS g
                  WHERE r.tenant_id = $1 AND r.meter_id = $2 AND r.ts < $4 AND coalesce(r.period_end, r.ts) > $3) x
          WHERE d_start >= $3 AND d_start < $4
          GROUP BY tenant_id, meter_id, d_start`,
        p,
      );
    } else {
      if (meter.intervalMinutes < 1440 && !options.hoursStored) {
        await em.query(
          `INSERT INTO reading_rollups (tenant_id, meter_id, resolution, bucket, value, count)
           SELECT tenant_id, meter_id, 'h', date_trunc('hour', ts), sum(value), count(*)
             FROM readings WHERE tenant_id = $1 AND meter_id = $2 AND ts >= $3 AND ts < $4 AND $5::text IS NOT NULL
            GROUP BY tenant_id, meter_id, date_trunc('hour', ts)`,
          p,
        );
      }
      // Local days from the hour rollups when every UTC hour lies inside one local day (whole-hour
      // offsets throughout the range); from the readings otherwise (e.g. Asia/Kolkata, +05:30).
      const fromHours = meter.intervalMinutes < 1440 && wholeHourOffsets(timezone, lo, hi);
      await em.query(
        fromHours
          ? `INSERT INTO reading_rollups (tenant_id, meter_id, resolution, bucket, value, count)
             SELECT tenant_id, meter_id, 'd', date_trunc('day', bucket AT TIME ZONE $5) AT TIME ZONE $5, sum(value), sum(count)
               FROM reading_rollups WHERE tenant_id = $1 AND meter_id = $2 AND resolution = 'h' AND bucket >= $3 AND bucket < $4
              GROUP BY tenant_id, meter_id, date_trunc('day', bucket AT TIME ZONE $5)`
          : `INSERT INTO reading_rollups (tenant_id, meter_id, resolution, bucket, value, count)
             SELECT tenant_id, meter_id, 'd', date_trunc('day', ts AT TIME ZONE $5) AT TIME ZONE $5, sum(value), count(*)
               FROM readings WHERE tenant_id = $1 AND meter_id = $2 AND ts >= $3 AND ts < $4
              GROUP BY tenant_id, meter_id, date_trunc('day', ts AT TIME ZONE $5)`,
        p,
      );
    }
    await em.query(
      `INSERT INTO reading_rollups (tenant_id, meter_id, resolution, bucket, value, count)
       SELECT tenant_id, meter_id, 'm', date_trunc('month', bucket AT TIME ZONE $5) AT TIME ZONE $5, sum(value), sum(count)
         FROM reading_rollups WHERE tenant_id = $1 AND meter_id = $2 AND resolution = 'd' AND bucket >= $3 AND bucket < $4
        GROUP BY tenant_id, meter_id, date_trunc('month', bucket AT TIME ZONE $5)`,
      p,
    );
  }

  /** One meter's readings in [from, to), oldest first, at most `limit` of them. */
  rawReadings(
    em: EntityManager,
    tenantId: string,
    meterId: string,
    range: { from: Date; to: Date },
    limit: number,
  ): Promise<{ ts: Date; value: number; period_end: Date | null; quality: number }[]> {
    return em.query(
      `SELECT ts, value, period_end, quality FROM readings WHERE tenant_id = $1 AND meter_id = $2 AND ts >= $3 AND ts < $4 ORDER BY ts LIMIT ${limit}`,
      [tenantId, meterId, range.from, range.to],
    );
  }

  /** One meter's rollups of one resolution (h, d, m) with buckets in [from, to), oldest first. */
  rollups(
    em: EntityManager,
    tenantId: string,
    meterId: string,
    resolution: 'h' | 'd' | 'm',
    range: { from: Date; to: Date },
  ): Promise<{ bucket: Date; value: number; count: number }[]> {
    return em.query(
      `SELECT bucket, value, count FROM reading_rollups WHERE tenant_id = $1 AND meter_id = $2 AND resolution = $3 AND bucket >= $4 AND bucket < $5 ORDER BY bucket`,
      [tenantId, meterId, resolution, range.from, range.to],
    );
  }

  /** The first and last reading times of a meter (null when it has none). */
  async readingBounds(
    em: EntityManager,
    tenantId: string,
    meterId: string,
  ): Promise<{ min: Date | null; max: Date | null }> {
    const rows: { min: Date | null; max: Date | null }[] = await em.query(
      'SELECT min(ts) AS min, max(ts) AS max FROM readings WHERE tenant_id = $1 AND meter_id = $2',
      [tenantId, meterId],
    );
    return rows[0];
  }

  /** What the quality report needs of one meter's readings in [from, to), oldest first. */
  qualityRows(
    em: EntityManager,
    tenantId: string,
    meterId: string,
    range: { from: Date; to: Date },
  ): Promise<{ ts: Date; value: number; quality: number }[]> {
    return em.query(
      'SELECT ts, value, quality FROM readings WHERE tenant_id = $1 AND meter_id = $2 AND ts >= $3 AND ts < $4 ORDER BY ts',
      [tenantId, meterId, range.from, range.to],
    );
  }
}
