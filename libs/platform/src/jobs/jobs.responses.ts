/** Response schema of the jobs routes (JobsController): JobsService's JobView. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { JobStatus } from './jobs.types';

export const JOB_STATUS_SCHEMA = {
  enum: ['queued', 'running', 'succeeded', 'failed'],
  enumName: 'JobStatus',
} as const;

export class JobDetails {
  @ApiProperty({ example: 'forecast-train-…' }) id: string;
  @ApiProperty({ example: 'meter-import' }) type: string;
  @ApiProperty(JOB_STATUS_SCHEMA) status: JobStatus;
  @ApiProperty({ minimum: 0, maximum: 100 }) progress: number;
  @ApiProperty() attempts: number;
  @ApiProperty() maxAttempts: number;
  @ApiPropertyOptional({ description: 'a queued retry: when its next attempt may start' })
  nextAttemptAt?: Date;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: "succeeded: the handler's result (its shape depends on the job type)",
  })
  result?: unknown;
  @ApiPropertyOptional({ description: 'failed: why' }) error?: string;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}
