import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { ConflictError, Db, JobsService, UnprocessableError, jobId, nextRunId } from '@halve/platform';
import {
  type FetchedTemperatures,
  MeterUsageService,
  SitesService,
  type WeatherFingerprint,
  WeatherSourceService,
} from '@halve/metering';
import type { RecommendationEntity, VerificationEntity } from './entities/recommendation.entities';
import { RECOMMENDATION_VERIFICATION_JOB } from './jobs/job-types';
import { type VerificationPoint, type VerificationResult, verifySavings } from './mv/verification';
import { RecommendationsRepository } from './recommendations.repository';

const VERIFIABLE = new Set(['implemented', 'verified', 'not_achieved']);

/** Where a verification's outdoor temperatures came from (hours of meter data with each). */
export interface VerificationWeather {
  /** hours with meter data in the baseline and reporting periods */
  hours: number;
  /** of those, hours with a temperature from the site's imported weather */
  importedHours: number;
  /** of those, hours with a temperature from the weather source (and not imported) */
  fetchedHours: number;
  /** the weather source asked (HALVE_WEATHER_SOURCE) and what it said; null when imported weather sufficed */
  source: Omit<FetchedTemperatures, 'points'> | null;
}

export class NonRetryableVerificationError extends Error {
  readonly retryable = false;
}

export function verificationView(v: VerificationEntity) {
  const result = (v.result ?? {}) as Partial<VerificationResult> & Record<string, unknown>;
  return {
    recommendationId: v.recommendationId,
    status: v.status,
    baselineFrom: v.baselineFrom,
    baselineTo: v.baselineTo,
    reportingFrom: v.reportingFrom,
    reportingTo: v.reportingTo,
    resolution: result.resolution ?? null,
    /** false: the baseline had no outdoor temperature (time-of-week model); older results: null */
    weatherNormalised: result.weatherNormalised ?? null,
    label: result.label ?? null,
    /** where the outdoor temperature came from: the site's imported weather, a weather source, or none */
    weather: (result.weather as VerificationWeather | undefined) ?? null,
    baselineCvRmse: v.baselineCvRmse,
    baselineNmbe: v.baselineNmbe,
    counterfactualKwh: v.counterfactualKwh,
    actualKwh: v.actualKwh,
    verifiedSavingKwh: v.verifiedSavingKwh,
    savingsFraction: result.savingsFraction ?? null,
    confidence: result.confidence ?? null,
    fractionalSavingsUncertainty: v.fractionalSavingsUncertainty,
    savingUncertaintyKwh: result.savingUncertaintyKwh ?? null,
    fsuAt68: result.fsuAt68 ?? null,
    meetsGuideline14: v.meetsGuideline14,
    guideline14: result.guideline14 ?? null,
    method: result.method ?? null,
    excluded: result.excluded ?? null,
    nonRoutineEvents: result.nonRoutineEvents ?? [],
    counterfactualSeries: result.counterfactualSeries ?? [],
    /** the daily series again in the portal's chart shape */
    series: (result.counterfactualSeries ?? []).map((p) => ({
      ts: p.ts,
      baselineKwh: p.counterfactualKwh,
      actualKwh: p.actualKwh,
    })),
    warnings: result.warnings ?? [],
    computedAt: v.computedAt,
  };
}

/**
 * Measurement and verification of an implemented recommendation (IPMVP Option C, whole facility):
 * the site's electricity import meters summed per hour with its outdoor temperature; baseline =
 * the 12 months before the local implementation date, reporting = from that date to the last
 * reading; non-routine events of the site left out of both. Computed by a job when asked for and
 * stored; the stored result is reused while its inputs (implementation date, the site's data
 * extents, non-routine events) are unchanged.
 */
@Injectable()
export class VerificationService {
  private readonly logger = new Logger('Verification');

  constructor(
    private readonly db: Db,
    private readonly repo: RecommendationsRepository,
    private readonly sites: SitesService,
    private readonly usage: MeterUsageService,
    private readonly jobs: JobsService,
    private readonly weatherSource: WeatherSourceService,
  ) {}

  private async importMeters(tenantId: string, siteId: string) {
    return (await this.sites.listMeters(tenantId, siteId)).filter(
      (m) => m.kind === 'electricity_import' && m.intervalMinutes !== null && m.intervalMinutes <= 60,
    );
  }

