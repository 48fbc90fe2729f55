// Response schemas of the recommendations operations. Controllers declare these as their handlers'
// return types, so tsc checks the services' values against the document. Figures are numbers
// (double precision columns); timestamps are Date in the services and ISO strings on the wire.
// Values read back from jsonb columns the entities type as `object`/`unknown` keep that TypeScript
// type here; the document gives the shape the services store.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Confidence, SuggestionType } from '../analysers/types';
import { RECOMMENDATION_STATUSES, type RecommendationStatus } from '../entities/recommendation.entities';
import { BUILDING_TYPES } from './recommendations.dto';

const dateTime = { type: String, format: 'date-time' } as const;
const nullableDateTime = { type: String, format: 'date-time', nullable: true } as const;
const statusEnum = { enum: [...RECOMMENDATION_STATUSES], enumName: 'RecommendationStatus' } as const;
const moneyByCurrency = {
  type: 'object',
  additionalProperties: { type: 'number' },
  description: 'by ISO currency code',
} as const;
const SUGGESTION_TYPES = [
  'baseload',
  'after_hours',
  'peak_demand',
  'load_shifting',
  'pv_sizing',
  'weather_sensitivity',
  'anomaly',
  'tariff',
];

export class AnalysisJobAccepted {
  @ApiProperty() jobId: string;
}

export class SiteAnalysisSettingsView {
  @ApiProperty({ format: 'uuid' }) siteId: string;
  @ApiProperty({ enum: [...BUILDING_TYPES], nullable: true }) buildingType: string | null;
  @ApiProperty({ type: Number, nullable: true }) roofAreaM2: number | null;
  @ApiProperty({ ...nullableDateTime, description: 'null when never entered' }) updatedAt: Date | null;
}

export class SavingRangeView {
  @ApiProperty() low: number;
  @ApiProperty() high: number;
}

/** GET …/recommendations (one row). */
export class RecommendationSummaryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: SUGGESTION_TYPES, enumName: 'SuggestionType' }) type: SuggestionType;
  @ApiProperty(statusEnum) status: RecommendationStatus;
  @ApiProperty({ format: 'uuid' }) siteId: string;
  @ApiPropertyOptional({ format: 'uuid' }) meterId?: string;
  @ApiProperty() title: string;
  @ApiProperty() annualSavingKwh: number;
  @ApiProperty() annualSavingKgCo2e: number;
  @ApiProperty({ type: Number, nullable: true, description: 'null without a price' })
  annualSavingMoney: number | null;
  @ApiProperty({ example: 'GBP' }) currency: string;
  @ApiProperty({ type: () => SavingRangeView, nullable: true }) range: SavingRangeView | null;
  @ApiPropertyOptional() costMoney?: number;
  @ApiPropertyOptional() paybackYears?: number;
  @ApiProperty({ enum: ['low', 'medium', 'high'] }) confidence: Confidence;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) assigneeUserId: string | null;
  @ApiProperty({ description: 'the latest analysis no longer produced this open suggestion' }) stale: boolean;
  @ApiProperty(dateTime) analysedAt: Date;
}

export class EvidencePointView {
  @ApiProperty({ description: 'an ISO instant, or the x value when the series has an xLabel' }) ts: string;
  @ApiProperty() value: number;
}

export class EvidenceSeriesView {
  @ApiProperty() name: string;
  @ApiProperty() unit: string;
  @ApiProperty({ type: () => EvidencePointView, isArray: true }) points: EvidencePointView[];
  @ApiPropertyOptional() xLabel?: string;
}

/** Evidence ready to chart: series of points plus named numbers. */
export class RecommendationEvidenceView {
  @ApiProperty({ type: () => EvidenceSeriesView, isArray: true }) series: EvidenceSeriesView[];
  @ApiProperty({ type: 'object', additionalProperties: { oneOf: [{ type: 'number' }, { type: 'string' }] } })
  numbers: Record<string, number | string>;
}

export class BasisEmissionFactorView {
  @ApiProperty() kgCo2ePerKwh: number;
  @ApiProperty() source: string;
  @ApiProperty() factorId: string;
  @ApiProperty() region: string;
  @ApiProperty() year: number;
}

/** What the analysis priced the suggestion with. */
export class RecommendationBasisView {
  @ApiProperty({ type: () => BasisEmissionFactorView }) emissionFactor: BasisEmissionFactorView;
  @ApiProperty({ type: Number, nullable: true }) pricePerKwh: number | null;
  @ApiProperty() dataFrom: string;
  @ApiProperty() dataTo: string;
  @ApiProperty({ type: String, nullable: true }) gridIntensity: string | null;
  @ApiProperty({ type: String, isArray: true }) warnings: string[];
}

export class RecommendationTransitionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty(statusEnum) from: RecommendationStatus;
  @ApiProperty(statusEnum) to: RecommendationStatus;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'implementedOn, costMoney, verification (when given)',
  })
  details: object;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) actorUserId: string | null;
  @ApiProperty(dateTime) at: Date;
}

