// Response schemas of the carbon operations (emission factors, activities, instruments, targets).
// Controllers declare these as their handlers' return types, so tsc checks every service value
// against the document. Decimal columns (numeric) are answered as exact decimal strings; computed
// figures as numbers. Timestamps are Date in the services and ISO strings on the wire.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { INSTRUMENT_TECHNOLOGIES, type InstrumentTechnology } from '../entities/carbon.entities';
import type { CalorificBasis } from '../factors/units';
import { ActivityEvidenceView } from '../evidence/activity-evidence.responses';
import { FlightDetailView, FuelSpendDetailView } from './activity-entry.responses';

/** Named enums, shared by several schemas so the document holds each once. */
export const GHG_SCOPES = [1, 2, 3];
export const SCOPE2_METHODS = ['location', 'market'];
export const INSTRUMENT_TYPES = ['REC', 'GO', 'REGO', 'I-REC', 'PPA', 'green_tariff', 'supplier_specific'];
const dateTime = { type: String, format: 'date-time' } as const;
const date = { type: String, format: 'date' } as const;

export class DatePeriodView {
  @ApiProperty({ ...date, description: 'first day' }) from: string;
  @ApiProperty({ ...date, description: 'day after the last (exclusive)' }) to: string;
}

/** A structured warning: `code` is stable, `message` is for people. */
export class CarbonWarningView {
  @ApiProperty({ example: 'FACTOR_YEAR_PROXY' }) code: string;
  @ApiProperty() message: string;
  @ApiPropertyOptional() lineId?: string;
  @ApiPropertyOptional() factorId?: string;
  @ApiPropertyOptional() instrumentId?: string;
  @ApiPropertyOptional() siteId?: string;
}

/** The factor as shown on an inventory line or activity. */
export class FactorRefView {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'kg CO2e per unit, exact decimal string' }) value: string;
  @ApiProperty() unit: string;
  @ApiProperty() source: string;
  @ApiProperty() edition: string;
  @ApiProperty() year: number;
  @ApiProperty() region: string;
}

/** A row of the shared emission-factor library (decimals are exact strings). */
export class LibraryEmissionFactor {
  @ApiProperty() id: string;
  @ApiProperty() source: string;
  @ApiProperty() edition: string;
  @ApiProperty() publishedYear: number;
  @ApiProperty() year: number;
  @ApiProperty() region: string;
  @ApiProperty() activity: string;
  @ApiProperty({ description: "'' for the activity's default" }) variant: string;
  @ApiProperty({ enum: GHG_SCOPES, enumName: 'GhgScope' }) scope: 1 | 2 | 3;
  @ApiProperty({ type: Number, nullable: true }) scope3Category: number | null;
  @ApiProperty() unit: string;
  @ApiProperty({ enum: ['gross', 'net', ''] }) basis: CalorificBasis | '';
  @ApiProperty() kgCo2ePerUnit: string;
  @ApiProperty({ type: String, nullable: true }) kgCo2PerUnit: string | null;
  @ApiProperty({ type: String, nullable: true }) kgCh4PerUnit: string | null;
  @ApiProperty({ type: String, nullable: true }) kgN2oPerUnit: string | null;
  @ApiProperty({ type: String, nullable: true }) kgCo2eCh4PerUnit: string | null;
  @ApiProperty({ type: String, nullable: true }) kgCo2eN2oPerUnit: string | null;
  @ApiProperty({ enum: ['AR4', 'AR5', 'AR6', ''] }) gwpSet: string;
  @ApiProperty({ enum: ['corporate_inventory', 'carbon_market', 'avoided_emissions', 'reference'] })
  purpose: string;
  @ApiProperty() verification: string;
  @ApiProperty() licence: string;
  @ApiProperty() url: string;
  @ApiProperty() sourceRef: string;
  @ApiProperty() label: string;
}

/** With activity, region and year: the factor the inventory would use (null when none fits). */
export class FactorSelectionView {
  @ApiProperty({ type: () => LibraryEmissionFactor, nullable: true }) factor: LibraryEmissionFactor | null;
  @ApiProperty({ type: () => CarbonWarningView, isArray: true }) warnings: CarbonWarningView[];
  @ApiProperty() isProxy: boolean;
}

/** GET /emission-factors: a page of the shared library. */
export class EmissionFactorSearchView {
  @ApiProperty() libraryVersion: string;
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
  @ApiProperty({ type: () => LibraryEmissionFactor, isArray: true }) factors: LibraryEmissionFactor[];
  @ApiPropertyOptional({ type: () => FactorSelectionView }) selected?: FactorSelectionView;
}

