import type { DecimalLike } from '../factors/decimal';
import type { CarbonWarning, EmissionFactor, FactorRef, Scope } from '../factors/emission-factor';
import type { CalorificBasis } from '../factors/units';
import type { ContractualInstrument, InstrumentIssue, MarketTier } from '../ghg/scope2';

export type MeterRole = 'import' | 'generation' | 'export';

/** One item of activity data (meter-derived kWh, fuel purchase, refrigerant top-up, travel, spend, waste...). */
export interface ActivityLine {
  id?: string;
  /** 'electricity' for meter lines; otherwise an activity of the factor vocabulary (natural_gas, diesel, refrigerant, business_travel_air...). */
  activity: string;
  /** Sub-type within the activity ('' = default), e.g. 'hfc_134a', 'long_haul.economy_class.with_rf'. */
  variant?: string;
  quantity: DecimalLike;
  unit: string;
  /** Calorific basis of an energy quantity of fuel (kWh of gas on a UK bill is gross). */
  basis?: CalorificBasis;
  siteId?: string;
  meterId?: string;
  /** Factor region; defaults to the site's gridRegion. */
  region?: string;
  /** ISO date of the start of the line's period; its year selects the factor. */
  periodStart: string;
  /** Electricity only: import (purchased, default), generation (on-site output) or export. */
  meterRole?: MeterRole;
  /** On-site generation: its technology (solar, wind... are zero-emission; combustion is Scope 1 via its fuel lines). */
  generationSource?: 'solar' | 'wind' | 'hydro' | 'other_renewable' | 'combustion';
  /** On-site generation whose certificates were sold. */
  certificatesSold?: boolean;
  /** Refrigerants: GWP of the gas, when given instead of a library factor. */
  gwp?: DecimalLike;
  /** Scope for a flagged line when no factor is found (otherwise taken from the factor). */
  scope?: Scope;
  /** Override of the line category (e.g. 'mobile_combustion' for diesel bought for vehicles). */
  category?: string;
  /** Data-quality score (1 best .. 5 worst), passed through. */
  dataQuality?: number;
  description?: string;
}

export interface InventorySite {
  id: string;
  /** GB, an eGRID subregion (CAMX), CN-East... */
  gridRegion: string;
  floorAreaM2?: DecimalLike;
}

export interface InventoryOptions {
  /** Report upstream T&D losses of purchased electricity (Scope 3 cat 3) where a factor exists. Default true. */
  includeTransmissionLosses?: boolean;
  /** Cross-organisation registry lookup for the double-claim check. */
  isCertificateClaimedElsewhere?: (certificateId: string, instrument: ContractualInstrument) => boolean;
  vintageToleranceDays?: number;
  /** Denominators for intensities. */
  denominators?: { floorAreaM2?: DecimalLike; employees?: DecimalLike; revenue?: DecimalLike };
}

export interface InventoryInput {
  /** ISO dates, `to` exclusive. */
  period: { from: string; to: string };
  organisationId?: string;
  sites?: InventorySite[];
  lines: ActivityLine[];
  instruments?: ContractualInstrument[];
  factors: EmissionFactor[];
  tenantFactors?: EmissionFactor[];
  options?: InventoryOptions;
}

export interface LineGases {
  co2Kg?: number;
  ch4Kg?: number;
  n2oKg?: number;
  co2eCh4Kg?: number;
  co2eN2oKg?: number;
}

export interface InventoryLine {
  lineId?: string;
  /** null only on a flagged line whose scope is unknown. */
  scope: Scope | null;
  category: string;
  scope3Category?: number;
  /** Scope 2 electricity: which of the dual figures the line belongs to. */
  method?: 'location' | 'market';
  marketTier?: MarketTier;
  siteId?: string;
  meterId?: string;
  /** What was measured: the activity (and variant). */
  source: string;
  quantity: number;
  unit: string;
  factor: FactorRef | null;
  /** null on a flagged line (no factor): never a silent zero. */
  kgCo2e: number | null;
  gases?: LineGases;
  flag?: 'NO_FACTOR';
  dataQuality?: number;
}

export interface OnSiteGenerationReport {
  siteId: string;
  generationKwh: number;
  exportedKwh: number;
  /** Renewable consumption reported separately; never subtracted from imports. */
  selfConsumedKwh: number;
  certificatesSold: boolean;
  generationSources: string[];
}

export interface InstrumentReport {
  id: string;
  type: string;
  accepted: boolean;
  issues: InstrumentIssue[];
  allocatedKwh: number;
}

/** The six totals every inventory figure carries (result, view, a report's base year). */
export interface InventoryTotals {
  scope1KgCo2e: number;
  scope2LocationKgCo2e: number;
  scope2MarketKgCo2e: number;
  scope3KgCo2e: number;
  totalLocationKgCo2e: number;
  totalMarketKgCo2e: number;
}

export interface InventoryResult extends InventoryTotals {
  period: { from: string; to: string };
  scope3ByCategoryKgCo2e: Record<string, number>;
  bySite: {
    siteId: string;
    scope1KgCo2e: number;
    scope2LocationKgCo2e: number;
    scope2MarketKgCo2e: number;
    scope3KgCo2e: number;
  }[];
  intensities?: {
    perM2?: { location: number; market: number };
    perEmployee?: { location: number; market: number };
    perRevenue?: { location: number; market: number };
  };
  purchasedElectricityKwh: number;
  exportedElectricityKwh: number;
  onSiteGeneration: OnSiteGenerationReport[];
  instruments: InstrumentReport[];
  lines: InventoryLine[];
  warnings: CarbonWarning[];
}
