import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ImportEntity } from './entities/metering.entities';
import type { WeatherRow } from './weather';

/**
 * The `imports` rows and the site weather an import writes. Every method runs in the caller's
 * transaction: `Db.tenant` (RLS, the request's or job's tenant), except unfinishedUploads, which the
 * upload sweep runs in `Db.system` (it looks across tenants).
 */
@Injectable()
export class ImportsRepository {
  async insert(em: EntityManager, row: Partial<ImportEntity>): Promise<void> {
    await em.insert(ImportEntity, row);
  }

  find(em: EntityManager, tenantId: string, id: string): Promise<ImportEntity | null> {
    return em.findOneBy(ImportEntity, { tenantId, id });
  }

  /** The latest 100 imports, of one meter or of the whole tenant. */
  list(em: EntityManager, tenantId: string, meterId?: string): Promise<ImportEntity[]> {
    return em.find(ImportEntity, {
      where: meterId ? { tenantId, meterId } : { tenantId },
      order: { createdAt: 'DESC' },
      take: 100,
    });
  }

  async update(
    em: EntityManager,
    tenantId: string,
    id: string,
    fields: Partial<ImportEntity>,
  ): Promise<void> {
    await em.update(ImportEntity, { tenantId, id }, fields);
  }

  /** A running import goes back to queued (its job will retry), saying why. */
  async requeue(em: EntityManager, tenantId: string, id: string, error: string): Promise<void> {
    await em.update(ImportEntity, { tenantId, id, status: 'running' }, { status: 'queued', error });
  }

  /** Ends an import `failed` unless it already succeeded (a late failure report changes nothing then). */
  async markFailed(
    em: EntityManager,
    tenantId: string,
    id: string,
    code: string,
    message: string,
  ): Promise<void> {
    await em
      .createQueryBuilder()
      .update(ImportEntity)
      .set({ status: 'failed', error: message, errorCode: code, finishedAt: new Date() })
      .where('tenant_id = :tenantId AND id = :id AND status <> :done', { tenantId, id, done: 'succeeded' })
      .execute();
  }

  /** Of the given (tenant, import) pairs, those still queued or running, as "tenantId-importId". */
  async unfinishedUploads(em: EntityManager, tenantIds: string[], importIds: string[]): Promise<string[]> {
    const rows: { key: string }[] = await em.query(
      `SELECT tenant_id::text || '-' || id::text AS key FROM imports
        WHERE (tenant_id, id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[])) AND status IN ('queued', 'running')`,
      [tenantIds, importIds],
    );
    return rows.map((r) => r.key);
  }

  /**
   * Upserts a batch of weather rows in one statement (five array parameters); a column the file
   * leaves empty keeps the stored value. Returns how many rows were new and how many changed.
   */
  async upsertWeather(
    em: EntityManager,
    tenantId: string,
    siteId: string,
    rows: WeatherRow[],
  ): Promise<{ stored: number; updated: number }> {
    const col = (f: (r: WeatherRow) => number | null) =>
      rows.map((r) => (f(r) === null ? '' : String(f(r)))).join(',');
    const [c]: { stored: string; updated: string }[] = await em.query(
      `WITH up AS (
         INSERT INTO site_weather (tenant_id, site_id, ts, temperature_c, ghi_w_m2, cloud_cover_pct, wind_speed_m_s)
         SELECT $1, $2, to_timestamp(t::float8 / 1000), nullif(a, '')::float8, nullif(b, '')::float8, nullif(c, '')::float8, nullif(d, '')::float8
           FROM unnest(string_to_array($3, ','), string_to_array($4, ','), string_to_array($5, ','), string_to_array($6, ','), string_to_array($7, ',')) AS s(t, a, b, c, d)
         ON CONFLICT (tenant_id, site_id, ts) DO UPDATE SET
           temperature_c = coalesce(EXCLUDED.temperature_c, site_weather.temperature_c),
           ghi_w_m2 = coalesce(EXCLUDED.ghi_w_m2, site_weather.ghi_w_m2),
           cloud_cover_pct = coalesce(EXCLUDED.cloud_cover_pct, site_weather.cloud_cover_pct),
           wind_speed_m_s = coalesce(EXCLUDED.wind_speed_m_s, site_weather.wind_speed_m_s)
         RETURNING (xmax = 0) AS inserted)
       SELECT count(*) FILTER (WHERE inserted) AS stored, count(*) FILTER (WHERE NOT inserted) AS updated FROM up`,
      [
        tenantId,
        siteId,
        rows.map((r) => String(r.ts.getTime())).join(','),
        col((r) => r.temperatureC),
        col((r) => r.ghiWM2),
        col((r) => r.cloudCoverPct),
        col((r) => r.windSpeedMS),
      ],
    );
    return { stored: Number(c.stored), updated: Number(c.updated) };
  }
}
