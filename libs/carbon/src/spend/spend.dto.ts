import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { SPEND_CATEGORIES } from './spend-categories';

export const LEDGER_FORMATS = ['xero', 'quickbooks', 'sage', 'generic'] as const;
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

  @ApiPropertyOptional({
    default: true,
    description:
      'true: the correction becomes an organisation rule (supplier and account, else account and description) for this and later ledgers; false: this line only, kept when rules are applied again',
  })
  @IsOptional()
  @IsBoolean()
  remember?: boolean;
}

/** An organisation rule: every condition given must match; at least one is required. */
export class SpendRuleDto {
  @ApiPropertyOptional({ type: String, nullable: true, description: 'account name, matched whole, any case' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  account?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  accountCode?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'supplier (contact), matched whole, any case',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  supplier?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'matched anywhere in the description, any case',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  keyword?: string | null;

  @ApiProperty({ enum: SPEND_CATEGORY_KEYS, example: 'software' })
  @IsIn(SPEND_CATEGORY_KEYS)
  category: string;
}
