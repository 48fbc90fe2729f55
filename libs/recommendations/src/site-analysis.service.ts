import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { AuditService, Db, JobsService, OrganizationEntity, jobId, nextRunId } from '@halve/platform';
import { MeterUsageService, SitesService } from '@halve/metering';
import type { MeterEntity, SiteEntity } from '@halve/metering';
import {
  CarbonRepository,
  EmissionFactorLibraryService,
  loadGridIntensityProfile,
  normaliseRegion,
  selectGridFactor,
  selectGridProfile,
} from '@halve/carbon';
import { type FittedBaseline, calendarInfo, fitHourOfWeekTemperature } from '@halve/forecasting';
import { gridIntensityFromProfile } from './analysers/grid-intensity';
import type { CombinedSaving } from './analysers/combined';
import { type AnalyserFailure, runAnalysers } from './analysers/run-analysers';
import type {
  EnergyPoint,
  GridIntensityPoint,
  LoadForecast,
  MeterInput,
  SiteAnalysisInput,
  Suggestion,
  TariffOption,
  TemperaturePoint,
} from './analysers/types';
import { SITE_ANALYSIS_JOB } from './jobs/job-types';
import type { RecommendationBasis } from './entities/recommendation.entities';
import { RecommendationsRepository, type UpsertOutcome } from './recommendations.repository';
import type { Tariff } from './tariffs';

const MS_PER_HOUR = 3_600_000;
const carbonRepository = new CarbonRepository(); // stateless: only its tenant-factor query (not a provider of the carbon module)
/** Anomalies compare the most recent weeks with a forecast fitted on the months before them. */
export const ANOMALY_WINDOW_DAYS = 28;

export class NonRetryableAnalysisError extends Error {
  readonly retryable = false;
}

export interface SiteAnalysisResult extends UpsertOutcome {
  siteId: string;
  dataFrom: string;
  dataTo: string;
  suggestions: number;
  combined: CombinedSaving; // all of this analysis's suggestions together, overlaps counted once
  failures: AnalyserFailure[];
  emissionFactor: RecommendationBasis['emissionFactor'];
  gridIntensity: string | null;
  warnings: string[];
}

/**
 * The hourly grid-intensity profile of a grid region for a year, as @halve/carbon's
 * selectGridProfile chooses it for hourly Scope 2, described for the suggestions' basis.
 */
export function gridProfileFor(
  region: string,
  year: number,
): { region: string; year: number; dataset: string; basis: 'average' | 'marginal' } | null {
  const p = selectGridProfile(region, year);
  if (!p) return null;
  return {
    region: p.region,
    year: p.year,
    dataset: `${p.file} (${p.basis}); ${p.year === year ? 'same year' : `used for ${year} by month and local hour`}`,
    basis: p.intensityKind,
  };
}

type TariffSite = Pick<SiteEntity, 'id' | 'name' | 'tariff' | 'gridRegion' | 'country'>;
const market = (s: TariffSite) => normaliseRegion(s.gridRegion ?? s.country);

/**
 * The site's tariff first (current), then the organisation's other distinct tariffs for sites on the
 * same grid region and in the same currency, as the alternatives to compare (a tariff of a site on
 * another grid is most likely another supplier's, not one this site could take).
 */
export function tariffOptions(site: TariffSite, others: readonly TariffSite[]): TariffOption[] {
  if (!site.tariff) return [];
  const options: TariffOption[] = [
    {
      id: `site:${site.id}`,
      name: `${site.name} tariff (current)`,
      tariff: site.tariff as Tariff,
      current: true,
    },
  ];
  const seen = new Set([JSON.stringify(site.tariff)]);
  for (const other of others) {
    if (!other.tariff || other.id === site.id || other.tariff.currency !== site.tariff.currency) continue;
    if (market(other) !== market(site)) continue; // another grid region: most likely another supplier's offer
    const key = JSON.stringify(other.tariff);
    if (seen.has(key)) continue;
    seen.add(key);
    options.push({
      id: `site:${other.id}`,
      name: `the tariff of ${other.name}`,
      tariff: other.tariff as Tariff,
    });
  }
  return options;
}

