import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AuditService, Db, JobsService, OrganizationEntity, jobId, nextRunId } from '@halve/platform';
import { MeterUsageService, SitesService } from '@halve/metering';
import type { MeterEntity } from '@halve/metering';
import {
  CarbonDataService,
  EmissionFactorLibraryService,
  loadGridIntensityProfile,
  normaliseRegion,
  selectGridFactor,
} from '@halve/carbon';
import { SiteForecastService } from '@halve/forecasting';
import { gridIntensityFromProfile } from './analysers/grid-intensity';
import type { CombinedSaving } from './analysers/combined';
import { type AnalyserFailure, runAnalysers } from './analysers/run-analysers';
import type {
  EnergyPoint,
  GridIntensityPoint,
  LoadForecast,
  MeterInput,
  NetLoadForecastPoint,
  SiteAnalysisInput,
  Suggestion,
  TemperaturePoint,
} from './analysers/types';
import { SITE_ANALYSIS_JOB } from './jobs/job-types';
import type { RecommendationBasis } from './entities/recommendation.entities';
import { RecommendationsRepository, type UpsertOutcome } from './recommendations.repository';
import {
  ELECTRICITY_LOAD_KINDS,
  GENERATION_KINDS,
  analysisWindow,
  emissionFactorBasis,
  gridProfileFor,
  hourlyIrradiance,
  hourlyMetersOf,
  recentLoadForecast,
  summedGeneration,
  tariffOptions,
} from './site-analysis-input';

