import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const nullableNumber = { type: Number, nullable: true };

export class StarterProfileView {
  @ApiProperty({ enum: ['nace', 'uk_sic', 'naics'] }) sectorScheme: string;
  @ApiProperty() sectorCode: string;
  @ApiProperty({ description: 'internal sector the code maps to' }) sector: string;
  @ApiProperty() sectorLabel: string;
  @ApiProperty() employees: number;
  @ApiProperty({ description: 'exact decimal' }) annualRevenue: string;
  @ApiProperty() currency: string;
  @ApiProperty({ description: 'exact decimal, m²' }) floorAreaM2: string;
  @ApiProperty() country: string;
  @ApiProperty() year: number;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: string;
}

export class StarterInputView {
  @ApiProperty({ example: 'floor area' }) name: string;
  @ApiProperty({ description: 'exact decimal' }) value: string;
  @ApiProperty({ example: 'm²' }) unit: string;
  @ApiProperty() source: string;
  @ApiProperty({ description: '✔ / ◐ / ✘ with what was or was not checked' }) verification: string;
}

export class StarterLineView {
  @ApiProperty({ enum: ['scope2_electricity', 'scope1_heating', 'scope3_purchases'] }) key: string;
  @ApiProperty() label: string;
  @ApiProperty({ enum: [1, 2, 3] }) scope: number;
  @ApiProperty({ example: 'purchased_electricity' }) category: string;
  @ApiPropertyOptional() scope3Category?: number;
  @ApiProperty({ enum: [true], description: 'always true: an estimate from industry averages' })
  estimate: true;
  @ApiProperty({ ...nullableNumber, description: 'estimated kg CO2e; null when it cannot be estimated' })
  kgCo2e: number | null;
  @ApiProperty({ example: 'floor area × electricity intensity × grid factor' }) basis: string;
  @ApiProperty({ type: StarterInputView, isArray: true }) inputs: StarterInputView[];
  @ApiProperty({ enum: ['estimated', 'replaced by measured data', 'not estimated'] }) status: string;
  @ApiProperty({ ...nullableNumber, description: 'kg CO2e of the measured lines that replace it' })
  measuredKgCo2e: number | null;
  @ApiProperty({ type: String, isArray: true }) notes: string[];
}

export class StarterScopeTotalsView {
  @ApiProperty() scope1KgCo2e: number;
  @ApiProperty({ description: 'location-based' }) scope2KgCo2e: number;
  @ApiProperty() scope3KgCo2e: number;
  @ApiProperty() totalKgCo2e: number;
}

export class StarterOmissionView {
  @ApiProperty() what: string;
  @ApiProperty() reason: string;
}

export class StarterFootprintView {
  @ApiProperty() year: number;
  @ApiProperty({ enum: [true] }) estimate: true;
  @ApiProperty({ type: StarterProfileView }) profile: StarterProfileView;
  @ApiProperty({ type: StarterLineView, isArray: true }) lines: StarterLineView[];
  @ApiProperty({ type: StarterScopeTotalsView, description: 'the estimate lines alone' })
  estimated: StarterScopeTotalsView;
  @ApiProperty({
    type: StarterScopeTotalsView,
    description: 'the inventory of the year (measured data only)',
  })
  measured: StarterScopeTotalsView;
  @ApiProperty({
    type: StarterScopeTotalsView,
    description: 'measured where measured, the estimate line where a line is not replaced',
  })
  combined: StarterScopeTotalsView;
  @ApiProperty({ type: StarterOmissionView, isArray: true }) notEstimated: StarterOmissionView[];
}
