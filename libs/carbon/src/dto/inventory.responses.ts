// Response schemas of the inventory operations: the GHG inventory, hourly Scope 2 and recalculations.
// Inventory figures are numbers (kg CO2e rounded to 3 decimals); a stored snapshot's scope totals
// are numeric columns, answered as exact decimal strings.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { MarketTier } from '../ghg/scope2';
import {
  CarbonWarningView,
  DatePeriodView,
  FactorRefView,
  GHG_SCOPES,
  INSTRUMENT_TYPES,
  SCOPE2_METHODS,
} from './carbon.responses';

const dateTime = { type: String, format: 'date-time' } as const;
const date = { type: String, format: 'date' } as const;
const kgByKey = { type: 'object', additionalProperties: { type: 'number' } } as const;

export class InventoryOrganizationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() timezone: string;
  @ApiProperty({ type: Number, nullable: true }) baseYear: number | null;
}

export class InventoryPeriodView {
  @ApiProperty(date) from: string;
  @ApiProperty(date) to: string;
  @ApiProperty() timezone: string;
  @ApiProperty(dateTime) fromUtc: string;
  @ApiProperty(dateTime) toUtc: string;
}

export class SiteEmissionsView {
  @ApiProperty() siteId: string;
  @ApiProperty() scope1KgCo2e: number;
  @ApiProperty() scope2LocationKgCo2e: number;
  @ApiProperty() scope2MarketKgCo2e: number;
  @ApiProperty() scope3KgCo2e: number;
}

export class MonthEmissionsView {
  @ApiProperty({ example: '2025-01' }) month: string;
  @ApiProperty() scope1KgCo2e: number;
  @ApiProperty() scope2LocationKgCo2e: number;
  @ApiProperty() scope3KgCo2e: number;
}

export class LocationMarketPair {
  @ApiProperty() location: number;
  @ApiProperty() market: number;
}

export class EmissionIntensitiesView {
  @ApiPropertyOptional({ type: () => LocationMarketPair }) perM2?: LocationMarketPair;
  @ApiPropertyOptional({ type: () => LocationMarketPair }) perEmployee?: LocationMarketPair;
  @ApiPropertyOptional({ type: () => LocationMarketPair }) perRevenue?: LocationMarketPair;
}

export class IntensityDenominatorsView {
  @ApiProperty({ type: Number, nullable: true }) floorAreaM2: number | null;
  @ApiProperty({ type: Number, nullable: true }) employees: number | null;
  @ApiProperty({ type: Number, nullable: true }) revenue: number | null;
  @ApiProperty() currency: string;
}

export class OnSiteGenerationView {
  @ApiProperty() siteId: string;
  @ApiProperty() generationKwh: number;
  @ApiProperty() exportedKwh: number;
  @ApiProperty() selfConsumedKwh: number;
  @ApiProperty() certificatesSold: boolean;
  @ApiProperty({ type: String, isArray: true }) generationSources: string[];
}

export class InstrumentIssueView {
  @ApiProperty({
    enum: [
      'MARKET_BOUNDARY',
      'VINTAGE',
      'NOT_RETIRED',
      'RETIRED_FOR_OTHER',
      'DOUBLE_CLAIMED',
      'INVALID_VOLUME',
    ],
  })
  code: string;
  @ApiProperty() message: string;
}

/** How the inventory applied an instrument to market-based Scope 2. */
export class InstrumentAllocationView {
  @ApiProperty() id: string;
  @ApiProperty({ enum: INSTRUMENT_TYPES, enumName: 'InstrumentType' }) type: string;
  @ApiProperty() accepted: boolean;
  @ApiProperty({ type: () => InstrumentIssueView, isArray: true }) issues: InstrumentIssueView[];
  @ApiProperty() allocatedKwh: number;
}

export class InventorySiteRef {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() gridRegion: string;
}

export class LineGasesView {
  @ApiPropertyOptional() co2Kg?: number;
  @ApiPropertyOptional() ch4Kg?: number;
  @ApiPropertyOptional() n2oKg?: number;
  @ApiPropertyOptional() co2eCh4Kg?: number;
  @ApiPropertyOptional() co2eN2oKg?: number;
}

