import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { CLAIM_STATUSES, CLAIM_TYPES, EVIDENCE_KINDS } from '../entities/certification.entities';

const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const DATE_MESSAGE = { message: '$property must be a date YYYY-MM-DD' };
const DECIMAL = /^\d{1,15}(\.\d{1,9})?$/;
const DECIMAL_MESSAGE = { message: '$property must be a non-negative decimal string such as "1250.5"' };

export class SavingsDto {
  @ApiProperty({ example: 'LED retrofit, warehouse' }) @IsString() @Length(1, 300) measure: string;
  @ApiProperty({ example: '12500', description: 'verified savings (kWh) from the M&V report' })
  @Matches(DECIMAL, DECIMAL_MESSAGE)
  savedKwh: string;
  @ApiPropertyOptional({
    example: '2588',
    description: 'kg CO2e avoided; default: kWh × the period’s location-based grid factor',
  })
  @IsOptional()
  @Matches(DECIMAL, DECIMAL_MESSAGE)
  savedKgCo2e?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(ISO_DATE, DATE_MESSAGE) reportingFrom?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(ISO_DATE, DATE_MESSAGE) reportingTo?: string;
  @ApiPropertyOptional({ example: 'IPMVP Option C, CalTRACK hourly' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  method?: string;
  @ApiPropertyOptional({ example: 'M&V report 2024-07' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  reference?: string;
}

export class OffsetDto {
  @ApiProperty({ example: 'Verra VCS' }) @IsString() @Length(1, 100) registry: string;
  @ApiProperty({ example: 'Kasigau Corridor REDD+' }) @IsString() @Length(1, 300) projectName: string;
  @ApiProperty({ type: [String], example: ['VCS-1234-2022-0001'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10000)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  serialNumbers: string[];
  @ApiProperty({ example: '12.5' }) @Matches(DECIMAL, DECIMAL_MESSAGE) tonnesCo2e: string;
  @ApiProperty({ example: '2025-03-31' }) @Matches(ISO_DATE, DATE_MESSAGE) retiredOn: string;
  @ApiPropertyOptional({ example: 2022 }) @IsOptional() @IsInt() @Min(1990) @Max(2100) vintage?: number;
}

/** Fields a claim's organisation may set (type-specific ones are checked against the type). */
export class ClaimFieldsDto {
  @ApiPropertyOptional({ description: 'The claim statement; default: generated from the figures' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  statement?: string;
  @ApiPropertyOptional({
    example: [1, 2],
    description: 'emission_reduction and carbon_neutral: Scopes 1+2, optionally 3',
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn([1, 2, 3], { each: true })
  scopes?: (1 | 2 | 3)[];
  @ApiPropertyOptional({ enum: ['absolute', 'intensity'] })
  @IsOptional()
  @IsIn(['absolute', 'intensity'])
  basis?: 'absolute' | 'intensity';
  @ApiPropertyOptional({ enum: ['floor_area_m2', 'employees', 'revenue'] })
  @IsOptional()
  @IsIn(['floor_area_m2', 'employees', 'revenue'])
  intensityDenominator?: 'floor_area_m2' | 'employees' | 'revenue';
  @ApiPropertyOptional({ enum: ['location', 'market'], default: 'market' })
  @IsOptional()
  @IsIn(['location', 'market'])
  scope2Method?: 'location' | 'market';
  @ApiPropertyOptional({ example: 2022, description: 'default: the organisation’s base year' })
  @IsOptional()
  @IsInt()
  @Min(1990)
  @Max(2100)
  baseYear?: number;
  @ApiPropertyOptional({
    type: [SavingsDto],
    description:
      'verified_savings fallback only: savings from external M&V reports, used when no measure verified in Halve (recommendation status verified, M&V report meeting ASHRAE Guideline 14) overlaps the period; otherwise the figures come from those M&V reports and these are ignored',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => SavingsDto)
  savings?: SavingsDto[];
  @ApiPropertyOptional({ type: [OffsetDto], description: 'carbon_neutral: retired offset credits' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => OffsetDto)
  offsets?: OffsetDto[];
}

export class CreateClaimDto extends ClaimFieldsDto {
  @ApiProperty({ enum: CLAIM_TYPES }) @IsIn(CLAIM_TYPES) type: (typeof CLAIM_TYPES)[number];
  @ApiProperty({ example: '2024-01-01' }) @Matches(ISO_DATE, DATE_MESSAGE) periodFrom: string;
  @ApiProperty({ example: '2025-01-01', description: 'exclusive' })
  @Matches(ISO_DATE, DATE_MESSAGE)
  periodTo: string;
  @ApiProperty() @IsUUID() certificationBodyId: string;
}

export class UpdateClaimDto extends ClaimFieldsDto {
  @ApiPropertyOptional({ example: '2024-01-01' })
  @IsOptional()
  @Matches(ISO_DATE, DATE_MESSAGE)
  periodFrom?: string;
  @ApiPropertyOptional({ example: '2025-01-01', description: 'exclusive' })
  @IsOptional()
  @Matches(ISO_DATE, DATE_MESSAGE)
  periodTo?: string;
  @ApiPropertyOptional({ description: 'only before the first submission' })
  @IsOptional()
  @IsUUID()
  certificationBodyId?: string;
}

export class OrgTransitionDto {
  @ApiProperty({ enum: ['submitted', 'withdrawn'] })
  @IsIn(CLAIM_STATUSES)
  to: (typeof CLAIM_STATUSES)[number];
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 2000) reason?: string;
}

export class FindingDto {
  @ApiProperty({ enum: ['major', 'minor', 'observation'] })
  @IsIn(['major', 'minor', 'observation'])
  severity: 'major' | 'minor' | 'observation';
  @ApiProperty({ example: 'The REGO certificate for April is missing.' })
  @IsString()
  @Length(1, 2000)
  text: string;
  @ApiPropertyOptional({ example: 'instrument_quality', description: 'the checklist item it concerns' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  item?: string;
}

export class CertifierTransitionDto {
  @ApiProperty({ enum: ['in_review', 'changes_requested', 'approved', 'rejected'] })
  @IsIn(CLAIM_STATUSES)
  to: (typeof CLAIM_STATUSES)[number];
  @ApiPropertyOptional({
    description: 'approved: the certified statement (default: the claim’s); rejected: why (required)',
  })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  statement?: string;
  @ApiPropertyOptional({ type: [FindingDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => FindingDto)
  findings?: FindingDto[];
  @ApiPropertyOptional({ enum: ['limited', 'reasonable'] })
  @IsOptional()
  @IsIn(['limited', 'reasonable'])
  assuranceLevel?: 'limited' | 'reasonable';
  @ApiPropertyOptional({
    description: 'checklist confirmations {item: true|false}; an item not given keeps its automatic result',
    example: { boundary_complete: true },
  })
  @IsOptional()
  @IsObject()
  checklist?: Record<string, boolean>;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 2000) reason?: string;
}

export class RevokeCertificateDto {
  @ApiProperty({ example: 'Evidence found to double-count certificates.' })
  @IsString()
  @Length(1, 2000)
  reason: string;
}

export class EvidenceFieldsDto {
  @ApiProperty({ enum: EVIDENCE_KINDS }) @IsIn(EVIDENCE_KINDS) kind: (typeof EVIDENCE_KINDS)[number];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) description?: string;
}

export class BodyClaimsQueryDto {
  @ApiPropertyOptional({ enum: CLAIM_STATUSES })
  @IsOptional()
  @IsIn(CLAIM_STATUSES)
  status?: (typeof CLAIM_STATUSES)[number];
}
