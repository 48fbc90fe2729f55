import { Injectable } from '@nestjs/common';
import { Db } from '@halve/platform';
import type { MeterKind } from './units/units';
import { WeatherRow, WeatherTimestamps, periodStartRows } from './weather';

const HOUR_MS = 3_600_000;

export interface MonthlyUsage {
  siteId: string;
  meterId: string;
  kind: MeterKind;
  unit: string;
  gridRegion: string | null;
  country: string;
  /** local calendar month 'YYYY-MM' */
  month: string;
  /** exact decimal string in the meter's unit (kWh for energy) */
  quantity: string;
}

/**
 * What later modules (carbon, forecasting, recommendations) read of meter data: rollups and series,
 * through this public service only. Ranges are half-open; callers pass instants.
 */
@Injectable()
export class MeterUsageService {
  constructor(private readonly db: Db) {}

  /** Consumption per meter and local month in [from, to), from the daily rollups (exact to the day). */
  async monthlyUsage(tenantId: string, range: { from: Date; to: Date }): Promise<MonthlyUsage[]> {
    const rows: {
      site_id: string;
      meter_id: string;
      kind: MeterKind;
      unit: string;
      grid_region: string | null;
      country: string;
      month: string;
      quantity: string;
    }[] = await this.db.tenant(
      (em) =>
        em.query(
          `SELECT m.site_id, m.id AS meter_id, m.kind, m.unit, s.grid_region, s.country,
                    to_char(r.bucket AT TIME ZONE s.timezone, 'YYYY-MM') AS month, sum(r.value::numeric)::text AS quantity
               FROM reading_rollups r
               JOIN meters m ON m.tenant_id = r.tenant_id AND m.id = r.meter_id
               JOIN sites s ON s.tenant_id = m.tenant_id AND s.id = m.site_id
              WHERE r.tenant_id = $1 AND r.resolution = 'd' AND r.bucket >= $2 AND r.bucket < $3
              GROUP BY m.site_id, m.id, m.kind, m.unit, s.grid_region, s.country, 7
              ORDER BY m.site_id, m.id, 7`,
          [tenantId, range.from, range.to],
        ),
      tenantId,
    );
    return rows.map((r) => ({
      siteId: r.site_id,
      meterId: r.meter_id,
      kind: r.kind,
      unit: r.unit,
      gridRegion: r.grid_region,
      country: r.country,
      month: r.month,
      quantity: r.quantity,
    }));
  }

  /**
   * Utility bills whose days touch [from, to) (ISO dates, `to` exclusive): the metered supply that
   * covers electricity and gas activities in the inventory (the bill wins, carbon's bill-overlap.ts).
   */
  async bills(
    tenantId: string,
    range: { from: string; to: string },
  ): Promise<
    {
      billId: string;
      siteId: string;
      commodity: 'electricity' | 'gas';
      periodFrom: string;
      periodTo: string;
      supplier: string | null;
    }[]
  > {
    const rows: {
      id: string;
      site_id: string;
      kind: MeterKind;
      period_from: string;
      period_to: string;
      supplier: string | null;
    }[] = await this.db.tenant(
      (em) =>
        em.query(
          `SELECT b.id, m.site_id, m.kind, to_char(b.period_from, 'YYYY-MM-DD') AS period_from,
                  to_char(b.period_to, 'YYYY-MM-DD') AS period_to, b.supplier
             FROM utility_bills b
             JOIN meters m ON m.tenant_id = b.tenant_id AND m.id = b.meter_id
            WHERE b.tenant_id = $1 AND b.period_to >= $2::date AND b.period_from < $3::date
            ORDER BY b.period_from, b.id`,
          [tenantId, range.from, range.to],
        ),
      tenantId,
    );
    return rows.map((r) => ({
      billId: r.id,
      siteId: r.site_id,
      commodity: r.kind === 'natural_gas' ? 'gas' : 'electricity',
      periodFrom: r.period_from,
      periodTo: r.period_to,
      supplier: r.supplier,
    }));
  }

  /** Hourly totals per meter in [from, to) (UTC hours). */
  async hourlyUsage(
    tenantId: string,
    meterIds: string[],
    range: { from: Date; to: Date },
  ): Promise<{ meterId: string; hourStart: Date; quantity: number }[]> {
    if (!meterIds.length) return [];
    const rows: { meter_id: string; bucket: Date; value: number }[] = await this.db.tenant(
      (em) =>
        em.query(
          `SELECT meter_id, bucket, value FROM reading_rollups
            WHERE tenant_id = $1 AND meter_id = ANY($2::uuid[]) AND resolution = 'h' AND bucket >= $3 AND bucket < $4 ORDER BY meter_id, bucket`,
          [tenantId, meterIds, range.from, range.to],
        ),
      tenantId,
    );
    return rows.map((r) => ({ meterId: r.meter_id, hourStart: r.bucket, quantity: r.value }));
  }

  /** Raw interval readings of one meter in [from, to), oldest first. */
  async series(
    tenantId: string,
    meterId: string,
    range: { from: Date; to: Date },
  ): Promise<{ ts: Date; value: number }[]> {
    return this.db.tenant(
      (em) =>
        em.query(
          `SELECT ts, value FROM readings WHERE tenant_id = $1 AND meter_id = $2 AND ts >= $3 AND ts < $4 ORDER BY ts`,
          [tenantId, meterId, range.from, range.to],
        ),
      tenantId,
    );
  }

