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

export interface MeterUsageSource {
  monthlyUsage(tenantId: string, range: { from: Date; to: Date }): Promise<MonthlyUsageRow[]>;
  hourlyUsage(
    tenantId: string,
    meterIds: string[],
    range: { from: Date; to: Date },
  ): Promise<HourlyUsageRow[]>;
  sites(tenantId: string): Promise<UsageSite[]>;
}
