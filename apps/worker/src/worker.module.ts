import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, DatabaseModule, PLATFORM_ENTITIES, PlatformModule } from '@halve/platform';
import { METERING_ENTITIES, MeteringModule } from '@halve/metering';
import { CARBON_ENTITIES, CarbonModule } from '@halve/carbon';
import { FORECASTING_ENTITIES, ForecastingModule } from '@halve/forecasting';
import { RECOMMENDATION_ENTITIES, RecommendationsModule } from '@halve/recommendations';
import { CERTIFICATION_ENTITIES, CertificationModule } from '@halve/certification';
import { MIGRATIONS } from '../../../migrations';

/** Every lib's entities: a worker runs every lib's job handlers. */
export const WORKER_ENTITIES = [
  ...PLATFORM_ENTITIES,
  ...METERING_ENTITIES,
  ...CARBON_ENTITIES,
  ...FORECASTING_ENTITIES,
  ...RECOMMENDATION_ENTITIES,
  ...CERTIFICATION_ENTITIES,
];

/** The lib modules, whose providers include the job handlers (their controllers are never served here). */
export const WORKER_LIB_MODULES = [
  MeteringModule,
  CarbonModule,
  ForecastingModule,
  RecommendationsModule,
  CertificationModule,
];

/**
 * The worker's root: the platform without HTTP (no routes, guards or error filter), the database and
 * the lib modules, composed here rather than borrowed from the API app; it processes the BullMQ queue.
 * worker.module.spec.ts checks it runs the same libs and entities as the API.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        PlatformModule.forRoot(config, { http: false, processJobs: true }),
        DatabaseModule.forRoot(WORKER_ENTITIES, MIGRATIONS),
        ...WORKER_LIB_MODULES,
      ],
    };
  }
}
