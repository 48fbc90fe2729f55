import { Injectable } from '@nestjs/common';
import { AppError, BadInputError, UnprocessableError } from '@halve/platform';
import { MeterEntity, MeterUsageService, SitesService, findUnit, parseRange } from '@halve/metering';
import type { SiteForecast, SiteForecastComponent } from './dto/site-forecast.responses';
import { DAY_MS, MAX_HORIZON_DAYS } from './forecast-window';
import { ForecastingService } from './forecasting.service';
import { ComponentForecast, SiteMeterRole, combineNetLoad, siteMeterRole } from './site-forecast';

const HOUR_MS = 3_600_000;
/** Without `to`, a site forecast covers the 48 hours after `from`. */
export const SITE_FORECAST_DEFAULT_HOURS = 48;

export const SITE_FORECAST_METHOD =
  'P50 = Σ import P50 − Σ PV P50 − Σ wind P50; P10/P90: each meter read as a split normal from its own bands, meters independent, variances added (generation’s upper side widens the lower band)';

interface Candidate {
  meter: MeterEntity;
  role: SiteMeterRole;
  lastEnd: number;
}

/**
 * The site's net-load forecast: each electricity import, PV and wind meter forecast by
 * ForecastingService (its own method: model, generic or baseline), converted to kWh, summed per hour
 * with bands combined in site-forecast.ts. A meter that cannot be forecast is listed with the reason
 * and left out; without a single import meter that can be, a 422 says what to add.
 */
@Injectable()
export class SiteForecastService {
  constructor(
    private readonly sites: SitesService,
    private readonly usage: MeterUsageService,
    private readonly forecasting: ForecastingService,
  ) {}

  /**
   * What a site's forecast is made with, beside the readings: each of its meters' active model version
   * (null: none, so a generic model or a baseline), by meter id. A promoted or rolled-back model changes it.
   */
  async modelVersions(tenantId: string, meterIds: string[]): Promise<[string, number | null][]> {
    const ids = [...meterIds].sort();
    const active = await this.forecasting.activeVersions(tenantId, ids);
    return ids.map((id) => [id, active.get(id) ?? null]);
  }

  async forecast(tenantId: string, siteId: string, q: { from?: string; to?: string }): Promise<SiteForecast> {
    const site = await this.sites.getSite(tenantId, siteId);
    const meters = await this.sites.listMeters(tenantId, siteId);
    const components: SiteForecastComponent[] = [];
    const candidates: Candidate[] = [];
    for (const meter of meters) {
      const r = siteMeterRole(meter);
      if ('excluded' in r) {
        components.push(excluded(meter, null, r.excluded));
        continue;
      }
      const bounds = await this.usage.bounds(tenantId, meter.id);
      if (!bounds) {
        components.push(excluded(meter, r.role, 'no readings yet: import data to include it'));
        continue;
      }
      candidates.push({
        meter,
        role: r.role,
        lastEnd: bounds.last.getTime() + meter.intervalMinutes! * 60_000,
      });
    }
    if (!candidates.some((c) => c.role === 'load'))
      throw noLoadMeter(site.name, site.id, [...components, ...candidates.map(generationOnly)]);
    const { fromMs, toMs } = siteWindow(candidates, q, site.timezone);

    const forecasts: ComponentForecast[] = [];
    for (const c of candidates) {
      const kwhPerUnit = energyFactor(c.meter.unit);
      if (kwhPerUnit === null) {
        components.push(excluded(c.meter, c.role, `${c.meter.unit} is not an energy unit`));
        continue;
      }
      try {
        const f = await this.forecasting.forecast(tenantId, c.meter.id, {
          from: new Date(fromMs).toISOString(),
          to: new Date(toMs).toISOString(),
        });
        const points = f.points.map((p) => ({
          ts: p.ts,
          p10: p.p10 * kwhPerUnit,
          p50: p.p50 * kwhPerUnit,
          p90: p.p90 * kwhPerUnit,
        }));
        forecasts.push({ role: c.role, intervalMinutes: c.meter.intervalMinutes!, points });
        components.push({
          meterId: c.meter.id,
          meterName: c.meter.name,
          kind: c.meter.kind,
          role: c.role,
          included: true,
          method: f.method,
          ...(f.modelVersion !== undefined ? { modelVersion: f.modelVersion } : {}),
          ...(f.baseline !== undefined ? { baseline: f.baseline } : {}),
          reason: f.reason,
          totalKwh: points.reduce((s, p) => s + p.p50, 0),
        });
      } catch (err) {
        // A meter whose forecast is refused (no capacity, no location, too old data …) is left out, with why.
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        components.push(excluded(c.meter, c.role, err.message));
      }
    }
    if (!forecasts.some((f) => f.role === 'load')) throw noLoadMeter(site.name, site.id, components);
    const { points, incompleteHours } = combineNetLoad(forecasts, fromMs, toMs);
    return {
      siteId: site.id,
      unit: 'kWh',
      from: new Date(fromMs),
      to: new Date(toMs),
      method: SITE_FORECAST_METHOD,
      incompleteHours,
      components,
      points,
    };
  }
}

