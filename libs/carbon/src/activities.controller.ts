import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ALL_ROLES, Access, BadInputError, RequestContext, WRITE_ROLES, uuidParam } from '@halve/platform';
import { CarbonDataService } from './carbon-data.service';
import { CreateActivityDto, OptionalPeriodQuery, UpdateActivityDto } from './dto/carbon.dto';
import { ActivityEvidenceService } from './evidence/activity-evidence.service';
import {
  ActivityPricingView,
  ActivityView,
  PricedActivityView,
  RecordedActivityView,
} from './dto/carbon.responses';

/** Both ends of a period or neither. */
function optionalRange(q: OptionalPeriodQuery): { from: string; to: string } | undefined {
  if (!!q.from !== !!q.to)
    throw new BadInputError('Give both from and to, or neither.', [
      { field: q.from ? 'to' : 'from', message: 'required with the other' },
    ]);
  return q.from && q.to ? { from: q.from, to: q.to } : undefined;
}

@ApiTags('carbon')
@Controller('orgs/:orgId/activities')
export class ActivitiesController {
  constructor(
    private readonly data: CarbonDataService,
    private readonly evidence: ActivityEvidenceService,
  ) {}

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

  @Post('preview')
  @HttpCode(200)
  @Access.org(WRITE_ROLES)
  @ApiOperation({
    summary:
      'The factor an activity would take and the kg CO2e it would produce, as create would record it; nothing is stored',
  })
  @ApiOkResponse({ type: ActivityPricingView })
  preview(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @Body() dto: CreateActivityDto,
  ): Promise<ActivityPricingView> {
    return this.data.previewActivity(RequestContext.tenantId(), dto);
  }

  @Get()
  @Access.org(ALL_ROLES)
  @ApiOperation({ summary: 'Activity data, optionally those overlapping [from, to)' })
  @ApiOkResponse({ type: ActivityView, isArray: true })
  list(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @Query() q: OptionalPeriodQuery,
  ): Promise<ActivityView[]> {
    return this.data.activities(RequestContext.tenantId(), optionalRange(q));
  }

  @Get('priced')
  @Access.org(ALL_ROLES)
  @ApiOperation({
    summary:
      'Activity data (optionally those overlapping [from, to)), each with the factor it takes now and the kg CO2e of its whole quantity',
  })
  @ApiOkResponse({ type: PricedActivityView, isArray: true })
  async priced(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @Query() q: OptionalPeriodQuery,
  ): Promise<PricedActivityView[]> {
    const tenantId = RequestContext.tenantId();
    const priced = await this.data.pricedActivities(tenantId, optionalRange(q));
    const evidence = await this.evidence.byActivity(
      tenantId,
      priced.map((a) => a.id),
    );
    return priced.map((a) => ({ ...a, evidence: evidence.get(a.id) ?? [] }));
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

  @Patch(':activityId')
  @Access.org(WRITE_ROLES)
  @ApiOperation({ summary: 'Edit an activity: its factor is selected again; audited' })
  @ApiOkResponse({ type: RecordedActivityView })
  update(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @uuidParam('activityId', 'Activity') id: string,
    @Body() dto: UpdateActivityDto,
  ): Promise<RecordedActivityView> {
    return this.data.updateActivity(RequestContext.tenantId(), id, dto);
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
