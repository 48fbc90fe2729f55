import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig, DemoRegistry, JobsService } from '@halve/platform';
import { METER_IMPORT_JOB, MeteringModule } from '@halve/metering';
import { CarbonModule } from '@halve/carbon';
import { ForecastingModule } from '@halve/forecasting';
import { SiteAnalysisJob } from './jobs/site-analysis.job';
import { VerificationJob } from './jobs/verification.job';
import { RecommendationsDemoSeeder } from './recommendations-demo.service';
import { RecommendationsController } from './recommendations.controller';
import { RecommendationsRepository } from './recommendations.repository';
import { RecommendationsService } from './recommendations.service';
import { SiteAnalysisService } from './site-analysis.service';
import { VerificationService } from './verification.service';

/**
 * Analyses (jobs), the suggestion inbox and review workflow, measurement and verification, the
 * savings report. Every successful import queues an analysis of its site (HALVE_AUTO_ANALYSE=off
 * turns that off: analyses then run on demand and from the demo seeder only).
 */
@Module({
  imports: [MeteringModule, CarbonModule, ForecastingModule],
  controllers: [RecommendationsController],
  providers: [
    RecommendationsRepository,
    RecommendationsService,
    SiteAnalysisService,
    VerificationService,
    SiteAnalysisJob,
    VerificationJob,
    RecommendationsDemoSeeder,
  ],
  exports: [RecommendationsService, SiteAnalysisService, VerificationService],
})
export class RecommendationsModule implements OnModuleInit {
  constructor(
    private readonly demo: DemoRegistry,
    private readonly seeder: RecommendationsDemoSeeder,
    private readonly jobs: JobsService,
    private readonly analysis: SiteAnalysisService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    if (this.config.demo) this.demo.register(this.seeder);
    if (this.config.autoAnalyse) {
      this.jobs.onSucceeded(METER_IMPORT_JOB, async (tenantId, _payload, result) => {
        await this.analysis.afterImport(tenantId, result);
      });
    }
  }
}
