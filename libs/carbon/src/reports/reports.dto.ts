import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';

const YEAR = /^\d{4}$/;
const YEAR_MESSAGE = { message: '$property must be a 4-digit year' };
const AMOUNT = /^\d+(\.\d+)?$/;
const AMOUNT_MESSAGE = { message: '$property must be a non-negative decimal number' };

/** B1 figures Halve does not hold: given on the request, else taken from the organisation, else "not provided". */
export class VsmeDataQuery {
  @ApiProperty({
    example: '2024',
    description: 'reporting year (fiscal from the organisation’s start month)',
  })
  @Matches(YEAR, YEAR_MESSAGE)
  year: string;
  @ApiPropertyOptional({ example: 'Private limited company (Ltd)' })
  @IsOptional()
  @IsString()
  @Length(1, 120)
  legalForm?: string;
  @ApiPropertyOptional({ example: 'C25.62', description: 'NACE Rev. 2 code' })
  @IsOptional()
  @Matches(/^[A-Ua-u]?\s?\d{2}(\.\d{1,2}){0,2}$/, {
    message: 'naceCode must be a NACE Rev. 2 code such as C25.62',
  })
  naceCode?: string;
  @ApiPropertyOptional({ example: '1800000', description: 'balance-sheet total, organisation currency' })
  @IsOptional()
  @Matches(AMOUNT, AMOUNT_MESSAGE)
  balanceSheet?: string;
  @ApiPropertyOptional({
    example: '4200000',
    description: 'turnover, organisation currency (default: annual revenue setting)',
  })
  @IsOptional()
  @Matches(AMOUNT, AMOUNT_MESSAGE)
  turnover?: string;
  @ApiPropertyOptional({ example: '35', description: 'headcount (default: the organisation setting)' })
  @IsOptional()
  @Matches(/^\d{1,7}$/, { message: 'employees must be a whole number' })
  employees?: string;
  @ApiPropertyOptional({ enum: ['individual', 'consolidated'], default: 'individual' })
  @IsOptional()
  @IsIn(['individual', 'consolidated'])
  basis?: 'individual' | 'consolidated';
}

export class VsmeFileQuery extends VsmeDataQuery {
  @ApiPropertyOptional({ enum: ['xlsx', 'pdf'], default: 'xlsx' })
  @IsOptional()
  @IsIn(['xlsx', 'pdf'])
  format?: 'xlsx' | 'pdf';
}

export class SbtiSmeQuery {
  @ApiProperty({ example: '2020', description: 'base year, 2018–2023 on the SME route' })
  @Matches(YEAR, YEAR_MESSAGE)
  baseYear: string;
  @ApiPropertyOptional({ enum: ['location', 'market'], default: 'market' })
  @IsOptional()
  @IsIn(['location', 'market'])
  scope2Method?: 'location' | 'market';
  @ApiPropertyOptional({
    example: '4200000',
    description: 'turnover in EUR (default: annual revenue when the currency is EUR)',
  })
  @IsOptional()
  @Matches(AMOUNT, AMOUNT_MESSAGE)
  turnoverEur?: string;
  @ApiPropertyOptional({ example: '1800000', description: 'total assets in EUR' })
  @IsOptional()
  @Matches(AMOUNT, AMOUNT_MESSAGE)
  totalAssetsEur?: string;
  @ApiPropertyOptional({ example: 'C25.62' })
  @IsOptional()
  @Matches(/^[A-Ua-u]?\s?\d{2}(\.\d{1,2}){0,2}$/, {
    message: 'naceCode must be a NACE Rev. 2 code such as C25.62',
  })
  naceCode?: string;
}

export class ProgressSummaryQuery {
  @ApiProperty({ example: '2024' }) @Matches(YEAR, YEAR_MESSAGE) year: string;
  @ApiPropertyOptional({ example: '2020', description: 'default: the organisation’s base year' })
  @IsOptional()
  @Matches(YEAR, YEAR_MESSAGE)
  baseYear?: string;
  @ApiPropertyOptional({ enum: ['location', 'market'], default: 'market' })
  @IsOptional()
  @IsIn(['location', 'market'])
  scope2Method?: 'location' | 'market';
}
