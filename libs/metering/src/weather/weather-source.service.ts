import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, Db } from '@halve/platform';
import { type HourlyTemperature, OpenMeteoClient, WeatherSourceError } from './open-meteo';

/**
 * HALVE_WEATHER_SOURCE (AppConfig.weatherSource): `off` (default: no request leaves the server; right where
 * there is no network, or where Open-Meteo's terms do not fit the deployment) or `open-meteo` (the archive API
 * by site coordinates). HALVE_WEATHER_SOURCE_URL (weatherSourceUrl) overrides the archive's URL (a mirror, or
 * a test server). Both are validated when the process starts (loadConfig).
 */
export type WeatherSourceName = AppConfig['weatherSource'];

/** What a verification's result depends on of a site's weather: hours with a temperature, and a digest of them. */
export interface WeatherFingerprint {
  imported: { hours: number; digest: string | null };
  fetched: { hours: number; digest: string | null };
}

export interface FetchedTemperatures {
  /** where the points came from; null when none could be had */
  source: 'open-meteo' | null;
  /** 'off': the setting is off; 'no-coordinates': the site has none; 'cached': every hour was stored already; 'fetched': asked the source now; 'failed': the source could not answer (message says why) */
  status: 'off' | 'no-coordinates' | 'cached' | 'fetched' | 'failed';
  message: string | null;
  points: HourlyTemperature[];
}

const HOUR_MS = 3_600_000;
const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/**
 * Outdoor temperature by site coordinates, cached per site in `site_weather_fetched`: each hour is
 * asked for once (an hour the archive has no value for is stored as null, and not asked for again).
 * Only the hours the archive can have are asked for: up to 6 days before now (it lags ~5 days).
 */
@Injectable()
export class WeatherSourceService {
  private readonly logger = new Logger('WeatherSource');

  constructor(
    private readonly db: Db,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'weatherSource' | 'weatherSourceUrl'>,
  ) {}

  /** The configured source (HALVE_WEATHER_SOURCE). */
  get source(): WeatherSourceName {
    return this.config.weatherSource;
  }

  /**
   * The site's temperatures in a range, imported (site_weather) and fetched for its current coordinates
   * (site_weather_fetched): hours with a value and an MD5 of them, so that a result computed from them
   * can tell when they changed (weather imported, re-imported or fetched later).
   */
  async fingerprint(
    tenantId: string,
    site: { id: string; latitude: number | null; longitude: number | null },
    range: { from: Date; to: Date },
  ): Promise<WeatherFingerprint> {
    const digestOf = `count(*)::int AS hours, md5(string_agg(floor(extract(epoch FROM ts))::bigint::text || '=' || temperature_c::text, ',' ORDER BY ts)) AS digest`;
    const one = (rows: { hours: number; digest: string | null }[]) => ({
      hours: Number(rows[0]?.hours ?? 0),
      digest: rows[0]?.digest ?? null,
    });
    return this.db.tenant(async (em) => {
      const imported = one(
        await em.query(
          `SELECT ${digestOf} FROM site_weather
            WHERE tenant_id = $1 AND site_id = $2 AND ts >= $3 AND ts < $4 AND temperature_c IS NOT NULL`,
          [tenantId, site.id, range.from, range.to],
        ),
      );
      const fetched =
        site.latitude === null || site.longitude === null
          ? { hours: 0, digest: null }
          : one(
              await em.query(
                `SELECT ${digestOf} FROM site_weather_fetched
                  WHERE tenant_id = $1 AND site_id = $2 AND source = 'open-meteo' AND latitude = $3 AND longitude = $4
                    AND ts >= $5 AND ts < $6 AND temperature_c IS NOT NULL`,
                [tenantId, site.id, round4(site.latitude), round4(site.longitude), range.from, range.to],
              ),
            );
      return { imported, fetched };
    }, tenantId);
  }

