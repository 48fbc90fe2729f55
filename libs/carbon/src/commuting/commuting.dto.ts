import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { IsNonNegativeDecimal } from '../dto/carbon.dto';
import { COMMUTE_MODE_KEYS, type CommuteMode } from './commuting';

export class CreateCommutingSurveyDto {
  @ApiProperty({ example: 2024 }) @IsInt() @Min(1990) @Max(2100) year: number;
  @ApiProperty({ example: 'Commuting 2024' }) @IsString() @Length(1, 200) title: string;
  @ApiProperty({ description: 'Employees the answers are extrapolated to' })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  employees: number;
}

export class UpdateCommutingSurveyDto {
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(1_000_000) employees?: number;
  @ApiPropertyOptional({ description: 'A closed survey takes no more answers' })
  @IsOptional()
  @IsBoolean()
  closed?: boolean;
}

/** One employee's answer (no login, no name). */
export class CommutingAnswerDto {
  @ApiProperty({ enum: COMMUTE_MODE_KEYS, enumName: 'CommuteMode' })
  @IsIn(COMMUTE_MODE_KEYS)
  mode: CommuteMode;
  @ApiProperty({ type: String, example: '12.5', description: 'km one way' })
  @IsNonNegativeDecimal()
  distanceKm: string | number;
  @ApiProperty({ type: String, example: '3', description: 'days a week in the office, 0–7' })
  @IsNonNegativeDecimal()
  daysPerWeek: string | number;
  @ApiProperty({ type: String, example: '46', description: 'weeks a year, 0–52' })
  @IsNonNegativeDecimal()
  weeksPerYear: string | number;
}
