import { Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, Access, NotFoundError, WRITE_ROLES, uuidParam } from '@halve/platform';
import { RangeQueryDto } from '@halve/metering';
import { ForecastingService } from './forecasting.service';

const versionParam = () =>
  Param('version', new ParseIntPipe({ exceptionFactory: () => new NotFoundError('Model version') }));

@ApiTags('forecasting')
@Controller('orgs/:orgId/meters/:meterId')
export class ForecastingController {
  constructor(private readonly forecasting: ForecastingService) {}

  @Post('models')
  @HttpCode(202)
  @Access.org(WRITE_ROLES)
  @ApiOperation({ summary: 'Train a model for the meter (job) → 202 {jobId}' })
  train(@uuidParam('orgId', 'Organization') orgId: string, @uuidParam('meterId', 'Meter') meterId: string) {
    return this.forecasting.requestTraining(orgId, meterId);
  }

  @Get('models')
  @Access.org(ALL_ROLES)
  @ApiOperation({ summary: 'Model versions with their backtest metrics and the baselines' })
  list(@uuidParam('orgId', 'Organization') orgId: string, @uuidParam('meterId', 'Meter') meterId: string) {
    return this.forecasting.list(orgId, meterId);
  }

  @Get('models/:version/backtest')
  @Access.org(ALL_ROLES)
  backtest(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('meterId', 'Meter') meterId: string,
    @versionParam() version: number,
  ) {
    return this.forecasting.backtest(orgId, meterId, version);
  }

  @Post('models/:version/activate')
  @HttpCode(200)
  @Access.org(WRITE_ROLES)
  @ApiOperation({ summary: 'Make a version the active one (roll back)' })
  activate(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('meterId', 'Meter') meterId: string,
    @versionParam() version: number,
  ) {
    return this.forecasting.activate(orgId, meterId, version);
  }

  @Get('forecast')
  @Access.org(ALL_ROLES, 'readings:read')
  @ApiOperation({
    summary:
      'Forecast for [from, to) (≤ 7 days) → {method: model|generic|baseline, modelVersion?, unit, points: [{ts, p10, p50, p90}]}',
  })
  forecast(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('meterId', 'Meter') meterId: string,
    @Query() q: RangeQueryDto,
  ) {
    return this.forecasting.forecast(orgId, meterId, q);
  }
}
