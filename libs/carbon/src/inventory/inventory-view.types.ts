import type { OrgProfile } from '../carbon.repository';
import type { MonthlyUsageRow, UsageSite } from '../dto/meter-usage';
import type { ActivityEntity, InstrumentEntity } from '../entities/carbon.entities';
import type { EmissionFactor, FactorRef } from '../factors/emission-factor';
import type { BillCoverage } from './bill-overlap';
import type { InventoryLine, InventoryResult, InventoryTotals } from './inventory.types';

/** A warning of the API: the pure lib's codes plus the service's own (ACTIVITY_PRORATED, UNIT_NOT_CONVERTIBLE...). */
export interface InventoryWarning {
  code: string;
  message: string;
  lineId?: string;
  factorId?: string;
  instrumentId?: string;
  siteId?: string;
}

export interface ApiInventoryLine extends Omit<InventoryLine, 'flag'> {
  flag?: 'NO_FACTOR' | 'UNIT_NOT_CONVERTIBLE' | 'COVERED_BY_BILL';
  /** 'YYYY-MM' of the line's period (meter months, activity starts); absent on market-based allocations. */
  month?: string;
}

export interface FactorUsed extends FactorRef {
  label: string;
  licence: string;
  gwpSet: string;
  verification: string;
  url: string;
  tenantFactor: boolean;
}

export interface InventoryView extends InventoryTotals {
  organization: { id: string; name: string; timezone: string; baseYear: number | null };
  period: { from: string; to: string; timezone: string; fromUtc: string; toUtc: string };
  scope3ByCategoryKgCo2e: Record<string, number>;
  bySite: InventoryResult['bySite'];
  byMonth: { month: string; scope1KgCo2e: number; scope2LocationKgCo2e: number; scope3KgCo2e: number }[];
  intensities: InventoryResult['intensities'] | null;
  denominators: {
    floorAreaM2: number | null;
    employees: number | null;
    revenue: number | null;
    currency: string;
  };
  purchasedElectricityKwh: number;
  exportedElectricityKwh: number;
  onSiteGeneration: InventoryResult['onSiteGeneration'];
  instruments: InventoryResult['instruments'];
  sites: { id: string; name: string; gridRegion: string }[];
  lines: ApiInventoryLine[];
  factorsUsed: FactorUsed[];
  factorLibraryVersion: string;
  dataHash: string;
  warnings: InventoryWarning[];
}

/** What the inventory service loads for a period: the organisation, its data and its meter months. */
export interface GatheredInventory {
  org: OrgProfile;
  period: { from: string; to: string };
  fromUtc: Date;
  toUtc: Date;
  sites: UsageSite[];
  activities: ActivityEntity[];
  instruments: InstrumentEntity[];
  tenantFactors: EmissionFactor[];
  monthly: MonthlyUsageRow[];
  /** the organisation's utility bills touching the period: they cover electricity/gas activities (bill-overlap.ts) */
  bills?: BillCoverage[];
}