// The pure input helpers are part of the lib's public API through this module, as before.
export {
  ANOMALY_WINDOW_DAYS,
  analysisWindow,
  gridProfileFor,
  recentLoadForecast,
  tariffOptions,
} from './site-analysis-input';

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
    private readonly carbon: CarbonDataService,
    private readonly repo: RecommendationsRepository,
    private readonly audit: AuditService,
    private readonly jobs: JobsService,
    private readonly siteForecasts: SiteForecastService,
  ) {}

  /**
   * Queues an analysis; the job id names the site's data version (readings, tariff, settings, weather,
   * grid factors and the meters' active forecasting models), so asking twice for unchanged data runs it once.
   */
  async request(tenantId: string, siteId: string): Promise<{ jobId: string }> {
    const site = await this.sites.getSite(tenantId, siteId);
    const meters = await this.sites.listMeters(tenantId, siteId);
    const extents = await this.usage.extents(tenantId);
    const weather = await this.db.tenant((em) => this.repo.weatherSignature(em, tenantId, siteId), tenantId);
    const settings = await this.db.tenant((em) => this.repo.siteSettings(em, tenantId, siteId), tenantId);
    // A tenant grid factor entered since the last run changes the suggestions' CO2: part of the version.
    const tenantFactors = await this.tenantFactors(tenantId);
    // So does a forecasting model promoted or rolled back on the same readings (load shifting plans on the forecast).
    const models = await this.siteForecasts.modelVersions(
      tenantId,
      meters.map((m) => m.id),
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
          models,
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
    if (hourlyMetersOf(meters, ELECTRICITY_LOAD_KINDS, extents).length === 0) return null;
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

  /** The tenant's own emission factors (a grid factor entered there takes precedence in the selection). */
  private tenantFactors(tenantId: string) {
    return this.carbon.selectionFactors(tenantId);
  }

  /** The inventory's grid factor for this site and year: the same selection, tenant-entered factors included. */
  private async gridFactor(tenantId: string, region: string, year: number, warnings: string[]) {
    const library = await this.factors.library();
    const tenantFactors = await this.tenantFactors(tenantId);
    let selection;
    try {
      selection = selectGridFactor(library.factors, { region, year, tenantFactors });
    } catch (e) {
      throw new NonRetryableAnalysisError(
        `No grid electricity emission factor for ${region}: ${(e as Error).message}`,
      );
    }
    warnings.push(...selection.warnings.map((w) => w.message));
    return emissionFactorBasis(selection);
  }

  /** The site's electricity load meters' readings, and its generation meters' summed, over the window. */
  private async meterData(
    tenantId: string,
    meters: readonly MeterEntity[],
    extents: ReadonlySet<string>,
    window: { from: Date; to: Date },
  ): Promise<{ meterInputs: MeterInput[]; generation: SiteAnalysisInput['generation'] }> {
    const meterInputs: MeterInput[] = [];
    for (const m of hourlyMetersOf(meters, ELECTRICITY_LOAD_KINDS, extents))
      meterInputs.push({
        id: m.id,
        name: m.name,
        energyType: 'electricity',
        intervalMinutes: m.intervalMinutes!,
        readings: await this.readings(tenantId, m, window),
      });
    const generationMeters = hourlyMetersOf(meters, GENERATION_KINDS, extents);
    if (!generationMeters.length) return { meterInputs, generation: undefined };
    const perMeter: EnergyPoint[][] = [];
    for (const m of generationMeters) perMeter.push(await this.readings(tenantId, m, window));
    const interval = Math.max(...generationMeters.map((m) => m.intervalMinutes!));
    return { meterInputs, generation: summedGeneration(perMeter, interval) };
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
    const load = hourlyMetersOf(meters, ELECTRICITY_LOAD_KINDS, extents);
    const window = analysisWindow(
      load.map((m) => extents.get(m.id)!.last),
      site.timezone,
    );
    if (!window)
      throw new NonRetryableAnalysisError(
        `Site ${site.name} has no hourly (or finer) electricity import readings to analyse.`,
      );
    const warnings: string[] = [];
    const { meterInputs, generation } = await this.meterData(
      tenantId,
      meters,
      new Set(extents.keys()),
      window,
    );
    const weather = await this.usage.weather(tenantId, siteId, window);
    const irradiance = hourlyIrradiance(weather);
    const temperature: TemperaturePoint[] = weather
      .filter((w) => w.temperatureC !== null && Number.isFinite(w.temperatureC))
      .map((w) => ({ ts: w.ts, temperatureC: w.temperatureC! }));

    const region = normaliseRegion(site.gridRegion ?? site.country);
    const dataYear = new Date((window.from.getTime() + window.to.getTime()) / 2).getUTCFullYear();
    const emissionFactor = await this.gridFactor(tenantId, region, dataYear, warnings);
    const profile = gridProfileFor(region, dataYear);
    const gridIntensity: GridIntensityPoint[] | undefined = profile
      ? gridIntensityFromProfile(loadGridIntensityProfile(profile.region, profile.year))
      : undefined;

    const tariffs = tariffOptions(site, allSites);
    if (!tariffs.length) warnings.push('the site has no tariff: money figures are left out');
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
      irradiance: irradiance.length ? irradiance : undefined,
      generation,
      tariffs,
      emissionFactor: { kgCo2ePerKwh: emissionFactor.kgCo2ePerKwh, source: emissionFactor.source },
      gridIntensity,
      gridIntensityBasis: profile?.basis,
      gridIntensitySource: profile ? `${profile.region} ${profile.year}: ${profile.dataset}` : undefined,
      currency: site.tariff?.currency ?? org?.currency ?? 'GBP',
      forecasts: meterInputs
        .map((m) => recentLoadForecast(m, temperature, site.timezone, site.country))
        .filter((x): x is LoadForecast => x !== null),
      netLoadForecast: await this.netLoadForecast(tenantId, siteId, warnings),
    };
    const basis: RecommendationBasis = {
      emissionFactor,
      pricePerKwh: site.tariff?.type === 'flat' ? (site.tariff.pricePerKwh ?? null) : null,
      dataFrom: window.from.toISOString(),
      dataTo: window.to.toISOString(),
      gridIntensity: profile?.dataset ?? null,
      warnings,
    };
    return { input, basis };
  }

  /**
   * The site's net-load forecast for the 48 hours after its data (load shifting plans the coming hours
   * with it); an analysis without one goes on, and says why in its warnings.
   */
  private async netLoadForecast(
    tenantId: string,
    siteId: string,
    warnings: string[],
  ): Promise<NetLoadForecastPoint[] | undefined> {
    try {
      const f = await this.siteForecasts.forecast(tenantId, siteId, {});
      for (const c of f.components.filter((x) => x.role && !x.included))
        warnings.push(`net-load forecast without ${c.meterName}: ${c.reason}`);
      return f.points.map((p) => ({ ts: p.ts, loadKwh: p.loadKwh, generationKwh: p.pvKwh + p.windKwh }));
    } catch (err) {
      this.logger.warn(`site ${siteId}: no net-load forecast: ${(err as Error).message}`);
      warnings.push(`no net-load forecast for the coming hours: ${(err as Error).message}`);
      return undefined;
    }
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