  /** First and last reading instants of one meter (null when it has none). */
  async bounds(
    tenantId: string,
    meterId: string,
  ): Promise<{ first: Date; last: Date; count: number } | null> {
    const [row]: { first: Date | null; last: Date | null; count: string }[] = await this.db.tenant(
      (em) =>
        em.query(
          'SELECT min(ts) AS first, max(ts) AS last, count(*) AS count FROM readings WHERE tenant_id = $1 AND meter_id = $2',
          [tenantId, meterId],
        ),
      tenantId,
    );
    return row.first && row.last ? { first: row.first, last: row.last, count: Number(row.count) } : null;
  }

  /**
   * The site's weather rows in [from, to) as the product reads them: each the mean of the period starting at
   * its timestamp, turned so from what the site's `weatherTimestamps` says they mean (periodStartRows; the
   * rows an hour either side are read for it). `asImported`: the rows as stored, timestamps as imported.
   */
  async weather(
    tenantId: string,
    siteId: string,
    range: { from: Date; to: Date },
    options: { asImported?: boolean } = {},
  ): Promise<WeatherRow[]> {
    const { rows, timestamps } = await this.db.tenant(async (em) => {
      const site: { weather_timestamps: WeatherTimestamps }[] = await em.query(
        `SELECT weather_timestamps FROM sites WHERE tenant_id = $1 AND id = $2`,
        [tenantId, siteId],
      );
      const ts = options.asImported ? 'start' : (site[0]?.weather_timestamps ?? 'start');
      const margin = ts === 'start' ? 0 : HOUR_MS;
      const found: {
        ts: Date;
        temperature_c: number | null;
        ghi_w_m2: number | null;
        cloud_cover_pct: number | null;
        wind_speed_m_s: number | null;
      }[] = await em.query(
        `SELECT ts, temperature_c, ghi_w_m2, cloud_cover_pct, wind_speed_m_s FROM site_weather WHERE tenant_id = $1 AND site_id = $2 AND ts >= $3 AND ts < $4 ORDER BY ts`,
        [tenantId, siteId, new Date(range.from.getTime() - margin), new Date(range.to.getTime() + margin)],
      );
      return { rows: found, timestamps: ts };
    }, tenantId);
    const stored: WeatherRow[] = rows.map((r) => ({
      ts: r.ts,
      temperatureC: r.temperature_c,
      ghiWM2: r.ghi_w_m2,
      cloudCoverPct: r.cloud_cover_pct,
      windSpeedMS: r.wind_speed_m_s,
    }));
    const [from, to] = [range.from.getTime(), range.to.getTime()];
    return periodStartRows(stored, timestamps).filter((r) => r.ts.getTime() >= from && r.ts.getTime() < to);
  }

  /** How many weather rows the site has, their first and last timestamps (as imported) and the rows holding each value. */
  async weatherCoverage(
    tenantId: string,
    siteId: string,
  ): Promise<{
    rows: number;
    first: Date | null;
    last: Date | null;
    withValue: { temperatureC: number; ghiWM2: number; cloudCoverPct: number; windSpeedMS: number };
  }> {
    type Count = string | number | bigint;
    const [r]: {
      rows: Count;
      first: Date | null;
      last: Date | null;
      t: Count;
      g: Count;
      c: Count;
      w: Count;
    }[] = await this.db.tenant(
      (em) =>
        em.query(
          `SELECT count(*) AS rows, min(ts) AS first, max(ts) AS last, count(temperature_c) AS t, count(ghi_w_m2) AS g,
                    count(cloud_cover_pct) AS c, count(wind_speed_m_s) AS w
               FROM site_weather WHERE tenant_id = $1 AND site_id = $2`,
          [tenantId, siteId],
        ),
      tenantId,
    );
    const n = (v: Count): number => Number(v);
    return {
      rows: n(r.rows),
      first: r.first ?? null,
      last: r.last ?? null,
      withValue: { temperatureC: n(r.t), ghiWM2: n(r.g), cloudCoverPct: n(r.c), windSpeedMS: n(r.w) },
    };
  }

  async sites(tenantId: string): Promise<
    {
      id: string;
      name: string;
      country: string;
      gridRegion: string | null;
      timezone: string;
      floorAreaM2: number | null;
      latitude: number | null;
      longitude: number | null;
    }[]
  > {
    return this.db.tenant(
      (em) =>
        em.query(
          `SELECT id, name, country, grid_region AS "gridRegion", timezone, floor_area_m2 AS "floorAreaM2", latitude, longitude FROM sites WHERE tenant_id = $1 ORDER BY name`,
          [tenantId],
        ),
      tenantId,
    );
  }

  /** First and last reading of each meter (what data a meter has). */
  async extents(tenantId: string): Promise<{ meterId: string; first: Date; last: Date; count: number }[]> {
    const rows: { meter_id: string; first: Date; last: Date; count: string }[] = await this.db.tenant(
      (em) =>
        em.query(
          `SELECT meter_id, min(bucket) AS first, max(bucket) AS last, sum(count)::bigint AS count FROM reading_rollups WHERE tenant_id = $1 AND resolution = 'd' GROUP BY meter_id`,
          [tenantId],
        ),
      tenantId,
    );
    return rows.map((r) => ({ meterId: r.meter_id, first: r.first, last: r.last, count: Number(r.count) }));
  }
}
