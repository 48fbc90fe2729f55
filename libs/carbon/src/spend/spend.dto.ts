import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { SPEND_CATEGORIES } from './spend-categories';

export const LEDGER_FORMATS = ['xero', 'quickbooks', 'generic'] as const;
export const LEDGER_CURRENCIES = ['USD', 'GBP', 'EUR'] as const;
export const SPEND_CATEGORY_KEYS = SPEND_CATEGORIES.map((c) => c.key);

/** The form fields sent with a ledger file (multipart). */
export class UploadSpendLedgerDto {
  @ApiPropertyOptional({
    enum: LEDGER_CURRENCIES,
    description: "the ledger's currency; default the organisation's",
  })
  @IsOptional()
  @IsIn(LEDGER_CURRENCIES)
  currency?: (typeof LEDGER_CURRENCIES)[number];

  @ApiPropertyOptional({ enum: LEDGER_FORMATS, description: 'default: detected from the header row' })
  @IsOptional()
  @IsIn(LEDGER_FORMATS)
  format?: (typeof LEDGER_FORMATS)[number];

  @ApiPropertyOptional({
    enum: ['epa', 'exiobase'],
    description:
      'factor table: default EPA (NAICS, USD 2022) for USD ledgers, EXIOBASE (EUR 2019) for GBP/EUR',
  })
  @IsOptional()
  @IsIn(['epa', 'exiobase'])
  factorSet?: 'epa' | 'exiobase';
}

export class CorrectSpendLineDto {
  @ApiProperty({ enum: SPEND_CATEGORY_KEYS, example: 'software' })
  @IsIn(SPEND_CATEGORY_KEYS)
  category: string;
}
