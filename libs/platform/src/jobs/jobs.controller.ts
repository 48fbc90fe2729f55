import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, Access } from '../auth/access';
import { uuidParam } from '../orgs/orgs.controller';
import { JobDetails } from './jobs.responses';
import { JobsService } from './jobs.service';

@ApiTags('jobs')
@Controller('orgs/:orgId/jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Get()
  @Access.org(ALL_ROLES)
  @ApiOperation({ summary: 'Recent jobs of the organisation' })
  @ApiOkResponse({ type: JobDetails, isArray: true })
  list(@uuidParam('orgId', 'Organization') orgId: string): Promise<JobDetails[]> {
    return this.jobs.list(orgId);
  }

  @Get(':jobId')
  @Access.org(ALL_ROLES, 'readings:read')
  @ApiOperation({
    summary: 'A job: {id, type, status: queued|running|succeeded|failed, progress 0–100, result?, error?}',
  })
  @ApiOkResponse({ type: JobDetails })
  get(@uuidParam('orgId', 'Organization') orgId: string, @Param('jobId') jobId: string): Promise<JobDetails> {
    return this.jobs.get(orgId, jobId);
  }
}
