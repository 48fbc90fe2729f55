import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, Access, RequestContext, WRITE_ROLES, uuidParam } from '@halve/platform';
import { CreateTargetDto, ProgressQuery } from './dto/carbon.dto';
import { TargetProgressView, TargetView } from './dto/carbon.responses';
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
  @ApiCreatedResponse({ type: TargetView })
  create(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @Body() dto: CreateTargetDto,
  ): Promise<TargetView> {
    return this.targets.create(RequestContext.tenantId(), dto);
  }

  @Get()
  @Access.org(ALL_ROLES)
  @ApiOkResponse({ type: TargetView, isArray: true })
  list(@uuidParam('orgId', 'Organization') _orgId: string): Promise<TargetView[]> {
    return this.targets.list(RequestContext.tenantId());
  }

  @Get(':targetId')
  @Access.org(ALL_ROLES)
  @ApiOkResponse({ type: TargetView })
  get(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @uuidParam('targetId', 'Target') id: string,
  ): Promise<TargetView> {
    return this.targets.get(RequestContext.tenantId(), id);
  }

  @Get(':targetId/progress')
  @Access.org(ALL_ROLES)
  @ApiOperation({
    summary: 'Progress against the linear trajectory in a reporting year (default: the last complete year)',
  })
  @ApiOkResponse({ type: TargetProgressView })
  progress(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @uuidParam('targetId', 'Target') id: string,
    @Query() q: ProgressQuery,
  ): Promise<TargetProgressView> {
    return this.targets.progress(RequestContext.tenantId(), id, q.year);
  }
}