/**
 * A P50/P90 load forecast of the last {@link ANOMALY_WINDOW_DAYS} days from the forecasting module's
 * hour-of-week-and-temperature baseline fitted on the hours before them (quantiles from its
 * training residuals). Null when there is too little history.
 */
export function recentLoadForecast(
  meter: MeterInput,
  temperature: readonly TemperaturePoint[],
  zone: string,
  country: string,
): LoadForecast | null {
  if (meter.intervalMinutes > 60 || 60 % meter.intervalMinutes !== 0 || meter.readings.length === 0)
    return null;
  const hours = new Map<number, { kwh: number; n: number }>();
  for (const r of meter.readings) {
    const k = Math.floor(r.ts.getTime() / MS_PER_HOUR);
    const h = hours.get(k) ?? { kwh: 0, n: 0 };
    h.kwh += r.energyKwh;
    h.n++;
    hours.set(k, h);
  }
  const keys = [...hours.keys()].sort((a, b) => a - b);
  const first = keys[0];
  const length = keys[keys.length - 1] - first + 1;
  const perHour = 60 / meter.intervalMinutes;
  const valuesKwh = new Array<number>(length).fill(Number.NaN);
  for (const [k, h] of hours) if (h.n === perHour) valuesKwh[k - first] = h.kwh;
  const temperatureC = new Array<number>(length).fill(Number.NaN);
  for (const t of temperature) {
    const i = Math.floor(t.ts.getTime() / MS_PER_HOUR) - first;
    if (i >= 0 && i < length) temperatureC[i] = t.temperatureC;
  }
  const windowHours = ANOMALY_WINDOW_DAYS * 24;
  const trainEnd = length - windowHours;
  if (trainEnd < 8 * 7 * 24) return null; // under eight weeks of history: no forecast
  const series = {
    startMs: first * MS_PER_HOUR,
    intervalMinutes: 60,
    valuesKwh,
    timeZone: zone,
    countryCode: country,
    temperatureC: temperature.length ? temperatureC : undefined,
  };
  const calendar = calendarInfo(series, length);
  const train = Array.from({ length: trainEnd }, (_, i) => ({ target: i, origin: i }));
  let model: FittedBaseline;
  try {
    model = fitHourOfWeekTemperature(series, calendar, train);
  } catch {
    return null;
  }
  const points = Array.from({ length: windowHours }, (_, j) => ({ target: trainEnd + j, origin: trainEnd }));
  const f = model.forecast(series, calendar, points);
  return {
    meterId: meter.id,
    intervalMinutes: 60,
    points: points.map((p, j) => ({
      ts: new Date((first + p.target) * MS_PER_HOUR),
      p50Kwh: f.p50[j],
      p90Kwh: f.p90[j],
    })),
  };
}

/** The analysis window: the most recent 12 months of data the site's electricity meters have. */
export function analysisWindow(
  lastDayStarts: readonly Date[],
  zone: string,
): { from: Date; to: Date } | null {
  if (!lastDayStarts.length) return null;
  const last = DateTime.fromMillis(Math.max(...lastDayStarts.map((d) => d.getTime())), { zone }).startOf(
    'day',
  );
  const to = last.plus({ days: 1 });
  return { from: to.minus({ years: 1 }).toJSDate(), to: to.toJSDate() };
}

const ELECTRICITY_LOAD_KINDS = new Set(['electricity_import']);
const GENERATION_KINDS = new Set(['pv_generation']);

/**
 * Runs the analysers on one site: loads what they need from metering (the last 12 months of the
 * site's electricity meters, weather, PV generation), the site's tariff and the organisation's
 * other tariffs, the grid-region emission factor of the data year (@halve/carbon selection) and the
 * hourly grid-intensity profile where one is shipped; then stores the suggestions (re-runs update).
 * Long work happens outside any transaction (the embedded database has one connection).
 */
