import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  ValidateIf,
  ValidateNested,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidationOptions,
  buildMessage,
} from 'class-validator';
import { Type } from 'class-transformer';
import { CABIN_CLASSES, HAULS, type CabinClass, type Haul } from '../data-input/flight';
import { INSTRUMENT_TECHNOLOGIES } from '../entities/carbon.entities';

const DECIMAL = /^\d+(\.\d+)?$/;

/** An exact non-negative decimal, as a JSON number or a decimal string ("1000", "0.20705"). */
export function IsNonNegativeDecimal(options?: ValidationOptions & { positive?: boolean }) {
  return ValidateBy(
    {
      name: 'isNonNegativeDecimal',
      validator: {
        validate: (value: unknown) => {
          const text =
            typeof value === 'number' && Number.isFinite(value)
              ? String(value)
              : typeof value === 'string'
                ? value.trim()
                : null;
          if (text === null || !DECIMAL.test(text)) return false;
          return options?.positive ? Number(text) > 0 : true;
        },
        defaultMessage: buildMessage(
          (each) =>
            `${each}$property must be a ${options?.positive ? 'positive' : 'non-negative'} decimal number (a JSON number or a string like "1000.5"); got $value`,
          options,
        ),
      },
    },
    options,
  );
}

const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const DATE_MESSAGE = { message: '$property must be a date YYYY-MM-DD' };

export const INSTRUMENT_TYPES = [
  'REC',
  'GO',
  'REGO',
  'I-REC',
  'PPA',
  'green_tariff',
  'supplier_specific',
] as const;
export const INTENSITY_DENOMINATORS = ['floor_area_m2', 'employees', 'revenue'] as const;

