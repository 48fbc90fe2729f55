import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { memoryStorage } from 'multer';
import { APP_CONFIG, AppConfig, DemoRegistry } from '@halve/platform';
import { MeterUsageService, MeteringModule } from '@halve/metering';
import { ActivitiesController } from './activities.controller';
import { AirportsController } from './airports.controller';
import {
  CommutingSurveysController,
  PublicCommutingSurveyController,
} from './commuting/commuting.controller';
import { CommutingService } from './commuting/commuting.service';
import { SurveyThrottleGuard } from './commuting/survey-throttle.guard';
import {
  ActivityEvidenceController,
  ClaimActivityEvidenceController,
} from './evidence/activity-evidence.controller';
import { ActivityEvidenceService } from './evidence/activity-evidence.service';
import { CarbonDataService } from './carbon-data.service';
import { CarbonDemoSeeder } from './carbon-demo.service';
import { CarbonRepository } from './carbon.repository';
import { METER_USAGE } from './dto/meter-usage';
import { EmissionFactorLibraryService } from './emission-factor-library.service';
import { EmissionFactorsController, TenantEmissionFactorsController } from './emission-factors.controller';
import { InstrumentsController } from './instruments.controller';
import { InventoryController } from './inventory.controller';
import { InventoryService } from './inventory.service';
import { ReportsController } from './reports/reports.controller';
import { ReportsRepository } from './reports/reports.repository';
import { ReportsService } from './reports/reports.service';
import { TargetsController } from './targets.controller';
import { TargetsService } from './targets.service';
import { SpendLedgerService } from './spend/spend-ledger.service';
import { SpendLedgersController } from './spend/spend-ledgers.controller';
import { SpendRepository } from './spend/spend.repository';
import { StarterController } from './starter/starter.controller';
import { StarterFootprintService } from './starter/starter-footprint.service';
import { StarterProfileService } from './starter/starter-profile.service';

/** Emission factors, activity data, instruments, targets, the inventory and its reports. */
@Module({
  imports: [
    MeteringModule,
    // A ledger is parsed whole from memory, so it is held there like claim evidence and under the same
    // limit (HALVE_EVIDENCE_LIMIT, 25 MB by default ≈ 250k ledger lines); beyond it the upload answers 413.
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        storage: memoryStorage(),
        limits: { fileSize: config.evidenceLimitBytes, files: 1, fields: 10 },
      }),
    }),
  ],
  controllers: [
    EmissionFactorsController,
    TenantEmissionFactorsController,
    ActivitiesController,
    AirportsController,
    ActivityEvidenceController,
    ClaimActivityEvidenceController,
    CommutingSurveysController,
    PublicCommutingSurveyController,
    InstrumentsController,
    TargetsController,
    InventoryController,
    SpendLedgersController,
    ReportsController,
    StarterController,
  ],
  providers: [
    CarbonRepository,
    EmissionFactorLibraryService,
    CarbonDataService,
    ActivityEvidenceService,
    CommutingService,
    SurveyThrottleGuard,
    InventoryService,
    TargetsService,
    CarbonDemoSeeder,
    SpendRepository,
    SpendLedgerService,
    ReportsRepository,
    ReportsService,
    StarterProfileService,
    StarterFootprintService,
    { provide: METER_USAGE, useExisting: MeterUsageService },
  ],
  exports: [
    EmissionFactorLibraryService,
    InventoryService,
    CarbonDataService,
    TargetsService,
    SpendLedgerService,
    StarterProfileService,
    StarterFootprintService,
  ],
})
export class CarbonModule implements OnModuleInit {
  constructor(
    private readonly demo: DemoRegistry,
    private readonly seeder: CarbonDemoSeeder,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    if (this.config.demo) this.demo.register(this.seeder);
  }
}
