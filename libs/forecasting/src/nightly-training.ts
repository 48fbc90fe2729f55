import { Injectable, Logger } from '@nestjs/common';
import { Db, JobsService, RequestContext, jobId } from '@halve/platform';
import { ForecastingRepository } from './forecasting.repository';
import { FORECAST_TRAIN_JOB, NIGHTLY_TRAINING } from './jobs/job-types';

export { NIGHTLY_TRAINING };
/** History a meter that was never trained needs before the night trains it (as the load models). */
const NEVER_TRAINED_MIN_DAYS = 28;

export interface StaleMeter {
  tenantId: string;
  meterId: string;
  kind: string;
  /** The active version, or null when the meter was never trained. */
  activeVersion: number | null;
  /** End of the data its latest version was trained on (null: never trained). */
  trainedTo: Date | null;
}

export interface NightlyRun {
  /** UTC date of the run: part of every job id, so a second run that night enqueues nothing new. */
  night: string;
  jobs: (StaleMeter & { jobId: string })[];
}

/**
 * Nightly retraining: every meter with readings after the end of the data its latest version was
 * trained on (promoted or not: a candidate that lost to the active version did see those readings),
 * and every forecastable meter never trained with four weeks of readings, across all
 * organisations, gets a training job in its own tenant. Job ids carry the meter and the UTC date,
 * so running twice on one night does not train twice. Meters that cannot be trained are left out:
 * daily or bill meters, PV and wind meters without capacityKw, PV meters whose site has no
 * coordinates.
 */
@Injectable()
export class NightlyTrainingService {
  private readonly logger = new Logger('NightlyTraining');

  constructor(
    private readonly db: Db,
    private readonly repo: ForecastingRepository,
    private readonly jobs: JobsService,
  ) {}

  /** The cross-tenant listing (owner connection); `tenantIds` narrows it to some organisations. */
  async staleMeters(options: { tenantIds?: string[] } = {}): Promise<StaleMeter[]> {
    const rows = await this.db.system((em) =>
      this.repo.staleMeters(em, options.tenantIds ?? null, NEVER_TRAINED_MIN_DAYS),
    );
    return rows.map((r) => ({
      tenantId: r.tenant_id,
      meterId: r.meter_id,
      kind: r.kind,
      activeVersion: r.active === null ? null : Number(r.active),
      trainedTo: r.trained_to,
    }));
  }

  /** One night's run: enqueues a training job per stale meter, in that meter's tenant. */
  async run(options: { now?: Date; tenantIds?: string[] } = {}): Promise<NightlyRun> {
    const night = (options.now ?? new Date()).toISOString().slice(0, 10);
    const stale = await this.staleMeters(options);
    const jobs: NightlyRun['jobs'] = [];
    for (const meter of stale) {
      const id = jobId(FORECAST_TRAIN_JOB, `${meter.meterId}-nightly-${night}`);
      await RequestContext.run({ requestId: `${NIGHTLY_TRAINING}:${night}`, tenantId: meter.tenantId }, () =>
        this.jobs.enqueue(
          FORECAST_TRAIN_JOB,
          { meterId: meter.meterId },
          { tenantId: meter.tenantId, jobId: id },
        ),
      );
      jobs.push({ ...meter, jobId: id });
    }
    this.logger.log(
      `night ${night}: ${jobs.length} meter(s) to retrain in ${new Set(jobs.map((j) => j.tenantId)).size} organisation(s)`,
    );
    return { night, jobs };
  }
}