export class FactorSearchQuery {
  @ApiPropertyOptional({ example: 'electricity_grid' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  activity?: string;
  @ApiPropertyOptional({ example: 'GB' }) @IsOptional() @IsString() @MaxLength(40) region?: string;
  @ApiPropertyOptional({ example: '2024' })
  @IsOptional()
  @Matches(/^\d{4}$/, { message: 'year must be a 4-digit year' })
  year?: string;
  @ApiPropertyOptional({ example: 'kWh' }) @IsOptional() @IsString() @MaxLength(40) unit?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) variant?: string;
  @ApiPropertyOptional({ example: '100' }) @IsOptional() @Matches(/^\d{1,4}$/) limit?: string;
  @ApiPropertyOptional({ example: '0' }) @IsOptional() @Matches(/^\d{1,6}$/) offset?: string;
}

export class CreateTenantFactorDto {
  @ApiProperty({
    example: 'electricity_grid',
    description: 'Activity vocabulary of the library (libs/carbon/data/SOURCE.md)',
  })
  @IsString()
  @Length(1, 100)
  activity: string;
  @ApiPropertyOptional({ example: '' }) @IsOptional() @IsString() @MaxLength(100) variant?: string;
  @ApiProperty({ example: 'GB' }) @IsString() @Length(1, 40) region: string;
  @ApiProperty({ example: 2024 }) @IsInt() @Min(1990) @Max(2100) year: number;
  @ApiProperty({ example: 'kWh' }) @IsString() @Length(1, 40) unit: string;
  @ApiPropertyOptional({ enum: ['gross', 'net'] }) @IsOptional() @IsIn(['gross', 'net']) basis?:
    'gross' | 'net';
  @ApiProperty({ example: '0.12' }) @IsNonNegativeDecimal() kgCo2ePerUnit: string | number;
  @ApiPropertyOptional() @IsOptional() @IsNonNegativeDecimal() kgCo2PerUnit?: string | number;
  @ApiProperty({ enum: [1, 2, 3] }) @IsIn([1, 2, 3]) scope: 1 | 2 | 3;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(15) scope3Category?: number;
  @ApiProperty({ example: 'Acme Energy supplier disclosure 2024' })
  @IsString()
  @Length(1, 300)
  source: string;
  @ApiPropertyOptional({ example: '2024' }) @IsOptional() @IsString() @MaxLength(100) edition?: string;
  @ApiProperty({ example: 'Fuel-mix disclosure PDF, document 2024-117' })
  @IsString()
  @Length(1, 2000)
  evidence: string;
  @ApiPropertyOptional({ enum: ['AR4', 'AR5', 'AR6'] })
  @IsOptional()
  @IsIn(['AR4', 'AR5', 'AR6'])
  gwpSet?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(300) label?: string;
}

/** A flight by airports (or great-circle distance), class, trips and passengers: priced as DESNZ does. */
export class FlightInputDto {
  @ApiPropertyOptional({ example: 'LHR', description: 'IATA code of a listed airport (GET …/airports)' })
  @IsOptional()
  @IsString()
  @Length(3, 3)
  from?: string;
  @ApiPropertyOptional({ example: 'JFK' }) @IsOptional() @IsString() @Length(3, 3) to?: string;
  @ApiPropertyOptional({
    type: String,
    example: '5540',
    description: 'Great-circle distance one way, km, instead of the airports (the 8 % uplift is added)',
  })
  @IsOptional()
  @IsNonNegativeDecimal({ positive: true })
  distanceKm?: string | number;
  @ApiPropertyOptional({
    enum: HAULS,
    description: 'With a distance only: default short haul up to 3,700 km, long haul beyond',
  })
  @IsOptional()
  @IsIn(HAULS)
  haul?: Haul;
  @ApiProperty({ enum: CABIN_CLASSES }) @IsIn(CABIN_CLASSES) cabinClass: CabinClass;
  @ApiProperty({ description: 'There and back (two legs)' }) @IsBoolean() returnTrip: boolean;
  @ApiProperty({ minimum: 1, maximum: 1000 }) @IsInt() @Min(1) @Max(1000) passengers: number;
  @ApiPropertyOptional({ description: 'With radiative forcing (default true, as DESNZ recommends)' })
  @IsOptional()
  @IsBoolean()
  radiativeForcing?: boolean;
}

/** A fuel entered by what it cost: the litres are amount ÷ price per litre. */
export class FuelSpendInputDto {
  @ApiProperty({ type: String, example: '76.50' }) @IsNonNegativeDecimal({ positive: true }) amount:
    string | number;
  @ApiProperty({ example: 'GBP' })
  @Matches(/^[A-Za-z]{3}$/, { message: 'currency must be a 3-letter ISO 4217 code' })
  currency: string;
  @ApiPropertyOptional({
    type: String,
    example: '1.53',
    description: 'Price per litre in the currency (the receipt’s); without it a stated, unverified default',
  })
  @IsOptional()
  @IsNonNegativeDecimal({ positive: true })
  pricePerLitre?: string | number;
  @ApiPropertyOptional({ example: 'Receipt 1234, Shell Leeds' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  priceSource?: string;
}

export class CreateActivityDto {
  @ApiProperty({
    example: 'natural_gas',
    description: "'electricity' (bills without a meter) or an activity of the factor vocabulary",
  })
  @IsString()
  @Length(1, 100)
  activity: string;
  @ApiPropertyOptional({ example: 'hfc_134a' }) @IsOptional() @IsString() @MaxLength(100) variant?: string;
  @ApiPropertyOptional({ enum: [1, 2, 3] }) @IsOptional() @IsIn([1, 2, 3]) scope?: 1 | 2 | 3;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(15) scope3Category?: number;
  @ApiProperty({
    type: String,
    required: false,
    example: '1000',
    description: 'exact decimal: a decimal string or a JSON number (worked out with flight or fuelSpend)',
  })
  @ValidateIf((o: CreateActivityDto) => !o.flight && !o.fuelSpend)
  @IsNonNegativeDecimal()
  quantity: string | number;
  @ApiProperty({
    example: 'kWh',
    required: false,
    description: 'litre with fuelSpend, passenger.km with flight',
  })
  @ValidateIf((o: CreateActivityDto) => !o.flight && !o.fuelSpend)
  @IsString()
  @Length(1, 40)
  unit: string;
  @ApiPropertyOptional({
    type: () => FlightInputDto,
    description:
      'A flight by airports or distance: sets variant, quantity (passenger.km, DESNZ great circle + 8 %) and unit',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => FlightInputDto)
  flight?: FlightInputDto;
  @ApiPropertyOptional({
    type: () => FuelSpendInputDto,
    description: 'A fuel bought by money: sets quantity (litres = amount ÷ price per litre) and unit',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => FuelSpendInputDto)
  fuelSpend?: FuelSpendInputDto;
  @ApiPropertyOptional({ enum: ['gross', 'net'] }) @IsOptional() @IsIn(['gross', 'net']) basis?:
    'gross' | 'net';
  @ApiPropertyOptional({
    type: String,
    description:
      'Refrigerants: GWP of the gas, instead of the library factor (decimal string or JSON number)',
  })
  @IsOptional()
  @IsNonNegativeDecimal()
  gwp?: string | number;
  @ApiProperty({ example: '2024-01-01' }) @Matches(ISO_DATE, DATE_MESSAGE) periodFrom: string;
  @ApiProperty({ example: '2024-02-01', description: 'exclusive' })
  @Matches(ISO_DATE, DATE_MESSAGE)
  periodTo: string;
  @ApiProperty({ minimum: 1, maximum: 5, description: '1 best (metered/invoiced) .. 5 worst (estimated)' })
  @IsInt()
  @Min(1)
  @Max(5)
  dataQuality: number;
  @ApiPropertyOptional() @IsOptional() @IsUUID() siteId?: string;
  @ApiPropertyOptional({
    example: 'GB',
    description: "Factor region; defaults to the site's, else the organisation's grid region",
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  region?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) description?: string;
}

/**
 * PATCH …/activities/{id}: the fields to change (the others stay); null clears an optional field.
 * The factor is selected again, as on create.
 */
export class UpdateActivityDto extends PartialType(CreateActivityDto) {}

export class CreateInstrumentDto {
  @ApiProperty({ enum: INSTRUMENT_TYPES }) @IsIn(INSTRUMENT_TYPES) type: (typeof INSTRUMENT_TYPES)[number];
  @ApiPropertyOptional({ example: 'REGO', description: 'Tracking scheme of the serials (default: the type)' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  scheme?: string;
  @ApiProperty({ example: '30' }) @IsNonNegativeDecimal({ positive: true }) volumeMwh: string | number;
  @ApiPropertyOptional({
    example: '0',
    description: 'Emission rate of the attributes claimed (0 for renewables)',
  })
  @IsOptional()
  @IsNonNegativeDecimal()
  kgCo2ePerKwh?: string | number;
  @ApiPropertyOptional({
    enum: INSTRUMENT_TECHNOLOGIES,
    example: 'wind',
    description:
      'Generation technology of the attributes; a renewable-share claim counts only solar, wind, hydro, geothermal, biomass, biogas and ocean (not stated: not counted)',
  })
  @IsOptional()
  @IsIn(INSTRUMENT_TECHNOLOGIES)
  technology?: (typeof INSTRUMENT_TECHNOLOGIES)[number];
  @ApiProperty({ example: '2024-01-01' }) @Matches(ISO_DATE, DATE_MESSAGE) vintageFrom: string;
  @ApiProperty({ example: '2025-01-01', description: 'exclusive' })
  @Matches(ISO_DATE, DATE_MESSAGE)
  vintageTo: string;
  @ApiProperty({ example: 'GB' }) @IsString() @Length(1, 40) region: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10000)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  certificateIds?: string[];
  @ApiProperty() @IsBoolean() retired: boolean;
  @ApiPropertyOptional() @IsOptional() @IsUUID() siteId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) evidence?: string;
}

export class CreateTargetDto {
  @ApiProperty({ example: 'SBTi 1.5 °C near-term, Scopes 1+2' }) @IsString() @Length(1, 200) name: string;
  @ApiPropertyOptional({ enum: ['absolute', 'intensity'], default: 'absolute' })
  @IsOptional()
  @IsIn(['absolute', 'intensity'])
  kind?: 'absolute' | 'intensity';
  @ApiPropertyOptional({
    type: Number,
    isArray: true,
    example: [1, 2],
    default: [1, 2],
    description: 'GHG scopes (1, 2, 3), each once',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn([1, 2, 3], { each: true })
  scopes?: number[];
  @ApiPropertyOptional({ enum: ['location', 'market'], default: 'market' })
  @IsOptional()
  @IsIn(['location', 'market'])
  scope2Method?: 'location' | 'market';
  @ApiProperty({ example: 2020 }) @IsInt() @Min(1990) @Max(2100) baseYear: number;
  @ApiProperty({ example: 2030 }) @IsInt() @Min(1991) @Max(2100) targetYear: number;
  @ApiPropertyOptional({
    type: String,
    example: '42',
    description:
      'Reduction by the target year, % of the base value (default 4.2 %/yr × years); exact decimal: a decimal string or a JSON number',
  })
  @IsOptional()
  @IsNonNegativeDecimal({ positive: true })
  reductionPct?: string | number;
  @ApiPropertyOptional({
    type: String,
    description:
      'Base-year value (kg CO2e, or kg CO2e per unit for intensity); default: the base-year inventory; exact decimal: a decimal string or a JSON number',
  })
  @IsOptional()
  @IsNonNegativeDecimal()
  baseValue?: string | number;
  @ApiPropertyOptional({ enum: INTENSITY_DENOMINATORS })
  @IsOptional()
  @IsIn(INTENSITY_DENOMINATORS)
  intensityDenominator?: (typeof INTENSITY_DENOMINATORS)[number];
}

export class PeriodQuery {
  @ApiProperty({ example: '2024-01-01' }) @Matches(ISO_DATE, DATE_MESSAGE) from: string;
  @ApiProperty({ example: '2025-01-01', description: 'exclusive' })
  @Matches(ISO_DATE, DATE_MESSAGE)
  to: string;
}

export class OptionalPeriodQuery {
  @ApiPropertyOptional({ example: '2024-01-01' })
  @IsOptional()
  @Matches(ISO_DATE, DATE_MESSAGE)
  from?: string;
  @ApiPropertyOptional({ example: '2025-01-01' }) @IsOptional() @Matches(ISO_DATE, DATE_MESSAGE) to?: string;
}

export class HourlyQuery extends PeriodQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() siteId?: string;
  @ApiPropertyOptional({ enum: ['true', 'false'] }) @IsOptional() @IsIn(['true', 'false']) includeHours?:
    'true' | 'false';
}

export class ProgressQuery {
  @ApiPropertyOptional({ example: '2024' })
  @IsOptional()
  @Matches(/^\d{4}$/, { message: 'year must be a 4-digit year' })
  year?: string;
}

export class RecalculationDto {
  @ApiProperty({ example: '2024-01-01' }) @Matches(ISO_DATE, DATE_MESSAGE) from: string;
  @ApiProperty({ example: '2025-01-01' }) @Matches(ISO_DATE, DATE_MESSAGE) to: string;
  @ApiPropertyOptional({ example: 'DESNZ 2024 v1.1 correction' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
  @ApiPropertyOptional({
    enum: ['structural', 'methodology', 'factor_correction', 'error', 'organic'],
    description: 'For the base-year recalculation test',
  })
  @IsOptional()
  @IsIn(['structural', 'methodology', 'factor_correction', 'error', 'organic'])
  changeKind?: 'structural' | 'methodology' | 'factor_correction' | 'error' | 'organic';
}
