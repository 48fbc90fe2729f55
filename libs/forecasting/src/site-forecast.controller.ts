import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, Access, uuidParam } from '@halve/platform';
import { RangeQueryDto } from '@halve/metering';
import { SiteForecast } from './dto/site-forecast.responses';
import { SiteForecastService } from './site-forecast.service';

@ApiTags('forecasting')
@Controller('orgs/:orgId/sites/:siteId')
export class SiteForecastController {
  constructor(private readonly siteForecasts: SiteForecastService) {}

  @Get('forecast')
  @Access.org(ALL_ROLES, 'readings:read')
  @ApiOperation({
    summary:
      "The site's hourly net load (electricity import − PV − wind, kWh) for [from, to) (default the 48 h after its latest reading, ≤ 7 days) with P10/P50/P90 bands and each meter's part → 422 when no import meter can be forecast",
  })
  @ApiOkResponse({ type: SiteForecast })
  forecast(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('siteId', 'Site') siteId: string,
    @Query() q: RangeQueryDto,
  ): Promise<SiteForecast> {
    return this.siteForecasts.forecast(orgId, siteId, q);
  }
}
