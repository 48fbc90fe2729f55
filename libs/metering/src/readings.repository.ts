import { Injectable } from '@nestjs/common';
import { from as copyFrom } from 'pg-copy-streams';
import { Writable } from 'node:stream';
import { EntityManager } from 'typeorm';
import { IANAZone } from 'luxon';

export interface StagedReading {
  meterId: string;
  ts: Date;
  value: number;
  periodEnd?: Date;
  /** 0 measured, 1 estimated, 2 filled */
  quality: number;
}

export interface MergeResult {
  meterId: string;
  stored: number;
  updated: number;
  firstTs: Date;
  lastTs: Date;
}

export interface StageWriter {
  /** true: rows went straight into `readings` (a first import on a PostgreSQL server) */
  direct: boolean;
  tracked: Map<string, { n: number; first: number; last: number }>;
  write(rows: StagedReading[]): Promise<void>;
  close(): Promise<void>;
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

/** PostgreSQL binary COPY framing; timestamps count microseconds from 2000-01-01 UTC. */
const COPY_HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
const COPY_TRAILER = Buffer.from([0xff, 0xff]);
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);

function uuidBytes(id: string): Buffer {
  return Buffer.from(id.replace(/-/g, ''), 'hex');
}

export const QUALITY_CODES = { measured: 0, estimated: 1, filled: 2 } as const;
export const QUALITY_NAMES = ['measured', 'estimated', 'filled'] as const;

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
  async openStage(em: EntityManager, target: { tenantId: string; importId: string; meterIds: string[] }): Promise<StageWriter> {
    await this.createStage(em);
    const client = (em.queryRunner as unknown as { databaseConnection?: { query: (s: unknown) => Writable } } | undefined)?.databaseConnection;
    const isPgClient = !!client && typeof (client as { escapeLiteral?: unknown }).escapeLiteral === 'function';
    const tracked = new Map<string, { n: number; first: number; last: number }>();
    const track = (rows: StagedReading[]) => {
      for (const r of rows) {
        const t = tracked.get(r.meterId) ?? { n: 0, first: Infinity, last: -Infinity };
        t.n++;
        const ts = r.ts.getTime();
        if (ts < t.first) t.first = ts;
        const end = r.periodEnd ? r.periodEnd.getTime() : ts;
        if (end > t.last) t.last = end;
        tracked.set(r.meterId, t);
      }
    };
    if (!isPgClient) {
      return { direct: false, tracked, write: (rows) => this.stage(em, rows), close: async () => undefined };
    }
    const existing: unknown[] = await em.query('SELECT 1 FROM readings WHERE tenant_id = $1 AND meter_id = ANY($2::uuid[]) LIMIT 1', [target.tenantId, target.meterIds]);
    const direct = existing.length === 0;
    if (direct) await em.query('SET LOCAL ROLE NONE');
    const sql = direct
      ? `COPY readings (tenant_id, meter_id, ts, value, period_end, quality, import_id) FROM STDIN WITH (FORMAT binary)`
      : 'COPY import_stage (meter_id, ts, value, period_end, quality) FROM STDIN WITH (FORMAT binary)';
    const stream = client!.query(copyFrom(sql)) as Writable;
    let failed: Error | null = null;
    stream.on('error', (err: Error) => (failed = err));
    const done = new Promise<void>((resolve, reject) => {
      stream.on('finish', () => resolve());
      stream.on('error', reject);
    });
    // Binary COPY: the server parses no text (uuids and timestamps are most of a text row's cost).
    const tenantBytes = uuidBytes(target.tenantId);
    const importBytes = uuidBytes(target.importId);
    const meterBytes = new Map<string, Buffer>();
    const fields = direct ? 7 : 5;
    let headerSent = false;
    const send = async (buf: Buffer) => {
      if (!stream.write(buf)) {
        await new Promise<void>((resolve, reject) => {
          const onError = (err: Error) => {
            stream.off('drain', onDrain);
            reject(err);
          };
          const onDrain = () => {
            stream.off('error', onError);
            resolve();
          };
          stream.once('drain', onDrain);
          stream.once('error', onError);
        });
      }
    };
    return {
      direct,
      tracked,
      write: async (rows) => {
        if (failed) throw failed;
        if (!rows.length) return;
        if (direct) track(rows);
        const buf = Buffer.allocUnsafe((headerSent ? 0 : COPY_HEADER.length) + rows.length * (2 + fields * 4 + 16 * 3 + 8 * 3 + 2));
        let o = 0;
        if (!headerSent) {
          o += COPY_HEADER.copy(buf, 0);
          headerSent = true;
        }
        for (const r of rows) {
          let meter = meterBytes.get(r.meterId);
          if (!meter) meterBytes.set(r.meterId, (meter = uuidBytes(r.meterId)));
          o = buf.writeInt16BE(fields, o);
          if (direct) {
            o = buf.writeInt32BE(16, o);
            o += tenantBytes.copy(buf, o);
          }
          o = buf.writeInt32BE(16, o);
          o += meter.copy(buf, o);
          o = buf.writeInt32BE(8, o);
          o = buf.writeBigInt64BE(BigInt(r.ts.getTime() - PG_EPOCH_MS) * 1000n, o);
          o = buf.writeInt32BE(8, o);
          o = buf.writeDoubleBE(r.value, o);
          if (r.periodEnd) {
            o = buf.writeInt32BE(8, o);
            o = buf.writeBigInt64BE(BigInt(r.periodEnd.getTime() - PG_EPOCH_MS) * 1000n, o);
          } else o = buf.writeInt32BE(-1, o);
          o = buf.writeInt32BE(2, o);
          o = buf.writeInt16BE(r.quality, o);
          if (direct) {
            o = buf.writeInt32BE(16, o);
            o += importBytes.copy(buf, o);
          }
        }
        await send(buf.subarray(0, o));
      },
      close: async () => {
        if (!headerSent) {
          await send(COPY_HEADER);
          headerSent = true;
        }
        stream.end(COPY_TRAILER);
        await done;
        if (direct) await em.query('SET LOCAL ROLE halve_app');
      },
    };
  }

  /** What an import stored: from the direct COPY's own count, or by merging the stage. */
  async complete(em: EntityManager, tenantId: string, importId: string | null, writer: StageWriter): Promise<MergeResult[]> {
    if (!writer.direct) return this.merge(em, tenantId, importId);
    return [...writer.tracked.entries()].map(([meterId, t]) => ({ meterId, stored: t.n, updated: 0, firstTs: new Date(t.first), lastTs: new Date(t.last) }));
  }

  async stage(em: EntityManager, rows: StagedReading[]): Promise<void> {
    if (!rows.length) return;
    const meters: string[] = [];
    const ts: string[] = [];
    const values: string[] = [];
    const ends: string[] = [];
    const qualities: string[] = [];
    for (const r of rows) {
      meters.push(r.meterId);
      ts.push(String(r.ts.getTime()));
      values.push(String(r.value));
      ends.push(r.periodEnd ? String(r.periodEnd.getTime()) : '');
      qualities.push(String(r.quality));
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
      const hit: unknown[] = await em.query('SELECT 1 FROM readings WHERE tenant_id = $1 AND meter_id = $2 AND ts >= $3 AND ts <= $4 LIMIT 1', [tenantId, r.meter_id, r.first_ts, r.last_ts]);
      if (hit.length) fresh = false;
    }
    if (fresh) {
      await em.query(
        `INSERT INTO readings (tenant_id, meter_id, ts, value, period_end, quality, import_id)
         SELECT $1, meter_id, ts, value, period_end, quality, $2 FROM import_stage`,
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
      return { meterId: r.meter_id, stored: Number(c?.stored ?? 0), updated: Number(c?.updated ?? 0), firstTs: new Date(r.first_ts), lastTs: new Date(r.last_ts) };
    });
  }

  /**
   * Rebuilds the hour, day and month rollups of the local months that [from, to] touches. Hours are
   * UTC hours (a local hour except in zones with :30/:45 offsets); days and months are the site's
   * local calendar. Bill-period readings are spread over the local days they cover, pro rata.
   */
  async refreshRollups(em: EntityManager, tenantId: string, meter: { id: string; intervalMinutes: number | null }, timezone: string, from: Date, to: Date): Promise<void> {
    const [{ lo, hi }]: { lo: Date; hi: Date }[] = await em.query(
      `SELECT (date_trunc('month', $1::timestamptz AT TIME ZONE $3) AT TIME ZONE $3) AS lo,
              ((date_trunc('month', $2::timestamptz AT TIME ZONE $3) + interval '1 month') AT TIME ZONE $3) AS hi`,
      [from, to, timezone],
    );
    const p = [tenantId, meter.id, lo, hi, timezone];
    await em.query(`DELETE FROM reading_rollups WHERE tenant_id = $1 AND meter_id = $2 AND bucket >= $3 AND bucket < $4 AND $5::text IS NOT NULL`, p);
    if (meter.intervalMinutes === null) {
      await em.query(
        `INSERT INTO reading_rollups (tenant_id, meter_id, resolution, bucket, value, count)
         SELECT $1, $2, 'd', d_start, sum(value * extract(epoch FROM least(period_end, d_end) - greatest(ts, d_start)) / nullif(extract(epoch FROM period_end - ts), 0)), count(*)
           FROM (SELECT r.value, r.ts, coalesce(r.period_end, r.ts + interval '1 day') AS period_end,
                        (g AT TIME ZONE $5) AS d_start, ((g + interval '1 day') AT TIME ZONE $5) AS d_end
                   FROM readings r
                   CROSS JOIN LATERAL generate_series(date_trunc('day', r.ts AT TIME ZONE $5),
                                                      (coalesce(r.period_end, r.ts + interval '1 day') AT TIME ZONE $5) - interval '1 microsecond',
                                                      interval '1 day') AS g
                  WHERE r.tenant_id = $1 AND r.meter_id = $2 AND r.ts < $4 AND coalesce(r.period_end, r.ts) > $3) x
          WHERE d_start >= $3 AND d_start < $4
          GROUP BY d_start`,
        p,
      );
    } else {
      if (meter.intervalMinutes < 1440) {
        await em.query(
          `INSERT INTO reading_rollups (tenant_id, meter_id, resolution, bucket, value, count)
           SELECT $1, $2, 'h', date_trunc('hour', ts), sum(value), count(*)
             FROM readings WHERE tenant_id = $1 AND meter_id = $2 AND ts >= $3 AND ts < $4 AND $5::text IS NOT NULL
            GROUP BY date_trunc('hour', ts)`,
          p,
        );
      }
      // Local days from the hour rollups when every UTC hour lies inside one local day (whole-hour
      // offsets throughout the range); from the readings otherwise (e.g. Asia/Kolkata, +05:30).
      const fromHours = meter.intervalMinutes < 1440 && wholeHourOffsets(timezone, lo, hi);
      await em.query(
        fromHours
          ? `INSERT INTO reading_rollups (tenant_id, meter_id, resolution, bucket, value, count)
             SELECT $1, $2, 'd', date_trunc('day', bucket AT TIME ZONE $5) AT TIME ZONE $5, sum(value), sum(count)
               FROM reading_rollups WHERE tenant_id = $1 AND meter_id = $2 AND resolution = 'h' AND bucket >= $3 AND bucket < $4
              GROUP BY date_trunc('day', bucket AT TIME ZONE $5)`
          : `INSERT INTO reading_rollups (tenant_id, meter_id, resolution, bucket, value, count)
             SELECT $1, $2, 'd', date_trunc('day', ts AT TIME ZONE $5) AT TIME ZONE $5, sum(value), count(*)
               FROM readings WHERE tenant_id = $1 AND meter_id = $2 AND ts >= $3 AND ts < $4
              GROUP BY date_trunc('day', ts AT TIME ZONE $5)`,
        p,
      );
    }
    await em.query(
      `INSERT INTO reading_rollups (tenant_id, meter_id, resolution, bucket, value, count)
       SELECT $1, $2, 'm', date_trunc('month', bucket AT TIME ZONE $5) AT TIME ZONE $5, sum(value), sum(count)
         FROM reading_rollups WHERE tenant_id = $1 AND meter_id = $2 AND resolution = 'd' AND bucket >= $3 AND bucket < $4
        GROUP BY date_trunc('month', bucket AT TIME ZONE $5)`,
      p,
    );
  }
}
