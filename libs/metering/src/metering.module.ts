import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { mkdirSync } from 'node:fs';
import { APP_CONFIG, AppConfig, DemoRegistry } from '@halve/platform';
import { BillsController } from './bills.controller';
import { BillsRepository } from './bills.repository';
import { BillsService } from './bills.service';
import { MeteringDemoSeeder } from './demo.seeder';
import { ImportsRepository } from './imports.repository';
import { ImportsService } from './imports.service';
import { MeterUsageService } from './meter-usage.service';
import { MeteringController } from './metering.controller';
import { ReadingsRepository } from './readings.repository';
import { ReadingsService } from './readings.service';
import { SitesRepository } from './sites.repository';
import { SitesService } from './sites.service';
import { uploadDirs } from './upload-dirs';
import { WeatherSourceService } from './weather/weather-source.service';

@Module({
  imports: [
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        // Uploads stream to disk, never to memory; the limit answers 413.
        const dest = uploadDirs(config).receiving;
        mkdirSync(dest, { recursive: true });
        return { dest, limits: { fileSize: config.uploadLimitBytes, files: 1, fields: 20 } };
      },
    }),
  ],
  controllers: [MeteringController, BillsController],
  providers: [
    SitesRepository,
    SitesService,
    ImportsRepository,
    ImportsService,
    ReadingsRepository,
    ReadingsService,
    MeterUsageService,
    MeteringDemoSeeder,
    WeatherSourceService,
    BillsRepository,
    BillsService,
  ],
  exports: [
    SitesService,
    ImportsService,
    ReadingsService,
    MeterUsageService,
    WeatherSourceService,
    BillsService,
  ],
})
export class MeteringModule implements OnModuleInit {
  constructor(
    private readonly demo: DemoRegistry,
    private readonly seeder: MeteringDemoSeeder,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    if (this.config.demo) this.demo.register(this.seeder);
  }
}