@Injectable()
export class SiteAnalysisService {
  private readonly logger = new Logger('SiteAnalysis');

  constructor(
    private readonly db: Db,
    private readonly sites: SitesService,
    private readonly usage: MeterUsageService,
    private readonly factors: EmissionFactorLibraryService,
    private readonly repo: RecommendationsRepository,
    private readonly audit: AuditService,
    private readonly jobs: JobsService,
  ) {}

  /** Queues an analysis; the job id names the site's data version, so asking twice for unchanged data runs it once. */
  async request(tenantId: string, siteId: string): Promise<{ jobId: string }> {
    const site = await this.sites.getSite(tenantId, siteId);
    const meters = await this.sites.listMeters(tenantId, siteId);
    const extents = await this.usage.extents(tenantId);
    const weather = await this.db.tenant((em) => this.repo.weatherSignature(em, tenantId, siteId), tenantId);
    const settings = await this.db.tenant((em) => this.repo.siteSettings(em, tenantId, siteId), tenantId);
    // A tenant grid factor entered since the last run changes the suggestions' CO2: part of the version.
    const tenantFactors = await this.db.tenant(
      (em) => carbonRepository.tenantFactors(em, tenantId),
      tenantId,
    );
    const gridFactors = tenantFactors
      .filter((f) => f.activity === 'electricity_grid')
      .map((f) => [f.id, f.year, `${f.kgCo2ePerUnit}`]);
    const version = createHash('sha256')
      .update(
        JSON.stringify({
          tariff: site.tariff,
          updatedAt: site.updatedAt,
          region: site.gridRegion,
          weather,
          settings: settings ? [settings.buildingType, settings.roofAreaM2] : null,
          gridFactors,
          meters: meters.map((m) => [m.id, m.kind, extents.find((e) => e.meterId === m.id) ?? null]),
        }),
      )
      .digest('hex')
      .slice(0, 16);
    const id = await nextRunId(
      (candidate) => this.jobs.find(tenantId, candidate),
      jobId(SITE_ANALYSIS_JOB, `${siteId}-${version}`),
      (status) => status === 'failed',
    );
    const job = await this.jobs.enqueue(SITE_ANALYSIS_JOB, { siteId }, { jobId: id, tenantId });
    return { jobId: job.id };
  }

  /**
   * After a successful import (meter readings or site weather): analyse the site again when it has
   * electricity import readings. Keyed by the data version, so an import that changed nothing runs nothing.
   */
  async afterImport(tenantId: string, result: unknown): Promise<string | null> {
    const r = (result ?? {}) as { meterId?: string | null; siteId?: string | null };
    let siteId = r.siteId ?? null;
    if (!siteId && r.meterId) siteId = (await this.sites.getMeter(tenantId, r.meterId)).siteId;
    if (!siteId) return null;
    const meters = await this.sites.listMeters(tenantId, siteId);
    const extents = new Set((await this.usage.extents(tenantId)).map((e) => e.meterId));
    if (
      !meters.some(
        (m) =>
          ELECTRICITY_LOAD_KINDS.has(m.kind) &&
          m.intervalMinutes !== null &&
          m.intervalMinutes <= 60 &&
          extents.has(m.id),
      )
    )
      return null;
    return (await this.request(tenantId, siteId)).jobId;
  }

  /** Whether the site has imports still queued or running (the demo waits for them). */
  async importsPending(tenantId: string, siteId?: string): Promise<number> {
    const rows: { n: string }[] = await this.db.tenant(
      (em) =>
        em.query(
          `SELECT count(*)::text AS n FROM imports i LEFT JOIN meters m ON m.tenant_id = i.tenant_id AND m.id = i.meter_id
            WHERE i.tenant_id = $1 AND i.status IN ('queued', 'running') AND ($2::uuid IS NULL OR m.site_id = $2 OR i.site_id = $2)`,
          [tenantId, siteId ?? null],
        ),
      tenantId,
    );
    return Number(rows[0].n);
  }

