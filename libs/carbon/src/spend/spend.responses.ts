import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const date = { type: String, format: 'date' };
const nullableString = { type: String, nullable: true };

export class SpendLineView {
  @ApiProperty({ description: 'line number in the uploaded file' }) lineNo: number;
  @ApiProperty(date) date: string;
  @ApiProperty() description: string;
  @ApiProperty() account: string;
  @ApiPropertyOptional() accountCode?: string;
  @ApiPropertyOptional() supplier?: string;
  @ApiPropertyOptional() reference?: string;
  @ApiProperty({ description: 'exact decimal in the ledger currency; positive = spend' }) amount: string;
  @ApiProperty(nullableString) category: string | null;
  @ApiProperty(nullableString) categoryLabel: string | null;
  @ApiPropertyOptional({
    description: 'a category chosen by hand for this line only (kept when rules are applied again)',
  })
  manualCategory?: string;
  @ApiProperty({
    enum: ['manual', 'organisation', 'default', 'none'],
    description:
      'what chose the category: a hand correction of this line, an organisation rule, a default rule, nothing',
  })
  rule: 'manual' | 'organisation' | 'default' | 'none';
  @ApiPropertyOptional() ruleId?: string;
  @ApiProperty({ type: Number, nullable: true }) scope3Category: number | null;
  @ApiProperty({ ...nullableString, example: 'naics:541511' }) factorId: string | null;
  @ApiProperty({ ...nullableString, description: 'kg CO2e per unit of the factor currency' }) factorValue:
    string | null;
  @ApiProperty({ ...nullableString, example: 'kg CO2e/USD (2022)' }) factorUnit: string | null;
  @ApiProperty(nullableString) factorSource: string | null;
  @ApiProperty({ ...nullableString, description: "spend in the factor's currency and base year" })
  adjustedAmount: string | null;
  @ApiProperty({ ...nullableString, description: 'price index and exchange rate used' }) adjustment:
    string | null;
  @ApiPropertyOptional({
    ...nullableString,
    description:
      'index[factor base year] / index[spend year], exact decimal (ledgers priced before it was stored lack it)',
  })
  indexRatio?: string | null;
  @ApiPropertyOptional({
    ...nullableString,
    description: 'factor-currency units per ledger-currency unit of the spend year (1 when the same)',
  })
  exchangeRate?: string | null;
  @ApiProperty({ ...nullableString, description: 'exact decimal; null when not counted' }) kgCo2e:
    string | null;
  @ApiProperty({ ...nullableString, description: 'why the line is not counted' }) excludedReason:
    string | null;
}

export class SpendLedgerSummaryView {
  @ApiProperty() id: string;
  @ApiProperty() fileName: string;
  @ApiProperty({ enum: ['xero', 'quickbooks', 'sage', 'generic'] }) format: string;
  @ApiProperty() currency: string;
  @ApiProperty({ enum: ['epa', 'exiobase'] }) factorSet: string;
  @ApiProperty({ example: 'US' }) factorRegion: string;
  @ApiProperty(date) periodFrom: string;
  @ApiProperty({ ...date, description: 'exclusive' }) periodTo: string;
  @ApiProperty() lineCount: number;
  @ApiProperty() countedLines: number;
  @ApiProperty({ description: 'sum of the counted lines' }) kgCo2e: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
}

export class SpendLedgerView extends SpendLedgerSummaryView {
  @ApiProperty({
    type: [String],
    description: 'earlier uploads of an overlapping period, replaced by this one',
  })
  replaced: string[];
  @ApiProperty({ type: [SpendLineView] }) lines: SpendLineView[];
}

export class SpendRuleView {
  @ApiProperty() id: string;
  @ApiProperty(nullableString) account: string | null;
  @ApiProperty(nullableString) accountCode: string | null;
  @ApiProperty(nullableString) supplier: string | null;
  @ApiProperty(nullableString) keyword: string | null;
  @ApiProperty() category: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
}

export class SpendCategoryView {
  @ApiProperty() key: string;
  @ApiProperty() label: string;
  @ApiProperty({ type: String, nullable: true }) naics: string | null;
  @ApiProperty({ type: String, nullable: true }) exiobase: string | null;
  @ApiProperty() scope3Category: number;
  @ApiProperty({ type: String, nullable: true, description: 'activity data that, when present, covers it' })
  coveredBy: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'always excluded, with this reason' })
  excluded: string | null;
}
