import { Injectable } from '@nestjs/common';
import { JobContext, JobHandler, JobProcessor } from '@halve/platform';
import { SITE_ANALYSIS_JOB } from './job-types';
import { SiteAnalysisService, type SiteAnalysisResult } from '../site-analysis.service';

/** `site-analysis` {siteId}: runs the analysers on the site and stores the suggestions (re-runs update open ones). */
@Injectable()
@JobProcessor(SITE_ANALYSIS_JOB, { retry: 'standard' })
export class SiteAnalysisJob implements JobHandler<{ siteId: string }, SiteAnalysisResult> {
  constructor(private readonly analysis: SiteAnalysisService) {}

  async handle(ctx: JobContext<{ siteId: string }>): Promise<SiteAnalysisResult> {
    await ctx.progress(5);
    return this.analysis.analyse(ctx.tenantId, ctx.payload.siteId, ctx.jobId);
  }
}