  /**
   * The baseline (12 months before the local implementation date) and reporting (from that date to
   * the end of the last reading's local day) periods; null when there are no readings.
   */
  private periods(
    site: { timezone: string },
    implementedOn: string,
    extents: { last: Date }[],
  ): { baselineFrom: Date; reportingFrom: Date; end: Date } | null {
    if (!extents.length) return null;
    const implemented = DateTime.fromISO(implementedOn, { zone: site.timezone }).startOf('day');
    const lastDay = DateTime.fromMillis(Math.max(...extents.map((e) => e.last.getTime())), {
      zone: site.timezone,
    }).startOf('day');
    return {
      baselineFrom: implemented.minus({ years: 1 }).toJSDate(),
      reportingFrom: implemented.toJSDate(),
      end: lastDay.plus({ days: 1 }).toJSDate(),
    };
  }

  /** Everything the result depends on (hashed by inputHash). */
  async inputs(tenantId: string, r: RecommendationEntity) {
    const site = await this.sites.getSite(tenantId, r.siteId);
    const meters = await this.importMeters(tenantId, r.siteId);
    const extents = await this.usage.extents(tenantId);
    const events = await this.db.tenant((em) => this.repo.nonRoutineEvents(em, tenantId, r.siteId), tenantId);
    const used = extents.filter((e) => meters.some((m) => m.id === e.meterId));
    const periods = r.implementedOn ? this.periods(site, r.implementedOn, used) : null;
    // weather imported (or fetched) later recomputes: the result may become weather-normalised
    const weather: WeatherFingerprint | null =
      periods && periods.end > periods.baselineFrom
        ? await this.weatherSource.fingerprint(tenantId, site, {
            from: periods.baselineFrom,
            to: periods.end,
          })
        : null;
    return {
      v: 3,
      implementedOn: r.implementedOn,
      timezone: site.timezone,
      // turning the weather source on (or off) recomputes: the result may become weather-normalised
      weatherSource: this.weatherSource.source,
      weather,
      meters: meters.map((m) => [m.id, extents.find((e) => e.meterId === m.id) ?? null]),
      events: events.map((e) => [e.id, e.fromTs.toISOString(), e.toTs.toISOString()]),
    };
  }

  /** A hash of everything the result depends on. */
  async inputHash(tenantId: string, r: RecommendationEntity): Promise<string> {
    return hashInputs(await this.inputs(tenantId, r));
  }

  /** The stored verification when it is current (same inputs), else null. */
  async current(tenantId: string, r: RecommendationEntity): Promise<VerificationEntity | null> {
    if (!VERIFIABLE.has(r.status) || !r.implementedOn) return null;
    const hash = await this.inputHash(tenantId, r);
    const v = await this.db.tenant((em) => this.repo.verification(em, tenantId, r.id), tenantId);
    return v && v.inputHash === hash ? v : null;
  }

  /**
   * GET …/verification: the stored result (200), or a job computing it ({status: 'pending', jobId},
   * 202). A failed computation for the current inputs answers 422 with its reason.
   */
  async getOrRequest(
    tenantId: string,
    r: RecommendationEntity,
  ): Promise<
    { pending: true; jobId: string } | { pending: false; view: ReturnType<typeof verificationView> }
  > {
    if (!VERIFIABLE.has(r.status) || !r.implementedOn) {
      throw new ConflictError(
        `There is nothing to verify yet: the recommendation is ${r.status}. Record it as implemented (with its date) first.`,
        'not_implemented',
      );
    }
    const hash = await this.inputHash(tenantId, r);
    const stored = await this.db.tenant((em) => this.repo.verification(em, tenantId, r.id), tenantId);
    if (stored && stored.inputHash === hash) {
      if (stored.status === 'succeeded') return { pending: false, view: verificationView(stored) };
      if (stored.status === 'failed')
        throw new UnprocessableError(`The savings could not be verified: ${stored.error}`);
      const job = stored.jobId ? await this.jobs.get(tenantId, stored.jobId).catch(() => null) : null;
      if (job && (job.status === 'queued' || job.status === 'running'))
        return { pending: true, jobId: job.id };
      // A job that ended without storing a result (an unexpected error after its retries): run it again below.
    }
    // a run under this id that ended without storing a result (see above) is run again under a numbered id
    const id = await nextRunId(
      (candidate) => this.jobs.find(tenantId, candidate),
      jobId(RECOMMENDATION_VERIFICATION_JOB, `${r.id}-${hash.slice(0, 16)}`),
      (status) => status !== 'queued' && status !== 'running',
    );
    await this.db.tenant(
      (em) =>
        this.repo.saveVerification(em, {
          tenantId,
          recommendationId: r.id,
          status: 'pending',
          inputHash: hash,
          jobId: id,
        }),
      tenantId,
    );
    const job = await this.jobs.enqueue(
      RECOMMENDATION_VERIFICATION_JOB,
      { recommendationId: r.id },
      { jobId: id, tenantId },
    );
    // The in-process queue may have finished it already.
    if (job.status === 'succeeded') {
      const done = await this.db.tenant((em) => this.repo.verification(em, tenantId, r.id), tenantId);
      if (done?.status === 'succeeded' && done.inputHash === (await this.inputHash(tenantId, r)))
        return { pending: false, view: verificationView(done) };
    }
    return { pending: true, jobId: job.id };
  }