  async temperatures(
    tenantId: string,
    site: { id: string; latitude: number | null; longitude: number | null },
    range: { from: Date; to: Date },
    now = new Date(),
  ): Promise<FetchedTemperatures> {
    if (site.latitude === null || site.longitude === null)
      return { source: null, status: 'no-coordinates', message: 'the site has no coordinates', points: [] };
    const latitude = round4(site.latitude);
    const longitude = round4(site.longitude);
    const cached = await this.cached(tenantId, site.id, latitude, longitude, range);
    if (this.config.weatherSource === 'off') {
      return cached.length > 0
        ? {
            source: 'open-meteo',
            status: 'cached',
            message: 'HALVE_WEATHER_SOURCE is off: only hours fetched earlier',
            points: cached,
          }
        : { source: null, status: 'off', message: 'HALVE_WEATHER_SOURCE is off', points: [] };
    }
    const from = Math.floor(range.from.getTime() / HOUR_MS) * HOUR_MS;
    const available = Math.min(
      range.to.getTime(),
      Math.floor((now.getTime() - 6 * 24 * HOUR_MS) / HOUR_MS) * HOUR_MS,
    );
    const have = new Set(cached.map((p) => p.ts.getTime()));
    let first: number | null = null;
    let last: number | null = null;
    for (let t = from; t < available; t += HOUR_MS) {
      if (have.has(t)) continue;
      first ??= t;
      last = t;
    }
    if (first === null || last === null)
      return { source: 'open-meteo', status: 'cached', message: null, points: cached };
    try {
      const client = new OpenMeteoClient({ baseUrl: this.config.weatherSourceUrl ?? undefined });
      const fetched = await client.hourlyTemperatures({
        latitude,
        longitude,
        from: new Date(first),
        to: new Date(last + HOUR_MS),
      });
      await this.store(
        tenantId,
        site.id,
        latitude,
        longitude,
        fetched.filter((p) => !have.has(p.ts.getTime())),
      );
      return {
        source: 'open-meteo',
        status: 'fetched',
        message: null,
        points: await this.cached(tenantId, site.id, latitude, longitude, range),
      };
    } catch (e) {
      if (!(e instanceof WeatherSourceError)) throw e;
      this.logger.warn(`site ${site.id}: ${e.message}`);
      return {
        source: cached.length > 0 ? 'open-meteo' : null,
        status: 'failed',
        message: e.message,
        points: cached,
      };
    }
  }

  private async cached(
    tenantId: string,
    siteId: string,
    latitude: number,
    longitude: number,
    range: { from: Date; to: Date },
  ): Promise<HourlyTemperature[]> {
    const rows: { ts: Date; temperature_c: number | null }[] = await this.db.tenant(
      (em) =>
        em.query(
          `SELECT ts, temperature_c FROM site_weather_fetched
            WHERE tenant_id = $1 AND site_id = $2 AND source = 'open-meteo' AND latitude = $3 AND longitude = $4 AND ts >= $5 AND ts < $6 ORDER BY ts`,
          [tenantId, siteId, latitude, longitude, range.from, range.to],
        ),
      tenantId,
    );
    return rows.map((r) => ({
      ts: new Date(r.ts),
      temperatureC: r.temperature_c === null ? null : Number(r.temperature_c),
    }));
  }

  /** Upsert in chunks; arrays pass as comma-joined text (as the weather import does), which PGlite and PostgreSQL both take. */
  private async store(
    tenantId: string,
    siteId: string,
    latitude: number,
    longitude: number,
    points: HourlyTemperature[],
  ): Promise<void> {
    for (let i = 0; i < points.length; i += 2000) {
      const chunk = points.slice(i, i + 2000);
      await this.db.tenant(
        (em) =>
          em.query(
            `INSERT INTO site_weather_fetched (tenant_id, site_id, source, ts, latitude, longitude, temperature_c)
             SELECT $1, $2, 'open-meteo', to_timestamp(s.t::float8 / 1000), $3, $4, nullif(s.v, '')::float8
               FROM unnest(string_to_array($5, ','), string_to_array($6, ',')) AS s(t, v)
             ON CONFLICT (tenant_id, site_id, source, ts) DO UPDATE
               SET latitude = EXCLUDED.latitude, longitude = EXCLUDED.longitude, temperature_c = EXCLUDED.temperature_c, fetched_at = EXCLUDED.fetched_at`,
            [
              tenantId,
              siteId,
              latitude,
              longitude,
              chunk.map((p) => String(p.ts.getTime())).join(','),
              chunk.map((p) => (p.temperatureC === null ? '' : String(p.temperatureC))).join(','),
            ],
          ),
        tenantId,
      );
    }
  }
}
