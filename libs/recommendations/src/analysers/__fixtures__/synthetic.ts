/** Constructed profiles with known answers, for the analyser specs. */
import type { EnergyPoint, MeterInput, SiteAnalysisInput, TariffOption } from '../types';

export const HOUR_MS = 3_600_000;
/** 2021-01-01 00:00 UTC (a Friday); 2021 has 365 days = 8,760 hours. */
export const YEAR_START = Date.UTC(2021, 0, 1);
export const HOURS_2021 = 8760;

/** Hourly readings over 2021 (UTC) from a function of (UTC date, hour index). */
export function hourlyYear(
  kw: (ts: Date, index: number) => number,
  hours = HOURS_2021,
  startMs = YEAR_START,
): EnergyPoint[] {
  return Array.from({ length: hours }, (_, i) => {
    const ts = new Date(startMs + i * HOUR_MS);
    return { ts, energyKwh: kw(ts, i) };
  });
}

/** Office schedule: weekdays 08:00–18:00 UTC occupied. */
export function isOfficeHour(ts: Date): boolean {
  const day = ts.getUTCDay();
  const hour = ts.getUTCHours();
  return day >= 1 && day <= 5 && hour >= 8 && hour < 18;
}

export const flatTariff = (pricePerKwh: number, extra: Partial<TariffOption> = {}): TariffOption => ({
  id: 'flat',
  name: 'Flat',
  tariff: { type: 'flat', currency: 'GBP', pricePerKwh },
  ...extra,
});

/** A time-of-use tariff: `band` every day of the week (hours [fromHour, toHour)), `pricePerKwh` otherwise. */
export const touTariff = (
  band: { fromHour: number; toHour: number; pricePerKwh: number },
  pricePerKwh: number,
  extra: Partial<TariffOption> = {},
): TariffOption => ({
  id: 'tou',
  name: 'TOU',
  tariff: {
    type: 'time_of_use',
    currency: 'GBP',
    bands: [{ days: [1, 2, 3, 4, 5, 6, 7], ...band }],
    pricePerKwh,
  },
  ...extra,
});

export function meter(readings: EnergyPoint[], intervalMinutes = 60, id = 'm1'): MeterInput {
  return { id, name: 'Main', intervalMinutes, readings };
}

export function siteInput(
  meters: MeterInput[],
  overrides: Partial<SiteAnalysisInput> = {},
): SiteAnalysisInput {
  return {
    site: { id: 's1', timezone: 'UTC', country: 'GB' },
    meters,
    tariffs: [flatTariff(0.25)],
    emissionFactor: { kgCo2ePerKwh: 0.2, source: 'test factor' },
    currency: 'GBP',
    ...overrides,
  };
}