  /** The job's work: compute and store (unless the inputs changed meanwhile). */
  async compute(
    tenantId: string,
    recommendationId: string,
    jobIdValue: string,
  ): Promise<Record<string, unknown>> {
    const r = await this.db.tenant((em) => this.repo.find(em, tenantId, recommendationId), tenantId);
    if (!r) throw new NonRetryableVerificationError(`Recommendation ${recommendationId} no longer exists`);
    if (!VERIFIABLE.has(r.status) || !r.implementedOn)
      throw new NonRetryableVerificationError(
        `Recommendation ${recommendationId} is ${r.status}: nothing to verify`,
      );
    const before = await this.inputs(tenantId, r);
    let hash = hashInputs(before);
    const started = Date.now();
    let result: VerificationResult;
    let events: { from: Date; to: Date; description: string }[];
    let weather: VerificationWeather;
    try {
      ({ result, events, weather } = await this.verify(tenantId, r));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (e instanceof RangeError || e instanceof NonRetryableVerificationError) {
        await this.db.tenant(
          (em) =>
            this.repo.saveVerification(em, {
              tenantId,
              recommendationId,
              status: 'failed',
              inputHash: hash,
              jobId: jobIdValue,
              error: message,
              computedAt: new Date(),
            }),
          tenantId,
        );
        throw new NonRetryableVerificationError(message);
      }
      throw e;
    }
    // Weather the computation fetched itself (the weather source's cache) is part of its inputs: stored
    // with the hash as it is now, so the next request does not compute it again for that alone. Any
    // other change meanwhile keeps the hash of before (the next request recomputes).
    const after = await this.inputs(tenantId, r);
    if (sameBesideFetchedWeather(before, after)) hash = hashInputs(after);
    const { counterfactualSeries, ...rest } = result;
    await this.db.tenant(async (em) => {
      await this.repo.saveVerification(em, {
        tenantId,
        recommendationId,
        status: 'succeeded',
        inputHash: hash,
        jobId: jobIdValue,
        baselineFrom: result.baselineFrom,
        baselineTo: result.baselineTo,
        reportingFrom: result.reportingFrom,
        reportingTo: result.reportingTo,
        baselineCvRmse: finiteOrNull(result.baselineCvRmse),
        baselineNmbe: finiteOrNull(result.baselineNmbe),
        counterfactualKwh: result.counterfactualKwh,
        actualKwh: result.actualKwh,
        verifiedSavingKwh: result.verifiedSavingKwh,
        fractionalSavingsUncertainty: result.fractionalSavingsUncertainty,
        meetsGuideline14: result.meetsGuideline14,
        result: JSON.parse(
          JSON.stringify({ ...rest, counterfactualSeries, nonRoutineEvents: events, weather }),
        ) as object,
        computedAt: new Date(),
      });
    }, tenantId);
    this.logger.log(
      `recommendation ${recommendationId}: verified ${result.verifiedSavingKwh.toFixed(0)} kWh in ${Date.now() - started} ms`,
    );
    return {
      recommendationId,
      verifiedSavingKwh: result.verifiedSavingKwh,
      meetsGuideline14: result.meetsGuideline14,
      ms: Date.now() - started,
    };
  }

