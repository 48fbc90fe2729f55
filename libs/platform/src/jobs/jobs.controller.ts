import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, Access } from '../auth/access';
import { uuidParam } from '../orgs/orgs.controller';
import { JobsService } from './jobs.service';

@ApiTags('jobs')
@Controller('orgs/:orgId/jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Get()
  @Access.org(ALL_ROLES)
  @ApiOperation({ summary: 'Recent jobs of the organisation' })
  list(@uuidParam('orgId', 'Organization') orgId: string) {
    return this.jobs.list(orgId);
  }

  @Get(':jobId')
  @Access.org(ALL_ROLES, 'readings:read')
  @ApiOperation({
    summary: 'A job: {id, type, status: queued|running|succeeded|failed, progress 0–100, result?, error?}',
  })
  get(@uuidParam('orgId', 'Organization') orgId: string, @Param('jobId') jobId: string) {
    return this.jobs.get(orgId, jobId);
  }
}
