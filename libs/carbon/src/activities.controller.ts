import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, Access, BadInputError, RequestContext, WRITE_ROLES, uuidParam } from '@halve/platform';
import { CarbonDataService } from './carbon-data.service';
import { CreateActivityDto, OptionalPeriodQuery } from './dto/carbon.dto';

@ApiTags('carbon')
@Controller('orgs/:orgId/activities')
export class ActivitiesController {
  constructor(private readonly data: CarbonDataService) {}

  @Post()
  @Access.org(WRITE_ROLES)
  @ApiOperation({
    summary:
      'Record activity data: fuel, refrigerant top-up, vehicle distance or fuel, travel, spend, waste, electricity bills',
  })
  create(@uuidParam('orgId', 'Organization') _orgId: string, @Body() dto: CreateActivityDto) {
    return this.data.createActivity(RequestContext.tenantId(), dto);
  }

  @Get()
  @Access.org(ALL_ROLES)
  @ApiOperation({ summary: 'Activity data, optionally those overlapping [from, to)' })
  list(@uuidParam('orgId', 'Organization') _orgId: string, @Query() q: OptionalPeriodQuery) {
    if (!!q.from !== !!q.to)
      throw new BadInputError('Give both from and to, or neither.', [
        { field: q.from ? 'to' : 'from', message: 'required with the other' },
      ]);
    return this.data.activities(
      RequestContext.tenantId(),
      q.from && q.to ? { from: q.from, to: q.to } : undefined,
    );
  }

  @Get(':activityId')
  @Access.org(ALL_ROLES)
  get(@uuidParam('orgId', 'Organization') _orgId: string, @uuidParam('activityId', 'Activity') id: string) {
    return this.data.activity(RequestContext.tenantId(), id);
  }

  @Delete(':activityId')
  @HttpCode(204)
  @Access.org(WRITE_ROLES)
  async remove(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @uuidParam('activityId', 'Activity') id: string,
  ) {
    await this.data.deleteActivity(RequestContext.tenantId(), id);
  }
}
