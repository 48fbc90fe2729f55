import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig, HealthRegistry, JobsService, jobId } from '@halve/platform';
import { METER_IMPORT_JOB, MeteringModule } from '@halve/metering';
import { currentBackend, initTfBackend } from './backend';
import { tfjsAvailable, tfjsLoaded } from './tf';
import { ForecastingController } from './forecasting.controller';
import { ForecastingRepository } from './forecasting.repository';
import { ForecastingService } from './forecasting.service';
import { ForecastTrainJob } from './jobs/forecast-train.job';
import { FORECAST_TRAIN_JOB } from './jobs/job-types';
import { NIGHTLY_TRAINING, NightlyTrainingService } from './nightly-training';
import { RenewableForecastingService } from './renewables.service';
import { SiteForecastController } from './site-forecast.controller';
import { SiteForecastService } from './site-forecast.service';
import { trainingThreadBackend } from './training-runner';

/**
 * With a queue (REDIS_URL), every successful import of an interval meter is followed by a training
 * job in the workers, and each night (HALVE_NIGHTLY_TRAIN_HOUR, UTC) every meter with readings newer
 * than its last training is retrained (NightlyTrainingService). On the embedded path training runs in the API process
 * (in a training thread, so requests are still answered; it takes a core), and both are off unless
 * HALVE_AUTO_TRAIN / HALVE_NIGHTLY_TRAIN=on.
 */
@Module({
  imports: [MeteringModule],
  controllers: [ForecastingController, SiteForecastController],
  providers: [
    ForecastingRepository,
    ForecastingService,
    RenewableForecastingService,
    SiteForecastService,
    NightlyTrainingService,
    ForecastTrainJob,
  ],
  exports: [ForecastingService, NightlyTrainingService, SiteForecastService],
})
export class ForecastingModule implements OnModuleInit {
  constructor(
    private readonly health: HealthRegistry,
    private readonly jobs: JobsService,
    private readonly forecasting: ForecastingService,
    private readonly nightly: NightlyTrainingService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    // TF.js loads on the first training or forecast (tf.ts), not here; until then health says so.
    // Training loads it in its own thread (training-runner.ts): after one, the backend it used.
    this.health.register('tfjs', async () => {
      if (!tfjsLoaded()) {
        const trained = trainingThreadBackend();
        if (trained) return { status: 'up', backend: trained, loaded: true };
        return { status: tfjsAvailable() ? 'up' : 'down', backend: null, loaded: false };
      }
      return { status: 'up', backend: currentBackend() ?? (await initTfBackend()), loaded: true };
    });
    const auto = this.config.autoTrain ?? !!this.config.redisUrl;
    if (auto) {
      this.jobs.onSucceeded(METER_IMPORT_JOB, async (tenantId, payload, result) => {
        const meterId = (result as { meterId?: string } | null)?.meterId;
        if (!meterId) return;
        await this.jobs.enqueue(
          FORECAST_TRAIN_JOB,
          { meterId },
          { tenantId, jobId: jobId(FORECAST_TRAIN_JOB, `${meterId}-${String(payload.importId)}`) },
        );
      });
    }
    const nightly = this.config.nightlyTrain ?? !!this.config.redisUrl;
    await this.jobs.scheduleDaily(NIGHTLY_TRAINING, nightly ? this.config.nightlyTrainHourUtc : null, () =>
      this.nightly.run(),
    );
  }
}
