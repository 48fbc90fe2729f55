import { Injectable } from '@nestjs/common';
import { JobContext, JobHandler, JobProcessor } from '@halve/platform';
import { VerificationService } from '../verification.service';
import { RECOMMENDATION_VERIFICATION_JOB } from './job-types';

/** `recommendation-verification` {recommendationId}: fits the baseline, computes and stores the M&V result. */
@Injectable()
@JobProcessor(RECOMMENDATION_VERIFICATION_JOB, { retry: 'standard' })
export class VerificationJob implements JobHandler<{ recommendationId: string }> {
  constructor(private readonly verification: VerificationService) {}

  handle(ctx: JobContext<{ recommendationId: string }>): Promise<Record<string, unknown>> {
    return this.verification.compute(ctx.tenantId, ctx.payload.recommendationId, ctx.jobId);
  }
}
