import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, DatabaseModule, PlatformModule } from '@halve/platform';
import { MIGRATIONS } from '../../../migrations';
import { ALL_ENTITIES, domainModules } from '../../api/src/app.module';

/** The worker differs from the API only here: no HTTP, and it processes the BullMQ queue. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [PlatformModule.forRoot(config, { http: false, processJobs: true }), DatabaseModule.forRoot(ALL_ENTITIES, MIGRATIONS), ...(domainModules() ?? [])],
    };
  }
}
