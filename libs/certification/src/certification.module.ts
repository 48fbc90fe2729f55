import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { memoryStorage } from 'multer';
import { APP_CONFIG, AppConfig, DemoRegistry } from '@halve/platform';
import { CarbonModule } from '@halve/carbon';
import { VerifiedSavingsReader } from '@halve/recommendations';
import { CertificationDemoSeeder } from './certification-demo.seeder';
import { CertificationRepository } from './certification.repository';
import { CertifierController } from './certifier.controller';
import { CertifierService } from './certifier.service';
import { ClaimEvaluator } from './claim-evaluator.service';
import { Iso14068VocabularyController } from './iso14068-vocabulary.controller';
import { ClaimsController } from './claims.controller';
import { ClaimsService } from './claims.service';
import { NotificationsService } from './notifications.service';
import { NotificationsController, VerificationController } from './verification.controller';
import { VerificationService } from './verification.service';

/** Claims, evidence, reviews, certificates, public verification and notifications. */
@Module({
  imports: [
    CarbonModule,
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      // Evidence is stored in the database, so it is held in memory; the limit (25 MB by default) answers 413.
      useFactory: (config: AppConfig) => ({
        storage: memoryStorage(),
        limits: { fileSize: config.evidenceLimitBytes, files: 1, fields: 10 },
      }),
    }),
  ],
  controllers: [
    ClaimsController,
    CertifierController,
    VerificationController,
    NotificationsController,
    Iso14068VocabularyController,
  ],
  providers: [
    CertificationRepository,
    ClaimEvaluator,
    // The recommendations module's read side of M&V (verified_savings figures); it needs only the global Db.
    VerifiedSavingsReader,
    ClaimsService,
    CertifierService,
    VerificationService,
    NotificationsService,
    CertificationDemoSeeder,
  ],
  exports: [
    ClaimsService,
    CertifierService,
    VerificationService,
    NotificationsService,
    CertificationDemoSeeder,
  ],
})
export class CertificationModule implements OnModuleInit {
  constructor(
    private readonly demo: DemoRegistry,
    private readonly seeder: CertificationDemoSeeder,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    if (this.config.demo) this.demo.register(this.seeder);
  }
}
