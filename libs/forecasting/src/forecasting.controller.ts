import { Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, Access, NotFoundError, WRITE_ROLES, uuidParam } from '@halve/platform';
import { RangeQueryDto } from '@halve/metering';
import {
  ForecastBacktestReport,
  ForecastModelActivated,
  ForecastModelVersion,
  ForecastTrainingAccepted,
  MeterForecast,
} from './dto/forecasting.responses';
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
  @ApiAcceptedResponse({ type: ForecastTrainingAccepted })
  train(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('meterId', 'Meter') meterId: string,
  ): Promise<ForecastTrainingAccepted> {
    return this.forecasting.requestTraining(orgId, meterId);
  }

  @Get('models')
  @Access.org(ALL_ROLES)
  @ApiOperation({ summary: 'Model versions with their backtest metrics and the baselines' })
  @ApiOkResponse({ type: ForecastModelVersion, isArray: true })
  list(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('meterId', 'Meter') meterId: string,
  ): Promise<ForecastModelVersion[]> {
    return this.forecasting.list(orgId, meterId);
  }

  @Get('models/:version/backtest')
  @Access.org(ALL_ROLES)
  @ApiOkResponse({ type: ForecastBacktestReport })
  backtest(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('meterId', 'Meter') meterId: string,
    @versionParam() version: number,
  ): Promise<ForecastBacktestReport> {
    return this.forecasting.backtest(orgId, meterId, version);
  }

  @Post('models/:version/activate')
  @HttpCode(200)
  @Access.org(WRITE_ROLES)
  @ApiOperation({ summary: 'Make a version the active one (roll back)' })
  @ApiOkResponse({ type: ForecastModelActivated })
  activate(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('meterId', 'Meter') meterId: string,
    @versionParam() version: number,
  ): Promise<ForecastModelActivated> {
    return this.forecasting.activate(orgId, meterId, version);
  }

  @Get('forecast')
  @Access.org(ALL_ROLES, 'readings:read')
  @ApiOperation({
    summary:
      'Forecast for [from, to) (≤ 7 days) → {method: model|generic|baseline, modelVersion?, unit, points: [{ts, p10, p50, p90}]}',
  })
  @ApiOkResponse({ type: MeterForecast })
  forecast(
    @uuidParam('orgId', 'Organization') orgId: string,
    @uuidParam('meterId', 'Meter') meterId: string,
    @Query() q: RangeQueryDto,
  ): Promise<MeterForecast> {
    return this.forecasting.forecast(orgId, meterId, q);
  }
}
