import { Injectable, Logger } from '@nestjs/common';
import { Db, JobsService, RequestContext, jobId } from '@halve/platform';

/** The daily task's name (BullMQ job scheduler id). */
export const NIGHTLY_TRAINING = 'forecast-nightly-train';
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
    private readonly jobs: JobsService,
  ) {}

  /** The cross-tenant listing (owner connection); `tenantIds` narrows it to some organisations. */
  async staleMeters(options: { tenantIds?: string[] } = {}): Promise<StaleMeter[]> {
    const rows: {
      tenant_id: string;
      meter_id: string;
      kind: string;
      active: number | null;
      trained_to: Date | null;
    }[] = await this.db.system((em) =>
      em.query(
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
        [options.tenantIds ?? null, NEVER_TRAINED_MIN_DAYS],
      ),
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
      const id = jobId('forecast-train', `${meter.meterId}-nightly-${night}`);
      await RequestContext.run({ requestId: `${NIGHTLY_TRAINING}:${night}`, tenantId: meter.tenantId }, () =>
        this.jobs.enqueue(
          'forecast-train',
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
