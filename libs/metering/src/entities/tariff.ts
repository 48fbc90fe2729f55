/** A site's tariff, as entered: flat or time-of-use bands, with an optional demand charge. */
export interface TariffBandInput {
  /** ISO weekdays 1 = Monday … 7 = Sunday */
  days: number[];
  fromHour: number;
  toHour: number;
  pricePerKwh: number;
}

export interface Tariff {
  type: 'flat' | 'time_of_use';
  currency: string;
  pricePerKwh?: number;
  bands?: TariffBandInput[];
  demandChargePerKw?: number;
}