function excluded(meter: MeterEntity, role: SiteMeterRole | null, reason: string): SiteForecastComponent {
  return { meterId: meter.id, meterName: meter.name, kind: meter.kind, role, included: false, reason };
}

/** A generation meter with readings on a site without a load to subtract it from. */
function generationOnly(c: Candidate): SiteForecastComponent {
  return excluded(
    c.meter,
    c.role,
    'generation, subtracted from the load: the site needs an import meter too',
  );
}

function energyFactor(unit: string): number | null {
  const u = findUnit(unit);
  return u && u.dimension === 'energy' ? u.toBase : null;
}

/**
 * [from, to) on whole hours: by default the {@link SITE_FORECAST_DEFAULT_HOURS} hours after the
 * latest reading of the site's meters; at most 7 days past that reading (or past `from`).
 */
function siteWindow(
  candidates: readonly Candidate[],
  q: { from?: string; to?: string },
  timeZone: string,
): { fromMs: number; toMs: number } {
  const lastEnd = Math.max(...candidates.map((c) => c.lastEnd));
  const defaultFrom = Math.floor(lastEnd / HOUR_MS) * HOUR_MS;
  const range = parseRange(q.from, q.to, timeZone, {
    from: new Date(defaultFrom),
    to: new Date(defaultFrom + SITE_FORECAST_DEFAULT_HOURS * HOUR_MS),
  });
  const fromMs = Math.floor(range.from.getTime() / HOUR_MS) * HOUR_MS;
  let toMs = Math.ceil(range.to.getTime() / HOUR_MS) * HOUR_MS;
  if (!q.to && q.from) toMs = fromMs + SITE_FORECAST_DEFAULT_HOURS * HOUR_MS;
  if (toMs - Math.min(fromMs, lastEnd) > MAX_HORIZON_DAYS * DAY_MS)
    throw new BadInputError(
      `A forecast reaches at most ${MAX_HORIZON_DAYS} days past the data (or past "from"); ask for a shorter range.`,
      [{ field: 'to', message: 'beyond 7 days' }],
    );
  return { fromMs, toMs };
}

/** 422: nothing to forecast the site's load from, naming what to add and why each meter does not count. */
function noLoadMeter(
  siteName: string,
  siteId: string,
  components: readonly SiteForecastComponent[],
): UnprocessableError {
  const why = components.length
    ? ` Its meters: ${components.map((c) => `${c.meterName} (${c.kind}): ${c.reason}`).join('; ')}.`
    : ' It has no meters.';
  return new UnprocessableError(
    `Site ${siteName} has no electricity import meter that can be forecast: add one with hourly or finer readings (POST /api/v1/orgs/{orgId}/meters {"siteId": "${siteId}", "kind": "electricity_import", "intervalMinutes": 60, …}, then import its readings).${why}`,
    components.map((c) => ({ field: `meters.${c.meterId}`, message: c.reason })),
    { code: 'SITE_FORECAST_NO_LOAD_METER' },
  );
}
