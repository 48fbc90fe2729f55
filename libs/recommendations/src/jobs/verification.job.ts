import { Injectable } from '@nestjs/common';
import { JobContext, JobHandler, JobProcessor } from '@halve/platform';
import { VerificationService } from '../verification.service';

/** `recommendation-verification` {recommendationId}: fits the baseline, computes and stores the M&V result. */
@Injectable()
@JobProcessor('recommendation-verification', { retry: 'standard' })
export class VerificationJob implements JobHandler<{ recommendationId: string }> {
  constructor(private readonly verification: VerificationService) {}

  handle(ctx: JobContext<{ recommendationId: string }>): Promise<Record<string, unknown>> {
    return this.verification.compute(ctx.tenantId, ctx.payload.recommendationId, ctx.jobId);
  }
}
