import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ForecastModelEntity } from './entities/forecasting.entities';
import { genericLoadArtifact, genericPvArtifact } from './model-files';
import type { LoadModelArtifact } from './load-model';
import type { PvModelArtifact } from './pv-model';

/** Columns of a version listing: everything but the artifact and the backtest. */
const LISTED: (keyof ForecastModelEntity)[] = [
  'tenantId',
  'meterId',
  'version',
  'status',
  'method',
  'baselineName',
  'backend',
  'trainedFrom',
  'trainedTo',
  'hyperParameters',
  'metrics',
  'baselines',
  'reason',
  'trainSeconds',
  'createdAt',
  'activatedAt',
];

export interface StaleMeterRow {
  tenant_id: string;
  meter_id: string;
  kind: string;
  active: number | null;
  trained_to: Date | null;
}

export interface ForecastPointRow {
  ts: Date;
  p10: number;
  p50: number;
  p90: number;
}

/**
 * Every database read and write of forecasting (the model registry `forecast_models`, the issued
 * `forecasts`, the nightly listing) and its one kind of file read (the shipped models). The caller's
 * transaction and its tenant scope apply; the services decide, this only reads and writes.
 */
@Injectable()
export class ForecastingRepository {
  // ---- shipped models (files) ----

  genericLoadArtifact(): LoadModelArtifact | null {
    return genericLoadArtifact();
  }

  genericPvArtifact(): PvModelArtifact | null {
    return genericPvArtifact();
  }

  // ---- the model registry ----

