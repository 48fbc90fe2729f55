import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, DatabaseModule, PLATFORM_ENTITIES, PlatformModule } from '@halve/platform';
import { METERING_ENTITIES, MeteringModule } from '@halve/metering';
import { CARBON_ENTITIES, CarbonModule } from '@halve/carbon';
import { FORECASTING_ENTITIES, ForecastingModule } from '@halve/forecasting';
import { RECOMMENDATION_ENTITIES, RecommendationsModule } from '@halve/recommendations';
import { CERTIFICATION_ENTITIES, CertificationModule } from '@halve/certification';
import { MIGRATIONS } from '../../../migrations';
import { PortalModule } from './portal';

/** Every entity of every lib, in flow order; the API and the worker share it. */
export const ALL_ENTITIES = [
  ...PLATFORM_ENTITIES,
  ...METERING_ENTITIES,
  ...CARBON_ENTITIES,
  ...FORECASTING_ENTITIES,
  ...RECOMMENDATION_ENTITIES,
  ...CERTIFICATION_ENTITIES,
];

/** The domain modules, shared by the API and the worker. */
export function domainModules(): DynamicModule['imports'] {
  return [MeteringModule, CarbonModule, ForecastingModule, RecommendationsModule, CertificationModule];
}

@Module({})
export class ApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        PlatformModule.forRoot(config, { http: true, processJobs: !config.redisUrl }),
        DatabaseModule.forRoot(ALL_ENTITIES, MIGRATIONS),
        ...(domainModules() ?? []),
        PortalModule,
      ],
    };
  }
}