  async buildInput(
    tenantId: string,
    siteId: string,
  ): Promise<{ input: SiteAnalysisInput; basis: RecommendationBasis }> {
    const site = await this.sites.getSite(tenantId, siteId);
    const meters = await this.sites.listMeters(tenantId, siteId);
    const allSites = await this.sites.listSites(tenantId);
    const settings = await this.db.tenant((em) => this.repo.siteSettings(em, tenantId, siteId), tenantId);
    const org = await this.db.tenant((em) => em.findOneBy(OrganizationEntity, { id: tenantId }), tenantId);
    const extents = new Map((await this.usage.extents(tenantId)).map((e) => [e.meterId, e]));
    const load = meters.filter(
      (m) =>
        ELECTRICITY_LOAD_KINDS.has(m.kind) &&
        m.intervalMinutes !== null &&
        m.intervalMinutes <= 60 &&
        extents.has(m.id),
    );
    const window = analysisWindow(
      load.map((m) => extents.get(m.id)!.last),
      site.timezone,
    );
    if (!window)
      throw new NonRetryableAnalysisError(
        `Site ${site.name} has no hourly (or finer) electricity import readings to analyse.`,
      );
    const warnings: string[] = [];

    const meterInputs: MeterInput[] = [];
    for (const m of load)
      meterInputs.push({
        id: m.id,
        name: m.name,
        energyType: 'electricity',
        intervalMinutes: m.intervalMinutes!,
        readings: await this.readings(tenantId, m, window),
      });
    const generationMeters = meters.filter(
      (m) =>
        GENERATION_KINDS.has(m.kind) &&
        m.intervalMinutes !== null &&
        m.intervalMinutes <= 60 &&
        extents.has(m.id),
    );
    let generation: SiteAnalysisInput['generation'];
    if (generationMeters.length) {
      const interval = Math.max(...generationMeters.map((m) => m.intervalMinutes!));
      const sum = new Map<number, number>();
      for (const m of generationMeters) {
        for (const r of await this.readings(tenantId, m, window)) {
          const k = Math.floor(r.ts.getTime() / (interval * 60_000));
          sum.set(k, (sum.get(k) ?? 0) + r.energyKwh);
        }
      }
      const readings = [...sum.entries()]
        .sort(([a], [b]) => a - b)
        .map(([k, v]) => ({ ts: new Date(k * interval * 60_000), energyKwh: v }));
      if (readings.length) generation = { intervalMinutes: interval, readings };
    }
    const temperature: TemperaturePoint[] = (await this.usage.weather(tenantId, siteId, window))
      .filter((w) => w.temperatureC !== null && Number.isFinite(w.temperatureC))
      .map((w) => ({ ts: w.ts, temperatureC: w.temperatureC! }));

    const region = normaliseRegion(site.gridRegion ?? site.country);
    const dataYear = new Date((window.from.getTime() + window.to.getTime()) / 2).getUTCFullYear();
    const library = await this.factors.library();
    // The inventory's factor for this site and year: the same selection, tenant-entered factors included.
    const tenantFactors = await this.db.tenant(
      (em) => carbonRepository.tenantFactors(em, tenantId),
      tenantId,
    );
    let selection;
    try {
      selection = selectGridFactor(library.factors, { region, year: dataYear, tenantFactors });
    } catch (e) {
      throw new NonRetryableAnalysisError(
        `No grid electricity emission factor for ${region}: ${(e as Error).message}`,
      );
    }
    warnings.push(...selection.warnings.map((w) => w.message));
    const f = selection.factor;
    const emissionFactor = {
      kgCo2ePerKwh: Number(f.kgCo2ePerUnit),
      source: `${f.source} ${f.edition} (${f.id})`,
      factorId: f.id,
      region: f.region,
      year: f.year,
    };

    let gridIntensity: GridIntensityPoint[] | undefined;
    const profile = gridProfileFor(region, dataYear);
    if (profile)
      gridIntensity = gridIntensityFromProfile(loadGridIntensityProfile(profile.region, profile.year));

    const tariffs = tariffOptions(site, allSites);
    if (!tariffs.length) warnings.push('the site has no tariff: money figures are left out');
    const currency = site.tariff?.currency ?? org?.currency ?? 'GBP';
    const forecasts = meterInputs
      .map((m) => recentLoadForecast(m, temperature, site.timezone, site.country))
      .filter((x): x is LoadForecast => x !== null);

    const input: SiteAnalysisInput = {
      site: {
        id: site.id,
        timezone: site.timezone,
        country: site.country,
        latitude: site.latitude ?? undefined,
        longitude: site.longitude ?? undefined,
        floorAreaM2: site.floorAreaM2 ?? undefined,
        roofAreaM2: settings?.roofAreaM2 ?? undefined,
        buildingType: settings?.buildingType ?? undefined,
      },
      meters: meterInputs,
      temperature: temperature.length ? temperature : undefined,
      generation,
      tariffs,
      emissionFactor: { kgCo2ePerKwh: emissionFactor.kgCo2ePerKwh, source: emissionFactor.source },
      gridIntensity,
      gridIntensityBasis: profile?.basis,
      gridIntensitySource: profile ? `${profile.region} ${profile.year}: ${profile.dataset}` : undefined,
      currency,
      forecasts,
    };
    const flat = site.tariff?.type === 'flat' ? (site.tariff.pricePerKwh ?? null) : null;
    const basis: RecommendationBasis = {
      emissionFactor,
      pricePerKwh: flat,
      dataFrom: window.from.toISOString(),
      dataTo: window.to.toISOString(),
      gridIntensity: profile?.dataset ?? null,
      warnings,
    };
    return { input, basis };
  }