  private async verify(tenantId: string, r: RecommendationEntity) {
    const site = await this.sites.getSite(tenantId, r.siteId);
    const meters = await this.importMeters(tenantId, r.siteId);
    if (!meters.length)
      throw new NonRetryableVerificationError(
        'The site has no hourly (or finer) electricity import meter to measure the savings on.',
      );
    const extents = (await this.usage.extents(tenantId)).filter((e) =>
      meters.some((m) => m.id === e.meterId),
    );
    const periods = this.periods(site, r.implementedOn!, extents);
    if (!periods) throw new NonRetryableVerificationError('The site has no readings.');
    const { baselineFrom, reportingFrom, end } = periods;
    if (!(end > reportingFrom))
      throw new NonRetryableVerificationError(
        `There are no readings after the implementation date ${r.implementedOn} yet.`,
      );
    const rows = await this.usage.hourlyUsage(
      tenantId,
      meters.map((m) => m.id),
      { from: baselineFrom, to: end },
    );
    const hours = new Map<number, { kwh: number; n: number }>();
    for (const row of rows) {
      const t = new Date(row.hourStart).getTime();
      const h = hours.get(t) ?? { kwh: 0, n: 0 };
      h.kwh += Number(row.quantity);
      h.n++;
      hours.set(t, h);
    }
    const complete = [...hours.entries()]
      .filter(([, h]) => h.n === meters.length) // an hour counts when every meter has it
      .sort(([a], [b]) => a - b);
    const { temperatureAt, weather, source } = await this.outdoorTemperature(
      tenantId,
      site,
      complete.map(([t]) => t),
      {
        from: baselineFrom,
        to: end,
      },
    );
    const points: VerificationPoint[] = complete.map(([t, h]) => ({
      ts: new Date(t),
      energyKwh: h.kwh,
      temperatureC: temperatureAt(t),
    }));
    const split = reportingFrom.getTime();
    const baseline = points.filter((p) => p.ts.getTime() < split);
    const reporting = points.filter((p) => p.ts.getTime() >= split);
    if (!baseline.length)
      throw new NonRetryableVerificationError(
        `There are no readings in the 12 months before ${r.implementedOn} to fit a baseline on.`,
      );
    if (!reporting.length)
      throw new NonRetryableVerificationError(`There are no complete hours after ${r.implementedOn} yet.`);
    const events = (
      await this.db.tenant((em) => this.repo.nonRoutineEvents(em, tenantId, r.siteId), tenantId)
    ).map((e) => ({ from: e.fromTs, to: e.toTs, description: e.description }));
    const result = verifySavings({
      baseline,
      reporting,
      resolution: 'hourly',
      zone: site.timezone,
      nonRoutineEvents: events,
    });
    if (source && !result.weatherNormalised)
      result.warnings.push(
        source.status === 'off'
          ? "No weather source is configured (HALVE_WEATHER_SOURCE=off): import the site's hourly weather for a weather-normalised result."
          : `The weather source gave no usable temperatures (${source.status}${source.message ? `: ${source.message}` : ''}): import the site's hourly weather for a weather-normalised result.`,
      );
    return { result, events, weather };
  }

  /**
   * Outdoor temperature: the site's imported weather; where that leaves more than 10 % of the hours
   * without, the weather source by the site's coordinates (HALVE_WEATHER_SOURCE, cached per site);
   * what stays without is verified by the time-of-week model, "not weather-normalised".
   */
  private async outdoorTemperature(
    tenantId: string,
    site: { id: string; latitude: number | null; longitude: number | null },
    hoursWithData: number[],
    range: { from: Date; to: Date },
  ) {
    const imported = new Map<number, number>();
    for (const w of await this.usage.weather(tenantId, site.id, range))
      if (w.temperatureC !== null) imported.set(new Date(w.ts).getTime(), w.temperatureC);
    const importedHours = hoursWithData.filter((t) => imported.has(t)).length;
    const fetched = new Map<number, number>();
    let source: VerificationWeather['source'] = null;
    if (importedHours < 0.9 * hoursWithData.length) {
      const { points, ...status } = await this.weatherSource.temperatures(tenantId, site, range);
      source = status;
      for (const p of points) if (p.temperatureC !== null) fetched.set(p.ts.getTime(), p.temperatureC);
    }
    const weather: VerificationWeather = {
      hours: hoursWithData.length,
      importedHours,
      fetchedHours: hoursWithData.filter((t) => !imported.has(t) && fetched.has(t)).length,
      source,
    };
    return { temperatureAt: (t: number) => imported.get(t) ?? fetched.get(t) ?? null, weather, source };
  }
}

export type VerificationInputs = Awaited<ReturnType<VerificationService['inputs']>>;

export function hashInputs(inputs: VerificationInputs): string {
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex');
}

/** The same inputs but for the weather source's cache (which the computation itself fills). */
export function sameBesideFetchedWeather(a: VerificationInputs, b: VerificationInputs): boolean {
  const strip = (x: VerificationInputs) =>
    JSON.stringify({ ...x, weather: x.weather ? { ...x.weather, fetched: null } : null });
  return strip(a) === strip(b);
}

function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}