export class InventoryLineView {
  @ApiPropertyOptional() lineId?: string;
  @ApiProperty({
    enum: GHG_SCOPES,
    enumName: 'GhgScope',
    nullable: true,
    description: 'null: flagged, unknown',
  })
  scope: 1 | 2 | 3 | null;
  @ApiProperty() category: string;
  @ApiPropertyOptional() scope3Category?: number;
  @ApiPropertyOptional({ enum: SCOPE2_METHODS, enumName: 'Scope2Method' }) method?: 'location' | 'market';
  @ApiPropertyOptional({ enum: ['certificate', 'contract', 'supplier', 'residual_mix', 'grid_average'] })
  marketTier?: MarketTier;
  @ApiPropertyOptional() siteId?: string;
  @ApiPropertyOptional() meterId?: string;
  @ApiProperty() source: string;
  @ApiProperty() quantity: number;
  @ApiProperty() unit: string;
  @ApiProperty({ type: () => FactorRefView, nullable: true }) factor: FactorRefView | null;
  @ApiProperty({ type: Number, nullable: true, description: 'null on a flagged line, never a silent zero' })
  kgCo2e: number | null;
  @ApiPropertyOptional({ type: () => LineGasesView }) gases?: LineGasesView;
  @ApiPropertyOptional({
    enum: ['NO_FACTOR', 'UNIT_NOT_CONVERTIBLE', 'COVERED_BY_BILL'],
    description:
      'COVERED_BY_BILL: an electricity/gas activity whose days utility bills cover; the bill counts',
  })
  flag?: 'NO_FACTOR' | 'UNIT_NOT_CONVERTIBLE' | 'COVERED_BY_BILL';
  @ApiPropertyOptional() dataQuality?: number;
  @ApiPropertyOptional({ example: '2025-01' }) month?: string;
}

export class FactorUsedView extends FactorRefView {
  @ApiProperty() label: string;
  @ApiProperty() licence: string;
  @ApiProperty() gwpSet: string;
  @ApiProperty() verification: string;
  @ApiProperty() url: string;
  @ApiProperty() tenantFactor: boolean;
}

/** GET …/inventory: Scope 1, Scope 2 location- and market-based, Scope 3, every line with its factor. */
export class GhgInventoryView {
  @ApiProperty({ type: () => InventoryOrganizationView }) organization: InventoryOrganizationView;
  @ApiProperty({ type: () => InventoryPeriodView }) period: InventoryPeriodView;
  @ApiProperty() scope1KgCo2e: number;
  @ApiProperty() scope2LocationKgCo2e: number;
  @ApiProperty() scope2MarketKgCo2e: number;
  @ApiProperty() scope3KgCo2e: number;
  @ApiProperty() totalLocationKgCo2e: number;
  @ApiProperty() totalMarketKgCo2e: number;
  @ApiProperty({ ...kgByKey, description: 'by Scope 3 category number' })
  scope3ByCategoryKgCo2e: Record<string, number>;
  @ApiProperty({ type: () => SiteEmissionsView, isArray: true }) bySite: SiteEmissionsView[];
  @ApiProperty({ type: () => MonthEmissionsView, isArray: true }) byMonth: MonthEmissionsView[];
  // Always present (null without denominators); optional in TypeScript only because InventoryView types it so.
  @ApiProperty({ type: () => EmissionIntensitiesView, nullable: true })
  intensities?: EmissionIntensitiesView | null;
  @ApiProperty({ type: () => IntensityDenominatorsView }) denominators: IntensityDenominatorsView;
  @ApiProperty() purchasedElectricityKwh: number;
  @ApiProperty() exportedElectricityKwh: number;
  @ApiProperty({ type: () => OnSiteGenerationView, isArray: true }) onSiteGeneration: OnSiteGenerationView[];
  @ApiProperty({ type: () => InstrumentAllocationView, isArray: true })
  instruments: InstrumentAllocationView[];
  @ApiProperty({ type: () => InventorySiteRef, isArray: true }) sites: InventorySiteRef[];
  @ApiProperty({ type: () => InventoryLineView, isArray: true }) lines: InventoryLineView[];
  @ApiProperty({ type: () => FactorUsedView, isArray: true }) factorsUsed: FactorUsedView[];
  @ApiProperty() factorLibraryVersion: string;
  @ApiProperty() dataHash: string;
  @ApiProperty({ type: () => CarbonWarningView, isArray: true }) warnings: CarbonWarningView[];
}

export class HourlyPeriodView {
  @ApiProperty(date) from: string;
  @ApiProperty(date) to: string;
  @ApiProperty() timezone: string;
}

export class GridProfileRef {
  @ApiProperty() region: string;
  @ApiProperty() dataset: string;
}

export class HourlyScope2Hour {
  @ApiProperty(dateTime) hourUtc: string;
  @ApiProperty() importKwh: number;
  @ApiProperty() exportKwh: number;
  @ApiProperty() kgCo2ePerKwh: number;
  @ApiProperty() kgCo2e: number;
  @ApiProperty({ description: 'priced at the annual factor (no hourly intensity)' }) fallback: boolean;
}

export class HourlyScope2Site {
  @ApiProperty() siteId: string;
  @ApiProperty() gridRegion: string;
  @ApiProperty({ type: () => GridProfileRef, nullable: true }) profile: GridProfileRef | null;
  @ApiProperty({ type: () => FactorRefView }) annualFactor: FactorRefView;
  @ApiProperty() hours: number;
  @ApiProperty() fallbackHours: number;
  @ApiProperty() importKwh: number;
  @ApiProperty() exportKwh: number;
  @ApiProperty() generationKwh: number;
  @ApiProperty() selfConsumedKwh: number;
  @ApiProperty() loadKwh: number;
  @ApiProperty() hourlyLocationKgCo2e: number;
  @ApiProperty() annualMethodKgCo2e: number;
  @ApiProperty() cfeShare: number;
  @ApiProperty() hourlyMatchShare: number;
  @ApiProperty() annualVolumeShare: number;
  @ApiPropertyOptional({ type: () => HourlyScope2Hour, isArray: true, description: 'with includeHours=true' })
  hourly?: HourlyScope2Hour[];
}

