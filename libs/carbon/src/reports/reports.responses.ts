// Response schemas of the SME reports (VSME data, SBTi SME route, yearly progress). Figures are numbers:
// t CO2e and MWh rounded to 3 decimals, percentages to 2 or 3. The controller declares these classes as its
// handlers' return types, so tsc checks the pure builders' values against the document.
import { ApiProperty } from '@nestjs/swagger';
import { DatePeriodView } from '../dto/carbon.responses';

const nullableNumber = { type: Number, nullable: true } as const;
const nullableString = { type: String, nullable: true } as const;
const date = { type: String, format: 'date' } as const;

export class VsmeDatapointView {
  @ApiProperty({ example: 'B3.scope1' }) id: string;
  @ApiProperty({ example: 'Gross Scope 1 GHG emissions' }) label: string;
  @ApiProperty({ ...nullableString, description: 'text form; null = not provided' }) value: string | null;
  @ApiProperty({ ...nullableNumber, description: 'the figure, where the datapoint is one' }) number:
    number | null;
  @ApiProperty({ ...nullableString, example: 'tCO2e' }) unit: string | null;
  @ApiProperty({
    enum: ['inventory', 'organisation', 'starter profile', 'request', 'halve', 'not provided'],
    enumName: 'VsmeDatapointOrigin',
  })
  origin: 'inventory' | 'organisation' | 'starter profile' | 'request' | 'halve' | 'not provided';
}

export class VsmeSiteView {
  @ApiProperty() name: string;
  @ApiProperty(nullableString) address: string | null;
  @ApiProperty() country: string;
  @ApiProperty(nullableNumber) latitude: number | null;
  @ApiProperty(nullableNumber) longitude: number | null;
}

export class VsmeCertificationView {
  @ApiProperty() number: string;
  @ApiProperty() claimType: string;
  @ApiProperty() bodyName: string;
  @ApiProperty(date) issuedAt: string;
  @ApiProperty(date) validUntil: string;
}

export class VsmeEnergyRowView {
  @ApiProperty({
    enum: ['fuels', 'electricity', 'self_generated', 'heat', 'total'],
    enumName: 'VsmeEnergyRow',
  })
  row: 'fuels' | 'electricity' | 'self_generated' | 'heat' | 'total';
  @ApiProperty() label: string;
  @ApiProperty() renewableMwh: number;
  @ApiProperty() nonRenewableMwh: number;
  @ApiProperty() totalMwh: number;
}

export class VsmeUnconvertedLineView {
  @ApiProperty() source: string;
  @ApiProperty() quantity: number;
  @ApiProperty() unit: string;
  @ApiProperty() reason: string;
}

export class VsmeEnergyView {
  @ApiProperty({ type: VsmeEnergyRowView, isArray: true }) rows: VsmeEnergyRowView[];
  @ApiProperty({ type: VsmeUnconvertedLineView, isArray: true }) unconverted: VsmeUnconvertedLineView[];
  @ApiProperty({ type: String, isArray: true }) notes: string[];
}

/** GET /orgs/:orgId/reports/vsme/data: the VSME Basic B1 and B3 datapoints of a year. */
export class VsmeReportView {
  @ApiProperty({ enum: ['Basic'] }) module: 'Basic';
  @ApiProperty() year: number;
  @ApiProperty({ type: DatePeriodView }) period: DatePeriodView;
  @ApiProperty() organisation: string;
  @ApiProperty({ example: 'EUR' }) currency: string;
  @ApiProperty({ type: VsmeDatapointView, isArray: true }) b1: VsmeDatapointView[];
  @ApiProperty({ type: VsmeSiteView, isArray: true }) sites: VsmeSiteView[];
  @ApiProperty({ type: VsmeCertificationView, isArray: true }) certifications: VsmeCertificationView[];
  @ApiProperty({ type: VsmeEnergyView }) energy: VsmeEnergyView;
  @ApiProperty({ type: VsmeDatapointView, isArray: true }) b3: VsmeDatapointView[];
  @ApiProperty({ type: String, isArray: true }) notes: string[];
}

export class SbtiSmeCompanyView {
  @ApiProperty() name: string;
  @ApiProperty() country: string;
  @ApiProperty(nullableString) sector: string | null;
  @ApiProperty(nullableNumber) employees: number | null;
  @ApiProperty() currency: string;
}

