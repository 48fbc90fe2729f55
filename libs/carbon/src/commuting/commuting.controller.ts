import { Body, Controller, Get, Param, Patch, Post, UseGuards } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { ALL_ROLES, Access, RequestContext, WRITE_ROLES, uuidParam } from '@halve/platform';
import { CommutingAnswerDto, CreateCommutingSurveyDto, UpdateCommutingSurveyDto } from './commuting.dto';
import {
  CommutingAnswerReceivedView,
  CommutingSurveyDetailView,
  CommutingSurveyView,
  CreatedCommutingSurveyView,
  PublicCommutingSurveyView,
} from './commuting.responses';
import { CommutingService } from './commuting.service';
import { SURVEY_RATE_LIMIT_PER_MINUTE, SurveyThrottleGuard } from './survey-throttle.guard';

/** An organisation's commuting surveys (Scope 3 category 7). */
@ApiTags('carbon')
@Controller('orgs/:orgId/commuting-surveys')
export class CommutingSurveysController {
  constructor(private readonly commuting: CommutingService) {}

  @Post()
  @Access.org(WRITE_ROLES)
  @ApiOperation({ summary: 'Create a survey for a year; its link (token) is answered once here: share it' })
  @ApiCreatedResponse({ type: CreatedCommutingSurveyView })
  create(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @Body() dto: CreateCommutingSurveyDto,
  ): Promise<CreatedCommutingSurveyView> {
    return this.commuting.create(RequestContext.tenantId(), dto);
  }

  @Get()
  @Access.org(ALL_ROLES)
  @ApiOkResponse({ type: CommutingSurveyView, isArray: true })
  list(@uuidParam('orgId', 'Organization') _orgId: string): Promise<CommutingSurveyView[]> {
    return this.commuting.list(RequestContext.tenantId());
  }

  @Get(':surveyId')
  @Access.org(ALL_ROLES)
  @ApiOperation({ summary: 'The answers and the total extrapolated to all employees, by mode, with kg CO2e' })
  @ApiOkResponse({ type: CommutingSurveyDetailView })
  get(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @uuidParam('surveyId', 'Commuting survey') id: string,
  ): Promise<CommutingSurveyDetailView> {
    return this.commuting.get(RequestContext.tenantId(), id);
  }

  @Patch(':surveyId')
  @Access.org(WRITE_ROLES)
  @ApiOkResponse({ type: CommutingSurveyView })
  update(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @uuidParam('surveyId', 'Commuting survey') id: string,
    @Body() dto: UpdateCommutingSurveyDto,
  ): Promise<CommutingSurveyView> {
    return this.commuting.update(RequestContext.tenantId(), id, dto);
  }

  @Post(':surveyId/activities')
  @Access.org(WRITE_ROLES)
  @ApiOperation({
    summary:
      'Record the extrapolated total as activities (one per mode, Scope 3 category 7), replacing earlier ones',
  })
  @ApiCreatedResponse({ type: CommutingSurveyDetailView })
  record(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @uuidParam('surveyId', 'Commuting survey') id: string,
  ): Promise<CommutingSurveyDetailView> {
    return this.commuting.record(RequestContext.tenantId(), id);
  }
}

/** The survey as an employee answers it: by the link's token, no login; throttled per address. */
@ApiTags('carbon')
@Controller('commuting-surveys')
@UseGuards(SurveyThrottleGuard)
export class PublicCommutingSurveyController {
  constructor(private readonly commuting: CommutingService) {}

  @Get(':token')
  @Access.public()
  @ApiTooManyRequestsResponse({
    description: `More than ${SURVEY_RATE_LIMIT_PER_MINUTE} requests a minute from one address`,
  })
  @ApiOkResponse({ type: PublicCommutingSurveyView })
  get(@Param('token') token: string): Promise<PublicCommutingSurveyView> {
    return this.commuting.publicSurvey(token);
  }

  @Post(':token')
  @Access.public()
  @ApiOperation({ summary: 'Answer: mode, km one way, days a week in the office, weeks a year (anonymous)' })
  @ApiTooManyRequestsResponse({
    description: `More than ${SURVEY_RATE_LIMIT_PER_MINUTE} requests a minute from one address`,
  })
  @ApiCreatedResponse({ type: CommutingAnswerReceivedView })
  answer(
    @Param('token') token: string,
    @Body() dto: CommutingAnswerDto,
  ): Promise<CommutingAnswerReceivedView> {
    return this.commuting.answer(token, dto);
  }
}