/** GET …/inventory/hourly-scope2. */
export class HourlyScope2View {
  @ApiProperty({ type: () => HourlyPeriodView }) period: HourlyPeriodView;
  @ApiProperty() basis: string;
  @ApiProperty() importKwh: number;
  @ApiProperty() hourlyLocationKgCo2e: number;
  @ApiProperty() annualMethodKgCo2e: number;
  @ApiProperty({ description: '0 when there is no load' }) cfeShare: number;
  @ApiProperty({ type: () => HourlyScope2Site, isArray: true }) sites: HourlyScope2Site[];
  @ApiProperty({ type: () => CarbonWarningView, isArray: true }) warnings: CarbonWarningView[];
}

export class FactorValueChange {
  @ApiProperty() id: string;
  @ApiProperty({ type: String, nullable: true }) before: string | null;
  @ApiProperty({ type: String, nullable: true }) after: string | null;
}

export class InventoryLineChange {
  @ApiPropertyOptional() lineId?: string;
  @ApiPropertyOptional() method?: string;
  @ApiProperty() source: string;
  @ApiPropertyOptional() siteId?: string;
  @ApiProperty({ type: Number, nullable: true }) beforeKgCo2e: number | null;
  @ApiProperty({ type: Number, nullable: true }) afterKgCo2e: number | null;
  @ApiProperty() deltaKgCo2e: number;
}

export class BaseYearRecalculationView {
  @ApiProperty() year: number;
  @ApiProperty() required: boolean;
  @ApiProperty() share: number;
  @ApiProperty() threshold: number;
}

/** The difference from the previous stored inventory of the same period (kg CO2e deltas). */
export class InventoryDiffView {
  @ApiProperty({ format: 'uuid' }) previousId: string;
  @ApiProperty(dateTime) previousCreatedAt: string;
  @ApiProperty() scope1KgCo2e: number;
  @ApiProperty() scope2LocationKgCo2e: number;
  @ApiProperty() scope2MarketKgCo2e: number;
  @ApiProperty() scope3KgCo2e: number;
  @ApiProperty() totalLocationKgCo2e: number;
  @ApiProperty() totalMarketKgCo2e: number;
  @ApiProperty() dataChanged: boolean;
  @ApiProperty() factorLibraryChanged: boolean;
  @ApiProperty({ type: () => FactorValueChange, isArray: true }) factorChanges: FactorValueChange[];
  @ApiProperty({ type: () => InventoryLineChange, isArray: true }) lineChanges: InventoryLineChange[];
  @ApiProperty({
    type: () => BaseYearRecalculationView,
    nullable: true,
    description: 'for a base-year period',
  })
  baseYear: BaseYearRecalculationView | null;
}

// The diff is a jsonb column typed `object` in the entity: tsc cannot check it against InventoryDiffView,
// so its TypeScript type stays `object` while the document gives its shape (InventoryService.diff).
const diffProperty = {
  type: () => InventoryDiffView,
  nullable: true,
  description: 'null for the first',
} as const;

/** POST …/inventory/recalculations: the stored inventory's totals (numbers) and its difference. */
export class InventoryRecalculationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: () => DatePeriodView }) period: DatePeriodView;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) previousId: string | null;
  @ApiProperty() factorLibraryVersion: string;
  @ApiProperty() dataHash: string;
  @ApiProperty() scope1KgCo2e: number;
  @ApiProperty() scope2LocationKgCo2e: number;
  @ApiProperty() scope2MarketKgCo2e: number;
  @ApiProperty() scope3KgCo2e: number;
  @ApiProperty() totalLocationKgCo2e: number;
  @ApiProperty() totalMarketKgCo2e: number;
  @ApiProperty(diffProperty) diff: object | null;
}

/** GET …/inventory/recalculations (one row): scope totals are exact decimal strings (numeric columns). */
export class InventorySnapshotView {
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty(date) periodFrom: string;
  @ApiProperty(date) periodTo: string;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty() factorLibraryVersion: string;
  @ApiProperty() dataHash: string;
  @ApiProperty() scope1KgCo2e: string;
  @ApiProperty() scope2LocationKgCo2e: string;
  @ApiProperty() scope2MarketKgCo2e: string;
  @ApiProperty() scope3KgCo2e: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) previousId: string | null;
  @ApiProperty(diffProperty) diff: object | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) createdBy: string | null;
  @ApiProperty(dateTime) createdAt: Date;
}
