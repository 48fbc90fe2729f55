import { Injectable } from '@nestjs/common';
import { JobContext, JobHandler, JobProcessor } from '@halve/platform';
import { ForecastingService } from '../forecasting.service';
import { FORECAST_TRAIN_JOB } from './job-types';

/** `forecast-train` {meterId}: trains, backtests and stores a version (ForecastingService.handle). */
@Injectable()
@JobProcessor(FORECAST_TRAIN_JOB, { retry: 'standard' })
export class ForecastTrainJob implements JobHandler<{ meterId: string }> {
  constructor(private readonly forecasting: ForecastingService) {}

  handle(ctx: JobContext<{ meterId: string }>): Promise<unknown> {
    return this.forecasting.handle(ctx);
  }
}
