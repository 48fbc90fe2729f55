import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, Access, RequestContext, WRITE_ROLES, uuidParam } from '@halve/platform';
import { CreateTargetDto, ProgressQuery } from './dto/carbon.dto';
import { TargetsService } from './targets.service';

@ApiTags('carbon')
@Controller('orgs/:orgId/targets')
export class TargetsController {
  constructor(private readonly targets: TargetsService) {}

  @Post()
  @Access.org(WRITE_ROLES)
  @ApiOperation({
    summary:
      'Create a reduction target (absolute or intensity); default the SBTi 1.5 °C linear pace of 4.2 %/yr for Scopes 1+2',
  })
  create(@uuidParam('orgId', 'Organization') _orgId: string, @Body() dto: CreateTargetDto) {
    return this.targets.create(RequestContext.tenantId(), dto);
  }

  @Get()
  @Access.org(ALL_ROLES)
  list(@uuidParam('orgId', 'Organization') _orgId: string) {
    return this.targets.list(RequestContext.tenantId());
  }

  @Get(':targetId')
  @Access.org(ALL_ROLES)
  get(@uuidParam('orgId', 'Organization') _orgId: string, @uuidParam('targetId', 'Target') id: string) {
    return this.targets.get(RequestContext.tenantId(), id);
  }

  @Get(':targetId/progress')
  @Access.org(ALL_ROLES)
  @ApiOperation({
    summary: 'Progress against the linear trajectory in a reporting year (default: the last complete year)',
  })
  progress(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @uuidParam('targetId', 'Target') id: string,
    @Query() q: ProgressQuery,
  ) {
    return this.targets.progress(RequestContext.tenantId(), id, q.year);
  }
}