export class SbtiSmeBaseView {
  @ApiProperty() scope1Tco2e: number;
  @ApiProperty() scope2LocationTco2e: number;
  @ApiProperty() scope2MarketTco2e: number;
  @ApiProperty({ description: 'Scope 1 + Scope 2 by the chosen method' }) scope12Tco2e: number;
  @ApiProperty({ ...nullableNumber, description: 'null when no Scope 3 category is measured' })
  scope3Tco2e: number | null;
  @ApiProperty({ type: String, isArray: true }) scope3Categories: string[];
}

export class EligibilityCheckView {
  @ApiProperty() criterion: string;
  @ApiProperty({ enum: ['met', 'not met', 'unknown'], enumName: 'EligibilityStatus' })
  status: 'met' | 'not met' | 'unknown';
  @ApiProperty(nullableString) value: string | null;
  @ApiProperty({ description: 'where the criterion comes from, with ◐/✘ where unverified' }) source: string;
}

export class SbtiSmeEligibilityView {
  @ApiProperty({ enum: ['eligible', 'not eligible', 'unknown'], enumName: 'EligibilityVerdict' })
  verdict: 'eligible' | 'not eligible' | 'unknown';
  @ApiProperty({ type: EligibilityCheckView, isArray: true }) checks: EligibilityCheckView[];
}

/** The body of POST /orgs/:orgId/targets that sets this target. */
export class SbtiSmeCreateTargetView {
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['absolute'] }) kind: 'absolute';
  @ApiProperty({ type: Number, isArray: true, example: [1, 2] }) scopes: number[];
  @ApiProperty({ enum: ['location', 'market'] }) scope2Method: 'location' | 'market';
  @ApiProperty() baseYear: number;
  @ApiProperty() targetYear: number;
  @ApiProperty({ example: '42' }) reductionPct: string;
}

/** GET /orgs/:orgId/reports/sbti-sme: the SME-route submission data. */
export class SbtiSmeView {
  @ApiProperty() route: string;
  @ApiProperty({ type: SbtiSmeCompanyView }) company: SbtiSmeCompanyView;
  @ApiProperty() baseYear: number;
  @ApiProperty({ type: DatePeriodView }) basePeriod: DatePeriodView;
  @ApiProperty() targetYear: number;
  @ApiProperty({ enum: ['location', 'market'] }) scope2Method: 'location' | 'market';
  @ApiProperty({ type: SbtiSmeBaseView }) base: SbtiSmeBaseView;
  @ApiProperty({ example: 42 }) reductionPct: number;
  @ApiProperty({ description: 'Scope 1 + 2 in the target year, t CO2e' }) targetValueTco2e: number;
  @ApiProperty() annualLinearRatePct: number;
  @ApiProperty({ description: '4.2 %/yr × years to 2030, for comparison' }) linearEquivalentPct: number;
  @ApiProperty() targetWording: string;
  @ApiProperty() scope3Commitment: string;
  @ApiProperty({ type: SbtiSmeEligibilityView }) eligibility: SbtiSmeEligibilityView;
  @ApiProperty({ type: SbtiSmeCreateTargetView }) createTarget: SbtiSmeCreateTargetView;
  @ApiProperty({ type: String, isArray: true }) notes: string[];
}

export class ProgressScopeView {
  @ApiProperty() scope: string;
  @ApiProperty() baseTco2e: number;
  @ApiProperty() currentTco2e: number;
  @ApiProperty({ ...nullableNumber, description: 'null for a zero base' }) changePct: number | null;
}

export class ProgressPathPointView {
  @ApiProperty() year: number;
  @ApiProperty() expectedTco2e: number;
}

/** GET /orgs/:orgId/reports/progress: the year against the base year and the halve-by-2030 line. */
export class ProgressSummaryView {
  @ApiProperty() commitment: string;
  @ApiProperty() baseYear: number;
  @ApiProperty() year: number;
  @ApiProperty({ enum: ['location', 'market'] }) scope2Method: 'location' | 'market';
  @ApiProperty({ type: ProgressScopeView, isArray: true }) scopes: ProgressScopeView[];
  @ApiProperty() target2030Tco2e: number;
  @ApiProperty({ description: 'Scope 1 + 2 on the straight line in `year`' }) expectedTco2e: number;
  @ApiProperty() actualTco2e: number;
  @ApiProperty({ type: Boolean, nullable: true }) onTrack: boolean | null;
  @ApiProperty() verdict: string;
  @ApiProperty() yearsTo2030: number;
  @ApiProperty() yearsTo2050: number;
  @ApiProperty({ type: ProgressPathPointView, isArray: true }) path: ProgressPathPointView[];
}