/** An organisation's own emission factor. */
export class TenantEmissionFactorView {
  @ApiProperty({ example: 'tenant:7c1e…' }) id: string;
  @ApiProperty() activity: string;
  @ApiProperty() variant: string;
  @ApiProperty() region: string;
  @ApiProperty() year: number;
  @ApiProperty() unit: string;
  @ApiProperty({ enum: ['gross', 'net'], nullable: true }) basis: CalorificBasis | null;
  @ApiProperty() kgCo2ePerUnit: string;
  @ApiProperty({ type: String, nullable: true }) kgCo2PerUnit: string | null;
  @ApiProperty({ enum: GHG_SCOPES, enumName: 'GhgScope' }) scope: 1 | 2 | 3;
  @ApiProperty({ type: Number, nullable: true }) scope3Category: number | null;
  @ApiProperty() source: string;
  @ApiProperty() edition: string;
  @ApiProperty({ enum: ['AR4', 'AR5', 'AR6'], nullable: true }) gwpSet: string | null;
  @ApiProperty() label: string;
  @ApiProperty() evidence: string;
}

/** An item of activity data (quantity and gwp are exact decimal strings). */
export class ActivityView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() activity: string;
  @ApiProperty({ type: String, nullable: true }) variant: string | null;
  @ApiProperty({ enum: GHG_SCOPES, enumName: 'GhgScope', nullable: true }) scope: number | null;
  @ApiProperty({ type: Number, nullable: true }) scope3Category: number | null;
  @ApiProperty() quantity: string;
  @ApiProperty() unit: string;
  @ApiProperty({ enum: ['gross', 'net'], nullable: true }) basis: CalorificBasis | null;
  @ApiProperty({ type: String, nullable: true }) gwp: string | null;
  @ApiProperty(date) periodFrom: string;
  @ApiProperty(date) periodTo: string;
  @ApiProperty({ minimum: 1, maximum: 5 }) dataQuality: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) siteId: string | null;
  @ApiProperty({ type: String, nullable: true }) region: string | null;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty(dateTime) createdAt: Date;
  @ApiProperty({ type: () => FlightDetailView, nullable: true, description: 'entered as a flight' })
  flight: FlightDetailView | null;
  @ApiProperty({ type: () => FuelSpendDetailView, nullable: true, description: 'entered as money' })
  fuelSpend: FuelSpendDetailView | null;
}

/** POST …/activities: the activity with the factor it will use (null: flagged) and warnings. */
export class RecordedActivityView extends ActivityView {
  @ApiProperty({ type: () => FactorRefView, nullable: true }) factor: FactorRefView | null;
  @ApiProperty({ type: Number, nullable: true, description: 'kg CO2e, rounded to 0.001 (null: flagged)' })
  kgCo2e: number | null;
  @ApiProperty({ type: () => CarbonWarningView, isArray: true }) warnings: CarbonWarningView[];
}

/**
 * POST …/activities/preview (nothing stored), and the factor and figure of a stored activity: the
 * factor the activity takes now and the kg CO2e of its whole quantity (null: no factor yet, flagged).
 */
export class ActivityPricingView {
  @ApiProperty({ enum: GHG_SCOPES, enumName: 'GhgScope', nullable: true }) scope: number | null;
  @ApiProperty({ type: Number, nullable: true }) scope3Category: number | null;
  @ApiProperty({ description: 'the quantity as stored (worked out for a flight or a fuel bought by money)' })
  quantity: string;
  @ApiProperty({ description: 'the unit as stored (canonical spelling)' }) unit: string;
  @ApiProperty({ description: 'the region the factor was selected for' }) region: string;
  @ApiProperty({ type: () => FlightDetailView, nullable: true }) flight: FlightDetailView | null;
  @ApiProperty({ type: () => FuelSpendDetailView, nullable: true }) fuelSpend: FuelSpendDetailView | null;
  @ApiProperty({ type: () => FactorRefView, nullable: true }) factor: FactorRefView | null;
  @ApiProperty({ type: Number, nullable: true, description: 'kg CO2e, rounded to 0.001' })
  kgCo2e: number | null;
  @ApiProperty({ type: () => CarbonWarningView, isArray: true }) warnings: CarbonWarningView[];
}

