/**
 * What the inventory reads from the metering module (`MeterUsageService` of `@halve/metering`).
 * The carbon lib codes against this shape only; CarbonModule binds the token to metering's provider,
 * and unit tests bind a fake.
 */
export const METER_USAGE = Symbol('METER_USAGE');

export type MeterKind =
  | 'electricity_import'
  | 'electricity_export'
  | 'pv_generation'
  | 'wind_generation'
  | 'natural_gas'
  | 'fuel_oil'
  | 'district_heat'
  | 'water';

export interface MonthlyUsageRow {
  siteId: string;
  meterId: string;
  kind: MeterKind;
  unit: string;
  gridRegion: string | null;
  country: string;
  /** 'YYYY-MM' in the site's local calendar. */
  month: string;
  /** Exact decimal string in the meter's unit (kWh for energy). */
  quantity: string;
}

export interface HourlyUsageRow {
  meterId: string;
  hourStart: Date;
  quantity: number;
}

export interface UsageSite {
  id: string;
  name: string;
  country: string;
  gridRegion: string | null;
  timezone: string;
  floorAreaM2: number | null;
}

/** A utility bill as the inventory reads it: metered supply that covers electricity/gas activities. */
export interface BillUsageRow {
  billId: string;
  siteId: string;
  commodity: 'electricity' | 'gas';
  /** first day, ISO date */
  periodFrom: string;
  /** last day, ISO date, inclusive */
  periodTo: string;
  supplier: string | null;
}

export interface MeterUsageSource {
  /** Bills whose days touch [from, to) (ISO dates, `to` exclusive). */
  bills?(tenantId: string, range: { from: string; to: string }): Promise<BillUsageRow[]>;
  monthlyUsage(tenantId: string, range: { from: Date; to: Date }): Promise<MonthlyUsageRow[]>;
  hourlyUsage(
    tenantId: string,
    meterIds: string[],
    range: { from: Date; to: Date },
  ): Promise<HourlyUsageRow[]>;
  sites(tenantId: string): Promise<UsageSite[]>;
}
