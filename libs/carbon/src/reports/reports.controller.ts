import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, Access, RequestContext, uuidParam } from '@halve/platform';
import { ProgressSummaryQuery, SbtiSmeQuery, VsmeDataQuery, VsmeFileQuery } from './reports.dto';
import { ProgressSummaryView, SbtiSmeView, VsmeReportView } from './reports.responses';
import { ReportsService } from './reports.service';
import { vsmePdf } from './vsme-pdf';
import { vsmeXlsx } from './vsme-xlsx';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const binary = { schema: { type: 'string', format: 'binary' } } as const;

@ApiTags('carbon')
@Controller('orgs/:orgId/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('vsme')
  @Access.org(ALL_ROLES)
  @ApiOperation({
    summary:
      'The VSME (EFRAG, Dec 2024) Basic-module report, B1 basis for preparation and B3 energy and GHG, as XLSX (a sheet per disclosure) or PDF (attachment halve-vsme-<year>.<format>)',
  })
  @ApiProduces(XLSX, 'application/pdf')
  @ApiOkResponse({
    description: 'The report file (attachment)',
    content: { [XLSX]: binary, 'application/pdf': binary },
  })
  async file(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @Query() q: VsmeFileQuery,
  ): Promise<StreamableFile> {
    const report = await this.reports.vsme(RequestContext.tenantId(), q);
    const format = q.format ?? 'xlsx';
    const body = format === 'pdf' ? await vsmePdf(report) : await vsmeXlsx(report);
    return new StreamableFile(body, {
      type: format === 'pdf' ? 'application/pdf' : XLSX,
      disposition: `attachment; filename="halve-vsme-${report.year}.${format}"`,
    });
  }

  @Get('vsme/data')
  @Access.org(ALL_ROLES)
  @ApiOperation({
    summary: 'The VSME Basic-module B1 and B3 datapoints of a reporting year (what the files show)',
  })
  @ApiOkResponse({ type: VsmeReportView })
  data(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @Query() q: VsmeDataQuery,
  ): Promise<VsmeReportView> {
    return this.reports.vsme(RequestContext.tenantId(), q);
  }

  @Get('sbti-sme')
  @Access.org(ALL_ROLES)
  @ApiOperation({
    summary:
      'SBTi SME route: the predefined near-term target (Scopes 1+2 −42 % by 2030 from the base year; measure and reduce Scope 3), the submission data, the eligibility checks Halve can make and the body of POST /targets that sets it',
  })
  @ApiOkResponse({ type: SbtiSmeView })
  sbti(@uuidParam('orgId', 'Organization') _orgId: string, @Query() q: SbtiSmeQuery): Promise<SbtiSmeView> {
    return this.reports.sbtiSme(RequestContext.tenantId(), q);
  }

  @Get('progress')
  @Access.org(ALL_ROLES)
  @ApiOperation({
    summary:
      'Yearly progress against the SME Climate Hub commitment (halve by 2030, net zero by 2050): base year vs the year by scope, the straight line to −50 % in 2030 and the on-track verdict',
  })
  @ApiOkResponse({ type: ProgressSummaryView })
  progress(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @Query() q: ProgressSummaryQuery,
  ): Promise<ProgressSummaryView> {
    return this.reports.progress(RequestContext.tenantId(), q);
  }
}
