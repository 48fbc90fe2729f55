import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO31661Alpha2, IsString, Length, Matches, Max, Min } from 'class-validator';
import { IsNonNegativeDecimal } from '../dto/carbon.dto';
import { SECTOR_SCHEMES, type SectorScheme } from './starter-sectors';

/** Currencies the shipped exchange rates and price indices cover (libs/carbon/data/spend/indices). */
export const STARTER_CURRENCIES = ['USD', 'GBP', 'EUR'] as const;

/** The organisation profile a starter estimate is made from. */
export class StarterProfileDto {
  @ApiProperty({ enum: SECTOR_SCHEMES, description: 'NACE Rev.2, UK SIC 2007 or NAICS 2017' })
  @IsIn(SECTOR_SCHEMES)
  sectorScheme: SectorScheme;

  @ApiProperty({
    example: '62.01',
    description: 'a code of that scheme (NACE "62.01", UK SIC "62012", NAICS "541511")',
  })
  @IsString()
  @Length(2, 12)
  sectorCode: string;

  @ApiProperty({ example: 25 }) @IsInt() @Min(0) @Max(1_000_000) employees: number;

  @ApiProperty({
    type: String,
    example: '2500000',
    description: 'annual revenue, exact decimal in `currency`',
  })
  @IsNonNegativeDecimal()
  annualRevenue: string | number;

  @ApiProperty({ enum: STARTER_CURRENCIES })
  @IsIn(STARTER_CURRENCIES)
  currency: (typeof STARTER_CURRENCIES)[number];

  @ApiProperty({ type: String, example: '800', description: 'floor area of the premises in m²' })
  @IsNonNegativeDecimal()
  floorAreaM2: string | number;

  @ApiProperty({ example: 'GB' }) @IsISO31661Alpha2() country: string;

  @ApiProperty({ example: 2024, description: 'the year the revenue and floor area describe' })
  @IsInt()
  @Min(1990)
  @Max(2100)
  year: number;
}

export class StarterFootprintQuery {
  @ApiProperty({ example: '2024' })
  @Matches(/^\d{4}$/, { message: 'year must be a 4-digit year' })
  year: string;
}