  /** Serialises the writers of one meter's registry until the transaction ends. */
  async lockMeter(em: EntityManager, tenantId: string, meterId: string): Promise<void> {
    await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`forecast:${tenantId}:${meterId}`]);
  }

  async nextVersion(em: EntityManager, tenantId: string, meterId: string): Promise<number> {
    const [{ next }]: { next: number }[] = await em.query(
      'SELECT coalesce(max(version), 0) + 1 AS next FROM forecast_models WHERE tenant_id = $1 AND meter_id = $2',
      [tenantId, meterId],
    );
    return Number(next);
  }

  async activeVersion(
    em: EntityManager,
    tenantId: string,
    meterId: string,
  ): Promise<ForecastModelEntity | null> {
    return em.findOneBy(ForecastModelEntity, { tenantId, meterId, status: 'active' });
  }

  /** The active version of each of these meters that has one (meter id → version). */
  async activeVersions(
    em: EntityManager,
    tenantId: string,
    meterIds: string[],
  ): Promise<Map<string, number>> {
    if (meterIds.length === 0) return new Map();
    const rows: { meter_id: string; version: number }[] = await em.query(
      `SELECT meter_id, version FROM forecast_models WHERE tenant_id = $1 AND meter_id = ANY($2::uuid[]) AND status = 'active'`,
      [tenantId, meterIds],
    );
    return new Map(rows.map((r) => [r.meter_id, Number(r.version)]));
  }

  async retire(em: EntityManager, tenantId: string, meterId: string, version: number): Promise<void> {
    await em.update(ForecastModelEntity, { tenantId, meterId, version }, { status: 'retired' });
  }

  async retireActive(em: EntityManager, tenantId: string, meterId: string): Promise<void> {
    await em.query(
      `UPDATE forecast_models SET status = 'retired' WHERE tenant_id = $1 AND meter_id = $2 AND status = 'active'`,
      [tenantId, meterId],
    );
  }

  async markActive(
    em: EntityManager,
    tenantId: string,
    meterId: string,
    version: number,
    at: Date,
  ): Promise<void> {
    await em.update(
      ForecastModelEntity,
      { tenantId, meterId, version },
      { status: 'active', activatedAt: at },
    );
  }

  async insertVersion(em: EntityManager, row: Partial<ForecastModelEntity>): Promise<void> {
    await em.insert(ForecastModelEntity, row);
  }

  /** A meter's versions, newest first, without artifacts and backtests. */
  async versions(em: EntityManager, tenantId: string, meterId: string): Promise<ForecastModelEntity[]> {
    return em
      .getRepository(ForecastModelEntity)
      .find({ where: { tenantId, meterId }, order: { version: 'DESC' }, select: LISTED });
  }

  async versionBacktest(em: EntityManager, tenantId: string, meterId: string, version: number) {
    return em.findOne(ForecastModelEntity, {
      where: { tenantId, meterId, version },
      select: ['version', 'backtest', 'metrics', 'baselines'],
    });
  }

  async versionStatus(em: EntityManager, tenantId: string, meterId: string, version: number) {
    return em.findOne(ForecastModelEntity, {
      where: { tenantId, meterId, version },
      select: ['version', 'status'],
    });
  }

  /**
   * What a training would read and write on, as one short fingerprint: the meter's readings and its
   * site's weather (count and a sum of row hashes, so a changed value changes it; and how its timestamps
   * are read) and the registry's latest version. The same fingerprint means a training now would repeat the last one.
   */
  async trainingFingerprint(
    em: EntityManager,
    tenantId: string,
    meterId: string,
    siteId: string,
  ): Promise<string> {
    const [{ fingerprint }]: { fingerprint: string }[] = await em.query(
      `SELECT substr(md5(concat_ws(':', r.n, r.h, w.n, w.h, v.latest, s.weather_timestamps)), 1, 16) AS fingerprint
         FROM (SELECT count(*) AS n, coalesce(sum(hashtext(extract(epoch FROM ts)::text || ':' || value::text)::bigint), 0) AS h
                 FROM readings WHERE tenant_id = $1 AND meter_id = $2) r,
              (SELECT count(*) AS n, coalesce(sum(hashtext(w::text)::bigint), 0) AS h
                 FROM site_weather w WHERE w.tenant_id = $1 AND w.site_id = $3) w,
              (SELECT coalesce(max(version), 0) AS latest FROM forecast_models WHERE tenant_id = $1 AND meter_id = $2) v,
              (SELECT coalesce(max(weather_timestamps), 'start') AS weather_timestamps FROM sites WHERE tenant_id = $1 AND id = $3) s`,
      [tenantId, meterId, siteId],
    );
    return fingerprint;
  }

  // ---- issued forecasts ----

  /** Stores (or replaces) the points of one issued forecast. */
  async storeForecast(
    em: EntityManager,
    tenantId: string,
    meterId: string,
    issuedAt: Date,
    view: { method: string; modelVersion?: number },
    points: ForecastPointRow[],
  ): Promise<void> {
    await em.query(
      `INSERT INTO forecasts (tenant_id, meter_id, issued_at, ts, method, model_version, p10, p50, p90)
       SELECT $1, $2, $3, to_timestamp(t::float8 / 1000), $4, $5, a::float8, b::float8, c::float8
         FROM unnest(string_to_array($6, ','), string_to_array($7, ','), string_to_array($8, ','), string_to_array($9, ',')) AS s(t, a, b, c)
       ON CONFLICT (tenant_id, meter_id, issued_at, ts) DO UPDATE SET method = EXCLUDED.method, model_version = EXCLUDED.model_version, p10 = EXCLUDED.p10, p50 = EXCLUDED.p50, p90 = EXCLUDED.p90`,
      [
        tenantId,
        meterId,
        issuedAt,
        view.method,
        view.modelVersion ?? null,
        points.map((p) => p.ts.getTime()).join(','),
        points.map((p) => p.p10).join(','),
        points.map((p) => p.p50).join(','),
        points.map((p) => p.p90).join(','),
      ],
    );
  }

  // ---- nightly retraining (system scope, across organisations) ----

  /**
   * Meters to retrain: readings after the end of the data their latest version was trained on, or
   * never trained with `neverTrainedMinDays` of readings; only meters that can be trained (interval
   * data; PV and wind with capacityKw; PV on a site with coordinates).
   */
  async staleMeters(
    em: EntityManager,
    tenantIds: string[] | null,
    neverTrainedMinDays: number,
  ): Promise<StaleMeterRow[]> {
    return em.query(
      `SELECT m.tenant_id, m.id AS meter_id, m.kind, a.version AS active, t.trained_to
         FROM meters m
         JOIN sites s ON s.tenant_id = m.tenant_id AND s.id = m.site_id
         LEFT JOIN forecast_models a ON a.tenant_id = m.tenant_id AND a.meter_id = m.id AND a.status = 'active'
         LEFT JOIN LATERAL (
           SELECT count(*) AS versions, max(v.trained_to) AS trained_to FROM forecast_models v WHERE v.tenant_id = m.tenant_id AND v.meter_id = m.id
         ) t ON true
        WHERE m.interval_minutes <= 60
          AND ($1::uuid[] IS NULL OR m.tenant_id = ANY($1::uuid[]))
          AND (m.kind NOT IN ('pv_generation', 'wind_generation') OR m.capacity_kw IS NOT NULL)
          AND (m.kind <> 'pv_generation' OR (s.latitude IS NOT NULL AND s.longitude IS NOT NULL))
          AND CASE
                WHEN t.versions > 0 THEN EXISTS (
                  SELECT 1 FROM readings r
                   WHERE r.tenant_id = m.tenant_id AND r.meter_id = m.id AND r.ts >= coalesce(t.trained_to, '-infinity'::timestamptz))
                ELSE (SELECT max(r.ts) - min(r.ts) FROM readings r WHERE r.tenant_id = m.tenant_id AND r.meter_id = m.id) >= make_interval(days => $2)
              END
        ORDER BY m.tenant_id, m.id`,
      [tenantIds, neverTrainedMinDays],
    );
  }
}
