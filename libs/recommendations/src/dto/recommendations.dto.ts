import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { RECOMMENDATION_STATUSES, type RecommendationStatus } from '../entities/recommendation.entities';

export const DECISION_TARGETS = ['accepted', 'rejected', 'implemented', 'verified', 'not_achieved'] as const;
export type DecisionTarget = (typeof DECISION_TARGETS)[number];
export const SORT_KEYS = ['money', 'kwh', 'co2'] as const;

const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export class RecommendationListQuery {
  @ApiPropertyOptional({ enum: RECOMMENDATION_STATUSES })
  @IsOptional()
  @IsIn(RECOMMENDATION_STATUSES)
  status?: RecommendationStatus;
  @ApiPropertyOptional() @IsOptional() @IsUUID() siteId?: string;
  @ApiPropertyOptional({ enum: SORT_KEYS, description: 'saving to sort by, largest first; default money' })
  @IsOptional()
  @IsIn(SORT_KEYS)
  sort?: (typeof SORT_KEYS)[number];
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'also list open suggestions the latest analysis no longer produced (stale); default false',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  includeStale?: 'true' | 'false';
}

export class TransitionDto {
  @ApiProperty({ enum: DECISION_TARGETS }) @IsIn(DECISION_TARGETS) to: DecisionTarget;
  @ApiPropertyOptional({ description: 'required when rejecting' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
  @ApiPropertyOptional({
    description: 'local date the measure was implemented (required with to=implemented)',
    example: '2024-03-01',
  })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'implementedOn must be a date YYYY-MM-DD' })
  implementedOn?: string;
  @ApiPropertyOptional({ description: 'actual cost of the measure, in the suggestion currency' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  costMoney?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) notes?: string;
}

export class CommentDto {
  @ApiProperty() @IsString() @Length(1, 4000) body: string;
}

export class AssigneeDto {
  @ApiProperty({ nullable: true, description: 'a member of the organisation, or null to unassign' })
  @ValidateIf((_, v) => v !== null)
  @IsUUID()
  userId: string | null;
}

export class NonRoutineEventDto {
  @ApiProperty({
    description: 'ISO date-time (or date: midnight in the site zone), inclusive',
    example: '2024-02-01',
  })
  @IsISO8601()
  from: string;
  @ApiProperty({ description: 'exclusive', example: '2024-02-15' }) @IsISO8601() to: string;
  @ApiProperty() @IsString() @Length(1, 2000) description: string;
}

/**
 * Building types the analysers know (baseload night/day ratios in analysers/baseload.ts, peer
 * benchmarks in analysers/peer-benchmarks.ts); a type either table lacks uses its 'default' row.
 */
export const BUILDING_TYPES = [
  'office',
  'school',
  'university',
  'dormitory',
  'retail',
  'laboratory',
  'healthcare',
  'lodging',
  'public_services',
  'entertainment',
  'warehouse',
  'other',
] as const;

export class SiteAnalysisSettingsDto {
  @ApiPropertyOptional({
    enum: BUILDING_TYPES,
    nullable: true,
    description: 'chooses the baseload night/day ratio and the peer benchmarks; null clears it',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsIn(BUILDING_TYPES, { message: `buildingType must be one of: ${BUILDING_TYPES.join(', ')}` })
  buildingType?: (typeof BUILDING_TYPES)[number] | null;
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'usable roof for PV, m² (limits the PV size); null clears it',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsNumber({}, { message: 'roofAreaM2 must be a number of m²' })
  @Min(1, { message: 'roofAreaM2 must be at least 1 m²' })
  roofAreaM2?: number | null;
}
