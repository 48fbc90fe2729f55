import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ALL_ROLES, Access, BadInputError, RequestContext, WRITE_ROLES, uuidParam } from '@halve/platform';
import { CarbonDataService } from './carbon-data.service';
import { CreateActivityDto, OptionalPeriodQuery } from './dto/carbon.dto';
import { ActivityView, RecordedActivityView } from './dto/carbon.responses';

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
  @ApiCreatedResponse({ type: RecordedActivityView })
  create(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @Body() dto: CreateActivityDto,
  ): Promise<RecordedActivityView> {
    return this.data.createActivity(RequestContext.tenantId(), dto);
  }

  @Get()
  @Access.org(ALL_ROLES)
  @ApiOperation({ summary: 'Activity data, optionally those overlapping [from, to)' })
  @ApiOkResponse({ type: ActivityView, isArray: true })
  list(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @Query() q: OptionalPeriodQuery,
  ): Promise<ActivityView[]> {
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
  @ApiOkResponse({ type: ActivityView })
  get(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @uuidParam('activityId', 'Activity') id: string,
  ): Promise<ActivityView> {
    return this.data.activity(RequestContext.tenantId(), id);
  }

  @Delete(':activityId')
  @HttpCode(204)
  @Access.org(WRITE_ROLES)
  @ApiNoContentResponse({ description: 'Deleted' })
  async remove(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @uuidParam('activityId', 'Activity') id: string,
  ): Promise<void> {
    await this.data.deleteActivity(RequestContext.tenantId(), id);
  }
}
