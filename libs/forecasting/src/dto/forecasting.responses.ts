/**
 * Response schemas of the forecasting routes (ForecastingController): what ForecastingService returns,
 * declared as the handlers' return types so tsc checks the service against the document.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * Scores of a backtest by name (fractions such as cvRmse 0.13 = 13 %; kWh for mae and pinball). Which
 * names appear depends on the meter: load meters cvRmse, nmbe, mape (null when undefined), mase, pinball,
 * coverageP10P90, points; PV and wind meters mae, pinball and skill scores.
 */
const SCORES_SCHEMA = { type: 'number', nullable: true } as const;
const METRICS_DOC = {
  type: 'object',
  additionalProperties: SCORES_SCHEMA,
  example: { cvRmse: 0.13, nmbe: -0.01, mase: 0.8, pinball: 1.2, coverageP10P90: 0.79 },
} as const;
const BASELINES_DOC = {
  type: 'object',
  additionalProperties: { type: 'object', nullable: true, additionalProperties: SCORES_SCHEMA },
  description: 'the reference forecasts’ scores by baseline name',
} as const;

/** POST …/models: 202, the training job. */
export class ForecastTrainingAccepted {
  @ApiProperty({ description: 'GET /orgs/:orgId/jobs/:jobId follows it' }) jobId: string;
}

/** A version in the meter's model registry. */
export class ForecastModelVersion {
  @ApiProperty() version: number;
  @ApiProperty({ enum: ['candidate', 'active', 'retired'] }) status: 'candidate' | 'active' | 'retired';
  @ApiProperty({ enum: ['model', 'baseline'] }) method: 'model' | 'baseline';
  @ApiProperty({ type: String, nullable: true, description: 'method baseline: which one' }) baseline:
    string | null;
  @ApiProperty({ example: 'tensorflow' }) backend: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) trainedFrom: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) trainedTo: Date | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) hyperParameters: object;
  @ApiProperty({
    ...METRICS_DOC,
    nullable: true,
    description: 'the scores of what this version forecasts with',
  })
  metrics: object | null;
  @ApiProperty(BASELINES_DOC) baselines: object;
  @ApiProperty({ description: 'why this version was made (and, if a candidate, why it was not promoted)' })
  reason: string;
  @ApiProperty({ type: Number, nullable: true }) trainSeconds: number | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) activatedAt: Date | null;
}

/** GET …/models/:version/backtest. */
export class ForecastBacktestReport {
  @ApiProperty() version: number;
  @ApiProperty({ ...METRICS_DOC, nullable: true }) metrics: object | null;
  @ApiProperty(BASELINES_DOC) baselines: object;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description:
      'the backtest: its period (from, to, days) and the scores of the model and the baselines; for PV meters also each per-meter candidate’s (candidates: network, gbm, blend)',
  })
  backtest: object | null;
}

/** POST …/models/:version/activate. */
export class ForecastModelActivated {
  @ApiProperty() version: number;
  @ApiProperty({ enum: ['active'] }) status: string;
}

export class MeterForecastPoint {
  @ApiProperty() ts: Date;
  @ApiProperty() p10: number;
  @ApiProperty() p50: number;
  @ApiProperty() p90: number;
}

/** GET …/forecast: the meter's model, else the generic model, else a baseline (cold start). */
export class MeterForecast {
  @ApiProperty({ format: 'uuid' }) meterId: string;
  @ApiProperty({ enum: ['model', 'generic', 'baseline'] }) method: 'model' | 'generic' | 'baseline';
  @ApiPropertyOptional() modelVersion?: number;
  @ApiPropertyOptional({ description: 'method baseline: which one' }) baseline?: string;
  @ApiProperty({ description: 'why this method answered' }) reason: string;
  @ApiProperty() unit: string;
  @ApiProperty({ description: 'the forecast origin' }) issuedAt: Date;
  @ApiProperty({ type: () => MeterForecastPoint, isArray: true }) points: MeterForecastPoint[];
}