  private async readings(
    tenantId: string,
    meter: MeterEntity,
    window: { from: Date; to: Date },
  ): Promise<EnergyPoint[]> {
    const rows = await this.usage.series(tenantId, meter.id, window);
    return rows.map((r) => ({ ts: new Date(r.ts), energyKwh: Number(r.value) }));
  }

  /** The job's work: analyse and store. */
  async analyse(tenantId: string, siteId: string, jobIdValue: string | null): Promise<SiteAnalysisResult> {
    const started = Date.now();
    const { input, basis } = await this.buildInput(tenantId, siteId);
    const loaded = Date.now();
    const { suggestions, failures, combined } = runAnalysers(input);
    const analysed = Date.now();
    const outcome = await this.store(tenantId, siteId, suggestions, basis, jobIdValue, failures);
    this.logger.log(
      `site ${siteId}: ${suggestions.length} suggestions (load ${loaded - started} ms, analysers ${analysed - loaded} ms, store ${Date.now() - analysed} ms)`,
    );
    return {
      siteId,
      dataFrom: basis.dataFrom,
      dataTo: basis.dataTo,
      suggestions: suggestions.length,
      ...outcome,
      combined,
      failures,
      emissionFactor: basis.emissionFactor,
      gridIntensity: basis.gridIntensity,
      warnings: basis.warnings,
    };
  }

  private store(
    tenantId: string,
    siteId: string,
    suggestions: Suggestion[],
    basis: RecommendationBasis,
    jobIdValue: string | null,
    failures: AnalyserFailure[],
  ): Promise<UpsertOutcome> {
    return this.db.tenant(async (em) => {
      // One analysis of a site at a time writes (a duplicate job waits here, then finds the rows).
      await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`site-analysis:${tenantId}:${siteId}`]);
      const outcome = await this.repo.upsertSuggestions(em, tenantId, siteId, suggestions, basis, jobIdValue);
      await this.audit.record(em, tenantId, {
        action: 'recommendations.analysed',
        entityType: 'site',
        entityId: siteId,
        summary: {
          ...outcome,
          suggestions: suggestions.length,
          failures: failures.map((f) => f.type),
          dataFrom: basis.dataFrom,
          dataTo: basis.dataTo,
          factor: basis.emissionFactor.factorId,
        },
      });
      return outcome;
    }, tenantId);
  }
}
