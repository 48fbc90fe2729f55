import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  Validate,
  ValidateNested,
} from 'class-validator';
import { IsIanaZone } from '@halve/platform';
import { WEATHER_TIMESTAMPS, WeatherTimestamps } from '../weather';

export const METER_KINDS = [
  'electricity_import',
  'electricity_export',
  'pv_generation',
  'wind_generation',
  'natural_gas',
  'fuel_oil',
  'district_heat',
  'water',
] as const;
export const INTERVALS = [5, 15, 30, 60, 1440] as const;

export class TariffBandDto {
  @ApiProperty({ example: [1, 2, 3, 4, 5], description: 'ISO weekdays, 1 = Monday' })
  @IsArray()
  @ArrayMinSize(1)
  @IsIn([1, 2, 3, 4, 5, 6, 7], { each: true })
  days: number[];
  @ApiProperty() @IsInt() @Min(0) @Max(23) fromHour: number;
  @ApiProperty({ description: 'exclusive; may be ≤ fromHour to wrap past midnight' })
  @IsInt()
  @Min(1)
  @Max(24)
  toHour: number;
  @ApiProperty() @IsNumber() @Min(0) pricePerKwh: number;
}

export class TariffDto {
  @ApiProperty({ enum: ['flat', 'time_of_use'] }) @IsIn(['flat', 'time_of_use']) type: 'flat' | 'time_of_use';
  @ApiProperty({ example: 'GBP' }) @IsString() @Length(3, 3) currency: string;
  @ApiPropertyOptional() @IsOptional() @IsNumber() @Min(0) pricePerKwh?: number;
  @ApiPropertyOptional({ type: [TariffBandDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(48)
  @ValidateNested({ each: true })
  @Type(() => TariffBandDto)
  bands?: TariffBandDto[];
  @ApiPropertyOptional() @IsOptional() @IsNumber() @Min(0) demandChargePerKw?: number;
}

/** A site's `weatherTimestamps` (create and update): documented and checked in one place. */
const WeatherTimestampsProperty = () =>
  applyDecorators(
    ApiPropertyOptional({
      enum: WEATHER_TIMESTAMPS,
      description:
        'what the timestamps of the site’s weather rows mean: start (default: the mean of the period starting at it, hour-beginning), end (of the period ending at it, hour-ending: Open-Meteo and TMY3 irradiance) or instant (a sample at that moment: NSRDB PSM3); PV and wind forecasts, M&V and site analysis read the rows accordingly',
    }),
    IsOptional(),
    IsIn(WEATHER_TIMESTAMPS),
  );

export class CreateSiteDto {
  @ApiProperty() @IsString() @Length(1, 200) name: string;
  @ApiProperty({ example: 'GB' }) @IsISO31661Alpha2() country: string;
  @ApiProperty({ example: 'Europe/London' }) @Validate(IsIanaZone) timezone: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) address?: string;
  @ApiPropertyOptional() @IsOptional() @IsNumber() @Min(-90) @Max(90) latitude?: number;
  @ApiPropertyOptional() @IsOptional() @IsNumber() @Min(-180) @Max(180) longitude?: number;
  @ApiPropertyOptional({
    description: 'emission-factor region: GB, an eGRID subregion such as CAMX, CN-East…',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  gridRegion?: string;
  @ApiPropertyOptional() @IsOptional() @IsNumber() @Min(1) floorAreaM2?: number;
  @ApiPropertyOptional({ type: TariffDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => TariffDto)
  tariff?: TariffDto;
  @WeatherTimestampsProperty() weatherTimestamps?: WeatherTimestamps;
}

export class UpdateSiteDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) address?: string;
  @ApiPropertyOptional() @IsOptional() @IsNumber() @Min(-90) @Max(90) latitude?: number;
  @ApiPropertyOptional() @IsOptional() @IsNumber() @Min(-180) @Max(180) longitude?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) gridRegion?: string;
  @ApiPropertyOptional() @IsOptional() @IsNumber() @Min(1) floorAreaM2?: number;
  @ApiPropertyOptional({ type: TariffDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => TariffDto)
  tariff?: TariffDto;
  @WeatherTimestampsProperty() weatherTimestamps?: WeatherTimestamps;
}

export class CreateMeterDto {
  @ApiProperty() @IsUUID() siteId: string;
  @ApiProperty() @IsString() @Length(1, 200) name: string;
  @ApiProperty({ enum: METER_KINDS }) @IsIn(METER_KINDS) kind: (typeof METER_KINDS)[number];
  @ApiProperty({ example: 'kWh' }) @IsString() @Length(1, 20) unit: string;
  @ApiProperty({ enum: [...INTERVALS, null], nullable: true, description: 'null for bill-period meters' })
  @IsOptional()
  @IsIn(INTERVALS)
  intervalMinutes: number | null;
  @ApiPropertyOptional({ enum: ['interval', 'cumulative'] })
  @IsOptional()
  @IsIn(['interval', 'cumulative'])
  register?: 'interval' | 'cumulative';
  @ApiPropertyOptional({ description: 'DC peak kWp for PV, rated kW for wind' })
  @IsOptional()
  @IsNumber()
  @Min(0.001)
  capacityKw?: number;
  @ApiPropertyOptional() @IsOptional() @IsNumber() @Min(0) @Max(90) tiltDeg?: number;
  @ApiPropertyOptional({ description: '180 = south' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(360)
  azimuthDeg?: number;
  @ApiPropertyOptional({ description: 'stated gross calorific value for gas volume → kWh' })
  @IsOptional()
  @IsNumber()
  @Min(0.1)
  gasCalorificValueKwhPerM3?: number;
  @ApiPropertyOptional({ description: 'the column holding this meter in wide files' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  sourceColumn?: string;
}

export class UpdateMeterDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsNumber() @Min(0.001) capacityKw?: number;
  @ApiPropertyOptional() @IsOptional() @IsNumber() @Min(0) @Max(90) tiltDeg?: number;
  @ApiPropertyOptional() @IsOptional() @IsNumber() @Min(0) @Max(360) azimuthDeg?: number;
  @ApiPropertyOptional() @IsOptional() @IsNumber() @Min(0.1) gasCalorificValueKwhPerM3?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) sourceColumn?: string;
}

export class PushReadingDto {
  @ApiProperty({ example: '2024-03-01T00:15:00Z', description: 'ISO 8601 with an offset or Z' })
  @IsString()
  @MaxLength(40)
  ts: string;
  @ApiProperty({ nullable: true }) @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) value:
    number | null;
  @ApiPropertyOptional({ description: 'for bill-period meters' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  periodEnd?: string;
  @ApiPropertyOptional({ enum: ['measured', 'estimated', 'filled'] })
  @IsOptional()
  @IsIn(['measured', 'estimated', 'filled'])
  quality?: 'measured' | 'estimated' | 'filled';
}

export class PushReadingsDto {
  @ApiProperty({ type: [PushReadingDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50_000)
  @ValidateNested({ each: true })
  @Type(() => PushReadingDto)
  readings: PushReadingDto[];
  @ApiPropertyOptional({ description: 'unit of the pushed values when not the meter unit' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  unit?: string;
}