/** GET …/activities/priced: an activity with the factor it takes now, its kg CO2e and its evidence. */
export class PricedActivityView extends ActivityView {
  @ApiProperty({ type: () => FactorRefView, nullable: true }) factor: FactorRefView | null;
  @ApiProperty({ type: Number, nullable: true, description: 'kg CO2e, rounded to 0.001' })
  kgCo2e: number | null;
  @ApiProperty({ type: () => CarbonWarningView, isArray: true }) warnings: CarbonWarningView[];
  @ApiProperty({
    type: () => ActivityEvidenceView,
    isArray: true,
    description: 'invoices and receipts attached',
  })
  evidence: ActivityEvidenceView[];
}

/** A contractual instrument (volumeMwh and kgCo2ePerKwh are exact decimal strings). */
export class InstrumentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: INSTRUMENT_TYPES, enumName: 'InstrumentType' })
  type: 'REC' | 'GO' | 'REGO' | 'I-REC' | 'PPA' | 'green_tariff' | 'supplier_specific';
  @ApiProperty() scheme: string;
  @ApiProperty() volumeMwh: string;
  @ApiProperty() kgCo2ePerKwh: string;
  @ApiProperty({ enum: [...INSTRUMENT_TECHNOLOGIES], enumName: 'InstrumentTechnology', nullable: true })
  technology: InstrumentTechnology | null;
  @ApiProperty(date) vintageFrom: string;
  @ApiProperty(date) vintageTo: string;
  @ApiProperty() region: string;
  @ApiProperty({ type: String, isArray: true }) certificateIds: string[];
  @ApiProperty() retired: boolean;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) siteId: string | null;
  @ApiProperty({ type: String, nullable: true }) evidence: string | null;
  @ApiProperty(dateTime) createdAt: Date;
}

/** POST …/instruments: the instrument and warnings (e.g. INSTRUMENT_NOT_RETIRED). */
export class RecordedInstrumentView extends InstrumentView {
  @ApiProperty({ type: () => CarbonWarningView, isArray: true }) warnings: CarbonWarningView[];
}

export class SbtiAlignmentView {
  @ApiProperty() criteria: string;
  @ApiProperty() reason: string;
}

/** A reduction target (baseValue is an exact decimal string; percentages are numbers). */
export class TargetView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['absolute', 'intensity'], enumName: 'TargetKind' }) kind: 'absolute' | 'intensity';
  @ApiProperty({ enum: GHG_SCOPES, enumName: 'GhgScope', isArray: true }) scopes: number[];
  @ApiProperty({ enum: SCOPE2_METHODS, enumName: 'Scope2Method' }) scope2Method: 'location' | 'market';
  @ApiProperty() baseYear: number;
  @ApiProperty({ type: String, nullable: true, description: 'null: computed from the base-year inventory' })
  baseValue: string | null;
  @ApiProperty() targetYear: number;
  @ApiProperty() reductionPct: number;
  @ApiProperty() annualRatePct: number;
  @ApiProperty({ enum: ['floor_area_m2', 'employees', 'revenue'], nullable: true })
  intensityDenominator: 'floor_area_m2' | 'employees' | 'revenue' | null;
  @ApiProperty({ enum: ['linear'] }) pathway: string;
  @ApiProperty() sbti15cAligned: boolean;
  @ApiProperty({ type: () => SbtiAlignmentView }) sbti15c: SbtiAlignmentView;
  @ApiProperty(dateTime) createdAt: Date;
}

export class TrajectoryPointView {
  @ApiProperty() year: number;
  @ApiProperty() value: number;
}

/** GET …/targets/:id/progress: figures in the target's unit (kg CO2e, or kg CO2e per denominator). */
export class TargetProgressView {
  @ApiProperty({ type: () => TargetView }) target: TargetView;
  @ApiProperty() year: number;
  @ApiProperty({ type: () => DatePeriodView }) period: DatePeriodView;
  @ApiProperty({ example: 'kg CO2e' }) unit: string;
  @ApiProperty() baseValue: number;
  @ApiProperty() actual: number;
  @ApiProperty() expected: number;
  @ApiProperty() targetValue: number;
  @ApiProperty() gap: number;
  @ApiProperty() onTrack: boolean;
  @ApiProperty() reductionAchievedPct: number;
  @ApiProperty() reductionRequiredPct: number;
  @ApiProperty({ type: () => TrajectoryPointView, isArray: true }) trajectory: TrajectoryPointView[];
  @ApiProperty({ type: () => CarbonWarningView, isArray: true }) warnings: CarbonWarningView[];
  @ApiProperty({ type: String, isArray: true }) notes: string[];
}
