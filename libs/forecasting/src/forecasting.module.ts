import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig, HealthRegistry, JobsService, jobId } from '@halve/platform';
import { MeteringModule } from '@halve/metering';
import { currentBackend, initTfBackend } from './backend';
import { ForecastingController } from './forecasting.controller';
import { ForecastingService } from './forecasting.service';

/**
 * With a queue (REDIS_URL), every successful import of an interval meter is followed by a training
 * job in the workers. On the embedded path training runs in the API process and blocks it while it
 * runs, so it is on demand only (POST …/models), unless HALVE_AUTO_TRAIN=on.
 */
@Module({
  imports: [MeteringModule],
  controllers: [ForecastingController],
  providers: [ForecastingService],
  exports: [ForecastingService],
})
export class ForecastingModule implements OnModuleInit {
  constructor(
    private readonly health: HealthRegistry,
    private readonly jobs: JobsService,
    private readonly forecasting: ForecastingService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const backend = await initTfBackend();
    this.health.register('tfjs', async () => ({ status: 'up', backend: currentBackend() ?? backend }));
    const auto = this.config.autoTrain ?? !!this.config.redisUrl;
    if (auto) {
      this.jobs.onSucceeded('meter-import', async (tenantId, payload, result) => {
        const meterId = (result as { meterId?: string } | null)?.meterId;
        if (!meterId) return;
        await this.jobs.enqueue('forecast-train', { meterId }, { tenantId, jobId: jobId('forecast-train', `${meterId}-${String(payload.importId)}`) });
      });
    }
  }
}
