import { Body, Controller, Get, HttpCode, Post, Put, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ALL_ROLES, Access, DECIDE_ROLES, WRITE_ROLES, uuidParam } from '@halve/platform';
import {
  AssigneeDto,
  CommentDto,
  NonRoutineEventDto,
  RecommendationListQuery,
  SiteAnalysisSettingsDto,
  TransitionDto,
} from './dto/recommendations.dto';
import {
  AnalysisJobAccepted,
  NonRoutineEventView,
  RecommendationCommentView,
  RecommendationSummaryView,
  RecommendationVerificationView,
  RecommendationView,
  SavingsReportView,
  SiteAnalysisSettingsView,
  VerificationPendingView,
} from './dto/recommendations.responses';
import { RecommendationsService } from './recommendations.service';
import { SiteAnalysisService } from './site-analysis.service';
import { VerificationService } from './verification.service';

@ApiTags('recommendations')
@Controller('orgs/:orgId')
export class RecommendationsController {
  constructor(
    private readonly recommendations: RecommendationsService,
    private readonly analysis: SiteAnalysisService,
    private readonly verification: VerificationService,
  ) {}

  @Post('sites/:siteId/analyses')
  @HttpCode(202)
  @Access.org(WRITE_ROLES)
  @ApiOperation({
    summary: "Run the analysers on the site's most recent 12 months of data (a job): 202 {jobId}",
  })
  @ApiAcceptedResponse({ type: AnalysisJobAccepted })
  analyse(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('siteId', 'Site') siteId: string,
  ): Promise<AnalysisJobAccepted> {
    return this.analysis.request(orgId, siteId);
  }

  @Get('sites/:siteId/analysis-settings')
  @Access.org(ALL_ROLES)
  @ApiOperation({
    summary: "The site's analysis settings: building type and usable roof area (null when not entered)",
  })
  @ApiOkResponse({ type: SiteAnalysisSettingsView })
  settings(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('siteId', 'Site') siteId: string,
  ): Promise<SiteAnalysisSettingsView> {
    return this.recommendations.siteSettings(orgId, siteId);
  }

  @Put('sites/:siteId/analysis-settings')
  @Access.org(WRITE_ROLES)
  @ApiOperation({
    summary:
      'Set the building type (baseload night/day ratio, peer benchmarks) and usable roof area (PV size limit) the analysers use; a field left out is kept, null clears it',
  })
  @ApiOkResponse({ type: SiteAnalysisSettingsView })
  setSettings(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('siteId', 'Site') siteId: string,
    @Body() dto: SiteAnalysisSettingsDto,
  ): Promise<SiteAnalysisSettingsView> {
    return this.recommendations.setSiteSettings(orgId, siteId, dto);
  }

  @Get('recommendations')
  @Access.org(ALL_ROLES)
  @ApiOperation({
    summary:
      'Suggestions, filtered by status and site, largest saving first (sort: money (default), kwh or co2)',
  })
  @ApiOkResponse({ type: RecommendationSummaryView, isArray: true })
  list(
    @uuidParam('orgId', 'Organization') orgId: string,
    @Query() q: RecommendationListQuery,
  ): Promise<RecommendationSummaryView[]> {
    return this.recommendations.list(orgId, q);
  }

  @Get('recommendations/:id')
  @Access.org(ALL_ROLES)
  @ApiOperation({
    summary: 'One suggestion with its explanation, evidence (series and numbers) and review history',
  })
  @ApiOkResponse({ type: RecommendationView })
  get(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('id', 'Recommendation') id: string,
  ): Promise<RecommendationView> {
    return this.recommendations.get(orgId, id);
  }

  @Post('recommendations/:id/transitions')
  @HttpCode(200)
  @Access.org(DECIDE_ROLES)
  @ApiOperation({
    summary:
      'Decide: accepted, rejected (with a reason), implemented (implementedOn, costMoney, notes), verified or not_achieved; 409 for a step the workflow does not allow',
  })
  @ApiOkResponse({ type: RecommendationView })
  transition(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('id', 'Recommendation') id: string,
    @Body() dto: TransitionDto,
  ): Promise<RecommendationView> {
    return this.recommendations.transition(orgId, id, dto, (r) => this.verification.current(orgId, r));
  }

  @Get('recommendations/:id/comments')
  @Access.org(ALL_ROLES)
  @ApiOkResponse({ type: RecommendationCommentView, isArray: true })
  comments(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('id', 'Recommendation') id: string,
  ): Promise<RecommendationCommentView[]> {
    return this.recommendations.comments(orgId, id);
  }

  @Post('recommendations/:id/comments')
  @Access.org(WRITE_ROLES)
  @ApiCreatedResponse({ type: RecommendationCommentView })
  comment(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('id', 'Recommendation') id: string,
    @Body() dto: CommentDto,
  ): Promise<RecommendationCommentView> {
    return this.recommendations.addComment(orgId, id, dto);
  }

  @Put('recommendations/:id/assignee')
  @Access.org(DECIDE_ROLES)
  @ApiOperation({
    summary: 'Assign the suggestion to a member of the organisation ({userId: null} unassigns)',
  })
  @ApiOkResponse({ type: RecommendationView })
  assign(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('id', 'Recommendation') id: string,
    @Body() dto: AssigneeDto,
  ): Promise<RecommendationView> {
    return this.recommendations.assign(orgId, id, dto);
  }

  @Get('recommendations/:id/verification')
  @Access.org(ALL_ROLES)
  @ApiOperation({
    summary:
      'Measured savings (IPMVP Option C, ASHRAE G14): 200 with the result, or 202 {status: pending, jobId} while it is computed',
  })
  @ApiOkResponse({ type: RecommendationVerificationView, description: 'The result' })
  @ApiAcceptedResponse({ type: VerificationPendingView, description: 'Being computed: poll again' })
  async verify(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('id', 'Recommendation') id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RecommendationVerificationView | VerificationPendingView> {
    const r = await this.recommendations.entity(orgId, id);
    const outcome = await this.verification.getOrRequest(orgId, r);
    if (outcome.pending) {
      res.status(202);
      return { status: 'pending', jobId: outcome.jobId };
    }
    return outcome.view;
  }

  @Post('sites/:siteId/non-routine-events')
  @Access.org(WRITE_ROLES)
  @ApiOperation({ summary: 'Record a non-routine event (a period M&V leaves out of baseline and reporting)' })
  @ApiCreatedResponse({ type: NonRoutineEventView })
  addEvent(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('siteId', 'Site') siteId: string,
    @Body() dto: NonRoutineEventDto,
  ): Promise<NonRoutineEventView> {
    return this.recommendations.addNonRoutineEvent(orgId, siteId, dto);
  }

  @Get('sites/:siteId/non-routine-events')
  @Access.org(ALL_ROLES)
  @ApiOkResponse({ type: NonRoutineEventView, isArray: true })
  events(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('siteId', 'Site') siteId: string,
  ): Promise<NonRoutineEventView[]> {
    return this.recommendations.nonRoutineEvents(orgId, siteId);
  }

  @Get('savings-report')
  @Access.org(ALL_ROLES)
  @ApiOperation({
    summary: 'Savings of the organisation: estimated (open), implemented and verified (measured)',
  })
  @ApiOkResponse({ type: SavingsReportView })
  savingsReport(@uuidParam('orgId', 'Organization') orgId: string): Promise<SavingsReportView> {
    return this.recommendations.savingsReport(orgId);
  }
}