/** GET …/recommendations/:id: the suggestion with its explanation, evidence, basis and history. */
export class RecommendationView extends RecommendationSummaryView {
  @ApiProperty() key: string;
  @ApiProperty() explanation: string;
  @ApiProperty({ type: () => RecommendationEvidenceView }) evidence: RecommendationEvidenceView;
  @ApiProperty({ type: () => RecommendationBasisView }) basis: RecommendationBasisView;
  @ApiProperty({ type: String, format: 'date', nullable: true }) implementedOn: string | null;
  @ApiProperty({ type: Number, nullable: true }) actualCostMoney: number | null;
  @ApiProperty({ type: String, nullable: true }) notes: string | null;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) decidedBy: string | null;
  @ApiProperty(nullableDateTime) decidedAt: Date | null;
  @ApiProperty(dateTime) createdAt: Date;
  @ApiProperty(dateTime) updatedAt: Date;
  @ApiProperty({ type: () => RecommendationTransitionView, isArray: true })
  transitions: RecommendationTransitionView[];
}

export class RecommendationCommentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) authorUserId: string | null;
  @ApiProperty() body: string;
  @ApiProperty(dateTime) createdAt: Date;
}

/** A period measurement and verification leaves out, [from, to). */
export class NonRoutineEventView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) siteId: string;
  @ApiProperty(dateTime) from: Date;
  @ApiProperty(dateTime) to: Date;
  @ApiProperty() description: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) createdBy: string | null;
  @ApiProperty(dateTime) createdAt: Date;
}

export class WeatherSourceStatusView {
  @ApiProperty({ enum: ['open-meteo'], nullable: true }) source: string | null;
  @ApiProperty({ enum: ['off', 'no-coordinates', 'cached', 'fetched', 'failed'] }) status: string;
  @ApiProperty({ type: String, nullable: true }) message: string | null;
}

export class VerificationWeatherView {
  @ApiProperty() hours: number;
  @ApiProperty() importedHours: number;
  @ApiProperty() fetchedHours: number;
  @ApiProperty({ type: () => WeatherSourceStatusView, nullable: true })
  source: WeatherSourceStatusView | null;
}

export class G14ThresholdsView {
  @ApiProperty() cvRmseMax: number;
  @ApiProperty() nmbeAbsMax: number;
  @ApiProperty() fsuAt68Max: number;
}

export class G14ResultView {
  @ApiProperty() meets: boolean;
  @ApiProperty() cvRmseOk: boolean;
  @ApiProperty() nmbeOk: boolean;
  @ApiProperty({ type: Boolean, nullable: true }) fsuOk: boolean | null;
  @ApiProperty({ type: () => G14ThresholdsView }) thresholds: G14ThresholdsView;
  @ApiProperty() thresholdsAssumed: boolean;
}

export class TemperatureCoverageView {
  @ApiProperty() baseline: number;
  @ApiProperty() reporting: number;
}

export class VerificationMethodView {
  @ApiProperty({ enum: ['caltrack-towt-hourly', 'caltrack-daily', 'time-of-week-hourly'] }) model: string;
  @ApiProperty({ enum: ['single', 'three-month-weighted'], nullable: true }) segmentation: string | null;
  @ApiProperty({ type: String, nullable: true }) dailyModelType: string | null;
  @ApiProperty({ enum: ['ashrae-g14'] }) uncertainty: string;
  @ApiProperty() residualAutocorrelation: number;
  @ApiProperty() autocorrelationCorrected: boolean;
  @ApiProperty() effectiveBaselinePoints: number;
  @ApiProperty() parameters: number;
  @ApiProperty() baselinePoints: number;
  @ApiProperty() reportingPoints: number;
  @ApiProperty({ type: () => TemperatureCoverageView }) temperatureCoverage: TemperatureCoverageView;
}

export class ExcludedPointsView {
  @ApiProperty() baselinePoints: number;
  @ApiProperty() reportingPoints: number;
}

export class VerificationEventView {
  @ApiProperty(dateTime) from: string;
  @ApiProperty(dateTime) to: string;
  @ApiPropertyOptional() description?: string;
}

export class VerificationSeriesPointView {
  @ApiProperty({ description: 'start of the local day, ISO 8601 with offset' }) ts: string;
  @ApiProperty() counterfactualKwh: number;
  @ApiProperty() actualKwh: number;
}

export class ChartSeriesPointView {
  @ApiProperty() ts: string;
  @ApiProperty() baselineKwh: number;
  @ApiProperty() actualKwh: number;
}

