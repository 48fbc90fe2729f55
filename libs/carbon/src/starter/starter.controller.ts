import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, Access, RequestContext, WRITE_ROLES, uuidParam } from '@halve/platform';
import { StarterFootprintService } from './starter-footprint.service';
import { StarterProfileService } from './starter-profile.service';
import { StarterFootprintQuery, StarterProfileDto } from './starter.dto';
import { StarterFootprintView, StarterProfileView } from './starter.responses';

/** The starter footprint (issue 18 item 4): an estimate from industry averages before any data is uploaded. */
@ApiTags('carbon')
@Controller('orgs/:orgId')
export class StarterController {
  constructor(
    private readonly profiles: StarterProfileService,
    private readonly footprints: StarterFootprintService,
  ) {}

  @Put('starter-profile')
  @Access.org(WRITE_ROLES)
  @ApiOperation({
    summary:
      'Save the profile of the starter estimate: sector code (NACE Rev.2, UK SIC 2007 or NAICS 2017), employees, revenue, floor area, country, year',
  })
  @ApiOkResponse({ type: StarterProfileView })
  put(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @Body() dto: StarterProfileDto,
  ): Promise<StarterProfileView> {
    return this.profiles.put(RequestContext.tenantId(), dto);
  }

  @Get('starter-profile')
  @Access.org(ALL_ROLES)
  @ApiOkResponse({ type: StarterProfileView })
  get(@uuidParam('orgId', 'Organization') _orgId: string): Promise<StarterProfileView> {
    return this.profiles.view(RequestContext.tenantId());
  }

  @Get('starter-footprint')
  @Access.org(ALL_ROLES)
  @ApiOperation({
    summary:
      'The starter estimate of a year by scope, every line marked estimate, with its basis and sources; a line is replaced by measured data as soon as the inventory of the year has data of its kind; totals of the estimate, the inventory and both combined',
  })
  @ApiOkResponse({ type: StarterFootprintView })
  footprint(
    @uuidParam('orgId', 'Organization') _orgId: string,
    @Query() q: StarterFootprintQuery,
  ): Promise<StarterFootprintView> {
    return this.footprints.footprint(RequestContext.tenantId(), Number(q.year));
  }
}
