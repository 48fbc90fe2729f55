import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
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
import { OFFSET_REGISTRIES, PROJECT_TYPES } from '../iso14068-offsets';

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

const REGISTRY_IDS = Object.keys(OFFSET_REGISTRIES);

/**
 * One batch of retired credits (ISO 14068-1). Every field is needed before submission; a draft may be
 * incomplete (the claim's `missing` names each absent field with its rule id). Formats are checked here.
 */
export class OffsetDto {
  @ApiPropertyOptional({ enum: REGISTRY_IDS, example: 'verra' })
  @IsOptional()
  @IsIn(REGISTRY_IDS)
  registry?: keyof typeof OFFSET_REGISTRIES;
  @ApiPropertyOptional({ example: 'VCS 612' }) @IsOptional() @IsString() @Length(1, 100) projectId?: string;
  @ApiPropertyOptional({ example: 'Kasigau Corridor REDD+' })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  projectName?: string;
  @ApiPropertyOptional({ enum: PROJECT_TYPES })
  @IsOptional()
  @IsIn(PROJECT_TYPES)
  projectType?: (typeof PROJECT_TYPES)[number];
  @ApiPropertyOptional({ enum: ['removal', 'avoidance'] })
  @IsOptional()
  @IsIn(['removal', 'avoidance'])
  creditType?: 'removal' | 'avoidance';
  @ApiPropertyOptional({ example: 'VCS v4.5, VM0042', description: 'programme and methodology of issuance' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  standard?: string;
  @ApiPropertyOptional({ example: 2023 }) @IsOptional() @IsInt() @Min(1990) @Max(2100) vintage?: number;
  @ApiPropertyOptional({ example: 'VCU-612-KE-2023-000101', description: 'first credit serial of the block' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  serialFrom?: string;
  @ApiPropertyOptional({
    example: 'VCU-612-KE-2023-000150',
    description: 'last credit serial: the same text as serialFrom up to a trailing number',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  serialTo?: string;
  @ApiPropertyOptional({ example: '50', description: 'one credit = 1 t: the number of serials in the range' })
  @IsOptional()
  @Matches(DECIMAL, DECIMAL_MESSAGE)
  tonnesCo2e?: string;
  @ApiPropertyOptional({ example: '2025-03-31' })
  @IsOptional()
  @Matches(ISO_DATE, DATE_MESSAGE)
  retiredOn?: string;
  @ApiPropertyOptional({
    example: 'Acme Ltd',
    description: 'retired on behalf of: must name the organisation',
  })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  beneficiary?: string;
}

export class PlanTargetDto {
  @ApiProperty({ example: 2030 }) @IsInt() @Min(1990) @Max(2100) targetYear: number;
  @ApiProperty({ example: '50', description: '% below the base year (the claim’s scopes)' })
  @Matches(DECIMAL, DECIMAL_MESSAGE)
  reductionPct: string;
}

export class PlanMeasureDto {
  @ApiProperty({ example: 'Heat pumps replace the gas boilers' })
  @IsString()
  @Length(1, 500)
  description: string;
  @ApiPropertyOptional({ example: '2024-03-01' })
  @IsOptional()
  @Matches(ISO_DATE, DATE_MESSAGE)
  startOn?: string;
  @ApiProperty({ example: '2024-09-30' }) @Matches(ISO_DATE, DATE_MESSAGE) completeBy: string;
  @ApiPropertyOptional({ example: '12000' })
  @IsOptional()
  @Matches(DECIMAL, DECIMAL_MESSAGE)
  expectedReductionKgCo2e?: string;
}

export class ManagementPlanDto {
  @ApiPropertyOptional({ example: '2024-01-15' })
  @IsOptional()
  @Matches(ISO_DATE, DATE_MESSAGE)
  adoptedOn?: string;
  @ApiPropertyOptional({ example: 'CNMP v2 (board minute 2024-07)' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  reference?: string;
  @ApiPropertyOptional({ type: [PlanTargetDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => PlanTargetDto)
  targets?: PlanTargetDto[];
  @ApiPropertyOptional({ type: [PlanMeasureDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => PlanMeasureDto)
  measures?: PlanMeasureDto[];
}

export class Scope3ScreeningDto {
  @ApiProperty({ example: 6, minimum: 1, maximum: 15 }) @IsInt() @Min(1) @Max(15) category: number;
  @ApiProperty({ example: '0', description: 'screening estimate, kg CO2e ("0" when not relevant)' })
  @Matches(DECIMAL, DECIMAL_MESSAGE)
  kgCo2e: string;
  @ApiProperty({ example: 'no sold products: not relevant' }) @IsString() @Length(1, 500) basis: string;
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
  @ApiPropertyOptional({
    type: [OffsetDto],
    description: 'carbon_neutral: retired offset credits (ISO 14068-1)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => OffsetDto)
  offsets?: OffsetDto[];
  @ApiPropertyOptional({
    type: ManagementPlanDto,
    description: 'carbon_neutral: the carbon-neutrality management plan',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => ManagementPlanDto)
  managementPlan?: ManagementPlanDto;
  @ApiPropertyOptional({
    type: [Scope3ScreeningDto],
    description:
      'carbon_neutral: screening estimates of the Scope 3 categories the inventory does not quantify (all 15 must be quantified or screened)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(15)
  @ValidateNested({ each: true })
  @Type(() => Scope3ScreeningDto)
  scope3Screening?: Scope3ScreeningDto[];
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
    example: '2027-12-31',
    description:
      "approved: the certificate's last valid day (default: a year after the period's last day); not before the day of issue",
  })
  @IsOptional()
  @Matches(ISO_DATE, DATE_MESSAGE)
  validUntil?: string;
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