/** GET …/recommendations/:id/verification (200): measured savings, IPMVP Option C with ASHRAE G14. */
export class RecommendationVerificationView {
  @ApiProperty({ format: 'uuid' }) recommendationId: string;
  @ApiProperty({ enum: ['pending', 'succeeded', 'failed'] }) status: string;
  @ApiProperty(nullableDateTime) baselineFrom: Date | null;
  @ApiProperty(nullableDateTime) baselineTo: Date | null;
  @ApiProperty(nullableDateTime) reportingFrom: Date | null;
  @ApiProperty(nullableDateTime) reportingTo: Date | null;
  @ApiProperty({ enum: ['hourly', 'daily'], nullable: true }) resolution: string | null;
  @ApiProperty({
    type: Boolean,
    nullable: true,
    description: 'false: no outdoor temperature; null: older result',
  })
  weatherNormalised: boolean | null;
  @ApiProperty({ enum: ['weather-normalised', 'not weather-normalised'], nullable: true }) label:
    string | null;
  @ApiProperty({ type: () => VerificationWeatherView, nullable: true })
  weather: VerificationWeatherView | null;
  @ApiProperty({ type: Number, nullable: true }) baselineCvRmse: number | null;
  @ApiProperty({ type: Number, nullable: true }) baselineNmbe: number | null;
  @ApiProperty({ type: Number, nullable: true }) counterfactualKwh: number | null;
  @ApiProperty({ type: Number, nullable: true }) actualKwh: number | null;
  @ApiProperty({ type: Number, nullable: true }) verifiedSavingKwh: number | null;
  @ApiProperty({ type: Number, nullable: true }) savingsFraction: number | null;
  @ApiProperty({ type: Number, nullable: true }) confidence: number | null;
  @ApiProperty({ type: Number, nullable: true }) fractionalSavingsUncertainty: number | null;
  @ApiProperty({ type: Number, nullable: true }) savingUncertaintyKwh: number | null;
  @ApiProperty({ type: Number, nullable: true }) fsuAt68: number | null;
  @ApiProperty({ type: Boolean, nullable: true }) meetsGuideline14: boolean | null;
  @ApiProperty({ type: () => G14ResultView, nullable: true }) guideline14: G14ResultView | null;
  @ApiProperty({ type: () => VerificationMethodView, nullable: true }) method: VerificationMethodView | null;
  @ApiProperty({ type: () => ExcludedPointsView, nullable: true }) excluded: ExcludedPointsView | null;
  // Read from the stored result's jsonb (no TypeScript type there): the events as stored, dates as ISO strings.
  @ApiProperty({ type: () => VerificationEventView, isArray: true }) nonRoutineEvents: unknown;
  @ApiProperty({ type: () => VerificationSeriesPointView, isArray: true })
  counterfactualSeries: VerificationSeriesPointView[];
  @ApiProperty({ type: () => ChartSeriesPointView, isArray: true }) series: ChartSeriesPointView[];
  @ApiProperty({ type: String, isArray: true }) warnings: string[];
  @ApiProperty(nullableDateTime) computedAt: Date | null;
}

/** GET …/recommendations/:id/verification (202): being computed. */
export class VerificationPendingView {
  @ApiProperty({ enum: ['pending'] }) status: 'pending';
  @ApiProperty() jobId: string;
}

export class SavingsTotalsView {
  @ApiProperty() count: number;
  @ApiProperty() annualSavingKwh: number;
  @ApiProperty() annualSavingKgCo2e: number;
  @ApiProperty(moneyByCurrency) annualSavingMoney: Record<string, number>;
}

/** What implementing every open suggestion would save, overlaps counted once. */
export class CombinedSavingsView {
  @ApiProperty() annualSavingKwh: number;
  @ApiProperty() annualSavingKgCo2e: number;
  @ApiProperty(moneyByCurrency) annualSavingMoney: Record<string, number>;
  @ApiProperty() overlapKwh: number;
}

export class EstimatedSavingsView extends SavingsTotalsView {
  @ApiProperty({ type: () => CombinedSavingsView }) combined: CombinedSavingsView;
}

export class VerifiedMeasureView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: SUGGESTION_TYPES, enumName: 'SuggestionType' }) type: string;
  @ApiProperty() title: string;
  @ApiProperty() estimatedAnnualSavingKwh: number;
  @ApiProperty() measuredSavingKwh: number;
  @ApiProperty(nullableDateTime) reportingFrom: string | null;
  @ApiProperty(nullableDateTime) reportingTo: string | null;
  @ApiProperty({ type: Number, nullable: true }) fractionalSavingsUncertainty: number | null;
  @ApiProperty({ type: Boolean, nullable: true }) meetsGuideline14: boolean | null;
}

export class VerifiedSavingsView {
  @ApiProperty() count: number;
  @ApiProperty() measuredSavingKwh: number;
  @ApiProperty() measuredSavingKgCo2e: number;
  @ApiProperty(moneyByCurrency) measuredSavingMoney: Record<string, number>;
  @ApiProperty() annualisedSavingKwh: number;
  // The service collects these as unknown[]; the document gives the shape it pushes.
  @ApiProperty({ type: () => VerifiedMeasureView, isArray: true }) byMeasure: unknown[];
}

/** GET …/savings-report. */
export class SavingsReportView {
  @ApiProperty({ type: () => EstimatedSavingsView, description: 'open suggestions (new, accepted)' })
  estimated: EstimatedSavingsView;
  @ApiProperty({
    type: () => SavingsTotalsView,
    description: 'implemented, verified, not achieved (estimates)',
  })
  implemented: SavingsTotalsView;
  @ApiProperty({ type: () => VerifiedSavingsView }) verified: VerifiedSavingsView;
  @ApiProperty({ type: () => SavingsTotalsView }) rejected: SavingsTotalsView;
}
